"""The code the browser runs on its own: the scrub bar's redraw of every run up to the
frame shown, and the play button's timer. The page's server sends nothing while they
run."""

#: Redraws the runs up to the frame on the scrub bar, in the browser.
SCRUB_JS = """
const f = Math.min(slider.value, frames.data.iteration.length - 1);
if (f < 0) { return; }
const it = frames.data.iteration[f];
// Where a run left the panel, a ✖ on the edge (as the pictures mark it, views.contour).
const [xlo, xhi] = [Math.min(xrange.start, xrange.end), Math.max(xrange.start, xrange.end)];
const [ylo, yhi] = [Math.min(yrange.start, yrange.end), Math.max(yrange.start, yrange.end)];
const inside = (x, y) => isFinite(x) && isFinite(y) && x >= xlo && x <= xhi && y >= ylo && y <= yhi;
const edgeOf = (full, k) => {
  if (inside(full.x[k], full.y[k])) return null;
  let m = k;
  while (m >= 0 && !inside(full.x[m], full.y[m])) m--;
  if (m < 0) return null;
  const ax = full.x[m], ay = full.y[m];
  let bx = full.x[m + 1], by = full.y[m + 1];
  if (!isFinite(bx) || !isFinite(by)) {  // a step to infinity: leaving the way it was going
    const p = Math.max(m - 1, 0);
    bx = ax + 1e6 * (ax - full.x[p]); by = ay + 1e6 * (ay - full.y[p]);
  }
  let t = 1;
  for (const [a, d, lo, hi] of [[ax, bx - ax, xlo, xhi], [ay, by - ay, ylo, yhi]]) {
    for (const bound of [lo, hi]) {
      const v = (bound - a) / d;
      if (isFinite(v) && v > 0) t = Math.min(t, v);
    }
  }
  return [Math.min(Math.max(ax + t * (bx - ax), xlo), xhi), Math.min(Math.max(ay + t * (by - ay), ylo), yhi)];
};
// The current settings' run has its own glyphs (drawn on top); the race's runs share a
// few, the last entry first.
const marks = {x: [], y: [], colour: []};
const lines = {xs: [], ys: [], its: [], losses: [], colour: []};
const dots = {x: [], y: [], colour: []};
const ends = {x: [], y: [], iteration: [], loss: [], colour: []};
for (let r = fulls.length - 1; r >= 0; r--) {
  const full = fulls[r].data;
  const n = full.x.length;
  const k = Math.min(it, n - 1);
  const cut = (a) => Array.from(a).slice(0, k + 1);
  if (r === 0) {
    shown.data = n ? {x: cut(full.x), y: cut(full.y), iteration: cut(full.iteration),
                      loss: cut(full.loss)} : {x: [], y: [], iteration: [], loss: []};
    now.data = n ? {x: [full.x[k]], y: [full.y[k]], iteration: [k], loss: [full.loss[k]]}
                 : {x: [], y: [], iteration: [], loss: []};
  } else if (n) {
    const [xs, ys] = [cut(full.x), cut(full.y)];
    lines.xs.push(xs); lines.ys.push(ys); lines.its.push(cut(full.iteration));
    lines.losses.push(cut(full.loss)); lines.colour.push(colours.data.colour[r]);
    dots.x = dots.x.concat(xs); dots.y = dots.y.concat(ys);
    dots.colour = dots.colour.concat(new Array(xs.length).fill(colours.data.colour[r]));
    ends.x.push(full.x[k]); ends.y.push(full.y[k]); ends.iteration.push(k);
    ends.loss.push(full.loss[k]); ends.colour.push(colours.data.colour[r]);
  }
  const mark = n ? edgeOf(full, k) : null;
  if (mark) { marks.x.push(mark[0]); marks.y.push(mark[1]); marks.colour.push(colours.data.colour[r]); }
}
race_lines.data = lines; race_dots.data = dots; race_ends.data = ends;
edges.data = marks;
if (frames.data.curve !== undefined && frames.data.curve.length) {
  curve.data = {x: curve.data.x, y: frames.data.curve[f]};
}
if (frames.data.map_at !== undefined && frames.data.map_at.length && maps.data.v.length) {
  // The map of the snapshot shown, sliced from all the maps (one after another).
  const {ndarray} = Bokeh.require("core/util/ndarray");
  const cells = map_points * map_points, base = frames.data.map_at[f] * cells;
  net_map.data = {...net_map.data, image: [
    ndarray(maps.data.v.slice(base, base + cells), {shape: [map_points, map_points]})]};
}
if (frames.data.line_x !== undefined && frames.data.line_x.length) {
  boundary.data = {x: frames.data.line_x[f], y: frames.data.line_y[f]};
}
board.text = frames.data.board[f];
if (frames.data.caption !== undefined) { caption.text = frames.data.caption[f] || ""; }
if (frames.data.fitted !== undefined && frames.data.fitted.length) {
  // Residual sticks: each point to the fit, brown above it, grey below, as wide as its pull.
  const xs = points.data.x, ys = points.data.y, fit = frames.data.fitted[f];
  let total = 0;
  for (let n = 0; n < ys.length; n++) { const r = Math.abs(ys[n] - fit[n]); if (isFinite(r)) total += r; }
  const colour = [], width = [];
  for (let n = 0; n < ys.length; n++) {
    colour.push(ys[n] > fit[n] ? above : below);
    width.push(0.5 + 60 * Math.abs(ys[n] - fit[n]) / (total || 1));
  }
  sticks.data = {x0: Array.from(xs), y0: Array.from(ys), x1: Array.from(xs), y1: Array.from(fit),
                 colour: colour, width: width};
}
if (frames.data.landed !== undefined && frames.data.landed.length && curves.data.y.length) {
  const n = promise.data.x.length;  // the curves of all frames, one after another
  promise.data = {x: promise.data.x, y: Array.from(curves.data.y.slice(f * n, (f + 1) * n))};
  landing.data = {x: [1.0], y: [frames.data.landed[f]]};
  lowest.data = {x: [frames.data.lowest[f]], y: [frames.data.lowest_y[f]]};
  promise_words.text = frames.data.promise_words[f] || "";
}
// A network: its weights as edges, its units' outputs as maps, the weight the step moves
// most, and the chain rule of the step.
if (net_weights !== null && frames.data.weight_at !== undefined && frames.data.weight_at.length
    && net_weights.data.w.length) {
  const d = net_edges.data, n = d.x0.length, base = frames.data.weight_at[f] * n;
  const w = net_weights.data.w, width = new Array(n), colour = new Array(n);
  for (let e = 0; e < n; e++) {
    const v = w[base + e];
    width[e] = isFinite(v) ? 0.3 + 5 * Math.abs(v) : 0;
    colour[e] = v >= 0 ? signs[0] : signs[1];
  }
  net_edges.data = {...d, width: width, colour: colour};
  const m = frames.data.moved[f];
  net_moved.data = m >= 0 ? {x0: [d.x0[m]], y0: [d.y0[m]], x1: [d.x1[m]], y1: [d.y1[m]]}
                          : {x0: [], y0: [], x1: [], y1: []};
  net_ring.data = m >= 0 ? {x: [d.x1[m]], y: [d.y1[m]]} : {x: [], y: []};
  net_words.text = frames.data.moved_words[f] || "";
}
const units = net_units === null ? {x: []} : net_units.data;
if (units.x.length && frames.data.unit_at !== undefined && frames.data.unit_at.length
    && net_values.data.v.length) {
  // Each unit's map of the snapshot shown: an image sliced from the values.
  const {ndarray} = Bokeh.require("core/util/ndarray");
  const rows = units.rows[0], columns = units.columns[0], cells = rows * columns;
  const v = net_values.data.v;
  const base = frames.data.unit_at[f] * units.x.length * cells;
  const hidden = [], out = [];
  for (let u = 0; u < units.x.length; u++) {
    const image = ndarray(v.slice(base + u * cells, base + (u + 1) * cells),
                          {shape: [rows, columns]});
    (units.output[u] ? out : hidden).push(image);
  }
  net_maps.data = {...net_maps.data, image: hidden};
  net_out.data = {...net_out.data, image: out};
}
if (frames.data.chain !== undefined && frames.data.chain.length) { chain.text = frames.data.chain[f] || ""; }
counter.text = counter_words.replace("{i}", it).replace("{last}", frames.data.iteration[frames.data.iteration.length - 1]);
// What the contour shows for this frame: a slice is through one iteration only.
if (plane.data.at !== undefined && plane.data.at.length) {
  const at = plane.data.at[0];
  if (at >= 0) {
    plane_note.text = it === at ? plane.data.on[0] : plane.data.off[0].replace("{shown}", String(it));
  } else if (frames.data.plane_note !== undefined) {
    plane_note.text = frames.data.plane_note[f] || "";
  } else {
    plane_note.text = "";
  }
}
"""

