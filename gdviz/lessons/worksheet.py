"""A lesson's worksheet as a printable PDF (matplotlib's PDF backend, text as real text).

Page 1: the lesson's title, what to notice and its scenes. Then one page per question:
the picture at its step (the path so far, no arrow giving the step away), the arithmetic
of the step with the asked numbers blank, the question, and room to write. Last, the
answer key: every answer computed from the run, to 6 significant digits, with its working.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from ..words.i18n import _
from . import paragraphs
from ..words.fonts import MONOSPACE, SANS, cjk, use as use_fonts

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
              gap: float = 1.35, width: int | None = None, colour: str = "black"):
        width = width or (88 if mono else 92)
        lines = _wrapped(text, width, mono) if text else [""]
        step = size * gap / 72 / self.size[1]
        for line in lines:
            if self.figure is None or self.y - step < MARGIN / self.size[1]:
                self.new()
            self.figure.text(MARGIN / self.size[0], self.y, line, fontsize=size, va="top",
                             family=MONOSPACE if mono else SANS,
                             weight="bold" if bold else "normal", color=colour)
            self.y -= step

    def space(self, inches: float):
        self.y -= inches / self.size[1]

    def close(self):
        if self.figure is not None:
            self.pdf.savefig(self.figure)
            self.figure = None


def _frame(figure, trace, k: int, top: float, height: float, size) -> None:
    """The picture at iteration ``k`` in a band of the page: the data view (fit or
    boundary) where the model has one, the contour, else the loss curve; no step arrow."""
    from ..views import VIEWS

    names = [n for n in ("fit", "boundary") if VIEWS[n].supports(trace)][:1] + ["contour"]
    if len(names) < 2:
        names.append("loss")
    left, gap = MARGIN / size[0] + 0.07, 0.22  # room for the colour bar and the labels
    width = (1 - MARGIN / size[0] - 0.08 - left - gap) / 2
    for n, name in enumerate(names):
        view = VIEWS[name](arrows=False) if name == "contour" else VIEWS[name]()
        view.frame_iterations = (k,)
        ax = figure.add_axes((left + n * (width + gap), top - height, width, height))
        view.setup(ax, trace)
        view.update(k)
        ax.title.set_fontsize(9)
        if name == "loss":  # the iterations so far only: the run's length is not given away
            ax.set_xlim(0, max(2 * k, 10))
            seen = trace.loss[: k + 1]
            seen = seen[np.isfinite(seen)]
            if ax.get_yscale() == "log" and seen.size and np.all(seen > 0):
                ax.set_ylim(seen.min() / 3, seen.max() * 3)
            elif seen.size:
                pad = 0.2 * (np.ptp(seen) or abs(seen.max()) or 1.0)
                ax.set_ylim(seen.min() - pad, seen.max() + pad)


def write_worksheet(lesson, path, paper: str = "a4") -> Path:
    """Write ``lesson``'s worksheet to ``path`` (a PDF, written whole or not at all)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    from ..files import atomic_path
    from ..words.board import StepBoard

    if paper not in PAPERS:
        from .._validate import unknown

        raise unknown("paper size", paper, PAPERS)
    lesson.check()
    use_fonts()  # Chinese words on a machine with no CJK font
    answers, traces = lesson.answers(), lesson.traces()
    path = Path(path)
    size = PAPERS[paper]
    # Fonts embedded as TrueType: the PDF's text can be searched and copied.
    with matplotlib.rc_context({"pdf.fonttype": 42}), atomic_path(path) as temporary, \
            PdfPages(temporary, metadata={"Title": lesson.title, "Creator": "gdviz"}) as pdf:
        pages = _Pages(pdf, paper, _("gdviz lesson: {title}").format(title=lesson.title))
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
            pages.write(f"  {n}. {label}: {describe_scene(scene)}")
        for n, (question, found) in enumerate(zip(lesson.questions, answers), start=1):
            trace = traces[question.scene]
            figure = pages.new()
            pages.write(_("Question {n} of {count}").format(n=n, count=len(answers)), size=14,
                        bold=True)
            pages.write(_("Run {scene} ({label}), at iteration {k}").format(
                scene=question.scene, label=lesson.labels[question.scene], k=question.step))
            pages.space(0.1)
            band = 3.3 / size[1]
            _frame(figure, trace, question.step, pages.y - 0.02, band, size)
            pages.y -= band + 0.75 / size[1]
            if question.ask in ("next_params", "next_loss", "direction"):
                pages.write(_("The arithmetic of this step (fill in the blanks):"), bold=True)
                for line, _k in StepBoard(trace).lines(question.step, hide_next=True):
                    pages.write(line, size=MONO, mono=True, gap=1.25)
                pages.space(0.1)
            pages.write(found.prompt, bold=True)
            pages.space(0.15)
            pages.write(_("Your answer: ") + "_" * 50)
            for _line in range(4):
                pages.space(0.25)
                pages.write("_" * 80, colour="#999")
        pages.new()
        pages.write(_("Answer key"), size=16, bold=True)
        pages.write(_("Every answer is computed from the run by gdviz; an answer within the "
                      "tolerance counts as right."))
        for n, (question, found) in enumerate(zip(lesson.questions, answers), start=1):
            pages.space(0.15)
            pages.write(f"{n}. {found.prompt}", bold=True)
            pages.write("   " + _("Answer: {answer}").format(answer=found.text)
                        + (f"   ({_('within')} {found.tolerance:.4g}"
                           + ("°" if question.ask == "direction" else "") + ")"
                           if question.ask != "diverges" else ""))
            for line in found.working:
                if line:
                    pages.write("   " + line, size=MONO, mono=True, gap=1.25)
        pages.close()
    return path


def describe_scene(scene) -> str:
    """A scene in a few words: its problem and its optimizer's settings."""
    return f"{scene.problem}, {scene.label()}" + (
        f", tolerance {scene.tol:g}" if scene.tol else "") + f", at most {scene.max_iter} iterations"


def _wrapped(text: str, width: int, mono: bool) -> list[str]:
    """``text`` in lines of ``width`` columns: at spaces, as textwrap does; a Chinese
    character is two columns wide and a line may break between any two of them."""
    if not any(cjk(c) for c in text):
        return textwrap.wrap(text, width, replace_whitespace=False, drop_whitespace=not mono,
                             subsequent_indent="    " if mono else "")
    lines, line, used = [], "", 0
    for character in text:
        wide = 2 if cjk(character) else 1
        if used + wide > width:
            lines.append(line.rstrip())
            line, used = ("    " if mono else ""), (4 if mono else 0)
        line += character
        used += wide
    return lines + [line.rstrip()] if line.strip() else lines
