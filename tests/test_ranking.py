import numpy as np
import pytest

from sim import kernels
from sim.ranking import ForYouRanker, _water_fill
from sim.scenario import Ranking
from sim.videos import Videos


def test_water_fill_respects_room_and_sums_to_one():
    weight = np.array([10.0, 1.0, 1.0, 5.0])
    room = np.array([5.0, 100.0, 100.0, 1e18])
    shares = _water_fill(100, weight, room, np.array([False, False, False, False]))
    assert shares.sum() == pytest.approx(1)
    assert shares[0] * 100 == pytest.approx(5)  # capped at its room
    assert shares[3] / shares[1] == pytest.approx(5)  # the rest by weight


def test_water_fill_overflows_when_everything_is_full_and_skips_stalled():
    shares = _water_fill(
        100, np.array([1.0, 1.0, 1.0]), np.array([10.0, 10.0, 10.0]), np.array([False, False, True])
    )
    assert shares[2] == 0 and shares[0] == pytest.approx(0.5)


def post(videos, n, niche=0):
    return videos.post(
        creator=np.zeros(n, int),
        niche=np.full(n, niche),
        posted_hour=np.zeros(n),
        quality=np.zeros(n),
        hook=np.zeros(n),
        arousal=np.zeros(n),
        valence=np.zeros(n),
    )


def test_stage_ends_promote_engaging_videos_and_stall_the_rest():
    spec = Ranking(pools={"reach": [0.1, 0.5], "thresholds": [0.05, 0.1]})
    ranker = ForYouRanker(spec, n_viewers=100)
    videos = Videos(n_creators=1)
    post(videos, 3)
    columns = videos.columns
    columns["stage_impressions"][:3] = [10, 10, 9]
    columns["views"][:3] = [10, 10, 9]
    columns["likes"][:3] = [1, 0, 0]
    ranker.promote(videos)
    assert list(columns["stage"][:3]) == [1, 0, 0]
    assert list(columns["stalled"][:3]) == [False, True, False]
    assert columns["stage_impressions"][0] == 0


def test_sampled_feed_stays_in_niche_and_follows_plan():
    spec = Ranking(pools={"reach": [1.0], "thresholds": [0.0]}, recency_half_life_hours=87_600)
    ranker = ForYouRanker(spec, n_viewers=1_000_000)
    videos = Videos(n_creators=1)
    post(videos, 4, niche=0)
    post(videos, 2, niche=1)
    videos.columns["views"][:6] = 1000
    videos.columns["impressions"][:6] = 1000
    videos.columns["likes"][:6] = [300, 10, 10, 10, 10, 10]
    ranker.plan(videos, np.array([5000, 5000]), now_hour=0, creator_penalty=np.ones(1))
    rng = np.random.default_rng(0)
    niche = np.repeat([0, 1], 5000)
    picked = ranker.sample(niche, rng.random(niche.size))
    assert (videos["niche"][videos.candidates[picked]] == niche).all()
    counts = np.bincount(picked[:5000], minlength=6)
    assert counts[0] > 3 * counts[1:4].max()  # the higher-scored video dominates its niche


def test_each_creators_recent_videos_are_its_latest_first():
    """Posting in bulk gives what posting one video at a time would (several per creator per tick too)."""
    rng = np.random.default_rng(1)
    videos, posted = Videos(30), [[] for _ in range(30)]
    for _ in range(200):
        creator = rng.integers(30, size=rng.integers(0, 12))
        zeros = np.zeros(creator.size)
        ids = videos.post(creator=creator, niche=zeros, posted_hour=zeros, quality=zeros, hook=zeros,
                          arousal=zeros, valence=zeros)  # fmt: skip
        for video, owner in zip(ids, creator, strict=True):
            posted[owner].insert(0, video)
        expected = [(mine + [-1] * 4)[:4] for mine in posted]
        assert videos.recent.tolist() == expected


def test_a_niche_without_slots_this_tick_leaves_the_next_niches_plans_alone():
    """Each niche's draws follow its own plan even when an earlier niche gets no For-You slot."""
    spec = Ranking(pools={"reach": [1.0], "thresholds": [0.0]}, recency_half_life_hours=87_600)
    ranker = ForYouRanker(spec, n_viewers=1_000_000)
    videos = Videos(n_creators=1)
    for niche in (0, 1, 2):
        post(videos, 3, niche=niche)
    videos.columns["views"][:9] = 1000
    videos.columns["impressions"][:9] = 1000
    videos.columns["likes"][:9] = 100
    ranker.plan(videos, np.array([50, 0, 3000]), now_hour=0, creator_penalty=np.ones(1))
    picked = ranker.sample(np.full(3000, 2), np.random.default_rng(0).random(3000))
    counts = np.bincount(picked, minlength=9)[6:]
    assert counts.sum() == 3000 and counts.min() > 800  # equal plans: about 1,000 each, not all on one


def test_for_you_draws_take_the_video_a_binary_search_of_the_plan_would():
    """The guide table only says where to start looking: every draw lands where searchsorted does."""
    rng = np.random.default_rng(3)
    sizes = [5, 0, 1, 40, 7]
    share = rng.pareto(1.0, sum(sizes)) * (rng.random(sum(sizes)) < 0.8)  # skewed, some zero
    niche_start = np.r_[0, np.cumsum(sizes)]
    cdf = np.concatenate(
        [
            k + np.cumsum(part) / max(part.sum(), 1e-300)
            for k, part in enumerate(np.split(share, niche_start[1:-1]))
        ]
    )
    order = rng.permutation(cdf.size)
    guide = np.empty(cdf.size, np.int64)
    kernels.guide_for_you(cdf, niche_start, guide)
    stocked = np.flatnonzero(np.diff(niche_start))
    niche = rng.choice(stocked, 20_000)
    uniform = rng.random(niche.size)
    at_edges = np.flatnonzero(np.isin(niche, [3]))[:40]  # draws that fall exactly on a plan's steps
    uniform[at_edges] = cdf[niche_start[3] : niche_start[3] + 40] - 3
    position = np.empty(niche.size, np.int64)
    kernels.sample_for_you(niche, uniform, cdf, niche_start, guide, order, position)
    expected = [
        order[min(niche_start[k] + np.searchsorted(cdf[niche_start[k] : niche_start[k + 1]], k + u, "right"),
                  niche_start[k + 1] - 1)]
        for k, u in zip(niche, uniform, strict=True)
    ]  # fmt: skip
    assert position.tolist() == expected


def test_candidates_are_the_latest_videos_so_posting_must_keep_time_order():
    videos = Videos(n_creators=1)
    post(videos, 3)
    videos.columns["posted_hour"][:3] = [0.0, 1.0, 2.0]
    videos.retire(now_hour=3.0, max_age_hours=2.0)
    assert videos.candidates.tolist() == [1, 2] and videos.candidate_count == 2
    features = ("creator", "niche", "quality", "hook", "arousal", "valence")
    with pytest.raises(ValueError, match="time order"):
        videos.post(**dict.fromkeys(features, np.zeros(1)), posted_hour=np.array([1.5]))
