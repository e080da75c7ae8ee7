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
    """A named recipe: the transformation plus the settings that describe it."""

    init: Callable[[np.ndarray], Any]
    update: Callable[[np.ndarray, Any, np.ndarray], tuple[np.ndarray, Any]]
    name: str
    hyperparams: dict

    def __str__(self) -> str:
        settings = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                             for k, v in self.hyperparams.items())
        return f"{self.name}({settings})"


def named(transform: GradientTransformation, name: str, **hyperparams) -> Optimizer:
    """Attach a name and its settings to a transformation."""
    return Optimizer(transform.init, transform.update, name, hyperparams)
