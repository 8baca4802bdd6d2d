"""Creators: Mesa agents that post videos on their platforms and follow their group's strategies.

Posting itself is one vectorised rule over all creators (the model's ``post_videos``);
what a creator decides besides posting comes from its strategy plug-ins (:mod:`sim.strategies`),
as requests the model carries out.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.scenario import Creators
from sim.strategies import Now, Request, Strategy, strategies_of


class Creator(mesa.Agent):
    """A creator (one person, with an account on each of its platforms).

    Attributes:
        index: position of the creator in the per-creator arrays.
        group: name of the scenario group it belongs to.
        strategy_group: index of the scenario group whose strategy it follows (its own, unless it
            copied another's: :mod:`sim.adaptation`).
        niche: index of the niche it posts in.
        skill: mean quality of its videos (sd units).
        posts_per_day: its own posting rate.
        platforms: names of the platforms it posts on (every video on each: cross-posting).
        strategies: its :class:`~sim.strategies.Strategy` instances (empty: organic).
        spend: currency spent so far on bought likes, in all and per platform (``spend_on``).
    """

    def __init__(
        self, model, index, group, strategy_group, niche, skill, posts_per_day, platforms, strategies
    ):
        super().__init__(model)
        self.index = index
        self.group = group
        self.strategy_group = strategy_group
        self.niche = niche
        self.skill = skill
        self.posts_per_day = posts_per_day
        self.platforms = platforms
        self.strategies: list[Strategy] = strategies
        self.spend = 0.0
        self.spend_on = dict.fromkeys(platforms, 0.0)

    @property
    def strategy(self) -> str:
        """The creator's strategies joined by '+', or 'organic'."""
        return "+".join(s.name for s in self.strategies) or "organic"

    def decide(self, now: Now) -> list[Request]:
        """What each of its strategies asks for this tick, in turn."""
        return [request for strategy in self.strategies for request in strategy.decide(self.index, now)]


def create_creators(
    model: mesa.Model, spec: Creators, n_niches: int, platforms: list[str], rng: np.random.Generator
) -> list[Creator]:
    """The scenario's creators, group by group (group sizes by largest remainder of the shares)."""
    shares = np.array([group.share for group in spec.groups])
    sizes = np.floor(shares * spec.count).astype(int)
    remainder = shares * spec.count - sizes
    sizes[np.argsort(-remainder, kind="stable")[: spec.count - sizes.sum()]] += 1
    spread = spec.posting_spread
    creators = []
    for number, (group, size) in enumerate(zip(spec.groups, sizes, strict=True)):
        skills = rng.normal(group.skill_mean, group.skill_sd, size)
        niches = rng.integers(n_niches, size=size)
        rates = spec.posts_per_day * rng.lognormal(-(spread**2) / 2, spread, size)
        on = list(group.platforms or platforms)
        for skill, niche, rate in zip(skills, niches, rates, strict=True):
            creators.append(
                Creator(
                    model, len(creators), group.name, number, int(niche), float(skill), float(rate), on,
                    strategies_of(group, on),
                )
            )  # fmt: skip
    return creators
