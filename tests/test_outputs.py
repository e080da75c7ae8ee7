import io
import json
import os

import numpy as np
import pytest
from skip_reasons import FFMPEG
from PIL import Image

import gdviz
from gdviz import Trace, optim, outputs, problems, run, stop


@pytest.fixture(scope="module")
def seed_trace():
    return run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
               stop=stop.LossImprovement(0.01))


def full_redraw(trace, i, dpi):
    """The frame drawn the ordinary way (a whole savefig), as a reference for blitting."""
    anim = gdviz.animate(trace, layout="seed", every=100)
    anim.draw_iteration(i)
    buffer = io.BytesIO()
    anim._fig.savefig(buffer, format="png", dpi=dpi)
    return np.asarray(Image.open(buffer).convert("RGB"), dtype=float)


def gif_frames(path):
    with Image.open(path) as image:
        frames, durations = [], []
        for k in range(image.n_frames):
            image.seek(k)
            frames.append(np.asarray(image.convert("RGB"), dtype=float))
            durations.append(image.info["duration"])
    return frames, durations


def read(words: str) -> int:
    """Milliseconds to read ``words`` at 15 characters a second, in hundredths."""
    return 10 * round(max(1500, 1000 * len(words) / 15) / 10)


def test_gif_has_every_frame_and_each_matches_a_full_redraw(seed_trace, tmp_path):
    anim = gdviz.animate(seed_trace, layout="seed", every=100, interval=500)
    path = anim.save(tmp_path / "seed.gif")
    frames, durations = gif_frames(path)
    assert len(frames) == 13 == len(anim.frame_iterations)
    assert frames[0].shape == (8 * 80, 14 * 80, 3)
    # The first frame and the first summary are new words: held to read them (15
    # characters a second); then the blog's 0.5 s between redraws; the ending read too.
    words = anim.frame_captions
    assert len(words[0]) > 45 and len(words[1]) > 45 and words[2].startswith("steps 100–200")
    assert durations == [read(words[0]), read(words[1])] + [500] * 10 + [read(words[-1])]
    for k in (0, 5, 12):
        reference = full_redraw(seed_trace, int(anim.frame_iterations[k]), dpi=80)
        assert np.mean(np.abs(frames[k] - reference)) < 0.5  # palette rounding only
    assert np.mean(np.abs(frames[0] - frames[12])) > 0.5  # the line moved
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


def test_png_and_json(seed_trace, tmp_path):
    anim = gdviz.animate(seed_trace, layout="seed", every=100)
    png = anim.save(tmp_path / "final.png")
    with Image.open(png) as image:
        assert image.size == (1400, 800)
    reference = full_redraw(seed_trace, seed_trace.iterations, dpi=100)
    assert np.mean(np.abs(np.asarray(Image.open(png).convert("RGB"), float) - reference)) < 1.0
    path = anim.save(tmp_path / "run.json")
    loaded = Trace.load(path)
    np.testing.assert_array_equal(loaded.params, seed_trace.params)
    assert json.loads(path.read_text())["stop_reason"] == "converged"


def test_a_failed_export_leaves_the_existing_file_alone(seed_trace, tmp_path, monkeypatch):
    target = tmp_path / "keep.gif"
    target.write_bytes(b"the user's file")

    def broken_frames(anim, dpi=None):
        yield np.zeros((10, 10, 3), np.uint8)
        raise OSError("disk full")

    import gdviz.render

    monkeypatch.setattr(gdviz.render, "render_frames", broken_frames)
    anim = gdviz.animate(seed_trace, layout="seed", every=100)
    with pytest.raises(OSError):
        anim.save(target)
    assert target.read_bytes() == b"the user's file"
    assert os.listdir(tmp_path) == ["keep.gif"]


def test_an_interrupted_write_leaves_no_partial_file(tmp_path):
    target = tmp_path / "out.json"
    with pytest.raises(KeyboardInterrupt):
        with outputs.atomic_path(target) as temporary:
            with open(temporary, "w") as handle:
                handle.write("{half")
            raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name,message", [
    ("x.gifx", "did you mean '.gif'"),
    ("x", "no suffix"),
    ("missing/x.gif", "does not exist"),
])
def test_check_output_path_refuses(tmp_path, name, message):
    with pytest.raises(ValueError, match=message):
        outputs.check_output_path(tmp_path / name)
    with pytest.raises(ValueError, match="folder"):
        outputs.check_output_path(tmp_path)


