"""The arithmetic of the current update, written out as a teacher would on a board:
every number the optimizer used, for the parameters the contour shows, in their colours."""
from __future__ import annotations

import numpy as np
from matplotlib.transforms import offset_copy

from .. import anatomy
from ..report import ending_words
from .base import View
from .contour import most_moved
from .status import steps_since_last_frame
from .style import parameter_colour

MAX_ROWS = 3
MAX_LINES = 26


def _n(value: float) -> str:
    """A number, with negatives in brackets so ``a − η × (−g)`` reads right."""
    text = f"{value:.6g}"
    return f"({text})" if value < 0 else text


def gradient_meaning(trace, k: int) -> str:
    """What the k-th gradient component is, in words, where the model is simple.

    The blog's loss is ``0.5*sum`` of squared errors, yet it steps along the *mean*
    residual: that is ∂L/∂b ÷ n, and the words say so.
    """
    problem = trace.problem
    convention = getattr(problem, "loss_convention", None)
    if convention is None:
        return ""
    if k == 0:
        mean = "mean(residual)"
    else:
        mean = f"mean(residual · {problem.feature_symbols()[k - 1]})"
    return f"{mean} = ∂L/∂{trace.param_names[k]} ÷ n" if convention == "blog" else f"2·{mean}"


class StepArithmeticView(View):
    """The gradient, the optimizer's state and its update rule with the numbers put in,
    old and new parameters, the loss change against the tolerance, and on the last frame
    why the run stopped. Momentum, Nesterov, AdaGrad, RMSprop and Adam show their state."""

    name = "arithmetic"

    def setup(self, ax, trace) -> None:
        self.trace = trace
        ax.axis("off")
        ax.set_title("the arithmetic of this step", fontsize=12)
        self.board = StepBoard(trace, self.frame_iterations)
        # One text per line, each a fixed number of points below the last, so a line can
        # take its parameter's colour; the size lets the longest board fit the panel.
        figure = ax.get_figure(root=True)
        height = ax.get_position().height * figure.get_size_inches()[1] * 72 * 0.85
        longest = max(len(self.board.lines(k))
                      for k in {0, min(1, trace.iterations), trace.iterations})
        size = float(np.clip(height / (1.45 * longest), 6.5, 10.5))
        self.texts = [ax.text(0.0, 1.0, "", va="top", ha="left", family="monospace",
                              fontsize=size, in_layout=False,
                              transform=offset_copy(ax.transAxes, fig=figure,
                                                    y=-1.45 * size * n, units="points"))
                      for n in range(MAX_LINES)]

    def update(self, i: int):
        lines = self.board.lines(i)[: MAX_LINES]
        lines += [("", None)] * (MAX_LINES - len(lines))
        for text, (line, colour) in zip(self.texts, lines):
            text.set_text(line)
            text.set_color(colour or "black")
        return list(self.texts)

    @property
    def text(self):
        """The whole board as one string."""
        return _Joined(self.texts)


