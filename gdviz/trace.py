"""The record of one run: every point, loss, gradient and optimizer state."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

STOP_REASONS = ("converged", "diverged", "max_iter", "non_finite", "grad_norm")


@dataclass(frozen=True, eq=False)
class Trace:
    """An immutable record of a run, computed once and read by every view.

    Attributes
    ----------
    params : ndarray (T+1, P)
        The start, then the parameters after each of the T updates.
    loss : ndarray (T+1,)
        The loss at each row of ``params``.
    grads : ndarray (T+1, P)
        The gradient at each row of ``params``.
    state : dict of str to ndarray (T+1, ...)
        The optimizer's state before each update (e.g. ``"velocity"``).
    stop_reason : str
        ``"converged"``, ``"diverged"``, ``"max_iter"``, ``"non_finite"`` or ``"grad_norm"``.
    stop_detail : str
        The same in words, with the numbers that made the rule fire.
    param_names : tuple of str
    settings : dict
        What made the run: problem, optimizer, stop rule, start.
    problem : Problem or None
        The problem object, when the trace was computed in this process.
    """

    params: np.ndarray
    loss: np.ndarray
    grads: np.ndarray
    state: dict
    stop_reason: str
    stop_detail: str
    param_names: tuple
    settings: dict = field(default_factory=dict)
    problem: Any = field(default=None, repr=False)

    @property
    def iterations(self) -> int:
        """The number of updates made (``len(params) - 1``)."""
        return len(self.params) - 1

    @property
    def final_params(self) -> np.ndarray:
        return self.params[-1]

    @property
    def final_loss(self) -> float:
        return float(self.loss[-1])

    # -- files -------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "format": "gdviz-trace",
            "version": 1,
            "param_names": list(self.param_names),
            "params": self.params.tolist(),
            "loss": self.loss.tolist(),
            "grads": self.grads.tolist(),
            "state": {k: np.asarray(v).tolist() for k, v in self.state.items()},
            "stop_reason": self.stop_reason,
            "stop_detail": self.stop_detail,
            "settings": self.settings,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Trace":
        if data.get("format") != "gdviz-trace":
            raise ValueError("not a gdviz trace (missing \"format\": \"gdviz-trace\")")
        return cls(
            params=np.asarray(data["params"], dtype=float),
            loss=np.asarray(data["loss"], dtype=float),
            grads=np.asarray(data["grads"], dtype=float),
            state={k: np.asarray(v, dtype=float) for k, v in data["state"].items()},
            stop_reason=data["stop_reason"],
            stop_detail=data["stop_detail"],
            param_names=tuple(data["param_names"]),
            settings=data.get("settings", {}),
        )

    def to_json(self) -> str:
        # NaN and inf are written as JSON's non-standard tokens, which
        # Python's json reads back: a diverged run must round-trip as it was.
        return json.dumps(self.to_dict())

    @classmethod
    def load(cls, path: str | Path) -> "Trace":
        """Read a trace written by ``save`` (``.json``)."""
        path = Path(path)
        try:
            return cls.from_dict(json.loads(path.read_text()))
        except (OSError, json.JSONDecodeError, KeyError) as error:
            raise ValueError(f"cannot read a trace from {path}: {error}") from None


def stack_states(states: list) -> dict:
    """Turn a list of optimizer states (NamedTuples, maybe nested) into arrays by name.

    Every state of one run has the same structure, so the paths to its arrays
    are found once, from the first state.
    """
    if not states:
        return {}
    paths = list(_paths(states[0], (), ""))
    stacked = {}
    for name, path in paths:
        values = []
        for state in states:
            for index in path:
                state = state[index]
            values.append(state)
        stacked[name] = np.asarray(values, dtype=float)
    return stacked


def _paths(state, path, prefix):
    """Yield (name, index path) for each leaf of a NamedTuple/tuple state."""
    fields = getattr(state, "_fields", None)
    if isinstance(state, tuple):
        for index, part in enumerate(state):
            name = f"{prefix}{fields[index]}." if fields else prefix
            yield from _paths(part, path + (index,), name)
    else:
        yield prefix.rstrip("."), path
