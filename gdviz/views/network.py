"""The network itself, as TF Playground draws it, from the trace: a column of nodes per
layer, each hidden unit's output over the input plane as a small map (over x as a small
curve for one input), and an edge per weight whose width is its size and whose colour is
its sign, all moving with the run. The weight that moved most in the step is marked."""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.lines import Line2D

from ..words.i18n import _
from ..words.network import accuracy_words
from .base import View
from .style import DATA, OTHER_CLASS

#: A weight's colour by sign (TF Playground's orange and blue).
POSITIVE, NEGATIVE = "#E66100", "#1F6FB4"
#: Most units in a layer drawn with their own map (more are drawn as plain nodes).
MAPPED_UNITS = 16
#: Points across each unit's map.
MAP_POINTS = 24
#: Half the size of a unit's map, in the panel's units (a layer is 1 apart).
HALF = 0.28
UNIT_MAP = LinearSegmentedColormap.from_list("unit", [NEGATIVE, "#FFFFFF", POSITIVE])
#: A probability of class 1, in the decision map's colours (class 0 to class 1).
CLASS_MAP = LinearSegmentedColormap.from_list("classes", [DATA, "#FFFFFF", OTHER_CLASS])


class NetworkView(View):
    """Nodes, the units' outputs and the weights of a network, at each iteration."""

    name = "network"

    @classmethod
    def supports(cls, trace) -> bool:
        return trace.problem is not None and hasattr(trace.problem, "sizes")

    def setup(self, ax, trace) -> None:
        problem = trace.problem
        self.trace, self.problem, self.ax = trace, problem, ax
        sizes = problem.sizes
        self.positions = node_positions(sizes)
        ax.set_xlim(-0.5, len(sizes) - 0.5)
        ax.set_ylim(-height(sizes), height(sizes))
        ax.set_xticks(range(len(sizes)))
        ax.set_xticklabels(layer_names(sizes), fontsize=9)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        # An edge per weight, in parameter order (layer, out, in), under the nodes.
        segments, self.weight_index = weight_edges(sizes, self.positions)
        self.edges = LineCollection(segments, zorder=1, capstyle="round")
        ax.add_collection(self.edges)
        self.scale = weight_scale(trace.params[:, self.weight_index])
        (self.moved,) = ax.plot([], [], color="black", linewidth=1.2, linestyle=(0, (2, 2)),
                                zorder=2, label=_("the weight that moved most in this step"))
        self.moved_node = ax.scatter([], [], s=700, facecolors="none", edgecolors="black",
                                     linewidths=2, zorder=4, label="_moved")
        self._setup_units(ax)
        ax.add_line(Line2D([], [], color=POSITIVE, linewidth=3, label=_("a positive weight")))
        ax.add_line(Line2D([], [], color=NEGATIVE, linewidth=3, label=_("a negative weight")))
        ax.set_title(network_title(sizes), fontsize=11)

    def _setup_units(self, ax) -> None:
        """Each unit's map (two inputs) or curve (one input), or a plain node."""
        problem, sizes = self.problem, self.problem.sizes
        self.inputs = sizes[0]
        self.maps, self.curves = {}, {}
        self.grid = unit_grid(problem, MAP_POINTS)
        for layer, n in enumerate(sizes):
            for unit, (x, y) in enumerate(self.positions[layer]):
                box = (x - HALF, x + HALF, y - HALF, y + HALF)
                if not drawn_as_map(self.grid, sizes, layer):
                    ax.scatter([x], [y], s=220, color="white", edgecolors="#444444", zorder=3,
                               label="_node")
                    if layer == 0:
                        ax.text(x - HALF - 0.05, y, problem.x_name(unit), ha="right",
                                va="center", fontsize=9)
                    continue
                ax.add_patch(_frame(box))
                if self.inputs == 2:
                    # The output of two classes in the decision map's own colours.
                    classes = layer == len(sizes) - 1 and problem.task == "classification"
                    self.maps[(layer, unit)] = ax.imshow(
                        np.zeros((MAP_POINTS, MAP_POINTS)), extent=box, origin="lower",
                        cmap=CLASS_MAP if classes else UNIT_MAP, vmin=-1, vmax=1, zorder=3,
                        aspect="auto", interpolation="bilinear")
                else:
                    (self.curves[(layer, unit)],) = ax.plot([], [], color="black",
                                                            linewidth=1.2, zorder=3)
        self.boxes = {key: (self.positions[key[0]][key[1]]) for key in (*self.maps, *self.curves)}

    # -- each frame ----------------------------------------------------------------------
    def update(self, i: int):
        params = self.trace.params[i]
        artists = [self.edges, self.moved, self.moved_node]
        if not np.all(np.isfinite(params)):
            return artists
        weights = params[self.weight_index]
        self.edges.set_linewidths(edge_widths(weights, self.scale))
        self.edges.set_colors([to_rgba(POSITIVE if w >= 0 else NEGATIVE, 0.75) for w in weights])
        k = self.moved_weight(i)
        if k is None:
            self.moved.set_data([], [])
            self.moved_node.set_offsets(np.empty((0, 2)))
        else:
            (x0, y0), (x1, y1) = self.edges.get_segments()[k]
            self.moved.set_data([x0, x1], [y0, y1])
            self.moved_node.set_offsets([[x1, y1]])
        if self.grid is not None and (self.maps or self.curves):
            outputs = unit_values(self.problem, params, self.grid)
            for (layer, unit), image in self.maps.items():
                image.set_data(outputs[layer - 1][:, unit].reshape(MAP_POINTS, MAP_POINTS))
                artists.append(image)
            for (layer, unit), curve in self.curves.items():
                x, y = self.boxes[(layer, unit)]
                values = outputs[layer - 1][:, unit]
                curve.set_data(x + np.linspace(-HALF, HALF, MAP_POINTS), y + HALF * 0.9 * values)
                artists.append(curve)
        return artists

    def moved_weight(self, i: int) -> int | None:
        """The edge (index among the weights) whose weight the step from ``i`` moves most."""
        k = moved_weights(self.trace.params, self.weight_index, [i], self.trace.iterations)[0]
        return None if k < 0 else int(k)

    def status_note(self, i: int) -> str | None:
        """The weight the step moves most; and, with no map to say it (inputs other than
        two), how many points the network classifies rightly."""
        words = []
        if self.problem.task == "classification" and self.inputs != 2 and np.all(
                np.isfinite(self.trace.params[i])):
            words.append(accuracy_words(self.problem, self.trace.params[i]))
        k = self.moved_weight(i)
        if k is not None:
            words.append(moved_words(self.trace, self.weight_index[k], i))
        return "   ".join(words) or None


