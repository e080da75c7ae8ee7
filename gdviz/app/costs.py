"""What a request may cost: its work (parameters × data rows × steps, a formula by its
size), guessed before it runs to keep a heavy one off the last free worker, and the
stop rule that holds a run to its share of the time, memory and work budget."""
from __future__ import annotations

import time


from ..scene import Scene
from ..stop import StopEvent, StopRule
from .workers import Superseded, current
from ..words.i18n import _

#: Share of the time budget the runs may take: the rest is for the contour and the words.
RUN_SHARE = 0.75
#: Share of the memory budget the runs' records may take, and the bytes a step keeps per
#: parameter at the most (parameters, gradient, two optimizer states, each copied once
#: when the trace is stacked: 8 float64).
MEMORY_SHARE, STEP_BYTES = 0.5, 8 * 8


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
