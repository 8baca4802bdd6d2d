"""Bad input of every kind ends in one line and exit code 2; output folders cannot be damaged.

Each case here was found by fuzzing scenarios and ``--set`` values (issue 15): before the fix it
ended in a traceback, a hang or a raw MemoryError.
"""

import os
import sys

import pytest

import sim
from sim import resources
from sim.folders import LOCK

from .conftest import TINY
from .conftest import likesim as run_cli

BUYERS = f"extends: {TINY}\ncreators: {{groups: [{{name: a, share: 1.0, buy_likes: {{}}}}]}}\n"


def likesim(capsys, *args):
    """Run the CLI in process; returns (exit code, stderr)."""
    done = run_cli(*args)
    return done.returncode, done.stderr


def assert_one_line(code, stderr, *words):
    assert code == 2, stderr
    assert stderr.startswith("likesim: error: ") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    for word in words:
        assert word in stderr, (word, stderr)


def scenario(tmp_path, text, name="s.yaml", binary=False):
    path = tmp_path / name
    path.write_bytes(text) if binary else path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ("gifts.coin_price=.inf", ["gifts.coin_price", "finite"]),
        ("gifts.coin_price=1e300", ["gifts.coin_price", "less than or equal"]),
        ("gifts.packs=[1e30]", ["gifts.packs.0"]),
        ("gifts.catalogue=[1e30]", ["gifts.catalogue.0"]),
        ("gifts.diamond_value=.inf", ["gifts.diamond_value"]),
        ("clock.activity_curve=[.inf,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", ["activity_curve.0"]),
        ("viewers.sessions_per_day=.inf", ["sessions_per_day"]),
        ("creators.posts_per_day=.inf", ["posts_per_day"]),
        ("viewers.videos_per_session=.inf", ["videos_per_session"]),
        ("ranking.prior_views=.inf", ["prior_views"]),
        ("creators.initial_follows_per_viewer=1e300", ["initial_follows_per_viewer"]),
        ("creators.initial_followers_spread=.inf", ["initial_followers_spread"]),
        ("viewers.interest_concentration=.inf", ["interest_concentration"]),
        ("viewers.videos_per_session=1e9", ["videos_per_session"]),
        ("viewers.sessions_per_day=1e6", ["sessions_per_day"]),
        ("creators.posts_per_day=1e6", ["posts_per_day"]),
        ("farms.0.accounts=1000000000000", ["farms.0.accounts"]),
        ("viewers.count=yes", ["viewers.count", "integer"]),
        ("brands.budget_per_month=10.0001", ["brands.budget_per_month", "1/1000"]),
        ("niches.0.x=1", ["niches.0 is not a section"]),
        ("clock.activity_curve.0.x=1", ["activity_curve.0 is not a section"]),
        ("creators.groups.\u00b2.share=1", ["list index"]),
        ("name=" + "[" * 3000 + "]" * 3000, ["nested too deeply"]),
        ("name=../../x", ["name", "pattern"]),
        ("name=a/b", ["name", "pattern"]),
    ],
)
def test_bad_values_are_one_line(capsys, override, words):
    assert_one_line(*likesim(capsys, "check", TINY, "--set", override), *words)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (f"extends: {TINY}\ngifts: {{diamond_value: .inf}}\n", ["diamond_value"]),
        (
            f"extends: {TINY}\ncreators: {{groups: [{{name: a, share: 1.0, vip: {{price: .inf}}}}]}}\n",
            ["vip.price"],
        ),
        (
            f"extends: {TINY}\ncreators: {{groups: [{{name: a, share: 1.0, vip: {{price: 1e300}}}}]}}\n",
            ["vip.price"],
        ),
        (BUYERS.replace("{}}", "{budget_per_video: 1e300}}"), ["budget_per_video"]),
        ("? [a, b]\n: 1\n", ["line 1", "plain name"]),
        ("x: " + "[" * 3000 + "]" * 3000 + "\n", ["nested too deeply"]),
        (f"extends: {TINY}\narms:\n  a:\n    x: " + "[" * 300 + "]" * 300 + "\n", ["nested too deeply"]),
        (f"extends: {TINY}\narms: &a {{x: *a}}\n", ["contains itself"]),
        (f"extends: {TINY}\nsweep: &a {{x: [*a]}}\n", ["contains itself"]),
        (f"extends: {TINY}\narms: {{a: {{integrity.strenght: 2}}}}\n", ["arms.a", "did you mean 'strength'"]),
        (
            f"extends: {TINY}\nsweep: {{viewers.cont: [1, 2]}}\n",
            ["sweep.viewers.cont", "did you mean 'count'"],
        ),
    ],
)
def test_bad_files_are_one_line(capsys, tmp_path, text, words):
    assert_one_line(*likesim(capsys, "check", scenario(tmp_path, text)), *words)


