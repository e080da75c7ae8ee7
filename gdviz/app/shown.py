"""A column that holds only what has been shown: a widget hidden when the page is built
(the network's builder on a test function, the upload's pickers, an optimizer's settings
it does not take) is built into the page the first time it is shown, not before. Every
widget a page holds costs the server each time a page is built and sent."""
from __future__ import annotations

import panel as pn


class ShownColumn:
    """``items`` (Panel objects, in their order) in a Panel column (``panel``), each from
    the first time it is visible on; once there it stays, hidden or not. ``always``: items
    there from the start, hidden or not (a widget whose browser code is loaded with the
    page, only for the models the page starts with: the file dropper's)."""

    def __init__(self, items, always=(), **settings):
        self.items = list(items)
        self._placed: set[int] = {id(item) for item in always}
        for item in self.items:
            if "visible" in item.param:
                item.param.watch(self._visibility, "visible")
        self.panel = pn.Column(**settings)
        self._place()

    @property
    def placed(self) -> list:
        """The items in the column now."""
        return list(self.panel.objects)

    def _visibility(self, event) -> None:
        if event.new and id(event.obj) not in self._placed:
            self._place()

    def _place(self) -> None:
        shown = [item for item in self.items if id(item) in self._placed or item.visible]
        self._placed = {id(item) for item in shown}
        self.panel.objects = shown
