"""Each parameter against the iteration, each in its own colour."""
from __future__ import annotations

import numpy as np

from .base import View
from ..anatomy import most_moved
from .style import PARAMETER_COLOURS, REFERENCE, parameter_colour, parameter_label
from ..words.i18n import _


class ParametersView(View):
    """Every parameter's value per iteration, drawn up to the current one.

    Known optimum values are dashed lines in the parameter's colour, so you see each
    parameter home in. With more parameters than colours, the two the contour shows
    keep their colours and the rest are thin grey lines.
    """

    name = "parameters"

    def setup(self, ax, trace) -> None:
        self.trace = trace
        params = trace.params
        names = trace.param_names
        many = len(names) > len(PARAMETER_COLOURS)
        highlighted = set(most_moved(params)) if many else set(range(len(names)))
        self.lines = []
        for k in range(len(names)):
            shown = k in highlighted
            (line,) = ax.plot([], [], color=parameter_colour(k) if shown else REFERENCE,
                              linewidth=2 if shown else 0.8, alpha=1 if shown else 0.5,
                              label=parameter_label(trace, k) if shown else "_other",
                              zorder=3 if shown else 2)
            self.lines.append(line)
        optimum = getattr(trace.problem, "optimum", None)
        if optimum is not None:
            for k in sorted(highlighted):
                ax.axhline(optimum[k], color=parameter_colour(k), linestyle="--",
                           linewidth=1, alpha=0.7)
        finite = params[np.all(np.isfinite(params), axis=1)]
        sane = finite[: _sane_length(trace)] if len(finite) else finite
        values = sane.ravel() if sane.size else np.zeros(1)
        if optimum is not None:
            values = np.concatenate([values, optimum])
        low, high = float(values.min()), float(values.max())
        pad = 0.08 * (high - low) or 1.0
        ax.set_ylim(low - pad, high + pad)
        # A little room past the last iteration: the current point is never cut in half.
        ax.set_xlim(-0.015 * max(trace.iterations, 1), 1.02 * max(trace.iterations, 1))
        ax.set_xlabel(_("iteration"), fontsize=12)
        ax.set_ylabel(_("value"), fontsize=12)
        title = _("each parameter (dashed: its optimum)") if optimum is not None else \
            _("each parameter")
        if many:
            title = _("{title};\n{count} more in grey").format(title=title,
                                                                 count=len(names) - 2)
        ax.set_title(title, fontsize=12)
        ax.grid(alpha=0.3)
        self._iterations = np.arange(len(params))

    def update(self, i: int):
        for k, line in enumerate(self.lines):
            line.set_data(self._iterations[: i + 1], self.trace.params[: i + 1, k])
        return list(self.lines)


def _sane_length(trace) -> int:
    """How many points to fit the axis to: a diverging run's blow-up is left out."""
    loss = trace.loss
    start = abs(loss[0]) if np.isfinite(loss[0]) else 1.0
    bad = ~np.isfinite(loss) | (np.abs(loss) > 100 * max(start, 1e-12) + start)
    return int(np.argmax(bad)) if bad.any() else len(loss)
