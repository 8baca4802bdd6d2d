"""What a user waits for besides the simulation: the command line's start, plots, kernel compilation.

- ``likesim --help`` and ``likesim check`` against ``python -c "import numpy, yaml, pydantic"`` (the
  command line imports the model, Mesa, SciPy and matplotlib only where a command needs them);
- the plots of a run of the default scenario against as many one-line figures saved the same way
  (matplotlib's own floor on this machine);
- an experiment on worker processes started with an empty kernel cache: the first replicates
  against the last (the kernels are compiled once, before the workers start).

Times are the best of ``--repeats``; figures are ratios measured in this one run.

    python benchmarks/overheads.py [--repeats 5] [--replicates 6] [--workers 2] [--parts cli plots compile]
                                   [--set PATH=VALUE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("cli", "plots", "compile")


def seconds_of(command: list[str], repeats: int, env: dict | None = None) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
        best = min(best, time.perf_counter() - started)
    return best


def command_line(repeats: int) -> None:
    likesim = [sys.executable, "-m", "sim.cli"]
    floor = seconds_of([sys.executable, "-c", "import numpy, yaml, pydantic"], repeats)
    print(f"import numpy, yaml, pydantic: {floor:.2f} s")
    for args in (["--help"], ["check", "scenarios/strategies.yaml"]):
        took = seconds_of([*likesim, *args], repeats)
        print(f"likesim {' '.join(args)}: {took:.2f} s, {took / floor:.1f}x the imports (target <= 3x)")


def plots(repeats: int, overrides: list[str]) -> None:
    import matplotlib.pyplot as plt

    import sim
    from sim.plots import plots_of, save
    from sim.results import draw_plots

    result = sim.run(None, overrides=overrides)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        draw_plots(result, folder / "warm")
        best, floor = float("inf"), float("inf")
        for attempt in range(repeats):
            started = time.perf_counter()
            draw_plots(result, folder / f"run-{attempt}")
            best = min(best, time.perf_counter() - started)
            started = time.perf_counter()
            for name in plots_of(result):
                fig, ax = plt.subplots(figsize=(6, 4))
                ax.plot([0, 1], [0, 1])
                save(fig, folder / f"blank-{name}")
            floor = min(floor, time.perf_counter() - started)
    n = len(plots_of(result))
    scenario = "the default scenario" + (f" with {' '.join(overrides)}" if overrides else "")
    print(f"plots of {scenario}: {n} in {best:.2f} s; {n} one-line figures {floor:.2f} s "
          f"({best / floor:.1f}x matplotlib's floor)")  # fmt: skip


def first_and_last_replicates(replicates: int, workers: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "NUMBA_CACHE_DIR": str(Path(scratch) / "cache")}  # nothing compiled yet
        out = Path(scratch) / "experiment"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sim.cli", "run", "scenarios/tiny.yaml", "--replicates", str(replicates),
             "--workers", str(workers), "--no-plots", "--no-progress", "--out", str(out)],
            check=True, capture_output=True, cwd=ROOT, env=env,
        )  # fmt: skip
        wall = time.perf_counter() - started
        runs = sorted((out / "runs").glob("*/rep-*"))
        took = [json.loads((run / "summary.json").read_text())["wall_seconds"] for run in runs]
    first, last = took[:workers], took[-workers:]
    print(
        f"{replicates} replicates on {workers} workers from an empty kernel cache: {wall:.1f} s in all; "
        f"first {workers} runs {sum(first) / workers:.2f} s each, last {workers} {sum(last) / workers:.2f} s "
        f"({sum(first) / sum(last):.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--repeats", type=int, default=5, help="each time is the best of this many")
    parser.add_argument(
        "--replicates",
        type=int,
        default=6,
        help="replicates of the compile part's experiment",
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the compile part")
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS), help="what to time")
    parser.add_argument(
        "--set", nargs="+", default=[], metavar="PATH=VALUE", help="change the scenario whose plots are timed"
    )
    args = parser.parse_args()
    if "cli" in args.parts:
        command_line(args.repeats)
    if "plots" in args.parts:
        plots(args.repeats, args.set)
    if "compile" in args.parts:
        first_and_last_replicates(args.replicates, args.workers)


if __name__ == "__main__":
    main()
