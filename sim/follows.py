"""The follow graph: which creators each viewer follows, and every creator's follower count.

Each viewer has ``follow_slots`` slots; a new follow takes the next slot in turn, so once all are
used it replaces the oldest follow (that creator loses a follower). This bounds memory at
V x slots int32 whatever the run length, and gives follower churn for free.
"""

from __future__ import annotations

import numpy as np

from sim import kernels
from sim.kernels import EMPTY


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
        order = np.argsort(viewer, kind="stable")  # each viewer's events together, still in order
        return kernels.follow_in_turn(self.slots, self.used, self.followers, viewer[order], creator[order])

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
