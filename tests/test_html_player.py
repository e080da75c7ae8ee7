"""The HTML export in a real browser (headless Chromium driven by Playwright).

Skipped where Playwright or Debian's chromium is missing
(``pip install playwright``; ``apt-get install chromium``).
"""
import shutil

import pytest

import gdviz
from gdviz import optim, problems, stop

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: the HTML player was not "
    "checked in a browser (pip install -e '.[test]')")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Debian's chromium is not installed: the HTML player was not checked in a "
                "browser (apt-get install chromium)", allow_module_level=True)

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    trace = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.LossImprovement(0.01))
    anim = gdviz.animate(trace, layout="seed", every=100, interval=150)
    return anim.save(tmp_path_factory.mktemp("html") / "seed.html", dpi=40)


def test_player_plays_pauses_and_steps(page_path):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri())
        label = page.locator("#label")
        assert page.evaluate("frames.length") == 13
        assert page.evaluate("document.getElementById('frame').width") == 560
        # It plays by itself, to the last frame (iteration 1161), then stops.
        page.wait_for_function(
            "document.getElementById('label').textContent.startsWith('iteration 1161')",
            timeout=10_000)
        page.keyboard.press("ArrowLeft")
        assert label.text_content().startswith("iteration 1100 ")
        page.keyboard.press("ArrowLeft")
        assert label.text_content().startswith("iteration 1000 ")
        page.keyboard.press("ArrowRight")
        assert label.text_content().startswith("iteration 1100 ")
        page.click("#first")
        assert label.text_content().startswith("iteration 0 ")
        page.keyboard.press(" ")  # play again from the start
        page.wait_for_function(
            "!document.getElementById('label').textContent.startsWith('iteration 0 ')",
            timeout=5_000)
        page.keyboard.press(" ")  # pause
        shown = label.text_content()
        page.wait_for_timeout(600)
        assert label.text_content() == shown
        page.fill("#slider", "5")
        page.dispatch_event("#slider", "input")
        assert label.text_content().startswith("iteration 500 ")
        assert errors == []
        browser.close()
