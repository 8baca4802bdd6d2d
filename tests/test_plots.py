"""Plots: colours that mean the same thing everywhere, honest intervals, whole-number count axes.

Small hand-made tables (no simulation), drawn on figures that are inspected and closed.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer, ErrorbarContainer

from sim import plots
from sim.experiment_plots import (
    comparison_bars,
    comparison_figure,
    followers_by_arm,
    followers_by_arm_figure,
    sweep_figure,
    sweep_plot,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def drawn(fig):
    fig.canvas.draw()  # ticks and layout are settled when drawn
    return fig


def labelled_lines(ax) -> dict:
    """Colour (hex) of each line with a label of its own (not matplotlib's _child/_nolegend_)."""
    return {
        line.get_label(): to_hex(line.get_color()) for line in ax.get_lines() if line.get_label()[0] != "_"
    }


def visible_ticks(ax, axis="x") -> np.ndarray:
    ticks = ax.get_xticks() if axis == "x" else ax.get_yticks()
    low, high = sorted(ax.get_xlim() if axis == "x" else ax.get_ylim())
    return ticks[(ticks >= low - 1e-9) & (ticks <= high + 1e-9)]


def assert_whole(ticks):
    assert len(ticks) >= 2
    assert np.allclose(ticks, np.round(ticks)), ticks


def legend_outside(fig, legend_ax):
    """The legend sits right of its panel, so it covers no data."""
    renderer = fig.canvas.get_renderer()
    return legend_ax.get_legend().get_window_extent(renderer).x0 >= legend_ax.get_window_extent(renderer).x1


# --- tables ---------------------------------------------------------------------------------------


def ci(mean, low, high, n) -> dict:
    return {"mean": mean, "ci_low": low, "ci_high": high, "n": n}


def bands_table() -> pd.DataFrame:
    """Followers by day: arm 'organic_only' has no buyers; CIs dip below zero (small counts)."""
    rows = []
    for arm, groups in {"organic_only": ["organic"], "with_buyers": ["organic", "buyers"]}.items():
        for group in groups:
            for day in range(4):
                mean = 0.4 * day + (1.0 if group == "buyers" else 0.2)
                rows.append({"arm": arm, "group": group, "day": day, **ci(mean, mean - 1.5, mean + 1.0, 3)})
    return pd.DataFrame(rows)


def comparison_table() -> pd.DataFrame:
    """Two arms x (organic, buyers, all); arm 'b' has one replicate (no interval); 'income' all NaN."""
    rows = []
    for arm, n in (("a", 3), ("b", 1)):
        for group in ("organic", "buyers", "all"):
            for metric, mean in (("followers_gained", 4.0), ("profit", -1.0), ("engagement_per_view", 0.05)):
                low, high = (mean - 0.5 * abs(mean), mean + 0.5 * abs(mean)) if n > 1 else (np.nan, np.nan)
                rows.append({"arm": arm, "group": group, "metric": metric, **ci(mean, low, high, n)})
            rows.append({"arm": arm, "group": group, "metric": "income", **ci(np.nan, np.nan, np.nan, 0)})
    return pd.DataFrame(rows)


def sweep_table(second: list | None = None) -> pd.DataFrame:
    """A sweep over strength (given out of order) and optionally a second parameter."""
    rows = []
    for strength in (2, 0.5, 1):
        for other in second or [None]:
            for group, base in (("organic", 1.0), ("buyers", 3.0), ("all", 2.0)):
                for metric in ("followers_gained", "profit"):
                    mean = base / strength
                    row = {"arm": f"s={strength}", "integrity.strength": strength, "group": group}
                    row |= {"metric": metric, **ci(mean, mean - 0.3, mean + 0.3, 4)}
                    if second:
                        row["brands.audited_share"] = other
                    rows.append(row)
    return pd.DataFrame(rows)


# --- group colours --------------------------------------------------------------------------------


def test_group_colors_follow_first_appearance_and_all_is_black():
    colors = plots.group_colors(["organic", "buyers", "all", "organic", "vip"])
    assert list(colors) == ["organic", "buyers", "all", "vip"]
    assert colors["organic"] == plots.GROUP_PALETTE[0] and colors["buyers"] == plots.GROUP_PALETTE[1]
    assert colors["vip"] == plots.GROUP_PALETTE[2]  # 'all' takes no palette slot
    assert colors["all"] == "black"
    assert plots.group_colors(["organic", "buyers", "vip"]) == {k: v for k, v in colors.items() if k != "all"}


def run_tables():
    """A three-group run: daily followers (small counts), creators, videos, timeseries."""
    groups = ["organic", "buyers", "vip"]
    creators = pd.DataFrame(
        {
            "creator": range(6),
            "group": [g for g in groups for _ in range(2)],
            "followers": [1, 3, 2, 5, 1, 2],
            "views": [10, 30, 20, 50, 10, 20],
            "engagement_per_follower": [0.5, 0.2, 0.3, 0.1, 0.4, 0.3],
            "engagement_per_view": [0.05, 0.02, 0.2, 0.1, 0.04, 0.03],
        }
    )
    daily = pd.DataFrame(
        [
            {"day": day, "creator": c, "group": g, "followers": min(day, 2) if c % 2 else 0}
            for day in range(4)
            for c, g in zip(creators["creator"], creators["group"], strict=True)
        ]
    )
    timeseries = pd.DataFrame(
        {"day": [1, 2, 3], "views": [100, 120, 130], "likes": [5, 7, 6], "like_view": [0.05, 0.06, 0.05]}
    )
    videos = pd.DataFrame({"views": np.arange(1, 41) * 10, "like_view": np.linspace(0.01, 0.2, 40)})
    return creators, daily, timeseries, videos


@pytest.fixture
def captured(monkeypatch):
    """The figures the run plots would save, kept open for inspection."""
    figures = []
    monkeypatch.setattr(plots, "save", lambda fig, path: figures.append(fig) or path)
    return figures


def test_run_plots_give_a_group_the_same_colour_and_count_axes_whole_numbers(captured, tmp_path):
    creators, daily, timeseries, videos = run_tables()
    plots.followers_over_time(daily, tmp_path / "a.png")
    plots.engagement_vs_followers(creators, tmp_path / "b.png")
    over_time, engagement = (drawn(fig) for fig in captured[:2])
    lines = labelled_lines(over_time.axes[0])
    points = {c.get_label(): to_hex(c.get_facecolor()[0]) for c in engagement.axes[0].collections}
    assert {g: lines[f"{g} (mean)"] for g in points} == points  # same group, same colour
    assert len(set(points.values())) == 3
    ax = over_time.axes[0]
    assert_whole(visible_ticks(ax, "x"))
    assert_whole(visible_ticks(ax, "y"))  # followers 0..2: no 0.25 followers
    assert ax.get_xlim()[0] == 0


def test_day_axes_start_at_day_0_with_whole_days(captured, tmp_path):
    _, _, timeseries, videos = run_tables()
    plots.daily_activity(timeseries, pd.DataFrame(columns=["day", "hour", "set", "note"]), tmp_path / "a.png")
    plots.like_view_distribution(videos, tmp_path / "b.png")
    activity, distribution = (drawn(fig) for fig in captured)
    ax = activity.axes[0]
    assert ax.get_xlim()[0] == 0  # timeseries starts at day 1; the axis at day 0 like the others
    assert_whole(visible_ticks(ax, "x"))
    assert_whole(visible_ticks(distribution.axes[0], "y"))  # whole videos


# --- followers by arm -----------------------------------------------------------------------------


def test_followers_by_arm_keeps_arm_colours_across_panels_and_bands_above_zero():
    fig = drawn(followers_by_arm_figure(bands_table()))
    organic, buyers = fig.axes
    assert [organic.get_title(), buyers.get_title()] == ["organic", "buyers"]
    in_organic, in_buyers = labelled_lines(organic), labelled_lines(buyers)
    assert set(in_organic) == {"organic_only", "with_buyers"} and set(in_buyers) == {"with_buyers"}
    assert in_buyers["with_buyers"] == in_organic["with_buyers"] != in_organic["organic_only"]
    legend = [t.get_text() for t in buyers.get_legend().get_texts()]
    assert legend == ["organic_only", "with_buyers"]  # every arm, also where it has no buyers
    for ax in fig.axes:
        assert ax.collections, "a band per arm"
        for band in ax.collections:
            assert min(path.vertices[:, 1].min() for path in band.get_paths()) >= 0
        assert all(line.get_ydata().min() >= 0 for line in ax.get_lines())
        assert_whole(visible_ticks(ax, "x"))
        assert ax.get_xlim()[0] == 0
    assert_whole(visible_ticks(organic, "y"))
    assert legend_outside(fig, buyers)


def test_followers_by_arm_writes_a_png(tmp_path):
    path = followers_by_arm(bands_table(), tmp_path / "followers_by_arm.png")
    assert path.read_bytes()[:4] == b"\x89PNG"


# --- comparison bars ------------------------------------------------------------------------------


def test_comparison_bars_colour_by_arm_label_units_and_skip_empty_metrics():
    metrics = ("followers_gained", "engagement_per_view", "income", "profit")
    fig = drawn(comparison_figure(comparison_table(), metrics))
    assert len(fig.axes) == 3  # income has no data: no panel
    assert [ax.get_title() for ax in fig.axes] == [
        "Followers gained",
        "Displayed engagement per view",
        "Profit",
    ]
    assert "EUR" in fig.axes[2].get_ylabel() and "per creator" in fig.axes[0].get_ylabel()
    assert "views" in fig.axes[1].get_ylabel()
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    assert len(legends) == 1 and [t.get_text() for t in legends[0].get_texts()] == ["a", "b"]
    for ax in fig.axes:
        assert [t.get_text() for t in ax.get_xticklabels()] == ["organic", "buyers"]  # groups, no 'all'
        colours = {
            bars.get_label(): {to_hex(bar.get_facecolor()) for bar in bars}
            for bars in ax.containers
            if isinstance(bars, BarContainer)
        }
        assert len(colours["a"]) == len(colours["b"]) == 1 and colours["a"] != colours["b"]
        errorbars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        # arm a (3 replicates) has an interval per group; arm b (1 replicate) has none
        assert sum(len(c.lines[2][0].get_segments()) for c in errorbars) == 2
    assert legend_outside(fig, legends[0].axes)


def test_comparison_bars_draw_no_error_bar_for_a_single_replicate(tmp_path):
    table = comparison_table()
    single = table[table["arm"] == "b"]
    fig = drawn(comparison_figure(single, ("followers_gained",)))
    assert not [c for c in fig.axes[0].containers if isinstance(c, ErrorbarContainer)]
    assert comparison_bars(single, tmp_path / "s.png", ("followers_gained",)).stat().st_size > 0


# --- sweeps ---------------------------------------------------------------------------------------


def test_sweep_one_parameter_draws_a_line_per_group_in_numeric_order():
    fig = drawn(sweep_figure(sweep_table(), ["integrity.strength"], ["followers_gained", "profit"]))
    assert len(fig.axes) == 2  # a panel per metric
    for ax in fig.axes:
        lines = {line.get_label(): line for line in ax.get_lines() if line.get_label()[0] != "_"}
        assert set(lines) == {"organic", "buyers", "all"}
        assert list(lines["organic"].get_xdata()) == [0.5, 1.0, 2.0]
        assert list(lines["organic"].get_ydata()) == [2.0, 1.0, 0.5]
        assert lines["all"].get_linestyle() == "--" and to_hex(lines["all"].get_color()) == "#000000"
        assert len(ax.collections) == 3  # a 95% band per group
        assert [t.get_text() for t in ax.get_xticklabels()] == ["0.5", "1", "2"]
    assert "EUR" in fig.axes[1].get_ylabel()
    colours = labelled_lines(fig.axes[0])
    assert colours["organic"] == to_hex(plots.group_colors(["organic", "buyers"])["organic"])


def test_sweep_two_parameters_draw_a_panel_per_value_of_the_second():
    grid = ["integrity.strength", "brands.audited_share"]
    fig = drawn(sweep_figure(sweep_table(second=["1", "0.5", "0"]), grid, "profit"))
    assert len(fig.axes) == 3
    assert [ax.get_title().splitlines()[-1] for ax in fig.axes] == [
        "brands.audited_share = 0",
        "brands.audited_share = 0.5",
        "brands.audited_share = 1",
    ]
    for ax in fig.axes:
        assert {line.get_label() for line in ax.get_lines() if line.get_label()[0] != "_"} == {
            "organic",
            "buyers",
            "all",
        }


def test_sweep_over_names_keeps_their_order(tmp_path):
    table = sweep_table()
    table["integrity.strength"] = table["integrity.strength"].map({2: "high", 0.5: "low", 1: "mid"})
    fig = drawn(sweep_figure(table, ["integrity.strength"], "followers_gained"))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["high", "low", "mid"]
    assert sweep_plot(table, tmp_path / "s.png", ["integrity.strength"], "followers_gained").exists()


def test_sweep_with_three_parameters_and_a_null_value_draws_a_panel_per_combination():
    table = sweep_table(second=[None, 0.5])
    table = pd.concat([table.assign(**{"clock.days": days}) for days in (10, 5)], ignore_index=True)
    grid = ["integrity.strength", "brands.audited_share", "clock.days"]
    fig = drawn(sweep_figure(table, grid, "profit"))
    assert [ax.get_title().splitlines()[-1] for ax in fig.axes] == [
        "brands.audited_share = none, clock.days = 5",  # not all numbers: the grid's order
        "brands.audited_share = none, clock.days = 10",
        "brands.audited_share = 0.5, clock.days = 5",
        "brands.audited_share = 0.5, clock.days = 10",
    ]
    for ax in fig.axes:
        lines = {line.get_label(): line for line in ax.get_lines() if line.get_label()[0] != "_"}
        assert list(lines["buyers"].get_ydata()) == [6.0, 3.0, 1.5]


def test_log_axes_read_in_plain_figures():
    from sim.plots import plain_number

    assert [plain_number(v) for v in (0.05, 1, 20, 500, 2000, 10_000, 1_500_000)] == [
        "0.05", "1", "20", "500", "2k", "10k", "1.5M",
    ]  # fmt: skip
