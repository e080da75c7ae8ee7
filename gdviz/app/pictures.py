"""The pictures of a request, within its budget: the contour (a slice, or the path's
plane) at a resolution the budget allows, the landmarks, the promise of each frame's
step, and the data view (a seeded sample of big data)."""
from __future__ import annotations

import time

import numpy as np

from ..scene import Scene
from .messages import Upload, Window
from .costs import step_cost
from .uploads import make_problem
from . import charts
from .workers import current
from ..words.i18n import _, speaking

#: Points of the data view at most (a seeded sample of bigger data, said so).
SHOWN_POINTS = 5_000
#: Residual sticks (each point to the fit, every frame) for data up to this many points.
STICK_POINTS = 300
#: Share of the work budget the contour image may take (its resolution shrinks to fit).
CONTOUR_SHARE = 0.25
#: Seconds the contour image may take at most, whatever the budget: the page is waiting
#: (a slider move should redraw in a few tenths of a second; the image's resolution shrinks).
CONTOUR_SECONDS = 0.08


def landscape(problem, traces, scene: Scene, window: Window | None, key, cost: int,
              frames, slice_now: bool = True) -> dict:
    """The contour of a request: its plane, window, image, paths, landmarks and words.

    Kept while the problem and the plane stay (``window`` is the one shown), as a reader
    expects of a landscape: the true loss of two parameters; the plane of the path that
    first drew it, the later runs projected on it with their distance off it said. A
    slice is through the first run's last point (the frame the page shows first;
    ``slice_image`` follows the scrub), so its image is new with each run: without
    ``slice_now``, in a window kept, it is left to the caller (``Later.contour``).
    """
    from ..landscape import Plane, path_window
    from ..views.plane import ViewPlane

    trace = traces[0]
    kind = "true" if trace.params.shape[1] <= 2 else scene.plane
    last = _last_finite(trace)
    kept = window if window is not None and (window.key, window.plane) == (key, kind) else None
    if kind == "pca":
        plane = None if kept is None else Plane(
            **{name: np.asarray(value) for name, value in kept.basis.items()})
        view = ViewPlane(trace, "pca", plane=plane)
        plane, made_by = view.plane, kept.made_by if kept is not None else scene.label()
        optimum = getattr(problem, "optimum", None)
        shadow = None if optimum is None else plane.project(np.asarray(optimum)[None, :])[0]
        image, limits = None, kept.limits if kept is not None else None
        if kept is None:
            shown = [plane.project(t.params[np.isfinite(t.loss) & (t.loss <= 3 * abs(t.loss[0])
                                                                  + 1e-12)]) for t in traces]
            if shadow is not None:
                shown.append(shadow[None, :])
            shown = np.vstack(shown)
            limits = path_window(shown if len(shown) else plane.project(trace.params))
            image = contour_within(problem, plane.point, limits, cost)
        return dict(
            plane=kind, i=0, j=1, limits=limits, image=image,
            axis_labels=tuple(label for label, _colour in view.axis_labels()),
            landmarks=({"x": [float(shadow[0])], "y": [float(shadow[1])],
                        "kind": [_("optimum (its shadow on the plane)")]}
                       if shadow is not None else {"x": [], "y": [], "kind": []}),
            paths=[charts.path_columns(t, 0, 1, plane) for t in traces],
            plane_words=charts.plane_words(trace.param_names, kind, 0, 1, plane=plane,
                                           made_by=made_by),
            plane_basis={"origin": plane.origin.tolist(),
                         "directions": plane.directions.tolist(),
                         "explained": plane.explained.tolist()},
            plane_made_by=made_by, plane_notes=plane_notes(view, frames, cost))
    image = None
    if kept is not None:
        i, j, limits = kept.i, kept.j, kept.limits
    else:
        i, j = charts.coordinates(trace)
        limits = charts.window(trace, i, j)
        if kind == "true":
            image = contour_within(problem, charts.axis_place(trace.params[last], i, j),
                                   limits, cost)
    extra = {}
    if kind == "slice":
        base = trace.params[last]
        if slice_now or kept is None:
            image = slice_within(problem, base, i, j, limits, cost)
        extra = dict(image_at=last, frame_params=trace.params[np.asarray(frames, dtype=int)])
    return dict(plane=kind, i=i, j=j, limits=limits, image=image,
                axis_labels=charts.axis_labels(trace, i, j), landmarks=landmarks(problem, i, j),
                paths=[charts.path_columns(t, i, j) for t in traces],
                plane_words=charts.plane_words(trace.param_names, kind, i, j, at=last), **extra)


def _last_finite(trace) -> int:
    """The last iteration whose parameters are all finite (0 if none is)."""
    finite = np.flatnonzero(np.all(np.isfinite(trace.params), axis=1))
    return int(finite[-1]) if finite.size else 0


def plane_notes(view, frames, cost: int) -> list[str]:
    """On the plane of the path, at each frame: how far the point lies off it, its true
    loss and the plane's under it (``ViewPlane.note``); none when the plane's losses
    under the path would cost more than the contour's share of the work budget."""
    if len(view.trace.loss) * cost > CONTOUR_SHARE * current.budget.work:
        return []
    return [view.note(int(k)) or "" for k in frames]


