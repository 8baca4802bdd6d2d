"""What an experiment folder says: ``report.md``, the answer to the experiment's question in words.

Numbers come from :mod:`sim.comparison` (means per creator over replicates, with 95% confidence
intervals); this module puts them into sentences a student can read and a researcher can cite.
The first screen answers the question: how each group fares across a sweep's grid, or who wins in
each arm; then whether buying likes pays (and through which channel), what buying costs the
others when an arm without buyers exists, every group with units, and the platforms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.adaptation_report import strategies_across_arms
from sim.comparison import ALL, paired_difference, winners
from sim.metric_names import HEADLINE_METRICS
from sim.scenario import Scenario
from sim.summaries import experiment_summary, with_interval

#: A group's displayed engagement is "mostly bought" when it is this many times its organic engagement.
MOSTLY_BOUGHT = 1.5
#: What the report's words mean, for readers who do not run experiments every day.
GLOSSARY = {
    "replicate": "one run of an arm with its own random seed; replicate i of every arm uses the same "
    "seed (derived from the scenario's seed), so arms differ only by what the arm changes",
    "95% interval [low, high]": "the range that would hold the true mean in 95 of 100 repetitions of "
    "this experiment (a Student-t interval over replicates); with fewer than 2 replicates there is none",
    "clear / cannot tell apart": "a lead is clear when the two intervals do not overlap; otherwise more "
    "replicates are needed to say which is ahead",
    "organic engagement": "likes, comments and shares from human viewers",
    "displayed engagement": "what the public and brands see: the likes on screen (organic likes the "
    "platform has not removed, plus bought likes still online), plus comments and shares; a creator "
    "who buys none shows a little less than their organic engagement once sweeps remove some human likes",
    "Gini": "inequality from 0 (everyone equal) to 1 (one holds everything)",
    "like/view": "displayed likes per view of a video, as an outsider would compute it",
    "glossary": "every term of the reports and plots is explained for students in docs/teaching.md",
}


def _number(value: float) -> str:
    """Thousands as whole numbers with separators, the rest to 3 significant digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _interval(mean, low, high) -> str:
    return with_interval(mean, low, high, _number)


def _label(value) -> str:
    """A grid value as the arm names write it (2, not 2.0)."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _value(table: pd.DataFrame, group: str, metric: str) -> pd.Series | None:
    """One group's row of one metric in a comparison table (None if absent)."""
    rows = table[(table["group"] == group) & (table["metric"] == metric)]
    return None if rows.empty else rows.iloc[0]


def _cell(row) -> str:
    return "n/a" if row is None else _interval(row["mean"], row["ci_low"], row["ci_high"])


def _clear(a, b) -> bool:
    return a is not None and b is not None and (a["ci_low"] > b["ci_high"] or b["ci_low"] > a["ci_high"])


