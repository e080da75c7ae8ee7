"""The classification view: two classes of points and the decision boundary."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D

from ..words.i18n import _, joined, ngettext
from .base import View
from .style import DATA, FIT, OTHER_CLASS

#: Rings: each point's pull |p − y| (grey), and the misclassified ones (red).
PULL_RING, WRONG = "#777777", "#C0392B"


class BoundaryView(View):
    """The two classes and the line ``w0 + w1*x1 + w2*x2 = 0`` at each iteration."""

    name = "boundary"

    @classmethod
    def supports(cls, trace) -> bool:
        problem = trace.problem
        # A line between two classes: logistic regression's (a network's is a map).
        return problem is not None and callable(getattr(problem, "separable", None))

    def setup(self, ax, trace) -> None:
        problem = trace.problem
        self.trace = trace
        X, labels = problem.X, problem.labels
        self.separable = problem.separable() if hasattr(problem, "separable") else True
        ax.scatter(*X[labels == 0].T, s=28, color=DATA, marker="o", label=_("class {k}").format(k=0),
                   zorder=2)
        ax.scatter(*X[labels == 1].T, s=40, color=OTHER_CLASS, edgecolors="black",
                   linewidths=0.6, marker="^", label=_("class {k}").format(k=1), zorder=2)
        (self.line,) = ax.plot([], [], color=FIT, linewidth=2.5,
                               label=_("decision boundary (P = 0.5)"), zorder=3)
        # Each point's pull on the weights is (p − y)·x: a ring as large as |p − y|, red
        # where the point is on the wrong side of the line (misclassified).
        self.pulls = ax.scatter([], [], s=[], facecolors="none", edgecolors=PULL_RING,
                                linewidths=0.8, zorder=4, label="_pulls")
        self.wrong = ax.scatter([], [], s=[], facecolors="none", edgecolors=WRONG,
                                linewidths=1.8, zorder=5, label="_wrong")
        for colour, width, words in ((PULL_RING, 0.8, _("ring: each point's pull |p − y|")),
                                     (WRONG, 1.8, _("misclassified"))):
            ax.add_line(Line2D([], [], marker="o", markersize=10, markerfacecolor="none",
                               markeredgecolor=colour, markeredgewidth=width, linestyle="none",
                               label=words))
        pad = 0.1 * np.ptp(X, axis=0)
        self.xlim = (X[:, 0].min() - pad[0], X[:, 0].max() + pad[0])
        self.ylim = (X[:, 1].min() - pad[1], X[:, 1].max() + pad[1])
        ax.set_xlim(*self.xlim)
        ax.set_ylim(*self.ylim)
        ax.set_xlabel(problem.x_name(0), fontsize=12)
        ax.set_ylabel(problem.x_name(1), fontsize=12)
        shown = getattr(problem, "shown_of", None)
        ax.set_title(_("logistic regression on {count:,} points ({shown:,} shown)").format(
            count=problem.n_samples, shown=shown[0]) if shown else
            _("logistic regression on {count:,} points").format(count=problem.n_samples),
            fontsize=13)
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

    def classified(self, i: int):
        """(probability of class 1, whether each point is on its class's side) at ``i``."""
        problem = self.trace.problem
        with np.errstate(all="ignore"):
            probability = problem.predict(self.trace.params[i])
        return probability, (probability >= 0.5) == (problem.labels == 1)

    def status_note(self, i: int) -> str | None:
        probability, right = self.classified(i)
        if not np.all(np.isfinite(probability)):
            return None
        words = _("accuracy {right}/{total}").format(right=int(right.sum()), total=right.size)
        if i == self.trace.iterations and not right.all():
            wrong = int((~right).sum())
            if self.separable:
                words = joined(words, ngettext(
                    "a line does separate the classes, yet {count} point is still on the "
                    "wrong side: the run had not got there", "a line does separate the "
                    "classes, yet {count} points are still on the wrong side: the run had "
                    "not got there", wrong).format(count=wrong))
            else:
                words = joined(words, ngettext(
                    "no line separates these classes (their hulls overlap): {count} point "
                    "stays on the wrong side", "no line separates these classes (their hulls "
                    "overlap): {count} points stay on the wrong side", wrong).format(
                    count=wrong))
        return words

    def update(self, i: int):
        self.line.set_data(*self.boundary(i))
        probability, right = self.classified(i)
        X = self.trace.problem.X
        pull = np.abs(probability - self.trace.problem.labels)
        finite = np.isfinite(pull)
        self.pulls.set_offsets(X[finite])
        self.pulls.set_sizes(40 + 400 * pull[finite])
        wrong = ~right & finite
        self.wrong.set_offsets(X[wrong] if wrong.any() else np.empty((0, 2)))
        self.wrong.set_sizes(60 + 400 * pull[wrong])
        return [self.line, self.pulls, self.wrong]
