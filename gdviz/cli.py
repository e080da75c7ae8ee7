"""The ``gdviz`` command: thin wrappers that parse, build objects and call the API.

Nothing heavy is imported here at module level, so ``gdviz --help`` is fast.
"""
from __future__ import annotations

import contextlib
import math
import os
import sys

import click

from . import _validate
from .words.i18n import N_, _, joined


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
        from .outputs import check_output_path

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


FPS = _Checked("a number of frames a second up to 120", _bounded(120))
DPI = _Checked("a resolution up to 600 dots per inch", _bounded(600))
SIZE = _Checked("WIDTHxHEIGHT in inches", _size, str)


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


class _Group(click.Group):
    """Reports every error as one line and an exit code, never a traceback."""

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
        except click.UsageError as error:
            click.echo(_("{prefix}: error: {message}").format(
                prefix=prefix, message=error.format_message()), err=True)
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


@cli.command(help=_("The blog program: gradient descent fitting y = b1*x + b0 to 100 "
                     "points.\n\nSame data, start, loss and stop rule as the blog; its last "
                     "line is the blog's `print(b0, b1)`. Without a display the animation "
                     "is saved to seed.gif in the current folder."))
@click.option("--seed", "seed_value", type=SEED, default=None,
              help=_("numpy seed for the data and the start (default: a fresh one, printed)."))
@click.option("--lr", type=POSITIVE, default=0.005, show_default=True, help=_("Learning rate."))
@click.option("--tol", type=NON_NEGATIVE, default=0.01, show_default=True,
              help=_("Stop when the loss falls by no more than this."))
@click.option("--every", type=POSITIVE_INT, default=100, show_default=True,
              help=_("Redraw the line every N iterations."))
@click.option("--pause", type=PAUSE, default=0.5, show_default=True,
              help=_("Seconds between redraws (window and GIF)."))
@click.option("--max-iter", type=ITERATIONS, default=None,
              help=_("Stop after at most N iterations."))
@click.option("--layout", default="seed", show_default=True,
              help=_("seed (the blog's panel), classic (data, contour, loss), full (also surface, "
                   "parameters, arithmetic), or views joined by commas from fit, boundary, map, "
                   "network, contour, surface, loss, parameters, arithmetic, chain, promise, "
                   "eigen."))
@click.option("--save", type=OUTPUT, default=None,
              help=_("Save the animation; the suffix picks the format: .gif, .mp4, .html, .png "
                   "(the final picture), .vtt/.srt (the captions as subtitles), "
                   ".json/.npz/.csv (the run's numbers)."))
@click.option("--no-show", is_flag=True, help=_("Do not open a window."))
@_export_options
def seed(seed_value, lr, tol, every, pause, max_iter, layout, save, no_show, fps, dpi, size,
         quiet, alt_text):
    import numpy as np

    from . import optim, problems, stop
    from .words.ending import summary_lines
    from .run import run

    if seed_value is None:
        seed_value = int(np.random.SeedSequence().entropy % 2**32)
    problem = problems.LinearRegression.seed(seed=seed_value)
    rule = stop.LossImprovement(tol)
    if max_iter is not None:
        rule = rule | stop.MaxIter(max_iter)
    trace = run(problem, optim.gd(learning_rate=lr), stop=rule)
    layout = _layout(layout, trace)

    b0, b1 = trace.final_params.tolist()
    start = ", ".join(f"{n} = {v:.6g}" for n, v in zip(trace.param_names, trace.params[0]))
    click.echo(_("gdviz seed: y = b1*x + b0 fitted to 100 points by gradient descent (seed "
                 "{seed}; repeat with --seed {seed})").format(seed=seed_value))
    click.echo(_("start:       {start} (loss {loss:.6g}); learning rate {rate:g}, tolerance "
                 "{tolerance:g}").format(start=start, loss=trace.loss[0], rate=lr, tolerance=tol))
    for line in summary_lines(trace):
        click.echo(line)
    _deliver_run(trace, layout=layout, every=every, frames=None, pause=pause, save=save,
                 no_show=no_show, default_name="seed.gif", title="gdviz seed",
                 last_line=f"{b0} {b1}", export=dict(fps=fps, dpi=dpi, size=size, quiet=quiet,
                                                     alt_text=alt_text))


def _layout(text: str, trace):
    """A layout name or views joined by commas, checked now: a misspelt view is an
    error even with --no-show."""
    from .animation import LAYOUTS, resolve_layout
    from .catalogue import unknown
    from .views import VIEWS

    if "," not in text and text not in LAYOUTS and text not in VIEWS:
        raise unknown("layout", text, list(LAYOUTS) + list(VIEWS))
    layout = text if text in LAYOUTS else [v.strip() for v in text.split(",")]
    resolve_layout(layout, trace)
    return layout


