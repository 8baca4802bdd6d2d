"""Plots of one run. Every function takes DataFrames (as written to the run folder) and a path."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import (  # noqa: E402
    FixedLocator,
    FuncFormatter,
    LogLocator,
    MaxNLocator,
    NullLocator,
    PercentFormatter,
)

from sim.audit import auc, roc_curve  # noqa: E402
from sim.metrics import RATED_SHARE, TIERS, buyer_comparison, gini, lorenz, rated, top_share  # noqa: E402

#: PNG metadata without a timestamp, so the same data gives the same bytes.
_SAVE = {"dpi": 120, "metadata": {"Software": None}}


#: Colours of creator groups, in the order the groups first appear; the whole population is black.
GROUP_PALETTE = tuple(plt.get_cmap("tab10").colors)
ALL_GROUP, ALL_COLOR = "all", "black"


def save(fig, path: Path) -> Path:
    """Lay out ``fig``, write it to ``path`` as a reproducible PNG, and close it."""
    fig.tight_layout()
    # tight_layout leaves a placeholder layout engine, for which savefig lays the figure out once
    # more before drawing it: a fifth of the time of our plots, for the same pixels.
    fig.set_layout_engine(None)
    fig.savefig(path, **_SAVE)
    plt.close(fig)
    return path


def group_colors(groups) -> dict:
    """A colour per creator group: the palette in the order the groups first appear (``all``: black).

    Pass every group of the run (e.g. ``creators["group"]``), not only those a plot shows, so a group
    keeps its colour in every plot of the run and of an experiment (groups appear in scenario order).
    """
    colors = {}
    for group in dict.fromkeys(groups):
        if group == ALL_GROUP:
            colors[group] = ALL_COLOR
        else:
            colors[group] = GROUP_PALETTE[sum(g != ALL_GROUP for g in colors) % len(GROUP_PALETTE)]
    return colors


def integer_ticks(axis) -> None:
    """Ticks of a count axis (an ``ax.xaxis`` or ``ax.yaxis``) only at whole numbers."""
    axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def plain_number(value, _position=None) -> str:
    """A tick label in plain figures: 0.05, 20, 500, 2k, 1.5M."""
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:g}{suffix}"
    return f"{value:g}"


def plain_log(*axes) -> None:
    """Label log (or symlog) axes in plain figures, without minor ticks; call once the data is drawn.

    A log axis spanning under three decades gets 1-2-5 ticks, a longer one a tick per decade.
    Matplotlib's default labels are typeset powers of ten with a minor tick per unit: harder for a
    student to read, and most of the time a log plot takes to draw.
    """
    for axis in axes:
        low, high = sorted(abs(v) for v in axis.get_view_interval())
        if axis.get_scale() == "log":
            short = low > 0 and high / low < 1e3
            axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0) if short else (1.0,)))
        axis.set_major_formatter(FuncFormatter(plain_number))
        axis.set_minor_locator(NullLocator())


def day_axis(ax, start: int = 0) -> None:
    """An x axis of days: whole days only, starting at ``start`` (day 0, the start, in every plot)."""
    integer_ticks(ax.xaxis)
    ax.set_xlim(left=start)


def followers_over_time(followers: pd.DataFrame, path: Path) -> Path:
    """Mean followers per creator group by day, with the 10-90% band across the group's creators."""
    fig, ax = plt.subplots(figsize=(7, 4.2))
    colors = group_colors(followers["group"])
    for group, rows in followers.groupby("group", sort=False):
        by_day = rows.groupby("day")["followers"]
        days = by_day.mean().index
        ax.plot(days, by_day.mean(), color=colors[group], label=f"{group} (mean)")
        ax.fill_between(days, by_day.quantile(0.1), by_day.quantile(0.9), color=colors[group], alpha=0.15)
    ax.set(xlabel="day", ylabel="followers per creator", title="Followers over time by creator group")
    day_axis(ax)
    integer_ticks(ax.yaxis)
    ax.legend(title="band: 10-90%\nof creators", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return save(fig, path)


def lorenz_views(videos: pd.DataFrame, path: Path) -> Path:
    """Lorenz curve of views over videos, with the Gini coefficient."""
    share_items, share_views = lorenz(videos["views"])
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect equality")
    ax.plot(share_items, share_views, label=f"videos (Gini {gini(videos['views']):.2f})")
    ax.set(
        xlabel="share of videos (fewest views first)",
        ylabel="share of all views",
        title="Who gets the views: Lorenz curve",
    )
    ax.legend(loc="upper left")
    return save(fig, path)


def engagement_vs_followers(creators: pd.DataFrame, path: Path) -> Path:
    """Engagement rate per follower and per view against followers, log axes, by group."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharex=True)
    shown = creators[(creators["followers"] > 0) & (creators["views"] > 0)]
    colors = group_colors(creators["group"])
    panels = (
        ("engagement_per_follower", "(displayed likes+comments+shares)\nper video / followers", "follower"),
        ("engagement_per_view", "(displayed likes+comments+shares) / views", "view"),
    )
    for ax, (column, ylabel, title) in zip(axes, panels, strict=True):
        for group, rows in shown.groupby("group", sort=False):
            ax.scatter(rows["followers"], rows[column], s=12, alpha=0.6, color=colors[group], label=group)
        ax.set(xscale="log", yscale="log", xlabel="followers", ylabel=ylabel, title=f"Engagement per {title}")
        plain_log(ax.xaxis, ax.yaxis)
    axes[0].legend(fontsize=8, loc="best")
    return save(fig, path)


def like_view_distribution(videos: pd.DataFrame, path: Path) -> Path:
    """Histogram of like/view over the most-viewed videos, against the published 2-12% range."""
    rates = rated(videos)["like_view"]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.axvspan(0.02, 0.12, color="green", alpha=0.1, label="TikTok 10-90% range (2-12%)")
    positive = rates[rates > 0]
    if len(positive):
        low = max(positive.min(), 1e-3)
        bins = np.geomspace(low, max(positive.max(), 2 * low), 40)
        ax.hist(positive, bins=bins, color="tab:blue", alpha=0.8)
    if len(rates):
        ax.axvline(rates.median(), color="black", label=f"median {rates.median():.1%}")
    ax.set(
        xscale="log",
        xlabel="likes / views",
        ylabel="videos",
        title=f"Like/view of the most-viewed {RATED_SHARE:.0%} of videos",
    )
    # 1-2-5 ticks as percentages (log-axis minor labels like "3x10^-2" run into each other)
    ax.xaxis.set_major_locator(FixedLocator([m * 10.0**e for e in range(-4, 2) for m in (1, 2, 5)]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{100 * value:.3g}%"))
    ax.xaxis.set_minor_locator(NullLocator())
    integer_ticks(ax.yaxis)
    ax.legend(fontsize=8, loc="best")
    return save(fig, path)


def mark_events(ax, events: pd.DataFrame) -> None:
    """A dashed vertical line at each event, labelled with its note (or what it set)."""
    for row in events.itertuples():
        ax.axvline(row.day, color="crimson", linestyle="--", linewidth=1)
        label = row.note or row.set
        ax.annotate(label[:40], (row.day, 1), xycoords=("data", "axes fraction"), xytext=(3, -12),
                    textcoords="offset points", fontsize=7, color="crimson")  # fmt: skip


def daily_activity(timeseries: pd.DataFrame, events: pd.DataFrame, path: Path) -> Path:
    """Views and likes per day, and the like/view of the day; events marked."""
    fig, ax = plt.subplots(figsize=(7, 4))
    mark_events(ax, events)
    ax.plot(timeseries["day"], timeseries["views"], label="views")
    ax.plot(timeseries["day"], timeseries["likes"], label="likes")
    ax.set(xlabel="day", ylabel="per day", yscale="log", title="Daily views and likes")
    plain_log(ax.yaxis)
    right = ax.twinx()
    right.plot(timeseries["day"], timeseries["like_view"], color="grey", linestyle=":", label="like/view")
    right.set_ylabel("like/view of the day (dotted)")
    day_axis(ax)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, fontsize=8)
    return save(fig, path)


def bought_like_survival(survival: pd.DataFrame, path: Path) -> Path:
    """Share of bought likes still online by age (Kaplan-Meier), against the published 28-day range."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.axvline(28, color="grey", linestyle=":")
    ax.fill_between(
        [27, 29], 0.80, 0.98, color="green", alpha=0.2, label="NATO StratCom: 80-98% after 4 weeks"
    )
    ax.step(survival["age_days"], survival["survival"], where="post", label="bought likes (Kaplan-Meier)")
    ax.set(
        xlabel="days since delivery",
        ylabel="share still online",
        ylim=(0, 1.02),
        title="Survival of bought likes",
    )
    day_axis(ax)
    ax.legend(loc="best", fontsize=8)
    return save(fig, path)


def likes_buyers_vs_controls(creators_daily: pd.DataFrame, creators: pd.DataFrame, path: Path) -> Path:
    """Per buyer group: displayed and organic likes of buyers, and organic likes of matched controls.

    A run with no organic creator has no controls; the buyers' own curves are still drawn.
    """
    buyers = creators[creators["like_spend"] > 0]
    groups = list(buyers["group"].unique())
    colors = group_colors(creators["group"])
    fig, axes = plt.subplots(1, len(groups), figsize=(4.2 * len(groups), 4), sharey=True, squeeze=False)
    by_creator = creators_daily.pivot(index="day", columns="creator")
    group_of = creators.set_index("creator")["group"]
    for ax, group in zip(axes[0], groups, strict=True):
        mine = buyers.loc[buyers["group"] == group, "creator"]
        theirs = buyers.loc[(buyers["group"] == group) & (buyers["control"] >= 0), "control"]
        color = colors[group]
        ax.plot(
            by_creator["displayed_likes"][mine].mean(axis=1), color=color, label="buyers: displayed likes"
        )
        humans = by_creator["organic_likes"][mine].mean(axis=1)
        ax.plot(humans, color=color, linestyle=":", label="buyers: likes from humans")
        if len(theirs):
            control_groups = group_of[theirs].unique()
            ax.plot(
                by_creator["organic_likes"][theirs].mean(axis=1),
                color=colors[control_groups[0]] if len(control_groups) == 1 else "grey",
                linestyle="--",
                label="matched organic creators\n(all their likes are human)",
            )
        ax.set(xlabel="day", title=group, yscale="symlog")
        plain_log(ax.yaxis)
        ax.title.set_color(colors[group])
        day_axis(ax)
    axes[0][0].set_ylabel("likes per creator (cumulative)")
    axes[0][0].legend(fontsize=8, loc="best")
    return save(fig, path)


def cost_per_follower(creators: pd.DataFrame, path: Path) -> Path:
    """Euros spent per extra human follower (vs matched organic creators), by buyer group."""
    table = buyer_comparison(creators)
    fig, ax = plt.subplots(figsize=(6.5, 4))
    cost = table["eur_per_extra_follower"]
    colors = group_colors(creators["group"])
    ax.bar(table["group"], cost.fillna(0), color=[colors[g] for g in table["group"]], alpha=0.8)
    for x, (value, spend) in enumerate(zip(cost, table["like_spend"], strict=True)):
        label = "no gain" if np.isnan(value) else f"EUR {value:.3g}"
        ax.annotate(
            f"{label}\n(spent EUR {spend:.3g})",
            (x, 0 if np.isnan(value) else value),
            ha="center",
            va="bottom",
        )
    ax.set(
        xlabel="buyer group\n(extra followers: against their matched organic creators in this run)",
        ylabel="EUR per extra follower",
        title="Cost per real follower gained by buying likes",
    )
    ax.margins(y=0.25)
    return save(fig, path)


def audit_roc(audit: pd.DataFrame, path: Path) -> Path:
    """ROC curve of the authenticity audit against who really bought, with its default threshold."""
    scored = audit[audit["score"].notna()]
    scores, truth = scored["score"].to_numpy(), scored["bought"].to_numpy(bool)
    curve = roc_curve(scores, truth)
    area = auc(scores, truth)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="chance")
    ax.plot(
        curve["false_positive_rate"],
        curve["true_positive_rate"],
        label=f"audit (AUC {area:.2f})" if area else "audit",
    )
    flagged = scored["flagged"].to_numpy()
    if truth.any() and (~truth).any():
        point = ((flagged & ~truth).sum() / (~truth).sum(), (flagged & truth).sum() / truth.sum())
        ax.scatter(*point, color="black", zorder=3, label="default threshold")
    ax.set(
        xlabel="false positive rate (organic creators flagged)", ylabel="true positive rate (buyers flagged)"
    )
    ax.set_title("Authenticity audit: ROC")
    ax.legend(loc="lower right")
    return save(fig, path)


