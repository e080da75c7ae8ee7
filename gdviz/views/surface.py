"""The 3-D view: the loss surface over two parameters with the path walked on it."""
from __future__ import annotations

import numpy as np

from .base import View
from .contour import loss_grid, loss_levels, loss_norm, most_moved
from .style import CURRENT, LOSS_COLOURMAP, parameter_colour


class SurfaceView(View):
    """The loss as a 3-D surface (computed once), the path and the current point on it.

    The surface uses the contour's colour scale (the same levels), so a colour is the
    same loss in both. With more than two parameters the surface is a slice through
    the final point, and the path is drawn at the slice's height under it (the loss
    the slice has there), so it lies on what is shown.
    """

    name = "surface"
    projection = "3d"

    def __init__(self, coordinates: tuple[int, int] | None = None, resolution: int = 60,
                 contour_resolution: int = 160):
        self.coordinates = coordinates
        self.resolution = resolution
        self.contour_resolution = contour_resolution

    @classmethod
    def supports(cls, trace) -> bool:
        return trace.problem is not None and trace.params.shape[1] >= 2

    def setup(self, ax, trace) -> None:
        self.trace = trace
        i, j = self.coordinates or most_moved(trace.params)
        self.i, self.j = i, j
        grid_x, grid_y, values = loss_grid(trace, i, j, self.resolution)
        # The contour's own levels, from the contour's own grid: one colour scale.
        levels = loss_levels(loss_grid(trace, i, j, self.contour_resolution)[2])
        finite = values[np.isfinite(values)]
        self.floor = float(finite.min()) if finite.size else 0.0
        self.ceiling = float(levels[-1]) if levels is not None else 1.0
        clipped = np.clip(np.where(np.isfinite(values), values, self.ceiling), None, self.ceiling)
        self.surface = ax.plot_surface(
            grid_x, grid_y, clipped, cmap=LOSS_COLOURMAP, alpha=0.75, linewidth=0,
            antialiased=True, rcount=self.resolution, ccount=self.resolution,
            norm=loss_norm(levels) if levels is not None else None)
        self.window = (grid_x[0, 0], grid_x[0, -1], grid_y[0, 0], grid_y[-1, 0])
        self.sliced = len(trace.param_names) > 2
        inside = self._inside(trace.params[:, i], trace.params[:, j])
        height = self._slice_loss(trace, i, j) if self.sliced else trace.loss
        # The path, lifted a hair above the surface so it is not hidden in it.
        lift = 0.01 * (self.ceiling - self.floor)
        self.height = np.where(inside, np.clip(height, None, self.ceiling), np.nan) + lift
        (self.path,) = ax.plot([], [], [], color=CURRENT, linewidth=2.5, zorder=5)
        (self.point,) = ax.plot([], [], [], "o", color=CURRENT,
                                markeredgecolor="black", markersize=8, zorder=6)
        names = trace.param_names
        ax.set_xlabel(names[i], color=parameter_colour(i))
        ax.set_ylabel(names[j], color=parameter_colour(j))
        ax.set_zlabel("loss")
        ax.set_zlim(self.floor, self.ceiling)
        title = f"the loss as a surface over ({names[i]}, {names[j]})"
        if self.sliced:
            title += ";\na slice: the others at their final values"
        ax.set_title(title, fontsize=12)
        ax.view_init(elev=35, azim=-60)

    @staticmethod
    def _slice_loss(trace, i, j) -> np.ndarray:
        """The loss of the slice the surface shows, along the path's (i, j) coordinates."""
        base = trace.params[-1] if np.all(np.isfinite(trace.params[-1])) else trace.params[0]
        points = np.broadcast_to(base, trace.params.shape).copy()
        points[:, i], points[:, j] = trace.params[:, i], trace.params[:, j]
        with np.errstate(all="ignore"):
            return trace.problem.loss_many(points)

    def _inside(self, x, y):
        x_low, x_high, y_low, y_high = self.window
        return (x >= x_low) & (x <= x_high) & (y >= y_low) & (y <= y_high)

    def update(self, k: int):
        params = self.trace.params[: k + 1]
        self.path.set_data_3d(params[:, self.i], params[:, self.j], self.height[: k + 1])
        self.point.set_data_3d(params[-1:, self.i], params[-1:, self.j], self.height[k : k + 1])
        return [self.path, self.point]
