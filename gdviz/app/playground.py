"""The playground page: controls on the left, linked charts on the right.

Every control builds one ``Scene`` (the same description the command line builds), the
server runs it and sends the charts the run's numbers; the browser draws them (Bokeh)
and plays, pauses and scrubs by slicing those numbers, with no server round trip per
frame. A click on the contour sets the start. The settings live in the page's URL, so a
link restores the scene.
"""
from __future__ import annotations

import collections
import concurrent.futures
import copy
import dataclasses
import html
import io
import logging
import os
import pickle
import re
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import panel as pn
import param
from bokeh.models import CustomJS
from bokeh.models import Div as BokehDiv
from bokeh.models import Select as BokehSelect

from .. import catalogue
from ..optim import OPTIMIZERS
from ..optim.schedules import SCHEDULES
from .._validate import unknown
from .. import lessons
from ..scene import Scene
from ..views.race import run_colour
from ..words.i18n import LANGUAGES, N_, _, checked_language, speaking
from . import costs, jobs, messages, pictures, uploads
from .gate import one_line
from .choices import (ANSWER_HINTS, ASK_CHOICES, EXPORT_TIME, KEPT_ANSWERS, LR_GRID, MAX_HIDDEN,
                      MAX_ITER, MAX_RACE, MAX_UPLOAD_BYTES, NETWORK_DATA,
                      PAGE_KEYS, PLANE_CHOICES, PROBLEM_CHOICES,
                      PROBLEM_FIELDS, SLICE_AFTER_MS, UPLOAD_CHUNK_BYTES,
                      lesson_choices, named, said)
from .figure import Figure
from .style import empty_path
from .workers import OverBudget, Superseded

log = logging.getLogger("gdviz.app")













def _held(handler):
    """Send everything an event changes in one message (one redraw in the browser)."""
    import functools

    @functools.wraps(handler)
    def wrapper(self, *args, **kwargs):
        document = pn.state.curdoc
        with speaking(self.lang):  # every word made here in the page's own language
            if document is None or document.session_context is None:
                return handler(self, *args, **kwargs)
            with pn.io.hold(document):
                return handler(self, *args, **kwargs)

    return wrapper


