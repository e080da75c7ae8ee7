"""The data-space view: the points and the model's current fit (the blog's picture)."""
from __future__ import annotations

import numpy as np

from matplotlib.lines import Line2D

from ..words.i18n import _
from ..words.numbers import powers
from .base import View
from .style import DATA, FIT, REFERENCE

#: Residual sticks are drawn for data up to this many points (more would be a smear).
MAX_STICKS = 500
#: Sticks above the fit (the fit is too low there) and below it, in colours no other mark
#: uses (blue is the data's, pink and sky blue the parameters'); the pull they add up to.
ABOVE, BELOW, PULL = "#A0522D", "#708090", "#000000"


class FitView(View):
    """Scatter of the data and the fitted curve at the current iteration.

    Works for any problem with 1-D ``x``, ``y`` and ``predict`` (linear,
    polynomial, the small network). The axes are fixed to the data's range,
    so a diverging fit runs off the panel instead of rescaling it.
    """

    name = "fit"

    @classmethod
    def supports(cls, trace) -> bool:
        problem = trace.problem
        return (problem is not None and hasattr(problem, "predict")
                and np.ndim(getattr(problem, "x", None)) == 1 and hasattr(problem, "y"))

    def setup(self, ax, trace) -> None:
        problem = trace.problem
        self.trace = trace
        x, y = problem.x, problem.y
        self._x_line = np.linspace(x.min(), x.max(), 200)
        shown = getattr(problem, "shown_of", None)
        label = (_("data ({shown:,} of {total:,} points shown)").format(shown=shown[0], total=shown[1])
                 if shown else _("data"))
        ax.scatter(x, y, s=22 if not shown else 6, color=DATA, alpha=0.8, label=label, zorder=2)
        (self.line,) = ax.plot([], [], color=FIT, linewidth=2.5,
                               label=_("fit: {model}").format(model=_model_label(trace)), zorder=3)
        self.batch = None
        if trace.stochastic and not shown:  # rows of data elsewhere are not drawn
            # A black ring, not the contour's vermillion one (that is the next point), nor
            # a square (the start).
            (self.batch,) = ax.plot([], [], "o", markersize=10, markerfacecolor="none",
                                    markeredgecolor="black", markeredgewidth=1.5,
                                    label=_("this step's mini-batch"), zorder=4)
        self.sticks = self.pull = None
        if not shown and problem.n_samples <= MAX_STICKS and hasattr(problem, "feature_symbols"):
            self._setup_sticks(ax)
        optimum = getattr(problem, "optimum", None)
        if optimum is not None:
            ax.plot(self._x_line, problem.predict(optimum, self._x_line), color=REFERENCE,
                    linestyle="--", linewidth=1.5, label=_("least-squares optimum"), zorder=2)
        model = _model_label(trace).split(",  ")[0]
        ax.set_title(_("fitting {model} to {count:,} points").format(
            model=model, count=problem.n_samples), fontsize=13)
        x_pad = 0.05 * np.ptp(x) or 1.0
        y_pad = 0.15 * np.ptp(y) or 1.0
        ax.set_xlim(x.min() - x_pad, x.max() + x_pad)
        ax.set_ylim(y.min() - y_pad, y.max() + y_pad)
        ax.set_xlabel(problem.x_names[0] if problem.x_names else "x", fontsize=12)
        ax.set_ylabel(problem.y_name or "y", fontsize=12)
        ax.grid(alpha=0.3)

    def _setup_sticks(self, ax) -> None:
        """Residual sticks from each point to the fit (above: the fit is too low there),
        as wide as the point's share of the pull, and the pull itself: the mean residual
        drawn as an arrow at the data's mean x (the intercept's step direction)."""
        from matplotlib.collections import LineCollection
        from matplotlib.patches import FancyArrowPatch

        from matplotlib.colors import to_rgba

        self._above, self._below = np.array(to_rgba(ABOVE, 0.8)), np.array(to_rgba(BELOW, 0.8))
        self.sticks = LineCollection([], linewidths=1.5, zorder=1, colors=[ABOVE],
                                     label=_("residual y − ŷ (brown: above the fit, "
                                             "grey: below; width: its pull)"))
        ax.add_collection(self.sticks)
        self.pull = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=18,
                                    linewidth=2.5, color=PULL, zorder=5)
        ax.add_patch(self.pull)
        ax.add_line(Line2D([], [], color=PULL, marker=r"$\uparrow$", markersize=14,
                           linestyle="none",
                           label=_("mean residual: where the residuals pull the line")))

    def _update_sticks(self, i: int) -> list:
        problem, params = self.trace.problem, self.trace.params[i]
        x, y = problem.x, problem.y
        with np.errstate(all="ignore"):
            fitted = problem.predict(params, x)
            residual = y - fitted
        if not np.all(np.isfinite(residual)):
            self.sticks.set_segments([])
            self.pull.set_visible(False)
            return [self.sticks, self.pull]
        share = np.abs(residual) / (np.sum(np.abs(residual)) or 1.0)
        self.sticks.set_segments(np.stack([np.column_stack([x, y]),
                                           np.column_stack([x, fitted])], axis=1))
        self.sticks.set_linewidths(0.5 + 60 * share)
        colours = np.where(residual[:, None] > 0, self._above, self._below)
        if self.trace.stochastic:  # the batch's sticks count; the others are faint
            rows = self.trace.batch_indices[i]
            colours[:, 3] = 0.15
            colours[rows[rows >= 0], 3] = 1.0
        self.sticks.set_colors(colours)
        middle = float(np.mean(x))
        base = float(problem.predict(params, np.array([middle]))[0])
        self.pull.set_positions((middle, base), (middle, base + float(np.mean(residual))))
        self.pull.set_visible(True)
        return [self.sticks, self.pull]

    def status_note(self, i: int) -> str | None:
        """With standardized features the parameters are not in the data's units: the
        fit in the data's own units, for the status strip."""
        problem = self.trace.problem
        if not getattr(problem, "standardize", False) or not np.all(np.isfinite(self.trace.params[i])):
            return None
        return _("in your units: {equation}").format(
            equation=problem.equation(self.trace.params[i]))

    def update(self, i: int):
        trace = self.trace
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged run's huge values
            self.line.set_data(self._x_line, trace.problem.predict(trace.params[i], self._x_line))
        artists = [self.line]
        if self.sticks is not None:
            artists = self._update_sticks(i) + artists
        if self.batch is not None:
            rows = trace.batch_indices[i]
            rows = rows[rows >= 0]
            self.batch.set_data(trace.problem.x[rows], trace.problem.y[rows])
            artists.append(self.batch)
        return artists


def _model_label(trace) -> str:
    problem = trace.problem
    names = trace.param_names
    if getattr(problem, "layers", None):
        units = " + ".join(str(n) for n in problem.layers)
        return _("y = network with {units} {activation} units").format(
            units=units, activation=problem.activation)
    if not hasattr(problem, "feature_symbols"):
        return "y = model(x)"
    symbols = [powers(symbol) for symbol in problem.feature_symbols()]
    terms = [names[0]] + [f"{name}·{symbol}" for name, symbol in zip(names[1:], symbols)]
    if len(terms) > 4:
        terms = terms[:2] + ["..."] + terms[-1:]
    made = problem.standardized_as()
    return f"{problem.y_name or 'y'} = " + " + ".join(terms) + (f",  {made}" if made else "")
