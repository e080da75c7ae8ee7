"""``gdviz list``: every model, optimizer and schedule."""
from __future__ import annotations

import click

from ..words.i18n import _, listed
from .group import cli


@cli.command(name="list", help=_("List every model, optimizer and schedule, one line each."))
def list_command():
    import inspect

    from ..catalogue import default_learning_rate
    from ..catalogue import problem as make_problem
    from ..optim import OPTIMIZERS
    from ..optim.schedules import SCHEDULES
    from ..problems import PROBLEMS

    click.echo(_("models (gdviz run NAME):"))
    for name in sorted(PROBLEMS):
        click.echo(f"  {name:<12} {make_problem(name).summary()}")
    click.echo(_("  (or --expr \"formula in x and y\", or --csv FILE --x COL --y COL "
                 "--model ...)"))
    from ..problems.datasets import DESCRIPTIONS

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
            name=f"{name:<12}", words=_(cls.words), keys=listed(keys) or _("none")))
