"""A page's event loop: a handler's changes sent in one message, in the page's language,
and work handed to the loop from the pool's thread (where a worker's answer arrives)."""
from __future__ import annotations

import functools

import panel as pn

from ..words.i18n import speaking


def held(handler):
    """Send everything an event changes in one message (one redraw in the browser). The
    handler's object is the page, or has it as ``page``."""

    @functools.wraps(handler)
    def wrapper(self, *args, **kwargs):
        page = getattr(self, "page", self)
        document = pn.state.curdoc
        with speaking(page.lang):  # every word made here in the page's own language
            if document is None or document.session_context is None:
                return handler(self, *args, **kwargs)
            with pn.io.hold(document):
                return handler(self, *args, **kwargs)

    return wrapper


def on_loop(document, lang: str, work) -> None:
    """Run ``work`` on ``document``'s event loop (now, with no document), its changes
    sent in one message, in the language ``lang``."""
    if document is None:
        with speaking(lang):
            work()
        return
    from panel.io.state import set_curdoc

    def run():
        with set_curdoc(document), pn.io.hold(document), speaking(lang):
            work()

    try:
        document.add_next_tick_callback(run)
    except Exception:  # noqa: BLE001 - the page has closed meanwhile: nothing to show
        pass
