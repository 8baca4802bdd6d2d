import numpy as np

from sim.follows import EMPTY, FollowGraph
from sim.loading import load_scenario
from sim.model import LikeEconomy

from .conftest import TINY


def slot_counts(graph, n_creators):
    used = graph.slots[graph.slots != EMPTY]
    return np.bincount(used, minlength=n_creators)


def test_follow_ignores_duplicates_and_counts():
    graph = FollowGraph(n_viewers=3, n_creators=4, n_slots=2)
    assert graph.follow(np.array([0, 0, 1]), np.array([2, 2, 2])) == 2
    assert graph.follow(np.array([0]), np.array([2])) == 0
    assert list(graph.followers) == [0, 0, 2, 0]


def test_full_slots_replace_the_oldest_follow():
    graph = FollowGraph(n_viewers=1, n_creators=4, n_slots=2)
    graph.follow(np.array([0, 0]), np.array([1, 2]))
    graph.follow(np.array([0]), np.array([3]))
    assert sorted(graph.slots[0]) == [2, 3]
    assert list(graph.followers) == [0, 0, 1, 1]


def test_more_follows_in_one_call_than_slots_keeps_the_first():
    graph = FollowGraph(n_viewers=1, n_creators=4, n_slots=2)
    assert graph.follow(np.array([0, 0, 0]), np.array([1, 2, 3])) == 2
    assert sorted(graph.slots[0]) == [1, 2]


def test_counts_always_match_slots_under_random_events():
    rng = np.random.default_rng(3)
    graph = FollowGraph(n_viewers=50, n_creators=10, n_slots=4)
    for _ in range(40):
        n = rng.integers(0, 60)
        graph.follow(rng.integers(50, size=n), rng.integers(10, size=n))
        assert (graph.followers >= 0).all()
        assert (graph.followers == slot_counts(graph, 10)).all()
        rows = graph.slots[graph.used > 0]
        for row in rows:  # no viewer follows a creator twice
            kept = row[row != EMPTY]
            assert len(set(kept)) == len(kept)


def followed_by_the_rule(n_viewers, n_slots, calls):
    """The follow rule in plain Python, event by event: the graph ``FollowGraph`` must make."""
    slots, used = [[EMPTY] * n_slots for _ in range(n_viewers)], [0] * n_viewers
    for viewers, creators in calls:
        before, new = [list(row) for row in slots], {}
        for viewer, creator in zip(viewers, creators, strict=True):
            mine = new.setdefault(viewer, [])
            if creator not in before[viewer] and creator not in mine and len(mine) < n_slots:
                mine.append(creator)
        for viewer, mine in new.items():
            for rank, creator in enumerate(mine):
                slots[viewer][(used[viewer] + rank) % n_slots] = creator
            used[viewer] += len(mine)
    return np.array(slots), np.array(used)


def test_the_graph_is_the_one_the_rule_makes():
    """Duplicates, follows already held, more new follows than slots, full rows: as the rule says."""
    rng = np.random.default_rng(11)
    for _ in range(60):
        n_viewers, n_creators, n_slots = rng.integers(1, 30), rng.integers(1, 10), rng.integers(1, 5)
        graph, calls = FollowGraph(n_viewers, n_creators, n_slots), []
        for _ in range(rng.integers(1, 12)):
            n = rng.integers(0, 50)
            calls.append((rng.integers(n_viewers, size=n), rng.integers(n_creators, size=n)))
            made = graph.follow(*calls[-1])
            assert made == graph.used.sum() - followed_by_the_rule(n_viewers, n_slots, calls[:-1])[1].sum()
        slots, used = followed_by_the_rule(n_viewers, n_slots, calls)
        assert np.array_equal(graph.slots, slots) and np.array_equal(graph.used, used)
        assert np.array_equal(graph.followers, slot_counts(graph, n_creators))


def test_following_slots_show_only_followed_creators():
    """With every slot from following, a viewer sees only the creators they follow."""
    model = LikeEconomy(load_scenario(TINY, ["ranking.following_share=1.0"]))
    for _ in range(12):
        model.step()
    platform = model.platforms[0]
    followed = np.unique(platform.videos["creator"][platform.videos.candidates])[:2]
    graph = platform.follows
    graph.slots[:2], graph.used[:2] = EMPTY, 0
    graph.follow(np.array([0, 0]), followed)
    viewer = np.repeat([0, 1], 300)
    creator = platform.videos["creator"][
        platform.videos.candidates[platform.fill_feeds(viewer, model.hour, model.viewers, model.rng)]
    ]
    assert set(creator[:300]) == set(followed)
    assert len(set(creator[300:])) > 2  # following no one: every slot is For-You


def test_followers_from_before_the_run_are_the_same_made_in_viewer_ranges(monkeypatch):
    from sim import platforms

    scenario = load_scenario(None, ["viewers.count=5000", "creators.count=100"])
    whole = LikeEconomy(scenario).platforms[0].follows
    monkeypatch.setattr(platforms, "SEEDED_FOLLOWS_AT_ONCE", 1_000)
    in_ranges = LikeEconomy(scenario).platforms[0].follows
    assert whole.used.sum() > 20 * 1_000  # so the second graph was made in over twenty ranges
    for graph in ("slots", "used", "followers", "quiet"):
        assert np.array_equal(getattr(whole, graph), getattr(in_ranges, graph))
