"""Draw an animation's frames as fast as Agg allows: static parts once, then blit."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg


@contextmanager
def _figure_dpi(figure, dpi):
    old = figure.dpi
    if dpi is not None:
        figure.set_dpi(dpi)
    try:
        yield
    finally:
        figure.set_dpi(old)


def render_frames(anim, dpi: float | None = None) -> Iterator[np.ndarray]:
    """Yield each frame of ``anim`` as an RGB array of shape (height, width, 3).

    The figure is drawn once without the artists that change; each frame then
    restores that background and draws only the changed artists (blitting).
    """
    figure = anim._fig
    canvas = figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        canvas = FigureCanvasAgg(figure)
    iterations = [int(i) for i in anim.frame_iterations]
    changing = anim.draw_iteration(iterations[0])
    was_animated = [artist.get_animated() for artist in changing]
    with _figure_dpi(figure, dpi):
        try:
            for artist in changing:
                artist.set_animated(True)
            canvas.draw()
            background = canvas.copy_from_bbox(figure.bbox)
            for i in iterations:
                canvas.restore_region(background)
                for artist in anim.draw_iteration(i):
                    figure.draw_artist(artist)
                # Copy: the buffer is reused for the next frame.
                yield np.array(canvas.buffer_rgba())[:, :, :3]
        finally:
            for artist, animated in zip(changing, was_animated):
                artist.set_animated(animated)
