"""Arrows at the current point: the negative gradient, momentum, the mini-batch gradient."""
from __future__ import annotations

import numpy as np
from matplotlib.patches import FancyArrowPatch

#: Arrow colours, distinct from the path (vermillion) and readable on viridis.
ARROW_COLOURS = {"gradient": "#CC79A7", "momentum": "#E69F00", "batch": "#56B4E9"}


def directions(trace) -> list[tuple[str, str, np.ndarray]]:
    """(label, colour, vectors (T+1, P)) for each arrow this run has; NaN rows hide it.

    The momentum arrow at point t is the direction the optimizer's memory
    pushes the step from t: ``-velocity`` (SGD momentum, RMSprop) or ``-m``
    (Adam's first moment), both as updated with the gradient at t.
    """
    arrows = [("−gradient (steepest descent)", ARROW_COLOURS["gradient"], -trace.grads)]
    if trace.stochastic:
        arrows.append(("−mini-batch gradient (the step used)", ARROW_COLOURS["batch"],
                       -trace.batch_grads))
    for key, label in (("velocity", "momentum (−velocity)"),
                       ("first_moment", "momentum (−first moment)")):
        if key in trace.state:
            memory = np.full_like(trace.params, np.nan)
            memory[:-1] = -np.asarray(trace.state[key])[1:]
            arrows.append((label, ARROW_COLOURS["momentum"], memory))
            break
    return arrows


class Arrows:
    """Arrows for two coordinates (i, j), end points computed once for every iteration.

    Each arrow has the same on-screen length (a fraction of the panel) while
    its quantity is large, and shrinks once it falls below a tenth of its
    largest value, so a converged run's arrows fade away.
    """

    def __init__(self, ax, trace, i: int, j: int, length: float = 0.12, label: bool = True):
        (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
        span = np.array([x_high - x_low, y_high - y_low])
        origin = trace.params[:, [i, j]]
        self.patches, self.ends = [], []
        for name, colour, vectors in directions(trace):
            planar = vectors[:, [i, j]] / span  # in panel fractions
            norms = np.linalg.norm(planar, axis=1)
            finite = norms[np.isfinite(norms)]
            reference = 0.1 * finite.max() if finite.size and finite.max() > 0 else 1.0
            with np.errstate(invalid="ignore", divide="ignore"):
                scale = length * np.minimum(1.0, norms / reference) / norms
            end = origin + planar * scale[:, None] * span
            end[~np.isfinite(end).all(axis=1) | (norms == 0)] = np.nan
            patch = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=18,
                                    linewidth=2.5, color=colour, zorder=7,
                                    label=name if label else None)
            ax.add_patch(patch)
            self.patches.append(patch)
            self.ends.append(end)
        self.origin = origin

    def update(self, k: int):
        start = self.origin[k]
        for patch, end in zip(self.patches, self.ends):
            visible = bool(np.all(np.isfinite(end[k])) and np.all(np.isfinite(start)))
            patch.set_visible(visible)
            if visible:
                patch.set_positions(tuple(start), tuple(end[k]))
        return list(self.patches)
