"""Brands and partnerships: engagement rate as currency.

A brand (a Mesa agent) has a niche, a target audience (age bands and regions), a monthly budget,
and may buy the authenticity audit. Every ``shopping_interval_days`` it prices the creators of its
niche with the rate card (:func:`price`: reach x engagement, so a small creator with high
engagement can out-price a large one with low engagement), values each as

    expected views per video x engagement per view x audience match x authenticity

(authenticity = 1 - audit score for brands that audit, 1 for those that take displayed numbers at
face value; audited brands also skip creators the audit flags), and signs the best value per unit
of price while its budget lasts. A signed creator posts a sponsored video at once; it goes through
the same feed and ranking as any other (brands shop on one platform, ``brands.platform``). Each
human viewer in the brand's target who engages with
it (like, comment or share) converts with ``conversion_rate``; bots are never shown videos, so
they never convert. Return on spend = conversions x ``conversion_value`` / price.
"""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

from sim.scenario import Brands, RateCard, Scenario
from sim.tables import Table
from sim.viewers import Reactions, Viewers

DEAL_COLUMNS = {
    "brand": np.int32,
    "creator": np.int32,
    "video": np.int64,
    "day": np.int32,
    "price": np.float64,
    "followers": np.int64,
    "engagement_per_view": np.float64,
    "audience_match": np.float64,
    "audit_score": np.float64,
    "impressions": np.int64,
    "engagements": np.int64,
    "matching_engagements": np.int64,
    "conversions": np.int64,
}


def price(followers: np.ndarray, engagement_per_view: np.ndarray, card: RateCard) -> np.ndarray:
    """The rate card: what each creator charges for one sponsored video."""
    reach = card.per_1000_followers * np.asarray(followers) / 1000
    engagement = (np.asarray(engagement_per_view) / card.reference_engagement) ** card.engagement_exponent
    return np.maximum(card.minimum, reach * engagement)


