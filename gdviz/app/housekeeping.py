"""The server's own temporary folder, and a clean stop.

Everything a running server writes (pages' uploads and downloads, its workers' files)
goes in one folder, ``TMP/gdviz-app-<pid>-…``, removed when the
server stops. A server killed before it could remove its folder leaves it behind: the
next server to start removes every such folder whose process is gone.

SIGTERM (``kill``, systemd, ``docker stop``) stops the server as Ctrl-C does: it stops
accepting, ends its workers, removes its folder and exits.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import tempfile
from pathlib import Path

PREFIX = "gdviz-app-"
_FOLDER = re.compile(rf"^{PREFIX}(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive, and not ours to sweep
        return True
    return True


def sweep(root: str | os.PathLike | None = None) -> list[Path]:
    """Remove the folders servers that are gone left in ``root`` (the system's temporary
    folder by default); returns those removed."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    for folder in root.glob(f"{PREFIX}*"):
        found = _FOLDER.match(folder.name)
        if found and folder.is_dir() and not _alive(int(found.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


class ServerFolder:
    """This server's temporary folder: made at start (after sweeping what killed servers
    left), made the process's temporary folder (and its workers', through ``TMPDIR``),
    removed with everything in it by ``remove``."""

    def __init__(self):
        import multiprocessing.util

        self.swept = sweep()
        # multiprocessing's own folder (its fork server's socket) stays where it is: it
        # lives as long as this process, and removes itself at exit.
        multiprocessing.util.get_temp_dir()
        self.path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
        self._saved = tempfile.tempdir, os.environ.get("TMPDIR")
        tempfile.tempdir = str(self.path)
        os.environ["TMPDIR"] = str(self.path)

    def remove(self) -> None:
        tempfile.tempdir, before = self._saved
        if before is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = before
        shutil.rmtree(self.path, ignore_errors=True)


def stop_on_sigterm(io_loop) -> None:
    """SIGTERM ends the server's event loop, as Ctrl-C does (its ``finally`` cleans up)."""
    def stop(_signal, _frame):
        io_loop.add_callback_from_signal(io_loop.stop)

    signal.signal(signal.SIGTERM, stop)
