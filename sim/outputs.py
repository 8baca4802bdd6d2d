"""What a finished model hands over: every output table and the headline numbers.

This is the one place that reads the model's state after a run; each table's rows and columns
are documented in :mod:`sim.results` (the run folder). :class:`RunResult` holds them, and
:class:`PlannedRun` names one run of an experiment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim import audit, farms, integrity
from sim.brands import brand_summary, price
from sim.metrics import creators_table, gini, match_controls, summary, top_share, videos_table
from sim.model import LikeEconomy
from sim.scenario import MILLI, Scenario


@dataclass
class RunResult:
    """Everything one run produced (what a run folder holds, as DataFrames).

    Attributes:
        scenario: the fully resolved scenario that ran.
        timeseries: one row per simulated day.
        creators: one row per creator at the end.
        videos: one row per posted video.
        creators_daily: long table of every creator's followers and likes per day.
        survival: survival curve of bought likes by age in days (Kaplan-Meier).
        audit: the authenticity audit of every creator at the end, with the ground truth
            (``bought``) joined for evaluation.
        ledger: daily totals of the gift and VIP books (coins, money in currency units).
        gifters: one row per viewer who sent gifts.
        brands: one row per brand; deals: one row per brand deal.
        platforms: one row per platform per day; creator_platforms: one row per creator on each
            of its platforms; events: one row per event that took effect.
        strategy_shares: share of creators per strategy on each platform, each day (day 0 = start);
            switches: one row per strategy a creator took up (:mod:`sim.adaptation`); payoffs: each
            strategy's mean payoff over each comparison window, as displayed and as it was.
        summary: headline numbers, including ``wall_seconds``.
    """

    scenario: Scenario
    timeseries: pd.DataFrame
    creators: pd.DataFrame
    videos: pd.DataFrame
    creators_daily: pd.DataFrame
    survival: pd.DataFrame
    audit: pd.DataFrame
    ledger: pd.DataFrame
    gifters: pd.DataFrame
    brands: pd.DataFrame
    deals: pd.DataFrame
    platforms: pd.DataFrame
    creator_platforms: pd.DataFrame
    events: pd.DataFrame
    strategy_shares: pd.DataFrame
    switches: pd.DataFrame
    payoffs: pd.DataFrame
    summary: dict = field(default_factory=dict)

    @property
    def has_buyers(self) -> bool:
        """Whether any creator bought likes in this run."""
        return bool((self.creators["like_spend"] > 0).any())

    @property
    def has_gifts_or_vip(self) -> bool:
        """Whether any viewer bought coins or a VIP subscription in this run."""
        return bool(self.summary["coins_purchased"] or self.summary["vip_payments"])

    @property
    def adapts(self) -> bool:
        """Whether creators could copy each other's strategies in this run."""
        return self.scenario.adaptation is not None or len(self.switches) > 0

    @property
    def has_brand_deals(self) -> bool:
        """Whether any brand signed a creator in this run."""
        return bool(self.summary["brand_deals"])


@dataclass(frozen=True)
class PlannedRun:
    """One run of an experiment: which arm, which replicate, the exact scenario it runs."""

    arm: str
    replicate: int
    scenario: Scenario
    point: tuple[tuple[str, object], ...] = ()  #: sweep coordinates (path, value)

    @property
    def folder(self) -> str:
        """Where the run's folder goes, relative to the experiment folder."""
        return f"runs/{self.arm}/rep-{self.replicate:03d}"


def tables(model: LikeEconomy) -> dict:
    """Every table of the run folder (as DataFrames) and ``summary``, from a model that has run."""
    spec, platforms, creators = model.spec, model.platforms, model.creator_list
    names = [p.name for p in platforms]
    groups = [c.group for c in creators]
    videos = videos_table([p.videos for p in platforms], names, groups, spec.niches)
    start = model.log.followers_start()
    per_platform = [_per_creator(model, p) for p in platforms]
    all_creators = creators_table(
        creators, spec.niches, videos, sum(start), sum(p.follows.followers for p in platforms),
        {name: sum(extra[name] for extra in per_platform) for name in per_platform[0]},
    )  # fmt: skip
    creator_platforms = pd.concat(
        [
            creators_table(creators, spec.niches, videos[videos["platform"] == p.name], start[p.index],
                           p.follows.followers, extra)
            .assign(platform=p.name)
            .loc[p.present]
            for p, extra in zip(platforms, per_platform, strict=True)
        ],
        ignore_index=True,
    )  # fmt: skip
    deals = model.brand_market.deals_table(model.brand_list)
    audited = _audit(model)
    bought = all_creators["bought_likes"].to_numpy() > 0
    audited["bought"] = bought
    all_creators["audit_score"] = audited["score"]
    all_creators["audit_flagged"] = audited["flagged"]
    all_creators.insert(
        all_creators.columns.get_loc("strategy") + 1,
        "strategy_start",
        all_creators["group"].map({group.name: group.strategy for group in spec.creators.groups}),
    )
    all_creators["control"] = match_controls(all_creators)
    all_creators["price"] = price(
        all_creators["followers"], all_creators["engagement_per_view"], spec.brands.rate_card
    )
    all_creators["brand_deals"] = np.bincount(deals["creator"], minlength=len(all_creators))
    markets = [p.market for p in platforms]
    market = farms.summary(markets, model.hour)
    headline = {
        **summary(videos, all_creators, model.log),
        **market,
        **integrity.summary([p.integrity for p in platforms], market["bought_likes_delivered"]),
        **audit.evaluate(audited, bought),
        **model.ledger.summary(sum(p.subscriptions.count for p in platforms)),
        **brand_summary(deals),
        **_gift_income_inequality(all_creators),
        **_imitation(switches := switches_table(model), payoffs := payoffs_table(model)),
        **_quality_watched(model.log.timeseries()),
    }
    return {
        "timeseries": model.log.timeseries(),
        "creators": all_creators,
        "videos": videos,
        "creators_daily": model.log.creators_daily(groups),
        "survival": farms.survival_table(markets),
        "audit": audited,
        "ledger": model.ledger.table(),
        "gifters": model.ledger.gifters(model.gifters.generosity),
        "brands": model.brand_market.brands_table(model.brand_list, deals, spec.niches),
        "deals": deals,
        "platforms": model.log.platforms_table(),
        "creator_platforms": creator_platforms,
        "events": events_table(model),
        "strategy_shares": pd.DataFrame(model.strategy_rows, columns=SHARE_COLUMNS),
        "switches": switches,
        "payoffs": payoffs,
        "summary": headline,
    }


