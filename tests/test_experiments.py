"""Experiments: replicates, arms, sweeps, executors, resume, and the statistics behind them."""

import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.comparison import confidence_interval
from sim.experiments import replicate_seeds

from .conftest import SCENARIOS, TINY, likesim


def two_arm_scenario(tmp_path):
    path = tmp_path / "arms.yaml"
    path.write_text(f"""extends: {TINY}
name: arms
clock: {{days: 3}}
replicates: 2
creators:
  groups:
    - {{name: organic, share: 0.5}}
    - {{name: buyers, share: 0.5, buy_likes: {{budget_per_video: 0.5}}}}
arms:
  lenient: {{integrity.strength: 0.5}}
  strict: {{integrity.strength: 4.0}}
""")
    return path


def test_confidence_interval_matches_the_t_table():
    mean, low, high, n = confidence_interval([1, 2, 3, 4, 5])
    half = 2.7764451 * np.std([1, 2, 3, 4, 5], ddof=1) / np.sqrt(5)  # t(0.975, 4)
    assert (mean, n) == (3.0, 5)
    assert low == pytest.approx(3 - half) and high == pytest.approx(3 + half)
    assert np.isnan(confidence_interval([7.0])[1]) and confidence_interval([7.0])[0] == 7.0
    assert confidence_interval([1.0, np.nan, 3.0])[3] == 2


def test_replicate_seeds_are_stable_distinct_and_rerunnable(tmp_path):
    seeds = replicate_seeds(42, 5)
    assert seeds == replicate_seeds(42, 5) and len(set(seeds)) == 5
    assert replicate_seeds(42, 3) == seeds[:3] and replicate_seeds(43, 5) != seeds
    out = tmp_path / "exp"
    done = likesim("run", str(two_arm_scenario(tmp_path)), "--out", str(out), "--no-progress", "--no-plots")
    assert done.returncode == 0, done.stderr
    folder = out / "runs" / "strict" / "rep-001"
    alone = sim.run(folder / "scenario.yaml")
    assert alone.scenario.seed == seeds[1]
    assert alone.creators.to_csv(index=False) == (folder / "creators.csv").read_text()


@pytest.mark.slow
def test_serial_processes_and_dask_give_identical_comparisons(tmp_path):
    scenario = two_arm_scenario(tmp_path)
    tables = {}
    for label, options in {
        "serial": [],
        "workers": ["--workers", "2"],
        "dask": ["--dask", "local", "--workers", "2"],
    }.items():
        out = tmp_path / label
        done = likesim("run", str(scenario), "--out", str(out), "--no-progress", "--no-plots", *options)
        assert done.returncode == 0, done.stderr
        tables[label] = (out / "comparison.csv").read_bytes()
    assert tables["serial"] == tables["workers"] == tables["dask"]
    comparison = pd.read_csv(tmp_path / "serial" / "comparison.csv")
    assert {"arm", "group", "metric", "mean", "ci_low", "ci_high", "n"} <= set(comparison.columns)
    assert set(comparison["arm"]) == {"lenient", "strict"} and set(comparison["group"]) == {
        "organic",
        "buyers",
        "all",
    }
    survival = comparison[comparison["metric"] == "followers_gained"]
    assert (survival["n"] == 2).all()


