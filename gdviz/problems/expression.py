"""The user's own function of x and y, parsed safely and differentiated exactly."""
from __future__ import annotations

import numpy as np

from ..expression import derivative, parse, size
from .functions import TestFunction
from ..words.i18n import _

#: A formula's step, in a server's work units (parameters × data rows) per node of the
#: formula and its two derivatives.
STEP_WORK_PER_NODE = 25


class Expression(TestFunction):
    """A loss written as a formula in ``x`` and ``y``.

    Parsed into a tree with a whitelist (never ``eval``) and differentiated
    symbolically; see :mod:`gdviz.expression` for what a formula may contain.

    Examples
    --------
    >>> p = Expression("(1-x)**2 + 100*(y-x**2)**2")
    >>> p.loss([1.0, 1.0]), p.grad([0.0, 0.0]).tolist()
    (0.0, [-2.0, 0.0])
    """

    name = "expression"

    @property
    def title(self) -> str:
        return _("your formula: {formula}").format(formula=self.formula)
    minima = np.empty((0, 2))
    minimum_value = None

    def __init__(self, formula: str, x0=(-1.5, 2.0), bounds=None):
        self.tree = parse(formula)
        self.formula = formula.strip()
        self._dx = derivative(self.tree, "x")
        self._dy = derivative(self.tree, "y")
        #: The work of one step in a server's units (parameters × data rows): a node of
        #: the formula and its derivatives costs about what 25 of them do
        #: (measured: a 531-node formula's step 1.1 ms, a 200-unit linear step 3.4 µs).
        self.step_work = STEP_WORK_PER_NODE * (size(self.tree) + size(self._dx) + size(self._dy))
        self.x0 = self.check_params(x0)
        if bounds is None:
            cx, cy = self.x0
            half = max(3.0, 1.5 * max(abs(cx), abs(cy)))
            bounds = ((-half, half), (-half, half))
        self.bounds = bounds

    def value(self, x, y):
        with np.errstate(all="ignore"):
            return self.tree.evaluate(x, y) + 0.0 * x  # broadcast constants over a grid

    def gradient(self, x, y):
        with np.errstate(all="ignore"):
            zero = 0.0 * x + 0.0 * y
            return self._dx.evaluate(x, y) + zero, self._dy.evaluate(x, y) + zero

    def derivative_formulas(self) -> tuple[str, str]:
        """The partial derivatives as text: (d/dx, d/dy)."""
        return str(self._dx), str(self._dy)

    def describe(self):
        return {"problem": "Expression", "formula": self.formula}
