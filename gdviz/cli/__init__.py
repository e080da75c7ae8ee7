"""The ``gdviz`` command: thin wrappers that parse, build objects and call the API.

Nothing heavy is imported here at module level, so ``gdviz --help`` is fast.
"""
from __future__ import annotations

from . import app, compare, lesson, listing, run, seed  # noqa: F401  (each adds its command)
from .group import cli
from .language import with_language

for _command in (cli, *cli.commands.values()):
    with_language(_command)


def main() -> None:
    cli.main(prog_name="gdviz")
