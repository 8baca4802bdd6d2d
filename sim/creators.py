"""Creators: Mesa agents that post videos and follow their group's strategies.

A strategy is a plug-in: a small class registered in :data:`STRATEGIES` under the name of its
scenario section (``creators.groups[].buy_likes``, ...). A creator with no strategy section is
*organic*: it posts and leaves the rest to the feed. Strategies combine: each acts in turn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import mesa
import numpy as np

from sim.scenario import STRATEGY_SECTIONS, BuyLikes, LiveGifts, Vip, to_milli

if TYPE_CHECKING:
    from sim.model import LikeEconomy


class Strategy:
    """What a creator does each tick besides posting."""

    name: ClassVar[str]

    def act(self, creator: Creator) -> None:
        """Act for one tick, after posting."""
        raise NotImplementedError


class BuyLikesStrategy(Strategy):
    """Buy likes from a farm for each new video, or for each video that stalls in its pool.

    One creator looks at its videos it has not bought for yet; at posting it buys for every new
    one, otherwise it waits until a video stalls (what its analytics show as views flat-lining).
    Each purchase costs ``budget_per_video`` or what is left of the 30-day budget, if less.
    """

    name = "buy_likes"

    def __init__(self, spec: BuyLikes):
        self.spec = spec
        self.waiting: list[int] = []  # own videos not bought for yet
        self._newest_seen = -1
        self._budget_period = -1
        self._spent_in_period = 0.0

    def act(self, creator: Creator) -> None:  # noqa: D102 (the class docstring is the rule)
        model = creator.model
        videos = model.videos
        recent = videos.recent[creator.index]
        if recent[0] > self._newest_seen:
            self.waiting += sorted(int(v) for v in recent[recent > self._newest_seen])
            self._newest_seen = int(recent[0])
        if not self.waiting:
            return
        if self.spec.when == "when_stalled":
            ready = [v for v in self.waiting if videos.columns["stalled"][v]]
        else:
            ready = list(self.waiting)
        for video in ready:
            self.waiting.remove(video)
            euros = self._affordable(model.hour)
            if euros > 0:
                farm = model.market.farm_index(self.spec.farm)
                model.market.order(creator.index, video, farm, euros, model.hour, model.rng)
                creator.spend += euros
                self._spent_in_period += euros
        too_old = model.hour - model.spec.ranking.max_age_days * 24
        self.waiting = [v for v in self.waiting if videos.columns["posted_hour"][v] >= too_old]

    def _affordable(self, hour: float) -> float:
        if self.spec.budget_per_month is None:
            return self.spec.budget_per_video
        period = int(hour // (30 * 24))
        if period != self._budget_period:
            self._budget_period, self._spent_in_period = period, 0.0
        return min(self.spec.budget_per_video, self.spec.budget_per_month - self._spent_in_period)


class LiveGiftsStrategy(Strategy):
    """Go LIVE on a schedule: each day with chance ``lives_per_week`` / 7, at ``start_hour``.

    The session lasts ``duration_hours``; the room and its gifts are :mod:`sim.gifts`' business.
    """

    name = "live_gifts"

    def __init__(self, spec: LiveGifts):
        self.spec = spec

    def act(self, creator: Creator) -> None:  # noqa: D102 (the class docstring is the rule)
        model = creator.model
        hour_of_day = model.hour % 24
        if hour_of_day <= self.spec.start_hour < hour_of_day + model.spec.clock.hours_per_tick:
            if model.rng.random() < self.spec.lives_per_week / 7:
                start = model.hour - hour_of_day + self.spec.start_hour
                model.live.go_live(creator.index, start + self.spec.duration_hours)


class VipStrategy(Strategy):
    """Offer a monthly VIP subscription at ``price`` to the creator's fans, once a day."""

    name = "vip"

    def __init__(self, spec: Vip):
        self.price = to_milli(spec.price)

    def act(self, creator: Creator) -> None:  # noqa: D102 (the class docstring is the rule)
        model = creator.model
        if model.hour % 24 == 0:
            model.subscriptions.offer(
                creator.index, self.price, model.hour, model.fans, model.live.generosity, model.rng
            )


#: Strategy plug-ins by the name of their scenario section (:data:`~sim.scenario.STRATEGY_SECTIONS`).
STRATEGIES: dict[str, type[Strategy]] = {
    strategy.name: strategy for strategy in (BuyLikesStrategy, LiveGiftsStrategy, VipStrategy)
}


class Creator(mesa.Agent):
    """A creator account.

    Attributes:
        index: position of the creator in the model's per-creator arrays (follower counts).
        group: name of the scenario group it belongs to.
        niche: index of the niche it posts in.
        skill: mean quality of its videos (sd units).
        posts_per_day: its own posting rate.
        strategies: its :class:`Strategy` instances (empty: organic).
        spend: currency spent so far (on bought likes).
    """

    model: LikeEconomy

    def __init__(self, model, index, group, niche, skill, posts_per_day, strategies):
        super().__init__(model)
        self.index = index
        self.group = group
        self.niche = niche
        self.skill = skill
        self.posts_per_day = posts_per_day
        self.strategies = strategies
        self.spend = 0.0

    @property
    def strategy(self) -> str:
        """The creator's strategies joined by '+', or 'organic'."""
        return "+".join(s.name for s in self.strategies) or "organic"

    def strategies_include(self, *names: str) -> bool:
        """Whether the creator follows any of the strategies ``names``."""
        return any(s.name in names for s in self.strategies)

    @property
    def followers(self) -> int:
        """Current follower count (kept by the follow graph)."""
        return int(self.model.follows.followers[self.index])

    def step(self) -> None:
        """Act on each strategy (posting is vectorised over all creators in the model)."""
        for strategy in self.strategies:
            strategy.act(self)


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
                    [
                        STRATEGIES[name](getattr(group, name))
                        for name in STRATEGY_SECTIONS
                        if getattr(group, name) is not None
                    ],
                )
            )
    return creators
