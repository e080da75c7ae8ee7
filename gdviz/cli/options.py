"""The command line's option types: each value checked, and said in one line when wrong."""
from __future__ import annotations

import math
import os

import click

from .. import _validate
from ..words.i18n import N_, _


class _Checked(click.ParamType):
    """A click type backed by one of gdviz's own checks (one source of the rules)."""

    def __init__(self, name: str, check, convert=float):
        self.name = name
        self._check = check
        self._convert = convert

    def get_metavar(self, param, ctx=None) -> str:
        """The placeholder ``--help`` shows, in the language spoken (``正数``)."""
        words = _(self.name)
        return words.upper() if words.isascii() else words

    def convert(self, value, param, ctx):
        label = param.opts[0] if param is not None else self.name
        try:
            if isinstance(value, str):
                value = self._convert(value.strip())
            return self._check(label, value)
        except ValueError as error:
            message = str(error)
            if "invalid literal" in message or "could not convert" in message:
                message = _("{name} must be {allowed}, got {value!r}").format(
                    name=label, allowed=_(self.name), value=value)
            # click names the option already ("Invalid value for '--lr': ...").
            self.fail(message.removeprefix(f"{label} "), param, ctx)


POSITIVE = _Checked(N_("a positive number"), _validate.positive_number)
NON_NEGATIVE = _Checked(N_("zero or a positive number"), _validate.non_negative_number)
POSITIVE_INT = _Checked(N_("a positive whole number"), _validate.positive_integer, int)


def _fraction(label, value):
    value = _validate.non_negative_number(label, value)
    if value >= 1:
        raise ValueError(_("{label} must be from 0 up to (not including) 1, got {value:g}")
                         .format(label=label, value=value))
    return value


FRACTION = _Checked(N_("a share from 0 up to 1"), _fraction)


def _iterations(label, value):
    value = _validate.positive_integer(label, value)
    if value > 1_000_000:
        raise ValueError(_("{label} must be at most {most} (every step is kept for the "
                           "pictures), got {value}").format(label=label, most=1_000_000,
                                                            value=value))
    return value


ITERATIONS = _Checked(N_("a positive whole number up to 1000000"), _iterations, int)
SEED = _Checked(N_("a whole number from 0 to 4294967295"), _validate.numpy_seed, int)


def _pause(label, value):
    value = _validate.non_negative_number(label, value)
    if value > 3600:
        raise ValueError(_("{label} must be from 0 to 3600 seconds, got {value:g}").format(
            label=label, value=value))
    return value


PAUSE = _Checked(N_("a number of seconds from 0 to 3600"), _pause)


class _OutputPath(click.ParamType):
    name = "path"

    def convert(self, value, param, ctx):
        from ..outputs import check_output_path

        try:
            return check_output_path(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


OUTPUT = _OutputPath()


def _bounded(limit: float, unit: str = ""):
    def check(label, value):
        value = _validate.positive_number(label, value)
        if value > limit:
            raise ValueError(_("{label} must be at most {limit}, got {value:g}").format(
                label=label, limit=f"{limit:g}{unit}", value=value))
        return value

    return check


def _size(label, value):
    text = str(value).lower().replace(" ", "")
    width, separator, height = text.partition("x")
    try:
        inches = (float(width), float(height)) if separator else None
    except ValueError:
        inches = None
    if inches is None or not all(0 < v <= 60 for v in inches):
        raise ValueError(_("{label} must be WIDTHxHEIGHT in inches, each from 0 to 60, like "
                           "14x8; got {value!r}").format(label=label, value=value))
    return inches


FPS = _Checked(N_("a number of frames a second up to 120"), _bounded(120))
DPI = _Checked(N_("a resolution up to 600 dots per inch"), _bounded(600))
SIZE = _Checked(N_("WIDTHxHEIGHT in inches"), _size, str)


def _export_options(command):
    """--fps, --dpi, --size and --quiet, shared by every command that draws."""
    for option in reversed([
        click.option("--fps", type=FPS, default=None,
                     help=_("Frames a second in a saved animation (default: from --pause).")),
        click.option("--dpi", type=DPI, default=None,
                     help=_("Resolution of saved pictures (default 80 for GIF and HTML, 100 else).")),
        click.option("--size", type=SIZE, default=None, help=_("Figure size in inches, e.g. 14x8.")),
        click.option("--quiet", is_flag=True, help=_("No progress bar while saving.")),
        click.option("--alt-text", "alt_text", is_flag=True,
                     help=_("Print a paragraph describing the run, for the picture's alt text.")),
    ]):
        command = option(command)
    return command


def _numbers(text: str, what: str) -> list[float]:
    parts = [p.strip() for p in text.split(",")]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise click.BadParameter(_("must be numbers separated by commas, like -1.5,2; got "
                                   "{text!r}").format(text=text))
    if not all(map(math.isfinite, values)):
        raise click.BadParameter(_("must be finite numbers, got {text!r}").format(text=text))
    return values


def _layers(ctx, param, value):
    """``--hidden 8,8``: the hidden layers, checked."""
    if value is None:
        return None
    from ..problems.mlp import hidden_layers

    try:
        return hidden_layers(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _many_layers(ctx, param, value):
    """``--hidden 4 --hidden 4,4``: each network's hidden layers, checked."""
    return tuple(_layers(ctx, param, each) for each in value)


def _x0(ctx, param, value):
    return None if value is None else _numbers(value, "--x0")


class _FileOf(click.ParamType):
    """A file to write with a given suffix, in a folder that exists and can be written."""

    name = "path"

    def __init__(self, suffix: str):
        self.suffix = suffix

    def convert(self, value, param, ctx):
        from pathlib import Path

        path = Path(value).expanduser()
        if path.suffix.lower() != self.suffix:
            self.fail(_("must end in {suffix}, got {value!r}").format(suffix=self.suffix,
                                                                       value=value), param, ctx)
        if path.is_dir() or not path.parent.is_dir() or not os.access(path.parent, os.W_OK):
            self.fail(_("cannot write {value!r}: give a file in a folder that exists and can "
                        "be written").format(value=value), param, ctx)
        return path
