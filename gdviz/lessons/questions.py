"""A lesson's questions and their answers: what a question asks (``Question``), the
answer computed from its run (``answer``) and a given answer checked against it
(``Answer.check``)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from ..words.i18n import N_, _, again, listed

#: What a question may ask.
ASKS = ("next_params", "next_loss", "direction", "diverges", "stops_at", "choice", "explain")
#: The kinds a teacher writes whole (``prompt`` required; the run answers no number).
OWN_ASKS = ("choice", "explain")
#: A choice question's options: at least two, at most this many, each this long at most.
MOST_OPTIONS, MOST_OPTION = 8, 120
#: The longest explanation a student may give (characters).
MOST_EXPLANATION = 400
#: The directions a point can move on the contour, counter-clockwise from the right.
#: (A student answers in the page's language or in English.)
DIRECTIONS = (N_("right"), N_("up and right"), N_("up"), N_("up and left"), N_("left"),
              N_("down and left"), N_("down"), N_("down and right"))
#: ``next_params`` asks for every parameter: at most this many.
MOST_ASKED = 4


def run_number(scene: int) -> int:
    """A scene as people read it: runs are counted from 1 (run 1 is the first ``[[scene]]``),
    while a lesson file's ``scene = N`` and ``gdviz lesson --scene N`` count from 0, as the
    iterations do."""
    return scene + 1


@dataclass(frozen=True)
class Question:
    """What a question asks: ``ask`` about the step from iteration ``step`` of scene
    ``scene``; within ``tolerance`` (None: the default for the kind, see ``Answer``)."""

    step: int
    ask: str
    scene: int = 0
    tolerance: float | None = None
    #: The question in the teacher's own words (None: gdviz's words for its kind).
    prompt: str | None = None
    #: A choice question's options, and the number of the right one (from 1).
    options: tuple[str, ...] = ()
    right: int | None = None


@dataclass(frozen=True)
class Verdict:
    """A given answer against the run's: right or not (None: not graded, an
    explanation), by how much off, in words."""

    right: bool | None
    off: float | None
    words: str


@dataclass
class Answer:
    """A question's answer, computed from the run: its value, the words of the value,
    the tolerance a given answer is checked with, the question in words and the working
    (lines, as on the answer key)."""

    question: Question
    value: object
    text: str
    tolerance: float
    prompt: str
    working: list[str] = field(default_factory=list)
    names: tuple = ()

    def check(self, given) -> Verdict:
        """Whether ``given`` (text or numbers) is within tolerance of the run's answer."""
        ask = self.question.ask
        if ask == "explain":
            words = " ".join(str(given).split())
            if not words:
                raise ValueError(_("write your answer in a few words"))
            if len(words) > MOST_EXPLANATION:
                raise ValueError(_("at most {most} characters, please").format(
                    most=MOST_EXPLANATION))
            return Verdict(None, None, _("kept: your teacher will read it"))
        if ask == "choice":
            chosen = option_given(given, self.question.options)
            right = chosen == self.value
            words = (_("right: {answer}") if right else
                     _("not this time: {answer}")).format(answer=self.text)
            return Verdict(right, None, words)
        if ask in ("next_params", "next_loss", "stops_at"):
            numbers = numbers_given(given)
            wanted = np.atleast_1d(np.asarray(self.value, dtype=float))
            if len(numbers) != len(wanted):
                raise ValueError(_("give {count} numbers ({names}), separated by commas").format(
                    count=len(wanted), names=", ".join(self.names)) if len(wanted) > 1 else
                    _("give one number"))
            off = float(np.max(np.abs(np.asarray(numbers) - wanted)))
            right = off <= self.tolerance
        elif ask == "direction":
            name = _choice(given, DIRECTIONS)
            angle = 45.0 * DIRECTIONS.index(name)
            off = abs((angle - self.value + 180.0) % 360.0 - 180.0)
            right = off <= self.tolerance
        else:
            said = _choice(given, ("yes", "no"))
            off, right = None, (said == "yes") == bool(self.value)
        if right:
            words = _("right: {answer}").format(answer=self.text)
        elif off is None:
            words = _("not this time: {answer}").format(answer=self.text)
        elif ask == "direction":
            words = _("not this time: it moves {answer} ({off:.0f}° from yours)").format(
                answer=self.text, off=off)
        else:
            words = _("not this time: {answer} (yours is off by {off}; within {tolerance} "
                      "counts)").format(answer=self.text, off=f"{off:.2g}",
                                        tolerance=f"{self.tolerance:.2g}")
        return Verdict(right, off, words)


def answer(question: Question, trace) -> Answer:
    """The answer to ``question`` from ``trace``, its tolerance, words and working; the
    question in the teacher's words where the lesson gives them (``prompt``)."""
    found = _answer(question, trace)
    if question.prompt and question.ask != "choice":  # a choice's words carry its options
        found.prompt = question.prompt
    return found


