"""Lessons: every built-in one loads, runs and answers its questions from the run; answers
are the run's own numbers (checked against the update rule and the loss computed anew);
a bad lesson file is one line and exit 2; worksheets and notebooks hold what they say."""
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gdviz import lessons
from gdviz.lessons import DIRECTIONS, LessonError, Question, answer, load
from gdviz.scene import Scene

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", list(lessons.builtin()))
def test_every_built_in_lesson_loads_runs_and_answers_from_its_run(name):
    lesson = lessons.load(name).check()
    assert lesson.title and len(lesson.text) > 100 and lesson.questions
    for question, found in zip(lesson.questions, lesson.answers()):
        trace = lesson.traces()[question.scene]
        k = question.step
        if question.ask == "next_params":
            np.testing.assert_array_equal(found.value, trace.params[k + 1])
        elif question.ask == "next_loss":  # the loss computed anew at the new point
            assert found.value == pytest.approx(trace.problem.loss(trace.params[k + 1]),
                                                rel=1e-12)
        elif question.ask == "diverges":
            assert found.value == (trace.stop_reason == "diverged")
        elif question.ask == "stops_at":
            assert found.value == trace.iterations
        assert found.check(found.text).right, (name, question, found.text)
        assert found.prompt and found.working


def test_the_built_in_lessons_cover_the_course_in_order():
    assert list(lessons.builtin()) == ["blog", "learning-rate", "stop-rule", "ravines",
                                       "momentum", "adaptive", "stochastic", "saddles",
                                       "logistic", "network"]
    blog = lessons.load("blog")
    assert blog.traces()[0].iterations == 1161  # the blog's own run
    rates = lessons.load("learning-rate")
    limit = rates.traces()[0].problem.max_stable_learning_rate
    assert [s.lr < limit for s in rates.scenes] == [True, True, False]
    assert [t.stop_reason == "diverged" for t in rates.traces()] == [False, False, True]


def test_the_blogs_first_step_is_the_blogs_update_rule():
    lesson = lessons.load("blog")
    trace = lesson.traces()[0]
    problem = trace.problem
    b0, b1 = trace.params[0]
    residual = b0 + b1 * problem.x - problem.y
    expected = [b0 - 0.005 * residual.mean(), b1 - 0.005 * (residual * problem.x).mean()]
    found = lesson.answers()[0]
    np.testing.assert_allclose(found.value, expected, rtol=1e-12)
    assert found.check(f"{expected[0]:.4f}, {expected[1]:.4f}").right
    assert found.check(f"b0 = {expected[0]:.4f}; b1 = {expected[1]:.4f}").right
    stayed = found.check(f"{b0}, {b1}")  # no step at all: off by the whole step
    assert not stayed.right
    assert stayed.off == pytest.approx(max(abs(expected[0] - b0), abs(expected[1] - b1)))
    assert "yours is off by" in stayed.words


def test_a_direction_on_a_function_is_judged_to_scale():
    """x and y of a function share units: the contour is drawn to scale (a 2:1 bowl looks
    2:1) and the step's direction is its true angle."""
    trace = Scene.of("quadratic", lr=0.21, max_iter=50).run()
    found = answer(Question(step=3, ask="direction"), trace)
    move = trace.params[4] - trace.params[3]
    angle = math.degrees(math.atan2(move[1], move[0])) % 360
    assert found.value == pytest.approx(angle)
    nearest = DIRECTIONS[round(angle / 45) % 8]
    assert found.text == nearest and found.check(nearest).right
    opposite = DIRECTIONS[(round(angle / 45) + 4) % 8]
    verdict = found.check(opposite.upper())
    assert not verdict.right and verdict.off > 130
    with pytest.raises(ValueError, match="answer one of"):
        found.check("north")


def test_a_direction_between_a_models_parameters_is_judged_on_the_panel_as_drawn():
    """An intercept and a slope do not share units: the panel gives each axis its window,
    and the direction is the angle seen there."""
    from gdviz.views.window import sensible_window

    trace = Scene.of("linear", lr=0.5, max_iter=50).run()
    found = answer(Question(step=2, ask="direction"), trace)
    move = trace.params[3] - trace.params[2]
    (x0, x1), (y0, y1) = sensible_window(trace, 0, 1)
    angle = math.degrees(math.atan2(move[1] / (y1 - y0), move[0] / (x1 - x0))) % 360
    assert found.value == pytest.approx(angle)
    assert abs(angle - math.degrees(math.atan2(move[1], move[0])) % 360) > 1  # not the same


