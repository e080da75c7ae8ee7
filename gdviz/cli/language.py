"""``--lang`` on every command."""
from __future__ import annotations

import click

from ..words.i18n import _


def _language(ctx, param, value):
    """``--lang``: already chosen by the launcher (``gdviz.launch``) before the commands
    were made; here it is checked, and set for a caller that skipped the launcher."""
    if value is not None:
        from ..words.i18n import checked_language, language, set_language

        try:
            code = checked_language(value)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None
        if code != language():
            set_language(code)
    return value


def with_language(command: click.Command) -> None:
    """Add ``--lang`` to ``command``."""
    command.params.append(click.Option(
        ["--lang"], default=None, expose_value=False, is_eager=True, callback=_language,
        metavar=_("LANG"), help=_("The language of every word: en (English, the default) or zh "
        "(简体中文); also GDVIZ_LANG or the locale (LANG=zh_CN.UTF-8).")))