def _deliver(make, *, pause, save, no_show, default_name, title, export, window_size=None,
             last_line=None, traces=()):
    """Save and/or show an animation, then print the last line.

    ``make(figure, interval, figsize)`` builds the animation (into ``figure``
    when given). Without a display (and without --no-show) it is saved to
    ``default_name`` in the current folder, and the path printed.
    """
    show = False
    if not no_show:
        from .window import has_display

        show = has_display()
        if not show and save is None:
            save = OUTPUT.convert(free_name(default_name), None, None)
            if save.name != default_name:
                click.echo(_("note:        {kept} is already here and is kept; this run "
                             "goes to {name} (choose a name with --save)").format(
                    kept=default_name, name=save.name))
    if save is not None:
        anim = make(None, pause * 1000 or 100, export.get("size"))
        saved = anim.save(save, fps=export.get("fps"), dpi=export.get("dpi"),
                          progress=False if export.get("quiet") else None)
        click.echo(_("saved:       {path}").format(path=saved))
    if export.get("alt_text"):
        from .words import describe

        click.echo("alt text:    " + " ".join(describe(trace) for trace in traces))
    if last_line is not None:
        click.echo(last_line)
    sys.stdout.flush()
    if show:
        from .window import play

        play(lambda figure: make(figure, pause * 1000, None), title=title, figsize=window_size)


def free_name(name: str, folder=".") -> str:
    """``name`` if no file has it in ``folder``, else the first free ``stem-2.suffix``,
    ``stem-3.suffix``, ...: a default name never overwrites what a user has.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = tempfile.mkdtemp()
    >>> _ = (pathlib.Path(folder) / "seed.gif").write_bytes(b"GIF89a")
    >>> free_name("seed.gif", folder)
    'seed-2.gif'
    """
    from pathlib import Path

    candidate, number = Path(name), 1
    stem, suffix = candidate.stem, candidate.suffix
    while os.path.lexists(Path(folder) / candidate):
        number += 1
        candidate = Path(f"{stem}-{number}{suffix}")
    return str(candidate)


def _deliver_run(trace, *, layout, every, frames, plane="slice", **options):
    """``_deliver`` for one run drawn with ``layout``."""
    from .animation import FIGSIZES, animate, resolve_layout

    def make(figure, interval, figsize):
        return animate(trace, layout=layout, every=every, frames=frames, figure=figure,
                       interval=interval, figsize=figsize, plane=plane)

    panels = len(resolve_layout(layout, trace))
    _deliver(make, window_size=FIGSIZES[min(panels, 6)], traces=[trace], **options)


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
    from .problems.mlp import hidden_layers

    try:
        return hidden_layers(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def _many_layers(ctx, param, value):
    """``--hidden 4 --hidden 4,4``: each network's hidden layers, checked."""
    return tuple(_layers(ctx, param, each) for each in value)


def _x0(ctx, param, value):
    return None if value is None else _numbers(value, "--x0")


@cli.command(name="run", help=_("Run gradient descent on PROBLEM (see `gdviz list`), a "
                                 "formula or your CSV data."))
@click.argument("problem_name", metavar="PROBLEM", required=False)
@click.option("--expr", help=_('Your own loss in x and y, e.g. "(1-x)**2 + 100*(y-x**2)**2".'))
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), help=_("Your data: a CSV file "
              "with a header row (any of , ; tab | as the delimiter; .gz compressed too)."))
@click.option("--parquet", "parquet_path", type=click.Path(),
              help=_("Your data: a Parquet file (or, with --engine dask, a folder of them)."))
@click.option("--engine", type=click.Choice(["memory", "dask"]), default="memory",
              show_default=True, help=_("dask: data beyond memory (--csv with a pattern like "
              "'data/*.csv', or --parquet FILE_OR_FOLDER), summed where it lies."))
@click.option("--scheduler", default=None,
              help=_("With --engine dask: the address of a running Dask scheduler "
                   "(default: a local cluster on this machine)."))
@click.option("--max-rows", type=POSITIVE_INT, default=None,
              help=_("Read only the first N data rows (for files past the in-memory limits)."))
@click.option("--dropna", is_flag=True,
              help=_("Drop data rows with a missing or non-finite value (counted in the summary) "
                   "instead of refusing the file."))
@click.option("--x", "x_columns", multiple=True, help=_("CSV column(s) of the inputs (repeat for more)."))
@click.option("--y", "y_column", help=_("CSV column of the target (0/1 labels for logistic)."))
@click.option("--model", type=click.Choice(["linear", "polynomial", "logistic", "mlp"]),
              default="linear", show_default=True, help=_("Model for --csv data."))
@click.option("--degree", type=POSITIVE_INT, default=None, help=_("Polynomial degree."))
@click.option("--hidden", callback=_layers, default=None,
              help=_("The mlp's hidden layers: units of each, e.g. 8 or 8,8 (at most 4 layers of "
                   "64)."))
