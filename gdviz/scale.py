"""The loss axis every picture draws, as numbers: its limits, and how tall a change of
the loss looks on it. The views draw with these limits and the narrator weighs its events
with them, so what the words call an event is something the picture shows."""
from __future__ import annotations

import numpy as np

#: A log axis shows at most this many decades below the largest start: past that the
#: curve has done all a student can see, and a 1e-141 floor would squash the rest.
DECADES = 10
#: A change of the loss is seen when it moves the curve by this share of the loss axis's
#: height (2 px of a 400 px panel; 0.05 decade on a ten-decade log axis).
VISIBLE = 0.005


def log_limits(values, starts) -> tuple[float, float]:
    """Limits of a log loss axis for positive finite ``values`` of runs that started at
    ``starts``: capped at 1000x the largest start, floored ``DECADES`` below it, with room
    above the top for the current point's whole dot.

    >>> log_limits([100.0, 1e-20], [100.0])
    (1e-08, 200.0)
    """
    start = max(starts, default=1.0) or 1.0
    top = min(float(np.max(values)), 1e3 * max(start, 1e-12))
    return (max(float(np.min(values)) / 1.5, max(start, 1e-300) * 10.0 ** -DECADES),
            top * 2.0)


def loss_limits(losses) -> tuple[bool, float, float]:
    """(logarithmic, bottom, top) of the loss axis fitting every curve in ``losses``: a log
    axis when every finite loss is positive, else a plain one with a tenth's margin."""
    values = np.concatenate([np.asarray(loss, dtype=float).ravel() for loss in losses])
    finite = values[np.isfinite(values)]
    positive = bool(finite.size and finite.min() > 0)
    starts = [abs(loss[0]) for loss in losses if len(loss) and np.isfinite(loss[0])]
    if positive:
        return (True, *log_limits(finite, starts))
    start = max(starts) if starts else 1.0
    top = min(finite.max(), 1e3 * max(start, 1e-12)) if finite.size else 1.0
    bottom = finite.min() if finite.size else 0.0
    return False, bottom - 0.1 * abs(bottom) - 1e-9, top + 0.1 * abs(top) + 1e-9


def drawn_heights(loss, limits=None, floor: bool = True) -> np.ndarray:
    """Where each loss sits on the drawn axis, from 0 (its floor) to 1 (its top): values
    past an edge sit on it (the picture shows them there with a ▼ or ▲), NaN stays NaN.
    With ``floor=False`` a loss below the floor goes on below 0 (the ▼ says it falls on),
    down to 1e-16 of the top, past which float64 cannot tell it from rounding.

    >>> drawn_heights([1.0, 0.1, 1e-30], (True, 1e-3, 1.0)).round(3).tolist()
    [1.0, 0.667, 0.0]
    """
    loss = np.asarray(loss, dtype=float)
    logarithmic, bottom, top = loss_limits([loss]) if limits is None else limits
    with np.errstate(all="ignore"):
        if logarithmic:
            low, high = np.log10(bottom), np.log10(top)
            # Without the floor, a loss goes on down to a 1e-16 of the axis's top: below that
            # it is rounding beside where the run started.
            under = bottom if floor else top * 1e-16
            at = (np.log10(np.clip(loss, under, top)) - low) / (high - low)
        else:
            at = (np.clip(loss, bottom if floor else -np.inf, top) - bottom) / (top - bottom)
    return np.where(np.isfinite(loss), at, np.where(np.isnan(loss), np.nan, 1.0))
