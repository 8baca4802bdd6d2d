"""One large run from start to written folder: wall time and peak memory.

Defaults to 1,000,000 viewers x 10,000 creators x 30 days of the default scenario, as
``likesim run --set viewers.count=1000000 --set creators.count=10000 --set clock.days=30`` would do
it: the size check, the model, its tables, the run folder (plots included). Peak memory is the
largest resident set of this process.

    python benchmarks/large.py [--viewers 1000000] [--creators 10000] [--days 30]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import sim
from sim import resources


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--viewers", type=int, default=1_000_000, help="viewers of the run")
    parser.add_argument("--creators", type=int, default=10_000, help="creators of the run")
    parser.add_argument("--days", type=int, default=30, help="simulated days")
    args = parser.parse_args()
    from sim.results import write_run  # loads matplotlib: not before --help is answered

    scenario = sim.load_scenario(
        None, [f"viewers.count={args.viewers}", f"creators.count={args.creators}", f"clock.days={args.days}"]
    )
    resources.check(scenario)  # what likesim run checks first: refused if it looks too big
    started = time.perf_counter()
    day_started = [started]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if done == 1 or done % 5 == 0 or done == total:
            print(f"  day {done:>3}: {now - day_started[-1]:.1f} s, {now - started:.0f} s so far", flush=True)
        day_started.append(now)

    result = sim.run(scenario, progress=progress, size_check=False)
    simulated = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        write_run(result, Path(scratch) / "run")
    written = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    views = result.summary["views"]
    print(
        f"{args.viewers:,} viewers x {args.creators:,} creators x {args.days} days: "
        f"{written - started:.0f} s in all ({simulated - started:.0f} s set-up and simulation, "
        f"{written - simulated:.0f} s tables, report and plots); {views:,} views; "
        f"peak memory {peak / 1e9:.2f} GB ({peak / args.viewers:,.0f} B per viewer)"
    )


if __name__ == "__main__":
    main()