class Brand(mesa.Agent):
    """A brand looking for creators.

    Attributes:
        index: position in the model's brand list.
        niche: index of the niche it sells in.
        target_bands, target_regions: boolean masks over the scenario's age bands and regions.
        audits: whether it runs the authenticity audit before signing.
        spend: total paid to creators; ``period_spend`` within the current 30 days.
    """

    def __init__(self, model, index, niche, target_bands, target_regions, audits):
        super().__init__(model)
        self.index = index
        self.niche = niche
        self.target_bands = target_bands
        self.target_regions = target_regions
        self.audits = audits
        self.spend = 0.0
        self.period_spend = 0.0
        self._period = 0

    @property
    def kind(self) -> str:
        """'audited' or 'unaudited'."""
        return "audited" if self.audits else "unaudited"

    def shops_today(self, hour: float, spec: Brands, days: int) -> bool:
        """Whether this hour is one of the brand's shopping moments (midnight of a shopping day)."""
        day, hour_of_day = divmod(hour, 24)
        if (
            hour_of_day
            or day == 0
            or day % spec.shopping_interval_days
            or days - day < spec.last_signing_days
        ):
            return False
        if day // 30 != self._period:
            self._period, self.period_spend = int(day // 30), 0.0
        return True

    def choose(self, offers: pd.DataFrame, spec: Brands) -> list:
        """The offers the brand signs: best value per price first, while the month's budget lasts."""
        chosen = []
        for row in offers.itertuples():
            if len(chosen) == spec.deals_per_round:
                break
            if row.price <= spec.budget_per_month - self.period_spend:
                chosen.append(row)
                self.spend += row.price
                self.period_spend += row.price
        return chosen


class BrandMarket:
    """Creators' engaged audiences, the deals, and what sponsored videos bring in.

    Attributes:
        audience: (C, age bands, regions) engagements each creator got from humans of each group.
        deals: one row per deal (see :data:`DEAL_COLUMNS`).
        brand_income: (C,) what each creator has been paid by brands.
    """

    def __init__(self, spec: Brands, n_creators: int, n_bands: int, n_regions: int):
        self.spec = spec
        self.audience = np.zeros((n_creators, n_bands, n_regions), np.int64)
        self.deals = Table(DEAL_COLUMNS)
        self.brand_income = np.zeros(n_creators)
        self.target_bands = np.zeros((0, n_bands), bool)
        self.target_regions = np.zeros((0, n_regions), bool)

    def register(self, brands: list[Brand]) -> None:
        """Remember every brand's target groups (as (B, groups) masks for vectorised matching)."""
        if brands:
            self.target_bands = np.array([b.target_bands for b in brands])
            self.target_regions = np.array([b.target_regions for b in brands])

    def observe(self, viewers: Viewers, viewer: np.ndarray, creator: np.ndarray, video: np.ndarray,
                reactions: Reactions, rng) -> None:  # fmt: skip
        """Book the tick's human engagements: creators' audiences, and conversions on sponsored videos.

        Args:
            viewer, creator, video: (I,) who saw which creator's video (of the brands' platform).
        """
        engaged = reactions.engaged
        bands, regions = self.audience.shape[1:]
        cell = (creator[engaged] * bands + viewers.age_band[viewer[engaged]]) * regions + viewers.region[
            viewer[engaged]
        ]
        self.audience += np.bincount(cell, minlength=self.audience.size).reshape(self.audience.shape)
        if self.deals.size == 0:
            return
        deal = self._deal_of(video)
        shown = deal >= 0
        deals = self.deals.columns
        np.add.at(deals["impressions"], deal[shown], 1)
        hits = shown & engaged
        np.add.at(deals["engagements"], deal[hits], 1)
        brand = deals["brand"][deal[hits]]
        who = viewer[hits]
        in_bands = self.target_bands[brand, viewers.age_band[who]]
        targets = in_bands & self.target_regions[brand, viewers.region[who]]
        matching = np.flatnonzero(hits)[targets]
        np.add.at(deals["matching_engagements"], deal[matching], 1)
        converts = matching[rng.random(matching.size) < self.spec.conversion_rate]
        np.add.at(deals["conversions"], deal[converts], 1)

    def _deal_of(self, video: np.ndarray) -> np.ndarray:
        """Deal index of each impression's video, or -1 if not sponsored."""
        sponsored = self.deals["video"]
        order = np.argsort(sponsored)
        at = np.minimum(np.searchsorted(sponsored[order], video), sponsored.size - 1)
        return np.where(sponsored[order][at] == video, order[at], -1)

    def offers(
        self, brand: Brand, profile: pd.DataFrame, audited: pd.DataFrame, n_viewers: int
    ) -> pd.DataFrame:
        """The creators of the brand's niche with their price and value, best value per price first.

        Args:
            profile, audited: every creator's public profile on the brands' platform, and its audit
                (:func:`sim.audit.public_profile`, :func:`sim.audit.score`).
            n_viewers: the size of the platform (creators need ``min_views_share`` of it in views).
        """
        profile = profile.copy()
        if brand.audits:
            profile["audit_score"] = audited["score"]
            keep = audited["score"].notna() & ~audited["flagged"]
        else:
            profile["audit_score"] = np.nan
            keep = pd.Series(True, index=profile.index)
        min_views = max(self.spec.min_views_share * n_viewers, 1)
        keep &= (profile["niche"] == brand.niche) & (profile["views"] >= min_views)
        candidates = profile[keep].copy()
        engaged = candidates["displayed_likes"] + candidates["comments"] + candidates["shares"]
        candidates["engagement_per_view"] = engaged / candidates["views"]
        audience = self.audience[candidates["creator"]]
        in_target = audience[:, brand.target_bands][:, :, brand.target_regions].sum(axis=(1, 2))
        candidates["audience_match"] = in_target / np.maximum(audience.sum(axis=(1, 2)), 1)
        card = self.spec.rate_card
        candidates["price"] = price(candidates["followers"], candidates["engagement_per_view"], card)
        authenticity = 1 - candidates["audit_score"].fillna(0.0)
        # Expected engagements in the brand's target, reckoned as the rate card reckons reach.
        candidates["value"] = (
            candidates["followers"]
            * candidates["engagement_per_view"]
            * candidates["audience_match"]
            * authenticity
        )
        return candidates.assign(value_per_price=candidates["value"] / candidates["price"]).sort_values(
            "value_per_price", ascending=False, kind="stable"
        )

    def sign(self, brand: Brand, offer, video: int, day: int) -> None:
        """Close a deal: pay the creator, whose sponsored ``video`` was just posted."""
        self.brand_income[int(offer.creator)] += offer.price
        self.deals.append(
            brand=brand.index,
            creator=offer.creator,
            video=video,
            day=day,
            price=offer.price,
            followers=offer.followers,
            engagement_per_view=offer.engagement_per_view,
            audience_match=offer.audience_match,
            audit_score=offer.audit_score,
        )

    def deals_table(self, brands: list[Brand]) -> pd.DataFrame:
        """One row per deal, with its conversions and return on spend."""
        table = pd.DataFrame({name: self.deals[name] for name in DEAL_COLUMNS})
        table.insert(1, "brand_kind", [brands[b].kind for b in table["brand"]])
        table["conversion_value"] = table["conversions"] * self.spec.conversion_value
        table["return_on_spend"] = table["conversion_value"] / table["price"]
        return table

    def brands_table(self, brands: list[Brand], deals: pd.DataFrame, niches: list[str]) -> pd.DataFrame:
        """One row per brand: audits, deals, spend, reach, conversions, return."""
        per_brand = deals.groupby("brand")[["price", "impressions", "conversions", "conversion_value"]].sum()
        table = pd.DataFrame(
            {
                "brand": [b.index for b in brands],
                "kind": [b.kind for b in brands],
                "niche": [niches[b.niche] for b in brands],
                "audits": [b.audits for b in brands],
                "deals": np.bincount(deals["brand"], minlength=len(brands)),
            }
        ).join(per_brand, on="brand")
        table = table.fillna(0).rename(columns={"price": "spend", "impressions": "reach"})
        table["return_on_spend"] = table["conversion_value"] / table["spend"].where(table["spend"] > 0)
        return table


def create_brands(model: mesa.Model, spec: Scenario, rng: np.random.Generator) -> list[Brand]:
    """The scenario's brands: a random niche and target groups each; ``audited_share`` audit.

    Profiles are drawn in pairs and the audited brands are taken alternately from the pairs, so
    at an audited share of one half every audited brand has an unaudited twin (same niche, same
    targets): comparisons of the two kinds are not muddied by what they sell.
    """
    n_bands, n_regions = len(spec.viewers.age_bands), len(spec.viewers.regions)
    n_audited = round(spec.brands.audited_share * spec.brands.count)
    audits = np.zeros(spec.brands.count, bool)
    audits[np.r_[0 : spec.brands.count : 2, 1 : spec.brands.count : 2][:n_audited]] = True
    brands = []
    for index in range(spec.brands.count):
        if index % 2 == 0:
            bands = np.zeros(n_bands, bool)
            bands[rng.choice(n_bands, min(spec.brands.target_bands, n_bands), replace=False)] = True
            regions = np.zeros(n_regions, bool)
            regions[rng.choice(n_regions, min(spec.brands.target_regions, n_regions), replace=False)] = True
            niche = int(rng.integers(len(spec.niches)))
        brands.append(Brand(model, index, niche, bands.copy(), regions.copy(), audits=bool(audits[index])))
    return brands


def brand_summary(deals: pd.DataFrame) -> dict:
    """Deals, spend and return on spend of audited and unaudited brands."""
    headline = {"brand_deals": len(deals), "brand_spend": float(deals["price"].sum())}
    for kind in ("audited", "unaudited"):
        mine = deals[deals["brand_kind"] == kind]
        spend = mine["price"].sum()
        headline[f"brand_roi_{kind}"] = float(mine["conversion_value"].sum() / spend) if spend > 0 else None
    return headline
