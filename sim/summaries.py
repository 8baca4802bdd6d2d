"""The five lines every report opens with: what was simulated, the main result, how sure we are.

Written for a student: plain words, whole numbers where they do, and technical terms linked to the
report's own "Words used" section (``#words-used``), so the link works wherever the report is read.
"""

from __future__ import annotations

import pandas as pd

#: Where a technical term is explained: the report's closing glossary.
WORDS = "#words-used"


def term(word: str) -> str:
    """A technical term, linked to the report's glossary."""
    return f"[{word}]({WORDS})"


def with_interval(mean: float, low: float, high: float, number=lambda value: f"{value:.3g}") -> str:
    """``mean [low, high]``, each number written by ``number``.

    The mean alone when there is no interval (a single replicate), ``n/a`` when there is no mean.
    """
    if mean != mean:
        return "n/a"
    if low != low:
        return number(mean)
    return f"{number(mean)} [{number(low)}, {number(high)}]"


def _groups(creators: pd.DataFrame) -> str:
    shares = creators["group"].value_counts(normalize=True, sort=False)
    return ", ".join(f"{group} ({share:.0%})" for group, share in shares.items())


def run_summary(result) -> list[str]:
    """Five lines on one run."""
    spec, creators, s = result.scenario, result.creators, result.summary
    platforms = list(result.platforms["platform"].unique())
    where = (
        "one TikTok-like platform"
        if len(platforms) == 1
        else f"{len(platforms)} platforms ({', '.join(platforms)})"
    )
    by_group = creators.groupby("group", sort=False)[
        ["followers_gained", "income", "like_spend", "profit"]
    ].mean()
    top = by_group["followers_gained"].idxmax()
    gained = by_group["followers_gained"]
    lines = [
        f"- **What was simulated:** {spec.viewers.count:,} viewers and {spec.creators.count:,} creators on "
        f"{where} for {spec.clock.days} days (seed {spec.seed}). Creator groups: {_groups(creators)}.",
        f"- **Who grew most:** {top} creators gained {gained[top]:,.0f} followers each on average"
        f"{_runner_up(gained, top)}.",
    ]
    if (by_group["income"] > 0).any():
        rich = by_group["profit"].idxmax()
        profit, income = by_group.loc[rich, "profit"], by_group.loc[rich, "income"]
        lines.append(
            f"- **Who earned most:** {rich} creators, EUR {profit:,.2f} each after like spend (income from "
            f"gifts, VIP and brands: EUR {income:,.2f})."
        )
    else:
        lines.append("- **Who earned most:** nobody earned money: this run has no gifts, VIP or brand deals.")
    if result.has_buyers:
        bought = creators.loc[creators["like_spend"] > 0]
        shown = bought["displayed_likes"].sum()
        human = bought["likes"].sum() - bought["organic_removed"].sum()  # those the platform left online
        not_human = (shown - human) / max(shown, 1)
        removed = s["bought_likes_removed"] / max(s["bought_likes_delivered"], 1)
        lines.append(
            f"- **Bought likes:** {not_human:.0%} of the likes shown on the buyers' videos were not from "
            f"humans; the platform removed {removed:.0%} of the bought likes."
        )
    else:
        lines.append(
            f"- **How unequal:** the top 1% of videos took {s['top1pct_view_share']:.0%} of all "
            f"{term('views')} ({term('Gini')} of views {s['views_gini']:.2f}, where 0 is equal and 1 is one "
            "video with all)."
        )
    lines.append(
        "- **How sure:** this is one run with one seed, and chance alone moves these numbers; run "
        f"{term('replicates')} (`--replicates 10`) to get {term('95% intervals')}."
    )
    return ["## In short", "", *lines, ""]


def _runner_up(values: pd.Series, top: str) -> str:
    others = values.drop(top)
    if others.empty:
        return ""
    second = others.idxmax()
    return f", ahead of {second} ({others[second]:,.0f})"


def experiment_summary(
    runs: pd.DataFrame, answers: pd.DataFrame, strategies: pd.DataFrame | None, comparison: pd.DataFrame
) -> list[str]:
    """Five lines on an experiment: its arms, who wins (or, with one group, the whole platform), how sure."""
    arms = list(dict.fromkeys(runs["arm"]))
    replicates = int(runs.groupby("arm").size().max())
    shared = "; replicate i of every arm shares its seed" if len(arms) > 1 else ""
    lines = [
        f"- **What was compared:** {len(arms)} arm{'s' if len(arms) > 1 else ''} ({', '.join(arms)}), "
        f"{replicates} {term('replicates')} each{shared}.",
    ]
    if len(answers):
        for metric, words in (("followers_gained", "Most followers gained"), ("profit", "Most profit")):
            lines.append(f"- **{words}:** {_leaders(answers, metric)}")
    else:  # one creator group: nothing to rank, so the platform as a whole
        lines.append(f"- **Followers gained per creator:** {_per_arm(comparison, 'followers_gained')}.")
        lines.append(
            f"- **How unequal:** {term('Gini')} of views {_per_arm(comparison, 'views_gini')}; share of all "
            f"views taken by the top 1% of videos {_per_arm(comparison, 'top1pct_view_share', '.1%')}."
        )
        lines.append(
            f"- **How often viewers like:** median {term('like/view')} of the most-viewed videos "
            f"{_per_arm(comparison, 'like_view_median', '.1%')}."
        )
    if strategies is not None:
        leading = strategies.loc[strategies.groupby("arm", sort=False)["mean"].idxmax()]
        spread = "; ".join(
            f"{row.arm}: {row.strategy} ({row.mean:.0%} of creators)" for row in leading.itertuples()
        )
        lines.append(f"- **What spread when creators copied each other:** {spread}.")
    elif len(answers):
        lines.append(f"- **Engagement:** {_leaders(answers, 'engagement_per_view')}")
    lines.append(
        f"- **How sure:** numbers are means over replicates with {term('95% intervals')}; a lead is *clear* "
        "when the intervals do not overlap, otherwise more replicates are needed to say who is ahead."
    )
    return ["## In short", "", *lines, ""]


def _per_arm(comparison: pd.DataFrame, metric: str, style: str = ".3g") -> str:
    """One whole-platform metric per arm, mean [95% interval]."""
    rows = comparison[(comparison["group"] == "all") & (comparison["metric"] == metric)]
    cells = []
    for row in rows.itertuples():
        value = with_interval(row.mean, row.ci_low, row.ci_high, lambda number: f"{number:{style}}")
        cells.append(value if rows["arm"].nunique() == 1 else f"{row.arm}: {value}")
    return "; ".join(cells) or "n/a"


def _leaders(answers: pd.DataFrame, metric: str) -> str:
    rows = answers[answers["metric"] == metric] if len(answers) else answers
    if rows.empty:
        return "no ranking (a single creator group)."
    return (
        "; ".join(
            f"{row.arm}: {row.best} ({'clear' if row.clear else 'not clear'} lead over {row.runner_up})"
            for row in rows.itertuples()
        )
        + "."
    )
