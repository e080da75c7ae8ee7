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
def seed_animation():
    trace = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.LossImprovement(0.01))
    return gdviz.animate(trace, layout="seed", every=100, interval=150)


@pytest.fixture(scope="module")
def page_path(tmp_path_factory, seed_animation):
    return seed_animation.save(tmp_path_factory.mktemp("html") / "seed.html", dpi=40)


def test_player_plays_pauses_and_steps(page_path, seed_animation):
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
            timeout=25_000)  # the first two frames are held ~6 s each to read their words
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
            timeout=10_000)
        page.keyboard.press(" ")  # pause
        shown = label.text_content()
        page.wait_for_timeout(600)
        assert label.text_content() == shown
        page.fill("#slider", "5")
        page.dispatch_event("#slider", "input")
        assert label.text_content().startswith("iteration 500 ")
        # The narrator's caption of the frame, under the picture.
        assert page.locator("#caption").text_content() == seed_animation.frame_captions[5]
        page.click("#last")
        assert page.locator("#caption").text_content().startswith("converged")
        # Every control says what it is to a screen reader; the picture has alt text.
        for control in page.locator("button, input, select").all():
            assert control.get_attribute("aria-label")
        assert page.locator("#frame").get_attribute("aria-label").startswith(
            "Gradient descent (gd, learning rate 0.005) on linear regression")
        assert errors == []
        browser.close()


def test_words_in_the_player_are_text_never_markup(tmp_path):
    import numpy as np

    from gdviz.html import player_page

    hostile = '<img src=x onerror="document.title=\'pwned\'"></script><b>b0</b>'
    frames = [np.zeros((20, 30, 3), np.uint8), np.full((20, 30, 3), 200, np.uint8)]
    page = player_page(frames, durations=[100, 100], iterations=[0, 1], title=hostile,
                       captions=[hostile, "fine"], description=hostile)
    path = tmp_path / "hostile.html"
    path.write_text(page, encoding="utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        view = browser.new_page()
        view.goto(path.as_uri())
        view.wait_for_timeout(300)
        view.click("#first")
        assert view.locator("#caption").text_content() == hostile
        assert view.locator("#caption img, h3 img, b").count() == 0
        assert view.title() == hostile  # the words themselves: no script ran
        browser.close()
