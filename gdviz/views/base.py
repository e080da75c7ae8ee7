"""The contract every view keeps, so one animator can drive them all.

``setup(ax, trace)`` draws everything that never changes, once.
``update(i)`` moves the view to iteration ``i`` by setting data on the
artists made in ``setup`` and returns exactly those artists (for blitting).
"""
from __future__ import annotations

from matplotlib.artist import Artist

from .style import CURRENT, DATA, FIT, OTHER_CLASS, REFERENCE

#: The colours by role (see ``gdviz.views.style`` for what each one means).
PALETTE = {"data": DATA, "fit": FIT, "path": CURRENT, "other": OTHER_CLASS, "muted": REFERENCE}


class View:
    """Base class of the views: one panel of the animation.

    Nothing a view draws may cover what is watched: legends go to the figure's legend
    strip (give artists a ``label``), words about the current step to the status strip
    (``status_note``). The animator sets ``frame_iterations`` before ``setup``.
    """

    name = "view"
    frame_iterations = ()
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

    def status_note(self, i: int) -> str | None:
        """Words for the status strip at iteration ``i`` (e.g. "the point left the panel")."""
        return None
