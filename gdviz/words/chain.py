"""The chain rule of one step, with the student's own numbers: backpropagation written
out for one weight of a network (pure numpy, no drawing).

For the weight ``layerL.w[o,i]`` the gradient is a sum over the batch of
``δ · a``: ``δ`` is ∂L/∂z of unit o of layer L (the output's ∂L/∂out, then, going back,
``δ = (Σ_j δ_next[j] · w_next[j,o]) · act'(z)``), and ``a`` is what enters the weight
(input i). ``ChainRule.lines`` writes the terms of the first points, then the sum,
and shows it equal to the trace's gradient.
"""
from __future__ import annotations

import numpy as np

from .i18n import _
from .numbers import signed

#: Points whose terms are written out (the rest are summed).
SHOWN_POINTS = 3


class ChainRule:
    """Backpropagation for the weights of ``trace`` (a network's run)."""

    def __init__(self, trace):
        self.trace, self.problem = trace, trace.problem

    def weights(self) -> np.ndarray:
        """The indices of the parameters that are weights (not biases)."""
        return np.flatnonzero(self.problem.weight_mask())

    def chosen(self, i: int) -> int:
        """The weight the step from ``i`` moves most (the last step's at the end)."""
        trace, weights = self.trace, self.weights()
        k = min(i, trace.iterations - 1)
        if k < 0:
            return int(weights[0])
        change = np.abs(trace.params[k + 1, weights] - trace.params[k, weights])
        if not np.any(np.isfinite(change)):
            return int(weights[0])
        return int(weights[np.nanargmax(change)])

    def where(self, index: int) -> tuple[int, int, int]:
        """(layer from 0, unit o, input i) of the weight at parameter ``index``."""
        at = 0
        sizes = self.problem.sizes
        for layer, (inputs, units) in enumerate(zip(sizes[:-1], sizes[1:])):
            if index < at + units * inputs:
                o, i = divmod(index - at, inputs)
                return layer, o, i
            at += units * (inputs + 1)
        raise ValueError(_("parameter {index} is a bias, not a weight").format(index=index))

    def terms(self, i: int, index: int):
        """Per point: the output's ∂L/∂out, the δ of the weight's unit, what enters the
        weight, and their product (the point's share of the gradient); and the l2 part."""
        problem = self.problem
        params = self.trace.params[i]
        zs, activations = problem.forward(params, problem.X)
        out = activations[-1]
        _loss, d_out = problem._data_loss(out, problem.y)
        layer, o, inp = self.where(index)
        from ..problems.mlp import ACTIVATIONS

        _act, derivative = ACTIVATIONS[problem.activation]
        delta = d_out
        layers = problem.unpack(params)
        for n in range(len(layers) - 1, layer, -1):
            delta = (delta @ layers[n][0]) * derivative(activations[n], zs[n - 1])
        entering = activations[layer][:, inp]
        share = delta[:, o] * entering
        l2 = 2.0 * problem.l2 * params[index] if problem.l2 else 0.0
        return d_out, delta[:, o], entering, share, l2

    def lines(self, i: int, index: int | None = None) -> list[str]:
        """The chain rule for the weight at ``index`` (default: the one the step moves
        most) at iteration ``i``, with the numbers, ending with the trace's gradient."""
        trace, problem = self.trace, self.problem
        index = self.chosen(i) if index is None else index
        name = trace.param_names[index]
        layer, o, inp = self.where(index)
        d_out, delta, entering, share, l2 = self.terms(i, index)
        count = len(share)
        last = len(problem.sizes) - 2
        into = (problem.x_name(inp) if layer == 0
                else _("unit {unit} of layer {layer}").format(unit=inp, layer=layer))
        out = [_("the chain rule for {name} at iteration {i}").format(name=name, i=i), ""]
        out.append(_("∂L/∂{name} = Σ over the {count} points of δ × a").format(
            name=name, count=count))
        out.append("  " + _("a: what enters the weight ({into})").format(into=into))
        if layer == last:
            out.append("  " + _("δ = ∂L/∂out: how the loss changes with the output"))
        else:
            out.append("  " + _("δ = (Σ over the next layer of δ_next × its weight) × "
                                "{act}'(z)").format(act=problem.activation))
            out.append("  " + _("δ_out = ∂L/∂out: how the loss changes with the output"))
        out.append("")
        for n in range(min(SHOWN_POINTS, count)):
            head = _("point {n}").format(n=n + 1)
            if layer == last:
                out.append(f"  {head}: δ = {signed(delta[n], 4)} × a = {entering[n]:.4g}"
                           f" → {signed(share[n], 4)}")
            else:
                out.append(f"  {head}: δ_out = {signed(d_out[n, min(o, d_out.shape[1] - 1)], 3)}"
                           f" … δ = {signed(delta[n], 4)} × a = {entering[n]:.4g}"
                           f" → {signed(share[n], 4)}")
        if count > SHOWN_POINTS:
            out.append("  " + _("… and {more} more points").format(more=count - SHOWN_POINTS))
        total = float(np.sum(share)) + l2
        out.append("")
        if l2:
            out.append(_("sum of the terms {terms} + l2's 2·{l2}·w {extra}").format(
                terms=signed(float(np.sum(share)), 6), l2=f"{problem.l2:g}",
                extra=signed(l2, 4)))
        out.append(_("∂L/∂{name} = {total}").format(name=name, total=signed(total, 6)))
        out.append(_("the trace's gradient:   {gradient}").format(
            gradient=signed(float(trace.grads[i, index]), 6)))
        return out
