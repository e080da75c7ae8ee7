"""Writers chosen by file suffix, each writing to a temporary name first.

A failed or interrupted export never leaves a half-written file and never
touches an existing file at the destination: the result is renamed into
place only when complete.
"""
from __future__ import annotations

import difflib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def write_gif(anim, path: Path, *, fps: float | None = None, dpi: float | None = 80) -> None:
    """An animated GIF: frames blitted, then encoded with one shared palette."""
    from PIL import Image

    from .render import render_frames

    frames = [Image.fromarray(rgb) for rgb in render_frames(anim, dpi=dpi)]
    # One palette for all frames, taken from the first and last (which hold
    # every colour the views use), is ~10x faster than a palette per frame
    # and keeps colours from flickering.
    sample = Image.new("RGB", (frames[0].width, frames[0].height * 2))
    sample.paste(frames[0], (0, 0))
    sample.paste(frames[-1], (0, frames[0].height))
    palette = sample.quantize(colors=255, method=Image.Quantize.MAXCOVERAGE)
    indexed = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    frame_ms = int(round(1000 / fps)) if fps else max(int(anim._interval), 20)
    durations = [frame_ms] * len(indexed)
    durations[-1] = max(frame_ms, 2000)  # hold the final state before looping
    with atomic_path(path) as temporary:
        indexed[0].save(temporary, format="GIF", save_all=True, append_images=indexed[1:],
                        duration=durations, loop=0)


def write_png(anim, path: Path, *, fps: float | None = None, dpi: float | None = 100) -> None:
    """A still of the final state."""
    anim.draw_iteration(int(anim.frame_iterations[-1]))
    with atomic_path(path) as temporary:
        anim._fig.savefig(temporary, format="png", dpi=dpi)


def write_trace(anim, path: Path, *, fps: float | None = None, dpi: float | None = None) -> None:
    """The trace itself: ``.json`` and ``.npz`` load back with ``Trace.load``; ``.csv``
    is a table for spreadsheets."""
    trace = getattr(anim, "trace", anim)
    if trace is None:
        raise ValueError(f"a comparison holds several runs: save each run's trace with "
                         f"trace.save(...), or the comparison as .gif or .png, not {path.suffix}")
    with atomic_path(path) as temporary:
        trace.write(temporary, path.suffix.lower().lstrip("."))


#: File suffix -> writer. Each writer takes (animation or trace, path, fps=, dpi=).
WRITERS = {".gif": write_gif, ".png": write_png, ".json": write_trace, ".npz": write_trace,
           ".csv": write_trace}
#: The writers that need only a trace, not a drawing.
TRACE_SUFFIXES = (".json", ".npz", ".csv")


def check_output_path(path) -> Path:
    """Return ``path`` if it can be written by a known writer, else raise ``ValueError``."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ValueError(f"cannot save to {path}: it is a folder; give a file name")
    suffix = path.suffix.lower()
    if suffix not in WRITERS:
        known = ", ".join(WRITERS)
        close = difflib.get_close_matches(suffix, list(WRITERS), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        problem = f"'{suffix}' is not a known format" if suffix else "the name has no suffix"
        raise ValueError(f"cannot save {path.name!r}: {problem}; {hint}use one of {known}")
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(f"cannot save to {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"cannot save to {path}: the folder {folder} is not writable")
    return path


def save(anim, path, *, fps: float | None = None, dpi: float | None = None) -> Path:
    """Write ``anim`` (an animation, or a trace for .json/.npz/.csv) to ``path`` with
    the writer its suffix names; return the path."""
    path = check_output_path(path)
    if not hasattr(anim, "frame_iterations") and path.suffix.lower() not in TRACE_SUFFIXES:
        raise ValueError(f"a trace saves as {', '.join(TRACE_SUFFIXES)}; for "
                         f"{path.suffix} make an animation first: gdviz.animate(trace)")
    writer = WRITERS[path.suffix.lower()]
    options = {"fps": fps}
    if dpi is not None:
        options["dpi"] = dpi
    writer(anim, path, **options)
    return path.resolve()


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
