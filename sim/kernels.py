"""The per-impression hot path, compiled: the feed picks each video, the viewer reacts, counters move.

Each kernel is the compiled form of a rule documented where its mechanism lives
(:meth:`sim.platforms.Platform.fill_feeds`, :meth:`sim.viewers.Viewers.react`,
:meth:`sim.videos.Videos.record`, and for their passes over every impression
:meth:`sim.viewers.Viewers.start_sessions`, :meth:`sim.viewers.Viewers.update_mood` and
:meth:`sim.follows.FollowGraph.follow`): arrays in, arrays out, one pass over the tick's
impressions, no Python object per impression. Each gives exactly what the numpy it replaced gave.
Randomness comes from the model's generator, drawn in bulk by the caller before a kernel runs, so
each impression's outcome depends on its own draws only: the kernels run over the impressions in
parallel (numba ``prange``, one thread per core) and give the same results for any number of threads.

One uniform decides a chain of events. It stays fixed while each event splits the interval that
holds it, [low, low + width), in proportion to the event's outcomes and keeps the part it falls
in (:func:`bernoulli`, :func:`categorical`); where it sits within that part is again uniform and
independent of the outcomes so far. A float64 uniform carries 53 bits and each event uses about
-log2 P(its outcome) of them, so the few events of an impression keep ample resolution; a kernel
draws once per impression instead of once per event, and splits with multiplications only.

Numba's cache tracks the source file of each kernel only, so everything a kernel calls is in this
file: edit a helper elsewhere and a cached kernel would keep the old one.
"""

from __future__ import annotations

import os
import threading

import numba
import numpy as np
from numba import njit, prange

# A process that has run the kernels may be forked (multiprocessing's default start on Linux):
# numba's own work queue survives a fork, GNU OpenMP does not (it aborts the child).
if "NUMBA_THREADING_LAYER" not in os.environ:
    numba.config.THREADING_LAYER = "workqueue"

#: Held by a model while it builds or steps (``LikeEconomy``). The work queue serves one calling
#: thread at a time and aborts the process when a second calls a parallel kernel meanwhile, so
#: models in several threads (a Dask worker's, the dashboard's sessions, a user's own) take turns.
ONE_CALLER = threading.RLock()

EMPTY = -1


@njit(cache=True, inline="always")
def logistic(x):
    """1 / (1 + e^-x)."""
    return 1.0 / (1.0 + np.exp(-x))


@njit(cache=True, inline="always")
def bernoulli(u, low, width, p):
    """Whether ``u`` says yes to an event of probability ``p``, and the part of the interval it is in."""
    cut = low + p * width
    if u < cut:
        return True, low, cut - low
    return False, cut, low + width - cut


@njit(cache=True, inline="always")
def categorical(u, low, width, n):
    """Which of ``n`` equally likely outcomes ``u`` picks, and the part of the interval it is in."""
    part = width / n
    k = min(int((u - low) / part), n - 1)
    return k, low + k * part, part


@njit(cache=True, inline="always")
def _by_interest(u, low, width, cumulative):
    """The niche whose share of the viewer's interests holds ``u``, and the part it is in."""
    last = cumulative.size - 1
    k = 0
    while k < last and u >= low + width * cumulative[k]:
        k += 1
    start = low + width * cumulative[k - 1] if k > 0 else low
    return k, start, low + width * cumulative[k] - start if k < last else low + width - start


@njit(cache=True, inline="always")
def _niche(u, low, width, cumulative, exploration):
    exploring, low, width = bernoulli(u, low, width, exploration)
    if exploring:
        return categorical(u, low, width, cumulative.size)
    return _by_interest(u, low, width, cumulative)


@njit(cache=True)
def search_sorted_points(cumulative, points, found):
    """``found[s]`` = ``np.searchsorted(cumulative, points[s], side="right")`` for ascending ``points``.

    One merge of the two ascending arrays (``Viewers.start_sessions`` finds each session's viewer
    in the running sum of the viewers' rates): both are read once, in order.
    """
    j = 0
    for s in range(points.size):
        while j < cumulative.size and cumulative[j] <= points[s]:
            j += 1
        found[s] = j


