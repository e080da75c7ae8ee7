"""The words a run ends with: what happened and how it compares to the optimum."""
from __future__ import annotations

from .trace import Trace

REASON_WORDS = {
    "converged": "converged",
    "diverged": "DIVERGED",
    "max_iter": "stopped at the iteration limit",
    "non_finite": "DIVERGED (overflow)",
    "grad_norm": "converged (small gradient)",
}

#: Few words for a picture's last frame.
REASON_SHORT = {
    "converged": "converged: the loss stopped improving",
    "diverged": "DIVERGED: the loss went up (learning rate too large)",
    "max_iter": "stopped at the iteration limit",
    "non_finite": "DIVERGED: the values overflowed",
    "grad_norm": "converged: the gradient is nearly zero",
}


def _params(names, values) -> str:
    return ", ".join(f"{n} = {v:.6g}" for n, v in zip(names, values))


def summary_lines(trace: Trace, learning_rate: float | None = None) -> list[str]:
    """A short, plain-words account of a run, one fact a line.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.LinearRegression.seed(seed=0),
    ...                   optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01))
    >>> summary_lines(trace)[0]
    'iterations:  1161'
    """
    names = trace.param_names
    lines = [
        f"iterations:  {trace.iterations}",
        f"stopped:     {REASON_WORDS.get(trace.stop_reason, trace.stop_reason)}: "
        f"{trace.stop_detail}",
        f"final loss:  {trace.final_loss:.6g}",
    ]
    problem = trace.problem
    optimum = getattr(problem, "optimum", None)
    if optimum is not None:
        lines.append(f"optimum:     {_params(names, optimum)} (least squares, loss "
                     f"{problem.loss(optimum):.6g})")
    limit = getattr(problem, "max_stable_learning_rate", None)
    if learning_rate is not None and limit is not None and learning_rate >= limit:
        lines.append(f"note:        the learning rate {learning_rate:g} is above the stable "
                     f"limit {limit:.3g} for this problem (2/L): expect divergence")
    return lines
