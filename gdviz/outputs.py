"""Writers chosen by file suffix, each writing to a temporary name first.

A failed or interrupted export never leaves a half-written file and never
touches an existing file at the destination: the result is renamed into
place only when complete.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from ._validate import did_you_mean
from .files import atomic_path, check_folder
from .words.i18n import N_, _, listed


def _frames(anim, dpi, progress, what):
    """The animation's frames as RGB arrays, with a progress bar on a terminal
    once an export has taken a second."""
    from . import render

    frames = render.render_frames(anim, dpi=dpi)
    if progress is False:
        return frames
    from tqdm import tqdm

    return tqdm(frames, total=len(anim.frame_iterations), desc=f"gdviz: {what}", unit="frame",
                delay=1.0, leave=False, disable=None)


def _title(anim) -> str:
    suptitle = anim._fig._suptitle
    return suptitle.get_text() if suptitle is not None else "gdviz"


def alt_text(anim) -> str:
    """What the animation shows, in words (``gdviz.describe``), for its alt text."""
    from .words import describe

    traces = [anim.trace] if getattr(anim, "trace", None) is not None else getattr(anim, "traces", [])
    return " ".join(describe(trace) for trace in traces) or _title(anim)


def _frame_ms(anim, fps) -> int:
    return int(round(1000 / fps)) if fps else max(int(anim._interval), 20)


#: How long the first and the last frame stay up: time to see the start, and to read
#: the ending before a GIF loops.
FIRST_HOLD_MS, LAST_HOLD_MS = 1500, 4000
#: A frame whose caption is a new sentence stays up long enough to read it: 15
#: characters a second, at least 1.5 s (a caption is at most 100 characters: 6.7 s).
READING_CHARACTERS_PER_SECOND, READING_MIN_MS, READING_MAX_MS = 15, 1500, 7000
#: A caption's sentence is new when none of this many frames before it said it.
RECENT_FRAMES = 8
#: A default animation lasts at most about this long (a teacher's GIF loops in well under
#: a minute): ``gdviz.animate`` draws fewer frames to stay inside it, never shorter holds.
LONGEST_MS = 45_000
#: Sentences never held: a rise too small to see on the loss axis is said, not dwelt on.
UNHELD_KINDS = frozenset({"rose-slight"})


def reading_ms(words: str) -> int:
    """How long ``words`` take to read, within the bounds above."""
    ms = 1000 * len(words) / READING_CHARACTERS_PER_SECOND
    return int(min(max(ms, READING_MIN_MS), READING_MAX_MS))


def held_durations(words, kinds, frame_ms: int) -> list[int]:
    """Milliseconds each frame stays up, from its caption: the first held to see the start
    (and read its words), the last to read the ending, and a frame whose caption is a
    new kind of sentence (none of the ``RECENT_FRAMES`` before said it) its reading
    time; the others at the frames' own pace. In whole hundredths of a second, as a GIF
    counts them, so subtitles timed from these end when the GIF does."""
    count = len(words)
    durations = [frame_ms] * count
    for k in range(1, count - 1):
        if words[k] and kinds[k] not in UNHELD_KINDS \
                and kinds[k] not in kinds[max(0, k - RECENT_FRAMES): k]:
            durations[k] = max(frame_ms, reading_ms(words[k]))
    if count > 1:
        durations[0] = max(frame_ms, FIRST_HOLD_MS, reading_ms(words[0]) if words[0] else 0)
    if count:
        durations[-1] = max(frame_ms, LAST_HOLD_MS, reading_ms(words[-1]) if words[-1] else 0)
    return [max(10 * round(d / 10), 20) for d in durations]


def frame_durations(anim, fps) -> list[int]:
    """Milliseconds each frame of ``anim`` stays up (``held_durations`` of its captions)."""
    count = len(anim.frame_iterations)
    words = getattr(anim, "frame_captions", None) or [""] * count
    kinds = getattr(anim, "frame_kinds", None) or [""] * count
    return held_durations(words, kinds, _frame_ms(anim, fps))


def cue_times(durations) -> list[tuple[int, int]]:
    """(start, end) in milliseconds of each frame shown for ``durations``."""
    ends = np.cumsum(durations).tolist()
    return list(zip([0] + ends[:-1], ends))


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(int(ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def subtitles(words, durations, kind: str) -> str:
    """The text of a WebVTT (``kind="vtt"``) or SubRip (``"srt"``) file: one cue per
    frame, each as long as the frame stays up."""
    import html

    blocks = ["WEBVTT\n"] if kind == "vtt" else []
    separator = "." if kind == "vtt" else ","
    for number, ((start, end), text) in enumerate(zip(cue_times(durations), words), 1):
        text = " ".join(text.split()) or "…"
        if kind == "vtt":  # a cue's text is markup: &, < and > are written as entities
            text = html.escape(text, quote=False)
        blocks.append(f"{number}\n{_clock(start, separator)} --> {_clock(end, separator)}\n"
                      f"{text}\n")
    return "\n".join(blocks)


def write_subtitles(anim, path: Path, *, fps: float | None = None, dpi: float | None = None,
                    progress: bool | None = None) -> None:
    """The narrator's captions as subtitles (``.vtt`` WebVTT, ``.srt`` SubRip): one cue
    per frame, timed exactly as the frames of the same animation saved as a GIF."""
    if not hasattr(anim, "frame_iterations"):
        raise ValueError(_("subtitles follow an animation's frames: for {suffix} make an "
                           "animation first: gdviz.animate(trace)").format(suffix=path.suffix))
    text = subtitles(anim.frame_captions, frame_durations(anim, fps),
                     path.suffix.lower().lstrip("."))
    with atomic_path(path) as temporary:
        Path(temporary).write_text(text, encoding="utf-8")


def write_gif(anim, path: Path, *, fps: float | None = None, dpi: float | None = 80,
              progress: bool | None = None) -> None:
    """An animated GIF: frames blitted, then encoded with one shared palette."""
    from PIL import Image

    frames = [Image.fromarray(rgb) for rgb in _frames(anim, dpi, progress, path.name)]
    # One palette for all frames, taken from the first and last (which hold
    # every colour the views use), is ~10x faster than a palette per frame
    # and keeps colours from flickering.
    sample = Image.new("RGB", (frames[0].width, frames[0].height * 2))
    sample.paste(frames[0], (0, 0))
    sample.paste(frames[-1], (0, frames[0].height))
    palette = sample.quantize(colors=255, method=Image.Quantize.MAXCOVERAGE)
    indexed = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    durations = frame_durations(anim, fps)
    with atomic_path(path) as temporary:
        indexed[0].save(temporary, format="GIF", save_all=True, append_images=indexed[1:],
                        duration=durations, loop=0)


def write_mp4(anim, path: Path, *, fps: float | None = None, dpi: float | None = 100,
              progress: bool | None = None) -> None:
    """An H.264 MP4: blitted frames piped raw to ffmpeg (the one on PATH, else the
    binary of the ``imageio-ffmpeg`` extra); the first and last frames are held
    (``frame_durations``) by repeating them."""
    import subprocess

    executable = find_ffmpeg()
    rate = fps or 1000 / _frame_ms(anim, None)
    repeats = [max(int(round(ms * rate / 1000)), 1) for ms in frame_durations(anim, fps)]
    # The captions as a soft subtitle track (mov_text), timed by the frames as encoded.
    shown = [int(round(count * 1000 / rate)) for count in repeats]
    with atomic_path(path) as temporary, tempfile.TemporaryDirectory() as folder:
        cues = str(Path(folder) / "captions.srt")  # never beside the user's files
        Path(cues).write_text(subtitles(anim.frame_captions, shown, "srt"), encoding="utf-8")
        process = None
        try:
            for count, rgb in zip(repeats, _frames(anim, dpi, progress, path.name)):
                if process is None:
                    height, width = rgb.shape[:2]
                    process = subprocess.Popen(
                        [executable, "-y", "-loglevel", "error", "-f", "rawvideo",
                         "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", f"{rate:g}",
                         "-i", "-", "-f", "srt", "-i", cues, "-map", "0:v", "-map", "1:s",
                         "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264",
                         "-pix_fmt", "yuv420p", "-c:s", "mov_text",
                         "-metadata:s:s:0", f"language={_language_code()}",
                         "-movflags", "+faststart", "-f", "mp4", temporary],
                        stdin=subprocess.PIPE, stderr=subprocess.PIPE)
                for _frame in range(count):
                    process.stdin.write(rgb.tobytes())
            process.stdin.close()
            error = process.stderr.read().decode(errors="replace").strip()
            if process.wait() != 0:
                raise OSError(_("ffmpeg could not write {name}: {error}").format(
                    name=path.name, error=error or _("no message")))
        finally:
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


def _language_code() -> str:
    """The subtitle track's ISO 639-2 language: the words' own."""
    from .words.i18n import language

    return {"zh": "chi"}.get(language(), "eng")


def find_ffmpeg() -> str:
    """The ffmpeg to use: the one on PATH, else the ``imageio-ffmpeg`` extra's."""
    import shutil

    found = shutil.which("ffmpeg")
    if found:
        return found
    from ._optional import import_optional

    return import_optional("imageio_ffmpeg", "mp4", N_("saving .mp4 (ffmpeg)")).get_ffmpeg_exe()


