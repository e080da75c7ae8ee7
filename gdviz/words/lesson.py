"""The sentence a run exists for, with its numbers: why momentum converged above 2/L,
why SGD never settles, when the test loss turned up, which unit never learned, that no
line separates the classes. Each is a fact computed from the trace; ``lesson_words``
returns the first that holds, or None.
"""
from __future__ import annotations

import numpy as np

from .i18n import _, ngettext
from .numbers import number as _g, percent


def momentum_limit(trace) -> float | None:
    """The largest stable rate of this momentum run on its quadratic: heavy ball
    2(1+μ)/L, Nesterov 2(1+μ)/((1+2μ)L) (from the roots of each one's two-step recursion
    along the steepest curvature L). None for another optimizer or problem."""
    name = trace.settings.get("optimizer_name", "")
    limit = getattr(trace.problem, "max_stable_learning_rate", None)
    if name not in ("momentum", "nesterov") or limit is None or not np.isfinite(limit):
        return None
    mu = float(trace.settings.get("hyperparams", {}).get("momentum", 0.9))
    if name == "momentum":
        return limit * (1 + mu)
    return limit * (1 + mu) / (1 + 2 * mu)


def _momentum_above_two_over_l(trace) -> str | None:
    rate, limit = trace.settings.get("learning_rate"), getattr(trace.problem,
                                                               "max_stable_learning_rate", None)
    own = momentum_limit(trace)
    if own is None or not isinstance(rate, (int, float)) or not limit < rate:
        return None
    if trace.stop_reason in ("diverged", "non_finite"):
        return _("rate {rate} > {name}'s own limit {own} (2/L = {limit} for plain GD): it "
                 "diverges").format(rate=_g(rate), name=trace.settings["optimizer_name"],
                                    own=_g(own), limit=_g(limit))
    if rate < own:
        return _("rate {rate} > 2/L = {limit}, yet below {name}'s limit {own}: it "
                 "converges, oscillating").format(
            rate=_g(rate), limit=_g(limit), own=_g(own), name=trace.settings["optimizer_name"])
    return None


def _sgd_never_settles(trace) -> str | None:
    from .facts import StepFacts

    if not trace.stochastic or trace.stop_reason != "max_iter":
        return None
    schedule = trace.settings.get("schedule")
    if schedule not in (None, "constant"):
        return None
    facts = StepFacts.of(trace)
    tail = facts.rose[-max(facts.steps // 10, 1):]
    if not (tail.size and tail.mean() >= 0.2):
        return None
    return _("at a constant rate the batches never agree: SGD never settles (the loss rose "
             "on {share} of late steps)").format(share=percent(tail.mean()))


def overfit_turn(trace) -> int | None:
    """The iteration where the held-out loss is lowest, when after it the test loss rose
    by over 5% while the training loss went on falling: where overfitting began."""
    losses = getattr(trace.problem, "test_losses", None)
    if losses is None:
        return None
    held = losses(trace.params)
    if held is None or len(held) < 20 or not np.all(np.isfinite(held)):
        return None
    turn = int(np.argmin(held))
    if turn >= len(held) - 5 or held[-1] < 1.05 * held[turn]:
        return None
    return turn if trace.loss[-1] < trace.loss[turn] else None


def _overfitting(trace) -> str | None:
    turn = overfit_turn(trace)
    if turn is None:
        return None
    held = trace.problem.test_losses(trace.params)
    return _("overfitting: the test loss turned up at iteration {turn} ({low} → {end}) "
             "while the training loss fell").format(turn=turn, low=_g(held[turn]),
                                                    end=_g(held[-1]))


def idle_units(trace) -> list[tuple[int, int]]:
    """(layer, unit), counted from 1, of the hidden units whose incoming weights and bias
    never changed over the whole run: a ReLU unit whose input is below 0 at every point
    gets no gradient, so it never learns."""
    problem = trace.problem
    if problem is None or not hasattr(problem, "layers") or trace.iterations < 1:
        return []
    first, last = trace.params[0], trace.params[-1]
    if not np.all(np.isfinite(last)):
        return []
    idle, at = [], 0
    for layer, (inputs, units) in enumerate(zip(problem.sizes[:-2], problem.sizes[1:-1]), 1):
        weight = slice(at, at + units * inputs)
        bias = slice(at + units * inputs, at + units * inputs + units)
        w0, w1 = first[weight].reshape(units, inputs), last[weight].reshape(units, inputs)
        for unit in range(units):
            if np.all(w0[unit] == w1[unit]) and first[bias][unit] == last[bias][unit]:
                idle.append((layer, unit + 1))
        at = bias.stop
    return idle


def _dead_units(trace) -> str | None:
    if getattr(trace.problem, "activation", None) != "relu":
        return None
    idle = idle_units(trace)
    if not idle:
        return None
    layer, unit = idle[0]
    return ngettext("unit {unit} of layer {layer} outputs 0 on every point, so its weights "
                    "get no gradient and never learn",
                    "{count} units never learned: unit {unit} of layer {layer} and others "
                    "output 0 on every point", len(idle)).format(
        unit=unit, layer=layer, count=len(idle))


def _saturated_units(trace) -> str | None:
    """Tanh or sigmoid units at a flat end of their curve at the end: their slope there is
    near 0, so the gradient through them nearly vanishes."""
    from .facts import StepFacts

    problem = trace.problem
    counts = StepFacts.of(trace).saturated if hasattr(problem, "unit_states") else None
    if counts is None or not len(counts):
        return None
    count = int(counts[-1])
    if count <= 0:
        return None
    return ngettext("{count} of {total} units ended saturated: its {act} is flat at 90% of "
                    "points, so almost no gradient passes through it",
                    "{count} of {total} units ended saturated: their {act} is flat at 90% of "
                    "points, so almost no gradient passes through them", count).format(
        count=count, total=sum(problem.layers), act=problem.activation)


def _not_separable(trace) -> str | None:
    problem = trace.problem
    separable = getattr(problem, "separable", None)
    if not callable(separable) or not hasattr(problem, "labels") or separable():
        return None
    probability = problem.predict(trace.final_params)
    if not np.all(np.isfinite(probability)):
        return None
    wrong = int(np.sum((probability >= 0.5) != (problem.labels >= 0.5)))
    if not wrong:
        return None
    return ngettext("no line separates these classes: {count} point stays on the wrong side",
                    "no line separates these classes: {count} points stay on the wrong side",
                    wrong).format(count=wrong)


#: The lessons, in the order they are tried: the first that holds is said.
LESSONS = (_momentum_above_two_over_l, _overfitting, _dead_units, _saturated_units,
           _not_separable, _sgd_never_settles)


def lesson_words(trace) -> str | None:
    """The lesson of ``trace`` in one sentence with its numbers, or None.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.Quadratic(), optim.momentum(learning_rate=0.35),
    ...                   stop=stop.MaxIter(150))
    >>> lesson_words(trace)
    "rate 0.35 > 2/L = 0.2, yet below momentum's limit 0.38: it converges, oscillating"
    """
    for lesson in LESSONS:
        words = lesson(trace)
        if words:
            return words
    return None
