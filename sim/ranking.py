"""The For-You ranking model: scores from smoothed observed rates, staged traffic pools, sampled feeds.

Score of a candidate video (TikTok "Algo 101", docs/validation.md section 7)::

    score = V_like P(like) + V_comment P(comment) + V_share P(share) + V_playtime E(playtime)
            + V_play P(play) + V_follow P(follow)

one term per action of :data:`sim.actions.ACTIONS` plus the share watched, each rate estimated
from the video's counters smoothed towards the platform average by ``prior_views`` pseudo-views.
Rankers differ in what a rate is per: :class:`ForYouRanker` (TikTok) estimates the play rate per
impression and the others per view; :class:`PerImpressionRanker` estimates every rate per
impression ("likes per reach", Instagram; the heavy ranker's predictions, X). Each is registered
in :data:`RANKERS` under the name a platform profile's ``ranker`` gives. The viewer's side of the
match enters through the niche: a For-You
slot first picks a niche from the viewer's interests (or at random, with ``exploration_share``),
then a video of that niche with probability proportional to

    (score / platform-average score) ** sharpness  x  0.5 ** (age / recency_half_life)

so the ranking is sampled, never a viewers x videos matrix. Staged pools cap how many impressions
a video can take in its stage; at the end of a stage it is promoted if its engagement per view
clears the stage threshold, otherwise it stalls (no more For-You traffic; followers still see it).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numba import njit

from sim import kernels
from sim.actions import ACTIONS, COUNTERS
from sim.scenario import Ranking
from sim.videos import Videos

UNCAPPED = np.iinfo(np.int64).max


class ForYouRanker:
    """Builds For-You feeds from the candidate videos, one tick at a time.

    Attributes:
        quota: (S,) impressions each pool stage grants; a video past the last stage is uncapped
            (no stages at all when the platform has no pools).
    """

    #: Score terms whose rate is per impression; every other term is per view.
    per_impression: ClassVar[frozenset[str]] = frozenset({"play"})

    def __init__(self, spec: Ranking, n_viewers: int):
        self.spec = spec
        pools = spec.pools
        self.quota = np.ceil(np.asarray(pools.reach if pools else []) * n_viewers).astype(np.int64)
        self.thresholds = np.asarray(pools.thresholds if pools else [])
        self._cdf = np.zeros(0)
        self._niche_start = np.zeros(0, np.int64)
        self._order = np.zeros(0, np.int64)
        self._guide = np.zeros(0, np.int64)

    def scores(self, videos: Videos) -> np.ndarray:
        """Score of each candidate relative to a video with the candidates' average rates, shape (K,)."""
        rows = videos.candidate_rows
        observed = {action: videos.columns[COUNTERS[action]][rows] for action in ACTIONS}
        observed["like"] = videos.displayed_likes(rows)
        observed["playtime"] = videos.columns["watch_sum"][rows]
        exposure = {"impression": videos.columns["impressions"][rows], "view": observed["play"]}
        weights = self.spec.weights.model_dump()
        k = self.spec.prior_views
        prior, estimate = {}, {}
        for term in weights:
            per = exposure["impression" if term in self.per_impression else "view"]
            # The prior is the current candidates' average, so old videos cost nothing per tick.
            prior[term] = observed[term].sum() / max(per.sum(), 1)
            estimate[term] = (observed[term] + k * prior[term]) / (per + k)
        score = sum(weights[term] * estimate[term] for term in weights)
        baseline = sum(weights[term] * prior[term] for term in weights)
        return score / baseline if baseline > 0 else np.ones(videos.candidate_count)

    def plan(
        self, videos: Videos, slots_per_niche: np.ndarray, now_hour: float, creator_penalty: np.ndarray
    ) -> None:
        """Share out this tick's For-You slots of each niche among that niche's candidates.

        Each niche's slots go to its candidates in proportion to their ranking weight, except that
        no video gets more than what is left of its pool stage; what a capped video cannot take
        flows to the others (water-filling). Stalled videos get nothing unless nothing else is left.

        Args:
            slots_per_niche: (N,) For-You impressions of each niche this tick.
            now_hour: the current simulated hour (for recency).
            creator_penalty: (C,) multiplier of each creator's weight (1 unless demoted).
        """
        rows = videos.candidate_rows
        age = now_hour - videos["posted_hour"][rows]
        weight = self.scores(videos) ** self.spec.sharpness
        weight *= 0.5 ** (age / self.spec.recency_half_life_hours)
        weight *= creator_penalty[videos["creator"][rows]]
        stalled = videos["stalled"][rows]
        room = self._stage_limit(videos["stage"][rows]) - videos["stage_impressions"][rows]
        room = np.maximum(room, 0).astype(float)

        niche = videos["niche"][rows]
        order = np.argsort(niche, kind="stable")
        starts = np.searchsorted(niche[order], np.arange(slots_per_niche.size + 1))
        share = _share_out(slots_per_niche.astype(float), order, starts, weight, room, stalled)
        self._order, self._niche_start = order, starts
        # Niche k's plan runs from k to k + 1 (what sample searches), even when an earlier niche has
        # no slots this tick and so adds nothing to the running sum.
        cumulative = np.cumsum(share[order])
        before = np.r_[0.0, cumulative][starts[:-1]]
        self._cdf = cumulative + np.repeat(np.arange(before.size) - before, np.diff(starts))
        self._guide = np.empty(self._cdf.size, np.int64)
        kernels.guide_for_you(self._cdf, starts, self._guide)

    def sample(
        self, niche: np.ndarray, uniform: np.ndarray, position: np.ndarray | None = None
    ) -> np.ndarray:
        """Draw the video of each For-You slot from its niche's plan.

        Args:
            niche: (I,) niche of each slot (every niche must have candidates), or ``EMPTY`` for
                a slot that is not For-You.
            uniform: (I,) a uniform in [0, 1) per slot, from the model's generator.
            position: (I,) where to write the draws (entries of slots that are not For-You are
                left as they are); a new array if None.

        Returns:
            ``position``: (I,) position among the candidates.
        """
        position = np.empty(niche.size, np.int64) if position is None else position
        kernels.sample_for_you(
            niche, uniform, self._cdf, self._niche_start, self._guide, self._order, position
        )
        return position

    def _stage_limit(self, stage: np.ndarray) -> np.ndarray:
        """Impressions the current pool stage of each video grants (uncapped past the last stage)."""
        if self.quota.size == 0:
            return np.full(stage.size, UNCAPPED)
        return np.where(stage < self.quota.size, self.quota[np.minimum(stage, self.quota.size - 1)], UNCAPPED)

    def promote(self, videos: Videos) -> None:
        """End the stages whose quota is used up: promote if the pool's metric clears the bar, else stall."""
        if self.quota.size == 0:
            return
        rows = videos.candidate_rows
        stage = videos.columns["stage"][rows]
        open_stage = (stage < self.quota.size) & ~videos.columns["stalled"][rows]
        ended = open_stage & (videos.columns["stage_impressions"][rows] >= self._stage_limit(stage))
        done = videos.first_candidate + np.flatnonzero(ended)
        if done.size == 0:
            return
        if self.spec.pools.metric == "play_rate":
            reached = videos.columns["views"][done] / np.maximum(videos.columns["impressions"][done], 1)
        else:
            reached = (
                videos.displayed_likes(done)
                + videos.columns["comments"][done]
                + videos.columns["shares"][done]
            ) / np.maximum(videos.columns["views"][done], 1)
        passed = reached >= self.thresholds[videos.columns["stage"][done]]
        videos.columns["stage"][done[passed]] += 1
        videos.columns["stage_impressions"][done[passed]] = 0
        videos.columns["stalled"][done[~passed]] = True


