"""A short paragraph on a whole run, for a picture's alt text: what was fitted, how the
run went and how it ended, with its numbers."""
from __future__ import annotations

import numpy as np

from .ending import ending_words
from .facts import StepFacts
from .i18n import _, ngettext, sentences as said_one_after_another
from .numbers import number


def _point(names, values, limit: int = 3) -> str:
    shown = ", ".join(f"{n} = {number(v)}" for n, v in zip(names[:limit], values[:limit]))
    return shown + (", …" if len(names) > limit else "")


def describe(trace) -> str:
    """A paragraph describing ``trace`` for someone who cannot see the picture.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.LinearRegression.seed(seed=0),
    ...                   optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01))
    >>> print(gdviz.describe(trace))  # doctest: +NORMALIZE_WHITESPACE
    Gradient descent (gd, learning rate 0.005) on linear regression: a line through 100
    points. It starts at b0 = 0.27, b1 = 0.131 with loss 227069. After 1161 iterations the
    loss is 1428, at b0 = 49.5, b1 = 42.4; converged: the loss stopped improving. The loss
    rose on none of the 1161 steps.
    """
    settings, names = trace.settings, trace.param_names
    facts = StepFacts.of(trace)
    what = trace.problem.title if trace.problem is not None else str(settings.get("problem", ""))
    rate = settings.get("learning_rate")
    how = settings.get("optimizer_name", "")
    if rate is not None:
        how = _("{optimizer}, learning rate {rate}").format(
            optimizer=how, rate=f"{rate:g}" if isinstance(rate, (int, float)) else rate)
    sentences = [
        _("Gradient descent ({how}) on {what}.").format(how=how, what=what),
        _("It starts at {point} with loss {loss}.").format(
            point=_point(names, trace.params[0]), loss=number(trace.loss[0])),
    ]
    end = ending_words(trace)
    if np.all(np.isfinite(trace.final_params)) and np.isfinite(trace.final_loss):
        sentences.append(ngettext(
            "After {count} iteration the loss is {loss}, at {point}; {ending}.",
            "After {count} iterations the loss is {loss}, at {point}; {ending}.",
            trace.iterations).format(count=trace.iterations, loss=number(trace.final_loss),
                                     point=_point(names, trace.final_params), ending=end))
    else:
        sentences.append(ngettext("After {count} iteration: {ending}.",
                                  "After {count} iterations: {ending}.",
                                  trace.iterations).format(count=trace.iterations, ending=end))
    if facts.steps and not facts.rose.any():
        sentences.append(ngettext("The loss rose on none of the {count} step.",
                                  "The loss rose on none of the {count} steps.",
                                  facts.steps).format(count=facts.steps))
    elif facts.steps:
        sentences.append(ngettext("The loss rose on {rose} of the {count} step.",
                                  "The loss rose on {rose} of the {count} steps.",
                                  facts.steps).format(rose=int(facts.rose.sum()), count=facts.steps))
    if facts.unstable:
        sentences.append(_("The learning rate {rate} is above the stable limit 2/L = {limit}.")
                         .format(rate=f"{facts.fixed_rate:g}", limit=f"{facts.limit:.3g}"))
    return said_one_after_another(*sentences)