@pytest.mark.parametrize("text, message", [
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\nlrr = 0.1\n',
     "[[scene]] 0: unknown key 'lrr'; did you mean 'lr'?"),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\nlr = "fast"\n',
     "[[scene]] 0: 'lr' must be a number, got 'fast'"),
    ('title = "x"\n[[scene]]\nproblem = "quadratc"\n',
     "[[scene]] 0: unknown model 'quadratc'; did you mean 'quadratic'?"),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\nlr = -1\n',
     "[[scene]] 0: lr must be a positive number"),
    ('titel = "x"\n[[scene]]\nproblem = "quadratic"\n',
     "unknown key 'titel' at the top; did you mean 'title'?"),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\nmax_iter = 20\n'
     '[[question]]\nstep = 50\nask = "next_loss"\n',
     "[[question]] 1: step 50 is past the end of scene 0's run (20 iterations)"),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\n[[question]]\nstep = 1\nask = "next_los"\n',
     "[[question]] 1: 'ask' must be one of next_params, next_loss, direction, diverges, "
     "stops_at, choice, explain, got 'next_los'; did you mean 'next_loss'?"),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\n[[question]]\nask = "choice"\n'
     'options = ["a", "b"]\nanswer = 1\n',
     '[[question]] 1: a question with ask = "choice" needs its words: prompt = "..."'),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\n[[question]]\nask = "choice"\n'
     'prompt = "Which?"\noptions = ["only one"]\nanswer = 1\n',
     "[[question]] 1: 'options' must be a list of 2 to 8 answers, each 1 to 120 characters"),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\n[[question]]\nask = "choice"\n'
     'prompt = "Which?"\noptions = ["a", "b"]\nanswer = 3\n',
     "[[question]] 1: 'answer' is the number of the right option, 1 to 2; got 3"),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\n[[question]]\nask = "choice"\n'
     'prompt = "Which?"\noptions = ["a", "b"]\n',
     "[[question]] 1: 'answer' is missing: it must be a whole number"),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\n[[question]]\nstep = 1\n'
     'ask = "next_loss"\noptions = ["a", "b"]\n',
     "[[question]] 1: 'options' belongs to ask = \"choice\" questions"),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\n[[question]]\nask = "explain"\n',
     '[[question]] 1: a question with ask = "explain" needs its words: prompt = "..."'),
    ('title = "x"\n[[scene]]\nproblem = "quadratic"\n[[question]]\nstep = 1\nask = "direction"'
     '\nscene = 2\n', "[[question]] 1: 'scene' is 2, but the lesson has scenes 0 to 0"),
    ('title = "x"\n[[scene]]\nproblem = "mlp"\nmax_iter = 5\n[[question]]\nstep = 1\n'
     'ask = "next_params"\n', "next_params asks for all 25 parameters"),
    ('title = "x\n', "not valid TOML"),
    ('title = "x"\n', "a lesson needs at least one [[scene]] table"),
])
def test_a_bad_lesson_file_is_refused_in_one_line_naming_file_table_and_key(tmp_path, text,
                                                                            message):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(LessonError) as error:
        lessons.load(path).check()
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)
    done = subprocess.run([sys.executable, "-m", "gdviz", "lesson", str(path), "--no-show"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert list(tmp_path.iterdir()) == [path]  # nothing written


def test_a_lesson_file_of_ones_own_is_taught_like_a_built_in(tmp_path):
    path = tmp_path / "bowl.toml"
    path.write_text('title = "My bowl"\ntext = "Watch it."\n[[scene]]\nlabel = "slow"\n'
                    'problem = "quadratic"\nlr = 0.05\nmax_iter = 40\n[[scene]]\n'
                    'problem = "quadratic"\noptimizer = "adam"\nlr = 0.3\nmax_iter = 40\n'
                    '[[question]]\nstep = 2\nask = "next_loss"\nscene = 1\ntolerance = 0.5\n')
    lesson = lessons.load(path).check()
    assert lesson.labels == ["slow", "adam, lr 0.3"] and lesson.groups() == [[0, 1]]
    found = lesson.answers()[0]
    assert found.tolerance == 0.5 and found.value == lesson.traces()[1].loss[3]
    done = subprocess.run([sys.executable, "-m", "gdviz", "lesson", str(path), "--no-show",
                           "--save", "out.gif", "--frames", "8", "--quiet", "--answers"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"answer: {found.text}" in done.stdout and (tmp_path / "out.gif").stat().st_size > 0


def test_the_worksheet_has_a_page_per_question_blanks_and_the_computed_answer_key(tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed: the worksheet's text "
                                "was not checked (pip install -e '.[test]')")
    target = tmp_path / "momentum.pdf"
    done = subprocess.run([sys.executable, "-m", "gdviz", "lesson", "momentum", "--worksheet",
                           str(target)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lesson = lessons.load("momentum")
    pages = [page.extract_text() for page in pypdf.PdfReader(target).pages]
    questions = len(lesson.questions)
    assert len(pages) >= 2 + questions and "Momentum" in pages[0]
    for n, found in enumerate(lesson.answers(), start=1):
        page = pages[n]
        assert f"Question {n} of {questions}" in page and found.prompt in page.replace("\n", " ")
        if found.question.ask.startswith("next_"):  # not on the question's page
            assert found.text not in page and f"{np.ravel(found.value)[0]:.6g}" not in page
    assert "________" in pages[1]  # the new parameters are blanks to fill in
    key = "\n".join(pages[1 + questions:])
    assert "Answer key" in key
    for found in lesson.answers():
        assert f"Answer: {found.text}" in key
    # At least 4 significant digits: the answer's own numbers, as the run has them.
    first = lesson.answers()[0]
    assert f"{first.value[0]:.6g}" in key and len(f"{first.value[0]:.6g}".strip("-.0")) >= 4


def test_a_worksheet_key_apart_or_none_two_questions_a_page_and_what_each_stands_on(
        tmp_path):
    """--key separate writes NAME-key.pdf and no key in the sheet; --key none no key at
    all; --compact two questions a page; each question says its loss, start, optimizer and
    stop rule, never its run's label; a choice's options are printed to tick."""
    pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed: the worksheet's text "
                                "was not checked (pip install -e '.[test]')")
    from lesson_files import LESSON

    own = tmp_path / "bowl.toml"
    own.write_text(LESSON, encoding="utf-8")
    lesson = lessons.load(own).check()

    def sheet(*options):
        target = tmp_path / "sheet.pdf"
        for old in tmp_path.glob("sheet*.pdf"):
            old.unlink()
        done = subprocess.run([sys.executable, "-m", "gdviz", "lesson", str(own),
                               "--worksheet", str(target), *options],
                              capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return [page.extract_text() for page in pypdf.PdfReader(target).pages], done.stdout

    pages, said = sheet("--key", "separate")
    assert len(pages) == 1 + 3 and not any("Answer key" in page for page in pages)
    assert f"answer key:  {tmp_path / 'sheet-key.pdf'}" in said
    key = " ".join(page.extract_text() for page in
                   pypdf.PdfReader(tmp_path / "sheet-key.pdf").pages)
    assert "Answer key" in key and "Answer: 2. zig-zag but arrive" in key
    first = pages[1]
    # [[question]] scene = 1 is the second [[scene]]: run 2 where students read it.
    for words in ("Run 2, at iteration 0", "loss: f = 0.5*d^T A d", "start: x = -4, y = 3",
                  "optimizer: gd, lr 0.18", "stop rule: at most 100 iterations"):
        assert words in first, (words, first)
    assert "rate 0.18" not in first  # the run's label is not on the question's page
    assert "☐  1. crawl" in pages[2] and "☐  3. fly off" in pages[2]
    assert first.count("loss (log scale)") == 1 and "\nloss\n" not in first

    pages, _said = sheet("--key", "none", "--compact")
    assert len(pages) == 1 + 2  # the first page, then questions 1-2 and 3
    assert "Question 1 of 3" in pages[1] and "Question 2 of 3" in pages[1]
    assert "Question 3 of 3" in pages[2] and not any("Answer key" in p for p in pages)
    assert not (tmp_path / "sheet-key.pdf").exists()


def test_a_functions_contour_is_drawn_to_scale_on_the_worksheet():
    """x and y of the tilted bowl share units: its contour's panel keeps 1:1, so a step's
    direction is seen as the answer judges it; a model's b0 and b1 keep the panel's box."""
    from matplotlib.figure import Figure

    from gdviz.lessons.worksheet import PAPERS, _frame

    for problem, equal in (("quadratic", True), ("linear", False)):
        trace = Scene.of(problem, lr=0.1, max_iter=20).run()
        figure = Figure(figsize=PAPERS["a4"])
        _frame(figure, trace, 3, 0.8, 0.3, PAPERS["a4"])
        contour = next(ax for ax in figure.axes if "loss over" in ax.get_title())
        assert (contour.get_aspect() == 1.0) is equal


def test_a_worksheet_or_notebook_is_never_half_written(tmp_path):
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"mine")
    done = subprocess.run([sys.executable, "-m", "gdviz", "lesson", "blog", "--worksheet",
                           str(tmp_path / "sheet.txt")], capture_output=True, text=True)
    assert done.returncode == 2 and "must end in .pdf" in done.stderr
    assert target.read_bytes() == b"mine" and len(list(tmp_path.iterdir())) == 1


def shipped_notebooks(nbformat, lang: str) -> dict:
    """docs/lessons[/lang]'s notebooks by lesson name, each checked to be the one its
    lesson makes now (in the language spoken)."""
    from gdviz.lessons.notebook import make_notebook

    folder = REPO / "docs" / "lessons" / lang
    books = {}
    for number, name in enumerate(lessons.builtin(), start=1):
        shipped = nbformat.read(folder / f"{number:02d}-{name}.ipynb", as_version=4)
        fresh = make_notebook(lessons.load(name))
        assert [c.source for c in shipped.cells] == [c.source for c in fresh.cells], (
            f"{folder.relative_to(REPO)}/{number:02d}-{name}.ipynb is out of date: python -m "
            f"gdviz.lessons.notebook docs/lessons {lang}".rstrip())
        books[name] = shipped
    return books


def test_the_shipped_notebooks_are_the_lessons_own_and_execute():
    nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed: the lesson "
                                   "notebooks were not checked (pip install -e '.[test]')")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed: the lesson "
                                   "notebooks were not executed (pip install -e '.[test]')")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed: the lesson notebooks "
                        "were not executed (pip install -e '.[test]')")
    books = shipped_notebooks(nbformat, "")

    def execute(book):
        nbclient.NotebookClient(book, timeout=600, kernel_name="python3").execute()

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:  # two kernels at a time: the notebooks are independent
        list(pool.map(execute, books.values()))
    for name, shipped in books.items():
        lesson = lessons.load(name)
        printed = [o.get("text", "") for c in shipped.cells if c.cell_type == "code"
                   for o in c.outputs]
        shown = [o for c in shipped.cells if c.cell_type == "code" for o in c.outputs
                 if "text/html" in o.get("data", {})]
        # every picture displayed: each question's (cut at its step), each group's whole
        assert len(shown) == len(lesson.groups()) + len(lesson.questions)
        for found in lesson.answers():
            assert any(text.startswith(found.text + "\n") for text in printed)
        hidden = [c for c in shipped.cells if c.metadata.get("jupyter", {}).get("source_hidden")]
        assert len(hidden) == len(lesson.questions)


OWN_KINDS = """
title = "Own kinds"
[[scene]]
problem = "quadratic"
lr = 0.19
max_iter = 60

[[question]]
ask = "choice"
prompt = "Which will this run do?"
options = ["crawl", "zig-zag but arrive", "fly off"]
answer = 2

[[question]]
ask = "explain"
step = 3
prompt = "Why does it zig-zag?"
"""


def test_a_choice_is_the_teachers_right_option_by_number_or_words(tmp_path):
    path = tmp_path / "own.toml"
    path.write_text(OWN_KINDS, encoding="utf-8")
    lesson = load(path).check()
    choice, explain = lesson.answers()
    assert choice.question.step == 0  # the start, unless the question says
    assert choice.prompt == ("Which will this run do?  (1) crawl  (2) zig-zag but arrive  "
                             "(3) fly off")
    assert choice.text == "2. zig-zag but arrive"
    assert choice.check("2").right and choice.check(" Zig-zag  but arrive ").right
    assert choice.check("(2)").right
    wrong = choice.check("3")
    assert wrong.right is False and wrong.words == "not this time: 2. zig-zag but arrive"
    for unreadable in ("4", "0", "fast", ""):
        with pytest.raises(ValueError, match="answer with the number of one option, 1 to 3"):
            choice.check(unreadable)


def test_an_explanation_is_kept_not_graded(tmp_path):
    path = tmp_path / "own.toml"
    path.write_text(OWN_KINDS, encoding="utf-8")
    explain = load(path).check().answers()[1]
    assert explain.question.step == 3 and explain.prompt == "Why does it zig-zag?"
    verdict = explain.check("  the rate is just under 2/L,\n so each step overshoots ")
    assert verdict.right is None and verdict.off is None
    assert verdict.words == "kept: your teacher will read it"
    with pytest.raises(ValueError, match="write your answer in a few words"):
        explain.check("   ")
    with pytest.raises(ValueError, match="at most 400 characters"):
        explain.check("word " * 100)


def test_a_notebook_asks_before_it_plays_a_run_past_the_step():
    """Each question's picture is its runs cut at its step (``until``), its answer in a
    hidden cell; the whole runs are animated only after the group's questions."""
    pytest.importorskip("nbformat", reason="nbformat is not installed: the notebook was not "
                        "checked (pip install -e '.[notebook]')")
    from gdviz.lessons.notebook import make_notebook

    lesson = lessons.load("learning-rate")
    sources = [cell.source for cell in make_notebook(lesson).cells]
    hidden = [n for n, cell in enumerate(make_notebook(lesson).cells)
              if cell.metadata.get("tags") == ["hide-cell"]]
    assert len(hidden) == len(lesson.questions)
    for n, question in zip(hidden, lesson.questions):
        shown = sources[n - 1]
        assert f"run_1.until({question.step}), run_2.until({question.step}), " \
               f"run_3.until({question.step})" in shown
        assert "compare([run_1, run_2, run_3]" not in "\n".join(sources[:n])
    whole = next(n for n, source in enumerate(sources)
                 if "compare([run_1, run_2, run_3]" in source)
    assert whole > max(hidden)
