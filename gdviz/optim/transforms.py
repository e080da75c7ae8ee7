"""Small gradient transformations that named optimizers are built from."""
from __future__ import annotations

from .base import EmptyState, GradientTransformation


def scale_by_learning_rate(learning_rate: float) -> GradientTransformation:
    """``updates = -learning_rate * grads``."""
    factor = -float(learning_rate)

    def init(params):
        return EmptyState()

    def update(grads, state, params=None):
        return factor * grads, state

    return GradientTransformation(init, update)
