"""The class's answers, kept in a SQLite file: who answered which lesson's question, what,
whether it was right, and when.

Every server process (and every page of it) writes to the same file: SQLite's own locking
keeps the writes whole, the write-ahead log lets the teacher's page read while students
answer, and a write that meets another waits for it (up to ``WAIT_SECONDS``). The file
outlives the server: a restart finds every answer again.
"""
from __future__ import annotations

import csv
import datetime
import io
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from ..words.i18n import _

#: The file's table (the CSV's columns are its columns, in this order).
COLUMNS = ("student", "lesson", "question", "answer", "right", "time")
SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    student TEXT NOT NULL,
    lesson TEXT NOT NULL,
    question INTEGER NOT NULL,
    answer TEXT NOT NULL,
    right INTEGER,
    time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_by_question ON answers (lesson, question);
"""
#: Seconds a write waits for another process's write before it gives up.
WAIT_SECONDS = 10.0
#: The longest name and answer kept (longer ones are cut).
MOST_NAME, MOST_ANSWER = 40, 400


@dataclass(frozen=True)
class Answered:
    student: str
    lesson: str
    question: int
    answer: str
    right: bool | None  # None: not graded (a free-text answer)
    time: str  # UTC, ISO 8601 to the second


def student_name(text) -> str:
    """A student's name as kept: stripped, one line, at most 40 characters; ``ValueError``
    for an empty one."""
    name = " ".join(str(text or "").split())[:MOST_NAME]
    if not name or not name.isprintable():
        raise ValueError(_("type your name first (as your teacher will see it)"))
    return name


class Classbook:
    """The answers in the SQLite file at ``path`` (made with its table if new)."""

    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()  # a connection per thread and process
        try:
            with self._connection() as connection:
                connection.executescript(SCHEMA)
        except sqlite3.Error as error:
            raise ValueError(_("{path}: cannot keep the class's answers there ({error})")
                             .format(path=self.path, error=error)) from None

    def _connection(self) -> sqlite3.Connection:
        held = getattr(self._local, "held", None)
        if held is None or held[0] != os.getpid():  # a forked process makes its own
            connection = sqlite3.connect(self.path, timeout=WAIT_SECONDS,
                                         isolation_level="DEFERRED")
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.held = held = (os.getpid(), connection)
        return held[1]

    def add(self, student: str, lesson: str, question: int, answer: str,
            right: bool | None, when: datetime.datetime | None = None) -> Answered:
        """Keep one answer (committed when this returns)."""
        when = when or datetime.datetime.now(datetime.timezone.utc)
        row = Answered(student_name(student), str(lesson), int(question),
                       " ".join(str(answer).split())[:MOST_ANSWER],
                       None if right is None else bool(right),
                       when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        with self._connection() as connection:  # one transaction, committed on exit
            connection.execute(
                "INSERT INTO answers (student, lesson, question, answer, right, time) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (row.student, row.lesson, row.question, row.answer,
                 None if row.right is None else int(row.right), row.time))
        return row

    def answers(self, lesson: str | None = None) -> list[Answered]:
        """Every answer kept (of ``lesson``), oldest first."""
        query = "SELECT student, lesson, question, answer, right, time FROM answers"
        rows = self._connection().execute(
            query + (" WHERE lesson = ? ORDER BY id" if lesson else " ORDER BY id"),
            (lesson,) if lesson else ()).fetchall()
        return [Answered(s, l, q, a, None if r is None else bool(r), t)
                for s, l, q, a, r, t in rows]

    def csv(self, lesson: str | None = None) -> str:
        """The answers as CSV, with the header ``student,lesson,question,answer,right,time``
        (right: 1, 0, or empty for an answer not graded)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in self.answers(lesson):
            writer.writerow([_safe_cell(row.student), row.lesson, row.question,
                             _safe_cell(row.answer), "" if row.right is None else int(row.right),
                             row.time])
        return out.getvalue()

    def close(self) -> None:
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == os.getpid():
            held[1].close()
        self._local.held = None


def _safe_cell(text: str) -> str:
    """A student's text as a spreadsheet shows it, never as a formula (a cell that starts
    with = + - @ would be run by the spreadsheet that opens the file); a number is kept as
    it is (-0.3), and so are numbers (-2.06, -0.02: a predicted point), which call nothing."""
    if text[:1] not in ("=", "+", "-", "@", "\t", "\r"):
        return text
    try:
        [float(part) for part in text.replace(";", ",").split(",")]
        return text
    except ValueError:
        return "'" + text
