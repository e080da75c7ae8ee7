"""The parameter-space view: loss contours with the path walked so far."""
from __future__ import annotations

import numpy as np

from .arrows import StepArrows
from .base import View
from .plane import ViewPlane
from .window import exit_mark, in_window, last_inside, sensible_window
from ..words.i18n import _
from .style import CURRENT, LOSS_COLOURMAP


def loss_grid(trace, i: int, j: int, resolution: int, others=()):
    """The loss over a grid of coordinates (i, j), computed once, vectorized.

    Returns ``(grid_x, grid_y, values)``. Other coordinates are held at the
    run's final values (its start, if the end is not finite).
    """
    (x_low, x_high), (y_low, y_high) = sensible_window(trace, i, j, others=others)
    grid_x, grid_y = np.meshgrid(np.linspace(x_low, x_high, resolution),
                                 np.linspace(y_low, y_high, resolution))
    base = trace.params[-1] if np.all(np.isfinite(trace.params[-1])) else trace.params[0]
    grid = np.broadcast_to(base, grid_x.shape + (len(base),)).copy()
    grid[..., i], grid[..., j] = grid_x, grid_y
    return grid_x, grid_y, trace.problem.loss_many(grid)


def draw_landmarks(ax, trace, i: int, j: int, zorder: float = 4) -> None:
    """The start (a white square) and the known minima or optimum (white stars)."""
    problem = trace.problem
    start = trace.params[0]
    note = getattr(problem, "start_note", None)
    default_start = getattr(problem, "x0", None)
    said = (note and default_start is not None and np.allclose(start, default_start))
    ax.plot(start[i], start[j], "s", color="white", markeredgecolor="black", markersize=8,
            label=_("start ({note})").format(note=_(note)) if said else _("start"), zorder=zorder,
            gid="start")  # found by its id, its label is in the language spoken
    saddles = getattr(problem, "saddles", None)
    if saddles is not None and (i, j) == (0, 1):
        ax.plot(saddles[:, 0], saddles[:, 1], "D", color="white", markeredgecolor="black",
                markersize=9, label=_("saddle point (gradient zero, not a minimum)"),
                zorder=zorder)
    optimum = getattr(problem, "optimum", None)
    minima = getattr(problem, "minima", None)
    if minima is not None and len(minima) and (i, j) == (0, 1):
        ax.plot(minima[:, 0], minima[:, 1], "*", color="white", markeredgecolor="black",
                markersize=16, label=_("minimum"), zorder=4)
    elif optimum is not None:
        ax.plot(optimum[i], optimum[j], "*", color="white", markeredgecolor="black",
                markersize=16, label=_("optimum"), zorder=4)


