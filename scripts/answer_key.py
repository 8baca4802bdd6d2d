"""The answer key of docs/teaching.md: run every exercise's command and write docs/teaching_answers.md.

Each exercise of the lesson plan has one ``likesim`` command (the dashboard exercises have their
command-line equivalent). This script runs each command in this process (``sim.cli.main``), with
``--out`` in a temporary folder and ``--no-plots``, reads the numbers back from the output folders
(``runs.csv`` and each run's ``creators.csv``, ``summary.json`` and other tables; docs/outputs.md
describes them all) and writes, per exercise, the numbers that answer it, with 95% confidence
intervals over the replicates, and sentences chosen from those numbers: the sign of a difference
picks "more" or "fewer", and whether its interval excludes 0 picks "clear" or "cannot tell".

Usage::

    .venv/bin/python scripts/answer_key.py [--quick] [--out PATH] [--workers N] [--runs DIR]

``--quick`` runs much smaller platforms (for tests): its numbers check the machinery, not the
lesson. The commands students type are those of the full key (:meth:`Exercise.shown`). ``--runs DIR``
keeps the experiment folders in DIR; run again with the same DIR, the key resumes them (finished runs
are kept), so only the answers are written anew.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source tree
    sys.path.insert(0, str(ROOT))

import sim  # noqa: E402
from sim.cli import main as likesim  # noqa: E402
from sim.comparison import confidence_interval  # noqa: E402
from sim.scenario.viewing import SOCIAL_PROOF_LIKE, SOCIAL_PROOF_PLAY  # noqa: E402

DEFAULT_OUT = ROOT / "docs" / "teaching_answers.md"
#: The lesson plan and its glossary, relative to the answer file (both are in docs/).
GUIDE = "teaching.md"


# --- sizes --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Size:
    """How big the answer key's runs are (the commands students type use :data:`FULL`)."""

    viewers: int
    creators: int
    days: int
    replicates: int
    quick: bool = False


#: The dashboard's class size (3,000 viewers, 80 creators), 20 days, 5 replicates.
FULL = Size(viewers=3000, creators=80, days=20, replicates=5)
#: For tests: a few seconds per exercise.
QUICK = Size(viewers=1500, creators=40, days=8, replicates=2, quick=True)
#: Workers written into the commands students see (the two cores of a laptop).
SHOWN_WORKERS = 2


def command(verb: str, scenario: str, size: Size, *extra: str, days: int | None = None) -> list[str]:
    """The ``likesim`` arguments of one exercise: scenario, size, the exercise's own options, replicates.

    In a quick run brands shop on day 4 (their default week needs runs of 14 days or more).
    """
    args = [
        verb,
        f"scenarios/{scenario}.yaml",
        "--set",
        f"viewers.count={size.viewers}",
        "--set",
        f"creators.count={size.creators}",
        "--set",
        f"clock.days={days or size.days}",
    ]
    if size.quick:
        args += ["--set", "brands.shopping_interval_days=4", "--set", "brands.last_signing_days=3"]
    return [*args, *extra, "--replicates", str(size.replicates)]


def arms(**overrides: str) -> list[str]:
    """``--set arms={name: {path: value, ...}, ...}``: an experiment's arms, designed on the command line."""
    return ["--set", "arms={" + ", ".join(f"{name}: {{{o}}}" for name, o in overrides.items()) + "}"]


def social_proof_strength(x: float) -> str:
    """The dashboard's "Social-proof strength" x: both social-proof coefficients times x."""
    return (
        f"engagement.play.social_proof: {x * SOCIAL_PROOF_PLAY:g}, "
        f"engagement.like.social_proof: {x * SOCIAL_PROOF_LIKE:g}"
    )


def buyers_share(x: float, scenario: str = "strategies") -> str:
    """The dashboard's "Share of creators buying likes" x, as group shares of ``scenarios/<scenario>.yaml``.

    The groups that buy likes share ``x``; the others keep their proportions among the rest, as the
    dashboard does (sim/viz.py).
    """
    groups = sim.load_scenario(ROOT / "scenarios" / f"{scenario}.yaml").creators.groups
    buying = [g.buy_likes is not None for g in groups]
    others = sum(g.share for g, buys in zip(groups, buying, strict=True) if not buys)
    shares = [
        x / sum(buying) if buys else g.share / others * (1 - x)
        for g, buys in zip(groups, buying, strict=True)
    ]
    return ", ".join(f"creators.groups.{i}.share: {share:.4g}" for i, share in enumerate(shares))


# --- estimates ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """A mean over replicates with its 95% Student-t interval (NaN bounds with fewer than 2 values)."""

    mean: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values, bounds: tuple[float, float] = (-math.inf, math.inf)) -> Estimate:
        """The estimate of independent replicate values (NaNs dropped), its interval cut at ``bounds``."""
        mean, low, high, n = confidence_interval(pd.Series(values, dtype=float).to_numpy())
        if n >= 2:
            low, high = max(low, bounds[0]), min(high, bounds[1])
        return cls(mean, low, high, n)

    @property
    def clear(self) -> bool:
        """Whether the interval lies wholly on one side of 0 (a clear difference)."""
        return self.n >= 2 and (self.low > 0 or self.high < 0)

    @property
    def clearly_positive(self) -> bool:
        """Whether the interval lies wholly above 0."""
        return self.n >= 2 and self.low > 0

    @property
    def clearly_negative(self) -> bool:
        """Whether the interval lies wholly below 0."""
        return self.n >= 2 and self.high < 0

    def apart(self, other: Estimate) -> bool:
        """Whether the two intervals do not overlap."""
        return self.n >= 2 and other.n >= 2 and (self.low > other.high or other.low > self.high)

    def finite(self) -> bool:
        """Whether the mean, and the interval when there is one, are finite numbers."""
        bounds = (self.low, self.high) if self.n >= 2 else ()
        return all(math.isfinite(x) for x in (self.mean, *bounds))


ANY = (-math.inf, math.inf)
SHARE = (0.0, 1.0)
POSITIVE = (0.0, math.inf)


def fmt_number(x: float) -> str:
    """A count or a plain number: 12,345 for large values, 3 significant digits for small ones."""
    if not math.isfinite(x):
        return "n/a"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return "0" if x == 0 else f"{x:.3g}"


def fmt_percent(x: float) -> str:
    """A share as a percentage, 3 significant digits (0.0567 -> 5.67%)."""
    if not math.isfinite(x):
        return "n/a"
    return "0%" if x == 0 else f"{100 * x:.3g}%"


def fmt_points(x: float) -> str:
    """A difference of two shares, in percentage points."""
    if not math.isfinite(x):
        return "n/a"
    return "0 points" if x == 0 else f"{100 * x:+.3g} points"


def fmt_money(x: float) -> str:
    """An amount of money in the scenario's currency (-EUR 3.10 when negative)."""
    if not math.isfinite(x):
        return "n/a"
    return ("-" if x < 0 else "") + f"EUR {abs(x):,.2f}"


def fmt_signed(x: float) -> str:
    """A difference, with its sign."""
    return "n/a" if not math.isfinite(x) else ("+" if x > 0 else "") + fmt_number(x)


def fmt_signed_money(x: float) -> str:
    """A difference of money, with its sign."""
    return "n/a" if not math.isfinite(x) else ("+" if x > 0 else "") + fmt_money(x)


#: Units of the numbers shown: (the mean, the interval's bounds).
FORMATS: dict[str, tuple[Callable[[float], str], Callable[[float], str]]] = {
    "number": (fmt_number, fmt_number),
    "percent": (fmt_percent, fmt_percent),
    "points": (fmt_points, fmt_points),
    "money": (fmt_money, fmt_money),
    "signed": (fmt_signed, fmt_number),
    "signed_money": (fmt_signed_money, fmt_money),
}


