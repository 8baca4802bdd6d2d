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

import numpy as np
import pandas as pd

from sim.actions import ACTIONS, COUNTERS
from sim.videos import COUNTER_COLUMNS, Videos
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


#: Follower tiers as shares of the viewer population, keeping the industry's decade spacing
#: (nano, micro, mid, macro accounts; 1k / 10k / 100k / 500k+ followers on platforms of ~1B users,
#: where those counts are a negligible share of everyone) on a population small enough to simulate.
TIERS = {"nano": (0.0, 0.001), "micro": (0.001, 0.01), "mid": (0.01, 0.05), "macro": (0.05, np.inf)}


def tier_of(followers: np.ndarray, viewers: int) -> np.ndarray:
    """Tier name of each follower count (see :data:`TIERS`)."""
    share = np.asarray(followers) / viewers
    names = np.array(list(TIERS))
    bounds = [low for low, _ in TIERS.values()][1:]
    return names[np.searchsorted(bounds, share, side="right")]


def tier_table(creators: pd.DataFrame, viewers: int) -> pd.DataFrame:
    """Per follower tier: creators and median engagement per follower and per view."""
    shown = creators[creators["followers"] > 0].assign(tier=lambda t: tier_of(t["followers"], viewers))
    table = shown.groupby("tier").agg(
        creators=("creator", "size"),
        followers=("followers", "median"),
        engagement_per_follower=("engagement_per_follower", "median"),
        engagement_per_view=("engagement_per_view", "median"),
    )
    return table.reindex([t for t in TIERS if t in table.index]).rename_axis("tier").reset_index()


#: Cumulative like-ledger totals whose daily change goes into the time series.
LEDGER_TOTALS = {
    "bought_likes_delivered": "bought_likes",
    "bought_likes_removed": "bought_removed",
    "bought_likes_dropped": "bought_dropped",
    "organic_likes_removed": "organic_removed",
}
#: What is counted each tick: impressions, then every action but the follow wish (new follows
#: are counted where the follow graph makes them).
COUNTED = ("impressions", *(COUNTERS[action] for action in ACTIONS if action != "follow"))


def engagement_rates(videos: Videos, followers: np.ndarray, n_viewers: int) -> dict[str, float]:
    """Median engagement per view and per follower of one platform's creators, by follower tier.

    Per view = (displayed likes + comments + shares) / views; per follower = the same per video,
    over followers (the HypeAuditor form). Creators without views (or followers) are left out.
    """
    n_creators, ids = followers.size, np.arange(videos.size)
    creator = videos["creator"]
    engaged = np.bincount(
        creator, videos.displayed_likes(ids) + videos["comments"] + videos["shares"], n_creators
    )
    views = np.bincount(creator, videos["views"], n_creators)
    posted = np.bincount(creator, minlength=n_creators)
    tier = tier_of(followers, n_viewers)
    rates = {}
    for name in TIERS:
        seen = (tier == name) & (views > 0) & (followers > 0)
        rates[f"engagement_per_view_{name}"] = (
            float(np.median(engaged[seen] / views[seen])) if seen.any() else None
        )
        rates[f"engagement_per_follower_{name}"] = (
            float(np.median(engaged[seen] / posted[seen] / followers[seen])) if seen.any() else None
        )
    return rates