#: Columns of ``strategy_shares.csv``, ``switches.csv`` and ``payoffs.csv``.
PAYOFF_COLUMNS = ["day", "strategy", "creators", "payoff", "observed", "true"]
SHARE_COLUMNS = ["day", "platform", "strategy", "creators", "share"]
SWITCH_COLUMNS = [
    "day", "creator", "group", "from_strategy", "to_strategy", "copied_group", "peer", "observed_gap",
    "true_gap",
]  # fmt: skip


def switches_table(model: LikeEconomy) -> pd.DataFrame:
    """One row per strategy a creator took up (empty, with its columns, when nobody switched)."""
    return pd.DataFrame(model.switch_rows, columns=SWITCH_COLUMNS)


def payoffs_table(model: LikeEconomy) -> pd.DataFrame:
    """Each strategy's mean payoff per comparison window (empty, with its columns, without adaptation)."""
    return pd.DataFrame(model.payoff_rows, columns=PAYOFF_COLUMNS)


def _imitation(switches: pd.DataFrame, payoffs: pd.DataFrame) -> dict:
    """How many switched, how often a copy only looked better, and the first and last window's payoffs.

    The payoffs are the mean true payoff per creator over each window: did creators end better off?
    """
    copied = switches[switches["peer"] >= 0]
    windows = payoffs.assign(total=payoffs["true"] * payoffs["creators"]).groupby("day")
    by_window = windows["total"].sum() / windows["creators"].sum()
    return {
        "strategy_switches": len(switches),
        "switches_fooled_share": float((copied["true_gap"] <= 0).mean()) if len(copied) else None,
        "payoff_first_window": float(by_window.iloc[0]) if len(by_window) else None,
        "payoff_last_window": float(by_window.iloc[-1]) if len(by_window) else None,
    }


def _quality_watched(timeseries: pd.DataFrame) -> dict:
    """Mean quality of the videos viewers watched in the first and the last week (views-weighted)."""
    week = max(min(7, len(timeseries) // 2), 1)

    def mean(days: pd.DataFrame) -> float:
        return float((days["quality_viewed"] * days["views"]).sum() / max(days["views"].sum(), 1))

    return {
        "quality_viewed_first_week": mean(timeseries.iloc[:week]),
        "quality_viewed_last_week": mean(timeseries.iloc[-week:]),
    }


def _gift_income_inequality(creators: pd.DataFrame) -> dict:
    """How unequally gift income falls among the creators who go LIVE (None without any)."""
    income = creators.loc[creators["strategy"].str.contains("live_gifts"), "gift_income"]
    if income.sum() <= 0:
        return {"gift_income_gini": None, "gift_income_top10pct_share": None}
    return {"gift_income_gini": gini(income), "gift_income_top10pct_share": top_share(income, 0.1)}


def _per_creator(model: LikeEconomy, platform) -> dict[str, np.ndarray]:
    """The (C,) columns of one platform that the creator tables carry beside the video counts."""
    brand_income = model.brand_market.brand_income if platform is model.brand_platform else 0.0
    return {
        "like_spend": np.array([c.spend_on.get(platform.name, 0.0) for c in model.creator_list]),
        "strikes": platform.integrity.strikes_total,
        "purges": platform.integrity.purges,
        "live_audience": platform.live.audience,
        "vip_subscriptions_started": platform.subscriptions.subscriptions_started,
        "gift_income": model.ledger.gift_payout_to[platform.index] / MILLI,
        "vip_income": model.ledger.vip_payout_to[platform.index] / MILLI,
        "brand_income": brand_income * np.ones(len(model.creator_list)),
    }


def public_profile_of(model: LikeEconomy) -> pd.DataFrame:
    """Every creator's public profile on the brands' platform, as things stand."""
    platform = model.brand_platform
    return audit.public_profile(
        platform.videos, platform.follows.followers, np.array([c.niche for c in model.creator_list]),
        model.log.creator_days[platform.index],
    )  # fmt: skip


def _audit(model: LikeEconomy) -> pd.DataFrame:
    """The brands' audit of every creator on their platform, as things stand at the end."""
    return audit.score(public_profile_of(model), model.spec.audit)


def events_table(model: LikeEconomy) -> pd.DataFrame:
    """One row per event that took effect: when, what changed (``path=value``; ...), and why."""
    return pd.DataFrame(
        [
            {
                "day": hour / 24,
                "hour": hour,
                "set": "; ".join(f"{path}={value}" for path, value in event.set.items()),
                "note": event.note,
            }
            for hour, event in model.events_applied
        ],
        columns=["day", "hour", "set", "note"],
    )