def _answer(question: Question, trace) -> Answer:
    from ..words.board import StepBoard
    from ..words.ending import ending_words

    k, ask, names = question.step, question.ask, tuple(trace.param_names)
    if ask == "choice":
        options = question.options
        text = f"{question.right}. {options[question.right - 1]}"
        prompt = (question.prompt or "") + "  " + "  ".join(
            f"({n}) {option}" for n, option in enumerate(options, start=1))
        return Answer(question, question.right, text, 0.0, prompt, [], options)
    if ask == "explain":
        return Answer(question, None, _("(not graded: the teacher reads the answers)"), 0.0,
                      question.prompt or "", [])
    if ask == "next_params":
        value = trace.params[k + 1]
        step = float(np.max(np.abs(trace.params[k + 1] - trace.params[k])))
        tolerance = question.tolerance or fair(step, float(np.max(np.abs(value))))
        text = ", ".join(f"{n} = {v:.6g}" for n, v in zip(names, value))
        prompt = ngettext_names(k, names)
        working = [line for line, _k in StepBoard(trace).lines(k)]
        return Answer(question, value, text, tolerance, prompt, working, names)
    if ask == "next_loss":
        value = float(trace.loss[k + 1])
        tolerance = question.tolerance or fair(abs(value - float(trace.loss[k])), abs(value))
        prompt = _("What is the loss after the step from iteration {k}? (It is {loss} "
                   "now.)").format(k=k, loss=f"{trace.loss[k]:.6g}")
        working = [line for line, _k in StepBoard(trace).lines(k)]
        return Answer(question, value, f"{value:.6g}", tolerance, prompt, working)
    if ask == "direction":
        from ..anatomy import most_moved
        from ..views.window import sensible_window

        i, j = (0, 1) if len(names) <= 2 else most_moved(trace.params)
        move = trace.params[k + 1] - trace.params[k]
        if getattr(trace.problem, "same_units", False):  # the contour is drawn to scale
            angle = math.degrees(math.atan2(move[j], move[i]))
        else:  # on the panel as drawn: each axis in its share of the window
            (x_low, x_high), (y_low, y_high) = sensible_window(trace, i, j)
            angle = math.degrees(math.atan2(move[j] / (y_high - y_low),
                                            move[i] / (x_high - x_low)))
        angle %= 360.0
        name = _(DIRECTIONS[int(round(angle / 45.0)) % 8])
        tolerance = question.tolerance or 25.0
        prompt = _("Which way does the point move on the contour of ({x}, {y}) in the step "
                   "from iteration {k}? ({choices})").format(
            x=names[i], y=names[j], k=k, choices=listed(map(_, DIRECTIONS)))
        working = [_("the step: {x} changes by {dx}, {y} by {dy}: on the panel that is "
                     "{name}").format(x=names[i], y=names[j], dx=f"{move[i]:+.4g}",
                                      dy=f"{move[j]:+.4g}", name=name)]
        return Answer(question, angle, name, tolerance, prompt, working, (names[i], names[j]))
    if ask == "diverges":
        value = trace.stop_reason == "diverged"
        prompt = _("Does this run diverge (its loss running away to infinity)? (yes or no)")
        working = [ending_words(trace), again(trace.stop_detail)]
        return Answer(question, value, _("yes") if value else _("no"), 0.0, prompt, working)
    value = int(trace.iterations)
    tolerance = question.tolerance or max(1.0, 0.1 * value)
    prompt = _("After how many iterations does this run stop?")
    working = [ending_words(trace), again(trace.stop_detail)]
    return Answer(question, value, str(value), tolerance, prompt, working)


def fair(change: float, size: float) -> float:
    """The default tolerance of a predicted number that moved by ``change`` to a value of
    ``size``: a twentieth of the move, or an answer rounded to 3 significant digits
    (half a unit in the third), whichever is larger; never half the move, so that
    answering "no change" is never right.

    >>> fair(0.0463, 2.02), fair(2403.0, 224666.0), fair(0.0, 1.0)
    (0.005, 500.0, 1e-12)
    """
    if not change > 0:
        return 1e-12
    third = 0.5 * 10.0 ** (math.floor(math.log10(size)) - 2) if size > 0 else 0.0
    return float(min(max(0.05 * change, third), 0.5 * change))


def ngettext_names(k: int, names) -> str:
    return _("What are {names} after the step from iteration {k}?").format(
        names=", ".join(names), k=k)


def numbers_given(given) -> list[float]:
    """Numbers from an answer: ``0.25``, ``1.5, -2``, or ``b0 = 1.5, b1 = -2``."""
    if isinstance(given, str):
        parts = [p.rpartition("=")[2].strip() for p in re.split(r"[,;]+", given.strip())]
        parts = [q for p in parts for q in p.split() if q]
        try:
            values = [float(p.replace("−", "-")) for p in parts]
        except ValueError:
            raise ValueError(_("an answer here is numbers, like 0.25 or 1.5, -2; got "
                               "{given!r}").format(given=given)) from None
    else:
        values = [float(v) for v in np.atleast_1d(given)]
    if not values or not all(map(math.isfinite, values)):
        raise ValueError(_("an answer here is finite numbers; got {given!r}").format(given=given))
    return values


def option_given(given, options) -> int:
    """The number (from 1) of the option ``given`` names: its number, or its words."""
    text = " ".join(str(given).split()).strip(" .()").lower()
    if text.isdigit() and 1 <= int(text) <= len(options):
        return int(text)
    for n, option in enumerate(options, start=1):
        if text == option.lower():
            return n
    raise ValueError(_("answer with the number of one option, 1 to {count}").format(
        count=len(options)))


def _choice(given, choices) -> str:
    """The choice (in English, as ``choices`` holds them) that ``given`` names, in the
    language spoken or in English."""
    def plain(words: str) -> str:
        return " ".join(str(words).strip().lower().replace("-", " ").split())

    text = plain(given)
    text = {"true": "yes", "false": "no", "y": "yes", "n": "no"}.get(text, text)
    said = {plain(_(choice)): choice for choice in choices}
    if text in said:
        return said[text]
    if text not in choices:
        raise ValueError(_("answer one of: {choices}").format(
            choices=listed(map(_, choices))))
    return text
