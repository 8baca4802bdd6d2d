"""Plots of a validation: published numbers and the model's side by side (DataFrames in, PNG out)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.metrics import RATED_SHARE, TIERS, gini, lorenz, top_share
from sim.musiclab import INDEPENDENT
from sim.plots import save

#: MusicLab as recomputed from the original download logs (docs/validation.md section 1).
PUBLISHED_MUSICLAB = {
    "grid": {"gini_social": 0.34, "gini_independent": 0.244, "u_social": 0.0082, "u_independent": 0.0056},
    "ranked": {"gini_social": 0.50, "gini_independent": 0.187, "u_social": 0.0126, "u_independent": 0.0048},
}
PUBLISHED, MODEL = "tab:grey", "tab:blue"


def checks_overview(table: pd.DataFrame, path: Path) -> Path:
    """Every check as a dot: where the model's value sits in its accepted range (0 = low, 1 = high)."""
    shown = table.reset_index(drop=True)
    measured = shown["value"].notna()
    bounded = np.isfinite(shown["high"]) & (shown["high"] > shown["low"])
    inside = ((shown["value"] - shown["low"]) / (shown["high"] - shown["low"]).where(bounded)).clip(-0.9, 1.9)
    position = inside.where(bounded, np.where(shown["ok"], 0.5, -0.5)).where(measured, -1.0)
    y = np.arange(len(shown))[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.22 * len(shown) + 1.2))
    ax.axvspan(0, 1, color="green", alpha=0.1, label="accepted range")
    colour = np.where(shown["ok"], "tab:green", "tab:red")
    ax.scatter(position[measured], y[measured], c=colour[measured], zorder=3)
    if (~measured).any():
        ax.scatter(position[~measured], y[~measured], facecolors="none", edgecolors="tab:red", zorder=3,
                   label="not measured (the model lacks it)")  # fmt: skip
    for row, value, where in zip(y, shown["value"], position, strict=True):
        if value == value:
            ax.annotate(f"{value:.3g}", (where, row), xytext=(6, -3), textcoords="offset points", fontsize=6)
    names = shown["metric"].str.replace(r"^(platform|musiclab)\.", "", regex=True)
    labels = [
        f"§{s} {n}  [{lo:.3g}, {hi:.3g}]"
        for s, n, lo, hi in zip(shown["section"], names, shown["low"], shown["high"], strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xticks([-1, 0, 1, 2], ["not measured\nor far below", "low end", "high end", "far above"])
    ax.set(xlim=(-1.3, 2.1), title=f"Validation: {int(shown['ok'].sum())} of {len(shown)} checks pass")
    ax.legend(loc="lower right", fontsize=8)
    return save(fig, path)


def musiclab_bars(measures: pd.DataFrame, path: Path) -> Path:
    """Gini and unpredictability per condition, published (MusicLab) next to the model (replicate range)."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    conditions = [
        ("independent\n(Exp. 1)", "grid", "_independent"),
        ("grid\n(Exp. 1)", "grid", "_social"),
        ("independent\n(Exp. 2)", "ranked", "_independent"),
        ("ranked list\n(Exp. 2)", "ranked", "_social"),
    ]
    for ax, measure, title in zip(axes, ("gini", "u"), ("Gini of download shares", "Unpredictability U"),
                                  strict=True):  # fmt: skip
        for x, (_, display, suffix) in enumerate(conditions):
            values = measures.loc[
                (measures["display"] == display) & (measures["metric"] == measure + suffix), "value"
            ]
            published = PUBLISHED_MUSICLAB[display][measure + suffix]
            ax.bar(x - 0.2, published, 0.4, color=PUBLISHED, label="published" if x == 0 else None)
            ax.bar(x + 0.2, values.mean(), 0.4, color=MODEL, label="model (mean)" if x == 0 else None)
            ax.vlines(
                x + 0.2,
                values.min(),
                values.max(),
                color="black",
                label="model: lowest to highest replicate" if x == 0 else None,
            )
        ax.set_xticks(range(4), [label for label, _, _ in conditions], fontsize=8)
        ax.set_title(title)
    axes[0].legend(fontsize=8)
    fig.suptitle("MusicLab: social influence makes success unequal and unpredictable")
    return save(fig, path)


def musiclab_quality_success(songs: pd.DataFrame, path: Path) -> Path:
    """Each song's share in the social worlds against its share in the independent world (its 'quality')."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.5), sharex=True, sharey=True)
    for ax, display in zip(axes, ("grid", "ranked"), strict=True):
        mine = songs[songs["display"] == display]
        for _, replicate in mine.groupby("seed"):
            quality = replicate[replicate["world"] == INDEPENDENT].set_index("song")["share"]
            social = replicate[replicate["world"] != INDEPENDENT]
            ax.scatter(quality.loc[social["song"]], social["share"], s=6, alpha=0.35, color=MODEL)
        most = songs.loc[songs["world"] == INDEPENDENT, "share"].max()
        ax.plot([0, most], [0, most], color="grey", linestyle="--", label="same share as without counts")
        ax.set(xlabel="share in the independent world (quality)", title=f"{display} display")
    axes[0].set_ylabel("share in each social world")
    axes[0].legend(fontsize=8)
    fig.suptitle("Success follows quality only in part: each song's share with counts shown and without")
    return save(fig, path)


def like_view(rated: pd.DataFrame, path: Path) -> Path:
    """Like/view of rated videos (model, pooled over replicates) against the published median and spread."""
    values = rated["like_view"].clip(lower=1e-4)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.axvspan(0.02, 0.12, color=PUBLISHED, alpha=0.2, label="published 10-90%: 2.0-12.0%")
    ax.axvline(0.053, color="black", linestyle="--", linewidth=1.5, label="published median 5.3%")
    bins = np.geomspace(max(values.min(), 1e-3), max(values.max(), 0.5), 40)
    ax.hist(values, bins=bins, color=MODEL, alpha=0.7, label=f"model videos (median {values.median():.1%})")
    ax.axvline(values.median(), color=MODEL, linewidth=2)
    ax.set(
        xscale="log",
        xlabel=f"likes per view (the most-viewed {RATED_SHARE:.0%} of videos)",
        ylabel="videos",
        title="Likes per view: TikTok For-You sample vs the default scenario",
    )
    ax.legend(fontsize=8)
    return save(fig, path)


def tiers(table: pd.DataFrame, path: Path) -> Path:
    """Median engagement per follower and per view by follower tier (model), with the published nano rate."""
    order = [t for t in TIERS if t in set(table["tier"])]
    by_tier = table.groupby("tier")
    mean = by_tier[["engagement_per_follower", "engagement_per_view"]].mean().reindex(order)
    creators = by_tier["creators"].sum().reindex(order) / table["seed"].nunique()
    labels = []
    for name in order:
        low, high = TIERS[name]
        bounds = (
            f"< {high:.1%}" if low == 0 else f">= {low:.0%}" if high == np.inf else f"{low:.1%}-{high:.0%}"
        )
        count = round(creators[name])
        labels.append(f"{name}\n{bounds}\n({count} creator{'' if count == 1 else 's'})")
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.4))
    axes[0].bar(labels, mean["engagement_per_follower"], color=MODEL, label="model (median per tier)")
    if "nano" in order:
        axes[0].hlines(0.126, -0.4, 0.4, color="black", linestyle="--", label="TikTok nano, published: 12.6%")
    axes[0].set(ylabel="(likes + comments + shares) per video / followers", title="Per follower: should fall")
    axes[1].bar(labels, mean["engagement_per_view"], color=MODEL)
    axes[1].set(ylabel="(likes + comments + shares) / views", title="Per view: should stay roughly flat")
    fig.supxlabel(
        "follower tier, as a share of the viewer count (mean per replicate in brackets)", fontsize=9
    )
    axes[0].legend(fontsize=8)
    return save(fig, path)


