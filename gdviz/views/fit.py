"""The data-space view: the points and the model's current fit (the blog's picture)."""
from __future__ import annotations

import numpy as np

from ..report import REASON_SHORT
from .base import PALETTE, View


class FitView(View):
    """Scatter of the data and the fitted line at the current iteration.

    The axes are fixed to the data's range, so a diverging fit runs off the
    panel instead of rescaling it into an unreadable picture.
    """

    name = "fit"

    @classmethod
    def supports(cls, trace) -> bool:
        problem = trace.problem
        return problem is not None and hasattr(problem, "predict") and np.ndim(problem.x) == 1

    def setup(self, ax, trace) -> None:
        problem = trace.problem
        self.trace = trace
        x, y = problem.x, problem.y
        self._x_line = np.linspace(x.min(), x.max(), 200)
        ax.scatter(x, y, s=22, color=PALETTE["data"], alpha=0.8, label="data", zorder=2)
        (self.line,) = ax.plot([], [], color=PALETTE["fit"], linewidth=2.5,
                               label=self._model_label(trace), zorder=3)
        self.label = ax.text(
            0.02, 0.97, "", transform=ax.transAxes, va="top", ha="left", fontsize=13,
            family="monospace",
            bbox=dict(boxstyle="round,pad=0.4", facecolor="white", edgecolor="#cccccc"),
            zorder=4,
        )
        x_pad = 0.05 * np.ptp(x) or 1.0
        y_pad = 0.15 * np.ptp(y) or 1.0
        ax.set_xlim(x.min() - x_pad, x.max() + x_pad)
        ax.set_ylim(y.min() - y_pad, y.max() + y_pad)
        optimum = getattr(problem, "optimum", None)
        if optimum is not None:
            ax.plot(self._x_line, problem.predict(optimum, self._x_line), color=PALETTE["muted"],
                    linestyle="--", linewidth=1.5, label="least-squares optimum", zorder=2)
        ax.set_title(f"Gradient descent fitting {self._model_label(trace)[5:]} to {len(x)} points"
                     f"   ({trace.settings.get('optimizer', '')})", fontsize=14)
        ax.set_xlabel("x", fontsize=12)
        ax.set_ylabel("y", fontsize=12)
        ax.legend(loc="lower right", fontsize=12)
        ax.grid(alpha=0.3)

    @staticmethod
    def _model_label(trace) -> str:
        names = trace.param_names
        return f"fit: y = {names[0]} + {names[1]}·x" if len(names) == 2 else "fit: y = model(x)"

    def update(self, i: int):
        trace = self.trace
        params = trace.params[i]
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged run's huge values
            self.line.set_data(self._x_line, trace.problem.predict(params, self._x_line))
        values = ", ".join(f"{n} = {v:.4g}" for n, v in zip(trace.param_names, params))
        text = f"iteration {i:>{len(str(trace.iterations))}}   loss {trace.loss[i]:.6g}\n{values}"
        if i == trace.iterations:
            text += "\n" + REASON_SHORT.get(trace.stop_reason, trace.stop_reason)
        self.label.set_text(text)
        return [self.line, self.label]
