"""The status strip above the panels: iteration, loss, parameters, and why it stopped.

It has an axes of its own across the top of the figure, so it never covers a panel's
path, data or minimum, and blitting that axes redraws it.
"""
from __future__ import annotations

import re

import numpy as np
from matplotlib.transforms import offset_copy

from ..words.board import steps_since_last_frame
from ..words.ending import ending_in_brief, ending_words, flat_since, settled_words
from ..words.i18n import _, joined, language
from ..words import widths
from .style import CAPTION, parameter_label
from ..words.fonts import MONOSPACE


def iteration_words(frames, i: int, last: int) -> str:
    """``"iteration  40 of 200 (+15 steps since the last frame)"``: where a frame is
    (第 40 次迭代（共 200 次；距上一帧 15 次迭代）: one bracket in Chinese)."""
    gap = steps_since_last_frame(frames, i)
    words = (_("iteration {i} of {last} (+{gap} steps since the last frame)") if gap > 1
             else _("iteration {i} of {last}"))
    if language() == "en":  # a counter: the number right-aligned in its place
        return words.format(i=f"{i:>{len(str(last))}}", last=last, gap=gap)
    # 第 0 次迭代, never 第    0 次迭代: the padding after the words
    return widths.pad(words.format(i=i, last=last, gap=gap),
                      widths.width(words.format(i=last, last=last, gap=gap)))


def _said_in(note: str, caption: str) -> bool:
    """Whether ``caption`` says ``note``: its words before any bracket or colon, when they
    are a phrase (a dozen columns or more), appear in the caption."""
    gist = re.split(r"[(:：（]", note, maxsplit=1)[0].strip()
    return widths.width(gist) >= 12 and gist in caption  # a Chinese character is two columns


class StatusStrip:
    """Words across the top: where the run is now and what is happening (two lines), then
    the narrator's caption of the frame (why the point moves, ``gdviz.words``), wrapped
    to the figure's width.

    ``notes`` are callables ``note(i) -> str | None`` from the panels (e.g. "the point
    left the panel at ..."); the strip shows them on the second line.
    """

    name = "status"
    #: Inches of strip: two status lines and up to two lines of caption.
    INCHES = 1.2

    def __init__(self, notes=(), max_params: int = 3):
        self.notes = list(notes)
        self.max_params = max_params

    def setup(self, ax, trace, frames) -> None:
        from ..words import Narrator

        self.trace, self.frames = trace, np.asarray(frames)
        ax.axis("off")
        self.text = ax.text(0.005, 1.0, "", transform=ax.transAxes, va="top", ha="left",
                            fontsize=12, family=MONOSPACE, linespacing=1.5,
                            in_layout=False)
        below = offset_copy(ax.transAxes, fig=ax.get_figure(root=True), y=-40, units="points")
        self.caption = ax.text(0.005, 1.0, "", transform=below, va="top", ha="left",
                               fontsize=12.5, color=CAPTION, linespacing=1.25,
                               in_layout=False)
        self._flat = flat_since(trace)
        self.narrator = Narrator(trace)
        said = self.narrator.frames(self.frames)
        self.kinds = [kind for kind, _words in said]
        self.words = [words for _kind, words in said]
        width = ax.get_position().width * ax.get_figure(root=True).get_size_inches()[0]
        columns = max(int(width * 72 / (12.5 * 0.5)), 40)  # ~half an em a character
        self.captions = [widths.fill(words, columns) for _kind, words in said]
        self._position = {int(k): n for n, k in enumerate(self.frames)}

    def lines(self, i: int) -> list[str]:
        trace = self.trace
        first = iteration_words(self.frames, i, trace.iterations)
        first += "   " + _("loss {loss}").format(loss=f"{trace.loss[i]:.6g}")
        if trace.params.shape[1] <= self.max_params:
            first += "   " + ", ".join(f"{parameter_label(trace, k)} = {value:.4g}"
                                       for k, value in enumerate(trace.params[i]))
        notes = [note for note in (note(i) for note in self.notes) if note]
        units = self.units_note(i)
        if units:
            notes.append(units)
        # "Settled" and the caption come from the same facts: never above a rise.
        kind = self.kinds[self._position[i]] if i in self._position else self.narrator.kind(i)
        if self._flat is not None and self._flat <= i < trace.iterations \
                and not kind.startswith(("rose", "spike")):
            notes.append(settled_words(self._flat))
        caption = self.caption_of(i).replace("\n", " ")
        ending = ending_words(trace)
        if i == trace.iterations and ending not in caption:
            notes.insert(0, ending)
        # A note the caption already says (the same words up to its first bracket or
        # colon) is said once, in the caption.
        notes = [joined(*(part for part in re.split(r"; |；", note)
                          if not _said_in(part, caption))) for note in notes]
        notes = [note for note in notes if note]
        return [first, "   ".join(notes)]

    def units_note(self, i: int) -> str | None:
        """A network's hidden units that cannot learn at iteration ``i``: "dead units 1 of 4"
        (ReLU, input ≤ 0 at every point) or "saturated units 2 of 8" (tanh, sigmoid)."""
        facts = self.narrator.facts
        problem = self.trace.problem
        counts = facts.dead if facts.dead is not None else facts.saturated
        if counts is None or not len(counts):
            return None
        count = int(counts[min(int(i), len(counts) - 1)])
        if count <= 0:
            return None
        total = sum(problem.layers)
        return (_("dead units {count} of {total}") if facts.dead is not None
                else _("saturated units {count} of {total}")).format(count=count, total=total)

    def caption_of(self, i: int) -> str:
        """The caption shown with iteration ``i`` (a frame's, or the step's own)."""
        position = self._position.get(int(i))
        if position is not None:
            return self.captions[position]
        return self.narrator.caption(int(i))

    def update(self, i: int):
        self.text.set_text("\n".join(self.lines(i)))
        self.caption.set_text(self.caption_of(i))
        return [self.text, self.caption]


