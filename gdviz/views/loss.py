"""The loss curve: loss against iteration, with the current point."""
from __future__ import annotations

import numpy as np

from .base import PALETTE, View


def set_loss_axis(ax, losses) -> bool:
    """A log axis (a plain one if any loss is not positive) fitting every curve in
    ``losses``, capped at 1000x the largest start so a diverging run stays readable.
    Returns whether the axis is logarithmic."""
    values = np.concatenate([np.asarray(loss, dtype=float) for loss in losses])
    finite = values[np.isfinite(values)]
    positive = bool(finite.size and finite.min() > 0)
    ax.set_yscale("log" if positive else "linear")
    starts = [abs(loss[0]) for loss in losses if np.isfinite(loss[0])]
    start = max(starts) if starts else 1.0
    top = min(finite.max(), 1e3 * max(start, 1e-12)) if finite.size else 1.0
    bottom = finite.min() if finite.size else 0.0
    if positive:
        ax.set_ylim(bottom / 1.5, top * 1.5)
    else:
        ax.set_ylim(bottom - 0.1 * abs(bottom) - 1e-9, top + 0.1 * abs(top) + 1e-9)
    return positive


class LossView(View):
    """Loss per iteration (log axis when the loss is positive), drawn up to now.

    When the run used the blog's stop rule, the fall of the loss at each step
    is drawn too, with the tolerance as a line: the run stops where the fall
    first drops to the line.
    """

    name = "loss"
    show_status = False

    def setup(self, ax, trace) -> None:
        self.trace = trace
        loss = trace.loss
        positive = set_loss_axis(ax, [loss])
        ax.set_xlim(0, max(trace.iterations, 1))
        (self.curve,) = ax.plot([], [], color=PALETTE["path"], linewidth=2, label="loss")
        self.fall = None
        tolerance = trace.settings.get("tolerance")
        if tolerance and positive:
            self._fall = np.concatenate([[np.nan], loss[:-1] - loss[1:]])
            self._fall[self._fall <= 0] = np.nan  # a rise has no place on a log axis
            (self.fall,) = ax.plot([], [], color=PALETTE["data"], linewidth=1.5,
                                   linestyle="--", label="fall of the loss per step")
            ax.axhline(tolerance, color=PALETTE["muted"], linestyle=":", linewidth=2,
                       label=f"tolerance {tolerance:g}")
            low = min(ax.get_ylim()[0], tolerance / 3)
            ax.set_ylim(low, ax.get_ylim()[1])
            ax.legend(loc="upper right", fontsize=10)
        (self.point,) = ax.plot([], [], "o", color=PALETTE["path"], markeredgecolor="black",
                                markersize=8)
        ax.set_xlabel("iteration", fontsize=12)
        ax.set_ylabel("loss", fontsize=12)
        ax.set_title("loss", fontsize=12)
        ax.grid(alpha=0.3, which="both")
        self._iterations = np.arange(len(loss))

    def update(self, i: int):
        self.curve.set_data(self._iterations[: i + 1], self.trace.loss[: i + 1])
        self.point.set_data([i], [self.trace.loss[i]])
        if self.fall is None:
            return [self.curve, self.point]
        self.fall.set_data(self._iterations[: i + 1], self._fall[: i + 1])
        return [self.curve, self.point, self.fall]
