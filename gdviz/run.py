"""The one optimizer loop: ``descend`` yields steps, ``run`` records them."""
from __future__ import annotations

from typing import Iterator, NamedTuple

import numpy as np

from ._validate import positive_integer
from .words.i18n import _
from .optim.base import Optimizer
from .problems.base import Problem
from .stop import AnyOf, Divergence, LossImprovement, MaxIter, NonFinite, StopEvent, StopRule
from .trace import Trace, stack_states


class Step(NamedTuple):
    """One point of a run: parameters, loss and gradient there, optimizer state.

    ``stop`` is ``None`` except on the last step, where it says why the run
    ended. In a stochastic run ``batch`` holds the data rows whose gradient,
    ``batch_grad``, makes the next update (``loss`` and ``grad`` are always
    the full-batch values).
    """

    iteration: int
    params: np.ndarray
    loss: float
    grad: np.ndarray
    state: object
    stop: StopEvent | None
    batch: np.ndarray | None = None
    batch_grad: np.ndarray | None = None


def default_stop() -> StopRule:
    return MaxIter(1000) | Divergence()


def minibatches(n_samples: int, batch_size: int, seed=None) -> Iterator[np.ndarray]:
    """Endless mini-batches of row indices: a fresh seeded shuffle every epoch,
    the last batch of an epoch smaller if ``batch_size`` does not divide ``n_samples``."""
    rng = np.random.default_rng(seed)
    while True:
        order = rng.permutation(n_samples)
        for start in range(0, n_samples, batch_size):
            yield order[start:start + batch_size]


def _batches_for(problem, optimizer, batch_size, seed):
    has_data = getattr(problem, "n_samples", None) is not None and hasattr(problem, "batch_grad")
    if batch_size is None:
        # An optimizer's own batch size (sgd's 1) applies where there is data
        # to sample; on a plain function every step sees the whole function.
        batch_size = getattr(optimizer, "batch_size", None) if has_data else None
    if batch_size is None:
        return None
    batch_size = positive_integer("batch_size", batch_size)
    if not has_data:
        raise ValueError(_("{name} has no data points to sample mini-batches from: "
                           "stochastic optimizers and batch_size need a data problem (linear, "
                           "polynomial, logistic, mlp)").format(name=problem.name))
    if batch_size > problem.n_samples:
        raise ValueError(_("batch_size must be at most the number of data points ({rows}), "
                           "got {size}").format(rows=problem.n_samples, size=batch_size))
    own = getattr(problem, "minibatches", None)  # data elsewhere (Dask) draws its own
    return own(batch_size, seed) if own is not None else minibatches(problem.n_samples,
                                                                      batch_size, seed)


def descend(problem: Problem, optimizer: Optimizer, x0=None, stop: StopRule | None = None,
            batch_size: int | None = None, seed=None) -> Iterator[Step]:
    """Yield each step of gradient descent until a stop rule fires.

    The loss and gradient of each new point are computed, the stop rules
    checked, and only then the update made (the blog's order), so the last
    step's ``stop`` says why there is no next one. A NaN or infinite loss
    always stops the run. With ``batch_size`` (or an optimizer that implies
    one, like ``sgd``) each update uses the gradient of a mini-batch drawn by
    a seeded shuffle of the data every epoch.

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
            raise ValueError(_("{name} has no default start: pass x0=").format(
                name=problem.name))
        params = np.array(problem.x0, dtype=float)
    else:
        params = problem.check_params(x0)
    batches = _batches_for(problem, optimizer, batch_size, seed)
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
        if batches is None or event is not None:
            yield Step(iteration, params, loss, grad, state, event)
            if event is not None:
                return
            used = grad
        else:
            rows = next(batches)
            used = problem.batch_grad(params, rows)
            yield Step(iteration, params, loss, grad, state, event, rows, used)
        updates, state = update(used, state, params)
        params = params + updates
        previous_loss = loss
        loss, grad = value_and_grad(params)
        iteration += 1


def run(problem: Problem, optimizer: Optimizer, x0=None, stop: StopRule | None = None,
        batch_size: int | None = None, seed=None) -> Trace:
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
    batch_size : int, optional
        Mini-batch size (default: the optimizer's, i.e. 1 for ``sgd`` and the
        full batch otherwise).
    seed : int, optional
        Seed of the mini-batch shuffling.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.LinearRegression.seed(seed=0),
    ...                   optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01))
    >>> trace.iterations, trace.stop_reason
    (1161, 'converged')
    """
    params, losses, grads, states, batches, batch_grads = [], [], [], [], [], []
    step = None
    with np.errstate(over="ignore", invalid="ignore"):
        for step in descend(problem, optimizer, x0=x0, stop=stop, batch_size=batch_size,
                            seed=seed):
            params.append(step.params)
            losses.append(step.loss)
            grads.append(step.grad)
            states.append(step.state)
            if step.batch is not None:
                batches.append(step.batch)
                batch_grads.append(step.batch_grad)
    event = step.stop
    settings = dict(problem.describe()) if hasattr(problem, "describe") else {}
    rate = optimizer.hyperparams.get("learning_rate")
    rule = stop if stop is not None else default_stop()
    improvement = rule.find(LossImprovement)
    settings.update(
        hyperparams={k: (list(v) if isinstance(v, tuple) else
                         v if isinstance(v, (int, float, bool)) else repr(v))
                     for k, v in optimizer.hyperparams.items()},
        tolerance=None if improvement is None else improvement.tol,
        optimizer=str(optimizer),
        optimizer_name=optimizer.name,
        learning_rate=rate if isinstance(rate, (int, float)) else repr(rate),
        stop=repr(rule),
        x0=params[0].tolist(),
    )
    stochastic = {}
    if batches:
        settings.update(batch_size=int(max(len(b) for b in batches)), seed=seed)
        stochastic = _stochastic_record(batches, batch_grads, len(params[0]))
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
        **stochastic,
    )


def _stochastic_record(batches, batch_grads, n_params) -> dict:
    """Mini-batch rows and gradients as arrays with one row per point of the run;
    the last point made no update, so its row is -1 / NaN."""
    width = max(len(b) for b in batches)
    indices = np.full((len(batches) + 1, width), -1, dtype=int)
    for row, batch in zip(indices, batches):
        row[:len(batch)] = batch
    used = np.full((len(batches) + 1, n_params), np.nan)
    used[:-1] = batch_grads
    return {"batch_indices": indices, "batch_grads": used}
