"""The facts of every step of a run, computed at once for the whole run (vectorised): how
the loss changed, how long the step was and why, and the events a teacher would point
at. Captions are sentences made from these facts; tests check the facts against the
trace, so a caption is never more true than its numbers.
"""
from __future__ import annotations

import weakref

import numpy as np

from .. import anatomy
from ..scale import VISIBLE, drawn_heights

#: A step whose gradient is below this share of a slope still ahead of it is "in a flat
#: region" (when it is not already near where the run ends).
FLAT = 0.5
#: ... for at least this many steps in a row, with steps under a quarter of the longest.
FLAT_STEPS = 5
#: A loss that grows by more than half of itself in one step, and comes back down, spiked.
SPIKE = 0.5
#: Optimizers whose normal step is about the learning rate in each coordinate.
ADAPTIVE = ("adam", "adamw", "adagrad", "rmsprop")


def _runs(mask: np.ndarray):
    """(start, end) of each run of True in ``mask``, end exclusive."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return zip(edges[::2], edges[1::2])


def _runs_at_least(mask: np.ndarray, length: int) -> np.ndarray:
    """``mask`` with its runs of True shorter than ``length`` set to False."""
    out = np.zeros_like(mask)
    for start, end in _runs(mask):
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
        self._climbs: dict[int, np.ndarray] = {}
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

            # How much each coordinate's move added to the loss: the full gradient averaged
            # over the step's two ends times the move (the trapezoid rule on the line
            # integral of the gradient: exact on a quadratic, and the rows sum to the change).
            full = np.asarray(trace.grads, dtype=float)
            self.climb = self.step * 0.5 * (full[:-1] + full[1:])
            #: The step has a component along the full gradient where it starts: uphill.
            self.uphill = _rows_dot(full[:-1], self.step) > 0
            #: Where it ends, the loss still rises along the step: it went past the lowest
            #: point on its line (an overshoot).
            self.past_floor = _rows_dot(full[1:], self.step) > 0
            # How far each step moves the drawn loss curve, in shares of the axis's height.
            self.height = drawn_heights(loss)
            self.drawn_change = np.abs(np.diff(self.height))
            self.visible = self.drawn_change >= VISIBLE

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
            if self.optimizer in ADAPTIVE:
                # An adaptive step is about η in each coordinate on any slope: a crawl is a
                # step well under that, never one at the optimizer's own normal size.
                moves = np.nanmax(np.abs(self.step), axis=1) if self.step.shape[1] else 0.0
                candidate &= moves < 0.5 * np.abs(self.rate)
            # A region, not a moment: at least FLAT_STEPS steps in a row, in a full-batch run
            # (a mini-batch's gradient is too noisy to call a region flat).
            self.flat = _runs_at_least(candidate, FLAT_STEPS) & (not trace.stochastic)
        self.flat[:1] = False  # a start can be flat, but nothing has crawled yet
        previous_flat = np.zeros(self.steps, dtype=bool)
        previous_flat[1:] = self.flat[:-1]
        #: The first step out of a flat region, with the gradient grown past its low there.
        self.escape = previous_flat & ~self.flat & ~self.overflow
        #: The smallest gradient of the flat region each step ends (NaN elsewhere).
        self.flat_low = np.full(self.steps, np.nan)
        for start, end in _runs(self.flat):
            if end < self.steps:
                self.flat_low[end] = np.nanmin(self.gradient_norm[start:end])
        with np.errstate(invalid="ignore"):
            self.escape &= self.gradient_norm > 1.2 * self.flat_low
        with np.errstate(all="ignore"):
            low_after = np.fmin.accumulate(np.where(np.isfinite(loss), loss, np.inf)[::-1])[::-1]
            came_back = np.zeros(self.steps, dtype=bool)
            came_back[:-1] = low_after[2:] < self.after[:-1]
            finite_loss = loss[np.isfinite(loss)]
            scale = float(np.ptp(finite_loss)) if finite_loss.size else 0.0
            # A spike is big for this run too: not rounding noise a billionth above zero.
            # A rise is seen when the whole climb it is part of (the steps that rose in a row)
            # moves the drawn curve: a rise of 1e-8 on a ten-decade axis is not an event.
            self.climb_height = np.zeros(self.steps)
            for start, end in _runs(self.rose):
                self.climb_height[start:end] = np.nansum(np.diff(self.height)[start:end])
            self.seen_rise = self.rose & (self.climb_height >= VISIBLE)
            # A spike: one visible jump of more than half the loss, after steps that did not
            # rise, that comes back down (not one swing of a sustained oscillation).
            recent_rise = np.zeros(self.steps, dtype=bool)
            for back in range(1, 6):
                recent_rise[back:] |= self.rose[:-back]
            self.spike = self.seen_rise & (self.after - self.before > SPIKE * np.abs(self.before)) \
                & (self.after - self.before > 1e-6 * scale) & came_back & (not self.unstable) \
                & ~recent_rise
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
        """For mini-batch runs: the angle between the batch's gradient and the full one, and
        where the run has stopped making progress (inside the noise ball around a minimum:
        the full loss no longer falls by trend, only jitters)."""
        self.angle = self.stalled = None
        if not trace.stochastic:
            return
        with np.errstate(all="ignore"):
            cosine = _rows_dot(self.gradient, trace.grads[:-1]) / (self.gradient_norm * self.full_norm)
            self.angle = np.degrees(np.arccos(np.clip(cosine, -1, 1)))
        self.stalled = no_trend(trace.loss, self.window)

    @property
    def window(self) -> int:
        """Steps a trend is judged over: a twentieth of the run, at least 10."""
        return max(10, self.steps // 20)

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

    def climb_at(self, t: int) -> np.ndarray:
        """How much each coordinate's move in step t added to the loss, exactly: the line
        integral ∫₀¹ ∂ₖL(θ + sΔθ)·Δθₖ ds by six-point Gauss-Legendre with the problem's own
        gradient (the rows of ``climb``, the trapezoid rule, where there is no problem)."""
        found = self._climbs.get(t)
        if found is not None:
            return found
        problem, start, step = self.trace.problem, self.trace.params[t], self.step[t]
        row = self.climb[t]
        if problem is not None and hasattr(problem, "grad") and np.all(np.isfinite(step)):
            nodes, weights = np.polynomial.legendre.leggauss(6)
            with np.errstate(all="ignore"):
                row = sum(0.5 * w * np.asarray(problem.grad(start + 0.5 * (x + 1) * step),
                                               dtype=float) * step
                          for x, w in zip(nodes, weights))
        self._climbs[t] = row
        return row

    def climber(self, t: int) -> int:
        """The coordinate whose move in step t added most to the loss (``climb_at``)."""
        row = self.climb_at(t)
        return int(np.argmax(np.where(np.isfinite(row), row, -np.inf)))

    def climb_share(self, t: int, k: int) -> float:
        """The share of step t's rise that coordinate k's move made (0 to 1): its part of
        the rises among the coordinates (a coordinate whose move lowered the loss makes
        none)."""
        rises = np.clip(np.nan_to_num(self.climb_at(t)), 0, None)
        total = rises.sum()
        return float(rises[k] / total) if total > 0 else 0.0

    def descent_angle(self, t: int) -> float:
        """The angle in degrees between step t and steepest descent (−the full gradient):
        over 90° the step went uphill."""
        g = np.asarray(self.trace.grads[t], dtype=float)
        with np.errstate(all="ignore"):
            cosine = -(g @ self.step[t]) / (np.linalg.norm(g) * self.step_norm[t])
        return float(np.degrees(np.arccos(np.clip(cosine, -1, 1))))

    def strongest_push(self, t: int) -> int:
        """The coordinate where momentum's memory beat the gradient by most at step t."""
        excess = np.where(self.pushing[t], np.abs(self.memory[t]) - np.abs(self.gradient[t]), -np.inf)
        return int(np.argmax(excess))

    def event_steps(self, most: int = 12) -> np.ndarray:
        """The steps a picture must show (at most ``most``, the most visible ones, in
        order): where the loss starts a rise the curve shows, overflows or spikes, a flat
        region begins or is escaped, a unit dies or saturates, and (in a full-batch run)
        where the path first doubles back."""
        weights = self.event_weights()
        steps = np.flatnonzero(weights > 0)
        if len(steps) > most:
            # The largest first; among equals, the earliest.
            order = np.lexsort((steps, -weights[steps]))
            steps = np.sort(steps[order[:most]])
        return steps

    def event_weights(self) -> np.ndarray:
        """How much each step is an event, 0 for none: a rise by the height it moves the
        drawn loss curve (so the largest get frames first), an overflow by the whole axis,
        and a region's start or end, a unit lost or a first turn by a fixed 0.02."""
        def starts(mask):
            begun = mask.copy()
            begun[1:] &= ~mask[:-1]
            return begun

        weights = np.zeros(self.steps)
        structural = self.escape | starts(self.flat) | self.died | self.saturating
        if not self.trace.stochastic:
            structural |= starts(self.turned)
        weights[structural] = 0.02
        rises = starts(self.seen_rise) | self.spike
        weights[rises] = np.maximum(weights[rises], self.climb_height[rises])
        weights[self.overflow] = 1.0
        return weights


