"""The playground, without a browser: every control reaches the engine, the charts get
the run's own numbers, and bad input answers in one line."""
import asyncio
import html
import json
import re
import types

import numpy as np
import pytest

from skip_reasons import PANEL

pytest.importorskip("panel", reason=PANEL)

from gdviz.app.choices import MAX_ITER, MAX_UPLOAD_BYTES  # noqa: E402
from gdviz.app.playground import Playground  # noqa: E402
from gdviz.scene import Scene  # noqa: E402


def path_of(app, r=0):
    data = app.figure.fulls[r].data
    return np.column_stack([data["x"], data["y"]])


def test_the_charts_get_the_runs_own_numbers():
    app = Playground()
    trace = app.scene.run()
    np.testing.assert_array_equal(path_of(app), trace.params[:, [app.i, app.j]])
    np.testing.assert_array_equal(app.figure.fulls[0].data["loss"], trace.loss)
    assert app.figure.scrub.end == len(app.figure.frames.data["iteration"]) - 1
    assert app.figure.frames.data["iteration"][-1] == trace.iterations
    assert len(app.figure.frames.data["board"]) == len(app.figure.frames.data["iteration"])


# Each control, a new value for it, and what the Scene (and so the run) must then say.
CONTROLS = [
    ("lr", 0.1, lambda s: s.lr == 0.1),
    ("lr_exact", 0.123, lambda s: s.lr == 0.123),
    ("max_iter", 37, lambda s: s.max_iter == 37),
    ("tol", 0.5, lambda s: s.tol == 0.5),
    ("seed", 7, lambda s: s.seed == 7),
    ("weight_decay", 0.01, lambda s: s.weight_decay == 0.01 and s.optimizer == "sgd"),
    ("schedule", "step", lambda s: s.schedule == "step"),
]


@pytest.mark.parametrize("name, value, holds", CONTROLS, ids=[c[0] for c in CONTROLS])
def test_every_setting_reaches_the_engine(name, value, holds):
    app = Playground({"optimizer": "sgd"} if name == "weight_decay" else None)
    getattr(app.controls, name).value = value
    assert not app.error.visible, app.error.text
    assert holds(app.scene)
    np.testing.assert_array_equal(path_of(app), app.scene.run().params[:, [app.i, app.j]])


def test_optimizer_settings_and_problem_options_reach_the_engine():
    app = Playground()
    app.controls.optimizer.value = "momentum"
    app.controls.momentum.value = 0.5
    assert app.scene.optimizer == "momentum" and app.scene.momentum == 0.5
    assert app.traces[0].settings["hyperparams"]["momentum"] == 0.5
    app.controls.optimizer.value = "adam"
    app.controls.beta1.value, app.controls.beta2.value = 0.8, 0.99
    assert tuple(app.traces[0].settings["hyperparams"]["betas"]) == (0.8, 0.99)
    assert not app.controls.momentum.visible and app.controls.beta1.visible
    app.controls.problem.value = "polynomial"
    app.controls.degree.value = 4
    app.controls.standardize.value = True
    assert app.traces[0].param_names == ("b0", "b1", "b2", "b3", "b4")
    assert app.scene.standardize and app.figure.data_chart.visible
    app.controls.batch_size.value = 10
    assert app.traces[0].stochastic and app.traces[0].settings["batch_size"] == 10
    app.controls.problem.value = "logistic"
    app.controls.data.value = "moons"
    assert app.scene.data == "moons" and app.figure.points.data["marker"].count("triangle") == 50
    app.controls.problem.value = "mlp"
    app.controls.hidden.value = "3"
    assert app.traces[0].params.shape[1] == 3 * 3 + 1
    app.controls.problem.value = "seed"  # the blog's own settings
    assert not app.error.visible, app.error.text
    assert (app.scene.lr, app.scene.tol, app.traces[0].iterations) == (0.005, 0.01, 1161)


def test_a_click_on_the_contour_sets_the_start():
    app = Playground()
    app._tapped(types.SimpleNamespace(x=1.25, y=-2.5))
    assert app.scene.x0 == (1.25, -2.5)
    np.testing.assert_array_equal(app.traces[0].params[0], [1.25, -2.5])
    np.testing.assert_array_equal(path_of(app)[0], [1.25, -2.5])
    assert app.figure.start_point.data == {"x": [1.25], "y": [-2.5]}
    assert Scene.from_query(app.scene.to_query()).x0 == (1.25, -2.5)


def test_a_race_runs_every_entry_from_the_same_start():
    app = Playground()
    app._add_run()  # the current settings, kept
    app.controls.optimizer.value = "momentum"
    app.controls.lr.value = 0.01
    assert len(app.traces) == 2
    assert app.race[0].optimizer == "gd" and app.scene.optimizer == "momentum"
    np.testing.assert_array_equal(path_of(app, 1), app.race[0].run().params)
    app._tapped(types.SimpleNamespace(x=2.0, y=2.0))
    assert app.traces[1].params[0].tolist() == [2.0, 2.0]  # the race moved with the start
    assert "gd, lr 0.05" in app.status.text and "momentum, lr 0.01" in app.status.text
    app._clear_race()
    assert len(app.traces) == 1 and len(app.figure.fulls[1].data["x"]) == 0


def test_the_step_arithmetic_and_the_stable_rate_are_shown():
    app = Playground()
    assert "2/L = 0.2" in app.controls.lr_note.text
    app.controls.lr.value = 0.3
    assert "above 2/L" in app.controls.lr_note.text
    assert "DIVERGED" in app.status.text
    assert "step = −η × g" in app.figure.frames.data["board"][0]
    # The narrator's words for each frame, as the pictures say them, shown as text.
    from gdviz.words import Narrator

    trace = app.traces[0]
    said = [words for _kind, words in Narrator(trace).frames(app.figure.frames.data["iteration"])]
    assert app.figure.frames.data["caption"] == said
    assert "0.3 > 2/L = 0.2" in said[0] and app.figure.caption.text == said[-1]
    assert app.figure.caption.render_as_text and app.figure.board.render_as_text


def test_adams_board_shows_the_update_not_only_the_gradient():
    app = Playground({"problem": "rosenbrock", "optimizer": "adam", "lr": "0.05",
                      "max_iter": "40"})
    board = app.figure.frames.data["board"][0]
    lines = board.splitlines()
    assert "step = −η × (m̂/(√v̂ + ε)),  η = 0.05" in board
    assert len(lines) * 16 <= app.figure.board.height  # 12 px monospace: every line is seen


