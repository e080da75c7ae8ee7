"""Plain gradient descent, direction by direction: along each eigenvector of a quadratic
loss's Hessian, the error is multiplied by ``1 − η·λ`` every step (Goh, "Why Momentum
Really Works", Distill 2017, shows this in general; here it is the run on screen).

A bar per eigen-direction: its multiplier ``|1 − η·λ|`` at the current rate (red past 1:
that direction grows, η > 2/λ), and the error left along it now.
"""
from __future__ import annotations

import numpy as np

from .. import anatomy
from ..words.i18n import _
from .base import View
from .style import FIT

GROWS = "#C0392B"  # red: this direction's error grows each step


class EigenView(View):
    """Bars of ``|1 − η·λ|`` per eigen-direction of the Hessian, with the error left."""

    name = "eigen"

    @classmethod
    def supports(cls, trace) -> bool:
        return (trace.problem is not None and hasattr(trace.problem, "hessian")
                and trace.settings.get("optimizer_name") in ("gd", "sgd")
                and getattr(trace.problem, "optimum", None) is not None)

    @classmethod
    def refusal(cls, trace) -> str | None:
        """Why this view cannot draw ``trace``, when it is the optimizer, not the problem."""
        name = trace.settings.get("optimizer_name")
        if name not in ("gd", "sgd"):
            return _("the 'eigen' view draws plain gradient descent's multipliers |1 − η·λ|; "
                     "a {optimizer} step is not one of them (run --optimizer gd)").format(
                optimizer=name)
        return None

    def setup(self, ax, trace) -> None:
        self.trace = trace
        problem = trace.problem
        self.eigenvalues, vectors = np.linalg.eigh(problem.hessian())
        self.rates = anatomy.learning_rates(trace)
        # The error along each eigenvector at every point: |(θ − θ*)·v|.
        self.errors = np.abs((trace.params - np.asarray(problem.optimum)) @ vectors)
        count = len(self.eigenvalues)
        positions = np.arange(count)
        self.bars = ax.bar(positions, np.ones(count), color=FIT, edgecolor="black", width=0.6,
                           zorder=3)
        ax.axhline(1.0, color=GROWS, linestyle="--", linewidth=1.5, zorder=2,
                   label=_("1: above it the error grows"))
        self.labels = [ax.text(x, 0.02, "", ha="center", va="bottom", fontsize=9, zorder=4,
                               transform=ax.get_xaxis_transform()) for x in positions]
        ax.set_xticks(positions, [f"λ = {value:.3g}" for value in self.eigenvalues])
        ax.set_xlim(-0.6, count - 0.4)
        finite = self.rates[np.isfinite(self.rates)]
        top = max(1.0, float(np.max(np.abs(1 - np.outer(finite, self.eigenvalues))))) \
            if finite.size else 1.0
        ax.set_ylim(0, 1.25 * top)
        ax.set_ylabel(_("|1 − η·λ|: the error's multiplier per step"), fontsize=11)
        ax.set_xlabel(_("eigen-directions of the Hessian (curvatures λ)"), fontsize=11)
        ax.set_title(_("each direction on its own: 2/L = {limit}").format(
            limit=f"{2 / self.eigenvalues[-1]:.3g}"), fontsize=12)
        ax.grid(alpha=0.3, axis="y", zorder=0)

    def update(self, k: int):
        rate = self.rates[min(k, len(self.rates) - 2)] if len(self.rates) > 1 else np.nan
        if not np.isfinite(rate):
            rate = self.trace.settings.get("learning_rate", np.nan)
        # The sign is half the lesson: a negative multiplier sends the error to the other
        # side of the minimum every step (the zigzag), its size says whether it shrinks.
        signed = 1 - rate * self.eigenvalues
        for bar, label, multiplier, error in zip(self.bars, self.labels, signed,
                                                 self.errors[k]):
            bar.set_height(abs(multiplier))
            bar.set_color(GROWS if abs(multiplier) > 1 else FIT)
            bar.set_edgecolor("black")
            words = (_("×{multiplier} a step: flips side\nerror now {error}") if multiplier < 0
                     else _("×{multiplier} a step\nerror now {error}"))
            label.set_text(words.format(multiplier=f"{multiplier:.3g}".replace("-", "−"),
                                        error=f"{error:.2g}"))
        return list(self.bars) + self.labels
