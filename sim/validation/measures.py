"""Measures the validation checks read, computed from what runs produce (DataFrames in, numbers out).

Each function takes one run's :class:`~sim.outputs.RunResult` (or one MusicLab replicate) and
returns ``{measure: value}`` with names as the checks use them after the experiment prefix
(``platform.like_view_median`` is :func:`platform_measures`' ``like_view_median``). Values that
a run cannot give (no rated video, no gifts) are None.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.metrics import tier_table, top_share
from sim.validation.facts import CHECKS, evaluate

#: A video is "sad" when its arousal and its valence are both at least this far below their means,
#: and "neutral" when both are within this distance of them (sd units).
EMOTION_BAND = 0.5
#: Videos need this many views to enter the emotion regressions.
MIN_VIEWS_FOR_EMOTION = 100
#: Fewest events (shares, likes) a rate ratio is estimated from.
MIN_EVENTS = 10


def elasticity(x: np.ndarray, y: np.ndarray) -> float | None:
    """Least-squares slope of log(y) on log(x) over the pairs where both are positive."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    keep = (x > 0) & (y > 0)
    if keep.sum() < 3 or np.ptp(np.log(x[keep])) == 0:
        return None
    return float(np.polyfit(np.log(x[keep]), np.log(y[keep]), 1)[0])


def rate_ratios(events: np.ndarray, exposure: np.ndarray, features: pd.DataFrame) -> dict[str, float]:
    """Poisson regression of event counts on features with log(exposure) as offset.

    Returns the rate ratio per unit of each feature: exp(coefficient), e.g. how many times more
    shares per view one more standard deviation of arousal brings. Fitted by iteratively
    reweighted least squares; NaN when the data cannot tell (too few events, constant features).
    """
    X = np.column_stack([np.ones(len(features)), features.to_numpy(float)])
    y, offset = np.asarray(events, float), np.log(np.asarray(exposure, float))
    unknown = dict.fromkeys(features.columns, np.nan)
    if y.sum() < MIN_EVENTS or np.linalg.matrix_rank(X) < X.shape[1]:
        return unknown
    beta = np.zeros(X.shape[1])
    beta[0] = np.log(y.sum() / np.exp(offset).sum())
    for _ in range(50):
        mu = np.exp(offset + X @ beta)
        try:
            step = np.linalg.solve(X.T @ (mu[:, None] * X), X.T @ (y - mu))
        except np.linalg.LinAlgError:
            return unknown
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return {name: float(np.exp(b)) for name, b in zip(features.columns, beta[1:], strict=True)}


def platform_measures(result) -> dict:
    """§2-4, 7, 8 on one run of a platform scenario."""
    s, videos, creators = result.summary, result.videos, result.creators
    views = videos["views"].to_numpy()
    q65, q963 = np.quantile(views, [0.65, 0.963]) if views.size else (0, 0)
    per_video = creators["views"] / creators["videos"].clip(lower=1)
    tiers = tier_table(creators, result.scenario.viewers.count)
    nano = tiers.loc[tiers["tier"] == "nano", "engagement_per_follower"]

    def ratio(a, b):
        return a / b if a is not None and b else None

    return {
        **{k: s[k] for k in ("like_view_median", "like_view_p10", "like_view_p90", "comment_view_median")},
        **{k: s[k] for k in ("share_view_median", "views_gini", "top1pct_view_share")},
        "likes_per_comment": ratio(s["like_view_median"], s["comment_view_median"]),
        "likes_per_share": ratio(s["like_view_median"], s["share_view_median"]),
        "top3_7pct_view_share": top_share(views, 0.037),
        "top0_16pct_view_share": top_share(views, 0.0016),
        "views_q963_over_q65": float(q963 / max(q65, 1)),
        "engagement_per_view_elasticity": elasticity(creators["followers"], creators["engagement_per_view"]),
        "engagement_per_follower_elasticity": elasticity(
            creators["followers"], creators["engagement_per_follower"]
        ),
        "nano_engagement_per_follower": float(nano.iloc[0]) if len(nano) else None,
        "views_per_video_elasticity": elasticity(creators["followers"], per_video),
        "ranking_term_imbalance": ranking_term_imbalance(
            videos, result.scenario.ranking.weights.model_dump()
        ),
        **emotion_effects(videos),
    }


