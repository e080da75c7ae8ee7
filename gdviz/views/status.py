"""The status strip above the panels: iteration, loss, parameters, and why it stopped.

It has an axes of its own across the top of the figure, so it never covers a panel's
path, data or minimum, and blitting that axes redraws it.
"""
from __future__ import annotations

import numpy as np

from ..report import ending_words, flat_since
from .style import parameter_label


def steps_since_last_frame(frames, i: int) -> int:
    """How many iterations separate frame ``i`` from the frame drawn before it (1 when
    every iteration is drawn, 0 for the first frame)."""
    frames = np.asarray(frames)
    position = int(np.searchsorted(frames, i))
    return 0 if position == 0 else int(i - frames[position - 1])


class StatusStrip:
    """Two lines of words across the top: where the run is now, and what is happening.

    ``notes`` are callables ``note(i) -> str | None`` from the panels (e.g. "the point
    left the panel at ..."); the strip shows them on the second line.
    """

    name = "status"

    def __init__(self, notes=(), max_params: int = 3):
        self.notes = list(notes)
        self.max_params = max_params

    def setup(self, ax, trace, frames) -> None:
        self.trace, self.frames = trace, np.asarray(frames)
        ax.axis("off")
        self.text = ax.text(0.005, 0.5, "", transform=ax.transAxes, va="center", ha="left",
                            fontsize=12, family="monospace", linespacing=1.5,
                            in_layout=False)
        self._width = len(str(trace.iterations))
        self._flat = flat_since(trace)

    def lines(self, i: int) -> list[str]:
        trace = self.trace
        gap = steps_since_last_frame(self.frames, i)
        first = f"iteration {i:>{self._width}} of {trace.iterations}"
        if gap > 1:
            first += f" (+{gap} steps since the last frame)"
        first += f"   loss {trace.loss[i]:.6g}"
        if trace.params.shape[1] <= self.max_params:
            first += "   " + ", ".join(f"{parameter_label(trace, k)} = {value:.4g}"
                                       for k, value in enumerate(trace.params[i]))
        notes = [note for note in (note(i) for note in self.notes) if note]
        if self._flat is not None and self._flat <= i < trace.iterations:
            notes.append(f"flat since iteration {self._flat}: the rest changes almost nothing")
        if i == trace.iterations:
            notes.insert(0, ending_words(trace))
        return [first, "   ".join(notes)]

    def update(self, i: int):
        self.text.set_text("\n".join(self.lines(i)))
        return [self.text]
