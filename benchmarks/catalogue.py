"""Cost per impression against the size of the catalogue: more creators, and later days of a long run.

A platform's candidate videos grow with its creators (each posts about once a day and a video
stays a candidate for ``max_age_days``) and, in a run's first week, with the day. The cost of an
impression should not: it is drawn from a plan, not from a viewers x videos matrix.

Two measurements, each as ratios within this one run:
- ns per impression at ``--viewers`` for each ``--creators`` count, over ``--days`` days timed after
  a warm-up day, against the smallest count. The ranking re-scores every candidate each tick (the
  platform averages its rates are smoothed towards move every tick), so a tick also costs
  something per candidate: a least-squares fit over the counts splits the time into ns per
  impression and ns per candidate per tick, and gives each count's share spent on candidates;
- ns per impression day by day over ``--long-days`` with ``--long-creators`` creators, the last
  week's mean against the first timed day's and against the first week with a full catalogue.

    python benchmarks/catalogue.py [--viewers 100000] [--creators 200 1000 10000 50000] [--days 3]
                                   [--long-days 30] [--long-creators 10000]
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

import numpy as np

import sim

if TYPE_CHECKING:  # the model loads its kernels: not before --help is answered
    from sim.model import LikeEconomy


def impressions(model: LikeEconomy) -> int:
    return int(sum(p.videos["impressions"].sum() for p in model.platforms))


def days_timed(viewers: int, creators: int, days: int):
    """Yield, for each day after a warm-up day: (day, ns per impression, candidates, seconds, impressions,
    candidate-ticks)."""
    overrides = [f"viewers.count={viewers}", f"creators.count={creators}", f"clock.days={days + 1}"]
    scenario = sim.load_scenario(None, overrides)
    model = sim.LikeEconomy(scenario)
    ticks = scenario.clock.ticks_per_day
    for _ in range(ticks):
        model.step()
    for day in range(1, days + 1):
        served, seconds, candidate_ticks = impressions(model), 0.0, 0
        for _ in range(ticks):
            candidate_ticks += model.platforms[0].videos.candidate_count
            started = time.perf_counter()
            model.step()
            seconds += time.perf_counter() - started
        served = impressions(model) - served
        candidates = model.platforms[0].videos.candidate_count
        yield day, 1e9 * seconds / served, candidates, seconds, served, candidate_ticks


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--viewers", type=int, default=100_000, help="viewers of every run")
    parser.add_argument(
        "--creators",
        type=int,
        nargs="+",
        default=[200, 1_000, 10_000, 50_000],
        help="creator counts compared; the first is the baseline",
    )
    parser.add_argument("--days", type=int, default=3, help="days timed per count, after a warm-up day")
    parser.add_argument("--long-days", type=int, default=30, help="days of the day-by-day run")
    parser.add_argument("--long-creators", type=int, default=10_000, help="creators of the day-by-day run")
    args = parser.parse_args()
    list(days_timed(1000, 20, 1))  # compile (or load) the kernels before anything is timed

    print(f"{'creators':>9} {'candidates':>10} {'ns/impression':>13} {'vs first':>8}")
    first, totals = None, []
    for creators in args.creators:
        rows = list(days_timed(args.viewers, creators, args.days))
        ns = sum(row[1] for row in rows) / len(rows)
        first = first or ns
        totals.append([sum(row[k] for row in rows) for k in (3, 4, 5)])
        print(f"{creators:>9,} {rows[-1][2]:>10,} {ns:>13,.0f} {ns / first:>7.2f}x")
    seconds, work = np.array(totals)[:, 0], np.array(totals)[:, 1:]
    per_impression, per_candidate = 1e9 * np.linalg.lstsq(work, seconds, rcond=None)[0]
    on_candidates = ", ".join(
        f"{creators:,}: {share:.0%}"
        for creators, share in zip(args.creators, 1e-9 * per_candidate * work[:, 1] / seconds, strict=True)
    )
    print(
        f"fit: {per_impression:,.0f} ns per impression + {per_candidate:,.0f} ns per candidate per tick; "
        f"share of the time spent on candidates by creators: {on_candidates}"
    )

    print(f"\n{args.long_creators:,} creators, {args.viewers:,} viewers, day by day:")
    rows = list(days_timed(args.viewers, args.long_creators, args.long_days))
    for day, ns, candidates, *_ in rows:
        print(f"  day {day:>3}: {ns:>6,.0f} ns per impression, {candidates:,} candidates")

    def mean(days):
        return sum(row[1] for row in days) / len(days)

    full = rows[max_age_days(args.viewers, args.long_creators) :][:7]  # the catalogue has stopped growing
    against_full = (
        f"vs the first week with a full catalogue (days {full[0][0]}-{full[-1][0]}): "
        f"{mean(rows[-7:]) / mean(full):.2f}x"
        if full
        else "the run ends before the catalogue is full (--long-days)"
    )
    print(f"last week vs day 1 after warm-up: {mean(rows[-7:]) / rows[0][1]:.2f}x; {against_full}")


def max_age_days(viewers: int, creators: int) -> int:
    scenario = sim.load_scenario(None, [f"viewers.count={viewers}", f"creators.count={creators}"])
    return int(max(rules.ranking.max_age_days for rules in scenario.platform_rules().values()))


if __name__ == "__main__":
    main()