def test_a_share_link_restores_the_scene():
    scene = Scene(problem="rosenbrock", optimizer="adam", lr=0.02, beta1=0.8, max_iter=300,
                  x0=(-1.0, 2.0))
    app = Playground({k: v for k, v in scene.to_query().items()})
    assert not app.error.visible
    assert app.scene == scene  # beta2 left at its default, as the link left it
    np.testing.assert_array_equal(path_of(app), scene.run().params)


@pytest.mark.parametrize("query, words", [
    ({"lr": "-1"}, "lr must be a positive number"),
    ({"max_iter": str(MAX_ITER + 1)}, f"at most {MAX_ITER} iterations here"),
    ({"optimizer": "adm"}, "did you mean 'adam'"),
    ({"problem": "expression", "formula": "open('x')"}, "unknown function 'open'"),
    ({"hidden": "500", "problem": "mlp"}, "at most 64 units"),
])
def test_bad_settings_answer_in_one_line_and_the_page_keeps_working(query, words):
    app = Playground(query)
    assert app.error.visible and words in app.error.text
    assert "\n" not in app.error.text and "Traceback" not in app.error.text
    assert len(app.figure.fulls[0].data["x"]) > 0  # the default scene is drawn instead


def test_a_bad_formula_typed_in_the_page_is_refused_in_words():
    app = Playground()
    app.controls.problem.value = "expression"
    app.controls.formula.value = "x ** "
    assert app.error.visible and "formula" in app.error.text.lower()
    app.controls.formula.value = "x**2 + y**2"
    assert not app.error.visible


def test_an_uploaded_csv_is_checked_and_its_columns_offered(tmp_path):
    app = Playground()
    app.controls.problem.value = "csv"
    assert app.error.visible and "choose a CSV file" in app.error.text
    rows = "\n".join(f"{h},{30 + 5 * h + (-1) ** h}" for h in range(20))
    app.controls.csv_file.value = {"hours.csv": ("hours,score\n" + rows + "\n").encode()}
    assert list(app.controls.x_columns.options.values()) == ["hours", "score"] and app.controls.y_column.value == "score"
    assert not app.error.visible, app.error.text
    assert app.traces[0].problem.x_names == ("hours",)
    assert app.figure.data_chart.xaxis.axis_label.text == "hours"
    app.controls.csv_file.value = {"hours.csv": "hours,score\n1,2\n3,oops\n"}  # text/* comes as str
    assert app.error.visible and "line 3, column 'score'" in app.error.text
    app.controls.csv_file.value = {"big.csv": b"x" * (MAX_UPLOAD_BYTES + 1)}
    assert app.error.visible and "more than the 10 MB" in app.error.text


def test_downloads_come_from_the_same_writers():
    app = Playground({"max_iter": "30"})
    gif, mp4, page, trace_json = (asyncio.run(d.callback()) for d in app.downloads)
    assert gif.getvalue()[:6] == b"GIF89a"
    assert page.getvalue().lstrip()[:15].lower().startswith(b"<!doctype html")
    assert json.loads(trace_json.getvalue())["params"][0] == app.traces[0].params[0].tolist()
    assert mp4.getvalue()[4:8] == b"ftyp"
    assert list(__import__("pathlib").Path(app._tmp.name).iterdir()) == []
    folder = app._tmp.name
    app.close()
    assert not __import__("os").path.exists(folder)


def test_a_share_link_restores_the_race_too():
    app = Playground({"problem": "rosenbrock", "optimizer": "adam", "lr": "0.05",
                      "race": "gd:lr=0.001;momentum:lr=0.0002,momentum=0.5"})
    assert not app.error.visible, app.error.text
    assert [entry.run_spec() for entry in app.race] == ["gd:lr=0.001",
                                                         "momentum:lr=0.0002,momentum=0.5"]
    expected = Scene(problem="rosenbrock", optimizer="momentum", lr=0.0002, momentum=0.5,
                     x0=tuple(app.traces[0].params[0])).run()
    np.testing.assert_array_equal(path_of(app, 2), expected.params)
    bad = Playground({"race": "gd:speed=3"})
    assert bad.error.visible and "run setting 'speed=3'" in bad.error.text and not bad.race


def test_a_run_that_is_not_a_number_is_said_so_and_the_page_keeps_working():
    app = Playground({"problem": "expression", "formula": "sqrt(x) + y**2", "x0": "-1,1"})
    assert not app.error.visible, app.error.text
    assert "no number at the start" in app.status.text
    app._tapped(types.SimpleNamespace(x=2.0, y=1.0))  # a start inside the domain
    assert app.traces[0].stop_reason != "non_finite" and np.isfinite(app.traces[0].final_loss)
    overflow = Playground({"problem": "expression", "formula": "exp(x) + y**2", "lr": "5",
                           "x0": "3,1"})
    assert "DIVERGED" in overflow.status.text and not overflow.error.visible


def test_the_schedule_settings_and_the_csv_model_reach_the_engine():
    app = Playground()
    app.controls.schedule.value = "step"
    app.controls.schedule_settings.value = "step_size=10,gamma=0.5"
    assert app.scene.schedule == "step:step_size=10,gamma=0.5"
    from gdviz import anatomy

    rates = anatomy.learning_rates(app.traces[0])  # read back from the steps themselves
    np.testing.assert_allclose(rates[[0, 9, 10, 20]], [0.05, 0.05, 0.025, 0.0125])
    app.controls.schedule_settings.value = "step_size=ten"
    assert app.error.visible and "step_size" in app.error.text
    app = Playground()
    app.controls.problem.value = "csv"
    app.controls.csv_file.value = {"curve.csv": ("t,h\n" + "\n".join(f"{t},{1 + t - 0.3 * t * t}"
                                                          for t in range(12))).encode()}
    app.controls.model.value = "polynomial"
    app.controls.degree.value = 2
    assert not app.error.visible, app.error.text
    assert app.traces[0].param_names == ("b0", "b1", "b2")
    assert app.traces[0].problem.x_names == ("t",) and app.traces[0].problem.y_name == "h"


