"""Results keep their meaning at any size: the default scenario at 10,000 and at 50,000 viewers."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

import sim
from sim.executors import worker_start

SEEDS = (1, 2, 3)
#: Each key ratio and how far the two sizes may differ: (kind, tolerance), stated in docs/model.md.
TOLERANCES = {
    "like_view_median": ("ratio", 1.25),
    "comment_view_median": ("ratio", 1.25),
    "share_view_median": ("ratio", 1.25),
    "views_gini": ("difference", 0.05),
    "top1pct_view_share": ("difference", 0.08),
    "followers_gini": ("difference", 0.05),
}


def summary(job):
    viewers, seed = job
    result = sim.run(None, overrides=[f"viewers.count={viewers}"], seed=seed)
    return viewers, {name: result.summary[name] for name in TOLERANCES}


@pytest.mark.slow
def test_key_ratios_hold_between_10000_and_50000_viewers():
    jobs = [(viewers, seed) for viewers in (10_000, 50_000) for seed in SEEDS]
    with ProcessPoolExecutor(2, worker_start()) as pool:
        results = list(pool.map(summary, jobs))
    mean = {
        viewers: {name: np.mean([s[name] for v, s in results if v == viewers]) for name in TOLERANCES}
        for viewers in (10_000, 50_000)
    }
    small, large = mean[10_000], mean[50_000]
    for name, (kind, tolerance) in TOLERANCES.items():
        if kind == "ratio":
            assert 1 / tolerance <= large[name] / small[name] <= tolerance, (name, small[name], large[name])
        else:
            assert abs(large[name] - small[name]) <= tolerance, (name, small[name], large[name])
