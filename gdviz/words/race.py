"""The narrator of a race: for each frame of several runs drawn together, who leads and
by how much, and why, from the runs' own facts (each run's ``Narrator``): a rise the
loss curve shows, a run that ended, a flat stretch, or what the leader's own step is.
"""
from __future__ import annotations

import numpy as np

from .captions import MAX_CHARACTERS, Narrator
from .i18n import _, joined
from .numbers import number as _g


def short_label(labels: list[str]) -> list[str]:
    """Each run's name as its curve is labelled: the label before its first comma
    (``"adam"`` for ``"adam, lr 0.05"``), or the whole label where two would read alike."""
    short = [label.split(",")[0].strip() for label in labels]
    return short if len(set(short)) == len(short) else list(labels)


class RaceNarrator:
    """Captions of a race's frames.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> p = problems.Quadratic(condition=10)
    >>> runs = [gdviz.run(p, optim.gd(learning_rate=0.02), stop=stop.MaxIter(40)),
    ...         gdviz.run(p, optim.adam(learning_rate=0.5), stop=stop.MaxIter(40))]
    >>> said = RaceNarrator(runs, ["gd", "adam"]).frames([0, 20, 40])
    >>> said[0][1]
    '2 runs start together at loss 107.6'
    """

    def __init__(self, traces, labels):
        self.traces = list(traces)
        self.names = short_label(list(labels))
        self.narrators = [Narrator(trace) for trace in self.traces]

    def _at(self, r: int, i: int) -> int:
        return min(int(i), self.traces[r].iterations)

    def losses(self, i: int) -> np.ndarray:
        return np.array([trace.loss[self._at(r, i)] for r, trace in enumerate(self.traces)])

    def lead(self, i: int) -> tuple[int, str] | None:
        """(the leading run, by how much in words) at iteration ``i``: the lowest finite
        loss, by the ratio to the next (on positive losses) or the difference."""
        losses = self.losses(i)
        finite = np.flatnonzero(np.isfinite(losses))
        if len(finite) < 2:
            return None
        order = finite[np.argsort(losses[finite])]
        best, second = losses[order[0]], losses[order[1]]
        if second == best:
            return None
        if best > 0:
            ratio = second / best
            if ratio < 1.01:
                return None
            margin = _("×{ratio}").format(ratio=f"{ratio:.2g}" if ratio >= 100 else _g(ratio, 3 if ratio < 10 else 2))
        else:
            margin = _g(second - best, 2)
        return int(order[0]), _("{name} leads by {margin}").format(name=self.names[order[0]],
                                                                   margin=margin)

    def second(self, i: int) -> int:
        """The run with the second lowest finite loss at iteration ``i``."""
        losses = self.losses(i)
        finite = np.flatnonzero(np.isfinite(losses))
        return int(finite[np.argsort(losses[finite])][min(1, len(finite) - 1)])

    def event(self, r: int, first: int, last: int) -> tuple[float, str, str] | None:
        """(weight, kind, words) of the most visible thing run ``r`` did in its steps
        ``first`` to ``last``: it ended (diverged or stopped), or its loss rose by a height
        the curve shows, or it crawled on a flat stretch."""
        trace, narrator = self.traces[r], self.narrators[r]
        facts, name = narrator.facts, self.names[r]
        a, b = self._at(r, first), self._at(r, last)
        if a < trace.iterations <= b and trace.iterations > 0:
            if trace.stop_reason in ("diverged", "non_finite"):
                if facts.unstable:
                    return 1.0, "diverged", _("{name} diverged at {end}: its rate {rate} > "
                                             "2/L = {limit}").format(
                        name=name, end=trace.iterations, rate=_g(facts.fixed_rate),
                        limit=_g(facts.limit))
                return 1.0, "diverged", _("{name} diverged at {end}").format(
                    name=name, end=trace.iterations)
            if trace.stop_reason in ("converged", "grad_norm"):
                return 0.5, "ended", _("{name} converged at {end}, loss {loss}").format(
                    name=name, end=trace.iterations, loss=_g(trace.loss[-1], 4))
        if b <= a:
            return None
        span = slice(a, b)
        begun = facts.seen_rise.copy()  # the first step of each climb the curve shows
        begun[1:] &= ~facts.rose[:-1]
        seen = np.flatnonzero(begun[span])
        if seen.size:
            t = a + int(seen[np.argmax(facts.climb_height[a + seen])])
            start = t
            while start > 0 and facts.rose[start - 1]:
                start -= 1
            end = t  # as far as this frame shows: the frame says no loss it has not drawn
            while end + 1 < min(facts.steps, b) and facts.rose[end + 1]:
                end += 1
            return (float(facts.climb_height[t]), "rose",
                    _("{name} overshoots (loss rose {before} → {after})").format(
                        name=name, before=_g(facts.before[start], 3), after=_g(facts.after[end], 3)))
        if facts.flat[span].mean() > 0.5:
            return 0.02, "flat", _("{name} crawls on a flat stretch (|g| about {gradient})").format(
                name=name, gradient=f"{np.nanmean(facts.gradient_norm[span]):.0e}")
        return None

    def why(self, r: int, i: int, leader: bool = False) -> str | None:
        """Why run ``r`` moves as it does at iteration ``i``, from its own step's kind
        (said of "it" for the leader, whose name the sentence has just said)."""
        trace, narrator = self.traces[r], self.narrators[r]
        k = self._at(r, i)
        if k >= trace.iterations:
            return None
        facts, name, kind = narrator.facts, self.names[r], narrator.kind(k)
        if kind in ("adam", "adam-first"):
            words = (_("it moves about η = {rate} a step") if leader
                     else _("{name} moves about η = {rate} a step"))
            return words.format(name=name, rate=_g(facts.rate[k]))
        if kind in ("adam-short", "adam-fading"):
            return (_("its m̂/√v̂ shrinks its steps below η") if leader
                    else _("{name}'s m̂/√v̂ shrinks its steps below η")).format(name=name)
        if kind.startswith("gd"):
            words = _("its step η·|g| = {step}") if leader else _("{name}'s step η·|g| = {step}")
            return words.format(name=name, step=_g(facts.step_norm[k], 2))
        if kind.startswith(("momentum", "nesterov")):
            alone = facts.rate[k] * facts.gradient_norm[k]
            if alone > 0:
                words = (_("its velocity makes its step {ratio}× η·|g|") if leader
                         else _("{name}'s velocity makes its step {ratio}× η·|g|"))
                return words.format(name=name, ratio=_g(facts.step_norm[k] / alone, 2))
        if kind == "adagrad":
            return (_("its rates only shrink") if leader
                    else _("{name}'s rates only shrink")).format(name=name)
        if kind == "rmsprop":
            return (_("it divides by √(recent mean g²)") if leader
                    else _("{name} divides by √(recent mean g²)")).format(name=name)
        if kind == "flat":
            return (_("it crawls on a flat stretch") if leader
                    else _("{name} crawls on a flat stretch")).format(name=name)
        return None

    def caption(self, i: int, previous: int | None, last: bool) -> tuple[str, str]:
        losses = self.losses(i)
        if previous is None:
            start = losses[np.isfinite(losses)]
            if start.size and np.allclose(start, start[0]):
                return "race-start", _("{count} runs start together at loss {loss}").format(
                    count=len(self.traces), loss=_g(start[0], 4))
            return "race-start", _("{count} runs start").format(count=len(self.traces))
        lead = self.lead(i)
        events = [found + (r,) for r in range(len(self.traces))
                  if (found := self.event(r, previous, i)) is not None]
        event = max(events, key=lambda e: e[0]) if events else None
        parts, kind = [], "race"
        if event is not None:
            parts.append(event[2])
            kind = f"race-{event[1]}-{event[3]}"
        if lead is not None:
            leader, words = lead
            reason = (None if (event is not None and event[3] == leader)
                      else self.why(leader, i, leader=True))
            parts.append(_("{lead}: {why}").format(lead=words, why=reason) if reason else words)
            if event is None:
                kind = f"race-lead-{leader}"
                # ... and why the next one trails, where it has a reason of its own.
                trailing = self.why(self.second(i), i)
                if trailing:
                    parts.append(trailing)
        elif not parts:
            parts.append(_("the runs are level"))
        if last:
            kind = "race-end"
            if lead is not None:
                best, second = self.losses(i)[lead[0]], self.losses(i)[self.second(i)]
                parts = [event[2]] if event is not None else []
                parts.append(_("{name} ends lowest, loss {loss}; next {other} at {second}").format(
                    name=self.names[lead[0]], loss=_g(best, 3),
                    other=self.names[self.second(i)], second=_g(second, 3)))
        text = joined(*parts)
        while len(text) > MAX_CHARACTERS and len(parts) > 1:  # drop the last said first
            parts = parts[:-1]
            text = joined(*parts)
        if len(text) > MAX_CHARACTERS and lead is not None:
            text = lead[1]
        return kind, text

    def frames(self, iterations) -> list[tuple[str, str]]:
        """(kind, caption) for each frame of a race drawing ``iterations``; a kind is new
        when the leader changes or a run does something the picture shows."""
        iterations = [int(i) for i in iterations]
        return [self.caption(i, iterations[n - 1] if n else None, n == len(iterations) - 1)
                for n, i in enumerate(iterations)]
