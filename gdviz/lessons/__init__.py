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
from dataclasses import dataclass, field, fields
from pathlib import Path

from .._validate import did_you_mean
from ..scene import Scene
from ..words.i18n import N_, _, listed
from ..words.fonts import cjk
# A question and its answer live in ``questions``; their names are the package's too.
from .questions import (ASKS, DIRECTIONS, MOST_ASKED, MOST_EXPLANATION, MOST_OPTION,  # noqa: F401
                        MOST_OPTIONS, OWN_ASKS, Answer, Question, Verdict, answer, fair,
                        run_number)

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: The folder of the built-in lessons: ``NN-name.toml``, taught in the order of NN.
FOLDER = Path(__file__).parent
TOP_KEYS = ("title", "text", "scene", "question")
SCENE_KEYS = tuple(f.name for f in fields(Scene)) + ("label",)
QUESTION_KEYS = ("step", "ask", "scene", "tolerance", "prompt", "options", "answer")
#: The longest question a teacher may write in their own words.
MOST_PROMPT = 300


class LessonError(ValueError):
    """A lesson file that cannot be taught, in one line naming the file, table and key."""



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
