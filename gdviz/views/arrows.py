"""The step being taken, drawn to scale at the current point: the update itself (or,
for momentum and Nesterov, its parts head to tail), and the point it lands on."""
from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from ..anatomy import full_gradient_step, step_parts
from .style import CURRENT, PART_COLOURS, REFERENCE
from ..words.i18n import _


#: A step shorter than this many pixels hides under the point's marker: its arrows are
#: drawn magnified (×2, ×5, ×10, ...) and say so beside their head.
SHORTEST_PIXELS = 28
MAGNIFICATIONS = tuple(int(m * 10**e) for e in range(7) for m in (1, 2, 5))[:-2]  # to 1e6


class StepArrows:
    """Arrows in a plane's two coordinates whose lengths are the real update, in data units.

    For momentum the white-faced arrow is what the velocity carries over and the
    vermillion one the new gradient's part; they add up, head to tail, to the hollow
    circle: the next point. In a stochastic run a dashed grey arrow shows the full-batch
    gradient's step. A step too short to see under the point's marker is drawn magnified
    from the point, with "arrows ×20" beside its head (``magnification``).
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
        #: Which arrow ends where the whole step does (the last of the step's parts).
        self.step_end = len(self.patches) - 1
        full = full_gradient_step(trace)
        if full is not None:
            self._add(ax, self.origin, self.origin + plane.project_steps(full), REFERENCE,
                      _("full-batch step −η·g, for comparison"), style="--")
        (self.next_point,) = ax.plot([], [], "o", markersize=9, markerfacecolor="none",
                                     markeredgecolor=CURRENT, markeredgewidth=2, zorder=8,
                                     label=_("next point"))
        self.scale_note = ax.text(0, 0, "", fontsize=10, ha="left", va="bottom", zorder=9,
                                  clip_on=True, in_layout=False,
                                  bbox=dict(boxstyle="round,pad=0.2", facecolor="white",
                                            alpha=0.85, edgecolor="none"))
        #: How much the arrows of the iteration drawn last are magnified (1: to scale).
        self.magnification = 1

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

    def _magnification(self, k: int) -> int:
        """The least of ``MAGNIFICATIONS`` that draws step k at least ``SHORTEST_PIXELS``."""
        reach = [end[k] for end in self.ends if np.all(np.isfinite(end[k]))]
        origin = self.origin[k]
        if not reach or not np.all(np.isfinite(origin)):
            return 1
        to_pixels = self.ax.transData.transform
        pixels = max(np.hypot(*(to_pixels(point) - to_pixels(origin))) for point in reach)
        if not np.isfinite(pixels) or pixels <= 0:
            return 1
        # A step still unseen a millionfold is drawn as it is: under the point.
        return next((m for m in MAGNIFICATIONS if pixels * m >= SHORTEST_PIXELS), 1)

    def update(self, k: int):
        self.magnification = magnification = self._magnification(k)
        origin = self.origin[k]
        drawn = False
        for patch, start, end in zip(self.patches, self.starts, self.ends):
            a, b = start[k], end[k]
            if magnification > 1:
                a, b = origin + magnification * (a - origin), origin + magnification * (b - origin)
            visible = bool(np.all(np.isfinite(a)) and np.all(np.isfinite(b)) and np.any(a != b))
            patch.set_visible(visible)
            if visible:
                patch.set_positions(tuple(a), tuple(b))
                # A short step gets a small head, so its length still reads true.
                pixels = np.ptp(self.ax.transData.transform([a, b]), axis=0)
                patch.set_mutation_scale(float(np.clip(0.7 * np.hypot(*pixels), 3, 16)))
                drawn = True
        nxt = self.origin[k + 1] if k + 1 < len(self.origin) else (np.nan, np.nan)
        self.next_point.set_data([nxt[0]], [nxt[1]])
        shown = magnification > 1 and drawn
        self.scale_note.set_visible(shown)
        if shown:
            tip = origin + magnification * (self.ends[self.step_end][k] - origin)
            # Past the head, on the side the step points to (never over the point), and on
            # the panel where the head is past its edge.
            to_axes = self.ax.transData + self.ax.transAxes.inverted()
            start, end = to_axes.transform(origin), to_axes.transform(tip)
            x, y = np.clip(end, 0.03, 0.97)
            self.scale_note.set_position(tuple(to_axes.inverted().transform((x, y))))
            dx, dy = end - start
            right = dx >= 0 if 0.2 < x < 0.8 else x <= 0.2  # turned back at an edge
            up = dy >= 0 if 0.1 < y < 0.9 else y <= 0.1
            self.scale_note.set_horizontalalignment("left" if right else "right")
            self.scale_note.set_verticalalignment("bottom" if up else "top")
            self.scale_note.set_text(_("arrows ×{magnification}").format(
                magnification=magnification))
        return list(self.patches) + [self.next_point, self.scale_note]
