"""Showing or saving what a command made: a window, a file, or both."""
from __future__ import annotations

import os
import sys

import click

from ..words.i18n import _
from .options import OUTPUT


def _layout(text: str, trace):
    """A layout name or views joined by commas, checked now: a misspelt view is an
    error even with --no-show."""
    from ..animation import LAYOUTS, resolve_layout
    from ..catalogue import unknown
    from ..views import VIEWS

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
        from ..window import has_display

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
        from ..words import describe

        click.echo(_("alt text:    {text}").format(text=" ".join(describe(trace)
                                                                   for trace in traces)))
    if last_line is not None:
        click.echo(last_line)
    sys.stdout.flush()
    if show:
        from ..window import play

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
    from ..animation import FIGSIZES, animate, resolve_layout

    def make(figure, interval, figsize):
        return animate(trace, layout=layout, every=every, frames=frames, figure=figure,
                       interval=interval, figsize=figsize, plane=plane)

    panels = len(resolve_layout(layout, trace))
    _deliver(make, window_size=FIGSIZES[min(panels, 6)], traces=[trace], **options)
