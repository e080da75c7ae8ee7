"""A page's CSV upload: its size bounded in the browser and here, kept on disk under the
student's own file name, its header read by a worker, its columns offered in the pickers.

(The worker's side, reading the columns and making the problem, is ``uploads``.)
"""
from __future__ import annotations

import html
import logging
import re
from pathlib import Path

import panel as pn
import param

from . import messages, uploads
from .choices import MAX_UPLOAD_BYTES
from .loop import held
from ..words.i18n import _

log = logging.getLogger("gdviz.app")


class UploadBox:
    """The upload of one page (``page``: its ``controls``, ``runner``, ``figure``,
    ``folder()``, ``say_error``, ``new_request()``, ``is_newest``, ``on_loop`` and
    ``refresh``)."""

    def __init__(self, page):
        self.page = page
        self.kept = None  # (file name, path, its columns, rows) of the upload read
        controls = page.controls
        controls.csv_file.param.watch(self._uploaded, "value")
        controls.csv_file.param.watch(self._refused, "refused")

    @property
    def rows(self) -> int | None:
        return self.kept[3] if self.kept is not None else None

    def upload(self) -> messages.Upload | None:
        """What a worker needs of the upload, for a run on it (None: the problem is not
        the upload's; ``ValueError`` in one line while it is not ready)."""
        controls = self.page.controls
        if controls.problem.value != "csv":
            return None
        if self.kept is None:
            raise ValueError(_("choose a CSV file to upload (a header row, then numbers)"))
        if not controls.x_columns.value or not controls.y_column.value:
            raise ValueError(_("pick the input column(s) and the target column"))
        return messages.Upload(self.kept[1], tuple(controls.x_columns.value),
                               controls.y_column.value)

    @held
    def _refused(self, event):
        if event.new:
            self.page.say_error(event.new)

    @held
    def _uploaded(self, event):
        """A CSV from the page: written to the page's folder, its header read by a
        worker (the command line's own first look)."""
        page = self.page
        files = event.new or {}
        if not files:
            return
        name, content = list(files.items())[-1]
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        if len(data) > MAX_UPLOAD_BYTES:
            page.say_error(_("{name}: {size:.1f} MB is more than the {limit} MB this page "
                             "takes; use the command line (gdviz run --csv FILE) for bigger "
                             "files").format(name=name, size=len(data) / 2**20,
                                             limit=MAX_UPLOAD_BYTES // 2**20))
            return
        try:
            folder = page.folder()
            for old in [*folder.glob("columns-*.npz"), *folder.glob("*.csv")]:
                old.unlink()
            # Named as the student named it (messages about it name their file, not the
            # server's), with only letters, digits, '-', '_' and '.' kept.
            path = folder / upload_name(name)
            path.write_bytes(data)
        except OSError as error:  # said in one line; the upload itself never reaches a log
            log.error("an upload could not be kept: %s", type(error).__name__)
            page.say_error(_("{name}: the server could not keep the file ({error})").format(
                name=name, error=error.strerror))
            return
        page.controls.csv_file.value.clear()  # kept on disk only: not twice in memory
        self.kept = None
        number = page.new_request()
        try:
            future = page.runner.submit(id(page), False, uploads.read_upload, str(path))
        except RuntimeError as error:
            page.say_error(str(error))
            return
        rows = data.count(b"\n")
        if not future.done():
            page.figure.pending.text = _("reading the file…")
        future.add_done_callback(lambda done: page.on_loop(
            lambda: self._columns_read(number, name, path, rows, done)))

    def _columns_read(self, number, name, path, rows, future):
        page = self.page
        if not page.is_newest(number):
            return
        page.figure.pending.text = ""
        try:
            columns = future.result()
        except Exception as error:  # noqa: BLE001 - every failure is one line in the page
            page.say_error(f"{name}: {page.failure(error).split(': ', 1)[-1]}")
            return
        self.kept = (name, str(path), columns, rows)
        controls = page.controls
        with controls.quiet():
            controls.x_columns.options = {html.escape(c): c for c in columns}  # HTML there
            controls.y_column.options = columns
            controls.x_columns.value = columns[:1]
            controls.y_column.value = columns[-1]
        page.refresh(pick_rate=controls.problem_defaults())


class BoundedDropper(pn.widgets.FileDropper):
    """Panel's file dropper (the size checked in the browser, the file sent in chunks well
    under the server's message limit) with the size checked again here, chunk by chunk:
    a page that skips the browser's check cannot fill the server's memory."""

    refused = param.String(default="", doc="Why the last upload was refused (one line).")

    _rename = {**pn.widgets.FileDropper._rename, "refused": None}  # the server's own

    def _process_event(self, event):
        data = event.data
        if event.event_name == "upload_event":
            name = str(data.get("name", ""))[:200]
            chunk, total = int(data.get("chunk", 0)), int(data.get("total_chunks", 0))
            size = (self._received if chunk != 1 else 0) + len(data.get("data") or b"")
            self._received = size
            limit = MAX_UPLOAD_BYTES
            if size > limit or total * self.chunk_size > limit + self.chunk_size:
                self._file_buffer.clear()
                self.refused = _("{name}: more than the {limit} MB this page takes; use the "
                                 "command line (gdviz run --csv FILE) for bigger files").format(
                    name=name, limit=limit // 2**20)
                return
            if chunk == 1:
                self._file_buffer.clear()  # one file at a time
                self.value.clear()
                self.refused = ""
        super()._process_event(event)

    _received = 0


def upload_name(name: str) -> str:
    """The file name an upload is kept under: the student's own, made safe.

    >>> upload_name("marks 2024.csv"), upload_name("../../etc/passwd"), upload_name("")
    ('marks_2024.csv', 'passwd.csv', 'upload.csv')
    """
    stem = re.sub(r"[^\w.-]", "_", Path(str(name)).name)[:60].strip("._")
    if not stem:
        return "upload.csv"
    return stem if stem.lower().endswith(".csv") else f"{stem}.csv"