@click.option("--activation", type=click.Choice(["tanh", "relu", "sigmoid"]), default=None,
              help=_("The mlp's activation (default tanh)."))
@click.option("--task", type=click.Choice(["regression", "classification"]), default=None,
              help=_("The mlp's task (with --data: classification)."))
@click.option("--data", type=click.Choice(["blobs", "moons", "circles", "xor", "spirals"]),
              default=None, help=_("Example data: logistic's blobs or moons; the mlp's two "
                                 "classes of circles, xor, spirals, blobs or moons."))
@click.option("--noise", type=NON_NEGATIVE, default=None, help=_("Noise of the mlp's example data."))
@click.option("--test-fraction", type=FRACTION, default=None,
              help=_("Share of the mlp's example data held out to test on (e.g. 0.3)."))
@click.option("--l2", type=NON_NEGATIVE, default=None,
              help=_("The mlp's L2 regularisation: l2 times the sum of its squared weights."))
@click.option("--standardize", is_flag=True, help=_("Rescale features to mean 0, std 1."))
@click.option("--optimizer", "optimizer_name", default="gd", show_default=True,
              help=_("gd, sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw."))
@click.option("--lr", type=POSITIVE, default=None, help=_("Learning rate (default: the optimizer's)."))
@click.option("--momentum", type=NON_NEGATIVE, default=None, help=_("Momentum (momentum, nesterov, rmsprop)."))
@click.option("--beta1", type=NON_NEGATIVE, default=None, help=_("Adam's beta1."))
@click.option("--beta2", type=NON_NEGATIVE, default=None, help=_("Adam's beta2."))
@click.option("--weight-decay", type=NON_NEGATIVE, default=None, help=_("Weight decay."))
@click.option("--batch-size", type=POSITIVE_INT, default=None, help=_("Mini-batch size (data models)."))
@click.option("--schedule", default=None,
              help=_("Learning-rate schedule: constant, step, exponential, cosine, warmup; "
                   "settings as name:key=value,... e.g. step:step_size=100,gamma=0.5."))
@click.option("--x0", callback=_x0, default=None, help=_("Start, e.g. -1.5,2."))
@click.option("--max-iter", type=ITERATIONS, default=1000, show_default=True)
@click.option("--tol", type=NON_NEGATIVE, default=None,
              help=_("Also stop when the loss falls by no more than this (the blog's rule)."))
@click.option("--grad-tol", type=POSITIVE, default=None,
              help=_("Also stop when the gradient's norm is below this."))
@click.option("--seed", "seed_value", type=SEED, default=0, show_default=True,
              help=_("Seed of the example data and the mini-batch shuffling."))
@click.option("--layout", default="classic", show_default=True,
              help=_("classic (data, contour, loss), full (also surface, parameters, arithmetic), "
                   "seed (the blog's panel), or views joined by commas from fit, boundary, map, "
                   "network, contour, surface, loss, parameters, arithmetic, chain, promise, "
                   "eigen."))
@click.option("--plane", type=click.Choice(["slice", "pca"]), default="slice", show_default=True,
              help=_("With more than two parameters, the contour and surface draw the slice "
                   "through the current point (the others at their values now), or the plane "
                   "of the whole path (pca)."))
@click.option("--every", type=POSITIVE_INT, default=None, help=_("Draw every N iterations."))
@click.option("--frames", type=POSITIVE_INT, default=None,
              help=_("Draw at most N frames (default 60), dense early."))
@click.option("--pause", type=PAUSE, default=0.1, show_default=True,
              help=_("Seconds between frames."))
@click.option("--save", type=OUTPUT, default=None,
              help=_("Save: .gif, .mp4, .html, .png (final picture), .vtt/.srt (the captions as "
                   "subtitles), .json/.npz/.csv (the trace)."))
