"""The 3-D view: the loss surface over two parameters with the path walked on it."""
from __future__ import annotations

import numpy as np

from ..words.i18n import _
from .base import View
from .contour import loss_levels, loss_norm
from .style import CURRENT, LOSS_COLOURMAP


class SurfaceView(View):
    """The loss as a 3-D surface, the path and the current point on it.

    The surface uses the contour's colour scale (the same levels), so a colour is the
    same loss in both. Two parameters: the true loss, computed once. More (see
    ``views.plane``): the slice through the current point, redrawn each frame, with the
    path at its true loss (only the current point lies on the slice, and it does); or the
    plane of the path, with the path drawn at the plane's height, as the title says.
    """

    name = "surface"
    projection = "3d"
    #: The plane of a many-parameter run: "slice" (through the point now) or "pca".
    plane = "slice"

    def __init__(self, coordinates: tuple[int, int] | None = None, resolution: int = 60,
                 contour_resolution: int = 160, plane: str | None = None):
        self.coordinates = coordinates
        self.resolution = resolution
        self.contour_resolution = contour_resolution
        if plane is not None:
            self.plane = plane

    @classmethod
    def supports(cls, trace) -> bool:
        return trace.problem is not None and trace.params.shape[1] >= 2

    def setup(self, ax, trace) -> None:
        from .plane import ViewPlane

        self.ax, self.trace = ax, trace
        self.view_plane = plane = ViewPlane(trace, self.plane, self.coordinates)
        frames = self.frame_iterations if len(self.frame_iterations) else [0, trace.iterations]
        first, last = int(frames[0]), int(frames[-1])
        if plane.moves:
            self.resolution = min(self.resolution, 30)  # redrawn every frame
            values = np.concatenate([plane.grid(k, self.resolution)[2].ravel()
                                     for k in (first, last)])
            levels = loss_levels(values)
        else:
            # The contour's own levels, from the contour's own grid: one colour scale.
            levels = loss_levels(plane.grid(first, self.contour_resolution)[2])
        self.levels = levels
        grid_x, grid_y, values = plane.grid(first, self.resolution)
        finite = values[np.isfinite(values)]
        self.floor = float(finite.min()) if finite.size else 0.0
        self.ceiling = float(levels[-1]) if levels is not None else 1.0
        if plane.moves:
            lows = [np.nanmin(plane.grid(k, self.resolution)[2]) for k in (first, last)]
            self.floor = float(np.nanmin(lows + [self.floor]))
        self.surface = None
        self._surface_frame = None
        if not plane.moves:
            self.resolution = min(self.resolution, 60)
        self._draw_surface(first)
        (x_low, x_high), (y_low, y_high) = plane.window
        self.window = (x_low, x_high, y_low, y_high)
        points = plane.points
        inside = self._inside(points[:, 0], points[:, 1])
        height = plane.plane_loss()
        # The path, lifted a hair above the surface so it is not hidden in it.
        lift = 0.01 * (self.ceiling - self.floor)
        self.height = np.where(inside, np.clip(height, None, self.ceiling), np.nan) + lift
        (self.path,) = ax.plot([], [], [], color=CURRENT, linewidth=2.5, zorder=5)
        (self.point,) = ax.plot([], [], [], "o", color=CURRENT,
                                markeredgecolor="black", markersize=8, zorder=6)
        (x_label, x_colour), (y_label, y_colour) = plane.axis_labels()
        ax.set_xlabel(x_label, color=x_colour, fontsize=9 if plane.kind == "pca" else None)
        ax.set_ylabel(y_label, color=y_colour, fontsize=9 if plane.kind == "pca" else None)
        # Room between the z tick labels and the axis's name ("150000" ran into "loss").
        ax.set_zlabel(_("loss"), labelpad=14)
        ax.tick_params(axis="z", pad=6)
        ax.set_zlim(self.floor, self.ceiling)
        title = plane.title(_("the loss as a surface"))
        if plane.kind == "pca":
            title += "\n" + _("(the path at the plane's height; its true loss: status)")
        elif plane.moves:
            title += "\n" + _("(the path at its true loss: only the point is on this slice)")
        ax.set_title(title, fontsize=11)
        ax.view_init(elev=35, azim=-60)

    def _faces(self, k: int):
        """The quadrilaterals of the surface drawn with iteration ``k`` and their losses
        (the mean of each one's corners), clipped to the colour scale's top."""
        grid_x, grid_y, values = self.view_plane.grid(k, self.resolution)
        z = np.clip(np.where(np.isfinite(values), values, self.ceiling), None, self.ceiling)
        corners = [(slice(None, -1), slice(None, -1)), (slice(None, -1), slice(1, None)),
                   (slice(1, None), slice(1, None)), (slice(1, None), slice(None, -1))]
        quads = np.stack([np.stack([grid_x[r, c], grid_y[r, c], z[r, c]], axis=-1)
                          for r, c in corners], axis=2)  # (rows, columns, 4, 3)
        quads = quads.reshape(-1, 4, 3)
        return quads, quads[:, :, 2].mean(axis=1)

    def _draw_surface(self, k: int):
        """The surface of iteration ``k``: made once, its faces replaced when the slice
        moved (the same artist, as every view's update keeps its artists)."""
        from mpl_toolkits.mplot3d.art3d import Poly3DCollection

        if self.surface is not None and (not self.view_plane.moves or self._surface_frame == k):
            return [self.surface]
        quads, heights = self._faces(k)
        if self.surface is None:
            self.surface = Poly3DCollection(quads, cmap=LOSS_COLOURMAP, alpha=0.75, linewidth=0,
                                            antialiased=True,
                                            norm=loss_norm(self.levels) if self.levels is not None
                                            else None)
            self.surface.set_array(heights)
            self.ax.add_collection3d(self.surface)
            (x_low, x_high), (y_low, y_high) = self.view_plane.window
            self.ax.set_xlim(x_low, x_high)
            self.ax.set_ylim(y_low, y_high)
        else:
            self.surface.set_verts(quads)
            self.surface.set_array(heights)
        self._surface_frame = k
        return [self.surface]

    def _inside(self, x, y):
        x_low, x_high, y_low, y_high = self.window
        return (x >= x_low) & (x <= x_high) & (y >= y_low) & (y <= y_high)

    def update(self, k: int):
        points = self.view_plane.points[: k + 1]
        self.path.set_data_3d(points[:, 0], points[:, 1], self.height[: k + 1])
        self.point.set_data_3d(points[-1:, 0], points[-1:, 1], self.height[k: k + 1])
        artists = [self.path, self.point]
        if self.view_plane.moves:
            surface = self._draw_surface(k)
            if getattr(self.ax, "M", None) is not None:  # projected once the axes were drawn
                surface[0].do_3d_projection()
            artists = surface + artists
        return artists
