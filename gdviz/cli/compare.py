"""``gdviz compare``: several runs raced on one problem."""
from __future__ import annotations

import click

from ..words.i18n import _
from .options import (FRACTION, ITERATIONS, NON_NEGATIVE, OUTPUT, PAUSE, POSITIVE,
                      POSITIVE_INT, SEED, _export_options, _many_layers,
                      _x0)
from .group import cli
from .deliver import _deliver
from .run import _describe, _make_problem, _problem_scene


@cli.command(name="compare", help=_("Race several runs on one PROBLEM: one contour, one loss "
                                     "curve. With PROBLEM mlp and several --hidden: one "
                                     "optimizer on networks of each shape, side by side."))
@click.argument("problem_name", metavar="PROBLEM", required=False)
@click.option("--expr", metavar=_("FORMULA"),
              help=_("Your own loss in x and y instead of a catalogue PROBLEM."))
@click.option("--run", "specs", metavar=_("SPEC"), multiple=True,
              help=_("One run: NAME or NAME:key=value,... e.g. adam:lr=0.05 or "
                   "momentum:lr=0.001,momentum=0.5 (repeat for each run)."))
@click.option("--optimizer", "optimizer_name", metavar=_("NAME"), default=None,
              help=_("With several --lr: one run of this optimizer per learning rate."))
@click.option("--lr", "rates", type=POSITIVE, multiple=True,
              help=_("A learning rate for --optimizer (repeat: too small, good, too large)."))
@click.option("--race", is_flag=True,
              help=_("Race gd, momentum, nesterov, adagrad, rmsprop and adam."))
@click.option("--grid", is_flag=True, help=_("Small multiples: one panel per run."))
@click.option("--hidden", "shapes", metavar=_("UNITS"), multiple=True, callback=_many_layers,
              help=_("With PROBLEM mlp: a network of these hidden layers, e.g. 4 or 4,4; "
                   "repeat to race one optimizer over networks of each shape, side by side."))
@click.option("--activation", type=click.Choice(["tanh", "relu", "sigmoid"]), default=None,
              help=_("The mlp's activation (default tanh)."))
@click.option("--data", type=click.Choice(["blobs", "moons", "circles", "xor", "spirals"]),
              default=None, help=_("The mlp's two classes: circles, xor, spirals, blobs or moons."))
@click.option("--noise", type=NON_NEGATIVE, default=None, help=_("Noise of the mlp's example data."))
@click.option("--test-fraction", type=FRACTION, default=None,
              help=_("Share of the mlp's example data held out to test on (e.g. 0.3)."))
@click.option("--x0", metavar=_("NUMBERS"), callback=_x0, default=None,
              help=_("Start, e.g. -1.5,2."))
@click.option("--max-iter", type=ITERATIONS, default=1000, show_default=True,
              help=_("Stop after at most N iterations."))
@click.option("--tol", type=NON_NEGATIVE, default=None,
              help=_("Also stop each run when its loss falls by no more than this."))
@click.option("--seed", "seed_value", type=SEED, default=0, show_default=True,
              help=_("Seed of the example data and the mini-batch shuffling."))
@click.option("--every", type=POSITIVE_INT, default=None, help=_("Draw every N iterations."))
@click.option("--frames", type=POSITIVE_INT, default=None, help=_("At most N frames (default 60)."))
@click.option("--pause", type=PAUSE, default=0.1, show_default=True,
              help=_("Seconds between frames."))
@click.option("--save", metavar=_("FILE"), type=OUTPUT, default=None,
              help=_("Save: .gif, .mp4, .html, .png, or .vtt/.srt (the captions as subtitles)."))
@click.option("--no-show", is_flag=True, help=_("Do not open a window."))
@_export_options
def compare_command(problem_name, expr, specs, optimizer_name, rates, race, grid, shapes,
                    activation, data, noise, test_fraction, x0, max_iter, tol, seed_value,
                    every, frames, pause, save, no_show, fps, dpi, size, quiet, alt_text):
    from .. import catalogue, stop
    from ..run import run

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
    from ..words.ending import reason_words
    from ..words.widths import pad, width

    columns = max(width(label) for label in labels)
    reasons = [reason_words(trace.stop_reason) for trace in traces]
    said = max(width(reason) for reason in reasons)
    for trace, label, reason in zip(traces, labels, reasons):
        click.echo(_("  {label}  {reason} after {count:>6} iterations, final loss "
                     "{loss:.6g}").format(label=pad(label, columns), reason=pad(reason, said),
                                          count=trace.iterations,
                                          loss=trace.final_loss).rstrip())
    if every is None and frames is None:
        frames = 60
    from ..comparison import compare

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
