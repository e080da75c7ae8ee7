"""The ``gdviz`` group: every error one line and an exit code, never a traceback."""
from __future__ import annotations

import os
import re
import sys

import click

from ..words.i18n import _
from ..words.widths import has_wide
from .helpformat import Command, Context


class _Group(click.Group):
    """Reports every error as one line and an exit code, never a traceback; its help
    and its commands' are laid out for their language (``helpformat``)."""

    context_class = Context
    command_class = Command

    def main(self, args=None, prog_name=None, **extra):
        extra["standalone_mode"] = False
        arguments = list(sys.argv[1:] if args is None else args)
        # One prefix for every error: the command that was run ("gdviz run: error: ...").
        command = next((a for a in arguments if not a.startswith("-")), None)
        prefix = f"gdviz {command}" if command in self.commands else "gdviz"
        try:
            result = super().main(args, prog_name, **extra)
        except click.BadParameter as error:  # gdviz's own words for the option's value
            option = error.param_hint or (error.param.opts[0] if error.param is not None
                                          else "")
            if isinstance(option, (list, tuple)):
                option = " / ".join(option)
            words = (_("invalid value for {option}: {message}").format(
                option=f"'{option}'" if option and not str(option).startswith("'") else option,
                message=error.message) if option else error.message)
            click.echo(_("{prefix}: error: {message}").format(prefix=prefix, message=words),
                       err=True)
            sys.exit(2)
        except click.UsageError as error:  # Click joins its sentences with a space
            message = re.sub(r"(?<=[。？！；：，）])\s+", "", error.format_message())
            if has_wide(message):  # and lists its guesses with a comma: 、 in Chinese
                message = message.replace("', '", "'、'")
            click.echo(_("{prefix}: error: {message}").format(prefix=prefix, message=message),
                       err=True)
            sys.exit(2)
        except click.ClickException as error:
            click.echo(_("{prefix}: error: {message}").format(
                prefix=prefix, message=error.format_message()), err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo(_("{prefix}: aborted").format(prefix=prefix), err=True)
            sys.exit(130)
        except (ValueError, ImportError) as error:
            click.echo(_("{prefix}: error: {message}").format(prefix=prefix, message=error),
                       err=True)
            sys.exit(2)
        except OSError as error:  # e.g. the disk filled while writing
            click.echo(_("{prefix}: error: {message}").format(prefix=prefix, message=error),
                       err=True)
            sys.exit(1)
        except Exception as error:  # a bug: say so in one line unless debugging
            if os.environ.get("GDVIZ_DEBUG"):
                raise
            click.echo(_("{prefix}: internal error: {kind}: {error} (set GDVIZ_DEBUG=1 for "
                         "the traceback, and please report it)").format(
                prefix=prefix, kind=type(error).__name__, error=error), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]},
             help=_("See every step of gradient descent."))
@click.version_option(package_name="gdviz")
def cli():
    pass