def views_tail(views: pd.DataFrame, path: Path) -> Path:
    """Share of all views held by the top x% of videos (model, per replicate), with the published points."""
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    top = np.geomspace(0.001, 1, 60)
    replicates = [replicate["views"] for _, replicate in views.groupby("seed")]
    for replicate in replicates:
        ax.plot(top, [top_share(replicate, t) for t in top], color=MODEL, alpha=0.6)
    mean_gini = np.mean([gini(replicate) for replicate in replicates])
    ax.plot([], [], color=MODEL, label=f"model, one line per replicate (views Gini {mean_gini:.2f})")
    for label, (x, y) in {"YouTube: top 0.16% get 50%": (0.0016, 0.5),
                          "YouTube: top 3.7% get 94%": (0.037, 0.94)}.items():  # fmt: skip
        ax.scatter(x, y, s=40, zorder=3, label=label)
    ax.vlines(0.01, 1 / 3, 1, color="tab:green", linewidth=3, alpha=0.5, label="project: top 1% hold >= 1/3")
    ax.set(xscale="log", xlabel="top share of videos", ylabel="share of all views", ylim=(0, 1.02),
           title="Popularity is heavy-tailed")  # fmt: skip
    ax.legend(fontsize=8, loc="lower right")
    return save(fig, path)


