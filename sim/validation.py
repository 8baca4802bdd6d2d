"""Stylized facts a default TikTok-like run is held against (../shared/VALIDATION.md).

Each check names the published source, the summary metric and the accepted range. Checks of a
mechanism a run does not have (no bought likes, no gifts) are left out of its table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """A published range that a summary metric must fall in."""

    source: str
    metric: str
    low: float
    high: float
    optional: bool = False  #: only checked when the run has the mechanism (the metric is not None)

    def passes(self, summary: dict) -> bool:
        """Whether the run's value is known and within [low, high]."""
        value = summary.get(self.metric)
        return value is not None and self.low <= value <= self.high


CHECKS = (
    Check(
        "VALIDATION §2: TikTok like/view median 5.3% (10-90%: 2-12%)",
        "like_view_median",
        0.02,
        0.12,
    ),
    Check("VALIDATION §2: comments well below likes (median 0.06%)", "comment_view_median", 0.0, 0.006),
    Check("VALIDATION §2: shares well below likes (median 0.3%)", "share_view_median", 0.0, 0.012),
    Check("VALIDATION §4: views per video Gini >= 0.8 (TikTok ~0.93)", "views_gini", 0.8, 1.0),
    Check("VALIDATION §4: top 1% of videos hold >= 1/3 of views", "top1pct_view_share", 1 / 3, 1.0),
    Check(
        "VALIDATION §5: 80-98% of bought likes online after 4 weeks",
        "bought_like_survival_28d",
        0.8,
        0.98,
        optional=True,
    ),
    Check(
        "VALIDATION §6: creators receive 20-50% of what viewers spend on gifts",
        "creator_share_of_spend",
        0.2,
        0.5,
        optional=True,
    ),
    Check(
        "VALIDATION §6: top 20% of gifting viewers give >= 80% of gift value",
        "gift_top20_share",
        0.8,
        1.0,
        optional=True,
    ),
)


def check_table(summary: dict) -> list[dict]:
    """One row per check: source, metric, value, accepted range, verdict."""
    return [
        {
            "check": check.source,
            "metric": check.metric,
            "value": summary.get(check.metric),
            "range": f"{check.low:.3g} to {check.high:.3g}",
            "ok": check.passes(summary),
        }
        for check in CHECKS
        if not (check.optional and summary.get(check.metric) is None)
    ]
