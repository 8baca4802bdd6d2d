"""What an experiment folder says: ``report.md`` (who wins on what) and its comparison plots.

Numbers come from :mod:`sim.comparison` (means per creator over replicates, Student-t 95%
intervals); this module puts them into words and pictures.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.comparison import winners
from sim.plots import save

#: Per-creator metrics the experiment report compares, with the words it uses for them.
HEADLINE_METRICS = {
    "followers_gained": "followers gained",
    "engagement_per_view": "engagement per view (displayed)",
    "income": "revenue (gifts, VIP, brand deals)",
    "profit": "profit (revenue minus spend on likes)",
}


def _interval(mean, low, high, digits: int = 3) -> str:
    if mean != mean:
        return "n/a"
    if low != low:
        return f"{mean:.{digits}g}"
    return f"{mean:.{digits}g} [{low:.{digits}g}, {high:.{digits}g}]"


def experiment_report(
    runs: pd.DataFrame, comparison: pd.DataFrame, plots: list[str], by_platform: pd.DataFrame | None = None
) -> str:
    """The experiment's report.md: who wins on what, with 95% confidence intervals, in plain words.

    Args:
        by_platform: the comparison per platform (runs with several platforms), or None.
    """
    replicates = runs.groupby("arm").size()
    lines = [
        "# Experiment",
        "",
        f"{len(runs)} runs: {len(replicates)} arm(s) x {replicates.max()} replicates (seeds derived from the "
        "scenario seed with numpy SeedSequence.spawn; replicate i of every arm uses the same seed). "
        "Numbers are means per creator over replicates with 95% confidence intervals in brackets "
        "(Student t over replicates). Each run's own folder is under `runs/`.",
        "",
        "## Who wins",
        "",
    ]
    answers = winners(comparison, tuple(HEADLINE_METRICS))
    if answers.empty:
        lines += ["Each arm has a single creator group, so there is no ranking of groups.", ""]
    for arm, table in answers.groupby("arm", sort=False) if not answers.empty else ():
        if len(replicates) > 1:
            lines.append(f"**{arm}**")
            lines.append("")
        for row in table.itertuples():
            best = _interval(row.best_mean, *row.best_ci)
            second = _interval(row.runner_up_mean, *row.runner_up_ci)
            verdict = (
                "the intervals do not overlap, so this lead is clear"
                if row.clear
                else "they are level"
                if row.best_mean == row.runner_up_mean
                else f"the intervals overlap, so {replicates[arm]} replicates cannot tell these two apart"
            )
            lines.append(
                f"- On {HEADLINE_METRICS[row.metric]}, **{row.best}** comes first with {best}, ahead of "
                f"{row.runner_up} with {second}; {verdict}."
            )
        lines.append("")
    lines += ["## All groups", ""]
    headline = comparison[comparison["metric"].isin(HEADLINE_METRICS)]
    wide = headline.assign(cell=[_interval(r.mean, r.ci_low, r.ci_high) for r in headline.itertuples()])
    wide = wide.pivot_table(
        index=["arm", "group"], columns="metric", values="cell", aggfunc="first", sort=False
    )
    lines.append("| arm | group | " + " | ".join(HEADLINE_METRICS.values()) + " |")
    lines.append("|---" * (2 + len(HEADLINE_METRICS)) + "|")
    for (arm, group), row in wide.iterrows():
        lines.append(
            f"| {arm} | {group} | " + " | ".join(str(row.get(m, "n/a")) for m in HEADLINE_METRICS) + " |"
        )
    lines += ["", "Every metric, arm and group is in `comparison.csv`."]
    if by_platform is not None:
        lines += _platforms_section(by_platform)
    lines += ["", "## Plots", ""]
    lines += [f"![{name[:-4]}](plots/{name})" for name in plots]
    return "\n".join(lines) + "\n"


#: What the per-platform section compares: metric -> words.
PLATFORM_METRICS = {"followers_gained": "followers gained", "profit": "profit"}


def _platforms_section(by_platform: pd.DataFrame) -> list[str]:
    """Where each strategy pays best: each group's accounts on each platform, with 95% intervals."""
    lines = [
        "",
        "## By platform: where does the same strategy pay best?",
        "",
        "Means per creator account on each platform (a cross-posted video counts on each platform), "
        "95% intervals over replicates; every metric is in `platforms.csv`.",
        "",
    ]
    shown = by_platform[by_platform["metric"].isin(PLATFORM_METRICS)]
    platforms = list(dict.fromkeys(shown["platform"]))
    lines += [
        "| arm | group | metric | " + " | ".join(platforms) + " | best |",
        "|---|---|---|" + "---|" * len(platforms) + "---|",
    ]
    for (arm, group, metric), rows in shown.groupby(["arm", "group", "metric"], sort=False):
        rows = rows.set_index("platform")
        cells = [
            _interval(*rows.loc[p, ["mean", "ci_low", "ci_high"]]) if p in rows.index else "n/a"
            for p in platforms
        ]
        ranked = rows.sort_values("mean", ascending=False)
        best, second = ranked.iloc[0], ranked.iloc[min(1, len(ranked) - 1)]
        if best["mean"] == second["mean"]:
            verdict = "level"
        else:
            clear = best["ci_low"] > second["ci_high"]
            verdict = f"{ranked.index[0]}" + ("" if clear else " (not clear)")
        lines.append(
            f"| {arm} | {group} | {PLATFORM_METRICS[metric]} | " + " | ".join(cells) + f" | {verdict} |"
        )
    return lines


