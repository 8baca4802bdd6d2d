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
