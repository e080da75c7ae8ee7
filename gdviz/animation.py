"""Lay views out in a figure and animate them over a Trace."""
from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

from ._validate import unknown
from .words.i18n import _
from .frames import DEFAULT_FRAMES, frame_iterations, lesson_iterations
from .trace import Trace
from .views import VIEWS
from .views.status import StatusStrip

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
                 interval: float = 200, repeat: bool = False, status=None):
        self.trace = trace
        self.views = list(views)
        #: The line under the panels defining the jargon the picture uses ("" if none).
        self.glossary = ""
        #: The status strip above the panels (words, not a panel), or None.
        self.status = status
        self.frame_iterations = np.asarray(iterations)
        super().__init__(
            figure, self.draw_iteration, frames=[int(i) for i in self.frame_iterations],
            init_func=self._first_frame, interval=interval, repeat=repeat, blit=True,
            cache_frame_data=False,
        )
        # gdviz's own writers and players draw the frames; matplotlib's warning about an
        # animation deleted before it drew would only confuse (e.g. after anim.save).
        self._draw_was_started = True

    @property
    def frame_captions(self) -> list[str]:
        """The narrator's caption of each frame (``gdviz.words``), as the pictures show it."""
        return list(getattr(self.status, "words", [""] * len(self.frame_iterations)))

    @property
    def frame_kinds(self) -> list[str]:
        """Which sentence each frame's caption is (a new kind is worth time to read)."""
        return list(getattr(self.status, "kinds", [""] * len(self.frame_iterations)))

    def draw_iteration(self, i: int) -> list:
        """Move every view to iteration ``i``; return the artists that changed."""
        self.current_iteration = i
        artists = []
        for view in self.views + ([self.status] if self.status is not None else []):
            artists.extend(view.update(i))
        return artists

    def _step(self, *args):
        """Draw the next frame in a window, each held as long as in a saved file
        (``outputs.frame_durations``: the first, new captions to read). The last stays
        until the window is closed."""
        going = super()._step(*args)
        if going and self.event_source is not None and self.frame_iterations.size > 1:
            from .outputs import frame_durations

            if getattr(self, "_durations", None) is None:
                self._durations = frame_durations(self, None)
            position = int(np.searchsorted(self.frame_iterations,
                                           getattr(self, "current_iteration", 0)))
            position = min(position, len(self._durations) - 1)
            self.event_source.interval = max(self._interval, self._durations[position])
        return going

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

        return save(self, filename, **kwargs)

    def _repr_html_(self) -> str:
        """Jupyter's inline display: gdviz's own player with every frame, in an
        iframe so several players in one notebook do not interfere."""
        import html

        from .html import player_page
        from .outputs import _frames, _title, alt_text, frame_durations

        dpi = 72
        page = player_page(_frames(self, dpi, None, "notebook"), durations=frame_durations(self, None),
                           iterations=[int(i) for i in self.frame_iterations], title=_title(self),
                           captions=self.frame_captions, description=alt_text(self))
        width, height = (self._fig.get_size_inches() * dpi).astype(int)
        return (f'<iframe srcdoc="{html.escape(page)}" width="{width + 40}" '
                f'height="{height + 160}" style="border:none"></iframe>')


def resolve_layout(layout, trace: Trace) -> tuple[str, ...]:
    """The view names of ``layout`` (a name or a list of view names) for this trace."""
    if isinstance(layout, str):
        if layout not in LAYOUTS:
            raise unknown("layout", layout, LAYOUTS)
        names = []
        for name in LAYOUTS[layout]:
            if name == "data":
                # The data itself where it can be drawn; else a network's picture (more
                # than two inputs: no plane to draw a map on).
                name = next((n for n in ("fit", "boundary", "map", "network")
                             if VIEWS[n].supports(trace)), None)
            if name is not None and (layout == "seed" or VIEWS[name].supports(trace)):
                names.append(name)
        return tuple(names) or ("loss",)
    names = tuple(layout)
    for name in names:
        if name not in VIEWS:
            raise unknown("view", name, VIEWS)
    for name in names:
        if not VIEWS[name].supports(trace):
            refusal = getattr(VIEWS[name], "refusal", None)
            reason = refusal(trace) if refusal is not None else None
            raise ValueError(reason or _("the {name!r} view cannot draw this run's "
                                         "problem").format(name=name))
    return names


def figure_title(trace: Trace) -> str:
    """What ran, in plain words: the problem, then the optimizer and its learning rate."""
    from .views.style import plain_title

    settings = trace.settings

    how = settings.get("optimizer_name", "")
    rate = settings.get("learning_rate")
    if rate is not None:
        how = _("{optimizer}, learning rate {rate}").format(
            optimizer=how, rate=f"{rate:g}" if isinstance(rate, float) else rate)
    if settings.get("batch_size"):
        how = _("{how}, batch size {size}").format(how=how, size=settings["batch_size"])
    what = plain_title(trace)
    return f"{what}   ·   {how}" if what else how


def figure_legend(figure, axes, columns: int = 6) -> None:
    """One legend for the whole figure, in a strip below the panels: it can never cover a
    path, a point or a minimum. Entries with the same words appear once."""
    handles = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            if not label.startswith("_"):
                handles.setdefault(label, handle)
    if handles:
        figure.legend(list(handles.values()), list(handles), loc="outside lower center",
                      ncol=legend_columns(list(handles), figure, columns), fontsize=11,
                      frameon=False)


