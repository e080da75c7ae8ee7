"""The arithmetic of the current update, written out as a teacher would on a board:
every number the optimizer used, for the parameters the contour shows, in their colours."""
from __future__ import annotations

import numpy as np
from matplotlib.transforms import offset_copy

from ..words.board import StepBoard
from ..words.i18n import _
from .base import View
from .style import parameter_colour
from ..words.fonts import MONOSPACE

MAX_LINES = 26


class StepArithmeticView(View):
    """The gradient, the optimizer's state and its update rule with the numbers put in,
    old and new parameters, the loss change against the tolerance, and on the last frame
    why the run stopped. Momentum, Nesterov, AdaGrad, RMSprop and Adam show their state."""

    name = "arithmetic"

    def make_board(self, trace):
        """What writes the lines: ``lines(i)`` gives (line, parameter or None) pairs."""
        return StepBoard(trace, self.frame_iterations)

    def title(self) -> str:
        return _("the arithmetic of this step")

    def setup(self, ax, trace) -> None:
        self.trace = trace
        ax.axis("off")
        ax.set_title(self.title(), fontsize=12)
        self.board = self.make_board(trace)
        # One text per line, each a fixed number of points below the last, so a line can
        # take its parameter's colour; the size lets the longest board fit the panel.
        figure = ax.get_figure(root=True)
        height = ax.get_position().height * figure.get_size_inches()[1] * 72 * 0.85
        longest = max(len(self.board.lines(k))
                      for k in {0, min(1, trace.iterations), trace.iterations})
        size = float(np.clip(height / (1.45 * longest), 6.5, 10.5))
        self.texts = [ax.text(0.0, 1.0, "", va="top", ha="left", family=MONOSPACE,
                              fontsize=size, in_layout=False,
                              transform=offset_copy(ax.transAxes, fig=figure,
                                                    y=-1.45 * size * n, units="points"))
                      for n in range(MAX_LINES)]

    def update(self, i: int):
        lines = self.board.lines(i)[: MAX_LINES]
        lines += [("", None)] * (MAX_LINES - len(lines))
        for text, (line, k) in zip(self.texts, lines):
            text.set_text(line)
            text.set_color("black" if k is None else parameter_colour(k))
        return list(self.texts)

    @property
    def text(self):
        """The whole board as one string."""
        return _Joined(self.texts)


class _Joined:
    """``view.text.get_text()``: the board's coloured texts merged line by line."""

    def __init__(self, texts):
        self.texts = texts

    def get_text(self) -> str:
        return "\n".join(t.get_text() for t in self.texts).rstrip("\n")
