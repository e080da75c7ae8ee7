"""The contract every view keeps, so one animator can drive them all.

``setup(ax, trace)`` draws everything that never changes, once.
``update(i)`` moves the view to iteration ``i`` by setting data on the
artists made in ``setup`` and returns exactly those artists (for blitting).
"""
from __future__ import annotations

from matplotlib.artist import Artist

#: Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
PALETTE = {
    "data": "#0072B2",  # blue
    "fit": "#009E73",  # bluish green (the blog drew its line green)
    "path": "#D55E00",  # vermillion
    "accent": "#CC79A7",  # reddish purple
    "other": "#E69F00",  # orange
    "muted": "#999999",
}


class View:
    """Base class of the views: one panel of the animation.

    ``show_status`` puts the iteration/loss box in this panel; a layout
    turns it on for its first panel only.
    """

    name = "view"
    show_status = True
    #: The axes projection this view needs (``"3d"`` for a surface).
    projection: str | None = None

    @classmethod
    def supports(cls, trace) -> bool:
        """Whether this view can draw ``trace`` (its problem has what it needs)."""
        return True

    def setup(self, ax, trace) -> None:
        raise NotImplementedError

    def update(self, i: int) -> list[Artist]:
        raise NotImplementedError