class Playground:
    """One visitor's page: its widgets, its charts and the runs behind them.

    The runs are made by ``runner`` (the server's pool of workers; without a server, here
    and now), never on the server's event loop, and the page keeps only the numbers it
    draws. Nothing runs until the page has loaded (``start``): a bare GET of a link, such
    as an ``<img>`` on another site makes, costs no run.
    """

    def __init__(self, query: dict | None = None, runner=None, autostart: bool = True):
        # The page's language (lang=zh in its link): its widgets, charts and every word of
        # its runs; English by default, and for a language gdviz does not speak.
        self.lang, refused = "en", None
        if query and "lang" in query:
            try:
                self.lang = checked_language(str(query["lang"]))
            except ValueError as error:
                refused = str(error)
        with speaking(self.lang):
            self._make(query, runner, autostart, refused)

    def _make(self, query, runner, autostart: bool, refused: str | None) -> None:
        from .workers import InlineRunner

        self.runner = runner if runner is not None else InlineRunner()
        self._document = pn.state.curdoc if pn.state.curdoc is not None and \
            pn.state.curdoc.session_context is not None else None
        self._tmp = None  # the page's own folder, made at its first upload or download
        self._upload = None  # (file name, path, its columns, rows) of the upload
        self.race: list[Scene] = []
        self.traces = []  # only where the runs are made in this process (no server)
        self.drawn = None  # the last messages.Drawn shown
        self.scene = None
        self._requests = 0  # the newest request's number: older answers are dropped
        self._busy = False
        self._link_refused = None  # the link's refusal, said once its scene has been tried
        self._drawn = False  # whether the page has been sent (then the browser cuts paths)
        self._window = None  # the contour shown (messages.Window)
        self._window_shown = None  # the limits the contour was last set to
        self._slice_asked = None  # the iteration a slice was last asked through
        # Answers kept (the last few requests' Drawn and Later, by ``_answer_key``), and
        # the slider's neighbouring rates asked ahead (``_look_ahead``).
        self._answers: collections.OrderedDict = collections.OrderedDict()
        self._ahead: dict = {}
        self._asked = None  # the newest request
        self._pristine = None  # (its number, its answer as it came, before it was drawn)
        self.x0 = None
        self._lesson = None  # the lessons.Lesson chosen
        self._answer = self._reveal = None  # predict mode: kept here until the reveal
        self._score = [0, 0]  # right, asked
        self._build_widgets()
        self.figure = Figure(on_tap=self._tapped, on_scrub=self._scrubbed)
        self._default = Scene(problem="quadratic", optimizer="gd", lr=0.05, max_iter=200)
        scene, self._from_link = self._default, False
        if query:
            try:
                query = dict(query)
                page = {key: query.pop(key) for key in PAGE_KEYS if key in query}
                race = [spec for spec in page.get("race", "").split(";") if spec.strip()]
                lesson_scene = self._lesson_link(page, bare=not query)
                if lesson_scene is not None:
                    query = lesson_scene.to_query()
                    race = [entry.run_spec() for entry in self.race]
                wanted = self._checked(Scene.from_query(query))
                known = [name for name in PROBLEM_CHOICES.values() if name != "csv"]
                if wanted.problem not in known:  # an upload is never in a link
                    raise unknown("problem", wanted.problem, known)
                wanted.make_optimizer()  # names and settings checked before any is shown
                if len(race) > MAX_RACE:
                    raise ValueError(_("a race has at most {count} runs besides the current "
                                       "one").format(count=MAX_RACE))
                if lesson_scene is None:
                    self.race = [wanted.with_run_spec(spec) for spec in race]
                for entry in self.race:
                    entry.make_optimizer()
                scene, self._from_link = wanted, True
                self._show_scene(wanted)
                self._check_link(query, wanted)
            except ValueError as error:
                self.race = []
                self._leave_lesson()
                scene, self._from_link = self._default, False
                self._link_refused = _("the link's settings were not used: {error}").format(
                    error=error)
        if refused and self._link_refused is None:
            self._link_refused = _("the link's settings were not used: {error}").format(
                error=refused)
        self._show_scene(scene)
        if autostart:
            self.start()

    # -- lessons and predict mode ---------------------------------------------------------
    def _lesson_link(self, page: dict, bare: bool):
        """A link's lesson, question and predict mode set in the controls. Returns the
        scene to show when the link names a lesson and no scene of its own (``bare``)."""
        name = page.get("lesson", "")
        if name and name not in lessons.builtin():  # a name, never a path
            raise unknown("lesson", name, list(lessons.builtin()))
        number = page.get("question", "")
        if number and (not number.isdigit() or not name):
            raise ValueError(_("question must be the number of one of the lesson's questions"))
        predict = page.get("predict", "0")
        if predict not in ("0", "1"):
            raise ValueError(_("predict must be 0 or 1, got {value!r}").format(value=predict))
        self._busy = True
        try:
            scene = None
            if name:
                self.lesson.value = name
                scene = self._show_lesson(name)
            if number:
                questions = self._lesson.questions
                if not 1 <= int(number) <= len(questions):
                    raise ValueError(_("the lesson '{name}' has questions 1 to {count}").format(
                        name=name, count=len(questions)))
                self.question.value = int(number)
                scene = self._show_question(int(number))
            self.predict_on.value = predict == "1" or bool(number)
            if "step" in page:
                if not page["step"].isdigit():
                    raise ValueError(_("step must be a whole number, got {value!r}").format(
                        value=page["step"]))
                self.predict_step.value = int(page["step"])
            if "ask" in page:
                if page["ask"] not in lessons.ASKS:
                    raise unknown("question kind", page["ask"], lessons.ASKS)
                self.predict_ask.value = page["ask"]
            self._show_predict_controls()
        finally:
            self._busy = False
        return scene if bare else None

    def _show_lesson(self, name: str) -> Scene:
        """The lesson's text and questions in the page; returns its first scene (its
        group the race)."""
        lesson = self._lesson = lessons.load(name)
        paragraphs = lessons.paragraphs(lesson.text)
        self.lesson_text.text = f"{lesson.title}\n\n" + "\n\n".join(paragraphs)
        self.lesson_text.visible = True
        words = {value: label for label, value in said(ASK_CHOICES).items()}
        self.question.options = {_("(none: watch)"): 0, **{
            _("{n}. run {run} ({label}), iteration {step}: {ask}").format(
                n=n, run=q.scene, label=lesson.labels[q.scene], step=q.step, ask=words[q.ask]): n
            for n, q in enumerate(lesson.questions, start=1)}}
        self.question.visible = True
        return self._lesson_scene(0)

    def _lesson_scene(self, number: int) -> Scene:
        """Scene ``number`` of the lesson, the others of its group in the race."""
        group = next(g for g in self._lesson.groups() if number in g)
        self.race = [self._lesson.scenes[n] for n in group if n != number]
        return self._lesson.scenes[number]

    def _show_question(self, number: int) -> Scene:
        question = self._lesson.questions[number - 1]
        self.predict_step.value = question.step
        self.predict_ask.value = question.ask
        self._tolerance = question.tolerance
        return self._lesson_scene(question.scene)

    def _leave_lesson(self):
        self._lesson = None
        self.lesson_text.visible = self.question.visible = False

    def _show_predict_controls(self):
        on = self.predict_on.value
        custom = on and not self.question.value
        self.predict_step.visible = self.predict_ask.visible = custom
        self.predict_row.visible = on
        self.answer.placeholder = _(ANSWER_HINTS[self.predict_ask.value])
        if not on:
            self._answer = self._reveal = None

    @_held
    def _lesson_chosen(self, event):
        if self._busy:
            return
        self._busy = True
        try:
            self.question.value = 0
            if not event.new:
                self._leave_lesson()
                self.race = []
                self._show_predict_controls()
                self._busy = False
                self.refresh()
                return
            scene = self._show_lesson(event.new)
            self._show_scene(scene)
        finally:
            self._busy = False
        self.refresh()

    @_held
    def _question_chosen(self, event):
        if self._busy or self._lesson is None:
            return
        self._busy = True
        try:
            if event.new:
                scene = self._show_question(event.new)
                self.predict_on.value = True
                self._show_scene(scene)
            self._show_predict_controls()
        finally:
            self._busy = False
        self.refresh()

    @_held
    def _predict_changed(self, event):
        if self._busy:
            return
        if event.obj is not self.predict_ask and event.obj is not self.predict_step:
            self._busy = True
            if not self.predict_on.value:
                self.question.value = 0
            self._busy = False
        self._tolerance = None if not self.question.value else self._tolerance
        self._show_predict_controls()
        self.refresh()

    @_held
    def _checked_answer(self, _event=None):
        """Check the answer against the run's (kept here, never sent before), keep the
        score, then reveal the step with its arithmetic."""
        if self._answer is None or self._reveal is None:
            self._say_error(_("nothing to answer yet: turn on predict mode, or wait for the "
                              "run"))
            return
        try:
            verdict = self._answer.check(self.answer.value)
        except ValueError as error:
            self._say_error(str(error))
            return
        self._score[0] += verdict.right
        self._score[1] += 1
        self.verdict.text = verdict.words
        self.verdict.styles = {"font-weight": "bold",
                               "color": "#1b5e20" if verdict.right else "#842029"}
        self.score.text = _("score: {right} of {asked}").format(right=self._score[0],
                                                                 asked=self._score[1])
        if self.error.visible:
            self.error.visible = False
        revealed, step = self._reveal, self._answer.question.step
        self._answer = self._reveal = None
        self._draw(revealed)
        self.figure.frames.data = {**self.figure.frames.data, "board": revealed.boards}
        frame = revealed.frames.index(step) if step in revealed.frames else len(revealed.frames) - 1
        self.figure.scrub.value = frame
        if self._document is None:  # no browser to run the scrub code
            self.figure.cut_paths(frame)
            self.figure.board.text = revealed.boards[frame]
            self.figure.caption.text = revealed.captions[frame]

    def _check_link(self, query: dict, wanted: Scene) -> None:
        """Every setting a link names must reach the run: one the controls cannot hold
        (a batch size for a formula, example data for a test function) is refused."""
        known = (list(NETWORK_DATA.values())[1:] if wanted.problem == "mlp"
                 else list(self.data.options.values()))
        if wanted.data is not None and wanted.data not in known:
            raise unknown("example data", wanted.data, known)
        shown = self.scene_from_controls()
        for key in query:
            asked, got = getattr(wanted, key), getattr(shown, key)
            if key in ("tol", "weight_decay", "batch_size", "test_fraction", "l2"):
                asked, got = asked or None, got or None
            if asked != got:
                raise ValueError(_("setting '{key}' does not apply to {problem} with "
                                   "{optimizer}").format(key=key, problem=wanted.problem,
                                                         optimizer=wanted.optimizer))

    def start(self):
        """The first run (once the page has loaded, on a server)."""
        self.refresh()

    # -- the controls ---------------------------------------------------------------------
    def _build_widgets(self):
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
        self.test_fraction = w.FloatInput(label=_("share held out to test (0 to 0.9)"), value=0.0,
                                          start=0.0, end=0.9, step=0.1, visible=False)
        self.l2 = w.FloatInput(label=_("L2 regularisation (of the weights)"), value=0.0, start=0.0,
                               step=1e-3, visible=False)
        self.data = w.Select(label=_("example data"), options=named(["blobs", "moons"]),
                             visible=False)
        self.standardize = w.Checkbox(label=_("standardize the inputs"), visible=False)
        self.csv_file = BoundedDropper(accepted_filetypes=[".csv", "text/csv", "text/plain"],
                                       max_file_size=f"{MAX_UPLOAD_BYTES // 2**20}MB",
                                       chunk_size=UPLOAD_CHUNK_BYTES, multiple=False,
                                       visible=False, height=90, layout="compact")
        self.x_columns = w.MultiChoice(label=_("input column(s)"), options=[], visible=False)
        self.y_column = w.Select(label=_("target column"), options=[], visible=False)
        self.model = w.Select(label=_("model for your data"), options=named(catalogue.DATA_MODELS),
                              visible=False)
        self.plane = w.Select(label=_("the contour of many parameters"), options=said(PLANE_CHOICES),
                              value="slice", visible=False)
        self.optimizer = w.Select(label=_("optimizer"), options=named(OPTIMIZERS), value="gd")
        self.lr = w.DiscreteSlider(label=_("learning rate"), options=LR_GRID, value=0.05)
        self.lr_exact = w.FloatInput(label=_("learning rate (type any)"), value=0.05, start=0.0,
                                     step=0.001, format="0[.]000000")
        self.lr_note = BokehDiv(text="", width=300, margin=(0, 10), syncable=False)
        self.momentum = w.FloatInput(label=_("momentum μ"), value=0.9, start=0.0, end=0.999,
                                     step=0.05)
        self.beta1 = w.FloatInput(label=_("Adam β1"), value=0.9, start=0.0, end=0.999, step=0.01)
        self.beta2 = w.FloatInput(label=_("Adam β2"), value=0.999, start=0.0, end=0.9999, step=0.001)
        self.weight_decay = w.FloatInput(label=_("weight decay"), value=0.0, start=0.0, step=1e-4)
        self.batch_size = w.IntInput(label=_("mini-batch size (0: all the data)"), value=0, start=0)
        self.schedule = w.Select(label=_("learning-rate schedule"),
                                 options=named(["constant"] + [s for s in SCHEDULES
                                                                 if s != "constant"]))
        self.schedule_settings = w.TextInput(label=_("schedule settings (key=value,...)"),
                                             placeholder="e.g. step_size=100,gamma=0.5")
        self.max_iter = w.IntInput(label=_("at most this many iterations"), value=200, start=1,
                                   end=MAX_ITER)
        self.tol = w.FloatInput(label=_("stop when the loss falls by less than (0: off)"),
                                value=0.0, start=0.0)
        self.seed = w.IntInput(label=_("seed (data, start, mini-batches)"), value=0, start=0,
                               end=2**32 - 1)
        # Lessons and predict mode.
        # The page's language: a new choice opens the same link in it (every label anew).
        # A Bokeh model with its own script, not a Panel widget's jscallback: Panel would
        # walk the whole page for links each time a page is built.
        self.language = BokehSelect(title="language / 语言", value=self.lang, width=160,
                                    name="language", syncable=False,
                                    options=[(code, words) for code, words in LANGUAGES.items()])
        self.language.js_on_change("value", CustomJS(code="""
const query = new URLSearchParams(window.location.search);
if (cb_obj.value === "en") { query.delete("lang"); } else { query.set("lang", cb_obj.value); }
window.location.search = query.toString();
"""))
        self.lesson = w.Select(label=_("lesson"), options=lesson_choices())
        self.question = w.Select(label=_("question"), options={_("(none)"): 0}, visible=False)
        self.predict_on = w.Checkbox(label=_("predict mode: stop before a step and ask"))
        self.predict_step = w.IntInput(label=_("predict the step from iteration"), value=0,
                                       start=0, visible=False)
        self.predict_ask = w.Select(label=_("predict"), options=said(ASK_CHOICES), value="next_params",
                                    visible=False)
        self.answer = w.TextInput(label=_("your answer"), placeholder=_(ANSWER_HINTS[self.predict_ask.value]),
                                  width=360)
        self.check_answer = w.Button(label=_("check, then reveal"), color="primary",
                                     align="end")
        self.add_run = w.Button(label=_("add this run to the race"), color="primary")
        self.clear_race = w.Button(label=_("clear the race"))
        # Words that may hold a link's or an upload's text: shown as text, never HTML.
        # (Bokeh Divs: a Panel pane's update makes Bokeh walk the whole document.)
        self.error = BokehDiv(text="", render_as_text=True, visible=False, margin=(0, 10),
                              width=1000, syncable=False, name="error",
                              styles={"color": "#842029", "background": "#f8d7da",
                                      "border": "1px solid #f5c2c7", "padding": "6px 10px",
                                      "border-radius": "4px"})
        # A fixed size: new words do not lay the page out again. Escaped words in it.
        self.status = BokehDiv(text="", width=1000, height=4 + 22 * (1 + MAX_RACE),
                               margin=(0, 10), syncable=False, name="status")
        # The lesson's title and text, and predict mode's verdict and score: words as text.
        self.lesson_text = BokehDiv(text="", width=1000, render_as_text=True, visible=False,
                                    margin=(0, 10), name="lesson_text", syncable=False,
                                    styles={"white-space": "pre-wrap", "background": "#f4f6fb",
                                            "padding": "6px 10px", "border-radius": "4px"})
        self.verdict = BokehDiv(text="", width=560, render_as_text=True, name="verdict",
                                syncable=False, styles={"font-weight": "bold"})
        self.score = BokehDiv(text="", width=160, name="score", syncable=False)
        self.downloads = [
            w.FileDownload(label=_("download {what}").format(what=_(what)),
                           filename=f"gdviz.{suffix}", callback=self._download_callback(suffix))
            for what, suffix in (("GIF", "gif"), ("MP4", "mp4"), (N_("HTML player"), "html"),
                                 (N_("trace JSON"), "json"))]
        for widget in (self.problem, self.formula, self.degree, self.hidden, self.data,
                       self.standardize, self.x_columns, self.y_column, self.model,
                       self.optimizer, self.momentum, self.beta1, self.beta2, self.weight_decay,
                       self.batch_size, self.schedule, self.schedule_settings, self.max_iter,
                       self.tol, self.seed, self.plane, self.activation, self.network_data,
                       self.noise, self.test_fraction, self.l2, self.task):
            widget.param.watch(self._changed, "value")
        self.lr.param.watch(self._lr_moved, "value")
        self.lr_exact.param.watch(self._lr_typed, "value")
        self.csv_file.param.watch(self._uploaded, "value")
        self.csv_file.param.watch(self._upload_refused, "refused")
        self.add_run.on_click(self._add_run)
        self.lesson.param.watch(self._lesson_chosen, "value")
        self.question.param.watch(self._question_chosen, "value")
        for widget in (self.predict_on, self.predict_step, self.predict_ask):
            widget.param.watch(self._predict_changed, "value")
        self.check_answer.on_click(self._checked_answer)
        self.predict_row = pn.Row(self.answer, self.check_answer, pn.pane.Bokeh(self.verdict),
                                  pn.pane.Bokeh(self.score), visible=False)
        self.clear_race.on_click(self._clear_race)

    # -- the page -------------------------------------------------------------------------
    def view(self):
        controls = pn.Column(
            "## " + _("gdviz playground"), self.language, self.lesson, self.question, self.predict_on,
            self.predict_step, self.predict_ask, self.problem, self.formula, self.degree, self.hidden,
            self.activation, self.network_data, self.noise, self.test_fraction, self.l2,
            self.data, self.standardize, self.csv_file, self.x_columns, self.y_column,
            self.model, self.task, self.plane, self.optimizer, self.lr, self.lr_exact, pn.pane.Bokeh(self.lr_note),
            self.momentum,
            self.beta1, self.beta2, self.weight_decay, self.batch_size, self.schedule,
            self.schedule_settings, self.max_iter, self.tol, self.seed, self.add_run,
            self.clear_race, *self.downloads, width=330)
        charts_ = pn.Column(
            pn.pane.Bokeh(self.error), pn.pane.Bokeh(self.lesson_text),
            pn.pane.Bokeh(self.status),
            pn.Row(pn.Column(pn.pane.Bokeh(self.figure.contour), pn.pane.Bokeh(self.figure.plane_note)),
                   pn.Column(pn.pane.Bokeh(self.figure.loss_chart), pn.pane.Bokeh(self.figure.data_chart))),
            pn.Row(pn.pane.Bokeh(self.figure.play), pn.pane.Bokeh(self.figure.scrub),
                   pn.pane.Bokeh(self.figure.counter), pn.pane.Bokeh(self.figure.pending),
                   pn.pane.Bokeh(self.figure.drawn_link)),
            pn.pane.Bokeh(self.figure.caption),
            self.predict_row,
            self.figure.network_row,
            pn.Row(pn.Column(pn.pane.Markdown("**" + _("the arithmetic of this step") + "**"),
                             pn.pane.Bokeh(self.figure.board)),
                   pn.Column(pn.pane.Bokeh(self.figure.promise_chart),
                             pn.pane.Bokeh(self.figure.promise_words))))
        return pn.Row(controls, charts_)

    # -- from the controls to a Scene -------------------------------------------------------
    def _show_scene(self, scene: Scene):
        """Set the controls to ``scene`` (from a share link), without running each change."""
        self._busy = True
        try:
            self.problem.value = scene.problem if scene.problem in PROBLEM_CHOICES.values() \
                else "quadratic"
            if scene.formula:
                self.formula.value = scene.formula
            if scene.degree is not None:
                self.degree.value = scene.degree
            if scene.data is not None:
                (self.network_data if scene.problem == "mlp" else self.data).value = scene.data
            if scene.hidden is not None:
                self.hidden.value = ",".join(str(n) for n in scene.hidden)
            self.activation.value = scene.activation or "tanh"
            self.task.value = scene.task or "regression"
            for name, default in (("noise", 0.1), ("test_fraction", 0.0), ("l2", 0.0)):
                value = getattr(scene, name)
                getattr(self, name).value = default if value is None else value
            self.standardize.value = scene.standardize
            self.optimizer.value = scene.optimizer
            rate = scene.lr if scene.lr is not None else catalogue.default_learning_rate(scene.optimizer)
            self._set_rate(rate)
            for name in ("momentum", "beta1", "beta2", "weight_decay"):
                if getattr(scene, name) is not None:
                    getattr(self, name).value = getattr(scene, name)
            self.batch_size.value = scene.batch_size or 0
            name, _sep, settings = (scene.schedule or "constant").partition(":")
            self.schedule.value = name if name in self.schedule.options.values() else "constant"
            self.schedule_settings.value = settings
            self.max_iter.value = min(scene.max_iter, MAX_ITER)
            self.tol.value = scene.tol or 0.0
            self.seed.value = scene.seed
            self.plane.value = scene.plane
            self.x0 = scene.x0
            # Settings a link may carry that have no control of their own: kept as they are.
            self.settle, self.grad_tol = scene.settle, scene.grad_tol
            self._show_problem_options()
        finally:
            self._busy = False

    def _set_rate(self, rate: float):
        if rate not in self.lr.options:
            self.lr.options = sorted(set(LR_GRID) | {rate})
        self.lr.value = rate
        self.lr_exact.value = rate

    def _show_optimizer_options(self):
        """Only the settings the chosen optimizer takes."""
        import inspect

        takes = inspect.signature(OPTIMIZERS[self.optimizer.value][0]).parameters
        self.momentum.visible = "momentum" in takes
        self.beta1.visible = self.beta2.visible = "betas" in takes
        self.weight_decay.visible = "weight_decay" in takes

    def _show_problem_options(self):
        self._show_optimizer_options()
        name = self.problem.value
        self.formula.visible = name == "expression"
        self.degree.visible = name == "polynomial" or (name == "csv" and self.model.value == "polynomial")
        network = name == "mlp" or (name == "csv" and self.model.value == "mlp")
        for widget in (self.hidden, self.activation, self.l2):
            widget.visible = network
        self.network_data.visible = self.test_fraction.visible = name == "mlp"
        self.task.visible = name == "csv" and self.model.value == "mlp"
        self.noise.visible = name == "mlp" and bool(self.network_data.value)
        self.data.visible = name == "logistic"
        self.standardize.visible = name in ("linear", "polynomial", "csv")
        for widget in (self.csv_file, self.x_columns, self.y_column, self.model):
            widget.visible = name == "csv"
        self.batch_size.visible = name in ("linear", "polynomial", "logistic", "mlp", "seed", "csv")

    def _problem_defaults(self) -> bool:
        """Settings that suit a newly chosen problem: the blog's own for its data (its
        rate, tolerance and iterations); else a rate chosen by the worker (its curvature's
        where known, the race's on a test function). Returns whether to choose one."""
        self._busy = True
        try:
            if self.problem.value == "seed":
                self.optimizer.value = "gd"
                self._show_optimizer_options()
                self._set_rate(0.005)
                self.tol.value = 0.01
                self.batch_size.value = 0
                self.schedule.value = "constant"
                self.max_iter.value = MAX_ITER
                return False
            self.tol.value = 0.0
            self.max_iter.value = 1000
            return True
        finally:
            self._busy = False

    def scene_from_controls(self) -> Scene:
        """The Scene the controls describe, checked within the server's bounds."""
        name = self.problem.value
        optimizer = self.optimizer.value
        schedule = None
        if self.schedule.value != "constant":
            settings = self.schedule_settings.value.strip()
            schedule = self.schedule.value + (f":{settings}" if settings else "")
        momentum = self.momentum.value if self.momentum.visible else None
        betas = self.beta1.visible
        scene = Scene(
            problem=self.model.value if name == "csv" else name,
            formula=self.formula.value if name == "expression" else None,
            degree=self.degree.value if self.degree.visible else None,
            hidden=self.hidden.value if self.hidden.visible else None,
            data=(self.data.value if name == "logistic" else
                  (self.network_data.value or None) if name == "mlp" else None),
            activation=(self.activation.value if self.activation.visible
                        and self.activation.value != "tanh" else None),
            task=(self.task.value if self.task.visible and self.task.value != "regression"
                  else None),
            noise=self.noise.value if self.noise.visible else None,
            test_fraction=(self.test_fraction.value or None) if name == "mlp" else None,
            l2=(self.l2.value or None) if self.l2.visible else None,
            standardize=bool(self.standardize.value) if self.standardize.visible else False,
            optimizer=optimizer, lr=self.lr_exact.value,
            momentum=momentum, beta1=self.beta1.value if betas else None,
            beta2=self.beta2.value if betas else None,
            weight_decay=(self.weight_decay.value or None) if self.weight_decay.visible else None,
            batch_size=(self.batch_size.value or None) if self.batch_size.visible else None,
            schedule=schedule, max_iter=self.max_iter.value, tol=self.tol.value or None,
            seed=self.seed.value, x0=self.x0, settle=self.settle, grad_tol=self.grad_tol,
            plane=self.plane.value)
        return self._checked(scene)

    @staticmethod
    def _checked(scene: Scene) -> Scene:
        if scene.max_iter > MAX_ITER:
            raise ValueError(_("at most {count} iterations here (the command line allows more)")
                             .format(count=MAX_ITER))
        if scene.hidden is not None and max(scene.hidden) > MAX_HIDDEN:
            raise ValueError(_("at most {count} hidden units here").format(count=MAX_HIDDEN))
        return scene

    # -- events -----------------------------------------------------------------------------
    @_held
    def _changed(self, event):
        if self._busy:
            return
        pick_rate = False
        if event.obj is self.problem or event.obj is self.model:
            self.x0 = None  # a new problem starts where it starts
            self.race = []
            self._show_problem_options()
            pick_rate = self._problem_defaults()
        if event.obj is self.optimizer:
            self._show_optimizer_options()
        self.refresh(pick_rate=pick_rate)

    @_held
    def _lr_moved(self, event):
        if self._busy:
            return
        self._busy = True
        self.lr_exact.value = event.new
        self._busy = False
        self.refresh()

    @_held
    def _lr_typed(self, event):
        if self._busy or event.new is None:
            return
        self._busy = True
        self._set_rate(event.new)
        self._busy = False
        self.refresh()

    @_held
    def _tapped(self, event):
        """A click on the contour: start there. On a slice the other parameters keep their
        start; on the plane of the path the start is the plane's point there."""
        if self.drawn is None or event.x is None or event.y is None:
            return
        basis = self.drawn.plane_basis
        if basis is not None:
            start = np.asarray(basis["origin"]) + event.x * np.asarray(basis["directions"][0]) \
                + event.y * np.asarray(basis["directions"][1])
        else:
            start = np.array(self.drawn.start, dtype=float)
            start[self.i], start[self.j] = event.x, event.y
        self.x0 = tuple(float(v) for v in start)
        self.refresh()

    @_held
    def _add_run(self, _event=None):
        if len(self.race) >= MAX_RACE:
            self._say_error(f"a race has at most {MAX_RACE} runs besides the current one; "
                            "clear it to start another")
            return
        try:
            self.race.append(self.scene_from_controls())
        except ValueError as error:
            self._say_error(str(error))
            return
        self.refresh()

    @_held
    def _clear_race(self, _event=None):
        self.race = []
        self.refresh()

    def _folder(self) -> Path:
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="gdviz-app-")
        return Path(self._tmp.name)

    @_held
    def _upload_refused(self, event):
        if event.new:
            self._say_error(event.new)

    @_held
    def _uploaded(self, event):
        """A CSV from the page (its size bounded in the browser and here): written to the
        page's folder, its header read by a worker (the command line's own first look),
        its columns offered in the pickers."""
        files = event.new or {}
        if not files:
            return
        name, content = list(files.items())[-1]
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        if len(data) > MAX_UPLOAD_BYTES:
            self._say_error(f"{name}: {len(data) / 2**20:.1f} MB is more than the "
                            f"{MAX_UPLOAD_BYTES // 2**20} MB this page takes; use the command "
                            "line (gdviz run --csv FILE) for bigger files")
            return
        try:
            folder = self._folder()
            for old in folder.glob("columns-*.npz"):
                old.unlink()
            # Named as the student named it (messages about it name their file, not the
            # server's), with only letters, digits, '-', '_' and '.' kept.
            path = folder / upload_name(name)
            for old in folder.glob("*.csv"):
                old.unlink()
            path.write_bytes(data)
        except OSError as error:  # said in one line; the upload itself never reaches a log
            log.error("an upload could not be kept: %s", type(error).__name__)
            self._say_error(f"{name}: the server could not keep the file ({error.strerror})")
            return
        self.csv_file.value.clear()  # kept on disk only: not twice in the server's memory
        self._upload = None
        self._requests += 1
        number = self._requests
        try:
            future = self.runner.submit(id(self), False, uploads.read_upload, str(path))
        except RuntimeError as error:
            self._say_error(str(error))
            return
        rows = data.count(b"\n")
        if not future.done():
            self.figure.pending.text = _("reading the file…")
        future.add_done_callback(
            lambda done: self._on_loop(lambda: self._columns_read(number, name, path, rows, done)))

    def _columns_read(self, number, name, path, rows, future):
        if number != self._requests:
            return
        self.figure.pending.text = ""
        try:
            columns = future.result()
        except Exception as error:  # noqa: BLE001 - every failure is one line in the page
            self._say_error(f"{name}: {self._failure(error).split(': ', 1)[-1]}")
            return
        self._upload = (name, str(path), columns, rows)
        self._busy = True
        self.x_columns.options = {html.escape(c): c for c in columns}  # shown as HTML there
        self.y_column.options = columns
        self.x_columns.value = columns[:1]
        self.y_column.value = columns[-1]
        self._busy = False
        self.refresh(pick_rate=self._problem_defaults())

    def _upload_request(self):
        if self.problem.value != "csv":
            return None
        if self._upload is None:
            raise ValueError(_("choose a CSV file to upload (a header row, then numbers)"))
        if not self.x_columns.value or not self.y_column.value:
            raise ValueError(_("pick the input column(s) and the target column"))
        return messages.Upload(self._upload[1], tuple(self.x_columns.value), self.y_column.value)

    # -- compute and send --------------------------------------------------------------------
    def request(self, pick_rate: bool = False) -> messages.Request:
        """The redraw the controls ask for (raises ``ValueError`` in one line)."""
        scene = self.scene_from_controls()
        race = tuple(entry.replace(**{name: getattr(scene, name) for name in PROBLEM_FIELDS})
                     for entry in self.race)
        predict = None
        if self.predict_on.value:
            predict = messages.Predict(int(self.predict_step.value or 0), self.predict_ask.value,
                                   getattr(self, "_tolerance", None))
        return messages.Request(scene, race, self._upload_request(), self._window, pick_rate,
                            predict, self.lang)

    def refresh(self, pick_rate: bool = False):
        """Ask a worker to run the scene and the race; the charts follow when it answers.
        The address bar follows at once."""
        try:
            request = self.request(pick_rate)
        except ValueError as error:
            self._say_error(str(error))
            return
        self._share(request.scene)
        self._requests += 1
        number = self._requests
        key = self._answer_key(request)
        self._asked = request
        known = self._answers.get(key) if key is not None else None
        ahead = self._ahead.pop(key, None) if key is not None else None
        self._withdraw_ahead()  # what was asked ahead of the last answer is of no use now
        if known is not None:  # asked before (or ahead): drawn at once
            self._answers.move_to_end(key)
            early, whole = concurrent.futures.Future(), concurrent.futures.Future()
            early.set_result(copy.copy(known[0]))
            whole.set_result(known[1])
            self._answered(number, early)
            # The words and the network's picture in a second message, as from a worker.
            self._on_loop(lambda: self._boards(number, whole))
            return
        future = ahead if ahead is not None and self.runner.adopt(ahead) else None
        try:
            if future is None:
                future = self.runner.submit(id(self), self._heavy(request), jobs.draw,
                                            request)
        except RuntimeError as error:  # the server is stopping
            self._say_error(str(error))
            return
        if not future.early.done():
            self.figure.pending.text = _("computing…")
        future.early.add_done_callback(
            lambda done: self._on_loop(lambda: self._answered(number, done)))
        future.add_done_callback(lambda done: self._on_loop(lambda: self._boards(number, done)))

    def _heavy(self, request: messages.Request) -> bool:
        rows = self._upload[3] if request.upload is not None else None
        return costs.presumed_work(request.scene, 1 + len(request.race), rows) > \
            self.runner.budget.light_work

    @staticmethod
    def _answer_key(request: messages.Request) -> bytes | None:
        """What makes two requests the same (the scene as its link says it, the race, the
        upload, the contour's window, the language); None for one never kept (predict
        mode, a rate still to choose)."""
        if request.predict is not None or request.pick_rate:
            return None
        return pickle.dumps((sorted(request.scene.to_query().items()),
                             [entry.run_spec() for entry in request.race], request.upload,
                             request.window, request.lang))

    def _keep(self, key: bytes, drawn, later) -> None:
        self._answers[key] = (drawn, later)
        self._answers.move_to_end(key)
        while len(self._answers) > KEPT_ANSWERS:
            self._answers.popitem(last=False)

    def _look_ahead(self, request: messages.Request) -> None:
        """The slider's two neighbouring rates of ``request`` (just answered), asked ahead
        on workers that would otherwise idle: a move to either is then drawn at once."""
        if not getattr(self.runner, "look_ahead", False):
            return
        rates = sorted(self.lr.options)
        if request.scene.lr not in rates:
            return
        at = rates.index(request.scene.lr)
        for rate in rates[at + 1: at + 2] + rates[max(at - 1, 0): at]:
            wanted = dataclasses.replace(request, scene=request.scene.replace(lr=rate))
            key = self._answer_key(wanted)
            if key in self._answers or key in self._ahead:
                continue
            owner = (id(self), "ahead", rate)
            try:
                future = self.runner.submit(owner, self._heavy(wanted), jobs.draw, wanted,
                                            ahead=True)
            except RuntimeError:  # the server is stopping
                return
            future.owner = owner  # withdrawn by it (``_withdraw_ahead``)
            self._ahead[key] = future
            future.add_done_callback(lambda done, key=key: self._on_loop(
                lambda: self._kept_ahead(key, done)))

    def _kept_ahead(self, key: bytes, future) -> None:
        if self._ahead.get(key) is not future:
            return  # taken for a request (it is kept as that request's answer), or withdrawn
        del self._ahead[key]
        if not future.cancelled() and future.exception() is None:
            self._keep(key, future.early.result(), future.result())

    def _withdraw_ahead(self) -> None:
        for future in self._ahead.values():
            self.runner.withdraw(future.owner)
        self._ahead.clear()

    def _on_loop(self, work):
        """Run ``work`` on this page's event loop (a worker's answer arrives on the pool's
        thread), with the page's changes sent in one message."""
        document = self._document
        if document is None:
            with speaking(self.lang):
                work()
            return
        from panel.io.state import set_curdoc

        def run():
            with set_curdoc(document), pn.io.hold(document), speaking(self.lang):
                work()

        try:
            document.add_next_tick_callback(run)
        except Exception:  # noqa: BLE001 - the page has closed meanwhile: nothing to show
            pass

    @staticmethod
    def _failure(error: Exception) -> str:
        if isinstance(error, ValueError):
            return str(error)
        if isinstance(error, OverBudget):
            return str(error)
        log.error("a run failed: %s", type(error).__name__)
        return _("internal error: {kind}: {error}").format(kind=type(error).__name__,
                                                           error=error)

    def _answered(self, number: int, future):
        if number != self._requests or future.cancelled():
            return  # a newer request replaced this one
        try:
            drawn = future.result()
        except Superseded:  # by a job of this page that is not a run (an upload's read)
            self.figure.pending.text = ""
            return
        except Exception as error:  # noqa: BLE001 - every failure is one line in the page
            self.figure.pending.text = ""
            message = self._failure(error)
            if self._from_link:  # a link whose scene cannot run: refused, the default drawn
                self._from_link, self.race = False, []
                self._link_refused = _("the link's settings were not used: {error}").format(
                    error=message)
                self._show_scene(self._default)
                self.start()
                return
            self._say_error(message)
            return
        self._from_link = False
        self._pristine = (number, copy.copy(drawn))  # kept with its Later, before it is drawn
        try:
            self._draw(drawn, words_follow=True)
        except Exception as error:  # noqa: BLE001 - a picture that cannot be drawn: say so
            log.exception("the charts could not be drawn")
            self._say_error(_("this run cannot be drawn: {error}").format(error=error))
            return
        if drawn.budget_note or self._link_refused:  # said once the page shows a run
            self._say_error(drawn.budget_note or self._link_refused)
        elif self.error.visible:
            self.error.visible = False
        self._link_refused = None

    def _draw(self, drawn, words_follow: bool = False):
        """Show ``drawn``. ``words_follow``: its status, and the link to what the charts
        show, wait for ``_boards`` (every text changed makes the browser lay out the whole
        page again: the map and the path go first, alone)."""
        self.drawn, self.scene, self.traces = drawn, drawn.scene, drawn.traces
        if drawn.predict is not None:  # the answer and the rest wait here for the answer
            self._answer, self._reveal = drawn.hidden_answer, drawn.revealed
            self.verdict.text = ""
            self.answer.value = ""
        if drawn.scene.lr != self.lr_exact.value:  # a rate chosen for a new problem
            self._busy = True
            self._set_rate(drawn.scene.lr)
            self._busy = False
        self._share(drawn.scene)
        if not words_follow:
            self._draw_words(drawn)
        self.i, self.j = drawn.i, drawn.j
        self._window = drawn.window()  # kept while the problem and the plane stay
        self.plane.visible = drawn.plane != "true"
        if drawn.image is not None:  # a new problem or slice: its contour (else it stays)
            self._draw_contour(drawn)
        start = drawn.paths[0]["x"][0], drawn.paths[0]["y"][0]
        self.figure.start_point.data = {"x": [start[0]], "y": [start[1]]}
        frames = drawn.frames
        # The frames and the scrub bar first: the browser cuts each new path at the frame
        # shown (the paths' own change runs the scrub code there), so only the whole paths
        # travel, and only those of runs that exist or just ended.
        self.figure.draw_data(drawn)
        self.figure.scrub.update(end=max(len(frames) - 1, 1), value=len(frames) - 1)
        self.figure.counter.text = _("iteration {i} of {last}").format(i=frames[-1], last=frames[-1])
        self.figure.caption.text = (drawn.captions or [""])[-1]
        self.figure.colour_runs(drawn.colours)
        for r in range(1 + MAX_RACE):
            if r < len(drawn.paths):
                self.figure.fulls[r].data = drawn.paths[r]
            elif len(self.figure.fulls[r].data["x"]):
                self.figure.fulls[r].data = empty_path()
        self._slice_asked = None
        if self._document is None or not self._drawn:
            # No browser yet to run the scrub code (a test, or the page being made): cut here.
            self.figure.cut_paths(len(frames) - 1)
            self.figure.plane_note.text = (drawn.plane_notes[-1] if drawn.plane_notes
                                    else drawn.plane_words.get("on", ""))
        self._drawn = True
        if drawn.loss_range is not None:
            self.figure.loss_chart.y_range.update(start=drawn.loss_range[0], end=drawn.loss_range[1])
        self.figure.loss_chart.x_range.update(start=0, end=max(drawn.longest, 1))

    def _draw_words(self, drawn) -> None:
        self.figure.pending.text = ""
        self.figure.drawn_link.text = self._link(drawn.scene)  # what the charts show, as a link
        self._draw_status(drawn)

    def _draw_contour(self, drawn):
        self.figure.show_plane_words(drawn.plane_words, drawn.image_at)
        if drawn.image:
            self.figure.show_contour_image(drawn.image)
        else:  # too costly to draw within the budget: say so, the path is still exact
            self.figure.image.data = {"image": [np.full((2, 2), np.nan)], "x": [0], "y": [0],
                               "dw": [1], "dh": [1]}
            self.figure.contour.title.text = _("the loss over this much data is too costly to draw "
                                        "here; the path is exact")
        if self._window_shown != drawn.limits:  # a new slice of the same window: zoom stays
            self._window_shown = drawn.limits
            (x_low, x_high), (y_low, y_high) = drawn.limits
            self.figure.contour.x_range.update(start=x_low, end=x_high)
            self.figure.contour.y_range.update(start=y_low, end=y_high)
        x_label, y_label = drawn.axis_labels
        self.figure.contour.xaxis[0].axis_label.text = x_label
        self.figure.contour.yaxis[0].axis_label.text = y_label
        self.figure.landmarks.data = drawn.landmarks

    def _scrubbed(self, _attr, _old, new):
        """The scrub moved: once it rests, a slice through the point at that frame (a
        slice holds the other parameters at one iteration's values only)."""
        drawn = self.drawn
        if drawn is None or drawn.plane != "slice" or drawn.frame_params is None:
            return
        if self._document is None:
            self._ask_slice(new)
            return
        self._document.add_timeout_callback(
            lambda: self._ask_slice(new) if self.figure.scrub.value == new else None, SLICE_AFTER_MS)

    def _ask_slice(self, frame: int) -> None:
        drawn = self.drawn
        frame = max(0, min(int(frame), len(drawn.frames) - 1))
        at = drawn.frames[frame]
        if at in (drawn.image_at, self._slice_asked):
            return
        base = drawn.frame_params[frame]
        if not np.all(np.isfinite(base)):
            return  # an overflowed point: the slice through the last finite one stays
        self._slice_asked = at
        number = self._requests
        try:
            future = self.runner.submit((id(self), "slice"), False, pictures.slice_image,
                                        drawn.scene, drawn.upload, base.tolist(), at,
                                        drawn.i, drawn.j, drawn.limits, self.lang)
        except RuntimeError:  # the server is stopping: the slice shown stays, said so
            return
        future.add_done_callback(
            lambda done: self._on_loop(lambda: self._slice_drawn(number, drawn, at, done)))

    def _slice_drawn(self, number: int, drawn, at: int, future) -> None:
        """A slice through iteration ``at`` arrived: shown if its run is still the one
        on the page."""
        if number != self._requests or drawn is not self.drawn or future.cancelled() \
                or future.exception() is not None:
            if self._slice_asked == at:
                self._slice_asked = None
            return
        image, words = future.result()
        drawn.image_at = at
        if image:
            self.figure.show_contour_image(image)
        self.figure.show_plane_words(words, at)
        if self._document is None:
            self.figure.plane_note.text = words["on"] if self.figure.frames.data["iteration"][
                self.figure.scrub.value] == at else words["off"].replace("{shown}", str(at))

    def _boards(self, number: int, future):
        """The arithmetic of each frame, which follows the paths (with the status)."""
        if number != self._requests or future.cancelled() or self.drawn is None:
            return
        self._draw_words(self.drawn)
        if future.exception() is not None:  # the run is shown, its words are lost
            return
        later = future.result()
        boards, frame = later.boards, min(self.figure.scrub.value, len(later.boards) - 1)
        self.drawn.boards = boards
        words = {"board": boards}
        if later.captions is not None:
            self.drawn.captions = words["caption"] = later.captions
            self.figure.caption.text = later.captions[frame]
        if later.chains is not None:
            self.drawn.chains = words["chain"] = later.chains
            self.figure.chain.text = later.chains[frame]
        if later.network is not None:
            self.drawn.network = later.network
            self.figure.draw_network(self.drawn, words, frame)
        if later.contour is not None:  # the slice through the new run's last point
            contour = later.contour
            if self._slice_asked is None:  # else the scrub has asked for its own slice
                self.drawn.image = contour["image"]
                self.drawn.plane_words = contour["plane_words"]
                self._draw_contour(self.drawn)
        self.figure.frames.data = {**self.figure.frames.data, **words}
        self.figure.board.text = boards[frame]
        request = self._asked
        if request.predict is None and self._pristine is not None \
                and self._pristine[0] == number:
            # Kept as the page would ask for it again: the rate chosen, the window shown.
            shown = dataclasses.replace(request, scene=self.drawn.scene, window=self._window,
                                        pick_rate=False)
            self._keep(self._answer_key(shown), self._pristine[1], later)
            self._look_ahead(shown)

    def _draw_status(self, drawn):
        rows = []
        for r, words in enumerate(drawn.words):
            colour = drawn.colours[r] if r < len(drawn.colours) else run_colour(r)
            rows.append(f'<div><span style="color:{colour};font-size:18px">■</span> '
                        f"{html.escape(words, quote=False)}</div>")
        rate = drawn.stable_rate
        if rate is not None:
            words = html.escape(_("largest stable learning rate of plain gradient descent: "
                                  "{limit}"), quote=False).format(
                limit=f"<b>2/L = {rate:.4g}</b>")
            if self.optimizer.value in ("gd", "sgd") and self.lr_exact.value >= rate:
                words = "⚠ <b>" + html.escape(_(
                    "{rate} is above 2/L = {limit}: plain gradient descent diverges here"),
                    quote=False).format(rate=f"{self.lr_exact.value:g}",
                                        limit=f"{rate:.4g}") + "</b>"
        else:
            words = html.escape(_("2/L is not known in closed form for this problem"),
                                quote=False)
        # Only what changed: each new text is parsed and sent again.
        if self.lr_note.text != words:
            self.lr_note.text = words
        if self.status.text != "".join(rows):
            self.status.text = "".join(rows)

    def _link(self, scene: Scene) -> str:
        query = scene.to_query()
        if self.race:
            query["race"] = ";".join(entry.run_spec() for entry in self.race)
        if self._lesson is not None:
            query["lesson"] = self._lesson.name
            if self.question.value:
                query["question"] = str(self.question.value)
        if self.predict_on.value:
            query["predict"] = "1"
            if not self.question.value:
                query["step"], query["ask"] = str(self.predict_step.value), self.predict_ask.value
        if self.lang != "en":
            query["lang"] = self.lang
        return "?" + urlencode(query)

    def _share(self, scene: Scene):
        """The scene in the page's URL: a link to it restores it."""
        location = pn.state.location if self._document is not None else None
        if location is not None:
            location.search = self._link(scene)

    def _say_error(self, message: str):
        """One line in the page, as text: a link's or an upload's words are never HTML."""
        line = one_line(message) if message else "error"
        if self._tmp is not None:  # the student's file by its name, never the server's folder
            line = line.replace(str(Path(self._tmp.name)) + os.sep, "")
        self.message = line
        self.error.text = self.message  # rendered as text (render_as_text)
        self.error.visible = True

    # -- downloads ---------------------------------------------------------------------------
    def _download_callback(self, suffix: str):
        async def make():
            import asyncio

            try:
                request = self.request()
                future = self.runner.submit((id(self), "download"), True, jobs.export,
                                            request, suffix, str(self._folder()),
                                            seconds=EXPORT_TIME * self.runner.budget.seconds)
                return io.BytesIO(await asyncio.wrap_future(future))
            except Exception as error:  # noqa: BLE001 - one line in the page, no file
                with speaking(self.lang):
                    self._say_error(_("the {kind} could not be made: {error}").format(
                        kind=suffix.upper(), error=self._failure(error)))
                return None

        return make

    def close(self):
        """The page has closed: its jobs are withdrawn (its run, a slice, the rates asked
        ahead), its answers kept let go, its temporary folder (uploads, downloads being
        made) removed."""
        self._withdraw_ahead()
        self._answers.clear()
        for owner in (id(self), (id(self), "slice"), (id(self), "download")):
            self.runner.withdraw(owner)
        if self._tmp is not None:
            self._tmp.cleanup()


