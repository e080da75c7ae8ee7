"""The arithmetic of the current update, written out as a teacher would on a board."""
from __future__ import annotations

import numpy as np

from ..report import REASON_SHORT
from .base import View

MAX_ROWS = 3


def _n(value: float) -> str:
    """A number, with negatives in brackets so ``a − η × (−g)`` reads right."""
    text = f"{value:.6g}"
    return f"({text})" if value < 0 else text


def gradient_meaning(trace, k: int) -> str:
    """What the k-th gradient component is, in words, where the model is simple."""
    problem = trace.problem
    convention = getattr(problem, "loss_convention", None)
    if convention is None:
        return ""
    factor = "" if convention == "blog" else "2·"
    if k == 0:
        return f"= {factor}mean(residual)"
    degree = getattr(problem, "degree", None)
    if degree is not None:
        power = "x" if k == 1 else f"x^{k}"
    else:
        power = "x" if problem.n_features == 1 else f"x{k}"
    return f"= {factor}mean(residual · {power})"


class StepArithmeticView(View):
    """Gradient, learning rate times gradient, old and new parameters, the loss change
    against the tolerance, and on the last frame why the run stopped."""

    name = "arithmetic"
    show_status = False

    def setup(self, ax, trace) -> None:
        self.trace = trace
        ax.axis("off")
        ax.set_title("the arithmetic of this step", fontsize=12)
        self.text = ax.text(0.0, 0.98, "", transform=ax.transAxes, va="top", ha="left",
                            family="monospace", fontsize=11)
        self.optimizer = trace.settings.get("optimizer_name", "")
        self.tolerance = trace.settings.get("tolerance")
        self.rows = min(MAX_ROWS, len(trace.param_names))

    def update(self, i: int):
        self.text.set_text("\n".join(self.lines(i)))
        return [self.text]

    def lines(self, i: int) -> list[str]:
        trace = self.trace
        names = trace.param_names
        last = i == trace.iterations
        lines = [f"iteration {i}" + ("" if last else f" → {i + 1}"), ""]
        grad = trace.grads[i]
        used = trace.batch_grads[i] if trace.stochastic and not last else grad
        label = "mini-batch gradient" if trace.stochastic and not last else "gradient"
        lines.append(f"{label} at this point:")
        for k in range(self.rows):
            lines.append(f"  ∂L/∂{names[k]} {gradient_meaning(trace, k)} = {used[k]:.6g}"
                         if not trace.stochastic or last else f"  ∂L/∂{names[k]} = {used[k]:.6g}")
        if len(names) > self.rows:
            lines.append(f"  ... and {len(names) - self.rows} more")
        lines.append("")
        if last:
            lines.append(f"loss: {trace.loss[i]:.6g}")
            lines.append(REASON_SHORT.get(trace.stop_reason, trace.stop_reason))
            lines.extend(_wrap(trace.stop_detail, 52))
            return lines
        old, new = trace.params[i], trace.params[i + 1]
        lines.extend(self._update_lines(i, used, old, new))
        lines.append("")
        before, after = trace.loss[i], trace.loss[i + 1]
        change = before - after
        lines.append(f"loss: {before:.6g} → {after:.6g}")
        verdict = "fell" if change >= 0 else "ROSE"
        if self.tolerance is not None:
            keep = "keep going" if change > self.tolerance else "stop here"
            relation = ">" if change > self.tolerance else "≤"
            lines.append(f"  {verdict} by {abs(change):.4g} {relation} tolerance "
                         f"{self.tolerance:g}: {keep}")
        else:
            lines.append(f"  {verdict} by {abs(change):.4g}")
        return lines

    def _update_lines(self, i, used, old, new) -> list[str]:
        trace = self.trace
        names = trace.param_names
        rows = range(self.rows)
        step = new - old
        hyperparams = trace.settings.get("hyperparams", {})
        if self.optimizer in ("gd", "sgd") and not hyperparams.get("weight_decay"):
            rate = _rate(step, used)
            lines = [f"step = −η × gradient,  η = {rate:.6g}"]
            lines += [f"  {names[k]}: {old[k]:.6g} − {rate:.6g} × {_n(used[k])} = {new[k]:.6g}"
                      for k in rows]
            return lines
        if "velocity" in trace.state and self.optimizer in ("momentum", "nesterov"):
            velocity = trace.state["velocity"][i + 1]
            mu = hyperparams.get("momentum", 0.9)
            lines = [f"velocity v ← {mu:g}·v + gradient" + (" (the first step: v = gradient)"
                                                            if i == 0 else "")]
            lines += [f"  v_{names[k]} = {velocity[k]:.6g}" for k in rows]
            what = "gradient + μ·v" if self.optimizer == "nesterov" else "v"
            lines.append(f"step = −η × ({what})")
            lines += [f"  {names[k]}: {old[k]:.6g} → {new[k]:.6g}  (step {step[k]:+.4g})"
                      for k in rows]
            return lines
        if "first_moment" in trace.state:
            m = trace.state["first_moment"][i + 1]
            v = trace.state["second_moment"][i + 1]
            lines = ["m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²",
                     "step = −η · m̂ / (√v̂ + ε)  (m̂, v̂: bias-corrected)"]
            lines += [f"  {names[k]}: m = {m[k]:.4g}, v = {v[k]:.4g}: "
                      f"{old[k]:.6g} → {new[k]:.6g}" for k in rows]
            return lines
        lines = [f"step ({self.optimizer}):"]
        lines += [f"  {names[k]}: {old[k]:.6g} → {new[k]:.6g}  (step {step[k]:+.4g})"
                  for k in rows]
        return lines


def _rate(step: np.ndarray, grad: np.ndarray) -> float:
    """The learning rate of a plain step, read back from the step itself (so a
    schedule shows its current value)."""
    k = int(np.argmax(np.abs(grad)))
    return float(-step[k] / grad[k]) if grad[k] else float("nan")


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
