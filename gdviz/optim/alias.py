"""Named optimizers: each a one-line recipe over small transforms.

Update rules and defaults are PyTorch's (``torch.optim``); a learning rate may
be a number or a schedule from ``gdviz.optim.schedules``.
"""
from __future__ import annotations

from .._validate import non_negative_number, positive_number
from ..words.i18n import N_, _
from .base import Optimizer, named
from .schedules import InverseTimeDecay, Schedule
from .transforms import (
    add_decayed_weights,
    chain,
    scale_by_adagrad,
    scale_by_adam,
    scale_by_learning_rate,
    scale_by_rms,
    trace_momentum,
)


def _rate(learning_rate):
    if isinstance(learning_rate, Schedule) or callable(learning_rate):
        return learning_rate
    return positive_number("learning_rate", learning_rate)


def _fraction(name: str, value, allow_one: bool = False) -> float:
    value = non_negative_number(name, value)
    if value > 1 or (value == 1 and not allow_one):
        limit = "at most 1" if allow_one else "below 1"
        raise ValueError(_("{name} must be from 0 to {limit}, got {value!r}").format(
            name=name, limit=limit, value=value))
    return value


def gd(learning_rate=1e-3) -> Optimizer:
    r"""Plain (full-batch) gradient descent.

    .. math:: \theta_{t+1} = \theta_t - \eta \, \nabla L(\theta_t)

    Examples
    --------
    >>> import numpy as np
    >>> opt = gd(learning_rate=0.1)
    >>> state = opt.init(np.zeros(2))
    >>> updates, state = opt.update(np.array([1.0, -2.0]), state, np.zeros(2))
    >>> updates.tolist()
    [-0.1, 0.2]
    """
    learning_rate = _rate(learning_rate)
    return named(scale_by_learning_rate(learning_rate), "gd", learning_rate=learning_rate)


def sgd(learning_rate=1e-3, weight_decay: float = 0.0) -> Optimizer:
    r"""Stochastic gradient descent: the GD step on one random point at a time.

    .. math:: \theta_{t+1} = \theta_t - \eta \, (\nabla L_{i_t}(\theta_t) + \lambda\theta_t)

    The run draws a shuffled point per step (``batch_size=1`` unless the run
    sets another size).

    Examples
    --------
    >>> sgd(learning_rate=0.01).batch_size
    1
    """
    learning_rate = _rate(learning_rate)
    weight_decay = non_negative_number("weight_decay", weight_decay)
    transform = chain(add_decayed_weights(weight_decay), scale_by_learning_rate(learning_rate))
    return named(transform, "sgd", batch_size=1, learning_rate=learning_rate,
                 weight_decay=weight_decay)


def momentum(learning_rate=1e-3, momentum: float = 0.9, dampening: float = 0.0,
             weight_decay: float = 0.0) -> Optimizer:
    r"""Heavy-ball momentum, as ``torch.optim.SGD(momentum=...)``.

    .. math::
        v_{t+1} = \mu v_t + (1 - \tau) g_t \quad (v_1 = g_0), \qquad
        \theta_{t+1} = \theta_t - \eta\, v_{t+1}

    Examples
    --------
    >>> str(momentum(learning_rate=0.01))
    'momentum(learning_rate=0.01, momentum=0.9, dampening=0, weight_decay=0)'
    """
    learning_rate = _rate(learning_rate)
    mu = _fraction("momentum", momentum)
    dampening = _fraction("dampening", dampening, allow_one=True)
    weight_decay = non_negative_number("weight_decay", weight_decay)
    transform = chain(add_decayed_weights(weight_decay), trace_momentum(mu, dampening),
                      scale_by_learning_rate(learning_rate))
    return named(transform, "momentum", learning_rate=learning_rate, momentum=mu,
                 dampening=dampening, weight_decay=weight_decay)


def nesterov(learning_rate=1e-3, momentum: float = 0.9, weight_decay: float = 0.0) -> Optimizer:
    r"""Nesterov momentum, as ``torch.optim.SGD(momentum=..., nesterov=True)``.

    .. math::
        v_{t+1} = \mu v_t + g_t, \qquad \theta_{t+1} = \theta_t - \eta\,(g_t + \mu v_{t+1})

    Examples
    --------
    >>> nesterov(learning_rate=0.01).hyperparams["momentum"]
    0.9
    """
    learning_rate = _rate(learning_rate)
    mu = _fraction("momentum", momentum)
    weight_decay = non_negative_number("weight_decay", weight_decay)
    transform = chain(add_decayed_weights(weight_decay), trace_momentum(mu, nesterov=True),
                      scale_by_learning_rate(learning_rate))
    return named(transform, "nesterov", learning_rate=learning_rate, momentum=mu,
                 weight_decay=weight_decay)


