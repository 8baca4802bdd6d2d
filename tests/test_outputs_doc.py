"""docs/outputs.md names every file, column and summary key the code writes: the dictionary cannot drift."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.comparison import RunFrames, compare, platform_metrics
from sim.metrics import TIERS
from sim.musiclab import worlds_table
from sim.outputs import PlannedRun
from sim.results import TABLES, plan_of, read_run, runs_table, write_run
from sim.validation.facts import COLUMNS
from sim.validation.runs import Measured, Task, measures_table

from .conftest import TINY

DOC = (Path(__file__).resolve().parent.parent / "docs" / "outputs.md").read_text(encoding="utf-8")
#: Every mechanism that writes a table: like buyers, LIVE gifts with VIP, brands that sign.
EVERY_MECHANISM = [
    "clock.days=3",
    "creators.groups=[{name: organic, share: 0.5}, "
    "{name: buyers, share: 0.25, buy_likes: {budget_per_video: 1.0}}, "
    "{name: live, share: 0.25, live_gifts: {lives_per_week: 7}, vip: {price: 2.0}}]",
    "brands.count=4",
    "brands.min_views_share=0.01",
    "brands.shopping_interval_days=2",
    "brands.last_signing_days=1",
]
#: The per-tier columns of platforms.csv, documented together in one row.
TIER_COLUMN = re.compile(rf"engagement_per_(view|follower)_({'|'.join(TIERS)})")
#: A sweep's grid parameter (a column of runs.csv and sweep.csv), documented as ``<path>``.
GRID = "brands.count"


def undocumented(names) -> list[str]:
    """The names that docs/outputs.md does not give in backticks (per-tier columns by their pattern)."""
    missing = []
    for name in names:
        tier = TIER_COLUMN.fullmatch(name)
        if tier:
            needed = [f"`engagement_per_{tier[1]}_<tier>`", f"`{tier[2]}`"]
        elif name == GRID:
            needed = ["`<path>`"]
        else:
            needed = [f"`{name}`"]
        missing += [f"{name} ({text})" for text in needed if text not in DOC]
    return missing


@pytest.fixture(scope="module")
def result():
    run = sim.run(TINY, overrides=EVERY_MECHANISM)
    assert run.has_buyers and run.has_gifts_or_vip and run.has_brand_deals  # no table left empty
    return run


@pytest.fixture(scope="module")
def experiment(result, tmp_path_factory):
    """An experiment folder of one sweep point and one replicate: the run folder, and its plan."""
    root = tmp_path_factory.mktemp("experiment")
    runs = [PlannedRun("arm", 0, result.scenario, ((GRID, 4),))]
    write_run(result, root / runs[0].folder, plots=False)
    return root, runs


def test_every_column_of_every_run_table_is_documented(result):
    for table in TABLES:
        columns = getattr(result, table).columns
        assert len(columns), table
        assert undocumented(columns) == [], table
    tiers = [c for c in result.platforms.columns if TIER_COLUMN.fullmatch(c)]
    assert len(tiers) == 2 * len(TIERS)


def test_every_summary_key_is_documented(result, experiment):
    root, runs = experiment
    written = json.loads((root / runs[0].folder / "summary.json").read_text())
    assert written.keys() >= {"scenario", "seed", "wall_seconds", *result.summary}
    assert undocumented(written) == []


def test_every_file_of_a_run_folder_and_the_manifest_are_documented(experiment):
    root, runs = experiment
    folder = root / runs[0].folder
    files = sorted(path.name for path in folder.iterdir())
    assert {f"{table}.csv" for table in TABLES} <= set(files)
    assert undocumented([*files, "plots/*.png"]) == []
    assert undocumented(json.loads((folder / "manifest.json").read_text())) == []


def test_every_column_of_the_experiment_tables_is_documented(experiment):
    root, runs = experiment
    table = runs_table(runs)
    frames = [RunFrames.of_result(read_run(root / r.folder)) for r in runs]
    tables = {
        "runs": table,
        "comparison": compare(table, frames),
        "sweep": compare(table, frames, keys=("arm", GRID)),
        "platforms": compare(table, frames, metrics_of=platform_metrics),
    }
    for name, frame in tables.items():
        assert undocumented(frame.columns) == [], name
        assert undocumented(frame.get("metric", [])) == [], name
    assert undocumented(plan_of(runs)["runs"][0]) == []
    assert undocumented(["experiment.json", "runs.csv", "comparison.csv", "sweep.csv"]) == []


def test_every_column_of_the_validation_tables_is_documented(result):
    measures = measures_table([Measured(Task("platform", 1, result.scenario), {"views_gini": 0.7})])
    songs = pd.DataFrame(
        {
            "display": "grid",
            "world": [0, 0, "independent", "independent"],
            "song": [0, 1, 0, 1],
            "listens": [3, 1, 2, 2],
            "downloads": [2, 0, 1, 1],
            "share": [1.0, 0.0, 0.5, 0.5],
            "participants": 4,
            "downloaders": 2,
            "seed": 1,
        }
    )
    for columns in (COLUMNS, measures.columns, worlds_table(songs).columns):
        assert undocumented(columns) == []
    assert undocumented(["validation.csv", "measures.csv", "worlds.csv"]) == []