def test_resume_skips_finished_runs_and_redoes_half_written_ones(tmp_path):
    scenario, out = two_arm_scenario(tmp_path), tmp_path / "exp"
    assert likesim("run", str(scenario), "--out", str(out), "--no-progress", "--no-plots").returncode == 0
    first = (out / "comparison.csv").read_bytes()
    kept = out / "runs" / "lenient" / "rep-000" / "manifest.json"
    stamp = kept.stat().st_mtime_ns
    redo = out / "runs" / "strict" / "rep-001"
    for path in sorted(redo.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    redo.rmdir()
    partial = redo.with_name("rep-001.partial")
    partial.mkdir()
    (partial / "summary.json").write_text("{half")
    resumed = likesim("run", str(scenario), "--out", str(out), "--resume", "--no-progress", "--no-plots")
    assert resumed.returncode == 0, resumed.stderr
    assert "(1 run now, 3 already finished)" in resumed.stdout
    assert kept.stat().st_mtime_ns == stamp and not partial.exists()
    assert (out / "comparison.csv").read_bytes() == first
    changed = likesim("run", str(scenario), "--out", str(out), "--resume", "--replicates", "3")
    assert changed.returncode == 2 and "plans different runs" in changed.stderr


@pytest.mark.parametrize(
    "grid, message",
    [
        (["integrity.strength"], "--grid integrity.strength: expected PATH=V1,V2,..."),
        (["integrity.strength="], "expected PATH=V1,V2,..."),
        (["integrity.strenght=1,2"], "integrity.strenght: unknown key (did you mean 'strength'?)"),
        (["integrity.strength=1,2", "integrity.strength=3"], "--grid integrity.strength: given twice"),
        (["integrity.strength=-1,2"], "integrity.strength: Input should be greater than or equal to 0"),
    ],
)
def test_bad_grids_are_one_line_errors(grid, message, capsys):
    assert main(["sweep", str(TINY), *(a for g in grid for a in ("--grid", g))]) == 2
    stderr = capsys.readouterr().err
    assert message in stderr and len(stderr.strip().splitlines()) == 1


def test_sweep_writes_a_tidy_table_and_plots(tmp_path):
    out = tmp_path / "sweep"
    done = likesim(
        "sweep",
        str(two_arm_scenario(tmp_path)),
        "--grid",
        "integrity.strength=0,3",
        "--grid",
        "farms.0.price_per_1000=1,4",
        "--replicates",
        "2",
        "--out",
        str(out),
        "--no-progress",
    )
    assert done.returncode == 0, done.stderr
    sweep = pd.read_csv(out / "sweep.csv")
    assert {
        "integrity.strength",
        "farms.0.price_per_1000",
        "group",
        "metric",
        "mean",
        "ci_low",
        "ci_high",
    } <= set(sweep.columns)
    points = sweep[["integrity.strength", "farms.0.price_per_1000"]].drop_duplicates()
    assert len(points) == 4 and (sweep["n"] <= 2).all()
    assert (out / "plots" / "sweep_followers_gained.png").read_bytes()[:4] == b"\x89PNG"
    removed = sweep[(sweep["metric"] == "like_spend") & (sweep["group"] == "buyers")]
    assert len(removed) == 4


def test_compare_runs_whole_scenarios_as_arms(tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(f"extends: {TINY}\nname: bigger\nclock: {{days: 3}}\nviewers: {{count: 1500}}\n")
    small = tmp_path / "small.yaml"
    small.write_text(f"extends: {TINY}\nname: smaller\nclock: {{days: 3}}\n")
    out = tmp_path / "cmp"
    done = likesim("compare", str(small), str(other), "--replicates", "2", "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    comparison = pd.read_csv(out / "comparison.csv")
    assert set(comparison["arm"]) == {"smaller", "bigger"}
    assert "## Who wins" in (out / "report.md").read_text()
    same = likesim("compare", str(small), str(small))
    assert same.returncode == 2 and "every scenario needs its own name" in same.stderr


def test_bad_arm_is_a_one_line_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: {TINY}\nreplicates: 2\narms:\n  x: {{integrity.strenght: 1}}\n")
    done = likesim("run", str(path), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "arms.x" in done.stderr and "strenght" in done.stderr


def test_headline_scenario_pits_every_strategy_against_the_others():
    scenario = sim.load_scenario(SCENARIOS / "strategies.yaml")
    assert scenario.replicates >= 10 and scenario.brands.count > 0
    strategies = {group.strategy for group in scenario.creators.groups}
    assert strategies == {"organic", "buy_likes", "live_gifts", "live_gifts+vip"}


def test_sweep_block_of_the_scenario_is_the_default_grid(tmp_path, capsys):
    path = tmp_path / "swept.yaml"
    path.write_text(f"extends: {TINY}\nclock: {{days: 2}}\nsweep:\n  ranking.exploration_share: [0.0, 0.5]\n")
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--no-progress"]) == 0
    sweep = pd.read_csv(out / "sweep.csv")
    assert sorted(sweep["ranking.exploration_share"].unique()) == [0.0, 0.5]
    assert main(["sweep", str(TINY)]) == 2
    assert "give --grid PATH=V1,V2,... or a sweep: block" in capsys.readouterr().err


@pytest.mark.slow
def test_ctrl_c_leaves_finished_runs_and_resume_completes(tmp_path):
    scenario, out = two_arm_scenario(tmp_path), tmp_path / "exp"
    command = [sys.executable, "-m", "sim.cli", "run", str(scenario), "--out", str(out), "--replicates", "3",
               "--no-plots"]  # fmt: skip
    process = subprocess.Popen(
        [*command, "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C reaches the program even when pytest was started with SIGINT ignored (a background
        # shell): the test checks likesim, not the shell it came from.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("runs/*/rep-000")) and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and "--resume" in stderr and "Traceback" not in stderr
    finished = [folder for folder in out.glob("runs/*/rep-*") if not folder.name.endswith(".partial")]
    assert 0 < len(finished) < 6
    assert all((folder / "manifest.json").is_file() for folder in finished)
    resumed = subprocess.run([*command, "--resume", "--no-progress"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{6 - len(finished)} run now, {len(finished)} already finished" in resumed.stdout
    assert len(pd.read_csv(out / "runs.csv")) == 6


def test_unreachable_dask_scheduler_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sim.executors.DASK_CONNECT_TIMEOUT", "1s")
    arguments = [
        "run",
        str(TINY),
        "--replicates",
        "2",
        "--dask",
        "tcp://127.0.0.1:9",
        "--out",
        str(tmp_path / "o"),
    ]
    assert main(arguments) == 2
    stderr = capsys.readouterr().err
    assert (
        "--dask tcp://127.0.0.1:9: cannot reach the scheduler" in stderr
        and len(stderr.strip().splitlines()) == 1
    )


def test_kernels_are_compiled_before_worker_processes_start(monkeypatch):
    from sim import executors

    compiled = []
    monkeypatch.setattr(executors, "compile_kernels", lambda: compiled.append(True))
    with executors.executor_for(1):
        assert compiled == []  # runs in this process compile on first use
    with executors.executor_for(2):
        assert compiled == [True]
