"""Brands: rate card, budgets, conversions from real viewers only, and the value of the audit."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import sim
from sim.brands import price
from sim.executors import worker_start
from sim.scenario import RateCard

from .conftest import SCENARIOS, TINY

SMALL_BRANDS = ["viewers.count=5000", "clock.days=21"]


def brand_scenario(tmp_path, groups="- {name: organic, share: 1.0}", extra=""):
    path = tmp_path / "brands.yaml"
    indented = "\n".join("    " + line for line in groups.splitlines())
    path.write_text(f"""extends: {TINY}
clock: {{days: 10}}
creators:
  count: 20
  groups:
{indented}
brands:
  {{count: 6, budget_per_month: 15, shopping_interval_days: 2, min_views_share: 0.1, last_signing_days: 2}}
{extra}""")
    return path


def test_rate_card_pays_for_engagement_as_well_as_reach():
    card = RateCard()
    same_followers = price([5000, 5000], [0.02, 0.08], card)
    assert same_followers[1] > same_followers[0]
    small_engaging, large_flat = price([1000, 3000], [0.15, 0.02], card)
    assert small_engaging > large_flat
    assert (price([0, 10], [0.0, 0.0], card) >= card.minimum).all()


def test_budgets_are_never_exceeded(tmp_path):
    result = sim.run(brand_scenario(tmp_path))
    deals, spec = result.deals, result.scenario.brands
    assert len(deals) > 0
    period_spend = deals.groupby(["brand", deals["day"] // 30])["price"].sum()
    assert (period_spend <= spec.budget_per_month + 1e-9).all()
    assert result.brands["spend"].sum() == pytest.approx(deals["price"].sum())
    assert result.creators["brand_income"].sum() == pytest.approx(deals["price"].sum())
    assert (deals["conversions"] <= deals["matching_engagements"]).all()
    assert (deals["matching_engagements"] <= deals["engagements"]).all()
    assert (deals["engagements"] <= deals["impressions"]).all()


def test_bought_likes_never_convert(tmp_path):
    # Humans never engage; the buyers' sponsored videos still show bought likes.
    silent = [f"engagement.{action}.base=-50" for action in ("like", "comment", "share")]
    groups = "- {name: buyers, share: 1.0, buy_likes: {budget_per_video: 1.0}}"
    result = sim.run(
        brand_scenario(tmp_path, groups), overrides=[*silent, "brands.min_views_share=0", "audit.min_views=0"]
    )
    deals, videos = result.deals, result.videos.set_index("video")
    assert len(deals) > 0
    assert videos.loc[deals["video"], "displayed_likes"].sum() > 0
    assert deals["engagements"].sum() == 0 and deals["conversions"].sum() == 0


def _summary(job):
    path, overrides, seed = job
    return sim.run(path, overrides=overrides, seed=seed).summary


def _returns(path, overrides, seeds):
    with ProcessPoolExecutor(2, worker_start()) as pool:  # independent runs: both cores
        summaries = list(pool.map(_summary, [(path, [*SMALL_BRANDS, *overrides], seed) for seed in seeds]))
    audited = np.array([s["brand_roi_audited"] for s in summaries], float)
    unaudited = np.array([s["brand_roi_unaudited"] for s in summaries], float)
    return audited, unaudited


@pytest.mark.slow
def test_audit_pays_when_there_are_buyers_and_costs_nothing_when_there_are_none():
    seeds = range(1, 7)
    audited, unaudited = _returns(SCENARIOS / "brand_partnerships.yaml", [], seeds)
    assert audited.mean() >= unaudited.mean()
    organic = ["creators.groups=[{name: organic, share: 1.0}]"]
    audited, unaudited = _returns(SCENARIOS / "brand_partnerships.yaml", organic, seeds)
    # Returns are heavy-tailed (one viral sponsored video can carry a brand): compare within noise.
    noise = np.sqrt(audited.var(ddof=1) / audited.size + unaudited.var(ddof=1) / unaudited.size)
    assert abs(audited.mean() - unaudited.mean()) < 2.5 * noise
