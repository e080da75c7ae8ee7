"""``gdviz run``: one run of a problem, a formula or your data."""
from __future__ import annotations

import contextlib
import os
import sys

import click

from ..words.i18n import _, joined, listed
from .options import (FRACTION, ITERATIONS, NON_NEGATIVE, OUTPUT, PAUSE, POSITIVE,
                      POSITIVE_INT, SEED, _export_options, _layers, _x0)
from .group import cli
from .deliver import _deliver_run, _layout


@cli.command(name="run", help=_("Run gradient descent on PROBLEM (see `gdviz list`), a "
                                 "formula or your CSV data."))
@click.argument("problem_name", metavar="PROBLEM", required=False)
@click.option("--expr", metavar=_("FORMULA"),
              help=_('Your own loss in x and y, e.g. "(1-x)**2 + 100*(y-x**2)**2".'))
@click.option("--csv", "csv_path", metavar=_("FILE"), type=click.Path(dir_okay=False),
              help=_("Your data: a CSV file "
              "with a header row (any of , ; tab | as the delimiter; .gz compressed too)."))
@click.option("--parquet", "parquet_path", metavar=_("PATH"), type=click.Path(),
              help=_("Your data: a Parquet file (or, with --engine dask, a folder of them)."))
@click.option("--engine", type=click.Choice(["memory", "dask"]), default="memory",
              show_default=True, help=_("dask: data beyond memory (--csv with a pattern like "
              "'data/*.csv', or --parquet FILE_OR_FOLDER), summed where it lies."))
@click.option("--scheduler", metavar=_("ADDRESS"), default=None,
              help=_("With --engine dask: the address of a running Dask scheduler "
                   "(default: a local cluster on this machine)."))
@click.option("--max-rows", type=POSITIVE_INT, default=None,
              help=_("Read only the first N data rows (for files past the in-memory limits)."))
@click.option("--dropna", is_flag=True,
              help=_("Drop data rows with a missing or non-finite value (counted in the summary) "
                   "instead of refusing the file."))
@click.option("--x", "x_columns", metavar=_("COLUMN"), multiple=True,
              help=_("CSV column(s) of the inputs (repeat for more)."))
@click.option("--y", "y_column", metavar=_("COLUMN"),
              help=_("CSV column of the target (0/1 labels for logistic)."))
@click.option("--model", type=click.Choice(["linear", "polynomial", "logistic", "mlp"]),
              default="linear", show_default=True, help=_("Model for --csv data."))
@click.option("--degree", type=POSITIVE_INT, default=None, help=_("Polynomial degree."))
@click.option("--hidden", metavar=_("UNITS"), callback=_layers, default=None,
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
@click.option("--optimizer", "optimizer_name", metavar=_("NAME"), default="gd",
              show_default=True,
              help=_("gd, sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw."))
@click.option("--lr", type=POSITIVE, default=None, help=_("Learning rate (default: the optimizer's)."))
@click.option("--momentum", type=NON_NEGATIVE, default=None, help=_("Momentum (momentum, nesterov, rmsprop)."))
@click.option("--beta1", type=NON_NEGATIVE, default=None, help=_("Adam's beta1."))
@click.option("--beta2", type=NON_NEGATIVE, default=None, help=_("Adam's beta2."))
@click.option("--weight-decay", type=NON_NEGATIVE, default=None, help=_("Weight decay."))
@click.option("--batch-size", type=POSITIVE_INT, default=None, help=_("Mini-batch size (data models)."))
@click.option("--schedule", metavar=_("SCHEDULE"), default=None,
              help=_("Learning-rate schedule: constant, step, exponential, cosine, warmup; "
                   "settings as name:key=value,... e.g. step:step_size=100,gamma=0.5."))
@click.option("--x0", metavar=_("NUMBERS"), callback=_x0, default=None,
              help=_("Start, e.g. -1.5,2."))
@click.option("--max-iter", type=ITERATIONS, default=1000, show_default=True,
              help=_("Stop after at most N iterations."))
@click.option("--tol", type=NON_NEGATIVE, default=None,
              help=_("Also stop when the loss falls by no more than this (the blog's rule)."))
@click.option("--grad-tol", type=POSITIVE, default=None,
              help=_("Also stop when the gradient's norm is below this."))
@click.option("--seed", "seed_value", type=SEED, default=0, show_default=True,
              help=_("Seed of the example data and the mini-batch shuffling."))
@click.option("--layout", metavar=_("LAYOUT"), default="classic", show_default=True,
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
@click.option("--save", metavar=_("FILE"), type=OUTPUT, default=None,
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
    from .. import catalogue
    from ..words.ending import summary_lines

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
    formula = getattr(problem, "formula", "")  # a model's, marked for translation
    return f"{problem.name}: {_(formula)}" if formula else problem.name


def _problem_scene(name, expr, csv_path, model, degree, hidden, data, standardize, seed, x0,
                   **network):
    """The problem part of the one description of a run (``Scene``) from the options
    (``network``: the mlp's activation, task, noise, test_fraction and l2)."""
    from ..scene import Scene

    return Scene(problem="expression" if expr is not None else (model if csv_path else name),
                 formula=expr, degree=degree, hidden=hidden, data=data,
                 standardize=standardize, seed=seed, x0=x0, **network)



def _make_problem(scene, csv_path=None, x_columns=(), y_column=None, dropna=False,
                  parquet=False, max_rows=None):
    """The scene's problem, fitted to the data file's columns when one is given."""
    if csv_path is None:
        return scene.make_problem()
    from ..data import load

    if not x_columns or not y_column:
        raise click.UsageError(_("--csv and --parquet need --x COLUMN (one or more) and "
                                 "--y COLUMN"))
    columns = load(csv_path, list(x_columns), y_column, dropna=dropna,
                   kind="parquet" if parquet else None, max_rows=max_rows)
    said = _("data:        {rows} rows of {inputs} and {target} from {path}").format(
        rows=len(columns.y), inputs=listed(columns.x_names), target=columns.y_name,
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

    from .._optional import import_optional

    dd = import_optional("dask.dataframe", "big", "--engine dask")
    distributed = import_optional("distributed", "big", "--engine dask")
    from .. import catalogue

    if not x_columns or not y_column:
        raise click.UsageError(_("--engine dask needs --x COLUMN (one or more) and --y COLUMN"))
    model, options = catalogue.data_model(scene)  # checked before any file is read
    wanted = list(x_columns) + [y_column]
    if parquet or str(path).lower().endswith((".parquet", ".pq")) or os.path.isdir(path):
        frame = dd.read_parquet(path, columns=wanted)
    else:
        import glob
        from pathlib import Path

        from ..data import check_file, sniff

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
