"""Optimizers in the optax style: ``init(params)`` and ``update(grads, state, params)``.

Examples
--------
>>> from gdviz import optim
>>> str(optim.gd(learning_rate=0.005))
'gd(learning_rate=0.005)'
"""
from .alias import gd
from .base import EmptyState, GradientTransformation, Optimizer, named
from .transforms import scale_by_learning_rate

__all__ = [
    "gd",
    "EmptyState",
    "GradientTransformation",
    "Optimizer",
    "named",
    "scale_by_learning_rate",
]
