"""Classic 2-D test functions: surfaces made to show what optimizers do.

Each takes parameters ``[x, y]``, evaluates on floats or whole grids alike
(``value(x, y)`` broadcasts, for contour plots), and knows its minima.
"""
from __future__ import annotations

import math

import numpy as np

from .._validate import positive_number
from .base import Problem, QuadraticForm
from ..words.i18n import N_, _, listed


class TestFunction(Problem):
    """A function of two parameters ``x`` and ``y`` with known minima."""

    __test__ = False  # not a pytest test class, despite the name
    param_names = ("x", "y")
    same_units = True
    formula = ""
    #: The global minima, as [x, y] rows (empty if the function has none).
    minima = np.empty((0, 2))
    minimum_value: float | None = 0.0
    #: A default plotting window: ((x_min, x_max), (y_min, y_max)).
    bounds = ((-3.0, 3.0), (-3.0, 3.0))

    @classmethod
    def example(cls, seed: int | None = None, **options) -> "TestFunction":
        """The function with its default settings and start (``seed`` is unused)."""
        return cls(**options)

    def value(self, x, y):
        raise NotImplementedError

    def gradient(self, x, y):
        raise NotImplementedError

    def value_and_grad(self, params):
        x, y = np.asarray(params, dtype=float).tolist()
        try:
            # Plain floats: several times faster than numpy scalars for this size.
            return float(self.value(x, y)), np.array(self.gradient(x, y), dtype=float)
        except (OverflowError, ZeroDivisionError):
            # A diverging run: numpy scalars give inf/nan where floats raise.
            with np.errstate(all="ignore"):
                x, y = np.float64(x), np.float64(y)
                return float(self.value(x, y)), np.array(self.gradient(x, y), dtype=float)

    def hessian_at(self, params) -> np.ndarray:
        """The curvature at ``params``: central differences of the exact gradient,
        symmetrised (a 2x2 matrix; the step is a millionth of the point's scale)."""
        params = np.asarray(params, dtype=float)
        h = 1e-6 * max(1.0, float(np.max(np.abs(params))))
        columns = []
        for k in range(2):
            offset = np.zeros(2)
            offset[k] = h
            ahead = np.array(self.gradient(*(params + offset)), dtype=float)
            behind = np.array(self.gradient(*(params - offset)), dtype=float)
            columns.append((ahead - behind) / (2 * h))
        matrix = np.column_stack(columns)
        return 0.5 * (matrix + matrix.T)

    def loss(self, params) -> float:
        return self.value_and_grad(params)[0]

    def loss_many(self, params) -> np.ndarray:
        params = np.asarray(params, dtype=float)
        with np.errstate(all="ignore"):
            return np.asarray(self.value(params[..., 0], params[..., 1]), dtype=float)

    def grad(self, params) -> np.ndarray:
        return self.value_and_grad(params)[1]

    @property
    def optimum(self) -> np.ndarray | None:
        """The global minimum nearest the default start (``None`` if there is none)."""
        if len(self.minima) == 0:
            return None
        distances = np.linalg.norm(self.minima - self.x0, axis=1)
        return self.minima[int(np.argmin(distances))].copy()

    def describe(self) -> dict:
        return {"problem": type(self).__name__}

    def summary(self) -> str:
        if len(self.minima):
            points = listed(f"({a:.4g}, {b:.4g})" for a, b in self.minima)
            return _("{formula}; parameters x, y; minimum {value:g} at {points}").format(
                formula=self.formula, value=self.minimum_value, points=points)
        return _("{formula}; parameters x, y; no minimum").format(formula=self.formula)