@njit(cache=True, parallel=True)
def search_points(cumulative, points, found):
    """``found[s]`` = ``np.searchsorted(cumulative, points[s], side="right")`` for points in any order.

    ``cumulative`` is ascending from 0 (a running sum of weights). A guide table (Chen and Asau,
    1974) sends a point in the b-th of ``cumulative.size`` equal parts of the total to the first
    entry above that part's start, a few steps from its answer, so the points need no sorting and
    are searched in parallel (``Viewers.drawn_by_interest`` draws viewers by interest).
    """
    n, total = cumulative.size, cumulative[-1]
    guide = np.full(n, n, np.int64)  # no weight at all: every entry is at or below any point
    if total > 0:
        _fill_guide(cumulative, 0, n, 0.0, total, guide)
    for s in prange(points.size):
        point = points[s]
        part = min(point / total, 1.0) if total > 0 and point > 0 else 0.0
        found[s] = _search_from(cumulative, 0, n, guide[min(int(part * n), n - 1)], point)


@njit(cache=True, inline="always")
def _fill_guide(cumulative, start, end, low, span, guide):
    """The guide table (Chen and Asau, 1974) of ``cumulative[start:end]``, rising from ``low`` by ``span``.

    Entry ``start + b`` of ``guide`` is the first index whose value exceeds ``low + span b / n``
    (n = end - start), so a search for a point in the b-th of n equal parts starts a few steps
    from its answer.
    """
    n, j = end - start, start
    for b in range(n):
        while j < end and cumulative[j] <= low + span * (b / n):
            j += 1
        guide[start + b] = j


@njit(cache=True, inline="always")
def _search_from(cumulative, start, end, j, point):
    """The first index in [start, end) whose value exceeds ``point`` (``end`` if none), from ``j``.

    The guide is exact up to rounding, so the walk may step back before it steps on.
    """
    while j > start and cumulative[j - 1] > point:
        j -= 1
    while j < end and cumulative[j] <= point:
        j += 1
    return j


@njit(cache=True, parallel=True)
def gather(values, index):
    """``values[index]`` in parallel: numpy's fancy indexing takes one thread, and several times longer."""
    out = np.empty(index.size, values.dtype)
    for i in prange(index.size):
        out[i] = values[index[i]]
    return out


@njit(cache=True, parallel=True)
def pick_niches(viewer, uniform, interest_cdf, exploration, niche):
    """Fill ``niche`` (I,) with the niche each viewer browses (see ``Viewers.pick_niches``)."""
    for i in prange(viewer.size):
        niche[i], _, _ = _niche(uniform[i], 0.0, 1.0, interest_cdf[viewer[i]], exploration)


@njit(cache=True, parallel=True)
def choose_feed_slots(
    viewer, uniform, following_share, slots, used, vip_creator, vip_share, recent, first_candidate,
    n_candidates, interest_cdf, exploration, stocked, position, niche,
):  # fmt: skip
    """First pass of ``Platform.fill_feeds``: every slot gets a followed video, or a For-You niche.

    The candidates are the videos ``first_candidate`` to ``first_candidate + n_candidates - 1``
    (see ``Videos.first_candidate``). Fills ``position`` (position among the candidates, or EMPTY
    for For-You slots) and ``niche`` (the For-You niche, EMPTY otherwise); leaves in ``uniform``
    each For-You slot's uniform rescaled to its final interval, for :func:`sample_for_you`.
    """
    n_slots, n_recent = slots.shape[1], recent.shape[1]
    stocked_niches = np.flatnonzero(stocked)
    for i in prange(viewer.size):
        v, u, low, width = viewer[i], uniform[i], 0.0, 1.0
        creator = EMPTY
        following, low, width = bernoulli(u, low, width, following_share)
        filled = min(used[v], n_slots)
        if following and filled > 0:
            slot, low, width = categorical(u, low, width, filled)
            creator = slots[v, slot]
        if vip_creator[v] != EMPTY:
            vip, low, width = bernoulli(u, low, width, vip_share)
            if vip:
                creator = vip_creator[v]
        position[i], niche[i] = EMPTY, EMPTY
        if creator != EMPTY:
            pick, low, width = categorical(u, low, width, n_recent)
            video = recent[creator, pick] if recent[creator, pick] != EMPTY else recent[creator, 0]
            j = video - first_candidate
            if video != EMPTY and 0 <= j < n_candidates:
                position[i] = j
                continue
        k, low, width = _niche(u, low, width, interest_cdf[v], exploration)
        if not stocked[k]:
            pick, low, width = categorical(u, low, width, stocked_niches.size)
            k = stocked_niches[pick]
        niche[i] = k
        uniform[i] = (u - low) / width