def revenue_by_source(ledger: pd.DataFrame, path: Path) -> Path:
    """Daily money by where it went: creators' gift payouts, VIP payouts, the platform's take."""
    fig, ax = plt.subplots(figsize=(7, 4))
    sources = {
        "creators: gifts": ledger["gift_payout"],
        "creators: VIP": ledger["vip_payout"],
        "platform: gifts": ledger["gift_platform_take"],
        "platform: VIP": ledger["vip_platform_take"],
    }
    ax.stackplot(ledger["day"], *sources.values(), labels=list(sources), alpha=0.85)
    ax.plot(
        ledger["day"], ledger["coin_spend"], color="black", linestyle=":", label="viewers' coin purchases"
    )
    ax.set(xlabel="day", ylabel="EUR per day", title="Revenue by source")
    day_axis(ax)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return save(fig, path)


def gifting_lorenz(gifters: pd.DataFrame, path: Path) -> Path:
    """Lorenz curve of coins gifted over the viewers who gift, with the top-20% share."""
    share_items, share_coins = lorenz(gifters["coins_gifted"])
    top20 = top_share(gifters["coins_gifted"], 0.2)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect equality")
    ax.plot(share_items, share_coins, label=f"gifting viewers (top 20% give {top20:.0%})")
    ax.axvline(0.8, color="tab:red", linestyle=":", label="published: top 20% gave 97% (one platform)")
    ax.set(
        xlabel="share of gifting viewers (smallest first)",
        ylabel="share of coins gifted",
        title="Who pays: Lorenz curve of gifting",
    )
    ax.legend(loc="upper left", fontsize=8)
    return save(fig, path)


