"""MusicLab replicated with the platform's own viewer rule, and the social-proof signal it calibrates."""

import numpy as np
import pandas as pd
import pytest

import sim
from sim.musiclab import MusicLabWorld, replicate, unpredictability
from sim.viewers import Viewers, social_proof

from .conftest import SCENARIOS

MUSICLAB = SCENARIOS / "musiclab.yaml"
#: A reduced design: still 48 songs and several worlds, fewer participants.
REDUCED = [
    "musiclab.social_worlds=4",
    "musiclab.participants_per_world=250",
    "musiclab.independent_participants=500",
    "musiclab.independent_splits=5",
]


def reduced_measures(overrides=(), seeds=(1, 2, 3)):
    spec = sim.load_scenario(MUSICLAB, [*REDUCED, *overrides])
    rows = [{"display": d, **replicate(spec, d, s).measures} for d in ("grid", "ranked") for s in seeds]
    return pd.DataFrame(rows).groupby("display").mean()


@pytest.fixture(scope="module")
def measures():
    return reduced_measures()


def test_social_influence_orders_inequality_and_unpredictability(measures):
    """Salganik et al. 2006: independent < grid < ranked, for Gini and for U."""
    grid, ranked = measures.loc["grid"], measures.loc["ranked"]
    assert grid["gini_independent"] < grid["gini_social"] < ranked["gini_social"]
    assert grid["u_independent"] < grid["u_social"] < ranked["u_social"]
    assert ranked["top_share_social"] > grid["top_share_social"]
    assert 0 < grid["quality_success"] <= 1  # the best songs still tend to do well


def test_without_social_proof_showing_counts_changes_little(measures):
    """The social worlds differ from the independent one through the platform's social-proof rule."""
    blind = reduced_measures(["engagement.play.social_proof=0", "engagement.like.social_proof=0"])
    lift = measures["gini_social"] - measures["gini_independent"]
    blind_lift = blind["gini_social"] - blind["gini_independent"]
    assert lift.loc["grid"] > 0.05
    assert abs(blind_lift.loc["grid"]) < lift.loc["grid"] / 2


def test_replicate_is_deterministic_and_the_songs_are_the_same_in_every_world():
    spec = sim.load_scenario(MUSICLAB, REDUCED)
    first, again = replicate(spec, "ranked", 7), replicate(spec, "ranked", 7)
    assert first.songs.to_csv(index=False) == again.songs.to_csv(index=False)
    assert first.measures == again.measures
    features = first.songs.groupby("song")[["quality", "hook", "niche"]].nunique()
    assert (features == 1).all().all()
    assert first.songs["world"].nunique() == 5
    other = replicate(spec, "ranked", 8)
    assert other.songs.to_csv(index=False) != first.songs.to_csv(index=False)


def test_every_participant_arrives_once_and_counts_add_up():
    spec = sim.load_scenario(MUSICLAB, REDUCED)
    rng = np.random.default_rng(0)
    songs = replicate(spec, "grid", 1).songs.query("world == 'independent'")
    features = {f: songs[f].to_numpy() for f in ("niche", "quality", "hook")}
    features |= {"arousal": np.zeros(48), "valence": np.zeros(48)}
    world = MusicLabWorld(spec, features, 120, "ranked", True, rng).run()
    assert len(world.downloaded_by) == 120
    assert world.downloads.sum() == sum(d.size for d in world.downloaded_by)
    assert (world.downloads <= world.listens).all()
    assert isinstance(world.viewers, Viewers)  # participants are the platform's viewers


def test_ranked_display_puts_the_most_downloaded_first():
    spec = sim.load_scenario(MUSICLAB, REDUCED)
    features = {f: np.zeros(48) for f in ("quality", "hook", "arousal", "valence")} | {
        "niche": np.zeros(48, int)
    }
    world = MusicLabWorld(spec, features, 10, "ranked", True, np.random.default_rng(0))
    world.downloads[:] = np.arange(48) % 7
    order = world.display_order()
    assert (np.diff(world.downloads[order]) <= 0).all()
    assert sorted(order) == list(range(48))


def test_unpredictability_matches_a_hand_computation():
    shares = np.array([[0.5, 0.3, 0.2], [0.3, 0.3, 0.4], [0.2, 0.4, 0.4]])
    # song 1: |.5-.3|, |.5-.2|, |.3-.2| -> 0.2; song 2: 0, .1, .1 -> 0.0667; song 3: .2, .2, 0 -> 0.1333
    assert unpredictability(shares) == pytest.approx((0.2 + 0.2 / 3 + 0.4 / 3) / 3)


def test_social_proof_reads_relative_counts():
    likes = np.array([0, 1, 10, 100])
    signal = social_proof(likes)
    assert np.all(np.diff(signal) > 0)
    assert signal[1] - signal[0] == pytest.approx(np.log(2))  # the first like counts
    # Ten times the likes everywhere: nearly the same signal once counts are large.
    big = np.array([1000, 2000, 5000])
    assert social_proof(10 * big) == pytest.approx(social_proof(big), abs=0.01)
    assert social_proof(np.zeros(3)) == pytest.approx(np.zeros(3))
    assert social_proof(np.zeros(0)).size == 0


def test_hidden_counts_give_no_social_proof():
    scenario = sim.load_scenario(MUSICLAB, REDUCED)
    population = scenario.model_copy(update={"viewers": scenario.viewers.model_copy(update={"count": 5000})})
    viewers = Viewers(population, np.random.default_rng(1))
    n = 50_000
    viewer = np.sort(np.random.default_rng(2).integers(5000, size=n))
    on_show = {f: np.zeros(2) for f in ("quality", "hook", "arousal", "valence")} | {
        "niche": np.zeros(2, int)
    }
    on_show["displayed_likes"] = np.array([0, 500])
    shown = np.tile([0, 1], n // 2)
    no_vip = np.zeros(n, bool)
    seen = viewers.react(viewer, shown, on_show, no_vip, np.random.default_rng(3))
    hidden = viewers.react(viewer, shown, on_show, no_vip, np.random.default_rng(3), counts_shown=False)
    assert seen.did["play"][shown == 1].mean() > seen.did["play"][shown == 0].mean() + 0.05
    assert abs(hidden.did["play"][shown == 1].mean() - hidden.did["play"][shown == 0].mean()) < 0.02
