"""Comparisons over replicates: per-run metrics read back from run folders, means with 95% CIs.

A comparison reads a few frames of each run (:class:`RunFrames`: creators, accounts per platform,
daily followers, summary), from memory or from finished run folders, so it is the same whichever
executor produced the runs, and a resumed experiment compares old and new runs alike.

Confidence intervals are Student-t intervals over replicates: mean +- t(0.975, n - 1) x sd / sqrt(n)
(runs are independent: each replicate has its own seed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # Student t quantiles, without scipy.stats' second of imports

from sim.metric_names import GROUP_METRICS, RUN_METRICS, SIGNED_RUN_METRICS

ALL = "all"
#: Metrics that cannot be negative: their intervals are cut at 0 (a t-interval knows nothing of signs).
NON_NEGATIVE = {
    "engagement_per_view", "organic_engagement_per_view", "income", "gift_income", "vip_income",
    "brand_income", "like_spend", "views", "followers", "share_at_end",
    *(set(RUN_METRICS) - SIGNED_RUN_METRICS),
}  # fmt: skip
#: Shares and probabilities: their intervals are cut at 1 as well.
AT_MOST_ONE = {
    "views_gini", "top1pct_view_share", "followers_gini", "bought_like_survival_28d", "audit_auc",
    "creator_share_of_spend", "gift_top20_share", "gift_income_gini", "detection_recall", "share_at_end",
}  # fmt: skip


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
    half = stdtrit(x.size - 1, 0.5 + level / 2) * x.std(ddof=1) / np.sqrt(x.size)
    return mean, mean - half, mean + half, int(x.size)


@dataclass(frozen=True)
class RunFrames:
    """What a comparison reads of one run: its creators, daily followers, strategy shares, summary.

    ``adapts`` says whether creators could copy each other's strategies in the run.
    """

    creators: pd.DataFrame
    creator_platforms: pd.DataFrame
    creators_daily: pd.DataFrame
    strategy_shares: pd.DataFrame
    summary: dict
    adapts: bool = False

    @classmethod
    def of_result(cls, result) -> RunFrames:
        """The frames of a :class:`~sim.outputs.RunResult` in memory."""
        return cls(
            result.creators, result.creator_platforms, result.creators_daily, result.strategy_shares,
            result.summary, result.adapts,
        )  # fmt: skip


def run_metrics(run: RunFrames) -> pd.DataFrame:
    """Long table (group, metric, value) of one run."""
    creators = run.creators
    by_group = creators.groupby("group", sort=False)[list(GROUP_METRICS)].mean()
    by_group.loc[ALL] = creators[list(GROUP_METRICS)].mean()
    table = by_group.rename_axis("group").reset_index().melt(id_vars="group", var_name="metric")
    whole = pd.DataFrame(
        {"group": ALL, "metric": list(RUN_METRICS), "value": [run.summary.get(m) for m in RUN_METRICS]}
    )
    return pd.concat([table, whole], ignore_index=True).astype({"value": float})


def platform_metrics(run: RunFrames) -> pd.DataFrame:
    """Long table (group, platform, metric, value) of one run: each group on each platform."""
    accounts = run.creator_platforms
    by_group = accounts.groupby(["group", "platform"], sort=False)[list(GROUP_METRICS)].mean()
    everyone = accounts.groupby("platform", sort=False)[list(GROUP_METRICS)].mean()
    everyone.index = pd.MultiIndex.from_product([[ALL], everyone.index], names=["group", "platform"])
    table = pd.concat([by_group, everyone]).reset_index()
    return table.melt(id_vars=["group", "platform"], var_name="metric").astype({"value": float})


def followers_by_day(run: RunFrames) -> pd.DataFrame:
    """Long table (group, day, metric, value) of one run: mean followers per creator of each group."""
    daily = run.creators_daily.groupby(["group", "day"], sort=False)["followers"].mean().reset_index()
    return daily.rename(columns={"followers": "value"}).assign(metric="followers")


def per_run(
    runs: pd.DataFrame, frames: list[RunFrames], keys: tuple[str, ...] = ("arm",), metrics_of=run_metrics
) -> pd.DataFrame:
    """Every run's metrics in one long table, labelled with the ``keys`` columns of its row in ``runs``."""
    return pd.concat(
        [
            metrics_of(run).assign(**{key: row[key] for key in keys})
            for row, run in zip(runs.to_dict("records"), frames, strict=True)
        ],
        ignore_index=True,
    )


