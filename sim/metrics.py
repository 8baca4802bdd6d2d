"""Measurements: inequality measures, the daily time series, per-video and per-creator tables.

Engagement rate is reported under two named definitions (MODEL.md section 2):
``engagement_per_view`` = (likes + comments + shares) / views, and ``engagement_per_follower`` =
mean over the creator's videos of (likes + comments + shares) / followers (the HypeAuditor form).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from sim.model import LikeEconomy
    from sim.viewers import Reactions

#: Videos need at least this many views to enter like/view statistics (VALIDATION.md section 2).
MIN_VIEWS_FOR_RATES = 1000


def gini(values) -> float:
    """Gini coefficient of non-negative values (0: all equal, towards 1: one holds everything)."""
    x = np.sort(np.asarray(values, dtype=float))
    if x.size == 0 or x.sum() == 0:
        return 0.0
    ranks = np.arange(1, x.size + 1)
    return float((2 * ranks - x.size - 1) @ x / (x.size * x.sum()))


def lorenz(values) -> tuple[np.ndarray, np.ndarray]:
    """Lorenz curve: (share of items, share of total held by the poorest that share), from (0, 0)."""
    x = np.sort(np.asarray(values, dtype=float))
    total = x.sum() or 1.0
    return np.linspace(0, 1, x.size + 1), np.r_[0.0, np.cumsum(x) / total]


def top_share(values, fraction: float) -> float:
    """Share of the total held by the top ``fraction`` of items (at least one item)."""
    x = np.sort(np.asarray(values, dtype=float))[::-1]
    if x.size == 0 or x.sum() == 0:
        return 0.0
    return float(x[: max(1, int(round(fraction * x.size)))].sum() / x.sum())


class DailyLog:
    """Counts each tick and writes one row per simulated day.

    Attributes:
        rows: one dict per closed day (see :meth:`close_day` for the columns).
        followers: one (C,) follower-count array per day, day 0 being the start.
    """

    COUNTED = ("impressions", "views", "likes", "comments", "shares")

    def __init__(self, model: LikeEconomy):
        self.model = model
        self.rows: list[dict] = []
        self.followers = [model.follows.followers.copy()]
        self._reset()

    def _reset(self) -> None:
        self.today = dict.fromkeys(self.COUNTED, 0)
        self.new_follows = 0
        self.videos_posted = 0

    def record_tick(self, reactions: Reactions) -> None:
        """Add one tick's reactions to today's totals."""
        today = self.today
        today["impressions"] += reactions.played.size
        for name, hits in zip(
            self.COUNTED[1:],
            (reactions.played, reactions.liked, reactions.commented, reactions.shared),
            strict=True,
        ):
            today[name] += int(np.count_nonzero(hits))

    def close_day(self) -> None:
        """Write today's row: totals of the day, then the state of the platform at midnight."""
        model = self.model
        videos, followers = model.videos, model.follows.followers
        views = videos["views"]
        self.rows.append(
            {
                "day": len(self.rows) + 1,
                **self.today,
                "follows": self.new_follows,
                "videos_posted": self.videos_posted,
                "like_view": self.today["likes"] / max(self.today["views"], 1),
                "candidate_videos": videos.candidates.size,
                "views_gini": gini(views),
                "top1pct_view_share": top_share(views, 0.01),
                "followers_gini": gini(followers),
                "mean_mood": float(model.viewers.mood.mean()),
            }
        )
        self.followers.append(followers.copy())
        self._reset()

    def timeseries(self) -> pd.DataFrame:
        """One row per simulated day."""
        return pd.DataFrame(self.rows)

    def followers_over_time(self) -> pd.DataFrame:
        """Long table: day, creator, group, followers (day 0 = start of the run)."""
        groups = [c.group for c in self.model.creator_list]
        history = np.stack(self.followers)
        days, creators = np.indices(history.shape)
        return pd.DataFrame(
            {
                "day": days.ravel(),
                "creator": creators.ravel(),
                "group": np.asarray(groups)[creators.ravel()],
                "followers": history.ravel(),
            }
        )


def videos_table(model: LikeEconomy) -> pd.DataFrame:
    """One row per posted video: features, pool stage and counters."""
    videos = model.videos
    groups = np.asarray([c.group for c in model.creator_list])
    creator = videos["creator"]
    table = pd.DataFrame(
        {
            "video": np.arange(videos.size),
            "creator": creator,
            "group": groups[creator] if videos.size else [],
            "niche": np.asarray(model.spec.niches)[videos["niche"]],
            "posted_day": videos["posted_hour"] / 24,
            **{n: videos[n] for n in ("quality", "hook", "arousal", "valence", "stage", "stalled")},
            **{n: videos[n] for n in ("impressions", "views", "likes", "comments", "shares", "follows")},
        }
    )
    views = np.maximum(table["views"], 1)
    table["watch_mean"] = videos["watch_sum"] / views
    for name in ("likes", "comments", "shares"):
        table[f"{name[:-1]}_view"] = table[name] / views
    return table


def creators_table(model: LikeEconomy, videos: pd.DataFrame) -> pd.DataFrame:
    """One row per creator at the end of the run, with both engagement-rate definitions."""
    followers = model.follows.followers
    per_creator = videos.groupby("creator")[["impressions", "views", "likes", "comments", "shares"]].sum()
    table = pd.DataFrame(
        {
            "creator": [c.index for c in model.creator_list],
            "group": [c.group for c in model.creator_list],
            "strategy": [c.strategy.name for c in model.creator_list],
            "niche": [model.spec.niches[c.niche] for c in model.creator_list],
            "skill": [c.skill for c in model.creator_list],
            "posts_per_day": [c.posts_per_day for c in model.creator_list],
            "followers_start": model.log.followers[0],
            "followers": followers,
            "videos": np.bincount(videos["creator"], minlength=len(followers)),
        }
    )
    table = table.join(per_creator, on="creator").fillna(0)
    engaged = table["likes"] + table["comments"] + table["shares"]
    table["engagement_per_view"] = engaged / np.maximum(table["views"], 1)
    table["engagement_per_follower"] = (
        engaged / np.maximum(table["videos"], 1) / np.maximum(table["followers"], 1)
    )
    return table.astype({c: "int64" for c in per_creator.columns})


def summary(videos: pd.DataFrame, creators: pd.DataFrame, log: DailyLog) -> dict:
    """Headline numbers of a run (what ``summary.json`` holds)."""
    rated = videos[videos["views"] >= MIN_VIEWS_FOR_RATES]
    totals = {
        name: int(videos[name].sum()) for name in ("impressions", "views", "likes", "comments", "shares")
    }
    return {
        **totals,
        "follows": int(sum(row["follows"] for row in log.rows)),
        "videos": len(videos),
        "videos_rated": len(rated),
        "like_view_median": float(rated["like_view"].median()) if len(rated) else None,
        "like_view_p10": float(rated["like_view"].quantile(0.1)) if len(rated) else None,
        "like_view_p90": float(rated["like_view"].quantile(0.9)) if len(rated) else None,
        "comment_view_median": float(rated["comment_view"].median()) if len(rated) else None,
        "share_view_median": float(rated["share_view"].median()) if len(rated) else None,
        "views_gini": gini(videos["views"]),
        "top1pct_view_share": top_share(videos["views"], 0.01),
        "videos_under_100_views": float((videos["views"] < 100).mean()) if len(videos) else 0.0,
        "followers_gini": gini(creators["followers"]),
    }
