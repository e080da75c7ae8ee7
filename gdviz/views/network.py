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
        tallest = max(sizes)
        # Node (layer, unit) at x = layer; a layer's units from the top down, centred.
        self.positions = [np.column_stack([np.full(n, layer), (n - 1) / 2 - np.arange(n)])
                          for layer, n in enumerate(sizes)]
        span = (tallest - 1) / 2 + HALF + 0.2
        ax.set_xlim(-0.5, len(sizes) - 0.5)
        ax.set_ylim(-span, span)
        ax.set_xticks(range(len(sizes)))
        ax.set_xticklabels([_("inputs")] + [_("layer {n}").format(n=n)
                                            for n in range(1, len(sizes) - 1)] + [_("output")],
                           fontsize=9)
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        # An edge per weight, in parameter order (layer, out, in), under the nodes.
        segments, self.weight_index = [], []
        at = 0
        for layer, (inputs, units) in enumerate(zip(sizes[:-1], sizes[1:])):
            for o in range(units):
                for i in range(inputs):
                    segments.append([self.positions[layer][i], self.positions[layer + 1][o]])
                    self.weight_index.append(at + o * inputs + i)
            at += units * (inputs + 1)
        self.weight_index = np.array(self.weight_index)
        self.edges = LineCollection(segments, zorder=1, capstyle="round")
        ax.add_collection(self.edges)
        weights = trace.params[:, self.weight_index]
        finite = weights[np.isfinite(weights)]
        self.scale = float(np.max(np.abs(finite))) if finite.size else 1.0
        (self.moved,) = ax.plot([], [], color="black", linewidth=1.2, linestyle=(0, (2, 2)),
                                zorder=2, label=_("the weight that moved most in this step"))
        self.moved_node = ax.scatter([], [], s=700, facecolors="none", edgecolors="black",
                                     linewidths=2, zorder=4, label="_moved")
        self._setup_units(ax)
        ax.add_line(Line2D([], [], color=POSITIVE, linewidth=3, label=_("a positive weight")))
        ax.add_line(Line2D([], [], color=NEGATIVE, linewidth=3, label=_("a negative weight")))
        shape = "-".join(str(s) for s in sizes)
        ax.set_title(_("the {shape} network: each unit's output over the inputs,\nedges as wide "
                       "as their weights").format(shape=shape), fontsize=11)

    def _setup_units(self, ax) -> None:
        """Each unit's map (two inputs) or curve (one input), or a plain node."""
        problem, sizes = self.problem, self.problem.sizes
        X = problem.X
        low, high = X.min(axis=0), X.max(axis=0)
        self.inputs = sizes[0]
        self.maps, self.curves = {}, {}
        if self.inputs == 2:
            gx, gy = np.meshgrid(np.linspace(low[0], high[0], MAP_POINTS),
                                 np.linspace(low[1], high[1], MAP_POINTS))
            self.grid = np.column_stack([gx.ravel(), gy.ravel()])
        elif self.inputs == 1:
            self.grid = np.linspace(low[0], high[0], MAP_POINTS)[:, None]
        else:
            self.grid = None
        for layer, n in enumerate(sizes):
            for unit, (x, y) in enumerate(self.positions[layer]):
                box = (x - HALF, x + HALF, y - HALF, y + HALF)
                if self.grid is None or n > MAPPED_UNITS or layer == 0:
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
    def unit_outputs(self, i: int) -> list[np.ndarray]:
        """Each layer's outputs over the grid at iteration ``i`` (the output layer's as
        the task reads it: a probability for classification)."""
        problem = self.problem
        _zs, activations = problem.forward(self.trace.params[i], self.grid)
        outputs = [a for a in activations[1:]]
        if problem.task == "classification":
            z = outputs[-1]
            if z.shape[1] == 1:
                outputs[-1] = 1 / (1 + np.exp(-np.clip(z, -500, 500)))
            else:
                e = np.exp(z - z.max(axis=1, keepdims=True))
                outputs[-1] = e / e.sum(axis=1, keepdims=True)
        return outputs

    def _shown(self, layer: int, values: np.ndarray) -> np.ndarray:
        """A unit's values mapped to [-1, 1] for the map's colours: tanh as it is,
        sigmoid and probabilities from [0, 1], relu and a regression output by their
        largest size."""
        last = layer == len(self.problem.sizes) - 1
        if last and self.problem.task == "classification":
            return 2 * values - 1
        if not last and self.problem.activation == "sigmoid":
            return 2 * values - 1
        if not last and self.problem.activation == "tanh":
            return values
        size = np.max(np.abs(values)) if values.size else 1.0
        return values / size if size > 0 else values

    def update(self, i: int):
        params = self.trace.params[i]
        artists = [self.edges, self.moved, self.moved_node]
        if not np.all(np.isfinite(params)):
            return artists
        weights = params[self.weight_index]
        self.edges.set_linewidths(0.3 + 5.0 * np.abs(weights) / (self.scale or 1.0))
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
            outputs = self.unit_outputs(i)
            for (layer, unit), image in self.maps.items():
                image.set_data(self._shown(layer, outputs[layer - 1][:, unit])
                               .reshape(MAP_POINTS, MAP_POINTS))
                artists.append(image)
            for (layer, unit), curve in self.curves.items():
                x, y = self.boxes[(layer, unit)]
                values = self._shown(layer, outputs[layer - 1][:, unit])
                curve.set_data(x + np.linspace(-HALF, HALF, MAP_POINTS), y + HALF * 0.9 * values)
                artists.append(curve)
        return artists

    def moved_weight(self, i: int) -> int | None:
        """The edge (index among the weights) whose weight the step from ``i`` moves most."""
        if i >= self.trace.iterations:
            return None
        change = np.abs(self.trace.params[i + 1, self.weight_index]
                        - self.trace.params[i, self.weight_index])
        if not np.any(np.isfinite(change)) or np.nanmax(change) == 0:
            return None
        return int(np.nanargmax(change))

    def status_note(self, i: int) -> str | None:
        k = self.moved_weight(i)
        if k is None:
            return None
        name = self.trace.param_names[self.weight_index[k]]
        change = (self.trace.params[i + 1, self.weight_index[k]]
                  - self.trace.params[i, self.weight_index[k]])
        return _("the step moves {name} most ({change:+.3g})").format(name=name, change=change)


def _frame(box):
    from matplotlib.patches import Rectangle

    x0, x1, y0, y1 = box
    return Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="white", edgecolor="#444444",
                     linewidth=0.8, zorder=2.5)
