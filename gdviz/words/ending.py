"""The words a run ends with: what happened and how it compares to the optimum."""
from __future__ import annotations

import numpy as np

from ..scale import VISIBLE, drawn_heights
from ..trace import Trace
from .i18n import _, again


def reason_words(reason: str) -> str:
    """The stop reason in a few words, for the summary's "stopped:" line."""
    words = {
        "converged": _("converged"),
        "diverged": _("DIVERGED"),
        "max_iter": _("stopped at the iteration limit"),
        "non_finite": _("DIVERGED (overflow)"),
        "grad_norm": _("converged (small gradient)"),
        "budget": _("stopped by the server's budget"),
    }
    return words.get(reason, reason)


def reason_short(reason: str) -> str:
    """The stop reason with its cause, for a picture's last frame."""
    words = {
        "converged": _("converged: the loss stopped improving"),
        "diverged": _("DIVERGED: the loss went up (learning rate too large)"),
        "max_iter": _("stopped at the iteration limit"),
        "non_finite": _("DIVERGED: the values overflowed"),
        "grad_norm": _("converged: the gradient is nearly zero"),
        "budget": _("stopped by the server's budget for one request"),
    }
    return words.get(reason, reason)


def settled_words(since: int) -> str:
    """What ``flat_since`` measured, said as it is: the loss may still fall on a log axis."""
    return _("settled since iteration {since}: the loss within a millionth of its whole "
             "fall").format(since=since)


def flat_since(trace: Trace, fraction: float = 1e-6) -> int | None:
    """The iteration from which the loss stayed within ``fraction`` of the run's whole fall
    of its final value (and so did the parameters, relative to their whole travel), and
    the drawn loss curve within 1% of its axis's height of where it ends, if that is before
    the last tenth of the run: the run had stopped moving there. None otherwise.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.Quadratic(condition=2), optim.gd(learning_rate=0.5),
    ...                   stop=stop.MaxIter(400))
    >>> flat_since(trace) < 100
    True
    """
    loss, params = trace.loss, trace.params
    if trace.iterations < 20 or not (np.all(np.isfinite(loss)) and np.all(np.isfinite(params))):
        return None
    fall = float(np.max(loss) - loss[-1])
    travel = np.ptp(params, axis=0)
    loss_moving = np.abs(loss - loss[-1]) > fraction * max(fall, 1e-300)
    params_moving = np.any(np.abs(params - params[-1]) > np.sqrt(fraction) * np.maximum(travel, 1e-300),
                           axis=1)
    # ... and on the loss axis the pictures draw, the curve no longer moves: a loss
    # within a millionth of its fall may still drop decades on a log axis (or below it).
    height = drawn_heights(loss, floor=False)  # a fall past the axis's floor still moves
    drawn_moving = np.abs(height - height[-1]) > 2 * VISIBLE
    moving = np.flatnonzero(loss_moving | params_moving | drawn_moving)
    since = int(moving[-1]) + 1 if moving.size else 0
    return since if since < 0.9 * trace.iterations else None


def ending_words(trace: Trace) -> str:
    """Why the run ended, in words that match its numbers (a run that hit the iteration
    limit after settling says it converged in practice, and since when)."""
    if trace.stop_reason == "max_iter":
        since = flat_since(trace)
        if since is not None:
            return _("converged in practice: {settled}").format(settled=settled_words(since))
    if trace.stop_reason == "non_finite" and np.isinf(trace.loss[0]):
        return _("overflow at the start: the loss there is too large for a float ({loss}); "
                 "choose a start nearer the minimum").format(loss=trace.loss[0])
    if trace.stop_reason == "non_finite" and not np.isfinite(trace.loss[0]):
        return _("no number at the start: the loss is undefined there (choose another start)")
    return reason_short(trace.stop_reason)


def _params(names, values) -> str:
    return ", ".join(f"{n} = {v:.6g}" for n, v in zip(names, values))