def income_by_strategy(creators: pd.DataFrame, path: Path) -> Path:
    """Each creator's income (gifts + VIP) by strategy, with the median marked."""
    fig, ax = plt.subplots(figsize=(7, 4))
    strategies = list(creators["strategy"].unique())
    rng = np.random.default_rng(0)  # jitter only; fixed so plots are byte-identical
    for x, strategy in enumerate(strategies):
        income = creators.loc[creators["strategy"] == strategy, "income"]
        ax.scatter(x + rng.uniform(-0.2, 0.2, len(income)), income, s=12, alpha=0.6)
        ax.hlines(income.median(), x - 0.3, x + 0.3, color="black")
    ax.set_xticks(range(len(strategies)), strategies)
    ax.set(yscale="symlog", ylabel="income (EUR)", title="Creator income by strategy (line: median)")
    ax.set_ylim(0, max(2 * creators["income"].max(), 1))
    plain_log(ax.yaxis)
    return save(fig, path)


def price_vs_followers(creators: pd.DataFrame, path: Path) -> Path:
    """Each creator's rate-card price against followers (log axes), coloured by engagement per view."""
    shown = creators[creators["followers"] > 0]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    points = ax.scatter(
        shown["followers"], shown["price"], c=shown["engagement_per_view"], cmap="viridis", s=14
    )
    fig.colorbar(points, ax=ax, label="engagement per view (displayed)")
    ax.set(xscale="log", yscale="log", xlabel="followers", ylabel="price of a sponsored video")
    plain_log(ax.xaxis, ax.yaxis)
    ax.set_title("Rate card: reach x engagement")
    return save(fig, path)


