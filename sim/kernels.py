"""The per-impression hot path, compiled: the feed picks each video, the viewer reacts, counters move.

Each kernel is the compiled form of a rule documented where its mechanism lives
(:meth:`sim.feeds.Feeds.fill`, :meth:`sim.viewers.Viewers.react`, :meth:`sim.videos.Videos.record`):
arrays in, arrays out, one pass over the tick's impressions, no Python object per impression.
Randomness comes from the model's generator: uniforms drawn in bulk by the caller, normals drawn
here from the generator itself.

One uniform decides a chain of events. Once it has decided one event, where it fell within the
chosen branch is again uniform and independent of the outcome, so it is rescaled and passed on
(:func:`bernoulli`, :func:`categorical`). A float64 uniform carries 53 bits and each event uses
about -log2 P(its outcome) of them, so the few events of an impression keep ample resolution,
and a kernel draws once per impression instead of once per event.

Numba's cache tracks the source file of each kernel only, so everything a kernel calls is in this
file: edit a helper elsewhere and a cached kernel would keep the old one.
"""

from __future__ import annotations

import numpy as np
from numba import njit

EMPTY = -1


@njit(cache=True, inline="always")
def logistic(x):
    """1 / (1 + e^-x)."""
    return 1.0 / (1.0 + np.exp(-x))


@njit(cache=True, inline="always")
def bernoulli(u, p):
    """Whether the uniform ``u`` says yes to an event of probability ``p``, and ``u`` rescaled."""
    if u < p:
        return True, u / p
    return False, (u - p) / (1.0 - p)


@njit(cache=True, inline="always")
def categorical(u, n):
    """One of ``n`` equally likely outcomes chosen by ``u``, and ``u`` rescaled."""
    scaled = u * n
    k = min(int(scaled), n - 1)
    return k, scaled - k


@njit(cache=True, inline="always")
def _by_interest(u, cumulative):
    """The niche whose slice of the viewer's cumulative interests holds ``u``, and ``u`` rescaled."""
    last = cumulative.size - 1
    k = 0
    while k < last and u >= cumulative[k]:
        k += 1
    low = cumulative[k - 1] if k > 0 else 0.0
    width = cumulative[k] - low
    return k, (u - low) / width if width > 0 else 0.5


@njit(cache=True, inline="always")
def _niche(u, cumulative, exploration):
    exploring, u = bernoulli(u, exploration)
    if exploring:
        return categorical(u, cumulative.size)
    return _by_interest(u, cumulative)


@njit(cache=True)
def pick_niches(viewer, uniform, interest_cdf, exploration, niche):
    """Fill ``niche`` (I,) with the niche each viewer browses (see ``Viewers.pick_niches``)."""
    for i in range(viewer.size):
        niche[i], _ = _niche(uniform[i], interest_cdf[viewer[i]], exploration)


@njit(cache=True)
def choose_feed_slots(
    viewer, uniform, following_share, slots, used, vip_creator, vip_share, recent, posted_hour,
    oldest_hour, candidates, interest_cdf, exploration, stocked, position, niche,
):  # fmt: skip
    """First pass of ``Feeds.fill``: every slot gets a followed video, or a For-You niche.

    Fills ``position`` (index into ``candidates``, or EMPTY for For-You slots) and ``niche`` (the
    For-You niche, EMPTY otherwise); leaves in ``uniform`` what is left of each slot's uniform.
    """
    n_slots, n_recent = slots.shape[1], recent.shape[1]
    stocked_niches = np.flatnonzero(stocked)
    for i in range(viewer.size):
        v, u = viewer[i], uniform[i]
        creator = EMPTY
        following, u = bernoulli(u, following_share)
        filled = min(used[v], n_slots)
        if following and filled > 0:
            slot, u = categorical(u, filled)
            creator = slots[v, slot]
        if vip_creator[v] != EMPTY:
            vip, u = bernoulli(u, vip_share)
            if vip:
                creator = vip_creator[v]
        position[i], niche[i] = EMPTY, EMPTY
        if creator != EMPTY:
            pick, u = categorical(u, n_recent)
            video = recent[creator, pick] if recent[creator, pick] != EMPTY else recent[creator, 0]
            if video != EMPTY and posted_hour[video] >= oldest_hour:
                position[i] = np.searchsorted(candidates, video)
                continue
        k, u = _niche(u, interest_cdf[v], exploration)
        if not stocked[k]:
            pick, u = categorical(u, stocked_niches.size)
            k = stocked_niches[pick]
        niche[i] = k
        uniform[i] = u


@njit(cache=True)
def sample_for_you(niche, uniform, cdf, niche_start, order, position):
    """Second pass: each For-You slot's video, drawn from its niche's plan (``ForYouRanker.sample``).

    ``cdf`` runs over the candidates sorted by niche (``order``), rising by 1 within each niche.
    """
    for i in range(niche.size):
        k = niche[i]
        start, end = niche_start[k], niche_start[k + 1]
        picked = start + np.searchsorted(cdf[start:end], k + uniform[i], side="right")
        position[i] = order[min(picked, end - 1)]


@njit(cache=True, inline="always")
def _logit(video_logit, r, weights, viewer_side):
    w_interest, w_mood, w_proof, w_loyalty, _ = weights
    fit, mood, proof, loyalty = viewer_side
    viewer_part = w_interest[r] * fit + w_mood[r] * mood + w_proof[r] * proof + w_loyalty[r] * loyalty
    return video_logit[r] + viewer_part


@njit(cache=True)
def react(
    viewer, shown, loyal, niche, video_logit, log_likes, interest, mood, susceptibility,
    weights, watch_noise, uniform, rng, played, watched, drawn,
):  # fmt: skip
    """``Viewers.react``: fills ``played``, ``watched`` and ``drawn`` (A, I).

    ``video_logit`` (K, R) holds each shown video's part of every response's logit, intercept
    included; the responses are play, watch, then the actions. ``weights`` holds one R-tuple per
    viewer-side feature: interest, mood, social proof, loyalty, watch. The impression's uniform
    decides play and then each action in turn; the watch noise is a normal draw.
    """
    w_watch = weights[-1]
    n_niches = interest.shape[1]
    for i in range(viewer.size):
        v, k = viewer[i], shown[i]
        fit = interest[v, niche[k]] * n_niches - 1.0
        viewer_side = (fit, mood[v], susceptibility[v] * log_likes[k], loyal[i])
        hit, u = bernoulli(uniform[i], logistic(_logit(video_logit[k], 0, weights, viewer_side)))
        if not hit:
            continue
        played[i] = True
        noise = watch_noise * rng.standard_normal()
        share = logistic(_logit(video_logit[k], 1, weights, viewer_side) + noise)
        watched[i] = share
        for a in range(drawn.shape[0]):
            logit = _logit(video_logit[k], 2 + a, weights, viewer_side) + w_watch[2 + a] * share
            drawn[a, i], u = bernoulli(u, logistic(logit))


@njit(cache=True)
def tally(position, played, watched, drawn, flagged, counts, watch_sum):
    """``Videos.record``: add each impression to its video's row of ``counts`` and ``watch_sum``.

    ``counts`` (K, 2 + A + 1) holds impressions, views, each action, and likes from accounts
    that look like bots (``flagged``).
    """
    n_actions = drawn.shape[0]
    for i in range(position.size):
        k = position[i]
        counts[k, 0] += 1
        if not played[i]:
            continue
        counts[k, 1] += 1
        watch_sum[k] += watched[i]
        for a in range(n_actions):
            counts[k, 2 + a] += drawn[a, i]
        counts[k, 2 + n_actions] += drawn[0, i] and flagged[i]
