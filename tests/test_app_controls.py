"""The page's controls and the Scene they describe, both ways: a scene shown in the
widgets comes back as it went in (a setting at its default left out, the same run), and
widgets set by hand describe a scene that, shown in fresh widgets, sets them the same."""
import numpy as np
import pytest

from skip_reasons import PANEL

pytest.importorskip("panel", reason=PANEL)

from gdviz import lessons  # noqa: E402
from gdviz.app.controls import WATCHED, Controls, canonical  # noqa: E402
from gdviz.scene import Scene  # noqa: E402

#: Scenes a link or a lesson brings, one for every kind of setting the controls hold.
SCENES = [
    Scene(problem="quadratic", optimizer="gd", lr=0.05, max_iter=200),
    Scene(problem="rosenbrock", optimizer="adam", lr=0.01, beta1=0.8, beta2=0.99,
          max_iter=500, x0=(-1.5, 2.0)),
    Scene(problem="himmelblau", optimizer="adamw", lr=0.02, weight_decay=0.01, max_iter=300,
          schedule="step:step_size=100,gamma=0.5"),
    Scene(problem="saddle", optimizer="nesterov", lr=0.05, momentum=0.7, max_iter=100,
          tol=1e-6),
    Scene(problem="seed", optimizer="gd", lr=0.005, tol=0.01, max_iter=20000),
    Scene(problem="linear", optimizer="sgd", lr=0.01, batch_size=8, standardize=True,
          seed=3, max_iter=400),
    Scene(problem="polynomial", degree=5, optimizer="rmsprop", lr=0.01, max_iter=800),
    Scene(problem="logistic", data="moons", optimizer="momentum", lr=0.3, momentum=0.5,
          max_iter=300),
    Scene(problem="mlp", hidden=(8, 4), activation="relu", data="spirals", noise=0.2,
          test_fraction=0.3, l2=1e-3, optimizer="adam", lr=0.03, beta1=0.9, beta2=0.999,
          max_iter=1000, plane="pca"),
    Scene(problem="mlp", hidden=(6,), optimizer="adagrad", lr=0.1, max_iter=200,
          schedule="cosine"),
    Scene(problem="expression", formula="x**2 + 3*sin(y)", optimizer="gd", lr=0.1,
          max_iter=50, settle=5, grad_tol=1e-4),
]


def lesson_scenes():
    return [scene for name in lessons.builtin() for scene in lessons.load(name).scenes]


@pytest.mark.parametrize("scene", SCENES + lesson_scenes(), ids=repr)
def test_a_scene_shown_in_the_controls_comes_back_as_it_went_in(scene):
    controls = Controls("en")
    controls.show(scene)
    assert controls.scene() == canonical(scene)
    if scene in lesson_scenes():  # a lesson's scene leaves its defaults out already
        assert canonical(scene) == scene


@pytest.mark.parametrize("scene", SCENES, ids=repr)
def test_a_scene_with_its_defaults_left_out_runs_the_same(scene):
    short = scene.replace(max_iter=30)
    np.testing.assert_array_equal(canonical(short).run().params, short.run().params)


def test_rmsprop_shown_in_the_controls_keeps_its_own_momentum_and_adamw_its_decay():
    """rmsprop takes a momentum (0 by default) and adamw a weight decay (0.01): a lesson's
    rmsprop is not drawn with momentum's 0.9, and an adamw without decay stays without."""
    controls = Controls("en")
    controls.show(Scene(problem="rosenbrock", optimizer="rmsprop", lr=0.01))
    assert controls.momentum.value == 0.0 and controls.scene().momentum is None
    controls.show(Scene(problem="booth", optimizer="adamw", lr=0.01, weight_decay=0.0))
    assert controls.weight_decay.value == 0.0 and controls.scene().weight_decay == 0.0
    controls.show(Scene(problem="booth", optimizer="momentum", lr=0.01))
    controls.optimizer.value = "rmsprop"  # left at momentum's default: rmsprop's own
    controls.show_optimizer_options(before="momentum")
    assert controls.momentum.value == 0.0
    controls.momentum.value = 0.5  # changed by the student: kept
    controls.optimizer.value = "nesterov"
    controls.show_optimizer_options(before="rmsprop")
    assert controls.scene().momentum == 0.5


def test_example_data_shown_with_its_own_noise():
    from gdviz.problems.datasets import DATASETS

    controls = Controls("en")
    for data in ("moons", "spirals"):
        controls.show(Scene(problem="mlp", data=data, optimizer="adam", lr=0.03))
        made = DATASETS[data](50, seed=1)
        shown = DATASETS[data](50, seed=1, noise=controls.noise.value)
        np.testing.assert_array_equal(made[0], shown[0])
        assert controls.scene().noise is None


def test_widgets_set_by_hand_describe_a_scene_that_sets_fresh_widgets_the_same():
    controls = Controls("en")
    settings = {"problem": "mlp", "hidden": "8,8", "activation": "sigmoid",
                "network_data": "xor", "noise": 0.3, "test_fraction": 0.2, "l2": 0.01,
                "optimizer": "adamw", "beta1": 0.85, "beta2": 0.995, "weight_decay": 0.02,
                "batch_size": 16, "schedule": "exponential",
                "schedule_settings": "gamma=0.99", "max_iter": 750, "tol": 1e-5, "seed": 9,
                "plane": "pca"}
    for name, value in settings.items():
        getattr(controls, name).value = value
    controls.show_problem_options()
    controls.set_rate(0.0123)  # off the slider's stops: added to them
    scene = controls.scene()
    fresh = Controls("en")
    fresh.show(scene)
    for name in (*WATCHED, "lr", "lr_exact"):
        assert getattr(fresh, name).value == getattr(controls, name).value, name
        assert getattr(fresh, name).visible == getattr(controls, name).visible, name
    assert fresh.scene() == scene and scene.hidden == (8, 8) and scene.lr == 0.0123


