"""A self-contained HTML page that plays frames: no server, no internet, no JavaScript libraries.

Frames are stored compactly, as lossless WebP pictures: every colour comes from one shared
palette (as in the GIF),
a full key frame every ``KEY_EVERY`` frames, and in between only the rectangles that
changed since the frame before. The page rebuilds any frame on a canvas from its key
frame and the patches after it, so scrubbing is instant and nothing is lost.
"""
from __future__ import annotations

import base64
import html
import io
import json

import numpy as np

#: A full frame every so many frames (scrubbing redraws at most this many patch sets).
KEY_EVERY = 16
#: The side of the tiles in which changes are looked for, in pixels.
TILE = 48

_ICONS = {  # drawn, not font glyphs: every browser shows them
    "first": '<path d="M3 3h2v10H3zM14 3v10L6 8z"/>',
    "back": '<path d="M12 3v10L4 8z"/>',
    "play": '<path d="M4 3v10l9-5z"/>',
    "pause": '<path d="M4 3h3v10H4zM9 3h3v10H9z"/>',
    "forward": '<path d="M4 3v10l8-5z"/>',
    "last": '<path d="M11 3h2v10h-2zM2 3v10l8-5z"/>',
}


def _icon(name: str) -> str:
    return f'<svg viewBox="0 0 16 16" width="16" height="16" fill="currentColor">{_ICONS[name]}</svg>'