def test_billion_laughs_is_refused_at_once(capsys, tmp_path):
    lines = [f"extends: {TINY}", "arms:", "  a:", "    z0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"    z{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
    for command in ("check", "run", "sweep"):
        assert_one_line(*likesim(capsys, command, scenario(tmp_path, "\n".join(lines) + "\n")), "too large")


@pytest.mark.parametrize(
    "content", ["name: caf\xe9\n".encode("latin-1"), "name: x\n".encode("utf-16"), bytes(range(256))]
)
def test_files_that_are_not_utf8_text(capsys, tmp_path, content):
    assert_one_line(*likesim(capsys, "check", scenario(tmp_path, content, binary=True)), "not UTF-8")


def test_money_below_a_thousandth_is_refused(capsys, tmp_path):
    path = scenario(tmp_path, BUYERS)
    for price in ("1e-300", "1e-9"):
        assert_one_line(
            *likesim(capsys, "run", path, "--set", f"farms.0.price_per_1000={price}"), "price_per_1000"
        )


def test_runs_larger_than_the_machine_are_refused_before_starting(capsys, tmp_path):
    out = tmp_path / "big"
    code, stderr = likesim(capsys, "run", "--set", "viewers.count=50000000", "--out", out)
    assert_one_line(code, stderr, "viewers.count", "memory", "--no-size-check")
    assert not out.exists()
    bought = scenario(tmp_path, BUYERS.replace("{}}", "{budget_per_video: 1000000}}"))
    assert_one_line(
        *likesim(capsys, "run", bought, "--set", "farms.0.price_per_1000=0.001"), "likes per order"
    )


def test_the_size_check_names_what_takes_time(monkeypatch):
    monkeypatch.setattr(resources, "MAX_HOURS", 0.1)
    for override, name in (
        ("creators.count=1000000", "creators.count"),
        ("brands.count=100000", "brands.count"),
    ):
        with pytest.raises(sim.ScenarioError, match=name):
            resources.check(sim.load_scenario(None, [override]))
    resources.check(sim.load_scenario(None))  # the default scenario is well within
    with pytest.raises(sim.ScenarioError, match="4 at once"):
        resources.check(sim.load_scenario(None, ["viewers.count=2000000"]), parallel=4, memory=2e9)


def test_output_folders_fail_before_the_run(capsys, tmp_path):
    afile = scenario(tmp_path, "x", name="afile")
    for out, words in (
        (afile / "sub", ["cannot be created"]),
        (afile, ["not a folder"]),
        (tmp_path / ("x" * 300), ["cannot be created"]),
    ):
        assert_one_line(*likesim(capsys, "run", TINY, "--out", out), *words)


def test_names_stay_inside_results(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("../../x", "a/b", ".hidden", ""):
        assert_one_line(*likesim(capsys, "run", TINY, "--set", f"name={name!r}"), "name")
    assert not any(tmp_path.iterdir())


def test_a_folder_being_written_is_locked(capsys, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / LOCK).write_text(str(os.getppid()))  # a live process holds it
    assert_one_line(*likesim(capsys, "run", TINY, "--out", out, "--set", "clock.days=1"), "another likesim")
    (out / LOCK).write_text("999999999")  # a holder that died: taken over
    assert likesim(capsys, "run", TINY, "--out", out, "--force", "--set", "clock.days=1")[0] == 0
    assert not (out / LOCK).exists()


def test_force_clears_the_earlier_run_but_nothing_else(capsys, tmp_path):
    out = tmp_path / "run"
    gifts = scenario(
        tmp_path, f"extends: {TINY}\ncreators: {{groups: [{{name: a, share: 1.0, live_gifts: {{}}}}]}}\n"
    )
    assert likesim(capsys, "run", gifts, "--out", out, "--set", "clock.days=2")[0] == 0
    assert (out / "plots" / "gifting_lorenz.png").exists()
    (out / "notes.txt").write_text("mine")
    assert likesim(capsys, "run", TINY, "--out", out, "--force", "--set", "clock.days=1")[0] == 0
    assert not (out / "plots" / "gifting_lorenz.png").exists()
    assert (out / "notes.txt").read_text() == "mine"


def test_resume_refuses_a_changed_plan(capsys, tmp_path):
    out = tmp_path / "exp"
    common = ["run", TINY, "--replicates", "2", "--out", out, "--set", "clock.days=1"]
    assert likesim(capsys, *common)[0] == 0
    assert_one_line(*likesim(capsys, *common[:-1], "clock.days=2", "--resume"), "plans different runs")
    assert likesim(capsys, *common, "--resume")[0] == 0


def test_dask_without_its_extra_is_one_line(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if likesim[dask] were not installed
    code, stderr = likesim(
        capsys, "run", TINY, "--replicates", "2", "--dask", "local", "--set", "clock.days=1"
    )
    assert_one_line(code, stderr, "likesim[dask]")
