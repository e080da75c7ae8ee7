"""The class's answers in SQLite: kept whole when many processes answer at once, found
again after a restart, exported as CSV with the header the teacher's spreadsheet expects
(and no student's text run as a formula there)."""
import csv
import datetime
import io
import multiprocessing

import pytest

from gdviz.lessons.classbook import COLUMNS, Classbook, student_name

WRITES = 40


def _answer_many(path, student):
    book = Classbook(path)
    for k in range(WRITES):
        book.add(student, "bowl", 1 + k % 3, f"{k}, {-k}", k % 2 == 0)
    book.close()


def test_many_processes_answering_at_once_keep_every_answer_whole(tmp_path):
    path = tmp_path / "class.sqlite3"
    Classbook(path)
    students = [f"student {n}" for n in range(6)]
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_answer_many, args=(path, name)) for name in students]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    kept = Classbook(path).answers()  # a new connection: as after a restart
    assert len(kept) == WRITES * len(students)
    for name in students:
        mine = [row for row in kept if row.student == name]
        assert [row.answer for row in mine] == [f"{k}, {-k}" for k in range(WRITES)]
        assert [row.right for row in mine] == [k % 2 == 0 for k in range(WRITES)]


def test_answers_outlive_the_book_and_export_as_csv(tmp_path):
    path = tmp_path / "class.sqlite3"
    book = Classbook(path)
    when = datetime.datetime(2026, 12, 5, 9, 30, 5, tzinfo=datetime.timezone.utc)
    book.add("  Ana  María ", "bowl-rates", 1, "2.4, 0.2", True, when=when)
    book.add("Li Wei", "bowl-rates", 2, "=HYPERLINK(\"http://x\")", False, when=when)
    book.add("Li Wei", "momentum", 1, "-0.3", None, when=when)
    book.add("Li Wei", "momentum", 2, "-2.06, -0.02", True, when=when)
    book.add("Li Wei", "momentum", 3, "-1+cmd|' /C calc'!A0", False, when=when)
    book.close()
    again = Classbook(path)
    rows = list(csv.reader(io.StringIO(again.csv())))
    assert tuple(rows[0]) == COLUMNS == ("student", "lesson", "question", "answer", "right",
                                         "time")
    assert rows[1] == ["Ana María", "bowl-rates", "1", "2.4, 0.2", "1", "2026-12-05T09:30:05Z"]
    assert rows[2][3] == "'=HYPERLINK(\"http://x\")" and rows[2][4] == "0"  # text, not a formula
    assert rows[3][3] == "-0.3" and rows[3][4] == ""  # a number stays one; not graded: empty
    assert rows[4][3] == "-2.06, -0.02"  # a predicted point: numbers, which call nothing
    assert rows[5][3] == "'-1+cmd|' /C calc'!A0"
    assert [row.question for row in again.answers("bowl-rates")] == [1, 2]


@pytest.mark.parametrize("name", ["", "   ", "\x07"])
def test_a_name_is_needed_and_kept_short(name):
    with pytest.raises(ValueError, match="type your name first"):
        student_name(name)
    assert student_name("x" * 100) == "x" * 40


def test_a_file_that_cannot_be_written_is_one_line(tmp_path):
    with pytest.raises(ValueError, match="cannot keep the class's answers there"):
        Classbook(tmp_path / "no" / "such" / "folder" / "class.sqlite3")
