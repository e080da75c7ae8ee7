"""Lessons: scenes to show, what to notice, and questions answered from the run.

A lesson is a TOML file::

    title = "The learning rate"
    text = "What to notice, in a few sentences."

    [[scene]]                 # keys: exactly the Scene's fields (as in a share link), + label
    label = "too small"
    problem = "quadratic"
    lr = 0.01
    tol = ""                  # "": none (a setting the problem would otherwise bring)

    [[question]]              # step, ask; optional scene (index, default 0) and tolerance
    step = 3
    ask = "next_loss"         # next_params, next_loss, direction, diverges, stops_at
    prompt = "..."            # optional: the question in the teacher's own words

    [[question]]              # the teacher's own question, the run shown up to step
    ask = "choice"
    prompt = "Why does the run slow down near the bottom?"
    options = ["the gradient shrinks", "the rate shrinks", "the loss is noisy"]
    answer = 1                # the number of the right option, counting from 1

    [[question]]              # free text for the teacher's page, not graded
    ask = "explain"
    prompt = "In your words: why does 0.21 diverge when 0.15 does not?"

The answers of the run's questions are never in the file: ``Lesson.answers()`` computes
them from the runs (a choice's is the teacher's, an explanation has none).
Errors name the table: ``[[scene]] 0`` is the first scene (as a question's ``scene``
counts them), ``[[question]] 1`` the first question (as the worksheet numbers them).
Students read the scenes as runs counted from 1 (``run_number``: run 1 is ``[[scene]] 0``),
in the worksheet, the notebook, the app and ``gdviz lesson --answers``.
``gdviz lesson list`` shows the built-in lessons (this folder's ``*.toml``, in order).

Examples
--------
>>> lesson = load("blog")
>>> lesson.title
"The blog's run"
>>> answer = lesson.answers()[0]
>>> answer.check(answer.text).right
True
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields
from pathlib import Path

import numpy as np

from .._validate import did_you_mean
from ..scene import Scene
from ..words.i18n import N_, _, again, listed
from ..words.fonts import cjk

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: The folder of the built-in lessons: ``NN-name.toml``, taught in the order of NN.
FOLDER = Path(__file__).parent
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
TOP_KEYS = ("title", "text", "scene", "question")
SCENE_KEYS = tuple(f.name for f in fields(Scene)) + ("label",)
QUESTION_KEYS = ("step", "ask", "scene", "tolerance", "prompt", "options", "answer")
#: The longest question a teacher may write in their own words.
MOST_PROMPT = 300


class LessonError(ValueError):
    """A lesson file that cannot be taught, in one line naming the file, table and key."""


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
            chosen = _option(given, self.question.options)
            right = chosen == self.value
            words = (_("right: {answer}") if right else
                     _("not this time: {answer}")).format(answer=self.text)
            return Verdict(right, None, words)
        if ask in ("next_params", "next_loss", "stops_at"):
            numbers = _numbers(given)
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


@dataclass
class Lesson:
    """A lesson: its name, title, text, scenes (with labels) and questions."""

    name: str
    title: str
    text: str
    scenes: list[Scene]
    labels: list[str]
    questions: list[Question]
    path: Path | None = None
    _traces: list | None = field(default=None, repr=False)

    def traces(self) -> list:
        """Each scene's run (computed once)."""
        if self._traces is None:
            self._traces = [scene.run() for scene in self.scenes]
        return self._traces

    def answers(self) -> list[Answer]:
        """Every question's answer, from its scene's run."""
        traces = self.traces()
        return [answer(question, traces[question.scene]) for question in self.questions]

    def check(self) -> "Lesson":
        """Run every scene and raise ``LessonError`` for a question its run cannot answer
        (a step past the end, a run with too many parameters to ask them all)."""
        traces = self.traces()
        for n, question in enumerate(self.questions, start=1):
            trace = traces[question.scene]
            where = f"{self._where()}: [[question]] {n}"  # the file's own names
            last = trace.iterations - (1 if question.ask.startswith("next_") or
                                       question.ask == "direction" else 0)
            if question.step > last:
                raise LessonError(_(
                    "{where}: step {step} is past the end of scene {scene}'s run ({count} "
                    "iterations): ask about a step up to {last}").format(
                    where=where, step=question.step, scene=question.scene,
                    count=trace.iterations, last=last))
            if question.ask == "next_params" and trace.params.shape[1] > MOST_ASKED:
                raise LessonError(_(
                    "{where}: next_params asks for all {count} parameters (at most {most}); "
                    "ask next_loss or direction instead").format(
                    where=where, count=trace.params.shape[1], most=MOST_ASKED))
        return self

    def groups(self) -> list[list[int]]:
        """The scenes shown together: those on the same problem (same data and start) race
        on one picture, as ``gdviz compare`` draws them; the others each on their own."""
        found: dict[tuple, list[int]] = {}
        for n, scene in enumerate(self.scenes):
            found.setdefault(tuple(getattr(scene, name) for name in Scene.PROBLEM_FIELDS),
                             []).append(n)
        return list(found.values())

    def _where(self) -> str:
        return str(self.path) if self.path is not None else self.name