@njit(cache=True)
def guide_for_you(cdf, niche_start, guide):
    """Fill ``guide`` (K,): where :func:`sample_for_you` starts looking for each niche's draws.

    A niche with n candidates gets n entries: entry b is the first candidate whose ``cdf`` exceeds
    k + b / n, so a draw k + u starts at entry int(u n), at most a few steps from its video
    (the guide table of Chen and Asau, 1974, for inverse-transform sampling).
    """
    for k in range(niche_start.size - 1):
        _fill_guide(cdf, niche_start[k], niche_start[k + 1], k, 1.0, guide)


@njit(cache=True, parallel=True)
def sample_for_you(niche, uniform, cdf, niche_start, guide, order, position):
    """Second pass: each For-You slot's video, drawn from its niche's plan (``ForYouRanker.sample``).

    ``cdf`` runs over the candidates sorted by niche (``order``), rising by 1 within each niche; a
    slot of niche k takes the first candidate whose ``cdf`` exceeds k + u (what a binary search
    would find), walking from its entry in ``guide`` (see :func:`guide_for_you`). Slots whose
    niche is EMPTY are not For-You and keep their ``position``.
    """
    for i in prange(niche.size):
        k = niche[i]
        if k == EMPTY:
            continue
        start, end = niche_start[k], niche_start[k + 1]
        j = guide[start + min(int(uniform[i] * (end - start)), end - start - 1)]
        position[i] = order[min(_search_from(cdf, start, end, j, k + uniform[i]), end - 1)]


#: Columns of a row of ``video_side`` (see :func:`decide_play`) after the R response logits.
PROOF, NICHE = 6, 7


@njit(cache=True, inline="always")
def _logit(video, r, weights, viewer_side):
    """Logit of response ``r``: the video's part (its row of ``video_side``) plus the viewer's."""
    fit, mood, proof, loyalty, propensity = viewer_side
    viewer_part = (
        weights[0, r] * fit
        + weights[1, r] * mood
        + weights[2, r] * proof
        + weights[3, r] * loyalty
        + weights[4, r] * propensity
    )
    return video[r] + viewer_part


@njit(cache=True, inline="always")
def _viewer_side(v, video, loyal, interest, mood, susceptibility, propensity):
    """What the viewer brings to an impression: interest fit, mood, social proof, loyalty, propensity."""
    fit = interest[v, int(video[NICHE])] * interest.shape[1] - 1.0
    return fit, mood[v], susceptibility[v] * video[PROOF], loyal, propensity[v]


@njit(cache=True, parallel=True)
def decide_play(
    viewer, shown, loyal, video_side, interest, mood, susceptibility, propensity, weights, uniform,
    played, play_chance, later_logits,
):  # fmt: skip
    """First half of ``Viewers.react``: fills ``played``, ``play_chance`` (I,) and ``later_logits``.

    ``video_side`` (K, 8) holds, for each video on view, its part of every response's logit
    (intercept included; the R = 6 responses are play, watch, then the actions), then its social
    proof and its niche: one 64-byte row, so an impression reads its video in one cache line.
    ``weights`` (6, R) holds a row per viewer-side feature: interest, mood, social proof, loyalty,
    propensity, share watched. The impression's uniform decides play. ``later_logits`` (I, R - 1)
    receives the logits of the other responses before the share watched enters, so that
    :func:`react_after_play` reads them in order instead of the video's and viewer's rows again
    (those reads, scattered over the catalogue, are what an impression costs most).
    """
    for i in prange(viewer.size):
        video = video_side[shown[i]]
        side = _viewer_side(viewer[i], video, loyal[i], interest, mood, susceptibility, propensity)
        play_chance[i] = logistic(_logit(video, 0, weights, side))
        played[i] = uniform[i] < play_chance[i]
        for r in range(1, weights.shape[1]):
            later_logits[i, r - 1] = _logit(video, r, weights, side)


@njit(cache=True)
def count_before(flags, before):
    """Fill ``before`` (I,) with how many of ``flags`` are set before each entry; return the total."""
    total = 0
    for i in range(flags.size):
        before[i] = total
        total += flags[i]
    return total


