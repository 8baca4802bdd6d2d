"""The benchmark scripts still run (their figures are read by people, not asserted here)."""

import subprocess
import sys
from pathlib import Path

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


def test_parallel_benchmark_runs_and_reports_efficiency():
    out = benchmark("parallel.py", "--scenario", "scenarios/tiny.yaml", "--replicates", "2", "--days", "1",
                    "--repeats", "1")  # fmt: skip
    assert "parallel efficiency" in out
