import numpy as np

from sim.follows import EMPTY, FollowGraph


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


def test_followed_draws_only_followed_creators():
    graph = FollowGraph(n_viewers=2, n_creators=5, n_slots=3)
    graph.follow(np.array([0, 0]), np.array([1, 4]))
    picks = graph.followed(np.array([0] * 200 + [1] * 5), np.random.default_rng(0))
    assert set(picks[:200]) == {1, 4}
    assert (picks[200:] == EMPTY).all()