def test_the_pages_models_pass_bokehs_checks_and_the_race_shares_its_glyphs():
    """The server does not check each visitor's page (the same code makes every page), so
    the check is here; and a page's models stay few: every one costs the server's event
    loop each time a page is built."""
    from bokeh.core.validation import check_integrity
    from bokeh.document import Document
    from bokeh.models import GlyphRenderer

    app = Playground({"problem": "rosenbrock", "race": "adam:lr=0.01;momentum:lr=0.0005",
                      "max_iter": "50"})
    document = Document()
    document.add_root(app.view().get_root(document))
    issues = check_integrity(document.models)
    assert issues.error == [] and issues.warning == []
    renderers = [m for m in document.models if isinstance(m, GlyphRenderer)]
    assert all(r.nonselection_glyph == "auto" and r.muted_glyph == "auto" for r in renderers)
    # 218 models now (458 before the network's picture waited for a network, 263 before
    # the data chart waited for data): a page that grows past 240 pays for it in every
    # class that opens the link together.
    assert len(document.models) <= 240, len(document.models)
    assert app.figure.network_chart is None  # built only for a network
    assert app.figure.data_chart is None  # built only for data
    # The race's two runs in the shared glyphs, each in its optimizer's colour (as every
    # picture draws it); the own run apart, in its optimizer's colour too.
    from gdviz.views.style import OPTIMIZER_STYLES

    assert app.figure.race_lines.data["colour"] == [OPTIMIZER_STYLES["momentum"][0],
                                             OPTIMIZER_STYLES["adam"][0]]
    own = OPTIMIZER_STYLES[app.traces[0].settings["optimizer_name"]][0]
    assert own not in app.figure.race_lines.data["colour"]
    assert all(glyph.line_color == own for glyph in app.figure._own_lines)
    race = [entry.run() for entry in reversed(app.race)]
    for line, trace in zip(app.figure.race_lines.data["xs"], race):
        np.testing.assert_allclose(line, trace.params[:, 0])
    assert app.figure.race_ends.data["iteration"] == [t.iterations for t in race]
    assert len(app.figure.race_dots.data["x"]) == sum(t.iterations + 1 for t in race)
    assert len(app.figure.shown.data["x"]) == app.traces[0].iterations + 1


def test_the_server_refuses_big_messages_and_foreign_pages_itself():
    from gdviz.app import MAX_MESSAGE_BYTES, close_server, make_server

    server = make_server(port=0)
    try:
        settings = server._tornado.settings
        assert settings["websocket_max_message_size"] == MAX_MESSAGE_BYTES < 13 * 2**20
        assert server.address == "127.0.0.1"
        origins = server._tornado._websocket_origins
        assert "*" not in origins and f"127.0.0.1:{server.port}" in origins
    finally:
        close_server(server)


# -- a shared server: nothing from a link or an upload is HTML, links are checked whole ----
PAYLOAD = '<img src=x onerror="alert(document.domain)">'


def _scene_keys():
    import dataclasses

    return [field.name for field in dataclasses.fields(Scene)] + ["race", PAYLOAD]


def _html_shown(app) -> list[str]:
    """Every text the page renders as HTML (Divs not set to render as text)."""
    from bokeh.models import Div

    return [div.text for div in (app.status, app.controls.lr_note, app.error, app.figure.board,
                                 app.figure.counter, app.figure.pending)
            if isinstance(div, Div) and not div.render_as_text]


@pytest.mark.parametrize("key", _scene_keys(), ids=lambda k: "key" if k == PAYLOAD else k)
def test_a_payload_in_any_key_of_a_link_is_refused_and_shown_as_text(key):
    query = {key: PAYLOAD}
    if key == "formula":
        query["problem"] = "expression"
    app = Playground(query)
    assert app.error.visible and app.error.render_as_text  # the words are text, never HTML
    assert app.error.text.startswith("the link's settings were not used: ")
    assert "\n" not in app.error.text
    assert not any("<img" in text for text in _html_shown(app))
    assert app.scene == app._default and len(app.figure.fulls[0].data["x"]) > 0


def test_a_payload_in_a_csv_header_is_shown_as_text():
    app = Playground()
    app.controls.problem.value = "csv"
    rows = "\n".join(f"{h},{3 * h + 1}" for h in range(10))
    app.controls.csv_file.value = {"evil.csv": f"{PAYLOAD},score\n{rows}\n".encode()}
    assert not app.error.visible, app.error.text
    # The column picker renders its labels as HTML (Choices.js): they are escaped there.
    assert dict(app.controls.x_columns.options) == {html.escape(PAYLOAD): PAYLOAD, "score": "score"}
    assert app.figure.data_chart.xaxis[0].axis_label.text == PAYLOAD  # PlainText: never TeX or HTML
    assert "<img" not in app.status.text
    app.controls.problem.value = "csv"


@pytest.mark.parametrize("query, words", [
    ({"x0": "1,2,3"}, "x0 has 3 numbers but this model has 2 parameters (x, y)"),
    ({"problem": "linear", "batch_size": "100000"},
     "batch_size 100000 is more than the 100 data points"),
    ({"problem": "quadratic", "batch_size": "5"},
     "setting 'batch_size' does not apply to quadratic with gd"),
    ({"problem": "rosenbrock", "degree": "3"},
     "setting 'degree' does not apply to rosenbrock with gd"),
])
def test_a_link_that_cannot_run_is_refused_whole(query, words):
    app = Playground(query)
    assert app.error.visible and app.error.text == f"the link's settings were not used: {words}"
    assert app.scene == app._default and len(app.figure.fulls[0].data["x"]) == 201


def test_a_start_that_overflows_says_so():
    app = Playground({"problem": "expression", "formula": "1e308**2 + x**2 + y**2",
                      "x0": "1,1"})
    assert "overflow at the start: the loss there is too large for a float (inf)" in \
        app.status.text


def test_a_bare_page_runs_nothing_until_it_has_loaded():
    class Counting:
        budget = __import__("gdviz.app.workers", fromlist=["Budget"]).Budget()
        submitted = 0

        def submit(self, *args):
            self.submitted += 1
            raise AssertionError("nothing may run before the page has loaded")

    runner = Counting()
    app = Playground({"problem": "mlp", "hidden": "64", "max_iter": "20000"}, runner=runner,
                     autostart=False)
    assert runner.submitted == 0 and len(app.figure.fulls[0].data["x"]) == 0
    assert app.controls.problem.value == "mlp" and app.controls.max_iter.value == 20000  # the link was read


def test_a_csv_field_past_the_csv_modules_limit_is_one_line():
    app = Playground()
    app.controls.problem.value = "csv"
    app.controls.csv_file.value = {"long.csv": b"x,y\n1,2\n2," + b"3" * 200_000 + b"\n3,4\n"}
    assert app.error.visible
    assert app.error.text.endswith("line 3: a value longer than 128 KB is not a number "
                                   "(is it the right file?)")
    # The file named as the student named it, never the server's folder or its name for it.
    assert "long.csv, line 3" in app.error.text and "/" not in app.error.text.split(",")[0]
    assert "upload.csv" not in app.error.text


