"""Writing a user's file safely: into a folder that exists and is writable, never half
written (a temporary file beside it, renamed over it once whole)."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .words.i18n import _


def check_folder(path) -> Path:
    """``path`` if a file can be written there (not a folder, in a writable folder that
    exists), else a ``ValueError`` in one line."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ValueError(_("cannot save to {path}: it is a folder; give a file name").format(
            path=path))
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(_("cannot save to {path}: the folder {folder} does not exist").format(
            path=path, folder=folder))
    if not os.access(folder, os.W_OK):
        raise ValueError(_("cannot save to {path}: the folder {folder} is not writable")
                         .format(path=path, folder=folder))
    return path


@contextmanager
def atomic_path(path: Path):
    """Yield a temporary file name beside ``path``; rename it to ``path`` on success."""
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".part")
    os.close(descriptor)
    try:
        yield temporary
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