# -- finding and reading lessons ---------------------------------------------------------
def builtin() -> dict[str, Path]:
    """The built-in lessons by name, in teaching order."""
    found = {}
    for path in sorted(FOLDER.glob("[0-9][0-9]-*.toml")):
        found[path.stem[3:]] = path
    return found


def load(name_or_path) -> Lesson:
    """A built-in lesson by name, or a lesson file; checked (``LessonError`` in one line),
    not yet run (``Lesson.check`` runs it)."""
    lessons = builtin()
    text = str(name_or_path)
    if text in lessons:
        path = lessons[text]
    else:
        path = Path(text)
        if not path.suffix and not path.exists():
            raise LessonError(_("no lesson '{name}'{hint} (built in: {known}; or give a .toml "
                                "file)").format(name=text, hint=did_you_mean(text, lessons),
                                                known=listed(lessons)))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonError(_("{path}: no such lesson file").format(path=path)) from None
    except UnicodeDecodeError:
        raise LessonError(_("{path}: not a text file (a lesson is TOML, in UTF-8)").format(
            path=path)) from None
    except tomllib.TOMLDecodeError as error:
        raise LessonError(_("{path}: not valid TOML: {error}").format(
            path=path, error=error)) from None
    lesson = parse(data, name=path.stem[3:] if path.parent == FOLDER else path.stem, path=path)
    return _in_language(lesson) if path.parent == FOLDER else lesson


def paragraphs(text: str) -> list[str]:
    """A lesson's text as paragraphs, each on one line: a line break is a space between
    words, and nothing between two Chinese characters (a TOML file breaks lines anywhere)."""
    out = []
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        joined = ""
        for line in lines:
            close = joined and cjk(joined[-1]) and cjk(line[0])
            joined += line if not joined or close else " " + line
        if joined:
            out.append(joined)
    return out


def _in_language(lesson: Lesson) -> Lesson:
    """A built-in lesson in the language spoken now: its title, text and scene labels
    from ``lessons/<language>/<file>`` (the rest, and every computed word, as it is)."""
    from ..words.i18n import language

    overlay = FOLDER / language() / lesson.path.name
    if language() == "en" or not overlay.exists():
        return lesson
    words = tomllib.loads(overlay.read_text(encoding="utf-8"))
    unknown = set(words) - {"title", "text", "labels"}
    labels = words.get("labels", lesson.labels)
    if unknown or len(labels) != len(lesson.labels):
        raise LessonError(_("{path}: a translation has title, text and one label per scene "
                            "({count})").format(path=overlay, count=len(lesson.labels)))
    lesson.title = words.get("title", lesson.title)
    lesson.text = words.get("text", lesson.text).strip()
    lesson.labels = list(labels)
    return lesson


def parse(data: dict, name: str = "lesson", path: Path | None = None) -> Lesson:
    """A Lesson from TOML's data, every key and type checked."""
    where = str(path) if path is not None else name
    _known(data, TOP_KEYS, where, "at the top")
    title = _typed(data.get("title"), str, where, "title", N_("a string"), required=True)
    text = _typed(data.get("text", ""), str, where, "text", N_("a string"))
    tables = data.get("scene")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise LessonError(_("{where}: a lesson needs at least one [[scene]] table").format(
            where=where))
    scenes, labels = [], []
    for n, table in enumerate(tables):
        scene, label = _scene(table, f"{where}: [[scene]] {n}")
        scenes.append(scene)
        labels.append(label)
    questions = []
    raw = data.get("question", [])
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise LessonError(_("{where}: questions are [[question]] tables").format(where=where))
    for n, table in enumerate(raw, start=1):
        questions.append(_question(table, f"{where}: [[question]] {n}", len(scenes)))
    return Lesson(name=name, title=title, text=text.strip(), scenes=scenes, labels=labels,
                  questions=questions, path=path)


def _known(table: dict, keys, where: str, place: str) -> None:
    for key in table:
        if key not in keys:
            words = (_("{where}: unknown key '{key}' at the top{hint} (known: {known})")
                     if place else
                     _("{where}: unknown key '{key}'{hint} (known: {known})"))
            raise LessonError(words.format(where=where, key=key, hint=did_you_mean(key, keys),
                                           known=listed(keys)))


def _typed(value, kind, where: str, key: str, words: str, required: bool = False):
    if value is None:
        if required:
            raise LessonError(_("{where}: '{key}' is missing: it must be {words}").format(
                where=where, key=key, words=_(words)))
        return None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise LessonError(_("{where}: '{key}' must be {words}, got {value!r}").format(
            where=where, key=key, words=_(words), value=value))
    return value


