import numpy as np
import pandas as pd
import pytest

from sim.metrics import gini, lorenz, rated, top_share


def test_gini_known_values():
    assert gini([1, 1, 1, 1]) == 0
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    assert gini([]) == 0 and gini([0, 0]) == 0


def test_lorenz_and_top_share():
    x, y = lorenz([1, 3])
    assert list(x) == [0, 0.5, 1] and list(y) == [0, 0.25, 1]
    values = np.r_[np.ones(99), 101.0]
    assert top_share(values, 0.01) == pytest.approx(101 / 200)


@pytest.mark.parametrize("like_view", [[], [0.0], [0.05], [0.05, 0.05]])
def test_like_view_plot_copes_with_few_or_equal_rates(tmp_path, like_view):
    from sim.plots import like_view_distribution

    videos = pd.DataFrame({"views": [1000] * len(like_view), "like_view": like_view})
    assert like_view_distribution(videos, tmp_path / "plot.png").stat().st_size > 0


def test_rated_videos_are_the_most_viewed_share():
    videos = pd.DataFrame({"views": np.arange(1, 101), "like_view": np.zeros(100)})
    assert list(rated(videos)["views"]) == list(range(86, 101))
    assert rated(videos.iloc[:0]).empty
    ties = pd.DataFrame({"views": [5] * 10, "like_view": np.zeros(10)})
    assert len(rated(ties)) == 10
