"""The one door every user-facing sentence passes through: gettext's ``_()``.

Sentences are whole, with named placeholders filled after translation::

    _("the loss rose {amount}").format(amount=...)

so a language is a catalogue (``gdviz/locale/<lang>/LC_MESSAGES/gdviz.mo``), never a
code change. Without a catalogue for the language, the English words are used as they are.
"""
from __future__ import annotations

import gettext
from pathlib import Path

#: Where compiled catalogues live, one folder per language.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "gdviz"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str | None) -> None:
    """Speak ``language`` (e.g. ``"en"``) from now on; English where no catalogue has it."""
    global _translation, _language
    if not language or language.split("_")[0] == "en":
        _translation, _language = gettext.NullTranslations(), "en"
        return
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
    _language = language.split("_")[0]


def language() -> str:
    """The language the words are in now (``"en"`` unless set)."""
    return _language


def _(message: str) -> str:
    """``message`` in the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural sentence for ``n``, as the current language counts."""
    return _translation.ngettext(singular, plural, n)