@njit(cache=True, parallel=True)
def react_after_play(
    later_logits, watch_weights, uniform, played, play_chance, noise, played_before, watched, drawn
):  # fmt: skip
    """Second half of ``Viewers.react``: fills ``watched`` (I,) and ``drawn`` (A, I) of the played.

    ``later_logits`` (I, R - 1): see :func:`decide_play`; ``watch_weights`` (R,) the share
    watched's weight in each response. ``noise`` holds the watch noise of each played impression
    in turn (``played_before[i]`` of them come before impression ``i``); the uniform, already split
    by the play decision, decides each action in turn.

    Most impressions bring no action. The actions' "no" parts nest, so a uniform beyond
    P(any action) of its interval says no to all of them (``drawn`` stays False), and
    P(any) <= A max(P(action)) <= A e^(largest logit): one exponential then stands for A
    logistics. The bound keeps a margin far above rounding, so the outcomes are exactly those of
    the full chain.
    """
    n_actions = drawn.shape[0]
    for i in prange(played.size):
        if not played[i]:
            continue
        logits = later_logits[i]
        share = logistic(logits[0] + noise[played_before[i]])
        watched[i] = share
        u, low, width = uniform[i], 0.0, play_chance[i]
        largest = -np.inf
        for a in range(n_actions):
            largest = max(largest, logits[1 + a] + watch_weights[2 + a] * share)
        if u >= low + width * min(1.0, n_actions * np.exp(largest)) * (1.0 + 1e-9) + 1e-12:
            continue
        for a in range(n_actions):
            logit = logits[1 + a] + watch_weights[2 + a] * share
            drawn[a, i], low, width = bernoulli(u, low, width, logistic(logit))


@njit(cache=True)
def watched_valence_by_viewer(viewer, valence, watched, active, drift):
    """``Viewers.update_mood``: each active viewer's sum of valence x share watched, in order.

    ``viewer`` (I,) is in increasing order; fills ``active`` with each viewer once and ``drift``
    with their sums (the first ``n`` entries, ``n`` returned), adding in impression order as
    ``np.bincount`` would.
    """
    n = -1
    for i in range(viewer.size):
        if n < 0 or viewer[i] != active[n]:
            n += 1
            active[n], drift[n] = viewer[i], 0.0
        drift[n] += valence[i] * watched[i]  # in the inputs' precision, as numpy multiplies them
    return n + 1


@njit(cache=True)
def follow_in_turn(slots, used, followers, viewer, creator):
    """``FollowGraph.follow`` on events grouped by viewer, each viewer's in the order they happened.

    A viewer's new follows are the creators in none of their ``slots`` and not met earlier among
    their events; the first S of them take slots ``used``, ``used`` + 1, ... (mod S), each
    replacing the follow that held its slot. Updates ``slots``, ``used`` and ``followers``;
    returns the number of new follows.
    """
    n_slots = slots.shape[1]
    new = np.empty(n_slots, np.int64)
    made, start = 0, 0
    while start < viewer.size:
        v, end, kept = viewer[start], start, 0
        while end < viewer.size and viewer[end] == v:
            end += 1
        # Every check reads the viewer's slots as they were: the new follows go in afterwards.
        for e in range(start, end):
            if kept == n_slots:
                break
            c = creator[e]
            if not _holds(slots[v], n_slots, c) and not _holds(new, kept, c):
                new[kept] = c
                kept += 1
        for r in range(kept):
            slot = (used[v] + r) % n_slots
            if slots[v, slot] != EMPTY:
                followers[slots[v, slot]] -= 1
            slots[v, slot] = new[r]
            followers[new[r]] += 1
        used[v] += kept
        made += kept
        start = end
    return made


@njit(cache=True, inline="always")
def _holds(values, n, value):
    """Whether ``value`` is among the first ``n`` of ``values``."""
    for k in range(n):
        if values[k] == value:
            return True
    return False


@njit(cache=True, parallel=True)
def tally(position, played, watched, drawn, flagged, seen, acted, watch_sum):
    """``Videos.record``: add each impression to its video's rows of ``seen``, ``acted`` and ``watch_sum``.

    ``seen`` (K, 2) counts impressions and views; ``acted`` (K, A + 1) each action, then likes from
    accounts that look like bots (``flagged``). Two threads each take every impression in order,
    one counting what was seen, the other what the played impressions did, so each video's
    ``watch_sum`` adds in impression order whatever the threads. (Split by impressions, the sums
    would add in another order; split by videos, every thread reads every impression to find its
    own: slower.)
    """
    n_actions = drawn.shape[0]
    for part in prange(2):
        if part == 0:
            for i in range(position.size):
                seen[position[i], 0] += 1
                seen[position[i], 1] += played[i]
            continue
        for i in range(position.size):
            if not played[i]:
                continue
            k = position[i]
            watch_sum[k] += watched[i]
            for a in range(n_actions):
                acted[k, a] += drawn[a, i]
            acted[k, n_actions] += drawn[0, i] and flagged[i]
