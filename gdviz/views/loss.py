"""The loss curve: loss against iteration, with the current point, and (under the blog's
stop rule) the fall of each step against the tolerance on a small axis of its own."""
from __future__ import annotations

import numpy as np

from ..scale import DECADES, loss_limits
from ..words.definitions import loss_definition
from ..words.ending import flat_since
from ..words.i18n import _
from .base import View
from .style import CURRENT, REFERENCE


def set_loss_axis(ax, losses) -> bool:
    """A log axis (a plain one if any loss is not positive) fitting every curve in
    ``losses``: capped at 1000x the largest start so a diverging run stays readable, and
    floored ``DECADES`` below it. Major grid lines only. Returns whether it is logarithmic."""
    positive, bottom, top = loss_limits(losses)
    ax.set_yscale("log" if positive else "linear")
    ax.set_ylim(bottom, top)
    ax.grid(alpha=0.3, which="major")
    return positive


def beyond_marker(ax, colour, zorder: float = 6):
    """A triangle drawn on the loss axis's edge when the current loss is past it."""
    (beyond,) = ax.plot([], [], "^", color=colour, markeredgecolor="black", markersize=10,
                        zorder=zorder, clip_on=False, in_layout=False, label="_beyond")
    return beyond


def place_current(point, beyond, k: int, loss: float, bottom: float, top: float) -> None:
    """The current point on the curve, or, past the axis's floor or top, a triangle on
    that edge pointing the way the loss went (▼ below, ▲ above)."""
    if bottom <= loss <= top:
        point.set_data([k], [loss])
        beyond.set_data([], [])
    else:
        below = bool(loss < bottom)
        point.set_data([], [])
        beyond.set_data([k], [bottom if below else top])
        beyond.set_marker("v" if below else "^")


def split_axes(ax, ratios=(3, 1)):
    """Replace ``ax`` by two axes stacked in its place, sharing x: (top, bottom)."""
    spec = ax.get_subplotspec()
    figure = ax.figure
    ax.remove()
    inner = spec.subgridspec(2, 1, height_ratios=ratios, hspace=0.05)
    top = figure.add_subplot(inner[0])
    bottom = figure.add_subplot(inner[1], sharex=top)
    top.tick_params(labelbottom=False)
    return top, bottom


class LossView(View):
    """Loss per iteration (log axis when the loss is positive), drawn up to now.

    When the run used the blog's stop rule, a small axis below shows how much the loss
    fell at each step, with the tolerance as a line: the run stops where the fall first
    drops to the line. A loss past the axis shows as a triangle on its edge; the iteration
    since which the run had settled (``flat_since``) is marked once it is reached.
    """

    name = "loss"

    def setup(self, ax, trace) -> None:
        self.trace = trace
        loss = trace.loss
        tolerance = trace.settings.get("tolerance")
        self.fall = None
        fall_ax = None
        if tolerance:
            ax, fall_ax = split_axes(ax)
        # A network with points held out: their loss too, dashed (never trained on).
        held = getattr(trace.problem, "test_losses", None)
        self._test = held(trace.params) if held is not None else None
        positive = set_loss_axis(ax, [loss] if self._test is None else [loss, self._test])
        # A little room past the last iteration: the current point is never cut in half.
        ax.set_xlim(-0.015 * max(trace.iterations, 1), 1.02 * max(trace.iterations, 1))
        (self.curve,) = ax.plot([], [], color=CURRENT, linewidth=2, label=_("loss"))
        self.test_curve = None
        if self._test is not None:
            (self.test_curve,) = ax.plot([], [], color=CURRENT, linewidth=1.6, linestyle="--",
                                         alpha=0.8, label=_("test loss (held-out points)"))
        (self.point,) = ax.plot([], [], "o", color=CURRENT, markeredgecolor="black",
                                markersize=8, label="_now")
        self.beyond = beyond_marker(ax, CURRENT)
        self.bottom, self.top = ax.get_ylim()
        self._settled = flat_since(trace)
        self.settled = ax.axvline(self._settled or 0, color=REFERENCE, linestyle=":",
                                  linewidth=1.5, visible=False, label="_settled")
        self.settled_words = ax.text(self._settled or 0, 0.97, "", transform=ax.get_xaxis_transform(),
                                     ha="left", va="top", fontsize=9, color=REFERENCE,
                                     in_layout=False)
        ax.set_ylabel(_("loss") + (" " + _("(log scale)") if positive else ""), fontsize=12)
        title = _("the loss, step by step")
        definition = loss_definition(trace.problem)
        if definition and trace.problem is not None and hasattr(trace.problem, "n_samples"):
            title += "\n" + definition
            if trace.stochastic:
                title += "\n" + _("(the full-data loss; each step saw only its mini-batch)")
        ax.set_title(title, fontsize=12 if "\n" not in title else 10.5)
        (ax if fall_ax is None else fall_ax).set_xlabel(_("iteration"), fontsize=12)
        if fall_ax is not None:
            self._fall = np.concatenate([[np.nan], loss[:-1] - loss[1:]])
            rose = self._fall <= 0
            self._fall[rose] = np.nan  # a rise has no place on a log axis
            (self.fall,) = fall_ax.plot([], [], color=CURRENT, linewidth=1.5, linestyle="--",
                                        label=_("fall of the loss in one step"))
            fall_ax.axhline(tolerance, color=REFERENCE, linestyle=":", linewidth=2,
                            label=_("tolerance {tolerance:g}: stop when the fall is this small")
                            .format(tolerance=tolerance))
            falls = self._fall[np.isfinite(self._fall)]
            high = max(falls.max() if falls.size else tolerance, tolerance) * 3
            low = min(falls.min() if falls.size else tolerance, tolerance) / 3
            fall_ax.set_ylim(max(low, high * 10.0 ** -DECADES), high)  # limits first: no autoscale
            fall_ax.set_yscale("log")
            fall_ax.set_ylabel(_("fall per step"), fontsize=10)
            fall_ax.grid(alpha=0.3, which="major")
        self._iterations = np.arange(len(loss))

    def update(self, i: int):
        self.curve.set_data(self._iterations[: i + 1], self.trace.loss[: i + 1])
        place_current(self.point, self.beyond, i, self.trace.loss[i], self.bottom, self.top)
        reached = self._settled is not None and i >= self._settled
        self.settled.set_visible(reached)
        self.settled_words.set_text(_(" settled since {since}").format(since=self._settled)
                                    if reached else "")
        artists = [self.curve, self.point, self.beyond, self.settled, self.settled_words]
        if self.test_curve is not None:
            self.test_curve.set_data(self._iterations[: i + 1], self._test[: i + 1])
            artists.append(self.test_curve)
        if self.fall is None:
            return artists
        self.fall.set_data(self._iterations[: i + 1], self._fall[: i + 1])
        return artists + [self.fall]
