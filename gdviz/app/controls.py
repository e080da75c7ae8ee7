"""The page's settings: its widgets and the ``Scene`` they describe, both ways.

``Controls.show(scene)`` sets the widgets to a scene (a link's, a lesson's) and
``Controls.scene()`` reads the scene back from them; a scene the controls can hold comes
back as it went in. Only the settings a problem and an optimizer take are shown.
"""
from __future__ import annotations

import contextlib
import inspect

import panel as pn
from bokeh.models import Column as BokehColumn
from bokeh.models import CustomJS
from bokeh.models import Div as BokehDiv
from bokeh.models import Select as BokehSelect

from .. import catalogue
from .._validate import unknown
from ..optim import OPTIMIZERS
from ..optim.schedules import SCHEDULES
from ..scene import Scene
from ..words.i18n import LANGUAGES, _
from .choices import (LR_GRID, MAX_HIDDEN, MAX_ITER, MAX_UPLOAD_BYTES, NETWORK_DATA,
                      PLANE_CHOICES, PROBLEM_CHOICES, UPLOAD_CHUNK_BYTES, named, said)
from .shown import ShownColumn
from .uploading import BoundedDropper
from .style import BokehPane, LabelledSlider, choices_words

#: The widgets whose change asks for a new run (the rate has its own two).
WATCHED = ("problem", "formula", "degree", "hidden", "data", "standardize", "x_columns",
           "y_column", "model", "optimizer", "momentum", "beta1", "beta2", "weight_decay",
           "batch_size", "schedule", "schedule_settings", "max_iter", "tol", "seed", "plane",
           "activation", "network_data", "noise", "test_fraction", "l2", "task")
#: Settings whose "off" is None in a Scene and 0 in a widget.
ZERO_IS_OFF = ("tol", "batch_size", "test_fraction", "l2")
#: Settings a Scene leaves out (None) where they are the optimizer's or the problem's own
#: default: the widgets show the default, and a scene read from them leaves it out again.
DEFAULTED = ("momentum", "beta1", "beta2", "weight_decay", "hidden", "noise", "activation",
             "task")


def optimizer_defaults(name: str) -> dict:
    """The settings optimizer ``name`` takes, at its own defaults (rmsprop's momentum is
    0, momentum's 0.9; adamw's weight decay 0.01, the others' 0)."""
    takes = inspect.signature(OPTIMIZERS[name][0]).parameters
    found = {key: takes[key].default for key in ("momentum", "weight_decay") if key in takes}
    if "betas" in takes:
        found["beta1"], found["beta2"] = takes["betas"].default
    return found


def network_defaults(scene: Scene) -> dict:
    """The network's settings a scene leaves to its problem: the layers, the activation,
    the task, the noise of its example data."""
    from ..problems.datasets import DATASETS
    from ..problems.mlp import MLP, hidden_layers

    found = {"hidden": hidden_layers(inspect.signature(MLP.example).parameters["hidden"].default),
             "activation": "tanh", "task": "regression"}
    if scene.problem == "mlp" and scene.data in DATASETS:
        found["noise"] = inspect.signature(DATASETS[scene.data]).parameters["noise"].default
    return found


def canonical(scene: Scene) -> Scene:
    """``scene`` with every setting at its default left out (the form the controls read
    back, and the shortest link)."""
    defaults = {**network_defaults(scene), **optimizer_defaults(scene.optimizer)}
    return scene.replace(**{key: None for key in DEFAULTED
                            if key in defaults and getattr(scene, key) == defaults[key]})