class RaceStatus:
    """The status strip of a comparison: the iteration, then each run in its colour (a
    square, then its label): its loss now, and how it ended once that has happened.

    ``notes(r, i)`` callables from the panels add words about run ``r`` (e.g. "off the
    panel"). The strip is also the comparison's legend: no legend covers the race.
    """

    name = "status"
    #: Inches of strip per line of text.
    LINE = 0.3

    def __init__(self, traces, labels, styles, notes=(), columns: int | None = None,
                 note: str | None = None):
        """``styles``: each run's (colour, dash), as its path and curve are drawn."""
        self.traces, self.labels, self.styles = list(traces), list(labels), list(styles)
        self.colours = [colour for colour, _dash in self.styles]
        self.notes = list(notes)
        self.note = note
        self.columns = columns or (2 if len(self.traces) <= 4 else 3)

    @property
    def rows(self) -> int:
        """Lines of text: the iteration, the runs, then the narrator's caption."""
        return 2 + -(-len(self.traces) // self.columns)

    def setup(self, ax, frames) -> None:
        from ..words.race import RaceNarrator

        self.frames = np.asarray(frames)
        self.last = max(trace.iterations for trace in self.traces)
        ax.axis("off")
        line = 1.0 / self.rows
        self.head = ax.text(0.005, 1 - 0.5 * line, "", transform=ax.transAxes, va="center",
                            fontsize=12, family=MONOSPACE, in_layout=False)
        self.texts = []
        for r, (colour, dash) in enumerate(self.styles):
            row, column = divmod(r, self.columns)
            x, y = 0.005 + column / self.columns, 1 - (row + 1.5) * line
            # A sample of the run's line (its colour and dash), as its path and curve look.
            ax.plot([x, x + 0.02], [y, y], color=colour, linestyle=dash, linewidth=3,
                    transform=ax.transAxes, clip_on=False, solid_capstyle="butt")
            self.texts.append(ax.text(x + 0.025, y, "", transform=ax.transAxes, va="center",
                                      fontsize=11, in_layout=False))
        # Who leads and why (``RaceNarrator``): the race's caption, and its subtitles.
        said = RaceNarrator(self.traces, self.labels).frames(self.frames)
        self.kinds = [kind for kind, _words in said]
        self.words = [words for _kind, words in said]
        self._position = {int(k): n for n, k in enumerate(self.frames)}
        self.caption = ax.text(0.005, 0.5 * line, "", transform=ax.transAxes, va="center",
                               fontsize=12.5, color=CAPTION, in_layout=False)

    def caption_of(self, i: int) -> str:
        """The race's caption at iteration ``i`` (a frame's; none between frames)."""
        position = self._position.get(int(i))
        return self.words[position] if position is not None else ""

    def run_words(self, r: int, i: int) -> str:
        trace = self.traces[r]
        k = min(i, trace.iterations)
        words = _("{label}:  loss {loss}").format(label=self.labels[r],
                                                  loss=f"{trace.loss[k]:.4g}")
        notes = [note for note in (note(r, i) for note in self.notes) if note]
        if i >= trace.iterations and (trace.iterations < self.last or i == self.last):
            notes.insert(0, ending_in_brief(trace))
        notes = [note for note in notes if note]
        return words + "".join(f",  {note}" for note in notes)

    def strip_words(self, i: int) -> str:
        """The strip at iteration ``i`` as one line: the iteration, then each run."""
        return joined(iteration_words(self.frames, int(i), self.last),
                      *[self.run_words(r, int(i)) for r in range(len(self.traces))])

    def update(self, i: int):
        self.head.set_text(iteration_words(self.frames, i, self.last)
                           + (f"   ·   {self.note}" if self.note else ""))
        for r, text in enumerate(self.texts):
            text.set_text(self.run_words(r, i))
        self.caption.set_text(self.caption_of(i))
        return [self.head, *self.texts, self.caption]
