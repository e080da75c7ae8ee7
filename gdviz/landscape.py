"""The planes a many-parameter run is drawn on (pure numpy).

A contour over two of many parameters is only true where the others are. Two honest
choices:

- ``slice_at(trace, i, dims)``: the loss over two parameters with every other parameter
  at its value *at step i*, so the current point lies on what is drawn, and its colour is
  its loss. It moves with the run.
- ``pca_plane(trace)``: the plane of the whole trajectory (Li et al. 2018, "Visualizing
  the Loss Landscape of Neural Nets"): through the final parameters, spanned by the top
  two principal axes of the path. The path lies near it, not on it; how near is
  measurable (``Plane.residual``), and a view says so.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .words.i18n import _

#: The planes a many-parameter run can be drawn on.
PLANES = ("slice", "pca")


@dataclass(frozen=True)
class Plane:
    """A plane in parameter space: ``origin + a·directions[0] + b·directions[1]``.

    ``explained`` are the shares of the path's spread (squared singular values) along the
    two directions.
    """

    origin: np.ndarray
    directions: np.ndarray
    explained: np.ndarray

    def project(self, params) -> np.ndarray:
        """Plane coordinates ``(a, b)`` of each row of ``params``: ``(params − origin) @ Dᵀ``."""
        return (np.asarray(params, dtype=float) - self.origin) @ self.directions.T

    def point(self, a, b) -> np.ndarray:
        """The parameters at plane coordinates ``(a, b)`` (arrays broadcast)."""
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return (self.origin + a[..., None] * self.directions[0]
                + b[..., None] * self.directions[1])

    def residual(self, params) -> np.ndarray:
        """How far each row of ``params`` lies off the plane (Euclidean distance)."""
        params = np.asarray(params, dtype=float)
        return np.linalg.norm(params - self.point(*self.project(params).T), axis=-1)

    def surface(self, problem, n: int = 60, window=None):
        """``(a, b, Z)``: the loss over an ``n``×``n`` grid of the plane, with
        ``Z[j, k] = problem.loss(origin + a[k]·d1 + b[j]·d2)`` (vectorised, ``loss_many``).
        ``window`` is ``((a_low, a_high), (b_low, b_high))``, by default around the origin."""
        if window is None:
            window = ((-1.0, 1.0), (-1.0, 1.0))
        (a_low, a_high), (b_low, b_high) = window
        a, b = np.linspace(a_low, a_high, n), np.linspace(b_low, b_high, n)
        grid_a, grid_b = np.meshgrid(a, b)
        with np.errstate(all="ignore"):
            return a, b, problem.loss_many(self.point(grid_a, grid_b))


def pca_plane(trace) -> Plane:
    """The plane of ``trace``'s path: through its final parameters, along the top two
    principal axes (right singular vectors) of ``params − final`` over the run.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.PolynomialRegression.example(degree=3),
    ...                   optim.gd(learning_rate=0.1), stop=stop.MaxIter(200))
    >>> plane = pca_plane(trace)
    >>> plane.directions.shape, bool(plane.explained.sum() <= 1)
    ((2, 4), True)
    """
    params = np.asarray(trace.params, dtype=float)
    finite = params[np.all(np.isfinite(params), axis=1)]
    if not len(finite):
        raise ValueError(_("no finite point in this run: there is no plane to draw it on"))
    origin = finite[-1]
    _u, singular, rows = np.linalg.svd(finite - origin, full_matrices=False)
    spread = singular**2
    total = spread.sum()
    explained = np.zeros(2)
    explained[: min(2, len(spread))] = (spread[:2] / total) if total > 0 else 0.0
    directions = _two_orthonormal(rows, origin.size)
    return Plane(origin=origin, directions=directions, explained=explained)


def _two_orthonormal(rows: np.ndarray, size: int) -> np.ndarray:
    """The first two of ``rows``, completed with coordinate axes (Gram–Schmidt) when the
    path spans fewer than two directions (no step, or a straight line)."""
    chosen = [row for row in rows[:2] if np.linalg.norm(row) > 0.5]
    for axis in np.eye(size):
        if len(chosen) == 2:
            break
        candidate = axis - sum(np.dot(axis, c) * c for c in chosen)
        if np.linalg.norm(candidate) > 1e-8:
            chosen.append(candidate / np.linalg.norm(candidate))
    return np.array(chosen[:2])


def path_window(points: np.ndarray, margin: float = 0.15):
    """Limits ``((low, high), (low, high))`` around the finite rows of ``points`` (N, 2)."""
    finite = points[np.all(np.isfinite(points), axis=1)]
    if not len(finite):
        finite = np.zeros((1, 2))
    low, high = finite.min(axis=0), finite.max(axis=0)
    span = np.maximum(high - low, 1e-3 * np.maximum(np.abs(high), 1.0))
    low, high = low - margin * span, high + margin * span
    return (low[0], high[0]), (low[1], high[1])


def grid_through(value: float, low: float, high: float, n: int) -> np.ndarray:
    """``n`` evenly spaced values spanning about ``[low, high]`` with ``value`` among them
    when it is inside (the grid is shifted by less than one spacing)."""
    line = np.linspace(low, high, n)
    if n < 2 or not (low <= value <= high):
        return line
    if line[1] <= line[0]:
        return line
    nearest = int(np.argmin(np.abs(line - value)))
    shifted = line + (value - line[nearest])
    shifted[nearest] = value  # exactly, not to rounding
    return shifted


def slice_at(trace, i: int, dims=(0, 1), n: int = 60, window=None):
    """``(u, v, Z)``: the loss over parameters ``dims`` with every other parameter at its
    value at step ``i``: ``Z[r, c]`` is the loss of ``params[i]`` with ``dims`` set to
    ``(u[c], v[r])``. The grid passes through ``params[i]`` itself (when it is inside the
    window), so the slice's value there is the trace's loss at step ``i``.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> trace = gdviz.run(problems.PolynomialRegression.example(degree=3),
    ...                   optim.gd(learning_rate=0.1), stop=stop.MaxIter(50))
    >>> u, v, Z = slice_at(trace, 10, dims=(0, 3), n=41)
    >>> c, r = list(u).index(trace.params[10, 0]), list(v).index(trace.params[10, 3])
    >>> bool(abs(Z[r, c] - trace.loss[10]) < 1e-12)
    True
    """
    first, second = dims
    base = np.asarray(trace.params[i], dtype=float)
    if window is None:
        window = path_window(trace.params[:, [first, second]])
    (u_low, u_high), (v_low, v_high) = window
    u = grid_through(base[first], u_low, u_high, n)
    v = grid_through(base[second], v_low, v_high, n)
    grid = np.broadcast_to(base, (len(v), len(u), base.size)).copy()
    grid[..., first] = u[None, :]
    grid[..., second] = v[:, None]
    with np.errstate(all="ignore"):
        return u, v, trace.problem.loss_many(grid)
