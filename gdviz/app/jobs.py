"""What a worker computes for the page: a scene's runs and the numbers its charts draw,
and a download (the request and answer types are ``messages``, their prices ``costs``,
the contour and data pictures ``pictures``, an upload's columns ``uploads``). Plain functions of plain arguments (they travel to a
worker process and back), each within the request's budget (``workers.current``).

Nothing here keeps a Trace past the function: the page gets the numbers it draws
(paths in two coordinates, losses, words, a contour image), which are small, so the
server's memory does not grow with the runs it has made.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..lessons import MOST_ASKED
from ..scene import Scene
from ..views.race import run_styles
from .messages import Drawn, Later, Request, Upload
from .costs import Budget, MEMORY_SHARE, STEP_BYTES, step_cost
from .pictures import data_view, landscape, promise_within, slice_within
from .uploads import make_problem
from . import charts
from .workers import current
from ..words.i18n import _, listed, speaking
from ..words.numbers import scientific


def problem_key(scene: Scene, upload: Upload | None) -> tuple:
    """What fixes the loss landscape (the problem's settings, not the start): the contour
    is kept while only this stays."""
    fields = (name for name in Scene.PROBLEM_FIELDS if name != "x0")
    return tuple(getattr(scene, name) for name in fields) + (upload,)


def check_whole(scene: Scene, problem) -> None:
    """What only the problem can tell: a start of the right length, a batch no larger
    than the data. Raises ``ValueError`` in one line."""
    if scene.x0 is not None and len(scene.x0) != problem.n_params:
        raise ValueError(_("x0 has {count} numbers but this model has {parameters} "
                           "parameters ({names})").format(count=len(scene.x0),
                                                          parameters=problem.n_params,
                                                          names=listed(problem.param_names)))
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
                   "{work} parameter × data-row steps (gdviz app --max-work)").format(
        iteration=allowed, work=scientific(budget.work))
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
    own = own_frames(trace, frames)
    return Drawn(
        scene=scene, start=trace.params[0].tolist(), key=key, upload=upload,
        frames=[int(k) for k in frames],
        words=[charts.run_words(t, label) for t, label in zip(traces, labels)],
        loss_range=loss_range, longest=longest,
        data=data_view(trace, own, scene.seed), boards=[],
        stable_rate=charts.stable_rate(problem), budget_note=budget_note(traces),
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


def budget_note(traces) -> str:
    """Why the server's budget stopped a run, if it stopped one ("" if none)."""
    return next((t.stop_detail for t in traces if t.stop_reason == "budget"), "")


def predicted(problem, scene: Scene, upload, traces, labels, request, key, cost) -> Later:
    """Predict, then reveal: the page gets the runs only as far as the asked step (the
    numbers after it are not sent), the step's arithmetic with the asked numbers blank and
    the question; the answer and the whole runs stay on the server until the reveal."""
    from ..lessons import Question, answer
    from ..words.board import StepBoard

    trace, asked = traces[0], request.predict
    k = asked.step
    last = trace.iterations - (0 if asked.ask in ("diverges", "stops_at", "choice", "explain")
                               else 1)
    if not 0 <= k <= last:
        raise ValueError(_("this run has {count} iterations: ask about a step from 0 to "
                           "{last}").format(count=trace.iterations, last=last))
    if asked.ask == "next_params" and trace.params.shape[1] > MOST_ASKED:
        raise ValueError(_("this model has {count} parameters: ask for the next loss or the "
                           "direction instead").format(count=trace.params.shape[1]))
    found = answer(Question(step=k, ask=asked.ask, tolerance=asked.tolerance,
                            prompt=asked.prompt, options=asked.options, right=asked.right),
                   trace)
    hidden = _("what comes next is hidden until you answer")
    cut = [t.until(min(k, t.iterations), hidden) for t in traces]
    shown = drawn_of(problem, scene, upload, cut, labels, request.window, key, cost)
    later, rests = [], {}  # each run as far as the next question on it lets it be seen
    for r, whole in enumerate(traces):
        until = asked.reveal_until[r] if r < len(asked.reveal_until) else None
        if until is None or until[0] >= whole.iterations:
            later.append(whole)
        else:
            rests[r] = _("{label}: iteration {k} shown; {hidden}").format(
                label=labels[r], k=until[0],
                hidden=_("the rest after question {n}").format(n=until[1]))
            later.append(whole.until(until[0], rests[r]))
    revealed = drawn_of(problem, scene, upload, later, labels, shown.window(), key, cost,
                        must=(k, k + 1))
    for r, words in rests.items():
        revealed.words[r] = words
    # The server's own budget, said as ever; a run kept for a later question is not one.
    revealed.budget_note = budget_note(traces)
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