class StepBoard:
    """The words of the arithmetic board for a run, without drawing them: ``lines(i)``
    gives (line, colour) pairs for the step from iteration ``i``. The view draws them with
    matplotlib; the app shows them in the page."""

    def __init__(self, trace, frame_iterations=()):
        self.trace = trace
        self.frame_iterations = frame_iterations
        names = trace.param_names
        if len(names) <= MAX_ROWS:
            self.rows = list(range(len(names)))
        else:
            self.rows = list(most_moved(trace.params))  # what the contour shows
        self.optimizer = trace.settings.get("optimizer_name", "")
        self.tolerance = trace.settings.get("tolerance")
        self.hyper = trace.settings.get("hyperparams", {})
        self.rates = anatomy.learning_rates(trace)
        if self.optimizer in ("adam", "adamw") and "first_moment" in trace.state:
            self.m_hat, self.root_v_hat = anatomy.adam_corrected(trace)

    # -- the words ---------------------------------------------------------------------
    def lines(self, i: int) -> list[tuple[str, str | None]]:
        """(line, colour) pairs; a parameter's rows are in its colour."""
        trace = self.trace
        names = trace.param_names
        last = i == trace.iterations
        out = []

        def say(text="", k=None):
            out.append((text, None if k is None else parameter_colour(k)))

        header = f"iteration {i}" + ("" if last else f" → {i + 1}")
        gap = steps_since_last_frame(self.frame_iterations, i) if len(self.frame_iterations) else 0
        if gap > 1:
            header += f"   (+{gap} steps since the last frame)"
        say(header)
        say()
        stochastic = trace.stochastic and not last
        grad = trace.batch_grads[i] if stochastic else trace.grads[i]
        if stochastic:
            say(f"mini-batch gradient g ({int(np.sum(trace.batch_indices[i] >= 0))} points):")
        elif getattr(trace.problem, "loss_convention", None) == "blog":
            say("the blog's step direction g (loss L = 0.5·sum of squares):")
        else:
            say("gradient g at this point:")
        for k in self.rows:
            meaning = "" if stochastic else gradient_meaning(trace, k)
            label = f"g_{names[k]}" if meaning else f"∂L/∂{names[k]}"
            say(f"  {label} = {meaning + ' = ' if meaning else ''}{grad[k]:.6g}", k)
        if len(names) > len(self.rows):
            say(f"  (showing the contour's two of {len(names)} parameters)")
        say()
        if last:
            say(f"loss: {trace.loss[i]:.6g}")
            say(ending_words(trace))
            for line in _wrap(trace.stop_detail, 56):
                say(line)
            return out
        for text, k in self._update_lines(i, grad):
            say(text, k)
        say()
        before, after = trace.loss[i], trace.loss[i + 1]
        change = before - after
        say(f"loss: {before:.6g} → {after:.6g}")
        if abs(change) <= 1e-12 * max(abs(before), abs(after), 1e-300):
            verdict = "unchanged (to rounding)"
        else:
            verdict = f"{'fell' if change > 0 else 'rose'} by {abs(change):.4g}"
        if self.tolerance is not None:
            keep = change > self.tolerance
            say(f"  {verdict} {'>' if keep else '≤'} tolerance {self.tolerance:g}: "
                f"{'keep going' if keep else 'stop here'}")
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
            out.append((f"(g includes the weight decay {decay:g}·θ)", None))
        gd = g + decay * old if name != "adamw" else g
        state = trace.state
        if name in ("gd", "sgd"):
            out.append((f"step = −η × g,  η = {eta}", None))
            out += [(f"  {names[k]}: {old[k]:.6g} − {eta} × {_n(gd[k])} = {new[k]:.6g}", k)
                    for k in rows]
        elif name in ("momentum", "nesterov") and "velocity" in state:
            mu = hyper.get("momentum", 0.9)
            v_old, v_new = state["velocity"][i], state["velocity"][i + 1]
            first = i == 0
            out.append((f"η = {eta}, μ = {mu:g}; velocity v ← μ·v + g"
                        + ("  (first step: v = g)" if first else ""), None))
            out += [(f"  v_{names[k]} = {mu:g} × {_n(v_old[k])} + {_n(gd[k])} = {v_new[k]:.6g}"
                     if not first else f"  v_{names[k]} = {v_new[k]:.6g}", k) for k in rows]
            if name == "momentum":
                out.append(("step = −η × v", None))
                out += [(f"  {names[k]}: {old[k]:.6g} − {eta} × {_n(v_new[k])} = {new[k]:.6g}", k)
                        for k in rows]
            else:
                out.append(("look ahead: step = −η × (g + μ·v)", None))
                out += [(f"  {names[k]}: {old[k]:.6g} − {eta} × ({gd[k]:.4g} + {mu:g} × "
                         f"{_n(v_new[k])}) = {new[k]:.6g}", k) for k in rows]
        elif name in ("adagrad", "rmsprop") and ("sum_sq_grad" in state or "mean_sq_grad" in state):
            key = "sum_sq_grad" if name == "adagrad" else "mean_sq_grad"
            s_old, s_new = state[key][i], state[key][i + 1]
            eps = hyper.get("eps", 1e-10 if name == "adagrad" else 1e-8)
            if name == "adagrad":
                out.append(("running sum s ← s + g²", None))
                out += [(f"  s_{names[k]} = {s_old[k]:.4g} + {_n(gd[k])}² = {s_new[k]:.4g}", k)
                        for k in rows]
            else:
                alpha = hyper.get("alpha", 0.99)
                out.append((f"running average s ← {alpha:g}·s + {1 - alpha:.3g}·g²", None))
                out += [(f"  s_{names[k]} = {alpha:g} × {s_old[k]:.4g} + {1 - alpha:.3g} × "
                         f"{_n(gd[k])}² = {s_new[k]:.4g}", k) for k in rows]
            out.append((f"each parameter's own rate η/(√s + ε),  η = {eta}", None))
            for k in rows:
                own = rate / (np.sqrt(s_new[k]) + eps)
                out.append((f"  {names[k]}: rate {own:.4g}; {old[k]:.6g} − {own:.4g} × "
                            f"{_n(gd[k])} = {new[k]:.6g}", k))
        elif name in ("adam", "adamw") and "first_moment" in state:
            beta1, beta2 = hyper.get("betas", (0.9, 0.999))
            t = i + 1
            m, v = state["first_moment"][i + 1], state["second_moment"][i + 1]
            out.append((f"m ← {beta1:g}·m + {1 - beta1:.3g}·g,  v ← {beta2:g}·v + {1 - beta2:.3g}·g²",
                        None))
            out += [(f"  {names[k]}: m = {m[k]:.4g}, v = {v[k]:.4g}", k) for k in rows]
            out.append((f"bias-corrected (step t = {t}): m̂ = m/(1−{beta1:g}^{t}), "
                        f"√v̂ = √(v/(1−{beta2:g}^{t}))", None))
            out += [(f"  {names[k]}: m̂ = {self.m_hat[i, k]:.4g}, √v̂ = {self.root_v_hat[i, k]:.4g}",
                     k) for k in rows]
            wd = f" + {decay:g}·θ" if name == "adamw" and decay else ""
            out.append((f"step = −η × (m̂/(√v̂ + ε){wd}),  η = {eta}", None))
            for k in rows:
                ratio = self.m_hat[i, k] / (self.root_v_hat[i, k] + hyper.get("eps", 1e-8))
                out.append((f"  {names[k]}: {old[k]:.6g} − {eta} × {_n(ratio)}{' − …' if wd else ''}"
                            f" = {new[k]:.6g}", k))
            if t == 1:
                out.append(("  (first step: m̂/√v̂ = ±1, so each parameter moves by η)", None))
        else:
            out.append((f"step ({name}):", None))
            out += [(f"  {names[k]}: {old[k]:.6g} → {new[k]:.6g}  (step {new[k] - old[k]:+.4g})", k)
                    for k in rows]
        return out


class _Joined:
    """``view.text.get_text()``: the board's coloured texts merged line by line."""

    def __init__(self, texts):
        self.texts = texts

    def get_text(self) -> str:
        return "\n".join(t.get_text() for t in self.texts).rstrip("\n")


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
