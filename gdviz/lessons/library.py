"""The lessons a server offers: the built-in ones, then the teacher's own files.

A teacher's lesson is known by its file's stem (``ravines-2b.toml`` is ``ravines-2b``),
so a link names it (``?lesson=ravines-2b``) and never a path; each file is read and its
every scene run when the library is made, so a mistake in it stops the server at start,
in the words ``gdviz lesson FILE`` uses, not a class's page later.
"""
from __future__ import annotations

import functools
from pathlib import Path

from . import Lesson, LessonError, builtin, load
from .._validate import unknown
from ..words.i18n import _, language


class Library:
    """Lessons by name: the built-in ones, then ``files`` (checked here)."""

    def __init__(self, files=()):
        self.paths: dict[str, Path] = dict(builtin())
        self.own: list[str] = []
        for file in files:
            text = str(file)
            if text in self.paths and not Path(text).suffix:
                raise LessonError(_("'{name}' is a built-in lesson, offered already; "
                                    "--lesson takes a lesson file (.toml)").format(name=text))
            lesson = load(Path(text)).check()  # one line, as `gdviz lesson FILE` says it
            if lesson.name in self.paths:
                raise LessonError(_("{path}: a lesson named '{name}' is offered already "
                                    "(the file's name names it in links): rename the "
                                    "file").format(path=text, name=lesson.name))
            self.paths[lesson.name] = Path(text)
            self.own.append(lesson.name)

    def __contains__(self, name) -> bool:
        return name in self.paths

    @property
    def names(self) -> list[str]:
        return list(self.paths)

    def load(self, name: str) -> Lesson:
        """The lesson named ``name`` (a built-in one in the language spoken now)."""
        if name not in self.paths:
            raise unknown("lesson", name, self.names)
        return load(self.paths[name])

    def choices(self) -> dict:
        """A picker's choices: the lessons numbered, by title, in the language spoken now
        (the teacher's own as written), after "(none)"."""
        return self._choices(language())

    @functools.lru_cache(maxsize=4)
    def _choices(self, _language: str) -> dict:
        return {_("(none)"): "", **{f"{n}. {self.load(name).title}": name
                                    for n, name in enumerate(self.paths, start=1)}}


@functools.lru_cache(maxsize=1)
def built_in() -> Library:
    """The built-in lessons alone (a page made without a server's own library)."""
    return Library()
