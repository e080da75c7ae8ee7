"""The page's views and the sizes of its parts in each (``?view=`` in the link).

- the default: the controls beside the charts, the whole page within a 1366 × 768 laptop
  screen's width;
- ``student``: one column no wider than a 390 px phone: the lesson, the picture, the
  question and its answer box under it, then the other charts and the controls;
- ``present``: for a projector at 1920 × 1080: no controls, the picture, the loss and the
  caption large enough to read from the back of a room.

Sizes are set when the page is built (Bokeh lays out fixed sizes without measuring).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from ..words.i18n import _

#: The views a link may ask for (``""``: the default).
VIEWS = ("", "student", "present")


@dataclass(frozen=True)
class Sizes:
    """Widths and heights (px) of the page's parts in one view."""

    text: int  # the lesson's text, the error line, the runs' status
    contour: tuple[int, int]  # the contour's chart, about (its axes, colour bar, tools)
    frame: int  # the contour's plotting area, square: a function's x and y to scale
    side: tuple[int, int]  # the loss chart and the data chart, each
    board: tuple[int, int]  # the arithmetic of the step
    promise: tuple[int, int]  # promise and delivery
    caption: int
    scrub: int
    controls: int  # the controls' column (0: none)
    toolbar: str | None = "right"  # where the charts' tools are (None: none shown)
    font: int = 0  # the charts' titles and axes, px (0: Bokeh's own)
    caption_font: int = 14
    text_font: int = 13  # the lesson's text and the runs' status, px
    one_column: bool = False

    @property
    def status_line(self) -> int:
        """The height of one run's line of the status (px)."""
        return self.text_font + 12  # a line of Chinese is taller than a line of Latin


SIZES = {
    "": Sizes(text=920, contour=(470, 420), frame=320, side=(430, 260), board=(500, 340),
              promise=(420, 250), caption=600, scrub=340, controls=330),
    "student": Sizes(text=360, contour=(370, 340), frame=225, side=(370, 230),
                     board=(370, 340),
                     promise=(370, 230), caption=360, scrub=200, controls=360, toolbar=None,
                     one_column=True),
    "present": Sizes(text=1800, contour=(860, 600), frame=520, side=(860, 300), board=(0, 0),
                     promise=(0, 0), caption=1800, scrub=700, controls=0, font=18,
                     caption_font=28, text_font=22),
}


def link_view(query: dict | None) -> tuple[str, str | None]:
    """The view a link's ``view=`` asks for, and why it was refused (the default view)."""
    if not query or "view" not in query:
        return "", None
    try:
        return checked_view(str(query["view"])), None
    except ValueError as error:
        return "", str(error)


def checked_view(text: str) -> str:
    """The view a link names (``student``, ``present``; empty for the default), or a
    one-line ``ValueError``."""
    name = text.strip().lower()
    if name in VIEWS:
        return name
    raise ValueError(_("view must be student or present (not {view!r}); leave it out for "
                       "the page with its controls").format(view=text[:20]))


def page_link(scene, race, lesson, lang: str, view: str) -> str:
    """The link to what a page shows (``?…``): its scene and race, its lesson (``lesson``:
    the page's ``LessonMode``), its language and view."""
    query = scene.to_query()
    if race:
        query["race"] = ";".join(entry.run_spec() for entry in race)
    lesson.link(query)
    if lang != "en":
        query["lang"] = lang
    if view:
        query["view"] = view
    return "?" + urlencode(query)
