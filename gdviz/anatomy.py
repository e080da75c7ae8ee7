"""What each update is made of: the step, the learning rate it used, and the parts an
optimizer adds up head to tail (momentum's memory and the new gradient).

Everything here is read back from a Trace (its parameters and the optimizer state it
recorded), so what a picture draws is the update that really happened. Pure numpy.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from .words.i18n import _


class StepPart(NamedTuple):
    """One part of every update: ``vectors[t]`` is its share of step t (NaN on the last row).

    ``kind`` is what colours it: ``"step"`` (the whole update), ``"gradient"`` (the new
    gradient's share) or ``"momentum"`` (what the optimizer's memory carries over).
    """

    label: str
    kind: str
    vectors: np.ndarray


def most_moved(params: np.ndarray) -> tuple[int, int]:
    """The two coordinates that travelled furthest (for problems with more than two)."""
    if params.shape[1] == 2:
        return 0, 1
    finite = params[np.all(np.isfinite(params), axis=1)]
    spread = np.ptp(finite, axis=0) if len(finite) else np.zeros(params.shape[1])
    first, second = sorted(np.argsort(spread)[::-1][:2])
    return int(first), int(second)


def updates(trace) -> np.ndarray:
    """The update of each step, ``params[t+1] - params[t]``, shape (T+1, P), NaN last."""
    steps = np.full_like(trace.params, np.nan)
    steps[:-1] = np.diff(trace.params, axis=0)
    return steps


def used_gradients(trace) -> np.ndarray:
    """The gradient each update was computed from: the mini-batch's in a stochastic run."""
    return trace.batch_grads if trace.stochastic else trace.grads


def _after(trace, key: str) -> np.ndarray:
    """The optimizer state ``key`` after each update (NaN after the last point)."""
    values = np.full_like(trace.params, np.nan)
    values[:-1] = np.asarray(trace.state[key], dtype=float)[1:]
    return values


def _before(trace, key: str) -> np.ndarray:
    return np.asarray(trace.state[key], dtype=float)


def _hyper(trace, name: str, default=0.0):
    return trace.settings.get("hyperparams", {}).get(name, default)


def directions(trace) -> np.ndarray | None:
    """The direction each update scales by the learning rate (``update = -lr * direction``),
    rebuilt from the recorded state; None for an optimizer gdviz cannot take apart."""
    name = trace.settings.get("optimizer_name", "")
    g = used_gradients(trace)
    decay = float(_hyper(trace, "weight_decay", 0.0) or 0.0)
    coupled = g + decay * trace.params if name != "adamw" else g
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if name in ("gd", "sgd"):
            return coupled
        if name in ("momentum", "nesterov") and "velocity" in trace.state:
            velocity = _after(trace, "velocity")
            if name == "momentum":
                return velocity
            return coupled + _hyper(trace, "momentum", 0.9) * velocity
        if name == "adagrad" and "sum_sq_grad" in trace.state:
            return coupled / (np.sqrt(_after(trace, "sum_sq_grad")) + _hyper(trace, "eps", 1e-10))
        if (name == "rmsprop" and "mean_sq_grad" in trace.state
                and not _hyper(trace, "momentum", 0.0) and not _hyper(trace, "centered", False)):
            return coupled / (np.sqrt(_after(trace, "mean_sq_grad")) + _hyper(trace, "eps", 1e-8))
        if name in ("adam", "adamw") and "first_moment" in trace.state:
            m_hat, root_v_hat = adam_corrected(trace)
            direction = m_hat / (root_v_hat + _hyper(trace, "eps", 1e-8))
            return direction + decay * trace.params if name == "adamw" else direction
    return None


def adam_corrected(trace) -> tuple[np.ndarray, np.ndarray]:
    """Adam's bias-corrected first moment m̂ and √v̂ after each update (NaN last row)."""
    beta1, beta2 = _hyper(trace, "betas", (0.9, 0.999))
    step = np.arange(1, len(trace.params) + 1, dtype=float)[:, None]
    second = "max_second_moment" if _hyper(trace, "amsgrad", False) else "second_moment"
    m_hat = _after(trace, "first_moment") / (1 - beta1**step)
    root_v_hat = np.sqrt(_after(trace, second)) / np.sqrt(1 - beta2**step)
    return m_hat, root_v_hat


def learning_rates(trace) -> np.ndarray:
    """The learning rate each update used, read back from the update itself (so a
    schedule's current value shows); NaN where it cannot be told (the last row)."""
    rates = np.full(len(trace.params), np.nan)
    direction = directions(trace)
    if direction is None:
        fixed = trace.settings.get("learning_rate")
        if isinstance(fixed, (int, float)):
            rates[:-1] = fixed
        return rates
    step = updates(trace)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        norm = np.einsum("ij,ij->i", direction, direction)
        rates = np.where(norm > 0, -np.einsum("ij,ij->i", step, direction) / norm, np.nan)
    return rates


