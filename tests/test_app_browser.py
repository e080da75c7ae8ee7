"""The playground in a real browser: ``gdviz app`` started as a user starts it, driven
by headless Chromium through Playwright. What the page draws must be the engine's numbers.
"""
import contextlib
from urllib.parse import parse_qsl, urlparse

import numpy as np
import pytest

from skip_reasons import PANEL

pytest.importorskip("panel", reason=PANEL)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: the app was not checked in a "
    "browser (pip install -e '.[test]')")

from browser import READY, SETTLED, AppServer, launch, listening_addresses, page_numbers  # noqa: E402
from browser import CHROMIUM, problem_select  # noqa: E402

if CHROMIUM is None:
    pytest.skip("Debian's chromium is not installed: the app was not checked in a browser "
                "(apt-get install chromium)", allow_module_level=True)

from gdviz.scene import Scene  # noqa: E402


@pytest.fixture(scope="module")
def server():
    app = AppServer()
    yield app
    if app.process.poll() is None:
        app.stop()


def query_of(page) -> dict:
    return dict(parse_qsl(urlparse(page.url).query))


def scene_of(page) -> Scene:
    """The scene the page's address holds (the race is listed apart: see ``query_of``)."""
    return Scene.from_query({k: v for k, v in query_of(page).items() if k != "race"})


def path_in(page, r=0):
    return np.column_stack([page_numbers(page, f"full{r}", "x"), page_numbers(page, f"full{r}", "y")])


@contextlib.contextmanager
def chromium_page(server, query: str, height: int = 1100):
    """A Chromium page of ``server`` on ``query``, the charts ready and settled; no error
    of the page's own scripts allowed."""
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1500, "height": height})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server.url + query)
        page.wait_for_function(READY, timeout=60_000)
        page.wait_for_function(SETTLED, timeout=60_000)
        yield page
        assert errors == []
        browser.close()


def test_it_listens_on_127_0_0_1_only(server):
    assert listening_addresses(server.port) == {"127.0.0.1"}
    assert server.url == f"http://127.0.0.1:{server.port}/"


