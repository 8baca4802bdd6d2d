"""What experiment and run reports say: the answer first, honest about bought likes, units and words."""

import json
import re

import pandas as pd
import pytest

import sim
from sim.comparison import AT_MOST_ONE, NON_NEGATIVE
from sim.experiment_report import experiment_report
from sim.loading import load_scenario
from sim.reports import report

from .conftest import TINY, likesim

GROUPS = (
    "creators.groups=[{name: organic, share: 0.4},"
    " {name: buyers, share: 0.3, buy_likes: {budget_per_video: 2.0}},"
    " {name: live, share: 0.3, live_gifts: {lives_per_week: 7}, vip: {price: 1.0}}]"
)


@pytest.fixture(scope="module")
def with_and_without_buyers(tmp_path_factory):
    """A two-arm experiment: the same population with the buyers buying, and not."""
    out = tmp_path_factory.mktemp("arms") / "exp"
    done = likesim(
        "run", TINY, "--out", out, "--no-progress", "--set", "clock.days=3", "--set", "replicates=2",
        "--set", GROUPS, "--set", "arms={with_buyers: {}, nobody_buys: {creators.groups.1.buy_likes: null}}",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out


def test_an_experiment_with_and_without_buyers_states_the_cost_to_everyone_else(with_and_without_buyers):
    text = (with_and_without_buyers / "report.md").read_text()
    assert "## What buying costs everyone else" in text
    section = text.split("## What buying costs everyone else")[1].split("##")[0]
    for group in ("organic", "buyers", "live", "all"):
        assert f"| {group} |" in section
    assert "change, paired" in section


def test_the_report_says_what_buying_did_for_the_buyers_and_splits_the_gap_to_the_organic(
    with_and_without_buyers,
):
    text = (with_and_without_buyers / "report.md").read_text()
    line = next(line for line in text.splitlines() if line.startswith("- In nobody_buys the buyers creators"))
    comparison = pd.read_csv(with_and_without_buyers / "comparison.csv")
    followers = comparison[comparison["metric"] == "followers_gained"].set_index(["arm", "group"])["mean"]
    said = re.search(
        r"a gap of (\S+) followers, made of what buying did for them \((\S+)\), what the organic "
        r"creators lost beside them \((\S+)\) and how far apart the two groups are when nobody buys "
        r"\((\S+)\)",
        line,
    )
    gap, own, lost, apart = (float(v.replace(",", "")) for v in said.groups())  # 3 significant digits
    assert gap == pytest.approx(
        followers["with_buyers", "buyers"] - followers["with_buyers", "organic"], rel=1e-2, abs=0.05
    )
    assert own == pytest.approx(
        followers["with_buyers", "buyers"] - followers["nobody_buys", "buyers"], rel=1e-2, abs=0.05
    )
    assert gap == pytest.approx(own + lost + apart, rel=1e-2, abs=0.05)


def test_the_report_separates_organic_from_displayed_engagement_and_flags_bought_likes(
    with_and_without_buyers,
):
    text = (with_and_without_buyers / "report.md").read_text()
    assert "organic engagement per view" in text and "displayed engagement per view" in text
    comparison = pd.read_csv(with_and_without_buyers / "comparison.csv")
    buyers = comparison[(comparison["arm"] == "with_buyers") & (comparison["group"] == "buyers")].set_index(
        "metric"
    )
    if buyers.loc["engagement_per_view", "mean"] > 1.5 * buyers.loc["organic_engagement_per_view", "mean"]:
        assert "This is mostly bought likes" in text


def test_the_money_answer_names_its_channel(with_and_without_buyers):
    text = (with_and_without_buyers / "report.md").read_text()
    assert "## Does buying likes pay?" in text
    assert "have no brands" in text or "has no brands" in text  # tiny has no brands: say so


def test_units_and_words_are_explained(with_and_without_buyers):
    text = (with_and_without_buyers / "report.md").read_text()
    assert "EUR per creator" in text and "## Words used" in text and "docs/outputs.md" in text
    assert "SeedSequence" not in text


def test_intervals_of_quantities_that_cannot_be_negative_stop_at_zero(with_and_without_buyers):
    comparison = pd.read_csv(with_and_without_buyers / "comparison.csv")
    bounded = comparison[comparison["metric"].isin(NON_NEGATIVE)]
    assert (bounded["ci_low"].dropna() >= 0).all()
    shares = comparison[comparison["metric"].isin(AT_MOST_ONE)]
    assert len(shares) and (shares["ci_high"].dropna() <= 1).all()


def test_a_sweep_report_says_how_each_group_changes_across_the_grid(tmp_path):
    out = tmp_path / "sweep"
    done = likesim(
        "sweep", TINY, "--out", out, "--no-progress", "--no-plots", "--grid", "integrity.strength=0.5,4",
        "--replicates", "2", "--set", "clock.days=3", "--set", GROUPS,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = (out / "report.md").read_text()
    first_screen = text.split("## Does buying likes pay?")[0]
    assert "## How the answer changes with integrity.strength" in first_screen
    assert "| group | integrity.strength=0.5 | integrity.strength=4 | first to last |" in first_screen
    for group in ("organic", "buyers", "live", "all"):
        assert f"| {group} |" in first_screen


def test_level_and_empty_metrics_are_said_in_words():
    runs = pd.DataFrame({"arm": ["a", "a"], "replicate": [0, 1], "folder": ["x", "y"]})
    rows = []
    for group in ("organic", "live"):
        for metric, value in (("followers_gained", 5.0), ("income", 0.0), ("profit", 0.0)):
            rows.append({"arm": "a", "group": group, "metric": metric, "mean": value, "ci_low": value,
                         "ci_high": value, "n": 2})  # fmt: skip
    text = experiment_report(runs, pd.DataFrame(rows), [])
    assert "organic and live are level at 5" in text
    assert "On income, no group has any." in text
    assert "comes first with 0" not in text


def test_a_short_run_says_why_survival_is_missing_and_counts_agree_in_number(tmp_path):
    result = sim.run(TINY, overrides=["clock.days=3", GROUPS])
    text = report(result, plots=False)
    assert "too short to measure how many bought likes are still online after 28 days" in text
    assert "n/a of bought likes" not in text
    assert " 1 VIP payments" not in text
    assert 0 < result.summary["gift_income_gini"] < 1
    assert f"gift income is unequal too: Gini {result.summary['gift_income_gini']:.2f}" in text


def test_cli_version_metric_check_and_compare_set(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        sim.cli.main(["--version"])
    assert stop.value.code == 0 and sim.__version__ in capsys.readouterr().out
    bad = likesim(
        "sweep", TINY, "--grid", "integrity.strength=1,2", "--metric", "nonsense", "--out", tmp_path / "s"
    )
    assert bad.returncode == 2 and "--metric nonsense: expected one of followers_gained" in bad.stderr
    assert not (tmp_path / "s").exists()
    out = tmp_path / "c"
    done = likesim("compare", TINY, "--set", "clock.days=2", "--out", out, "--no-progress")
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "runs" / "tiny" / "rep-000" / "summary.json").read_text())["scenario"] == "tiny"
    assert len(pd.read_csv(out / "runs" / "tiny" / "rep-000" / "timeseries.csv")) == 2


def test_a_file_that_names_arms_replaces_the_arms_it_extends(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {TINY.parent / 'strategies.yaml'}\nname: child\narms: {{only: {{}}}}\n")
    assert list(load_scenario(child).arms) == ["only"]
    assert list(load_scenario(TINY.parent / "strategies.yaml").arms) == ["with_buyers", "nobody_buys"]


def test_the_python_api_writes_the_folder_the_cli_writes(tmp_path):
    arms = {"lenient": {"integrity.strength": 0.5}, "strict": {"integrity.strength": 4.0}}
    done = likesim(
        "run", TINY, "--out", tmp_path / "cli", "--no-progress", "--no-plots", "--set", "clock.days=2",
        "--set", "replicates=2",
        "--set", "arms={lenient: {integrity.strength: 0.5}, strict: {integrity.strength: 4.0}}",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = sim.experiment(TINY, overrides=["clock.days=2"], replicates=2, arms=arms)
    assert set(result.tables.comparison["arm"]) == set(arms)
    assert len(result.results) == 4 and result.results[0].summary["views"] > 0
    result.write(tmp_path / "api", plots=False)
    for name in ("runs.csv", "comparison.csv", "report.md", "runs/strict/rep-001/creators.csv"):
        assert (tmp_path / "api" / name).read_text() == (tmp_path / "cli" / name).read_text(), name


def test_each_arm_gets_the_run_plots_of_its_replicates_pooled(with_and_without_buyers):
    plots = with_and_without_buyers / "plots"
    assert (plots / "with_buyers" / "bought_like_survival.png").stat().st_size > 10_000
    assert (plots / "with_buyers" / "likes_buyers_vs_controls.png").exists()
    assert not (plots / "nobody_buys" / "bought_like_survival.png").exists()  # nobody bought there
    text = (with_and_without_buyers / "report.md").read_text()
    assert "### with_buyers: its replicates pooled" in text
    assert "](plots/with_buyers/bought_like_survival.png)" in text
    captions = {
        arm: text.split(f"### {arm}: its replicates pooled")[1].split("![")[0]
        for arm in ("with_buyers", "nobody_buys")
    }
    assert "bought-like survival" in captions["with_buyers"] and "survival" not in captions["nobody_buys"]


def test_pooling_keeps_ids_apart_and_each_control_in_its_own_replicate():
    from sim.pooled import pool

    results = [sim.run(TINY, overrides=["clock.days=2", GROUPS], seed=seed) for seed in (1, 2)]
    pooled = pool(results)
    n = len(results[0].creators)
    assert pooled.creators["creator"].is_unique and len(pooled.creators) == 2 * n
    buyers = pooled.creators[pooled.creators["control"] >= 0]
    assert len(buyers) and (buyers["control"] // n == buyers["creator"] // n).all()
    assert len(pooled.timeseries) == 2  # days averaged over replicates, not stacked
    both = sum(r.survival["at_risk"].sum() for r in results)
    assert pooled.survival["at_risk"].sum() == both


def test_the_report_says_what_ran_and_compares_the_whole_platform_by_arm(with_and_without_buyers):
    text = (with_and_without_buyers / "report.md").read_text()
    assert text.startswith("# Experiment: tiny")
    assert "Each run: 1,000 viewers, 30 creators, 3 days." in text
    assert "## The platform as a whole, arm by arm" in text and "| with_buyers |" in text


def test_a_run_too_short_for_brands_to_shop_says_so(tmp_path):
    out = tmp_path / "short"
    done = likesim(
        "run", TINY, "--out", out, "--no-progress", "--no-plots", "--set", "clock.days=3",
        "--set", "replicates=2", "--set", GROUPS, "--set", "brands.count=2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = (out / "report.md").read_text()
    assert "No brand signed anyone in tiny" in text and "at least 14 are needed" in text


def test_writing_an_experiment_refuses_a_folder_with_results_and_records_its_plan(tmp_path):
    from sim.folders import OutputFolderError

    result = sim.experiment(TINY, overrides=["clock.days=2"], replicates=2)
    folder = result.write(tmp_path / "exp", plots=False)
    assert json.loads((folder / "experiment.json").read_text())["runs"][1]["replicate"] == "1"
    with pytest.raises(OutputFolderError):
        result.write(folder, plots=False)
    result.write(folder, plots=False, force=True)


def test_platform_rankers_are_the_registered_ones():
    from typing import get_args

    from sim.ranking import RANKERS
    from sim.scenario import PlatformRules

    assert set(get_args(PlatformRules.model_fields["ranker"].annotation)) == set(RANKERS)
    with pytest.raises(sim.ScenarioError, match=r"platforms\.x\.ranker: Input should be"):
        load_scenario(TINY, ["platforms={x: {ranker: per_veiw}}"])


def test_paired_differences_use_the_shared_seeds():
    from sim.comparison import paired_difference

    rows = [
        {"arm": arm, "replicate": r, "group": "g", "metric": "m", "value": base + shift}
        for r, base in enumerate([100.0, 300.0, 500.0])
        for arm, shift in (("a", 10.0 + r), ("b", 0.0))
    ]
    paired = paired_difference(pd.DataFrame(rows), "a", "b").iloc[0]
    assert paired["mean"] == pytest.approx(11.0) and paired["n"] == 3
    assert 0 < paired["ci_low"] < 11 < paired["ci_high"] < 30  # tight: the bases (100-500) cancel