def ranking_term_imbalance(videos: pd.DataFrame, weights: dict[str, float]) -> float | None:
    """Largest over smallest average contribution of the ranking score's terms (weight x mean rate)."""
    views = videos["views"].sum()
    if not views:
        return None
    rate = {
        "like": videos["displayed_likes"].sum() / views,
        "comment": videos["comments"].sum() / views,
        "share": videos["shares"].sum() / views,
        "playtime": (videos["watch_mean"] * videos["views"]).sum() / views,
        "play": views / videos["impressions"].sum(),
        "follow": videos["follows"].sum() / views,
    }
    contribution = [weights[term] * rate[term] for term in weights if weights[term] > 0]
    return max(contribution) / min(contribution) if min(contribution) > 0 else None


def emotion_effects(videos: pd.DataFrame) -> dict:
    """How arousal and valence move sharing and liking, measured on the run's videos (§8).

    Rate ratios per sd come from Poisson regressions over videos with enough views; the sad-content
    ratio is the mean share/view of sad videos over that of neutral ones (:data:`EMOTION_BAND`).
    """
    watched = videos[videos["views"] >= MIN_VIEWS_FOR_EMOTION]
    if len(watched) < 10:
        return dict.fromkeys(
            ("share_per_sd_arousal", "share_per_sd_valence", "like_per_sd_arousal", "like_per_sd_valence",
             "sad_share_ratio"),
        )  # fmt: skip
    emotion = watched[["arousal", "valence"]]
    shares = rate_ratios(watched["shares"], watched["views"], emotion)
    likes = rate_ratios(watched["likes"], watched["views"], emotion)
    offset = emotion - emotion.mean()
    sad = (offset < -EMOTION_BAND).all(axis=1)
    neutral = (offset.abs() < EMOTION_BAND).all(axis=1)
    share_view = watched["shares"] / watched["views"]
    typical = share_view[neutral].mean()  # each video weighs the same: a few viral ones do not decide
    return {
        "share_per_sd_arousal": shares["arousal"],
        "share_per_sd_valence": shares["valence"],
        "like_per_sd_arousal": likes["arousal"],
        "like_per_sd_valence": likes["valence"],
        "sad_share_ratio": share_view[sad].mean() / typical if sad.any() and typical > 0 else None,
    }


def bought_likes_measures(result) -> dict:
    """§5 on one run with like buyers."""
    s = result.summary
    delivered = s["bought_likes_delivered"]
    return {
        "bought_like_survival_28d": s["bought_like_survival_28d"],
        "bought_likes_within_24h": s["bought_likes_within_24h"],
        "eur_per_1000_delivered": 1000 * s["like_spend"] / delivered if delivered else None,
        "audit_recall": s["audit_recall"],
        "audit_precision": s["audit_precision"],
        "audit_auc": s["audit_auc"],
    }


def gift_measures(result) -> dict:
    """§6 on one run with gifts."""
    s = result.summary
    return {
        "creator_share_of_spend": s["creator_share_of_spend"],
        "gift_top20_share": s["gift_top20_share"],
        "books_imbalance": s["books_imbalance"],
    }


def run_checks(result) -> pd.DataFrame:
    """The checks one run can answer (its platform, and its bought likes or gifts if it has them).

    The published ranges are for the default scenarios; on another scenario they are a reference.
    """
    found = {f"platform.{k}": v for k, v in platform_measures(result).items()}
    if result.has_buyers:
        found |= {f"bought_likes.{k}": v for k, v in bought_likes_measures(result).items()}
    if result.has_gifts_or_vip:
        found |= {f"gifts.{k}": v for k, v in gift_measures(result).items()}
    answerable = tuple(c for c in CHECKS if c.experiment == "platform" or c.metric in found)
    return evaluate(found, answerable)
