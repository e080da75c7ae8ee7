"""The chain rule of the current step (backpropagation) for one weight of a network,
written out with the run's numbers and ending at the trace's own gradient."""
from __future__ import annotations

from ..words.chain import ChainRule
from ..words.i18n import _
from .arithmetic import StepArithmeticView


class _ChainBoard:
    """``words.chain.ChainRule`` as a board: lines with no parameter colour."""

    def __init__(self, trace):
        self.rule = ChainRule(trace)

    def lines(self, i: int):
        return [(line, None) for line in self.rule.lines(i)]


class ChainRuleView(StepArithmeticView):
    """Backpropagation for the weight the step moves most: each point's δ × a, their
    sum, and the trace's gradient beside it."""

    name = "chain"

    @classmethod
    def supports(cls, trace) -> bool:
        return trace.problem is not None and hasattr(trace.problem, "weight_mask")

    def make_board(self, trace):
        return _ChainBoard(trace)

    def title(self) -> str:
        return _("backpropagation: the chain rule of this step")
