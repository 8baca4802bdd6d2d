"""The classroom dashboard: every knob changes the model, and the page works in a real browser."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sim.viz import MODEL_PARAMS, Classroom, buyers_figure, what_happened

#: Each knob at a value other than its default, and what it must change in the scenario.
KNOBS = {
    "buyers_share": (0.5, lambda spec: {g.name: g.share for g in spec.creators.groups}["buy_likes"] == 0.5),
    "detection_strength": (4.0, lambda spec: spec.integrity.strength == 4.0),
    "social_proof": (
        0.0,
        lambda spec: spec.engagement.play.social_proof == spec.engagement.like.social_proof == 0,
    ),
    "likes_shown": (False, lambda spec: not spec.platform_rules()["tiktok"].likes_shown),
    "live_gifting": (False, lambda spec: not spec.platform_rules()["tiktok"].monetization.live_gifts),
}


def two_days(model: Classroom) -> dict:
    for _ in range(2):
        model.step()
    day = model.log.rows[-1]
    return {**day, "coins": int(model.ledger.totals["coins_gifted"])}


def test_every_knob_of_the_dashboard_is_offered():
    assert set(KNOBS) <= set(MODEL_PARAMS)


@pytest.mark.parametrize("knob", list(KNOBS))
def test_every_knob_changes_what_the_model_does(knob):
    value, holds = KNOBS[knob]
    moved = Classroom(**{knob: value})
    assert holds(moved.spec)
    assert two_days(moved) != two_days(Classroom()), f"{knob} changed the label, not the run"


def test_a_step_is_a_day_and_the_page_says_what_happened():
    model = Classroom(buyers_share=0.0)
    assert what_happened(model).startswith("Day 0")
    model.step()
    assert len(model.log.rows) == 1 and what_happened(model).startswith("Day 1:")
    assert not any("buy_likes" in c.strategy for c in model.creator_list)
    buyers_figure(model)  # draws "nobody buys likes" without failing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def dashboard():
    """``likesim viz`` serving on a free port; yields its address."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys; from sim.cli import main; sys.exit(main(['viz', '--port', '{port}']))",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "SOLARA_ASSETS_PROXY": "True"},
    )
    url = f"http://localhost:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail(f"the dashboard did not start: {server.stderr.read().decode()[-2000:]}")
    yield url
    os.killpg(server.pid, 15)
    server.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
)
def test_the_dashboard_steps_and_answers_its_sliders_in_a_real_browser(dashboard, tmp_path):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(dashboard, wait_until="networkidle", timeout=90_000)
        page.get_by_text("nothing has happened yet").wait_for(timeout=90_000)
        figures = page.locator("img")
        before = [figures.nth(i).get_attribute("src") for i in range(figures.count())]
        # Nobody buys likes: the slider to 0 (Home key on its focused thumb; a click would first set
        # the middle value), then Reset builds the model anew. The new value reaches the server in a
        # message of its own, which can come after a quick Reset (CI saw it); the settings line says
        # which value the economy was rebuilt with.
        thumb = (
            page.locator(".v-input").filter(has_text="Share of creators buying likes").get_by_role("slider")
        )
        thumb.focus()
        page.keyboard.press("Home")
        expect(thumb).to_have_attribute("aria-valuenow", "0", timeout=30_000)
        nobody_buys = page.get_by_text("Settings: 0% of creators buy likes")
        for _ in range(6):
            page.get_by_role("button", name="Reset").click()
            try:
                nobody_buys.wait_for(timeout=10_000)
                break
            except PlaywrightTimeout:
                continue
        else:
            pytest.fail("the page never rebuilt the economy with the slider at 0")
        for _ in range(3):
            page.get_by_role("button", name="Step").click()
            page.wait_for_timeout(300)
        page.get_by_text("Day 3:").wait_for(timeout=60_000)
        page.get_by_text("Time: 3").wait_for(timeout=10_000)
        after = [figures.nth(i).get_attribute("src") for i in range(figures.count())]
        page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
        text = page.locator("body").inner_text()
        browser.close()
    print(f"screenshot: {tmp_path / 'dashboard.png'}")
    assert len(after) >= 5 and sum(a != b for a, b in zip(before, after, strict=False)) >= 4
    assert "Farms delivered" not in text  # the slider took effect: nobody bought likes