def test_only_the_settings_a_problem_and_an_optimizer_take_are_shown():
    controls = Controls("en")
    controls.show(Scene(problem="rosenbrock", optimizer="sgd", lr=0.001))
    hidden = {name for name in WATCHED if not getattr(controls, name).visible}
    assert {"momentum", "beta1", "beta2", "batch_size", "hidden", "formula", "x_columns",
            "degree"} <= hidden and not controls.csv_file.visible
    controls.show(Scene(problem="linear", optimizer="adam", lr=0.01))
    assert controls.beta1.visible and controls.batch_size.visible and \
        controls.standardize.visible and not controls.momentum.visible


def test_a_link_setting_the_controls_cannot_hold_is_refused():
    controls = Controls("en")
    wanted = Scene(problem="booth", optimizer="gd", lr=0.01, batch_size=4)
    controls.show(wanted)
    with pytest.raises(ValueError, match="setting 'batch_size' does not apply to booth"):
        controls.check_link({"batch_size": "4"}, wanted)


def test_a_setting_hidden_when_the_page_is_built_joins_the_page_when_first_shown():
    """The page holds only what has been shown: the network's builder is not built into a
    test function's page, and once shown it stays in its place, hidden or not."""
    from bokeh.document import Document

    from gdviz.app.playground import Playground

    app = Playground({"problem": "booth", "max_iter": "20"})
    document = Document()
    view = app.view()
    document.add_root(view.get_root(document))
    controls = app.controls

    def in_page(widget):
        ids = {model.id for model in document.models}
        return any(model.id in ids for model, _parent in widget._models.values())

    hidden = [controls.hidden, controls.activation, controls.formula, controls.momentum,
              app.lesson.question]
    assert not any(in_page(widget) for widget in hidden)
    # The file dropper is there from the start: its browser code loads with the page.
    assert in_page(controls.csv_file) and not controls.csv_file.visible
    assert in_page(controls.problem) and in_page(controls.lr)
    before = len(document.models)
    controls.problem.value = "mlp"
    assert in_page(controls.hidden) and in_page(controls.activation)
    assert not in_page(controls.formula) and len(document.models) > before
    controls.problem.value = "booth"  # hidden again, kept in its place
    assert in_page(controls.hidden) and not controls.hidden.visible
    shown = [item for item in view[0].objects if item in (controls.problem,
                                                                 controls.hidden,
                                                                 controls.optimizer)]
    assert shown == [controls.problem, controls.hidden, controls.optimizer]  # in its place
    assert not app.error.visible, app.error.text


def test_a_page_made_for_its_websocket_serves_its_own_stylesheets_never_a_cdn():
    """A browser that connects after its page was let go gets a page made for its
    websocket, with no HTML rendered: its widgets, shown then or later, still take their
    stylesheets from the server (a classroom may have no internet)."""
    from bokeh.document import Document
    from bokeh.models import ImportedStyleSheet
    from panel.io.state import set_curdoc

    from gdviz.app.playground import page
    from gdviz.app.workers import InlineRunner

    document = Document()
    with set_curdoc(document):
        page(InlineRunner()).server_doc(document)
        assert document._template_variables["dist_url"] == "static/extensions/panel/"
        sheets = [sheet.url for model in list(document.models)
                  for sheet in getattr(model, "stylesheets", [])
                  if isinstance(sheet, ImportedStyleSheet)]
    assert sheets and not any(url.startswith("http") for url in sheets), sheets[:3]


def test_the_rates_label_follows_its_knob_in_the_browser_and_no_build_walks_for_links(
        monkeypatch):
    """The slider's label is set by the knob's own script (Panel's link would walk every
    model of the page at each build and each part shown), for the stops it has now."""
    import json

    from bokeh.document import Document
    from panel.links import Callback
    from panel.viewable import Viewable

    from gdviz.app.playground import Playground

    walks = []

    def search(view, root, changed=None, old_models=None):  # Panel's search for links
        walks.append(root)

    monkeypatch.setattr(Viewable, "_preprocessing_hooks", [
        hook for hook in Viewable._preprocessing_hooks
        if hook != Callback._process_callbacks] + [search])
    monkeypatch.setattr(Callback, "_process_callbacks", search)

    app = Playground({"problem": "booth", "lr": "0.05"})
    document = Document()
    root = app.view().get_root(document)
    document.add_root(root)
    app.controls.problem.value = "mlp"  # parts shown: the page grows
    assert walks == []

    def script(widget):
        knob = widget._slider._models[root.ref["id"]][0]
        (code,) = [callback.code for callback in knob.js_property_callbacks["change:value"]]
        label = widget._text._models[root.ref["id"]][0]
        return code, label

    lr = app.controls.lr
    code, label = script(lr)
    assert code == f"label.text = {json.dumps(lr.labels)}[cb_obj.value];"
    assert label.text == lr.labels[lr.options.index(0.05)] == "learning rate: <b>0.05</b>"
    app.controls.set_rate(0.0123)  # off the grid: a new stop, a new knob with the new labels
    code, label = script(lr)
    assert "learning rate: <b>0.0123</b>" in json.loads(code.split(" = ")[1].split("[cb_obj")[0])
    assert label.text == "learning rate: <b>0.0123</b>"
