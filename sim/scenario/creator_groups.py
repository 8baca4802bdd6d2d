"""Creators, their groups, and the strategy sections a group can combine."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sim.scenario.base import Money, Section, Share, check_shares, parameter


class StrategySection(Section):
    """Base of a strategy's section: every strategy can be aimed at one platform."""

    platform: str | None = parameter(
        None, "platform name", "the platform the strategy acts on (absent: each of the group's platforms)"
    )


class BuyLikes(StrategySection):
    """The ``buy_likes`` strategy: order likes from a farm for new videos or for stalled ones."""

    farm: str = parameter("standard", "farm name", "which of the scenario's farms to buy from", min_length=1)
    budget_per_video: Money = parameter(3.0, "EUR", "spent on each video the creator buys likes for", gt=0.0)
    budget_per_month: Money | None = parameter(
        None, "EUR per 30 days", "spending cap per 30 simulated days (absent: no cap)", gt=0.0
    )
    when: Literal["at_posting", "when_stalled"] = parameter(
        "at_posting",
        "rule",
        "buy right after posting, or only once a video stalls in its traffic pool",
    )


class LiveGifts(StrategySection):
    """The ``live_gifts`` strategy: go LIVE on a schedule and collect gifts from the room."""

    lives_per_week: float = parameter(4.0, "sessions/week", "how often the creator goes LIVE", gt=0.0, le=7.0)
    start_hour: int = parameter(20, "hour of day", "when a LIVE session starts", ge=0, le=23)
    duration_hours: int = parameter(2, "hours", "how long a LIVE session lasts", ge=1, le=24)


class Vip(StrategySection):
    """The ``vip`` strategy: offer a monthly VIP subscription to the creator's fans."""

    price: Money = parameter(4.99, "currency/month", "monthly subscription price", gt=0.0)


class CreatorGroup(Section):
    """A group of creators sharing a strategy and a skill distribution."""

    name: str = parameter("organic", "label", "group name used in outputs and plots", min_length=1)
    share: Share = parameter(1.0, "share of creators", "share of all creators in this group")
    skill_mean: float = parameter(
        0.0, "quality units", "mean creator skill (mean video quality)", ge=-10, le=10
    )
    skill_sd: float = parameter(1.0, "quality units", "spread of skill between creators", ge=0.0, le=10)
    buy_likes: BuyLikes | None = Field(
        None, description="buy likes from a like farm (absent: the group never buys)"
    )
    live_gifts: LiveGifts | None = Field(None, description="go LIVE for gifts (absent: never LIVE)")
    vip: Vip | None = Field(None, description="sell VIP subscriptions (absent: no VIP offer)")
    platforms: list[str] | None = parameter(
        None,
        "platform names",
        "platforms the group posts on, every video on each (absent: all)",
        min_length=1,
    )

    @property
    def strategy(self) -> str:
        """The group's strategies joined by '+', or 'organic' when it only posts."""
        used = [name for name in STRATEGY_SECTIONS if getattr(self, name) is not None]
        return "+".join(used) or "organic"


#: Strategy sections of a creator group (the fields holding a :class:`StrategySection`), in the
#: order their names are joined; each has its behaviour registered in :data:`sim.strategies.STRATEGIES`.
STRATEGY_SECTIONS = tuple(
    name
    for name, field in CreatorGroup.model_fields.items()
    if any(
        isinstance(t, type) and issubclass(t, StrategySection)
        for t in getattr(field.annotation, "__args__", ())
    )
)


class Adaptation(Section):
    """Creators who learn: every few days each compares its payoff with a few peers' and may copy one.

    The rule, its payoffs and what a creator can observe of its peers are in :mod:`sim.adaptation`.
    """

    interval_days: int = parameter(
        7, "days", "how often creators compare payoffs (the window)", ge=1, le=3650
    )
    payoff: Literal["followers", "engagement", "income", "profit"] = parameter(
        "profit",
        "rule",
        "what a creator compares over the last window: followers gained, engagement per view, "
        "income (gifts, VIP, brand deals) or profit (income minus like spend)",
    )
    observe: Literal["niche", "feed"] = parameter(
        "niche",
        "rule",
        "whom a creator sees: creators of its own niche (uniformly), or creators as its feed shows "
        "them (in proportion to their views in the window, every niche)",
    )
    peers: int = parameter(
        3, "creators", "peers a creator looks at each time (it compares with the best-looking)", ge=1, le=100
    )
    intensity: float = parameter(
        2.0,
        "per sd of payoff",
        "how strongly a better-looking peer is copied: probability tanh(intensity x gap / 2), with the gap "
        "in standard deviations of the window's payoffs (0: nobody copies)",
        ge=0.0,
        le=100,
    )
    exploration: Share = parameter(
        0.01, "share per comparison", "chance of trying a random group's strategy instead of comparing"
    )


class Creators(Section):
    """Creators (Mesa agents): how many, in which groups, how often they post."""

    count: int = parameter(200, "creators", "number of creators", ge=1, le=1_000_000)
    groups: list[CreatorGroup] = parameter(
        [CreatorGroup()], "groups", "creator groups; shares sum to 1", min_length=1
    )
    posts_per_day: float = parameter(0.7, "videos/day", "mean posting rate of a creator", gt=0.0, le=100)
    posting_spread: float = parameter(
        0.5, "lognormal sigma", "heterogeneity of posting rates between creators", ge=0.0, le=5
    )
    initial_follows_per_viewer: float = parameter(
        60.0,
        "creators",
        "follows a viewer has made on average before the run, counting those that have gone quiet; "
        "with 200 creators and 10,000 viewers a creator starts with about 1,500 followers on average "
        "(per viewer, so a larger platform with as many viewers per creator starts as far along)",
        ge=0.0,
        le=10_000,
    )
    initial_followers_spread: float = parameter(
        1.5,
        "lognormal sigma",
        "inequality of the rate at which creators gained followers before the run (their initial "
        "counts also differ by account age)",
        ge=0.0,
        le=5,
    )
    account_age_days: float = parameter(
        730.0, "days", "median time creators have been on the platform when the run starts", ge=0.0, le=36500
    )
    account_age_spread: float = parameter(
        1.2,
        "lognormal sigma",
        "inequality of account ages: an older account has gathered more followers, and more of them "
        "have gone quiet",
        ge=0.0,
        le=5,
    )
    follower_half_life_days: float = parameter(
        365.0,
        "days",
        "after this long, half of the people who followed a creator no longer see its videos (they left "
        "the app or follow too many others); they still count as followers",
        gt=0.0,
        le=36500,
    )

    @model_validator(mode="after")
    def _group_shares(self) -> Creators:
        names = [group.name for group in self.groups]
        if len(set(names)) != len(names):
            raise ValueError(f"group names must be unique, got {names}")
        check_shares({g.name: g.share for g in self.groups}, "group shares")
        return self
