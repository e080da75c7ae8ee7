"""The narrator: one sentence per point of a run, saying why the point moves as it does
and what the loss did, from the run's own numbers (``StepFacts``).

Caption ``i < T`` is about the step from ``params[i]`` to ``params[i+1]``; caption ``T``
is how the run ended, in the status strip's words. The facts are computed for the whole
run at once; a sentence is written when it is read (a 100,000-step run has 100,000 of
them, and a picture shows a few dozen).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .ending import ending_words
from .facts import StepFacts
from .i18n import _, again, joined, ngettext
from .numbers import number as _g, signed as _signed

#: A caption is at most about this long (a line under a picture, a subtitle).
MAX_CHARACTERS = 160


class Narrator:
    """The captions of one run, with the kind of each (its sentence, without numbers),
    so a picture knows when the words are new and worth holding.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.Quadratic(), optim.gd(learning_rate=0.3), stop=stop.MaxIter(5))
    >>> Narrator(trace).caption(0)[:60]
    'the loss rose 107.6 → 423.8: the rate 0.3 > 2/L = 0.2, so ea'
    >>> Narrator(trace).kind(0)
    'rose-unstable'
    """

    def __init__(self, trace):
        self.trace = trace
        self.facts = StepFacts.of(trace)
        self.names = trace.param_names

    # -- one step ----------------------------------------------------------------------
    def kind(self, i: int) -> str:
        """Which sentence caption ``i`` is: ``"rose-unstable"``, ``"adam"``, ``"end"``..."""
        return self._say(i)[0]

    def caption(self, i: int) -> str:
        """Caption ``i``: why the point moves from ``params[i]`` (or how the run ended)."""
        return self._say(i)[1]

    def _loss(self, i: int) -> str:
        f = self.facts
        before, after = _g(f.before[i], 4), _g(f.after[i], 4)
        if f.same[i]:
            return _("the loss did not change (to rounding)")
        if before == after:  # too small a change for four digits: say its size
            amount = _g(abs(f.change[i]), 2)
            return (_("the loss rose by {amount} (to {loss})") if f.rose[i]
                    else _("the loss fell by {amount} (to {loss})")).format(amount=amount,
                                                                            loss=after)
        numbers = f"{before} → {after}"
        if f.rose[i]:
            return _("the loss rose {numbers}").format(numbers=numbers)
        return _("the loss fell {numbers}").format(numbers=numbers)

    def _say(self, i: int) -> tuple[str, str]:
        f, trace = self.facts, self.trace
        if i >= f.steps:
            return "end", self._ending()
        if f.overflow[i]:
            return "overflow", _("the step overflowed: the loss became {loss}, past what a "
                                 "float can hold (the values grew without bound)").format(
                loss=f.after[i])
        if f.rose[i]:
            return self._rose(i)
        if f.flat[i]:
            return "flat", _("gradient {gradient}, under half the slope still ahead: "
                             "crawling across a flat region, the step only {step}; "
                             "{loss}").format(
                gradient=f"{f.gradient_norm[i]:.1e}", step=_g(f.step_norm[i], 2),
                loss=self._loss(i))
        if f.died[i]:
            return "died", ngettext(
                "a ReLU unit died in this step: its input is below 0 at every point, so its "
                "gradient is 0 and it stops learning ({dead} dead); {loss}",
                "{count} ReLU units died in this step: their input is below 0 at every point, "
                "so their gradients are 0 ({dead} dead); {loss}",
                int(f.dead[i + 1] - f.dead[i])).format(
                count=int(f.dead[i + 1] - f.dead[i]), dead=int(f.dead[i + 1]),
                loss=self._loss(i))
        if f.saturating[i]:
            return "saturated", _("a unit saturated: its {act} sits at a flat end at 90% of the "
                                  "points, so its slope and its learning are near 0 ({count} "
                                  "saturated); {loss}").format(
                act=self.trace.problem.activation, count=int(f.saturated[i + 1]),
                loss=self._loss(i))
        if f.escape[i]:
            return "escape", _("escaping the flat region: the gradient grew to {gradient}, "
                               "so the steps lengthen ({step}); {loss}").format(
                gradient=_g(f.gradient_norm[i], 2), step=_g(f.step_norm[i], 2),
                loss=self._loss(i))
        name = f.optimizer
        if trace.stochastic:
            return self._stochastic(i)
        if name in ("momentum", "nesterov") and f.memory is not None:
            return self._momentum(i)
        if name in ("adam", "adamw") and "first_moment" in trace.state:
            return self._adam(i)
        if name in ("adagrad", "rmsprop"):
            return self._adaptive(i)
        if name == "gd":
            return self._gradient_descent(i)
        return "step", _("the step is {step} long; {loss}").format(
            step=_g(f.step_norm[i]), loss=self._loss(i))

    def _rose(self, i: int) -> tuple[str, str]:
        f = self.facts
        if f.unstable:
            return "rose-unstable", _("{loss}: the rate {rate} > 2/L = {limit}, so each step "
                                      "overshoots the valley by more than it corrects").format(
                loss=self._loss(i), rate=_g(f.fixed_rate), limit=_g(f.limit))
        if f.outweighed[i]:
            k = f.strongest_push(i)
            return "rose-momentum", _("the momentum μ·v = {memory} outweighed the gradient "
                                      "{gradient} in {name}: the point kept going uphill and "
                                      "{loss}").format(
                memory=_signed(f.memory[i, k]), gradient=_signed(f.gradient[i, k]),
                name=self.names[k], loss=self._loss(i))
        if f.angle is not None:
            return "rose-batch", _("this mini-batch's gradient is {angle}° off the full "
                                   "gradient: the step went partly uphill and {loss}").format(
                angle=f"{f.angle[i]:.0f}", loss=self._loss(i))
        if f.spike[i]:
            return "spike", _("a spike: the step ({step}) overshot and {loss} in one step; "
                              "it comes back down after").format(
                step=_g(f.step_norm[i], 2), loss=self._loss(i))
        zigzag = self._zigzag(i)
        if zigzag is not None:
            k, recent = zigzag
            return "rose-zigzag", _("{name}'s gradient flips and grows ({values}): zigzagging "
                                    "ever wider across a valley; {loss}").format(
                name=self.names[k], values=", ".join(_signed(v) for v in recent),
                loss=self._loss(i))
        if f.optimizer in ("adam", "adamw") and f.regrown[i] > 3:
            numbers = dict(moved=_g(f.largest_move[i], 2), ratio=_g(f.regrown[i], 2),
                           loss=self._loss(i))
            if self._forgot(i):
                return "rose-forgot", _("the step grew back to {moved} ({ratio}× its recent "
                                        "smallest) as √v forgot the larger gradients before; "
                                        "it overshoots and {loss}").format(**numbers)
            if self._steady_sign(i):
                return "rose-regrown", _("the gradient kept its sign, so m/√v rose toward "
                                         "±1 and the step grew to {moved} ({ratio}× its recent "
                                         "smallest): it overshoots and {loss}").format(**numbers)
        if f.optimizer in ("adam", "adamw", "adagrad", "rmsprop"):
            return "rose-adaptive", _("{loss}: the adaptive step ({moved}) overshot the "
                                      "valley floor; its size comes from the rate, not the "
                                      "slope").format(loss=self._loss(i),
                                                      moved=_g(f.largest_move[i], 2))
        return "rose", _("{loss}: the step ({step}) overshot the bottom of the valley").format(
            loss=self._loss(i), step=_g(f.step_norm[i], 2))

    def _forgot(self, i: int) -> bool:
        """Did Adam's √v̂ shrink over the last 50 steps for the parameter that moved most
        (its memory of larger gradients fading), so the normalised step grew?"""
        if "second_moment" not in self.trace.state:
            return False
        if not hasattr(self, "_root_v_hat"):
            from ..anatomy import adam_corrected

            self._root_v_hat = adam_corrected(self.trace)[1]
        k = int(np.nanargmax(np.abs(self.facts.step[i])))
        recent = self._root_v_hat[max(0, i - 50): i + 1, k]
        return bool(recent[-1] < 0.8 * np.nanmax(recent))

    def _zigzag(self, i: int):
        """(parameter, its last three gradients) if the gradient of the parameter that
        moved most has flipped sign at each of the last steps while growing."""
        if i < 3:
            return None
        k = int(np.nanargmax(np.abs(self.facts.step[i])))
        recent = self.trace.grads[i - 2: i + 1, k]
        flips = np.all(recent[1:] * recent[:-1] < 0)
        grows = np.all(np.abs(recent[1:]) > np.abs(recent[:-1]))
        return (k, recent) if flips and grows else None

    def _steady_sign(self, i: int, steps: int = 5) -> bool:
        """Has the gradient of the parameter that moved most kept its sign lately?"""
        k = int(np.nanargmax(np.abs(self.facts.step[i])))
        recent = self.trace.grads[max(0, i - steps + 1): i + 1, k]
        return bool(np.all(recent > 0) or np.all(recent < 0))

    def _gradient_descent(self, i: int) -> tuple[str, str]:
        f = self.facts
        numbers = dict(gradient=_g(f.gradient_norm[i]), step=_g(f.step_norm[i]),
                       loss=self._loss(i))
        if f.turned[i] and not f.flat[i]:
            return "gd-crossed", _("the step crossed the valley floor and points back: "
                                   "step η·|g| = {step}; {loss}").format(**numbers)
        if f.steepness[i] >= 0.3:
            return "gd-steep", _("the slope is steep here (|g| = {gradient}), so the step "
                                 "η·|g| = {step} is long; {loss}").format(**numbers)
        if f.steepness[i] <= 0.03:
            return "gd-gentle", _("the slope is gentle here (|g| = {gradient}), so the step "
                                  "η·|g| = {step} is short; {loss}").format(**numbers)
        return "gd", _("the step is η·|g| = {rate} × {gradient} = {step}; {loss}").format(
            rate=_g(f.rate[i]), **numbers)

    def _stochastic(self, i: int) -> tuple[str, str]:
        f = self.facts
        numbers = dict(angle=f"{f.angle[i]:.0f}", loss=self._loss(i))
        if f.from_end[i] < 0.1:
            return "sgd-jitter", _("near the minimum each mini-batch pulls its own way "
                                   "({angle}° off the full gradient): at a constant rate SGD "
                                   "jitters, never settles; {loss}").format(**numbers)
        return "sgd", _("this mini-batch's gradient is {angle}° off the full gradient, and "
                        "the step follows the batch; {loss}").format(**numbers)

    def _momentum(self, i: int) -> tuple[str, str]:
        f = self.facts
        alone = f.rate[i] * f.gradient_norm[i]
        ratio = f.step_norm[i] / alone if alone > 0 else np.inf
        numbers = dict(ratio=_g(ratio, 2), loss=self._loss(i))
        if i == 0 or not np.any(f.memory[i - 1] if f.optimizer == "nesterov" else f.memory[i]):
            if f.optimizer == "nesterov":
                return "momentum-first", _("the velocity starts at the gradient (v = g) and "
                                           "Nesterov adds its look-ahead μ·v: the first step is "
                                           "(1 + μ)·η·|g| = {step}; {loss}").format(
                    step=_g(f.step_norm[i]), loss=self._loss(i))
            return "momentum-first", _("the velocity starts at the gradient (v = g), so the "
                                       "first step is η·|g| = {step}; {loss}").format(
                step=_g(f.step_norm[i]), loss=self._loss(i))
        if f.optimizer == "nesterov" and f.turned[i]:
            return "nesterov-back", _("Nesterov's look-ahead saw the slope turn: the gradient "
                                      "there points back, so the point doubles back; "
                                      "{loss}").format(**numbers)
        if f.turned[i]:
            return "momentum-turn", _("the gradient has turned the velocity: the point "
                                      "reverses; {loss}").format(**numbers)
        if f.outweighed[i]:
            return "momentum-coast", _("the velocity carries the point against the gradient "
                                       "(it slows: the step is {ratio}× η·|g|); "
                                       "{loss}").format(**numbers)
        if ratio > 1.05:
            return "momentum-build", _("velocity builds: μ·v adds to the gradient, so the "
                                       "step is {ratio}× η·|g| alone; {loss}").format(**numbers)
        if ratio >= 0.95:
            return "momentum-steady", _("the velocity holds steady: the step is {ratio}× "
                                        "η·|g| alone; {loss}").format(**numbers)
        return "momentum-brake", _("the gradient brakes the velocity: the step is {ratio}× "
                                   "η·|g| alone; {loss}").format(**numbers)

    def _adam(self, i: int) -> tuple[str, str]:
        f = self.facts
        moved = float(np.nanmax(np.abs(f.step[i]))) if f.step.shape[1] else 0.0
        numbers = dict(rate=_g(f.rate[i]), moved=_g(moved, 2), loss=self._loss(i))
        if i == 0:
            if f.optimizer == "adamw" and f.hyper.get("weight_decay"):
                return "adam-first", _("AdamW's first step: the corrected m/√v = ±1, plus "
                                       "the decay λ·θ, so each parameter moves by about "
                                       "η = {rate}; {loss}").format(**numbers)
            if np.any(f.gradient[0] == 0):
                return "adam-first", _("Adam's first step: the corrected m/√v = ±1, so "
                                       "every parameter with a slope moves by η = {rate}, "
                                       "however steep; {loss}").format(**numbers)
            return "adam-first", _("Adam's first step: the corrected m/√v = ±1, so every "
                                   "parameter moves by η = {rate}, however steep its slope; "
                                   "{loss}").format(**numbers)
        if moved >= 0.5 * f.rate[i]:
            return "adam", _("Adam's m/√v ≈ ±1 on a steady slope: a parameter moves about "
                             "η = {rate} a step (here {moved}), evenly spaced; "
                             "{loss}").format(**numbers)
        k = int(np.nanargmax(np.abs(f.step[i])))
        recent = self.trace.grads[max(0, i - 10): i + 1, k]
        if np.any(recent > 0) and np.any(recent < 0):
            return "adam-short", _("the gradient in {name} changed sign lately, so m/√v "
                                   "shrinks: the step ({moved}) falls below η = {rate}; "
                                   "{loss}").format(name=self.names[k], **numbers)
        return "adam-fading", _("the gradient is smaller than the ones √v remembers, so the "
                                "step ({moved}) falls below η = {rate}; {loss}").format(**numbers)

    def _adaptive(self, i: int) -> tuple[str, str]:
        f, trace = self.facts, self.trace
        key = "sum_sq_grad" if f.optimizer == "adagrad" else "mean_sq_grad"
        if key not in trace.state:
            return "step", _("the step is {step} long; {loss}").format(
                step=_g(f.step_norm[i]), loss=self._loss(i))
        squares = np.asarray(trace.state[key][i + 1], dtype=float)
        eps = f.hyper.get("eps", 1e-10 if f.optimizer == "adagrad" else 1e-8)
        own = f.rate[i] / (np.sqrt(squares) + eps)
        shown = range(min(2, len(own)))
        rates = ", ".join(f"{self.names[k]} {_g(own[k], 2)}" for k in shown)
        if f.optimizer == "adagrad":
            return "adagrad", _("AdaGrad divides by √(sum of every g²), so its rates only "
                                "shrink: now {rates}; {loss}").format(rates=rates,
                                                                     loss=self._loss(i))
        return "rmsprop", _("RMSprop divides by √(a running mean of g²): rates {rates} follow "
                            "the recent slope; {loss}").format(rates=rates, loss=self._loss(i))

    def _ending(self) -> str:
        """How the run ended: the status strip's words, then the stop rule's own detail
        (the summary's "stopped:" line) or, for an unstable rate, the rate against 2/L."""
        f, trace = self.facts, self.trace
        words = ending_words(trace)
        tail = f.rose[-max(f.steps // 10, 1):] if f.steps else f.rose
        if trace.stop_reason in ("diverged", "non_finite") and f.unstable:
            detail = _("the rate {rate} > 2/L = {limit}").format(rate=_g(f.fixed_rate),
                                                                limit=_g(f.limit))
        elif trace.stochastic and trace.stop_reason == "max_iter" and tail.size \
                and tail.mean() >= 0.2:
            detail = _("the loss still rose on {share} of the last steps: at a constant rate "
                       "the mini-batches never agree, so SGD jitters and never settles").format(
                share=f"{tail.mean():.0%}")
        else:
            detail = again(trace.stop_detail)
        text = joined(words, detail) if detail and detail not in words else words
        return text if len(text) <= MAX_CHARACTERS else words

    # -- several steps at once ---------------------------------------------------------
    def summary(self, first: int, last: int) -> tuple[str, str]:
        """(kind, caption) for the steps from ``first`` to ``last`` drawn as one frame:
        how the loss went, how the steps changed, and the first event among them."""
        f = self.facts
        if last >= f.steps + 1 or first >= last:
            return self._say(min(last, f.steps))
        span = slice(first, last)
        if f.overflow[span].any():
            return self._say(first + int(np.argmax(f.overflow[span])))
        start, end = f.before[first], f.after[last - 1]
        loss = (_("the loss fell {numbers}") if end < start else _("the loss rose {numbers}")
                if end > start else _("the loss stayed {numbers}")).format(
            numbers=f"{_g(start, 4)} → {_g(end, 4)}" if end != start else _g(start, 4))
        steps = f.step_norm[span]
        half = max(len(steps) // 2, 1)
        early, late = np.nanmean(steps[:half]), np.nanmean(steps[half:] if len(steps) > 1 else steps)
        if f.flat[span].mean() > 0.5:
            trend = _("crawling across a flat region (gradient {gradient})"
                                          ).format(gradient=f"{np.nanmean(f.gradient_norm[span]):.1e}")
        elif late < 0.8 * early:
            trend = _("the steps shrink as the slope flattens")
        elif late > 1.25 * early:
            trend = _("the steps grow")
        else:
            trend = _("the steps keep their length")
        head = _("steps {first}–{last}: {loss}; {trend}").format(
            first=first, last=last, loss=loss, trend=trend)
        rose = np.flatnonzero(f.rose[span])
        if rose.size:
            t = first + int(rose[0])
            head = joined(head, _("at step {step} the loss rose {amount}").format(
                step=t, amount=_g(-f.change[t], 2)))
        # One kind for every summary: the sentence is read once, its numbers move on.
        return "summary", head

    def frames(self, iterations) -> list[tuple[str, str]]:
        """(kind, caption) for each frame of an animation drawing ``iterations``: the
        step the frame starts when every step is drawn or that step is an event (a rise, a
        turn, a flat region...), else a summary of the steps since the frame before; the
        last frame says how the run ended."""
        iterations = [int(i) for i in iterations]
        events = set(self.facts.event_steps(most=len(iterations)).tolist())
        out = []
        for position, i in enumerate(iterations):
            previous = iterations[position - 1] if position else None
            if i >= self.facts.steps or previous is None or i - previous <= 1 or i in events:
                out.append(self._say(i))
            else:
                out.append(self.summary(previous, i))
        return out


class Captions(Sequence):
    """``captions(trace)``: a list-like of one caption per point, written when read."""

    def __init__(self, narrator: Narrator):
        self.narrator = narrator

    def __len__(self) -> int:
        return self.narrator.facts.steps + 1

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.narrator.caption(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("caption index out of range")
        return self.narrator.caption(index)

    def __repr__(self) -> str:
        return f"<{len(self)} captions>"


def captions(trace) -> Captions:
    """One caption per point of ``trace`` (``len(trace.loss)``): caption ``i < T`` says why
    the point moves from ``params[i]`` to ``params[i+1]`` and what the loss did; caption
    ``T`` says how the run ended. Each is at most about 160 characters.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.LinearRegression.seed(seed=0),
    ...                   optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01))
    >>> words = gdviz.captions(trace)
    >>> len(words) == len(trace.loss)
    True
    >>> words[0]
    'the slope is steep here (|g| = 69.4), so the step η·|g| = 0.347 is long; the loss fell 227069 → 224666'
    """
    return Captions(Narrator(trace))
