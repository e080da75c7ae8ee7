"""A class on gdviz, end to end: a teacher's own lesson served, two students answering on
a phone-sized and a laptop-sized page in Chromium, the teacher's page showing what the
class answered, the answers downloaded as CSV, and, after a restart of the server, every
answer found again in the same SQLite file."""
import csv
import http.client
import io
import re
from urllib.parse import urlsplit

import pytest

from skip_reasons import PANEL

pytest.importorskip("panel", reason=PANEL)

from browser import READY, AppServer  # noqa: E402
from gdviz.lessons.library import Library  # noqa: E402
from lesson_files import LESSON  # noqa: E402

TOKEN = "teacher-secret-1"


def get(server, path):
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8")


def student_answers(browser, server, name, given, viewport):
    page = browser.new_page(viewport=viewport)
    page.goto(server.url + f"?lesson=bowl&question=1&name={name}")
    page.wait_for_function(READY, timeout=60_000)
    page.get_by_placeholder("the new parameters").fill(given)
    page.get_by_role("button", name="check, then reveal").click()
    page.wait_for_function("() => Bokeh.documents[0].get_model_by_name('score').text"
                           ".startsWith('score')", timeout=30_000)
    verdict = page.evaluate("() => Bokeh.documents[0].get_model_by_name('verdict').text")
    page.close()
    return verdict


def teachers_words(browser, server, token=TOKEN):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(server.url + f"teacher?token={token}")
    texts = ("() => window.Bokeh && Bokeh.documents.length ? [...Bokeh.documents[0].all_models]"
             ".filter(m => typeof m.text === 'string').map(m => m.text).join('\\n') : ''")
    page.wait_for_function(f"() => ({texts})().includes('students answered')",
                           timeout=60_000)
    words = page.evaluate(texts)
    page.close()
    return words


def test_two_students_answer_the_teacher_sees_it_and_a_restart_keeps_it(browser, tmp_path):
    lesson_file = tmp_path / "bowl.toml"
    lesson_file.write_text(LESSON, encoding="utf-8")
    database = tmp_path / "class.sqlite3"
    args = ["--lesson", str(lesson_file), "--processes", "1", "--class-db", str(database),
            "--teacher-token", TOKEN]
    true = Library([lesson_file]).load("bowl").answers()[0].value
    server = AppServer(args=args)
    try:
        said = "".join(server.said + [server.process.stdout.readline() for _ in range(3)])
        assert re.search(rf"teacher: {re.escape(server.url)}teacher\?token={TOKEN}", said), said
        assert f"students: {server.url}" in said
        assert student_answers(browser, server, "Ana", f"{true[0]:.6f}, {true[1]:.6f}",
                               {"width": 390, "height": 844}).startswith("right")
        assert student_answers(browser, server, "Li", "0, 0",
                               {"width": 1366, "height": 768}).startswith("not this time")
        words = teachers_words(browser, server)
        assert "2 students answered (2 answers); right: 50%" in words, words
        for path in ("/teacher", "/teacher?token=wrong", "/teacher/answers.csv",
                     "/teacher/answers.csv?token=" + TOKEN[:-1]):
            status, body = get(server, path)
            assert status == 403 and "students answered" not in body and "Ana" not in body
        status, body = get(server, f"/teacher/answers.csv?token={TOKEN}")
        assert status == 200
    finally:
        code, _out = server.stop()
    assert code == 0
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["student", "lesson", "question", "answer", "right", "time"]
    assert [row[:3] + row[4:5] for row in rows[1:]] == [["Ana", "bowl", "1", "1"],
                                                         ["Li", "bowl", "1", "0"]]
    again = AppServer(args=args)  # the same file: every answer there again
    try:
        status, page = get(again, f"/teacher?token={TOKEN}")  # before any student's page
        assert status == 200 and "/gdviz-fonts/" in page  # draws Chinese with no CJK font
        status, body_again = get(again, f"/teacher/answers.csv?token={TOKEN}")
        assert status == 200 and body_again == body
        assert "2 students answered (2 answers); right: 50%" in teachers_words(browser, again)
    finally:
        again.stop()


