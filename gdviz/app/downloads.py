"""A page's downloads: the run on the page as a GIF, an MP4, an HTML player or its trace,
made by a worker within a budget (a failure is one line in the page, never a file)."""
from __future__ import annotations

import io

import panel as pn

from . import jobs
from .choices import EXPORT_TIME
from ..words.i18n import N_, _, speaking
from ..words.widths import closed_up

#: What the page offers to download: (its words, its suffix).
KINDS = (("GIF", "gif"), ("MP4", "mp4"), (N_("HTML player"), "html"),
         (N_("trace JSON"), "json"))


def buttons(page) -> list:
    """The download buttons of ``page`` (its ``request()``, ``runner``, ``folder()``,
    ``lang``, ``say_error``, ``failure`` and ``lesson``: none while an answer is awaited)."""
    return [pn.widgets.FileDownload(label=closed_up(_("download {what}").format(what=_(what))),
                                    filename=f"gdviz.{suffix}", callback=_maker(page, suffix))
            for what, suffix in KINDS]


def _maker(page, suffix: str):
    async def make():
        import asyncio

        if page.lesson.hidden is not None:  # the run past the step asked about: not yet
            with speaking(page.lang):
                page.lesson.refuse(_("answer first: the download would show what comes next"))
            return None
        try:
            request = page.request()
            future = page.runner.submit((id(page), "download"), True, jobs.export, request,
                                        suffix, str(page.folder()),
                                        seconds=EXPORT_TIME * page.runner.budget.seconds)
            return io.BytesIO(await asyncio.wrap_future(future))
        except Exception as error:  # noqa: BLE001 - one line in the page, no file
            with speaking(page.lang):
                page.say_error(_("the {kind} could not be made: {error}").format(
                    kind=suffix.upper(), error=page.failure(error)))
            return None

    return make