# -- the picture's pieces, shared with the app (``app.charts.network_picture``) ----------------
def node_positions(sizes) -> list[np.ndarray]:
    """Node (layer, unit) at x = layer; a layer's units from the top down, centred on 0."""
    return [np.column_stack([np.full(n, layer), (n - 1) / 2 - np.arange(n)])
            for layer, n in enumerate(sizes)]


def height(sizes) -> float:
    """Half the picture's height: the tallest layer and a unit's map."""
    return (max(sizes) - 1) / 2 + HALF + 0.2


def layer_names(sizes) -> list[str]:
    return ([_("inputs")] + [_("layer {n}").format(n=n) for n in range(1, len(sizes) - 1)]
            + [_("output")])


def network_title(sizes) -> str:
    shape = "-".join(str(size) for size in sizes)
    return _("the {shape} network: each unit's output over the inputs,\nedges as wide "
             "as their weights").format(shape=shape)


def weight_edges(sizes, positions) -> tuple[list, np.ndarray]:
    """An edge per weight in parameter order (layer, out, in): its two ends, and the
    weight's index among the parameters (biases are skipped)."""
    segments, index, at = [], [], 0
    for layer, (inputs, units) in enumerate(zip(sizes[:-1], sizes[1:])):
        for o in range(units):
            for i in range(inputs):
                segments.append([positions[layer][i], positions[layer + 1][o]])
                index.append(at + o * inputs + i)
        at += units * (inputs + 1)
    return segments, np.array(index, dtype=int)