def test_each_choice_of_columns_keeps_one_copy_of_the_upload_on_disk():
    """Each choice of columns used to write a NumPy copy of its own (119 MB in 9 s)."""
    app = Playground()
    app.controls.problem.value = "csv"
    rows = "\n".join(f"{k},{k % 7},{k % 5},{3 * k}" for k in range(300))
    app.controls.csv_file.value = {"four.csv": ("a,b,c,y\n" + rows + "\n").encode()}
    folder = app.folder()
    for inputs, target in ((["a"], "y"), (["b"], "y"), (["a", "b"], "c"), (["c"], "a")):
        app.controls.x_columns.value = inputs
        app.controls.y_column.value = target
        assert not app.error.visible, app.error.text
        assert len(list(folder.glob("columns-*.npz"))) <= 1
    assert sorted(path.name for path in folder.glob("*.csv")) == ["four.csv"]


def test_an_upload_past_the_limit_is_refused_chunk_by_chunk_on_the_server():
    from gdviz.app.choices import UPLOAD_CHUNK_BYTES

    app = Playground()
    dropper = app.controls.csv_file
    chunks = MAX_UPLOAD_BYTES // UPLOAD_CHUNK_BYTES + 3
    for chunk in range(1, chunks + 1):  # a page that skipped the browser's own check
        dropper._process_event(types.SimpleNamespace(
            event_name="upload_event",
            data={"name": "big.csv", "chunk": chunk, "total_chunks": chunks,
                  "type": "text/csv", "data": b"1" * UPLOAD_CHUNK_BYTES}))
    assert dropper.value == {} and dropper._file_buffer == {}
    assert app.error.visible and "more than the 10 MB this page takes" in app.error.text


def pixel_at(app, point) -> tuple[int, int, np.ndarray]:
    """The (row, column) of the contour image's pixel holding ``point``, and its centre."""
    data = app.figure.image.data
    rows, columns = np.asarray(data["image"][0]).shape
    width, height = data["dw"][0] / columns, data["dh"][0] / rows
    c = int(np.floor((point[0] - data["x"][0]) / width))
    r = int(np.floor((point[1] - data["y"][0]) / height))
    centre = np.array([data["x"][0] + (c + 0.5) * width, data["y"][0] + (r + 0.5) * height])
    return r, c, centre


def band_of(app, loss: float) -> int:
    return int(np.clip(np.digitize(loss, app.figure.levels) - 1, 0, len(app.figure.levels) - 1))


def test_a_slice_in_the_page_goes_through_the_point_shown_and_follows_the_scrub():
    app = Playground({"problem": "polynomial", "degree": "3", "lr": "0.1", "max_iter": "60"})
    trace, frames = app.traces[0], app.figure.frames.data["iteration"]
    assert app.drawn.plane == "slice" and app.controls.plane.visible
    points = path_of(app)
    bands = lambda: np.asarray(app.figure.image.data["image"][0])  # noqa: E731
    # Through the end at first (the frame shown): the earlier points are not on it, and
    # their colour there is not their loss (the fault a slice through the point fixes).
    wrong = 0
    for k in frames[:-1]:
        r, c, _ = pixel_at(app, points[k])
        if 0 <= r < bands().shape[0] and 0 <= c < bands().shape[1]:
            wrong += bands()[r, c] != band_of(app, trace.loss[k])
    assert wrong > 10
    for frame in (0, 7, len(frames) - 1):
        app.figure.scrub.value = frame
        k = frames[frame]
        assert app.drawn.image_at == k
        assert app.figure.contour.title.text == f"the loss over (b0, b2): a slice through iteration {k}"
        assert app.figure.plane_note.text.startswith(f"the other 2 parameters at their values at "
                                              f"iteration {k}: the point shown lies on this")
        r, c, centre = pixel_at(app, points[k])
        np.testing.assert_allclose(centre, points[k], rtol=0, atol=1e-12)
        assert bands()[r, c] == band_of(app, trace.loss[k])
    rosenbrock = Playground({"problem": "rosenbrock", "max_iter": "50"})
    assert rosenbrock.figure.contour.title.text == "the loss: click to set the start"
    assert not rosenbrock.controls.plane.visible and rosenbrock.figure.plane_note.text == ""


def test_the_plane_of_the_path_in_the_page_is_the_runs_svd_plane_and_stays_while_the_problem_does():
    app = Playground({"problem": "polynomial", "degree": "3", "lr": "0.2", "max_iter": "150",
                      "plane": "pca"})
    trace = app.traces[0]
    centred = trace.params - trace.params[-1]
    _, singular, rows = np.linalg.svd(centred, full_matrices=False)
    directions = np.asarray(app.drawn.plane_basis["directions"])
    signs = np.sign(np.sum(directions * rows[:2], axis=1))  # a direction's sign is free
    np.testing.assert_allclose(directions, rows[:2] * signs[:, None], atol=1e-10)
    np.testing.assert_allclose(path_of(app), centred @ (rows[:2] * signs[:, None]).T, atol=1e-10)
    shares = singular[:2] ** 2 / np.sum(singular**2)
    from gdviz.words.numbers import percent
    assert app.figure.contour.title.text == (f"the loss on the plane of the path of gd, lr 0.2 "
                                      f"({percent(shares[0])} + {percent(shares[1])} of its spread)")
    frames = app.figure.frames.data["iteration"]
    off = np.linalg.norm(centred[0] - centred[0] @ rows[:2].T @ rows[:2])
    under = trace.problem.loss(trace.params[-1] + centred[0] @ rows[:2].T @ rows[:2])
    assert app.figure.frames.data["plane_note"][0] == (
        f"off the plane by {off:.2g}: true loss {trace.loss[0]:.4g}, the plane's under it "
        f"{under:.4g}")
    assert app.figure.plane_note.text == app.figure.frames.data["plane_note"][len(frames) - 1]
    # Another rate: the same plane (the landscape stays), the new path projected on it.
    app.controls.lr_exact.value = 0.05
    assert not app.error.visible, app.error.text
    np.testing.assert_array_equal(app.drawn.plane_basis["directions"], directions)
    assert app.drawn.image is None and "of gd, lr 0.2 (" in app.figure.contour.title.text
    new = app.traces[0]
    np.testing.assert_allclose(path_of(app), (new.params - trace.params[-1]) @ directions.T,
                               atol=1e-10)
    # A click on the plane starts the run at the plane's point there.
    app._tapped(types.SimpleNamespace(x=0.5, y=-0.3))
    np.testing.assert_allclose(app.scene.x0, trace.params[-1] + 0.5 * directions[0]
                               - 0.3 * directions[1], atol=1e-12)
    np.testing.assert_allclose(path_of(app)[0], [0.5, -0.3], atol=1e-12)
    # Back to a slice: a slice, whose window is the two parameters that moved most.
    app.controls.plane.value = "slice"
    assert app.drawn.plane == "slice" and "a slice through iteration" in app.figure.contour.title.text
    assert "plane=pca" not in app.figure.drawn_link.text