class DailyLog:
    """Counts each tick and writes one row per simulated day: for the run, and for each platform.

    Attributes:
        rows: one dict per closed day, every platform together (``timeseries.csv``; see
            :meth:`close_day` for the columns).
        platform_rows: one dict per closed day and platform (``platforms.csv``).
        creator_days: per platform, per day (day 0 being the start), (C,) arrays of each creator's
            ``followers``, ``displayed_likes`` and ``organic_likes`` there (all their videos together).
    """

    def __init__(self, platforms: list[str], videos: list[Videos], followers: list[np.ndarray]):
        self.platforms = platforms
        self.rows: list[dict] = []
        self.platform_rows: list[dict] = []
        self.creator_days: list[list[dict[str, np.ndarray]]] = [[] for _ in platforms]
        self._ledger_before = [dict.fromkeys(LEDGER_TOTALS, 0) for _ in platforms]
        self._spend_before = [0.0 for _ in platforms]
        self._quality_views_before = [0.0 for _ in platforms]
        self._snapshot_creators(videos, followers)
        self._reset()

    def _snapshot_creators(self, videos: list[Videos], followers: list[np.ndarray]) -> None:
        for days, table, counts in zip(self.creator_days, videos, followers, strict=True):
            ids, creator = np.arange(table.size), table["creator"]
            days.append(
                {
                    "followers": counts.copy(),
                    "displayed_likes": np.bincount(creator, table.displayed_likes(ids), counts.size).astype(
                        np.int64
                    ),
                    "organic_likes": np.bincount(creator, table["likes"], counts.size).astype(np.int64),
                }
            )

    def _reset(self) -> None:
        self.today = [dict.fromkeys(COUNTED, 0) for _ in self.platforms]
        self.new_follows = [0 for _ in self.platforms]
        self.videos_posted = [0 for _ in self.platforms]

    def record_tick(self, platform: int, reactions: Reactions) -> None:
        """Add one tick's reactions on ``platform`` to today's totals."""
        today = self.today[platform]
        today["impressions"] += reactions.watched.size
        for action in ACTIONS:
            if COUNTERS[action] in today:
                today[COUNTERS[action]] += int(np.count_nonzero(reactions.did[action]))

    def close_day(
        self,
        videos: list[Videos],
        followers: list[np.ndarray],
        spend: list[float],
        mood: float,
        n_viewers: int,
    ) -> None:
        """Write today's rows: totals of the day, then the state of each platform at midnight.

        Args:
            videos, followers: each platform's video table and (C,) follower counts.
            spend: each platform's cumulative spend on bought likes.
            mood: the viewers' mean mood.
        """
        day = len(self.rows) + 1
        ledgers = [{name: int(v[column].sum()) for name, column in LEDGER_TOTALS.items()} for v in videos]
        # Quality summed over today's views: views only grow, so it is today's change of sum(quality x views).
        quality_views = [float(np.dot(v["quality"], v["views"])) for v in videos]
        watched = [
            now - before for now, before in zip(quality_views, self._quality_views_before, strict=True)
        ]
        for p, name in enumerate(self.platforms):
            views = videos[p]["views"]
            rated_views = rated(pd.DataFrame({"views": views}))
            like_view = videos[p].displayed_likes(rated_views.index.to_numpy()) / np.maximum(
                rated_views["views"], 1
            )
            self.platform_rows.append(
                {
                    "day": day,
                    "platform": name,
                    **self.today[p],
                    "follows": self.new_follows[p],
                    "videos_posted": self.videos_posted[p],
                    **{k: ledgers[p][k] - self._ledger_before[p][k] for k in LEDGER_TOTALS},
                    "like_spend": spend[p] - self._spend_before[p],
                    "like_view": self.today[p]["likes"] / max(self.today[p]["views"], 1),
                    "quality_viewed": watched[p] / max(self.today[p]["views"], 1),
                    "like_view_median": float(np.median(like_view)) if like_view.size else None,
                    "views_gini": gini(views),
                    "top1pct_view_share": top_share(views, 0.01),
                    "followers_gini": gini(followers[p]),
                    **engagement_rates(videos[p], followers[p], n_viewers),
                }
            )
        today = {name: sum(t[name] for t in self.today) for name in COUNTED}
        views = np.concatenate([v["views"] for v in videos])
        self.rows.append(
            {
                "day": day,
                **today,
                "follows": sum(self.new_follows),
                "videos_posted": sum(self.videos_posted),
                **{
                    k: sum(ledgers[p][k] - self._ledger_before[p][k] for p in range(len(videos)))
                    for k in LEDGER_TOTALS
                },
                "like_spend": sum(spend) - sum(self._spend_before),
                "like_view": today["likes"] / max(today["views"], 1),
                "quality_viewed": sum(watched) / max(today["views"], 1),
                "candidate_videos": sum(v.candidate_count for v in videos),
                "views_gini": gini(views),
                "top1pct_view_share": top_share(views, 0.01),
                "followers_gini": gini(sum(followers)),
                "mean_mood": mood,
            }
        )
        self._ledger_before, self._spend_before = ledgers, list(spend)
        self._quality_views_before = quality_views
        self._snapshot_creators(videos, followers)
        self._reset()

    def timeseries(self) -> pd.DataFrame:
        """One row per simulated day, every platform together."""
        return pd.DataFrame(self.rows)

    def platforms_table(self) -> pd.DataFrame:
        """One row per simulated day and platform."""
        return pd.DataFrame(self.platform_rows)

    def followers_start(self) -> list[np.ndarray]:
        """Each platform's (C,) follower counts at the start."""
        return [days[0]["followers"] for days in self.creator_days]

    def creators_daily(self, groups: list[str]) -> pd.DataFrame:
        """Long table: day, creator, group, followers, displayed and organic likes (day 0 = start)."""
        groups = np.asarray(groups)
        n_days, n_creators = len(self.creator_days[0]), len(groups)
        days, creators = np.indices((n_days, n_creators))
        table = pd.DataFrame(
            {"day": days.ravel(), "creator": creators.ravel(), "group": groups[creators.ravel()]}
        )
        for name in self.creator_days[0][0]:
            table[name] = np.concatenate(
                [sum(platform[day][name] for platform in self.creator_days) for day in range(n_days)]
            )
        return table


