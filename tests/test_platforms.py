"""Platforms, cross-posting and events."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.loading import ScenarioError, load_scenario
from sim.metrics import tier_table
from sim.model import LikeEconomy

SCENARIOS = Path(__file__).parent.parent / "scenarios"
TINY = SCENARIOS / "tiny.yaml"
FINGERPRINT = Path(__file__).parent / "data" / "fingerprint.json"


def fingerprint(result) -> dict:
    summary = {k: v for k, v in result.summary.items() if k != "wall_seconds"}
    sums = {}
    for name in ("timeseries", "creators", "videos", "survival", "ledger", "gifters", "deals"):
        frame = getattr(result, name)
        sums[name] = {
            c: round(float(frame[c].sum()), 6) for c in frame.columns if frame[c].dtype.kind in "iufb"
        }
    return {"summary": summary, "column_sums": sums}


def test_a_scenario_without_platforms_reproduces_the_documented_run():
    """Every mechanism on one TikTok-like platform, against numbers recorded before platforms existed.

    Regenerate tests/data/fingerprint.json only when behaviour is meant to change (and say so).
    """
    expected = json.loads(FINGERPRINT.read_text())
    got = json.loads(json.dumps(fingerprint(sim.run(TINY, overrides=expected["overrides"])), default=str))
    assert {key: got["summary"][key] for key in expected["summary"]} == expected["summary"]
    for table, sums in expected["column_sums"].items():
        assert {c: got["column_sums"][table][c] for c in sums} == sums, table


THREE = [
    "clock.days=4",
    "platforms={tiktok: {profile: tiktok, time_share: 0.5}, instagram: {profile: instagram, time_share: 0.3},"
    " youtube: {profile: youtube, time_share: 0.2}}",
]


@pytest.fixture(scope="module")
def three_platforms():
    return sim.run(TINY, overrides=THREE)


def test_per_platform_counts_add_up_to_the_totals(three_platforms):
    result = three_platforms
    daily = result.platforms.groupby("day")[
        ["impressions", "views", "likes", "comments", "shares", "follows"]
    ].sum()
    totals = result.timeseries.set_index("day")[daily.columns]
    pd.testing.assert_frame_equal(daily, totals, check_dtype=False)
    assert set(result.platforms["platform"]) == {"tiktok", "instagram", "youtube"}
    per_platform = result.creator_platforms.groupby("creator")[["views", "likes", "followers"]].sum()
    creators = result.creators.set_index("creator")[["views", "likes", "followers"]]
    pd.testing.assert_frame_equal(per_platform, creators, check_dtype=False)


def test_a_cross_posted_video_counts_on_each_platform_separately(three_platforms):
    videos = three_platforms.videos
    counts = videos.groupby("platform").size()
    assert counts["tiktok"] == counts["instagram"] == counts["youtube"]  # every creator on all three
    same = videos.groupby("platform").apply(lambda v: v["quality"].to_numpy(), include_groups=False)
    assert np.array_equal(same["tiktok"], same["instagram"])  # the same content...
    views = videos.pivot_table(index="video", columns="platform", values="views")
    assert not (views["tiktok"] == views["instagram"]).all()  # ...with its own counters
    share = videos.groupby("platform")["impressions"].sum() / videos["impressions"].sum()
    assert share["tiktok"] > share["instagram"] > share["youtube"]  # time shares 0.5, 0.3, 0.2


def test_a_strategy_can_target_one_platform(tmp_path):
    overrides = THREE + [
        "creators.groups=[{name: organic, share: 0.5}, {name: buyers, share: 0.5, "
        "buy_likes: {platform: instagram, budget_per_video: 1.0}}]",
    ]
    result = sim.run(TINY, overrides=overrides)
    bought = result.videos.groupby("platform")["bought_likes"].sum()
    assert bought["instagram"] > 0 and bought["tiktok"] == 0 and bought["youtube"] == 0


def test_a_group_can_stay_off_a_platform():
    overrides = THREE + [
        "creators.groups=[{name: everywhere, share: 0.5},"
        " {name: tiktok_only, share: 0.5, platforms: [tiktok]}]"
    ]
    result = sim.run(TINY, overrides=overrides)
    on = result.creator_platforms.groupby("group")["platform"].unique()
    assert list(on["tiktok_only"]) == ["tiktok"]
    assert set(result.videos.loc[result.videos["group"] == "tiktok_only", "platform"]) == {"tiktok"}


def test_platform_settings_are_checked_at_load():
    with pytest.raises(ScenarioError, match=r"platforms\.ig\.ranking\.sharpness"):
        load_scenario(TINY, ["platforms={ig: {profile: instagram, ranking: {sharpness: 99}}}"])
    with pytest.raises(ScenarioError, match=r"platforms\.ig\.profile: expected one of"):
        load_scenario(TINY, ["platforms={ig: {profile: myspace}}"])
    with pytest.raises(ScenarioError, match="time shares must sum to 1"):
        load_scenario(TINY, ["platforms={a: {time_share: 0.5}, b: {time_share: 0.4}}"])
    with pytest.raises(ScenarioError, match=r"buy_likes\.platform"):
        load_scenario(TINY, ["creators.groups=[{name: b, buy_likes: {platform: youtube}}]"])


# --- events -------------------------------------------------------------------------------------------

HIDE = "events=[{day: 2, set: {platforms.tiktok.likes_shown: false}, note: counts hidden}]"


def test_runs_with_and_without_an_event_agree_until_it_then_differ():
    plain = sim.run(TINY)
    hidden = sim.run(TINY, overrides=[HIDE])
    before = ["impressions", "views", "likes", "comments", "shares", "follows"]
    pd.testing.assert_frame_equal(plain.timeseries.loc[:1, before], hidden.timeseries.loc[:1, before])
    assert not plain.timeseries.loc[2:, before].equals(hidden.timeseries.loc[2:, before])
    assert list(hidden.events["day"]) == [2.0] and hidden.events["note"][0] == "counts hidden"


def test_an_event_reaches_every_mechanism_that_reads_the_setting():
    spec = load_scenario(
        TINY,
        [
            "events=[{day: 1, set: {ranking.weights.like: 1.0, engagement.like.base: -5.0, "
            "farms.0.price_per_1000: 9.0, platforms.tiktok.likes_shown: false}}]"
        ],
    )
    model = LikeEconomy(spec)
    for _ in range(spec.clock.ticks_per_day + 1):
        model.step()
    platform = model.platforms[0]
    assert platform.ranker.spec.weights.like == 1.0
    assert platform.rules.likes_shown is False
    assert model.viewers._base[2] == -5.0
    assert platform.market.farms[0].price_per_1000 == 9.0


@pytest.mark.parametrize(
    "path, value",
    [
        ("viewers.count", 5),
        ("clock.days", 3),
        ("creators.count", 3),
        ("seed", 1),
        ("platforms.nope.likes_shown", False),
    ],
)
def test_an_event_that_cannot_happen_mid_run_is_refused_at_load(path, value):
    with pytest.raises(ScenarioError, match=rf"events\.0\.set\.{path}: cannot change during a run"):
        load_scenario(TINY, [f"events=[{{day: 1, set: {{{path}: {value}}}}}]"])


def test_an_event_with_a_bad_value_is_refused_at_load():
    with pytest.raises(ScenarioError, match=r"events.*ranking\.sharpness"):
        load_scenario(TINY, ["events=[{day: 1, set: {ranking.sharpness: -1}}]"])
    with pytest.raises(ScenarioError, match=r"events\.0\.day"):
        load_scenario(TINY, ["events=[{day: 99, set: {ranking.sharpness: 2}}]"])


def test_an_experiment_on_several_platforms_compares_them(tmp_path):
    from .conftest import likesim

    out = tmp_path / "exp"
    done = likesim("run", TINY, "--out", out, "--set", "replicates=2", "--set", "clock.days=3",
                   "--set", THREE[1])  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "platforms.csv")
    assert set(table["platform"]) == {"tiktok", "instagram", "youtube"}
    assert (table.loc[table["metric"] == "views", "n"] == 2).all()
    assert "## By platform: where does the same strategy pay best?" in (out / "report.md").read_text()


def tiers_of(overrides: list[str]) -> pd.DataFrame:
    """Median engagement per follower and per view by follower tier, tiers with at least 10 creators."""
    result = sim.run(None, overrides=["clock.days=20", *overrides], seed=1)
    tiers = tier_table(result.creators, result.scenario.viewers.count)
    return tiers[tiers["creators"] >= 10].set_index("tier")


def test_instagram_engagement_per_follower_falls_with_tier():
    """docs/validation.md section 3: per follower, engagement falls as accounts grow on Instagram."""
    tiers = tiers_of(["platforms={instagram: {profile: instagram}}"])
    per_follower = tiers["engagement_per_follower"].to_numpy()
    assert len(tiers) >= 3
    assert (np.diff(per_follower) < 0).all(), tiers
    assert per_follower[-1] < per_follower[0] / 2, tiers


def test_tiktok_engagement_per_view_is_roughly_flat_while_per_follower_falls_steeply():
    """docs/validation.md section 3: on TikTok views depend weakly on followers, so per view is about flat."""
    tiers = tiers_of([])
    per_view, per_follower = tiers["engagement_per_view"], tiers["engagement_per_follower"]
    assert len(tiers) >= 3
    assert per_view.max() / per_view.min() < 2, tiers
    assert per_follower.iloc[0] / per_follower.iloc[-1] > 5, tiers
