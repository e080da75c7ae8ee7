"""The ``gdviz`` command's entry: the language first (``--lang``, ``GDVIZ_LANG``, the
locale), then the commands, so that their help and every word they say are in it."""
from __future__ import annotations

import sys


def main() -> None:
    from .words.i18n import language_from, set_language

    try:
        set_language(language_from(sys.argv[1:]))
    except ValueError as error:
        print(f"gdviz: error: {error}", file=sys.stderr)
        sys.exit(2)
    from .cli import main as commands

    commands()
