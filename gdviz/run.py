"""The one optimizer loop: ``descend`` yields steps, ``run`` records them."""
from __future__ import annotations

from typing import Iterator, NamedTuple

import numpy as np

from .optim.base import Optimizer
from .problems.base import Problem
from .stop import AnyOf, Divergence, MaxIter, NonFinite, StopEvent, StopRule
from .trace import Trace, stack_states


class Step(NamedTuple):
    """One point of a run: parameters, loss and gradient there, optimizer state.

    ``stop`` is ``None`` except on the last step, where it says why the run ended.
    """

    iteration: int
    params: np.ndarray
    loss: float
    grad: np.ndarray
    state: object
    stop: StopEvent | None


def default_stop() -> StopRule:
    return MaxIter(1000) | Divergence()


def descend(problem: Problem, optimizer: Optimizer, x0=None,
            stop: StopRule | None = None) -> Iterator[Step]:
    """Yield each step of gradient descent until a stop rule fires.

    The loss and gradient of each new point are computed, the stop rules
    checked, and only then the update made (the blog's order), so the last
    step's ``stop`` says why there is no next one. A NaN or infinite loss
    always stops the run.

    Examples
    --------
    >>> from gdviz import problems, optim, stop
    >>> p = problems.LinearRegression.seed(seed=0)
    >>> steps = list(descend(p, optim.gd(learning_rate=0.005), stop=stop.MaxIter(3)))
    >>> [s.iteration for s in steps], steps[-1].stop.reason
    ([0, 1, 2, 3], 'max_iter')
    """
    if x0 is None:
        if problem.x0 is None:
            raise ValueError(f"{problem.name} has no default start: pass x0=")
        params = np.array(problem.x0, dtype=float)
    else:
        params = problem.check_params(x0)
    rule = AnyOf(NonFinite(), stop if stop is not None else default_stop())
    check = rule.check
    value_and_grad = problem.value_and_grad
    update = optimizer.update

    state = optimizer.init(params)
    loss, grad = value_and_grad(params)
    initial_loss = loss
    previous_loss = float("inf")
    iteration = 0
    while True:
        event = check(iteration, loss, previous_loss, initial_loss, grad)
        yield Step(iteration, params, loss, grad, state, event)
        if event is not None:
            return
        updates, new_state = update(grad, state, params)
        params = params + updates
        state = new_state
        previous_loss = loss
        loss, grad = value_and_grad(params)
        iteration += 1


def run(problem: Problem, optimizer: Optimizer, x0=None,
        stop: StopRule | None = None) -> Trace:
    """Run gradient descent to the end and return its :class:`Trace`.

    Parameters
    ----------
    problem : Problem
        What to minimise (``gdviz.problems``).
    optimizer : Optimizer
        How to step (``gdviz.optim``).
    x0 : sequence of float, optional
        The start; defaults to ``problem.x0``.
    stop : StopRule, optional
        When to stop; defaults to ``MaxIter(1000) | Divergence()``. A NaN or
        infinite loss always stops the run.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.LinearRegression.seed(seed=0),
    ...                   optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01))
    >>> trace.iterations, trace.stop_reason
    (1161, 'converged')
    """
    params, losses, grads, states = [], [], [], []
    step = None
    for step in descend(problem, optimizer, x0=x0, stop=stop):
        params.append(step.params)
        losses.append(step.loss)
        grads.append(step.grad)
        states.append(step.state)
    event = step.stop
    settings = dict(problem.describe()) if hasattr(problem, "describe") else {}
    settings.update(
        optimizer=str(optimizer),
        stop=repr(stop if stop is not None else default_stop()),
        x0=params[0].tolist(),
    )
    return Trace(
        params=np.array(params),
        loss=np.array(losses),
        grads=np.array(grads),
        state=stack_states(states),
        stop_reason=event.reason,
        stop_detail=event.detail,
        param_names=tuple(problem.param_names),
        settings=settings,
        problem=problem,
    )