def write_html(anim, path: Path, *, fps: float | None = None, dpi: float | None = 80,
               progress: bool | None = None) -> None:
    """One self-contained HTML page: every frame embedded, with a player."""
    from .html import player_page

    page = player_page(_frames(anim, dpi, progress, path.name), durations=frame_durations(anim, fps),
                       iterations=[int(i) for i in anim.frame_iterations],
                       title=_title(anim), captions=anim.frame_captions,
                       description=alt_text(anim))
    with atomic_path(path) as temporary:
        Path(temporary).write_text(page, encoding="utf-8")


def write_png(anim, path: Path, *, fps: float | None = None, dpi: float | None = 100,
              progress: bool | None = None) -> None:
    """A still of the final state."""
    anim.draw_iteration(int(anim.frame_iterations[-1]))
    with atomic_path(path) as temporary:
        anim._fig.savefig(temporary, format="png", dpi=dpi)


def write_trace(anim, path: Path, *, fps: float | None = None, dpi: float | None = None,
                progress: bool | None = None) -> None:
    """The trace itself: ``.json`` and ``.npz`` load back with ``Trace.load``; ``.csv``
    is a table for spreadsheets."""
    trace = getattr(anim, "trace", anim)
    if trace is None:
        raise ValueError(_("a comparison holds several runs: save each run's trace with "
                           "trace.save(...), or the comparison as .gif or .png, not {suffix}")
                         .format(suffix=path.suffix))
    trace.save(path)