def experiment_report(
    runs: pd.DataFrame,
    comparison: pd.DataFrame,
    plots: list[str] | None,
    by_platform: pd.DataFrame | None = None,
    sweep: pd.DataFrame | None = None,
    grid: tuple[str, ...] = (),
    scenarios: dict[str, Scenario] | None = None,
    metrics: pd.DataFrame | None = None,
    strategies: pd.DataFrame | None = None,
) -> str:
    """The experiment's report.md.

    Args:
        runs, comparison: the runs table and :func:`sim.comparison.compare` over arms.
        plots: file names under ``plots/`` (None: plots were not drawn).
        by_platform: the comparison per platform (runs with several platforms), or None.
        sweep, grid: the comparison per grid point and the swept paths (sweeps only).
        scenarios: each arm's scenario (what the scenario can answer: brands, buyers).
        metrics: every run's metrics by arm and replicate (for paired differences between arms).
        strategies: each strategy's share of creators at the end, per arm (when creators adapt).
    """
    replicates = runs.groupby("arm").size()
    scenarios = scenarios or {}
    names = list(dict.fromkeys(s.name for s in scenarios.values()))
    lines = [
        f"# Experiment: {' vs '.join(names) or 'runs'}",
        "",
        f"{len(runs)} runs: {len(replicates)} arm(s) x {replicates.max()} replicate(s). Numbers are means "
        "per creator over replicates, with 95% intervals in brackets; the words are explained at the end. "
        "Each run's own folder is under `runs/` (with its fully resolved `scenario.yaml`), and the data "
        "dictionary of every file is docs/outputs.md.",
        *_setup(scenarios),
        "",
        *experiment_summary(runs, winners(comparison, tuple(HEADLINE_METRICS)), strategies, comparison),
    ]
    if sweep is not None and grid:
        lines += _across_grid(sweep, list(grid))
    else:
        lines += _who_wins(comparison, replicates)
    if strategies is not None:
        lines += strategies_across_arms(strategies, comparison)
    lines += _does_buying_pay(comparison, scenarios)
    lines += _cost_to_others(comparison, metrics, scenarios)
    lines += _whole_runs(comparison)
    lines += _all_groups(comparison)
    if by_platform is not None:
        lines += _platforms_section(by_platform)
    lines += ["", "## Plots", ""]
    if plots is None:
        lines.append("Plots were not drawn (`--no-plots`).")
    plots = plots or []
    lines += [f"![{name[:-4]}](plots/{name})" for name in plots if "/" not in name]
    for arm in dict.fromkeys(name.split("/")[0] for name in plots if "/" in name):
        survival = (
            ", bought-like survival from the summed tallies"
            if f"{arm}/bought_like_survival.png" in plots
            else ""
        )
        lines += [
            "",
            f"### {arm}: its replicates pooled",
            "",
            "The run plots over every replicate of this arm: creators of all replicates side by side, "
            f"daily values averaged over replicates{survival}.",
            "",
        ]
        lines += [f"![{name[:-4]}](plots/{name})" for name in plots if name.startswith(f"{arm}/")]
    lines += ["", "## Words used", ""]
    lines += [f"- **{word}**: {meaning}." for word, meaning in GLOSSARY.items()]
    return "\n".join(lines) + "\n"


def _setup(scenarios: dict[str, Scenario]) -> list[str]:
    """What each run is: its size and length, and the events of each arm."""
    sizes = {
        arm: f"{s.viewers.count:,} viewers, {s.creators.count:,} creators, {s.clock.days} days"
        for arm, s in scenarios.items()
    }
    lines = [""]
    if len(set(sizes.values())) == 1:
        lines.append(f"Each run: {next(iter(sizes.values()))}.")
    else:
        lines += [f"- {arm}: {size}" for arm, size in sizes.items()]
    for arm, scenario in scenarios.items():
        for event in scenario.events:
            what = "; ".join(f"{path}={value}" for path, value in event.set.items())
            lines.append(f"- {arm}: from day {event.day:g}, {event.note or what} (`{what}`)")
    return lines


#: Whole-run measures the report compares across arms: summary key -> words.
WHOLE_RUN = {
    "like_view_median": "like/view median",
    "views_gini": "Gini of views",
    "top1pct_view_share": "top 1% share of views",
    "followers_gini": "Gini of followers",
    "bought_likes_removed": "bought likes removed",
    "detection_recall": "detection recall",
    "brand_deals": "brand deals",
}


def _whole_runs(comparison: pd.DataFrame) -> list[str]:
    """The platform as a whole in each arm: inequality, rates, detection, deals."""
    rows = comparison[(comparison["group"] == ALL) & comparison["metric"].isin(WHOLE_RUN)]
    if rows.empty or len(rows["arm"].unique()) < 2:
        return []
    shown = [m for m in WHOLE_RUN if rows.loc[rows["metric"] == m, "mean"].notna().any()]
    lines = [
        "",
        "## The platform as a whole, arm by arm",
        "",
        "| arm | " + " | ".join(WHOLE_RUN[m] for m in shown) + " |",
        "|---|" + "---|" * len(shown),
    ]
    for arm, mine in rows.groupby("arm", sort=False):
        cells = [_cell(_value(mine, ALL, m)) for m in shown]
        lines.append(f"| {arm} | " + " | ".join(cells) + " |")
    return lines


