"""Checks shared by the public API and the command line.

Each check returns the cleaned value or raises ``ValueError`` with a message
that names the argument and says what is allowed, so the CLI can show it as
one line and the library can raise it as it is.
"""
from __future__ import annotations

import math


def _(message: str) -> str:
    """``words.i18n._``, imported when first said (the words package imports these checks)."""
    from .words.i18n import _ as said

    return said(message)


def listed(items) -> str:
    """``words.i18n.listed``, imported when first said."""
    from .words.i18n import listed as said

    return said(items)


def _as_float(name: str, value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(_("{name} must be a number, got {value!r}").format(
            name=name, value=value)) from None
    if not math.isfinite(number):
        raise ValueError(_("{name} must be a finite number, got {value!r}").format(
            name=name, value=value))
    return number


def positive_number(name: str, value) -> float:
    number = _as_float(name, value)
    if number <= 0:
        raise ValueError(_("{name} must be a positive number, got {value!r}").format(
            name=name, value=value))
    return number


def non_negative_number(name: str, value) -> float:
    number = _as_float(name, value)
    if number < 0:
        raise ValueError(_("{name} must be zero or positive, got {value!r}").format(
            name=name, value=value))
    return number


def fraction(name: str, value) -> float:
    """A share from 0 up to (not including) 1: a momentum-like beta, a test share."""
    number = non_negative_number(name, value)
    if not number < 1:
        raise ValueError(_("{name} must be from 0 up to (not including) 1, got {value!r}")
                         .format(name=name, value=value))
    return number


def _as_integer(name: str, value, allowed: str) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise ValueError(_("{name} must be {allowed}, got {value!r}").format(
            name=name, allowed=allowed, value=value))
    return int(value)


def positive_integer(name: str, value) -> int:
    number = _as_integer(name, value, _("a positive whole number"))
    if number < 1:
        raise ValueError(_("{name} must be a positive whole number, got {value!r}").format(
            name=name, value=value))
    return number


def numpy_seed(name: str, value) -> int:
    allowed = _("a whole number from 0 to 4294967295 (2**32 - 1)")
    number = _as_integer(name, value, allowed)
    if not 0 <= number < 2**32:
        raise ValueError(_("{name} must be {allowed}, got {value!r}").format(
            name=name, allowed=allowed, value=value))
    return number


def did_you_mean(name, known) -> str:
    """``"; did you mean 'adam'?"`` for the nearest of ``known``, or ``""``: the one
    spelling-hint every "unknown name" message in gdviz uses."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.5)
    return _("; did you mean '{name}'?").format(name=close[0]) if close else ""


def N_(message: str) -> str:  # marks a word for the catalogue (words.i18n.N_)
    return message


#: The kinds of name ``unknown`` says, in the catalogue (said in the language spoken).
KINDS = [N_("layout"), N_("paper size"), N_("plane"), N_("problem"), N_("lesson"),
         N_("question kind"), N_("example data"), N_("view"), N_("setting"), N_("model"),
         N_("model for your data"), N_("optimizer"), N_("schedule"), N_("activation"),
         N_("task"), N_("dataset"), N_("language")]


def unknown(kind: str, name, known) -> ValueError:
    """A ValueError for an unknown name, suggesting the nearest known one."""
    return ValueError(_("unknown {kind} '{name}'{hint} (known: {known})").format(
        kind=_(kind), name=name, hint=did_you_mean(name, known), known=listed(map(str, known))))


def env_limit(name: str, default: int) -> int:
    """A limit the environment variable ``name`` may raise (a whole number, ``1e9`` too)."""
    import os

    text = os.environ.get(name, "")
    try:
        return int(float(text)) if text else default
    except ValueError:
        raise ValueError(_("{name} must be a whole number, got {value!r}").format(
            name=name, value=text)) from None