def followers_by_arm(bands: pd.DataFrame, path: Path) -> Path:
    """Followers per creator over time: one panel per creator group, one line per arm, 95% bands."""
    groups = list(bands["group"].unique())
    fig, axes = plt.subplots(1, len(groups), figsize=(4.2 * len(groups), 4), sharey=True, squeeze=False)
    for ax, group in zip(axes[0], groups, strict=True):
        for arm, rows in bands[bands["group"] == group].groupby("arm", sort=False):
            ax.plot(rows["day"], rows["mean"], label=arm)
            ax.fill_between(rows["day"], rows["ci_low"], rows["ci_high"], alpha=0.25)
        ax.set(xlabel="day", title=group)
    axes[0][0].set_ylabel("followers per creator (mean, 95% CI over replicates)")
    axes[0][0].legend(fontsize=8)
    return save(fig, path)


def comparison_bars(comparison: pd.DataFrame, path: Path, metrics: tuple[str, ...]) -> Path:
    """Each metric by creator group and arm: means with 95% confidence intervals."""
    shown = comparison[comparison["metric"].isin(metrics) & (comparison["group"] != "all")]
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 4), squeeze=False)
    for ax, metric in zip(axes[0], metrics, strict=True):
        rows = shown[shown["metric"] == metric].reset_index(drop=True)
        labels = rows["group"] if rows["arm"].nunique() == 1 else rows["arm"] + "\n" + rows["group"]
        error = np.vstack([rows["mean"] - rows["ci_low"], rows["ci_high"] - rows["mean"]])
        ax.bar(
            range(len(rows)), rows["mean"], yerr=np.nan_to_num(error), capsize=4, color="tab:blue", alpha=0.8
        )
        ax.set_xticks(range(len(rows)), labels, rotation=30, ha="right", fontsize=8)
        ax.set_title(metric)
    fig.suptitle("Mean per creator with 95% confidence intervals over replicates")
    return save(fig, path)


def sweep_plot(sweep: pd.DataFrame, path: Path, grid: list[str], metric: str) -> Path:
    """One metric over the sweep: lines with 95% bands per group (one parameter), or a heat map (two)."""
    rows = sweep[sweep["metric"] == metric]
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    if len(grid) == 1:
        for group, table in rows.groupby("group", sort=False):
            table = table.sort_values(grid[0])
            ax.plot(table[grid[0]], table["mean"], marker="o", label=group)
            ax.fill_between(table[grid[0]], table["ci_low"], table["ci_high"], alpha=0.2)
        ax.set(xlabel=grid[0], ylabel=f"{metric} (mean, 95% CI)")
        ax.legend(fontsize=8)
    else:
        table = rows[rows["group"] == "all"].pivot_table(index=grid[0], columns=grid[1], values="mean")
        image = ax.imshow(table.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(table.shape[1]), table.columns)
        ax.set_yticks(range(table.shape[0]), table.index)
        ax.set(xlabel=grid[1], ylabel=grid[0])
        fig.colorbar(image, ax=ax, label=f"{metric} (all creators, mean)")
    ax.set_title(f"Sweep: {metric}")
    return save(fig, path)