@click.option("--no-show", is_flag=True, help=_("Do not open a window."))
@_export_options
def run_command(problem_name, expr, csv_path, parquet_path, engine, scheduler, max_rows, dropna,
                x_columns,
                y_column, model, degree, hidden, activation, task, data, noise, test_fraction,
                l2, standardize, optimizer_name, lr, momentum, beta1, beta2, weight_decay,
                batch_size, schedule, x0, max_iter, tol, grad_tol, seed_value, layout, plane,
                every, frames, pause, save, no_show, fps, dpi, size, quiet, alt_text):
    from . import catalogue
    from .words.ending import summary_lines

    sources = [s for s in (problem_name, expr, csv_path, parquet_path) if s]
    if len(sources) != 1:
        raise click.UsageError(_("give exactly one of: a PROBLEM name, --expr FORMULA, "
                                 "--csv FILE or --parquet FILE"))
    csv_path = csv_path or parquet_path
    scene = _problem_scene(problem_name, expr, csv_path, model, degree, hidden, data,
                           standardize, seed_value, x0, activation=activation, task=task,
                           noise=noise, test_fraction=test_fraction, l2=l2)
    scene = scene.replace(optimizer=optimizer_name, lr=lr, momentum=momentum, beta1=beta1,
                          beta2=beta2, weight_decay=weight_decay, batch_size=batch_size,
                          schedule=schedule, max_iter=max_iter, tol=tol, grad_tol=grad_tol)
    if engine == "dask" or scheduler:
        if csv_path is None:
            raise click.UsageError(_("--engine dask reads --csv PATTERN or --parquet PATH"))
        if dropna:
            raise click.UsageError(_("--dropna is not done on Dask: clean the files first"))
        stack = contextlib.ExitStack()
        ctx = click.get_current_context()
        ctx.call_on_close(stack.close)  # the cluster lives until the command is done
        problem = _problem_on_dask(scene, csv_path, x_columns, y_column, scheduler, stack,
                                   parquet=parquet_path is not None)
    else:
        problem = _make_problem(scene, csv_path, x_columns, y_column, dropna=dropna,
                                parquet=parquet_path is not None, max_rows=max_rows)
    if lr is None and (csv_path or standardize):
        # Your data's scale is unknown to a fixed default: take one its curvature says converges.
        lr = catalogue.curvature_learning_rate(problem, optimizer_name)
        if lr is not None:
            click.echo(_("learning rate: {lr:.3g}, none given: a quarter of 2/L = "
                         "{limit:.3g} for your data (above 2/L, gd diverges)").format(
                lr=lr, limit=4 * lr))
            scene = scene.replace(lr=lr)
    optimizer = scene.make_optimizer()
    trace = scene.run(problem)
    layout_value = _layout(layout, trace)

    click.echo(_("gdviz run: {problem} with {optimizer}").format(problem=_describe(problem),
                                                                 optimizer=optimizer))
    start = ", ".join(f"{n} = {v:.6g}" for n, v in list(zip(trace.param_names, trace.params[0]))[:6])
    click.echo(_("start:       {start} (loss {loss:.6g})").format(start=start, loss=trace.loss[0]))
    for line in summary_lines(trace):
        click.echo(line)
    if every is None and frames is None:
        frames = 60
    final = ", ".join(f"{n} = {v:.6g}" for n, v in list(zip(trace.param_names, trace.final_params))[:6])
    _deliver_run(trace, layout=layout_value, every=every, frames=frames, plane=plane,
                 pause=pause, save=save, no_show=no_show, default_name=f"{problem.name}.gif",
                 title=f"gdviz run {problem.name}", last_line=_("final:       {params}").format(params=final),
                 export=dict(fps=fps, dpi=dpi, size=size, quiet=quiet, alt_text=alt_text))


def _describe(problem) -> str:
    formula = getattr(problem, "formula", "")
    return f"{problem.name}: {formula}" if formula else problem.name


def _problem_scene(name, expr, csv_path, model, degree, hidden, data, standardize, seed, x0,
                   **network):
    """The problem part of the one description of a run (``Scene``) from the options
    (``network``: the mlp's activation, task, noise, test_fraction and l2)."""
    from .scene import Scene

    return Scene(problem="expression" if expr is not None else (model if csv_path else name),
                 formula=expr, degree=degree, hidden=hidden, data=data,
                 standardize=standardize, seed=seed, x0=x0, **network)



def _make_problem(scene, csv_path=None, x_columns=(), y_column=None, dropna=False,
                  parquet=False, max_rows=None):
    """The scene's problem, fitted to the data file's columns when one is given."""
    if csv_path is None:
        return scene.make_problem()
    from .data import load

    if not x_columns or not y_column:
        raise click.UsageError(_("--csv and --parquet need --x COLUMN (one or more) and "
                                 "--y COLUMN"))
    columns = load(csv_path, list(x_columns), y_column, dropna=dropna,
                   kind="parquet" if parquet else None, max_rows=max_rows)
    said = _("data:        {rows} rows of {inputs} and {target} from {path}").format(
        rows=len(columns.y), inputs=", ".join(columns.x_names), target=columns.y_name,
        path=csv_path)
    if columns.dropped:
        said = joined(said, columns.dropped_words())
    click.echo(said)
    try:
        return scene.make_problem((columns.x, columns.y, columns.x_names, columns.y_name))
    except ValueError as error:
        raise ValueError(_("{path}: {error}").format(path=csv_path, error=error)) from None


