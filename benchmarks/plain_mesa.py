"""likesim against a plain-Mesa version of the same viewer rule, at the same size, in one run.

The plain version is how the model would look written the obvious way: every viewer a
``mesa.Agent`` whose ``step`` makes one Python decision per impression (a weighted draw of a video
by its ranking weight, the play logistic, then the like logistic with social proof from the
displayed count, and the counters), the ranking weights recomputed once per tick. Its video draw
comes in two versions: ``random.choices`` over the weights (what the standard library offers) and a
``bisect`` on cumulative weights built once per tick. Both serve as many impressions per viewer
and draw from as many videos as likesim's run of the same size.

    python benchmarks/plain_mesa.py [--viewers 10000] [--ticks 24]
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import math
import time

import mesa

import sim


class PlainViewer(mesa.Agent):
    """One viewer: watches ``per_tick`` videos a tick, one Python decision each."""

    def __init__(self, model: PlainFeed):
        super().__init__(model)
        self.interest = model.random.gauss(0, 1)
        self.susceptibility = model.random.random()

    def step(self) -> None:
        model, random = self.model, self.model.random
        for _ in range(model.per_tick):
            video = model.draw()
            model.impressions[video] += 1
            if random.random() < 1 / (1 + math.exp(-(model.hook[video] + 0.3 * self.interest - 0.5))):
                model.views[video] += 1
                proof = self.susceptibility * math.log1p(model.likes[video])
                logit = model.quality[video] + 0.2 * proof - 3.0
                if random.random() < 1 / (1 + math.exp(-logit)):
                    model.likes[video] += 1


class PlainFeed(mesa.Model):
    """Viewers as agents over a fixed catalogue of videos, ranked by smoothed likes per view."""

    def __init__(self, viewers: int, videos: int, per_tick: int, draw: str, seed: int = 0):
        super().__init__(rng=seed)
        self.per_tick = per_tick
        self.hook = [self.random.gauss(0, 1) for _ in range(videos)]
        self.quality = [self.random.gauss(0, 1) for _ in range(videos)]
        self.impressions, self.views, self.likes = [0] * videos, [0] * videos, [0] * videos
        self._draw_by = draw
        self._ids = range(videos)
        PlainViewer.create_agents(self, viewers)

    def draw(self) -> int:
        if self._draw_by == "choices":
            return self.random.choices(self._ids, weights=self.weights)[0]
        return bisect.bisect_right(self.cumulative, self.random.random() * self.cumulative[-1])

    def step(self) -> None:
        self.weights = [(like + 1) / (view + 20) for like, view in zip(self.likes, self.views, strict=True)]
        self.cumulative = list(itertools.accumulate(self.weights))
        self.agents.shuffle_do("step")


def likesim_rate(viewers: int, ticks: int) -> tuple[float, int, int]:
    """Impressions per second of likesim's default scenario over ``ticks`` after a warm-up day;
    and the impressions per viewer per tick and candidate videos it had."""
    scenario = sim.load_scenario(None, [f"viewers.count={viewers}", "clock.days=3"])
    model = sim.LikeEconomy(scenario)
    for _ in range(scenario.clock.ticks_per_day):
        model.step()
    before, started = model.platforms[0].videos["impressions"].sum(), time.perf_counter()
    for _ in range(ticks):
        model.step()
    seconds = time.perf_counter() - started
    videos = model.platforms[0].videos
    served = int(videos["impressions"].sum() - before)
    return served / seconds, max(round(served / viewers / ticks), 1), videos.candidates.size


def plain_rate(viewers: int, videos: int, per_tick: int, ticks: int, draw: str) -> float:
    model = PlainFeed(viewers, videos, per_tick, draw)
    started = time.perf_counter()
    for _ in range(ticks):
        model.step()
    return sum(model.impressions) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--viewers", type=int, default=10_000, help="viewers of both versions")
    parser.add_argument(
        "--ticks",
        type=int,
        default=24,
        help="ticks timed (likesim: after a warm-up day; plain Mesa: a quarter of them)",
    )
    args = parser.parse_args()
    likesim_rate(500, 1)  # compile (or load) the kernels before anything is timed
    rate, per_tick, videos = likesim_rate(args.viewers, args.ticks)
    print(f"likesim: {rate:,.0f} impressions/s ({args.viewers:,} viewers, {per_tick} per viewer per tick, "
          f"{videos:,} candidate videos)")  # fmt: skip
    for draw in ("choices", "bisect"):
        plain = plain_rate(args.viewers, videos, per_tick, max(args.ticks // 4, 1), draw)
        print(f"plain Mesa, {draw:>7} draw: {plain:,.0f} impressions/s; likesim {rate / plain:.0f}x faster")


if __name__ == "__main__":
    main()
