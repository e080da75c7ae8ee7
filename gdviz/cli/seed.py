"""``gdviz seed``: the blog's program."""
from __future__ import annotations

import click

from ..words.i18n import _
from .options import (ITERATIONS, NON_NEGATIVE, OUTPUT, PAUSE, POSITIVE, POSITIVE_INT, SEED,
                      _export_options)
from .group import cli
from .deliver import _deliver_run, _layout


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
@click.option("--layout", metavar=_("LAYOUT"), default="seed", show_default=True,
              help=_("seed (the blog's panel), classic (data, contour, loss), full (also surface, "
                   "parameters, arithmetic), or views joined by commas from fit, boundary, map, "
                   "network, contour, surface, loss, parameters, arithmetic, chain, promise, "
                   "eigen."))
@click.option("--save", metavar=_("FILE"), type=OUTPUT, default=None,
              help=_("Save the animation; the suffix picks the format: .gif, .mp4, .html, .png "
                   "(the final picture), .vtt/.srt (the captions as subtitles), "
                   ".json/.npz/.csv (the run's numbers)."))
@click.option("--no-show", is_flag=True, help=_("Do not open a window."))
@_export_options
def seed(seed_value, lr, tol, every, pause, max_iter, layout, save, no_show, fps, dpi, size,
         quiet, alt_text):
    import numpy as np

    from .. import optim, problems, stop
    from ..words.ending import summary_lines
    from ..run import run

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