def loss_levels(values) -> np.ndarray | None:
    """Contour levels for a grid of losses, evenly spaced in log(loss - min): the valley
    floor gets as many levels as the walls, since that is where the path spends its time.
    The contour and the 3-D surface share them, so one colour is one loss in both."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return None
    low, high = float(finite.min()), float(np.percentile(finite, 99))
    if high <= low:
        high = low + 1.0
    offsets = np.geomspace(max((high - low) * 1e-4, 1e-12), high - low, 24)
    return np.unique(np.concatenate([[low], low + offsets]))


def labelled_levels(levels) -> list[int]:
    """Which levels a colour bar labels (their indices): every third, but only one of those
    that read the same to three digits (levels crowd the valley floor), the highest."""
    shown = {f"{levels[k]:.3g}": k for k in range(0, len(levels), 3)}
    return sorted(shown.values())


def loss_norm(levels):
    """The colour scale of the loss: one colour band per level, in the contour and the surface."""
    from matplotlib.colors import BoundaryNorm

    return BoundaryNorm(levels, 256, extend="max")


def draw_contours(ax, grid_x, grid_y, values, levels=None):
    """Filled contours of the loss on ``levels`` (``loss_levels`` by default); returns the
    filled set (for a colour bar), or None when no value is finite."""
    levels = loss_levels(values) if levels is None else levels
    if levels is None:
        return None
    low, high = levels[0], levels[-1]
    clipped = np.clip(np.where(np.isfinite(values), values, high), low, high)
    # One colour per band, as on the 3-D surface (``loss_norm``): a run whose losses lie
    # low on a tall scale still crosses colours.
    filled = ax.contourf(grid_x, grid_y, clipped, levels=levels, cmap=LOSS_COLOURMAP,
                         norm=loss_norm(levels), alpha=0.85, zorder=1)
    ax.contour(grid_x, grid_y, clipped, levels=levels[::3], colors="white", linewidths=0.5,
               alpha=0.35, zorder=2)
    return filled


def colour_bar(ax, filled, label: str | None = None, levels=None):
    """A labelled colour bar for the filled contours (or a banded image with its
    ``levels``), as an inset beside the panel (stealing space from a gridspec slot
    collapses constrained layout in subfigures)."""
    bar = ax.figure.colorbar(filled, cax=ax.inset_axes([1.02, 0.0, 0.035, 1.0]), format="%.3g")
    levels = filled.levels if levels is None else levels
    bar.set_ticks([levels[k] for k in labelled_levels(levels)])
    # Above the bar, level with the panel's title: at its side the word read as one
    # label with the next panel's y label ("loss" beside "loss (log scale)").
    bar.ax.set_title(_("loss") if label is None else label, fontsize=10, loc="left", pad=6)
    return bar


def path_dots(points: np.ndarray, span, spacing: float = 0.006) -> np.ndarray:
    """Which points of a path get a dot: every iteration, except where dots would sit
    closer than ``spacing`` of the panel to the last one drawn (they would merge)."""
    keep = np.zeros(len(points), dtype=bool)
    last = None
    scale = np.asarray(span, dtype=float)
    for k, point in enumerate(points):
        if not np.all(np.isfinite(point)):
            continue
        if last is None or np.max(np.abs(point - last) / scale) >= spacing:
            keep[k] = True
            last = point
    return keep


def where_it_went(names, point, left: int | None) -> str:
    """Words for the status strip about a point outside the panel."""
    where = (f"({names[0]}, {names[1]}) = ({point[0]:.3g}, {point[1]:.3g})"
             if np.all(np.isfinite(point)) else _("infinity (the numbers overflowed)"))
    if left is None:
        return _("the point left the panel (✖ on the edge); it is now at {where}").format(
            where=where)
    return _("the point left the panel after iteration {left} (✖ on the edge); it is now "
             "at {where}").format(left=left, where=where)


class ContourView(View):
    """Filled loss contours over two parameters, the path so far with a dot per
    iteration, the current point and the step it is taking, to scale.

    With more than two parameters the picture is a plane of parameter space
    (``views.plane``): by default the slice through the current point over the two
    parameters that moved most, every other parameter at its value now (redrawn as the
    run moves, so the point's colour is its loss); or, with ``plane="pca"``, the plane of
    the whole path, with the gap between the point's true loss and the plane's said in
    the status strip. When the path leaves the panel, a mark on the edge shows where.
    """

    name = "contour"
    #: The plane of a many-parameter run: "slice" (through the point now) or "pca".
    plane = "slice"

    def __init__(self, coordinates: tuple[int, int] | None = None, resolution: int = 160,
                 arrows: bool = True, plane: str | None = None):
        self.coordinates = coordinates
        self.resolution = resolution
        self.arrows = arrows
        if plane is not None:
            self.plane = plane

    @classmethod
    def supports(cls, trace) -> bool:
        return trace.problem is not None and trace.params.shape[1] >= 2

    def setup(self, ax, trace) -> None:
        self.trace = trace
        self.view_plane = plane = ViewPlane(trace, self.plane, self.coordinates)
        self.i, self.j = plane.dims or (None, None)
        self.window = plane.window
        first = int(self.frame_iterations[0]) if len(self.frame_iterations) else 0
        self.image = None
        if plane.moves:
            # A slice through the point now: an image whose bands are the contour's levels,
            # redrawn each frame (set_data on one artist); the levels hold for every frame.
            # Coarser than a fixed contour (it is remade for every frame), smoothed by
            # interpolating the loss itself before it is banded into colours.
            self.moving_resolution = max(self.resolution // 3, 40)
            last = int(self.frame_iterations[-1]) if len(self.frame_iterations) else trace.iterations
            values = np.concatenate([plane.grid(k, self.moving_resolution)[2].ravel()
                                     for k in (first, last)])
            self.levels = loss_levels(values)
            grid_x, grid_y, first_values = plane.grid(first, self.moving_resolution)
            if self.levels is not None:
                self.image = ax.imshow(
                    np.clip(first_values, self.levels[0], self.levels[-1]), origin="lower",
                    extent=(grid_x[0, 0], grid_x[0, -1], grid_y[0, 0], grid_y[-1, 0]),
                    aspect="auto", cmap=LOSS_COLOURMAP, norm=loss_norm(self.levels), alpha=0.85,
                    interpolation="bilinear", interpolation_stage="data", zorder=1)
                colour_bar(ax, self.image, _("loss on this slice"), self.levels)
        else:
            grid_x, grid_y, values = plane.grid(first, self.resolution)
            filled = draw_contours(ax, grid_x, grid_y, values)
            if filled is not None:
                colour_bar(ax, filled, _("loss on this plane") if plane.kind == "pca"
                           else _("loss"))
        if plane.kind == "pca":
            self._pca_landmarks(ax, trace)
        else:
            draw_landmarks(ax, trace, self.i, self.j)
        points = plane.points
        span = [np.ptp(limits) for limits in self.window]
        self._dots = path_dots(points, span)
        (self.path,) = ax.plot([], [], "-", color=CURRENT, linewidth=1.8, zorder=5,
                              label=_("path (a dot per iteration)"))
        (self.dots,) = ax.plot([], [], "o", color=CURRENT, markersize=4.5, zorder=5,
                               markeredgecolor="white", markeredgewidth=0.6, label="_dots")
        (self.point,) = ax.plot([], [], "o", color=CURRENT, markeredgecolor="black",
                                markersize=10, zorder=6, label=_("current point"))
        (self.edge,) = ax.plot([], [], "X", color=CURRENT, markeredgecolor="white",
                               markersize=13, zorder=9, clip_on=False, label="_edge",
                               in_layout=False)
        ax.set_xlim(*self.window[0])
        ax.set_ylim(*self.window[1])
        self.arrow_set = StepArrows(ax, trace, plane) if self.arrows else None
        (x_label, x_colour), (y_label, y_colour) = plane.axis_labels()
        ax.set_xlabel(x_label, fontsize=12, color=x_colour)
        ax.set_ylabel(y_label, fontsize=12, color=y_colour)
        ax.set_title(plane.title(_("the loss")), fontsize=12)

    def _pca_landmarks(self, ax, trace) -> None:
        plane = self.view_plane
        start = plane.points[0]
        ax.plot(start[0], start[1], "s", color="white", markeredgecolor="black", markersize=8,
                label=_("start"), zorder=4)
        optimum = getattr(trace.problem, "optimum", None)
        if optimum is not None:
            shadow = plane.plane.project(np.asarray(optimum)[None, :])[0]
            ax.plot(shadow[0], shadow[1], "*", color="white", markeredgecolor="black",
                    markersize=16, label=_("optimum (its shadow on the plane)"), zorder=4)

    def status_note(self, k: int) -> str | None:
        points = self.view_plane.points
        if in_window(points[k], self.window):
            return self.view_plane.note(k)
        if self.view_plane.kind == "pca":
            names = [_("direction 1"), _("direction 2")]
        else:
            names = [self.trace.param_names[n] for n in (self.i, self.j)]
        return where_it_went(names, points[k], last_inside(points, k, self.window))

    def update(self, k: int):
        points = self.view_plane.points
        path = points[: k + 1]
        self.path.set_data(path[:, 0], path[:, 1])
        dots = path[self._dots[: k + 1]]
        self.dots.set_data(dots[:, 0], dots[:, 1])
        self.point.set_data([path[-1, 0]], [path[-1, 1]])
        mark = exit_mark(points, k, self.window)
        self.edge.set_data(*([[v] for v in mark] if mark is not None else [[], []]))
        artists = [self.path, self.dots, self.point, self.edge]
        if self.image is not None:
            values = self.view_plane.grid(k, self.moving_resolution)[2]
            self.image.set_data(np.clip(np.where(np.isfinite(values), values, self.levels[-1]),
                                        self.levels[0], self.levels[-1]))
            artists.insert(0, self.image)
        if self.arrow_set is not None:
            artists.extend(self.arrow_set.update(k))
        return artists
