"""The parameter-space view: loss contours with the path walked so far."""
from __future__ import annotations

import numpy as np

from .arrows import Arrows
from .base import PALETTE, View
from .status import StatusBox


def most_moved(params: np.ndarray) -> tuple[int, int]:
    """The two coordinates that travelled furthest (for problems with more than two)."""
    if params.shape[1] == 2:
        return 0, 1
    finite = params[np.all(np.isfinite(params), axis=1)]
    spread = np.ptp(finite, axis=0) if len(finite) else np.zeros(params.shape[1])
    first, second = sorted(np.argsort(spread)[::-1][:2])
    return int(first), int(second)


def sensible_window(trace, i: int, j: int, margin: float = 0.15, others=()):
    """Axis limits around the start, the optimum and the sane part of the path
    (of ``trace`` and of any ``others`` on the same problem).

    Points where the loss has grown past 3x its start (a diverging run) are
    left out, so the picture stays readable; the path runs off the edge.
    """
    problem = trace.problem
    bounds = getattr(problem, "bounds", None)
    points = []
    for run in (trace, *others):
        loss = run.loss
        sane = np.isfinite(loss) & (loss <= 3 * abs(loss[0]) + 1e-12)
        points.append(run.params[sane][:, [i, j]])
    optimum = getattr(problem, "optimum", None)
    if optimum is not None:
        points.append(np.asarray(optimum)[[i, j]][None, :])
    points = np.vstack(points)
    low, high = points.min(axis=0), points.max(axis=0)
    if bounds is not None and (i, j) == (0, 1):
        (x0, x1), (y0, y1) = bounds
        inside = bool(np.all(low >= [x0, y0]) and np.all(high <= [x1, y1]))
        low = np.minimum(low, [x0, y0])
        high = np.maximum(high, [x1, y1])
        if inside:
            return (low[0], high[0]), (low[1], high[1])
        margin = margin / 3  # the path left the usual window: widen it a little past the path
    span = np.maximum(high - low, 1e-3 * np.maximum(np.abs(high), 1.0))
    low, high = low - margin * span, high + margin * span
    return (low[0], high[0]), (low[1], high[1])

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


def draw_landmarks(ax, trace, i: int, j: int) -> None:
    """The start (a white dot) and the known minima or optimum (white stars)."""
    problem = trace.problem
    start = trace.params[0]
    ax.plot(start[i], start[j], "o", color="white", markeredgecolor="black", markersize=9,
            label="start", zorder=4)
    optimum = getattr(problem, "optimum", None)
    minima = getattr(problem, "minima", None)
    if minima is not None and len(minima) and (i, j) == (0, 1):
        ax.plot(minima[:, 0], minima[:, 1], "*", color="white", markeredgecolor="black",
                markersize=16, label="minimum", zorder=4)
    elif optimum is not None:
        ax.plot(optimum[i], optimum[j], "*", color="white", markeredgecolor="black",
                markersize=16, label="optimum", zorder=4)


def draw_contours(ax, grid_x, grid_y, values) -> None:
    """Filled contours, levels evenly spaced in log(loss - min)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return
    low, high = float(finite.min()), float(np.percentile(finite, 99))
    if high <= low:
        high = low + 1.0
    # The valley floor gets as many levels as the walls: that is where the path
    # spends its time.
    offsets = np.geomspace(max((high - low) * 1e-4, 1e-12), high - low, 24)
    levels = np.unique(np.concatenate([[low], low + offsets]))
    clipped = np.clip(np.where(np.isfinite(values), values, high), low, high)
    ax.contourf(grid_x, grid_y, clipped, levels=levels, cmap="viridis", alpha=0.85, zorder=1)
    ax.contour(grid_x, grid_y, clipped, levels=levels[::3], colors="white", linewidths=0.5,
               alpha=0.35, zorder=2)


class ContourView(View):
    """Filled loss contours over two parameters, the path so far and the current point.

    For more than two parameters the two that moved most are shown and the
    others are held at their final values (a slice through the end point).
    The grid is computed once, vectorized.
    """

    name = "contour"

    def __init__(self, coordinates: tuple[int, int] | None = None, resolution: int = 160,
                 arrows: bool = True):
        self.coordinates = coordinates
        self.resolution = resolution
        self.arrows = arrows

    @classmethod
    def supports(cls, trace) -> bool:
        return trace.problem is not None and trace.params.shape[1] >= 2

    def setup(self, ax, trace) -> None:
        self.trace = trace
        problem = trace.problem
        i, j = self.coordinates or most_moved(trace.params)
        self.i, self.j = i, j
        grid_x, grid_y, self.grid_loss = loss_grid(trace, i, j, self.resolution)
        x_low, x_high = grid_x[0, 0], grid_x[0, -1]
        y_low, y_high = grid_y[0, 0], grid_y[-1, 0]
        draw_contours(ax, grid_x, grid_y, self.grid_loss)

        names = trace.param_names
        draw_landmarks(ax, trace, i, j)
        (self.path,) = ax.plot([], [], "-", color=PALETTE["path"], linewidth=2, zorder=5,
                               label="path")
        (self.point,) = ax.plot([], [], "o", color=PALETTE["path"], markeredgecolor="black",
                                markersize=9, zorder=6)
        ax.set_xlim(x_low, x_high)
        ax.set_ylim(y_low, y_high)
        self.arrow_set = Arrows(ax, trace, i, j) if self.arrows else None
        self.divergence = self._divergence_mark(ax, trace, i, j)
        ax.set_xlabel(names[i], fontsize=12)
        ax.set_ylabel(names[j], fontsize=12)
        sliced = len(names) > 2
        title = f"loss over ({names[i]}, {names[j]})"
        if sliced:
            title += "; other parameters at their final values"
        ax.set_title(title, fontsize=12)
        ax.legend(loc="lower right", fontsize=10, framealpha=0.9)
        self.status = StatusBox(ax, trace) if self.show_status else None

    @staticmethod
    def _divergence_mark(ax, trace, i, j):
        """For a diverged run, words at the last point still on the panel, shown on
        the last frame: where the path left and when."""
        if trace.stop_reason not in ("diverged", "non_finite"):
            return None
        (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
        points = trace.params[:, [i, j]]
        inside = np.flatnonzero((points[:, 0] >= x_low) & (points[:, 0] <= x_high)
                                & (points[:, 1] >= y_low) & (points[:, 1] <= y_high))
        where = points[inside[-1]] if inside.size else points[0]
        text = (f"diverged: the loss grew\nuntil iteration {trace.iterations}"
                if trace.stop_reason == "diverged" else
                f"overflowed at iteration {trace.iterations}")
        return ax.annotate(text, xy=tuple(where), xytext=(0.72, 0.9), textcoords="axes fraction",
                           ha="center", va="top", fontsize=12, color="white", fontweight="bold",
                           zorder=9,
                           bbox=dict(boxstyle="round,pad=0.3", facecolor="#B22222",
                                     edgecolor="none", alpha=0.9),
                           arrowprops=dict(arrowstyle="->", color="#B22222", lw=2),
                           visible=False)

    def update(self, k: int):
        path = self.trace.params[: k + 1]
        self.path.set_data(path[:, self.i], path[:, self.j])
        self.point.set_data([path[-1, self.i]], [path[-1, self.j]])
        artists = [self.path, self.point]
        if self.arrow_set is not None:
            artists.extend(self.arrow_set.update(k))
        if self.divergence is not None:
            self.divergence.set_visible(k == self.trace.iterations)
            artists.append(self.divergence)
        if self.status is not None:
            artists.append(self.status.update(k))
        return artists