class Quadratic(QuadraticForm, TestFunction):
    """``0.5 * d^T A d`` with ``d = [x, y] - center``; ``A`` has eigenvalues 1 and
    ``condition``, its long axis rotated by ``angle`` degrees.

    The simplest surface where the condition number shows: plain GD is stable
    for learning rates below ``2 / condition``.

    Examples
    --------
    >>> q = Quadratic(condition=10)
    >>> round(q.max_stable_learning_rate, 6)
    0.2
    """

    name = "quadratic"
    @property
    def title(self) -> str:
        if self.condition == 1:
            return _("a round bowl: condition number {condition:g}").format(condition=self.condition)
        return _("a tilted bowl: condition number {condition:g}").format(condition=self.condition)

    def __init__(self, condition: float = 10.0, angle: float = 30.0, center=(0.0, 0.0), x0=None):
        self.condition = positive_number("condition", condition)
        if self.condition < 1:
            raise ValueError(_("condition must be at least 1, got {value!r}").format(
                value=condition))
        self.angle = float(angle)
        self.center = np.asarray(center, dtype=float)
        self._cx, self._cy = self.center.tolist()
        theta = math.radians(self.angle)
        rotation = np.array([[math.cos(theta), -math.sin(theta)],
                             [math.sin(theta), math.cos(theta)]])
        self.matrix = rotation @ np.diag([1.0, self.condition]) @ rotation.T
        (self._a, self._b), (_b, self._c) = self.matrix.tolist()
        self.minima = self.center[None, :].copy()
        cx, cy = self.center
        self.bounds = ((cx - 5, cx + 5), (cy - 5, cy + 5))
        self.formula = _("0.5*d^T A d (condition {condition:g}, angle {angle:g} deg)").format(
            condition=self.condition, angle=self.angle)
        self.x0 = self.check_params(x0 if x0 is not None else self.center + [-4.0, 3.0])

    def value(self, x, y):
        dx, dy = x - self._cx, y - self._cy
        return 0.5 * (self._a * dx * dx + 2 * self._b * dx * dy + self._c * dy * dy)

    def gradient(self, x, y):
        dx, dy = x - self._cx, y - self._cy
        return self._a * dx + self._b * dy, self._b * dx + self._c * dy

    def hessian(self) -> np.ndarray:
        return self.matrix.copy()

    def describe(self):
        return {"problem": "Quadratic", "condition": self.condition, "angle": self.angle}


class Rosenbrock(TestFunction):
    """``(a - x)**2 + b*(y - x**2)**2``: a long curved valley, minimum at ``(a, a**2)``."""

    name = "rosenbrock"
    _title = N_("Rosenbrock's banana-shaped valley")
    bounds = ((-2.0, 2.0), (-1.0, 3.0))

    def __init__(self, a: float = 1.0, b: float = 100.0, x0=(-1.5, 2.0)):
        self.a = float(a)
        self.b = positive_number("b", b)
        self.minima = np.array([[self.a, self.a**2]])
        self.formula = f"({self.a:g}-x)**2 + {self.b:g}*(y-x**2)**2"
        self.x0 = self.check_params(x0)

    def value(self, x, y):
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def gradient(self, x, y):
        inner = y - x * x
        return -2 * (self.a - x) - 4 * self.b * x * inner, 2 * self.b * inner


class Himmelblau(TestFunction):
    """``(x**2 + y - 11)**2 + (x + y**2 - 7)**2``: four equal minima."""

    name = "himmelblau"
    _title = N_("Himmelblau's function: four valleys")
    formula = "(x**2+y-11)**2 + (x+y**2-7)**2"
    bounds = ((-5.0, 5.0), (-5.0, 5.0))
    minima = np.array([[3.0, 2.0], [-2.805118086952745, 3.131312518250573],
                       [-3.779310253377747, -3.283185991286170],
                       [3.584428340330492, -1.848126526964404]])

    def __init__(self, x0=(0.0, -1.0)):
        self.x0 = self.check_params(x0)

    def value(self, x, y):
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2

    def gradient(self, x, y):
        first, second = x * x + y - 11, x + y * y - 7
        return 4 * x * first + 2 * second, 2 * first + 4 * y * second


