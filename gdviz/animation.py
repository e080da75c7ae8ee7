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

#: Named layouts: which views, in which order. "classic" picks the data view
#: that fits the problem (fit or boundary, none for a 2-D function).
LAYOUTS = {
    "seed": ("fit",),
    "classic": ("data", "contour", "loss"),
    "full": ("data", "contour", "surface", "loss", "parameters", "arithmetic"),
}

#: Figure size in inches by number of panels (the blog's figure was 14x8).
FIGSIZES = {1: (14, 8), 2: (15, 6.5), 3: (20, 6.5), 4: (16, 11), 5: (20, 11), 6: (20, 11)}


def grid_shape(panels: int) -> tuple[int, int]:
    """Rows and columns for a number of panels: one row up to three, then two rows."""
    return (1, panels) if panels <= 3 else (2, (panels + 1) // 2)


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
        self.current_iteration = i
        artists = []
        for view in self.views:
            artists.extend(view.update(i))
        return artists

    def _first_frame(self) -> list:
        return self.draw_iteration(int(self.frame_iterations[0]))

    def save(self, filename, writer=None, *args, **kwargs):
        """Save by suffix, atomically: ``.gif``, ``.mp4``, ``.html`` (a self-contained
        player), ``.png`` (the final state), ``.json``/``.npz``/``.csv`` (the trace).

        Keyword arguments ``fps``, ``dpi`` and ``progress`` are honoured; with
        ``writer=`` this is matplotlib's own ``Animation.save``.
        """
        if writer is not None or args:
            return super().save(filename, writer, *args, **kwargs)
        from .outputs import save

        self._draw_was_started = True  # gdviz's writers draw the frames themselves
        return save(self, filename, **kwargs)

    def _repr_html_(self) -> str:
        """Jupyter's inline display: gdviz's own player with every frame, in an
        iframe so several players in one notebook do not interfere."""
        import html

        from .html import player_page
        from .outputs import _frame_ms, _frames, _title

        dpi = 72
        page = player_page(_frames(self, dpi, None, "notebook"), frame_ms=_frame_ms(self, None),
                           iterations=[int(i) for i in self.frame_iterations], title=_title(self))
        width, height = (self._fig.get_size_inches() * dpi).astype(int)
        return (f'<iframe srcdoc="{html.escape(page)}" width="{width + 40}" '
                f'height="{height + 160}" style="border:none"></iframe>')


def resolve_layout(layout, trace: Trace) -> tuple[str, ...]:
    """The view names of ``layout`` (a name or a list of view names) for this trace."""
    if isinstance(layout, str):
        if layout not in LAYOUTS:
            raise ValueError(_unknown("layout", layout, LAYOUTS))
        names = []
        for name in LAYOUTS[layout]:
            if name == "data":
                name = next((n for n in ("fit", "boundary") if VIEWS[n].supports(trace)), None)
            if name is not None and (layout == "seed" or VIEWS[name].supports(trace)):
                names.append(name)
        return tuple(names) or ("loss",)
    names = tuple(layout)
    for name in names:
        if name not in VIEWS:
            raise ValueError(_unknown("view", name, VIEWS))
    for name in names:
        if not VIEWS[name].supports(trace):
            raise ValueError(f"the {name!r} view cannot draw this run's problem")
    return names


def _unknown(kind: str, name: str, known) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown {kind} {name!r}{hint} (known: {', '.join(known)})"


def figure_title(trace: Trace) -> str:
    """What ran, in a few words: the problem, the optimizer and its learning rate."""
    settings = trace.settings
    problem = trace.problem
    what = getattr(problem, "formula", "") if problem is not None else ""
    if problem is not None and hasattr(problem, "n_samples"):
        what = type(problem).__name__
    elif problem is None:
        what = settings.get("problem", "")
    how = settings.get("optimizer_name", "")
    rate = settings.get("learning_rate")
    if rate is not None:
        how += f", learning rate {rate:g}" if isinstance(rate, float) else f", learning rate {rate}"
    if settings.get("batch_size"):
        how += f", batch size {settings['batch_size']}"
    return f"Gradient descent: {what}   ·   {how}" if what else f"Gradient descent   ·   {how}"


def animate(trace: Trace, layout: str | Sequence[str] = "classic", *, every: int | None = None,
            frames: int | None = None, figure: Figure | None = None,
            figsize: tuple[float, float] | None = None, interval: float = 200,
            repeat: bool = False) -> DescentAnimation:
    """Animate a run: each view in the layout, moved together frame by frame.

    Parameters
    ----------
    trace : Trace
        The run to show (from :func:`gdviz.run`).
    layout : str or list of str
        ``"classic"`` (data, contour and loss curve: what fits the problem),
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
    names = resolve_layout(layout, trace)
    view_classes = [VIEWS[name] for name in names]
    if figure is None:
        figure = Figure(figsize=figsize or FIGSIZES[min(len(names), 6)], layout="constrained")
    figure.suptitle(figure_title(trace), fontsize=14)
    rows, columns = grid_shape(len(view_classes))
    views = []
    status_placed = False
    for number, cls in enumerate(view_classes, start=1):
        ax = figure.add_subplot(rows, columns, number, projection=cls.projection)
        view = cls()
        # One status box per figure, in the first panel that can hold one.
        view.show_status = cls.show_status and not status_placed
        status_placed = status_placed or view.show_status
        view.setup(ax, trace)
        views.append(view)
    iterations = frame_iterations(trace.iterations, every=every, frames=frames)
    return DescentAnimation(figure, views, trace, iterations, interval=interval, repeat=repeat)
