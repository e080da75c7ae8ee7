"""A network's decision map: what it says over the whole input plane, as it learns.

TF Playground's main picture, drawn from the trace: the output over the plane of the two
inputs as a shaded map (the probability of class 1 for two classes, the winning class
for more, paler where the network is unsure), the training points filled and the test
points hollow, the misclassified ones ringed.
"""
from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.lines import Line2D

from ..words.i18n import _
from ..words.network import accuracy_words
from .base import View
from .style import DATA, OTHER_CLASS

#: The classes' colours: class 0, class 1 (the pictures' own), then more.
CLASS_COLOURS = (DATA, OTHER_CLASS, "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#0072B2",
                 "#E69F00", "#999999", "#000000")
WRONG = "#C0392B"
#: Points across each side of the map.
RESOLUTION = 80


class DecisionMapView(View):
    """The network's classes over the input plane, the points, and the misclassified."""

    name = "map"

    @classmethod
    def supports(cls, trace) -> bool:
        problem = trace.problem
        return (problem is not None and getattr(problem, "task", None) == "classification"
                and getattr(problem, "X", np.empty((0, 0))).shape[1] == 2)

    def setup(self, ax, trace) -> None:
        problem = trace.problem
        self.trace, self.problem = trace, problem
        self.extent, self.grid = problem.input_grid(RESOLUTION)
        x0, x1, y0, y1 = self.extent
        classes = problem.classes
        self.colours = np.array([to_rgb(c) for c in CLASS_COLOURS[:classes]])
        if classes == 2:
            self.cmap = LinearSegmentedColormap.from_list(
                "classes", [self.colours[0], (1, 1, 1), self.colours[1]])
            self.image = ax.imshow(np.zeros((RESOLUTION, RESOLUTION)), origin="lower",
                                   extent=self.extent, cmap=self.cmap, vmin=0, vmax=1,
                                   aspect="auto", alpha=0.45, interpolation="bilinear", zorder=0)
        else:
            self.image = ax.imshow(np.ones((RESOLUTION, RESOLUTION, 3)), origin="lower",
                                   extent=self.extent, aspect="auto", alpha=0.45, interpolation="bilinear", zorder=0)
        for k in range(classes):
            colour = CLASS_COLOURS[k]
            ax.scatter(*problem.X[problem.labels == k].T, s=30, color=colour,
                       edgecolors="black", linewidths=0.5, zorder=2,
                       label=_("class {k} (training)").format(k=k))
            if problem.X_test is not None:
                ax.scatter(*problem.X_test[problem.y_test == k].T, s=30, facecolors="white",
                           edgecolors=colour, linewidths=1.6, zorder=2,
                           label=_("class {k} (test)").format(k=k))
        self.wrong = ax.scatter([], [], s=110, facecolors="none", edgecolors=WRONG,
                                linewidths=1.6, zorder=3, label="_wrong")
        ax.add_line(Line2D([], [], marker="o", markersize=10, markerfacecolor="none",
                           markeredgecolor=WRONG, markeredgewidth=1.6, linestyle="none",
                           label=_("misclassified")))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel(problem.x_name(0), fontsize=12)
        ax.set_ylabel(problem.x_name(1), fontsize=12)
        shape = "-".join(str(s) for s in problem.sizes)
        ax.set_title(_("what the {shape} network says over the plane:\nthe shade is its "
                       "probability of each class").format(shape=shape), fontsize=11)

    def shade(self, i: int) -> np.ndarray:
        """The map at iteration ``i``: P(class 1) (two classes) or the winning class's
        colour, paler where the network is less sure (more classes)."""
        with np.errstate(all="ignore"):
            p = self.problem.predict(self.trace.params[i], self.grid)
        if p.ndim == 1:
            return p.reshape(RESOLUTION, RESOLUTION)
        winner = np.argmax(p, axis=1)
        sure = (p.max(axis=1) - 1 / p.shape[1]) / (1 - 1 / p.shape[1])
        colour = 1 - sure[:, None] * (1 - self.colours[winner])
        return colour.reshape(RESOLUTION, RESOLUTION, 3)

    def misclassified(self, i: int) -> np.ndarray:
        """The points (training and test) given the wrong class at iteration ``i``."""
        problem, params = self.problem, self.trace.params[i]
        wrong = [problem.X[problem.classify(params, problem.X) != problem.labels]]
        if problem.X_test is not None:
            wrong.append(problem.X_test[problem.classify(params, problem.X_test)
                                        != problem.y_test.astype(int)])
        return np.vstack(wrong)

    def update(self, i: int):
        if np.all(np.isfinite(self.trace.params[i])):
            self.image.set_data(self.shade(i))
            self.wrong.set_offsets(self.misclassified(i).reshape(-1, 2))
        return [self.image, self.wrong]

    def status_note(self, i: int) -> str | None:
        return accuracy_words(self.problem, self.trace.params[i])
