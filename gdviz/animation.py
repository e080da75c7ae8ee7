"""Lay views out in a figure and animate them over a Trace."""
from __future__ import annotations

import difflib
from typing import Sequence

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

from .frames import frame_iterations
from .trace import Trace
from .views import VIEWS

#: Named layouts: which views, in which order.
LAYOUTS = {"seed": ("fit",)}

#: Figure size in inches for each layout (the blog's figure was 14x8).
FIGSIZES = {"seed": (14, 8)}


class DescentAnimation(FuncAnimation):
    """A matplotlib ``FuncAnimation`` of a run, with suffix-based ``save``.

    ``save("run.gif")`` picks gdviz's fast writer from the file suffix; passing
    matplotlib's ``writer=`` uses matplotlib's own machinery instead. In
    Jupyter it displays inline as an interactive player.
    """

    def __init__(self, figure, views, trace: Trace, iterations: np.ndarray,
                 interval: float = 200, repeat: bool = False):
        self.trace = trace
        self.views = list(views)
        self.frame_iterations = np.asarray(iterations)
        super().__init__(
            figure, self.draw_iteration, frames=[int(i) for i in self.frame_iterations],
            init_func=self._first_frame, interval=interval, repeat=repeat, blit=True,
            cache_frame_data=False,
        )

    def draw_iteration(self, i: int) -> list:
        """Move every view to iteration ``i``; return the artists that changed."""
        # Drawing by hand counts as rendering: matplotlib warns when an
        # animation that never drew is deleted.
        self._draw_was_started = True
        artists = []
        for view in self.views:
            artists.extend(view.update(i))
        return artists

    def _first_frame(self) -> list:
        return self.draw_iteration(int(self.frame_iterations[0]))

    def save(self, filename, writer=None, *args, **kwargs):
        """Save by suffix (``.gif``, ``.png``, ``.json``), atomically.

        Keyword arguments ``fps`` and ``dpi`` are honoured; with ``writer=``
        this is matplotlib's ``Animation.save``.
        """
        if writer is not None or args:
            return super().save(filename, writer, *args, **kwargs)
        from .outputs import save

        self._draw_was_started = True  # gdviz's writers draw the frames themselves
        return save(self, filename, **kwargs)

    def _repr_html_(self):
        return self.to_jshtml()


def _resolve_layout(layout) -> tuple[str, ...]:
    if isinstance(layout, str):
        if layout not in LAYOUTS:
            raise ValueError(_unknown("layout", layout, LAYOUTS))
        return LAYOUTS[layout]
    names = tuple(layout)
    for name in names:
        if name not in VIEWS:
            raise ValueError(_unknown("view", name, VIEWS))
    return names


def _unknown(kind: str, name: str, known) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown {kind} {name!r}{hint} (known: {', '.join(known)})"


def animate(trace: Trace, layout: str | Sequence[str] = "seed", *, every: int | None = None,
            frames: int | None = None, figure: Figure | None = None,
            figsize: tuple[float, float] | None = None, interval: float = 200,
            repeat: bool = False) -> DescentAnimation:
    """Animate a run: each view in the layout, moved together frame by frame.

    Parameters
    ----------
    trace : Trace
        The run to show (from :func:`gdviz.run`).
    layout : str or list of str
        ``"seed"`` (the blog's single panel) or a list of view names.
    every, frames : int, optional
        Draw every k-th iteration, or at most N frames (see ``frame_iterations``).
    figure : Figure, optional
        Draw into this figure (e.g. one made by ``pyplot`` for a live window);
        by default a new figure not managed by pyplot.
    interval : float
        Milliseconds between frames in a window, and each frame's duration in a GIF.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.LinearRegression.seed(seed=0),
    ...                   optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01))
    >>> anim = gdviz.animate(trace, layout="seed", every=100)
    >>> anim.frame_iterations[-1]
    np.int64(1161)
    """
    names = _resolve_layout(layout)
    view_classes = [VIEWS[name] for name in names]
    for cls in view_classes:
        if not cls.supports(trace):
            raise ValueError(f"the {cls.name!r} view cannot draw this run's problem")
    if figure is None:
        size = figsize or FIGSIZES.get(layout if isinstance(layout, str) else "", (14, 8))
        figure = Figure(figsize=size, layout="constrained")
    axes = figure.subplots(1, len(view_classes), squeeze=False)[0]
    views = []
    for ax, cls in zip(axes, view_classes):
        view = cls()
        view.setup(ax, trace)
        views.append(view)
    iterations = frame_iterations(trace.iterations, every=every, frames=frames)
    return DescentAnimation(figure, views, trace, iterations, interval=interval, repeat=repeat)
