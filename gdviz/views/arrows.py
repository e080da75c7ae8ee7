"""The step being taken, drawn to scale at the current point: the update itself (or,
for momentum and Nesterov, its parts head to tail), and the point it lands on."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from ..anatomy import full_gradient_step, step_parts
from .style import CURRENT, PART_COLOURS, REFERENCE
from ..words.i18n import _


class StepArrows:
    """Arrows in a plane's two coordinates whose lengths are the real update, in data units.

    For momentum the white arrow is what the velocity carries over and the vermillion one
    the new gradient's part; they add up, head to tail, to the hollow circle: the next
    point. In a stochastic run a dashed grey arrow shows the full-batch gradient's step.
    """

    def __init__(self, ax, trace, plane):
        """``plane``: the ``views.plane.ViewPlane`` drawn (two coordinates, or the path's
        plane: the steps are projected on it, so they still end on the next point)."""
        self.ax = ax
        self.origin = plane.points
        parts = step_parts(trace)
        self.patches, self.starts, self.ends = [], [], []
        start = self.origin.copy()
        for part in parts:
            end = start + plane.project_steps(part.vectors)
            self._add(ax, start, end, PART_COLOURS[part.kind], part.label,
                      edge="black" if part.kind == "momentum" else None)
            start = end
        full = full_gradient_step(trace)
        if full is not None:
            self._add(ax, self.origin, self.origin + plane.project_steps(full), REFERENCE,
                      _("full-batch step −η·g, for comparison"), style="--")
        (self.next_point,) = ax.plot([], [], "o", markersize=9, markerfacecolor="none",
                                     markeredgecolor=CURRENT, markeredgewidth=2, zorder=8,
                                     label=_("next point"))

    def _add(self, ax, start, end, colour, label, edge=None, style="-"):
        patch = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=16,
                                linewidth=2.2, facecolor=colour, edgecolor=edge or colour,
                                linestyle=style, shrinkA=0, shrinkB=0, zorder=7)
        ax.add_patch(patch)
        # The legend shows an arrow, not a coloured box.
        ax.add_line(Line2D([], [], color=colour, marker=r"$\rightarrow$", markersize=14,
                           linestyle="none", markeredgecolor=edge or colour, label=label))
        self.patches.append(patch)
        self.starts.append(start)
        self.ends.append(end)

    def update(self, k: int):
        for patch, start, end in zip(self.patches, self.starts, self.ends):
            a, b = start[k], end[k]
            visible = bool(np.all(np.isfinite(a)) and np.all(np.isfinite(b)) and np.any(a != b))
            patch.set_visible(visible)
            if visible:
                patch.set_positions(tuple(a), tuple(b))
                # A short step gets a small head, so its length still reads true.
                pixels = np.ptp(self.ax.transData.transform([a, b]), axis=0)
                patch.set_mutation_scale(float(np.clip(0.7 * np.hypot(*pixels), 3, 16)))
        nxt = self.origin[k + 1] if k + 1 < len(self.origin) else (np.nan, np.nan)
        self.next_point.set_data([nxt[0]], [nxt[1]])
        return list(self.patches) + [self.next_point]