#: File suffix -> writer. Each writer takes (animation or trace, path, fps=, dpi=, progress=).
WRITERS = {".gif": write_gif, ".mp4": write_mp4, ".html": write_html, ".png": write_png,
           ".vtt": write_subtitles, ".srt": write_subtitles,
           ".json": write_trace, ".npz": write_trace, ".csv": write_trace}


def check_output_path(path) -> Path:
    """Return ``path`` if it can be written by a known writer, else raise ``ValueError``."""
    path = Path(path).expanduser()
    suffix = path.suffix.lower()
    if suffix not in WRITERS and not path.is_dir():
        known = listed(WRITERS)
        hint = did_you_mean(suffix, WRITERS) if suffix else ""
        if hint:  # "; did you mean '.gif'?"
            words = _("cannot save {name!r}: '{suffix}' is not a known format{hint} Or use one "
                      "of {known}")
        elif suffix:
            words = _("cannot save {name!r}: '{suffix}' is not a known format; use one of "
                      "{known}")
        else:
            words = _("cannot save {name!r}: the name has no suffix; use one of {known}")
        raise ValueError(words.format(name=path.name, suffix=suffix, known=known, hint=hint))
    return check_folder(path)


def save(anim, path, *, fps: float | None = None, dpi: float | None = None,
         progress: bool | None = None) -> Path:
    """Write ``anim`` (an animation, or a trace for .json/.npz/.csv) to ``path`` with
    the writer its suffix names; return the path.

    ``progress``: ``None`` shows a bar on a terminal for exports that take over
    a second, ``False`` never does.
    """
    path = check_output_path(path)
    if not hasattr(anim, "frame_iterations"):  # a trace: it saves itself, or says how
        return anim.save(path)
    writer = WRITERS[path.suffix.lower()]
    options = {"fps": fps, "progress": progress}
    if dpi is not None:
        options["dpi"] = dpi
    writer(anim, path, **options)
    return path.resolve()
