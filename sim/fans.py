"""Fan engagement: how attached each viewer is to each monetising creator, as a sparse table.

Gifting and VIP subscriptions depend on a viewer's engagement with one creator. A viewers x
creators matrix would not fit at scale, so only pairs that interacted are stored, keyed by
``creator * V + viewer`` and kept sorted, so one creator's fans are a contiguous slice. Scores
decay with a half-life (``viewers.fan_memory_days``); events are buffered and merged on read.
"""

from __future__ import annotations

import numpy as np

#: Engagement points per event.
EVENT_WEIGHTS = {"like": 1.0, "comment": 3.0, "share": 3.0, "live_tick": 0.5, "gift": 5.0}
#: Scores below this are forgotten (keeps the table small).
FORGET_BELOW = 0.05


class FanScores:
    """Engagement scores of (viewer, creator) pairs for the creators that monetise.

    Attributes:
        keys: sorted int64 ``creator * n_viewers + viewer`` of the pairs with a score.
        scores: float64 score of each key.
    """

    def __init__(self, n_viewers: int, monetising: np.ndarray, half_life_days: float):
        self.n_viewers = n_viewers
        self.tracked = monetising.copy()
        self.keys = np.zeros(0, np.int64)
        self.scores = np.zeros(0)
        self._daily_decay = 0.5 ** (1 / half_life_days)
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, viewer: np.ndarray, creator: np.ndarray, event: str, weight=1.0) -> None:
        """Credit each (viewer, creator) pair with an event (pairs of untracked creators are skipped)."""
        keep = self.tracked[creator]
        if keep.any():
            points = np.broadcast_to(np.asarray(weight, float) * EVENT_WEIGHTS[event], viewer.shape)[keep]
            self._pending.append((creator[keep].astype(np.int64) * self.n_viewers + viewer[keep], points))

    def _merge(self) -> None:
        if not self._pending:
            return
        keys = np.concatenate([self.keys, *(k for k, _ in self._pending)])
        points = np.concatenate([self.scores, *(w for _, w in self._pending)])
        self.keys, position = np.unique(keys, return_inverse=True)
        self.scores = np.bincount(position, points, self.keys.size)
        self._pending.clear()

    def of(self, viewer: np.ndarray, creator: np.ndarray) -> np.ndarray:
        """Current score of each (viewer, creator) pair (0 if none)."""
        self._merge()
        keys = creator.astype(np.int64) * self.n_viewers + viewer
        if self.keys.size == 0:
            return np.zeros(keys.size)
        at = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        return np.where(self.keys[at] == keys, self.scores[at], 0.0)

    def fans_of(self, creator: int) -> tuple[np.ndarray, np.ndarray]:
        """The viewers with a score for ``creator`` and their scores."""
        self._merge()
        start, end = np.searchsorted(self.keys, [creator * self.n_viewers, (creator + 1) * self.n_viewers])
        return self.keys[start:end] - creator * self.n_viewers, self.scores[start:end]

    def end_day(self) -> None:
        """Let one day of memory fade; forget pairs whose score has faded away."""
        self._merge()
        self.scores *= self._daily_decay
        kept = self.scores >= FORGET_BELOW
        self.keys, self.scores = self.keys[kept], self.scores[kept]
