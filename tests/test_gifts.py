"""Gifts, LIVE and VIP: the ledger, payouts, subscribers and competitive gifting."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.loading import load_scenario
from sim.model import LikeEconomy

from .conftest import SCENARIOS, TINY

SMALL_GIFTS = ["viewers.count=5000", "clock.days=14"]


def live_scenario(tmp_path, extra=""):
    """Tiny platform where everyone goes LIVE every evening and half also sell VIP."""
    path = tmp_path / "live.yaml"
    path.write_text(f"""extends: {TINY}
creators:
  groups:
    - {{name: live, share: 0.5, live_gifts: {{lives_per_week: 7, start_hour: 20}}}}
    - {{name: live_vip, share: 0.5, live_gifts: {{lives_per_week: 7, start_hour: 20}}, vip: {{price: 2.5}}}}
{extra}""")
    return path


def assert_books_balance(model):
    ledger, totals = model.ledger, model.ledger.totals
    assert (ledger.wallet >= 0).all()
    assert totals["coins_purchased"] == ledger.wallet.sum() + totals["coins_gifted"]
    assert totals["gift_value"] == totals["gift_payout"] + totals["gift_platform_take"]
    assert totals["vip_revenue"] == totals["vip_payout"] + totals["vip_platform_take"]
    assert ledger.gift_payout_to.sum() == totals["gift_payout"]
    assert ledger.vip_payout_to.sum() == totals["vip_payout"]
    assert ledger.coins_gifted_by.sum() == totals["coins_gifted"]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    packs=st.lists(st.integers(1, 500), min_size=1, max_size=4),
    catalogue=st.lists(st.integers(1, 2000), min_size=1, max_size=6),
    coin_price=st.integers(1, 40),
    payout_share=st.floats(0.0, 1.0),
    gifter_share=st.floats(0.05, 1.0),
    competition=st.floats(0.0, 3.0),
    escalation=st.floats(0.0, 2.0),
    start_hour=st.integers(0, 23),
)
def test_every_coin_and_every_milli_is_accounted_for_at_every_tick(
    tmp_path, packs, catalogue, coin_price, payout_share, gifter_share, competition, escalation, start_hour
):
    payout = max(1, int(coin_price * payout_share))  # milli-units per coin, never above the price
    overrides = [
        f"gifts.packs={packs}",
        f"gifts.catalogue={catalogue}",
        f"gifts.coin_price={coin_price / 1000}",
        "gifts.diamonds_per_coin=1",
        f"gifts.diamond_value={payout / 1000}",
        f"gifts.gifter_share={gifter_share}",
        f"gifts.gift.competition={competition}",
        f"gifts.escalation={escalation}",
        "gifts.gift.base=0",
        f"creators.groups.0.live_gifts.start_hour={start_hour}",
        "subscriptions.subscribe.base=-3",
        "subscriptions.monthly_churn=1",
    ]
    spec = load_scenario(live_scenario(tmp_path), overrides)
    model = LikeEconomy(spec)
    for _ in range(24):
        model.step()
        assert_books_balance(model)
    assert model.ledger.totals["gifts_sent"] > 0


def test_money_that_is_not_whole_milli_units_is_refused(tmp_path):
    with pytest.raises(sim.ScenarioError, match="gifts.coin_price: money must be a whole number"):
        load_scenario(TINY, ["gifts.coin_price=0.0105"])
    with pytest.raises(sim.ScenarioError, match="cannot pay the creator more than it costs"):
        load_scenario(TINY, ["gifts.diamond_value=0.1"])


def test_higher_payout_share_raises_creator_income_not_viewer_spend():
    runs = {
        value: sim.run(
            SCENARIOS / "gift_monetization.yaml", overrides=[*SMALL_GIFTS, f"gifts.diamond_value={value}"]
        )
        for value in (0.01, 0.02)
    }
    low, high = runs[0.01].summary, runs[0.02].summary
    assert high["coin_spend"] == low["coin_spend"] > 0
    assert high["coins_gifted"] == low["coins_gifted"]
    assert high["creator_payout"] == pytest.approx(2 * low["creator_payout"])
    assert high["platform_take"] < low["platform_take"]
    income = {value: run.creators["gift_income"].to_numpy() for value, run in runs.items()}
    assert (income[0.02] >= income[0.01]).all() and income[0.02].sum() > income[0.01].sum()


def test_vip_subscribers_are_drawn_from_the_most_engaged_fans():
    # Subscriptions are rare at default rates; raise them so the test sees enough joiners.
    overrides = [*SMALL_GIFTS, "subscriptions.subscribe.base=-9"]
    model = LikeEconomy(load_scenario(SCENARIOS / "gift_monetization.yaml", overrides))
    percentiles = []
    subscriptions = model.platforms[0].subscriptions
    offer = subscriptions.offer

    def recording_offer(creator, price, hour, fans, generosity, rng):
        fan, score = fans.fans_of(creator)
        free = subscriptions.vip_creator[fan] < 0
        before = subscriptions.vip_creator.copy()
        offer(creator, price, hour, fans, generosity, rng)
        joined = (before[fan] < 0) & (subscriptions.vip_creator[fan] == creator)
        rank = score[free].argsort().argsort() / max(free.sum() - 1, 1)
        percentiles.extend(rank[joined[free]])

    subscriptions.offer = recording_offer
    for _ in range(model.spec.clock.days * 24):
        model.step()
    assert len(percentiles) >= 10
    assert np.mean(percentiles) > 0.8  # joiners sit in the top fifth of their creator's fans


def test_vip_perks_make_subscribers_see_and_like_their_creator_more():
    model = LikeEconomy(load_scenario(SCENARIOS / "gift_monetization.yaml", SMALL_GIFTS))
    for _ in range(24):
        model.step()
    platform = model.platforms[0]
    creator = int(platform.videos["creator"][platform.videos.candidates[-1]])
    subscriber, other = np.arange(0, 200), np.arange(200, 400)
    platform.subscriptions.vip_creator[subscriber] = creator
    viewer = np.concatenate([subscriber, other]).repeat(20)
    picked = platform.fill_feeds(viewer, model.hour, model.viewers, model.rng)
    shown = platform.videos["creator"][platform.videos.candidates[picked]] == creator
    from_creator = shown.reshape(2, -1).mean(axis=1)
    assert from_creator[0] >= 0.8 * model.spec.subscriptions.feed_share > from_creator[1]

    position = np.full(viewer.size, platform.videos.candidates.size - 1)
    on_show, loyal = platform.on_show(viewer, position)
    assert loyal[: viewer.size // 2].all() and not loyal[viewer.size // 2 :].any()
    liked = {
        loyalty: model.viewers.react(
            viewer, position, on_show, np.full(viewer.size, loyalty), np.random.default_rng(1)
        )
        .did["like"]
        .sum()
        for loyalty in (False, True)
    }
    assert liked[True] > 1.5 * liked[False]


@pytest.mark.slow
def test_competitive_gifting_concentrates_gift_value():
    def top20(overrides):
        shares = [
            sim.run(
                SCENARIOS / "gift_monetization.yaml", overrides=[*SMALL_GIFTS, *overrides], seed=seed
            ).summary["gift_top20_share"]
            for seed in (1, 2, 3)
        ]
        return np.mean(shares)

    assert top20([]) > top20(["gifts.gift.competition=0", "gifts.escalation=0"]) + 0.01


def test_gift_monetization_lands_in_published_ranges():
    result = sim.run(SCENARIOS / "gift_monetization.yaml")
    assert 0.2 <= result.summary["creator_share_of_spend"] <= 0.5
    assert result.summary["gift_top20_share"] >= 0.8
    organic = result.creators[result.creators["strategy"] == "organic"]
    assert (organic["income"] == 0).all()
