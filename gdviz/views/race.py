"""Views of several runs on one problem: a race on one contour, on one loss curve.

Each run has one colour in every panel and in the status strip, which names the runs
(no legend covers the race). A run that diverges is drawn beneath the others, so it
cannot hide them, and a mark on the panel's edge shows where it left.
"""
from __future__ import annotations

import numpy as np
from matplotlib import patheffects

from ..anatomy import most_moved
from .contour import colour_bar, draw_contours, draw_landmarks, loss_grid, loss_levels, path_dots
from .window import exit_mark, in_window, last_inside
from .loss import beyond_marker, place_current, set_loss_axis
from .base import View
from .style import OPTIMIZER_STYLES, RUN_COLOURS, RUN_DASHES, parameter_label
from ..words.i18n import _


def run_colour(r: int) -> str:
    """The colour of run ``r`` in every panel of a comparison."""
    return RUN_COLOURS[r % len(RUN_COLOURS)]


def run_dash(r: int):
    """The line style of run ``r``: solid for the first five, then dashed patterns."""
    return RUN_DASHES[(r // len(RUN_COLOURS)) % len(RUN_DASHES)]


def run_styles(traces) -> list[tuple[str, object]]:
    """(colour, dash) of each run of a race: its optimizer's own (``OPTIMIZER_STYLES``,
    the same in every picture) when each run has an optimizer of its own, else by
    position (a sweep of one optimizer's rates), no two runs sharing colour and dash."""
    names = [trace.settings.get("optimizer_name") for trace in traces]
    if len(set(names)) == len(names) and all(name in OPTIMIZER_STYLES for name in names):
        return [OPTIMIZER_STYLES[name] for name in names]
    return [(run_colour(r), run_dash(r)) for r in range(len(traces))]


def race_levels(values, traces) -> np.ndarray | None:
    """The grid's contour levels (``loss_levels``), plus a dozen spread over the losses the
    runs themselves pass through: a race that stays in the valley still crosses bands.
    A level less than ×1.3 above the one below it in the loss above the grid's lowest,
    and in the loss itself (unless a fortieth of the grid's range above it), is dropped:
    a band thinner than that is not seen, and its colour-bar label (0.00148 over 0.00145)
    would only repeat its neighbour's."""
    levels = loss_levels(values)
    if levels is None:
        return None
    losses = np.concatenate([np.asarray(trace.loss, dtype=float) for trace in traces])
    low, high = levels[0], levels[-1]
    inside = losses[np.isfinite(losses) & (losses > low) & (losses < high)] - low
    if inside.size < 2 or inside.max() <= inside.min():
        return levels
    extra = low + np.geomspace(inside.min(), inside.max(), 12)
    kept = [low]
    for level in np.unique(np.concatenate([levels[1:], extra])):
        gap = level - kept[-1]
        if level - low >= 1.3 * (kept[-1] - low) and (gap >= 0.3 * abs(kept[-1])
                                                      or gap >= (high - low) / 40):
            kept.append(level)
    return np.asarray(kept) if len(kept) > 2 else levels


def clamp(trace, i: int) -> int:
    """The iteration of ``trace`` shown at global iteration ``i``: a run that
    stopped early holds its last point."""
    return min(i, trace.iterations)


def goes_wrong(trace) -> bool:
    """Whether the run ends by diverging or overflowing (it is drawn beneath the others)."""
    return trace.stop_reason in ("diverged", "non_finite")


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
        self.window = ((grid_x[0, 0], grid_x[0, -1]), (grid_y[0, 0], grid_y[-1, 0]))
        filled = draw_contours(ax, grid_x, grid_y, values, race_levels(values, self.traces))
        if filled is not None:
            colour_bar(ax, filled)
        draw_landmarks(ax, first, i, j, zorder=9)
        # The start is redrawn above the runs, hollow: the points under it still show.
        self.start = next(line for line in ax.lines if line.get_gid() == "start")
        # White edged in black: seen on the darkest band and in the legend's white.
        self.start.set(markerfacecolor="none", markeredgecolor="white", markeredgewidth=2,
                       markersize=15,
                       path_effects=[patheffects.withStroke(linewidth=3.5, foreground="black")])
        self.shown = list(range(len(self.traces))) if self.only is None else [self.only]
        self.paths, self.points, self.edges, self.dots = [], [], [], []
        span = [np.ptp(limits) for limits in self.window]
        styles = run_styles(self.traces)
        for r in self.shown:
            (colour, dash), trace = styles[r], self.traces[r]
            # Beneath the others (and the start and minimum) if it goes wrong; each later
            # run a little beneath the one before, thinner on top, so a path that follows
            # another shows as a rim along it.
            low = (3.5 if goes_wrong(trace) else 5.0) - 0.01 * r
            (path,) = ax.plot([], [], color=colour, linestyle=dash,
                              linewidth=1.4 + 1.2 * self.shown.index(r) / max(len(self.shown) - 1, 1),
                              zorder=low, marker="o", markersize=2.5, label="_path")
            # A dot per iteration, thinned where dots would merge.
            self.dots.append(path_dots(trace.params[:, [i, j]], span))
            # Every current point above every path, each a little smaller than the run
            # before it: points in one place show as rings, none hiding another.
            size = max(13.0 - 1.6 * (r % 6), 5.0)
            (point,) = ax.plot([], [], "o", color=colour, markeredgecolor="black",
                               markersize=size, zorder=8, label="_point")
            (edge,) = ax.plot([], [], "X", color=colour, markeredgecolor="white",
                              markersize=13, zorder=9, clip_on=False, in_layout=False,
                              label="_edge")
            self.paths.append(path)
            self.points.append(point)
            self.edges.append(edge)
        ax.set_xlim(*self.window[0])
        ax.set_ylim(*self.window[1])
        # Black labels: in a race, colours belong to the runs.
        ax.set_xlabel(parameter_label(first, i), fontsize=12)
        ax.set_ylabel(parameter_label(first, j), fontsize=12)
        if self.only is None:
            ax.set_title(_("{count} runs from one start on one loss surface").format(count=len(self.traces)),
                         fontsize=12)
        else:
            ax.set_title(self.labels[self.only], fontsize=12, color="black")

    def run_note(self, r: int, i: int) -> str | None:
        """Words for run ``r`` at iteration ``i`` when its point is off the panel."""
        if r not in self.shown:
            return None
        points = self.traces[r].params[:, [self.i, self.j]]
        k = clamp(self.traces[r], i)
        if in_window(points[k], self.window):
            return None
        left = last_inside(points, k, self.window)
        if left is None:
            return _("off the panel ✖")
        return _("off the panel ✖ since iteration {i}").format(i=left + 1)

    def update(self, i: int):
        for r, path, point, edge, dots in zip(self.shown, self.paths, self.points, self.edges,
                                              self.dots):
            trace = self.traces[r]
            k = clamp(trace, i)
            params = trace.params[: k + 1]
            path.set_data(params[:, self.i], params[:, self.j])
            path.set_markevery(dots[: k + 1])
            point.set_data([params[-1, self.i]], [params[-1, self.j]])
            mark = exit_mark(trace.params[:, [self.i, self.j]], k, self.window)
            edge.set_data(*([[v] for v in mark] if mark is not None else [[], []]))
            # A run gone off the panel fades: its fan of long steps no longer hides the
            # runs still on it (its ✖ on the edge says where it went).
            path.set_alpha(1.0 if in_window(params[-1, [self.i, self.j]], self.window) else 0.3)
        return self.paths + self.points + [self.start] + self.edges


class RaceLossView:
    """Every run's loss per iteration on one (log) axis. A run whose loss is past the top
    or the floor of the axis shows a triangle on that edge, pointing the way it went."""

    name = "race-loss"

    def __init__(self, traces, labels):
        self.traces, self.labels = list(traces), list(labels)

    def setup(self, ax, _trace=None) -> None:
        positive = set_loss_axis(ax, [t.loss for t in self.traces])
        self.bottom, self.top = ax.get_ylim()
        longest = max(max(t.iterations for t in self.traces), 1)
        ax.set_xlim(-0.015 * longest, 1.02 * longest)
        self.curves, self.points, self.beyond, self.names = [], [], [], []
        self.right = ax.get_xlim()[1]
        styles = run_styles(self.traces)
        for r, trace in enumerate(self.traces):
            colour, dash = styles[r]
            low = (2.0 if goes_wrong(trace) else 3.0) - 0.01 * r
            (curve,) = ax.plot([], [], color=colour, linestyle=dash,
                               linewidth=1.6 + 1.2 * r / max(len(self.traces) - 1, 1),
                               zorder=low, label="_curve")
            (point,) = ax.plot([], [], "o", color=colour, markeredgecolor="black",
                               markersize=7, zorder=low + 2, label="_point")
            beyond = beyond_marker(ax, colour)
            # The run's name at its curve's end, so no colour has to be looked up.
            name = ax.text(0, 0, "", color=colour, fontsize=10, ha="left", va="center",
                           zorder=7, clip_on=True, in_layout=False,
                           bbox=dict(boxstyle="round,pad=0.15", facecolor="white", alpha=0.7,
                                     edgecolor="none"))
            self.curves.append(curve)
            self.points.append(point)
            self.beyond.append(beyond)
            self.names.append(name)
        ax.set_xlabel(_("iteration"), fontsize=12)
        ax.set_ylabel(_("loss (log scale)") if positive else _("loss"), fontsize=12)
        ax.set_title(_("the loss of each run, step by step"), fontsize=12)

    def update(self, i: int):
        for label, trace, curve, point, beyond, name in zip(
                self.labels, self.traces, self.curves, self.points, self.beyond, self.names):
            k = clamp(trace, i)
            curve.set_data(np.arange(k + 1), trace.loss[: k + 1])
            place_current(point, beyond, k, trace.loss[k], self.bottom, self.top)
            loss = trace.loss[k]
            height = float(np.clip(loss, self.bottom, self.top)) if np.isfinite(loss) else self.top
            words = label.split(",")[0]
            # After the curve's end where the name fits before the panel's right edge,
            # else before it; clear of the dot (or the edge's triangle) it names.
            ax = name.axes
            points = ax.get_window_extent().width * 72 / ax.get_figure(root=True).dpi
            left, right = ax.get_xlim()
            room = ((right - k) / (right - left) - 0.03) * points  # from the name to the edge
            near_end = 0.62 * 10 * len(words) > room
            name.set_position((k + (-0.03 if near_end else 0.03) * self.right, height))
            name.set_text(words)
            name.set_horizontalalignment("right" if near_end else "left")
        self._spread_names()
        return self.curves + self.points + self.beyond + self.names

    def _spread_names(self, gap: float = 0.045) -> None:
        """Move the curve-end names apart vertically (in axes fractions) so none covers
        another; each stays as near its curve's end as the others let it."""
        ax = self.names[0].axes
        to_axes = ax.transData + ax.transAxes.inverted()
        places = [to_axes.transform(name.get_position()) for name in self.names]
        order = sorted(range(len(places)), key=lambda n: places[n][1])
        last = 0.05 - gap  # above the floor's triangles and the axis, never cut by it
        for n in order:
            places[n][1] = max(places[n][1], last + gap)
            last = places[n][1]
        over = places[order[-1]][1] - 0.97  # pushed past the top: the group moves down
        if over > 0:
            for n in order:
                places[n][1] -= over
        for n, name in enumerate(self.names):
            name.set_position(to_axes.inverted().transform(places[n]))


class OwnRunView(View):
    """One run's own picture in a grid of runs of different models (say networks of
    other shapes on the same data): ``view`` (a data view: a network's map, a fit) drawn
    for ``trace``, titled with the run's label in its colour, held at the run's end while
    longer runs go on. Its status note is said beside the run in the status strip."""

    name = "own-run"

    def __init__(self, view: View, trace, label: str, r: int, colour: str | None = None):
        self.view, self.trace, self.label, self.r = view, trace, label, r
        self.colour = colour or run_colour(r)

    def setup(self, ax, _trace=None) -> None:
        self.view.frame_iterations = self.frame_iterations
        self.view.setup(ax, self.trace)
        title = ax.get_title().split("\n")[0].rstrip(":")
        ax.set_title(f"{self.label}\n{title}", fontsize=11, color=self.colour)

    def update(self, i: int):
        return self.view.update(clamp(self.trace, i))

    def run_note(self, r: int, i: int) -> str | None:
        return self.view.status_note(clamp(self.trace, i)) if r == self.r else None
