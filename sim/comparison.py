"""Comparisons over replicates: per-run metrics read back from run folders, means with 95% CIs.

Everything here reads finished run folders (``summary.json``, ``creators.csv``,
``creator_platforms.csv``, ``creators_daily.csv``), so a comparison is the same whichever
executor produced the runs, and a resumed experiment compares old and new runs alike.

Confidence intervals are Student-t intervals over replicates: mean +- t(0.975, n - 1) x sd / sqrt(n)
(runs are independent: each replicate has its own seed).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

#: Per-creator metrics averaged over each creator group (and over all creators, group ``all``).
GROUP_METRICS = ("followers_gained", "engagement_per_view", "income", "profit", "like_spend", "views")
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
    "brand_roi_audited",
    "brand_roi_unaudited",
)
ALL = "all"


def confidence_interval(values, level: float = 0.95) -> tuple[float, float, float, int]:
    """Mean and two-sided Student-t confidence interval of independent values (NaNs dropped).

    Returns:
        (mean, low, high, n); the interval is NaN with fewer than two values.
    """
    x = np.asarray(values, float)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(x.mean())
    if x.size < 2:
        return mean, np.nan, np.nan, 1
    half = stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    return mean, mean - half, mean + half, int(x.size)


def run_metrics(folder: Path) -> pd.DataFrame:
    """Long table (group, metric, value) of one finished run."""
    creators = pd.read_csv(folder / "creators.csv")
    by_group = creators.groupby("group", sort=False)[list(GROUP_METRICS)].mean()
    by_group.loc[ALL] = creators[list(GROUP_METRICS)].mean()
    table = by_group.rename_axis("group").reset_index().melt(id_vars="group", var_name="metric")
    summary = json.loads((folder / "summary.json").read_text())
    whole = pd.DataFrame(
        {"group": ALL, "metric": list(RUN_METRICS), "value": [summary.get(m) for m in RUN_METRICS]}
    )
    return pd.concat([table, whole], ignore_index=True).astype({"value": float})


def platform_metrics(folder: Path) -> pd.DataFrame:
    """Long table (group, platform, metric, value) of one finished run: each group on each platform."""
    accounts = pd.read_csv(folder / "creator_platforms.csv")
    by_group = accounts.groupby(["group", "platform"], sort=False)[list(GROUP_METRICS)].mean()
    everyone = accounts.groupby("platform", sort=False)[list(GROUP_METRICS)].mean()
    everyone.index = pd.MultiIndex.from_product([[ALL], everyone.index], names=["group", "platform"])
    table = pd.concat([by_group, everyone]).reset_index()
    return table.melt(id_vars=["group", "platform"], var_name="metric").astype({"value": float})


def compare(
    runs: pd.DataFrame, root: Path, keys: tuple[str, ...] = ("arm",), metrics_of=run_metrics
) -> pd.DataFrame:
    """Mean and 95% CI of every metric per arm (or sweep point) and group over replicates.

    Args:
        runs: one row per run with ``folder`` (relative to ``root``) and the ``keys`` columns.
        metrics_of: what one run folder gives: :func:`run_metrics` (per group) or
            :func:`platform_metrics` (per group and platform).
    """
    per_run = [
        metrics_of(root / row["folder"]).assign(**{key: row[key] for key in keys})
        for row in runs.to_dict("records")
    ]
    long = pd.concat(per_run, ignore_index=True)
    within = [column for column in long.columns if column not in (*keys, "metric", "value")]
    rows = []
    for labels, values in long.groupby([*keys, *within, "metric"], sort=False)["value"]:
        mean, low, high, n = confidence_interval(values)
        rows.append(
            {
                **dict(zip([*keys, *within, "metric"], labels, strict=True)),
                "mean": mean,
                "ci_low": low,
                "ci_high": high,
                "n": n,
            }
        )
    return pd.DataFrame(rows)


def followers_bands(runs: pd.DataFrame, root: Path) -> pd.DataFrame:
    """Mean followers per creator of each group by day, per arm, with the 95% CI over replicates."""
    per_run = []
    for row in runs.itertuples():
        daily = pd.read_csv(root / row.folder / "creators_daily.csv")
        per_run.append(
            daily.groupby(["group", "day"], sort=False)["followers"].mean().reset_index().assign(arm=row.arm)
        )
    long = pd.concat(per_run, ignore_index=True)
    rows = []
    for (arm, group, day), values in long.groupby(["arm", "group", "day"], sort=False)["followers"]:
        mean, low, high, n = confidence_interval(values)
        rows.append(
            {"arm": arm, "group": group, "day": day, "mean": mean, "ci_low": low, "ci_high": high, "n": n}
        )
    return pd.DataFrame(rows)


def winners(
    comparison: pd.DataFrame, metrics=("followers_gained", "engagement_per_view", "income", "profit")
):
    """For each arm and metric: the best creator group, the runner-up, and whether their CIs separate."""
    rows = []
    groups = comparison[comparison["group"] != ALL]
    for (arm, metric), table in groups[groups["metric"].isin(metrics)].groupby(["arm", "metric"], sort=False):
        ranked = table.sort_values("mean", ascending=False)
        if len(ranked) < 2:
            continue
        best, second = ranked.iloc[0], ranked.iloc[1]
        rows.append(
            {
                "arm": arm,
                "metric": metric,
                "best": best["group"],
                "best_mean": best["mean"],
                "best_ci": (best["ci_low"], best["ci_high"]),
                "runner_up": second["group"],
                "runner_up_mean": second["mean"],
                "runner_up_ci": (second["ci_low"], second["ci_high"]),
                "clear": bool(best["ci_low"] > second["ci_high"]),
            }
        )
    return pd.DataFrame(rows)