def _problem_on_dask(scene, path, x_columns, y_column, scheduler, stack, parquet=False):
    """The scene's model on data read by Dask from ``path`` (a CSV pattern, or Parquet),
    its sums computed on a Dask cluster (``scheduler``'s, or a local one)."""
    import time

    from ._optional import import_optional

    dd = import_optional("dask.dataframe", "big", "--engine dask")
    distributed = import_optional("distributed", "big", "--engine dask")
    from . import catalogue

    if not x_columns or not y_column:
        raise click.UsageError(_("--engine dask needs --x COLUMN (one or more) and --y COLUMN"))
    model, options = catalogue.data_model(scene)  # checked before any file is read
    wanted = list(x_columns) + [y_column]
    if parquet or str(path).lower().endswith((".parquet", ".pq")) or os.path.isdir(path):
        frame = dd.read_parquet(path, columns=wanted)
    else:
        import glob
        from pathlib import Path

        from .data import check_file, sniff

        files = sorted(glob.glob(str(path)))
        if not files:
            raise ValueError(_("{path}: no file matches").format(path=path))
        for name in files:  # no pipe or device among them: each is a regular file
            check_file(name)
        delimiter, _header = sniff(Path(files[0]))
        frame = dd.read_csv(files, sep=delimiter, usecols=wanted, dtype="float64",
                            encoding="utf-8-sig", blocksize="64MB")
    if scheduler:
        client = stack.enter_context(distributed.Client(scheduler))
    else:
        cluster = stack.enter_context(distributed.LocalCluster(dashboard_address=None))
        client = stack.enter_context(distributed.Client(cluster))
    click.echo(_("dask:        {count} partitions of {path}, on {address} (summing; this "
                 "pass reads all the data)").format(count=frame.npartitions, path=path,
                                                    address=client.scheduler.address))
    started = time.perf_counter()
    problem = model.from_frame(frame, x=list(x_columns) if len(x_columns) > 1 else x_columns[0],
                               y=y_column, progress=sys.stdout.isatty(), **options)
    shown, total = problem.shown_of
    click.echo(_("data:        {total:,} rows ({shown:,} drawn) in {seconds:.1f} s").format(
        total=total, shown=shown, seconds=time.perf_counter() - started))
    return problem


@cli.command(name="compare", help=_("Race several runs on one PROBLEM: one contour, one loss "
                                     "curve. With PROBLEM mlp and several --hidden: one "
                                     "optimizer on networks of each shape, side by side."))
@click.argument("problem_name", metavar="PROBLEM", required=False)
@click.option("--expr", help=_("Your own loss in x and y instead of a catalogue PROBLEM."))
@click.option("--run", "specs", multiple=True,
              help=_("One run: NAME or NAME:key=value,... e.g. adam:lr=0.05 or "
                   "momentum:lr=0.001,momentum=0.5 (repeat for each run)."))
@click.option("--optimizer", "optimizer_name", default=None,
              help=_("With several --lr: one run of this optimizer per learning rate."))
@click.option("--lr", "rates", type=POSITIVE, multiple=True,
              help=_("A learning rate for --optimizer (repeat: too small, good, too large)."))
@click.option("--race", is_flag=True,
              help=_("Race gd, momentum, nesterov, adagrad, rmsprop and adam."))
@click.option("--grid", is_flag=True, help=_("Small multiples: one panel per run."))
@click.option("--hidden", "shapes", multiple=True, callback=_many_layers,
              help=_("With PROBLEM mlp: a network of these hidden layers, e.g. 4 or 4,4; "
                   "repeat to race one optimizer over networks of each shape, side by side."))
@click.option("--activation", type=click.Choice(["tanh", "relu", "sigmoid"]), default=None,
              help=_("The mlp's activation (default tanh)."))
@click.option("--data", type=click.Choice(["blobs", "moons", "circles", "xor", "spirals"]),
              default=None, help=_("The mlp's two classes: circles, xor, spirals, blobs or moons."))
@click.option("--noise", type=NON_NEGATIVE, default=None, help=_("Noise of the mlp's example data."))
@click.option("--test-fraction", type=FRACTION, default=None,
              help=_("Share of the mlp's example data held out to test on (e.g. 0.3)."))
@click.option("--x0", callback=_x0, default=None, help=_("Start, e.g. -1.5,2."))
@click.option("--max-iter", type=ITERATIONS, default=1000, show_default=True)
@click.option("--tol", type=NON_NEGATIVE, default=None,
              help=_("Also stop each run when its loss falls by no more than this."))
@click.option("--seed", "seed_value", type=SEED, default=0, show_default=True)
@click.option("--every", type=POSITIVE_INT, default=None, help=_("Draw every N iterations."))
@click.option("--frames", type=POSITIVE_INT, default=None, help=_("At most N frames (default 60)."))
@click.option("--pause", type=PAUSE, default=0.1, show_default=True,
              help=_("Seconds between frames."))