def return_by_brand_type(brands: pd.DataFrame, path: Path) -> Path:
    """Return on spend of each brand, audited against unaudited, with each kind's pooled return."""
    fig, ax = plt.subplots(figsize=(6, 4))
    rng = np.random.default_rng(0)  # jitter only; fixed so plots are byte-identical
    for x, kind in enumerate(("audited", "unaudited")):
        mine = brands[(brands["kind"] == kind) & (brands["spend"] > 0)]
        ax.scatter(x + rng.uniform(-0.15, 0.15, len(mine)), mine["return_on_spend"], s=18, alpha=0.7)
        pooled = mine["conversion_value"].sum() / mine["spend"].sum() if len(mine) else np.nan
        ax.hlines(pooled, x - 0.3, x + 0.3, color="black")
    ax.axhline(1.0, color="grey", linestyle=":", label="break-even")
    ax.set_xticks([0, 1], ["audited", "unaudited"])
    ax.set(ylabel="conversion value / spend", title="Return on spend by brand type (line: pooled)")
    ax.legend(fontsize=8)
    return save(fig, path)


def signed_by_tier(creators: pd.DataFrame, path: Path) -> Path:
    """Share of creators signed at least once, by follower tier and creator group."""
    tiers = pd.cut(
        creators["followers"], [-1, 50, 150, 500, np.inf], labels=["<=50", "51-150", "151-500", ">500"]
    )
    colors = group_colors(creators["group"])
    signed = (
        (creators["brand_deals"] > 0).groupby([tiers, creators["group"]], observed=False).mean().unstack()
    )[list(colors)]
    fig, ax = plt.subplots(figsize=(7, 4))
    signed.plot.bar(ax=ax, rot=0, color=[colors[g] for g in signed.columns])
    ax.set(
        xlabel="followers at the end",
        ylabel="share of creators signed",
        title="Who gets signed, by follower tier",
    )
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, title="group", loc="best")
    return save(fig, path)


