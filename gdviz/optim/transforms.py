"""Small gradient transformations that named optimizers are built from.

Each follows PyTorch's arithmetic (``torch.optim``), so a chain of them
reproduces ``torch.optim``'s trajectories in float64.
"""
from __future__ import annotations

from typing import Callable, NamedTuple, Union

import numpy as np

from .base import EmptyState, GradientTransformation

LearningRate = Union[float, Callable[[int], float]]


def chain(*transforms: GradientTransformation) -> GradientTransformation:
    """Apply transformations one after the other; the state is a tuple of theirs."""

    def init(params):
        return tuple(t.init(params) for t in transforms)

    def update(grads, state, params=None):
        new_state = []
        for transform, part in zip(transforms, state):
            grads, part = transform.update(grads, part, params)
            new_state.append(part)
        return grads, tuple(new_state)

    return GradientTransformation(init, update)


class ScheduleState(NamedTuple):
    step: int


def scale_by_learning_rate(learning_rate: LearningRate) -> GradientTransformation:
    """``updates = -learning_rate * updates``; the rate may be a schedule of the step."""
    if not callable(learning_rate):
        factor = -float(learning_rate)

        def init(params):
            return EmptyState()

        def update(grads, state, params=None):
            return factor * grads, state

        return GradientTransformation(init, update)

    def init_scheduled(params):
        return ScheduleState(step=0)

    def update_scheduled(grads, state, params=None):
        return -learning_rate(state.step) * grads, ScheduleState(state.step + 1)

    return GradientTransformation(init_scheduled, update_scheduled)


def add_decayed_weights(weight_decay: float) -> GradientTransformation:
    """``updates + weight_decay * params`` (L2 penalty; decoupled when placed after
    the adaptive scaling, as in AdamW)."""

    def init(params):
        return EmptyState()

    def update(grads, state, params=None):
        if weight_decay == 0:
            return grads, state
        return grads + weight_decay * params, state

    return GradientTransformation(init, update)


class MomentumState(NamedTuple):
    step: int
    velocity: np.ndarray


def trace_momentum(momentum: float, dampening: float = 0.0, nesterov: bool = False,
                   first_step_copies: bool = True) -> GradientTransformation:
    """Heavy-ball velocity ``v = momentum * v + (1 - dampening) * g``.

    As ``torch.optim.SGD``, the first step sets ``v = g`` (``first_step_copies``);
    RMSprop's buffer starts at zero instead. With ``nesterov`` the update is
    ``g + momentum * v``, else ``v``.
    """

    def init(params):
        return MomentumState(step=0, velocity=np.zeros_like(params))

    def update(grads, state, params=None):
        if state.step == 0 and first_step_copies:
            velocity = grads.copy()
        else:
            velocity = momentum * state.velocity + (1 - dampening) * grads
        direction = grads + momentum * velocity if nesterov else velocity
        return direction, MomentumState(state.step + 1, velocity)

    return GradientTransformation(init, update)


class AdagradState(NamedTuple):
    sum_sq_grad: np.ndarray


def scale_by_adagrad(eps: float = 1e-10, initial_accumulator_value: float = 0.0):
    """``g / (sqrt(sum of g**2) + eps)`` (``torch.optim.Adagrad``)."""

    def init(params):
        return AdagradState(np.full_like(params, initial_accumulator_value))

    def update(grads, state, params=None):
        total = state.sum_sq_grad + grads * grads
        return grads / (np.sqrt(total) + eps), AdagradState(total)

    return GradientTransformation(init, update)


class RMSState(NamedTuple):
    mean_sq_grad: np.ndarray
    mean_grad: np.ndarray


def scale_by_rms(alpha: float = 0.99, eps: float = 1e-8, centered: bool = False):
    """``g / (sqrt(running mean of g**2) + eps)`` (``torch.optim.RMSprop``); centered
    subtracts the square of the running mean of g first."""

    def init(params):
        return RMSState(np.zeros_like(params), np.zeros_like(params))

    def update(grads, state, params=None):
        mean_sq = state.mean_sq_grad * alpha + (1 - alpha) * (grads * grads)
        mean = state.mean_grad
        if centered:
            mean = mean + (1 - alpha) * (grads - mean)
            scale = np.sqrt(mean_sq - mean * mean) + eps
        else:
            scale = np.sqrt(mean_sq) + eps
        return grads / scale, RMSState(mean_sq, mean)

    return GradientTransformation(init, update)


class AdamState(NamedTuple):
    step: int
    first_moment: np.ndarray
    second_moment: np.ndarray
    max_second_moment: np.ndarray


def scale_by_adam(beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                  amsgrad: bool = False) -> GradientTransformation:
    """Adam's direction ``m_hat / (sqrt(v_hat) + eps)`` (``torch.optim.Adam``)."""

    def init(params):
        zeros = np.zeros_like(params)
        return AdamState(0, zeros, zeros, zeros)

    def update(grads, state, params=None):
        step = state.step + 1
        m = state.first_moment + (1 - beta1) * (grads - state.first_moment)
        v = state.second_moment * beta2 + (1 - beta2) * (grads * grads)
        v_max = np.maximum(state.max_second_moment, v) if amsgrad else state.max_second_moment
        correction1 = 1 - beta1**step
        correction2_sqrt = (1 - beta2**step) ** 0.5
        denominator = np.sqrt(v_max if amsgrad else v) / correction2_sqrt + eps
        return m / correction1 / denominator, AdamState(step, m, v, v_max)

    return GradientTransformation(init, update)