def test_a_teacher_moves_the_rate_clicks_the_start_plays_and_races(server, tmp_path):
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: errors.append(r.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        # A share link: the page opens on its scene.
        page.goto(server.url + "?problem=quadratic&optimizer=gd&lr=0.05&max_iter=30")
        page.wait_for_function(READY, timeout=60_000)
        assert scene_of(page) == Scene(problem="quadratic", lr=0.05, max_iter=30)
        np.testing.assert_array_equal(path_in(page), scene_of(page).run().params)
        # The page opens with the whole run drawn: the path and the loss curve.
        assert len(page_numbers(page, "shown0", "x")) == len(path_in(page))
        assert page_numbers(page, "now0", "iteration") == [len(path_in(page)) - 1]

        # Move the learning-rate slider one notch with the keyboard, as a user can.
        page.locator(".noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => !location.search.includes('lr=0.05&')", timeout=10_000)
        page.wait_for_timeout(300)
        assert scene_of(page).lr == 0.07
        assert page.get_by_text("learning rate: 0.07", exact=True).count() == 1
        np.testing.assert_array_equal(path_in(page), scene_of(page).run().params)

        # Click the contour: the run starts there, within a pixel.
        target = page.evaluate("""() => {
          const view = Bokeh.index.find_one(Bokeh.documents[0].get_model_by_name('contour'));
          const box = view.canvas_view.el.getBoundingClientRect(), f = view.frame.bbox;
          const px = f.left + 0.75 * f.width, py = f.top + 0.2 * f.height;
          return {left: box.left + px, top: box.top + py,
                  x: view.frame.x_scale.invert(px), y: view.frame.y_scale.invert(py),
                  pixel: Math.abs(view.frame.x_scale.invert(px + 1) - view.frame.x_scale.invert(px))};
        }""")
        page.mouse.click(target["left"], target["top"])
        page.wait_for_function("() => location.search.includes('x0=')", timeout=10_000)
        page.wait_for_timeout(300)
        start = path_in(page)[0]
        assert abs(start[0] - target["x"]) <= target["pixel"]
        assert abs(start[1] - target["y"]) <= target["pixel"]
        assert scene_of(page).x0 == tuple(start)
        np.testing.assert_array_equal(path_in(page), scene_of(page).run().params)

        # Play: the frames advance in the browser to the last one.
        page.get_by_role("button", name="▶ play").click()
        page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('shown0').data.x.length < 10",
                               timeout=5_000)
        page.wait_for_function(
            "() => Bokeh.documents[0].get_model_by_name('play').label.includes('play') && "
            "Bokeh.documents[0].get_model_by_name('shown0').data.x.length == "
            "Bokeh.documents[0].get_model_by_name('full0').data.x.length", timeout=20_000)
        counter = page.evaluate("() => Bokeh.documents[0].get_model_by_name('counter').text")
        assert counter == f"iteration {scene_of(page).run().iterations} of " \
                          f"{scene_of(page).run().iterations}"
        # Scrub to the first frame: its caption and its step's promise and delivery show
        # (the captions follow the path in a second message).
        page.wait_for_function(SETTLED, timeout=30_000)
        page.evaluate("() => { Bokeh.documents[0].get_model_by_name('scrub').value = 0; }")
        shown = page.evaluate("""() => {
          const d = Bokeh.documents[0];
          return {words: d.get_model_by_name('promise_words').text,
                  caption: d.get_model_by_name('caption').text,
                  curve: Array.from(d.get_model_by_name('promise_curve').data.y)};
        }""")
        from gdviz.anatomy import promise_at
        from gdviz.words import captions

        trace = scene_of(page).run()
        curve, _landed, _lowest = promise_at(trace, 0)
        np.testing.assert_allclose(shown["curve"], np.clip(curve, -3, 2.5), rtol=1e-9)
        assert shown["words"].startswith("promised fall") and shown["caption"] == captions(trace)[0]

        # Race: keep this run, change the optimizer, and both are drawn from one start.
        page.get_by_role("button", name="add this run to the race").click()
        page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('full1').data.x.length > 0",
                               timeout=10_000)
        kept = scene_of(page)
        np.testing.assert_array_equal(path_in(page, 1), kept.run().params)
        page.locator("select").filter(has=page.locator("option[value='adam']")).select_option("adam")
        page.wait_for_function("() => location.search.includes('optimizer=adam')", timeout=10_000)
        page.wait_for_function(SETTLED, timeout=30_000)  # the status follows the path
        now = scene_of(page)
        assert now.optimizer == "adam" and now.x0 == kept.x0
        assert query_of(page)["race"] == kept.run_spec()  # the share link holds the race
        np.testing.assert_array_equal(path_in(page), now.run().params)
        np.testing.assert_array_equal(path_in(page, 1), kept.run().params)
        assert page.get_by_text("gd, lr 0.07:").count() == 1
        assert page.get_by_text("adam, lr 0.07").count() == 1
        page.screenshot(path=str(tmp_path / "app.png"), full_page=True)
        assert errors == []
        browser.close()


def test_ctrl_c_stops_it_cleanly():
    app = AppServer()
    code, out = app.stop()
    assert code == 0 and "stopped" in out


def test_a_busy_port_and_a_missing_extra_answer_in_one_line(tmp_path):
    import socket
    import subprocess
    import sys

    kept = tmp_path / "kept.sqlite3"  # a class's answers from before: left as they were
    from gdviz.lessons.classbook import Classbook

    Classbook(kept).add("Ana", "bowl", 1, "0, 0", False)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for more in ([], ["--class-db", str(kept)]):
            result = subprocess.run([sys.executable, "-m", "gdviz", "app", "--no-browser",
                                     "--port", str(port), *more], capture_output=True,
                                    text=True, timeout=60, cwd=tmp_path)
            assert result.returncode == 2, result.stderr
            assert result.stderr.startswith(
                f"gdviz app: error: cannot listen on 127.0.0.1:{port}")
            assert "choose another --port" in result.stderr and "Traceback" not in result.stderr
    # A server that never started leaves no file of its own, and the class's as it was.
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("kept")) == []
    assert [row.student for row in Classbook(kept).answers("bowl")] == ["Ana"]
    hidden = ("import sys; sys.modules['panel'] = None; from gdviz.cli import main; "
              "sys.argv = ['gdviz', 'app', '--no-browser']; main()")
    result = subprocess.run([sys.executable, "-c", hidden], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == ("gdviz app: error: gdviz app needs the 'panel' package: "
                                     "pip install \"gdviz[app]\"")


def test_an_uploaded_csv_is_fitted_as_the_command_line_would(server):
    from pathlib import Path

    from gdviz.data import load

    data = Path(__file__).resolve().parent.parent / "docs" / "data" / "study-hours.csv"
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server.url)
        page.wait_for_function(READY, timeout=60_000)
        problem_select(page).select_option(label="your CSV data")
        page.locator("input[type=file]").set_input_files(str(data))
        page.wait_for_function("() => location.search.includes('problem=linear')",
                               timeout=20_000)
        page.wait_for_function(SETTLED, timeout=20_000)
        columns = load(data, ["hours"], "score")
        scene = scene_of(page)
        problem = scene.make_problem((columns.x, columns.y, ["hours"], "score"))
        np.testing.assert_array_equal(path_in(page), scene.run(problem).params)
        assert scene.lr == pytest.approx(problem.max_stable_learning_rate / 4, rel=1e-2)
        # The data chart, built once there were data to show, joined the open page.
        assert page.evaluate("""() => {
          const chart = Bokeh.documents[0].get_model_by_name('data');
          return chart !== null && chart.visible && Bokeh.index.find_one(chart) !== null &&
                 chart.x_range.start < chart.x_range.end; }""")
        assert errors == []
        browser.close()


