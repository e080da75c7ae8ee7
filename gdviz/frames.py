"""Which iterations become frames."""
from __future__ import annotations

import numpy as np

from ._validate import positive_integer
from .words.i18n import _


#: Frames an animation gets when neither ``every`` nor ``frames`` is given.
DEFAULT_FRAMES = 60


def change_per_step(trace) -> np.ndarray:
    """How much each step changes what a student sees, shape (T,): the change of the
    log-distance to where the run ends (in shares of the whole travel) plus the change of
    log-loss, each relative to its sum over the run, so the two count equally. A diverging
    or non-finite step counts fully."""
    params, loss = trace.params, trace.loss
    with np.errstate(all="ignore"):
        travel = np.nanmax(params, axis=0) - np.nanmin(params, axis=0)
        scaled = params / np.where(travel > 0, travel, 1)
        # Log-distance to where the run ends: the last tenth of the way counts as much as
        # the first nine (a crawl near a saddle or the end is seen), floored at a
        # thousandth of the travel so settling to rounding error counts for nothing.
        distance = np.linalg.norm(scaled - scaled[-1], axis=1)
        moved = np.abs(np.diff(np.log(distance + 1e-3)))
        finite = loss[np.isfinite(loss)]
        low = finite.min() if finite.size else 0.0
        # A positive loss is seen on a log axis; any other is shifted to be positive first.
        shift = 0.0 if low > 0 else -low + 0.01 * (np.ptp(finite) if finite.size else 1.0) + 1e-300
        log_loss = np.log(np.where(np.isfinite(loss), loss + shift, np.nan))
        fell = np.abs(np.diff(log_loss))
        if getattr(trace, "stochastic", False):
            moved, fell = _new_records(params, log_loss, travel)
        fell = fell / (np.nansum(fell) or 1.0)
        moved = moved / (np.nansum(moved) or 1.0)
        change = moved + fell
    return np.where(np.isfinite(change), change, 1.0)


