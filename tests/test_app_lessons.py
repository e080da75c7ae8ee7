"""A teacher's own lessons in the app: ``gdviz app --lesson FILE.toml`` checks each file at
start (in the words ``gdviz lesson FILE`` uses, exit 2), offers it in the lesson picker,
and a link names it by the file's name, never by a path."""
import numpy as np
import pytest
from click.testing import CliRunner

from lesson_files import LESSON
from skip_reasons import PANEL

from gdviz.cli import cli
from gdviz.lessons import LessonError, builtin
from gdviz.lessons.library import Library


@pytest.fixture
def own(tmp_path):
    path = tmp_path / "bowl-rates.toml"
    path.write_text(LESSON, encoding="utf-8")
    return path


def invoke(*args):
    return CliRunner().invoke(cli, list(args), prog_name="gdviz")


def test_the_library_offers_the_built_in_lessons_then_the_teachers_by_file_name(own):
    library = Library([own])
    assert library.names == [*builtin(), "bowl-rates"] and library.own == ["bowl-rates"]
    lesson = library.load("bowl-rates")
    assert lesson.title == "Three rates on one bowl" and lesson.name == "bowl-rates"
    choices = library.choices()
    assert choices[f"{len(builtin()) + 1}. Three rates on one bowl"] == "bowl-rates"
    with pytest.raises(ValueError, match="unknown lesson '../bowl-rates'"):
        library.load("../bowl-rates")


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "nothere.toml", "nothere.toml: no such lesson file"),
    (lambda d: (d / "broken.toml", (d / "broken.toml").write_text(
        'title = "t"\ntext = "x"\n[[scene]]\nproblem = "quadratic"\nlr = -1\n'))[0],
     "broken.toml: [[scene]] 0: lr must be a positive number, got -1.0"),
    (lambda d: (d / "late.toml", (d / "late.toml").write_text(LESSON.replace(
        "step = 0", "step = 500")))[0], "step 500 is past the end of scene 1's run"),
])
def test_a_lesson_file_with_a_mistake_stops_the_app_at_start_as_gdviz_lesson_says_it(
        tmp_path, make, words):
    path = make(tmp_path)
    lesson = invoke("lesson", str(path), "--no-show")
    app = invoke("app", "--lesson", str(path), "--no-browser", "--port", "0")
    assert lesson.exit_code == app.exit_code == 2
    said = lesson.stderr.strip().split(": error: ", 1)[1]
    assert words in said
    assert app.stderr.strip() == f"gdviz app: error: {said}"  # the same words, one line


def test_a_built_in_name_or_a_name_taken_twice_is_refused(own, tmp_path):
    with pytest.raises(LessonError, match="'momentum' is a built-in lesson, offered already"):
        Library(["momentum"])
    twin = tmp_path / "momentum.toml"
    twin.write_text(LESSON, encoding="utf-8")
    with pytest.raises(LessonError, match="a lesson named 'momentum' is offered already"):
        Library([twin])
    with pytest.raises(LessonError, match="'bowl-rates' is offered already"):
        Library([own, own])


def test_a_page_offers_the_teachers_lesson_and_a_link_names_it_never_a_path(own):
    pytest.importorskip("panel", reason=PANEL)
    from gdviz.app.playground import Playground

    library = Library([own])
    app = Playground({"lesson": "bowl-rates", "question": "1"}, library=library)
    assert not app.error.visible, app.error.text
    assert "bowl-rates" in app.lesson.picker.options.values()
    assert app.lesson.text.text.startswith("Three rates on one bowl")
    lesson = library.load("bowl-rates")
    assert app.scene == lesson.scenes[1] and app.race == [lesson.scenes[0]]
    assert "lesson=bowl-rates&question=1" in app.figure.drawn_link.text
    # The answer is the lesson's own run's: checked and revealed as for a built-in lesson.
    trace = lesson.scenes[1].run()
    app.lesson.answer.value = ", ".join(f"{v:.6f}" for v in trace.params[1])
    app.lesson.check_answer()
    assert app.lesson.verdict.text.startswith("right"), app.lesson.verdict.text
    # Shown as far as question 2 (on the same run) allows: the asked step, not past it.
    np.testing.assert_array_equal(app.traces[0].params, trace.params[:2])
    for name in (str(own), "../bowl-rates", "bowl-rates.toml"):
        refused = Playground({"lesson": name}, library=library)
        assert refused.error.visible and "unknown lesson" in refused.error.text
    plain = Playground({"lesson": "bowl-rates"})  # a server without the file
    assert plain.error.visible and "unknown lesson 'bowl-rates'" in plain.error.text


