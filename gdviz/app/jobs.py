"""What a worker computes for the page: a scene's runs and the numbers its charts draw,
an upload's columns, a download. Plain functions of plain arguments (they travel to a
worker process and back), each within the request's budget (``workers.current``).

Nothing here keeps a Trace past the function: the page gets the numbers it draws
(paths in two coordinates, losses, words, a contour image), which are small, so the
server's memory does not grow with the runs it has made.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..lessons import MOST_ASKED
from ..scene import Scene
from ..stop import StopEvent, StopRule
from ..views.race import run_styles
from . import charts
from .workers import Superseded, current
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
#: Share of the time budget the runs may take: the rest is for the contour and the words.
RUN_SHARE = 0.75
#: Share of the memory budget the runs' records may take, and the bytes a step keeps per
#: parameter at the most (parameters, gradient, two optimizer states, each copied once
#: when the trace is stacked: 8 float64).
MEMORY_SHARE, STEP_BYTES = 0.5, 8 * 8


@dataclass(frozen=True)
class Upload:
    """A CSV uploaded by the page: where it lies and which columns to read."""

    path: str
    x_columns: tuple[str, ...]
    y_column: str


@dataclass(frozen=True)
class Window:
    """The contour the page shows, kept while its problem stays: the problem's key, the
    plane's kind, the two coordinates, the limits, and on the plane of a path its basis
    (``origin``, ``directions``, ``explained``) and the label of the run that made it."""

    key: tuple
    plane: str
    i: int
    j: int
    limits: tuple
    basis: dict | None = None
    made_by: str = ""


@dataclass(frozen=True)
class Request:
    """One redraw: the scene, the race (scenes that take the scene's problem and start),
    the uploaded data if any, and the contour window the page shows (``None``: choose
    one). ``pick_rate``: first choose a learning rate that suits a new problem."""

    scene: Scene
    race: tuple[Scene, ...] = ()
    upload: Upload | None = None
    window: Window | None = None
    pick_rate: bool = False
    #: Predict mode: the step to stop at and what to ask (``Predict``), or None.
    predict: "Predict | None" = None
    #: The page's language: every word of the runs is made in it (``words.i18n``).
    lang: str = "en"


@dataclass(frozen=True)
class Predict:
    """What the student predicts: ``ask`` (``lessons.ASKS``) about the step from
    iteration ``step``, within ``tolerance`` (None: the question's default)."""

    step: int
    ask: str
    tolerance: float | None = None


@dataclass
class Drawn:
    """What the charts show for a request (small: no Trace inside)."""

    scene: Scene
    start: list
    key: tuple
    upload: Upload | None
    #: The plane the contour draws: "true" (two parameters), "slice" or "pca".
    plane: str
    #: The contour's two parameters (a slice, or both); on the plane of the path (0, 1).
    i: int
    j: int
    limits: tuple
    image: dict | None  # a new contour image, or None: keep the one shown
    axis_labels: tuple
    landmarks: dict
    frames: list
    paths: list
    words: list
    loss_range: tuple | None
    longest: int
    data: dict | None
    boards: list
    stable_rate: float | None
    budget_note: str = ""
    #: The narrator's caption of each frame (of the first run); in a redraw they follow
    #: with the boards (``Later``), in predict mode they come with the paths.
    captions: list = field(default_factory=list)
    #: Each run's colour: its optimizer's in a race of different optimizers (as every
    #: picture of gdviz draws them), else by its place in the race.
    colours: list = field(default_factory=list)
    #: A network: its picture at each frame (``charts.network_picture``), and the chain
    #: rule of each frame's step (which follows with the boards).
    network: dict | None = None
    chains: list | None = None
    #: The network's picture and a slice's image of a window kept follow with the words
    #: (``Later``): the page keeps the ones it shows until they come.
    follows: bool = False
    #: What the contour shows, in words (``charts.plane_words``).
    plane_words: dict = field(default_factory=dict)
    #: A slice: the iteration the image is through (the first run's last, at first).
    image_at: int | None = None
    #: A slice: the first run's parameters at each frame (kept on the server, where a
    #: slice through the frame the scrub stops at is asked for).
    frame_params: np.ndarray | None = None
    #: The plane of a path: its origin, two directions and their shares (a click maps
    #: through them), the run that made it, and at each frame how far the first run's
    #: point lies off it, in words.
    plane_basis: dict | None = None
    plane_made_by: str = ""
    plane_notes: list = field(default_factory=list)

    def window(self) -> Window:
        """The contour shown, to be kept while the problem stays."""
        return Window(self.key, self.plane, self.i, self.j, self.limits, self.plane_basis,
                      self.plane_made_by)
    #: Promise and delivery of each frame's step (``charts.promise``), or None when the
    #: cross-sections would cost more than the contour's share of the budget.
    promise: dict | None = None
    #: Predict mode: the step and the question (shown), and, kept on the server until the
    #: reveal, the whole runs' Drawn and the answer (``lessons.Answer``).
    predict: dict | None = None
    revealed: "Drawn | None" = field(default=None, repr=False)
    hidden_answer: object = field(default=None, repr=False)
    #: The Traces themselves, only where the job ran in the page's own process.
    traces: list = field(default_factory=list, repr=False)

    def __getstate__(self):  # never across processes: the traces stay in the worker
        return {**self.__dict__, "traces": []}


class Budget(StopRule):
    """Stops a run at the request's deadline or its share of the work budget, and
    drops it if a newer request of the same page came (``Superseded``)."""

    def __init__(self, max_iterations: int, work_words: str):
        self.max_iterations = max_iterations
        self.work_words = work_words

    def check(self, iteration, loss, previous_loss, initial_loss, grad):
        if iteration >= self.max_iterations:
            return StopEvent("budget", self.work_words)
        if iteration % 32 == 0:
            if current.cancelled():
                raise Superseded()
            if time.monotonic() > current.deadline - (1 - RUN_SHARE) * current.budget.seconds:
                return StopEvent("budget", _("stopped at iteration {iteration}: this server "
                                             "gives a request at most {seconds:g} s "
                                             "(gdviz app --max-seconds)").format(
                    iteration=iteration, seconds=current.budget.seconds))
        return None

    def __repr__(self) -> str:
        return f"Budget({self.max_iterations})"


def problem_key(scene: Scene, upload: Upload | None) -> tuple:
    """What fixes the loss landscape (the problem's settings, not the start): the contour
    is kept while only this stays."""
    fields = (name for name in Scene.PROBLEM_FIELDS if name != "x0")
    return tuple(getattr(scene, name) for name in fields) + (upload,)


def step_cost(problem) -> int:
    """Work of one step: parameters × data rows, or a formula's own (``step_work``: its
    nodes and its derivatives', each as costly as 25 such units)."""
    own = getattr(problem, "step_work", None)
    if own:
        return int(own)
    return int(problem.n_params) * int(getattr(problem, "n_samples", None) or 1)


def presumed_work(scene: Scene, runs: int, rows: int | None) -> float:
    """A guess of a request's work made before its problem exists (no data read): the
    pool keeps a heavy one off the last free worker."""
    if scene.problem == "expression" and scene.formula:
        from ..expression import parse, size
        from ..problems.expression import STEP_WORK_PER_NODE

        try:  # its derivatives have about five times its nodes (measured on long ones)
            return (float(scene.max_iter) * runs * STEP_WORK_PER_NODE * 6
                    * size(parse(scene.formula)))
        except ValueError:
            return 0.0  # refused in one line when it runs
    rows = rows or 200
    sizes = (1, *(scene.hidden or (8,)), 1)
    network = sum((inputs + 1) * units for inputs, units in zip(sizes[:-1], sizes[1:]))
    parameters = {"mlp": network, "polynomial": (scene.degree or 3) + 1}
    return float(scene.max_iter) * runs * parameters.get(scene.problem, 3) * rows


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


def check_whole(scene: Scene, problem) -> None:
    """What only the problem can tell: a start of the right length, a batch no larger
    than the data. Raises ``ValueError`` in one line."""
    if scene.x0 is not None and len(scene.x0) != problem.n_params:
        raise ValueError(_("x0 has {count} numbers but this model has {parameters} "
                           "parameters ({names})").format(count=len(scene.x0),
                                                          parameters=problem.n_params,
                                                          names=", ".join(problem.param_names)))
    rows = getattr(problem, "n_samples", None)
    if scene.batch_size is not None and rows is not None and scene.batch_size > rows:
        raise ValueError(_("batch_size {size} is more than the {rows} data points").format(
            size=scene.batch_size, rows=rows))
    if scene.batch_size is not None and rows is None:
        raise ValueError(_("batch_size needs a model with data (linear, polynomial, "
                           "logistic, mlp, seed or your CSV)"))


def picked_rate(scene: Scene, problem) -> float | None:
    """A learning rate that suits a newly chosen problem: its curvature's where known, the
    race's on a test function."""
    from .. import catalogue

    rate = catalogue.curvature_learning_rate(problem, scene.optimizer)
    if rate is None and scene.problem not in catalogue.DATA_MODELS and scene.problem not in (
            "seed", "expression"):
        rate = catalogue.RACE.get(scene.optimizer)
    return None if rate is None else float(f"{rate:.3g}")


@dataclass
class Later:
    """What follows the paths a moment later: each frame's arithmetic board, and the
    narrator's caption and a network's chain rule where the paths came without them; a
    network's picture and a new slice's contour where the paths came without them
    (``Drawn.follows``)."""

    boards: list
    captions: list | None = None
    chains: list | None = None
    network: dict | None = None
    #: A slice through the first run's last point: ``{"image", "plane_words", "at"}``.
    contour: dict | None = None


def draw(request: Request) -> Later:
    """``_draw`` in the page's language."""
    with speaking(request.lang):
        return _draw(request)


def _draw(request: Request) -> Later:
    """Run the request's scene and race within the budget. The numbers the page draws go
    first, as the early answer (a ``Drawn``: the paths, the maps, the contour); the
    answer (``Later``) is the words of each frame, which the page shows a moment later.
    In predict mode (``request.predict``) see ``predicted``."""
    scene, upload = request.scene, request.upload
    problem = make_problem(scene, upload)
    if request.pick_rate:
        rate = picked_rate(scene, problem)
        if rate is not None:
            scene = scene.replace(lr=rate)
    check_whole(scene, problem)
    cost = step_cost(problem)
    runs = 1 + len(request.race)
    budget = current.budget
    if float(scene.max_iter) * runs * cost > budget.light_work:
        current.declare_heavy()
    allowed = max(1, int(budget.work // (cost * runs)))
    work_words = _("stopped at iteration {iteration}: this server gives a request at most "
                   "{work:.3g} parameter × data-row steps (gdviz app --max-work)").format(
        iteration=allowed, work=budget.work)
    kept = max(1, int(MEMORY_SHARE * budget.memory_bytes
                      // (runs * STEP_BYTES * int(problem.n_params))))
    if kept < allowed:  # a large network: its steps' records fill memory before the work
        allowed = kept
        work_words = _("stopped at iteration {iteration}: this server gives a request at most "
                       "{megabytes:.0f} MB of memory, and each step of {count:,} parameters is "
                       "kept (gdviz app --max-memory)").format(
            iteration=kept, megabytes=budget.memory_bytes / 2**20, count=problem.n_params)

    traces = [scene.run(problem, also_stop=Budget(allowed, work_words))]
    start = traces[0].params[0].tolist()
    for entry in request.race:
        check_whole(entry, problem)
        traces.append(entry.run(problem, x0=start, also_stop=Budget(allowed, work_words)))
    trace = traces[0]
    if trace.params.shape[1] < 2:
        raise ValueError(_("this model has one parameter: no contour to draw"))
    key = problem_key(scene, upload)
    labels = [scene.label()] + [entry.label() for entry in request.race]
    if request.predict is None:
        drawn = drawn_of(problem, scene, upload, traces, labels, request.window, key, cost,
                         words=False)
        # The paths and the data's picture first (the page draws them at once); the words,
        # the network's picture and a new slice of the same window follow.
        current.answer_early(drawn)
        own = own_frames(trace, drawn.frames)
        contour = None
        if drawn.plane == "slice" and drawn.image is None:
            contour = {"image": slice_within(problem, trace.params[drawn.image_at], drawn.i,
                                             drawn.j, drawn.limits, cost),
                       "plane_words": drawn.plane_words, "at": drawn.image_at}
        return Later(charts.boards(trace, own), charts.captions(trace, own),
                     charts.chains(trace, own),
                     network=charts.network_picture(trace, own) if drawn.follows else None,
                     contour=contour)
    return predicted(problem, scene, upload, traces, labels, request, key, cost)


def drawn_of(problem, scene: Scene, upload, traces, labels, window, key, cost: int,
             must=(), words: bool = True) -> Drawn:
    """What the page draws of ``traces`` (``must``: iterations among the frames;
    ``words``: with the captions, the chain rule, the network's picture and the slice of a
    window kept, else they follow in ``Later``)."""
    from ..scale import log_limits

    trace = traces[0]
    frames = charts.frames_of(traces)
    longest = max(t.iterations for t in traces)
    if must:
        frames = np.union1d(frames, [k for k in must if 0 <= k <= longest]).astype(int)
    land = landscape(problem, traces, scene, window, key, cost, frames, slice_now=words)
    losses = np.concatenate([t.loss for t in traces])
    finite = losses[np.isfinite(losses) & (losses > 0)]
    loss_range = None
    if finite.size:  # the pictures' rule: 1000x the start at most, ten decades below it
        loss_range = log_limits(finite, [abs(t.loss[0]) for t in traces
                                         if np.isfinite(t.loss[0])])
    notes = [t.stop_detail for t in traces if t.stop_reason == "budget"]
    own = own_frames(trace, frames)
    return Drawn(
        scene=scene, start=trace.params[0].tolist(), key=key, upload=upload,
        frames=[int(k) for k in frames],
        words=[charts.run_words(t, label) for t, label in zip(traces, labels)],
        loss_range=loss_range, longest=longest,
        data=data_view(trace, own, scene.seed), boards=[],
        stable_rate=charts.stable_rate(problem), budget_note=notes[0] if notes else "",
        captions=charts.captions(trace, own) if words else [],
        network=charts.network_picture(trace, own) if words else None,
        chains=charts.chains(trace, own) if words else None,
        follows=not words and hasattr(problem, "sizes"),  # a network's picture follows
        promise=promise_within(trace, own, cost), traces=traces,
        colours=[colour for colour, _dash in run_styles(traces)], **land)


def own_frames(trace, frames) -> np.ndarray:
    """The first run's iteration at each frame: past its end (a longer run of the race
    goes on), its last, as the page shows it."""
    return np.minimum(np.asarray(frames, dtype=int), trace.iterations)


def predicted(problem, scene: Scene, upload, traces, labels, request, key, cost) -> Later:
    """Predict, then reveal: the page gets the runs only as far as the asked step (the
    numbers after it are not sent), the step's arithmetic with the asked numbers blank and
    the question; the answer and the whole runs stay on the server until the reveal."""
    from ..lessons import Question, answer
    from ..words.board import StepBoard

    trace, asked = traces[0], request.predict
    k = asked.step
    last = trace.iterations - (0 if asked.ask in ("diverges", "stops_at") else 1)
    if not 0 <= k <= last:
        raise ValueError(_("this run has {count} iterations: ask about a step from 0 to "
                           "{last}").format(count=trace.iterations, last=last))
    if asked.ask == "next_params" and trace.params.shape[1] > MOST_ASKED:
        raise ValueError(_("this model has {count} parameters: ask for the next loss or the "
                           "direction instead").format(count=trace.params.shape[1]))
    found = answer(Question(step=k, ask=asked.ask, tolerance=asked.tolerance), trace)
    hidden = _("what comes next is hidden until you answer")
    cut = [t.until(min(k, t.iterations), hidden) for t in traces]
    shown = drawn_of(problem, scene, upload, cut, labels, request.window, key, cost)
    revealed = drawn_of(problem, scene, upload, traces, labels, shown.window(), key, cost,
                        must=(k, k + 1))
    if revealed.image is None:  # the same landscape: the page keeps the one it has
        revealed.image = shown.image
    revealed.boards = charts.boards(trace, own_frames(trace, revealed.frames))
    shown.words = [_("{label}: iteration {k} shown; {hidden}").format(label=label, k=k,
                                                                       hidden=hidden)
                   for label in labels]
    shown.budget_note = revealed.budget_note
    shown.captions = shown.captions[:-1] + [found.prompt]
    shown.promise = None
    shown.predict = {"step": k, "ask": asked.ask, "prompt": found.prompt}
    shown.revealed, shown.hidden_answer = revealed, found
    current.answer_early(shown)
    boards = charts.boards(cut[0], own_frames(cut[0], shown.frames))
    if k < trace.iterations:  # the step's arithmetic with its results blank, never an ending
        board = StepBoard(trace, shown.frames).lines(k, hide_next=True)
        boards[-1] = "\n".join(line for line, _k in board)
    return Later(boards)


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


def read_upload(path: str) -> list[str]:
    """The header's column names of an uploaded CSV (the command line's own first look:
    delimiter sniffing, binary and long-line checks)."""
    from ..data import check_file, sniff

    check_file(Path(path))
    _delimiter, columns = sniff(Path(path))
    if not columns or not any(columns):
        raise ValueError(_("the file has no header row (names of the columns)"))
    return columns


def export(request: Request, suffix: str, folder: str) -> bytes:
    """``_export`` in the page's language."""
    with speaking(request.lang):
        return _export(request, suffix, folder)


def _export(request: Request, suffix: str, folder: str) -> bytes:
    """The request's first run as a file (GIF, MP4, HTML player, trace JSON), made by the
    same writers as ``gdviz run --save``."""
    from .. import animate

    scene = request.scene
    problem = make_problem(scene, request.upload)
    check_whole(scene, problem)
    allowed = max(1, int(current.budget.work // step_cost(problem)))
    trace = scene.run(problem, also_stop=Budget(allowed, _("stopped by this server's work budget")))
    path = Path(folder) / f"gdviz.{suffix}"
    anim = animate(trace, layout="classic")
    saved = Path(anim.save(path, progress=False))
    try:
        return saved.read_bytes()
    finally:
        saved.unlink(missing_ok=True)