def survival(curves: pd.DataFrame, path: Path) -> Path:
    """Survival of bought likes by age, each replicate, against the published 28-day range."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.fill_between([27, 29], 0.80, 0.98, color=PUBLISHED, alpha=0.4, label="published: 80-98% after 4 weeks")
    for _, curve in curves.groupby("seed"):
        ax.step(curve["age_days"], curve["survival"], where="post", color=MODEL, alpha=0.7)
    ax.plot([], [], color=MODEL, label="model (each replicate)")
    ax.set(xlabel="days since delivery", ylabel="share still online", ylim=(0, 1.02),
           title="Bought likes mostly survive")  # fmt: skip
    ax.legend(loc="lower left", fontsize=8)
    return save(fig, path)


def audit_sweep(curve: pd.DataFrame, path: Path) -> Path:
    """The brands' audit against bot quality: recall, precision and AUC."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for metric, label in (("audit_recall", "recall (buyers flagged)"), ("audit_precision", "precision"),
                          ("audit_auc", "AUC")):  # fmt: skip
        ax.plot(curve["bot_quality"], curve[metric], marker="o", label=label)
    ax.set(xlabel="bot quality (share of a farm's accounts that pass as human)", ylim=(0, 1.02),
           ylabel="share (recall, precision) or area (AUC)",
           title="The audit sees less as bots pass better as humans")  # fmt: skip
    ax.legend(fontsize=8)
    return save(fig, path)


#: How the emotion checks read, for the plot's rows.
EMOTION_LABELS = {
    "platform.share_per_sd_arousal": "sharing, per sd of arousal",
    "platform.share_per_sd_valence": "sharing, per sd of valence",
    "platform.sad_share_ratio": "sharing of sad videos vs neutral ones",
    "platform.like_per_sd_arousal": "liking, per sd of arousal",
    "platform.like_per_sd_valence": "liking, per sd of valence",
}


def emotion(table: pd.DataFrame, path: Path) -> Path:
    """Measured rate ratios for sharing and liking, with accepted ranges.

    Args:
        table: the §8 rows of the validation table.
    """
    rows = table.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7.5, 3.5))
    for y, row in rows.iterrows():
        high = row["high"] if np.isfinite(row["high"]) else max(2.0, row["value"] or 0)
        ax.hlines(y, row["low"], high, color=PUBLISHED, linewidth=8, alpha=0.4)
        ax.scatter(row["value"], y, color="tab:green" if row["ok"] else "tab:red", zorder=3)
    ax.axvline(1, color="black", linewidth=0.8)
    ax.set_yticks(range(len(rows)), [EMOTION_LABELS.get(m, m) for m in rows["metric"]], fontsize=8)
    ax.set(
        xlabel="rate ratio (1: no effect); grey bar: accepted range", title="Emotion and engagement, measured"
    )
    return save(fig, path)


def gifting(gifters: pd.DataFrame, path: Path) -> Path:
    """Lorenz curve of coins gifted (model, each replicate), with the published top-20% point."""
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect equality")
    for _, replicate in gifters.groupby("seed"):
        share_items, share_coins = lorenz(replicate["coins_gifted"])
        ax.plot(share_items, share_coins, color=MODEL, alpha=0.7)
    ax.plot([], [], color=MODEL, label="model (each replicate)")
    ax.scatter(0.8, 0.03, color=PUBLISHED, s=40, zorder=3, label="published: top 20% give 97%")
    ax.set(xlabel="share of gifting viewers (smallest first)", ylabel="share of coins gifted",
           title="Gifting is concentrated in a few whales")  # fmt: skip
    ax.legend(fontsize=8, loc="upper left")
    return save(fig, path)