def show(estimate: Estimate, kind: str = "number") -> str:
    """``mean [low, high]`` in the unit ``kind`` (a key of :data:`FORMATS`); without interval, the mean."""
    mean, bound = FORMATS[kind]
    if estimate.n < 2:
        return mean(estimate.mean)
    if estimate.low == estimate.high:
        return f"{mean(estimate.mean)} (every replicate)"
    return f"{mean(estimate.mean)} [{bound(estimate.low)}, {bound(estimate.high)}]"


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_").replace(" ", "-")


def term(words: str, heading: str | None = None) -> str:
    """``words`` linked to their glossary entry in docs/teaching.md (``heading``: the entry's title)."""
    return f"[{words}]({GUIDE}#{slug(heading or words)})"


# --- words chosen from numbers ------------------------------------------------------------------------------


def sign_word(value: Estimate | float, up: str, down: str, flat: str) -> str:
    """``up`` when the (mean) value is above 0, ``down`` below, ``flat`` at exactly 0."""
    x = value.mean if isinstance(value, Estimate) else value
    return up if x > 0 else down if x < 0 else flat


def moved(value: Estimate, up: str, down: str, amount: Callable[[float], str]) -> str:
    """Rose by 0.05, fell by 0.05 or did not change (``up``, ``down``), from the sign of the mean."""
    if value.mean == 0:
        return "did not change"
    return f"{up if value.mean > 0 else down} by {amount(abs(value.mean))}"


def clarity(difference: Estimate) -> str:
    """Whether a difference is clear (its 95% interval excludes 0), in words."""
    if difference.n < 2:
        return "a single value: no interval, so no verdict"
    if difference.low == difference.high == 0:
        return "exactly 0 in every replicate"
    if difference.clear:
        return "clear: the 95% interval excludes 0"
    return f"not clear: the 95% interval includes 0, so {difference.n} replicates cannot tell"


def standing(lead: Estimate) -> str:
    """Where a lead over the organic creators stands: clearly ahead, clearly behind, or within the noise."""
    if lead.clearly_positive:
        return "clearly ahead"
    if lead.clearly_negative:
        return "clearly behind"
    return "not clearly different from 0"


def than(lead: Estimate, what: str = "followers") -> str:
    """A lead over organic creators in words: "225 more followers than" / "12 fewer followers than"."""
    return f"{fmt_number(abs(lead.mean))} {sign_word(lead, 'more', 'fewer', 'no more')} {what} than"


def apart_words(a: Estimate, b: Estimate) -> str:
    """Whether two separate estimates can be told apart, in words."""
    if a.apart(b):
        return "the intervals do not overlap, so the gap is clear"
    return "the intervals overlap, so these replicates cannot tell the two apart"


# --- reading output folders ---------------------------------------------------------------------------------


class RunFolder:
    """One run folder (docs/outputs.md, "Run folder"), its tables read on first use."""

    def __init__(self, path: Path):
        self.path = path
        self._tables: dict[str, pd.DataFrame] = {}

    def table(self, name: str) -> pd.DataFrame:
        """``<name>.csv`` of the run."""
        if name not in self._tables:
            self._tables[name] = pd.read_csv(self.path / f"{name}.csv")
        return self._tables[name]

    @property
    def creators(self) -> pd.DataFrame:
        """``creators.csv``: one row per creator at the end."""
        return self.table("creators")

    @cached_property
    def summary(self) -> dict:
        """``summary.json``: the run's headline numbers (null -> NaN)."""
        values = json.loads((self.path / "summary.json").read_text())
        return {key: (math.nan if value is None else value) for key, value in values.items()}

    @cached_property
    def scenario(self) -> dict:
        """``scenario.yaml``: the fully resolved scenario of the run."""
        return yaml.safe_load((self.path / "scenario.yaml").read_text())

    def group(self, group: str, column: str, how: str = "mean") -> float:
        """A creator group's mean (or ``how``) of a ``creators.csv`` column (NaN for an empty group)."""
        rows = self.creators.loc[self.creators["group"] == group, column]
        return float(getattr(rows, how)()) if len(rows) else math.nan

    def lead(self, group: str, column: str, over: str = "organic") -> float:
        """The group's mean of ``column`` minus the mean of the group ``over``, in this run."""
        return self.group(group, column) - self.group(over, column)


class Experiment:
    """An experiment folder (docs/outputs.md, "Experiment folder"): its runs by arm and replicate."""

    def __init__(self, root: Path):
        self.root = root
        self.runs = pd.read_csv(root / "runs.csv")
        self.folders = {(r.arm, r.replicate): RunFolder(root / r.folder) for r in self.runs.itertuples()}

    @property
    def arms(self) -> list[str]:
        """The arms, in plan order."""
        return list(dict.fromkeys(self.runs["arm"]))

    def measure(self, fn: Callable[[RunFolder], dict[str, float]]) -> pd.DataFrame:
        """``fn`` of every run: one row per run indexed by (arm, replicate), one column per measure."""
        rows = [{"arm": arm, "replicate": rep, **fn(run)} for (arm, rep), run in self.folders.items()]
        return pd.DataFrame(rows).set_index(["arm", "replicate"]).astype(float)


def estimate(values: pd.DataFrame, arm: str, column: str, bounds: tuple[float, float] = ANY) -> Estimate:
    """One arm's mean of a measure over its replicates, with its 95% interval."""
    return Estimate.of(values.loc[arm, column], bounds)


def paired(values: pd.DataFrame, arm: str, baseline: str, column: str) -> Estimate:
    """``arm`` minus ``baseline``, replicate by replicate (replicate i of every arm shares its seed)."""
    return Estimate.of((values.loc[arm, column] - values.loc[baseline, column]).dropna())


# --- answers ------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    """One exercise's answer: markdown (tables, sentences) and every estimate it shows, by name."""

    lines: list[str] = field(default_factory=list)
    numbers: dict[str, Estimate] = field(default_factory=dict)

    def cell(self, name: str, value: Estimate, kind: str = "number") -> str:
        """Record ``value`` under ``name``; return it formatted (a key of :data:`FORMATS`)."""
        self.numbers[name] = value
        return show(value, kind)

    def __getitem__(self, name: str) -> Estimate:
        return self.numbers[name]

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        """A markdown table."""
        self.lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        self.lines += ["| " + " | ".join(row) + " |" for row in rows]
        self.lines.append("")

    def note(self, text: str) -> None:
        """A paragraph: how to read what is above."""
        self.lines += [text, ""]

    def say(self, *sentences: str) -> None:
        """The answer in words: sentences computed from the numbers."""
        self.lines += ["**Answer.** " + " ".join(sentences), ""]


@dataclass(frozen=True)
class Exercise:
    """One exercise: its number, its question, its command at a given size, and how to answer it."""

    number: int
    question: str
    args: Callable[[Size], list[str]]
    answer: Callable[[Experiment], Answer]

    def shown(self, size: Size = FULL) -> list[str]:
        """The command as docs/teaching.md prints it: ``likesim ...`` with workers and an output folder.

        Exercises with the same command share the output folder of the first of them.
        """
        args = self.args(size)
        first = min(ex.number for ex in EXERCISES if ex.args(size) == args)
        out = f"results/teaching/ex{first:02d}"
        return ["likesim", *args, "--workers", str(SHOWN_WORKERS), "--out", out]


EXERCISES: list[Exercise] = []


def exercise(number: int, question: str, args: Callable[[Size], list[str]]):
    """Register the decorated answer function as exercise ``number``."""

    def register(fn: Callable[[Experiment], Answer]):
        EXERCISES.append(Exercise(number, question, args, fn))
        return fn

    return register


# --- 1. the Lorenz curve ------------------------------------------------------------------------------------


