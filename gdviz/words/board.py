"""The arithmetic board: every number the optimizer used for one update, written out as
a teacher would (the gradient, the optimizer's state, the update rule with the numbers
put in, old and new parameters, the loss change against the tolerance), and on the last
point why the run stopped. Words only: views draw the lines, the app prints them."""
from __future__ import annotations

import numpy as np

from .. import anatomy
from .ending import ending_words
from .i18n import _, again
from .numbers import powers

#: A board shows at most this many parameters: the two the contour shows, and a third.
MAX_ROWS = 3


def _n(value: float) -> str:
    """A number, with negatives in brackets so ``a − η × (−g)`` reads right."""
    text = f"{value:.6g}"
    return f"({text})" if value < 0 else text


def steps_since_last_frame(frames, i: int) -> int:
    """How many iterations separate frame ``i`` from the frame drawn before it (1 when
    every iteration is drawn, 0 for the first frame)."""
    frames = np.asarray(frames)
    position = int(np.searchsorted(frames, i))
    return 0 if position == 0 else int(i - frames[position - 1])


def gradient_meaning(trace, k: int) -> str:
    """What the k-th gradient component is, in words, where the model is simple.

    The blog's loss is ``0.5*sum`` of squared errors, yet it steps along the *mean*
    residual: that is ∂L/∂b ÷ n, and the words say so.
    """
    problem = trace.problem
    convention = getattr(problem, "loss_convention", None)
    if convention is None:
        return ""
    residual = _("residual")  # a word of the formula: said in the language spoken
    if k == 0:
        mean = f"mean({residual})"
    else:
        mean = f"mean({residual} · {powers(problem.feature_symbols()[k - 1])})"
    return f"{mean} = ∂L/∂{trace.param_names[k]} ÷ n" if convention == "blog" else f"2·{mean}"


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append("  " + line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append("  " + line)
    return lines


#: What a hidden number is replaced by on a worksheet's board.
BLANK = "________"


def _blanked(line: str, shown: str) -> str:
    """``line`` with the new value it ends with blanked; an update line of an optimizer
    written generically (``old → new  (step ...)``) with the new value and the step."""
    if line.endswith(f"= {shown}"):
        return line[: -len(shown)] + BLANK
    head, found, _tail = line.partition(f"→ {shown}  (")
    return head + "→ " + BLANK if found else line


class StepBoard:
    """The words of the arithmetic board for a run, without drawing them: ``lines(i)``
    gives (line, parameter) pairs for the step from iteration ``i``, ``parameter`` the
    index of the parameter a line is about (a view colours it) or None.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.Quadratic(), optim.gd(learning_rate=0.1), stop=stop.MaxIter(3))
    >>> StepBoard(trace).lines(0)[6][0]
    'step = −η × g,  η = 0.1'
    """

    def __init__(self, trace, frame_iterations=()):
        self.trace = trace
        self.frame_iterations = frame_iterations
        names = trace.param_names
        if len(names) <= MAX_ROWS:
            self.rows = list(range(len(names)))
        else:
            self.rows = list(anatomy.most_moved(trace.params))  # what the contour shows
        self.optimizer = trace.settings.get("optimizer_name", "")
        self.tolerance = trace.settings.get("tolerance")
        self.hyper = trace.settings.get("hyperparams", {})
        self.rates = anatomy.learning_rates(trace)
        if self.optimizer in ("adam", "adamw") and "first_moment" in trace.state:
            self.m_hat, self.root_v_hat = anatomy.adam_corrected(trace)

    # -- the words ---------------------------------------------------------------------
    def lines(self, i: int, hide_next: bool = False) -> list[tuple[str, int | None]]:
        """(line, parameter) pairs for the step from iteration ``i``; with ``hide_next``,
        the new parameters and the new loss are blanks (``BLANK``) to be filled in."""
        trace = self.trace
        names = trace.param_names
        last = i == trace.iterations
        out = []

        def say(text="", k=None):
            out.append((text, k))

        header = _("iteration {i}").format(i=i) + ("" if last else f" → {i + 1}")
        gap = steps_since_last_frame(self.frame_iterations, i) if len(self.frame_iterations) else 0
        if gap > 1:
            header += "   " + _("(+{gap} steps since the last frame)").format(gap=gap)
        say(header)
        say()
        stochastic = trace.stochastic and not last
        grad = trace.batch_grads[i] if stochastic else trace.grads[i]
        if stochastic:
            say(_("mini-batch gradient g ({count} points):").format(
                count=int(np.sum(trace.batch_indices[i] >= 0))))
        elif getattr(trace.problem, "loss_convention", None) == "blog":
            say(_("the blog's step direction g (loss L = 0.5·sum of squares):"))
        else:
            say(_("gradient g at this point:"))
        for k in self.rows:
            meaning = "" if stochastic else gradient_meaning(trace, k)
            label = f"g_{names[k]}" if meaning else f"∂L/∂{names[k]}"
            say(f"  {label} = {meaning + ' = ' if meaning else ''}{grad[k]:.6g}", k)
        if len(names) > len(self.rows):
            say("  " + _("(the two of the {count} parameters that moved most)").format(
                count=len(names)))
        say()
        if last:
            say(_("loss: {loss}").format(loss=f"{trace.loss[i]:.6g}"))
            say(ending_words(trace))
            for line in _wrap(again(trace.stop_detail), 56):
                say(line)
            return out
        for text, k in self._update_lines(i, grad):
            if hide_next and k is not None:
                text = _blanked(text, f"{trace.params[i + 1][k]:.6g}")
            say(text, k)
        say()
        before, after = trace.loss[i], trace.loss[i + 1]
        change = before - after
        if hide_next:
            say(_("loss: {loss}").format(loss=f"{before:.6g} → {BLANK}"))
            return out
        say(_("loss: {loss}").format(loss=f"{before:.6g} → {after:.6g}"))
        if abs(change) <= 1e-12 * max(abs(before), abs(after), 1e-300):
            verdict = _("unchanged (to rounding)")
        elif change > 0:
            verdict = _("fell by {amount}").format(amount=f"{change:.4g}")
        else:
            verdict = _("rose by {amount}").format(amount=f"{-change:.4g}")
        if self.tolerance is not None:
            tolerance = f"{self.tolerance:g}"
            say("  " + (_("{verdict} > tolerance {tolerance}: keep going") if change > self.tolerance
                        else _("{verdict} ≤ tolerance {tolerance}: stop here")).format(
                verdict=verdict, tolerance=tolerance))
        else:
            say(f"  {verdict}")
        return out

    def _update_lines(self, i: int, g: np.ndarray) -> list[tuple[str, int | None]]:
        trace, names, rows = self.trace, self.trace.param_names, self.rows
        old, new = trace.params[i], trace.params[i + 1]
        rate = self.rates[i]
        eta = f"{rate:.6g}"
        hyper, name = self.hyper, self.optimizer
        decay = hyper.get("weight_decay") or 0
        out: list[tuple[str, int | None]] = []
        if decay and name not in ("adamw",):
            out.append((_("(g includes the weight decay {decay}·θ)").format(decay=f"{decay:g}"),
                        None))
        gd = g + decay * old if name != "adamw" else g
        state = trace.state
        if name in ("gd", "sgd"):
            out.append((_("step = −η × g,  η = {eta}").format(eta=eta), None))
            out += [(f"  {names[k]}: {old[k]:.6g} − {eta} × {_n(gd[k])} = {new[k]:.6g}", k)
                    for k in rows]
        elif name in ("momentum", "nesterov") and "velocity" in state:
            mu = hyper.get("momentum", 0.9)
            v_old, v_new = state["velocity"][i], state["velocity"][i + 1]
            first = i == 0
            out.append((_("η = {eta}, μ = {mu}; velocity v ← μ·v + g").format(eta=eta, mu=f"{mu:g}")
                        + ("  " + _("(first step: v = g)") if first else ""), None))
            out += [(f"  v_{names[k]} = {mu:g} × {_n(v_old[k])} + {_n(gd[k])} = {v_new[k]:.6g}"
                     if not first else f"  v_{names[k]} = {v_new[k]:.6g}", k) for k in rows]
            if name == "momentum":
                out.append((_("step = −η × v"), None))
                out += [(f"  {names[k]}: {old[k]:.6g} − {eta} × {_n(v_new[k])} = {new[k]:.6g}", k)
                        for k in rows]
            else:
                out.append((_("look ahead: step = −η × (g + μ·v)"), None))
                out += [(f"  {names[k]}: {old[k]:.6g} − {eta} × ({gd[k]:.4g} + {mu:g} × "
                         f"{_n(v_new[k])}) = {new[k]:.6g}", k) for k in rows]
        elif name in ("adagrad", "rmsprop") and ("sum_sq_grad" in state or "mean_sq_grad" in state):
            key = "sum_sq_grad" if name == "adagrad" else "mean_sq_grad"
            s_old, s_new = state[key][i], state[key][i + 1]
            eps = hyper.get("eps", 1e-10 if name == "adagrad" else 1e-8)
            if name == "adagrad":
                out.append((_("running sum s ← s + g²"), None))
                out += [(f"  s_{names[k]} = {s_old[k]:.4g} + {_n(gd[k])}² = {s_new[k]:.4g}", k)
                        for k in rows]
            else:
                alpha = hyper.get("alpha", 0.99)
                out.append((_("running average s ← {alpha}·s + {rest}·g²").format(
                    alpha=f"{alpha:g}", rest=f"{1 - alpha:.3g}"), None))
                out += [(f"  s_{names[k]} = {alpha:g} × {s_old[k]:.4g} + {1 - alpha:.3g} × "
                         f"{_n(gd[k])}² = {s_new[k]:.4g}", k) for k in rows]
            out.append((_("each parameter's own rate η/(√s + ε),  η = {eta}").format(eta=eta), None))
            for k in rows:
                own = rate / (np.sqrt(s_new[k]) + eps)
                out.append(("  " + _("{name}: rate {rate}; {sum}").format(
                    name=names[k], rate=f"{own:.4g}",
                    sum=f"{old[k]:.6g} − {own:.4g} × {_n(gd[k])} = {new[k]:.6g}"), k))
        elif name in ("adam", "adamw") and "first_moment" in state:
            beta1, beta2 = hyper.get("betas", (0.9, 0.999))
            t = i + 1
            m, v = state["first_moment"][i + 1], state["second_moment"][i + 1]
            out.append((f"m ← {beta1:g}·m + {1 - beta1:.3g}·g,  v ← {beta2:g}·v + {1 - beta2:.3g}·g²",
                        None))
            out += [(f"  {names[k]}: m = {m[k]:.4g}, v = {v[k]:.4g}", k) for k in rows]
            out.append((_("bias-corrected (step t = {t}): {formula}").format(
                t=t, formula=f"m̂ = m/(1−{beta1:g}^{t}), √v̂ = √(v/(1−{beta2:g}^{t}))"), None))
            out += [(f"  {names[k]}: m̂ = {self.m_hat[i, k]:.4g}, √v̂ = {self.root_v_hat[i, k]:.4g}",
                     k) for k in rows]
            wd = f" + {decay:g}·θ" if name == "adamw" and decay else ""
            out.append((_("step = −η × (m̂/(√v̂ + ε){decay}),  η = {eta}").format(decay=wd, eta=eta),
                        None))
            for k in rows:
                ratio = self.m_hat[i, k] / (self.root_v_hat[i, k] + hyper.get("eps", 1e-8))
                out.append((f"  {names[k]}: {old[k]:.6g} − {eta} × {_n(ratio)}{' − …' if wd else ''}"
                            f" = {new[k]:.6g}", k))
            if t == 1:
                out.append(("  " + _("(first step: m̂/√v̂ = ±1, so each parameter moves by η)"),
                            None))
        else:
            out.append((_("step ({optimizer}):").format(optimizer=name), None))
            out += [("  " + _("{name}: {old} → {new}  (step {step})").format(
                name=names[k], old=f"{old[k]:.6g}", new=f"{new[k]:.6g}",
                step=f"{new[k] - old[k]:+.4g}"), k) for k in rows]
        return out
