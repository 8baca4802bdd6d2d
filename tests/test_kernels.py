"""One uniform per impression must decide its chain of events as independent draws would."""

import numpy as np
import pytest
from numba import njit

from sim import kernels

N = 400_000


@njit
def _decide(uniform, probabilities, n_outcomes):
    """For each uniform: a categorical pick among ``n_outcomes``, then one yes/no per probability."""
    picks = np.empty(uniform.size, np.int64)
    events = np.empty((uniform.size, probabilities.size), np.bool_)
    for i in range(uniform.size):
        u, low, width = uniform[i], 0.0, 1.0
        picks[i], low, width = kernels.categorical(u, low, width, n_outcomes)
        for e in range(probabilities.size):
            events[i, e], low, width = kernels.bernoulli(u, low, width, probabilities[e])
    return picks, events


def _close(observed, expected):
    """Within 5 standard errors of a frequency over N draws."""
    return abs(observed - expected) <= 5 * np.sqrt(expected * (1 - expected) / N) + 1e-12


def test_one_uniform_gives_independent_events_with_their_probabilities():
    probabilities = np.array([0.3, 0.01, 0.5, 0.9, 0.001])
    picks, events = _decide(np.random.default_rng(0).random(N), probabilities, 3)
    assert all(_close(np.mean(picks == k), 1 / 3) for k in range(3))
    for a, p in enumerate(probabilities):
        assert _close(events[:, a].mean(), p)
        assert _close(events[picks == 0, a].mean() * (picks == 0).mean(), p / 3)  # independent of the pick
        for b in range(a + 1, probabilities.size):
            assert _close((events[:, a] & events[:, b]).mean(), p * probabilities[b])


@pytest.mark.parametrize("exploration", [0.0, 0.25, 1.0])
def test_niche_follows_interest_or_exploration(exploration):
    interest = np.array([[0.6, 0.0, 0.3, 0.1]], np.float32)
    niche = np.empty(N, np.int64)
    uniform = np.random.default_rng(1).random(N)
    kernels.pick_niches(np.zeros(N, np.int64), uniform, np.cumsum(interest, axis=1), exploration, niche)
    expected = (1 - exploration) * interest[0] + exploration / interest.shape[1]
    shares = np.bincount(niche, minlength=interest.shape[1]) / N
    assert all(_close(share, want) for share, want in zip(shares, expected, strict=True))


@njit
def _full_chain(later_logits, watch_weights, uniform, play_chance):
    """Every action's draw by the whole chain of splits, with no shortcut (no watch noise)."""
    n_actions = later_logits.shape[1] - 1
    drawn = np.zeros((n_actions, uniform.size), np.bool_)
    for i in range(uniform.size):
        share = kernels.logistic(later_logits[i, 0] + 0.0)
        u, low, width = uniform[i], 0.0, play_chance[i]
        for a in range(n_actions):
            p = kernels.logistic(later_logits[i, 1 + a] + watch_weights[2 + a] * share)
            drawn[a, i], low, width = kernels.bernoulli(u, low, width, p)
    return drawn


def test_skipping_impressions_beyond_any_action_changes_no_outcome():
    """Anywhere, at the edge of 'no action at all' or at the shortcut's bound: the full chain's draws."""
    rng = np.random.default_rng(5)
    n, weights = 300_000, np.array([0.0, 0.0, 1.5, 0.5, -0.3, 2.0])
    later_logits = rng.normal([0.0, -3.0, -6.0, -5.0, -7.0], 2.5, (n, 5))
    chance = rng.uniform(0.05, 1.0, n)
    share = 1 / (1 + np.exp(-later_logits[:, 0]))
    logits = later_logits[:, 1:] + weights[2:] * share[:, None]
    no_action_from = chance * (1 - np.prod(1 - 1 / (1 + np.exp(-logits)), axis=1))
    bound = chance * np.minimum(1, 4 * np.exp(logits.max(axis=1))) * (1 + 1e-9) + 1e-12
    jitter = 1 + rng.normal(0, 1e-10, n)
    uniform = np.where(
        np.arange(n) % 3 == 0, rng.random(n) * chance, np.where(np.arange(n) % 3 == 1, no_action_from, bound)
    )
    # A played impression's uniform lies below its chance of play.
    uniform = np.minimum(uniform * jitter, np.nextafter(chance, 0))
    watched, drawn = np.zeros(n, np.float32), np.zeros((4, n), bool)
    kernels.react_after_play(
        later_logits, weights, uniform, np.ones(n, bool), chance, np.zeros(n), np.arange(n), watched, drawn
    )
    assert (drawn == _full_chain(later_logits, weights, uniform, chance)).all()
    # Both sides of each edge are exercised.
    assert drawn.any(axis=0).mean() > 0.1 and (bound[2::3] < chance[2::3]).mean() > 0.5


def test_merged_search_finds_what_a_binary_search_would():
    rng = np.random.default_rng(7)
    cumulative = np.cumsum(rng.pareto(1.0, 5_000) * (rng.random(5_000) < 0.9))  # steps, ties and flats
    points = np.sort(np.concatenate([rng.random(20_000) * cumulative[-1] * 1.01, cumulative[::50]]))
    found = np.empty(points.size, np.int64)
    kernels.search_sorted_points(cumulative, points, found)
    assert (found == np.searchsorted(cumulative, points, side="right")).all()


def test_guided_search_finds_what_a_binary_search_would():
    rng = np.random.default_rng(9)
    for size in (1, 7, 5_000):
        cumulative = np.cumsum(rng.pareto(1.0, size) * (rng.random(size) < 0.9))  # steps, ties and flats
        total = cumulative[-1]
        points = np.concatenate([rng.random(20_000) * total, cumulative, [0.0, total, 2 * total, -1.0]])
        points = rng.permutation(points)  # in any order, the steps themselves and the edges included
        found = np.empty(points.size, np.int64)
        kernels.search_points(cumulative, points, found)
        assert (found == np.searchsorted(cumulative, points, side="right")).all(), size
    zero = np.zeros(4)  # nothing to weigh: every point at or above 0 lies past the end
    found = np.empty(2, np.int64)
    kernels.search_points(zero, np.array([0.0, 0.5]), found)
    assert (found == np.searchsorted(zero, [0.0, 0.5], side="right")).all()


def test_each_viewers_watched_valence_adds_up_as_bincount_would():
    rng = np.random.default_rng(8)
    viewer = np.sort(rng.integers(0, 3_000, 50_000))
    valence, watched = rng.standard_normal((2, viewer.size)).astype(np.float32)
    active, drift = np.empty(viewer.size, np.int64), np.empty(viewer.size)
    n = kernels.watched_valence_by_viewer(viewer, valence, watched, active, drift)
    first = np.r_[True, viewer[1:] != viewer[:-1]]
    assert (active[:n] == viewer[first]).all()
    assert (drift[:n] == np.bincount(np.cumsum(first) - 1, weights=valence * watched)).all()


def test_count_before_is_the_exclusive_running_count():
    flags = np.random.default_rng(9).random(10_000) < 0.3
    before = np.empty(flags.size, np.int64)
    assert kernels.count_before(flags, before) == flags.sum()
    assert (before == np.cumsum(flags) - flags).all()
