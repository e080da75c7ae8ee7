"""The ``gdviz`` command: thin wrappers that parse, build objects and call the API.

Nothing heavy is imported here at module level, so ``gdviz --help`` is fast.
"""
from __future__ import annotations

import os
import sys

import click

from . import _validate


class _Checked(click.ParamType):
    """A click type backed by one of gdviz's own checks (one source of the rules)."""

    def __init__(self, name: str, check, convert=float):
        self.name = name
        self._check = check
        self._convert = convert

    def convert(self, value, param, ctx):
        label = param.opts[0] if param is not None else self.name
        try:
            if isinstance(value, str):
                value = self._convert(value.strip())
            return self._check(label, value)
        except ValueError as error:
            message = str(error)
            if "invalid literal" in message or "could not convert" in message:
                message = f"must be {self.name}, got {value!r}"
            # click names the option already ("Invalid value for '--lr': ...").
            self.fail(message.removeprefix(f"{label} "), param, ctx)


POSITIVE = _Checked("a positive number", _validate.positive_number)
NON_NEGATIVE = _Checked("zero or a positive number", _validate.non_negative_number)
POSITIVE_INT = _Checked("a positive whole number", _validate.positive_integer, int)
SEED = _Checked("a whole number from 0 to 4294967295", _validate.numpy_seed, int)


def _pause(label, value):
    value = _validate.non_negative_number(label, value)
    if value > 3600:
        raise ValueError(f"{label} must be from 0 to 3600 seconds, got {value:g}")
    return value


PAUSE = _Checked("a number of seconds from 0 to 3600", _pause)


class _OutputPath(click.ParamType):
    name = "path"

    def convert(self, value, param, ctx):
        from .outputs import check_output_path

        try:
            return check_output_path(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


OUTPUT = _OutputPath()


class _Group(click.Group):
    """Reports every error as one line and an exit code, never a traceback."""

    def main(self, args=None, prog_name=None, **extra):
        extra["standalone_mode"] = False
        try:
            result = super().main(args, prog_name, **extra)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "gdviz"
            click.echo(f"{command}: error: {error.format_message()}", err=True)
            sys.exit(2)
        except click.ClickException as error:
            click.echo(f"gdviz: error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("gdviz: aborted", err=True)
            sys.exit(130)
        except ValueError as error:
            click.echo(f"gdviz: error: {error}", err=True)
            sys.exit(2)
        except ImportError as error:
            click.echo(f"gdviz: error: {error}", err=True)
            sys.exit(2)
        except OSError as error:  # e.g. the disk filled while writing
            click.echo(f"gdviz: error: {error}", err=True)
            sys.exit(1)
        except Exception as error:  # a bug: say so in one line unless debugging
            if os.environ.get("GDVIZ_DEBUG"):
                raise
            click.echo(f"gdviz: internal error: {type(error).__name__}: {error} "
                       "(set GDVIZ_DEBUG=1 for the traceback, and please report it)", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gdviz")
def cli():
    """See every step of gradient descent."""


@cli.command()
@click.option("--seed", "seed_value", type=SEED, default=None,
              help="numpy seed for the data and the start (default: a fresh one, printed).")
@click.option("--lr", type=POSITIVE, default=0.005, show_default=True, help="Learning rate.")
@click.option("--tol", type=NON_NEGATIVE, default=0.01, show_default=True,
              help="Stop when the loss falls by no more than this.")
@click.option("--every", type=POSITIVE_INT, default=100, show_default=True,
              help="Redraw the line every N iterations.")
@click.option("--pause", type=PAUSE, default=0.5, show_default=True,
              help="Seconds between redraws (window and GIF).")
@click.option("--max-iter", type=POSITIVE_INT, default=None,
              help="Stop after at most N iterations.")
@click.option("--save", type=OUTPUT, default=None,
              help="Save the animation; the suffix picks the format (.gif, .png, .json).")
@click.option("--no-show", is_flag=True, help="Do not open a window.")
def seed(seed_value, lr, tol, every, pause, max_iter, save, no_show):
    """The blog program: gradient descent fitting y = b1*x + b0 to 100 points.

    Same data, start, loss and stop rule as the blog; its last line is the
    blog's `print(b0, b1)`. Without a display the animation is saved to
    seed.gif in the current folder.
    """
    import numpy as np

    from . import optim, problems, stop
    from .report import summary_lines
    from .run import run

    if seed_value is None:
        seed_value = int(np.random.SeedSequence().entropy % 2**32)
    problem = problems.LinearRegression.seed(seed=seed_value)
    rule = stop.LossImprovement(tol)
    if max_iter is not None:
        rule = rule | stop.MaxIter(max_iter)
    with np.errstate(over="ignore", invalid="ignore"):
        trace = run(problem, optim.gd(learning_rate=lr), stop=rule)

    show = False
    if not no_show:
        from .window import has_display

        show = has_display()
        if not show and save is None:
            save = OUTPUT.convert("seed.gif", None, None)
    saved = None
    if save is not None:
        from .animation import animate

        anim = animate(trace, layout="seed", every=every, interval=pause * 1000 or 100)
        saved = anim.save(save)

    b0, b1 = trace.final_params.tolist()
    start = ", ".join(f"{n} = {v:.6g}" for n, v in zip(trace.param_names, trace.params[0]))
    click.echo(f"gdviz seed: y = b1*x + b0 fitted to 100 points by gradient descent "
               f"(seed {seed_value}; repeat with --seed {seed_value})")
    click.echo(f"start:       {start} (loss {trace.loss[0]:.6g}); "
               f"learning rate {lr:g}, tolerance {tol:g}")
    for line in summary_lines(trace, learning_rate=lr):
        click.echo(line)
    if saved is not None:
        click.echo(f"saved:       {saved}")
    click.echo(f"{b0} {b1}")
    sys.stdout.flush()
    if show:
        from .window import show as show_window

        show_window(trace, layout="seed", every=every, interval=pause * 1000,
                    title="gdviz seed")


def main() -> None:
    cli.main(prog_name="gdviz")


if __name__ == "__main__":
    main()