def _new_records(params, log_loss, travel):
    """For a stochastic run, where mini-batch noise jiggles every step: count only the
    steps that come closer to where the run ends up, or lower the loss, than ever before.
    The jiggle around the end is then no change at all, however long it goes on."""
    settled = params[-max(1, len(params) // 10):].mean(axis=0)
    distance = np.linalg.norm((params - settled) / np.where(travel > 0, travel, 1), axis=1)
    closer = -np.diff(np.fmin.accumulate(distance))
    lower = -np.diff(np.fmin.accumulate(log_loss))
    return closer, lower


def change_iterations(trace, frames: int = DEFAULT_FRAMES) -> np.ndarray:
    """At most ``frames`` iterations to draw, spaced by how much changes between them
    (``change_per_step``), with a few spread evenly in time so a long plateau is still
    seen passing. Always includes the first and the last iteration.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.Rosenbrock(), optim.adam(learning_rate=0.05),
    ...                   stop=stop.MaxIter(2000))
    >>> picks = change_iterations(trace, 40)
    >>> len(picks), picks[0], picks[-1]
    (40, np.int64(0), np.int64(2000))
    """
    return spread_frames(change_per_step(trace), frames)


def lesson_iterations(trace, frames: int = DEFAULT_FRAMES) -> np.ndarray:
    """``change_iterations``, plus every event the narrator names (``StepFacts.event_steps``:
    a rise, a spike, a flat region and its escape, a turn) and the step after it, so each
    is drawn with its own caption, and a few frames across a flat region; at most
    ``frames`` in all."""
    from .words.facts import StepFacts

    frames = positive_integer("frames", frames)
    facts = StepFacts.of(trace)
    events = facts.event_steps(most=max((frames - 2) // 4, 0))
    must = np.union1d(events, np.minimum(events + 1, trace.iterations)).astype(int)
    flat = np.flatnonzero(facts.flat)
    if flat.size and frames >= 20:  # the crawl across a flat region is seen on its way
        must = np.union1d(must, np.linspace(flat[0], flat[-1] + 1, 6).round().astype(int))
    picks = change_iterations(trace, max(frames - len(must), 2))
    return np.union1d(picks, must)


def race_iterations(traces, frames: int = DEFAULT_FRAMES) -> np.ndarray:
    """``change_iterations`` for several runs drawn together: frames go where any run
    changes (each run's change counts equally), and every run's last iteration is a
    frame, so the moment each one stops or diverges is seen.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> p = problems.Quadratic(condition=10)
    >>> runs = [gdviz.run(p, optim.gd(learning_rate=r), stop=stop.MaxIter(60) | stop.Divergence())
    ...         for r in (0.01, 0.21)]
    >>> picks = race_iterations(runs, 20)
    >>> runs[1].iterations in picks, picks[-1]
    (True, np.int64(60))
    """
    last = max(trace.iterations for trace in traces)
    change = np.zeros(last)
    for trace in traces:
        steps = change_per_step(trace)
        change[: len(steps)] += steps / (steps.sum() or 1.0)
    frames = positive_integer("frames", frames)
    must = np.union1d([0], [trace.iterations for trace in traces])
    if frames <= len(must):
        return must
    # spread_frames counts the first and the last; the ends may fall on its picks.
    picks = np.union1d(spread_frames(change, frames - len(must) + 2), must)
    if len(picks) < frames:
        picks = np.union1d(spread_frames(change, frames), must)
    if len(picks) > frames:  # thin the others evenly, never an end
        rest = np.setdiff1d(picks, must)
        drop = np.linspace(0, len(rest) - 1, len(picks) - frames).round().astype(int)
        picks = np.union1d(must, np.delete(rest, drop))
    return picks


def spread_frames(change: np.ndarray, frames: int) -> np.ndarray:
    """At most ``frames`` of the iterations 0..len(change), spaced by ``change`` (the
    change of each step) with a tenth spread evenly in time; first and last included.
    Fewer when the run settles: a plateau gets only its share of the time."""
    frames = positive_integer("frames", frames)
    last = len(change)
    if frames >= last + 1:
        return np.arange(last + 1)
    if frames < 2:
        raise ValueError(_("frames must be at least 2: the first and the last step"))
    # Nine parts change, one part time: a plateau still gets a frame now and then.
    weight = 0.9 * change / (change.sum() or 1.0) + 0.1 / last
    progress = np.concatenate([[0.0], np.cumsum(weight)])
    progress /= progress[-1]
    targets = np.linspace(0.0, 1.0, frames)
    picks = np.unique(np.clip(np.searchsorted(progress, targets), 0, last))
    picks = np.union1d(picks, [0, last])
    missing = frames - len(picks)
    if missing > 0:
        # Fast stretches map several targets to one step: fill evenly from the iterations
        # where something still moves. A run that settled gets fewer frames, not a longer
        # look at its plateau.
        unused = np.setdiff1d(np.arange(1, last + 1), picks)
        moving = unused[change[unused - 1] > 1e-4 * change.max()]
        if len(moving) > missing:
            moving = moving[np.linspace(0, len(moving) - 1, missing).round().astype(int)]
        picks = np.union1d(picks, moving)
    return picks


def frame_iterations(n_iterations: int, *, every: int | None = None,
                     frames: int | None = None) -> np.ndarray:
    """The iterations to draw, always including the first (0) and the last.

    ``every=k`` draws iterations 0, k, 2k, ... as the blog does; ``frames=N``
    draws at most N frames, dense at the start where the motion is fast and
    sparse in the slow tail. With neither, every iteration is a frame.

    Examples
    --------
    >>> frame_iterations(1161, every=100).tolist()[-3:]
    [1000, 1100, 1161]
    >>> len(frame_iterations(10_000, frames=50))
    50
    """
    if every is not None and frames is not None:
        raise ValueError(_("give either every= or frames=, not both"))
    last = int(n_iterations)
    if frames is not None:
        frames = positive_integer("frames", frames)
        if frames < 2:
            raise ValueError(_("frames must be at least 2: the first and the last step"))
        if frames >= last + 1:
            return np.arange(last + 1)
        # Quadratic spacing in time: half the frames cover the first quarter.
        schedule = np.unique(np.round(np.linspace(0.0, 1.0, frames) ** 2 * last).astype(int))
        # Rounding merges early frames; top up from the unused iterations.
        missing = frames - len(schedule)
        if missing:
            unused = np.setdiff1d(np.arange(last + 1), schedule)
            schedule = np.union1d(schedule, unused[:missing])
        return schedule
    step = 1 if every is None else positive_integer("every", every)
    schedule = np.arange(0, last + 1, step)
    if schedule[-1] != last:
        schedule = np.append(schedule, last)
    return schedule