_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
{font_face} body {{ font-family: system-ui, sans-serif{font_family}; margin: 1em; color: #222; }}
 #frame {{ max-width: 100%; height: auto; border: 1px solid #ddd; }}
 .controls {{ display: flex; gap: .5em; align-items: center; margin: .5em 0; flex-wrap: wrap; }}
 button {{ font-size: 1em; padding: .25em .6em; line-height: 0; }}
 #slider {{ flex: 1; min-width: 12em; }}
 #caption {{ font-style: italic; color: #1F3A5F; font-size: 1.1em; min-height: 2.6em; margin: .3em 0; max-width: {width}px; }}
 html:lang(zh) #caption {{ font-style: normal; }}
</style>
</head>
<body>
<h3>{title}</h3>
<canvas id="frame" width="{width}" height="{height}" role="img" aria-label="{description}"></canvas>
<p id="caption" aria-live="polite"></p>
<div class="controls">
 <button id="first" title="{t_first}" aria-label="{t_first}">{first}</button>
 <button id="back" title="{t_back} (←)" aria-label="{t_back}">{back}</button>
 <button id="play" title="{t_play} (space)" aria-label="{t_play}">{pause}</button>
 <button id="forward" title="{t_forward} (→)" aria-label="{t_forward}">{forward}</button>
 <button id="last" title="{t_last}" aria-label="{t_last}">{last}</button>
 <input id="slider" type="range" min="0" value="0" aria-label="{t_frame}">
 <span id="label"></span>
 <label>{t_speed} <select id="speed" aria-label="{t_speed}">
  <option value="0.25">0.25x</option><option value="0.5">0.5x</option>
  <option value="1" selected>1x</option><option value="2">2x</option><option value="4">4x</option>
 </select></label>
</div>
<p style="color:#666">{t_count}</p>
<script>
const frames = {frames};
const iterations = {iterations};
const labelWords = {label_words};
const durations = {durations};
const captions = {captions};
const icons = {{play: {play_icon}, pause: {pause_icon}}};
const canvas = document.getElementById("frame"), context = canvas.getContext("2d");
const slider = document.getElementById("slider"), label = document.getElementById("label");
const play = document.getElementById("play"), caption = document.getElementById("caption");
let index = 0, playing = false, timer = null;
slider.max = frames.length - 1;
function image(data) {{ const im = new Image(); im.src = "data:image/webp;base64," + data; return im; }}
// Decode every picture once, up front: a key frame, or the patches that changed.
for (const f of frames) {{
  if (f.key !== undefined) f.image = image(f.key);
  else f.images = f.patches.map(([x, y, data]) => [x, y, image(data)]);
}}
const ready = Promise.all(frames.flatMap(f => (f.image ? [f.image] : f.images.map(p => p[2]))
  .map(im => im.decode())));
function paint(f) {{
  if (f.image) context.drawImage(f.image, 0, 0);
  else for (const [x, y, im] of f.images) context.drawImage(im, x, y);
}}
function show(i) {{
  const target = Math.max(0, Math.min(frames.length - 1, i));
  // The next frame paints over this one; any other starts again from its key frame.
  let k = target;
  if (target !== index + 1) while (frames[k].key === undefined) k--;
  for (let n = k; n <= target; n++) paint(frames[n]);
  index = target;
  slider.value = index;
  label.textContent = labelWords.replace("{{i}}", iterations[index]).replace("{{frame}}", index + 1).replace("{{count}}", frames.length);
  caption.textContent = captions[index] || "";  // words are text, never markup
}}
function tick() {{
  if (index >= frames.length - 1) {{ setPlaying(false); return; }}
  show(index + 1);
  timer = setTimeout(tick, durations[index] / parseFloat(document.getElementById("speed").value));
}}
function setPlaying(on) {{
  playing = on;
  play.innerHTML = on ? icons.pause : icons.play;
  clearTimeout(timer);
  if (on) {{
    if (index >= frames.length - 1) show(0);
    timer = setTimeout(tick, durations[index] / parseFloat(document.getElementById("speed").value));
  }}
}}
play.onclick = () => setPlaying(!playing);
document.getElementById("first").onclick = () => {{ setPlaying(false); show(0); }};
document.getElementById("last").onclick = () => {{ setPlaying(false); show(frames.length - 1); }};
document.getElementById("back").onclick = () => {{ setPlaying(false); show(index - 1); }};
document.getElementById("forward").onclick = () => {{ setPlaying(false); show(index + 1); }};
document.getElementById("speed").onchange = () => setPlaying(playing);
slider.oninput = () => {{ setPlaying(false); show(parseInt(slider.value)); }};
document.addEventListener("keydown", (e) => {{
  if (e.key === " ") {{ e.preventDefault(); setPlaying(!playing); }}
  else if (e.key === "ArrowRight") {{ setPlaying(false); show(index + 1); }}
  else if (e.key === "ArrowLeft") {{ setPlaying(false); show(index - 1); }}
}});
ready.then(() => {{ show(0); setPlaying(true); }});
</script>
</body>
</html>
"""


def _picture(indexed, palette) -> str:
    """Palette indices as a lossless WebP, base64: a third of a PNG's size for the many
    small patches (measured), and every browser decodes it."""
    from PIL import Image

    picture = Image.fromarray(indexed, mode="P")
    picture.putpalette(palette)
    buffer = io.BytesIO()
    # method 2: within 1% of the smallest (method 6) at 1/75 of its time (measured).
    picture.convert("RGB").save(buffer, format="WEBP", lossless=True, quality=50, method=2)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def changed_rectangles(before: np.ndarray, after: np.ndarray, tile: int = TILE):
    """Rectangles ``(x, y, width, height)`` that cover every pixel that differs: the
    changed tiles, merged along each row of tiles and cropped to the changes."""
    height, width = after.shape[:2]
    differs = before != after
    rectangles = []
    for top in range(0, height, tile):
        band = differs[top:top + tile]
        columns = band.reshape(band.shape[0], -1).any(axis=0) if band.ndim == 2 else band.any(axis=0)
        tiles = [columns[left:left + tile].any() for left in range(0, width, tile)]
        start = None
        for number, changed in enumerate(tiles + [False]):
            if changed and start is None:
                start = number
            elif not changed and start is not None:
                x0, x1 = start * tile, min(number * tile, width)
                block = band[:, x0:x1]
                rows, cols = np.flatnonzero(block.any(axis=1)), np.flatnonzero(block.any(axis=0))
                rectangles.append((x0 + int(cols[0]), top + int(rows[0]),
                                   int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)))
                start = None
    return rectangles


def encode_frames(frames) -> tuple[list[dict], tuple[int, int]]:
    """RGB frames as key frames and patches over one shared palette (see the module)."""
    from PIL import Image

    pictures = [Image.fromarray(rgb) for rgb in frames]
    width, height = pictures[0].size
    sample = Image.new("RGB", (width, height * 2))
    sample.paste(pictures[0], (0, 0))
    sample.paste(pictures[-1], (0, height))
    palette_image = sample.quantize(colors=255, method=Image.Quantize.MAXCOVERAGE)
    palette = palette_image.getpalette()
    encoded, previous = [], None
    for number, picture in enumerate(pictures):
        indexed = np.asarray(picture.quantize(palette=palette_image, dither=Image.Dither.NONE))
        if previous is None or number % KEY_EVERY == 0:
            encoded.append({"key": _picture(indexed, palette)})
        else:
            encoded.append({"patches": [[x, y, _picture(indexed[y:y + h, x:x + w], palette)]
                                        for x, y, w, h in changed_rectangles(previous, indexed)]})
        previous = indexed
    return encoded, (width, height)


def _script_json(value) -> str:
    """JSON safe inside a ``<script>``: no ``</script>`` can end it early."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def player_page(frames, *, durations, iterations, title: str, captions=None,
                description: str = "") -> str:
    """An HTML page with every RGB frame (compactly, see the module) and a small player;
    ``durations`` are each frame's milliseconds on screen, ``captions`` the narrator's
    words shown under each frame, ``description`` the picture's alt text."""
    from .words.fonts import web_subset
    from .words.i18n import _, language

    encoded, (width, height) = encode_frames(frames)
    icons = {name: _icon(name) for name in _ICONS}
    captions = list(captions) if captions is not None else [""] * len(encoded)
    words = dict(
        t_first=_("first frame"), t_back=_("step back"), t_play=_("play or pause"),
        t_forward=_("step forward"), t_last=_("last frame"), t_frame=_("frame"),
        t_speed=_("speed"),
        t_count=_("{count} frames, all included. Keys: space plays and pauses, arrows step.")
        .format(count=len(encoded)))
    label_words = _("iteration {i}  (frame {frame} of {count})")
    # Chinese (or any CJK) words: the shipped subset, cut to this page's characters.
    font = web_subset(" ".join([title, description, label_words, *captions, *words.values()]))
    font_face = ('@font-face {{ font-family: "Noto Sans SC gdviz"; src: url("data:font/ttf;'
                 'base64,{}") format("truetype"); }}\n'.format(font) if font else "")
    return _TEMPLATE.format(
        lang=language(), font_face=font_face,
        font_family=', "Noto Sans SC gdviz"' if font else "",
        label_words=_script_json(label_words),
        **{key: html.escape(value) for key, value in words.items()},
        title=html.escape(title), frames=json.dumps(encoded, separators=(",", ":")),
        description=html.escape(description or title),
        captions=_script_json(captions),
        iterations=json.dumps(list(iterations)), durations=json.dumps(list(durations)),
        count=len(encoded), width=width, height=height,
        play_icon=json.dumps(icons["play"]), pause_icon=json.dumps(icons["pause"]), **icons)