def slice_image(scene: Scene, upload: Upload | None, base, at: int, i: int, j: int,
                limits, lang: str = "en") -> tuple[dict, dict]:
    """The slice through ``base``, the parameters at iteration ``at`` (where the scrub
    stopped), over parameters i and j: its image and its words (``charts.plane_words``)."""
    with speaking(lang):
        return _slice_image(scene, upload, base, at, i, j, limits)


def _slice_image(scene, upload, base, at, i, j, limits):
    problem = make_problem(scene, upload)
    image = slice_within(problem, np.asarray(base, dtype=float), i, j, limits,
                         step_cost(problem))
    return image, charts.plane_words(problem.param_names, "slice", i, j, at=at)


def slice_within(problem, base, i: int, j: int, limits, cost: int) -> dict:
    """The contour of the slice through ``base`` over parameters i and j, the other
    parameters held at ``base``'s (``contour_within``)."""
    return contour_within(problem, charts.axis_place(base, i, j), limits, cost,
                          through=(base[i], base[j]))


def promise_within(trace, frames, cost: int) -> dict | None:
    """``charts.promise`` when its cross-sections (91 losses a frame) fit the contour's
    share of the work budget; None (the page says so) when they do not."""
    from ..anatomy import ALONG

    if len(ALONG) * len(frames) * cost > CONTOUR_SHARE * current.budget.work:
        return None
    # Time as well as work: one frame's cross-section is timed, the rest must fit the
    # contour's share of the time left.
    started = time.monotonic()
    charts.promise(trace, frames[:1])
    per_frame = time.monotonic() - started
    left = min(current.deadline - time.monotonic(), current.budget.seconds) * CONTOUR_SHARE
    if per_frame * len(frames) > left:
        return None
    return charts.promise(trace, frames)


def contour_within(problem, place, limits, cost: int, through=None) -> dict:
    """The contour image (``charts.contour_image``), as fine as the request's budget
    allows: a coarse probe times the loss over the plane, then the resolution is chosen
    to fit ``CONTOUR_SHARE`` of the time left. ``{}`` when even the probe would cost more
    than that share of the work (much data): the page then says the landscape is too
    costly to draw."""
    budget = current.budget
    probe_points = 8 * 8
    if probe_points * cost > CONTOUR_SHARE * budget.work:
        return {}
    started = time.monotonic()
    image = charts.contour_image(problem, place, limits, resolution=8, through=through)
    per_point = max((time.monotonic() - started) / probe_points, 1e-9)
    left = min(min(current.deadline - time.monotonic(), budget.seconds) * CONTOUR_SHARE,
               CONTOUR_SECONDS)
    by_time = np.sqrt(max(left, 0.0) / per_point)
    by_work = np.sqrt(CONTOUR_SHARE * budget.work / cost)
    resolution = int(min(by_time, by_work, 160))
    if resolution <= 8:
        return image
    return charts.contour_image(problem, place, limits, resolution=resolution, through=through)


def landmarks(problem, i: int, j: int) -> dict:
    """The stars on the contour: the minima of a test function, or the known optimum."""
    optimum = getattr(problem, "optimum", None)
    minima = getattr(problem, "minima", None)
    if minima is not None and len(minima) and (i, j) == (0, 1):
        return {"x": minima[:, 0].tolist(), "y": minima[:, 1].tolist(),
                "kind": ["minimum"] * len(minima)}
    if optimum is not None:
        return {"x": [float(optimum[i])], "y": [float(optimum[j])], "kind": ["optimum"]}
    return {"x": [], "y": [], "kind": []}


def _shown_rows(count: int, seed: int) -> np.ndarray | None:
    if count <= SHOWN_POINTS:
        return None
    return np.sort(np.random.default_rng(seed).choice(count, SHOWN_POINTS, replace=False))


def data_view(trace, frames, seed: int) -> dict | None:
    """The data panel: the points (a seeded sample of at most ``SHOWN_POINTS``) and the
    fitted curve or the decision line at each frame; None for a model with no data view."""
    fits = charts.fit_curves(trace, frames)
    if fits is not None:
        rows = _shown_rows(len(fits["x"]), seed)
        x, y = (fits["x"], fits["y"]) if rows is None else (fits["x"][rows], fits["y"][rows])
        fitted = None
        if rows is None and len(x) <= STICK_POINTS:  # residual sticks: the fit at each point
            with np.errstate(all="ignore"):
                fitted = [np.where(np.isfinite(f), f, np.nan) for f in
                          (trace.problem.predict(trace.params[int(k)], x) for k in frames)]
        return {"kind": "fit", "x": x, "y": y, "labels": None, "curve_x": fits["curve_x"],
                "curves": fits["curves"], "x_label": fits["x_label"],
                "y_label": fits["y_label"], "total": len(fits["x"]), "fitted": fitted}
    maps = charts.network_maps(trace, frames)
    if maps is not None:
        return {"kind": "map", "x": maps["X"][:, 0], "y": maps["X"][:, 1], **maps,
                "total": len(maps["X"])}
    lines = charts.boundary_lines(trace, frames)
    if lines is not None:
        X, labels = lines["X"], lines["labels"]
        rows = _shown_rows(len(X), seed)
        if rows is not None:
            X, labels = X[rows], labels[rows]
        return {"kind": "boundary", "x": X[:, 0], "y": X[:, 1],
                "labels": np.asarray(labels).tolist(), "lines": lines["lines"],
                "x_label": lines["x_label"], "y_label": lines["y_label"],
                "total": len(lines["X"])}
    return None