def platforms_over_time(platforms: pd.DataFrame, events: pd.DataFrame, path: Path) -> Path:
    """Each platform day by day: views, like/view of the day, views Gini, followers Gini; events marked."""
    panels = [
        ("views", "views per day", "log"),
        ("like_view", "likes per view (of the day)", "linear"),
        ("views_gini", "Gini of views over videos", "linear"),
        ("followers_gini", "Gini of followers over creators", "linear"),
    ]
    fig, axes = plt.subplots(2, 2, figsize=(10, 6.5), sharex=True)
    for ax, (column, title, scale) in zip(axes.ravel(), panels, strict=True):
        for name, rows in platforms.groupby("platform", sort=False):
            ax.plot(rows["day"], rows[column], label=name)
        mark_events(ax, events)
        ax.set(title=title, yscale=scale)
        if scale == "log":
            plain_log(ax.yaxis)
    for ax in axes[1]:
        ax.set_xlabel("day")
    day_axis(axes[1, 0])  # the x axis is shared
    axes[0, 0].legend(fontsize=8, title="platform", loc="best")
    return save(fig, path)


def engagement_by_tier(platforms: pd.DataFrame, path: Path) -> Path:
    """Median engagement per follower and per view by follower tier, platform by platform (last day)."""
    last = platforms[platforms["day"] == platforms["day"].max()].set_index("platform")
    tiers = [t for t in TIERS if f"engagement_per_view_{t}" in last.columns]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    width = 0.8 / max(len(last), 1)
    for ax, rate, title in zip(
        axes, ("engagement_per_follower", "engagement_per_view"), ("per follower", "per view"), strict=True
    ):
        for i, (name, row) in enumerate(last.iterrows()):
            values = [row[f"{rate}_{t}"] for t in tiers]
            ax.bar(
                np.arange(len(tiers)) + i * width,
                [np.nan if v is None else v for v in values],
                width,
                label=name,
            )
        ax.set_xticks(np.arange(len(tiers)) + width * (len(last) - 1) / 2, tiers)
        ax.set(title=f"Engagement {title}, median creator", xlabel="follower tier")
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes[1].legend(fontsize=8, title="platform", loc="upper left", bbox_to_anchor=(1.02, 1))
    fig.suptitle(
        "Follower tiers as shares of viewers: nano < 0.1%, micro < 1%, mid < 5%, macro 5% or more",
        fontsize=9,
    )
    return save(fig, path)


def strategies_by_platform(creator_platforms: pd.DataFrame, path: Path) -> Path:
    """Where each group's strategy pays best: followers gained, views and profit per creator, by platform."""
    means = creator_platforms.groupby(["group", "platform"], sort=False)[
        ["followers_gained", "views", "profit"]
    ].mean()
    strategies = list(dict.fromkeys(means.index.get_level_values(0)))
    platforms = list(dict.fromkeys(means.index.get_level_values(1)))
    fig, axes = plt.subplots(1, 3, figsize=(12, 4))
    width = 0.8 / len(platforms)
    for ax, column, title in zip(
        axes, means.columns, ("followers gained", "views", "profit (EUR)"), strict=True
    ):
        for i, name in enumerate(platforms):
            values = [means[column].get((s, name), np.nan) for s in strategies]
            ax.bar(np.arange(len(strategies)) + i * width, values, width, label=name)
        ax.set_xticks(np.arange(len(strategies)) + width * (len(platforms) - 1) / 2, strategies,
                      rotation=20, fontsize=8)  # fmt: skip
        ax.set_title(f"{title}, mean per creator")
        ax.axhline(0, color="black", linewidth=0.5)
        if column != "profit":
            integer_ticks(ax.yaxis)
    axes[0].legend(fontsize=8, title="platform")
    return save(fig, path)


