"""Views of several runs on one problem: a race on one contour, on one loss curve."""
from __future__ import annotations

import numpy as np

from .contour import draw_contours, draw_landmarks, loss_grid, most_moved
from .loss import set_loss_axis

#: One colour per run (Okabe-Ito order, those that stand out on viridis first).
RUN_COLOURS = ["#D55E00", "#56B4E9", "#CC79A7", "#009E73", "#F0E442", "#0072B2", "#E69F00",
               "#000000"]


_ENDINGS = {"converged": "converged", "grad_norm": "converged", "diverged": "diverged",
            "non_finite": "overflowed", "max_iter": "still going"}


def run_label(trace, label: str) -> str:
    """The label with how the run ended: '(diverged at 12)', '(still going at 2000)'."""
    ending = _ENDINGS.get(trace.stop_reason, trace.stop_reason)
    return f"{label} ({ending} at {trace.iterations})"


def clamp(trace, i: int) -> int:
    """The iteration of ``trace`` shown at global iteration ``i``: a run that
    stopped early holds its last point."""
    return min(i, trace.iterations)


class RaceContourView:
    """Every run's path on one contour of their shared problem, each in its colour.

    With ``only`` set, the panel shows just that run (one panel of a grid of
    small multiples) on the same contour and limits as the others.
    """

    name = "race-contour"

    def __init__(self, traces, labels, only: int | None = None, resolution: int = 160):
        self.traces, self.labels, self.only = list(traces), list(labels), only
        self.resolution = resolution

    def setup(self, ax, _trace=None) -> None:
        first = self.traces[0]
        i, j = most_moved(np.vstack([t.params for t in self.traces]))
        self.i, self.j = i, j
        grid_x, grid_y, values = loss_grid(first, i, j, self.resolution, others=self.traces[1:])
        draw_contours(ax, grid_x, grid_y, values)
        draw_landmarks(ax, first, i, j)
        shown = range(len(self.traces)) if self.only is None else [self.only]
        self.paths, self.points, self.shown = [], [], list(shown)
        for r in self.shown:
            colour = RUN_COLOURS[r % len(RUN_COLOURS)]
            (path,) = ax.plot([], [], "-", color=colour, linewidth=2.2, zorder=5,
                              label=run_label(self.traces[r], self.labels[r]))
            (point,) = ax.plot([], [], "o", color=colour, markeredgecolor="black",
                               markersize=9, zorder=6)
            self.paths.append(path)
            self.points.append(point)
        ax.set_xlim(grid_x[0, 0], grid_x[0, -1])
        ax.set_ylim(grid_y[0, 0], grid_y[-1, 0])
        names = first.param_names
        ax.set_xlabel(names[i], fontsize=12)
        ax.set_ylabel(names[j], fontsize=12)
        if self.only is None:
            ax.set_title(f"{len(self.traces)} runs on one loss surface", fontsize=12)
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=10)
        else:
            ax.set_title(run_label(self.traces[self.only], self.labels[self.only]), fontsize=12)
        self.counter = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top", ha="left",
                               family="monospace", fontsize=12, zorder=10,
                               bbox=dict(boxstyle="round,pad=0.4", facecolor="white",
                                         edgecolor="#cccccc", alpha=0.9))

    def update(self, i: int):
        for r, path, point in zip(self.shown, self.paths, self.points):
            trace = self.traces[r]
            params = trace.params[: clamp(trace, i) + 1]
            path.set_data(params[:, self.i], params[:, self.j])
            point.set_data([params[-1, self.i]], [params[-1, self.j]])
        if self.only is None:
            self.counter.set_text(f"iteration {i}")
        else:
            trace = self.traces[self.only]
            self.counter.set_text(f"iteration {clamp(trace, i)}\n"
                                  f"loss {trace.loss[clamp(trace, i)]:.4g}")
        return self.paths + self.points + [self.counter]


class RaceLossView:
    """Every run's loss per iteration on one (log) axis."""

    name = "race-loss"

    def __init__(self, traces, labels):
        self.traces, self.labels = list(traces), list(labels)

    def setup(self, ax, _trace=None) -> None:
        set_loss_axis(ax, [t.loss for t in self.traces])
        ax.set_xlim(0, max(max(t.iterations for t in self.traces), 1))
        self.curves, self.points = [], []
        for r, (trace, label) in enumerate(zip(self.traces, self.labels)):
            colour = RUN_COLOURS[r % len(RUN_COLOURS)]
            (curve,) = ax.plot([], [], color=colour, linewidth=2, label=label)
            (point,) = ax.plot([], [], "o", color=colour, markeredgecolor="black", markersize=7)
            self.curves.append(curve)
            self.points.append(point)
        ax.set_xlabel("iteration", fontsize=12)
        ax.set_ylabel("loss", fontsize=12)
        ax.set_title("loss", fontsize=12)
        ax.grid(alpha=0.3, which="both")
        ax.legend(loc="upper right", fontsize=10)

    def update(self, i: int):
        for trace, curve, point in zip(self.traces, self.curves, self.points):
            k = clamp(trace, i)
            curve.set_data(np.arange(k + 1), trace.loss[: k + 1])
            point.set_data([k], [trace.loss[k]])
        return self.curves + self.points