def figure_glossary(figure, body, texts) -> str:
    """One line (or two) under the legend defining the jargon the picture uses
    (``words.glossary``): the terms found in ``texts`` and in every text drawn now."""
    from matplotlib.text import Text

    from .words.glossary import glossary_line

    drawn = [text.get_text() for text in figure.findobj(Text)]
    columns = int(figure.get_size_inches()[0] * 72 / 6.6)  # 11-point type: ~6.6 pt a character
    line = glossary_line([*drawn, *texts], columns)
    if line:
        figure.supxlabel(line, fontsize=11, color="0.3", linespacing=1.3)
    return line


def legend_columns(labels, figure, most: int) -> int:
    """The most columns (up to ``most``) whose widest entries fit the figure's width
    (a legend fills column by column; 11-point type is about 6 points a character)."""
    width = figure.get_figure(root=True).get_size_inches()[0] * 72
    for count in range(min(most, len(labels)), 1, -1):
        # Matplotlib fills columns as evenly as it can, the first ones one entry longer.
        rows, extra = divmod(len(labels), count)
        sizes = [rows + (c < extra) for c in range(count)]
        starts = np.cumsum([0] + sizes)
        needed = sum(max(len(label) for label in labels[a:b]) * 6.5 + 45
                     for a, b in zip(starts[:-1], starts[1:]) if b > a)
        if needed <= width:
            return count
    return 1


def panel_grid(figure, panels: int, status_inches: float = 0.75):
    """A status strip across the top and ``panels`` panels below it, as two subfigures
    (each laid out on its own); returns the strip's axes, the panels' subfigure and a
    function giving the subplot spec of panel ``k``."""
    rows, columns = grid_shape(panels)
    height = figure.get_size_inches()[1]
    top, body = figure.subfigures(2, 1, height_ratios=[status_inches, max(height - status_inches, 1)])
    strip = top.add_subplot()
    grid = body.add_gridspec(rows, columns)
    return strip, body, lambda k: grid[k // columns, k % columns]


def readable_iterations(trace: Trace, frames: int, interval: float) -> np.ndarray:
    """``lesson_iterations`` with at most ``frames`` frames, fewer where needed so that
    with every new caption held its reading time the animation lasts at most
    ``outputs.LONGEST_MS``: frames are dropped, never the time to read."""
    from .outputs import LONGEST_MS, held_durations
    from .words import Narrator

    narrator = Narrator(trace)
    while True:
        iterations = lesson_iterations(trace, frames)
        said = narrator.frames(iterations)
        total = sum(held_durations([words for _kind, words in said],
                                   [kind for kind, _words in said], max(int(interval), 20)))
        if total <= LONGEST_MS or frames <= 12:
            return iterations
        frames = max(12, int(frames * 0.8))


def animate(trace: Trace, layout: str | Sequence[str] = "classic", *, every: int | None = None,
            frames: int | None = None, figure: Figure | None = None,
            figsize: tuple[float, float] | None = None, interval: float = 200,
            repeat: bool = False, plane: str = "slice") -> DescentAnimation:
    """Animate a run: each view in the layout, moved together frame by frame.

    Parameters
    ----------
    trace : Trace
        The run to show (from :func:`gdviz.run`).
    layout : str or list of str
        ``"classic"`` (data, contour and loss curve: what fits the problem),
        ``"seed"`` (the blog's single panel) or a list of view names.
    every, frames : int, optional
        Draw every k-th iteration (the blog draws every 100th), or at most N frames placed
        where the run changes most and where the narrator names an event
        (``lesson_iterations``). With neither, at most 60
        frames, fewer where the captions' reading time would make the animation last
        over 45 s (``readable_iterations``).
    figure : Figure, optional
        Draw into this figure (e.g. one made by ``pyplot`` for a live window);
        by default a new figure not managed by pyplot.
    interval : float
        Milliseconds between frames in a window, and each frame's duration in a GIF.
    plane : {"slice", "pca"}
        What the contour and the surface of a run with more than two parameters draw:
        the slice through the current point (the others at their values now), or the
        plane of the whole path (``gdviz.landscape.pca_plane``).

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
    from .views.plane import PLANES

    if plane not in PLANES:
        raise unknown("plane", plane, PLANES)
    if every is not None and frames is not None:
        raise ValueError(_("give either every= or frames=, not both"))
    if every is not None:
        iterations = frame_iterations(trace.iterations, every=every)
    elif frames is None:
        iterations = readable_iterations(trace, DEFAULT_FRAMES, interval)
    else:
        iterations = lesson_iterations(trace, frames)
    if figure is None:
        figure = Figure(figsize=figsize or FIGSIZES[min(len(names), 6)], layout="constrained")
    figure.suptitle(figure_title(trace), fontsize=14)
    strip_axes, body, place = panel_grid(figure, len(names), StatusStrip.INCHES)
    views = []
    for number, name in enumerate(names):
        cls = VIEWS[name]
        view = cls()
        view.frame_iterations = iterations
        view.plane = plane
        view.setup(body.add_subplot(place(number), projection=cls.projection), trace)
        views.append(view)
    status = StatusStrip(notes=[view.status_note for view in views])
    status.setup(strip_axes, trace, iterations)
    figure_legend(body, body.axes)
    glossary = figure_glossary(figure, body, [*status.words, *("\n".join(status.lines(int(i)))
                                                               for i in iterations)])
    anim = DescentAnimation(figure, views, trace, iterations, interval=interval,
                            repeat=repeat, status=status)
    anim.glossary = glossary
    return anim