def _scene(table: dict, where: str) -> tuple[Scene, str]:
    _known(table, SCENE_KEYS, where, "")
    kinds = {f.name: str(f.type) for f in fields(Scene)}
    values = {}
    for key, value in table.items():
        if key == "label":
            continue
        kind = kinds[key]
        if value == "" and "None" in kind:  # TOML has no null: "" is "none", as in a link
            values[key] = None
        elif key == "hidden":  # 8, [8, 8] or "8,8"
            if isinstance(value, list):
                value = tuple(value)
            values[key] = value
        elif key == "x0":
            if not isinstance(value, list) or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
                raise LessonError(_("{where}: 'x0' must be a list of numbers, got {value!r}")
                                  .format(where=where, value=value))
            values[key] = tuple(float(v) for v in value)
        elif kind.startswith("bool"):
            values[key] = _typed(value, bool, where, key, N_("true or false"))
        elif kind.startswith("int"):
            values[key] = _typed(value, int, where, key, N_("a whole number"))
        elif kind.startswith("float"):
            values[key] = _typed(value, float, where, key, N_("a number"))
        else:
            values[key] = _typed(value, str, where, key, N_("a string"))
    try:
        scene = Scene.of(**values)
        scene.make_optimizer()  # names and settings checked before anything runs
        scene.make_problem()
    except ValueError as error:
        raise LessonError(_("{where}: {error}").format(where=where, error=error)) from None
    label = _typed(table.get("label"), str, where, "label", N_("a string")) or scene.label()
    return scene, label


def _question(table: dict, where: str, scenes: int) -> Question:
    _known(table, QUESTION_KEYS, where, "")
    ask = _typed(table.get("ask"), str, where, "ask", N_("a string"), required=True)
    # The teacher's own questions show the run up to a step, the start by default.
    step = _typed(table.get("step", 0 if ask in OWN_ASKS else None), int, where, "step",
                  N_("a whole number"), required=True)
    if ask not in ASKS:
        raise LessonError(_("{where}: 'ask' must be one of {known}, got '{value}'{hint}")
                          .format(where=where, known=listed(ASKS), value=ask,
                                  hint=did_you_mean(ask, ASKS)))
    scene = _typed(table.get("scene", 0), int, where, "scene", N_("a whole number"))
    if not 0 <= scene < scenes:
        raise LessonError(_("{where}: 'scene' is {scene}, but the lesson has scenes 0 to "
                            "{last}").format(where=where, scene=scene, last=scenes - 1))
    if step < 0:
        raise LessonError(_("{where}: 'step' must be 0 or more, got {value}").format(
            where=where, value=step))
    tolerance = _typed(table.get("tolerance"), float, where, "tolerance", N_("a number"))
    if tolerance is not None and not (math.isfinite(tolerance) and tolerance > 0):
        raise LessonError(_("{where}: 'tolerance' must be a positive number, got {value!r}")
                          .format(where=where, value=tolerance))
    prompt = _typed(table.get("prompt"), str, where, "prompt", N_("a string"))
    if prompt is not None:
        prompt = " ".join(prompt.split())
        if not prompt or len(prompt) > MOST_PROMPT:
            raise LessonError(_("{where}: 'prompt' must be a question of 1 to {most} "
                                "characters").format(where=where, most=MOST_PROMPT))
    options, right = _options(table, ask, where)
    if ask in OWN_ASKS and prompt is None:
        raise LessonError(_("{where}: a question with ask = \"{ask}\" needs its words: "
                            "prompt = \"...\"").format(where=where, ask=ask))
    return Question(step=step, ask=ask, scene=scene, tolerance=tolerance, prompt=prompt,
                    options=options, right=right)


def _options(table: dict, ask: str, where: str) -> tuple[tuple[str, ...], int | None]:
    """A choice question's options and the number of its right one (from 1), checked;
    neither key for any other kind."""
    if ask != "choice":
        for key in ("options", "answer"):
            if key in table:
                raise LessonError(_("{where}: '{key}' belongs to ask = \"choice\" "
                                    "questions").format(where=where, key=key))
        return (), None
    options = table.get("options")
    if not isinstance(options, list) or not 2 <= len(options) <= MOST_OPTIONS or not all(
            isinstance(option, str) and 0 < len(" ".join(option.split())) <= MOST_OPTION
            for option in options):
        raise LessonError(_("{where}: 'options' must be a list of 2 to {most} answers, each "
                            "1 to {longest} characters: options = [\"...\", \"...\"]")
                          .format(where=where, most=MOST_OPTIONS, longest=MOST_OPTION))
    options = tuple(" ".join(option.split()) for option in options)
    right = _typed(table.get("answer"), int, where, "answer", N_("a whole number"),
                   required=True)
    if not 1 <= right <= len(options):
        raise LessonError(_("{where}: 'answer' is the number of the right option, 1 to "
                            "{count}; got {value}").format(where=where, count=len(options),
                                                           value=right))
    return options, right


# -- answers -------------------------------------------------------------------------------
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


def _numbers(given) -> list[float]:
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


def _option(given, options) -> int:
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
