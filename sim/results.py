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

from sim.comparison import compare, followers_bands, platform_metrics
from sim.experiment_report import (
    HEADLINE_METRICS,
    comparison_bars,
    experiment_report,
    followers_by_arm,
    sweep_plot,
)
from sim.loading import dump_scenario
from sim.outputs import PlannedRun, RunResult
from sim.plots import plots_of
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
        (folder / "plots").mkdir(exist_ok=True)
        for filename, (plot, tables) in plots_of(result).items():
            plot(*(getattr(result, table) for table in tables), folder / "plots" / filename)
    (folder / "report.md").write_text(report(result, plots), encoding="utf-8")
    write_manifest(folder, result.scenario, argv, result.summary.get("wall_seconds"))
    return folder


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


def write_experiment(root: Path, runs: list[PlannedRun], grid: list[str], sweep_metrics: list[str]) -> None:
    """Compare the finished runs: comparison.csv (and sweep.csv), plots with bands, report.md."""
    table = runs_table(runs)
    table.to_csv(root / "runs.csv", index=False)
    comparison = compare(table, root)
    comparison.to_csv(root / "comparison.csv", index=False)
    plots = root / "plots"
    plots.mkdir(exist_ok=True)
    followers_by_arm(followers_bands(table, root), plots / "followers_by_arm.png")
    comparison_bars(comparison, plots / "strategies.png", tuple(HEADLINE_METRICS))
    names = ["followers_by_arm.png", "strategies.png"]
    if grid:
        sweep = compare(table, root, keys=("arm", *grid))
        sweep.to_csv(root / "sweep.csv", index=False)
        for metric in sweep_metrics:
            sweep_plot(sweep, plots / f"sweep_{metric}.png", grid, metric)
            names.append(f"sweep_{metric}.png")
    by_platform = compare(table, root, metrics_of=platform_metrics)
    if by_platform["platform"].nunique() > 1:
        by_platform.to_csv(root / "platforms.csv", index=False)
    else:
        by_platform = None
    report = experiment_report(table, comparison, names, by_platform)
    (root / "report.md").write_text(report, encoding="utf-8")