def strategy_shares(shares: pd.DataFrame, events: pd.DataFrame, path: Path) -> Path:
    """Stacked areas: the share of creators following each strategy, day by day (a panel per platform)."""
    platforms = list(dict.fromkeys(shares["platform"]))
    strategies = list(dict.fromkeys(shares["strategy"]))
    colors = [GROUP_PALETTE[i % len(GROUP_PALETTE)] for i in range(len(strategies))]
    fig, axes = plt.subplots(1, len(platforms), figsize=(6.5 * len(platforms), 4), squeeze=False)
    for ax, platform in zip(axes[0], platforms, strict=True):
        here = shares[shares["platform"] == platform]
        table = here.pivot_table(index="day", columns="strategy", values="share", sort=False)[strategies]
        ax.stackplot(table.index, table.T.to_numpy(), labels=strategies, colors=colors)
        mark_events(ax, events)
        ax.set(
            xlabel="day", ylabel="share of creators", ylim=(0, 1), title=f"Strategies followed on {platform}"
        )
        day_axis(ax)
        ax.set_xlim(table.index.min(), table.index.max())
    handles, labels = axes[0][-1].get_legend_handles_labels()
    axes[0][-1].legend(  # top of the legend = top of the stack
        handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title="strategy"
    )
    return save(fig, path)


#: The run folder's plots: file name -> (function, the tables it reads).
RUN_PLOTS = {
    "followers_over_time.png": (followers_over_time, ("creators_daily",)),
    "lorenz_views.png": (lorenz_views, ("videos",)),
    "engagement_vs_followers.png": (engagement_vs_followers, ("creators",)),
    "like_view_distribution.png": (like_view_distribution, ("videos",)),
    "daily_activity.png": (daily_activity, ("timeseries", "events")),
}
#: Plots added when some creators bought likes.
BOUGHT_LIKE_PLOTS = {
    "bought_like_survival.png": (bought_like_survival, ("survival",)),
    "likes_buyers_vs_controls.png": (likes_buyers_vs_controls, ("creators_daily", "creators")),
    "cost_per_follower.png": (cost_per_follower, ("creators",)),
    "audit_roc.png": (audit_roc, ("audit",)),
}
#: Plots added when viewers bought coins or VIP subscriptions.
GIFT_PLOTS = {
    "revenue_by_source.png": (revenue_by_source, ("ledger",)),
    "gifting_lorenz.png": (gifting_lorenz, ("gifters",)),
    "income_by_strategy.png": (income_by_strategy, ("creators",)),
}
#: Plots added when brands signed creators.
BRAND_PLOTS = {
    "price_vs_followers.png": (price_vs_followers, ("creators",)),
    "return_by_brand_type.png": (return_by_brand_type, ("brands",)),
    "signed_by_tier.png": (signed_by_tier, ("creators",)),
}


#: Each strategy's plots, and the property of the run that says its mechanism produced something.
STRATEGY_PLOTS = {
    "buy_likes": (BOUGHT_LIKE_PLOTS, "has_buyers"),
    "live_gifts": (GIFT_PLOTS, "has_gifts_or_vip"),
    "vip": (GIFT_PLOTS, "has_gifts_or_vip"),
}
#: Plots added when creators could copy each other's strategies.
ADAPTATION_PLOTS = {"strategy_shares.png": (strategy_shares, ("strategy_shares", "events"))}
#: Plots added when the run has several platforms.
PLATFORM_PLOTS = {
    "platforms_over_time.png": (platforms_over_time, ("platforms", "events")),
    "engagement_by_tier.png": (engagement_by_tier, ("platforms",)),
    "strategies_by_platform.png": (strategies_by_platform, ("creator_platforms",)),
}


def plots_of(result) -> dict:
    """The plots this run gets: file name -> (function, tables)."""
    plots = dict(RUN_PLOTS)
    for plots_of_strategy, produced in STRATEGY_PLOTS.values():
        if getattr(result, produced):
            plots |= plots_of_strategy
    if result.has_brand_deals:
        plots |= BRAND_PLOTS
    if result.platforms["platform"].nunique() > 1 or len(result.events):
        plots |= PLATFORM_PLOTS
    if result.adapts:
        plots |= ADAPTATION_PLOTS
    return plots
