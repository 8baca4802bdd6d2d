"""The run folder: the results contract every later tool (comparisons, dashboards) reads.

scenario.yaml      the fully resolved scenario (re-runnable as it is)
manifest.json      seed, versions, git commit, timings
timeseries.csv     one row per simulated day
creators.csv       one row per creator at the end
videos.csv         one row per posted video
followers.csv      followers of every creator per day
summary.json       headline numbers
plots/*.png        see :data:`sim.plots.RUN_PLOTS`
report.md          what happened, in words, numbers and plots
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import platform
import subprocess
import sys
from pathlib import Path

from sim.experiment import RunResult
from sim.loading import dump_scenario
from sim.plots import RUN_PLOTS
from sim.validation import check_table

DEPENDENCIES = ("mesa", "numpy", "pandas", "matplotlib", "pyyaml", "pydantic", "tqdm")
TABLES = ("timeseries", "creators", "videos", "followers")


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


def write_run(result: RunResult, folder: Path, argv: list[str] | None = None) -> Path:
    """Write every file of the run folder (creating it); returns the folder."""
    (folder / "plots").mkdir(parents=True, exist_ok=True)
    (folder / "scenario.yaml").write_text(dump_scenario(result.scenario), encoding="utf-8")
    for table in TABLES:
        getattr(result, table).to_csv(folder / f"{table}.csv", index=False)
    summary = {"scenario": result.scenario.name, "seed": result.scenario.seed, **result.summary}
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    for filename, (plot, table) in RUN_PLOTS.items():
        plot(getattr(result, table), folder / "plots" / filename)
    (folder / "report.md").write_text(report(result), encoding="utf-8")
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


def _percent(value) -> str:
    return "n/a" if value is None else f"{value:.2%}"


def report(result: RunResult) -> str:
    """The run's ``report.md``: headline numbers, validation checks, creator groups, plots."""
    s, spec = result.summary, result.scenario
    lines = [
        f"# {spec.name}",
        "",
        spec.description.strip() or "_No description._",
        "",
        f"{spec.viewers.count:,} viewers, {spec.creators.count:,} creators, {spec.clock.days} days, "
        f"seed {spec.seed}; {s['wall_seconds']:.1f} s of wall time.",
        "",
        "## Headline numbers",
        "",
        "| metric | value |",
        "|---|---|",
        f"| impressions | {s['impressions']:,} |",
        f"| views (played past the hook) | {s['views']:,} |",
        f"| likes / comments / shares | {s['likes']:,} / {s['comments']:,} / {s['shares']:,} |",
        f"| new follows | {s['follows']:,} |",
        f"| videos posted | {s['videos']:,} ({s['videos_rated']:,} with >= 1,000 views) |",
        f"| median like/view (videos >= 1,000 views) | {_percent(s['like_view_median'])} "
        f"(10-90%: {_percent(s['like_view_p10'])} to {_percent(s['like_view_p90'])}) |",
        f"| median comment/view, share/view | {_percent(s['comment_view_median'])}, "
        f"{_percent(s['share_view_median'])} |",
        f"| Gini of views over videos | {s['views_gini']:.3f} |",
        f"| share of views of the top 1% of videos | {_percent(s['top1pct_view_share'])} |",
        f"| videos with under 100 views | {_percent(s['videos_under_100_views'])} |",
        f"| Gini of followers over creators | {s['followers_gini']:.3f} |",
        "",
        "## Against published numbers",
        "",
        "| check | metric | value | accepted | ok |",
        "|---|---|---|---|---|",
    ]
    for row in check_table(s):
        value = "n/a" if row["value"] is None else f"{row['value']:.4g}"
        verdict = "yes" if row["ok"] else "**no**"
        lines.append(f"| {row['check']} | `{row['metric']}` | {value} | {row['range']} | {verdict} |")
    groups = result.creators.groupby("group", sort=False).agg(
        creators=("creator", "size"),
        followers_start=("followers_start", "mean"),
        followers_end=("followers", "mean"),
        views=("views", "mean"),
        engagement_per_view=("engagement_per_view", "median"),
        engagement_per_follower=("engagement_per_follower", "median"),
    )
    lines += [
        "",
        "## Creator groups",
        "",
        "Engagement rates are medians over creators: per view = (likes + comments + shares) / views;"
        " per follower = (likes + comments + shares) per video / followers.",
        "",
        "| group | creators | mean followers, start -> end | mean views | eng./view | eng./follower |",
        "|---|---|---|---|---|---|",
    ]
    for group, row in groups.iterrows():
        lines.append(
            f"| {group} | {int(row.creators)} | {row.followers_start:,.0f} -> {row.followers_end:,.0f} "
            f"| {row.views:,.0f} | {row.engagement_per_view:.2%} | {row.engagement_per_follower:.2%} |"
        )
    lines += ["", "## Plots", ""]
    lines += [f"![{name[:-4]}](plots/{name})" for name in RUN_PLOTS]
    return "\n".join(lines) + "\n"