class PerImpressionRanker(ForYouRanker):
    """Every rate per impression: "per reach" (Instagram), the heavy ranker's predictions (X)."""

    per_impression = frozenset({*ACTIONS, "playtime"})


#: Ranking classes by the name a platform profile's ``ranker`` gives.
RANKERS: dict[str, type[ForYouRanker]] = {"per_view": ForYouRanker, "per_impression": PerImpressionRanker}


@njit(cache=True)
def _share_out(slots_per_niche, order, starts, weight, room, stalled):
    """Each candidate's share of its niche's For-You slots, by :func:`_water_fill` niche by niche."""
    share = np.zeros(weight.size)
    for k in range(slots_per_niche.size):
        members = order[starts[k] : starts[k + 1]]
        if slots_per_niche[k] > 0 and members.size:
            share[members] = _water_fill(slots_per_niche[k], weight[members], room[members], stalled[members])
    return share


@njit(cache=True)
def _water_fill(slots, weight, room, stalled):
    """Expected impressions per video, as shares of ``slots`` summing to 1.

    Proportional to ``weight`` among videos that are not stalled, each capped at ``room``; slots
    left when every such video is full go to all of them by weight (pools overflow), or to every
    video equally when all are stalled.
    """
    live = ~stalled & (weight > 0)
    if not live.any():
        return np.full(weight.size, 1.0 / weight.size)
    given = np.zeros(weight.size)
    free = live & (room > 0)
    left = slots
    while left > 1e-9 and free.any():
        offer = left * weight * free / weight[free].sum()
        full = free & (offer >= room - given)
        if not full.any():
            given += offer
            left = 0.0
            break
        left -= (room - given)[full].sum()
        given[full] = room[full]
        free &= ~full
    if left > 1e-9:
        given += left * weight * live / weight[live].sum()
    return given / given.sum()
