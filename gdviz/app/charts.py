"""The numbers the browser draws, from a Trace: pure numpy, no web framework.

The page gets a run's whole path and loss once per change; scrubbing and playing then
slice them in the browser. Everything here is plain lists and arrays so it can be
checked without a server.
"""
from __future__ import annotations

import numpy as np

from ..frames import lesson_iterations, race_iterations
from ..words import Narrator
from ..words.i18n import _
from ..words.board import StepBoard
from ..words.ending import ending_words
from ..anatomy import most_moved
from ..views.contour import loss_levels, sensible_window
from ..views.style import parameter_label

#: Most frames the scrub bar steps through (every iteration up to this many).
MAX_FRAMES = 300
#: Points across the data view's fitted curve.
CURVE_POINTS = 120


def coordinates(trace) -> tuple[int, int]:
    """The two parameters the contour shows (the two that moved most)."""
    return most_moved(trace.params)


def contour_title(trace, i: int, j: int) -> str:
    """What the page's contour shows, truthfully: with more than two parameters it is a
    slice through the run's end, which the path crosses only there."""
    count = trace.params.shape[1]
    if count <= 2:
        return _("the loss: click to set the start")
    names = trace.param_names
    return _("loss over ({x}, {y}), the other {count} at their final values: the path is "
             "on it only at its end").format(
        x=names[i], y=names[j], count=count - 2)


def window(trace, i: int, j: int):
    """The contour's limits around the start, the optimum and the sane part of the path."""
    return sensible_window(trace, i, j)


def contour_image(problem, base, i: int, j: int, limits, resolution: int = 160) -> dict:
    """The loss over the window as an image of colour bands (one band per contour level,
    as in the pictures): ``{"image", "x", "y", "dw", "dh", "levels"}``."""
    (x_low, x_high), (y_low, y_high) = limits
    gx, gy = np.meshgrid(np.linspace(x_low, x_high, resolution),
                         np.linspace(y_low, y_high, resolution))
    grid = np.broadcast_to(np.asarray(base, float), gx.shape + (len(base),)).copy()
    grid[..., i], grid[..., j] = gx, gy
    with np.errstate(all="ignore"):
        values = problem.loss_many(grid)
    levels = loss_levels(values)
    if levels is None:
        bands = np.zeros_like(values)
        levels = np.array([0.0, 1.0])
    else:
        clipped = np.where(np.isfinite(values), values, levels[-1])
        bands = np.clip(np.digitize(clipped, levels) - 1, 0, len(levels) - 1).astype(float)
    return {"image": bands, "x": x_low, "y": y_low, "dw": x_high - x_low, "dh": y_high - y_low,
            "levels": [float(v) for v in levels]}


def frames_of(traces) -> np.ndarray:
    """The iterations the scrub bar steps through: every one for short runs, else at most
    ``MAX_FRAMES`` placed where the runs change most (each run's end among them)."""
    longest = max(t.iterations for t in traces)
    if longest + 1 <= MAX_FRAMES:
        return np.arange(longest + 1)
    if len(traces) == 1:
        return lesson_iterations(traces[0], MAX_FRAMES)
    return race_iterations(traces, MAX_FRAMES)


def path_columns(trace, i: int, j: int) -> dict:
    """The whole path and loss by iteration, for the browser to slice. Non-finite numbers
    (an overflowed run) become NaN, which the charts leave out."""
    with np.errstate(all="ignore"):
        params = np.where(np.isfinite(trace.params), trace.params, np.nan)
        loss = np.where(np.isfinite(trace.loss), trace.loss, np.nan)
    return {"x": params[:, i], "y": params[:, j], "loss": loss,
            "iteration": np.arange(trace.iterations + 1)}