def adagrad(learning_rate=1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
            initial_accumulator_value: float = 0.0, eps: float = 1e-10) -> Optimizer:
    r"""AdaGrad: each coordinate's step shrinks with its summed squared gradients.

    .. math::
        s_t = s_{t-1} + g_t^2, \qquad
        \theta_{t+1} = \theta_t - \frac{\eta}{1 + t\,\delta}\,\frac{g_t}{\sqrt{s_t} + \epsilon}

    Examples
    --------
    >>> adagrad().hyperparams["learning_rate"]
    0.01
    """
    learning_rate = _rate(learning_rate)
    lr_decay = non_negative_number("lr_decay", lr_decay)
    if lr_decay:
        if callable(learning_rate):
            raise ValueError(_("lr_decay needs a number as learning_rate, not a schedule"))
        rate = InverseTimeDecay(learning_rate, lr_decay)
    else:
        rate = learning_rate
    transform = chain(
        add_decayed_weights(non_negative_number("weight_decay", weight_decay)),
        scale_by_adagrad(positive_number("eps", eps),
                         non_negative_number("initial_accumulator_value",
                                             initial_accumulator_value)),
        scale_by_learning_rate(rate),
    )
    return named(transform, "adagrad", learning_rate=learning_rate, lr_decay=lr_decay,
                 weight_decay=weight_decay, eps=eps)


def rmsprop(learning_rate=1e-2, alpha: float = 0.99, eps: float = 1e-8,
            weight_decay: float = 0.0, momentum: float = 0.0,
            centered: bool = False) -> Optimizer:
    r"""RMSProp: divide by a running root-mean-square of the gradient.

    .. math::
        r_t = \alpha r_{t-1} + (1-\alpha) g_t^2, \qquad
        \theta_{t+1} = \theta_t - \eta\,\frac{g_t}{\sqrt{r_t} + \epsilon}

    With ``momentum`` the scaled gradient feeds a velocity buffer (starting at
    zero); ``centered`` subtracts the squared running mean of the gradient.

    Examples
    --------
    >>> rmsprop().hyperparams["alpha"]
    0.99
    """
    learning_rate = _rate(learning_rate)
    alpha = _fraction("alpha", alpha, allow_one=True)
    mu = _fraction("momentum", momentum)
    parts = [add_decayed_weights(non_negative_number("weight_decay", weight_decay)),
             scale_by_rms(alpha, positive_number("eps", eps), bool(centered))]
    if mu:
        parts.append(trace_momentum(mu, first_step_copies=False))
    parts.append(scale_by_learning_rate(learning_rate))
    return named(chain(*parts), "rmsprop", learning_rate=learning_rate, alpha=alpha, eps=eps,
                 weight_decay=weight_decay, momentum=mu, centered=bool(centered))


def _betas(betas) -> tuple[float, float]:
    try:
        beta1, beta2 = betas
    except (TypeError, ValueError):
        raise ValueError(_("betas must be two numbers, got {value!r}").format(
            value=betas)) from None
    return _fraction("beta1", beta1), _fraction("beta2", beta2)


def adam(learning_rate=1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
         weight_decay: float = 0.0, amsgrad: bool = False) -> Optimizer:
    r"""Adam: momentum on the gradient, scaled by a running RMS, both bias-corrected.

    .. math::
        m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad
        v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \quad
        \theta_{t+1} = \theta_t - \eta\,\frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}

    Examples
    --------
    >>> adam(learning_rate=0.05).hyperparams["betas"]
    (0.9, 0.999)
    """
    learning_rate = _rate(learning_rate)
    beta1, beta2 = _betas(betas)
    transform = chain(add_decayed_weights(non_negative_number("weight_decay", weight_decay)),
                      scale_by_adam(beta1, beta2, positive_number("eps", eps), bool(amsgrad)),
                      scale_by_learning_rate(learning_rate))
    return named(transform, "adam", learning_rate=learning_rate, betas=(beta1, beta2), eps=eps,
                 weight_decay=weight_decay, amsgrad=bool(amsgrad))


def adamw(learning_rate=1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
          weight_decay: float = 1e-2, amsgrad: bool = False) -> Optimizer:
    r"""AdamW: Adam with weight decay applied to the parameters, not the gradient.

    .. math:: \theta_{t+1} = \theta_t - \eta\,\Big(\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}
              + \lambda\,\theta_t\Big)

    Examples
    --------
    >>> adamw().hyperparams["weight_decay"]
    0.01
    """
    learning_rate = _rate(learning_rate)
    beta1, beta2 = _betas(betas)
    transform = chain(scale_by_adam(beta1, beta2, positive_number("eps", eps), bool(amsgrad)),
                      add_decayed_weights(non_negative_number("weight_decay", weight_decay)),
                      scale_by_learning_rate(learning_rate))
    return named(transform, "adamw", learning_rate=learning_rate, betas=(beta1, beta2), eps=eps,
                 weight_decay=weight_decay, amsgrad=bool(amsgrad))


#: Every named optimizer, with one line for ``gdviz list``.
OPTIMIZERS = {
    "gd": (gd, N_("plain gradient descent on the full batch")),
    "sgd": (sgd, N_("stochastic gradient descent, one random point per step")),
    "momentum": (momentum, N_("heavy-ball momentum (momentum=0.9)")),
    "nesterov": (nesterov, N_("Nesterov momentum (momentum=0.9)")),
    "adagrad": (adagrad, N_("per-coordinate steps shrinking with summed squared gradients")),
    "rmsprop": (rmsprop, N_("steps divided by a running RMS of the gradient (alpha=0.99)")),
    "adam": (adam, N_("momentum plus RMS scaling, bias-corrected (betas=0.9, 0.999)")),
    "adamw": (adamw, N_("Adam with decoupled weight decay (weight_decay=0.01)")),
}