def test_scrubbing_moves_the_residual_sticks_with_the_fit(server):
    with chromium_page(server, "?problem=linear&lr=0.05&max_iter=40") as page:
        page.evaluate("() => { Bokeh.documents[0].get_model_by_name('scrub').value = 0; }")
        shown = page.evaluate("""() => {
          const s = Bokeh.documents[0].get_model_by_name('sticks').data;
          return {y0: Array.from(s.y0), y1: Array.from(s.y1), colour: Array.from(s.colour)};
        }""")
        trace = scene_of(page).run()
        problem = trace.problem
        fitted = problem.predict(trace.params[0], problem.x)
        np.testing.assert_allclose(shown["y1"], fitted, rtol=1e-9)
        assert shown["colour"] == ["#A0522D" if v else "#708090" for v in problem.y > fitted]


def test_a_slice_follows_the_scrub_once_it_rests_and_says_where_it_is_through(server):
    with chromium_page(server, "?problem=polynomial&degree=3&lr=0.1&max_iter=60") as page:
        note = "() => Bokeh.documents[0].get_model_by_name('plane_note').text"
        assert page.evaluate(note).startswith("the other 2 parameters at their values at "
                                              "iteration 60: the point shown lies on this slice")
        page.evaluate("() => { Bokeh.documents[0].get_model_by_name('scrub').value = 3; }")
        # At once: the slice shown is still the end's, and the note says so.
        assert page.evaluate(note).startswith("the other 2 parameters at their values at "
                                              "iteration 60, not at the point shown (iteration 3)")
        # Once the scrub rests, the server sends the slice through iteration 3.
        page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('plane').data.at[0]"
                               " === 3", timeout=30_000)
        assert page.evaluate(note).startswith("the other 2 parameters at their values at "
                                              "iteration 3: the point shown lies on this slice")
        image = page.evaluate("""() => {
          const d = Bokeh.documents[0].get_model_by_name('contour').renderers
            .find((r) => r.glyph.type === 'Image').data_source.data;
          return {x: d.x[0], y: d.y[0], dw: d.dw[0], dh: d.dh[0], n: d.image[0].length};
        }""")
        trace = scene_of(page).run()
        point = trace.params[3, [0, 2]]
        columns = round(np.sqrt(image["n"]))  # a square image of bands
        width = image["dw"] / columns
        c = np.floor((point[0] - image["x"]) / width)
        assert abs(image["x"] + (c + 0.5) * width - point[0]) < 1e-9  # a pixel centred on it


def test_the_edge_mark_in_the_browser_is_where_the_pictures_put_it(server):
    from gdviz.views.window import exit_mark

    with chromium_page(server, "?problem=quadratic&lr=1.5&max_iter=30") as page:
        marks = "() => Array.from(Bokeh.documents[0].get_model_by_name('edges').data.x)"
        ranges = page.evaluate("""() => {
          const c = Bokeh.documents[0].get_model_by_name('contour');
          return [[c.x_range.start, c.x_range.end], [c.y_range.start, c.y_range.end]];
        }""")
        points = path_in(page)
        for frame in (0, 1, 2):
            page.evaluate(f"() => {{ Bokeh.documents[0].get_model_by_name('scrub').value = {frame}; }}")
            expected = exit_mark(points, frame, ranges)
            shown = page.evaluate(marks)
            if expected is None:
                assert shown == []
            else:
                assert shown == [pytest.approx(expected[0], abs=1e-9)]
        assert page.evaluate(marks) != []  # by frame 2 the run has left the panel