def test_mp4_reads_back_with_every_frame(seed_trace, tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg", reason=FFMPEG)
    anim = gdviz.animate(seed_trace, layout="seed", every=100)
    path = anim.save(tmp_path / "seed.mp4", fps=10, dpi=50)
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    frames = [np.frombuffer(f, np.uint8).reshape(meta["size"][1], meta["size"][0], 3)
              for f in reader]
    assert meta["fps"] == 10
    assert meta["size"] == (700, 400)
    # the first two and the last held to read their words, 10 frames between
    held = [round(read(words) / 100) for words in anim.frame_captions[:2] + anim.frame_captions[-1:]]
    assert len(frames) == sum(held) + 10
    reference = full_redraw(seed_trace, 0, dpi=50)
    assert np.mean(np.abs(frames[0].astype(float) - reference)) < 6  # lossy H.264
    assert np.mean(np.abs(frames[-1].astype(float) - frames[-2])) < 1  # the held last frame


def test_missing_ffmpeg_names_the_install_line(seed_trace, tmp_path, monkeypatch):
    import shutil

    from gdviz import _optional

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(_optional.importlib, "import_module",
                        lambda name: (_ for _ in ()).throw(ImportError(name)))
    anim = gdviz.animate(seed_trace, layout="seed", every=100)
    with pytest.raises(ImportError, match=r'pip install "gdviz\[mp4\]"'):
        anim.save(tmp_path / "x.mp4")
    assert not list(tmp_path.iterdir())


def rebuild_html_frames(page):
    """Every frame of an HTML export, rebuilt as the page does: key frames, then patches."""
    import base64
    import re

    frames = json.loads(re.search(r"const frames = (\[.*?\]);\n", page).group(1))

    def picture(data):
        with Image.open(io.BytesIO(base64.b64decode(data))) as image:
            return np.asarray(image.convert("RGB"))

    canvas, rebuilt = None, []
    for frame in frames:
        if "key" in frame:
            canvas = picture(frame["key"]).copy()
        else:
            for x, y, data in frame["patches"]:
                patch = picture(data)
                canvas[y:y + patch.shape[0], x:x + patch.shape[1]] = patch
        rebuilt.append(canvas.copy())
    return rebuilt


def test_html_is_self_contained_with_every_frame(seed_trace, tmp_path):
    import re

    anim = gdviz.animate(seed_trace, layout="seed", every=100)
    page = anim.save(tmp_path / "seed.html", dpi=50).read_text()
    frames = rebuild_html_frames(page)
    assert len(frames) == 13
    assert json.loads(re.search(r"const iterations = (\[.*?\]);", page).group(1))[-1] == 1161
    words = anim.frame_captions
    assert json.loads(re.search(r"const durations = (\[.*?\]);", page).group(1)) == \
        [read(words[0]), read(words[1])] + [200] * 10 + [read(words[-1])]
    assert frames[-1].shape == (400, 700, 3)
    for i, frame in zip((0, 600, 1161), (frames[0], frames[6], frames[-1])):
        # one shared palette: crisp, within a little of the true colours
        assert np.mean(np.abs(frame.astype(float) - full_redraw(seed_trace, i, dpi=50))) < 1.5
    assert "http" not in page  # nothing fetched from anywhere
    assert "&#x23" not in page  # no font glyphs for the buttons: drawn icons


def test_html_of_sixty_full_frames_is_under_two_megabytes(tmp_path):
    trace = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.LossImprovement(0.01))
    anim = gdviz.animate(trace, layout="full", frames=60)
    path = anim.save(tmp_path / "full.html", dpi=80)
    assert path.stat().st_size < 2_000_000, path.stat().st_size
    frames = rebuild_html_frames(path.read_text())
    assert len(frames) == 60


def test_progress_is_silent_when_not_a_terminal(seed_trace, tmp_path, capsys):
    anim = gdviz.animate(seed_trace, layout="seed", every=100)
    anim.save(tmp_path / "a.gif")
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_classic_layout_gif_has_three_panels(seed_trace, tmp_path):
    anim = gdviz.animate(seed_trace, layout="classic", frames=12)
    assert [v.name for v in anim.views] == ["fit", "contour", "loss"]
    frames, _ = gif_frames(anim.save(tmp_path / "classic.gif", dpi=40))
    assert len(frames) == 12


def test_jupyter_display_is_the_player_with_every_frame(seed_trace):
    import html as html_module

    anim = gdviz.animate(seed_trace, layout="seed", every=100)
    shown = anim._repr_html_()
    assert shown.startswith("<iframe srcdoc=")
    page = html_module.unescape(shown.split('srcdoc="')[1].split('" width=')[0])
    assert len(rebuild_html_frames(page)) == 13


def test_a_notebook_cell_stays_small_with_the_default_frames():
    trace = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.LossImprovement(0.01))
    anim = gdviz.animate(trace)  # 1,161 iterations; the default draws at most 60
    assert len(anim.frame_iterations) == 60
    assert len(anim._repr_html_()) < 3_000_000


