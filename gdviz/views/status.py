"""The box of words in a panel's corner: iteration, loss, parameters, why it stopped."""
from __future__ import annotations

from ..report import REASON_SHORT


class StatusBox:
    """A text box inside ``ax`` (inside, so blitting the axes redraws it)."""

    def __init__(self, ax, trace, corner: str = "upper left", max_params: int = 3):
        self.trace = trace
        self.max_params = max_params
        x, ha = (0.02, "left") if "left" in corner else (0.98, "right")
        y, va = (0.97, "top") if "upper" in corner else (0.03, "bottom")
        self.text = ax.text(
            x, y, "", transform=ax.transAxes, va=va, ha=ha, fontsize=12, family="monospace",
            bbox=dict(boxstyle="round,pad=0.4", facecolor="white", edgecolor="#cccccc", alpha=0.9),
            zorder=10,
        )
        self._width = len(str(trace.iterations))

    def update(self, i: int):
        trace = self.trace
        names = trace.param_names
        if len(names) <= self.max_params:
            values = ", ".join(f"{n} = {v:.4g}" for n, v in zip(names, trace.params[i]))
        else:
            values = f"{len(names)} parameters"
        text = f"iteration {i:>{self._width}}   loss {trace.loss[i]:.6g}\n{values}"
        if i == trace.iterations:
            text += "\n" + REASON_SHORT.get(trace.stop_reason, trace.stop_reason)
        self.text.set_text(text)
        return self.text