def test_predict_mode_hides_the_next_numbers_until_answered_then_checks_and_reveals(server):
    from gdviz import lessons

    lesson = lessons.load("learning-rate")
    trace = lesson.traces()[1]  # question 1 asks of run 1 at iteration 0
    hidden = [f"{v:.6g}" for v in trace.params[1]] + [f"{trace.loss[1]:.6g}"]
    with chromium_page(server, "?lesson=learning-rate&question=1", height=1300) as page:
        assert page_numbers(page, "full0", "x") == [trace.params[0][0]]
        # Nothing after the step is anywhere in the page: not in its models, not on screen.
        models = page.evaluate("""() => {
          const out = [];
          for (const m of Bokeh.documents[0].all_models) {
            if (m.data) for (const k in m.data) out.push(Array.from(m.data[k] ?? []).map(String).join(","));
            if (typeof m.text === "string") out.push(m.text);
          }
          return out.join("\\n");
        }""")
        as_js = lambda v: repr(float(v)).removesuffix(".0")  # noqa: E731 - JS's String(number)
        later = [as_js(v) for v in [*trace.params[1:].ravel(), *trace.loss[1:]]]
        assert as_js(trace.loss[0]) in models  # what is shown is found
        assert not any(number in models for number in later)
        assert page.evaluate("() => Bokeh.documents[0].get_model_by_name('lesson_text').text"
                             ).startswith("The learning rate\n\nThree runs")
        board = "() => Bokeh.documents[0].get_model_by_name('board').text"
        assert "________" in page.evaluate(board)
        verdict = "() => Bokeh.documents[0].get_model_by_name('verdict').text"
        # An answer is kept under the student's name: typed once, here.
        page.get_by_placeholder("as your teacher will see it").fill("Ana")
        page.get_by_placeholder("as your teacher will see it").press("Tab")
        # A wrong answer first: said wrong, by how much; then the step is revealed.
        page.get_by_placeholder("the new parameters").fill("0, 0")
        page.get_by_role("button", name="check, then reveal").click()
        page.wait_for_function(f"() => ({verdict})().length > 0", timeout=30_000)
        assert page.evaluate(verdict).startswith("not this time: x = -0.296299, y = -2.82577")
        page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('full0').data.x"
                               f".length === {trace.iterations + 1}", timeout=30_000)
        assert all(number in page.evaluate(board) for number in hidden)
        score = "() => Bokeh.documents[0].get_model_by_name('score').text"
        assert page.evaluate(score) == "score: 0 of 1"
        # The next question, answered right: the browser kept the name.
        page.goto(server.url + "?lesson=learning-rate&question=2")
        page.wait_for_function(READY, timeout=60_000)
        page.wait_for_function(SETTLED, timeout=60_000)
        page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('student').value"
                               " === 'Ana'", timeout=10_000)
        page.get_by_placeholder("yes or no").fill("yes")
        page.get_by_role("button", name="check, then reveal").click()
        page.wait_for_function(f"() => ({verdict})().length > 0", timeout=30_000)
        assert page.evaluate(verdict) == "right: yes"
        assert page.evaluate(score) == "score: 1 of 1"
    from gdviz.lessons.classbook import Classbook

    kept = [(a.student, a.lesson, a.question, a.right)
            for a in Classbook(server.class_db).answers()]
    assert kept == [("Ana", "learning-rate", 1, False), ("Ana", "learning-rate", 2, True)]


