"""The run folder: the results contract every later tool (comparisons, dashboards) reads.

scenario.yaml      the fully resolved scenario (re-runnable as it is)
manifest.json      seed, versions, git commit, timings
timeseries.csv     one row per simulated day
creators.csv       one row per creator at the end, all platforms together
videos.csv         one row per posted video on each platform (``platform`` column)
creators_daily.csv followers, displayed and organic likes of every creator per day
survival.csv       survival curve of bought likes by age in days
audit.csv          the authenticity audit of every creator, with the ground truth beside it
ledger.csv         daily totals of the gift and VIP books (coins; money in currency units)
gifters.csv        every viewer who sent gifts: coins gifted and left, generosity
brands.csv         one row per brand: audits, deals, spend, reach, conversions, return
deals.csv          one row per brand deal: price, creator's numbers at signing, conversions
platforms.csv      one row per platform per day: counts, like/view median, inequality, engagement
                   per view and per follower by follower tier
creator_platforms.csv one row per creator on each of its platforms (the columns of creators.csv)
events.csv         one row per rule change that took effect: day, hour, what was set, note
strategy_shares.csv share of creators per strategy on each platform, each day
switches.csv       one row per strategy a creator took up by imitation or exploration
payoffs.csv        each strategy's mean payoff per comparison window, displayed and true
summary.json       headline numbers
plots/*.png        see :data:`sim.plots.RUN_PLOTS`, plus ``BOUGHT_LIKE_PLOTS``, ``GIFT_PLOTS`` and
                   ``BRAND_PLOTS`` when the run has those mechanisms
report.md          what happened, in words, numbers and plots (see :mod:`sim.reports`)

An experiment folder holds ``experiment.json`` (the plan), ``runs/<arm>/rep-NNN/`` (one run folder
each, without plots), ``runs.csv``, ``comparison.csv`` (and ``sweep.csv``; ``platforms.csv``, the
same per platform, when the runs have several), ``plots/`` and ``report.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import platform
import subprocess
import sys
from pathlib import Path

import pandas as pd

from sim.comparison import Comparison, RunFrames
from sim.experiment_plots import comparison_bars, followers_by_arm, sweep_plot
from sim.experiment_report import experiment_report
from sim.loading import dump_scenario, load_scenario
from sim.metric_names import HEADLINE_METRICS
from sim.outputs import PlannedRun, RunResult
from sim.plots import plots_of
from sim.pooled import pool
from sim.reports import report
from sim.scenario import Scenario

DEPENDENCIES = ("mesa", "numpy", "pandas", "matplotlib", "pyyaml", "pydantic", "tqdm")
TABLES = (
    "timeseries",
    "creators",
    "videos",
    "creators_daily",
    "survival",
    "audit",
    "ledger",
    "gifters",
    "brands",
    "deals",
    "platforms",
    "creator_platforms",
    "events",
    "strategy_shares",
    "switches",
    "payoffs",
)


def write_run(result: RunResult, folder: Path, argv: list[str] | None = None, plots: bool = True) -> Path:
    """Write every file of the run folder (creating it); returns the folder.

    Args:
        plots: draw the run's plots (replicates of an experiment skip them: the experiment's own
            plots summarise the replicates, and drawing is a large share of a short run's time).
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.yaml").write_text(dump_scenario(result.scenario), encoding="utf-8")
    for table in TABLES:
        getattr(result, table).to_csv(folder / f"{table}.csv", index=False)
    summary = {"scenario": result.scenario.name, "seed": result.scenario.seed, **result.summary}
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if plots:
        draw_plots(result, folder / "plots")
    (folder / "report.md").write_text(report(result, plots), encoding="utf-8")
    write_manifest(folder, result.scenario, argv, result.summary.get("wall_seconds"))
    return folder


def read_run(folder: Path) -> RunResult:
    """A run folder read back as a :class:`~sim.outputs.RunResult` (what :func:`write_run` wrote)."""
    tables = {table: pd.read_csv(folder / f"{table}.csv") for table in TABLES}
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return RunResult(scenario=load_scenario(folder / "scenario.yaml"), summary=summary, **tables)


def draw_plots(result: RunResult, folder: Path) -> list[str]:
    """Draw the plots a run (or a pooled arm) has into ``folder``; returns their file names."""
    folder.mkdir(parents=True, exist_ok=True)
    for filename, (plot, tables) in plots_of(result).items():
        plot(*(getattr(result, table) for table in tables), folder / filename)
    return list(plots_of(result))


