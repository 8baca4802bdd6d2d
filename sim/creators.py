"""Creators: Mesa agents that post videos and follow a strategy.

A strategy is a plug-in: a small class registered in :data:`STRATEGIES` under the name a scenario
uses (``creators.groups[].strategy``). Later mechanisms (buying likes, going LIVE, selling VIP)
add strategies here without touching the model's tick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import mesa
import numpy as np

if TYPE_CHECKING:
    from sim.model import LikeEconomy


class Strategy:
    """What a creator does each tick besides posting; the base class is plain organic posting."""

    name: ClassVar[str] = "organic"

    def act(self, creator: Creator) -> None:
        """Act for one tick (after posting). Organic creators leave the rest to the feed."""


STRATEGIES: dict[str, type[Strategy]] = {Strategy.name: Strategy}


class Creator(mesa.Agent):
    """A creator account.

    Attributes:
        index: position of the creator in the model's per-creator arrays (follower counts).
        group: name of the scenario group it belongs to.
        niche: index of the niche it posts in.
        skill: mean quality of its videos (sd units).
        posts_per_day: its own posting rate.
        strategy: its :class:`Strategy` instance.
    """

    model: LikeEconomy

    def __init__(self, model, index, group, niche, skill, posts_per_day, strategy):
        super().__init__(model)
        self.index = index
        self.group = group
        self.niche = niche
        self.skill = skill
        self.posts_per_day = posts_per_day
        self.strategy = strategy

    @property
    def followers(self) -> int:
        """Current follower count (kept by the follow graph)."""
        return int(self.model.follows.followers[self.index])

    def step(self) -> None:
        """Post a Poisson number of videos this tick, then act on the strategy."""
        rate = self.posts_per_day / self.model.spec.clock.ticks_per_day
        for _ in range(self.model.rng.poisson(rate)):
            self.model.post_video(self)
        self.strategy.act(self)


def create_creators(model: LikeEconomy) -> list[Creator]:
    """The scenario's creators, group by group (group sizes by largest remainder of the shares)."""
    spec = model.spec.creators
    rng = model.rng
    shares = np.array([group.share for group in spec.groups])
    sizes = np.floor(shares * spec.count).astype(int)
    remainder = shares * spec.count - sizes
    sizes[np.argsort(-remainder, kind="stable")[: spec.count - sizes.sum()]] += 1
    spread = spec.posting_spread
    creators = []
    for group, size in zip(spec.groups, sizes, strict=True):
        skills = rng.normal(group.skill_mean, group.skill_sd, size)
        niches = rng.integers(len(model.spec.niches), size=size)
        rates = spec.posts_per_day * rng.lognormal(-(spread**2) / 2, spread, size)
        for skill, niche, rate in zip(skills, niches, rates, strict=True):
            creators.append(
                Creator(
                    model,
                    len(creators),
                    group.name,
                    int(niche),
                    float(skill),
                    float(rate),
                    STRATEGIES[group.strategy](),
                )
            )
    return creators