def test_the_networks_map_follows_the_scrub(server):
    from gdviz.app.charts import UNIT_POINTS

    query = ("?problem=mlp&hidden=4,3&data=xor&noise=0.1&test_fraction=0.25&optimizer=adam"
             "&lr=0.05&max_iter=80")
    with chromium_page(server, query) as page:
        at = page_numbers(page, "frames", "map_at")
        shown = ("() => Array.from(Bokeh.documents[0].get_model_by_name('net_map')"
                 ".data.image[0])")
        for frame in (0, len(at) // 2):
            page.evaluate(f"() => {{ Bokeh.documents[0].get_model_by_name('scrub').value = "
                          f"{frame}; }}")
            stored = page_numbers(page, "maps", "v")[int(at[frame]) * 1024:
                                                     (int(at[frame]) + 1) * 1024]
            assert page.evaluate(shown) == stored and len(stored) == 32 * 32
            # the network picture and the chain rule follow: the frame's weights as widths
            weights = page_numbers(page, "net_weights", "w")
            widths = page_numbers(page, "net_edges", "width")
            count = len(widths)
            at_w = int(page_numbers(page, "frames", "weight_at")[frame])
            np.testing.assert_allclose(widths, 0.3 + 5 * np.abs(
                weights[at_w * count:(at_w + 1) * count]), rtol=1e-6)
            chain = page.evaluate("() => Bokeh.documents[0].get_model_by_name('chain').text")
            stored_chain = page.evaluate(f"() => Bokeh.documents[0].get_model_by_name("
                                         f"'frames').data.chain[{frame}]")
            assert chain == stored_chain and chain.startswith("the chain rule for layer")
            # each unit's map: its slice of the frame's snapshot, as a p × p image
            maps = page.evaluate("() => Bokeh.documents[0].get_model_by_name('net_maps')"
                                 ".data.image.map((m) => [Array.from(m.shape), Array.from(m)])")
            values = page_numbers(page, "net_values", "v")
            at_u = int(page_numbers(page, "frames", "unit_at")[frame])
            p = UNIT_POINTS
            per = (4 + 3 + 1) * p * p
            assert [shape for shape, _m in maps] == [[p, p]] * 7
            np.testing.assert_array_equal(np.concatenate([m for _s, m in maps]),
                                          values[at_u * per: at_u * per + 7 * p * p])
        assert len(page_numbers(page, "test_points", "x")) == 50


def test_a_page_in_chinese_shows_its_words_in_the_shipped_font(server):
    """lang=zh: 学习率 on the slider, the run's words in Chinese, drawn with the shipped
    subset (this machine's Chromium has no CJK font of its own)."""
    with chromium_page(server, "?lang=zh&problem=rosenbrock&optimizer=adam&lr=0.05"
                               "&max_iter=100") as page:
        assert page.get_by_text("学习率", exact=False).count() >= 1
        loaded = page.evaluate("""async () => {
          await document.fonts.ready;
          return Array.from(document.fonts).filter((f) => f.status === 'loaded')
                      .map((f) => f.family.replace(/"/g, ''));
        }""")
        assert "Helvetica" in loaded or "Noto Sans SC gdviz" in loaded, loaded
        counter = page.evaluate("() => Bokeh.documents[0].get_model_by_name('counter').text")
        assert counter == "第 100 次迭代（共 100 次）"
        # The language picker opens the same link in English.
        page.get_by_role("combobox", name="language / 语言").select_option(label="English")
        page.wait_for_function("() => !location.search.includes('lang=')", timeout=30_000)
        page.wait_for_function(READY, timeout=60_000)
        assert "problem=rosenbrock" in page.evaluate("() => location.search")
        page.get_by_text("learning rate (type any)").wait_for(timeout=30_000)


def test_a_chinese_page_uploads_a_chinese_csv_in_chinese_chrome(server):
    """lang=zh: the upload box, its status and size, the column box's empty words and the
    charts' tool tips in Chinese; a column name outside the page's font cut (房价) is
    drawn with the whole shipped font, fetched for it, never as a box."""
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "docs" / "data" / "面积-房价.csv"
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.goto(server.url + "?lang=zh")
        page.wait_for_function(READY, timeout=60_000)
        assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
        page.locator("select").filter(has_text="你的 CSV 数据").select_option(
            label="你的 CSV 数据")
        assert page.locator(".filepond--drop-label").inner_text(timeout=20_000) == \
            "把 CSV 文件拖到这里，或点击选择"
        page.locator("input[type=file]").set_input_files(str(data))
        page.wait_for_function("() => location.search.includes('problem=linear')",
                               timeout=30_000)
        page.locator(".filepond--file").get_by_text("上传完成").wait_for(timeout=30_000)
        status = page.locator(".filepond--file").inner_text()
        assert "上传完成" in status and "685 字节" in status and "Upload" not in status
        assert page.locator("select").filter(has_text="房价").count() == 1
        fetched = page.evaluate("""async () => { await document.fonts.ready;
          return performance.getEntriesByType('resource').map((e) => e.name)
                            .filter((name) => name.includes('/gdviz-fonts/')); }""")
        assert any(name.endswith("/NotoSansSC-gdviz.ttf") for name in fetched), fetched
        tips = page.evaluate("""() => [...Bokeh.documents[0].all_models]
          .filter((m) => m.type === 'PanTool' || m.type === 'ResetTool')
          .map((m) => m.description)""")
        assert tips and set(tips) <= {"拖动平移", "恢复原来的视图"}, tips
        empty = page.evaluate("""() => {
          const find = (root) => { for (const el of root.querySelectorAll('*')) {
              if (el.classList.contains('choices')) return el;
              if (el.shadowRoot) { const f = find(el.shadowRoot); if (f) return f; } }
            return null; };
          const box = find(document);
          const item = document.createElement('div');
          item.className = 'choices__item has-no-choices';
          box.querySelector('.choices__list--dropdown, .choices__list').appendChild(item);
          return getComputedStyle(item, '::after').content; }""")
        assert empty == '"没有可选的列了"', empty
        browser.close()
