"""Which plane of parameter space a contour or surface draws, and what it may say about it.

- Two parameters: the true loss over both (``"true"``).
- More, ``"slice"``: the two that moved most, every other parameter at its value *now*;
  the slice is recomputed for each drawn frame (and cached), so the current point lies on
  it and its colour is its loss.
- More, ``"pca"``: the plane of the path (``gdviz.landscape.pca_plane``), computed once;
  the path is drawn projected on it, and the gap between its true loss and the plane's
  under it is said, not hidden.
"""
from __future__ import annotations

import numpy as np

from .._validate import unknown
from ..anatomy import most_moved
from ..landscape import PLANES, path_window, pca_plane, slice_at
from ..words.i18n import _, ngettext
from ..words.numbers import percent
from .style import parameter_colour, parameter_label
from .window import sensible_window


class ViewPlane:
    """The plane a view of ``trace`` draws: its kind, the path's coordinates on it, its
    window, its loss grid (``grid(k)``), and the words for its axes and title."""

    def __init__(self, trace, kind: str = "slice", coordinates=None, window=None, plane=None):
        if kind not in PLANES:
            raise unknown("plane", kind, PLANES)
        self.trace = trace
        count = trace.params.shape[1]
        self.kind = "true" if count <= 2 else kind
        self._grids: dict = {}
        if self.kind == "pca":
            self.plane = pca_plane(trace) if plane is None else plane
            self.linear = self.plane.directions
            self.points = self.plane.project(trace.params)
            optimum = getattr(trace.problem, "optimum", None)
            shown = self.points if optimum is None else np.vstack(
                [self.points, self.plane.project(np.asarray(optimum)[None, :])])
            self.window = window or path_window(shown)
            self.dims = None
        else:
            i, j = coordinates or most_moved(trace.params)
            self.dims = (i, j)
            self.linear = np.eye(count)[[i, j]]
            self.points = trace.params[:, [i, j]]
            self.window = window or sensible_window(trace, i, j)

    @property
    def moves(self) -> bool:
        """Whether the drawn loss changes from frame to frame (a slice through now)."""
        return self.kind == "slice"

    def project_steps(self, vectors: np.ndarray) -> np.ndarray:
        """Steps (differences of parameters), in the plane's two coordinates."""
        return np.asarray(vectors) @ self.linear.T

    def grid(self, k: int, n: int):
        """``(grid_x, grid_y, Z)`` of the loss drawn with iteration ``k`` (cached)."""
        key = (k if self.moves else None, n)
        if key not in self._grids:
            self._grids[key] = self._compute(k, n)
        return self._grids[key]

    def _compute(self, k: int, n: int):
        trace = self.trace
        if self.kind == "pca":
            a, b, values = self.plane.surface(trace.problem, n=n, window=self.window)
            grid_x, grid_y = np.meshgrid(a, b)
            return grid_x, grid_y, values
        finite = np.all(np.isfinite(trace.params), axis=1)
        if self.kind == "true":  # any step will do: nothing else to hold
            k = int(np.flatnonzero(finite)[-1]) if finite.any() else 0
        elif not finite[k]:
            k = int(np.flatnonzero(finite[: k + 1])[-1]) if finite[: k + 1].any() else 0
        u, v, values = slice_at(trace, k, self.dims, n=n, window=self.window)
        grid_x, grid_y = np.meshgrid(u, v)
        return grid_x, grid_y, values

    def plane_loss(self) -> np.ndarray:
        """The loss the drawn plane has under each point of the path (its height on a
        surface): the true loss where the path lies on what is drawn."""
        if self.kind != "pca":
            return self.trace.loss
        if "plane_loss" not in self._grids:  # computed once, for every frame's note
            with np.errstate(all="ignore"):
                self._grids["plane_loss"] = self.trace.problem.loss_many(
                    self.plane.point(*self.points.T))
        return self._grids["plane_loss"]

    # -- words -----------------------------------------------------------------------
    def axis_labels(self) -> list[tuple[str, str]]:
        """(label, colour) of the horizontal and the vertical axis."""
        if self.kind == "pca":
            return [(_("direction {n} ({share} of the path's spread)").format(
                n=n + 1, share=percent(share)), "black")
                for n, share in enumerate(self.plane.explained)]
        return [(parameter_label(self.trace, d), parameter_colour(d)) for d in self.dims]

    def title(self, what: str) -> str:
        """``what`` ("the loss", "the loss as a surface") over this plane, truthfully."""
        names, count = self.trace.param_names, self.trace.params.shape[1]
        if self.kind == "pca":
            return _("{what} on the plane of the path:\n{first} + {second} of its spread "
                     "(through the end)").format(what=what,
                                                 first=percent(self.plane.explained[0]),
                                                 second=percent(self.plane.explained[1]))
        over = _("{what} over ({x}, {y})").format(what=what, x=names[self.dims[0]],
                                                  y=names[self.dims[1]])
        if self.kind == "true":
            return over
        return over + ";\n" + ngettext("the other parameter at its current value",
                                       "the other {count} parameters at their current values",
                                       count - 2).format(count=count - 2)

    def note(self, k: int) -> str | None:
        """On the path's plane: the true loss at the point beside the plane's under it."""
        if self.kind != "pca" or not np.isfinite(self.trace.loss[k]):
            return None
        under = self.plane_loss()[k]
        return _("off the plane by {distance}: true loss {true}, the plane's under it "
                 "{plane}").format(distance=f"{self.plane.residual(self.trace.params[k]):.2g}",
                                   true=f"{self.trace.loss[k]:.4g}", plane=f"{under:.4g}")
