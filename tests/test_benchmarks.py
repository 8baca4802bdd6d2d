"""The benchmark scripts still run (their figures are read by people, not asserted here)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def benchmark(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_speed_benchmark_runs_and_reports_ratios():
    out = benchmark("speed.py", "--viewers", "1000", "2000", "--days", "1", "--repeats", "1")
    assert "model/floor" in out and "time ratio" in out


@pytest.mark.slow
def test_parallel_benchmark_runs_and_reports_efficiency():
    out = benchmark("parallel.py", "--scenario", "scenarios/tiny.yaml", "--replicates", "2", "--days", "1",
                    "--repeats", "1")  # fmt: skip
    assert "parallel efficiency" in out


def test_catalogue_benchmark_runs_and_reports_ratios():
    out = benchmark("catalogue.py", "--viewers", "2000", "--creators", "20", "40", "--days", "1",
                    "--long-days", "9", "--long-creators", "50")  # fmt: skip
    assert "vs first" in out and "ns per candidate per tick" in out and "full catalogue" in out


def test_plain_mesa_benchmark_runs_both_draws():
    out = benchmark("plain_mesa.py", "--viewers", "300", "--ticks", "4")
    assert "choices draw" in out and "bisect draw" in out


def test_overheads_benchmark_times_the_command_line_and_plots():
    out = benchmark("overheads.py", "--repeats", "1", "--parts", "cli", "plots",
                    "--set", "viewers.count=1000", "clock.days=3")  # fmt: skip
    assert "the imports (target <= 3x)" in out and "matplotlib's floor" in out


@pytest.mark.parametrize("script", sorted(path.name for path in (ROOT / "benchmarks").glob("*.py")))
def test_every_benchmark_option_says_what_it_does(script):
    lines = benchmark(script, "--help").splitlines()
    options = [i for i, line in enumerate(lines) if line.startswith("  --")]
    assert options, "no options listed"
    for i in options:
        said = re.split(r"\s{2,}", lines[i].strip(), maxsplit=1)[1:] or [lines[i + 1].strip()]
        assert said[0] and not said[0].startswith("--"), f"{script}: {lines[i].split()[0]} has no help text"
