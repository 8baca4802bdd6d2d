"""The folder ``likesim validate`` writes: the table, every replicate's measures, the report, the plots.

validation.csv   one row per check: fact, source, metric, value, low, high, ok
measures.csv     every replicate's measures (experiment, display, bot_quality, seed, metric, value)
worlds.csv       (with MusicLab) one row per world: participants, downloads, Gini, top song's share
report.md        the table in words: what was published, what the model gives, what a gap means
plots/*.png      published numbers and the model's side by side
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.loading import dump_scenario
from sim.musiclab import worlds_table
from sim.results import write_manifest
from sim.validation import Validation
from sim.validation import plots as draw
from sim.validation.facts import COLUMNS
from sim.validation.runs import audit_curve, tables_of

SECTIONS = {
    1: "Social influence makes markets unequal and unpredictable (MusicLab)",
    2: "Likes per view on TikTok",
    3: "Engagement rate and creator size",
    4: "Popularity is heavy-tailed",
    5: "Bought likes are cheap, fast and mostly survive",
    6: "Gifts: platform take and concentration",
    7: "Ranking weights in the wild",
    8: "Emotion",
}


def write_validation(validation: Validation, folder: Path, scenario=None, argv: list[str] | None = None):
    """Write the validation folder (creating it); returns the folder.

    Args:
        scenario: the scenario that ran (``likesim musiclab``), written as ``scenario.yaml``.
        argv: the command, for ``manifest.json``.
    """
    (folder / "plots").mkdir(parents=True, exist_ok=True)
    if scenario is not None:
        (folder / "scenario.yaml").write_text(dump_scenario(scenario), encoding="utf-8")
    write_manifest(folder, scenario, argv)
    validation.table[list(COLUMNS)].to_csv(folder / "validation.csv", index=False)
    validation.measures.to_csv(folder / "measures.csv", index=False)
    songs = tables_of(validation.measured).get("songs")
    if songs is not None:
        worlds_table(songs).to_csv(folder / "worlds.csv", index=False)
    names = _plots(validation, folder / "plots")
    title = "Validation: likesim against published facts"
    if scenario is not None:
        title = f"MusicLab: {scenario.name} against the published experiment"
    (folder / "report.md").write_text(report(validation, names, title), encoding="utf-8")
    return folder


def _plots(validation: Validation, folder: Path) -> list[str]:
    tables = tables_of(validation.measured)
    measures = validation.measures
    drawings = {
        "checks.png": (draw.checks_overview, validation.table),
        "musiclab.png": (draw.musiclab_bars, measures[measures["experiment"] == "musiclab"]),
        "musiclab_quality_success.png": (draw.musiclab_quality_success, tables.get("songs")),
        "like_view.png": (draw.like_view, tables.get("like_view")),
        "tiers.png": (draw.tiers, tables.get("tiers")),
        "views_tail.png": (draw.views_tail, tables.get("views")),
        "bought_like_survival.png": (draw.survival, tables.get("survival")),
        "audit_vs_bot_quality.png": (draw.audit_sweep, audit_curve(measures)),
        "emotion.png": (draw.emotion, validation.table[validation.table["section"] == 8]),
        "gifting.png": (draw.gifting, tables.get("gifters")),
    }
    drawn = []
    for name, (plot, data) in drawings.items():
        if data is not None and len(data):
            plot(data, folder / name)
            drawn.append(name)
    return drawn


def _number(value) -> str:
    if value is None or value != value:
        return "not measured"
    if value == np.inf:
        return "no limit"
    return f"{value:.3g}" if abs(value) >= 0.01 or value == 0 else f"{value:.2g}"


def report(validation: Validation, plots: list[str], title: str = "Validation") -> str:
    """``report.md``: the verdict, the failures with what they mean, then every check by section."""
    table = validation.table
    failed = table[~table["ok"]]
    lines = [
        f"# {title}",
        "",
        f"**{int(table['ok'].sum())} of {len(table)} checks pass.** {validation.description}. Each value "
        "is the mean over replicates; the published numbers, their full citations and why each range is "
        "accepted are in docs/validation.md (sections below follow it).",
        "",
    ]
    if len(failed):
        lines += ["## What the model does not reproduce yet", ""]
        lines += [
            f"- §{row.section} {row.fact}: model {_number(row.value)}, accepted {_number(row.low)} to "
            f"{_number(row.high)}. {row.gap[:1].upper() + row.gap[1:]}."
            for row in failed.itertuples()
        ]
        lines.append("")
    for section, title in SECTIONS.items():
        rows = table[table["section"] == section]
        if rows.empty:
            continue
        lines += [
            f"## §{section} {title}",
            "",
            "| published | source | model | accepted | ok |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {row.fact} | {row.source} | {_number(row.value)} | {_number(row.low)} to "
            f"{_number(row.high)} | {'yes' if row.ok else '**no**'} |"
            for row in rows.itertuples()
        ]
        lines += [""] + _musiclab_detail(validation.measures) * (section == 1)
    lines += ["## Plots", ""] + [f"![{name[:-4]}](plots/{name})" for name in plots]
    return "\n".join(lines) + "\n"


def _musiclab_detail(measures: pd.DataFrame) -> list[str]:
    """Every MusicLab measure per display, with its spread over replicates."""
    musiclab = measures[measures["experiment"] == "musiclab"]
    if musiclab.empty:
        return []
    spread = musiclab.groupby(["metric", "display"])["value"].agg(["mean", "min", "max"]).unstack("display")
    lines = [
        "Every MusicLab measure, mean (lowest-highest) over replicates. `quality_success` is the rank "
        "correlation between a song's share in the independent world and in a social world.",
        "",
        "| measure | grid (Exp. 1) | ranked (Exp. 2) |",
        "|---|---|---|",
    ]
    for metric in spread.index:
        cells = [
            f"{_number(spread.loc[metric, ('mean', d)])} ({_number(spread.loc[metric, ('min', d)])}-"
            f"{_number(spread.loc[metric, ('max', d)])})"
            for d in ("grid", "ranked")
        ]
        lines.append(f"| {metric} | {cells[0]} | {cells[1]} |")
    return [*lines, ""]
