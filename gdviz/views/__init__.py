"""Views: each draws one panel with ``setup(ax, trace)`` and ``update(i)``."""
from .arithmetic import StepArithmeticView
from .base import PALETTE, View
from .boundary import BoundaryView
from .chain import ChainRuleView
from .contour import ContourView
from .eigen import EigenView
from .fit import FitView
from .loss import LossView
from .network import NetworkView
from .network_map import DecisionMapView
from .parameters import ParametersView
from .promise import PromiseView
from .surface import SurfaceView
from ..words.fonts import use as _use_fonts

# Chinese characters in every picture, on a machine with no CJK font (words.fonts).
_use_fonts()

#: View names usable in layouts.
VIEWS = {cls.name: cls for cls in (FitView, BoundaryView, DecisionMapView, NetworkView,
                                   ContourView, SurfaceView, LossView, ParametersView,
                                   StepArithmeticView, ChainRuleView, PromiseView, EigenView)}

__all__ = ["View", "FitView", "BoundaryView", "DecisionMapView", "NetworkView", "ContourView", "SurfaceView", "LossView",
           "ParametersView", "StepArithmeticView", "ChainRuleView", "PromiseView", "EigenView", "VIEWS", "PALETTE"]