def _views(run: RunFolder) -> dict[str, float]:
    views = np.sort(run.table("videos")["views"].to_numpy(float))
    total = views.sum()
    return {
        "videos": len(views),
        "top1": run.summary["top1pct_view_share"],
        "bottom_half": views[: len(views) // 2].sum() / total if total else math.nan,
        "under_100": run.summary["videos_under_100_views"],
        "views_gini": run.summary["views_gini"],
        "followers_gini": run.summary["followers_gini"],
    }


@exercise(
    1,
    'Press Play and read the "Lorenz curve of views": how unequally are views shared among videos?',
    lambda size: command("run", "organic_growth", size),
)
def lorenz(exp: Experiment) -> Answer:
    values, arm, a = exp.measure(_views), exp.arms[0], Answer()
    rows = [
        ("videos", "videos posted per run", "number", POSITIVE),
        (
            "top1",
            f"share of all views taken by the {term('top 1%', 'Top 1% share')} of videos",
            "percent",
            SHARE,
        ),
        ("bottom_half", "share of all views taken by the bottom half of videos", "percent", SHARE),
        ("under_100", "videos with under 100 views", "percent", SHARE),
        ("views_gini", f"{term('Gini')} of views over videos", "number", SHARE),
        ("followers_gini", f"{term('Gini')} of followers over creators", "number", SHARE),
    ]
    a.table(
        ["measure", "value"],
        [
            [words, a.cell(name, estimate(values, arm, name, bounds), kind)]
            for name, words, kind, bounds in rows
        ],
    )
    top1, bottom, gini = a["top1"], a["bottom_half"], a["views_gini"]
    shape = (
        "far from equal: the Lorenz curve bends far below the diagonal of perfect equality"
        if gini.mean > 0.5
        else "fairly even: the Lorenz curve stays close to the diagonal of perfect equality"
    )
    a.say(
        f"The top 1% of videos took {fmt_percent(top1.mean)} of all views, {top1.mean / 0.01:.0f} times the "
        f"1% an equal split would give them, while the bottom half of videos shared "
        f"{fmt_percent(bottom.mean)}.",
        f"A views Gini of {gini.mean:.2f} (0: every video gets the same; 1: one video gets everything) is "
        f"{shape}.",
    )
    return a


# --- 2. social-proof strength -------------------------------------------------------------------------------

STRENGTHS = {"strength_0": 0.0, "strength_1": 1.0, "strength_2": 2.0}


@exercise(
    2,
    'Set "Social-proof strength" to 0, then 1, then 2 (Reset after each): what happens to the inequality '
    "of views?",
    lambda size: command(
        "run", "organic_growth", size, *arms(**{a: social_proof_strength(x) for a, x in STRENGTHS.items()})
    ),
)
def social_proof(exp: Experiment) -> Answer:
    values = exp.measure(
        lambda run: {
            "views_gini": run.summary["views_gini"],
            "top1": run.summary["top1pct_view_share"],
            "followers_gini": run.summary["followers_gini"],
            "like_view": run.summary["like_view_median"],
        }
    )
    a = Answer()
    rows = []
    for arm, x in STRENGTHS.items():
        rows.append(
            [
                f"{x:g} ({arm})",
                a.cell(f"views_gini_{arm}", estimate(values, arm, "views_gini", SHARE)),
                a.cell(f"top1_{arm}", estimate(values, arm, "top1", SHARE), "percent"),
                a.cell(f"followers_gini_{arm}", estimate(values, arm, "followers_gini", SHARE)),
                a.cell(f"like_view_{arm}", estimate(values, arm, "like_view", SHARE), "percent"),
            ]
        )
    a.table(
        [
            "social-proof strength (arm)",
            f"{term('Gini')} of views",
            term("top 1% share", "Top 1% share") + " of views",
            f"{term('Gini')} of followers",
            "median " + term("like/view"),
        ],
        rows,
    )
    gini = paired(values, "strength_2", "strength_0", "views_gini")
    top1 = paired(values, "strength_2", "strength_0", "top1")
    a.table(
        [f"from strength 0 to 2 ({term('paired difference')})", "change"],
        [
            ["Gini of views", a.cell("views_gini_change", gini, "signed")],
            ["top 1% share of views", a.cell("top1_change", top1, "points")],
        ],
    )
    a.say(
        f"From no social proof (0) to twice the calibrated strength (2), the Gini of views "
        f"{moved(gini, 'rose', 'fell', lambda x: f'{x:.3f}')} ({clarity(gini)}), and the top 1% of videos' "
        f"share of views {moved(top1, 'rose', 'fell', lambda x: f'{100 * x:.3g} points')} ({clarity(top1)}).",
        "When viewers copy the crowd, views pile up on the videos that are already ahead."
        if gini.clearly_positive
        else "At this size and length, social proof alone did not clearly concentrate views.",
    )
    return a


# --- 3 and 4. bought likes: what they show, and whether they pay --------------------------------------------


def _strategies(size: Size) -> list[str]:
    return command("run", "strategies", size)


def _display(run: RunFolder) -> dict[str, float]:
    buyers = run.creators[run.creators["group"] == "buy_likes"]
    displayed = buyers["displayed_likes"].sum()
    human_shown = (buyers["likes"] - buyers["organic_removed"]).sum()
    measures = {"bought_share": (displayed - human_shown) / displayed if displayed else math.nan}
    for group in ("buy_likes", "organic"):
        for column in ("engagement_per_view", "organic_engagement_per_view"):
            measures[f"{group}_{column}"] = run.group(group, column)
    return measures


@exercise(
    3,
    'With "Share of creators buying likes" at 0.2, watch the panel of displayed vs human likes of buyers: '
    "how much of what buyers show is real?",
    _strategies,
)
def displayed_vs_human(exp: Experiment) -> Answer:
    values, a = exp.measure(_display), Answer()
    rows = []
    for group in ("buy_likes", "organic"):
        rows.append(
            [group]
            + [
                a.cell(f"{group}_{c}", estimate(values, "with_buyers", f"{group}_{c}", POSITIVE), "percent")
                for c in ("engagement_per_view", "organic_engagement_per_view")
            ]
        )
    a.table(
        [
            "group (arm with_buyers)",
            term("displayed engagement") + " per view",
            term("organic engagement") + " per view",
        ],
        rows,
    )
    share = estimate(values, "with_buyers", "bought_share", SHARE)
    lift = paired(values, "with_buyers", "nobody_buys", "buy_likes_organic_engagement_per_view")
    a.table(
        ["measure", "value"],
        [
            [
                f"share of the buyers' {term('displayed likes')} at the end that were bought",
                a.cell("bought_share", share, "percent"),
            ],
            [
                "buyers' organic engagement per view: with_buyers minus nobody_buys "
                f"({term('paired difference')})",
                a.cell("organic_lift", lift, "points"),
            ],
        ],
    )
    ratio = a["buy_likes_engagement_per_view"].mean / a["buy_likes_organic_engagement_per_view"].mean
    organic = a["organic_engagement_per_view"].mean / a["organic_organic_engagement_per_view"].mean
    a.say(
        f"Of every 100 likes a buyer showed at the end, about {100 * share.mean:.0f} were bought (95% "
        f"interval {fmt_percent(share.low)} to {fmt_percent(share.high)}).",
        f"Buyers' displayed engagement per view was {ratio:.1f} times their engagement from real people; "
        f"for organic creators the ratio was {organic:.2f} (just under 1 where the platform removed real "
        "likes by mistake).",
        "With buying, the buyers' engagement per view from real people "
        f"{moved(lift, 'rose', 'fell', lambda x: f'{100 * x:.2g} points')} ({clarity(lift)})"
        + (
            ": social proof at work, real viewers like what already looks liked."
            if lift.clearly_positive
            else "; next to the bought likes themselves this is small."
        ),
    )
    return a


BUYER_MEASURES = {
    "followers_gained": ("followers gained", "number", ANY),
    "views": ("views", "number", POSITIVE),
    "income": ("income (gifts, VIP, brand deals)", "money", POSITIVE),
    "brand_income": ("of which brand deals", "money", POSITIVE),
    "like_spend": ("spend on likes", "money", POSITIVE),
    "profit": ("profit (income minus spend on likes)", "money", ANY),
}


def _buyers(run: RunFolder) -> dict[str, float]:
    others = run.creators[run.creators["group"] != "buy_likes"]
    measures = {f"buyer_{m}": run.group("buy_likes", m) for m in BUYER_MEASURES}
    measures |= {f"others_{m}": others[m].mean() for m in ("followers_gained", "views", "income")}
    return measures


@exercise(
    4,
    "Does buying likes pay? Compare the buyers with the same creators in the same world when nobody buys.",
    _strategies,
)
def does_buying_pay(exp: Experiment) -> Answer:
    values, a = exp.measure(_buyers), Answer()
    rows = []
    signed = {"number": "signed", "money": "signed_money"}
    measures = [(f"buyer_{m}", f"{words}, per buyer", *rest) for m, (words, *rest) in BUYER_MEASURES.items()]
    measures += [
        ("others_followers_gained", "followers gained, per creator who does not buy", "number", ANY),
        ("others_views", "views, per creator who does not buy", "number", POSITIVE),
        ("others_income", "income, per creator who does not buy", "money", POSITIVE),
    ]
    for name, words, kind, bounds in measures:
        rows.append(
            [
                words,
                a.cell(f"{name}_with", estimate(values, "with_buyers", name, bounds), kind),
                a.cell(f"{name}_without", estimate(values, "nobody_buys", name, bounds), kind),
                a.cell(f"{name}_change", paired(values, "with_buyers", "nobody_buys", name), signed[kind]),
            ]
        )
    a.table(["mean per creator", "with_buyers", "nobody_buys", f"change ({term('paired difference')})"], rows)
    followers, profit = a["buyer_followers_gained_change"], a["buyer_profit_change"]
    spend, others = a["buyer_like_spend_with"].mean, a["others_followers_gained_change"]
    if followers.mean > 0:
        cost = Estimate(spend / followers.mean, math.nan, math.nan, 1)
        per_follower = f"about {a.cell('eur_per_extra_follower', cost, 'money')} per extra follower"
    else:
        per_follower = "no extra follower for the money"
    if profit.clear:
        money = f"buying {'paid' if profit.mean > 0 else 'lost money'} in this market"
    else:
        money = "the replicates cannot say whether buying paid in money"
    a.say(
        f"Spending {fmt_money(spend)} per buyer on likes {sign_word(followers, 'added', 'cost', 'changed')} "
        f"{fmt_number(abs(followers.mean))} followers per buyer ({clarity(followers)}): {per_follower}.",
        f"Profit changed by {fmt_signed_money(profit.mean)} per buyer ({clarity(profit)}), so {money}; money "
        "reaches buyers only through brand deals, which price displayed engagement.",
        f"Attention is shared: creators who did not buy gained {fmt_number(abs(others.mean))} "
        f"{sign_word(others, 'more', 'fewer', 'no more and no fewer')} followers each when others bought "
        f"({clarity(others)}).",
    )
    return a


# --- 5. detection strength ----------------------------------------------------------------------------------

DETECTION = {"detection_0": 0.0, "detection_1": 1.0, "detection_4": 4.0}


def _detection(run: RunFolder) -> dict[str, float]:
    s = run.summary
    return {
        "recall": s["detection_recall"],
        "bought_removed": s["bought_likes_removed"],
        "organic_removed": s["organic_likes_removed"],
        "strikes": run.group("buy_likes", "strikes"),
        "lead": run.lead("buy_likes", "followers_gained"),
        "profit": run.group("buy_likes", "profit"),
    }


@exercise(
    5,
    'Set "Detection strength" to 0, then 1, then 4: does a stricter platform stop buying from paying?',
    lambda size: command(
        "run", "strategies", size, *arms(**{a: f"integrity.strength: {x:g}" for a, x in DETECTION.items()})
    ),
)
def detection(exp: Experiment) -> Answer:
    values, a = exp.measure(_detection), Answer()
    columns = [
        ("recall", f"{term('recall')}: share of bought likes removed", "percent", SHARE),
        ("bought_removed", "bought likes removed", "number", POSITIVE),
        ("organic_removed", "real likes removed by mistake", "number", POSITIVE),
        ("strikes", term("strikes", "Strike") + " per buyer", "number", POSITIVE),
        ("lead", "buyers' lead in followers gained over organic creators", "number", ANY),
        ("profit", "profit per buyer", "money", ANY),
    ]
    rows = [
        [f"{x:g} ({arm})"]
        + [
            a.cell(f"{name}_{arm}", estimate(values, arm, name, bounds), kind)
            for name, _, kind, bounds in columns
        ]
        for arm, x in DETECTION.items()
    ]
    a.table(["detection strength (arm)", *(words for _, words, _, _ in columns)], rows)
    lead = paired(values, "detection_4", "detection_1", "lead")
    profit = paired(values, "detection_4", "detection_1", "profit")
    a.table(
        [f"from strength 1 to 4 ({term('paired difference')})", "change"],
        [
            ["buyers' lead in followers gained", a.cell("lead_change", lead, "signed")],
            ["profit per buyer", a.cell("profit_change", profit, "signed_money")],
        ],
    )
    strict = a["lead_detection_4"]
    if strict.clearly_positive and not lead.clearly_negative:
        verdict = (
            "buyers keep their lead in followers: the bought likes the sweep removes have already brought "
            "their views and followers"
        )
    elif strict.clearly_positive:
        verdict = "stricter detection cuts the buyers' lead in followers, but buyers still come out ahead"
    elif strict.clearly_negative:
        verdict = "buyers now fall behind organic creators in followers"
    else:
        verdict = "the buyers' lead in followers is no longer clearly above 0"
    a.say(
        "At four times the default strength the platform removed "
        f"{fmt_percent(a['recall_detection_4'].mean)} of the bought likes delivered, against "
        f"{fmt_percent(a['recall_detection_1'].mean)} at the default "
        f"and {fmt_percent(a['recall_detection_0'].mean)} with detection off; it also removed "
        f"{fmt_number(a['organic_removed_detection_4'].mean)} likes given by real people.",
        f"The buyers' lead in followers went from {fmt_number(a['lead_detection_1'].mean)} to "
        f"{fmt_number(strict.mean)} (the change is {clarity(lead)}), and profit per buyer changed by "
        f"{fmt_signed_money(profit.mean)} ({clarity(profit)}).",
        f"At strength 4, {verdict}.",
    )
    return a


# --- 6. gifts -----------------------------------------------------------------------------------------------

LIVE = {"live_gifting_on": "", "live_gifting_off": "platforms.tiktok.monetization.live_gifts: false"}


def _gifts(run: RunFolder) -> dict[str, float]:
    s = run.summary
    coins = run.table("gifters")["coins_gifted"].to_numpy(float)
    gift_value = s["creator_payout"] + s["platform_take"]
    measures = {
        "gifting_viewers": s["gifting_viewers"] / run.scenario["viewers"]["count"],
        "top20": s["gift_top20_share"],
        "whale": coins.max() / coins.sum() if coins.sum() else math.nan,
        "unspent": s["coins_unspent"] / s["coins_purchased"] if s["coins_purchased"] else math.nan,
        "creator_cut": s["creator_payout"] / gift_value if gift_value else math.nan,
        "creator_of_spend": s["creator_share_of_spend"],
        "gini": s["gift_income_gini"],
        "platform_income": s["platform_take"] + s["vip_revenue"] - s["vip_payout"],
    }
    for group in ("organic", "live", "live_vip"):
        measures |= {f"{m}_{group}": run.group(group, m) for m in ("income", "gift_income", "vip_income")}
        measures[f"median_{group}"] = run.group(group, "income", "median")
        measures[f"followers_{group}"] = run.group(group, "followers_gained")
    return measures


@exercise(
    6,
    'With "LIVE gifting" ticked, watch the coins and gift income panel: who pays for gifts, and who earns '
    "from them? Then untick it: who loses?",
    lambda size: command("run", "gift_monetization", size, *arms(**LIVE)),
)
def gifts(exp: Experiment) -> Answer:
    values, a, on = exp.measure(_gifts), Answer(), "live_gifting_on"
    rows = [
        ("gifting_viewers", f"viewers who sent any {term('gift', 'Gifts')}", SHARE),
        ("top20", "coins given by the most generous 20% of gifters", SHARE),
        ("whale", f"coins given by the single biggest gifter (the {term('whale')})", SHARE),
        ("unspent", f"{term('coins', 'Coins')} bought but not yet given (still in wallets)", SHARE),
        ("creator_cut", f"of the gifts' value, paid to creators (the rest: {term('platform take')})", SHARE),
        ("creator_of_spend", "of what viewers paid for coins, paid to creators so far", SHARE),
        ("gini", f"{term('Gini')} of gift income among creators who go {term('LIVE')}", SHARE),
    ]  # fmt: skip
    a.table(
        ["measure (arm live_gifting_on)", "value"],
        [
            [
                words,
                a.cell(name, estimate(values, on, name, bounds), "number" if name == "gini" else "percent"),
            ]
            for name, words, bounds in rows
        ],
    )
    groups = {
        "organic": "organic (posts only)",
        "live": "LIVE",
        "live_vip": f"LIVE + {term('VIP', 'VIP subscription')}",
    }
    table = []
    for group, words in groups.items():
        table.append(
            [
                words,
                a.cell(f"income_{group}", estimate(values, on, f"income_{group}", POSITIVE), "money"),
                a.cell(f"median_{group}", estimate(values, on, f"median_{group}", POSITIVE), "money"),
                a.cell(
                    f"gift_income_{group}", estimate(values, on, f"gift_income_{group}", POSITIVE), "money"
                ),
                a.cell(f"vip_income_{group}", estimate(values, on, f"vip_income_{group}", POSITIVE), "money"),
                a.cell(
                    f"income_{group}_off",
                    paired(values, "live_gifting_off", on, f"income_{group}"),
                    "signed_money",
                ),
            ]
        )
    a.table(
        ["creator group", "mean income", "median income", "of the mean: gifts", "of the mean: VIP",
         f"income change with LIVE gifting off ({term('paired difference')})"],
        table,
    )  # fmt: skip
    platform = paired(values, "live_gifting_off", on, "platform_income")
    a.table(
        ["platform", "value"],
        [
            ["platform's take from gifts and VIP, LIVE gifting on",
             a.cell("platform_income", estimate(values, on, "platform_income", POSITIVE), "money")],
            ["change with LIVE gifting off (paired)",
             a.cell("platform_income_off", platform, "signed_money")],
        ],
    )  # fmt: skip
    live, vip, median = a["income_live"], a["income_live_vip"], a["median_live"]
    skew = live.mean / median.mean if median.mean > 0 else math.inf
    lost = a["income_live_off"]
    a.say(
        f"Only {fmt_percent(a['gifting_viewers'].mean)} of viewers sent a gift, and the most generous 20% of "
        f"them gave {fmt_percent(a['top20'].mean)} of the coins: gifts come from a few whales.",
        f"Creators received {fmt_percent(a['creator_cut'].mean)} of the value of the gifts; the platform "
        "kept the rest.",
        f"A LIVE creator earned {fmt_money(live.mean)} on average, the median one {fmt_money(median.mean)}"
        + (f" ({skew:.0f} times less: a few stars take most of it)." if skew >= 2 else ".")
        + f" LIVE + VIP creators earned {fmt_money(vip.mean)} on average, against {fmt_money(live.mean)} for "
        f"LIVE only ({apart_words(vip, live)}).",
        f"With LIVE gifting off, LIVE creators' income {moved(lost, 'rose', 'fell', fmt_money)} "
        f"({clarity(lost)}), and the platform's take {moved(platform, 'rose', 'fell', fmt_money)} "
        f"({clarity(platform)}).",
    )
    return a


# --- 7. brands ----------------------------------------------------------------------------------------------


def _brands(run: RunFolder) -> dict[str, float]:
    deals = run.table("deals")
    buyer = run.creators.set_index("creator")["group"] != "organic"
    deals = deals.assign(buyer=buyer.loc[deals["creator"]].to_numpy())
    measures = {"buyers_of_creators": float(buyer.mean()), "deals": float(len(deals))}
    for kind in ("audited", "unaudited"):
        mine = deals[deals["brand_kind"] == kind]
        spend = mine["price"].sum()
        measures[f"to_buyers_{kind}"] = mine.loc[mine["buyer"], "price"].sum() / spend if spend else math.nan
        measures[f"roi_{kind}"] = run.summary[f"brand_roi_{kind}"]
    for who, rows in (("buyers", deals[deals["buyer"]]), ("organic", deals[~deals["buyer"]])):
        spend = rows["price"].sum()
        measures[f"price_{who}"] = rows["price"].mean() if len(rows) else math.nan
        measures[f"return_{who}"] = rows["conversion_value"].sum() / spend if spend else math.nan
        measures[f"reach_{who}"] = rows["impressions"].sum() / spend if spend else math.nan
    measures["roi_gap"] = measures["roi_unaudited"] - measures["roi_audited"]
    measures["to_buyers_gap"] = measures["to_buyers_unaudited"] - measures["to_buyers_audited"]
    flagged = run.creators["audit_flagged"].astype(bool)
    measures["flagged_buyers"] = flagged[buyer.to_numpy()].mean()
    measures["flagged_organic"] = flagged[~buyer.to_numpy()].mean()
    return measures


@exercise(
    7,
    "What do brands pay for: real audiences, or displayed likes? Do brands that audit do better?",
    lambda size: command("run", "brand_partnerships", size),
)
def brands(exp: Experiment) -> Answer:
    values, arm, a = exp.measure(_brands), exp.arms[0], Answer()
    a.table(
        ["measure", "audited brands", "unaudited brands"],
        [
            ["share of the brands' money paid to like buyers"]
            + [a.cell(f"to_buyers_{k}", estimate(values, arm, f"to_buyers_{k}", SHARE), "percent")
               for k in ("audited", "unaudited")],
            [term("return on spend") + " (sales value per EUR paid to creators)"]
            + [a.cell(f"roi_{k}", estimate(values, arm, f"roi_{k}", POSITIVE))
               for k in ("audited", "unaudited")],
        ],
    )  # fmt: skip
    a.table(
        ["measure (every brand)", "deals with like buyers", "deals with organic creators"],
        [
            ["mean price of a " + term("brand deal")]
            + [a.cell(f"price_{w}", estimate(values, arm, f"price_{w}", POSITIVE), "money")
               for w in ("buyers", "organic")],
            ["impressions of the sponsored video per EUR paid"]
            + [a.cell(f"reach_{w}", estimate(values, arm, f"reach_{w}", POSITIVE))
               for w in ("buyers", "organic")],
            ["sales value per EUR paid"]
            + [a.cell(f"return_{w}", estimate(values, arm, f"return_{w}", POSITIVE))
               for w in ("buyers", "organic")],
            [f"creators the {term('audit')} flags at the end"]
            + [a.cell(f"flagged_{w}", estimate(values, arm, f"flagged_{w}", SHARE), "percent")
               for w in ("buyers", "organic")],
        ],
    )  # fmt: skip
    share = estimate(values, arm, "buyers_of_creators", SHARE)
    a.cell("buyers_of_creators", share, "percent")
    a.cell("deals", estimate(values, arm, "deals", POSITIVE))
    a.table(
        ["unaudited minus audited brands, run by run", "value"],
        [
            ["share of the money paid to like buyers",
             a.cell("to_buyers_gap", estimate(values, arm, "to_buyers_gap"), "points")],
            ["return on spend", a.cell("roi_gap", estimate(values, arm, "roi_gap"), "signed")],
        ],
    )  # fmt: skip
    gap, steer = a["roi_gap"], a["to_buyers_gap"]
    buyers, organic = a["return_buyers"], a["return_organic"]
    a.say(
        f"Like buyers are {fmt_percent(share.mean)} of creators. Unaudited brands paid them "
        f"{fmt_percent(a['to_buyers_unaudited'].mean)} of their money, audited brands "
        f"{fmt_percent(a['to_buyers_audited'].mean)} ("
        + (
            "clear: the audit steered money away from buyers)."
            if steer.clearly_positive
            else f"the difference is {clarity(steer)}; the audit did not clearly steer money away from "
            "buyers)."
        ),
        f"A deal with a buyer cost {fmt_money(a['price_buyers'].mean)} on average against "
        f"{fmt_money(a['price_organic'].mean)} with an organic creator, and returned {buyers.mean:.2f} in "
        f"sales per EUR against {organic.mean:.2f}: buyers' deals returned "
        f"{sign_word(buyers.mean - organic.mean, 'more', 'less', 'as much')} per euro"
        + (
            f", because their sponsored videos reached more viewers per euro ({a['reach_buyers'].mean:,.0f} "
            f"against {a['reach_organic'].mean:,.0f} impressions): bought likes had bought them real reach."
            if buyers.mean > organic.mean and a["reach_buyers"].mean > a["reach_organic"].mean
            else "."
        ),
        f"The audit flagged {fmt_percent(a['flagged_buyers'].mean)} of the like buyers and "
        f"{fmt_percent(a['flagged_organic'].mean)} of the organic creators.",
        f"Brands that do not audit earned {fmt_number(abs(gap.mean))} "
        f"{sign_word(gap, 'more', 'less', 'no more and no less')} per EUR than brands that audit "
        f"({clarity(gap)}).",
    )
    return a


# --- 8. hiding likes ----------------------------------------------------------------------------------------


def _hide(size: Size) -> list[str]:
    day = size.days // 2
    event = f"events=[{{day: {day}, set: {{platforms.tiktok.likes_shown: false}}, note: like counts hidden}}]"
    return command(
        "run", "hide_likes", size, "--set", event, *arms(always_shown="events: []", hidden_halfway="")
    )


def _hidden(run: RunFolder) -> dict[str, float]:
    daily = run.table("timeseries")
    day = run.scenario["clock"]["days"] // 2
    after = daily[daily["day"] > day]
    return {
        "views_gini": run.summary["views_gini"],
        "followers_gini": run.summary["followers_gini"],
        "like_view_after": after["likes"].sum() / after["views"].sum(),
        "views_after": after["views"].mean(),
        "buyer_followers": run.group("buy_likes", "followers_gained"),
        "organic_followers": run.group("organic", "followers_gained"),
        "lead": run.lead("buy_likes", "followers_gained"),
        "days": run.scenario["clock"]["days"],
    }


@exercise(
    8,
    'Untick "Show like counts": what changes when viewers can no longer see likes?',
    _hide,
)
def hide_likes(exp: Experiment) -> Answer:
    values, a = exp.measure(_hidden), Answer()
    shown, hidden = "always_shown", "hidden_halfway"
    rows = [
        ("views_gini", "Gini of views over videos", "number", "signed", SHARE),
        ("followers_gini", "Gini of followers over creators", "number", "signed", SHARE),
        ("like_view_after", "likes from real people per view, second half", "percent", "points", SHARE),
        ("views_after", "views per day, second half", "number", "signed", POSITIVE),
        ("buyer_followers", "followers gained per like buyer", "number", "signed", ANY),
        ("organic_followers", "followers gained per organic creator", "number", "signed", ANY),
        ("lead", "buyers' lead in followers gained over organic creators", "number", "signed", ANY),
    ]
    a.table(
        ["measure", "always_shown", "hidden_halfway",
         f"change ({term('paired difference')})"],
        [
            [words, a.cell(f"{name}_shown", estimate(values, shown, name, bounds), kind),
             a.cell(f"{name}_hidden", estimate(values, hidden, name, bounds), kind),
             a.cell(f"{name}_change", paired(values, hidden, shown, name), change)]
            for name, words, kind, change, bounds in rows
        ],
    )  # fmt: skip
    days = int(values["days"].iloc[0])
    a.note(f"Like counts disappear on day {days // 2} of {days} in the arm hidden_halfway.")
    gini, likes, lead = (a[f"{name}_change"] for name in ("views_gini", "like_view_after", "lead"))
    before, after = a["lead_shown"], a["lead_hidden"]
    a.say(
        "With like counts hidden halfway, the Gini of views "
        f"{moved(gini, 'rose', 'fell', lambda x: f'{x:.3f}')} ({clarity(gini)}), and the likes per view "
        "from real people in the second half "
        f"{moved(likes, 'rose', 'fell', lambda x: f'{100 * x:.2g} points')} ({clarity(likes)}).",
        f"The like buyers' lead in followers {moved(lead, 'grew', 'shrank', fmt_number)} ({clarity(lead)}), "
        f"from {fmt_number(before.mean)} to {fmt_number(after.mean)}"
        + (
            ": buyers keep most of their lead, because the ranking (and the brands) still see the bought "
            "likes that viewers no longer see."
            if after.clearly_positive and after.mean > before.mean / 2
            else ": hiding the counts takes away much of what bought likes do."
        ),
    )
    return a


# --- 9. imitation -------------------------------------------------------------------------------------------


def _adaptive(size: Size) -> list[str]:
    interval = 3 if size.quick else 7
    return command(
        "run",
        "adaptive",
        size,
        "--set",
        "adaptation.payoff=profit",
        "--set",
        f"adaptation.interval_days={interval}",
        *arms(default_detection="", strict_detection="integrity.strength: 4"),
        days=None if size.quick else 28,
    )


def _adaptation(run: RunFolder) -> dict[str, float]:
    shares = run.table("strategy_shares")
    start = shares[shares["day"] == shares["day"].min()].groupby("strategy")["creators"].sum()
    end = shares[shares["day"] == shares["day"].max()].groupby("strategy")["creators"].sum()
    s = run.summary
    return {
        "buy_start": start.get("buy_likes", 0) / start.sum(),
        "buy_end": end.get("buy_likes", 0) / end.sum(),
        "organic_end": end.get("organic", 0) / end.sum(),
        "switches": s["strategy_switches"],
        "fooled": s["switches_fooled_share"],
        "payoff_first": s["payoff_first_window"],
        "payoff_last": s["payoff_last_window"],
    }


@exercise(
    9,
    "Creators copy the peer who looks most profitable: does like buying spread, and does strict detection "
    "stop it?",
    _adaptive,
)
def imitation(exp: Experiment) -> Answer:
    values, a = exp.measure(_adaptation), Answer()
    both = ("default_detection", "strict_detection")
    rows = [
        ("buy_start", "creators buying likes at the start", "percent", SHARE),
        ("buy_end", "creators buying likes at the end", "percent", SHARE),
        ("organic_end", "organic creators at the end", "percent", SHARE),
        ("switches", "strategy switches per run", "number", POSITIVE),
        ("fooled", "copies of a peer that only looked better (fooled)", "percent", SHARE),
        ("payoff_first", f"mean {term('payoff')} (profit) per creator, first week", "money", ANY),
        ("payoff_last", "mean payoff (profit) per creator, last week", "money", ANY),
    ]
    a.table(
        ["measure", *both],
        [
            [words, *(a.cell(f"{name}_{arm}", estimate(values, arm, name, bounds), kind) for arm in both)]
            for name, words, kind, bounds in rows
        ],
    )
    growth = {arm: Estimate.of(values.loc[arm, "buy_end"] - values.loc[arm, "buy_start"]) for arm in both}
    strict = paired(values, "strict_detection", "default_detection", "buy_end")
    a.table(
        ["change in the share of creators buying likes", "value"],
        [
            [
                "start to end, default detection",
                a.cell("growth_default", growth["default_detection"], "points"),
            ],
            ["start to end, strict detection", a.cell("growth_strict", growth["strict_detection"], "points")],
            [
                f"at the end, strict minus default ({term('paired difference')})",
                a.cell("strict", strict, "points"),
            ],
        ],
    )
    default = growth["default_detection"]
    fooled = a["fooled_default_detection"]
    a.say(
        f"With the default detection, the share of creators buying likes went from "
        f"{fmt_percent(a['buy_start_default_detection'].mean)} to "
        f"{fmt_percent(a['buy_end_default_detection'].mean)} "
        f"({sign_word(default, 'it spread', 'it shrank', 'no change')}; {clarity(default)}).",
        f"With four times stronger detection it ended at {fmt_percent(a['buy_end_strict_detection'].mean)}, "
        f"{fmt_points(strict.mean).lstrip('+')} against the default ({clarity(strict)}).",
        (
            f"{fmt_percent(fooled.mean)} of the copies followed a peer whose true profit was no higher than "
            "the copier's own"
            + (
                ": peers see income, not what was spent on likes, so buyers can look more profitable than "
                "they are."
                if fooled.mean >= 0.05
                else ", so hidden spending on likes rarely misled anyone here."
            )
        )
        if math.isfinite(fooled.mean)
        else "Nobody copied a peer, so nobody could be fooled.",
    )
    return a


# --- 10-12. design exercises --------------------------------------------------------------------------------

CROWDING = {"few_buyers": 0.1, "many_buyers": 0.4}


def _leads(run: RunFolder) -> dict[str, float]:
    return {
        "buyer_followers": run.group("buy_likes", "followers_gained"),
        "organic_followers": run.group("organic", "followers_gained"),
        "lead": run.lead("buy_likes", "followers_gained"),
        "views_lead": run.lead("buy_likes", "views"),
        "profit_lead": run.lead("buy_likes", "profit"),
    }


@exercise(
    10,
    'Claim: "buying likes stops paying once everybody does it". Test it with "Share of creators buying '
    'likes" at 0.1 and at 0.4.',
    lambda size: command(
        "run", "strategies", size, *arms(**{a: buyers_share(x) for a, x in CROWDING.items()})
    ),
)
def crowding(exp: Experiment) -> Answer:
    values, a = exp.measure(_leads), Answer()
    rows = [
        ("buyer_followers", "followers gained per buyer", "number"),
        ("organic_followers", "followers gained per organic creator", "number"),
        ("lead", "buyers' lead in followers gained", "number"),
        ("views_lead", "buyers' lead in views", "number"),
        ("profit_lead", "buyers' lead in profit", "money"),
    ]
    a.table(
        ["mean per creator", "10% buy (few_buyers)", "40% buy (many_buyers)"],
        [
            [words, *(a.cell(f"{n}_{arm}", estimate(values, arm, n), kind) for arm in CROWDING)]
            for n, words, kind in rows
        ],
    )
    change = paired(values, "many_buyers", "few_buyers", "lead")
    a.table(
        [f"from 10% to 40% buying ({term('paired difference')})", "change"],
        [["buyers' lead in followers gained", a.cell("lead_change", change, "signed")]],
    )
    few, many = a["lead_few_buyers"], a["lead_many_buyers"]
    profit = a["profit_lead_few_buyers"], a["profit_lead_many_buyers"]
    if change.clear:
        claim = (
            "This supports the claim's direction: the more creators buy, the less each gains"
            if change.mean < 0
            else "This contradicts the claim: buyers gained more, not less, when more creators bought"
        )
    else:
        claim = "At this size the test cannot settle the claim: the change is within the noise"
    if many.clearly_positive:
        still = "buyers still come out clearly ahead when 40% buy"
    else:
        still = "with 40% buying, the buyers' lead is no longer clearly above 0"
    a.say(
        f"With 10% of creators buying, a buyer gained {than(few)} an organic creator; with 40% buying, "
        f"{than(many).removesuffix(' followers than')}. The lead "
        f"{moved(change, 'grew', 'shrank', fmt_number)} ({clarity(change)}).",
        f"{claim}; {still}.",
        f"In profit, the buyers' lead was {fmt_signed_money(profit[0].mean)} with 10% buying "
        f"({standing(profit[0])}) and {fmt_signed_money(profit[1].mean)} with 40% ({standing(profit[1])}).",
    )
    return a


NO_LIKES_IN_RANKING = "ranking.weights.like: 0, ranking.pools.metric: play_rate"
CHANNELS = {
    "all_channels": "",
    "no_social_proof": social_proof_strength(0),
    "no_likes_in_ranking": NO_LIKES_IN_RANKING,
    "neither": f"{social_proof_strength(0)}, {NO_LIKES_IN_RANKING}",
}


@exercise(
    11,
    "Design: do bought likes work through people (social proof) or through the algorithm (ranking)? Switch "
    "each channel off in turn.",
    lambda size: command("run", "strategies", size, *arms(**CHANNELS)),
)
def channels(exp: Experiment) -> Answer:
    values, a = exp.measure(_leads), Answer()
    rows = []
    for arm in CHANNELS:
        change = (
            a.cell(f"change_{arm}", paired(values, arm, "all_channels", "lead"), "signed")
            if arm != "all_channels"
            else "-"
        )
        rows.append(
            [
                arm,
                a.cell(f"lead_{arm}", estimate(values, arm, "lead")),
                a.cell(f"views_lead_{arm}", estimate(values, arm, "views_lead")),
                change,
            ]
        )
    a.table(
        ["arm", "buyers' lead in followers gained", "buyers' lead in views",
         f"change in the followers lead against all_channels ({term('paired difference')})"],
        rows,
    )  # fmt: skip
    people, machine, neither = a["change_no_social_proof"], a["change_no_likes_in_ranking"], a["lead_neither"]
    bigger = "people (social proof)" if abs(people.mean) > abs(machine.mean) else "the algorithm (ranking)"
    a.say(
        f"Switching social proof off changed the buyers' lead by {fmt_signed(people.mean)} followers "
        f"({clarity(people)}); taking likes out of the ranking and out of the traffic-pool promotion "
        f"changed it by {fmt_signed(machine.mean)} ({clarity(machine)}). The larger effect is through "
        f"{bigger}.",
        f"With both channels off the buyers' lead is {fmt_signed(neither.mean)} followers"
        + (
            ", an interval that includes 0: bought likes have nothing left to act on."
            if neither.n >= 2 and neither.low <= 0 <= neither.high
            else ", still not 0: look for another way bought likes act (brands read them too), or chance "
            "differences between the groups."
        ),
    )
    return a


def _audit(run: RunFolder) -> dict[str, float]:
    brands = run.table("brands")
    spend = brands["spend"].sum()
    return {
        "buyer_brand_income": run.group("buy_likes", "brand_income"),
        "organic_brand_income": run.group("organic", "brand_income"),
        "buyer_profit": run.group("buy_likes", "profit"),
        "profit_lead": run.lead("buy_likes", "profit"),
        "roi": brands["conversion_value"].sum() / spend if spend else math.nan,
    }


@exercise(
    12,
    'Claim: "if every brand audited creators, buying likes would stop paying". Design and run the test.',
    lambda size: command(
        "run",
        "strategies",
        size,
        *arms(no_brand_audits="brands.audited_share: 0", all_brands_audit="brands.audited_share: 1"),
    ),
)
def audits(exp: Experiment) -> Answer:
    values, a = exp.measure(_audit), Answer()
    both = ("no_brand_audits", "all_brands_audit")
    rows = [
        ("buyer_brand_income", "brand income per like buyer", "money", "signed_money", POSITIVE),
        ("organic_brand_income", "brand income per organic creator", "money", "signed_money", POSITIVE),
        ("buyer_profit", "profit per like buyer", "money", "signed_money", ANY),
        ("profit_lead", "buyers' lead in profit over organic creators", "money", "signed_money", ANY),
        ("roi", f"brands' {term('return on spend')} (sales value per EUR)", "number", "signed", POSITIVE),
    ]
    a.table(
        [
            "mean per creator",
            "no brand audits",
            "every brand audits",
            f"change ({term('paired difference')})",
        ],
        [
            [
                words,
                *(a.cell(f"{name}_{arm}", estimate(values, arm, name, bounds), kind) for arm in both),
                a.cell(f"{name}_change", paired(values, "all_brands_audit", "no_brand_audits", name), change),
            ]
            for name, words, kind, change, bounds in rows
        ],
    )
    income, change, roi = a["buyer_brand_income_change"], a["profit_lead_change"], a["roi_change"]
    before, after = a["profit_lead_no_brand_audits"], a["profit_lead_all_brands_audit"]
    if change.clearly_negative and not after.clearly_positive:
        verdict = "supports the claim: audits take away the buyers' profit advantage"
    elif change.clearly_negative:
        verdict = "supports it only in part: audits cut the buyers' advantage, but buying still pays"
    elif change.clearly_positive:
        verdict = "contradicts the claim: buyers do better, not worse, when every brand audits"
    else:
        verdict = "cannot settle the claim at this size"
    if not before.clearly_positive:
        verdict += (
            ". Note that buying did not clearly pay in profit even without audits, so this world cannot show "
            "it stopping: a sharper test needs a world where it pays first (more brands, a longer run)"
        )
    a.say(
        f"When every brand audits, a like buyer's brand income {moved(income, 'rises', 'falls', fmt_money)} "
        f"({clarity(income)}). The buyers' lead in profit over organic creators is "
        f"{fmt_signed_money(before.mean)} without audits ({standing(before)}) and "
        f"{fmt_signed_money(after.mean)} when every brand audits ({standing(after)}). The change in that "
        f"lead, {fmt_signed_money(change.mean)} ({clarity(change)}), {verdict}.",
        f"The brands' return per EUR {moved(roi, 'rises', 'falls', lambda x: f'{x:.2f}')} ({clarity(roi)}).",
    )
    return a


# --- running and writing ------------------------------------------------------------------------------------


def shell(argv: list[str]) -> str:
    """A command as docs/teaching.md prints it: shell-quoted, each option on a line of its own."""
    lines: list[list[str]] = [[]]
    for word in argv:
        if word.startswith("--") and lines[-1]:
            lines.append([])
        lines[-1].append(word)
    return " \\\n  ".join(shlex.join(line) for line in lines)


def run_command(args: list[str], out: Path, workers: int) -> None:
    """Run ``likesim args`` in this process into ``out`` (no plots); raise on a non-zero exit code.

    An experiment already in ``out`` (``--runs`` of an earlier key) is resumed: its finished runs are
    kept, and likesim refuses it if it was planned by another command.
    """
    resume = ["--resume"] if (out / "experiment.json").exists() else []
    full = [*args, "--workers", str(workers), "--out", str(out), *resume, "--no-plots", "--no-progress"]
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = likesim(full)
    if code != 0:
        raise RuntimeError(f"likesim {shlex.join(full)} exited with {code}: {stderr.getvalue().strip()}")


def warm_up() -> None:
    """One tiny run here, so that worker processes forked later start with the compiled kernels."""
    sim.run(ROOT / "scenarios" / "tiny.yaml", overrides=["clock.days=1"])


def build(size: Size, workers: int, runs: Path) -> dict[int, Answer]:
    """Run every exercise's command into ``runs`` (each distinct command once) and answer it."""
    warm_up()
    folders: dict[tuple[str, ...], Path] = {}
    answers = {}
    for ex in sorted(EXERCISES, key=lambda e: e.number):
        key = tuple(ex.args(size))
        start = time.perf_counter()
        if key not in folders:
            folders[key] = runs / f"ex{ex.number:02d}"
            run_command(list(key), folders[key], workers)
        answers[ex.number] = ex.answer(Experiment(folders[key]))
        print(f"exercise {ex.number}: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return answers


def render(answers: dict[int, Answer], size: Size) -> str:
    """The answer file: how to read it, then each exercise's question, command, numbers and answer."""
    lines = [
        "# Answers to the exercises of the lesson plan",
        "",
        f"Generated by `scripts/answer_key.py{' --quick' if size.quick else ''}` with likesim "
        f"{sim.__version__}: do not edit by hand, run the script again. The questions are those of "
        f"[docs/teaching.md]({GUIDE}#exercises); every sentence is computed from the numbers above it.",
        "",
        f"Every run: {size.viewers:,} viewers, {size.creators} creators, {size.days} days unless the command "
        f"says otherwise, {size.replicates} {term('replicates', 'Replicate')} per {term('arm')}. The answer "
        "key runs each command with `--out` in a temporary folder and `--no-plots`; the numbers are the same "
        "as with the command shown.",
        "",
        "How to read the numbers:",
        "",
        f"- `mean [low, high]`: the mean over the replicates and its "
        f"{term('95% confidence interval', 'Confidence interval (95%)')}. With a few replicates intervals "
        "are wide; a difference is *clear* when its interval excludes 0.",
        f"- *change*: a {term('paired difference')}, one arm minus another replicate by replicate "
        "(replicate i of every arm shares its random seed), more precise than comparing two intervals by "
        "eye.",
        f"- *lead*: a {term('creator group')}'s mean minus the organic creators' mean in the same run.",
        "- Shares are in percent, differences of shares in percentage points, money in EUR; *per buyer* "
        "means per creator of the like-buying group.",
        "",
    ]
    if size.quick:
        lines += [
            "**Quick run**: tiny platforms and 2 replicates, to test the machinery. These numbers do not "
            "answer the exercises; run `scripts/answer_key.py` without `--quick` for the answers.",
            "",
        ]
    for ex in sorted(EXERCISES, key=lambda e: e.number):
        lines += [
            f"## Exercise {ex.number}",
            "",
            f"**Question.** {ex.question} ([Exercise {ex.number}]({GUIDE}#exercise-{ex.number}) of the "
            "lesson.)",
            "",
            "```sh",
            shell(ex.shown(size)),
            "```",
            "",
            *answers[ex.number].lines,
        ]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> dict[int, Answer]:
    """Run the answer key and write the answer file; return the answers (tests read their numbers)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="much smaller runs, for tests (a minute)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the answer file to write")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per experiment (default 2)")
    parser.add_argument(
        "--runs",
        type=Path,
        help="keep the run folders here, and reuse finished ones (default: a temporary folder)",
    )
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        runs = args.runs or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="likesim-answers-")))
        answers = build(size, args.workers, runs.resolve())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(answers, size))
    print(f"{args.out}: {len(answers)} exercises in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return answers


if __name__ == "__main__":
    main()