PLAY_JS = """
if (window._gdviz_timer) {
  clearInterval(window._gdviz_timer); window._gdviz_timer = null; button.label = "▶ play";
  return;
}
if (slider.value >= slider.end) { slider.value = 0; }
button.label = "❚❚ pause";
window._gdviz_timer = setInterval(() => {
  if (slider.value >= slider.end) {
    clearInterval(window._gdviz_timer); window._gdviz_timer = null; button.label = "▶ play";
    return;
  }
  slider.value = slider.value + 1;
}, 80);
"""

#: The student's name kept by the browser (its local storage): typed once, it is there
#: after a reload and in the next lesson's page (``FILL_NAME_JS`` when the page is ready),
#: unless the link names the student.
KEEP_NAME_JS = """
try { window.localStorage.setItem("gdviz-student", cb_obj.value); } catch (e) {}
"""
FILL_NAME_JS = """
let kept = null;
try { kept = window.localStorage.getItem("gdviz-student"); } catch (e) {}
if (kept && !name.value) { name.value = kept; }
"""
#: On a phone, a verdict said below the fold is scrolled into sight (the answer box and
#: the picture above it are a screen tall).
SHOW_VERDICT_JS = """
if (!cb_obj.text) { return; }
for (const root of Object.values(Bokeh.index)) {
  try {
    const view = root.owner.get_one(cb_obj);
    view.el.scrollIntoView({block: "nearest", behavior: "smooth"});
    return;
  } catch (e) {}
}
"""
