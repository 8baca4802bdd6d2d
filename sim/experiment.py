"""Running scenarios from Python: one call, pandas DataFrames back.

>>> import sim
>>> result = sim.run("scenarios/tiny.yaml", overrides=["clock.days=2"])
>>> result.summary["likes"] > 0
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim import audit
from sim.brands import brand_summary, price
from sim.loading import load_scenario
from sim.metrics import creators_table, match_controls, summary, videos_table
from sim.model import LikeEconomy
from sim.scenario import Scenario


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
    def has_brand_deals(self) -> bool:
        """Whether any brand signed a creator in this run."""
        return bool(self.summary["brand_deals"])


def run(
    scenario: Scenario | str | Path | None = None,
    *,
    overrides: list[str] | tuple[str, ...] = (),
    seed: int | None = None,
    progress=None,
) -> RunResult:
    """Run one scenario for its full length.

    Args:
        scenario: a :class:`Scenario`, a YAML path, or ``None`` for the defaults.
        overrides: ``dotted.path=value`` overrides (only with a path or ``None``).
        seed: replaces the scenario's seed.
        progress: optional callable ``progress(days_done, days_total)`` called after each day.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, overrides)
    elif overrides:
        raise ValueError("overrides apply to scenario files; pass a modified Scenario instead")
    if seed is not None:
        scenario = scenario.model_copy(update={"seed": seed})
    started = time.perf_counter()
    model = LikeEconomy(scenario)
    clock = scenario.clock
    for day in range(clock.days):
        for _ in range(clock.ticks_per_day):
            model.step()
        if progress is not None:
            progress(day + 1, clock.days)
    videos = videos_table(model)
    creators = creators_table(model, videos)
    deals = model.brand_market.deals_table(model)
    audited = audit.audit(model)
    bought = creators["bought_likes"].to_numpy() > 0
    audited["bought"] = bought
    creators["audit_score"] = audited["score"]
    creators["audit_flagged"] = audited["flagged"]
    creators["control"] = match_controls(creators)
    creators["price"] = price(
        creators["followers"], creators["engagement_per_view"], scenario.brands.rate_card
    )
    creators["brand_deals"] = np.bincount(deals["creator"], minlength=len(creators))
    market = model.market.summary()
    headline = {
        **summary(videos, creators, model.log),
        **market,
        **model.integrity.summary(market["bought_likes_delivered"]),
        **audit.evaluate(audited, bought),
        **model.ledger.summary(model.subscriptions.count),
        **brand_summary(deals),
        "wall_seconds": round(time.perf_counter() - started, 3),
    }
    return RunResult(
        scenario=scenario,
        timeseries=model.log.timeseries(),
        creators=creators,
        videos=videos,
        creators_daily=model.log.creators_daily(),
        survival=model.market.survival_table(),
        audit=audited,
        ledger=model.ledger.table(),
        gifters=model.ledger.gifters(model.live.generosity),
        brands=model.brand_market.brands_table(model, deals),
        deals=deals,
        summary=headline,
    )
