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
import sys
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


_asked = {"stop": False}


def stop_asked() -> bool:
    """Whether a stop was asked before this server process could listen for it."""
    return _asked["stop"]


def stop_on_sigterm(io_loop, once: bool = False) -> None:
    """SIGTERM ends the server's event loop, as Ctrl-C does (its ``finally`` cleans up).
    ``once``: a second SIGTERM is ignored (a server process of several gets one from
    ``kill`` and one from its supervisor; dying of the second would have it restarted)."""
    def stop(_signal, _frame):
        if once:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        io_loop.add_callback_from_signal(io_loop.stop)

    signal.signal(signal.SIGTERM, stop)


def _children(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == parent:
                found.append(int(entry))
    return found


def supervise_children() -> None:
    """In the process that will fork the server processes: SIGTERM or Ctrl-C sends each
    server process SIGTERM (each stops cleanly, exit code 0); Bokeh's supervising loop
    then sees them all gone and exits."""
    parent = os.getpid()

    def forward(_signal, _frame):
        # Asked before the fork, or in a server process before its own handler is set:
        # remembered, and the server process stops as soon as it starts (``stop_asked``).
        _asked["stop"] = True
        if os.getpid() != parent:
            return
        for child in _children(parent):
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)


def serve_in_child(supervisor: int | None = None) -> None:
    """In a forked server process: Ctrl-C is the supervisor's to forward (a terminal
    sends it to every process of the group: the supervisor's SIGTERM stops this one). A
    supervisor killed outright (``kill -9``, the OOM killer) cannot forward anything: on
    Linux the kernel then sends this process SIGTERM itself, so no server outlives it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGTERM))  # PDEATHSIG
        except (OSError, AttributeError):
            return
        if supervisor is not None and os.getppid() != supervisor:  # gone already
            os.kill(os.getpid(), signal.SIGTERM)
