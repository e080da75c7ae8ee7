"""Optimizers as pure ``init``/``update`` pairs (the optax convention).

``init(params) -> state`` and ``update(grads, state, params) -> (updates, state)``;
the caller applies ``params + updates``. States are NamedTuples of arrays so a
run can record them and the views can draw them (momentum arrows, Adam moments).
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np


class EmptyState(NamedTuple):
    """The state of a transform that remembers nothing."""


class GradientTransformation(NamedTuple):
    """A pure optimizer step: ``init(params)`` and ``update(grads, state, params)``."""

    init: Callable[[np.ndarray], Any]
    update: Callable[[np.ndarray, Any, np.ndarray], tuple[np.ndarray, Any]]


class Optimizer(NamedTuple):
    """A named recipe: the transformation plus the settings that describe it.

    ``batch_size`` is the mini-batch size the optimizer implies when a run
    does not give one (1 for ``sgd``; ``None`` means the full batch).
    """

    init: Callable[[np.ndarray], Any]
    update: Callable[[np.ndarray, Any, np.ndarray], tuple[np.ndarray, Any]]
    name: str
    hyperparams: dict
    batch_size: int | None = None

    def __str__(self) -> str:
        settings = ", ".join(f"{k}={_format(v)}" for k, v in self.hyperparams.items())
        return f"{self.name}({settings})"


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_format(v) for v in value) + ")"
    return str(value)


def named(transform: GradientTransformation, name: str, batch_size: int | None = None,
          **hyperparams) -> Optimizer:
    """Attach a name and its settings to a transformation."""
    return Optimizer(transform.init, transform.update, name, hyperparams, batch_size)
