"""Stop rules: when a run ends, and why.

A rule looks at the newest point of a run and either lets it go on (returns
``None``) or returns a :class:`StopEvent` whose ``reason`` is one of
``"converged"``, ``"diverged"``, ``"max_iter"``, ``"non_finite"``,
``"grad_norm"`` and whose ``detail`` says it in words. Rules combine with
``|``: the first that fires wins.

Examples
--------
>>> rule = LossImprovement(0.01) | MaxIter(10_000)
>>> rule.check(1, loss=5.0, previous_loss=5.001, initial_loss=9.0, grad=None).reason
'converged'
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._validate import non_negative_number, positive_integer, positive_number
from .words.i18n import N_, Said


class StopEvent(NamedTuple):
    reason: str
    detail: str


class StopRule:
    """Base class: ``check`` the point just computed; combine rules with ``|``."""

    def check(self, iteration: int, loss: float, previous_loss: float,
              initial_loss: float, grad: np.ndarray) -> StopEvent | None:
        raise NotImplementedError

    def __or__(self, other: "StopRule") -> "AnyOf":
        if not isinstance(other, StopRule):
            return NotImplemented
        return AnyOf(self, other)

    def find(self, kind: type) -> "StopRule | None":
        """The first rule of type ``kind`` in this (possibly combined) rule."""
        return self if isinstance(self, kind) else None


class AnyOf(StopRule):
    """Stops when any of its rules does; the first listed wins."""

    def __init__(self, *rules: StopRule):
        flat: list[StopRule] = []
        for rule in rules:
            flat.extend(rule.rules if isinstance(rule, AnyOf) else [rule])
        self.rules = tuple(flat)

    def check(self, iteration, loss, previous_loss, initial_loss, grad):
        for rule in self.rules:
            event = rule.check(iteration, loss, previous_loss, initial_loss, grad)
            if event is not None:
                return event
        return None

    def find(self, kind):
        for rule in self.rules:
            if isinstance(rule, kind):
                return rule
        return None

    def __repr__(self) -> str:
        return " | ".join(map(repr, self.rules))


class LossImprovement(StopRule):
    """The blog's rule: go on while ``previous_loss - loss > tol``.

    It also stops the first time the loss goes up, which the blog did
    silently; here that is reported as ``"diverged"``.
    """

    def __init__(self, tol: float = 0.01):
        self.tol = non_negative_number("tol", tol)

    def check(self, iteration, loss, previous_loss, initial_loss, grad):
        improvement = previous_loss - loss
        if improvement > self.tol:
            return None
        if loss - previous_loss > 1e-10 * abs(previous_loss):
            return StopEvent(
                "diverged",
                Said(N_("the loss rose from {before:.6g} to {loss:.6g} at iteration "
                        "{iteration}: the learning rate is too large"),
                     before=previous_loss, loss=loss, iteration=iteration),
            )
        return StopEvent(
            "converged",
            Said(N_("the loss fell by {fall:.3g}, not more than the tolerance {tolerance:g}"),
                 fall=improvement, tolerance=self.tol),
        )

    def __repr__(self) -> str:
        return f"LossImprovement({self.tol:g})"


class MaxIter(StopRule):
    """Stop after ``n`` updates."""

    def __init__(self, n: int):
        self.n = positive_integer("max_iter", n)

    def check(self, iteration, loss, previous_loss, initial_loss, grad):
        if iteration >= self.n:
            return StopEvent("max_iter", Said(N_("reached the limit of {count} iterations"),
                                              count=self.n))
        return None

    def __repr__(self) -> str:
        return f"MaxIter({self.n})"


class GradNorm(StopRule):
    """Stop when the gradient's Euclidean norm is at most ``tol``."""

    def __init__(self, tol: float):
        self.tol = positive_number("gradient tolerance", tol)

    def check(self, iteration, loss, previous_loss, initial_loss, grad):
        norm = float(np.linalg.norm(grad))
        if norm <= self.tol:
            return StopEvent("grad_norm", Said(N_("the gradient's norm {norm:.3g} is below "
                                                  "{tolerance:g}"), norm=norm, tolerance=self.tol))
        return None

    def __repr__(self) -> str:
        return f"GradNorm({self.tol:g})"


class Divergence(StopRule):
    """Stop when the loss exceeds ``factor`` times its start, or ``limit`` outright."""

    def __init__(self, factor: float = 1e3, limit: float = 1e100):
        self.factor = positive_number("divergence factor", factor)
        self.limit = positive_number("divergence limit", limit)

    def check(self, iteration, loss, previous_loss, initial_loss, grad):
        if loss > self.limit or loss > self.factor * max(initial_loss, 1e-300):
            return StopEvent(
                "diverged",
                Said(N_("the loss grew to {loss:.3g} at iteration {iteration}, more than "
                        "{factor:g} times its start {start:.3g}: the learning rate is too "
                        "large"), loss=loss, iteration=iteration, factor=self.factor,
                     start=initial_loss),
            )
        return None

    def __repr__(self) -> str:
        return f"Divergence({self.factor:g})"


class Settled(StopRule):
    """Stop when the loss has changed by no more than ``rtol`` of its start (or of
    itself, if larger) for ``patience`` iterations in a row: the run has done all it
    can (on a log axis floored ten decades below the start, the rest is a flat line).

    Examples
    --------
    >>> rule = Settled(patience=2)
    >>> [rule.check(k, loss=1.0, previous_loss=1.0, initial_loss=5.0, grad=None) is None
    ...  for k in (1, 2)]
    [True, False]
    """

    def __init__(self, patience: int = 10, rtol: float = 1e-12):
        self.patience = positive_integer("patience", patience)
        self.rtol = positive_number("rtol", rtol)
        self._still = 0

    def check(self, iteration, loss, previous_loss, initial_loss, grad):
        if iteration <= 1:
            self._still = 0  # a new run (a rule may serve several)
        scale = max(abs(loss), abs(previous_loss), abs(initial_loss), 1e-300)
        if abs(previous_loss - loss) <= self.rtol * scale:
            self._still += 1
        else:
            self._still = 0
        if self._still >= self.patience:
            return StopEvent("converged", Said(N_("the loss has changed by less than {rtol:g} "
                                                  "of its start for {count} iterations"),
                                               rtol=self.rtol, count=self.patience))
        return None

    def __repr__(self) -> str:
        return f"Settled({self.patience})"


class NonFinite(StopRule):
    """Stop when the loss is NaN or infinite (the steps overflowed)."""

    def check(self, iteration, loss, previous_loss, initial_loss, grad):
        if math.isfinite(loss):
            return None
        return StopEvent(
            "non_finite",
            Said(N_("the loss became {loss} at iteration {iteration}: the steps overflowed"),
                 loss=loss, iteration=iteration),
        )

    def __repr__(self) -> str:
        return "NonFinite()"
