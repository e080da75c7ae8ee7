"""The page's views, measured in Chromium: the default page within a 1366 × 768 laptop's
width, ``?view=student`` one column within a 390 px phone with the answer box under the
picture, ``?view=present`` the picture and caption large and whole on a 1920 × 1080
projector, without controls."""
import pytest

from skip_reasons import PANEL

pytest.importorskip("panel", reason=PANEL)

from browser import READY, AppServer  # noqa: E402
from gdviz.app.views import SIZES, checked_view  # noqa: E402

LESSON = "?lesson=learning-rate&question=1&name=Ana"
#: The right edge of the page's widest element, shadow roots included (px); a glyph's
#: renderer is left out (a diverging path's element spans far past its canvas, which clips
#: it).
RIGHT_EDGE = """() => { let right = 0; const walk = (root) => {
    for (const element of root.querySelectorAll('*')) {
        if (element.classList.contains('bk-GlyphRenderer')) continue;
        const box = element.getBoundingClientRect();
        if (box.width > 0 && box.height > 0) right = Math.max(right, box.right);
        if (element.shadowRoot) walk(element.shadowRoot);
    } }; walk(document); return [right, document.documentElement.scrollWidth]; }"""
#: A model's view's box on the page: [left, top, right, bottom].
BOX = """(name) => { const model = Bokeh.documents[0].get_model_by_name(name);
    const view = Bokeh.index[Object.keys(Bokeh.index)[0]].owner.get_one(model);
    const box = view.el.getBoundingClientRect();
    return [box.left, box.top, box.right, box.bottom]; }"""


@pytest.fixture(scope="module")
def server():
    app = AppServer(args=["--processes", "1"])
    yield app
    app.stop()


def opened(browser, server, query, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(server.url + query)
    page.wait_for_function(READY, timeout=60_000)
    page.wait_for_timeout(500)  # laid out
    return page


def test_a_view_is_one_of_the_three():
    assert checked_view("Student ") == "student" and checked_view("") == ""
    with pytest.raises(ValueError, match="view must be student or present"):
        checked_view("<b>tv</b>")


@pytest.mark.parametrize("query", ["", LESSON])
def test_the_default_page_fits_a_laptop_without_sideways_scrolling(browser, server, query):
    page = opened(browser, server, query, 1366, 768)
    right, scroll_width = page.evaluate(RIGHT_EDGE)
    assert right <= 1366 and scroll_width <= 1366, (right, scroll_width)
    page.close()


def test_the_student_view_is_one_column_within_a_phone(browser, server):
    page = opened(browser, server, LESSON + "&view=student", 390, 844)
    right, scroll_width = page.evaluate(RIGHT_EDGE)
    assert right <= 390 and scroll_width <= 390, (right, scroll_width)
    contour = page.evaluate(BOX, "contour")
    answer = page.get_by_placeholder("the new parameters").bounding_box()
    assert answer["y"] > contour[3], "the answer box is under the picture"
    assert answer["x"] + answer["width"] <= 390
    # the question is asked in the caption, between the picture and the box
    caption = page.evaluate(BOX, "caption")
    assert contour[3] <= caption[1] < answer["y"]
    assert "after the step" in page.evaluate(
        "() => Bokeh.documents[0].get_model_by_name('caption').text")
    # Enter submits; the verdict comes back in the same narrow column
    page.get_by_placeholder("the new parameters").fill("0.5, 0.5")
    page.get_by_placeholder("the new parameters").press("Enter")
    page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('score').text"
                           ".startsWith('score')", timeout=30_000)
    page.wait_for_timeout(800)  # the smooth scroll
    verdict = page.evaluate(BOX, "verdict")
    assert verdict[2] <= 390
    assert 0 <= verdict[1] and verdict[3] <= 844, "the verdict is scrolled into sight"
    assert "view=student" in page.evaluate("() => location.search")
    page.close()


def test_the_present_view_shows_the_picture_and_caption_large_without_controls(
        browser, server):
    page = opened(browser, server, "?lesson=learning-rate&view=present", 1920, 1080)
    right, scroll_width = page.evaluate(RIGHT_EDGE)
    assert right <= 1920 and scroll_width <= 1920
    contour = page.evaluate(BOX, "contour")
    assert contour[2] - contour[0] >= SIZES["present"].frame + 100  # its axes, colour bar
    caption = page.evaluate(BOX, "caption")
    assert caption[3] <= 1080, "the caption is on the screen without scrolling"
    assert page.evaluate("() => getComputedStyle(Bokeh.index[Object.keys(Bokeh.index)[0]]"
                         ".owner.get_one(Bokeh.documents[0].get_model_by_name('caption'))"
                         ".el).fontSize") == "28px"
    assert page.get_by_text("add this run to the race").count() == 0  # no controls
    assert page.get_by_text("DIVERGED").count() == 1  # the runs' words, large too
    page.close()


def test_an_unknown_view_is_said_in_one_line(browser, server):
    page = opened(browser, server, "?view=tv", 1366, 768)
    words = page.evaluate("() => Bokeh.documents[0].get_model_by_name('error').text")
    assert "view must be student or present" in words and "'tv'" in words
    page.close()


def test_a_functions_contour_is_drawn_to_scale_in_the_page():
    """x and y of a function share units: a square plotting area and a square window, so
    the direction a student sees is the one the answer is judged by; a model's intercept
    and slope keep the window their path needs."""
    from gdviz.app.playground import Playground

    for view in SIZES:
        page = Playground({"problem": "rosenbrock", "view": view} if view else
                          {"problem": "rosenbrock"})
        chart = page.figure.contour
        assert chart.frame_width == chart.frame_height == SIZES[view].frame
        x_span = chart.x_range.end - chart.x_range.start
        y_span = chart.y_range.end - chart.y_range.start
        assert x_span == pytest.approx(y_span)
    model = Playground({"problem": "linear"}).figure.contour
    assert (model.x_range.end - model.x_range.start) != pytest.approx(
        model.y_range.end - model.y_range.start)


def test_a_chinese_page_names_its_tab_and_language_in_chinese(browser, server):
    """The tab's title and ``<html lang>`` follow the page's language; pickers name a
    code name once (一个小型神经网络（mlp）, not …（mlp）（mlp））; placeholders in Chinese."""
    from gdviz.app.playground import Playground

    page = opened(browser, server, "?lang=zh", 1366, 768)
    assert page.title() == "gdviz 练习场"
    assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
    page.close()
    english = opened(browser, server, "", 1366, 768)
    assert english.title() == "gdviz playground"
    english.close()
    chinese = Playground({"lang": "zh"}).controls
    assert "一个小型神经网络（mlp）" in chinese.model.options
    assert not any("（mlp）（mlp）" in label for label in chinese.model.options)
    assert chinese.schedule_settings.placeholder == "例如 step_size=100,gamma=0.5"