def no_trend(loss, window: int) -> np.ndarray:
    """For each step t, whether the loss has stopped falling by trend around it: the mean
    of the ``window`` losses after t is within one standard deviation (of the two windows
    together) of the mean of the ``window`` before. Pure jitter has no trend; a loss still
    falling, however noisily, has one.

    >>> rng = np.random.default_rng(0)
    >>> falling = np.linspace(10, 1, 200) + rng.normal(0, 0.1, 200)
    >>> bool(no_trend(falling, 10)[100]), bool(no_trend(np.ones(200) + rng.normal(0, 0.1, 200), 10)[100])
    (False, True)
    """
    loss = np.asarray(loss, dtype=float)
    steps = len(loss) - 1
    if steps < 1:
        return np.zeros(0, dtype=bool)
    finite = np.isfinite(loss)
    values = np.where(finite, loss, 0.0)
    # Window sums from running sums: the whole run at numpy's pace.
    first, second = (np.concatenate([[0.0], np.cumsum(v)]) for v in (values, values**2))
    bad = np.concatenate([[0], np.cumsum(~finite)])
    t = np.arange(steps)
    low, middle, high = np.maximum(0, t - window + 1), t + 1, np.minimum(steps + 1, t + 1 + window)
    n_before, n_after = middle - low, high - middle
    with np.errstate(all="ignore"):
        mean_before = (first[middle] - first[low]) / n_before
        mean_after = (first[high] - first[middle]) / n_after
        n = n_before + n_after
        mean = (first[high] - first[low]) / n
        spread = np.sqrt(np.maximum((second[high] - second[low]) / n - mean**2, 0.0))
        flat = mean_before - mean_after <= spread * (1 + 1e-9) + 1e-300
    return flat & (n_before >= 2) & (n_after >= 2) & (bad[high] == bad[low])
