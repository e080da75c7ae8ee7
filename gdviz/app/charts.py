"""The numbers the browser draws, from a Trace: pure numpy, no web framework.

The page gets a run's whole path and loss once per change; scrubbing and playing then
slice them in the browser. Everything here is plain lists and arrays so it can be
checked without a server.
"""
from __future__ import annotations

import numpy as np

from ..frames import lesson_iterations, race_iterations
from ..words import Narrator
from ..landscape import grid_through
from ..words.i18n import _, joined, ngettext
from ..words.network import accuracy_words
from ..words.numbers import percent
from ..words.board import StepBoard
from ..words.ending import ending_words
from ..anatomy import most_moved
from ..views.contour import loss_levels
from ..views.window import sensible_window
from ..views.style import parameter_label

#: Most frames the scrub bar steps through (every iteration up to this many).
MAX_FRAMES = 300
#: Points across the data view's fitted curve.
CURVE_POINTS = 120


def coordinates(trace) -> tuple[int, int]:
    """The two parameters the contour shows (the two that moved most)."""
    return most_moved(trace.params)


def plane_words(names, kind: str, i: int, j: int, at: int | None = None,
                plane=None, made_by: str = "") -> dict:
    """What the page's contour shows, truthfully: ``{"title", "on", "off"}``.

    ``title`` heads the contour. ``on`` and ``off`` are the note under it for a slice
    through iteration ``at`` when the frame shown is that iteration or another (``off``
    has a ``{shown}`` the page fills with the iteration shown); empty for the other planes.
    The plane of a path names the run that made it (``made_by``).
    """
    if kind == "true":
        return {"title": _("the loss: click to set the start"), "on": "", "off": ""}
    if kind == "pca":
        return {"title": _("the loss on the plane of the path of {run} ({first} + {second} of "
                           "its spread)").format(run=made_by, first=percent(plane.explained[0]),
                                                 second=percent(plane.explained[1])),
                "on": "", "off": ""}
    others = len(names) - 2
    on = ngettext("the other parameter at its value at iteration {at}: the point shown lies "
                  "on this slice, and its colour is its loss",
                  "the other {count} parameters at their values at iteration {at}: the point "
                  "shown lies on this slice, and its colour is its loss", others)
    off = ngettext("the other parameter at its value at iteration {at}, not at the point "
                   "shown (iteration {shown}): the slice follows when the scrub stops",
                   "the other {count} parameters at their values at iteration {at}, not at the "
                   "point shown (iteration {shown}): the slice follows when the scrub stops",
                   others)
    return {"title": _("the loss over ({x}, {y}): a slice through iteration {at}").format(
                x=names[i], y=names[j], at=at),
            "on": on.format(count=others, at=at),
            "off": off.replace("{shown}", "{{shown}}").format(count=others, at=at)}


def axis_place(base, i: int, j: int):
    """Grid coordinates to parameters: ``base`` with parameters i and j set."""
    base = np.asarray(base, dtype=float)

    def place(grid_x, grid_y):
        grid = np.broadcast_to(base, grid_x.shape + (len(base),)).copy()
        grid[..., i], grid[..., j] = grid_x, grid_y
        return grid

    return place


def window(trace, i: int, j: int):
    """The contour's limits around the start, the optimum and the sane part of the path;
    square where the parameters share units (a function's x and y: its contour, drawn in a
    square, is to scale)."""
    limits = sensible_window(trace, i, j)
    if not getattr(trace.problem, "same_units", False):
        return limits
    (x_low, x_high), (y_low, y_high) = limits
    half = max(x_high - x_low, y_high - y_low) / 2
    x_mid, y_mid = (x_low + x_high) / 2, (y_low + y_high) / 2
    return (x_mid - half, x_mid + half), (y_mid - half, y_mid + half)


