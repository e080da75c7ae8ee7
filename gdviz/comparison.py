"""Several runs on one problem, drawn together: the optimizer race."""
from __future__ import annotations

from typing import Sequence

from matplotlib.figure import Figure

from .animation import DescentAnimation, figure_glossary, figure_legend, grid_shape, panel_grid
from .frames import DEFAULT_FRAMES, frame_iterations, race_iterations
from .trace import Trace
from .views.race import OwnRunView, RaceContourView, RaceLossView, run_styles
from .views.status import RaceStatus
from .views.style import plain_title
from .scene import Scene
from .words.i18n import _, listed, ngettext, run_label


def default_label(trace: Trace) -> str:
    """``"adam, lr 0.05"`` from a run's settings."""
    settings = trace.settings
    rate = settings.get("learning_rate")
    rate = f"{rate:g}" if isinstance(rate, (int, float)) else rate
    name = settings.get("optimizer_name", "run")
    if rate is None:
        return name
    return run_label(name, [_(Scene.SETTING_WORDS["lr"]).format(value=rate)])


def compare(traces: Sequence[Trace], labels: Sequence[str] | None = None, *,
            layout: str = "overlay", every: int | None = None, frames: int | None = 60,
            figsize: tuple[float, float] | None = None, interval: float = 100,
            figure: Figure | None = None, note: str | None = None) -> DescentAnimation:
    """Animate several runs of one problem together, or side by side runs of different
    models on the same data (networks of other shapes: ``layout="grid"``).

    Parameters
    ----------
    traces : list of Trace
        Runs of the same problem (the first one's problem draws the contours); or, with
        ``layout="grid"``, of models whose data can be drawn (a network's map, a fit),
        each in its own panel, their losses on one axis.
    labels : list of str, optional
        One per run; default: optimizer and learning rate.
    layout : {"overlay", "grid"}
        ``"overlay"``: all paths on one contour beside one loss curve.
        ``"grid"``: small multiples, one contour per run, and the loss curves.
    every, frames : int, optional
        Frame schedule over the longest run; shorter runs hold their last point.
    figure : Figure, optional
        Draw into this figure (e.g. a window's); by default a new one.
    note : str, optional
        One line beside the iteration, e.g. how the learning rates were chosen.

    Examples
    --------
    >>> import gdviz
    >>> from gdviz import problems, optim, stop
    >>> p = problems.Rosenbrock()
    >>> runs = [gdviz.run(p, optim.adam(learning_rate=0.05), stop=stop.MaxIter(100)),
    ...         gdviz.run(p, optim.momentum(learning_rate=5e-4), stop=stop.MaxIter(100))]
    >>> anim = gdviz.compare(runs, labels=["adam", "momentum"])
    >>> len(anim.views)
    2
    """
    traces = list(traces)
    if not traces:
        raise ValueError(_("compare needs at least one run"))
    names = traces[0].param_names
    same = all(trace.param_names == names for trace in traces[1:])
    if any(trace.problem is None for trace in traces):
        raise ValueError(_("compare draws the problem's loss surface: use traces computed in "
                           "this session (gdviz.run), not loaded from a file"))
    own_views = None if same else _own_views(traces, layout)
    labels = [default_label(t) for t in traces] if labels is None else list(labels)
    if len(labels) != len(traces):
        raise ValueError(_("give one label per run: {runs} runs, {labels} labels").format(
            runs=len(traces), labels=len(labels)))
    if layout == "overlay":
        views = [RaceContourView(traces, labels), RaceLossView(traces, labels)]
        size = figsize or (16, 7.5)
    elif layout == "grid" and own_views is not None:  # different models, each its picture
        views = [OwnRunView(view, trace, label, r, colour=run_styles(traces)[r][0])
                 for r, (view, trace, label) in enumerate(zip(own_views, traces, labels))]
        views.append(RaceLossView(traces, labels))
        rows, columns = grid_shape(len(views))
        size = figsize or (5.5 * columns, 4.8 * rows + 1.5)
    elif layout == "grid":
        views = [RaceContourView(traces, labels, only=r) for r in range(len(traces))]
        views.append(RaceLossView(traces, labels))
        rows, columns = grid_shape(len(views))
        size = figsize or (5.5 * columns, 4.8 * rows + 1.5)
    else:
        raise ValueError(_("layout must be 'overlay' or 'grid', got {value!r}").format(
            value=layout))
    if figure is None:
        figure = Figure(figsize=size, layout="constrained")
    else:
        figure.set_size_inches(*size)
    if own_views is None:
        runs = ngettext("{count} run", "{count} runs", len(traces)).format(count=len(traces))
        figure.suptitle(f"{plain_title(traces[0])}   ·   {runs}", fontsize=14)
    else:
        figure.suptitle(_models_title(traces), fontsize=14)
    # Runs of different models say more each (accuracy, test loss): a line each.
    status = RaceStatus(traces, labels, run_styles(traces),
                        notes=[view.run_note for view in views if hasattr(view, "run_note")],
                        note=note, columns=None if own_views is None else 1)
    strip, body, place = panel_grid(figure, len(views),
                                    status_inches=0.15 + status.LINE * status.rows)
    for number, view in enumerate(views):
        view.setup(body.add_subplot(place(number)))
    figure_legend(body, body.axes)
    longest = max(t.iterations for t in traces)
    iterations = (frame_iterations(longest, every=every) if every
                  else race_iterations(traces, frames or DEFAULT_FRAMES))
    status.setup(strip, iterations)
    glossary = figure_glossary(figure, body, [*status.words, *(status.strip_words(int(i))
                                                               for i in iterations)])
    anim = DescentAnimation(figure, views, None, iterations, interval=interval, status=status)
    anim.traces = traces
    anim.glossary = glossary
    return anim


def _own_views(traces, layout: str) -> list:
    """Each run's data view for a grid of runs of different models; a ``ValueError`` in
    one line where that cannot be drawn."""
    from .views import VIEWS

    if layout != "grid":
        raise ValueError(_("an overlay races runs of one problem on one contour; runs of "
                           "different models (their parameters differ) go side by side: use "
                           "layout='grid'"))
    views = []
    for trace in traces:
        kind = next((name for name in ("map", "fit") if VIEWS[name].supports(trace)), None)
        if kind is None:
            raise ValueError(_("runs of different models are compared by a picture of their "
                               "data (a network's map, a fit): {title} has none").format(
                title=plain_title(trace)))
        views.append(VIEWS[kind]())
    return views


def _models_title(traces) -> str:
    """The title of runs of different models: the networks' shapes, or each model."""

    if all(hasattr(trace.problem, "sizes") for trace in traces):
        shapes = ["-".join(str(size) for size in trace.problem.sizes) for trace in traces]
        return _("networks of {shapes} units on the same data").format(shapes=listed(shapes))
    return "   ·   ".join(dict.fromkeys(plain_title(trace) for trace in traces))
