"""Measurements: inequality measures, the daily time series, per-video and per-creator tables.

``likes`` always means likes given by human viewers; ``displayed_likes`` is what the public sees
(bought likes included, removed ones excluded), and every rate an outsider could compute uses it.
Engagement rate is reported under two named definitions (MODEL.md section 2):
``engagement_per_view`` = (displayed likes + comments + shares) / views, and
``engagement_per_follower`` = mean over the creator's videos of (displayed likes + comments +
shares) / followers (the HypeAuditor form). Money is in currency units: ``income`` = gift and VIP
payouts and brand deals, ``profit`` = income - ``like_spend``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.scenario import MILLI

if TYPE_CHECKING:
    from sim.model import LikeEconomy
    from sim.viewers import Reactions

#: Like/view statistics are taken over the most-viewed videos, the ones a For-You scrape finds. The
#: published scrape kept videos with at least 1,000 views (docs/validation.md section 2); at the
#: default 10,000 viewers that is the most-viewed 15% of videos, the share used at any size so that
#: a smaller or larger platform is measured alike.
RATED_SHARE = 0.15


def rated(videos: pd.DataFrame) -> pd.DataFrame:
    """The videos like/view statistics are taken over: the most-viewed :data:`RATED_SHARE` (ties kept)."""
    if videos.empty:
        return videos
    floor = max(videos["views"].quantile(1 - RATED_SHARE), 1)
    return videos[videos["views"] >= floor]


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


#: Cumulative like-ledger totals whose daily change goes into the time series.
LEDGER_TOTALS = {
    "bought_likes_delivered": "bought_likes",
    "bought_likes_removed": "bought_removed",
    "bought_likes_dropped": "bought_dropped",
    "organic_likes_removed": "organic_removed",
}


class DailyLog:
    """Counts each tick and writes one row per simulated day.

    Attributes:
        rows: one dict per closed day (see :meth:`close_day` for the columns).
        creator_days: per day (day 0 being the start), (C,) arrays of each creator's
            ``followers``, ``displayed_likes`` and ``organic_likes`` (all their videos together).
    """

    COUNTED = ("impressions", "views", "likes", "comments", "shares")

    def __init__(self, model: LikeEconomy):
        self.model = model
        self.rows: list[dict] = []
        self.creator_days: list[dict[str, np.ndarray]] = []
        self._ledger_before = dict.fromkeys(LEDGER_TOTALS, 0)
        self._spend_before = 0.0
        self._snapshot_creators()
        self._reset()

    def _snapshot_creators(self) -> None:
        model = self.model
        videos, n_creators = model.videos, len(model.creator_list)
        ids = np.arange(videos.size)
        creator = videos["creator"]
        self.creator_days.append(
            {
                "followers": model.follows.followers.copy(),
                "displayed_likes": np.bincount(creator, videos.displayed_likes(ids), n_creators).astype(
                    np.int64
                ),
                "organic_likes": np.bincount(creator, videos["likes"], n_creators).astype(np.int64),
            }
        )

    @property
    def followers(self) -> list[np.ndarray]:
        """One (C,) follower-count array per day, day 0 being the start."""
        return [day["followers"] for day in self.creator_days]

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
        ledger = {name: int(videos[column].sum()) for name, column in LEDGER_TOTALS.items()}
        spend = sum(creator.spend for creator in model.creator_list)
        self.rows.append(
            {
                "day": len(self.rows) + 1,
                **self.today,
                "follows": self.new_follows,
                "videos_posted": self.videos_posted,
                **{name: total - self._ledger_before[name] for name, total in ledger.items()},
                "like_spend": spend - self._spend_before,
                "like_view": self.today["likes"] / max(self.today["views"], 1),
                "candidate_videos": videos.candidates.size,
                "views_gini": gini(views),
                "top1pct_view_share": top_share(views, 0.01),
                "followers_gini": gini(followers),
                "mean_mood": float(model.viewers.mood.mean()),
            }
        )
        self._ledger_before, self._spend_before = ledger, spend
        self._snapshot_creators()
        self._reset()

    def timeseries(self) -> pd.DataFrame:
        """One row per simulated day."""
        return pd.DataFrame(self.rows)

    def creators_daily(self) -> pd.DataFrame:
        """Long table: day, creator, group, followers, displayed and organic likes (day 0 = start)."""
        groups = np.asarray([c.group for c in self.model.creator_list])
        n_days, n_creators = len(self.creator_days), len(groups)
        days, creators = np.indices((n_days, n_creators))
        table = pd.DataFrame(
            {"day": days.ravel(), "creator": creators.ravel(), "group": groups[creators.ravel()]}
        )
        for name in self.creator_days[0]:
            table[name] = np.concatenate([day[name] for day in self.creator_days])
        return table


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
            "displayed_likes": videos.displayed_likes(np.arange(videos.size)),
            **{n: videos[n] for n in ("bought_likes", "bought_removed", "bought_dropped", "organic_removed")},
        }
    )
    views = np.maximum(table["views"], 1)
    table["watch_mean"] = videos["watch_sum"] / views
    table["like_view"] = table["displayed_likes"] / views
    table["organic_like_view"] = table["likes"] / views
    for name in ("comments", "shares"):
        table[f"{name[:-1]}_view"] = table[name] / views
    return table


def creators_table(model: LikeEconomy, videos: pd.DataFrame) -> pd.DataFrame:
    """One row per creator at the end of the run, with both engagement-rate definitions."""
    followers = model.follows.followers
    counted = [
        "impressions",
        "views",
        "likes",
        "displayed_likes",
        "comments",
        "shares",
        "bought_likes",
        "bought_removed",
        "organic_removed",
    ]
    per_creator = videos.groupby("creator")[counted].sum()
    integrity = model.integrity
    table = pd.DataFrame(
        {
            "creator": [c.index for c in model.creator_list],
            "group": [c.group for c in model.creator_list],
            "strategy": [c.strategy for c in model.creator_list],
            "niche": [model.spec.niches[c.niche] for c in model.creator_list],
            "skill": [c.skill for c in model.creator_list],
            "posts_per_day": [c.posts_per_day for c in model.creator_list],
            "followers_start": model.log.followers[0],
            "followers": followers,
            "videos": np.bincount(videos["creator"], minlength=len(followers)),
            "like_spend": [c.spend for c in model.creator_list],
            "strikes": integrity.strikes_total,
            "purges": integrity.purges,
            "live_audience": model.live.audience,
            "vip_subscriptions_started": model.subscriptions.subscriptions_started,
            "gift_income": model.ledger.gift_payout_to / MILLI,
            "vip_income": model.ledger.vip_payout_to / MILLI,
            "brand_income": model.brand_market.brand_income,
        }
    )
    table = table.join(per_creator, on="creator").fillna(0)
    table["followers_gained"] = table["followers"] - table["followers_start"]
    engaged = table["displayed_likes"] + table["comments"] + table["shares"]
    table["engagement_per_view"] = engaged / np.maximum(table["views"], 1)
    table["engagement_per_follower"] = (
        engaged / np.maximum(table["videos"], 1) / np.maximum(table["followers"], 1)
    )
    table["income"] = table["gift_income"] + table["vip_income"] + table["brand_income"]
    table["profit"] = table["income"] - table["like_spend"]
    organic = table["likes"] + table["comments"] + table["shares"]
    table["organic_engagement_per_view"] = organic / np.maximum(table["views"], 1)
    return table.astype({c: "int64" for c in per_creator.columns})


def summary(videos: pd.DataFrame, creators: pd.DataFrame, log: DailyLog) -> dict:
    """Headline numbers of a run (what ``summary.json`` holds)."""
    rated_videos = rated(videos)
    counted = ("impressions", "views", "likes", "displayed_likes", "comments", "shares")
    totals = {name: int(videos[name].sum()) for name in counted}
    return {
        **totals,
        "follows": int(sum(row["follows"] for row in log.rows)),
        "videos": len(videos),
        "videos_rated": len(rated_videos),
        **_rate_summary(rated_videos),
        "views_gini": gini(videos["views"]),
        "top1pct_view_share": top_share(videos["views"], 0.01),
        "videos_under_100_views": float((videos["views"] < 100).mean()) if len(videos) else 0.0,
        "followers_gini": gini(creators["followers"]),
    }


def _rate_summary(videos: pd.DataFrame) -> dict:
    """Median (and 10th and 90th percentile) like/view, median comment/view and share/view."""
    if videos.empty:
        return dict.fromkeys(
            ("like_view_median", "like_view_p10", "like_view_p90", "comment_view_median", "share_view_median")
        )
    return {
        "like_view_median": float(videos["like_view"].median()),
        "like_view_p10": float(videos["like_view"].quantile(0.1)),
        "like_view_p90": float(videos["like_view"].quantile(0.9)),
        "comment_view_median": float(videos["comment_view"].median()),
        "share_view_median": float(videos["share_view"].median()),
    }


def match_controls(creators: pd.DataFrame) -> np.ndarray:
    """For each creator who bought likes, the organic creator most like them before the run.

    Nearest neighbour (with replacement) on skill and log starting followers, both standardised,
    so buyer-vs-control differences come from buying, not from who the buyers were.

    Returns:
        (C,) index of each buyer's control creator; -1 for creators who did not buy.
    """
    features = np.column_stack([creators["skill"], np.log1p(creators["followers_start"])])
    features = (features - features.mean(axis=0)) / np.maximum(features.std(axis=0), 1e-12)
    organic = np.flatnonzero((creators["strategy"] == "organic").to_numpy())
    buyers = np.flatnonzero((creators["like_spend"] > 0).to_numpy())
    control = np.full(len(creators), -1)
    if organic.size and buyers.size:
        distance = ((features[buyers, None, :] - features[None, organic, :]) ** 2).sum(axis=2)
        control[buyers] = organic[distance.argmin(axis=1)]
    return control


def buyer_comparison(creators: pd.DataFrame) -> pd.DataFrame:
    """Per group of like buyers: what they spent, what they got, against their matched controls.

    ``extra_*`` = buyers' mean minus their controls' mean; ``eur_per_extra_follower`` = mean
    spend / extra followers gained (empty when buying gained no followers). Without organic
    creators there are no controls, and every control column is empty.
    """
    buyers = creators[creators["like_spend"] > 0]
    by_id = creators.set_index("creator")
    rows = []
    for group, mine in buyers.groupby("group", sort=False):
        theirs = by_id.loc[mine.loc[mine["control"] >= 0, "control"]]
        extra = {
            name: mine[name].mean() - theirs[name].mean() for name in ("views", "likes", "followers_gained")
        }
        bought = mine["bought_likes"].sum()
        rows.append(
            {
                "group": group,
                "creators": len(mine),
                "like_spend": mine["like_spend"].mean(),
                "bought_likes": mine["bought_likes"].mean(),
                "bought_removed_share": mine["bought_removed"].sum() / bought if bought else np.nan,
                "views": mine["views"].mean(),
                "control_views": theirs["views"].mean(),
                "followers_gained": mine["followers_gained"].mean(),
                "control_followers_gained": theirs["followers_gained"].mean(),
                **{f"extra_{name}": value for name, value in extra.items()},
                "eur_per_extra_follower": (
                    mine["like_spend"].mean() / extra["followers_gained"]
                    if extra["followers_gained"] > 0
                    else np.nan
                ),
                "strikes": mine["strikes"].mean(),
                "purges": mine["purges"].mean(),
                "audit_flagged_share": mine["audit_flagged"].mean(),
            }
        )
    return pd.DataFrame(rows)