def step_parts(trace) -> list[StepPart]:
    """The parts of each update, in the order they add up head to tail.

    Heavy-ball momentum (PyTorch's SGD): ``-lr*mu*v_old`` (memory) then ``-lr*g`` (new
    gradient). Nesterov: ``-lr*g`` then the look-ahead ``-lr*mu*v_new``. Every other
    optimizer: the step itself. The parts always sum to the recorded update exactly.
    """
    name = trace.settings.get("optimizer_name", "")
    step = updates(trace)
    if name in ("momentum", "nesterov") and "velocity" in trace.state:
        rate = learning_rates(trace)[:, None]
        mu = _hyper(trace, "momentum", 0.9)
        with np.errstate(invalid="ignore", over="ignore"):
            if name == "momentum":
                memory = -rate * mu * _before(trace, "velocity")
                return [StepPart(_("momentum part −η·μ·v (last velocity)"), "momentum", memory),
                        StepPart(_("gradient part −η·g"), "gradient", step - memory)]
            look_ahead = -rate * mu * _after(trace, "velocity")
            return [StepPart(_("gradient part −η·g"), "gradient", step - look_ahead),
                    StepPart(_("look-ahead part −η·μ·v (new velocity)"), "momentum", look_ahead)]
    label = _("mini-batch step −η·g_batch") if trace.stochastic and name in ("gd", "sgd") else (
        _("step −η·g") if name in ("gd", "sgd") else _("step (the optimizer's update)"))
    return [StepPart(label, "step", step)]


def full_gradient_step(trace) -> np.ndarray | None:
    """In a stochastic run, the step the full-batch gradient would have taken at the same
    rate (``-lr * g``), to compare with the mini-batch step; None otherwise."""
    if not trace.stochastic:
        return None
    with np.errstate(invalid="ignore", over="ignore"):
        return -learning_rates(trace)[:, None] * trace.grads


def promised_fall(trace) -> np.ndarray:
    """The fall of the loss each step promised to first order, ``−g·Δθ`` with ``g`` the
    full gradient at the step's start and ``Δθ`` the step (NaN on the last row). For plain
    gradient descent this is ``η‖g‖²``; the actual fall falls short of it by the curvature
    the tangent cannot see.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.Quadratic(), optim.gd(learning_rate=0.1), stop=stop.MaxIter(3))
    >>> g = trace.grads[0]
    >>> bool(abs(promised_fall(trace)[0] - 0.1 * g @ g) < 1e-9)
    True
    """
    with np.errstate(invalid="ignore", over="ignore"):
        return -np.einsum("ij,ij->i", trace.grads, updates(trace))


def loss_along_step(trace, k: int, t: np.ndarray) -> np.ndarray:
    """The loss on the line of step ``k``: at ``params[k] + t·(params[k+1] − params[k])``
    for each ``t`` (0 is where the step starts, 1 where it lands)."""
    step = trace.params[k + 1] - trace.params[k]
    points = trace.params[k] + np.asarray(t, dtype=float)[:, None] * step
    with np.errstate(all="ignore"):
        return trace.problem.loss_many(points)


#: Where along a step its cross-section runs (0: the start, 1: the landing).
ALONG = np.linspace(-0.25, 2.0, 91)


def promise_at(trace, k: int, promised=None):
    """Step ``k`` against its promise: ``(curve, landed, lowest)`` with ``curve`` the
    change of the loss along the step's line at ``ALONG``, in units of the promised fall
    (the tangent is then ``−t``), ``landed`` the actual change at the landing in the same
    units, and ``lowest`` the ``t`` of the line's lowest point. None where the step
    promised no fall (not downhill) or there is no step."""
    promised = promised_fall(trace)[k] if promised is None else promised
    if k >= len(trace.loss) - 1 or not np.isfinite(promised) or promised <= 0:
        return None
    with np.errstate(all="ignore"):
        curve = (loss_along_step(trace, k, ALONG) - trace.loss[k]) / promised
        landed = (trace.loss[k + 1] - trace.loss[k]) / promised
    lowest = float(ALONG[int(np.nanargmin(curve))]) if np.isfinite(curve).any() else float("nan")
    return curve, float(landed), lowest


def eigen_multipliers(problem, learning_rate: float) -> tuple[np.ndarray, np.ndarray]:
    """For a problem that knows its (constant) Hessian: its eigenvalues λ, smallest first,
    and plain gradient descent's multiplier ``|1 − η·λ|`` along each eigenvector (how the
    error there scales each step; above 1 it grows: η > 2/λ).

    Examples
    --------
    >>> from gdviz import problems
    >>> eigenvalues, multipliers = eigen_multipliers(problems.Quadratic(condition=10), 0.15)
    >>> eigenvalues.round(3).tolist(), multipliers.round(3).tolist()
    ([1.0, 10.0], [0.85, 0.5])
    """
    hessian = getattr(problem, "hessian", None)
    if hessian is None:
        raise ValueError(_("this problem does not know its Hessian in closed form"))
    eigenvalues = np.linalg.eigvalsh(hessian())
    return eigenvalues, np.abs(1.0 - learning_rate * eigenvalues)
