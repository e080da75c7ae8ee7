"""The classification view: two classes of points and the decision boundary."""
from __future__ import annotations

import numpy as np

from .base import View
from .style import DATA, FIT, OTHER_CLASS


class BoundaryView(View):
    """The two classes and the line ``w0 + w1*x1 + w2*x2 = 0`` at each iteration."""

    name = "boundary"

    @classmethod
    def supports(cls, trace) -> bool:
        problem = trace.problem
        return problem is not None and hasattr(problem, "labels") and hasattr(problem, "X")

    def setup(self, ax, trace) -> None:
        problem = trace.problem
        self.trace = trace
        X, labels = problem.X, problem.labels
        ax.scatter(*X[labels == 0].T, s=28, color=DATA, marker="o", label="class 0",
                   zorder=2)
        ax.scatter(*X[labels == 1].T, s=40, color=OTHER_CLASS, edgecolors="black",
                   linewidths=0.6, marker="^", label="class 1", zorder=2)
        (self.line,) = ax.plot([], [], color=FIT, linewidth=2.5,
                               label="decision boundary (P = 0.5)", zorder=3)
        pad = 0.1 * np.ptp(X, axis=0)
        self.xlim = (X[:, 0].min() - pad[0], X[:, 0].max() + pad[0])
        self.ylim = (X[:, 1].min() - pad[1], X[:, 1].max() + pad[1])
        ax.set_xlim(*self.xlim)
        ax.set_ylim(*self.ylim)
        ax.set_xlabel(problem.x_name(0), fontsize=12)
        ax.set_ylabel(problem.x_name(1), fontsize=12)
        shown = getattr(problem, "shown_of", None)
        ax.set_title(f"logistic regression on {problem.n_samples:,} points"
                     + (f" ({shown[0]:,} shown)" if shown else ""), fontsize=13)
        ax.grid(alpha=0.3)

    def boundary(self, i: int):
        """Two points of the boundary line across the panel (empty if there is none)."""
        w0, w1, w2 = self.trace.params[i]
        if not np.all(np.isfinite([w0, w1, w2])) or max(abs(w1), abs(w2)) < 1e-12:
            return [], []
        if abs(w2) >= abs(w1):
            xs = np.array(self.xlim)
            return xs, -(w0 + w1 * xs) / w2
        ys = np.array(self.ylim)
        return -(w0 + w2 * ys) / w1, ys

    def update(self, i: int):
        self.line.set_data(*self.boundary(i))
        return [self.line]