def weight_scale(weights) -> float:
    """The largest weight's size over the run (an edge's width is its share of it)."""
    finite = np.abs(weights[np.isfinite(weights)])
    return float(np.max(finite)) if finite.size and np.max(finite) > 0 else 1.0


def edge_widths(weights, scale: float) -> np.ndarray:
    return 0.3 + 5.0 * np.abs(weights) / (scale or 1.0)


def unit_grid(problem, points: int) -> np.ndarray | None:
    """Where each unit's output is drawn: ``points``² points over the two inputs' range,
    ``points`` along one input's, or None (more inputs: the units are plain nodes)."""
    X = problem.X
    low, high = X.min(axis=0), X.max(axis=0)
    if X.shape[1] == 2:
        gx, gy = np.meshgrid(np.linspace(low[0], high[0], points),
                             np.linspace(low[1], high[1], points))
        return np.column_stack([gx.ravel(), gy.ravel()])
    if X.shape[1] == 1:
        return np.linspace(low[0], high[0], points)[:, None]
    return None


def drawn_as_map(grid, sizes, layer: int) -> bool:
    """Whether a unit of ``layer`` is drawn with its output (not the inputs, not a layer
    wider than ``MAPPED_UNITS``, not with more than two inputs)."""
    return grid is not None and layer > 0 and sizes[layer] <= MAPPED_UNITS


def unit_values(problem, params, grid) -> list[np.ndarray]:
    """Each layer's outputs over ``grid`` at ``params``, mapped to [-1, 1] for the maps'
    colours: tanh as it is; sigmoid, and the output's probability for classification,
    from [0, 1]; relu and a regression output by their largest size over the grid."""
    _zs, activations = problem.forward(params, grid)
    outputs = list(activations[1:])
    outputs[-1] = problem.outputs(outputs[-1])  # a probability for classification
    shown = []
    for layer, values in enumerate(outputs, start=1):
        last = layer == len(outputs)
        if (last and problem.task == "classification") or (
                not last and problem.activation == "sigmoid"):
            shown.append(2 * values - 1)
        elif not last and problem.activation == "tanh":
            shown.append(values)
        else:
            size = np.max(np.abs(values), axis=0) if values.size else 1.0
            shown.append(values / np.where(size > 0, size, 1.0))
    return shown


def moved_weights(params, weight_index, steps, iterations: int) -> np.ndarray:
    """For each of ``steps``, the edge (index among the weights) whose weight the step
    moves most: -1 at the end or where nothing moved."""
    steps = np.asarray(steps, dtype=int)
    out = np.full(len(steps), -1)
    inside = steps < iterations
    if not np.any(inside):
        return out
    rows = steps[inside]
    with np.errstate(invalid="ignore"):
        change = np.abs(params[rows + 1][:, weight_index] - params[rows][:, weight_index])
    change = np.where(np.isfinite(change), change, -1.0)
    best = np.argmax(change, axis=1)
    out[inside] = np.where(change[np.arange(len(rows)), best] > 0, best, -1)
    return out


def moved_words(trace, index: int, i: int) -> str:
    """What the step from ``i`` does to the parameter at ``index``, in words."""
    change = trace.params[i + 1, index] - trace.params[i, index]
    return _("the step moves {name} most ({change:+.3g})").format(
        name=trace.param_names[index], change=change)


def _frame(box):
    from matplotlib.patches import Rectangle

    x0, x1, y0, y1 = box
    return Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="white", edgecolor="#444444",
                     linewidth=0.8, zorder=2.5)