@click.option("--save", type=OUTPUT, default=None,
              help=_("Save: .gif, .mp4, .html, .png, or .vtt/.srt (the captions as subtitles)."))
@click.option("--no-show", is_flag=True, help=_("Do not open a window."))
@_export_options
def compare_command(problem_name, expr, specs, optimizer_name, rates, race, grid, shapes,
                    activation, data, noise, test_fraction, x0, max_iter, tol, seed_value,
                    every, frames, pause, save, no_show, fps, dpi, size, quiet, alt_text):
    from . import catalogue, stop
    from .run import run

    if bool(problem_name) == bool(expr):
        raise click.UsageError(_("give exactly one of: a PROBLEM name or --expr FORMULA"))
    ways = sum([bool(specs), bool(rates), race])
    if ways != 1:
        raise click.UsageError(_("say which runs with exactly one of: --run SPEC (repeated), "
                                 "--optimizer NAME with --lr X (repeated), or --race"))
    if optimizer_name is not None and not rates:
        raise click.UsageError(_("--optimizer goes with --lr X (repeat --lr for each run)"))
    network = {name: value for name, value in (("activation", activation),
                                               ("noise", noise),
                                               ("test_fraction", test_fraction)) if value is not None}
    if (shapes or network or data) and problem_name != "mlp":
        raise click.UsageError(_("--hidden, --activation, --data, --noise and "
                                 "--test-fraction describe a network: give PROBLEM mlp"))
    problems = [_make_problem(_problem_scene(problem_name, expr, None, "linear", None, shape,
                                             data, False, seed_value, x0, **network))
                for shape in (shapes or (None,))]
    problem = problems[0]
    if len(problems) > 1 and (rates and len(rates) > 1 or len(specs) > 1 or race):
        raise click.UsageError(_("several --hidden race one optimizer over networks of each "
                                 "shape: give one --run SPEC, or --optimizer NAME with one "
                                 "--lr"))
    if rates:
        specs = [f"{optimizer_name or 'gd'}:lr={rate:g}" for rate in rates]
    elif race:
        specs = [f"{name}:lr={rate:g}" for name, rate in catalogue.RACE.items()]
    rule = stop.MaxIter(max_iter) | stop.Divergence()
    if tol is not None:
        rule = stop.LossImprovement(tol) | rule
    limit = getattr(problem, "max_stable_learning_rate", None)
    traces, labels = [], []
    for spec in specs:
        optimizer, label, batch_size = catalogue.run_spec(spec)
        rate = optimizer.hyperparams.get("learning_rate")
        if limit is not None and optimizer.name in ("gd", "sgd") and isinstance(rate, float):
            label = (_("{label} (above 2/L = {limit:.3g})") if rate >= limit
                     else _("{label} (below 2/L = {limit:.3g})")).format(label=label,
                                                                        limit=limit)
        for each in problems:
            traces.append(run(each, optimizer, x0=x0, stop=rule, batch_size=batch_size,
                              seed=seed_value))
            labels.append(label if len(problems) == 1 else
                          "-".join(str(size) for size in each.sizes) + f", {label}")
    grid = grid or len(problems) > 1  # networks of other shapes: each its own panel
    click.echo(_("gdviz compare: {problem}").format(problem=_describe(problem)))
    width = max(len(label) for label in labels)
    from .words.ending import reason_words

    reasons = [reason_words(trace.stop_reason) for trace in traces]
    said = max(len(reason) for reason in reasons)
    for trace, label, reason in zip(traces, labels, reasons):
        click.echo(_("  {label}  {reason} after {count:>6} iterations, final loss "
                     "{loss:.6g}").format(label=f"{label:<{width}}", reason=f"{reason:<{said}}",
                                          count=trace.iterations, loss=trace.final_loss))
    if every is None and frames is None:
        frames = 60
    from .comparison import compare

    if race:
        note = _("learning rates: gdviz's race table, a rate at which each optimizer makes "
                 "progress on the classic 2-D functions")
    else:
        note = _("learning rates: as given")

    def make(figure, interval, figsize):
        return compare(traces, labels, layout="grid" if grid else "overlay", every=every,
                       frames=frames, interval=interval, figsize=figsize, figure=figure,
                       note=note)

    _deliver(make, pause=pause, save=save, no_show=no_show,
             default_name=f"{problem.name}-race.gif", title="gdviz compare",
             export=dict(fps=fps, dpi=dpi, size=size, quiet=quiet, alt_text=alt_text),
             traces=traces)


class _FileOf(click.ParamType):
    """A file to write with a given suffix, in a folder that exists and can be written."""

    name = "path"

    def __init__(self, suffix: str):
        self.suffix = suffix

    def convert(self, value, param, ctx):
        from pathlib import Path

        path = Path(value).expanduser()
        if path.suffix.lower() != self.suffix:
            self.fail(f"must end in {self.suffix}, got {value!r}", param, ctx)
        if path.is_dir() or not path.parent.is_dir() or not os.access(path.parent, os.W_OK):
            self.fail(f"cannot write {value!r}: give a file in a folder that exists and can be "
                      "written", param, ctx)
        return path