def test_the_page_shows_each_frames_promise_and_delivery_as_the_view_draws_it():
    from gdviz.anatomy import promise_at

    app = Playground({"problem": "quadratic", "lr": "0.21", "max_iter": "30"})
    trace, frames = app.traces[0], app.figure.frames.data["iteration"]
    data = app.figure.frames.data
    curves = np.asarray(app.figure.curves.data["y"]).reshape(len(frames), -1)  # one buffer
    for f in (0, 3, len(frames) // 2):
        curve, landed, lowest = promise_at(trace, int(frames[f]))
        np.testing.assert_allclose(curves[f], np.clip(curve, -3, 2.5))
        assert data["landed"][f] == pytest.approx(np.clip(landed, -2, 1.5))
        assert data["lowest"][f] == lowest
        assert "promised fall" in data["promise_words"][f]
    assert "ROSE" in data["promise_words"][0]  # 0.21 > 2/L: the loss rose
    assert data["promise_words"][-1] == "no step from here"
    assert app.figure.promise_words.render_as_text and app.figure.promise_chart.visible


def test_the_data_panel_draws_each_points_residual_stick():
    app = Playground({"problem": "linear", "max_iter": "40", "lr": "0.05"})
    trace = app.traces[0]
    problem = trace.problem
    fitted = problem.predict(trace.params[-1], problem.x)
    sticks = app.figure.sticks.data
    np.testing.assert_allclose(sticks["y1"], fitted)
    np.testing.assert_allclose(sticks["y0"], problem.y)
    above = problem.y > fitted
    assert [c == "#A0522D" for c in sticks["colour"]] == above.tolist()
    frames = app.figure.frames.data["iteration"]
    np.testing.assert_allclose(app.figure.frames.data["fitted"][0],
                               problem.predict(trace.params[frames[0]], problem.x))
    app = Playground({"problem": "rosenbrock", "max_iter": "20"})  # no data: no sticks
    assert len(app.figure.sticks.data["x0"]) == 0


def test_the_blogs_data_in_the_page_is_the_blogs_run():
    for app in (Playground({"problem": "seed"}), Playground()):
        if app.scene.problem != "seed":
            app.controls.problem.value = "seed"  # chosen in the page, as from a link
        assert (app.scene.lr, app.scene.tol) == (0.005, 0.01)
        assert app.traces[0].iterations == 1161 and app.traces[0].stop_reason == "converged"


def test_a_run_that_leaves_the_contour_is_marked_where_it_crossed_the_edge():
    from gdviz.views.window import edge_point

    app = Playground({"problem": "quadratic", "lr": "1.5", "max_iter": "30"})
    points, window = path_of(app), app.drawn.limits
    (x_low, x_high), (y_low, y_high) = window
    inside = [x_low <= x <= x_high and y_low <= y <= y_high for x, y in points]
    left = inside.index(False) - 1
    expected = edge_point(points[left], points[left + 1], window)
    assert app.figure.edges.data["x"] == [pytest.approx(expected[0])]
    assert app.figure.edges.data["y"] == [pytest.approx(expected[1])]
    assert min(abs(expected[0] - x_low), abs(expected[0] - x_high), abs(expected[1] - y_low),
               abs(expected[1] - y_high)) < 1e-9  # on the edge
    app.figure.cut_paths(0)
    assert app.figure.edges.data["x"] == []  # the start is inside: no mark


def test_a_race_longer_than_the_current_run_draws_the_current_runs_end_past_it():
    app = Playground({"problem": "quadratic", "lr": "0.15", "max_iter": "200",
                      "race": "gd:lr=0.01"})
    assert not app.error.visible, app.error.text
    trace, frames = app.traces[0], app.figure.frames.data["iteration"]
    assert frames[-1] == 200 > trace.iterations
    assert app.figure.frames.data["caption"][-1] == app.figure.frames.data["caption"][
        list(frames).index(trace.iterations)]


def hidden_numbers_in(app, trace, k) -> list:
    """Every number after iteration k of ``trace`` that the page's models hold."""
    from bokeh.document import Document

    document = Document()
    document.add_root(app.view().get_root(document))
    text = json.dumps(document.to_json(), default=str)
    later = list(trace.loss[k + 1:]) + list(trace.params[k + 1:].ravel())
    found = []
    for v in later:  # a whole number of the page (1.01834 is not in 11.018345), and where
        for shown in (repr(float(v)), f"{v:.6g}"):
            seen = re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d])", text)
            if seen:
                found.append((float(v), text[max(0, seen.start() - 300):seen.end() + 60]))
                break
    return found


def test_predict_mode_sends_nothing_after_the_step_checks_on_the_server_and_reveals():
    app = Playground({"lesson": "momentum", "question": "1"})
    assert not app.error.visible, app.error.text
    lesson = app.lesson.chosen
    question = lesson.questions[0]
    scene = lesson.scenes[question.scene]
    assert (app.scene.optimizer, app.scene.lr) == (scene.optimizer, scene.lr)
    assert [entry.optimizer for entry in app.race] == ["gd", "nesterov"]  # its group races
    trace = scene.run()
    k = question.step
    assert len(app.figure.fulls[0].data["x"]) == k + 1 and app.figure.frames.data["iteration"][-1] == k
    assert "________" in app.figure.frames.data["board"][-1] and app.figure.caption.text.startswith("What are")
    assert app.figure.counter.text == f"iteration {k}"  # not "of {k}": the run goes on
    assert hidden_numbers_in(app, trace, k) == []
    assert app.lesson.row.visible and "lesson=momentum&question=1&predict=1" in app.figure.drawn_link.text
    # A wrong answer: said so, by how much, scored; then the step revealed.
    app.lesson.answer.value = f"{trace.params[k][0]}, {trace.params[k][1]}"
    app.lesson.check_answer()
    assert app.lesson.verdict.text.startswith("not this time") and app.lesson.score.text == "score: 0 of 1"
    # Revealed as far as question 2, on the same run, lets it be seen (a step past this).
    assert lesson.questions[1].scene == question.scene
    shown = max(lesson.questions[1].step, k + 1)
    assert len(app.figure.fulls[0].data["x"]) == shown + 1 < trace.iterations + 1
    assert app.figure.frames.data["iteration"][app.figure.scrub.value] == k
    assert app.figure.counter.text == f"iteration {k}"
    assert f"= {trace.params[k + 1][0]:.6g}" in app.figure.board.text
    # The next question, answered right.
    app.lesson.question.value = 2
    k2 = lesson.questions[1].step
    assert len(app.figure.fulls[0].data["x"]) == k2 + 1
    app.lesson.answer.value = f"{trace.loss[k2 + 1]:.5g}"
    app.lesson.check_answer()
    assert app.lesson.verdict.text.startswith("right") and app.lesson.score.text == "score: 1 of 2"


