"""Learning-rate schedules: the learning rate as a function of the step number.

Step 0 is the first update. Each matches the PyTorch scheduler of the same
idea stepped once per update (``scheduler.step()`` after ``optimizer.step()``).
"""
from __future__ import annotations

import math

from .._validate import non_negative_number, positive_integer, positive_number
from ..words.i18n import N_, _


class Schedule:
    """A learning rate per step: ``schedule(step) -> float``."""

    #: What it does, in a line for ``gdviz list`` (marked for the catalogue).
    words = ""

    def __init__(self, learning_rate: float):
        self.learning_rate = positive_number("learning_rate", learning_rate)

    def __call__(self, step: int) -> float:
        raise NotImplementedError

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v:g}" for k, v in vars(self).items())
        return f"{type(self).__name__.lower()}({settings})"


class Constant(Schedule):
    """The same learning rate at every step."""

    words = N_('The same learning rate at every step.')

    def __call__(self, step):
        return self.learning_rate


class StepDecay(Schedule):
    """Multiply by ``gamma`` every ``step_size`` steps (``torch.optim.lr_scheduler.StepLR``)."""

    words = N_('Multiply by gamma every step_size steps (torch.optim.lr_scheduler.StepLR).')

    def __init__(self, learning_rate, step_size: int = 100, gamma: float = 0.1):
        super().__init__(learning_rate)
        self.step_size = positive_integer("step_size", step_size)
        self.gamma = positive_number("gamma", gamma)

    def __call__(self, step):
        return self.learning_rate * self.gamma ** (step // self.step_size)


class Exponential(Schedule):
    """Multiply by ``gamma`` every step (``ExponentialLR``)."""

    words = N_('Multiply by gamma every step (ExponentialLR).')

    def __init__(self, learning_rate, gamma: float = 0.99):
        super().__init__(learning_rate)
        self.gamma = positive_number("gamma", gamma)

    def __call__(self, step):
        return self.learning_rate * self.gamma**step


class Cosine(Schedule):
    """Half a cosine from the learning rate down to ``min_lr`` over ``total_steps``.

    As ``CosineAnnealingLR`` with ``T_max=total_steps`` (past that it rises again,
    as PyTorch's does)."""

    words = N_('Half a cosine from the learning rate down to min_lr over total_steps.')

    def __init__(self, learning_rate, total_steps: int = 1000, min_lr: float = 0.0):
        super().__init__(learning_rate)
        self.total_steps = positive_integer("total_steps", total_steps)
        self.min_lr = non_negative_number("min_lr", min_lr)

    def __call__(self, step):
        cosine = 1 + math.cos(math.pi * step / self.total_steps)
        return self.min_lr + (self.learning_rate - self.min_lr) * cosine / 2


class LinearWarmup(Schedule):
    """Rise linearly to the learning rate over ``warmup_steps``, then stay.

    Starts at ``start_factor * learning_rate`` (``LinearLR`` with ``end_factor=1``)."""

    words = N_('Rise linearly to the learning rate over warmup_steps, then stay.')

    def __init__(self, learning_rate, warmup_steps: int = 100, start_factor: float = 1 / 3):
        super().__init__(learning_rate)
        self.warmup_steps = positive_integer("warmup_steps", warmup_steps)
        self.start_factor = positive_number("start_factor", start_factor)
        if self.start_factor > 1:
            raise ValueError(_("start_factor must be at most 1, got {value!r}").format(
                value=start_factor))

    def __call__(self, step):
        progress = min(step, self.warmup_steps) / self.warmup_steps
        return self.learning_rate * (self.start_factor + (1 - self.start_factor) * progress)



class InverseTimeDecay(Schedule):
    """``learning_rate / (1 + decay * step)`` (Adagrad's ``lr_decay``)."""

    words = N_("learning_rate / (1 + decay * step) (Adagrad's lr_decay).")

    def __init__(self, learning_rate, decay: float = 0.0):
        super().__init__(learning_rate)
        self.decay = non_negative_number("lr_decay", decay)

    def __call__(self, step):
        return self.learning_rate / (1 + step * self.decay)


#: Schedule names for the command line (``--schedule cosine``).
SCHEDULES = {
    "constant": Constant,
    "step": StepDecay,
    "exponential": Exponential,
    "cosine": Cosine,
    "warmup": LinearWarmup,
    "inverse": InverseTimeDecay,
}
