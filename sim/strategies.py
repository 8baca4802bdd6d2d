"""Creator strategies: plug-ins that decide, each tick, what a creator asks of the platforms.

A strategy is registered under the name of its scenario section (``creators.groups[].buy_likes``,
...) with :func:`strategy`; :data:`STRATEGIES` is the registry. It declares what it ``needs`` from
the model (``"fans"``: fan scores of its creators are tracked) and returns *requests* (a like
order, a LIVE session, a VIP offer) that the model carries out; it never touches the model.
A creator with no strategy section is *organic*: it posts and leaves the rest to the feed.
Strategies combine: each decides in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.scenario import STRATEGY_SECTIONS, BuyLikes, LiveGifts, Vip, to_milli
from sim.videos import Videos


@dataclass(frozen=True)
class LikeOrder:
    """Buy likes for ``euros`` from ``farm`` on ``video`` of ``platform``."""

    platform: str
    video: int
    farm: str
    euros: float


@dataclass(frozen=True)
class LiveSession:
    """Go LIVE on ``platform`` until ``until_hour``."""

    platform: str
    until_hour: float


@dataclass(frozen=True)
class VipOffer:
    """Offer the VIP subscription on ``platform`` at ``price`` milli-units a month, today."""

    platform: str
    price: int


Request = LikeOrder | LiveSession | VipOffer


@dataclass(frozen=True)
class Now:
    """What a strategy may look at: the time, the generator, and its platforms' video tables."""

    hour: float
    hours_per_tick: int
    rng: np.random.Generator
    videos: dict[str, Videos]  #: the video table of each platform
    max_age_hours: dict[str, float]  #: how long a video stays a candidate on each platform
    live_platforms: frozenset[str]  #: the platforms that have LIVE rooms


class Strategy:
    """What a creator does each tick besides posting.

    Attributes:
        platforms: the platforms the strategy acts on (the group's, or the one it is aimed at).
    """

    name: ClassVar[str]
    #: What the model must keep for creators with this strategy: ``"fans"`` (fan scores).
    needs: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, spec, platforms: list[str]):
        self.spec = spec
        self.platforms = platforms

    def configure(self, spec) -> None:
        """Take the strategy's new settings (an event changed them)."""
        self.spec = spec

    def decide(self, creator: int, now: Now) -> list[Request]:
        """The creator's requests for this tick."""
        raise NotImplementedError


#: Strategy plug-ins by the name of their scenario section.
STRATEGIES: dict[str, type[Strategy]] = {}


def strategy(cls: type[Strategy]) -> type[Strategy]:
    """Register a strategy under its section name (which must be one of the scenario's sections)."""
    if cls.name not in STRATEGY_SECTIONS:
        raise ValueError(f"strategy {cls.name!r} has no scenario section (sections: {STRATEGY_SECTIONS})")
    STRATEGIES[cls.name] = cls
    return cls


@strategy
class BuyLikesStrategy(Strategy):
    """Buy likes from a farm for each new video, or for each video that stalls in its pool.

    One creator looks, on each platform it buys on, at its videos it has not bought for yet; at
    posting it buys for every new one, otherwise it waits until a video stalls (what its analytics
    show as views flat-lining). Each purchase costs ``budget_per_video`` or what is left of the
    30-day budget (shared by all platforms), if less.
    """

    name = "buy_likes"
    spec: BuyLikes

    def __init__(self, spec: BuyLikes, platforms: list[str]):
        super().__init__(spec, platforms)
        self.waiting: dict[str, list[int]] = {p: [] for p in platforms}  # own videos not bought for yet
        self._newest_seen = dict.fromkeys(platforms, -1)
        self._budget_period = -1
        self._spent_in_period = 0.0

    def decide(self, creator: int, now: Now) -> list[Request]:  # noqa: D102 (the class docstring is the rule)
        orders = []
        for platform in self.platforms:
            videos, waiting = now.videos[platform], self.waiting[platform]
            recent = videos.recent[creator]
            if recent[0] > self._newest_seen[platform]:
                waiting += sorted(int(v) for v in recent[recent > self._newest_seen[platform]])
                self._newest_seen[platform] = int(recent[0])
            if not waiting:
                continue
            if self.spec.when == "when_stalled":
                ready = [v for v in waiting if videos.columns["stalled"][v]]
            else:
                ready = list(waiting)
            for video in ready:
                waiting.remove(video)
                euros = self._affordable(now.hour)
                if euros > 0:
                    orders.append(LikeOrder(platform, video, self.spec.farm, euros))
                    self._spent_in_period += euros
            too_old = now.hour - now.max_age_hours[platform]
            self.waiting[platform] = [v for v in waiting if videos.columns["posted_hour"][v] >= too_old]
        return orders

    def _affordable(self, hour: float) -> float:
        if self.spec.budget_per_month is None:
            return self.spec.budget_per_video
        period = int(hour // (30 * 24))
        if period != self._budget_period:
            self._budget_period, self._spent_in_period = period, 0.0
        return min(self.spec.budget_per_video, self.spec.budget_per_month - self._spent_in_period)


@strategy
class LiveGiftsStrategy(Strategy):
    """Go LIVE on a schedule: each day with chance ``lives_per_week`` / 7, at ``start_hour``.

    The session lasts ``duration_hours``, on every platform of the strategy that has LIVE rooms at
    once (multistreaming); the rooms and their gifts are :mod:`sim.gifts`' business.
    """

    name = "live_gifts"
    needs = frozenset({"fans"})
    spec: LiveGifts

    def decide(self, creator: int, now: Now) -> list[Request]:  # noqa: D102 (the class docstring is the rule)
        hour_of_day = now.hour % 24
        if not hour_of_day <= self.spec.start_hour < hour_of_day + now.hours_per_tick:
            return []
        if now.rng.random() >= self.spec.lives_per_week / 7:
            return []
        until = now.hour - hour_of_day + self.spec.start_hour + self.spec.duration_hours
        return [LiveSession(p, until) for p in self.platforms if p in now.live_platforms]


@strategy
class VipStrategy(Strategy):
    """Offer a monthly VIP subscription at ``price`` to the creator's fans, once a day, on each platform."""

    name = "vip"
    needs = frozenset({"fans"})
    spec: Vip

    def decide(self, creator: int, now: Now) -> list[Request]:  # noqa: D102 (the class docstring is the rule)
        if now.hour % 24:
            return []
        return [VipOffer(p, to_milli(self.spec.price)) for p in self.platforms]


def strategies_of(group, platforms: list[str]) -> list[Strategy]:
    """The strategy plug-ins of a creator group, each aimed at its platform or the group's platforms."""
    made = []
    for name in STRATEGY_SECTIONS:
        spec = getattr(group, name)
        if spec is not None:
            made.append(STRATEGIES[name](spec, [spec.platform] if spec.platform else list(platforms)))
    return made


def needs_of(strategies: list[Strategy]) -> frozenset[str]:
    """Everything a creator's strategies need from the model."""
    return frozenset().union(*(s.needs for s in strategies))