def test_predict_mode_at_any_step_and_bad_answers_or_links_in_one_line():
    app = Playground({"problem": "rosenbrock", "lr": "0.001", "max_iter": "300", "predict": "1",
                      "step": "7", "ask": "next_loss"})
    assert not app.error.visible, app.error.text
    trace = app.scene.run()
    assert len(app.figure.fulls[0].data["x"]) == 8 and hidden_numbers_in(app, trace, 7) == []
    app.lesson.answer.value = "a lot"
    app.lesson.check_answer()
    assert app.error.visible and "an answer here is numbers" in app.error.text
    assert app.lesson.score.text == "" and app.lesson.hidden is not None  # not revealed
    app.lesson.predict_step.value = 5000
    assert app.error.visible and "ask about a step from 0 to 299" in app.error.text
    for query, words in [({"lesson": "../etc/passwd"}, "unknown lesson '../etc/passwd'"),
                         ({"lesson": "momentum", "question": "9"}, "has questions 1 to 3"),
                         ({"predict": "1", "ask": "nxt_loss"}, "did you mean 'next_loss'")]:
        page = Playground(query)
        assert page.error.visible and words in page.error.text
        assert page.scene.problem == "quadratic"  # the default drawn instead


def test_the_network_builder_reaches_the_engine_and_the_map_is_the_networks_own():
    from gdviz.app.charts import MAP_POINTS

    app = Playground({"problem": "mlp", "hidden": "4,3", "activation": "relu", "data": "xor",
                      "noise": "0.1", "test_fraction": "0.25", "optimizer": "adam",
                      "lr": "0.05", "max_iter": "80"})
    assert not app.error.visible, app.error.text
    assert app.controls.hidden.value == "4,3" and app.controls.activation.value == "relu"
    trace = app.traces[0]
    problem = trace.problem
    assert problem.sizes == (2, 4, 3, 1) and len(problem.y_test) == 50
    frames, at = app.figure.frames.data["iteration"], app.figure.frames.data["map_at"]
    x0, y0 = app.figure.net_map.data["x"][0], app.figure.net_map.data["y"][0]
    x1, y1 = x0 + app.figure.net_map.data["dw"][0], y0 + app.figure.net_map.data["dh"][0]
    gx, gy = np.meshgrid(np.linspace(x0, x1, MAP_POINTS), np.linspace(y0, y1, MAP_POINTS))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    for f in (0, len(frames) // 2, len(frames) - 1):
        shown = np.asarray(app.figure.maps.data["v"]).reshape(-1, MAP_POINTS, MAP_POINTS)[at[f]]
        # the map shown at frame f is the network's at a frame at or before it
        made = [k for k in range(f + 1) if at[k] == at[f]][0]
        expected = problem.predict(trace.params[frames[made]], grid).reshape(shown.shape)
        np.testing.assert_allclose(shown, expected, rtol=1e-6, atol=1e-7)
    assert len(app.figure.test_points.data["x"]) == 50
    right = int(np.sum(problem.classify(trace.final_params) == problem.labels))
    assert f"accuracy {right}/150" in app.status.text
    app.controls.hidden.value = "6"
    assert app.scene.hidden == (6,) and app.traces[0].problem.sizes == (2, 6, 1)
    app.controls.hidden.value = "6,x"
    assert app.error.visible and "like 8 or 8,8" in app.error.text


def test_the_network_picture_and_the_chain_rule_are_the_networks_own():
    """The page's network: edges as wide as the weights at the frame shown, each unit's
    map its output over the inputs (written out by hand), the weight the step moves most,
    and the chain rule of the step ending at the trace's gradient."""
    from gdviz.app.charts import UNIT_POINTS

    app = Playground({"problem": "mlp", "hidden": "4,3", "activation": "relu", "data": "xor",
                      "noise": "0.1", "optimizer": "adam", "lr": "0.05", "max_iter": "80"})
    assert not app.error.visible, app.error.text
    assert app.figure.network_row.visible
    trace, frames = app.traces[0], app.figure.frames.data["iteration"]
    problem = trace.problem
    names = app.figure.net_edges.data["name"]
    assert names[:3] == ["layer1.w[0,0]", "layer1.w[0,1]", "layer1.w[1,0]"]
    assert len(names) == 2 * 4 + 4 * 3 + 3 * 1
    index = [trace.param_names.index(name) for name in names]
    weights = trace.params[:, index]
    scale = np.max(np.abs(weights))
    stored = np.asarray(app.figure.net_weights.data["w"]).reshape(-1, len(names))
    for f in (0, len(frames) // 2, len(frames) - 1):
        # float32: the widths and colours read them, no number is shown from them
        np.testing.assert_allclose(stored[app.figure.frames.data["weight_at"][f]] * scale,
                                   weights[frames[f]], rtol=1e-6, atol=1e-7 * scale)
    last = weights[frames[-1]]
    np.testing.assert_allclose(app.figure.net_edges.data["width"], 0.3 + 5 * np.abs(last) / scale,
                               rtol=1e-6)
    assert app.figure.net_edges.data["colour"] == ["#E66100" if w >= 0 else "#1F6FB4" for w in last]
    # the units' maps at a middle frame: ReLU of the weighted inputs over the data's range
    X = problem.X
    gx, gy = np.meshgrid(np.linspace(X[:, 0].min(), X[:, 0].max(), UNIT_POINTS),
                         np.linspace(X[:, 1].min(), X[:, 1].max(), UNIT_POINTS))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    values = np.asarray(app.figure.net_values.data["v"]).reshape(-1, (4 + 3 + 1) * UNIT_POINTS**2)
    f = len(frames) // 2
    snapshot = app.figure.frames.data["unit_at"][f]
    made = [k for k in range(f + 1) if app.figure.frames.data["unit_at"][k] == snapshot][0]
    (w1, b1), (w2, b2), (w3, b3) = problem.unpack(trace.params[frames[made]])
    h1 = np.maximum(grid @ w1.T + b1, 0)
    h2 = np.maximum(h1 @ w2.T + b2, 0)
    p = 1 / (1 + np.exp(-(h2 @ w3.T + b3)))
    expected = np.concatenate([(h1 / np.where(h1.max(0) > 0, h1.max(0), 1)).T.ravel(),
                               (h2 / np.where(h2.max(0) > 0, h2.max(0), 1)).T.ravel(),
                               (2 * p - 1).ravel()])
    np.testing.assert_allclose(values[snapshot], expected, rtol=1e-6, atol=1e-7)
    # the last frame's maps drawn here, where the scrub bar starts
    shown = np.asarray(app.figure.net_maps.data["image"])
    assert shown.shape == (4 + 3, UNIT_POINTS, UNIT_POINTS)
    np.testing.assert_array_equal(shown.ravel(), values[app.figure.frames.data["unit_at"][-1]][
        :7 * UNIT_POINTS**2])
    # the weight each frame's step moves most, named under the picture
    for f in (0, len(frames) // 2):
        k = frames[f]
        moved = int(np.argmax(np.abs(weights[k + 1] - weights[k])))
        assert app.figure.frames.data["moved"][f] == moved
        assert app.figure.frames.data["moved_words"][f].startswith(f"the step moves {names[moved]} most")
    # the chain rule of each frame's step, ending at the trace's gradient of that weight
    chain = app.figure.frames.data["chain"]
    assert len(chain) == len(frames)
    f = len(frames) // 2
    head, *_rest, total, gradient = chain[f].split("\n")
    name = head.split(" for ")[1].split(" at ")[0]
    assert name == names[app.figure.frames.data["moved"][f]]
    assert float(gradient.split()[-1].replace("−", "-")) == pytest.approx(
        trace.grads[frames[f], trace.param_names.index(name)], rel=1e-5)
    assert total.split("=")[-1].strip() == gradient.split(":")[-1].strip()
    # another model: no network picture
    app.controls.problem.value = "rosenbrock"
    assert not app.figure.network_row.visible and not len(app.figure.net_weights.data["w"])


class HeldRunner:
    """Runs a job here and now, answering its early part at once and holding the rest
    (the words, a network's picture, a new slice) until ``release``, as a worker's second
    message comes a moment after its first."""

    def __init__(self):
        from gdviz.app.workers import InlineRunner

        self.inline, self.held = InlineRunner(), []
        self.budget = self.inline.budget

    def submit_shared(self, key, heavy, function, *args, opening=False):
        return self.submit(("shared", key), heavy, function, *args, opening=opening)

    def submit(self, owner, heavy, function, *args, seconds=None, opening=False):
        import concurrent.futures

        done = self.inline.submit(owner, heavy, function, *args, seconds=seconds)
        future = concurrent.futures.Future()
        future.early = done.early
        self.held.append((future, done))
        return future

    def release(self):
        for future, done in self.held:
            future.set_result(done.result())
        self.held.clear()


def test_a_networks_picture_and_a_new_slice_follow_its_map_and_path():
    """The map and the path of a new run come first; the network's picture and the slice
    through the new end follow with the words. Meanwhile the page keeps the ones it showed
    (never a picture of no network), and then shows the new run's own."""
    runner = HeldRunner()
    app = Playground({"problem": "mlp", "hidden": "4", "data": "xor", "optimizer": "adam",
                      "lr": "0.05", "max_iter": "60"}, runner=runner)
    runner.release()
    assert app.drawn.plane == "slice" and app.figure.network_row.visible
    before_widths = list(app.figure.net_edges.data["width"])
    before_image = np.asarray(app.figure.image.data["image"][0]).copy()
    app.controls.lr_exact.value = 0.02
    trace, frames = app.traces[0], app.figure.frames.data["iteration"]
    assert app.scene.lr == 0.02 and app.drawn.network is None and app.drawn.follows
    assert "weight_at" not in app.figure.frames.data and app.figure.network_row.visible
    assert list(app.figure.net_edges.data["width"]) == before_widths  # the one shown stays
    np.testing.assert_array_equal(app.figure.image.data["image"][0], before_image)
    runner.release()
    names = app.figure.net_edges.data["name"]
    last = trace.params[frames[-1], [trace.param_names.index(name) for name in names]]
    scale = np.max(np.abs(trace.params[:, [trace.param_names.index(n) for n in names]]))
    np.testing.assert_allclose(app.figure.net_edges.data["width"], 0.3 + 5 * np.abs(last) / scale,
                               rtol=1e-6)
    assert len(app.figure.frames.data["weight_at"]) == len(frames)
    # the slice is now through the new run's last point
    assert app.drawn.image_at == trace.iterations
    assert f"a slice through iteration {trace.iterations}" in app.figure.contour.title.text
    assert not np.array_equal(np.asarray(app.figure.image.data["image"][0]), before_image)
    # its colour at the new end is the new end's loss
    end = path_of(app)[trace.iterations]
    r, c, _centre = pixel_at(app, end)
    assert np.asarray(app.figure.image.data["image"][0])[r, c] == band_of(app, trace.loss[-1])


def test_a_move_to_a_rate_asked_ahead_or_asked_before_is_drawn_from_the_answer_kept():
    """The slider's neighbouring rates are asked ahead; a move to one, or back, draws the
    answer kept (no run is asked for), the same charts as a run made on the move."""
    from gdviz.app.choices import KEPT_ANSWERS
    from gdviz.app.workers import InlineRunner

    class LookingAhead(InlineRunner):
        look_ahead = True

        def __init__(self):
            super().__init__()
            self.asked, self.withdrawn = [], []

        def submit(self, owner, heavy, function, *args, seconds=None, ahead=False, opening=False):
            self.asked.append((args[0].scene.lr, ahead))
            return super().submit(owner, heavy, function, *args, seconds=seconds)

        def withdraw(self, owner):
            self.withdrawn.append(owner)

    runner = LookingAhead()
    query = {"problem": "rosenbrock", "optimizer": "adam", "max_iter": "300"}
    app = Playground({**query, "lr": "0.003"}, runner=runner)
    assert runner.asked == [(0.003, False), (0.005, True), (0.002, True)]
    runner.asked.clear()
    app.controls.lr.value = 0.005  # a move to a rate asked ahead: drawn from it, the next asked ahead
    assert runner.asked == [(0.007, True)]
    fresh = Playground({**query, "lr": "0.005"})
    np.testing.assert_array_equal(path_of(app), path_of(fresh))
    assert app.figure.frames.data["board"] == fresh.figure.frames.data["board"]
    assert app.status.text == fresh.status.text and app.scene.lr == 0.005
    runner.asked.clear()
    app.controls.lr.value = 0.003  # back: the answer kept
    assert runner.asked == []
    np.testing.assert_array_equal(path_of(app), path_of(Playground({**query, "lr": "0.003"})))
    assert len(app.kept.answers) <= KEPT_ANSWERS
    app.controls.optimizer.value = "momentum"  # another scene: run on the move
    assert runner.asked[0] == (0.003, False) and app.scene.optimizer == "momentum"
    runner.withdrawn.clear()
    app.close()  # the page has gone: its jobs are withdrawn, its answers let go
    assert {id(app), (id(app), "slice"), (id(app), "download")} <= set(runner.withdrawn)
    assert not app.kept.answers


def test_a_network_on_an_uploaded_csv_of_three_inputs_tells_its_classes_apart():
    """The builder's task on the user's data: three inputs, two classes. No plane to draw
    a map on: the network's picture (plain nodes) and the accuracy. A change of the
    activation is a new landscape (the contour is not kept from the old one)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 3))
    y = ((X[:, 0] * X[:, 1] + X[:, 2]) > 0).astype(int)
    rows = "\n".join(",".join(f"{v:.4f}" for v in row) + f",{k}" for row, k in zip(X, y))
    app = Playground({"max_iter": "60", "optimizer": "adam", "lr": "0.05"})
    app.controls.problem.value = "csv"
    app.controls.csv_file.value = {"three.csv": ("a,b,c,label\n" + rows + "\n").encode()}
    app.controls.x_columns.value = ["a", "b", "c"]
    app.controls.y_column.value = "label"
    app.controls.model.value = "mlp"
    assert app.controls.task.visible and app.scene.task is None  # regression until asked
    app.controls.task.value = "classification"
    assert not app.error.visible, app.error.text
    trace = app.traces[0]
    assert app.scene.task == "classification" and trace.problem.task == "classification"
    assert trace.problem.sizes[0] == 3 and not app.figure.data_shown
    assert app.figure.network_row.visible and len(app.figure.net_maps.data["image"]) == 0
    assert len(app.figure.net_nodes.data["x"]) == 3 + trace.problem.sizes[1] + 1  # all plain nodes
    right = int(np.sum(trace.problem.classify(trace.final_params) == y))
    assert f"accuracy {right}/90" in app.status.text
    window = app._window
    app.controls.activation.value = "relu"
    assert app.traces[0].problem.activation == "relu"
    assert app._window.key != window.key and app.drawn.image is not None


def test_a_page_in_chinese_says_its_labels_and_its_runs_words_in_chinese():
    """lang=zh in the link: the widgets, the charts and every word of the run in Chinese,
    the link keeps it; other pages (and the process) stay in English."""
    from gdviz.words import i18n

    app = Playground({"lang": "zh", "problem": "rosenbrock", "optimizer": "adam",
                      "lr": "0.05", "max_iter": "60"})
    assert not app.error.visible, app.error.text
    assert app.controls.lr.label == "学习率" and app.controls.optimizer.label == "优化器"
    assert "Rosenbrock 的山谷" in app.controls.problem.options
    # Code names with their words; the value is still the name the command line takes.
    assert app.controls.optimizer.options["动量（momentum）"] == "momentum" and app.controls.optimizer.value == "adam"
    assert app.controls.optimizer.options["Adam（adam）"] == "adam"  # its name, and the code name
    assert app.controls.schedule.options["余弦衰减（cosine）"] == "cosine"
    assert app.controls.network_data.options["双螺旋（spirals）"] == "spirals"
    assert app.controls.model.options["逻辑回归（logistic）"] == "logistic"
    assert app.lesson.answer.placeholder == "新的参数，用逗号隔开：0.52, 0.36"
    app.lesson.predict_ask.value = "diverges"
    app.lesson.predict_on.value = True
    assert app.lesson.answer.placeholder == "是/否"
    app.lesson.predict_on.value = False
    assert app.figure.loss_chart.title.text == "损失随迭代的变化"
    assert "次迭代，最终损失" in app.status.text
    assert app.figure.counter.text.startswith("第 ")
    assert "lang=zh" in app.figure.drawn_link.text
    app.controls.lr_exact.value = 0.02  # a redraw: its words in Chinese too
    assert "lang=zh" in app.figure.drawn_link.text and "60 次迭代，最终损失" in app.status.text
    # the network's picture (built when a network is first drawn), its key and the data
    # chart's title too
    assert app.figure.network_chart is None
    app.controls.problem.value = "mlp"
    assert "正的权重" in app.figure.net_key.text and "这一步中变化最大的权重" in app.figure.net_key.text
    assert app.figure.network_row.visible and app.figure.network_chart.title.text
    assert app.figure.data_chart.title.text == "网络在整个平面上的判断（测试点为空心）" or \
        app.figure.data_chart.title.text == "数据与模型的拟合"
    assert i18n.language() == "en"  # the process itself stays in English
    english = Playground({"problem": "rosenbrock", "max_iter": "30"})
    assert english.controls.lr.label == "learning rate"
    assert english.controls.optimizer.options["momentum"] == "momentum"
    app = Playground({"lang": "zh", "lesson": "momentum"})
    first, *asked = app.lesson.question.options
    assert first == "（无：只观看）" and len(asked) == len(app.lesson.chosen.questions)
    assert asked[0].startswith("1. 运行 ") and "次迭代：" in asked[0], asked
    refused = Playground({"lang": "fr"})
    assert refused.error.visible and "unknown language 'fr'" in refused.error.text
    assert refused.controls.lr.label == "learning rate"


def test_the_colour_bar_labels_no_loss_twice():
    """A slice through a network's point spans a narrow range of losses: its levels crowd
    the floor, and the bar labels each reading once, as the pictures' bar does."""
    from gdviz.views.contour import labelled_levels

    app = Playground({"problem": "mlp", "data": "spirals", "hidden": "8,8",
                      "activation": "relu", "optimizer": "momentum", "lr": "0.03",
                      "max_iter": "300"})
    assert not app.error.visible, app.error.text
    labels = [app.figure.colour_bar.major_label_overrides[k] for k in app.figure.colour_bar.ticker.ticks]
    assert len(labels) >= 3 and len(set(labels)) == len(labels), labels
    assert list(app.figure.colour_bar.ticker.ticks) == labelled_levels(app.figure.levels)
    assert [float(text) for text in labels] == sorted(float(text) for text in labels)


def test_a_link_cannot_put_a_notice_on_the_page():
    """An unknown key or value is echoed in the error line: cut to 60 characters, with
    its direction overrides escaped, so a link cannot write a notice to the class."""
    notice = "NOTICE: today's quiz is cancelled, go to room 12 \u202e" + "x" * 10_000
    app = Playground({notice: "1"})
    assert app.error.visible
    text = app.error.text
    assert len(text) <= 400 and "\u202e" not in text and "x" * 61 not in text
    assert "NOTICE" in text  # still said, so the visitor sees what was refused