def paired_difference(metrics: pd.DataFrame, arm: str, baseline: str) -> pd.DataFrame:
    """Per group and metric: ``arm`` minus ``baseline``, replicate by replicate, with its 95% interval.

    Replicate i of every arm runs with the same seed (common random numbers), so the difference of
    each pair removes what the two runs share, and its interval is far tighter than two separate
    intervals compared for overlap. A difference can have any sign, so its interval is not cut.

    Args:
        metrics: :func:`per_run` with ``keys=("arm", "replicate")``.
    """
    mine = metrics[metrics["arm"] == arm].set_index(["replicate", "group", "metric"])["value"]
    theirs = metrics[metrics["arm"] == baseline].set_index(["replicate", "group", "metric"])["value"]
    differences = (mine - theirs).dropna().reset_index().drop(columns="replicate")
    return summarise(differences, (), bounded=False)


def summarise(long: pd.DataFrame, keys: tuple[str, ...], bounded: bool = True) -> pd.DataFrame:
    """Mean and 95% CI of ``value`` for each combination of ``keys``, the other labels and ``metric``.

    Args:
        long: one row per run and measure: ``keys`` columns, further labels (group, platform,
            day), ``metric`` and ``value``.
        bounded: cut intervals at 0 for :data:`NON_NEGATIVE` and at 1 for :data:`AT_MOST_ONE`.
    """
    within = [column for column in long.columns if column not in (*keys, "metric", "value")]
    labels = [*keys, *within, "metric"]
    rows = []
    for values_of, values in long.groupby(labels, sort=False)["value"]:
        mean, low, high, n = confidence_interval(values)
        if bounded and values_of[-1] in NON_NEGATIVE:
            low = max(low, 0.0)
        if bounded and values_of[-1] in AT_MOST_ONE:
            high = min(high, 1.0)
        rows.append(
            {
                **dict(zip(labels, values_of, strict=True)),
                "mean": mean,
                "ci_low": low,
                "ci_high": high,
                "n": n,
            }
        )
    return pd.DataFrame(rows, columns=[*labels, "mean", "ci_low", "ci_high", "n"])


def strategy_shares_at_end(run: RunFrames) -> pd.DataFrame:
    """Long table (strategy, metric, value): each strategy's share of all creators on the last day."""
    shares = run.strategy_shares
    end = shares[shares["day"] == shares["day"].max()].groupby("strategy", sort=False)["creators"].sum()
    return pd.DataFrame({"strategy": end.index, "metric": "share_at_end", "value": end / end.sum()})


def compare(
    runs: pd.DataFrame, frames: list[RunFrames], keys: tuple[str, ...] = ("arm",), metrics_of=run_metrics
) -> pd.DataFrame:
    """Mean and 95% CI of every metric per arm (or sweep point) and group over replicates.

    Args:
        runs: one row per run with the ``keys`` columns; ``frames`` holds each run's frames, in order.
        metrics_of: what one run gives: :func:`run_metrics` (per group), :func:`platform_metrics`
            (per group and platform) or :func:`followers_by_day` (per group and day).
    """
    return summarise(per_run(runs, frames, keys, metrics_of), keys)


@dataclass(frozen=True)
class Comparison:
    """Every table an experiment's report and plots are made of.

    Attributes:
        runs: one row per run (arm, replicate, seed, folder, sweep coordinates).
        comparison: every metric per arm and group (``comparison.csv``).
        bands: mean followers per creator of each group by day, per arm.
        sweep: the same per grid point (sweeps only), ``by_platform`` per platform (several only).
        metrics: every run's metrics (:func:`per_run` by arm and replicate), for paired differences.
        strategies: each strategy's share of creators at the end, per arm (when creators adapt).
    """

    runs: pd.DataFrame
    comparison: pd.DataFrame
    bands: pd.DataFrame
    sweep: pd.DataFrame | None
    by_platform: pd.DataFrame | None
    metrics: pd.DataFrame
    strategies: pd.DataFrame | None = None

    @classmethod
    def of(cls, runs: pd.DataFrame, frames: list[RunFrames], grid: list[str]) -> Comparison:
        """Compare runs given as frames (in memory, or read back from their folders)."""
        metrics = per_run(runs, frames, keys=("arm", "replicate", *grid))
        by_platform = compare(runs, frames, metrics_of=platform_metrics)
        return cls(
            runs=runs,
            comparison=summarise(metrics.drop(columns=["replicate", *grid]), ("arm",)),
            bands=compare(runs, frames, metrics_of=followers_by_day).drop(columns="metric"),
            sweep=summarise(metrics.drop(columns="replicate"), ("arm", *grid)) if grid else None,
            by_platform=by_platform if by_platform["platform"].nunique() > 1 else None,
            metrics=metrics,
            strategies=(
                compare(runs, frames, metrics_of=strategy_shares_at_end)
                if any(f.adapts for f in frames)
                else None
            ),
        )


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
