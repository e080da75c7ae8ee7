"""The 3-D view: the loss surface over two parameters with the path walked on it."""
from __future__ import annotations

import numpy as np

from .base import PALETTE, View
from .contour import loss_grid, most_moved


class SurfaceView(View):
    """The loss as a 3-D surface (computed once), the path and the current point on it."""

    name = "surface"
    projection = "3d"
    show_status = False

    def __init__(self, coordinates: tuple[int, int] | None = None, resolution: int = 60):
        self.coordinates = coordinates
        self.resolution = resolution

    @classmethod
    def supports(cls, trace) -> bool:
        return trace.problem is not None and trace.params.shape[1] >= 2

    def setup(self, ax, trace) -> None:
        self.trace = trace
        i, j = self.coordinates or most_moved(trace.params)
        self.i, self.j = i, j
        grid_x, grid_y, values = loss_grid(trace, i, j, self.resolution)
        finite = values[np.isfinite(values)]
        self.floor = float(finite.min()) if finite.size else 0.0
        self.ceiling = float(np.percentile(finite, 98)) if finite.size else 1.0
        clipped = np.clip(np.where(np.isfinite(values), values, self.ceiling), None, self.ceiling)
        ax.plot_surface(grid_x, grid_y, clipped, cmap="viridis", alpha=0.75, linewidth=0,
                        antialiased=True, rcount=self.resolution, ccount=self.resolution)
        self.window = (grid_x[0, 0], grid_x[0, -1], grid_y[0, 0], grid_y[-1, 0])
        # The path, lifted a hair above the surface so it is not hidden in it.
        lift = 0.01 * (self.ceiling - self.floor)
        inside = self._inside(trace.params[:, i], trace.params[:, j])
        height = np.where(inside, np.clip(trace.loss, None, self.ceiling), np.nan)
        self.height = height + lift
        (self.path,) = ax.plot([], [], [], color=PALETTE["path"], linewidth=2.5, zorder=5)
        (self.point,) = ax.plot([], [], [], "o", color=PALETTE["path"],
                                markeredgecolor="black", markersize=8, zorder=6)
        names = trace.param_names
        ax.set_xlabel(names[i])
        ax.set_ylabel(names[j])
        ax.set_zlabel("loss")
        ax.set_zlim(self.floor, self.ceiling)
        ax.set_title(f"loss surface over ({names[i]}, {names[j]})", fontsize=12)
        ax.view_init(elev=35, azim=-60)

    def _inside(self, x, y):
        x_low, x_high, y_low, y_high = self.window
        return (x >= x_low) & (x <= x_high) & (y >= y_low) & (y <= y_high)

    def update(self, k: int):
        params = self.trace.params[: k + 1]
        self.path.set_data_3d(params[:, self.i], params[:, self.j], self.height[: k + 1])
        self.point.set_data_3d(params[-1:, self.i], params[-1:, self.j], self.height[k : k + 1])
        return [self.path, self.point]
