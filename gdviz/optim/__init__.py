"""Optimizers in the optax style: ``init(params)`` and ``update(grads, state, params)``.

Examples
--------
>>> from gdviz import optim
>>> str(optim.gd(learning_rate=0.005))
'gd(learning_rate=0.005)'
"""
from . import schedules
from .alias import OPTIMIZERS, adagrad, adam, adamw, gd, momentum, nesterov, rmsprop, sgd
from .base import EmptyState, GradientTransformation, Optimizer, named
from .transforms import chain, scale_by_learning_rate

__all__ = [
    "gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw",
    "OPTIMIZERS", "schedules", "EmptyState", "GradientTransformation", "Optimizer", "named",
    "chain", "scale_by_learning_rate",
]
