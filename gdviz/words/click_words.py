"""Click's own words (its help's headings, its errors), in gdviz's catalogue: Click says
them through the standard library's ``gettext``, which ``gdviz.launch`` points at this
catalogue when the language is not English. Marked here so that extraction finds them;
their English must be Click's exactly."""
from __future__ import annotations

from .i18n import N_, ngettext

WORDS = [
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."),
    N_("Show the version and exit."), N_("default: {default}"), N_("env var: {var}"),
    N_("(dynamic)"), N_("Error: {message}"), N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("No such option {name!r}."), N_("No such command {name!r}."),
    N_("%(prog)s, version %(version)s"),
]


def _plurals() -> list[str]:
    return [ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2)]
