"""A page's upload as a problem: its header read as the command line reads it, its
columns read once (pandas) and then from one NumPy copy beside it."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from .messages import Upload
from ..scene import Scene
from ..words.i18n import _


def _load_upload(upload: Upload):
    """The upload's columns, read once (pandas) and then from a NumPy copy beside it."""
    from ..data import load_csv

    name = hashlib.sha256(repr((upload.x_columns, upload.y_column)).encode()).hexdigest()[:16]
    cached = Path(upload.path).with_name(f"columns-{name}.npz")
    if cached.exists():
        with np.load(cached, allow_pickle=False) as saved:
            x, y = saved["x"], saved["y"]
    else:
        x, y = load_csv(upload.path, list(upload.x_columns), upload.y_column)
        # One copy at a time: each choice of columns would otherwise add its own.
        for old in cached.parent.glob("columns-*.npz"):
            old.unlink(missing_ok=True)
        partial = cached.with_suffix(".partial.npz")
        np.savez(partial, x=x, y=y)
        partial.replace(cached)
    return x, y, list(upload.x_columns), upload.y_column


def make_problem(scene: Scene, upload: Upload | None):
    if scene.problem == "csv" or (upload is not None and scene.problem in ("linear", "polynomial",
                                                                           "logistic", "mlp")):
        if upload is None:
            raise ValueError(_("choose a CSV file to upload (a header row, then numbers)"))
        return scene.make_problem(_load_upload(upload))
    return scene.make_problem()


def read_upload(path: str) -> list[str]:
    """The header's column names of an uploaded CSV (the command line's own first look:
    delimiter sniffing, binary and long-line checks)."""
    from ..data import check_file, sniff

    check_file(Path(path))
    _delimiter, columns = sniff(Path(path))
    if not columns or not any(columns):
        raise ValueError(_("the file has no header row (names of the columns)"))
    return columns
