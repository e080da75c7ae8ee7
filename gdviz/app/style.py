"""The page's look shared by its parts: the aligned text's font, the pictures' palettes
as Bokeh's, charts without the glyphs they never use, and empty sources."""
from __future__ import annotations

import numpy as np

#: Aligned text (the boards, the counter): monospace, then the Chinese subset.
MONOSPACE_CSS = "monospace, 'Noto Sans SC gdviz'"


def class_palette(classes: int, shades: bool = False) -> list[str]:
    """The classes' colours (the pictures' own); with ``shades``, 64 steps from class 0's
    colour through white to class 1's, for a probability."""
    from ..views.network_map import CLASS_COLOURS

    if not shades:
        return list(CLASS_COLOURS[:classes])
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    ramp = LinearSegmentedColormap.from_list("p", [CLASS_COLOURS[0], "#FFFFFF",
                                                   CLASS_COLOURS[1]])
    return [to_hex(ramp(v)) for v in np.linspace(0, 1, 64)]


def lean(*charts) -> None:
    """Drop the glyphs Bokeh's plotting API adds to every renderer for a selected or a
    muted state: the page has no selection tool and no muting legend, and every model
    costs the server's event loop each time the page's document is built or walked."""
    from bokeh.models import GlyphRenderer

    for chart in charts:
        for renderer in chart.renderers:
            if isinstance(renderer, GlyphRenderer):
                renderer.nonselection_glyph = "auto"
                renderer.muted_glyph = "auto"


def ramp(colour_map, steps: int = 64) -> list[str]:
    """A matplotlib colour map as a Bokeh palette: the pictures' and the page's colours
    are the same."""
    from matplotlib.colors import to_hex

    return [to_hex(colour_map(v)) for v in np.linspace(0, 1, steps)]


def empty_path():
    return {"x": [], "y": [], "iteration": [], "loss": []}


def empty_race() -> tuple[dict, dict, dict]:
    """The race's shared sources, empty: its lines (paths and loss curves), the dots along
    its paths and each run's current point, each with its colour."""
    return ({"xs": [], "ys": [], "its": [], "losses": [], "colour": []},
            {"x": [], "y": [], "colour": []},
            {**empty_path(), "colour": []})