def videos_table(
    videos: list[Videos], platforms: list[str], groups: list[str], niches: list[str]
) -> pd.DataFrame:
    """One row per posted video on each platform: features, pool stage and counters.

    ``video`` is the video's id on its platform; a cross-posted video has one row per platform.
    """
    return pd.concat(
        [
            _platform_videos(table, name, np.asarray(groups), np.asarray(niches))
            for table, name in zip(videos, platforms, strict=True)
        ],
        ignore_index=True,
    )


def _platform_videos(videos: Videos, platform: str, groups: np.ndarray, niches: np.ndarray) -> pd.DataFrame:
    creator = videos["creator"]
    table = pd.DataFrame(
        {
            "video": np.arange(videos.size),
            "platform": platform,
            "creator": creator,
            "group": groups[creator] if videos.size else [],
            "niche": niches[videos["niche"]],
            "posted_day": videos["posted_hour"] / 24,
            **{n: videos[n] for n in ("quality", "hook", "arousal", "valence", "stage", "stalled")},
            **{n: videos[n] for n in COUNTER_COLUMNS},
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


#: Per-creator sums of the video table that the creator tables carry.
CREATOR_COUNTS = [
    "impressions", "views", "likes", "displayed_likes", "comments", "shares", "bought_likes",
    "bought_removed", "organic_removed",
]  # fmt: skip


def creators_table(
    creators: list, niches: list[str], videos: pd.DataFrame, followers_start, followers, extra: dict
) -> pd.DataFrame:
    """One row per creator (or creator x platform): identity, followers, counts and both engagement rates.

    Args:
        creators: the creator agents; niches: the scenario's niche names.
        videos: the videos to count (one platform's, or every platform's).
        followers_start, followers: (C,) followers at the start and the end.
        extra: further (C,) columns (like spend, strikes, incomes, ...), added as they are.
    """
    per_creator = videos.groupby("creator")[CREATOR_COUNTS].sum()
    table = pd.DataFrame(
        {
            "creator": [c.index for c in creators],
            "group": [c.group for c in creators],
            "strategy": [c.strategy for c in creators],
            "niche": [niches[c.niche] for c in creators],
            "skill": [c.skill for c in creators],
            "posts_per_day": [c.posts_per_day for c in creators],
            "followers_start": followers_start,
            "followers": followers,
            "videos": np.bincount(videos["creator"], minlength=len(creators)),
            **extra,
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