def test_the_teachers_page_asks_for_a_lessons_questions_once_while_they_run(tmp_path):
    """The page refreshes every 2 s; a second ask of the same owner would stop the
    running one, so a lesson slower than 2 s to run (a fresh worker on a busy machine)
    would never be shown. It is asked once, and again only after an answer or failure."""
    import concurrent.futures

    from gdviz.app.teacher import TeacherPage, question_truths
    from gdviz.lessons.classbook import Classbook

    path = tmp_path / "bowl.toml"
    path.write_text(LESSON, encoding="utf-8")
    classbook = Classbook(tmp_path / "class.sqlite3")
    classbook.add("Ana", "bowl", 1, "0, 0", False)

    class Runner:
        def __init__(self):
            self.asked = []

        def submit(self, owner, heavy, function, *args, **options):
            self.asked.append(concurrent.futures.Future())
            return self.asked[-1]

    runner = Runner()
    page = TeacherPage(classbook, Library([path]), runner, "http://class/")
    for _ in range(3):
        page.refresh()
    assert len(runner.asked) == 1 and page.questions.objects == []
    runner.asked[0].set_exception(RuntimeError("the worker died"))
    page.refresh()  # failed: asked again
    assert len(runner.asked) == 2
    runner.asked[1].set_result(question_truths(str(path)))
    page.refresh(force=True)
    assert len(runner.asked) == 2
    shown = [m.object.text for m in page.questions.objects[0].objects]
    assert shown[1].startswith("1 student answered (1 answer); right: 0%"), shown


def test_the_teachers_page_counts_each_option_and_lists_each_explanation(tmp_path):
    """A choice: a bar per option in the lesson's order, answers by number or by words
    counted together, the right one black. An explanation: each student's latest words,
    as text (never HTML)."""
    from lesson_files import LESSON

    from gdviz.app.teacher import TeacherPage, question_truths
    from gdviz.lessons.classbook import Answered

    path = tmp_path / "bowl.toml"
    path.write_text(LESSON, encoding="utf-8")
    truths = question_truths(str(path))
    choice, explain = truths[1], truths[2]
    assert choice["options"] == ["crawl", "zig-zag but arrive", "fly off"]
    rows = [Answered("Ana", "bowl", 2, "2", True, "t"),
            Answered("Ben", "bowl", 2, "Zig-zag but arrive", True, "t"),
            Answered("Cy", "bowl", 2, "3", False, "t"),
            Answered("Di", "bowl", 2, "nonsense", None, "t")]
    chart = TeacherPage._chart(None, choice, rows)
    data = chart.renderers[0].data_source.data
    assert list(data["x"]) == ["1. crawl", "2. zig-zag but arrive", "3. fly off"]
    assert list(data["top"]) == [0, 2, 1]
    assert list(data["colour"]) == ["#56B4E9", "black", "#56B4E9"]
    said = [Answered("Ana", "bowl", 3, "first try", None, "t"),
            Answered("Ben", "bowl", 3, "<b>it overshoots</b>", None, "t"),
            Answered("Ana", "bowl", 3, "it overshoots the floor", None, "t")]
    words = TeacherPage._chart(None, explain, said)
    assert words.render_as_text
    assert words.text == "Ana: it overshoots the floor\nBen: <b>it overshoots</b>"


def test_predictions_off_the_picture_are_counted_not_dropped(tmp_path):
    from lesson_files import LESSON

    from gdviz.app.teacher import TeacherPage, question_truths
    from gdviz.lessons.classbook import Answered

    path = tmp_path / "bowl.toml"
    path.write_text(LESSON, encoding="utf-8")
    truth = question_truths(str(path))[0]
    (x_low, x_high), (y_low, y_high) = truth["limits"]
    inside = f"{(x_low + x_high) / 2}, {(y_low + y_high) / 2}"
    rows = [Answered("Ana", "bowl", 1, inside, False, "t"),
            Answered("Ben", "bowl", 1, f"{x_high + 100}, 0", False, "t"),
            Answered("Cy", "bowl", 1, "not numbers", None, "t")]
    chart = TeacherPage._chart(None, truth, rows)
    assert [title.text for title in chart.above if title is not chart.title] == [
        "1 prediction off the picture"]
    dots = next(r for r in chart.renderers if r.data_source.data.get("x") and
                len(r.data_source.data["x"]) == 2)
    assert list(dots.data_source.data["x"]) == [(x_low + x_high) / 2, x_high + 100]


def test_the_teachers_picture_holds_the_step_and_the_minimum_a_guess_often_lands_on():
    """The window of a next_params picture: the step's start and end, and the nearest
    minimum when it is within four steps (else the picture would be all minimum)."""
    from gdviz.app.teacher import prediction_window

    (x_low, x_high), (y_low, y_high) = prediction_window([-4, 3], [-2, 1], [[0, 0]])
    assert x_low < -4 and x_high > 0 and y_low < 0 and y_high > 3
    far = prediction_window([-4, 3], [-3.9, 2.9], [[0, 0]])  # a step of 0.1: 40 steps off
    assert far[0][1] < -3 and far[1][0] > 2
    assert prediction_window([-4, 3], [-2, 1]) == prediction_window([-4, 3], [-2, 1], [])
