"""Each parameter against the iteration."""
from __future__ import annotations

import numpy as np

from .base import View

_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
            "#F0E442"]


class ParametersView(View):
    """Every parameter's value per iteration, drawn up to the current one.

    Known optimum values are dashed lines, so you see each parameter home in.
    More than eight parameters are drawn thin and unlabelled.
    """

    name = "parameters"
    show_status = False

    def setup(self, ax, trace) -> None:
        self.trace = trace
        params = trace.params
        names = trace.param_names
        many = len(names) > len(_COLOURS)
        self.lines = []
        for k, name in enumerate(names):
            colour = _COLOURS[k % len(_COLOURS)] if not many else None
            (line,) = ax.plot([], [], color=colour, linewidth=1 if many else 2,
                              label=None if many else name)
            self.lines.append(line)
        optimum = getattr(trace.problem, "optimum", None)
        if optimum is not None and not many:
            for k, value in enumerate(optimum):
                ax.axhline(value, color=_COLOURS[k % len(_COLOURS)], linestyle="--",
                           linewidth=1, alpha=0.6)
        finite = params[np.all(np.isfinite(params), axis=1)]
        sane = finite[: _sane_length(trace)] if len(finite) else finite
        values = sane.ravel() if sane.size else np.zeros(1)
        if optimum is not None:
            values = np.concatenate([values, optimum])
        low, high = float(values.min()), float(values.max())
        pad = 0.08 * (high - low) or 1.0
        ax.set_ylim(low - pad, high + pad)
        ax.set_xlim(0, max(trace.iterations, 1))
        ax.set_xlabel("iteration", fontsize=12)
        ax.set_ylabel("value", fontsize=12)
        ax.set_title("parameters" + (" (dashed: the optimum)" if optimum is not None else ""),
                     fontsize=12)
        if not many:
            ax.legend(loc="best", fontsize=10)
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
