"""The facts of every step of a run, computed at once for the whole run (vectorised): how
the loss changed, how long the step was and why, and the events a teacher would point
at. Captions are sentences made from these facts; tests check the facts against the
trace, so a caption is never more true than its numbers.
"""
from __future__ import annotations

import weakref

import numpy as np

from .. import anatomy

#: A step whose gradient is below this share of a slope still ahead of it is "in a flat
#: region" (when it is not already near where the run ends).
FLAT = 0.5
#: ... for at least this many steps in a row, with steps under a quarter of the longest.
FLAT_STEPS = 5
#: A loss that grows by more than half of itself in one step, and comes back down, spiked.
SPIKE = 0.5


def _runs_at_least(mask: np.ndarray, length: int) -> np.ndarray:
    """``mask`` with its runs of True shorter than ``length`` set to False."""
    out = np.zeros_like(mask)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    for start, end in zip(edges[::2], edges[1::2]):
        if end - start >= length:
            out[start:end] = True
    return out


#: A network's units are counted at about this many points of a run, then at every step
#: where the count changed in between.
UNIT_SAMPLES = 250


def _unit_counts(problem, params: np.ndarray) -> np.ndarray:
    """``problem.unit_states`` at every row of ``params``, computed at ``UNIT_SAMPLES``
    evenly spaced rows and then at every row between two that differ (a unit that dies
    and comes back between two samples goes unseen). A row that is not finite keeps the
    count before it."""
    total = len(params)
    stride = max(1, total // UNIT_SAMPLES)
    sample = np.unique(np.append(np.arange(0, total, stride), total - 1))
    counts = np.empty(total, dtype=int)
    sampled = problem.unit_states(params[sample])
    for (a, b), (ca, cb) in zip(zip(sample[:-1], sample[1:]), zip(sampled[:-1], sampled[1:])):
        counts[a:b] = ca
        if ca != cb and b - a > 1:
            counts[a:b] = problem.unit_states(params[a:b])
    counts[sample] = sampled
    for k in range(total):
        if counts[k] < 0:
            counts[k] = counts[k - 1] if k else 0
    return counts


def _rows_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("ij,ij->i", a, b)


class StepFacts:
    """Arrays over the steps ``t = 0 .. T-1`` of a trace (the move from ``params[t]`` to
    ``params[t+1]``), and a few numbers about the whole run.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.Quadratic(), optim.gd(learning_rate=0.3), stop=stop.MaxIter(5))
    >>> facts = StepFacts(trace)
    >>> bool(facts.rose.any()), bool(facts.unstable)
    (True, True)
    """

    #: Facts already found, by trace (a trace's numbers never change).
    _found: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    @classmethod
    def of(cls, trace) -> "StepFacts":
        """The facts of ``trace``, found once: the frames' choice and the captions of a
        trace read the same facts."""
        try:
            return cls._found[trace]
        except (KeyError, TypeError):
            facts = cls(trace)
        try:
            cls._found[trace] = facts
        except TypeError:  # a trace that cannot be weakly referenced: not kept
            pass
        return facts

    def __init__(self, trace):
        self.trace = trace
        self.optimizer = trace.settings.get("optimizer_name", "")
        self.hyper = trace.settings.get("hyperparams", {})
        params, loss = trace.params, trace.loss
        self.steps = len(loss) - 1
        with np.errstate(all="ignore"):
            self.before, self.after = loss[:-1], loss[1:]
            self.change = self.before - self.after  # > 0: the loss fell
            scale = np.maximum(np.abs(self.before), np.abs(self.after))
            self.same = ~(np.abs(self.change) > 1e-12 * np.maximum(scale, 1e-300))
            self.same &= np.isfinite(self.after)
            self.rose = (self.after > self.before) & ~self.same
            self.fell = (self.after < self.before) & ~self.same
            self.overflow = ~np.isfinite(self.after) & np.isfinite(self.before)

            self.gradient = anatomy.used_gradients(trace)[:-1]
            self.gradient_norm = np.linalg.norm(self.gradient, axis=1)
            self.full_norm = np.linalg.norm(trace.grads[:-1], axis=1)
            self.step = np.diff(params, axis=0)
            self.step_norm = np.linalg.norm(self.step, axis=1)
            self.rate = anatomy.learning_rates(trace)[:-1]
            finite = self.gradient_norm[np.isfinite(self.gradient_norm)]
            self.steepest = float(finite.max()) if finite.size else 0.0
            self.steepness = self.gradient_norm / (self.steepest or 1.0)

            # Where the run is, measured from where it ends, in shares of its whole travel.
            travel = float(np.linalg.norm(np.nanmax(params, axis=0) - np.nanmin(params, axis=0)))
            self.travel = travel
            self.from_end = np.linalg.norm(params[:-1] - params[-1], axis=1) / (travel or 1.0)

            # Did the step double back? (the sign of the step's projection on the last one)
            self.turned = np.zeros(self.steps, dtype=bool)
            if self.steps > 1:
                self.turned[1:] = _rows_dot(self.step[1:], self.step[:-1]) < 0

        limit = getattr(trace.problem, "max_stable_learning_rate", None)
        self.limit = float(limit) if limit is not None and np.isfinite(limit) else None
        rate = trace.settings.get("learning_rate")
        self.fixed_rate = float(rate) if isinstance(rate, (int, float)) else None
        #: Plain GD above its stable limit 2/L: every step overshoots more than it corrects.
        self.unstable = bool(self.optimizer in ("gd", "sgd") and self.limit is not None
                             and self.fixed_rate is not None and self.fixed_rate > self.limit)

        # Flat: the slope here is under half of one still to come, far from where the run
        # ends (a plateau or a saddle it has yet to leave), and gentle for this run.
        with np.errstate(all="ignore"):
            finite_norm = np.where(np.isfinite(self.gradient_norm), self.gradient_norm, 0.0)
            ahead = np.zeros(self.steps)
            if self.steps > 1:
                ahead[:-1] = np.maximum.accumulate(finite_norm[::-1])[::-1][1:]
            self.steeper_ahead = ahead
            finite_step = self.step_norm[np.isfinite(self.step_norm)]
            longest = float(finite_step.max()) if finite_step.size else 0.0
            candidate = ((self.gradient_norm < FLAT * ahead) & (self.steepness < 0.3)
                         & (self.from_end > 0.2) & (self.step_norm < 0.25 * longest)
                         & self.fell)  # a crawl goes downhill, however slowly
            # A region, not a moment: at least FLAT_STEPS steps in a row, in a full-batch run
            # (a mini-batch's gradient is too noisy to call a region flat).
            self.flat = _runs_at_least(candidate, FLAT_STEPS) & (not trace.stochastic)
        self.flat[:1] = False  # a start can be flat, but nothing has crawled yet
        previous_flat = np.zeros(self.steps, dtype=bool)
        previous_flat[1:] = self.flat[:-1]
        #: The first step out of a flat region, with the gradient growing again.
        self.escape = previous_flat & ~self.flat & ~self.overflow
        with np.errstate(all="ignore"):
            low_after = np.fmin.accumulate(np.where(np.isfinite(loss), loss, np.inf)[::-1])[::-1]
            came_back = np.zeros(self.steps, dtype=bool)
            came_back[:-1] = low_after[2:] < self.after[:-1]
            finite_loss = loss[np.isfinite(loss)]
            scale = float(np.ptp(finite_loss)) if finite_loss.size else 0.0
            # A spike is big for this run too: not rounding noise a billionth above zero.
            self.spike = self.rose & (self.after - self.before > SPIKE * np.abs(self.before)) \
                & (self.after - self.before > 1e-6 * scale) & came_back & ~self.unstable
            # The longest move of any one parameter, and how much longer it is than the
            # shortest of the 50 steps before (an adaptive step growing back).
            self.largest_move = (np.nanmax(np.abs(self.step), axis=1) if self.step.shape[1]
                                 else np.zeros(self.steps))
            self.regrown = np.ones(self.steps)
            if self.steps > 1:
                padded = np.concatenate([np.full(49, np.inf), self.largest_move])
                windows = np.lib.stride_tricks.sliding_window_view(padded, 50)[: self.steps]
                self.regrown = self.largest_move / np.maximum(windows.min(axis=1), 1e-300)

        self._momentum_facts(trace)
        self._stochastic_facts(trace)
        self._network_facts(trace)

    def _momentum_facts(self, trace) -> None:
        """For momentum and Nesterov: the memory term μ·v against the new gradient g."""
        self.outweighed = np.zeros(self.steps, dtype=bool)
        self.memory = self.pushing = None
        if self.optimizer not in ("momentum", "nesterov") or "velocity" not in trace.state:
            return
        mu = self.hyper.get("momentum", 0.9)
        velocity = np.asarray(trace.state["velocity"], dtype=float)
        # Heavy ball: step = −η(μ·v_old + g); Nesterov's look-ahead uses the new velocity.
        memory = mu * (velocity[:-1] if self.optimizer == "momentum" else velocity[1:])
        with np.errstate(all="ignore"):
            opposed = memory * self.gradient < 0
            bigger = np.abs(memory) > np.abs(self.gradient)
            self.memory, self.pushing = memory, opposed & bigger
            # Outweighed: along the coordinate where the memory beat the gradient by most.
            self.outweighed = np.any(self.pushing, axis=1)

    def _stochastic_facts(self, trace) -> None:
        """For mini-batch runs: the angle between the batch's gradient and the full one."""
        self.angle = None
        if not trace.stochastic:
            return
        with np.errstate(all="ignore"):
            cosine = _rows_dot(self.gradient, trace.grads[:-1]) / (self.gradient_norm * self.full_norm)
            self.angle = np.degrees(np.arccos(np.clip(cosine, -1, 1)))

    def _network_facts(self, trace) -> None:
        """A network's units at each point of the run: ReLU units dead (their input ≤ 0 at
        every training point: gradient 0, they cannot learn) and tanh or sigmoid units
        saturated (at the flat ends of their curve at 90% of the points); ``died`` and
        ``saturating`` mark the steps after which there are more of them."""
        self.dead = self.saturated = None
        self.died = self.saturating = np.zeros(self.steps, dtype=bool)
        problem = trace.problem
        if problem is None or not hasattr(problem, "layers") or self.steps < 1:
            return
        relu = problem.activation == "relu"
        counts = _unit_counts(problem, trace.params)
        grew = counts[1:] > counts[:-1]
        if relu:
            self.dead, self.died = counts, grew
        else:
            self.saturated, self.saturating = counts, grew

    def strongest_push(self, t: int) -> int:
        """The coordinate where momentum's memory beat the gradient by most at step t."""
        excess = np.where(self.pushing[t], np.abs(self.memory[t]) - np.abs(self.gradient[t]), -np.inf)
        return int(np.argmax(excess))

    def event_steps(self, most: int = 12) -> np.ndarray:
        """The steps a picture must show (at most ``most``, the first ones): where the loss
        starts to rise, overflows or spikes, a flat region begins or is escaped, and (in a
        full-batch run) where the path first doubles back."""
        def starts(mask):
            begun = mask.copy()
            begun[1:] &= ~mask[:-1]
            return begun

        events = (self.overflow | starts(self.rose) | self.escape | starts(self.flat) | self.spike
                  | self.died | self.saturating)
        if not self.trace.stochastic:
            events |= starts(self.turned)
        steps = np.flatnonzero(events)
        if len(steps) > most:
            steps = steps[np.linspace(0, len(steps) - 1, most).round().astype(int)]
        return steps
