"""Views: each draws one panel with ``setup(ax, trace)`` and ``update(i)``."""
from .base import PALETTE, View
from .fit import FitView

#: View names usable in layouts.
VIEWS = {FitView.name: FitView}

__all__ = ["View", "FitView", "VIEWS", "PALETTE"]