class Controls:
    """The widgets of one page, in its language (made while it is spoken)."""

    def __init__(self, lang: str):
        self.busy = False  # set while the page sets widgets itself: no run per change
        # Settings of a scene with no widget of their own, kept as a link gave them.
        self.x0 = self.settle = self.grad_tol = None
        w = pn.widgets
        self.problem = w.Select(label=_("problem"), options=said(PROBLEM_CHOICES),
                                value="quadratic")
        self.formula = w.TextInput(label=_("your loss in x and y"),
                                   value="(1-x)**2 + 100*(y-x**2)**2", visible=False)
        self.degree = w.IntInput(label=_("degree"), value=3, start=1, end=12, visible=False)
        # The network builder: layers, activation, data, noise, test share, l2.
        self.hidden = w.TextInput(label=_("hidden layers (units of each: 8 or 8,8)"), value="8",
                                  visible=False)
        self.activation = w.Select(label=_("activation"), options=["tanh", "relu", "sigmoid"],
                                   visible=False)
        self.network_data = w.Select(label=_("the network's data"), options=said(NETWORK_DATA),
                                     visible=False)
        # A network on the user's CSV: fit the y column's numbers, or tell its classes apart.
        self.task = w.Select(label=_("the network's task"), options={
            _("fit the numbers (regression)"): "regression",
            _("tell classes apart (classification)"): "classification"}, visible=False)
        self.noise = w.FloatInput(label=_("noise of the data"), value=0.1, start=0.0, step=0.05,
                                  visible=False)
        self.test_fraction = w.FloatInput(label=_("share held out to test (0 to 0.9)"),
                                          value=0.0, start=0.0, end=0.9, step=0.1,
                                          visible=False)
        self.l2 = w.FloatInput(label=_("L2 regularisation (of the weights)"), value=0.0,
                               start=0.0, step=1e-3, visible=False)
        self.data = w.Select(label=_("example data"), options=named(["blobs", "moons"]),
                             visible=False)
        self.standardize = w.Checkbox(label=_("standardize the inputs"), visible=False)
        self.csv_file = BoundedDropper(accepted_filetypes=[".csv", "text/csv", "text/plain"],
                                       max_file_size=f"{MAX_UPLOAD_BYTES // 2**20}MB",
                                       chunk_size=UPLOAD_CHUNK_BYTES, multiple=False,
                                       visible=False, height=90, layout="compact")
        self.x_columns = w.MultiChoice(label=_("input column(s)"), options=[], visible=False,
                                       stylesheets=choices_words())
        self.y_column = w.Select(label=_("target column"), options=[], visible=False)
        self.model = w.Select(label=_("model for your data"),
                              options=named(catalogue.DATA_MODELS), visible=False)
        self.plane = w.Select(label=_("the contour of many parameters"),
                              options=said(PLANE_CHOICES), value="slice", visible=False)
        self.optimizer = w.Select(label=_("optimizer"), options=named(OPTIMIZERS), value="gd")
        self.lr = LabelledSlider(label=_("learning rate"), options=LR_GRID, value=0.05)
        self.lr_exact = w.FloatInput(label=_("learning rate (type any)"), value=0.05,
                                     start=0.0, step=0.001, format="0[.]000000")
        self.lr_note = BokehDiv(text="", width=300, margin=(0, 10), syncable=False)
        self.momentum = w.FloatInput(label=_("momentum μ"), value=0.9, start=0.0, end=0.999,
                                     step=0.05)
        self.beta1 = w.FloatInput(label=_("Adam β1"), value=0.9, start=0.0, end=0.999,
                                  step=0.01)
        self.beta2 = w.FloatInput(label=_("Adam β2"), value=0.999, start=0.0, end=0.9999,
                                  step=0.001)
        self.weight_decay = w.FloatInput(label=_("weight decay"), value=0.0, start=0.0,
                                         step=1e-4)
        self.batch_size = w.IntInput(label=_("mini-batch size (0: all the data)"), value=0,
                                     start=0)
        self.schedule = w.Select(label=_("learning-rate schedule"),
                                 options=named(["constant"] + [s for s in SCHEDULES
                                                               if s != "constant"]))
        self.schedule_settings = w.TextInput(label=_("schedule settings (key=value,...)"),
                                             placeholder=_("e.g. {example}").format(
                                                 example="step_size=100,gamma=0.5"))
        self.max_iter = w.IntInput(label=_("at most this many iterations"), value=200,
                                   start=1, end=MAX_ITER)
        self.tol = w.FloatInput(label=_("stop when the loss falls by less than (0: off)"),
                                value=0.0, start=0.0)
        self.seed = w.IntInput(label=_("seed (data, start, mini-batches)"), value=0, start=0,
                               end=2**32 - 1)
        # The page's language: a new choice opens the same link in it (every label anew).
        # A Bokeh model with its own script, not a Panel widget's jscallback: Panel would
        # walk the whole page for links each time a page is built.
        self.language = BokehSelect(title="language / 语言", value=lang, width=160,
                                    name="language", syncable=False,
                                    options=[(code, words) for code, words in LANGUAGES.items()])
        self.language.js_on_change("value", CustomJS(code="""
const query = new URLSearchParams(window.location.search);
if (cb_obj.value === "en") { query.delete("lang"); } else { query.set("lang", cb_obj.value); }
window.location.search = query.toString();
"""))
        self.add_run = w.Button(label=_("add this run to the race"), color="primary")
        self.clear_race = w.Button(label=_("clear the race"))

    def watch(self, changed, rate_moved, rate_typed) -> None:
        """Call ``changed(event)`` when a setting changes, ``rate_moved`` when the slider
        moves and ``rate_typed`` when a rate is typed."""
        for name in WATCHED:
            getattr(self, name).param.watch(changed, "value")
        self.lr.param.watch(rate_moved, "value")
        self.lr_exact.param.watch(rate_typed, "value")

    @contextlib.contextmanager
    def quiet(self):
        """Widgets set within run nothing (the page sets them itself)."""
        before, self.busy = self.busy, True
        try:
            yield
        finally:
            self.busy = before

    def column(self, lesson_widgets, downloads, width: int = 330) -> pn.Column:
        """The controls' column: the title, the language, the lesson's pickers, then the
        settings, the race's buttons and the downloads; a setting hidden now is built
        into the page when first shown (``ShownColumn``)."""
        title = BokehDiv(text=_("gdviz playground"), render_as_text=True,
                         styles={"font-size": "1.5em", "font-weight": "bold"})
        heading = BokehPane(BokehColumn(children=[title, self.language]))
        return ShownColumn([
            heading, *lesson_widgets, self.problem, self.formula, self.degree, self.hidden,
            self.activation, self.network_data, self.noise, self.test_fraction, self.l2,
            self.data, self.standardize, self.csv_file, self.x_columns, self.y_column,
            self.model, self.task, self.plane, self.optimizer, self.lr, self.lr_exact,
            BokehPane(self.lr_note), self.momentum, self.beta1, self.beta2,
            self.weight_decay, self.batch_size, self.schedule, self.schedule_settings,
            self.max_iter, self.tol, self.seed, self.add_run, self.clear_race, *downloads],
            always=[self.csv_file], width=width).panel

    # -- Scene → widgets --------------------------------------------------------------------
    def show(self, scene: Scene) -> None:
        """Set the widgets to ``scene``, without running each change."""
        with self.quiet():
            self.problem.value = scene.problem if scene.problem in PROBLEM_CHOICES.values() \
                else "quadratic"
            if scene.formula:
                self.formula.value = scene.formula
            if scene.degree is not None:
                self.degree.value = scene.degree
            if scene.data is not None:
                (self.network_data if scene.problem == "mlp" else self.data).value = scene.data
            defaults = network_defaults(scene)
            self.hidden.value = ",".join(str(n) for n in scene.hidden or defaults["hidden"])
            self.activation.value = scene.activation or defaults["activation"]
            self.task.value = scene.task or defaults["task"]
            for name, default in (("noise", defaults.get("noise", 0.1)),
                                  ("test_fraction", 0.0), ("l2", 0.0)):
                value = getattr(scene, name)
                getattr(self, name).value = default if value is None else value
            self.standardize.value = scene.standardize
            self.optimizer.value = scene.optimizer
            self.set_rate(scene.lr if scene.lr is not None
                          else catalogue.default_learning_rate(scene.optimizer))
            for name, default in optimizer_defaults(scene.optimizer).items():
                value = getattr(scene, name)
                getattr(self, name).value = default if value is None else value
            self.batch_size.value = scene.batch_size or 0
            name, _sep, settings = (scene.schedule or "constant").partition(":")
            self.schedule.value = name if name in self.schedule.options.values() else "constant"
            self.schedule_settings.value = settings
            self.max_iter.value = min(scene.max_iter, MAX_ITER)
            self.tol.value = scene.tol or 0.0
            self.seed.value = scene.seed
            self.plane.value = scene.plane
            self.x0, self.settle, self.grad_tol = scene.x0, scene.settle, scene.grad_tol
            self.show_problem_options()

    def set_rate(self, rate: float) -> None:
        """The slider and the typed rate at ``rate`` (added to the slider's stops)."""
        with self.quiet():
            if rate not in self.lr.options:
                self.lr.options = sorted(set(LR_GRID) | {rate})
            self.lr.value = rate
            self.lr_exact.value = rate

    def show_optimizer_options(self, before: str | None = None) -> None:
        """Only the settings the chosen optimizer takes. Chosen instead of ``before``:
        a setting left at ``before``'s default moves to the new one's own (rmsprop's
        momentum is 0, momentum's 0.9); one the student changed stays."""
        takes = optimizer_defaults(self.optimizer.value)
        self.momentum.visible = "momentum" in takes
        self.beta1.visible = self.beta2.visible = "beta1" in takes
        self.weight_decay.visible = "weight_decay" in takes
        if before is not None:
            old = optimizer_defaults(before)
            with self.quiet():
                for name, default in takes.items():
                    if name in old and getattr(self, name).value == old[name]:
                        getattr(self, name).value = default

    def show_problem_options(self) -> None:
        """Only the settings the chosen problem (and model of an upload) takes."""
        self.show_optimizer_options()
        name, model = self.problem.value, self.model.value
        self.formula.visible = name == "expression"
        self.degree.visible = name == "polynomial" or (name == "csv" and model == "polynomial")
        network = name == "mlp" or (name == "csv" and model == "mlp")
        for widget in (self.hidden, self.activation, self.l2):
            widget.visible = network
        self.network_data.visible = self.test_fraction.visible = name == "mlp"
        self.task.visible = name == "csv" and model == "mlp"
        self.noise.visible = name == "mlp" and bool(self.network_data.value)
        self.data.visible = name == "logistic"
        self.standardize.visible = name in ("linear", "polynomial", "csv")
        for widget in (self.csv_file, self.x_columns, self.y_column, self.model):
            widget.visible = name == "csv"
        self.batch_size.visible = name in ("linear", "polynomial", "logistic", "mlp", "seed",
                                           "csv")

    def problem_defaults(self) -> bool:
        """Settings that suit a newly chosen problem: the blog's own for its data (its
        rate, tolerance and iterations); else a rate chosen by the worker (its curvature's
        where known, the race's on a test function). Returns whether to choose one."""
        with self.quiet():
            if self.problem.value == "seed":
                self.optimizer.value = "gd"
                self.show_optimizer_options()
                self.set_rate(0.005)
                self.tol.value = 0.01
                self.batch_size.value = 0
                self.schedule.value = "constant"
                self.max_iter.value = MAX_ITER
                return False
            self.tol.value = 0.0
            self.max_iter.value = 1000
            return True

    # -- widgets → Scene --------------------------------------------------------------------
    def scene(self) -> Scene:
        """The Scene the widgets describe, checked within the server's bounds."""
        name = self.problem.value
        schedule = None
        if self.schedule.value != "constant":
            settings = self.schedule_settings.value.strip()
            schedule = self.schedule.value + (f":{settings}" if settings else "")
        betas = self.beta1.visible
        scene = Scene(
            problem=self.model.value if name == "csv" else name,
            formula=self.formula.value if name == "expression" else None,
            degree=self.degree.value if self.degree.visible else None,
            hidden=self.hidden.value if self.hidden.visible else None,
            data=(self.data.value if name == "logistic" else
                  (self.network_data.value or None) if name == "mlp" else None),
            activation=self.activation.value if self.activation.visible else None,
            task=self.task.value if self.task.visible else None,
            noise=self.noise.value if self.noise.visible else None,
            test_fraction=(self.test_fraction.value or None) if name == "mlp" else None,
            l2=(self.l2.value or None) if self.l2.visible else None,
            standardize=bool(self.standardize.value) if self.standardize.visible else False,
            optimizer=self.optimizer.value, lr=self.lr_exact.value,
            momentum=self.momentum.value if self.momentum.visible else None,
            beta1=self.beta1.value if betas else None,
            beta2=self.beta2.value if betas else None,
            weight_decay=self.weight_decay.value if self.weight_decay.visible else None,
            batch_size=(self.batch_size.value or None) if self.batch_size.visible else None,
            schedule=schedule, max_iter=self.max_iter.value, tol=self.tol.value or None,
            seed=self.seed.value, x0=self.x0, settle=self.settle, grad_tol=self.grad_tol,
            plane=self.plane.value)
        return checked(canonical(scene))

    def check_link(self, query: dict, wanted: Scene) -> None:
        """Every setting a link names must reach the run: one the controls cannot hold
        (a batch size for a formula, example data for a test function) is refused."""
        known = (list(NETWORK_DATA.values())[1:] if wanted.problem == "mlp"
                 else list(self.data.options.values()))
        if wanted.data is not None and wanted.data not in known:
            raise unknown("example data", wanted.data, known)
        shown, wanted = self.scene(), canonical(wanted)
        for key in query:
            asked, got = getattr(wanted, key), getattr(shown, key)
            if key in ZERO_IS_OFF:
                asked, got = asked or None, got or None
            if asked != got:
                raise ValueError(_("setting '{key}' does not apply to {problem} with "
                                   "{optimizer}").format(key=key, problem=wanted.problem,
                                                         optimizer=wanted.optimizer))


def checked(scene: Scene) -> Scene:
    """``scene`` if the server runs it (its iterations and units within bounds)."""
    if scene.max_iter > MAX_ITER:
        raise ValueError(_("at most {count} iterations here (the command line allows more)")
                         .format(count=MAX_ITER))
    if scene.hidden is not None and max(scene.hidden) > MAX_HIDDEN:
        raise ValueError(_("at most {count} hidden units here").format(count=MAX_HIDDEN))
    return scene
