"""Model speed against a floor kernel, linearity in viewers, and peak memory per viewer.

The floor kernel is the least any impression-level model must do, over the same number of
impressions the model produced: gather a per-video value, apply a logistic, draw, bincount. The
decision floor is the least *this* model's impression must do, vectorised the same way: six
logistic responses (play, watch, like, comment, share, follow), their draws, the watch noise and
the counters, with no feed, ranking, follows or moods; model/decision says how close the whole
model comes to its own arithmetic.
Figures are ratios measured in one run, so they compare across machines; each time is the best
of ``--repeats`` runs, so a busy neighbour on a shared machine does not count against either side.

    python benchmarks/speed.py [--viewers 10000 100000] [--days 3] [--repeats 3]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

import sim
from sim.model import LikeEconomy


def run_model(viewers: int, days: int) -> tuple[int, float]:
    """Impressions served and seconds taken by ``days`` of the default scenario (after set-up)."""
    scenario = sim.load_scenario(None, [f"viewers.count={viewers}", f"clock.days={days}"])
    model = LikeEconomy(scenario)
    ticks = days * scenario.clock.ticks_per_day
    started = time.perf_counter()
    for _ in range(ticks):
        model.step()
    seconds = time.perf_counter() - started
    return int(sum(p.videos["impressions"].sum() for p in model.platforms)), seconds


def floor_kernel(impressions: int, n_videos: int, ticks: int, seed: int = 0) -> float:
    """Seconds for gather -> logistic -> draw -> bincount over the same impressions, tick by tick."""
    rng = np.random.default_rng(seed)
    score = rng.standard_normal(n_videos).astype(np.float32)
    per_tick = impressions // ticks
    started = time.perf_counter()
    for _ in range(ticks):
        video = rng.integers(n_videos, size=per_tick)
        p = 1.0 / (1.0 + np.exp(-score[video]))
        liked = rng.random(per_tick) < p
        np.bincount(video[liked], minlength=n_videos)
    return time.perf_counter() - started


def decision_floor(impressions: int, n_videos: int, ticks: int, seed: int = 0) -> float:
    """Seconds for the model's six logistic responses, draws and counters, vectorised, tick by tick."""
    rng = np.random.default_rng(seed)
    logit = rng.standard_normal((6, n_videos)).astype(np.float32)
    per_tick = impressions // ticks
    started = time.perf_counter()
    for _ in range(ticks):
        video = rng.integers(n_videos, size=per_tick)
        p = 1.0 / (1.0 + np.exp(-logit[:, video]))
        played = rng.random(per_tick, np.float32) < p[0]
        noisy = logit[1, video] + rng.standard_normal(per_tick, np.float32)
        watched = np.where(played, 1.0 / (1.0 + np.exp(-noisy)), 0)
        acted = (rng.random((4, per_tick), np.float32) < p[2:]) & played
        np.bincount(video, watched, minlength=n_videos)
        for hits in (played, *acted):
            np.bincount(video[hits], minlength=n_videos)
    return time.perf_counter() - started


def peak_bytes(viewers: int) -> int:
    """Peak traced memory of building the model and running one day."""
    tracemalloc.start()
    scenario = sim.load_scenario(None, [f"viewers.count={viewers}", "clock.days=1"])
    model = LikeEconomy(scenario)
    for _ in range(scenario.clock.ticks_per_day):
        model.step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'viewers':>9} {'impressions':>12} {'model imp/s':>12} {'floor imp/s':>12} "
        f"{'model/floor':>11} {'model/decision':>14} {'s per 1k viewers':>16} {'peak B/viewer':>13}"
    )
    run_model(1000, 1)  # compile (or load) the kernels before anything is timed
    rows = []
    for viewers in args.viewers:
        runs = [run_model(viewers, args.days) for _ in range(args.repeats)]
        impressions, seconds = runs[0][0], min(seconds for _, seconds in runs)
        floor = min(floor_kernel(impressions, 1000, args.days * 24) for _ in range(args.repeats))
        decision = min(decision_floor(impressions, 1000, args.days * 24) for _ in range(args.repeats))
        rows.append((viewers, seconds))
        print(
            f"{viewers:>9,} {impressions:>12,} {impressions / seconds:>12,.0f} "
            f"{impressions / floor:>12,.0f} {floor / seconds:>11.0%} {decision / seconds:>14.0%} "
            f"{1000 * seconds / viewers:>16.4f} {peak_bytes(viewers) / viewers:>13,.0f}"
        )
    (small, t_small), (large, t_large) = rows[0], rows[-1]
    print(
        f"time ratio {t_large / t_small:.1f}x for {large / small:.0f}x viewers "
        f"(linear = {large / small:.0f}x)"
    )


if __name__ == "__main__":
    main()
