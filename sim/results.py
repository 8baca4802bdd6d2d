"""The run folder: the results contract every later tool (comparisons, dashboards) reads.

scenario.yaml      the fully resolved scenario (re-runnable as it is)
manifest.json      seed, versions, git commit, timings
timeseries.csv     one row per simulated day
creators.csv       one row per creator at the end
videos.csv         one row per posted video
creators_daily.csv followers, displayed and organic likes of every creator per day
survival.csv       survival curve of bought likes by age in days
audit.csv          the authenticity audit of every creator, with the ground truth beside it
ledger.csv         daily totals of the gift and VIP books (coins; money in currency units)
gifters.csv        every viewer who sent gifts: coins gifted and left, generosity
brands.csv         one row per brand: audits, deals, spend, reach, conversions, return
deals.csv          one row per brand deal: price, creator's numbers at signing, conversions
summary.json       headline numbers
plots/*.png        see :data:`sim.plots.RUN_PLOTS`, plus ``BOUGHT_LIKE_PLOTS``, ``GIFT_PLOTS`` and
                   ``BRAND_PLOTS`` when the run has those mechanisms
report.md          what happened, in words, numbers and plots (see :mod:`sim.reports`)

An experiment folder holds ``experiment.json`` (the plan), ``runs/<arm>/rep-NNN/`` (one run folder
each, without plots), ``runs.csv``, ``comparison.csv`` (and ``sweep.csv``), ``plots/`` and
``report.md``.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import platform
import subprocess
import sys
from pathlib import Path

import pandas as pd

from sim.comparison import compare, followers_bands
from sim.experiment import PlannedRun, RunResult
from sim.experiment_report import (
    HEADLINE_METRICS,
    comparison_bars,
    experiment_report,
    followers_by_arm,
    sweep_plot,
)
from sim.loading import dump_scenario
from sim.plots import plots_of
from sim.reports import report

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
)


class OutputFolderError(ValueError):
    """The run folder asked for cannot be used; the message is one line meant for the user."""


def choose_folder(out: str | Path | None, name: str, force: bool = False) -> Path:
    """Pick the run folder before running, so a bad choice fails fast; nothing is created yet.

    Args:
        out: the folder asked for, or ``None`` for ``results/<name>-<timestamp>``.
        name: the scenario name.
        force: allow writing into a non-empty ``out`` (files of the same name are replaced).

    Raises:
        OutputFolderError: ``out`` exists and is not an empty folder (and ``force`` is off).
    """
    if out is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = Path("results") / f"{name}-{stamp}"
        suffix = 1
        while folder.exists():
            suffix += 1
            folder = Path("results") / f"{name}-{stamp}-{suffix}"
    else:
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise OutputFolderError(f"--out {folder}: exists and is not a folder")
        if folder.is_dir() and any(folder.iterdir()) and not force:
            raise OutputFolderError(f"--out {folder}: folder is not empty (use --force to write into it)")
    return folder


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
    manifest = _manifest(result, argv)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return folder


def _manifest(result: RunResult, argv: list[str] | None) -> dict:
    versions = {}
    for package in ("likesim", *DEPENDENCIES):
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "scenario": result.scenario.name,
        "seed": result.scenario.seed,
        "command": argv,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "wall_seconds": result.summary.get("wall_seconds"),
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


def choose_experiment_folder(out, name: str, force: bool, resume: bool, runs: list[PlannedRun]) -> Path:
    """Create (or, with ``resume``, reopen) an experiment folder and record its plan in experiment.json.

    Raises:
        OutputFolderError: ``--resume`` without an experiment to resume, or with a different plan.
    """
    plan = {"runs": runs_table(runs).astype(str).to_dict("records")}
    if not resume:
        folder = choose_folder(out, name, force)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "experiment.json").write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
        return folder
    if out is None:
        raise OutputFolderError("--resume: give the experiment folder with --out DIR")
    folder = Path(out)
    if not (folder / "experiment.json").is_file():
        raise OutputFolderError(f"--resume {folder}: no experiment.json there, nothing to resume")
    if json.loads((folder / "experiment.json").read_text()) != plan:
        raise OutputFolderError(f"--resume {folder}: this command plans different runs than that experiment")
    return folder


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
    (root / "report.md").write_text(experiment_report(table, comparison, names), encoding="utf-8")