def test_the_teachers_own_kinds_in_the_page_a_choice_graded_an_explanation_kept(
        own, tmp_path):
    """ask = "choice": the options in the question's words, an answer by number or words,
    graded against the teacher's; ask = "explain": kept as the student wrote it, right
    left empty, not in the score; both kept in the class's answers."""
    pytest.importorskip("panel", reason=PANEL)
    from gdviz.app.playground import Playground
    from gdviz.lessons.classbook import Classbook

    library, book = Library([own]), Classbook(tmp_path / "class.sqlite3")
    app = Playground({"lesson": "bowl-rates", "question": "2", "name": "Ana"},
                     library=library, classbook=book)
    assert not app.error.visible, app.error.text
    assert "2. run 2 (rate 0.18), iteration 0: choose an answer" in app.lesson.question.options
    assert app.figure.caption.text == ("What will the 0.18 run do?  (1) crawl  (2) zig-zag "
                                       "but arrive  (3) fly off")
    assert app.lesson.answer.placeholder.startswith("the number of your choice")
    app.lesson.answer.value = "7"
    app.lesson.check_answer()
    assert app.lesson.refusal.text == "answer with the number of one option, 1 to 3"
    app.lesson.answer.value = "2"
    app.lesson.check_answer()
    assert app.lesson.verdict.text == "right: 2. zig-zag but arrive"
    assert app.lesson.score.text == "score: 1 of 1"
    app.lesson._next_question()
    assert app.lesson.kind() == "explain"
    assert app.figure.caption.text == "In your words: why does it zig-zag?"
    app.lesson.answer.value = "each step overshoots the valley floor"
    app.lesson.check_answer()
    assert app.lesson.verdict.text == "kept: your teacher will read it"
    assert app.lesson.score.text == "score: 1 of 1"  # not scored
    kept = [(a.question, a.answer, a.right) for a in book.answers("bowl-rates")]
    assert kept == [(2, "2", True), (3, "each step overshoots the valley floor", None)]


def test_a_real_server_offers_the_teachers_lesson_by_name(own):
    pytest.importorskip("panel", reason=PANEL)
    import asyncio

    from browser import AppServer, LightPage

    app = AppServer(args=["--lesson", str(own), "--processes", "1"])
    try:
        lines = [app.process.stdout.readline()]
        while "your lessons" not in lines[-1] and len(lines) < 40:  # past the QR code
            lines.append(app.process.stdout.readline())
        line = lines[-1]
        assert f"gdviz app: the class's answers are kept in {app.class_db}\n" in lines, lines
        assert f"your lessons: bowl-rates (in the lesson picker; a link to one: " \
               f"{app.url}?lesson=bowl-rates)" in line, line
        async def opened():
            page = await LightPage(app.url, "?lesson=bowl-rates").open()
            page.close()
            return page

        page = asyncio.run(opened())
        assert "Three rates on one bowl" in str(page.document)  # the lesson's text, drawn
    finally:
        code, _out = app.stop()
    assert code == 0


