"""Named optimizers: each a one-line recipe over small transforms."""
from __future__ import annotations

from .._validate import positive_number
from .base import Optimizer, named
from .transforms import scale_by_learning_rate


def gd(learning_rate: float) -> Optimizer:
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
    learning_rate = positive_number("learning_rate", learning_rate)
    return named(scale_by_learning_rate(learning_rate), "gd", learning_rate=learning_rate)
