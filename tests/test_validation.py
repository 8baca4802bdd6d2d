"""Validation: the checks' logic, the documented table, and `likesim validate --quick` end to end."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
import sim.validation as validation
from sim.cli import main
from sim.metrics import tier_of
from sim.validation.facts import CHECKS, COLUMNS, Check, evaluate, markdown, with_table
from sim.validation.measures import rate_ratios
from sim.validation.runs import Task

from .conftest import TINY

DOCS = Path(__file__).resolve().parent.parent / "docs" / "validation.md"


def test_checks_pass_and_fail_on_a_hand_made_table():
    checks = (
        Check(2, "a median", "src", "platform.a", 0.035, 0.08, "too low", "too high"),
        Check(2, "an upper bound only", "src", "platform.b", 1.0, math.inf, "too low"),
        Check(5, "exact", "src", "gifts.c", 0, 0, "", "unbalanced"),
        Check(3, "not modelled yet", "src", "instagram.d", -1, -0.1, "no profile yet"),
    )
    cases = [
        (
            {"platform.a": 0.053, "platform.b": 7.0, "gifts.c": 0, "instagram.d": None},
            [True, True, True, False],
        ),
        (
            {"platform.a": 0.035, "platform.b": 1.0, "gifts.c": 1, "instagram.d": -0.5},
            [True, True, False, True],
        ),
        (
            {"platform.a": 0.02, "platform.b": 0.99, "gifts.c": 0, "instagram.d": -0.05},
            [False, False, True, False],
        ),
        ({"platform.a": 0.09, "platform.b": np.nan, "gifts.c": 0}, [False, False, True, False]),
    ]
    for measures, expected in cases:
        table = evaluate(measures, checks)
        assert list(table.columns[: len(COLUMNS)]) == list(COLUMNS)
        assert list(table["ok"]) == expected
    gaps = evaluate(cases[2][0], checks)["gap"].tolist()
    assert gaps[:3] == ["too low", "too low", ""]
    assert evaluate(cases[3][0], checks)["gap"][0] == "too high"
    assert evaluate(cases[0][0], checks)["gap"][3].startswith("not measured here")


def test_every_section_of_the_evidence_has_a_check():
    assert {check.section for check in CHECKS} == set(range(1, 9))
    assert all(check.low <= check.high for check in CHECKS)
    assert len({(c.metric, c.low, c.high) for c in CHECKS}) == len(CHECKS)


def test_the_documented_table_is_the_code_table():
    document = DOCS.read_text(encoding="utf-8")
    assert with_table(document) == document, "run `python -m sim.validation` to update docs/validation.md"
    assert markdown() in document


def test_tiers_and_rate_ratios():
    assert list(tier_of([0, 5, 10, 99, 100, 499, 500, 9000], 10_000)) == [
        "nano", "nano", "micro", "micro", "mid", "mid", "macro", "macro"
    ]  # fmt: skip
    rng = np.random.default_rng(0)
    features = pd.DataFrame({"arousal": rng.standard_normal(4000), "valence": rng.standard_normal(4000)})
    exposure = rng.integers(100, 1000, 4000)
    events = rng.poisson(exposure * 0.01 * np.exp(0.4 * features["arousal"] - 0.2 * features["valence"]))
    ratios = rate_ratios(events, exposure, features)
    assert ratios["arousal"] == pytest.approx(np.exp(0.4), rel=0.03)
    assert ratios["valence"] == pytest.approx(np.exp(-0.2), rel=0.03)


def test_a_run_report_holds_the_run_against_what_it_can_answer(tiny_result):
    table = validation.run_checks(tiny_result)
    assert set(table["section"]) <= {2, 3, 4, 7, 8}
    assert not table["metric"].str.startswith(("musiclab", "gifts", "bought_likes")).any()


def test_validate_from_python_returns_the_csv_columns(monkeypatch):
    spec = sim.load_scenario(TINY, ["clock.days=2"])
    monkeypatch.setattr(
        validation, "plan", lambda quick: [Task("platform", 1, spec), Task("platform", 2, spec)]
    )
    table = sim.validate(quick=True)
    assert list(table.columns) == list(COLUMNS)
    assert len(table) == len(CHECKS)
    assert table.loc[table["metric"] == "platform.like_view_median", "value"].notna().all()
    assert not table.loc[table["metric"].str.startswith("musiclab"), "ok"].any()  # not run: fails


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("validation") / "quick"
    code = main(["validate", "--quick", "--workers", "2", "--out", str(out), "--no-progress"])
    return code, out


@pytest.mark.slow
def test_validate_quick_writes_the_table_report_and_plots(quick):
    code, out = quick
    table = pd.read_csv(out / "validation.csv")
    assert list(table.columns) == list(COLUMNS)
    assert len(table) == len(CHECKS)
    assert code == (0 if table["ok"].all() else 1)
    report = (out / "report.md").read_text()
    assert f"{int(table['ok'].sum())} of {len(table)} checks pass" in report
    assert "docs/validation.md" in report and "../shared" not in report
    for name in ("checks", "musiclab", "musiclab_quality_success", "like_view", "tiers", "views_tail",
                 "bought_like_survival", "audit_vs_bot_quality", "emotion", "gifting"):  # fmt: skip
        assert (out / "plots" / f"{name}.png").stat().st_size > 10_000, name
        assert f"plots/{name}.png" in report
    measures = pd.read_csv(out / "measures.csv")
    assert set(measures["experiment"]) == {
        "platform",
        "instagram",
        "bought_likes",
        "gifts",
        "musiclab",
        "audit_sweep",
    }
    worlds = pd.read_csv(out / "worlds.csv")  # every MusicLab world: 8 social and the independent one
    assert (worlds.groupby(["display", "seed"]).size() == 9).all()
    assert (worlds["downloads"] <= worlds["listens"]).all() and worlds["gini"].between(0, 1).all()


@pytest.mark.slow
def test_the_audit_sees_less_as_bots_pass_better(quick):
    _, out = quick
    measures = pd.read_csv(out / "measures.csv")
    recall = measures[measures["metric"] == "audit_recall"].groupby("bot_quality")["value"].mean()
    assert recall.index.is_monotonic_increasing
    assert recall.iloc[-1] < recall.iloc[0] - 0.1


@pytest.mark.slow
def test_published_facts_the_model_reaches(quick):
    """The core of the calibration: MusicLab's ordering and §2's like/view median hold in --quick."""
    _, out = quick
    table = pd.read_csv(out / "validation.csv").set_index("metric")
    for metric in ("musiclab.grid.gini_lift", "musiclab.ranked_over_grid.gini", "platform.like_view_median",
                   "gifts.books_imbalance", "bought_likes.bought_like_survival_28d"):  # fmt: skip
        assert table.loc[metric, "ok"].all(), metric