def test_new_words_are_held_their_reading_time_and_a_default_animation_drops_frames_not_holds():
    from gdviz.outputs import (LONGEST_MS, RECENT_FRAMES, UNHELD_KINDS, frame_durations,
                               reading_ms)

    # 15 characters a second, at least 1.5 s: a 100-character caption is read in 6.7 s.
    assert reading_ms("x" * 30) == 2000 and reading_ms("x") == 1500
    assert reading_ms("x" * 100) == 6666
    trace = gdviz.run(gdviz.problems.Quadratic(condition=10), gdviz.optim.momentum(learning_rate=0.05),
                      stop=gdviz.stop.MaxIter(300))
    for frames in (25, 120, None):
        anim = gdviz.animate(trace, frames=frames, interval=100)
        durations, kinds, words = frame_durations(anim, None), anim.frame_kinds, anim.frame_captions
        assert len(set(kinds)) > 3  # momentum builds, turns, overshoots...
        held = [k for k in range(1, len(kinds) - 1) if kinds[k] not in UNHELD_KINDS
                and kinds[k] not in kinds[max(0, k - RECENT_FRAMES): k]]
        plain = [k for k in range(1, len(kinds) - 1) if k not in held]
        assert held and plain
        assert all(durations[k] == 100 for k in plain)
        # Each new sentence gets its whole reading time, however many frames.
        assert all(durations[k] == 10 * round(reading_ms(words[k]) / 10) for k in held)
        if frames is None:  # the default drops frames to stay short, never a hold
            assert sum(durations) <= LONGEST_MS and len(durations) <= 60


def _cues(text: str, separator: str):
    import re

    clock = r"(\d\d):(\d\d):(\d\d)" + re.escape(separator) + r"(\d\d\d)"
    found = re.findall(rf"^\d+\n{clock} --> {clock}\n(.+)$", text, flags=re.M)
    ms = lambda h, m, s, f: ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(f)  # noqa: E731
    return [(ms(*c[:4]), ms(*c[4:8]), c[8]) for c in found]


@pytest.mark.parametrize("suffix, separator", [(".vtt", "."), (".srt", ",")])
def test_subtitles_have_a_cue_per_frame_timed_as_the_gifs_frames(seed_trace, tmp_path, suffix,
                                                                 separator):
    trace = gdviz.run(gdviz.problems.Quadratic(condition=10), gdviz.optim.momentum(learning_rate=0.05),
                      stop=gdviz.stop.MaxIter(200))
    anim = gdviz.animate(trace, frames=30, interval=120)
    text = anim.save(tmp_path / f"run{suffix}").read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n\n1\n") if suffix == ".vtt" else text.startswith("1\n00:00:00,000")
    cues = _cues(text, separator)
    _, durations = gif_frames(anim.save(tmp_path / "run.gif", dpi=30))
    assert len(cues) == len(durations) == len(anim.frame_iterations)
    starts = np.concatenate([[0], np.cumsum(durations)[:-1]])
    assert [c[0] for c in cues] == starts.tolist()
    assert [c[1] for c in cues] == np.cumsum(durations).tolist()  # the last ends with the GIF
    assert [c[2] for c in cues] == [" ".join(w.split()) for w in anim.frame_captions]


def test_a_comparison_has_subtitles_too(tmp_path):
    p = gdviz.problems.Quadratic(condition=10)
    runs = [gdviz.run(p, gdviz.optim.gd(learning_rate=r), stop=gdviz.stop.MaxIter(40))
            for r in (0.01, 0.1)]
    anim = gdviz.compare(runs, labels=["slow", "fast"], frames=10)
    cues = _cues(anim.save(tmp_path / "race.srt").read_text(encoding="utf-8"), ",")
    assert len(cues) == len(anim.frame_iterations)
    # A race's subtitles are its narrator's captions: who leads, by how much, who ends lowest.
    assert [c[2] for c in cues] == anim.frame_captions
    assert cues[-1][2] == f"fast ends lowest, loss {runs[1].loss[-1]:.3g}; next slow at {runs[0].loss[-1]:.3g}"
    assert any(c[2].startswith("fast leads by ×") for c in cues[1:-1])


def test_mp4_carries_the_captions_as_a_subtitle_track(seed_trace, tmp_path):
    import subprocess

    pytest.importorskip("imageio_ffmpeg", reason=FFMPEG)
    anim = gdviz.animate(seed_trace, layout="seed", every=100)
    path = anim.save(tmp_path / "seed.mp4", fps=10, dpi=40)
    probe = subprocess.run([outputs.find_ffmpeg(), "-hide_banner", "-i", str(path)],
                           capture_output=True, text=True).stderr
    assert "Subtitle: mov_text" in probe and "(eng)" in probe
    track = subprocess.run([outputs.find_ffmpeg(), "-v", "error", "-i", str(path), "-map", "0:s",
                            "-f", "srt", "-"], capture_output=True, text=True, check=True).stdout
    cues = _cues(track, ",")
    assert [c[2] for c in cues] == [" ".join(w.split()) for w in anim.frame_captions]
    held = [round(read(words) / 100) for words in anim.frame_captions[:2] + anim.frame_captions[-1:]]
    assert cues[-1][1] == (sum(held) + 10) * 100  # at 10 frames a second (see the test above)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed.mp4"]  # nothing left beside it
