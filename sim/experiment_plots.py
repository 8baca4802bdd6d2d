"""Plots of an experiment folder: groups compared across arms and sweep points, with 95% bands.

Every public function takes the comparison tables of :mod:`sim.comparison` and a path, and writes
one PNG; the ``*_figure`` functions draw the same figure and return it (for tests and notebooks).

Colours mean the same thing in every plot: an arm has one colour in all panels (the arms in the
order they first appear in the table), and a creator group has the colour of
:func:`sim.plots.group_colors` (the whole population, ``all``, is black and dashed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.comparison import NON_NEGATIVE
from sim.plots import ALL_GROUP, day_axis, group_colors, integer_ticks, save

#: Colours of arms, in the order the arms first appear (distinct from the colours of creator groups).
ARM_PALETTE = tuple(plt.get_cmap("Dark2").colors)
#: How each metric is labelled: (title, y axis label with its unit).
METRIC_LABELS = {
    "followers_gained": ("Followers gained", "followers gained per creator"),
    "engagement_per_view": ("Displayed engagement per view", "(displayed likes + comments + shares) / views"),
    "income": ("Income", "income per creator (EUR)"),
    "organic_engagement_per_view": (
        "Organic engagement per view",
        "organic (likes + comments + shares) / views",
    ),
    "gift_income": ("Gift income", "gift income per creator (EUR)"),
    "vip_income": ("VIP income", "VIP income per creator (EUR)"),
    "brand_income": ("Brand income", "brand deal income per creator (EUR)"),
    "profit": ("Profit", "profit per creator (EUR)"),
    "like_spend": ("Spend on likes", "spend on likes per creator (EUR)"),
    "views": ("Views", "views per creator"),
    "like_view_median": ("Median like/view", "likes / views (median video)"),
    "views_gini": ("Gini of views", "Gini coefficient (0-1)"),
    "top1pct_view_share": ("Top 1% share of views", "share of all views (0-1)"),
    "followers_gini": ("Gini of followers", "Gini coefficient (0-1)"),
    "bought_like_survival_28d": ("Bought likes alive after 28 days", "share still online (0-1)"),
    "audit_auc": ("Audit AUC", "area under the ROC curve (0-1)"),
    "creator_share_of_spend": ("Creators' share of viewer spend", "share of spend (0-1)"),
    "gift_top20_share": ("Top 20% gifters' share", "share of coins gifted (0-1)"),
    "gift_income_gini": ("Gini of gift income", "Gini coefficient (0-1)"),
    "brand_roi_audited": ("Return of audited brands", "conversion value / spend (ratio)"),
    "brand_roi_unaudited": ("Return of unaudited brands", "conversion value / spend (ratio)"),
}
#: Metrics that count whole things (their axes get whole-number ticks).
COUNT_METRICS = {"followers_gained", "views"}
BAND_ALPHA = 0.12
#: Widest figure (inches) before panels wrap onto another row.
MAX_WIDTH = 18.0


def arm_colors(arms) -> dict:
    """A colour per arm, in the order the arms first appear."""
    return {arm: ARM_PALETTE[i % len(ARM_PALETTE)] for i, arm in enumerate(dict.fromkeys(arms))}


def metric_title(metric: str) -> str:
    """The words for a metric in a title."""
    return METRIC_LABELS.get(metric, (metric.replace("_", " "), metric))[0]


def metric_ylabel(metric: str) -> str:
    """The y axis label of a metric, with its unit."""
    return METRIC_LABELS.get(metric, (metric, metric.replace("_", " ")))[1]


def _band(ax, x, low, high, color, floor: float | None = None, bands: int = 1) -> None:
    """A 95% band: translucent fill with thin edge lines, so overlapping bands stay readable.

    Args:
        floor: clip the band here (0 for quantities that cannot be negative).
        bands: how many bands share the panel; the fill fades as they pile up.
    """
    low, high = np.asarray(low, float), np.asarray(high, float)
    if floor is not None:
        low, high = np.maximum(low, floor), np.maximum(high, floor)
    if np.isnan(low).all():
        return  # a single replicate: no interval
    ax.fill_between(x, low, high, color=color, alpha=max(0.04, BAND_ALPHA / max(bands / 2, 1)), linewidth=0)
    for edge in (low, high):
        ax.plot(x, edge, color=color, linewidth=0.7, alpha=0.7, zorder=2)


def _note_if_all_zero(ax, rows: pd.DataFrame, note: str) -> None:
    """Say so on a panel whose means and intervals are all 0 (else it looks like a drawing failure)."""
    if len(rows) and (rows["mean"] == 0).all() and not (rows["ci_high"] > 0).any():
        ax.text(0.5, 0.6, note, transform=ax.transAxes, ha="center", color="dimgrey")


# --- followers by arm ----------------------------------------------------------------------------------


def followers_by_arm_figure(bands: pd.DataFrame) -> Figure:
    """Followers per creator over time: one panel per creator group, one line per arm, 95% bands.

    An arm keeps its colour in every panel, also where it has no creator of the panel's group.
    """
    groups = list(dict.fromkeys(bands["group"]))
    colors = arm_colors(bands["arm"])
    fig, axes = plt.subplots(1, len(groups), figsize=(4.2 * len(groups) + 1.6, 4), sharey=True, squeeze=False)
    for ax, group in zip(axes[0], groups, strict=True):
        mine = bands[bands["group"] == group]
        for arm, rows in mine.groupby("arm", sort=False):
            rows = rows.sort_values("day")
            _band(ax, rows["day"], rows["ci_low"], rows["ci_high"], colors[arm], 0.0, len(colors))
            ax.plot(rows["day"], rows["mean"], color=colors[arm], linewidth=2, zorder=3, label=arm)
        missing = [arm for arm in colors if arm not in set(mine["arm"])]
        if missing:
            ax.text(
                0.02,
                0.98,
                "no such creators in: " + ", ".join(missing),
                transform=ax.transAxes,
                va="top",
                fontsize=7,
                color="dimgrey",
            )
        ax.set(xlabel="day", title=group)
        day_axis(ax, start=min(0, int(bands["day"].min())))
    axes[0][0].set_ylim(bottom=0)
    integer_ticks(axes[0][0].yaxis)
    axes[0][0].set_ylabel("followers per creator (mean, 95% CI over replicates)")
    handles = [Line2D([], [], color=color, linewidth=2, label=arm) for arm, color in colors.items()]
    axes[0][-1].legend(handles=handles, title="arm", fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
    return fig


def followers_by_arm(bands: pd.DataFrame, path: Path) -> Path:
    """Write :func:`followers_by_arm_figure` to ``path``."""
    return save(followers_by_arm_figure(bands), path)


# --- comparison bars -----------------------------------------------------------------------------------


def comparison_figure(comparison: pd.DataFrame, metrics: Sequence[str]) -> Figure:
    """Each metric by creator group (x) and arm (bar colour): means with 95% confidence intervals.

    Metrics without data get no panel; a mean over a single replicate has no interval and is drawn
    without an error bar (as is an interval of zero width: every replicate gave the same value).
    """
    shown = comparison[comparison["metric"].isin(metrics) & (comparison["group"] != ALL_GROUP)]
    shown = shown[shown["mean"].notna()]
    wanted, metrics = list(metrics), [m for m in metrics if (shown["metric"] == m).any()]
    colors = arm_colors(comparison["arm"])
    groups = list(dict.fromkeys(shown["group"]))
    width = 0.8 / len(colors)
    panel_width = min(max(3.6, 0.3 * len(groups) * len(colors) + 1.5), 9.0)
    rows_of_panels = max(1, -(-len(metrics) // max(1, int(MAX_WIDTH // panel_width))))
    columns = max(1, -(-len(metrics) // rows_of_panels))  # balanced rows: 5 panels are 3 + 2
    fig, axes = plt.subplots(
        rows_of_panels, columns, figsize=(panel_width * columns + 1.8, 4.4 * rows_of_panels), squeeze=False
    )
    for ax in axes.ravel()[len(metrics) :]:
        fig.delaxes(ax)  # no empty panels
    if not metrics:
        fig.text(0.5, 0.5, "no data for " + ", ".join(wanted), ha="center", va="center")
        return fig
    single = False
    for ax, metric in zip(axes.ravel(), metrics, strict=False):
        rows = shown[shown["metric"] == metric].set_index(["arm", "group"])
        floor = 0.0 if metric in NON_NEGATIVE else -np.inf
        for i, (arm, color) in enumerate(colors.items()):
            x = np.arange(len(groups)) + (i - (len(colors) - 1) / 2) * width
            mean = np.array([rows["mean"].get((arm, g), np.nan) for g in groups])
            low = np.maximum([rows["ci_low"].get((arm, g), np.nan) for g in groups], floor)
            high = np.array([rows["ci_high"].get((arm, g), np.nan) for g in groups])
            ax.bar(x, mean, width, color=color, alpha=0.85, label=arm)
            n = np.array([rows["n"].get((arm, g), 0) for g in groups])
            interval = np.isfinite(low) & np.isfinite(high) & (high > low) & (n > 1)
            single |= bool((n == 1).any())
            if interval.any():
                error = np.vstack([mean - low, high - mean])[:, interval]
                ax.errorbar(
                    x[interval],
                    mean[interval],
                    yerr=np.maximum(error, 0),
                    fmt="none",
                    ecolor="black",
                    elinewidth=1,
                    capsize=3,
                )
        ax.axhline(0, color="black", linewidth=0.5)
        _note_if_all_zero(ax, rows, "0 for every group and arm")
        if metric in NON_NEGATIVE:
            ax.set_ylim(bottom=0)
        ax.set_xticks(range(len(groups)), groups, rotation=30, ha="right", rotation_mode="anchor", fontsize=8)
        ax.set(title=metric_title(metric), ylabel=metric_ylabel(metric), xlabel="creator group")
        if metric in COUNT_METRICS:
            integer_ticks(ax.yaxis)
    handles = [Patch(color=color, alpha=0.85, label=arm) for arm, color in colors.items()]
    top_right = axes[0][min(columns, len(metrics)) - 1]
    top_right.legend(handles=handles, title="arm", fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
    note = "; bars without a whisker: one replicate, no interval" if single else ""
    fig.suptitle(f"Mean per creator, 95% confidence intervals over replicates{note}", fontsize=10)
    return fig


def comparison_bars(comparison: pd.DataFrame, path: Path, metrics: Sequence[str]) -> Path:
    """Write :func:`comparison_figure` to ``path``."""
    return save(comparison_figure(comparison, metrics), path)


# --- sweeps --------------------------------------------------------------------------------------------


def _ordered_values(values: pd.Series) -> tuple[list, bool]:
    """The distinct values of a grid column, in numeric order when all are numbers; and whether they are."""
    distinct = list(dict.fromkeys(values))
    numbers = pd.to_numeric(pd.Series(distinct, dtype=object), errors="coerce")
    numeric = bool(len(distinct)) and numbers.notna().all() and not any(isinstance(v, bool) for v in distinct)
    if numeric:
        distinct = [v for _, v in sorted(zip(numbers, distinct, strict=True), key=lambda pair: pair[0])]
    return distinct, numeric


def _panels(sweep: pd.DataFrame, others: list[str]) -> list[tuple]:
    """The combinations of values of the grid parameters after the first, in each one's order."""
    if not others:
        return [()]
    orders = {path: _ordered_values(sweep[path])[0] for path in others}
    combinations = dict.fromkeys(sweep[others].itertuples(index=False, name=None))
    return sorted(combinations, key=lambda c: [orders[p].index(v) for p, v in zip(others, c, strict=True)])


