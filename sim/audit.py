"""The authenticity audit brands buy from analytics vendors, and how well it does.

The audit scores each creator from what an outsider can observe on the creator's public profile:
views, displayed likes and comments per video, how the displayed like count grew day by day, and
how many of the accounts behind the likes look like bots. It never sees which likes were bought:
:func:`public_profile` is its only input and holds no ground-truth column. Each signal becomes a
robust z-score across the scored creators; the score is ``sigmoid(intercept + weights . z)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from sim.scenario import Audit
from sim.videos import Videos

#: Everything the audit may read, per creator.
PUBLIC_COLUMNS = (
    "creator",
    "niche",
    "followers",
    "views",
    "displayed_likes",
    "comments",
    "shares",
    "videos",
    "flagged_likes",
    "max_daily_like_gain",
    "mean_daily_like_gain",
    "max_daily_follower_gain",
    "mean_daily_follower_gain",
)


def public_profile(
    videos: Videos, followers: np.ndarray, niche: np.ndarray, creator_days: list[dict[str, np.ndarray]]
) -> pd.DataFrame:
    """What an outsider sees of every creator on one platform today (one row each, :data:`PUBLIC_COLUMNS`).

    Args:
        videos, followers: the platform's video table and (C,) follower counts.
        niche: (C,) each creator's niche.
        creator_days: the platform's daily snapshots of every creator (``displayed_likes`` and
            ``followers``, one (C,) array each per day; see :class:`sim.metrics.DailyLog`).
    """
    n_creators = followers.size
    ids = np.arange(videos.size)
    creator = videos["creator"]

    def per_creator(values) -> np.ndarray:
        return np.bincount(creator, values, n_creators)

    def daily_gains(column: str) -> np.ndarray:
        history = np.stack([day[column] for day in creator_days])
        return np.diff(history, axis=0) if len(history) > 1 else np.zeros((1, n_creators))

    like_gains, follower_gains = daily_gains("displayed_likes"), daily_gains("followers")
    return pd.DataFrame(
        {
            "creator": np.arange(n_creators),
            "niche": niche,
            "followers": followers,
            "views": per_creator(videos["views"]),
            "displayed_likes": per_creator(videos.displayed_likes(ids)),
            "comments": per_creator(videos["comments"]),
            "shares": per_creator(videos["shares"]),
            "videos": np.bincount(creator, minlength=n_creators),
            "flagged_likes": per_creator(videos.flagged_likes(ids)),
            "max_daily_like_gain": like_gains.max(axis=0),
            "mean_daily_like_gain": like_gains.mean(axis=0),
            "max_daily_follower_gain": follower_gains.max(axis=0),
            "mean_daily_follower_gain": follower_gains.mean(axis=0),
        }
    )


def _robust_z(x: pd.Series) -> pd.Series:
    """(x - median) / (1.4826 x median absolute deviation): a z-score that outliers cannot mask."""
    spread = 1.4826 * (x - x.median()).abs().median()
    if not spread > 0:
        spread = x.std() if x.std() > 0 else 1.0
    return (x - x.median()) / spread


def _burst(profile: pd.DataFrame, what: str) -> pd.Series:
    """Log of the largest daily gain over the mean daily gain (0 for steady growth)."""
    largest = profile[f"max_daily_{what}_gain"].clip(lower=0)
    return np.log1p(largest) - np.log1p(profile[f"mean_daily_{what}_gain"].clip(lower=0))


def score(profile: pd.DataFrame, spec: Audit) -> pd.DataFrame:
    """Audit scores from a public profile table.

    Signals (each compared with the typical creator, then robust-z-scored):
    ``like_view_excess`` (log likes per view above the niche median), ``comment_like_deficit``
    (log comments per like below the niche median: bought likes bring no comments),
    ``flagged_liker_excess`` (share of likers that look like bots), ``like_burst`` and
    ``follower_burst`` (log of the largest daily gain over the mean daily gain).

    Returns:
        one row per creator: the signals' z-scores, ``score`` in [0, 1] and ``flagged``
        (score >= threshold); creators under ``min_views`` get no score and are not flagged.
    """
    scored = profile[profile["views"] >= max(spec.min_views, 1)].copy()
    likes = scored["displayed_likes"].clip(lower=0)
    log_like_view = np.log((likes + 1) / scored["views"])
    log_comment_like = np.log((scored["comments"] + 1) / (likes + 1))
    niche = scored["niche"]
    signals = pd.DataFrame(
        {
            "like_view_excess": log_like_view - log_like_view.groupby(niche).transform("median"),
            "comment_like_deficit": log_comment_like.groupby(niche).transform("median") - log_comment_like,
            "flagged_liker_excess": scored["flagged_likes"] / (likes + 1),
            "like_burst": _burst(scored, "like"),
            "follower_burst": _burst(scored, "follower"),
        },
        index=scored.index,
    ).apply(_robust_z)
    weights = pd.Series(spec.weights.model_dump())
    logit = spec.intercept + signals[weights.index] @ weights
    table = profile[["creator"]].join(signals)
    table["score"] = expit(logit)
    table["flagged"] = table["score"] >= spec.threshold
    return table


def roc_curve(scores: np.ndarray, truth: np.ndarray) -> pd.DataFrame:
    """True- and false-positive rates at every threshold, from flagging nobody to everybody."""
    order = np.argsort(-scores, kind="stable")
    hits = np.r_[0, np.cumsum(truth[order])]
    false = np.r_[0, np.cumsum(~truth[order])]
    return pd.DataFrame(
        {
            "threshold": np.r_[np.inf, scores[order]],
            "false_positive_rate": false / max(false[-1], 1),
            "true_positive_rate": hits / max(hits[-1], 1),
        }
    )


def auc(scores: np.ndarray, truth: np.ndarray) -> float | None:
    """Area under the ROC curve: the chance a random buyer outscores a random non-buyer (ties 1/2)."""
    n_positive, n_negative = int(truth.sum()), int((~truth).sum())
    if n_positive == 0 or n_negative == 0:
        return None
    ranks = pd.Series(scores).rank(method="average").to_numpy()  # Mann-Whitney U, tie-corrected
    return float((ranks[truth].sum() - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative))


def evaluate(table: pd.DataFrame, bought: np.ndarray) -> dict:
    """Precision, recall (at the audit's threshold) and AUC against the ground truth.

    Args:
        table: :func:`score` output.
        bought: (C,) bool, the creator had bought likes delivered (ground truth, known only here).
    """
    scored = table["score"].notna().to_numpy()
    flagged = table["flagged"].to_numpy()[scored]
    truth = bought[scored]
    true_positives = int((flagged & truth).sum())
    return {
        "audit_scored_creators": int(scored.sum()),
        "audit_flagged": int(flagged.sum()),
        "audit_precision": true_positives / int(flagged.sum()) if flagged.any() else None,
        "audit_recall": true_positives / int(truth.sum()) if truth.any() else None,
        "audit_auc": auc(table["score"].to_numpy()[scored], truth),
    }
