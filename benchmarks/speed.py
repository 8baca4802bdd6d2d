"""Model speed against a floor kernel, linearity in viewers, threads, and peak memory per viewer.

The sampled floor is the least any impression-level model with a ranked feed must do, over the
same number of impressions the model produced, in numpy: one weighted draw of a video from
50,000 by cumulative weights, a gather of two viewer features and one video feature, one
logistic, one draw, one bincount. The decision floor is the least *this* model's impression must
do, vectorised the same way: six logistic responses (play, watch, like, comment, share, follow),
their draws, the watch noise and the counters, with no feed, ranking, follows or moods;
model/decision says how close the whole model comes to its own arithmetic.
The thread line times one day of the largest size on one thread and on every core (the kernels
run over the impressions in parallel; the results are the same, which it checks). The bound line
times it again with the bulk random draws free (taken from a pool drawn beforehand): the most
that drawing them in parallel, chunk by chunk with streams of their own, could give.
Figures are ratios measured in one run, so they compare across machines; each time is the best
of ``--repeats`` runs, so a busy neighbour on a shared machine does not count against either side.

    python benchmarks/speed.py [--viewers 10000 100000] [--days 3] [--repeats 3]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from typing import TYPE_CHECKING

import numpy as np

import sim

if TYPE_CHECKING:  # the model loads its kernels: not before --help is answered
    from sim.model import LikeEconomy

#: Videos the sampled floor draws from (about the candidates of a 10,000-creator run).
FLOOR_VIDEOS = 50_000


class FreeDraws:
    """The model's generator, except that its large uniform and normal draws cost (almost) nothing.

    They are views of pools drawn beforehand (grown by doubling when a draw outgrows them), so a
    timed run pays next to nothing for them: an upper bound on what drawing them in parallel could
    save. Their values repeat, so such a run's results are not the model's.
    """

    SMALL = 10_000  # draws this small stay the model's own

    def __init__(self, rng: np.random.Generator):
        self._rng, self._pools = rng, {}

    def __getattr__(self, name):
        return getattr(self._rng, name)

    def random(self, size=None):
        return self._pooled("random", size)

    def standard_normal(self, size=None):
        return self._pooled("standard_normal", size)

    def _pooled(self, kind: str, size):
        if not isinstance(size, int | np.integer) or size <= self.SMALL:
            return getattr(self._rng, kind)(size)
        if self._pools.get(kind, np.empty(0)).size < size:
            self._pools[kind] = getattr(np.random.default_rng(0), kind)(2 * size)
        return self._pools[kind][:size]


def run_model(viewers: int, days: int, free_draws: bool = False) -> tuple[int, float, LikeEconomy]:
    """Impressions served and seconds taken by ``days`` of the default scenario (after set-up)."""
    scenario = sim.load_scenario(None, [f"viewers.count={viewers}", f"clock.days={days}"])
    model = sim.LikeEconomy(scenario)
    if free_draws:
        model.rng = FreeDraws(model.rng)
    ticks = days * scenario.clock.ticks_per_day
    started = time.perf_counter()
    for _ in range(ticks):
        model.step()
    seconds = time.perf_counter() - started
    return int(sum(p.videos["impressions"].sum() for p in model.platforms)), seconds, model


def floor_kernel(impressions: int, n_viewers: int, ticks: int, seed: int = 0) -> float:
    """Seconds for the sampled floor (module docstring) over the same impressions, tick by tick."""
    rng = np.random.default_rng(seed)
    cumulative = np.cumsum(rng.pareto(1.5, FLOOR_VIDEOS))
    score = rng.standard_normal(FLOOR_VIDEOS)
    interest, mood = rng.random(n_viewers), rng.standard_normal(n_viewers)
    per_tick = impressions // ticks
    started = time.perf_counter()
    for _ in range(ticks):
        viewer = np.sort(rng.integers(n_viewers, size=per_tick))
        video = np.searchsorted(cumulative, rng.random(per_tick) * cumulative[-1], side="right")
        logit = score[video] + interest[viewer] + mood[viewer]
        liked = rng.random(per_tick) < 1.0 / (1.0 + np.exp(-logit))
        np.bincount(video[liked], minlength=FLOOR_VIDEOS)
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
    model = sim.LikeEconomy(scenario)
    for _ in range(scenario.clock.ticks_per_day):
        model.step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument(
        "--viewers",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        help="sizes timed; the threads lines use the last",
    )
    parser.add_argument("--days", type=int, default=3, help="days timed per size")
    parser.add_argument("--repeats", type=int, default=3, help="each time is the best of this many")
    args = parser.parse_args()
    import numba  # after --help: it takes a second to load

    print(
        f"{'viewers':>9} {'impressions':>12} {'model imp/s':>12} {'floor imp/s':>12} "
        f"{'model/floor':>11} {'model/decision':>14} {'s per 1k viewers':>16} {'peak B/viewer':>13}"
    )
    run_model(1000, 1)  # compile (or load) the kernels before anything is timed
    rows = []
    for viewers in args.viewers:
        runs = [run_model(viewers, args.days)[:2] for _ in range(args.repeats)]
        impressions, seconds = runs[0][0], min(seconds for _, seconds in runs)
        floor = min(floor_kernel(impressions, viewers, args.days * 24) for _ in range(args.repeats))
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
    threads = numba.get_num_threads()
    timed, bound = {}, {}
    for n in (1, threads):
        numba.set_num_threads(n)
        timed[n] = min((run_model(large, 1) for _ in range(args.repeats)), key=lambda run: run[1])
        bound[n] = min(run_model(large, 1, free_draws=True)[1] for _ in range(args.repeats))
    numba.set_num_threads(threads)
    same = all(
        np.array_equal(timed[1][2].platforms[0].videos[c], timed[threads][2].platforms[0].videos[c])
        for c in ("impressions", "views", "likes", "watch_sum")
    )
    print(
        f"threads: one day at {large:,} viewers {timed[1][1]:.2f} s on 1 thread, {timed[threads][1]:.2f} s "
        f"on {threads}: {timed[1][1] / timed[threads][1]:.2f}x; same results: {'yes' if same else 'NO'}"
    )
    print(
        f"bound with the bulk draws free: {bound[1]:.2f} s on 1 thread, {bound[threads]:.2f} s on {threads}: "
        f"{bound[1] / bound[threads]:.2f}x"
    )


if __name__ == "__main__":
    main()
