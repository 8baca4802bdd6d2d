"""What creators who learn produced, in words: the run report's and the experiment report's sections.

Reads the run folder's ``strategy_shares.csv``, ``switches.csv``, ``payoffs.csv`` and the
``quality_viewed`` column of ``timeseries.csv`` (see :mod:`sim.adaptation` for the rule).
"""

from __future__ import annotations

import pandas as pd

from sim.summaries import with_interval

#: Payoffs in words.
PAYOFF_WORDS = {
    "followers": "followers gained",
    "engagement": "engagement per view",
    "income": "income in EUR (gifts, VIP, brand deals)",
    "profit": "profit in EUR (income minus like spend)",
}


def takeover(shares: pd.DataFrame) -> tuple[str, float, float | None]:
    """The strategy most creators follow at the end, its final share, and the first day it held half."""
    overall = shares.groupby(["day", "strategy"], sort=False)["creators"].sum().unstack()
    overall = overall.div(overall.sum(axis=1), axis=0)
    leader = str(overall.iloc[-1].idxmax())
    half = overall.index[overall[leader] >= 0.5]
    return leader, float(overall[leader].iloc[-1]), (float(half[0]) if len(half) else None)


def adaptation_section(result) -> list[str]:
    """The run report's section: which strategy takes over and when, who was fooled, who is better off."""
    spec, shares, switches = result.scenario.adaptation, result.strategy_shares, result.switches
    lines = ["", "## Creators who learn", ""]
    if spec is not None:
        lines += [
            f"Every {spec.interval_days} days each creator compared its payoff over those days, its "
            f"{PAYOFF_WORDS[spec.payoff]}, with {spec.peers} peers' ({_observe(spec.observe)}) and "
            "copied the best-looking one's strategy with a probability rising with the gap (intensity "
            f"{spec.intensity:g}); {spec.exploration:.0%} of the time it tried a random group's strategy "
            "instead. It knows its own payoff; of its peers it sees what the platform displays.",
            "",
        ]
    start = shares[shares["day"] == shares["day"].min()].groupby("strategy", sort=False)["creators"].sum()
    end = shares[shares["day"] == shares["day"].max()].groupby("strategy", sort=False)["creators"].sum()
    lines += ["| strategy | creators at the start | at the end |", "|---|---|---|"]
    for name in start.index:
        lines.append(f"| {name} | {start[name] / start.sum():.0%} | {end.get(name, 0) / end.sum():.0%} |")
    leader, share, half_day = takeover(shares)
    when = f"half of all creators from day {half_day:g}" if half_day is not None else "it never held half"
    copied = switches[switches["peer"] >= 0]
    lines += [
        "",
        f"**{leader}** ends with {share:.0%} of creators ({when}). {_creators(len(switches))} switched: "
        f"{len(copied)} by copying a peer, {len(switches) - len(copied)} by trying at random.",
    ]
    if len(copied):
        fooled = int((copied["true_gap"] <= 0).sum())
        lines.append(
            f"Of the copies, {fooled} ({fooled / len(copied):.0%}) followed a peer that only looked "
            "better: its true payoff was no higher than the copier's own (bought likes are displayed, "
            "like spend is not)."
        )
    return lines + _better_off(result)


def _better_off(result) -> list[str]:
    """Mean creator payoff in the first and the last window, each strategy's, and the quality watched."""
    payoffs, summary = result.payoffs, result.summary
    lines = []
    if len(payoffs):
        strategies = list(dict.fromkeys(payoffs["strategy"]))
        lines += [
            "",
            f"Mean payoff per creator and window: {_num(summary['payoff_first_window'])} in the first "
            f"window, {_num(summary['payoff_last_window'])} in the last. Each strategy's mean payoff per "
            "creator in each window, with what its peers saw in brackets where that differs:",
            "",
            "| window ending on day | " + " | ".join(strategies) + " |",
            "|---|" + "---|" * len(strategies),
        ]
        for day, rows in payoffs.groupby("day", sort=True):
            cells = {row.strategy: _payoff(row) for row in rows.itertuples()}
            lines.append(f"| {day:g} | " + " | ".join(cells.get(name, "-") for name in strategies) + " |")
    lines += [
        "",
        "Quality of the videos viewers watched (in sd of video quality): "
        f"{summary['quality_viewed_first_week']:+.3f} in the first week, "
        f"{summary['quality_viewed_last_week']:+.3f} in the last (it also changes without adaptation, as "
        "the catalogue fills and the ranking learns: compare arms).",
    ]
    return lines


def _payoff(row) -> str:
    shown = f" ({_num(row.observed)})" if abs(row.observed - row.true) > 1e-9 else ""
    return f"{_num(row.true)}{shown}"


def strategies_across_arms(strategies: pd.DataFrame, comparison: pd.DataFrame) -> list[str]:
    """The experiment report's section: which strategies spread in each arm, and who ends better off."""
    arms = list(dict.fromkeys(strategies["arm"]))
    lines = [
        "",
        "## Which strategies spread",
        "",
        "Share of creators following each strategy on the last day, mean over replicates [95% interval]. "
        "Creators copy each other here, so the groups in the other tables are where creators started, "
        "not the strategy they ended with; `runs/*/*/switches.csv` lists every switch.",
        "",
        "| strategy | " + " | ".join(arms) + " |",
        "|---|" + "---|" * len(arms),
    ]
    for name, rows in strategies.groupby("strategy", sort=False):
        cells = {row.arm: _share(row) for row in rows.itertuples()}
        lines.append(f"| {name} | " + " | ".join(cells.get(arm, "-") for arm in arms) + " |")
    whole = comparison[comparison["group"] == "all"].set_index(["arm", "metric"])
    lines += [
        "",
        "Better or worse off: the mean true payoff per creator in the first and the last comparison "
        "window, and the mean quality of the videos viewers watched (sd units) in the first and the last "
        "week. A payoff is in its arm's own unit (`adaptation.payoff`): compare it within an arm.",
        "",
        "| arm | payoff, first window | last window | quality watched, first week | last week |",
        "|---|---|---|---|---|",
    ]
    for arm in arms:
        cells = [_interval_of(whole, arm, metric) for metric in BETTER_OFF]
        lines.append(f"| {arm} | " + " | ".join(cells) + " |")
    return lines


#: The whole-run metrics that say whether creators and viewers end better off.
BETTER_OFF = (
    "payoff_first_window",
    "payoff_last_window",
    "quality_viewed_first_week",
    "quality_viewed_last_week",
)


def _interval_of(whole: pd.DataFrame, arm: str, metric: str) -> str:
    if (arm, metric) not in whole.index:
        return "n/a"
    row = whole.loc[(arm, metric)]
    return with_interval(row["mean"], row["ci_low"], row["ci_high"], _num)


def _share(row) -> str:
    """A share with its interval (none from a single replicate)."""
    return with_interval(row.mean, row.ci_low, row.ci_high, lambda share: f"{share:.0%}")


def _observe(observe: str) -> str:
    return "creators of its own niche" if observe == "niche" else "creators as its feed shows them, by views"


def _creators(n: int) -> str:
    return f"{n} creator{'' if n == 1 else 's'}"


def _num(value: float) -> str:
    if value != value:
        return "n/a"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
