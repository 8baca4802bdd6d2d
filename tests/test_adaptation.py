"""Creators who learn: strategies spread by imitation (sim.adaptation)."""

import numpy as np
import pytest

import sim
from sim.adaptation import NO_PEER, revise
from sim.loading import load_scenario
from sim.model import LikeEconomy
from sim.scenario import Adaptation

from .conftest import TINY

GROUPS = (
    "creators.groups=[{name: organic, share: 0.25},"
    " {name: buyers, share: 0.25, buy_likes: {budget_per_video: 2}},"
    " {name: live, share: 0.25, live_gifts: {lives_per_week: 7}},"
    " {name: vip, share: 0.25, live_gifts: {lives_per_week: 7}, vip: {price: 1.0}}]"
)
ADAPTIVE = [GROUPS, "clock.days=8", "adaptation={interval_days: 2, intensity: 5, exploration: 0.1}"]


@pytest.fixture(scope="module")
def adaptive_run():
    return sim.run(TINY, overrides=ADAPTIVE)


def test_strategy_shares_sum_to_one_and_follow_the_switches(adaptive_run):
    shares, switches = adaptive_run.strategy_shares, adaptive_run.switches
    assert len(switches) > 0
    np.testing.assert_allclose(shares.groupby(["day", "platform"])["share"].sum(), 1.0)
    assert sorted(shares["day"].unique()) == list(range(9))
    count = shares.pivot_table(index="day", columns="strategy", values="creators")
    moved_in = switches.groupby("to_strategy").size().reindex(count.columns, fill_value=0)
    moved_out = switches.groupby("from_strategy").size().reindex(count.columns, fill_value=0)
    assert (count.iloc[-1] == count.iloc[0] + moved_in - moved_out).all()
    end = adaptive_run.creators.groupby("strategy").size().reindex(count.columns, fill_value=0)
    assert (end == count.iloc[-1]).all()


def test_nobody_switches_at_intensity_zero_without_exploration():
    result = sim.run(TINY, overrides=[*ADAPTIVE, "adaptation.intensity=0", "adaptation.exploration=0"])
    assert result.switches.empty
    assert (result.creators["strategy"] == result.creators["strategy_start"]).all()
    assert result.strategy_shares.groupby("strategy")["creators"].nunique().eq(1).all()
    assert len(result.payoffs) > 0  # creators still compared: nobody found it worth switching


def test_without_adaptation_nothing_is_compared(tiny_result):
    assert tiny_result.switches.empty and tiny_result.payoffs.empty
    assert not tiny_result.adapts


@pytest.mark.parametrize("better", [0, 1])
def test_a_payoff_gap_drives_switching_toward_the_better_strategy(better):
    """Hand-made: 40 creators of one niche, half on each strategy; one half earns 10, the other 0."""
    following = np.repeat([0, 1], 20)
    payoff = np.where(following == better, 10.0, 0.0)
    spec = Adaptation(intensity=5.0, exploration=0.0, peers=3)
    switches = revise(
        payoff, payoff, np.ones(40), following, np.zeros(40, np.int64), 2, spec, np.random.default_rng(3)
    )
    assert switches and all(following[s.creator] != better and s.to_group == better for s in switches)
    # Each worse-off creator sees a better peer among 3 of 39 with chance 1 - (19/39)**3 = 0.88.
    assert len(switches) >= 14
    assert all(s.peer != NO_PEER and following[s.peer] == better and s.observed_gap == 10 for s in switches)


def test_peers_shown_by_the_feed_are_drawn_by_views():
    """With observe: feed, a creator nobody watched is never looked at."""
    following = np.repeat([0, 1], 20)
    payoff = np.where(following == 0, 10.0, 0.0)
    views = np.where(following == 0, 0, 100)  # the better creators got no views this window
    spec = Adaptation(intensity=5.0, exploration=0.0, peers=3, observe="feed")
    niche = np.arange(40) % 4
    assert revise(payoff, payoff, views, following, niche, 2, spec, np.random.default_rng(3)) == []


def test_peers_see_displayed_payoffs_so_bought_likes_and_hidden_spend_can_fool_them(adaptive_run):
    """Profit as peers see it leaves out like spend: buyers look better than they are, others do not."""
    payoffs = adaptive_run.payoffs
    buyers = payoffs[payoffs["strategy"] == "buy_likes"]
    others = payoffs[payoffs["strategy"] != "buy_likes"]
    assert (buyers["observed"] > buyers["true"]).all()
    np.testing.assert_allclose(others["observed"], others["true"])
    engagement = sim.run(TINY, overrides=[*ADAPTIVE, "adaptation.payoff=engagement"]).payoffs
    bought = engagement[engagement["strategy"] == "buy_likes"]
    assert (bought["observed"] > bought["true"]).all()


def test_the_books_and_like_counts_stay_exact_through_switches():
    """A creator who stops buying spends nothing more and keeps its likes until they are removed."""
    spec = load_scenario(TINY, [*ADAPTIVE, "adaptation.exploration=0", "clock.days=10"])
    model = LikeEconomy(spec)
    spend_when_left: dict[int, float] = {}  # creators who stopped buying, and what they had spent
    seen = 0
    for _ in range(spec.clock.days * spec.clock.ticks_per_day):
        model.step()
        for row in model.switch_rows[seen:]:
            creator = model.creator_list[row["creator"]]
            if row["from_strategy"] == "buy_likes":
                spend_when_left[creator.index] = creator.spend
            elif row["to_strategy"] == "buy_likes":
                spend_when_left.pop(creator.index, None)
        seen = len(model.switch_rows)
        for index, spent in spend_when_left.items():
            assert model.creator_list[index].spend == spent
        videos = model.platforms[0].videos
        assert (videos.displayed_likes(np.arange(videos.size)) >= 0).all()
        assert model.ledger.imbalance() == 0
    assert spend_when_left, "no buyer switched away in this run"
    videos = model.platforms[0].videos
    theirs = np.isin(videos["creator"], list(spend_when_left))
    assert videos["bought_likes"][theirs].sum() > 0


def test_same_seed_same_switches(adaptive_run):
    again = sim.run(TINY, overrides=ADAPTIVE)
    assert again.switches.equals(adaptive_run.switches)
    assert again.strategy_shares.equals(adaptive_run.strategy_shares)


def test_an_event_that_removes_a_strategy_section_stops_that_strategy_from_then_on():
    result = sim.run(
        TINY,
        overrides=[
            "creators.groups=[{name: organic, share: 0.5},"
            " {name: buyers, share: 0.5, buy_likes: {budget_per_video: 1}}]",
            "events=[{day: 2, set: {creators.groups.1.buy_likes: null}}]",
        ],
    )
    shares = result.strategy_shares.pivot_table(index="day", columns="strategy", values="share")
    assert shares.loc[2, "buy_likes"] == 0.5 and shares.loc[3, "organic"] == 1.0
    spend = result.timeseries.set_index("day")["like_spend"]
    assert spend.loc[:2].sum() > 0 and spend.loc[3:].sum() == 0
