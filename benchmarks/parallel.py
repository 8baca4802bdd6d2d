"""Parallel efficiency of replicates: the same experiment serial and on N local workers.

efficiency = serial time / (N x parallel time); 100% means N workers are N times as fast.
Both runs go through the same code path as ``likesim run --replicates R --workers N``; each time is
the best of ``--repeats``, after one untimed serial run that loads the compiled kernels.

    python benchmarks/parallel.py [--scenario scenarios/strategies.yaml] [--replicates 4] [--workers 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import sim
from sim.executors import executor_for


def timed_experiment(scenario, replicates: int, workers: int) -> float:
    """Seconds to run every replicate (folders written to a scratch directory)."""
    from sim.experiments import arms_of, execute, plan  # loads the model: not before --help is answered

    runs = plan(arms_of(scenario), replicates, scenario.seed)
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        with executor_for(workers) as executor:
            execute(runs, Path(scratch), executor)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--scenario", default="scenarios/strategies.yaml", help="the experiment timed")
    parser.add_argument("--replicates", type=int, default=4, help="replicates per arm")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the parallel run")
    parser.add_argument("--days", type=int, default=10, help="shorten the scenario to this many days")
    parser.add_argument("--repeats", type=int, default=3, help="each time is the best of this many")
    args = parser.parse_args()
    scenario = sim.load_scenario(args.scenario, [f"clock.days={args.days}"])
    timed_experiment(scenario, 1, 1)
    serial = min(timed_experiment(scenario, args.replicates, 1) for _ in range(args.repeats))
    parallel = min(timed_experiment(scenario, args.replicates, args.workers) for _ in range(args.repeats))
    print(f"{args.replicates} replicates of {scenario.name} ({args.days} days):")
    print(f"  serial {serial:.1f} s, {args.workers} workers {parallel:.1f} s")
    print(
        f"  speed-up {serial / parallel:.2f}x, parallel efficiency {serial / (args.workers * parallel):.0%}"
    )


if __name__ == "__main__":
    main()
