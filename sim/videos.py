"""Videos: a growing columnar table of every posted video, its features and its counters.

Rows never move, so a video's id is its row. Only videos younger than ``max_age_days`` are
*candidates* for feeds; older ones keep their final counters (about 100 bytes each) for the
end-of-run statistics, so per-tick work stays bounded however long a run lasts. Videos are posted
in time order, so the candidates are always the latest rows: a slice of every column, read and
updated in place with no gather of the candidates' ids.
"""

from __future__ import annotations

import numpy as np

from sim import kernels
from sim.actions import ACTIONS, AFTER_PLAY, COUNTERS
from sim.scenario import Content
from sim.tables import Table, grouped

#: Columns and dtypes; features are fixed at posting, counters only grow.
FEATURE_COLUMNS = {
    "creator": np.int32,
    "niche": np.int16,
    "posted_hour": np.float64,
    "quality": np.float32,
    "hook": np.float32,
    "arousal": np.float32,
    "valence": np.float32,
}
COUNTER_COLUMNS = ("impressions", *(COUNTERS[action] for action in ACTIONS))
#: Likes beyond the organic ones: bought (delivered), removed by the platform, dropped by the farm,
#: and the likes still shown that come from accounts that look like bots (human or not).
LIKE_LEDGER_COLUMNS = (
    "bought_likes",
    "organic_removed",
    "bought_removed",
    "bought_dropped",
    "flagged_organic",
    "flagged_bought",
)
STATE_COLUMNS = {"stage": np.int16, "stage_impressions": np.int64, "stalled": np.bool_}
#: How many of a creator's latest videos the following feed chooses from.
RECENT_PER_CREATOR = 4


def draw_content(skill: np.ndarray, spec: Content, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """What each new video is like, given its creator's skill: (P,) arrays of its four features.

    A video's quality is the creator's skill plus noise; its hook is partly skill
    (``hook_skill_weight``), partly luck; arousal and valence are drawn around the scenario's means.
    """
    n, weight = skill.size, spec.hook_skill_weight
    return {
        "quality": skill + spec.quality_noise * rng.standard_normal(n),
        "hook": weight * skill + np.sqrt(1 - weight**2) * rng.standard_normal(n),
        "arousal": spec.arousal_mean + rng.standard_normal(n),
        "valence": spec.valence_mean + rng.standard_normal(n),
    }


class Videos(Table):
    """The video table.

    ``likes`` counts the likes human viewers gave; what viewers and the ranking see is
    :meth:`displayed_likes`, which adds bought likes and subtracts removed ones.

    Attributes:
        size: number of videos posted so far (rows in use).
        first_candidate: id of the oldest video still in the feeds' candidate set; the candidates
            are the ids from it on (see :attr:`candidate_rows`), and a candidate's *position*
            among them is its id minus ``first_candidate``.
        recent: (C, RECENT_PER_CREATOR) int64 latest video ids of each creator (-1 if fewer).
        columns: name -> (capacity,) array; the first ``size`` rows are in use. ``watch_sum`` is
            the total share watched over all views (float64).
    """

    def __init__(self, n_creators: int, capacity: int = 1024):
        counters = dict.fromkeys(COUNTER_COLUMNS + LIKE_LEDGER_COLUMNS, np.int64)
        super().__init__({**FEATURE_COLUMNS, **STATE_COLUMNS, **counters, "watch_sum": np.float64}, capacity)
        self.first_candidate = 0
        self.recent = np.full((n_creators, RECENT_PER_CREATOR), -1, np.int64)

    def post(self, **features: np.ndarray) -> np.ndarray:
        """Append new videos (one entry per video in each feature array) and make them candidates.

        Returns:
            (P,) ids of the new videos.

        Raises:
            ValueError: a video is posted before one already in the table (the candidates would
                no longer be the latest rows).
        """
        hours = np.asarray(features["posted_hour"])
        latest = self.columns["posted_hour"][self.size - 1] if self.size else -np.inf
        if hours.size and (hours[0] < latest or np.any(np.diff(hours) < 0)):
            raise ValueError("videos are posted in time order")
        ids = self.append(**features)
        self._remember(ids, np.asarray(features["creator"]))
        return ids

    def _remember(self, ids: np.ndarray, creator: np.ndarray) -> None:
        """Put new videos at the front of their creators' ``recent`` rows, the latest first."""
        if ids.size == 0:
            return
        order, posted, rank = grouped(creator)  # posted: new videos per creator
        creator, ids = creator[order], ids[order]
        owner = creator[rank == 0]
        newness = np.repeat(posted, posted) - 1 - rank  # 0 for a creator's latest new video, ...
        n = RECENT_PER_CREATOR
        shifted = np.arange(n) - posted[:, None]  # where each kept old entry comes from
        rows = np.where(
            shifted >= 0,
            np.take_along_axis(self.recent[owner], np.maximum(shifted, 0), axis=1),
            kernels.EMPTY,
        )
        fits = newness < n
        rows[np.repeat(np.arange(owner.size), posted)[fits], newness[fits]] = ids[fits]
        self.recent[owner] = rows

    @property
    def candidate_rows(self) -> slice:
        """The candidates as a slice of the rows: ``columns[name][candidate_rows]`` is a view."""
        return slice(self.first_candidate, self.size)

    @property
    def candidate_count(self) -> int:
        """K, the number of candidates."""
        return self.size - self.first_candidate

    @property
    def candidates(self) -> np.ndarray:
        """(K,) int64 ids of the videos in the feeds' candidate set, oldest first."""
        return np.arange(self.first_candidate, self.size)

    def retire(self, now_hour: float, max_age_hours: float) -> None:
        """Drop videos older than ``max_age_hours`` from the candidate set (the oldest rows)."""
        age = now_hour - self.columns["posted_hour"][self.candidate_rows]
        self.first_candidate += int(np.count_nonzero(age > max_age_hours))

    def displayed_likes(self, ids: np.ndarray | slice) -> np.ndarray:
        """The like count everyone sees: organic + bought delivered - removed - dropped."""
        c = self.columns
        return (
            c["likes"][ids]
            - c["organic_removed"][ids]
            + c["bought_likes"][ids]
            - (c["bought_removed"][ids] + c["bought_dropped"][ids])
        )

    def flagged_likes(self, ids: np.ndarray | slice) -> np.ndarray:
        """Displayed likes from accounts that look like bots (what a profile check sees)."""
        return self.columns["flagged_organic"][ids] + self.columns["flagged_bought"][ids]

    def record(self, position: np.ndarray, reactions, flagged_liker: np.ndarray) -> None:
        """Add one tick of impressions and their reactions to the counters.

        Args:
            position: (I,) position among the candidates of the video of each impression.
            reactions: the tick's :class:`~sim.viewers.Reactions`.
            flagged_liker: (I,) bool, the impression's viewer looks like a bot to detectors.
        """
        rows = self.candidate_rows
        counted = (*COUNTER_COLUMNS, "flagged_organic")
        seen = np.zeros((self.candidate_count, 2), np.int64)
        acted = np.zeros((self.candidate_count, len(AFTER_PLAY) + 1), np.int64)
        watch_sum = np.zeros(self.candidate_count)
        drawn = np.stack([reactions.did[action] for action in AFTER_PLAY])
        kernels.tally(
            position, reactions.did["play"], reactions.watched, drawn, flagged_liker, seen, acted, watch_sum
        )
        for name, added in zip(counted, (*seen.T, *acted.T), strict=True):
            self.columns[name][rows] += added
        self.columns["stage_impressions"][rows] += seen[:, 0]
        self.columns["watch_sum"][rows] += watch_sum