def _label(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def sweep_figure(sweep: pd.DataFrame, grid: Sequence[str], metrics: str | Sequence[str]) -> Figure:
    """Metrics over a sweep: x the first grid parameter, one line per creator group with its 95% band.

    One row of panels per metric; with a second grid parameter, one panel per value of it (per
    combination of values with more parameters; shared y within a row). The whole population (group
    ``all``) is the black dashed line. Grid values are numbers (numeric order) or names (grid order).
    """
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    sweep = sweep.copy()
    for path in grid:  # a null grid value is a value too ("none"), not a missing one
        if sweep[path].isna().any():
            sweep[path] = sweep[path].astype(object).where(sweep[path].notna(), "none")
    first, others = grid[0], list(grid[1:])
    xs, numeric = _ordered_values(sweep[first])
    panels = _panels(sweep, others)
    colors = group_colors(sweep["group"])
    fig, axes = plt.subplots(
        len(metrics),
        len(panels),
        figsize=(4.6 * len(panels) + 1.8, 3.6 * len(metrics)),
        sharey="row",
        squeeze=False,
    )
    for row, metric in enumerate(metrics):
        floor = 0.0 if metric in NON_NEGATIVE else None
        for column, panel in enumerate(panels):
            ax = axes[row][column]
            rows = sweep[sweep["metric"] == metric]
            if others:
                rows = rows[(rows[others] == pd.Series(panel, index=others)).all(axis=1)]
            for group, color in colors.items():
                table = rows[rows["group"] == group]
                if table.empty:
                    continue
                table = table.set_index(first).reindex(xs)
                x = np.array(xs, float) if numeric else np.arange(len(xs))
                _band(ax, x, table["ci_low"], table["ci_high"], color, floor, len(colors))
                dashed = group == ALL_GROUP
                style = {"linestyle": "--" if dashed else "-", "zorder": 4 if dashed else 3}
                ax.plot(x, table["mean"], color=color, marker="o", markersize=4, label=group, **style)
            ticks = np.array(xs, float) if numeric else np.arange(len(xs))
            ax.set_xticks(ticks, [_label(v) for v in xs])
            ax.set_xlabel(first)
            if metric in COUNT_METRICS:
                integer_ticks(ax.yaxis)
            _note_if_all_zero(ax, rows, "0 for every group")
            where = ", ".join(f"{path} = {_label(value)}" for path, value in zip(others, panel, strict=True))
            title = metric_title(metric) + (f"\n{where}" if others else "")
            ax.set_title(title, fontsize=10)
        axes[row][0].set_ylabel(f"{metric_ylabel(metric)}\n(mean, 95% CI)")
        if floor == 0.0:
            axes[row][0].set_ylim(bottom=0)  # the row shares its y axis
    handles = [
        Line2D([], [], color=color, linestyle="--" if group == ALL_GROUP else "-", marker="o", label=group)
        for group, color in colors.items()
    ]
    axes[0][-1].legend(
        handles=handles, title="creator group", fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1)
    )
    return fig


def sweep_plot(sweep: pd.DataFrame, path: Path, grid: list[str], metric: str | Sequence[str]) -> Path:
    """Write :func:`sweep_figure` of one metric (or several, one row of panels each) to ``path``."""
    return save(sweep_figure(sweep, grid, metric), path)
