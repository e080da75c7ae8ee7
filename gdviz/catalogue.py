"""Build problems, optimizers and schedules by name, with "did you mean" errors.

The command line, comparisons and apps all go through here, so a name means
the same thing everywhere.
"""
from __future__ import annotations

import difflib
import inspect

from .optim import OPTIMIZERS
from .optim.schedules import SCHEDULES
from .problems import PROBLEMS


def unknown(kind: str, name: str, known) -> ValueError:
    """A ValueError for an unknown name, suggesting the nearest known one."""
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]}?" if close else ""
    return ValueError(f"unknown {kind} '{name}'{hint} (known: {', '.join(known)})")


def problem(name: str, **options):
    """A catalogue problem with its example data or default settings.

    Examples
    --------
    >>> problem("rosenbrock").minima.tolist()
    [[1.0, 1.0]]
    """
    if name not in PROBLEMS:
        raise unknown("model", name, PROBLEMS)
    cls = PROBLEMS[name]
    _check_options(f"the {name} model", cls.example, options, also=cls.__init__)
    return cls.example(**options)


def optimizer(name: str, **settings):
    """A named optimizer; settings not given keep PyTorch's defaults.

    Examples
    --------
    >>> str(optimizer("momentum", learning_rate=0.01))
    'momentum(learning_rate=0.01, momentum=0.9, dampening=0, weight_decay=0)'
    """
    if name not in OPTIMIZERS:
        raise unknown("optimizer", name, OPTIMIZERS)
    function = OPTIMIZERS[name][0]
    _check_options(name, function, settings)
    return function(**settings)


def schedule(spec: str, learning_rate: float, total_steps: int | None = None):
    """A schedule from ``"name"`` or ``"name:key=value,key=value"``.

    Examples
    --------
    >>> schedule("step:step_size=10,gamma=0.5", 0.1)(25)
    0.025
    """
    name, _, rest = spec.partition(":")
    name = name.strip()
    if name not in SCHEDULES:
        raise unknown("schedule", name, SCHEDULES)
    cls = SCHEDULES[name]
    settings = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, equals, value = part.partition("=")
        if not equals:
            raise ValueError(f"schedule setting '{part}' must look like key=value")
        try:
            settings[key.strip()] = float(value) if "." in value or "e" in value else int(value)
        except ValueError:
            raise ValueError(f"schedule setting '{key.strip()}' must be a number, got {value!r}") \
                from None
    if name == "cosine" and "total_steps" not in settings and total_steps:
        settings["total_steps"] = total_steps
    _check_options(f"the {name} schedule", cls.__init__, settings)
    return cls(learning_rate, **settings)


def _check_options(what: str, function, options: dict, also=None) -> None:
    """Refuse settings ``function`` does not take (and, when it passes ``**options``
    on, that ``also`` does not take either)."""
    allowed = []
    for candidate in (function, also):
        if candidate is None:
            continue
        for parameter in inspect.signature(candidate).parameters.values():
            if parameter.kind not in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL) and \
                    parameter.name not in ("self", "cls", "x", "y", "X", "labels", "formula"):
                allowed.append(parameter.name)
    for key in options:
        if key not in allowed:
            raise ValueError(f"{what} has no setting '{key}' "
                             f"(it takes: {', '.join(dict.fromkeys(allowed)) or 'nothing'})")
