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

from sim.scenario.base import MILLI, Section, Share, parameter, to_milli
from sim.scenario.creator_groups import STRATEGY_SECTIONS, BuyLikes, CreatorGroup, Creators, LiveGifts, Vip
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
from sim.scenario.viewing import Clock, Content, Engagement, Mood, Response, Viewers

__all__ = [
    "MILLI", "STRATEGY_SECTIONS", "Audit", "AuditWeights", "Brands", "BuyLikes", "Clock", "Content",
    "CreatorGroup", "Creators", "Engagement", "GiftResponse", "Gifts", "Integrity", "LikeFarm", "Live",
    "LiveGifts", "Mood", "MusicLab", "Pools", "Ranking", "RankingWeights", "RateCard", "Response", "Scenario",
    "Section", "Share", "SubscribeResponse", "Subscriptions", "Viewers", "Vip", "json_schema",
    "to_milli",
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
        return self

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
