"""Which iterations become frames."""
from __future__ import annotations

import numpy as np

from ._validate import positive_integer


def frame_iterations(n_iterations: int, *, every: int | None = None,
                     frames: int | None = None) -> np.ndarray:
    """The iterations to draw, always including the first (0) and the last.

    ``every=k`` draws iterations 0, k, 2k, ... as the blog does; ``frames=N``
    draws at most N frames, dense at the start where the motion is fast and
    sparse in the slow tail. With neither, every iteration is a frame.

    Examples
    --------
    >>> frame_iterations(1161, every=100).tolist()[-3:]
    [1000, 1100, 1161]
    >>> len(frame_iterations(10_000, frames=50))
    50
    """
    if every is not None and frames is not None:
        raise ValueError("give either every= or frames=, not both")
    last = int(n_iterations)
    if frames is not None:
        frames = positive_integer("frames", frames)
        if frames < 2:
            raise ValueError("frames must be at least 2: the first and the last step")
        if frames >= last + 1:
            return np.arange(last + 1)
        # Quadratic spacing in time: half the frames cover the first quarter.
        schedule = np.unique(np.round(np.linspace(0.0, 1.0, frames) ** 2 * last).astype(int))
        # Rounding merges early frames; top up from the unused iterations.
        missing = frames - len(schedule)
        if missing:
            unused = np.setdiff1d(np.arange(last + 1), schedule)
            schedule = np.union1d(schedule, unused[:missing])
        return schedule
    step = 1 if every is None else positive_integer("every", every)
    schedule = np.arange(0, last + 1, step)
    if schedule[-1] != last:
        schedule = np.append(schedule, last)
    return schedule