class Beale(TestFunction):
    """``(1.5 - x + xy)**2 + (2.25 - x + xy**2)**2 + (2.625 - x + xy**3)**2``: flat
    plateaus and sharp ridges, minimum at ``(3, 0.5)``."""

    name = "beale"
    _title = N_("Beale's function: flat plateaus, steep walls")
    formula = "(1.5-x+x*y)**2 + (2.25-x+x*y**2)**2 + (2.625-x+x*y**3)**2"
    bounds = ((-4.5, 4.5), (-4.5, 4.5))
    minima = np.array([[3.0, 0.5]])

    def __init__(self, x0=(1.0, 1.5)):
        self.x0 = self.check_params(x0)

    def value(self, x, y):
        return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2
                + (2.625 - x + x * y**3) ** 2)

    def gradient(self, x, y):
        t1, t2, t3 = 1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y**3
        dx = 2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y**3 - 1)
        dy = 2 * t1 * x + 2 * t2 * 2 * x * y + 2 * t3 * 3 * x * y * y
        return dx, dy


class Booth(QuadraticForm, TestFunction):
    """``(x + 2y - 7)**2 + (2x + y - 5)**2``: a tilted bowl, minimum at ``(1, 3)``."""

    name = "booth"
    _title = N_("Booth's function: a tilted bowl")
    formula = "(x+2*y-7)**2 + (2*x+y-5)**2"
    bounds = ((-10.0, 10.0), (-10.0, 10.0))
    minima = np.array([[1.0, 3.0]])

    def __init__(self, x0=(-6.0, -4.0)):
        self.x0 = self.check_params(x0)

    def value(self, x, y):
        return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2

    def gradient(self, x, y):
        first, second = x + 2 * y - 7, 2 * x + y - 5
        return 2 * first + 4 * second, 4 * first + 2 * second

    def hessian(self) -> np.ndarray:
        return np.array([[10.0, 8.0], [8.0, 10.0]])


class Rastrigin(TestFunction):
    """``20 + x**2 - 10cos(2 pi x) + y**2 - 10cos(2 pi y)``: a bowl covered in local
    minima; the global one is at the origin."""

    name = "rastrigin"
    _title = N_("Rastrigin's egg crate: many local minima")
    formula = "20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)"
    bounds = ((-5.12, 5.12), (-5.12, 5.12))
    minima = np.array([[0.0, 0.0]])

    def __init__(self, x0=(3.3, -2.6)):
        self.x0 = self.check_params(x0)

    def value(self, x, y):
        tau = 2 * np.pi
        return 20 + x * x - 10 * np.cos(tau * x) + y * y - 10 * np.cos(tau * y)

    def gradient(self, x, y):
        tau = 2 * np.pi
        return 2 * x + 10 * tau * np.sin(tau * x), 2 * y + 10 * tau * np.sin(tau * y)


class Saddle(TestFunction):
    """``x**2 - y**2 + y**4/4``: a saddle point at the origin between two minima at
    ``(0, +-sqrt(2))``; starting near the ridge shows how slowly GD escapes."""

    name = "saddle"
    _title = N_("a saddle point and two valleys")
    formula = "x**2 - y**2 + y**4/4"
    bounds = ((-2.5, 2.5), (-2.5, 2.5))
    minima = np.array([[0.0, math.sqrt(2)], [0.0, -math.sqrt(2)]])
    minimum_value = -1.0
    #: Where the gradient is zero but no minimum is: drawn and named on the contour.
    saddles = np.array([[0.0, 0.0]])
    #: Why the default start is where it is (the legend says it beside the start).
    start_note = N_("y = 0.01: just off the ridge y = 0, where the gradient never turns "
                    "toward y")  # said in the language spoken (views.contour)

    def __init__(self, x0=(-2.0, 0.01)):
        self.x0 = self.check_params(x0)

    def value(self, x, y):
        return x * x - y * y + y**4 / 4

    def gradient(self, x, y):
        return 2 * x, -2 * y + y**3


#: The catalogue of 2-D test functions by name.
TEST_FUNCTIONS = {cls.name: cls for cls in
                  (Quadratic, Rosenbrock, Himmelblau, Beale, Booth, Rastrigin, Saddle)}
