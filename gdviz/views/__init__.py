"""Views: each draws one panel with ``setup(ax, trace)`` and ``update(i)``."""
from .base import PALETTE, View
from .boundary import BoundaryView
from .contour import ContourView
from .fit import FitView
from .loss import LossView

#: View names usable in layouts.
VIEWS = {cls.name: cls for cls in (FitView, BoundaryView, ContourView, LossView)}

__all__ = ["View", "FitView", "BoundaryView", "ContourView", "LossView", "VIEWS", "PALETTE"]