def test_a_students_answer_to_a_lessons_question_is_kept_under_their_name(own, tmp_path):
    pytest.importorskip("panel", reason=PANEL)
    from gdviz.app.playground import Playground
    from gdviz.lessons.classbook import Classbook

    book = Classbook(tmp_path / "class.sqlite3")
    library = Library([own])
    trace = library.load("bowl-rates").scenes[1].run()
    right = ", ".join(f"{v:.6f}" for v in trace.params[1])
    app = Playground({"lesson": "bowl-rates", "question": "1"}, library=library,
                     classbook=book)
    app.lesson.answer.value = right
    app.lesson.check_answer()  # no name yet: said, not kept, not revealed
    assert app.error.visible and "type your name first" in app.error.text
    assert app.lesson.score.text == "" and app.lesson.hidden is not None
    assert book.answers() == []
    app.lesson.name.value = "Ana"
    app.lesson.check_answer()
    assert app.lesson.verdict.text.startswith("right") and app.lesson.score.text == "score: 1 of 1"
    named = Playground({"lesson": "bowl-rates", "question": "1", "name": "Li  Wei"},
                       library=library, classbook=book)
    assert named.lesson.name.value == "Li Wei"
    named.lesson.answer.value = "0, 0"
    named.lesson.check_answer()
    rows = book.answers("bowl-rates")
    assert [(r.student, r.question, r.answer, r.right) for r in rows] == [
        ("Ana", 1, right, True), ("Li Wei", 1, "0, 0", False)]
    # A prediction of the student's own (no lesson question) is not the class's.
    free = Playground({"problem": "booth", "predict": "1", "step": "0", "ask": "next_loss",
                       "name": "Ana"}, classbook=book)
    free.lesson.answer.value = "1"
    free.lesson.check_answer()
    assert free.lesson.score.text == "score: 0 of 1" and len(book.answers()) == 2


def test_enter_submits_a_refusal_is_said_beside_the_box_and_next_moves_on(tmp_path):
    pytest.importorskip("panel", reason=PANEL)
    from gdviz.app.playground import Playground

    path = tmp_path / "two.toml"
    first = LESSON[:LESSON.index('[[question]]\nscene = 1\nask = "choice"')]  # question 1
    path.write_text(first + '\n[[question]]\nscene = 0\nstep = 2\nask = "next_loss"\n',
                    encoding="utf-8")
    library = Library([path])
    app = Playground({"lesson": "two", "question": "1"}, library=library)
    assert app.lesson.next.visible
    app.lesson.answer.value = "a lot"
    app.lesson.answer.param.trigger("enter_pressed")  # Enter in the box
    assert "an answer here is numbers" in app.lesson.refusal.text
    assert app.lesson.score.text == "" and app.lesson.hidden is not None
    app.lesson.answer.value = "0, 0"
    app.lesson.answer.param.trigger("enter_pressed")
    assert app.lesson.verdict.text.startswith("not this time") and app.lesson.refusal.text == ""
    app.lesson.next.clicks += 1  # "next question"
    lesson = library.load("two")
    assert app.lesson.question.value == 2 and app.scene == lesson.scenes[0]
    assert not app.lesson.next.visible  # the last question
    assert app.lesson.predict().ask == "next_loss" and app.lesson.predict().step == 2


def test_no_spoiler_before_the_answer_no_2_over_l_and_no_download():
    """The learning-rate lesson's second question asks whether the 0.21 run diverges: the
    note under the rate (2/L = 0.2, "diverges here") and a download of the run would say
    it. Neither, until the student has answered."""
    pytest.importorskip("panel", reason=PANEL)
    import asyncio

    from gdviz.app.playground import Playground

    app = Playground({"lesson": "learning-rate", "question": "2", "name": "Ana"})
    assert app.lesson.predict().ask == "diverges" and app.controls.lr_exact.value == 0.21
    assert "2/L" not in app.controls.lr_note.text and "diverges" not in app.controls.lr_note.text
    assert "once you have answered" in app.controls.lr_note.text
    for button in app.downloads:
        assert asyncio.run(button.callback()) is None
    assert "answer first" in app.lesson.refusal.text and app.error.visible
    app.lesson.answer.value = "yes"
    app.lesson.check_answer()
    assert app.lesson.verdict.text == "right: yes"
    assert "0.21 is above 2/L = 0.2" in app.controls.lr_note.text  # said once answered