@cli.command(name="lesson", help=_("A lesson: its scenes, what to notice and its questions. "
                                    "NAME_OR_FILE is a built-in lesson (`gdviz lesson list`) "
                                    "or a lesson file (.toml)."))
@click.argument("name", metavar="NAME_OR_FILE")
@click.option("--scene", "only", type=click.IntRange(min=0), default=None,
              help=_("Show only this scene (its number, from 0)."))
@click.option("--answers", is_flag=True, help=_("Also print the answer key (for the teacher)."))
@click.option("--worksheet", type=_FileOf(".pdf"), default=None,
              help=_("Write a printable worksheet: the questions, then the answer key."))
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True,
              help=_("The worksheet's paper size."))
@click.option("--notebook", type=_FileOf(".ipynb"), default=None,
              help=_("Write the lesson as a Jupyter notebook."))
@click.option("--frames", type=POSITIVE_INT, default=None, help=_("At most N frames (default 60)."))
@click.option("--pause", type=PAUSE, default=0.1, show_default=True,
              help=_("Seconds between frames."))
@click.option("--save", type=OUTPUT, default=None,
              help=_("Save the scenes' animation (.gif, .mp4, .html, .png); several pictures "
                   "are numbered: NAME-1.gif, NAME-2.gif, ..."))
@click.option("--no-show", is_flag=True, help=_("Do not open a window."))
@_export_options
def lesson_command(name, only, answers, worksheet, paper, notebook, frames, pause, save, no_show,
                   fps, dpi, size, quiet, alt_text):
    from . import lessons

    if name == "list":
        for number, (known, path) in enumerate(lessons.builtin().items(), start=1):
            lesson = lessons.load(path)
            click.echo(_("{number:>2}. {name} {title} ({runs} runs, {questions} questions)")
                       .format(number=number, name=f"{known:<14}", title=lesson.title,
                               runs=len(lesson.scenes), questions=len(lesson.questions)))
        return
    lesson = lessons.load(name).check()
    if only is not None and only >= len(lesson.scenes):
        raise click.UsageError(_("--scene {only}: the lesson has scenes 0 to {last}").format(
            only=only, last=len(lesson.scenes) - 1))
    click.echo(_("gdviz lesson: {title}").format(title=lesson.title))
    click.echo("")
    for paragraph in lessons.paragraphs(lesson.text):
        click.echo(paragraph)
    click.echo("")
    found = lesson.answers()
    for n, (question, answer) in enumerate(zip(lesson.questions, found), start=1):
        click.echo(_("question {n} (run {run}, {label}): {prompt}").format(
            n=n, run=question.scene, label=lesson.labels[question.scene], prompt=answer.prompt))
        if answers:
            click.echo(_("   answer: {answer}").format(answer=answer.text))
    if worksheet is not None:
        from .lessons.worksheet import write_worksheet

        click.echo(_("worksheet:   {path}").format(
            path=write_worksheet(lesson, worksheet, paper=paper)))
    if notebook is not None:
        from .lessons.notebook import write_notebook

        click.echo(_("notebook:    {path}").format(path=write_notebook(lesson, notebook)))
    if (worksheet is not None or notebook is not None) and save is None:
        return  # the files were asked for; the pictures too only with --save
    groups = [[only]] if only is not None else lesson.groups()
    traces = lesson.traces()
    export = dict(fps=fps, dpi=dpi, size=size, quiet=quiet, alt_text=alt_text)
    for number, group in enumerate(groups, start=1):
        target = save
        if save is not None and len(groups) > 1:
            target = save.with_name(f"{save.stem}-{number}{save.suffix}")
        default = f"{lesson.name}-{number}.gif" if len(groups) > 1 else f"{lesson.name}.gif"
        runs, labels = [traces[n] for n in group], [lesson.labels[n] for n in group]
        click.echo(_("scenes:      {scenes}").format(
            scenes=joined(*(f"{n}. {lesson.labels[n]}" for n in group))))
        if len(group) == 1:
            _deliver_run(runs[0], layout="classic", every=None, frames=frames or 60,
                         pause=pause, save=target, no_show=no_show, default_name=default,
                         title=f"gdviz lesson {lesson.name}", export=export)
            continue
        from .comparison import compare

        def make(figure, interval, figsize, runs=runs, labels=labels):
            return compare(runs, labels, frames=frames or 60, interval=interval,
                           figsize=figsize, figure=figure, note=_("learning rates: as the "
                                                                   "lesson sets them"))

        _deliver(make, pause=pause, save=target, no_show=no_show, default_name=default,
                 title=f"gdviz lesson {lesson.name}", export=export, traces=runs)


