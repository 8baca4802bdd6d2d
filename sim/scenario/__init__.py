"""The scenario: every parameter of a likesim run, typed and documented in one place.

A scenario file (YAML) maps one-to-one onto :class:`Scenario`. Each field carries its default, its
unit and a one-line meaning; ``likesim schema`` prints the JSON Schema generated from these classes,
so editors can complete and check scenario files. Loading files (``extends:``, ``--set`` overrides,
error messages) lives in :mod:`sim.loading`. The sections live in four modules of this package,
by side of the economy: :mod:`~sim.scenario.viewing` (time, viewers, videos, the impression
decision), :mod:`~sim.scenario.creator_groups`, :mod:`~sim.scenario.platform` (ranking, integrity,
audit) and :mod:`~sim.scenario.money` (farms, gifts, LIVE, VIP, brands); every section is importable
from here.

Feature coefficients of the impression decision (:class:`Response`) are on the logit scale: a
coefficient of 0.7 multiplies the odds of the action by 2 per unit of the feature.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from sim.scenario.base import MILLI, Section, Share, check_money, parameter, to_milli
from sim.scenario.creator_groups import (
    STRATEGY_SECTIONS,
    Adaptation,
    BuyLikes,
    CreatorGroup,
    Creators,
    LiveGifts,
    Vip,
)
from sim.scenario.money import (
    Brands,
    GiftResponse,
    Gifts,
    LikeFarm,
    Live,
    RateCard,
    SubscribeResponse,
    Subscriptions,
)
from sim.scenario.musiclab import MusicLab
from sim.scenario.platform import Audit, AuditWeights, Integrity, Pools, Ranking, RankingWeights
from sim.scenario.platforms import (
    DEFAULT_PLATFORMS,
    Event,
    PlatformRules,
    profile_names,
    resolve_platforms,
    why_fixed,
)
from sim.scenario.viewing import Clock, Content, Engagement, Mood, Response, Viewers

__all__ = [
    "MILLI", "STRATEGY_SECTIONS", "Adaptation", "Audit", "AuditWeights", "Brands", "BuyLikes", "Clock",
    "Content", "CreatorGroup", "Creators", "Engagement", "Event", "GiftResponse", "Gifts", "Integrity",
    "LikeFarm", "Live", "LiveGifts", "Mood", "MusicLab", "PlatformRules", "Pools", "Ranking",
    "RankingWeights", "RateCard", "Response", "Scenario", "Section", "Share", "SubscribeResponse",
    "Subscriptions", "Viewers", "Vip", "json_schema", "profile_names", "to_milli",
]  # fmt: skip


NICHES = ("fashion", "food", "gaming", "beauty", "comedy", "sports", "music", "education")


class Scenario(Section):
    """A complete likesim scenario. YAML keys equal these field names."""

    name: str = parameter(
        "organic_growth",
        "label",
        "run name, used for the results folder: letters, digits, '-', '_' and '.' (a file name)",
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    )
    description: str = parameter("", "text", "what this scenario is for")
    seed: int = parameter(42, "integer", "random seed; same seed, same bytes", ge=0, le=2**63 - 1)
    replicates: int = parameter(
        1, "runs", "replicate runs; their seeds derive from seed (numpy SeedSequence.spawn)", ge=1, le=100_000
    )
    arms: dict[str, dict[str, Any]] = parameter(
        {}, "overrides", "named arms, each mapping dotted scenario paths to the values it uses"
    )
    sweep: dict[str, list[Any]] = parameter(
        {}, "values", "grid to sweep: dotted scenario path -> values; every combination runs"
    )
    niches: list[str] = parameter(
        list(NICHES), "names", "content niches shared by viewers, creators and videos", min_length=1
    )
    clock: Clock = Field(default_factory=Clock, description="simulated time")
    viewers: Viewers = Field(default_factory=Viewers, description="the viewer population")
    creators: Creators = Field(default_factory=Creators, description="creators and their groups")
    adaptation: Adaptation | None = Field(
        None,
        description="creators who copy better-looking peers' strategies (absent: each keeps its group's)",
    )
    content: Content = Field(default_factory=Content, description="what posted videos are like")
    engagement: Engagement = Field(default_factory=Engagement, description="the impression decision")
    ranking: Ranking = Field(default_factory=Ranking, description="the For-You ranking model")
    farms: list[LikeFarm] = parameter([LikeFarm()], "farms", "like farms creators can buy from")
    integrity: Integrity = Field(default_factory=Integrity, description="the platform's fake-like detection")
    audit: Audit = Field(default_factory=Audit, description="the authenticity audit brands can run")
    gifts: Gifts = Field(default_factory=Gifts, description="coins, gifts and diamonds")
    live: Live = Field(default_factory=Live, description="LIVE rooms")
    subscriptions: Subscriptions = Field(default_factory=Subscriptions, description="VIP subscriptions")
    brands: Brands = Field(default_factory=Brands, description="brands and their deals")
    platforms: dict[str, dict[str, Any]] = parameter(
        {},
        "name -> profile and overrides",
        "the platforms, e.g. {instagram: {profile: instagram, time_share: 0.4}}; each starts from the "
        "shared sections (ranking, integrity, gift payout, VIP share), overlaid with its profile "
        f"({', '.join(profile_names())}), then with what is given here (empty: one TikTok-like platform)",
    )
    events: list[Event] = parameter(
        [], "events", "rule changes during the run: [{day, hour, set: {dotted.path: value}, note}]"
    )
    musiclab: MusicLab | None = Field(
        None,
        description="the MusicLab experiment's design (present only in MusicLab scenarios, which "
        "`likesim musiclab` runs: creators are bands with one song each, viewers are participants)",
    )

    @model_validator(mode="after")
    def _consistent_names(self) -> Scenario:
        # Whole-scenario checks name their own dotted path (the error has no location of its own).
        if len(set(self.niches)) != len(self.niches):
            raise ValueError(f"niches: must be unique, got {self.niches}")
        farms = [farm.name for farm in self.farms]
        if len(set(farms)) != len(farms):
            raise ValueError(f"farms: names must be unique, got {farms}")
        for i, group in enumerate(self.creators.groups):
            wanted = group.buy_likes.farm if group.buy_likes else None
            if wanted is not None and wanted not in farms:
                path = f"creators.groups.{i}.buy_likes.farm"
                raise ValueError(f"{path}: expected one of {farms}, got {wanted!r}")
        names = list(self.platform_rules())
        for i, group in enumerate(self.creators.groups):
            for name in group.platforms or ():
                if name not in names:
                    raise ValueError(
                        f"creators.groups.{i}.platforms: expected names among {names}, got {name!r}"
                    )
            for section in STRATEGY_SECTIONS:
                aimed = getattr(group, section).platform if getattr(group, section) else None
                if aimed is not None and aimed not in (group.platforms or names):
                    path = f"creators.groups.{i}.{section}.platform"
                    raise ValueError(
                        f"{path}: expected one of the group's platforms {group.platforms or names}, "
                        f"got {aimed!r}"
                    )
        if self.brands.platform is not None and self.brands.platform not in names:
            raise ValueError(f"brands.platform: expected one of {names}, got {self.brands.platform!r}")
        for i, event in enumerate(self.events):
            if event.at_hour >= self.clock.days * 24:
                raise ValueError(
                    f"events.{i}.day: expected a moment within the run's {self.clock.days} days, "
                    f"got day {event.day:g}"
                )
            for path in event.set:
                reason = why_fixed(path, names)
                if reason:
                    raise ValueError(f"events.{i}.set.{path}: cannot change during a run ({reason})")
        return self

    def platform_rules(self) -> dict[str, PlatformRules]:
        """Each platform's resolved rules, in ``platforms:`` order (see :mod:`sim.scenario.platforms`)."""
        shared = {
            "ranking": self.ranking.model_dump(),
            "integrity": self.integrity.model_dump(),
            "monetization": {
                "diamonds_per_coin": self.gifts.diamonds_per_coin,
                "vip_creator_share": self.subscriptions.creator_share,
            },
        }
        rules = resolve_platforms(self.platforms or DEFAULT_PLATFORMS, shared, list(self.viewers.age_bands))
        for name, platform in rules.items():
            payout = platform.monetization.diamonds_per_coin * self.gifts.diamond_value
            check_money(payout, f"platforms.{name}.monetization.diamonds_per_coin x gifts.diamond_value")
            if payout > self.gifts.coin_price + 1e-12:
                raise ValueError(
                    f"platforms.{name}.monetization: a coin cannot pay the creator more than it costs "
                    "the viewer"
                )
        return rules

    def farm(self, name: str) -> LikeFarm:
        """The farm called ``name``."""
        return next(farm for farm in self.farms if farm.name == name)


def json_schema() -> dict:
    """The JSON Schema of scenario files (what ``likesim schema`` prints)."""
    schema = Scenario.model_json_schema()
    schema["properties"]["extends"] = {
        "type": "string",
        "description": "path of a scenario this one inherits from (relative to this file)",
    }
    return schema