def summary_lines(trace: Trace) -> list[str]:
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
    reason = reason_words(trace.stop_reason)
    since = flat_since(trace) if trace.stop_reason == "max_iter" else None
    if since is not None:
        reason = _("converged in practice ({settled}); {reason}").format(
            settled=settled_words(since), reason=reason)
    lines = [
        _("iterations:  {count}").format(count=trace.iterations),
        _("stopped:     {reason}: {detail}").format(reason=reason, detail=again(trace.stop_detail)),
        _("final loss:  {loss}").format(loss=f"{trace.final_loss:.6g}"),
    ]
    problem = trace.problem
    optimum = getattr(problem, "optimum", None)
    if optimum is not None and len(names) <= 6:
        distance = float(np.linalg.norm(trace.final_params - optimum))
        kind = _("least squares") if hasattr(problem, "n_samples") else _("minimum")
        lines.append(_("optimum:     {params} ({kind}, loss {loss}); the run ended {distance} "
                       "from it").format(params=_params(names, optimum), kind=kind,
                                         loss=f"{problem.loss(optimum):.6g}",
                                         distance=f"{distance:.3g}"))
    if getattr(problem, "standardize", False) and np.all(np.isfinite(trace.final_params)):
        lines.append(_("in your units: {equation} (the parameters above are per standard "
                       "deviation of each feature)").format(
            equation=problem.equation(trace.final_params, digits=6)))
    lines.extend(diagnostics(trace))
    from .lesson import lesson_words

    lesson = lesson_words(trace)
    if lesson:
        lines.append(_("lesson:      {lesson}").format(lesson=lesson))
    return lines


def diagnostics(trace: Trace) -> list[str]:
    """Warnings a teacher would give: unstable learning rate, oscillation, plateau."""
    notes = []
    settings = trace.settings
    rate = settings.get("learning_rate")
    limit = getattr(trace.problem, "max_stable_learning_rate", None)
    if (limit is not None and isinstance(rate, (int, float))
            and settings.get("optimizer_name") in ("gd", "sgd") and rate >= limit):
        notes.append(_("note:        the learning rate {rate} is above the stable limit "
                       "{limit} for this problem (2/L): expect divergence").format(
            rate=f"{rate:g}", limit=f"{limit:.3g}"))
    steps = np.diff(trace.params[-51:], axis=0)
    if len(steps) >= 10 and np.all(np.isfinite(steps)):
        flips = np.mean(steps[1:] * steps[:-1] < 0, axis=0)
        worst = int(np.argmax(flips))
        if flips[worst] > 0.8 and np.abs(steps[:, worst]).max() > 0:
            if settings.get("optimizer_name") in ("momentum", "nesterov"):
                # Momentum's own oscillation: its velocity carries it past the floor.
                notes.append(_("note:        oscillating: the steps in {name} flip direction "
                               "nearly every iteration (the velocity carries the point past "
                               "the floor; a smaller rate or a smaller μ damps it)").format(
                    name=trace.param_names[worst]))
            else:
                notes.append(_("note:        oscillating: the steps in {name} flip direction "
                               "nearly every iteration (the learning rate is near its stable "
                               "limit; a smaller one, or momentum, smooths it)").format(
                    name=trace.param_names[worst]))
    if trace.stop_reason == "max_iter" and trace.iterations >= 50 and np.all(np.isfinite(trace.loss)):
        # A plateau: the last fifth of the run made under 2% of its progress,
        # yet the gradient is still a fair fraction of the largest it was.
        tail = trace.loss[-max(trace.iterations // 5, 10):]
        progress = abs(trace.loss[0] - trace.loss[-1])
        norms = np.linalg.norm(trace.grads, axis=1)
        flat = abs(tail[0] - tail[-1]) < 0.02 * progress
        if flat and norms[-1] > 1e-2 * norms.max():
            # Least squares is convex: a slow tail there is a long, shallow valley, never a
            # saddle point.
            where = (_("a long, shallow valley of an ill-conditioned problem")
                     if getattr(trace.problem, "optimum", None) is not None
                     else _("a flat region or a saddle"))
            notes.append(_("note:        plateau: the loss barely moved in the last {count} "
                           "iterations while the gradient is not small ({where}): more "
                           "iterations or a larger learning rate may help").format(
                count=len(tail), where=where))
    return notes


def ending_in_brief(trace: Trace) -> str:
    """How a run ended in a few words for a race's status strip: "diverged at 37",
    "converged at 120", "settled since 412"; nothing for a run still moving at the
    iteration limit (the strip's iteration counter says where that is)."""
    reason, end = trace.stop_reason, trace.iterations
    if reason in ("converged", "grad_norm"):
        return _("converged at {end}").format(end=end)
    if reason == "diverged":
        return _("diverged at {end}").format(end=end)
    if reason == "non_finite":
        return _("overflowed at {end}").format(end=end)
    since = flat_since(trace)
    # A run that reached the limit still moving: the iteration counter says so already.
    return _("settled since {since}").format(since=since) if since is not None else ""
