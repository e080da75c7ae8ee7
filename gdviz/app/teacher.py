"""The teacher's page: the class's answers to a lesson's questions, live.

``/teacher?token=…`` (the token printed at start; without it, or with another, the gate
answers 403 and nothing else) shows per question how many students answered, the share
right and the spread of their predictions: for ``next_params`` the predicted points on
the contour beside the true one, for a number a histogram, for a word how many chose
each. ``/teacher/answers.csv?token=…`` downloads every answer. The students' link is shown
with its QR code. What a student typed is drawn as data, never as HTML.
"""
from __future__ import annotations

import html
import logging

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, Div, LinearColorMapper, Range1d, Select, Title
from bokeh.palettes import viridis
from bokeh.plotting import figure
from tornado.web import RequestHandler

from .._optional import import_optional
from ..lessons.classbook import Classbook
from ..words.i18n import N_, _, language, ngettext, speaking
from ..words.numbers import percent
from .style import describe_tools, glyph, upright

log = logging.getLogger("gdviz.app")

#: Seconds between two looks at the class's answers.
REFRESH_SECONDS = 2.0
#: Bins of a number's histogram.
BINS = 12


class AnswersCSV(RequestHandler):
    """``/teacher/answers.csv``: every answer kept, as CSV (the gate checked the token)."""

    def initialize(self, classbook: Classbook):
        self.classbook = classbook

    def get(self):
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", 'attachment; filename="answers.csv"')
        self.set_header("Cache-Control", "no-store")
        self.finish(self.classbook.csv())


def qr_svg(link: str, scale: int = 4) -> str:
    """The QR code of ``link`` as an inline SVG (segno)."""
    import io

    segno = import_optional("segno", "app", N_("the QR code of the students' link"))
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=scale, xmldecl=False,
                                     svgns=True, nl=False)
    return out.getvalue().decode("ascii")


