"""Bought likes, platform integrity and the authenticity audit."""

import numpy as np
import pandas as pd
import pytest

import sim
from sim import audit, farms
from sim.loading import load_scenario
from sim.model import LikeEconomy
from sim.outputs import public_profile_of

from .conftest import SCENARIOS, TINY


def buyers_scenario(tmp_path, buying="{budget_per_video: 0.5, when: at_posting}", extra="", name="buyers"):
    """Tiny platform, half the creators buy likes (``buying``: a buy_likes section or 'null')."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"""extends: {TINY}
creators:
  groups:
    - {{name: organic, share: 0.5}}
    - {{name: buyers, share: 0.5, buy_likes: {buying}}}
{extra}""")
    return path


def test_displayed_likes_are_organic_plus_bought_minus_removed_at_every_tick(tmp_path):
    farm = "farms: [{name: standard, drop_off_per_day: 0.02, fill_share: 0.9}]\nintegrity: {strength: 5}"
    model = LikeEconomy(load_scenario(buyers_scenario(tmp_path, extra=farm)))
    seen_viewers = []
    react = model.viewers.react

    def recording_react(viewer, *args):
        seen_viewers.append(viewer.max(initial=-1))
        return react(viewer, *args)

    model.viewers.react = recording_react
    for _ in range(5 * 24):
        model.step()
        videos, market = model.platforms[0].videos, model.platforms[0].market
        ids = np.arange(videos.size)
        c = {name: videos[name] for name in videos.columns}
        displayed = videos.displayed_likes(ids)
        assert (
            displayed
            == c["likes"]
            - c["organic_removed"]
            + c["bought_likes"]
            - c["bought_removed"]
            - c["bought_dropped"]
        ).all()
        assert (
            (displayed >= 0).all() and (c["flagged_organic"] >= 0).all() and (c["flagged_bought"] >= 0).all()
        )
        # Three independent ledgers of delivered likes agree: videos, orders and bot accounts.
        assert c["bought_likes"].sum() == market.orders["delivered"].sum() == market.bots.likes_given.sum()
        alive = np.bincount(market.cohorts["video"], market.cohorts["alive"], videos.size)
        assert (alive == c["bought_likes"] - c["bought_removed"] - c["bought_dropped"]).all()
        flagged = market.cohorts["flagged"]
        assert (
            np.bincount(market.cohorts["video"][flagged], market.cohorts["alive"][flagged], videos.size)
            == c["flagged_bought"]
        ).all()
        orders = market.orders
        assert (orders["delivered"] <= orders["to_deliver"]).all()
        assert (orders["to_deliver"] <= orders["purchased"]).all()
    summary = farms.summary([model.platforms[0].market], model.hour)
    assert 0.8 < summary["bought_likes_within_24h"] < 0.98  # the farm delivers 89% within a day
    assert (orders["within_24h"] <= orders["delivered"]).all()
    assert summary["bought_likes_delivered"] > 1000
    assert c["bought_removed"].sum() > 0 and c["bought_dropped"].sum() > 0 and c["organic_removed"].sum() > 0
    # Bots only ever like: no bot account is ever shown a video, so none watches, follows or buys.
    assert max(seen_viewers) < model.viewers.count
    assert model.platforms[0].follows.slots.shape[0] == model.viewers.count


def test_monthly_budget_caps_spending(tmp_path):
    path = buyers_scenario(tmp_path, "{budget_per_video: 0.5, budget_per_month: 1.2}")
    creators = sim.run(path).creators
    buyers = creators[creators["group"] == "buyers"]
    assert (buyers["like_spend"] <= 1.2 + 1e-9).all()
    assert (buyers["like_spend"] > 0).any()
    assert (creators.loc[creators["group"] == "organic", "like_spend"] == 0).all()


def test_stronger_detection_lowers_survival(tmp_path):
    path = buyers_scenario(tmp_path, extra="clock: {days: 9}")
    survival = {
        strength: sim.run(path, overrides=[f"integrity.strength={strength}"]).survival["survival"]
        for strength in (0.5, 4.0)
    }
    assert survival[4.0].iloc[7] < survival[0.5].iloc[7] < 1.0


def test_no_detection_removes_nothing(tmp_path):
    result = sim.run(buyers_scenario(tmp_path), overrides=["integrity.strength=0"])
    assert result.summary["bought_likes_removed"] == result.summary["organic_likes_removed"] == 0
    assert (result.survival["survival"] == 1).all()


def test_strikes_demote_and_purge_heavy_buyers(tmp_path):
    heavy = "integrity: {strength: 20, strike_min_removed: 20, purge_strikes: 2}"
    result = sim.run(buyers_scenario(tmp_path, "{budget_per_video: 2.0}", extra=heavy))
    buyers = result.creators[result.creators["group"] == "buyers"]
    assert (buyers["purges"] > 0).any()
    assert (result.creators.loc[result.creators["group"] == "organic", "purges"] == 0).all()


def test_audit_reads_public_signals_only(tmp_path):
    model = LikeEconomy(load_scenario(buyers_scenario(tmp_path)))
    for _ in range(5 * 24):
        model.step()
    profile = public_profile_of(model)
    assert list(profile.columns) == list(audit.PUBLIC_COLUMNS)
    assert not any("bought" in column or "organic" in column for column in profile.columns)
    before = audit.score(public_profile_of(model), model.spec.audit)
    # Rewrite the ground truth (every bought like becomes organic) without changing what is shown.
    videos = model.platforms[0].videos
    alive_bought = videos["bought_likes"] - videos["bought_removed"] - videos["bought_dropped"]
    videos.columns["likes"][: videos.size] += alive_bought
    videos.columns["flagged_organic"][: videos.size] += videos["flagged_bought"]
    for name in ("bought_likes", "bought_removed", "bought_dropped", "flagged_bought"):
        videos.columns[name][:] = 0
    pd.testing.assert_frame_equal(audit.score(public_profile_of(model), model.spec.audit), before)


def test_audit_separates_buyers_from_organic_creators(tmp_path):
    result = sim.run(buyers_scenario(tmp_path, "{budget_per_video: 1.0}"))
    assert result.summary["audit_auc"] > 0.8
    assert (
        result.audit.loc[result.audit["bought"], "score"].median()
        > result.audit.loc[~result.audit["bought"], "score"].median()
    )


def test_auc_and_roc_on_a_known_case():
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    truth = np.array([True, False, True, False, False, False])
    # Buyer pairs above non-buyers: 0.9 beats 4, 0.7 beats 3 -> 7 of 8.
    assert audit.auc(scores, truth) == pytest.approx(7 / 8)
    assert audit.auc(np.ones(4), np.array([True, False, True, False])) == 0.5
    assert audit.auc(scores, np.zeros(6, bool)) is None
    roc = audit.roc_curve(scores, truth)
    assert roc["true_positive_rate"].tolist() == [0, 0.5, 0.5, 1, 1, 1, 1]
    assert roc["false_positive_rate"].tolist() == [0, 0, 0.25, 0.25, 0.5, 0.75, 1]


def test_displayed_likes_reach_viewers_only_through_social_proof():
    spec = load_scenario(TINY)
    model = LikeEconomy(spec)
    viewer = np.arange(spec.viewers.count).repeat(40)
    video = {name: np.zeros(2) for name in ("quality", "hook", "arousal", "valence")}
    video["niche"] = np.zeros(2, np.int64)
    shown, loyal = np.tile([0, 1], viewer.size // 2), np.zeros(viewer.size, bool)

    def likes(displayed, coefficient):
        for action in ("play", "like", "comment", "share"):
            getattr(spec.engagement, action).social_proof = coefficient
        viewers = type(model.viewers)(spec, np.random.default_rng(0))
        on_show = {**video, "displayed_likes": np.array(displayed)}
        liked = viewers.react(viewer, shown, on_show, loyal, np.random.default_rng(1)).did["like"]
        return np.bincount(shown[liked], minlength=2)

    assert (likes([0, 0], 0.0) == likes([0, 100_000], 0.0)).all()
    unliked, popular = likes([0, 100_000], 0.3)
    assert popular > 1.5 * unliked


def _log_views_over_controls(overrides):
    """Mean log views of the big buyers minus their matched organic controls' (bought_likes.yaml, small)."""
    small = ["viewers.count=4000", "clock.days=14", *overrides]
    creators = sim.run(SCENARIOS / "bought_likes.yaml", overrides=small).creators
    buyers = creators[(creators["group"] == "buy_large") & (creators["control"] >= 0)]
    log_views = np.log1p(creators["views"].to_numpy())
    return log_views[buyers["creator"]].mean() - log_views[buyers["control"]].mean()


@pytest.mark.slow
def test_without_social_proof_bought_likes_help_only_through_ranking():
    no_social_proof = [
        f"engagement.{action}.social_proof=0" for action in ("play", "like", "comment", "share")
    ]
    assert _log_views_over_controls(no_social_proof) > 1.0  # the ranking channel alone: e-fold views
    # Make the ranking blind to likes too, and buyers do about as well as their controls.
    blind = [*no_social_proof, "ranking.weights.like=0", "ranking.pools.thresholds=[0,0,0,0]"]
    assert _log_views_over_controls(blind) < 0.75


def test_bought_likes_scenario_lands_in_published_survival_range():
    result = sim.run(SCENARIOS / "bought_likes.yaml", overrides=["viewers.count=4000", "clock.days=30"])
    assert 0.80 <= result.summary["bought_like_survival_28d"] <= 0.98
    assert result.summary["bought_likes_delivered"] <= result.summary["bought_likes_purchased"]
