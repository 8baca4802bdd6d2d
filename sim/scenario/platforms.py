"""Platforms: the rules that differ between platforms, shipped profiles, and the events timeline.

A scenario's ``platforms:`` maps a name to a profile plus overrides. A platform's rules are the
scenario's shared sections (``ranking``, ``integrity``, the gift payout and VIP share) overlaid
with its profile (``sim/profiles/<profile>.yaml``), overlaid with the scenario's own overrides for
that platform; :func:`resolve_platforms` does the overlay, so a change to a shared section (an
arm, a sweep, an event) reaches every platform that does not set that value itself.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError

from sim.documents import merge
from sim.scenario.base import Section, Share, coefficient, parameter, unknown_key_hint
from sim.scenario.creator_groups import STRATEGY_SECTIONS
from sim.scenario.platform import Integrity, Ranking

#: The platform of a scenario that does not name any: today's TikTok-like platform.
DEFAULT_PLATFORMS: dict[str, dict[str, Any]] = {"tiktok": {"profile": "tiktok"}}


class ActionOffsets(Section):
    """Logit shifts of each response on this platform (0: the shared impression decision as it is)."""

    play: float = coefficient(0.0, "logit", "shift of P(play), i.e. of not swiping away")
    watch: float = coefficient(0.0, "logit", "shift of the share watched")
    like: float = coefficient(0.0, "logit", "shift of P(like)")
    comment: float = coefficient(0.0, "logit", "shift of P(comment)")
    share: float = coefficient(0.0, "logit", "shift of P(share) (sends, reposts)")
    follow: float = coefficient(0.0, "logit", "shift of P(follow)")


class Monetization(Section):
    """What the platform pays creators: LIVE gifts (if it has them) and its share of VIP subscriptions."""

    live_gifts: bool = parameter(True, "yes/no", "the platform has LIVE rooms with gifts")
    diamonds_per_coin: float = parameter(
        0.5, "diamonds/coin", "diamonds a creator gets per coin gifted here", gt=0.0, le=1e7
    )
    vip_creator_share: Share = parameter(0.5, "share of price", "what the creator keeps of a subscription")


class PlatformRules(Section):
    """Everything that differs between platforms (one platform's resolved rules)."""

    profile: str = parameter(
        "tiktok", "profile name", "shipped profile the platform starts from (sim/profiles/<name>.yaml)"
    )
    time_share: float | dict[str, Share] = parameter(
        1.0,
        "share of scrolling time",
        "share of each viewer's sessions spent here: one number, or one per age band (shares of all "
        "platforms sum to 1 for every age band)",
    )
    ranker: Literal["per_view", "per_impression"] = parameter(
        "per_view",
        "ranker name",
        "ranking class (sim.ranking.RANKERS): 'per_view' estimates each rate per view (TikTok's Algo "
        "101), 'per_impression' per impression (Instagram's 'per reach', X's heavy ranker)",
    )
    likes_shown: bool = parameter(True, "yes/no", "viewers see like counts (false: no social proof)")
    ranking: Ranking = Field(default_factory=Ranking, description="feed composition, score weights and pools")
    integrity: Integrity = Field(default_factory=Integrity, description="fake-like detection")
    offsets: ActionOffsets = Field(default_factory=ActionOffsets, description="how readily viewers act here")
    monetization: Monetization = Field(default_factory=Monetization, description="gift payout and VIP share")

    def shares_by_band(self, bands: list[str]) -> list[float]:
        """The platform's time share for each age band, in the order of ``bands``."""
        if isinstance(self.time_share, dict):
            return [self.time_share.get(band, 0.0) for band in bands]
        return [self.time_share] * len(bands)


@cache
def profile_names() -> list[str]:
    """Names of the shipped platform profiles."""
    folder = resources.files("sim") / "profiles"
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def profile(name: str) -> dict[str, Any]:
    """The shipped profile ``name``: overrides of the shared sections, as a nested mapping."""
    if name not in profile_names():
        raise ValueError(f"profile: expected one of {profile_names()}, got {name!r}")
    return _profile_text(name)


@cache
def _profile_text(name: str) -> dict[str, Any]:
    text = (resources.files("sim") / "profiles" / f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def resolve_platforms(
    entries: dict[str, dict[str, Any]], shared: dict[str, Any], bands: list[str]
) -> dict[str, PlatformRules]:
    """Each platform's rules: the shared sections, overlaid with its profile, then with its entry.

    Args:
        entries: the scenario's ``platforms:`` (name -> profile and overrides).
        shared: the scenario's shared sections as plain data (``ranking``, ``integrity``, and
            ``monetization``).
        bands: the viewers' age bands (time shares must sum to 1 in each).

    Raises:
        ValueError: naming ``platforms.<name>.<path>`` and what was expected.
    """
    rules = {}
    for name, entry in entries.items():
        if not isinstance(entry, dict):
            raise ValueError(f"platforms.{name}: expected a mapping (profile: ..., overrides), got {entry!r}")
        try:
            chosen = profile(entry.get("profile", "tiktok"))
        except ValueError as error:
            raise ValueError(f"platforms.{name}.{error}") from None
        try:
            rules[name] = PlatformRules.model_validate(merge(merge(shared, chosen), entry))
        except ValidationError as error:
            first = error.errors()[0]
            path = ".".join(str(part) for part in first["loc"])
            if first["type"] == "extra_forbidden":
                hint = unknown_key_hint(tuple(first["loc"]), PlatformRules)
                raise ValueError(f"platforms.{name}.{path}: unknown key ({hint})") from None
            raise ValueError(f"platforms.{name}.{path}: {first['msg']}") from None
    for band_index, band in enumerate(bands):
        total = sum(r.shares_by_band(bands)[band_index] for r in rules.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(
                f"platforms: time shares must sum to 1 for every age band, got {total:.6g} for {band!r}"
            )
    for name, platform_rules in rules.items():
        unknown = (
            set(platform_rules.time_share) - set(bands) if isinstance(platform_rules.time_share, dict) else ()
        )
        if unknown:
            raise ValueError(
                f"platforms.{name}.time_share: unknown age bands {sorted(unknown)}; bands: {bands}"
            )
    return rules


class Event(Section):
    """A change of rules at one moment; the new values hold for the rest of the run."""

    day: Annotated[float, Field(ge=0.0, le=3650)] = parameter(0.0, "day", "day of the run it happens on")
    hour: int = parameter(0, "hour of day", "hour of that day it happens at", ge=0, le=23)
    set: dict[str, Any] = parameter(
        {}, "dotted path -> value", "what changes, e.g. {platforms.tiktok.likes_shown: false}", min_length=1
    )
    note: str = parameter("", "text", "what the change stands for (shown on plots and in the report)")

    @property
    def at_hour(self) -> float:
        """Simulated hour from the start of the run at which the change takes effect."""
        return self.day * 24 + self.hour


#: Paths an event may not change, and why: what was drawn or sized once at the start of the run.
FIXED_PATHS = {
    "name": "it names the run",
    "description": "it describes the run",
    "seed": "the random stream is set at the start",
    "replicates": "it belongs to the experiment, not to a run",
    "arms": "it belongs to the experiment, not to a run",
    "sweep": "it belongs to the experiment, not to a run",
    "events": "events cannot add events",
    "musiclab": "it belongs to MusicLab scenarios",
    "niches": "niches are fixed at the start",
    "clock": "the clock is fixed for the whole run",
    "viewers": "the viewer population is drawn at the start",
    "creators": "creators and their groups are drawn at the start (strategy settings can change: "
    "creators.groups.N.<strategy>.<field>)",
    "gifts.gifter_share": "who gifts is drawn at the start",
    "gifts.generosity_spread": "generosity is drawn at the start",
    "integrity.human_flagged_share": "which human accounts look like bots is drawn at the start",
    "brands.count": "brands are created at the start",
    "brands.audited_share": "brands are created at the start",
    "brands.target_bands": "brand targets are drawn at the start",
    "brands.target_regions": "brand targets are drawn at the start",
    "brands.platform": "brands shop on one platform for the whole run",
    "farms": "farms and their bot accounts are created at the start (prices and delivery can change: "
    "farms.N.price_per_1000, within_24h, fill_share, drop_off_per_day)",
}
#: Exceptions inside fixed sections: settings read afresh each time they are used.
CHANGEABLE_WITHIN_FIXED = (
    "viewers.social_proof_limit",
    "viewers.mood.",
    "viewers.videos_per_session",
    "farms.*.price_per_1000",
    "farms.*.within_24h",
    "farms.*.fill_share",
    "farms.*.drop_off_per_day",
    *(f"creators.groups.*.{strategy}" for strategy in STRATEGY_SECTIONS),
)


def _matches(path: str, pattern: str) -> bool:
    parts, wanted = path.split("."), pattern.rstrip(".").split(".")
    if len(parts) < len(wanted):
        return False
    return all(w == "*" or w == p for w, p in zip(wanted, parts, strict=False))


def why_fixed(path: str, platform_names: list[str]) -> str | None:
    """Why ``path`` cannot change during a run, or None if it can."""
    parts = path.split(".")
    if parts[0] == "platforms":
        if len(parts) < 3 or parts[1] not in platform_names:
            return f"names no setting of a platform of this scenario ({', '.join(platform_names)})"
        if parts[2] == "profile":
            return "a platform's profile is chosen at the start (change its settings instead)"
        return None
    if any(_matches(path, pattern) for pattern in CHANGEABLE_WITHIN_FIXED):
        return None
    for fixed, reason in FIXED_PATHS.items():
        if _matches(path, fixed):
            return reason
    return None
