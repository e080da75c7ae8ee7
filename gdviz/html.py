"""A self-contained HTML page that plays frames: no server, no internet, no JavaScript libraries."""
from __future__ import annotations

import base64
import html
import io
import json

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
 body {{ font-family: system-ui, sans-serif; margin: 1em; color: #222; }}
 #frame {{ max-width: 100%; height: auto; border: 1px solid #ddd; }}
 .controls {{ display: flex; gap: .5em; align-items: center; margin: .5em 0; flex-wrap: wrap; }}
 button {{ font-size: 1em; padding: .2em .7em; }}
 #slider {{ flex: 1; min-width: 12em; }}
</style>
</head>
<body>
<h3>{title}</h3>
<img id="frame" alt="frame of the animation">
<div class="controls">
 <button id="first" title="first frame">&#x23EE;</button>
 <button id="back" title="step back (left arrow)">&#x25C0;</button>
 <button id="play" title="play / pause (space)">&#x23F8;</button>
 <button id="forward" title="step forward (right arrow)">&#x25B6;</button>
 <button id="last" title="last frame">&#x23ED;</button>
 <input id="slider" type="range" min="0" value="0">
 <span id="label"></span>
 <label>speed <select id="speed">
  <option value="0.25">0.25x</option><option value="0.5">0.5x</option>
  <option value="1" selected>1x</option><option value="2">2x</option><option value="4">4x</option>
 </select></label>
</div>
<p style="color:#666">{count} frames, all included. Keys: space plays and pauses, arrows step.</p>
<script>
const frames = {frames};
const iterations = {iterations};
const frameMs = {frame_ms};
let index = 0, playing = true, timer = null;
const img = document.getElementById("frame"), slider = document.getElementById("slider");
const label = document.getElementById("label"), play = document.getElementById("play");
slider.max = frames.length - 1;
function show(i) {{
  index = Math.max(0, Math.min(frames.length - 1, i));
  img.src = "data:image/png;base64," + frames[index];
  slider.value = index;
  label.textContent = "iteration " + iterations[index] + "  (frame " + (index + 1) + " of " + frames.length + ")";
}}
function tick() {{
  if (index >= frames.length - 1) {{ setPlaying(false); return; }}
  show(index + 1);
}}
function setPlaying(on) {{
  playing = on;
  play.innerHTML = on ? "&#x23F8;" : "&#x25B6;&#xFE0E;";
  clearInterval(timer);
  if (on) {{
    if (index >= frames.length - 1) show(0);
    timer = setInterval(tick, frameMs / parseFloat(document.getElementById("speed").value));
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
show(0);
setPlaying(true);
</script>
</body>
</html>
"""


def player_page(frames, *, frame_ms: int, iterations, title: str) -> str:
    """An HTML page embedding every RGB frame (as PNG) with a small player."""
    from PIL import Image

    encoded = []
    for rgb in frames:
        buffer = io.BytesIO()
        Image.fromarray(rgb).save(buffer, format="PNG", optimize=False, compress_level=6)
        encoded.append(base64.b64encode(buffer.getvalue()).decode("ascii"))
    return _TEMPLATE.format(title=html.escape(title), frames=json.dumps(encoded),
                            iterations=json.dumps(list(iterations)), frame_ms=int(frame_ms),
                            count=len(encoded))
