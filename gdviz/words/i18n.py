"""The one door every user-facing sentence passes through: gettext's ``_()``.

Sentences are whole, with named placeholders filled after translation::

    _("the loss rose {amount}").format(amount=...)

so a language is a catalogue (``gdviz/locale/<lang>/LC_MESSAGES/gdviz.mo``), never a
code change. Without a catalogue for the language, the English words are used as they are.
"""
from __future__ import annotations

import contextlib
import gettext
import os
from pathlib import Path

#: Where compiled catalogues live, one folder per language.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "gdviz"
#: The languages gdviz speaks: English (its own words) and those with a catalogue.
LANGUAGES = {"en": "English", "zh": "简体中文"}
#: Where the language comes from when no ``--lang`` says it: gdviz's own variable, then
#: the locale's, in gettext's order.
LANGUAGE_VARIABLES = ("GDVIZ_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def known_language(name: str) -> str | None:
    """The gdviz language a locale name means (``zh_CN.UTF-8``, ``zh-Hans``, ``ZH`` →
    ``"zh"``; ``C`` and ``POSIX`` → ``"en"``), or None for a language gdviz does not speak."""
    base = name.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if base in ("c", "posix"):
        return "en"
    return base if base in LANGUAGES else None


def checked_language(name: str) -> str:
    """``known_language``, or a ``ValueError`` in one line naming the known ones."""
    found = known_language(name)
    if found is None:
        raise ValueError(f"unknown language {name!r} (known: "
                         + ", ".join(f"{code} ({words})" for code, words in LANGUAGES.items())
                         + ")")
    return found


def language_from(argv=(), environ=None) -> str:
    """The language asked for: ``--lang X`` (or ``--lang=X``) among the arguments, else
    ``GDVIZ_LANG``, else the locale (``LANGUAGE``, a list with colons, ``LC_ALL``,
    ``LC_MESSAGES``, ``LANG``: the first that is set decides); English by default. A
    ``--lang`` gdviz does not speak is a ``ValueError``; a locale of another language
    leaves gdviz in English."""
    argv = list(argv)
    for k, argument in enumerate(argv):
        if argument == "--":
            break
        if argument == "--lang" and k + 1 < len(argv):
            return checked_language(argv[k + 1])
        if argument.startswith("--lang="):
            return checked_language(argument.split("=", 1)[1])
    environ = os.environ if environ is None else environ
    for variable in LANGUAGE_VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        if variable == "GDVIZ_LANG":
            return checked_language(value)
        for name in value.split(":"):  # LANGUAGE may list several, the first known wins
            found = known_language(name) if name else None
            if found is not None:
                return found
        return "en"
    return "en"


def set_language(language: str | None) -> None:
    """Speak ``language`` (``"en"``, ``"zh"``, or a locale name such as ``zh_CN``) from
    now on: English where the catalogue has no sentence. A language gdviz does not speak
    is a ``ValueError``."""
    global _translation, _language
    code = "en" if not language else checked_language(language)
    if code == "en":
        _translation, _language = gettext.NullTranslations(), "en"
        return
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    _language = code


@contextlib.contextmanager
def speaking(language: str | None):
    """Speak ``language`` inside the block, then the language before it (a served page's
    own language while its widgets or its run's words are made)."""
    global _translation, _language
    before = _translation, _language
    set_language(language)
    try:
        yield
    finally:
        _translation, _language = before


def language() -> str:
    """The language the words are in now (``"en"`` unless set)."""
    return _language


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue where it is written (a class's constant);
    ``_()`` translates it where it is said."""
    return message


def _(message: str) -> str:
    """``message`` in the current language."""
    return _translation.gettext(message)


class Said(str):
    """A sentence as said now (it is a ``str``) that keeps its words and values, so that it
    can be said again in the language spoken later (``again``): a run's stop words are
    made when it runs, and may be shown after ``set_language``."""

    def __new__(cls, words: str, /, **values):
        self = super().__new__(cls, _(words).format(**values))
        self.words, self.values = words, values
        return self

    def __reduce__(self):  # a run answered by a worker process keeps what it said
        return _said_as, (str(self), self.words, self.values)


def _said_as(text: str, words: str, values: dict) -> Said:
    said = str.__new__(Said, text)
    said.words, said.values = words, values
    return said


def again(text: str) -> str:
    """``text`` in the language spoken now if it is a ``Said``; other text as it is."""
    return _(text.words).format(**text.values) if isinstance(text, Said) else text


def listed(items) -> str:
    """Items of a list said one after another (``"a, b"``; ``"a、b"`` in Chinese)."""
    return _(", ").join(items)


def run_label(optimizer: str, settings) -> str:
    """A run's label: its optimizer, then its settings (``"adam, lr 0.05, beta1 0.8"``,
    ``"gd，学习率 0.01"`` in Chinese); the optimizer alone when it has none."""
    settings = list(settings)
    if not settings:
        return optimizer
    return _("{optimizer}, {settings}").format(optimizer=optimizer, settings=listed(settings))


def joined(*parts: str) -> str:
    """Clauses said one after another (``"a; b"`` in English, ``"a；b"`` in Chinese)."""
    return _one_after_another(N_("{first}; {second}"), parts)


def sentences(*parts: str) -> str:
    """Sentences one after another (a space between them in English, none in Chinese)."""
    return _one_after_another(N_("{first} {second}"), parts)


def _one_after_another(words: str, parts) -> str:
    """The non-empty ``parts`` joined pairwise by ``words`` in the language spoken."""
    parts = [part for part in parts if part]
    text = parts[0] if parts else ""
    for part in parts[1:]:
        text = _(words).format(first=text, second=part)
    return text


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural sentence for ``n``, as the current language counts."""
    return _translation.ngettext(singular, plural, n)
