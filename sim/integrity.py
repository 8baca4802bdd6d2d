"""Platform integrity: the daily sweep that removes likes that look fake, strikes and penalties.

The detector sees what the platform can observe, never the ground truth: whether the account
behind a like looks like a bot (empty profile, no watch time) and whether the video's like/view
ratio runs far above the platform average (a burst). Human accounts can look like bots too, so
organic likes are removed as well (false positives) and both kinds count towards strikes.
"""

from __future__ import annotations

import numpy as np

from sim.farms import LikeMarket
from sim.scenario import Integrity
from sim.videos import Videos


class PlatformIntegrity:
    """Detection state and penalties per creator.

    Attributes:
        strikes: (C,) strikes since the creator's last purge.
        strikes_total, purges: (C,) strikes and purges over the whole run.
        demoted_until: (C,) simulated hour until which the creator's videos are demoted.
        removed: dict of likes removed so far: ``organic`` (false positives) and ``bought``.
    """

    def __init__(self, n_creators: int):
        self.strikes = np.zeros(n_creators, np.int64)
        self.strikes_total = np.zeros(n_creators, np.int64)
        self.purges = np.zeros(n_creators, np.int64)
        self.demoted_until = np.zeros(n_creators)
        self.removed = {"organic": 0, "bought": 0}

    def configure(self, spec: Integrity, prior_views: float) -> None:
        """Take the detector's current settings and the ranking's smoothing (for burst rates)."""
        self.spec, self.prior_views = spec, prior_views

    def ranking_penalty(self, hour: float) -> np.ndarray:
        """(C,) multiplier of each creator's For-You weight: ``demotion_factor`` while demoted."""
        return np.where(self.demoted_until > hour, self.spec.demotion_factor, 1.0)

    def removal_chance(self, videos: Videos, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Chance that the day's sweep removes one like on each video, for (flagged, unflagged) likers.

        The daily hazard of a like is ``strength`` x (flagged or unflagged base rate) x
        (1 + ``burst_weight`` x doublings of the video's smoothed like/view above the average).
        """
        spec = self.spec
        displayed = videos.displayed_likes(ids)
        views = videos.columns["views"][ids]
        average = max(displayed.sum(), 1) / max(views.sum(), 1)
        smoothed = (displayed + self.prior_views * average) / (views + self.prior_views)
        burst = 1 + spec.burst_weight * np.maximum(np.log2(smoothed / average), 0)
        hazards = (spec.flagged_hazard_per_day, spec.unflagged_hazard_per_day)
        flagged, unflagged = (1 - np.exp(-spec.strength * base * burst) for base in hazards)
        return flagged, unflagged

    def sweep(self, videos: Videos, market: LikeMarket, hour: float, rng) -> None:
        """The end-of-day sweep over every video: remove likes, hand out strikes and penalties.

        A creator earns a strike when the day's removals are at least ``strike_removed_share`` of
        the likes their videos displayed before the sweep (a share, so that what counts as
        suspicious does not depend on how big the platform or the creator is) and at least
        ``strike_min_removed`` (so that one removal on a tiny account is not a strike).
        """
        ids = np.arange(videos.size)
        flagged_chance, unflagged_chance = self.removal_chance(videos, ids)
        columns = videos.columns
        n_creators = self.strikes.size
        displayed = np.bincount(columns["creator"][ids], videos.displayed_likes(ids), n_creators)
        flagged_alive = columns["flagged_organic"][ids]
        unflagged_alive = columns["likes"][ids] - columns["organic_removed"][ids] - flagged_alive
        flagged_lost = rng.binomial(flagged_alive, flagged_chance)
        organic_lost = flagged_lost + rng.binomial(unflagged_alive, unflagged_chance)
        columns["flagged_organic"][ids] -= flagged_lost
        columns["organic_removed"][ids] += organic_lost

        rows = np.flatnonzero(market.cohorts["alive"] > 0)
        cohort_video = market.cohorts["video"][rows]
        chance = np.where(
            market.cohorts["flagged"][rows], flagged_chance[cohort_video], unflagged_chance[cohort_video]
        )
        bought_lost = rng.binomial(market.cohorts["alive"][rows], chance)
        market.lose(rows, bought_lost, videos, "bought_removed")
        self.removed["organic"] += int(organic_lost.sum())
        self.removed["bought"] += int(bought_lost.sum())

        removed_today = np.bincount(columns["creator"][ids], organic_lost, n_creators) + np.bincount(
            market.cohorts["creator"][rows], bought_lost, n_creators
        )
        struck = (removed_today >= self.spec.strike_min_removed) & (
            removed_today >= self.spec.strike_removed_share * displayed
        )
        self._penalise(np.flatnonzero(struck), videos, market, hour)

    def _penalise(self, struck: np.ndarray, videos: Videos, market: LikeMarket, hour: float) -> None:
        """A strike demotes the creator for a while; ``purge_strikes`` strikes trigger a purge.

        A purge is the manual review a strike count triggers: it finds and removes every bought
        like still on the creator's videos (the decision rests on strikes, not on ground truth).
        """
        self.strikes[struck] += 1
        self.strikes_total[struck] += 1
        self.demoted_until[struck] = hour + 24 * self.spec.demotion_days
        if self.spec.purge_strikes == 0:
            return
        purged = struck[self.strikes[struck] >= self.spec.purge_strikes]
        if purged.size == 0:
            return
        self.strikes[purged] = 0
        self.purges[purged] += 1
        rows = np.flatnonzero(np.isin(market.cohorts["creator"], purged) & (market.cohorts["alive"] > 0))
        self.removed["bought"] += int(market.cohorts["alive"][rows].sum())
        market.lose(rows, market.cohorts["alive"][rows].copy(), videos, "bought_removed")


def summary(detectors: list[PlatformIntegrity], bought_delivered: int) -> dict:
    """How the platforms' detectors did against the ground truth, all together (for analysis only)."""
    bought = sum(d.removed["bought"] for d in detectors)
    organic = sum(d.removed["organic"] for d in detectors)
    removed = bought + organic
    return {
        "bought_likes_removed": bought,
        "organic_likes_removed": organic,
        "detection_precision": bought / removed if removed else None,
        "detection_recall": bought / bought_delivered if bought_delivered else None,
        "creators_struck": int((sum(d.strikes_total for d in detectors) > 0).sum()),
        "purges": int(sum(d.purges.sum() for d in detectors)),
    }