def _who_wins(comparison: pd.DataFrame, replicates: pd.Series) -> list[str]:
    """Per arm and headline metric: the best group, the runner-up, and whether the lead is clear."""
    lines = ["", "## Who wins", ""]
    answers = winners(comparison, tuple(HEADLINE_METRICS))
    if answers.empty:
        return [*lines, "Each arm has a single creator group, so there is no ranking of groups."]
    for arm, table in answers.groupby("arm", sort=False):
        if len(replicates) > 1:
            lines += [f"**{arm}**", ""]
        for row in table.itertuples():
            words = HEADLINE_METRICS[row.metric][0]
            best = _interval(row.best_mean, *row.best_ci)
            second = _interval(row.runner_up_mean, *row.runner_up_ci)
            if row.best_mean == row.runner_up_mean:
                lines.append(
                    f"- On {words}, no group has any."
                    if row.best_mean == 0
                    else f"- On {words}, {row.best} and {row.runner_up} are level at {best}."
                )
                continue
            verdict = (
                "the intervals do not overlap, so this lead is clear"
                if row.clear
                else f"the intervals overlap, so {replicates[arm]} replicates cannot tell these two apart"
            )
            note = ""
            if row.metric == "engagement_per_view":
                organic = _value(
                    comparison[comparison["arm"] == arm], row.best, "organic_engagement_per_view"
                )
                if organic is not None and row.best_mean > MOSTLY_BOUGHT * organic["mean"]:
                    note = (
                        " This is mostly bought likes: the organic (human) engagement per view of "
                        f"{row.best} is "
                        f"{_cell(organic)}; brands that do not audit pay for the displayed figure."
                    )
            lines.append(
                f"- On {words}, **{row.best}** comes first with {best}, ahead of {row.runner_up} with "
                f"{second}; {verdict}.{note}"
            )  # fmt: skip
        lines.append("")
    return lines


def _across_grid(sweep: pd.DataFrame, grid: list[str]) -> list[str]:
    """How each group's headline metrics change along the first swept parameter: one table per metric."""
    path, others = grid[0], grid[1:]
    lines = ["", f"## How the answer changes with {path}", ""]
    if others:
        lines += [f"One block per combination of {', '.join(others)}; every point is in `sweep.csv`.", ""]
    points = sweep[sweep["metric"].isin(HEADLINE_METRICS)]
    for fixed, rows in points.groupby(others, sort=False) if others else [((), points)]:
        if others:
            labels = fixed if isinstance(fixed, tuple) else (fixed,)
            lines += [f"**{', '.join(f'{p}={v}' for p, v in zip(others, labels, strict=True))}**", ""]
        values = list(dict.fromkeys(rows[path]))
        for metric, (words, unit) in HEADLINE_METRICS.items():
            mine = rows[rows["metric"] == metric]
            if mine.empty:
                continue
            if (mine["mean"] == 0).all():
                lines += [f"- **{words}**: no group has any at any {path}.", ""]
                continue
            lines += [
                f"**{words}** ({unit})",
                "",
                "| group | " + " | ".join(f"{path}={_label(v)}" for v in values) + " | first to last |",
                "|---|" + "---|" * len(values) + "---|",
            ]
            for group, cells in mine.groupby("group", sort=False):
                by_value = {row[path]: row for _, row in cells.iterrows()}
                start, end = by_value.get(values[0]), by_value.get(values[-1])
                change = (
                    "n/a"
                    if start is None or end is None
                    else ("clear change" if _clear(start, end) else "within the noise")
                )
                lines.append(
                    f"| {group} | " + " | ".join(_cell(by_value.get(v)) for v in values) + f" | {change} |"
                )
            if metric == "engagement_per_view" and (mine["mean"] > 1).any():
                lines += [
                    "",
                    "Displayed engagement above 1 means more likes on show than views: bought likes on "
                    "videos few people watched.",
                ]
            lines.append("")
    return lines


def _versus(mine, theirs) -> str:
    """The other group's interval, marked when it is clearly apart from ``mine``."""
    if theirs is None:
        return "n/a"
    return _cell(theirs) + (" (clear)" if _clear(mine, theirs) else "")


def _organic_group(scenario: Scenario | None) -> str | None:
    """The name of the scenario's first organic group, the baseline buyers are measured against."""
    groups = scenario.creators.groups if scenario else []
    return next((g.name for g in groups if g.strategy == "organic"), None)


