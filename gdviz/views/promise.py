"""Promise against delivery: the loss along the line of the step being taken.

The gradient promises a fall: to first order, stepping by Δθ lowers the loss by −g·Δθ
(for gradient descent η‖g‖²): the tangent. The loss along the line bends away from the
tangent; where the step lands on that curve is what it delivered. Landing past the
lowest point of the line is overshoot; landing higher than it started is a step too long
for the curvature (for gradient descent on a quadratic: η > 2/L).

The vertical axis is the change of the loss *in units of the promised fall*, so the
tangent is the same line in every frame (−1 at the landing) and the panel never rescales;
the numbers themselves are written in the panel.
"""
from __future__ import annotations

import numpy as np

from .. import anatomy
from ..anatomy import ALONG
from ..words.i18n import _
from ..words.promise import no_promise_words, promise_words
from .base import View
from .style import CURRENT, FIT, REFERENCE
from ..words.fonts import MONOSPACE

#: The vertical range, in promised falls: a landing above the top is marked on the edge.
LOW, HIGH = -2.0, 1.5


class PromiseView(View):
    """The loss along the step's line, the tangent (the gradient's promise), the landing,
    and the promised and actual falls in numbers."""

    name = "promise"

    @classmethod
    def supports(cls, trace) -> bool:
        return trace.problem is not None and trace.iterations >= 1

    def setup(self, ax, trace) -> None:
        self.trace = trace
        self.promised = anatomy.promised_fall(trace)
        self._curves: dict[int, np.ndarray] = {}
        ax.axhline(0, color=REFERENCE, linewidth=1, linestyle=":", zorder=1)
        ax.axvline(0, color=REFERENCE, linewidth=0.8, zorder=1)
        ax.axvline(1, color=REFERENCE, linewidth=0.8, linestyle="--", zorder=1)
        ax.plot(ALONG, -ALONG, color=FIT, linewidth=2, linestyle="--", zorder=2,
                label=_("the gradient's promise (tangent)"))
        (self.curve,) = ax.plot([], [], color=CURRENT, linewidth=2.2, zorder=3,
                                label=_("the loss along the step"))
        (self.start,) = ax.plot([0], [0], "o", color=CURRENT, markeredgecolor="black",
                                markersize=9, zorder=5, label="_start")
        (self.landing,) = ax.plot([], [], "o", markerfacecolor="white", markeredgecolor=CURRENT,
                                  markeredgewidth=2.2, markersize=10, zorder=6,
                                  label=_("where the step lands"))
        (self.lowest,) = ax.plot([], [], "v", color="white", markeredgecolor="black",
                                 markersize=9, zorder=4, label=_("lowest on this line"))
        self.words = ax.text(0.02, 0.03, "", transform=ax.transAxes, va="bottom", ha="left",
                             fontsize=10, family=MONOSPACE, zorder=7,
                             bbox=dict(boxstyle="round", facecolor="white", alpha=0.85,
                                       edgecolor=REFERENCE))
        ax.set_xlim(ALONG[0], ALONG[-1])
        ax.set_ylim(LOW, HIGH)
        ax.set_xlabel(_("along the step (0: here, 1: where it lands)"), fontsize=11)
        ax.set_ylabel(_("change of the loss ÷ the promised fall"), fontsize=11)
        ax.set_title(_("promise and delivery: the loss along this step"), fontsize=12)
        ax.grid(alpha=0.3)

    def curve_at(self, k: int):
        """``anatomy.promise_at`` for step ``k`` (cached: once per drawn frame)."""
        if k not in self._curves:
            self._curves[k] = anatomy.promise_at(self.trace, k, self.promised[k])
        return self._curves[k]

    def update(self, k: int):
        artists = [self.curve, self.landing, self.lowest, self.words, self.start]
        trace = self.trace
        found = self.curve_at(k)
        if found is None:
            self.curve.set_data([], [])
            self.landing.set_data([], [])
            self.lowest.set_data([], [])
            self.words.set_text(no_promise_words(k, trace.iterations))
            return artists
        curve, landed, lowest = found
        self.curve.set_data(ALONG, np.clip(curve, LOW - 1, HIGH + 1))
        self.landing.set_data([1.0], [float(np.clip(landed, LOW, HIGH))])
        self.landing.set_marker("o" if LOW <= landed <= HIGH else ("^" if landed > HIGH else "v"))
        if np.isfinite(lowest):
            at = int(np.argmin(np.abs(ALONG - lowest)))
            self.lowest.set_data([lowest], [max(curve[at], LOW)])
        actual = trace.loss[k] - trace.loss[k + 1]
        self.words.set_text("\n".join(promise_words(self.promised[k], actual, lowest)))
        return artists