def fit_curves(trace, frames) -> dict | None:
    """For a model with one input: the data and its fitted curve at each frame
    (``{"x", "y", "curve_x", "curves"}``, ``curves[f]`` the curve at frame f); None else."""
    problem = trace.problem
    x = getattr(problem, "x", None)
    if not hasattr(problem, "predict") or x is None or np.ndim(x) != 1:
        return None
    curve_x = np.linspace(x.min(), x.max(), CURVE_POINTS)
    with np.errstate(all="ignore"):
        curves = [problem.predict(trace.params[k], curve_x) for k in frames]
    curves = [np.where(np.isfinite(c), c, np.nan).tolist() for c in curves]
    return {"x": x, "y": problem.y, "curve_x": curve_x, "curves": curves,
            "x_label": problem.x_names[0] if problem.x_names else "x",
            "y_label": problem.y_name or "y"}


def boundary_lines(trace, frames) -> dict | None:
    """For logistic regression: the two classes and the decision line at each frame."""
    problem = trace.problem
    if not (hasattr(problem, "labels") and hasattr(problem, "X")):
        return None
    X, labels = problem.X, problem.labels
    pad = 0.1 * np.ptp(X, axis=0)
    x_limits = (X[:, 0].min() - pad[0], X[:, 0].max() + pad[0])
    lines = []
    for k in frames:
        w0, w1, w2 = trace.params[k]
        if not np.all(np.isfinite([w0, w1, w2])) or abs(w2) < 1e-12:
            lines.append([[], []])
            continue
        xs = np.array(x_limits)
        lines.append([xs.tolist(), (-(w0 + w1 * xs) / w2).tolist()])
    return {"X": X, "labels": labels, "lines": lines, "x_limits": x_limits,
            "x_label": problem.x_name(0), "y_label": problem.x_name(1)}


def boards(trace, frames) -> list[str]:
    """The arithmetic of the step at each frame, as lines of plain text (the page shows
    them as text, never HTML). Black: in the page colours belong to the runs of the race."""
    board = StepBoard(trace, frames)
    return ["\n".join(line for line, _colour in board.lines(int(k))) for k in frames]


def captions(trace, frames) -> list[str]:
    """The narrator's caption of each frame, as the pictures say it (plain text)."""
    return [words for _kind, words in Narrator(trace).frames(frames)]


def promise(trace, frames) -> dict | None:
    """Promise and delivery of the step at each frame (as the ``promise`` view draws it):
    the loss along the step in promised falls, the landing, the line's lowest point and
    the numbers in words; NaN curves where a frame has no downhill step."""
    from ..anatomy import ALONG, promise_at, promised_fall
    from ..words.promise import no_promise_words, promise_words

    if trace.iterations < 1:
        return None
    promised = promised_fall(trace)
    curves, landed, lowest, words = [], [], [], []
    for k in frames:
        found = promise_at(trace, int(k), promised[int(k)])
        if found is None:
            curves.append([float("nan")] * len(ALONG))
            landed.append(float("nan"))
            lowest.append(float("nan"))
            words.append(no_promise_words(int(k), trace.iterations))
            continue
        curve, land, low = found
        curves.append(np.clip(np.where(np.isfinite(curve), curve, np.nan), -3, 2.5).tolist())
        landed.append(float(np.clip(land, -2, 1.5)))
        lowest.append(low)
        actual = trace.loss[int(k)] - trace.loss[int(k) + 1]
        words.append("\n".join(promise_words(promised[int(k)], actual, low)))
    return {"t": ALONG.tolist(), "curves": curves, "landed": landed, "lowest": lowest,
            "words": words}


def run_words(trace, label: str = "") -> str:
    """One line on how a run ended, in words that match its numbers."""
    words = ending_words(trace)
    head = f"{label}: " if label else ""
    return f"{head}{words}; {trace.iterations} iterations, final loss {trace.final_loss:.4g}"


def stable_rate(problem) -> float | None:
    """The largest stable learning rate 2/L of plain gradient descent, where it is known."""
    limit = getattr(problem, "max_stable_learning_rate", None)
    return float(limit) if limit is not None and np.isfinite(limit) else None


def axis_labels(trace, i: int, j: int) -> tuple[str, str]:
    return parameter_label(trace, i), parameter_label(trace, j)
