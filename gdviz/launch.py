"""The ``gdviz`` command's entry: the language first (``--lang``, ``GDVIZ_LANG``, the
locale), then the commands, so that their help and every word they say are in it."""
from __future__ import annotations

import sys


def main() -> None:
    import gettext
    import os

    from .words.i18n import DOMAIN, LOCALE_DIR, language_from, set_language

    try:
        code = language_from(sys.argv[1:])
    except ValueError as error:
        print(f"gdviz: error: {error}", file=sys.stderr)
        sys.exit(2)
    set_language(code)
    if code != "en":  # Click's own words (its help's headings, its errors) from the catalogue
        gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
        gettext.textdomain(DOMAIN)
        os.environ["LANGUAGE"] = code
    from .cli import main as commands

    commands()