@cli.command(name="app", help=_("The playground in your browser: sliders, click the contour "
                                 "to start, race runs."))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=_("Address to listen on (0.0.0.0 lets other machines reach it)."))
@click.option("--port", type=click.IntRange(0, 65535), default=5006, show_default=True,
              help=_("Port to listen on (0: any free port)."))
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help=_("Also answer requests for this host name (a reverse proxy's public name); "
                   "repeat for more. Loopback names are always allowed."))
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help=_("Worker processes that make the runs (default: one per core, at least 2)."))
@click.option("--max-seconds", type=click.FloatRange(0.1, 3600), default=10.0,
              show_default=True, help=_("Wall-clock seconds one request may take."))
@click.option("--max-memory", type=click.IntRange(64, 1 << 20), default=1024,
              show_default=True, metavar="MB", help=_("Memory one request may add (MB)."))
@click.option("--max-work", type=click.FloatRange(1e3, 1e15), default=2e8,
              show_default=True, help=_("Work one request may do: iterations × parameters × "
                                      "data rows, summed over the race."))
@click.option("--max-sessions", type=click.IntRange(1, 100_000), default=100,
              show_default=True, help=_("Pages open at once."))
@click.option("--no-look-ahead", is_flag=True,
              help=_("Do not compute the learning-rate slider's neighbouring rates on idle "
                     "workers ahead of a move (with them, a move to one is drawn at once)."))
@click.option("--no-browser", is_flag=True, help=_("Do not open a browser."))
def app_command(host, port, allow_hosts, workers, max_seconds, max_memory, max_work,
                max_sessions, no_look_ahead, no_browser):
    from .app import Limits, serve

    limits = Limits(max_seconds=max_seconds, max_memory_mb=max_memory, max_work=max_work,
                    max_sessions=max_sessions, workers=workers, look_ahead=not no_look_ahead)
    try:
        serve(host, port, open_browser=not no_browser, echo=lambda line: click.echo(line),
              allow_hosts=allow_hosts, limits=limits)
    except OSError as error:
        raise ValueError(_("cannot listen on {host}:{port} ({error}); choose another "
                           "--port").format(host=host, port=port,
                                            error=error.strerror or error)) from None


@cli.command(name="list", help=_("List every model, optimizer and schedule, one line each."))
def list_command():
    import inspect

    from .catalogue import default_learning_rate
    from .catalogue import problem as make_problem
    from .optim import OPTIMIZERS
    from .optim.schedules import SCHEDULES
    from .problems import PROBLEMS

    click.echo(_("models (gdviz run NAME):"))
    for name in sorted(PROBLEMS):
        click.echo(f"  {name:<12} {make_problem(name).summary()}")
    click.echo(_("  (or --expr \"formula in x and y\", or --csv FILE --x COL --y COL "
                 "--model ...)"))
    from .problems.datasets import DESCRIPTIONS

    click.echo(_("datasets of the mlp (gdviz run mlp --data NAME --noise X "
                 "--test-fraction F):"))
    for name, words in DESCRIPTIONS.items():
        click.echo(f"  {name:<12} {_(words)}")
    click.echo(_("optimizers (--optimizer NAME):"))
    for name, (_function, line) in OPTIMIZERS.items():
        click.echo(_("  {name} {line}; default learning rate {rate:g}").format(
            name=f"{name:<12}", line=_(line), rate=default_learning_rate(name)))
    click.echo(_("schedules (--schedule NAME[:key=value,...]):"))
    for name, cls in SCHEDULES.items():
        keys = [p for p in inspect.signature(cls.__init__).parameters
                if p not in ("self", "learning_rate")]
        click.echo(_("  {name} {words} (settings: {keys})").format(
            name=f"{name:<12}", words=_(cls.words), keys=", ".join(keys) or _("none")))


def _language(ctx, param, value):
    """``--lang``: already chosen by the launcher (``gdviz.launch``) before the commands
    were made; here it is checked, and set for a caller that skipped the launcher."""
    if value is not None:
        from .words.i18n import checked_language, language, set_language

        try:
            code = checked_language(value)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None
        if code != language():
            set_language(code)
    return value


def _with_language(command: click.Command) -> None:
    command.params.append(click.Option(
        ["--lang"], default=None, expose_value=False, is_eager=True, callback=_language,
        metavar="LANG", help=_("The language of every word: en (English, the default) or zh "
        "(简体中文); also GDVIZ_LANG or the locale (LANG=zh_CN.UTF-8).")))


for _command in (cli, *cli.commands.values()):
    _with_language(_command)


def main() -> None:
    cli.main(prog_name="gdviz")


if __name__ == "__main__":
    main()