class BoundedDropper(pn.widgets.FileDropper):
    """Panel's file dropper (the size checked in the browser, the file sent in chunks well
    under the server's message limit) with the size checked again here, chunk by chunk:
    a page that skips the browser's check cannot fill the server's memory."""

    refused = param.String(default="", doc="Why the last upload was refused (one line).")

    _rename = {**pn.widgets.FileDropper._rename, "refused": None}  # the server's own

    def _process_event(self, event):
        data = event.data
        if event.event_name == "upload_event":
            name = str(data.get("name", ""))[:200]
            chunk, total = int(data.get("chunk", 0)), int(data.get("total_chunks", 0))
            size = (self._received if chunk != 1 else 0) + len(data.get("data") or b"")
            self._received = size
            limit = MAX_UPLOAD_BYTES
            if size > limit or total * self.chunk_size > limit + self.chunk_size:
                self._file_buffer.clear()
                self.refused = (f"{name}: more than the {limit // 2**20} MB this page takes; use "
                                "the command line (gdviz run --csv FILE) for bigger files")
                return
            if chunk == 1:
                self._file_buffer.clear()  # one file at a time
                self.value.clear()
                self.refused = ""
        super()._process_event(event)

    _received = 0


def upload_name(name: str) -> str:
    """The file name an upload is kept under: the student's own, made safe.

    >>> upload_name("marks 2024.csv"), upload_name("../../etc/passwd"), upload_name("")
    ('marks_2024.csv', 'passwd.csv', 'upload.csv')
    """
    stem = re.sub(r"[^\w.-]", "_", Path(str(name)).name)[:60].strip("._")
    if not stem:
        return "upload.csv"
    return stem if stem.lower().endswith(".csv") else f"{stem}.csv"


def link_arguments() -> dict:
    """The page's link, ``{key: text}`` (a key given twice: its last value)."""
    return {key: values[-1].decode("utf-8", "replace")
            for key, values in (pn.state.session_args or {}).items() if values}


def page(runner=None):
    """A new playground for a new visitor, from the URL's settings. Its first run waits
    until the page has loaded in a browser."""
    from ..words.fonts import FONT, web_css

    css = web_css(f"/gdviz-fonts/{FONT.name}")
    if css not in pn.config.raw_css:  # the Chinese subset for a browser with no CJK font
        pn.config.raw_css.append(css)
    playground = Playground(link_arguments() or None, runner=runner, autostart=False)
    pn.state.on_session_destroyed(lambda _context: playground.close())
    pn.state.onload(playground.start)
    with speaking(playground.lang):
        return playground.view()
