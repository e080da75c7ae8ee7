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

from .ending import ending_words, reason_short
from .lesson import lesson_words
from .facts import ADAPTIVE, StepFacts
from .i18n import _, again, joined, ngettext
from .numbers import number as _g, percent, signed as _signed

#: A caption is at most about this long (a line under a picture, a subtitle).
MAX_CHARACTERS = 100


def change_words(before: float, after: float) -> str:
    """"the loss fell 227069 → 224666", with digits enough to tell the two numbers apart;
    a change under a ten-thousandth of the loss is said by its size ("fell by 3.1e-06 (to
    0.2977)"), never as "0.2977 → 0.2977"."""
    first, last = _g(before, 4), _g(after, 4)
    if first == last:
        amount = _g(abs(after - before), 2)
        return (_("loss rose by {amount} to {loss}") if after > before
                else _("loss fell by {amount} to {loss}")).format(amount=amount,
                                                                        loss=last)
    numbers = f"{first} → {last}"
    if after > before:
        return _("loss rose {numbers}").format(numbers=numbers)
    return _("loss fell {numbers}").format(numbers=numbers)


class Narrator:
    """The captions of one run, with the kind of each (its sentence, without numbers),
    so a picture knows when the words are new and worth holding.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.Quadratic(), optim.gd(learning_rate=0.3), stop=stop.MaxIter(5))
    >>> Narrator(trace).caption(0)
    'loss rose 107.6 → 423.8: rate 0.3 > 2/L = 0.2, so each step overshoots more than it corrects'
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
        if f.same[i]:
            return _("loss unchanged")
        if self._brief:  # the numbers make the caption too long: the direction alone
            return _("loss rose") if f.rose[i] else _("loss fell")
        return change_words(f.before[i], f.after[i])

    _brief = False

    def _say(self, i: int) -> tuple[str, str]:
        """(kind, caption) of step ``i``: with the loss's numbers, or, where they would
        make it longer than ``MAX_CHARACTERS`` (long parameter names), its direction."""
        kind, text = self._compose(i)
        if len(text) > MAX_CHARACTERS:
            self._brief = True
            try:
                kind, text = self._compose(i)
            finally:
                self._brief = False
        return kind, text

    def _compose(self, i: int) -> tuple[str, str]:
        f, trace = self.facts, self.trace
        if i >= f.steps:
            return "end", self._ending()
        if f.overflow[i]:
            return "overflow", _("the step overflowed: the loss became {loss}, past what a "
                                 "float holds").format(loss=f.after[i])
        if f.rose[i]:
            return self._rose(i)
        if f.flat[i]:
            if f.optimizer in ADAPTIVE:  # its crawl is per coordinate: under η/2 in each
                return "flat", _("crawling on a flat stretch (|g| = {gradient}, steeper "
                                 "later): every move ≤ {move}, under η/2; {loss}").format(
                    gradient=f"{f.gradient_norm[i]:.1e}",
                    move=_g(float(np.nanmax(np.abs(f.step[i]))), 2), loss=self._loss(i))
            return "flat", _("crawling on a flat stretch (|g| = {gradient}, steeper later): "
                             "step {step}; {loss}").format(
                gradient=f"{f.gradient_norm[i]:.1e}", step=_g(f.step_norm[i], 2),
                loss=self._loss(i))
        if f.died[i]:
            return "died", ngettext(
                "a ReLU unit died: its input is below 0 at every point, so it stops "
                "learning ({dead} dead); {loss}",
                "{count} ReLU units died: their inputs are below 0 at every point ({dead} "
                "dead); {loss}",
                int(f.dead[i + 1] - f.dead[i])).format(
                count=int(f.dead[i + 1] - f.dead[i]), dead=int(f.dead[i + 1]),
                loss=self._loss(i))
        if f.saturating[i]:
            return "saturated", _("a unit saturated: its {act} is flat at 90% of points, "
                                  "so it barely learns ({count}); {loss}").format(
                act=self.trace.problem.activation, count=int(f.saturated[i + 1]),
                loss=self._loss(i))
        if f.escape[i]:
            return self._escape(i)
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

    def _escape(self, i: int) -> tuple[str, str]:
        f = self.facts
        curvature = self.escape_curvature(i)
        if curvature is not None:
            return "escape-saddle", _("leaving where the surface curves down (λ = "
                                      "{curvature}): offsets along it grow ×{factor} a step, "
                                      "1 + η·|λ|").format(
                curvature=_signed(curvature, 3), factor=_g(1 + f.rate[i] * abs(curvature), 4))
        return "escape", _("leaving the flat stretch: |g| grew from {low} to {gradient}, so "
                           "the steps lengthen; {loss}").format(
            low=_g(f.flat_low[i], 2), gradient=_g(f.gradient_norm[i], 2), loss=self._loss(i))

    def escape_curvature(self, i: int) -> float | None:
        """The most negative curvature λ of the loss where step ``i`` starts, when the
        problem knows its Hessian there, plain GD takes the step and the loss curves down
        (a saddle): GD multiplies the offset along it by 1 + η·|λ| each step."""
        hessian_at = getattr(self.trace.problem, "hessian_at", None)
        if hessian_at is None or self.facts.optimizer != "gd":
            return None
        lowest = float(np.linalg.eigvalsh(hessian_at(self.trace.params[i]))[0])
        return lowest if lowest < 0 else None

    def _rose(self, i: int) -> tuple[str, str]:
        f = self.facts
        if f.unstable:
            return "rose-unstable", _("{loss}: rate {rate} > 2/L = {limit}, so each step "
                                      "overshoots more than it corrects").format(
                loss=self._loss(i), rate=_g(f.fixed_rate), limit=_g(f.limit))
        if not f.seen_rise[i]:
            return "rose-slight", _("{loss}: too little to see on the loss axis").format(
                loss=self._loss(i))
        k = f.climber(i)
        share = percent(f.climb_share(i, k))
        if f.angle is not None:
            if f.uphill[i]:
                return "rose-uphill", _("this batch's step is {angle}° from steepest descent, "
                                        "over 90°: uphill; {loss}").format(
                    angle=f"{f.descent_angle(i):.0f}", loss=self._loss(i))
            if f.past_floor[i]:
                return "rose-batch", _("the batch's step went downhill ({angle}° off steepest "
                                       "descent) but overshot; {loss}").format(
                    angle=f"{f.descent_angle(i):.0f}", loss=self._loss(i))
        if f.outweighed[i] and f.pushing[i, k]:
            return "rose-momentum", _("{loss}, {share} in {name}: μ·v {memory} beat g "
                                      "{gradient}, so it kept going uphill").format(
                memory=_signed(f.memory[i, k]), gradient=_signed(f.gradient[i, k]),
                name=self.names[k], share=share, loss=self._loss(i))
        zigzag = self._zigzag(i)
        if zigzag is not None:
            k, recent = zigzag
            return "rose-zigzag", _("{name}'s gradient flips and grows ({values}): "
                                    "zigzagging wider; {loss}").format(
                name=self.names[k], values=", ".join(_signed(v) for v in recent),
                loss=self._loss(i))
        if f.optimizer in ("adam", "adamw") and "second_moment" in self.trace.state:
            growth = self.adam_growth(i)
            if growth is not None and growth[1] > 3:
                k, ratio, from_root_v, m_ratio = growth
                numbers = dict(moved=_g(abs(f.step[i, k]), 2), ratio=_g(ratio, 2),
                               name=self.names[k], loss=self._loss(i))
                if from_root_v > 0.5:
                    return "rose-forgot", _("{name}'s step grew back ×{ratio} to {moved} as "
                                            "√v̂ forgot larger gradients; {loss}").format(
                        **numbers)
                return "rose-regrown", _("{name}'s step grew back ×{ratio} to {moved}: m̂ "
                                         "grew ×{growth} as gradients agreed; {loss}").format(
                    growth=_g(m_ratio, 2), **numbers)
        if f.past_floor[i]:
            if f.optimizer in ("adam", "adamw", "adagrad", "rmsprop") \
                    and f.largest_move[i] >= 0.5 * f.rate[i]:
                return "rose-adaptive", _("{loss}: the step ({moved}, about η) overshot; its "
                                          "size comes from η, not the slope").format(
                    loss=self._loss(i), moved=_g(f.largest_move[i], 2))
            return "rose", _("{loss}: the step overshot the valley floor ({share} of "
                             "the rise in {name})").format(loss=self._loss(i), share=share,
                                                      name=self.names[k])
        if f.spike[i]:
            return "spike", _("a spike: {loss} in one step ({step} long), then it comes "
                              "back down").format(step=_g(f.step_norm[i], 2),
                                                  loss=self._loss(i))
        return "rose-curved", _("{loss}: the step went downhill at first, then the ground "
                                "rose under it").format(loss=self._loss(i))

    def adam_growth(self, i: int):
        """For Adam's step ``i``: (the coordinate that moved most, how many times its
        recent smallest step this one is, the share of that growth that came from √v̂
        shrinking rather than m̂ growing, how many times m̂ grew), on a log scale:
        step ∝ m̂/√v̂, so log growth = log(m̂ ratio) − log(√v̂ ratio). None before any
        smaller step."""
        f = self.facts
        if not hasattr(self, "_adam_moments"):
            from ..anatomy import adam_corrected

            self._adam_moments = adam_corrected(self.trace)
        m_hat, root_v_hat = self._adam_moments
        k = int(np.nanargmax(np.abs(f.step[i])))
        window = np.abs(f.step[max(0, i - 49): i + 1, k])
        j = max(0, i - 49) + int(np.nanargmin(window))
        if j == i or window.min() <= 0:
            return None
        with np.errstate(all="ignore"):
            m_growth = np.log(abs(m_hat[i, k]) / abs(m_hat[j, k]))
            v_shrink = -np.log(root_v_hat[i, k] / root_v_hat[j, k])
            parts = max(m_growth, 0.0) + max(v_shrink, 0.0)
            share = max(v_shrink, 0.0) / parts if parts > 0 else 0.0
        return k, float(abs(f.step[i, k]) / window.min()), float(share), float(np.exp(m_growth))

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

    def _gradient_descent(self, i: int) -> tuple[str, str]:
        f = self.facts
        numbers = dict(gradient=_g(f.gradient_norm[i]), step=_g(f.step_norm[i]),
                       loss=self._loss(i))
        if f.turned[i] and not f.flat[i]:
            return "gd-crossed", _("the step crossed the valley floor and points back "
                                   "(η·|g| = {step}); {loss}").format(**numbers)
        if getattr(self.trace.problem, "loss_convention", None) == "blog" and f.steepness[i] >= 0.3:
            # The blog steps along the mean residual: the loss's own slope is n times it.
            return "gd-steep", _("steep (mean |g| = {gradient}, the slope ÷ n): step η·|g| = "
                                 "{step} is long; {loss}").format(**numbers)
        if f.steepness[i] >= 0.3:
            return "gd-steep", _("steep here (|g| = {gradient}): the step η·|g| = {step} "
                                 "is long; {loss}").format(**numbers)
        if f.steepness[i] <= 0.03:
            return "gd-gentle", _("gentle here (|g| = {gradient}): the step η·|g| = {step} "
                                  "is short; {loss}").format(**numbers)
        return "gd", _("the step is η·|g| = {rate} × {gradient} = {step}; {loss}").format(
            rate=_g(f.rate[i]), **numbers)

    def _stochastic(self, i: int) -> tuple[str, str]:
        f = self.facts
        numbers = dict(angle=f"{f.angle[i]:.0f}", loss=self._loss(i))
        if f.stalled[i]:
            return "sgd-jitter", _("no trend left: each batch pulls its own way ({angle}° "
                                   "off the full gradient); {loss}").format(**numbers)
        return "sgd", _("this batch's gradient is {angle}° off the full one; the step "
                        "follows it; {loss}").format(**numbers)

    def _momentum(self, i: int) -> tuple[str, str]:
        f = self.facts
        alone = f.rate[i] * f.gradient_norm[i]
        ratio = f.step_norm[i] / alone if alone > 0 else np.inf
        numbers = dict(ratio=_g(ratio, 2), loss=self._loss(i))
        if i == 0 or not np.any(f.memory[i - 1] if f.optimizer == "nesterov" else f.memory[i]):
            if f.optimizer == "nesterov":
                return "momentum-first", _("v = g, plus Nesterov's look-ahead μ·v: first step "
                                           "(1 + μ)·η·|g| = {step}; {loss}").format(step=_g(f.step_norm[i]),
                                                            loss=self._loss(i))
            return "momentum-first", _("the velocity starts at the gradient (v = g): the "
                                       "first step is η·|g| = {step}; {loss}").format(
                step=_g(f.step_norm[i]), loss=self._loss(i))
        if f.optimizer == "nesterov" and f.turned[i]:
            return "nesterov-back", _("Nesterov's look-ahead saw the slope turn: the point "
                                      "doubles back; {loss}").format(**numbers)
        if f.turned[i]:
            return "momentum-turn", _("the gradient has turned the velocity: the point "
                                      "reverses; {loss}").format(**numbers)
        if f.outweighed[i]:
            return "momentum-coast", _("velocity carries it against the gradient (step "
                                       "{ratio}× η·|g|); {loss}").format(**numbers)
        if ratio > 1.05:
            return "momentum-build", _("velocity builds: μ·v adds to g, so the step is "
                                       "{ratio}× η·|g|; {loss}").format(**numbers)
        if ratio >= 0.95:
            return "momentum-steady", _("the velocity holds steady: the step is {ratio}× "
                                        "η·|g|; {loss}").format(**numbers)
        return "momentum-brake", _("the gradient brakes the velocity: the step is {ratio}× "
                                   "η·|g|; {loss}").format(**numbers)

    def _adam(self, i: int) -> tuple[str, str]:
        f = self.facts
        moved = float(np.nanmax(np.abs(f.step[i]))) if f.step.shape[1] else 0.0
        numbers = dict(rate=_g(f.rate[i]), moved=_g(moved, 2), loss=self._loss(i))
        if i == 0:
            if f.optimizer == "adamw" and f.hyper.get("weight_decay"):
                return "adam-first", _("AdamW's first step: m̂/√v̂ = ±1, plus decay λ·θ: "
                                       "each moves about η = {rate}; {loss}").format(**numbers)
            if np.any(f.gradient[0] == 0):
                return "adam-first", _("Adam's first step: m̂/√v̂ = ±1, so each parameter "
                                       "with a slope moves η = {rate}; {loss}").format(**numbers)
            return "adam-first", _("Adam's first step: m̂/√v̂ = ±1, so every parameter "
                                   "moves η = {rate}, however steep; {loss}").format(**numbers)
        if moved >= 0.5 * f.rate[i]:
            return "adam", _("m̂/√v̂ ≈ ±1 on a steady slope: moves about η = {rate} "
                             "(here {moved}); {loss}").format(**numbers)
        k = int(np.nanargmax(np.abs(f.step[i])))
        recent = self.trace.grads[max(0, i - 10): i + 1, k]
        if np.any(recent > 0) and np.any(recent < 0):
            return "adam-short", _("{name}'s gradient changed sign lately: m̂/√v̂ shrinks, "
                                   "step {moved} < η = {rate}; {loss}").format(
                name=self.names[k], **numbers)
        return "adam-fading", _("|g| is below what √v̂ remembers: step {moved} < η = "
                                "{rate}; {loss}").format(**numbers)

    def _adaptive(self, i: int) -> tuple[str, str]:
        f, trace = self.facts, self.trace
        key = "sum_sq_grad" if f.optimizer == "adagrad" else "mean_sq_grad"
        if key not in trace.state:
            return "step", _("the step is {step} long; {loss}").format(
                step=_g(f.step_norm[i]), loss=self._loss(i))
        squares = np.asarray(trace.state[key][i + 1], dtype=float)
        eps = f.hyper.get("eps", 1e-10 if f.optimizer == "adagrad" else 1e-8)
        own = f.rate[i] / (np.sqrt(squares) + eps)
        if len(own) <= 2:
            rates = ", ".join(f"{self.names[k]} {_g(own[k], 2)}" for k in range(len(own)))
        else:
            rates = f"{_g(np.nanmin(own), 2)}–{_g(np.nanmax(own), 2)}"
        if f.optimizer == "adagrad":
            return "adagrad", _("AdaGrad divides by √(sum of all g²): its rates only "
                                "shrink, {rates}; {loss}").format(rates=rates,
                                                                   loss=self._loss(i))
        return "rmsprop", _("RMSprop divides by √(recent mean g²): rates {rates}; "
                            "{loss}").format(rates=rates, loss=self._loss(i))

    def _ending(self) -> str:
        """How the run ended: the status strip's words, then the run's lesson
        (``lesson_words``) or the stop rule's own detail (the summary's "stopped:" line);
        where both will not fit in a caption, the lesson alone."""
        f, trace = self.facts, self.trace
        words = ending_words(trace)
        lesson = lesson_words(trace)
        if lesson is not None:
            detail = lesson
        elif trace.stop_reason in ("diverged", "non_finite") and f.unstable:
            detail = _("the rate {rate} > 2/L = {limit}").format(rate=_g(f.fixed_rate),
                                                                limit=_g(f.limit))
        elif trace.stop_reason == "max_iter" and words == reason_short("max_iter"):
            detail = None  # "stopped at the iteration limit: reached the limit" says nothing
        else:
            detail = again(trace.stop_detail)
        text = joined(words, detail) if detail and detail not in words else words
        if len(text) <= MAX_CHARACTERS:
            return text
        return lesson if lesson is not None and len(lesson) <= MAX_CHARACTERS else words

    # -- several steps at once ---------------------------------------------------------
    def summary(self, first: int, last: int) -> tuple[str, str]:
        """(kind, caption) for the steps from ``first`` to ``last`` drawn as one frame:
        how the loss went, how the steps' length changed and why, and the largest rise
        among them that the loss curve shows."""
        f = self.facts
        if last >= f.steps + 1 or first >= last:
            return self._say(min(last, f.steps))
        span = slice(first, last)
        if f.overflow[span].any():
            return self._say(first + int(np.argmax(f.overflow[span])))
        start, end = f.before[first], f.after[last - 1]
        for brief in (False, True):
            if end == start:
                loss = _("loss stayed {loss}").format(loss=_g(start, 4))
            elif brief:
                loss = _("loss rose") if end > start else _("loss fell")
            else:
                loss = change_words(start, end)
            head = _("steps {first}–{last}: {loss}; {trend}").format(
                first=first, last=last, loss=loss, trend=self.step_trend(first, last)[1])
            seen = np.flatnonzero(f.seen_rise[span])
            if seen.size:
                t = first + int(seen[np.argmax(f.drawn_change[first + seen])])
                head = joined(head, _("it rose at step {step}").format(step=t))
            if len(head) <= MAX_CHARACTERS:
                break
        # One kind for every summary: the sentence is read once, its numbers move on.
        return "summary", head

    def step_trend(self, first: int, last: int) -> tuple[str, str]:
        """(trend, words) of the steps' lengths from ``first`` to ``last``: ``"keep"``
        (every step within ×1.5 of every other), ``"shrink"`` or ``"grow"`` (the last over
        ×1.5 from the first, with the factor a step and its cause), ``"vary"`` or
        ``"crawl"`` (most of them on a flat stretch). A steady trend (every step shorter,
        or longer, than the one before) is said even within ×1.5: GD's steps on a bowl
        shrink by the same factor every step."""
        f = self.facts
        span = slice(first, last)
        if f.flat[span].mean() > 0.5:
            return "crawl", _("crawling on a flat stretch (|g| about {gradient})").format(
                gradient=f"{np.nanmean(f.gradient_norm[span]):.1e}")
        steps = f.step_norm[span]
        low, high = np.nanmin(steps), np.nanmax(steps)
        if not (np.isfinite(low) and np.isfinite(high)) or high <= 0:
            return "vary", _("the point did not move")
        a, b = steps[0], steps[-1]
        factor = (b / a) ** (1 / (len(steps) - 1)) if a > 0 and b > 0 else 1.0
        ratios = steps[1:] / steps[:-1]
        # A trend: the last over ×1.5 from the first, or every step shorter (longer) than
        # the one before, by 3% a step or 15% in all ("×1.01 a step" over three steps says
        # nothing a student could see; ×0.99 over sixteen is GD's bowl flattening).
        steady = len(steps) >= 2 and (np.all(ratios < 1) or np.all(ratios > 1)) \
            and (abs(np.log(factor)) >= np.log(1.03) or abs(np.log(b / a)) >= np.log(1.15))
        if high <= 1.5 * low and not steady:
            return "keep", _("the steps keep their length (about {step})").format(
                step=_g(np.nanmean(steps), 2))
        if not (a > 0 and b > 0 and (b < a / 1.5 or b > 1.5 * a or steady)):
            return "vary", _("the steps vary from {low} to {high}").format(
                low=_g(low, 2), high=_g(high, 2))
        cause = self._trend_cause(first, last, b / a)
        if _g(factor, 3) != "1":
            size = _("×{factor} a step").format(factor=_g(factor, 3))
        else:
            size = _("to {share} of the first").format(share=percent(b / a))
        if b < a:
            words = _("the steps shrink {size}").format(size=size)
        else:
            words = _("the steps grow {size}").format(size=size)
        if cause:
            words = _("{what}, {why}").format(what=words, why=cause)
        return ("shrink" if b < a else "grow"), words

    def _trend_cause(self, first: int, last: int, ratio: float) -> str | None:
        """Why the step's length changed by ``ratio`` from step ``first`` to ``last - 1``,
        when the recorded numbers say: the gradient, the schedule's rate, Adam's m̂/√v̂."""
        f = self.facts
        with np.errstate(all="ignore"):
            rate = f.rate[last - 1] / f.rate[first]
            gradient = f.gradient_norm[last - 1] / f.gradient_norm[first]
        if not (np.isfinite(rate) and rate > 0):
            return None
        # The step's change, split on a log scale: the rate's part and the rest.
        rest = np.log(ratio) - np.log(rate)
        if abs(np.log(rate)) > abs(rest):
            return _("as the schedule lowers η") if rate < 1 else _("as the schedule raises η")
        shrinking = ratio < 1
        if f.optimizer in ("gd", "sgd") and not self.trace.stochastic:
            return _("as |g| shrinks") if shrinking else _("as |g| grows")
        if f.optimizer in ("momentum", "nesterov") and np.isfinite(gradient) \
                and (gradient < 1) == shrinking:
            return _("as |g| shrinks") if shrinking else _("as |g| grows")
        if f.optimizer in ("adam", "adamw"):
            return _("as m̂/√v̂ shrinks") if shrinking else _("as m̂/√v̂ grows")
        if f.optimizer == "adagrad" and shrinking:
            return _("as the sum of g² grows")
        return None

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
    'steep (mean |g| = 69.4, the slope ÷ n): step η·|g| = 0.347 is long; loss fell 227069 → 224666'
    """
    return Captions(Narrator(trace))
