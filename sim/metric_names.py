"""The names of the metrics experiments compare, in a module light enough for the command line.

``likesim sweep --metric`` lists and checks them before anything heavy is imported.
"""

from __future__ import annotations

#: Per-creator metrics averaged over each creator group (and over all creators, group ``all``).
GROUP_METRICS = (
    "followers_gained", "engagement_per_view", "organic_engagement_per_view", "income", "gift_income",
    "vip_income", "brand_income", "profit", "like_spend", "views",
)  # fmt: skip
#: Whole-run metrics from ``summary.json`` (group ``all``).
RUN_METRICS = (
    "like_view_median",
    "views_gini",
    "top1pct_view_share",
    "followers_gini",
    "bought_like_survival_28d",
    "audit_auc",
    "creator_share_of_spend",
    "gift_top20_share",
    "gift_income_gini",
    "brand_roi_audited",
    "brand_roi_unaudited",
    "brand_deals",
    "bought_likes_removed",
    "detection_recall",
    "payoff_first_window",
    "payoff_last_window",
    "quality_viewed_first_week",
    "quality_viewed_last_week",
)
#: Whole-run metrics that can be negative (payoffs include profit; quality is in sd units).
SIGNED_RUN_METRICS = {
    "payoff_first_window", "payoff_last_window", "quality_viewed_first_week", "quality_viewed_last_week",
}  # fmt: skip

#: Per-creator metrics the report compares: metric -> (words, unit).
HEADLINE_METRICS = {
    "followers_gained": ("followers gained", "followers per creator"),
    "organic_engagement_per_view": ("organic engagement per view", "human likes, comments, shares per view"),
    "engagement_per_view": ("displayed engagement per view", "what brands see: bought likes included"),
    "income": ("income", "EUR per creator: gifts, VIP, brand deals"),
    "profit": ("profit", "EUR per creator: income minus spend on likes"),
}
