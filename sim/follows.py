"""The follow graph: which creators each viewer follows, and every creator's follower count.

Each viewer has ``follow_slots`` slots; a new follow takes the next slot in turn, so once all are
used it replaces the oldest follow (that creator loses a follower). This bounds memory at
V x slots int32 whatever the run length, and gives follower churn for free.
"""

from __future__ import annotations

import numpy as np

from sim import kernels
from sim.kernels import EMPTY
from sim.tables import grouped


class FollowGraph:
    """Viewer -> followed creators, and follower counts.

    Attributes:
        slots: (V, S) int32 creator index per slot, ``EMPTY`` where unused.
        used: (V,) int64 follows ever made by the viewer (next slot = used % S).
        quiet: (C,) int64 followers who no longer watch (see :meth:`add_quiet`).
        followers: (C,) int64 current follower count of each creator: one per slot holding it,
            plus its quiet followers.
    """

    def __init__(self, n_viewers: int, n_creators: int, n_slots: int):
        self.slots = np.full((n_viewers, n_slots), EMPTY, np.int32)
        self.used = np.zeros(n_viewers, np.int64)
        self.quiet = np.zeros(n_creators, np.int64)
        self.followers = np.zeros(n_creators, np.int64)

    def follow(self, viewer: np.ndarray, creator: np.ndarray) -> int:
        """Viewers start following creators; pairs already following are ignored.

        A viewer who follows several creators at once fills consecutive slots in the given order
        (at most ``S`` per call).

        Args:
            viewer, creator: (E,) the follow events, in the order they happened.

        Returns:
            Number of new follows.
        """
        pair = viewer.astype(np.int64) * self.followers.size + creator
        _, first = np.unique(pair, return_index=True)
        keep = np.sort(first)
        viewer, creator = viewer[keep], creator[keep]
        new = np.empty(viewer.size, bool)
        kernels.not_yet_following(self.slots, viewer, creator, new)
        viewer, creator = viewer[new], creator[new]
        if viewer.size == 0:
            return 0
        order, _, rank = grouped(viewer)
        viewer, creator = viewer[order], creator[order]
        n_slots = self.slots.shape[1]
        keep = rank < n_slots  # more new follows in one tick than slots: the first ones count
        viewer, creator, rank = viewer[keep], creator[keep], rank[keep]
        slot = (self.used[viewer] + rank) % n_slots
        dropped = self.slots[viewer, slot]
        np.subtract.at(self.followers, dropped[dropped != EMPTY], 1)
        self.slots[viewer, slot] = creator
        np.add.at(self.followers, creator, 1)
        np.add.at(self.used, viewer, 1)
        return int(viewer.size)

    def add_quiet(self, counts: np.ndarray) -> None:
        """Followers who no longer watch: they count towards each creator's followers, see nothing.

        They hold no slot, so no viewer's feed brings them the creator's videos, and they never
        unfollow (a quiet account does not tidy up its follows).
        """
        self.quiet += counts
        self.followers += counts

    def followed(self, viewer: np.ndarray, rng) -> np.ndarray:
        """A creator each viewer follows, drawn uniformly among their follows (``EMPTY`` if none).

        Returns:
            (I,) int32 creator index per viewer.
        """
        filled = np.minimum(self.used[viewer], self.slots.shape[1])
        slot = (rng.random(viewer.size) * filled).astype(np.int64)
        creator = self.slots[viewer, np.minimum(slot, self.slots.shape[1] - 1)]
        return np.where(filled > 0, creator, EMPTY)
