"""The part of parameter space a panel shows: its window around the path, and where a
path leaves it (the ✖ on the edge). Shared by the contour, the plane of a run with many
parameters, the race and the app."""
from __future__ import annotations

import numpy as np


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
    if len(points) == 0:  # no finite loss at all (e.g. the start is outside the domain)
        finite = np.vstack([run.params[:, [i, j]] for run in (trace, *others)])
        finite = finite[np.all(np.isfinite(finite), axis=1)]
        points = finite if len(finite) else np.zeros((1, 2))
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


def edge_point(inside, outside, window):
    """Where the segment from ``inside`` to ``outside`` crosses the edge of ``window``
    ((x_low, x_high), (y_low, y_high)): the mark of where the path left the panel."""
    (x_low, x_high), (y_low, y_high) = window
    direction = np.asarray(outside, float) - np.asarray(inside, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        limits = [(bound - inside[axis]) / direction[axis]
                  for axis, (low, high) in enumerate(window) for bound in (low, high)]
    t = min((v for v in limits if np.isfinite(v) and v > 0), default=1.0)
    point = np.asarray(inside, float) + min(t, 1.0) * direction
    return np.clip(point, [x_low, y_low], [x_high, y_high])


def in_window(point, window) -> bool:
    """Whether a point (x, y) is finite and inside ``window``."""
    (x_low, x_high), (y_low, y_high) = window
    return bool(np.all(np.isfinite(point)) and x_low <= point[0] <= x_high
                and y_low <= point[1] <= y_high)


def last_inside(points, k: int, window) -> int | None:
    """The last of ``points[:k + 1]`` inside ``window`` (None if none is)."""
    return next((n for n in range(k, -1, -1) if in_window(points[n], window)), None)


def exit_mark(points, k: int, window):
    """Where to mark the edge at iteration ``k``: None while point ``k`` is inside the
    window, else where the path crossed the edge after its last point inside. A step to
    infinity is drawn leaving in the direction the path was going."""
    if in_window(points[k], window):
        return None
    left = last_inside(points, k, window)
    if left is None:
        return None
    inside, outside = points[left], points[left + 1]
    if not np.all(np.isfinite(outside)):
        outside = inside + 1e6 * (inside - points[max(left - 1, 0)])
    return edge_point(inside, outside, window)