def contour_image(problem, place, limits, resolution: int = 160, through=None) -> dict:
    """The loss over the window as an image of colour bands (one band per contour level,
    as in the pictures): ``{"image", "x", "y", "dw", "dh", "levels"}``. ``place(gx, gy)``
    turns grid coordinates into parameters (``axis_place`` or a plane's ``point``). Each
    pixel is centred on the point its loss was computed at; with ``through`` (a point in
    the window) one pixel's centre is exactly that point."""
    through = (None, None) if through is None else through
    xs, ys = ([np.linspace(low, high, resolution) if value is None or not np.isfinite(value)
               else grid_through(value, low, high, resolution)
               for value, (low, high) in zip(through, limits)])
    gx, gy = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        values = problem.loss_many(place(gx, gy))
    levels = loss_levels(values)
    if levels is None:
        bands = np.zeros_like(values)
        levels = np.array([0.0, 1.0])
    else:
        clipped = np.where(np.isfinite(values), values, levels[-1])
        bands = np.clip(np.digitize(clipped, levels) - 1, 0, len(levels) - 1).astype(float)
    step_x, step_y = (xs[-1] - xs[0]) / (len(xs) - 1), (ys[-1] - ys[0]) / (len(ys) - 1)
    return {"image": bands, "x": xs[0] - step_x / 2, "y": ys[0] - step_y / 2,
            "dw": step_x * len(xs), "dh": step_y * len(ys),
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


def path_columns(trace, i: int, j: int, plane=None) -> dict:
    """The whole path and loss by iteration, for the browser to slice: parameters i and j,
    or the path's coordinates on ``plane`` (a ``landscape.Plane``). Non-finite numbers
    (an overflowed run) become NaN, which the charts leave out."""
    with np.errstate(all="ignore"):
        params = np.where(np.isfinite(trace.params), trace.params, np.nan)
        loss = np.where(np.isfinite(trace.loss), trace.loss, np.nan)
        points = params[:, [i, j]] if plane is None else plane.project(params)
    return {"x": points[:, 0], "y": points[:, 1], "loss": loss,
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
    if not callable(getattr(problem, "separable", None)):  # a line: logistic regression's
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


#: A network's map in the page: points across, and at most this many maps a run.
MAP_POINTS, MAPS = 32, 60


def network_maps(trace, frames) -> dict | None:
    """For a network separating classes of 2-D points: the points (training and test),
    and its map over the plane (P(class 1), or the winning class) at up to ``MAPS`` of
    the frames, ``at[f]`` the map shown at frame f; None for another model."""
    problem = trace.problem
    if getattr(problem, "task", None) != "classification" or problem.X.shape[1] != 2:
        return None
    extent, grid = problem.input_grid(MAP_POINTS)
    frames = np.asarray(frames, dtype=int)
    chosen = _snapshots(len(frames), MAPS)
    images = []
    for f in chosen:
        params = trace.params[min(frames[f], trace.iterations)]
        with np.errstate(all="ignore"):
            p = problem.predict(params, grid)
        image = p if p.ndim == 1 else np.argmax(p, axis=1).astype(float)
        images.append(np.where(np.isfinite(image), image, np.nan).astype(np.float32)
                      .reshape(MAP_POINTS, MAP_POINTS))  # colours only: float32 travels half
    test = problem.X_test if problem.X_test is not None else np.empty((0, 2))
    return {"X": problem.X, "labels": problem.labels.tolist(), "X_test": test,
            "labels_test": ([] if problem.y_test is None else problem.y_test.astype(int).tolist()),
            "images": images, "at": _frame_snapshot(len(frames), chosen), "classes": problem.classes,
            "extent": extent,
            "x_label": problem.x_name(0), "y_label": problem.x_name(1)}


#: The network picture in the page: points across each unit's map, and the most numbers
#: (weights and units' outputs over all the snapshots) it sends for a run.
UNIT_POINTS, NETWORK_NUMBERS = 12, 200_000


def network_picture(trace, frames) -> dict | None:
    """TF Playground's picture of a network, for the page (as ``views.network`` draws
    it): the nodes, an edge per weight, each unit's output over the inputs as a small map
    (two inputs; plain nodes otherwise), and at each frame the weights, the units' maps
    and the weight the step moves most. The weights (÷ the run's largest) travel for
    every frame when they fit in ``NETWORK_NUMBERS``, the units' maps for up to ``MAPS``
    frames (``unit_at[f]``: the snapshot shown at frame f); both as float32, which only
    colours and widths read. None for a model that is not a network."""
    from ..views import network as net

    problem = trace.problem
    if not hasattr(problem, "sizes"):
        return None
    sizes = problem.sizes
    positions = net.node_positions(sizes)
    segments, weight_index = net.weight_edges(sizes, positions)
    segments = np.asarray(segments, dtype=float).reshape(-1, 4)
    frames = np.asarray(frames, dtype=int)
    own = np.minimum(frames, trace.iterations)
    weights = trace.params[:, weight_index]
    scale = net.weight_scale(weights)
    weight_frames = (np.arange(len(frames)) if len(weight_index) * len(frames) <= NETWORK_NUMBERS
                     else _snapshots(len(frames), max(2, NETWORK_NUMBERS // len(weight_index))))
    moved = net.moved_weights(trace.params, weight_index, own, trace.iterations)
    moved_words = ["" if m < 0 else net.moved_words(trace, weight_index[m], int(k))
                   for m, k in zip(moved, own)]
    grid = net.unit_grid(problem, UNIT_POINTS)
    mapped = [(layer, unit) for layer in range(1, len(sizes)) for unit in range(sizes[layer])
              if net.drawn_as_map(grid, sizes, layer)]
    # A unit's map: p × p over two inputs, a strip of p along one input.
    shape = (UNIT_POINTS, UNIT_POINTS) if grid is not None and grid.shape[1] == 2 else (1, UNIT_POINTS)
    cells = len(mapped) * shape[0] * shape[1]
    unit_frames = (_snapshots(len(frames), min(MAPS, max(2, NETWORK_NUMBERS // cells)))
                   if cells else np.zeros(0, dtype=int))
    values = np.zeros((len(unit_frames), cells), dtype=np.float32)
    for row, f in enumerate(unit_frames):
        with np.errstate(all="ignore"):
            outputs = net.unit_values(problem, trace.params[own[f]], grid)
        values[row] = np.concatenate([outputs[layer - 1][:, unit] for layer, unit in mapped])
    with_map = set(mapped)
    plain = [(layer, unit) for layer in range(len(sizes)) for unit in range(sizes[layer])
             if (layer, unit) not in with_map]
    shown = weights[own[weight_frames]]
    with np.errstate(all="ignore"):
        shown = np.where(np.isfinite(shown), shown / scale, np.nan).astype(np.float32)
    last = len(sizes) - 1
    return {
        "sizes": list(sizes), "title": net.network_title(sizes).replace("\n", " "),
        "layer_names": net.layer_names(sizes), "height": net.height(sizes),
        "edges": {"x0": segments[:, 0], "y0": segments[:, 1], "x1": segments[:, 2],
                  "y1": segments[:, 3],
                  "name": [trace.param_names[k] for k in weight_index]},
        "scale": scale, "weights": shown.ravel(),
        "weight_at": _frame_snapshot(len(frames), weight_frames),
        "moved": moved.tolist(), "moved_words": moved_words,
        # The units drawn with a map, in order (the values' order within a snapshot).
        "units": {"x": [float(positions[layer][unit][0]) for layer, unit in mapped],
                  "y": [float(positions[layer][unit][1]) for layer, unit in mapped],
                  "output": [layer == last for layer, _unit in mapped]},
        "unit_shape": list(shape),
        "nodes": {"x": [float(positions[layer][unit][0]) for layer, unit in plain],
                  "y": [float(positions[layer][unit][1]) for layer, unit in plain]},
        "inputs": {"x": (positions[0][:, 0] - net.HALF - 0.05).tolist(),
                   "y": positions[0][:, 1].tolist(),
                   "text": [problem.x_name(i) for i in range(sizes[0])]},
        "values": values.ravel(), "unit_at": _frame_snapshot(len(frames), unit_frames),
        "classification": problem.task == "classification",
    }


def _snapshots(count: int, most: int) -> np.ndarray:
    """At most ``most`` of ``count`` frames, evenly, the first and the last among them."""
    return np.unique(np.linspace(0, count - 1, min(most, count)).round().astype(int))


def _frame_snapshot(count: int, snapshots) -> list[int]:
    """For each of ``count`` frames, the snapshot shown: the last one at or before it."""
    if not len(snapshots):
        return [0] * count
    return (np.searchsorted(snapshots, np.arange(count), side="right") - 1).tolist()


def chains(trace, frames) -> list[str] | None:
    """The chain rule of each frame's step for the weight it moves most (``words.chain``),
    as plain text; None for a model that is not a network."""
    from ..words.chain import ChainRule

    if not hasattr(trace.problem, "weight_mask"):
        return None
    rule = ChainRule(trace)
    out = []
    for k in np.minimum(np.asarray(frames, dtype=int), trace.iterations):
        with np.errstate(all="ignore"):
            out.append("\n".join(rule.lines(int(k))))
    return out


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
            curves.append(np.full(len(ALONG), np.nan))
            landed.append(float("nan"))
            lowest.append(float("nan"))
            words.append(no_promise_words(int(k), trace.iterations))
            continue
        curve, land, low = found
        curves.append(np.clip(np.where(np.isfinite(curve), curve, np.nan), -3, 2.5))
        landed.append(float(np.clip(land, -2, 1.5)))
        lowest.append(low)
        actual = trace.loss[int(k)] - trace.loss[int(k) + 1]
        words.append("\n".join(promise_words(promised[int(k)], actual, low)))
    # One array (frames × points along): it travels as one buffer, not a list per frame.
    return {"t": ALONG.tolist(), "curves": np.array(curves), "landed": landed,
            "lowest": lowest, "words": words}


def run_words(trace, label: str = "") -> str:
    """One line on how a run ended, in words that match its numbers."""
    words = ending_words(trace)
    line = ngettext("{ending}; {count} iteration, final loss {loss:.4g}",
                    "{ending}; {count} iterations, final loss {loss:.4g}", trace.iterations).format(
        ending=words, count=trace.iterations, loss=trace.final_loss)
    if label:
        line = _("{label}: {words}").format(label=label, words=line)
    accuracy = accuracy_words(trace.problem, trace.final_params)
    return joined(line, accuracy) if accuracy else line


def stable_rate(problem) -> float | None:
    """The largest stable learning rate 2/L of plain gradient descent, where it is known."""
    limit = getattr(problem, "max_stable_learning_rate", None)
    return float(limit) if limit is not None and np.isfinite(limit) else None


def axis_labels(trace, i: int, j: int) -> tuple[str, str]:
    return parameter_label(trace, i), parameter_label(trace, j)