def write_manifest(folder: Path, scenario: Scenario | None, argv: list[str] | None, wall_seconds=None):
    """``manifest.json``: what ran (scenario, seed, command), with which versions, and when."""
    manifest = {
        "scenario": None if scenario is None else scenario.name,
        "seed": None if scenario is None else scenario.seed,
        "command": argv,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "wall_seconds": wall_seconds,
        **_environment(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _environment() -> dict:
    versions = {}
    for package in ("likesim", *DEPENDENCIES):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "versions": versions,
        "git_commit": _git_commit(),
    }


def _git_commit() -> str | None:
    """The commit of the likesim source tree, with ``+dirty`` for uncommitted changes, if any."""
    source = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=source, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "."], cwd=source, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+dirty" if dirty else "")


# --- experiment folders ------------------------------------------------------------------------------


def runs_table(runs: list[PlannedRun]) -> pd.DataFrame:
    """One row per planned run: arm, replicate, seed, folder, and its sweep coordinates."""
    return pd.DataFrame(
        [
            {
                "arm": r.arm,
                "replicate": r.replicate,
                "seed": r.scenario.seed,
                "folder": r.folder,
                **dict(r.point),
            }
            for r in runs
        ]
    )


def plan_of(runs: list[PlannedRun]) -> dict:
    """What ``experiment.json`` records: every run with a digest of its fully resolved scenario.

    ``--resume`` compares this, so a changed ``--set`` (or anything else that changes a run) is
    refused instead of silently reusing runs of another plan.
    """
    table = runs_table(runs).assign(
        scenario=[hashlib.sha256(dump_scenario(r.scenario).encode()).hexdigest()[:16] for r in runs]
    )
    return {"runs": table.astype(str).to_dict("records")}


def _experiment_plots(folder, runs, results, tables: Comparison, grid, sweep_metrics) -> list[str]:
    """Draw an experiment's plots; returns their names under ``folder``."""
    folder.mkdir(exist_ok=True)
    followers_by_arm(tables.bands, folder / "followers_by_arm.png")
    comparison_bars(tables.comparison, folder / "strategies.png", tuple(HEADLINE_METRICS))
    names = ["followers_by_arm.png", "strategies.png"]
    for metric in sweep_metrics if tables.sweep is not None else ():
        sweep_plot(tables.sweep, folder / f"sweep_{metric}.png", grid, metric)
        names.append(f"sweep_{metric}.png")
    for arm in dict.fromkeys(r.arm for r in runs):
        mine = [result for r, result in zip(runs, results, strict=True) if r.arm == arm]
        names += [f"{arm}/{name}" for name in draw_plots(pool(mine), folder / arm)]
    return names


def write_experiment(
    root: Path,
    runs: list[PlannedRun],
    grid: list[str],
    sweep_metrics: list[str],
    results: list[RunResult] | None = None,
    tables: Comparison | None = None,
    plots: bool = True,
) -> None:
    """Compare the finished runs: comparison.csv (and sweep.csv, platforms.csv), plots, report.md.

    Besides the comparison plots, each arm gets the run plots of its replicates pooled
    (:func:`sim.pooled.pool`) under ``plots/<arm>/``.

    Args:
        results, tables: the runs' results and their comparison, when they are in memory
            (:func:`sim.experiments.experiment`); otherwise both are read back from the run folders.
        plots: draw the plots (a large sweep draws dozens; ``--no-plots`` skips them).
    """
    table = runs_table(runs)
    if results is None:
        results = [read_run(root / r.folder) for r in runs]
    if tables is None:
        tables = Comparison.of(table, [RunFrames.of_result(r) for r in results], grid)
    table.to_csv(root / "runs.csv", index=False)
    tables.comparison.to_csv(root / "comparison.csv", index=False)
    if tables.sweep is not None:
        tables.sweep.to_csv(root / "sweep.csv", index=False)
    if tables.by_platform is not None:
        tables.by_platform.to_csv(root / "platforms.csv", index=False)
    if tables.strategies is not None:
        tables.strategies.to_csv(root / "strategy_shares.csv", index=False)
    names = _experiment_plots(root / "plots", runs, results, tables, grid, sweep_metrics) if plots else None
    scenarios = {r.arm: r.scenario for r in runs}
    report = experiment_report(
        table,
        tables.comparison,
        names,
        tables.by_platform,
        tables.sweep,
        tuple(grid),
        scenarios,
        tables.metrics,
        tables.strategies,
    )
    (root / "report.md").write_text(report, encoding="utf-8")
