"""A lesson's worksheet as a printable PDF (matplotlib's PDF backend, text as real text).

Page 1: the lesson's title, what to notice and its scenes. Then one page per question
(two with ``compact``): what it stands on (the loss, the start, the rate, the stop rule),
the picture at its step (the path so far, no arrow giving the step away; a function's
contour to scale), the arithmetic of the step with the asked numbers blank, the question,
and room to write. Last, or in a file of its own, or not at all: the answer key, every
answer computed from the run, to 6 significant digits, with its working.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from ..words.i18n import _, joined
from . import paragraphs, run_number
from ..words.fonts import MONOSPACE, SANS, use as use_fonts
from ..words.widths import has_wide, wrap

#: Paper sizes in inches (portrait).
PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
MARGIN = 0.6  # inches
BODY = 10.5  # points
MONO = 8.5


class _Pages:
    """Text flowing down pages of a PDF: ``write`` a line, a new page when one is full."""

    def __init__(self, pdf, paper: str, header: str):
        self.pdf, self.size, self.header = pdf, PAPERS[paper], header
        self.figure = None

    def new(self):
        from matplotlib.figure import Figure

        self.close()
        self.figure = Figure(figsize=self.size)
        self.figure.text(MARGIN / self.size[0], 1 - 0.35 / self.size[1], self.header,
                         fontsize=8, color="#555", va="top")
        self.y = 1 - (MARGIN + 0.1) / self.size[1]
        return self.figure

    def write(self, text: str, size: float = BODY, mono: bool = False, bold: bool = False,
              gap: float = 1.35, width: int | None = None, colour: str = "black",
              left: float | None = None):
        """A line (wrapped at ``width`` columns), from the margin or from ``left`` (a
        share of the page's width)."""
        width = width or (88 if mono else 92)
        lines = _wrapped(text, width, mono) if text else [""]
        step = size * gap / 72 / self.size[1]
        for line in lines:
            if self.figure is None or self.y - step < MARGIN / self.size[1]:
                self.new()
            self.figure.text(MARGIN / self.size[0] if left is None else left, self.y, line,
                             fontsize=size, va="top",
                             family=MONOSPACE if mono else SANS,
                             weight="bold" if bold else "normal", color=colour)
            self.y -= step

    def space(self, inches: float):
        self.y -= inches / self.size[1]

    def close(self):
        if self.figure is not None:
            self.pdf.savefig(self.figure)
            self.figure = None


def _frame(figure, trace, k: int, top: float, height: float, size,
           first_only: bool = False) -> None:
    """The picture at iteration ``k`` in a band of the page: the data view (fit or
    boundary) where the model has one, the contour, else the loss curve; no step arrow.
    ``first_only``: only the first of them, in the band's left half."""
    from ..views import VIEWS

    names = [n for n in ("fit", "boundary") if VIEWS[n].supports(trace)][:1] + ["contour"]
    if len(names) < 2:
        names.append("loss")
    if first_only:
        names = names[:1]
    left, gap = MARGIN / size[0] + 0.07, 0.22  # room for the colour bar and the labels
    width = (1 - MARGIN / size[0] - 0.08 - left - gap) / 2
    for n, name in enumerate(names):
        view = VIEWS[name](arrows=False) if name == "contour" else VIEWS[name]()
        view.frame_iterations = (k,)
        ax = figure.add_axes((left + n * (width + gap), top - height, width, height))
        view.setup(ax, trace)
        view.update(k)
        ax.title.set_fontsize(9)
        if name == "contour":
            if getattr(trace.problem, "same_units", False):  # x and y share units: to scale
                ax.set_aspect("equal", adjustable="box")
            for inset in ax.child_axes:  # the colour bar: the panel's title says "the loss"
                inset.set_title("", loc="left")
        if name == "loss":  # the iterations so far only: the run's length is not given away
            ax.set_xlim(0, max(2 * k, 10))
            seen = trace.loss[: k + 1]
            seen = seen[np.isfinite(seen)]
            if ax.get_yscale() == "log" and seen.size and np.all(seen > 0):
                ax.set_ylim(seen.min() / 3, seen.max() * 3)
            elif seen.size:
                pad = 0.2 * (np.ptp(seen) or abs(seen.max()) or 1.0)
                ax.set_ylim(seen.min() - pad, seen.max() + pad)


#: Where the answer key goes: after the questions, in a file of its own, or nowhere.
KEYS = ("appended", "separate", "none")


def key_path(path) -> Path:
    """The answer key's own file beside the worksheet ``NAME.pdf``: ``NAME-key.pdf``."""
    path = Path(path)
    return path.with_name(f"{path.stem}-key{path.suffix}")


def write_worksheet(lesson, path, paper: str = "a4", key: str = "appended",
                    compact: bool = False) -> Path:
    """Write ``lesson``'s worksheet to ``path`` (a PDF, written whole or not at all); its
    answer key after the questions (``key="appended"``), in ``key_path(path)``
    (``"separate"``) or nowhere (``"none"``). ``compact``: two questions a page."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    from ..files import atomic_path

    if paper not in PAPERS:
        from .._validate import unknown

        raise unknown("paper size", paper, PAPERS)
    if key not in KEYS:
        from .._validate import unknown

        raise unknown("answer key", key, KEYS)
    lesson.check()
    use_fonts()  # Chinese words on a machine with no CJK font
    path = Path(path)
    header = _("gdviz lesson: {title}").format(title=lesson.title)
    # Fonts embedded as TrueType: the PDF's text can be searched and copied.
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        with atomic_path(path) as temporary, PdfPages(
                temporary, metadata={"Title": lesson.title, "Creator": "gdviz"}) as pdf:
            pages = _Pages(pdf, paper, header)
            _questions(pages, lesson, compact)
            if key == "appended":
                pages.new()
                _key(pages, lesson)
            pages.close()
        if key == "separate":
            title = _("{title}: answer key").format(title=lesson.title)
            with atomic_path(key_path(path)) as temporary, PdfPages(
                    temporary, metadata={"Title": title, "Creator": "gdviz"}) as pdf:
                pages = _Pages(pdf, paper, header)
                pages.new()
                _key(pages, lesson)
                pages.close()
    return path


def _questions(pages, lesson, compact: bool) -> None:
    """The first page (title, text, the runs), then the questions: one a page, or two."""
    from ..words.board import StepBoard

    answers, traces = lesson.answers(), lesson.traces()
    size = pages.size
    pages.new()
    pages.write(lesson.title, size=18, bold=True)
    pages.space(0.1)
    pages.write(_("Name: ____________________    Date: ____________"))
    pages.space(0.2)
    for paragraph in paragraphs(lesson.text):
        pages.write(paragraph)
        pages.space(0.08)
    pages.space(0.15)
    pages.write(_("The runs"), bold=True)
    for n, (label, scene) in enumerate(zip(lesson.labels, lesson.scenes)):
        pages.write("  " + _("{number}. {label}: {description}").format(
            number=run_number(n), label=label,
            description=describe_scene(scene, traces[n].problem.title)))
    band = (2.2 if compact else 3.3) / size[1]
    small = 8.5 if compact else 9.5
    for n, (question, found) in enumerate(zip(lesson.questions, answers), start=1):
        trace = traces[question.scene]
        if not compact or n % 2:
            figure = pages.new()
        else:  # the second question of the page, under a rule
            pages.space(0.2)
            pages.write("─" * 60, colour="#999")
            figure = pages.figure
        pages.write(_("Question {n} of {count}").format(n=n, count=len(answers)), size=14,
                    bold=True)
        # What the question stands on; never the run's label (it may give the answer).
        pages.write(_("Run {scene}, at iteration {k}").format(scene=run_number(question.scene),
                                                             k=question.step))
        for line in question_settings(lesson.scenes[question.scene], trace):
            pages.write(line, size=small, gap=1.25, colour="#333")
        pages.space(0.08)
        if pages.y - band < (MARGIN + 1.0) / size[1]:  # the picture would leave the page
            figure = pages.new()
        top = pages.y
        _frame(figure, trace, question.step, top - 0.02, band, size, first_only=compact)
        below = top - band - 0.75 / size[1]
        if question.ask in ("next_params", "next_loss", "direction"):
            # Under the picture; beside it on a compact page (only one picture there).
            left = 0.55 if compact else None
            pages.y = top if compact else below
            pages.write(_("The arithmetic of this step (fill in the blanks):"), bold=True,
                        left=left, size=BODY - (1.5 if compact else 0), width=48 if compact
                        else None)
            for line, _k in StepBoard(trace).lines(question.step, hide_next=True):
                pages.write(line, size=MONO - (1 if compact else 0), mono=True, gap=1.2,
                            left=left, width=46 if compact else None)
            if compact:  # on below the picture or the arithmetic, whichever is lower
                pages.y = min(pages.y, below)
            pages.space(0.08)
        else:
            pages.y = below
        if question.ask == "choice":
            pages.write(question.prompt, bold=True)
            pages.space(0.05)
            for number, option in enumerate(question.options, start=1):
                pages.write(f"   ☐  {number}. {option}")
            continue
        pages.write(found.prompt, bold=True)
        pages.space(0.1)
        lines = 5 if question.ask == "explain" else (1 if compact else 4)
        if question.ask != "explain":
            pages.write(_("Your answer: ") + "_" * 50)
        for _line in range(lines):
            if pages.y - 0.45 / size[1] < MARGIN / size[1]:
                break  # lines to write on never start a page of their own
            pages.space(0.22)
            pages.write("_" * 80, colour="#999")


def _key(pages, lesson) -> None:
    """The answer key: every answer computed from the run (a choice's the teacher's), its
    tolerance and working."""
    answers = lesson.answers()
    pages.write(_("Answer key"), size=16, bold=True)
    pages.write(_("Every answer is computed from the run by gdviz; an answer within the "
                  "tolerance counts as right."))
    for n, (question, found) in enumerate(zip(lesson.questions, answers), start=1):
        pages.space(0.15)
        pages.write(f"{n}. {found.prompt}", bold=True)
        pages.write("   " + _("Run {scene} ({label})").format(
            scene=run_number(question.scene), label=lesson.labels[question.scene]), size=9)
        within = ""
        if question.ask in ("next_params", "next_loss", "stops_at", "direction"):
            within = "   " + _("(within {tolerance} counts as right)").format(
                tolerance=f"{found.tolerance:.4g}" + ("°" if question.ask == "direction"
                                                       else ""))
        pages.write("   " + _("Answer: {answer}").format(answer=found.text) + within)
        for line in found.working:
            if line:
                pages.write("   " + line, size=MONO, mono=True, gap=1.25)


def question_settings(scene, trace) -> list[str]:
    """What a question stands on, in a few lines: the loss, the start, the optimizer and
    its rate, and the stop rule."""
    from ..words.definitions import loss_definition

    lines = []
    definition = loss_definition(trace.problem)
    if definition:
        lines.append(_("loss: {definition}").format(definition=definition))
    start = ", ".join(f"{name} = {value:.4g}"
                      for name, value in zip(trace.param_names, trace.params[0]))
    if len(trace.param_names) <= 6:
        lines.append(_("start: {start}").format(start=start))
    lines.append(_("optimizer: {settings}").format(settings=scene.label()))
    rule = _("at most {count} iterations").format(count=scene.max_iter)
    if scene.tol is not None:
        rule += _("; or when the loss falls by less than {tol:g} in one step").format(
            tol=scene.tol)
    if scene.grad_tol is not None:
        rule += _("; or when the gradient's size is under {tol:g}").format(tol=scene.grad_tol)
    lines.append(_("stop rule: {rule}; a run whose loss runs away is stopped too").format(
        rule=rule))
    return lines


def describe_scene(scene, title: str | None = None) -> str:
    """A scene in a few words: its problem (its ``title`` in words, its name as the
    lesson file gives it) and its optimizer's settings."""
    problem = (_("{words} ({name})").format(words=title, name=scene.problem)
               if title and title != scene.problem else scene.problem)
    words = [problem, scene.label()]
    if scene.tol:
        words.append(_("tolerance {tol:g}").format(tol=scene.tol))
    words.append(_("at most {count} iterations").format(count=scene.max_iter))
    return joined(*words)


def _wrapped(text: str, width: int, mono: bool) -> list[str]:
    """``text`` in lines of ``width`` columns: at spaces, as textwrap does; Chinese by
    display width, breaking between characters as Chinese is set (``words.widths``)."""
    indent = "    " if mono else ""
    if not has_wide(text):
        return textwrap.wrap(text, width, replace_whitespace=False, drop_whitespace=not mono,
                             subsequent_indent=indent)
    return wrap(text, width, subsequent_indent=indent, keep_spaces=True)
