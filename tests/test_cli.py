import json

import pandas as pd

from sim.plots import BOUGHT_LIKE_PLOTS, BRAND_PLOTS, GIFT_PLOTS, RUN_PLOTS

from .conftest import SCENARIOS, TINY, likesim

SUMMARY_KEYS = {
    "impressions",
    "views",
    "likes",
    "like_view_median",
    "views_gini",
    "followers_gini",
    "top1pct_view_share",
    "wall_seconds",
}
BOUGHT_LIKE_KEYS = (
    "bought_likes_delivered",
    "bought_likes_removed",
    "bought_like_survival_28d",
    "audit_precision",
    "audit_recall",
    "audit_auc",
)
GIFT_KEYS = (
    "coins_purchased",
    "coins_gifted",
    "coins_unspent",
    "creator_payout",
    "platform_take",
    "creator_share_of_spend",
    "gift_top20_share",
    "vip_subscribers",
    "vip_revenue",
)


def test_run_writes_the_whole_run_folder(tmp_path):
    out = tmp_path / "run"
    result = likesim("run", str(TINY), "--out", str(out), "--seed", "3", "--set", "clock.days=2")
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    for name in (
        "scenario.yaml",
        "manifest.json",
        "timeseries.csv",
        "creators.csv",
        "videos.csv",
        "creators_daily.csv",
        "summary.json",
        "report.md",
    ):
        assert (out / name).stat().st_size > 0, name
    for name in RUN_PLOTS:
        assert (out / "plots" / name).read_bytes()[:4] == b"\x89PNG"
    summary = json.loads((out / "summary.json").read_text())
    assert SUMMARY_KEYS <= set(summary) and summary["seed"] == 3
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["versions"]["mesa"] == "3.5.1"
    assert len(pd.read_csv(out / "timeseries.csv")) == 2
    report = (out / "report.md").read_text()
    assert "Against published numbers" in report and "plots/lorenz_views.png" in report
    rerun = likesim("check", str(out / "scenario.yaml"))
    assert rerun.returncode == 0 and "seed: 3" in rerun.stdout


def test_run_refuses_a_non_empty_folder_unless_forced(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    refused = likesim("run", str(TINY), "--out", str(out), "--set", "clock.days=1")
    assert refused.returncode == 2 and "not empty" in refused.stderr and "Traceback" not in refused.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    forced = likesim("run", str(TINY), "--out", str(out), "--set", "clock.days=1", "--force")
    assert forced.returncode == 0 and (out / "summary.json").exists() and (out / "notes.txt").exists()


def test_default_folder_is_under_results(tmp_path):
    result = likesim("run", str(TINY), "--set", "clock.days=1", "--set", "name=smoke", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (folder,) = (tmp_path / "results").iterdir()
    assert folder.name.startswith("smoke-") and (folder / "summary.json").exists()


def test_bought_likes_run_answers_the_question(tmp_path):
    out = tmp_path / "run"
    scenario = SCENARIOS / "bought_likes.yaml"
    result = likesim(
        "run", str(scenario), "--out", str(out), "--set", "viewers.count=2000", "--set", "clock.days=4"
    )
    assert result.returncode == 0, result.stderr
    for name in ("survival.csv", "audit.csv"):
        assert len(pd.read_csv(out / name)) > 0, name
    for name in BOUGHT_LIKE_PLOTS:
        assert (out / "plots" / name).read_bytes()[:4] == b"\x89PNG"
    summary = json.loads((out / "summary.json").read_text())
    for key in BOUGHT_LIKE_KEYS:
        assert key in summary, key
    assert summary["bought_likes_delivered"] > 0
    assert summary["bought_like_survival_28d"] is None  # four days cannot measure 28-day survival
    report = (out / "report.md").read_text()
    assert "## Bought likes" in report and "**Answer.**" in report


def test_organic_run_has_no_bought_like_plots(tmp_path):
    out = tmp_path / "run"
    assert likesim("run", str(TINY), "--out", str(out), "--set", "clock.days=2").returncode == 0
    assert not any(
        (out / "plots" / name).exists() for name in (*BOUGHT_LIKE_PLOTS, *GIFT_PLOTS, *BRAND_PLOTS)
    )
    assert "## Bought likes" not in (out / "report.md").read_text()


def test_gift_run_writes_the_books(tmp_path):
    out = tmp_path / "run"
    scenario = SCENARIOS / "gift_monetization.yaml"
    result = likesim(
        "run", str(scenario), "--out", str(out), "--set", "viewers.count=3000", "--set", "clock.days=3"
    )
    assert result.returncode == 0, result.stderr
    ledger = pd.read_csv(out / "ledger.csv")
    assert len(ledger) == 3
    assert ledger["coins_purchased"].sum() == ledger["coins_unspent"].iloc[-1] + ledger["coins_gifted"].sum()
    assert len(pd.read_csv(out / "gifters.csv")) > 0
    for name in GIFT_PLOTS:
        assert (out / "plots" / name).read_bytes()[:4] == b"\x89PNG"
    summary = json.loads((out / "summary.json").read_text())
    for key in GIFT_KEYS:
        assert key in summary, key
    assert "## Gifts, LIVE and VIP" in (out / "report.md").read_text()


def test_brand_run_writes_deals_and_brands(tmp_path):
    out = tmp_path / "run"
    scenario = SCENARIOS / "brand_partnerships.yaml"
    overrides = ["viewers.count=3000", "clock.days=16"]
    result = likesim("run", str(scenario), "--out", str(out), *(a for o in overrides for a in ("--set", o)))
    assert result.returncode == 0, result.stderr
    brands, deals = pd.read_csv(out / "brands.csv"), pd.read_csv(out / "deals.csv")
    assert len(brands) == 24 and len(deals) > 0
    assert brands["deals"].sum() == len(deals)
    for name in BRAND_PLOTS:
        assert (out / "plots" / name).read_bytes()[:4] == b"\x89PNG"
    summary = json.loads((out / "summary.json").read_text())
    for key in ("brand_deals", "brand_spend", "brand_roi_audited", "brand_roi_unaudited"):
        assert key in summary, key
    assert "## Brands" in (out / "report.md").read_text()