def test_revealing_a_question_shows_each_run_only_up_to_the_next_question_on_it():
    """Question 1 of the learning-rate lesson asks about the 0.15 run's first step; the
    next questions ask whether 0.21 (question 2) and 0.01 (question 3) diverge, from their
    starts. Revealing question 1 shows the 0.15 run whole, the other two only at their
    start, each saying so; revealing question 2 shows 0.21 up to question 4's step."""
    pytest.importorskip("panel", reason=PANEL)
    from gdviz.app.playground import Playground
    from gdviz.lessons import load

    lesson = load("learning-rate")
    whole = [trace.iterations for trace in lesson.traces()]
    app = Playground({"lesson": "learning-rate", "question": "1", "name": "Ana"})
    assert app.lesson.predict().reveal_until == (None, (0, 3), (0, 2))
    app.lesson.answer.value = ", ".join(f"{v:.6f}" for v in lesson.traces()[1].params[1])
    app.lesson.check_answer()
    assert app.lesson.verdict.text.startswith("right")
    shown = [len(app.figure.fulls[r].data["x"]) for r in range(3)]
    assert shown == [whole[1] + 1, 1, 1]  # the page's runs: 0.15, then 0.01 and 0.21
    assert "the rest after question 3" in app.status.text
    assert "the rest after question 2" in app.status.text
    assert "DIVERGED" not in app.status.text
    app.lesson._next_question()  # question 2: does 0.21 diverge?
    assert app.lesson.predict().reveal_until == ((3, 4), (0, 3), None)
    app.lesson.answer.value = "yes"
    app.lesson.check_answer()
    shown = [len(app.figure.fulls[r].data["x"]) for r in range(3)]
    assert shown == [3 + 1, 1, whole[1] + 1]  # 0.21 to step 3, 0.01 at its start


def test_a_question_in_the_teachers_own_words(tmp_path):
    """``prompt = "..."`` replaces gdviz's words for the question everywhere it is asked:
    the command line, the notebook and the page (the answer is still the run's)."""
    pytest.importorskip("panel", reason=PANEL)
    from gdviz.app.playground import Playground
    from gdviz.lessons.notebook import write_notebook

    words = "Pencil first: where does the point land after one step?"
    path = tmp_path / "own-words.toml"
    path.write_text(LESSON.replace('ask = "next_params"', f'ask = "next_params"\nprompt = '
                                   f'"{words}"'), encoding="utf-8")
    said = invoke("lesson", str(path), "--no-show")
    assert said.exit_code == 0 and f"question 1 (run 2, rate 0.18): {words}" in said.stdout
    book = tmp_path / "own-words.ipynb"
    write_notebook(Library([path]).load("own-words"), book)
    assert words in book.read_text(encoding="utf-8")
    app = Playground({"lesson": "own-words", "question": "1"}, library=Library([path]))
    assert app.figure.caption.text == words and app.drawn.predict["prompt"] == words
    for bad in ('prompt = ""', 'prompt = 3', 'prompt = "' + "x" * 301 + '"'):
        path.write_text(LESSON.replace('ask = "next_params"', f'ask = "next_params"\n{bad}'),
                        encoding="utf-8")
        refused = invoke("lesson", str(path), "--no-show")
        assert refused.exit_code == 2 and "[[question]] 1: 'prompt'" in refused.stderr, \
            refused.stderr


def test_runs_are_counted_from_one_where_people_read_them(tmp_path):
    """The file's ``scene = 1`` is the second [[scene]]: run 2 in the answers, and
    ``--run 2`` draws that run alone; a run the
    lesson has not is one line, exit 2."""
    from gdviz.lessons import load

    lesson = load("learning-rate")
    target = tmp_path / "second.png"
    said = invoke("lesson", "learning-rate", "--run", "2", "--no-show", "--save", str(target))
    assert said.exit_code == 0, said.output
    assert "runs:        2. rate 0.15\n" in said.stdout and target.stat().st_size > 0
    assert lesson.labels[1] == "rate 0.15" and lesson.scenes[1].lr == 0.15
    for wrong in ("0", "4"):
        said = invoke("lesson", "learning-rate", "--run", wrong, "--no-show")
        assert said.exit_code == 2 and "--run" in said.output and "Traceback" not in said.output
    assert "1 to 3" in said.output