def _does_buying_pay(comparison: pd.DataFrame, scenarios: dict[str, Scenario]) -> list[str]:
    """Buyers against organic creators, in followers and in money, and the channel money comes through."""
    spend = comparison[(comparison["metric"] == "like_spend") & (comparison["group"] != ALL)]
    buying = spend[spend["mean"] > 0]
    if buying.empty:
        return []
    lines = [
        "",
        "## Does buying likes pay?",
        "",
        "Each buying group against the organic creators of the same arm (means per creator, 95% intervals; "
        "*clear* when the intervals do not overlap).",
        "",
        "| arm | group | spend on likes (EUR) | followers gained | organic group's followers | income (EUR) "
        "| of which brand deals | profit (EUR) | organic group's profit |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in buying.itertuples():
        table = comparison[comparison["arm"] == row.arm]
        organic = _organic_group(scenarios.get(row.arm))
        mine = {
            m: _value(table, row.group, m) for m in ("followers_gained", "income", "brand_income", "profit")
        }
        versus = {
            m: _versus(mine[m], _value(table, organic, m) if organic else None)
            for m in ("followers_gained", "profit")
        }
        lines.append(
            f"| {row.arm} | {row.group} | {row.mean:,.2f} | {_cell(mine['followers_gained'])} | "
            f"{versus['followers_gained']} | {_cell(mine['income'])} | {_cell(mine['brand_income'])} | "
            f"{_cell(mine['profit'])} | {versus['profit']} |"
        )
    lines.append("")
    with_brands = {arm for arm, scenario in scenarios.items() if scenario.brands.count}
    for arm in sorted(with_brands & set(buying["arm"])):
        deals = _value(comparison[comparison["arm"] == arm], ALL, "brand_deals")
        if deals is not None and deals["mean"] == 0:
            brands, days = scenarios[arm].brands, scenarios[arm].clock.days
            lines.append(
                f"- No brand signed anyone in {arm}: brands shop every {brands.shopping_interval_days} days "
                f"and stop {brands.last_signing_days:g} days before the end, so {days} days leave them no "
                f"shopping day (at least {brands.shopping_interval_days + brands.last_signing_days:g} "
                "are needed). Income here says nothing about whether buying pays."
            )
    if with_brands:
        audited = {f"{scenarios[arm].brands.audited_share:.0%}" for arm in with_brands}
        lines.append(
            "- Money reaches buyers only through brand deals: brands price creators on followers x "
            f"displayed engagement per view, so bought likes raise the price; {' or '.join(sorted(audited))} "
            "of brands audit, and discount or skip creators whose likes look bought."
        )
    without = [arm for arm in dict.fromkeys(buying["arm"]) if arm in scenarios and arm not in with_brands]
    if without:
        lines.append(
            f"- {', '.join(without)} {'has' if len(without) == 1 else 'have'} no brands: nothing pays for "
            "displayed engagement, so bought likes can only buy followers and attention, and profit is "
            "minus the spend. The money answer needs brands (scenarios/strategies.yaml or "
            "scenarios/brand_partnerships.yaml)."
        )
    return lines


def _cost_to_others(
    comparison: pd.DataFrame, metrics: pd.DataFrame | None, scenarios: dict[str, Scenario]
) -> list[str]:
    """When one arm has buyers and another has none: every group with and without them.

    The change is the paired difference over replicates (:func:`sim.comparison.paired_difference`):
    replicate i of both arms shares its seed, so the pair differs only by the buying.
    """
    spend = comparison[(comparison["metric"] == "like_spend") & (comparison["group"] == ALL)]
    with_buyers = spend.loc[spend["mean"] > 0, "arm"].tolist()
    without = spend.loc[spend["mean"] == 0, "arm"].tolist()
    if not with_buyers or not without:
        return []
    a, b = with_buyers[0], without[0]
    lines = [
        "",
        "## What buying costs everyone else",
        "",
        f"Attention is shared: the same population and seeds with buyers ({a}) and without ({b}). The "
        "change is the paired difference, replicate by replicate (each pair shares its seed), with its "
        "95% interval; *clear* when that interval excludes 0.",
        "",
        f"| group | followers gained, {a} | followers gained, {b} | change, paired | income (EUR), {a} "
        f"| income (EUR), {b} | change, paired |",
        "|---|---|---|---|---|---|---|",
    ]
    paired = paired_difference(metrics, a, b) if metrics is not None else pd.DataFrame(columns=["group"])
    for group in dict.fromkeys(comparison.loc[comparison["arm"] == a, "group"]):
        cells = []
        for metric in ("followers_gained", "income"):
            cells += [_cell(_value(comparison[comparison["arm"] == arm], group, metric)) for arm in (a, b)]
            change = _value(paired, group, metric)
            clear = change is not None and (change["ci_low"] > 0 or change["ci_high"] < 0)
            cells.append(_cell(change) + (" (clear)" if clear else ""))
        lines.append(f"| {group} | " + " | ".join(cells) + " |")
    return lines + _buyers_against_themselves(comparison, paired, a, b, scenarios)


def _buyers_against_themselves(comparison, paired, a, b, scenarios) -> list[str]:
    """What buying did for each buying group: its paired change, against itself not buying.

    *Does buying likes pay?* measures buyers against the organic creators of their own arm, a
    different number; in means it splits exactly as buyers(a) - organic(a) = [buyers(a) - buyers(b)]
    + [organic(b) - organic(a)] + [buyers(b) - organic(b)], and the report says so.
    """
    if a not in scenarios or b not in scenarios:
        return []
    population = {arm: [(g.name, g.share) for g in scenarios[arm].creators.groups] for arm in (a, b)}
    if population[a] != population[b] or scenarios[a].creators.count != scenarios[b].creators.count:
        return []  # not the same creators: a paired change is not "what buying did for them"
    spend = comparison[(comparison["arm"] == a) & (comparison["metric"] == "like_spend")]
    organic = _organic_group(scenarios[a])

    def followers(arm, group) -> float:
        value = _value(comparison[comparison["arm"] == arm], group, "followers_gained")
        return np.nan if value is None else value["mean"]

    lines = []
    for group in spend.loc[(spend["mean"] > 0) & (spend["group"] != ALL), "group"]:
        change = _value(paired, group, "followers_gained")
        if change is None:
            continue
        line = (
            f"- In {b} the {group} creators buy nothing: the same creators with the same seeds. Their "
            f"paired change, {_cell(change)} followers, is what buying did for them."
        )
        gap = followers(a, group) - followers(a, organic)
        lost = followers(b, organic) - followers(a, organic)
        apart = followers(b, group) - followers(b, organic)
        if np.isfinite([gap, lost, apart]).all():  # both groups in both arms
            line += (
                f" *Does buying likes pay?* measures them against the {organic} creators of {a} instead: "
                f"a gap of {_number(gap)} followers, made of what buying did for them "
                f"({_number(change['mean'])}), what the {organic} creators lost beside them "
                f"({_number(lost)}) and how far apart the two groups are when nobody buys ({_number(apart)})."
            )
        lines.append(line)
    return ["", *lines] if lines else []


def _all_groups(comparison: pd.DataFrame) -> list[str]:
    """Every arm and group on the headline metrics, with units."""
    lines = ["", "## All groups", ""]
    headline = comparison[comparison["metric"].isin(HEADLINE_METRICS)]
    wide = headline.assign(cell=[_interval(r.mean, r.ci_low, r.ci_high) for r in headline.itertuples()])
    wide = wide.pivot_table(
        index=["arm", "group"], columns="metric", values="cell", aggfunc="first", sort=False
    )
    lines.append("| arm | group | " + " | ".join(f"{w} ({u})" for w, u in HEADLINE_METRICS.values()) + " |")
    lines.append("|---" * (2 + len(HEADLINE_METRICS)) + "|")
    for (arm, group), row in wide.iterrows():
        lines.append(
            f"| {arm} | {group} | " + " | ".join(str(row.get(m, "n/a")) for m in HEADLINE_METRICS) + " |"
        )
    lines += ["", "Every metric, arm and group is in `comparison.csv`."]
    return lines


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