def qr_terminal(link: str) -> str:
    """The QR code of ``link`` in text, for the terminal (two rows of it a line)."""
    import io

    segno = import_optional("segno", "app", N_("the QR code of the students' link"))
    out = io.StringIO()
    segno.make(link, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def question_truths(path: str, lang: str = "en") -> list[dict]:
    """Each question of the lesson at ``path`` with what the teacher's page draws (in a
    worker: the lesson's runs): the prompt, the kind, the true value, the point the step
    starts from and, for ``next_params`` over two parameters, the contour around it."""
    from ..lessons import load
    from . import charts
    from .pictures import contour_within, step_cost

    with speaking(lang):
        lesson = load(path)
        found = []
        traces = lesson.traces()
        for n, (question, answer) in enumerate(zip(lesson.questions, lesson.answers()),
                                               start=1):
            entry = {"number": n, "ask": question.ask, "prompt": answer.prompt,
                     "text": answer.text, "value": answer.value, "contour": None,
                     "options": list(question.options)}
            trace = traces[question.scene]
            if question.ask == "next_params" and trace.params.shape[1] == 2:
                start = trace.params[question.step]
                true = np.asarray(answer.value, dtype=float)
                problem = trace.problem
                limits = prediction_window(start, true, getattr(problem, "minima", ()))
                entry["start"] = start.tolist()
                entry["limits"] = limits
                entry["contour"] = contour_within(problem, charts.axis_place(start, 0, 1),
                                                  limits, step_cost(problem))
                entry["names"] = list(problem.param_names[:2])
            found.append(entry)
        return found


class TeacherPage:
    """One teacher's page: a lesson picker, the students' link and QR code, and a panel
    per question kept up to date from ``classbook``."""

    def __init__(self, classbook: Classbook, library, runner, student_link: str,
                 lang: str | None = None):
        self.classbook, self.library, self.runner = classbook, library, runner
        # The page's words, the questions' too (made in a worker): the server's language.
        self.student_link, self.lang = student_link, lang or language()
        self._truths: dict[str, list[dict]] = {}
        # Lessons whose questions are being run: asked once (a second ask of the same
        # owner would stop the first, and the page refreshes every 2 s).
        self._asked: set[str] = set()
        self._shown = None  # (lesson, answers counted) last drawn
        # The lesson shown first: the one answered last, else the teacher's own first.
        latest = classbook.answers()[-1:]
        first = latest[0].lesson if latest and latest[0].lesson in library else \
            (library.own[0] if library.own else "")
        self.picker = Select(title=_("lesson"), options=[("", _("(choose a lesson)"))] + [
            (name, name) for name in library.names], value=first, width=320)
        self.link = Div(text="", width=900)
        self.questions = pn.Column()
        self.picker.on_change("value", lambda _a, _o, _n: self.refresh(force=True))
        self._show_link(first)
        if first:
            self.refresh(force=True)

    def view(self):
        heading = html.escape(_("the class's answers"))
        download = html.escape(_("download every answer (CSV)"))
        title = Div(text=f"<h2>{heading}</h2>")
        csv_link = Div(text=f'<a href="teacher/answers.csv{self._token_query()}" download>'
                            f"{download}</a>")
        return pn.Column(pn.pane.Bokeh(title), pn.pane.Bokeh(self.picker),
                         pn.pane.Bokeh(self.link), pn.pane.Bokeh(csv_link), self.questions)

    def _token_query(self) -> str:
        token = (pn.state.session_args or {}).get("token", [b""])[-1]
        return "?token=" + html.escape(token.decode("ascii", "replace"), quote=True)

    def _show_link(self, lesson: str) -> None:
        link = self.student_link + (f"?lesson={lesson}&question=1" if lesson else "")
        # Scanned by a phone: the QR code opens the phone's view of the same page.
        phone = link + ("&" if "?" in link else "?") + "view=student"
        words = html.escape(_("the students open"))
        scanned = html.escape(_("(the QR code opens the page for a phone)"))
        self.link.text = (
            f'<div style="display:flex;gap:16px;align-items:center">{qr_svg(phone)}'
            f'<div>{words}<br><code style="font-size:20px">{html.escape(link)}</code>'
            f'<br><span style="color:#555">{scanned}</span></div></div>')

    # -- keeping up with the class ------------------------------------------------------
    def refresh(self, force: bool = False) -> None:
        lesson = self.picker.value
        if not lesson:
            self.questions.objects = []
            self._show_link("")
            return
        answers = self.classbook.answers(lesson)
        if not force and self._shown == (lesson, len(answers)):
            return
        if force:
            self._show_link(lesson)
        truths = self._truths.get(lesson)
        if truths is None:
            self._ask_truths(lesson)
            return
        self._shown = (lesson, len(answers))
        self.questions.objects = [self._panel(truth, [a for a in answers
                                                      if a.question == truth["number"]])
                                  for truth in truths]

    def _ask_truths(self, lesson: str) -> None:
        if lesson in self._asked:
            return
        document = pn.state.curdoc
        try:
            future = self.runner.submit(("teacher", id(self), lesson), True, question_truths,
                                        str(self.library.paths[lesson]), self.lang)
        except RuntimeError:
            return
        self._asked.add(lesson)

        def arrived(done):
            if done.cancelled() or done.exception() is not None:
                log.error("the teacher's page could not run the lesson: %s",
                          "cancelled" if done.cancelled() else done.exception())
            else:
                self._truths[lesson] = done.result()
            self._asked.discard(lesson)  # answered or failed: a later refresh may ask again
            if done.cancelled() or done.exception() is not None:
                return
            if document is not None:
                document.add_next_tick_callback(lambda: self.refresh(force=True))

        future.add_done_callback(arrived)

    def _panel(self, truth: dict, answers: list) -> pn.Column:
        graded = [a for a in answers if a.right is not None]
        right = sum(a.right for a in graded)
        students = len({a.student for a in answers})
        share = percent(right / len(graded)) if graded else "–"
        words = _("question {n}: {prompt}").format(n=truth["number"], prompt=truth["prompt"])
        stats = _("{students} ({answers}); right: {share}; the answer: {text}").format(
            students=ngettext("{count} student answered", "{count} students answered",
                              students).format(count=students),
            answers=ngettext("{count} answer", "{count} answers",
                             len(answers)).format(count=len(answers)),
            share=share, text=truth["text"]) \
            if answers else _("no answers yet; the answer: {text}").format(text=truth["text"])
        head = Div(text=words, width=900, render_as_text=True,
                   styles={"font-weight": "bold", "font-size": "16px"})
        line = Div(text=stats, width=900, render_as_text=True)
        if not answers:
            return pn.Column(pn.pane.Bokeh(head), pn.pane.Bokeh(line))
        return pn.Column(pn.pane.Bokeh(head), pn.pane.Bokeh(line),
                         pn.pane.Bokeh(self._chart(truth, answers)))

    def _chart(self, truth: dict, answers: list):
        from ..lessons.questions import numbers_given, option_given

        ask = truth["ask"]
        if ask == "explain":
            return explanations(answers)
        if ask == "next_params" and truth.get("contour") is not None:
            return predictions_on_contour(truth, answers)
        if ask in ("next_loss", "stops_at", "next_params"):
            values = []
            for row in answers:
                try:
                    values.append(numbers_given(row.answer)[0])
                except ValueError:
                    pass
            true = float(np.atleast_1d(truth["value"])[0])
            return histogram(values, true)
        counts: dict[str, int] = {}
        options = truth.get("options") or ()
        if options:  # every option a bar, by its number and words, chosen or not
            counts = {f"{n}. {option}": 0 for n, option in enumerate(options, start=1)}
        for row in answers:
            said = row.answer.lower()
            if options:
                try:
                    number = option_given(row.answer, options)
                except ValueError:
                    continue
                said = f"{number}. {options[number - 1]}"
            counts[said] = counts.get(said, 0) + 1
        return choice_bars(counts, truth["text"], ordered=bool(options))


def explanations(answers: list):
    """Each student's latest explanation, under their name, as text (never HTML)."""
    latest = {row.student: row.answer for row in answers}
    lines = [f"{student}: {words}" for student, words in sorted(latest.items())]
    return Div(text="\n".join(lines), width=900, render_as_text=True,
               styles={"white-space": "pre-wrap", "background": "#f4f6fb",
                       "padding": "6px 10px", "border-radius": "4px"})


def prediction_window(start, true, minima=()) -> tuple:
    """The window of a ``next_params`` question's picture: the step's start and true end,
    and the nearest minimum if it lies within four steps (a wrong guess often lands on it:
    the class's predictions are on the picture, not counted off it)."""
    corners = [np.asarray(start, dtype=float), np.asarray(true, dtype=float)]
    span = np.maximum(np.abs(corners[1] - corners[0]), 1e-3)
    if len(minima):
        nearest = min(np.asarray(minima, dtype=float),
                      key=lambda m: float(np.max(np.abs(m - corners[0]) / span)))
        if np.all(np.abs(nearest - corners[0]) <= 4 * span):
            corners.append(nearest)
    low, high = np.min(corners, axis=0), np.max(corners, axis=0)
    pad = np.maximum(high - low, 1e-3) * 0.3 + 0.15 * span
    return ((low[0] - pad[0], high[0] + pad[0]), (low[1] - pad[1], high[1] + pad[1]))


def predictions_on_contour(truth: dict, answers: list):
    """The students' predicted points on the contour of the step, the true one a star,
    the step's start a square."""
    from ..lessons.questions import numbers_given

    (x_low, x_high), (y_low, y_high) = truth["limits"]
    chart = figure(width=520, height=420, tools="pan,wheel_zoom,reset",
                   x_range=Range1d(x_low, x_high), y_range=Range1d(y_low, y_high),
                   x_axis_label=truth["names"][0], y_axis_label=truth["names"][1])
    image = dict(truth["contour"])
    levels = image.pop("levels", [0, 1])
    if image:
        mapper = LinearColorMapper(palette=viridis(min(max(len(levels), 3), 256)), low=0,
                                   high=max(len(levels) - 1, 1))
        glyph(chart, "image", image="image", x="x", y="y", dw="dw", dh="dh",
              source=ColumnDataSource({k: [v] for k, v in image.items()}),
              color_mapper=mapper, level="image")
    points, outside = {"x": [], "y": []}, 0
    for row in answers:
        try:
            x, y = numbers_given(row.answer)[:2]
        except ValueError:
            continue
        points["x"].append(x)
        points["y"].append(y)
        outside += not (x_low <= x <= x_high and y_low <= y <= y_high)
    true = np.asarray(truth["value"], dtype=float)
    glyph(chart, "scatter", [true[0]], [true[1]], marker="star", size=20,
          fill_color="white", line_color="black")
    start = truth["start"]
    glyph(chart, "scatter", [start[0]], [start[1]], marker="square", size=11,
          fill_color="white", line_color="black")
    # On top, see-through: a prediction on the true point shows over its star.
    glyph(chart, "scatter", "x", "y", source=ColumnDataSource(points), size=9,
          fill_color="#E69F00", line_color="black", fill_alpha=0.7)
    upright(chart)
    describe_tools(chart)
    chart.title.text = _("the class's predictions (orange), the true point (☆), the start (□)")
    if outside:  # off the picture: said on a line of its own, not silently dropped
        chart.add_layout(Title(text=ngettext("{count} prediction off the picture",
                                             "{count} predictions off the picture",
                                             outside).format(count=outside),
                               text_font_style="normal", text_color="#A00"), "above")
    return chart


def histogram(values: list[float], true: float):
    """The students' numbers in bins, the true value a black line."""
    chart = figure(width=520, height=260, tools="", toolbar_location=None)
    finite = [v for v in values if np.isfinite(v)]
    low = min(finite + [true]) if finite else true - 1
    high = max(finite + [true]) if finite else true + 1
    if high <= low:
        low, high = low - 0.5, high + 0.5
    counts, edges = np.histogram(finite, bins=BINS, range=(low, high))
    glyph(chart, "quad", source=ColumnDataSource({"left": edges[:-1], "right": edges[1:],
                                                  "top": counts, "bottom": np.zeros(BINS)}),
          fill_color="#56B4E9", line_color="white")
    glyph(chart, "segment", [true], [0], [true], [max(counts.max(initial=0), 1)],
          line_color="black", line_width=3)
    chart.title.text = _("the class's numbers; the true one: {value:.6g}").format(value=true)
    return chart


def choice_bars(counts: dict, true: str, ordered: bool = False):
    """How many chose each answer (in the order of ``counts`` if ``ordered``, else the
    most chosen first); the true one in black."""
    names = (list(counts) if ordered else sorted(counts, key=lambda k: -counts[k])) or [true]
    chart = figure(width=520, height=260, tools="", toolbar_location=None,
                   x_range=names)
    glyph(chart, "vbar", source=ColumnDataSource({
        "x": names, "top": [counts.get(k, 0) for k in names],
        "colour": ["black" if k.lower() == true.lower() else "#56B4E9" for k in names]}),
        x="x", top="top", width=0.8, fill_color="colour", line_color=None)
    chart.title.text = _("how many chose each answer; the true one in black")
    return chart
