"""The validation experiments: which runs measure which facts, run on any executor, then averaged.

``platform`` is the default TikTok-like scenario (§2-4, 7, 8), ``instagram`` the same scenario on
the Instagram profile (§3: engagement per follower by tier), ``bought_likes`` the like-buying
scenario (§5), ``gifts`` the gift economy (§6), ``musiclab`` the MusicLab replication in both
displays (§1), and ``audit_sweep`` the like-buying scenario at several bot qualities (how the
brands' audit does as bots pass better as humans). Each replicate is one :class:`Task`; tasks run
in any executor (serial, processes, Dask) and return small :class:`Measured` results; each
measure is the mean over an experiment's replicates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments import replicate_seeds, run
from sim.loading import load_scenario
from sim.metrics import rated
from sim.scenario import Scenario
from sim.validation import measures as m

#: The shipped scenarios the experiments run (the default platform is the built-in scenario).
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
#: Replicates per experiment: ``quick`` gives the same checks in a few minutes on two cores.
REPLICATES = {
    "quick": {"platform": 2, "instagram": 1, "bought_likes": 1, "gifts": 1, "musiclab": 2, "audit_sweep": 1},
    "full": {"platform": 8, "instagram": 4, "bought_likes": 4, "gifts": 4, "musiclab": 10, "audit_sweep": 3},
}
#: Bot qualities (share of a farm's accounts that pass as human) of the audit sweep.
BOT_QUALITIES = (0.3, 0.5, 0.7, 0.9, 0.99)
#: The default scenario, on the Instagram profile instead of TikTok's.
ON_INSTAGRAM = "platforms={instagram: {profile: instagram}}"
#: Root seed of every validation experiment (replicate seeds derive from it).
SEED = 2006


@dataclass(frozen=True)
class Task:
    """One replicate of one validation experiment: what runs, with which seed."""

    experiment: str
    seed: int
    spec: Scenario
    display: str | None = None  #: MusicLab display
    bot_quality: float | None = None  #: audit sweep point


@dataclass
class Measured:
    """What one task measured: its measures, and small tables for the plots."""

    task: Task
    measures: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def plan(quick: bool = False, seed: int = SEED) -> list[Task]:
    """Every task of the validation, quick or full."""
    sizes = REPLICATES["quick" if quick else "full"]
    tasks = []
    for experiment, scenario, overrides in (
        ("platform", None, []), ("instagram", None, [ON_INSTAGRAM]),
        ("bought_likes", "bought_likes.yaml", []), ("gifts", "gift_monetization.yaml", []),
    ):  # fmt: skip
        spec = load_scenario(None if scenario is None else SCENARIOS / scenario, overrides)
        tasks += [Task(experiment, s, spec) for s in replicate_seeds(seed, sizes[experiment])]
    tasks += musiclab_tasks(load_scenario(SCENARIOS / "musiclab.yaml"), sizes["musiclab"], seed)
    for quality in BOT_QUALITIES:
        spec = load_scenario(SCENARIOS / "bought_likes.yaml", [f"farms.0.bot_quality={quality}"])
        tasks += [
            Task("audit_sweep", s, spec, bot_quality=quality)
            for s in replicate_seeds(seed, sizes["audit_sweep"])
        ]
    return tasks


def musiclab_tasks(spec: Scenario, replicates: int, seed: int) -> list[Task]:
    """Replicates of each display of a MusicLab scenario (the same seeds for every display)."""
    seeds = replicate_seeds(seed, replicates)
    return [Task("musiclab", s, spec, display=display) for display in spec.musiclab.displays for s in seeds]


def measure(task: Task) -> Measured:
    """Run one task and measure it (module-level, so any executor can ship it)."""
    if task.experiment == "musiclab":
        from sim.musiclab import replicate

        result = replicate(task.spec, task.display, task.seed)
        return Measured(task, result.measures, {"songs": result.songs})
    result = run(task.spec, seed=task.seed)
    if task.experiment == "platform":
        tables = {
            "tiers": m.tier_table(result.creators, result.scenario.viewers.count),
            "like_view": rated(result.videos)[["like_view"]],
            "views": result.videos[["views"]],
        }
        return Measured(task, m.platform_measures(result), tables)
    if task.experiment == "instagram":
        return Measured(task, m.platform_measures(result))
    if task.experiment == "gifts":
        return Measured(task, m.gift_measures(result), {"gifters": result.gifters[["coins_gifted"]]})
    tables = {"survival": result.survival} if task.experiment == "bought_likes" else {}
    return Measured(task, m.bought_likes_measures(result), tables)


def measures_table(measured: list[Measured]) -> pd.DataFrame:
    """Long table of every replicate's measures: experiment, display, bot_quality, seed, metric, value."""
    rows = [
        {
            "experiment": item.task.experiment,
            "display": item.task.display,
            "bot_quality": item.task.bot_quality,
            "seed": item.task.seed,
            "metric": name,
            "value": np.nan if value is None else float(value),
        }
        for item in measured
        for name, value in item.measures.items()
    ]
    return pd.DataFrame(rows)


def aggregate(table: pd.DataFrame) -> dict[str, float]:
    """Each check's metric: the mean over replicates, plus the MusicLab orderings and the audit curve."""
    means: dict[str, float] = {}
    plain = table[table["experiment"].isin(["platform", "instagram", "bought_likes", "gifts"])]
    for (experiment, metric), values in plain.groupby(["experiment", "metric"])["value"]:
        means[f"{experiment}.{metric}"] = values.mean()
    musiclab = table[table["experiment"] == "musiclab"].groupby(["display", "metric"])["value"].mean()
    for (display, metric), value in musiclab.items():
        means[f"musiclab.{display}.{metric}"] = value
    # Both displays run the same independent world (common random numbers): one measure each.
    for measure in ("gini", "u"):
        independent = musiclab[musiclab.index.get_level_values("metric") == f"{measure}_independent"]
        if len(independent):
            means[f"musiclab.independent.{measure}"] = independent.mean()
        for display in ("grid", "ranked"):
            social = means.get(f"musiclab.{display}.{measure}_social", np.nan)
            means[f"musiclab.{display}.{measure}_lift"] = social - means.get(
                f"musiclab.{display}.{measure}_independent", np.nan
            )
        means[f"musiclab.ranked_over_grid.{measure}"] = means.get(
            f"musiclab.ranked.{measure}_social", np.nan
        ) - means.get(f"musiclab.grid.{measure}_social", np.nan)
    curve = audit_curve(table)
    if len(curve):
        means["audit_sweep.recall_drop"] = curve["audit_recall"].iloc[0] - curve["audit_recall"].iloc[-1]
    return means


def audit_curve(table: pd.DataFrame) -> pd.DataFrame:
    """The audit's recall, precision and AUC at each bot quality (mean over replicates)."""
    sweep = table[table["experiment"] == "audit_sweep"]
    curve = sweep.pivot_table(index="bot_quality", columns="metric", values="value", aggfunc="mean")
    return curve.reset_index()


def tables_of(measured: list[Measured]) -> dict[str, pd.DataFrame]:
    """Each kind of plot table, stacked over the tasks that produced one (with the task's labels)."""
    stacked = defaultdict(list)
    for item in measured:
        for name, frame in item.tables.items():
            stacked[name].append(frame.assign(seed=item.task.seed, display=item.task.display))
    return {name: pd.concat(frames, ignore_index=True) for name, frames in stacked.items()}
