"""The record of one run: every point, loss, gradient and optimizer state."""
from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ._validate import env_limit
from .files import atomic_path, check_folder
from .words.i18n import _, listed

#: The files a trace saves as: ``.json`` and ``.npz`` load back, ``.csv`` is a table.
SUFFIXES = (".json", ".npz", ".csv")
STOP_REASONS = ("converged", "diverged", "max_iter", "non_finite", "grad_norm", "budget")


#: The most numbers a trace file may hold, checked before it is parsed: a run keeps, per
#: iteration, its parameters, gradient and optimizer state (about 4 numbers a parameter).
#: The default fits a million iterations of a two-parameter problem, or a hundred thousand
#: of a 25-parameter network; GDVIZ_MAX_TRACE_NUMBERS raises it.
MAX_TRACE_NUMBERS = env_limit("GDVIZ_MAX_TRACE_NUMBERS", 10_000_000)
#: Bytes a number takes at most in a trace's JSON (``repr`` of a float and a separator).
JSON_BYTES_PER_NUMBER = 26


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
        ``"converged"``, ``"diverged"``, ``"max_iter"``, ``"non_finite"``, ``"grad_norm"``,
        or ``"budget"`` (stopped by a shared server's budget, in ``gdviz app``).
    stop_detail : str
        The same in words, with the numbers that made the rule fire.
    param_names : tuple of str
    settings : dict
        What made the run: problem, optimizer, stop rule, start.
    batch_indices : ndarray (T+1, B) of int, or None
        In a stochastic run, the data rows of each update's mini-batch (-1 pads
        a smaller last batch; the final row, with no update, is all -1).
    batch_grads : ndarray (T+1, P) or None
        In a stochastic run, the mini-batch gradient each update used (NaN last).
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
    batch_indices: np.ndarray | None = field(default=None, repr=False)
    batch_grads: np.ndarray | None = field(default=None, repr=False)

    @property
    def stochastic(self) -> bool:
        """Whether updates used mini-batch gradients."""
        return self.batch_grads is not None

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

    def until(self, k: int, detail: str = "") -> "Trace":
        """The run as far as iteration ``k``: what a viewer knows before the step from
        ``k`` (its stop reason "budget", its detail ``detail``). Nothing after ``k``
        is kept, not even the state the step from ``k`` makes.

        >>> import gdviz
        >>> from gdviz import problems, optim, stop
        >>> trace = gdviz.run(problems.Quadratic(), optim.gd(learning_rate=0.1),
        ...                   stop=stop.MaxIter(20))
        >>> cut = trace.until(5)
        >>> cut.iterations, bool((cut.params == trace.params[:6]).all())
        (5, True)
        """
        k = max(0, min(int(k), self.iterations))
        stochastic = {}
        if self.stochastic:  # the last row has no update: no batch, no batch gradient
            indices = self.batch_indices[: k + 1].copy()
            grads = self.batch_grads[: k + 1].copy()
            indices[-1], grads[-1] = -1, np.nan
            stochastic = {"batch_indices": indices, "batch_grads": grads}
        return Trace(params=self.params[: k + 1].copy(), loss=self.loss[: k + 1].copy(),
                     grads=self.grads[: k + 1].copy(),
                     state={key: np.asarray(v)[: k + 1].copy() for key, v in self.state.items()},
                     stop_reason="budget", stop_detail=detail, param_names=self.param_names,
                     settings=self.settings, problem=self.problem, **stochastic)

    # -- files -------------------------------------------------------------
    def to_dict(self) -> dict:
        data = {
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
        if self.stochastic:
            data["batch_indices"] = self.batch_indices.tolist()
            data["batch_grads"] = self.batch_grads.tolist()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Trace":
        if data.get("format") != "gdviz-trace":
            raise ValueError(_("not a gdviz trace (missing \"format\": \"gdviz-trace\")"))
        stochastic = {}
        if data.get("batch_grads") is not None:
            stochastic = {"batch_indices": np.asarray(data["batch_indices"], dtype=int),
                          "batch_grads": np.asarray(data["batch_grads"], dtype=float)}
        return cls(
            params=np.asarray(data["params"], dtype=float),
            loss=np.asarray(data["loss"], dtype=float),
            grads=np.asarray(data["grads"], dtype=float),
            state={k: np.asarray(v, dtype=float) for k, v in data["state"].items()},
            stop_reason=data["stop_reason"],
            stop_detail=data["stop_detail"],
            param_names=tuple(data["param_names"]),
            settings=data.get("settings", {}),
            **stochastic,
        )

    def to_json(self) -> str:
        # NaN and inf are written as JSON's non-standard tokens, which
        # Python's json reads back: a diverged run must round-trip as it was.
        return json.dumps(self.to_dict())

    def to_csv(self) -> str:
        """One row per point: iteration, loss, parameters, gradient, optimizer state."""
        names = list(self.param_names)
        columns = {"iteration": np.arange(len(self.loss)), "loss": self.loss}
        columns.update({name: self.params[:, k] for k, name in enumerate(names)})
        columns.update({f"grad_{name}": self.grads[:, k] for k, name in enumerate(names)})
        for key, values in self.state.items():
            values = np.asarray(values)
            if values.ndim == 1:
                columns[key] = values
            else:
                flat = values.reshape(len(values), -1)
                labels = names if flat.shape[1] == len(names) else range(flat.shape[1])
                columns.update({f"{key}_{label}": flat[:, k] for k, label in enumerate(labels)})
        if self.stochastic:
            columns.update({f"batch_grad_{name}": self.batch_grads[:, k]
                            for k, name in enumerate(names)})
        # A name such as "layer1.w[0,0]" holds a comma: quoted as a spreadsheet expects.
        import csv
        import io

        header = io.StringIO()
        csv.writer(header, lineterminator="").writerow(list(columns))
        lines = [header.getvalue()]
        table = np.column_stack(list(columns.values()))
        for number, row in enumerate(table):
            lines.append(",".join([str(number)] + [repr(float(v)) for v in row[1:]]))
        return "\n".join(lines) + "\n"

    def write(self, file, format: str) -> None:
        """Write to an open binary file or a path as ``"json"``, ``"npz"`` or ``"csv"``."""
        if format == "json":
            Path(file).write_text(self.to_json())
        elif format == "csv":
            Path(file).write_text(self.to_csv())
        elif format == "npz":
            arrays = {"params": self.params, "loss": self.loss, "grads": self.grads}
            arrays.update({f"state.{k}": np.asarray(v) for k, v in self.state.items()})
            if self.stochastic:
                arrays.update(batch_indices=self.batch_indices, batch_grads=self.batch_grads)
            meta = {k: v for k, v in self.to_dict().items()
                    if k not in ("params", "loss", "grads", "state", "batch_indices",
                                 "batch_grads")}
            with open(file, "wb") as handle:
                np.savez(handle, meta=np.array(json.dumps(meta)), **arrays)
        else:
            raise ValueError(_("unknown trace format {name!r}: use json, npz or csv").format(
                name=format))

    def save(self, path: str | Path) -> Path:
        """Save by suffix (``.json``, ``.npz``, ``.csv``), atomically: the file is whole
        or not there (an animation of the run saves through ``gdviz.animate``)."""
        path = Path(path).expanduser()
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES:
            raise ValueError(_("a trace saves as {known}; for {suffix} make an animation first: "
                               "gdviz.animate(trace)").format(known=listed(SUFFIXES),
                                                              suffix=suffix or "''"))
        with atomic_path(check_folder(path)) as temporary:
            self.write(temporary, suffix.lstrip("."))
        return path.resolve()

    @classmethod
    def load(cls, path: str | Path) -> "Trace":
        """Read a trace written by ``save`` (``.json`` or ``.npz``)."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".json", ".npz"):
            if suffix == ".csv":
                words = _("cannot read a trace from {path}: Trace.load reads .json and .npz "
                          "only; .csv is a table for spreadsheets, written by save but not read "
                          "back")
            elif suffix:
                words = _("cannot read a trace from {path}: Trace.load reads .json and .npz "
                          "only; '{suffix}' is not a trace format")
            else:
                words = _("cannot read a trace from {path}: Trace.load reads .json and .npz "
                          "only; the name has no suffix")
            raise ValueError(words.format(path=path, suffix=path.suffix))
        from .data import check_file

        check_file(path)
        try:
            if suffix == ".npz":
                _check_npz(path)
                with np.load(path, allow_pickle=False) as archive:
                    data = json.loads(str(archive["meta"]))
                    data.update(params=archive["params"], loss=archive["loss"],
                                grads=archive["grads"])
                    data["state"] = {k[len("state."):]: archive[k] for k in archive.files
                                     if k.startswith("state.")}
                    if "batch_grads" in archive.files:
                        data.update(batch_indices=archive["batch_indices"],
                                    batch_grads=archive["batch_grads"])
                return cls.from_dict(data)
            return cls.from_dict(json.loads(_json_text(path)))
        except (OSError, json.JSONDecodeError, KeyError, ValueError, zipfile.BadZipFile) as error:
            raise ValueError(_("cannot read a trace from {path}: {error}").format(
                path=path, error=error)) from None


def _json_text(path: Path) -> str:
    """A trace's JSON text, its size and its first bytes checked before it is parsed."""
    size = path.stat().st_size
    limit = MAX_TRACE_NUMBERS * JSON_BYTES_PER_NUMBER
    if size > limit:
        raise ValueError(_("{size:,.0f} MB is more than a trace of {count:,} numbers can be "
                           "(GDVIZ_MAX_TRACE_NUMBERS raises the limit)").format(
            size=size / 2**20, count=MAX_TRACE_NUMBERS))
    with open(path, "rb") as handle:
        head = handle.read(4096)
        if b"\x00" in head or not head.lstrip().startswith(b"{"):
            raise ValueError(_("not a gdviz trace: a JSON object was expected"))
        return (head + handle.read(limit)).decode("utf-8")


def _check_npz(path: Path) -> None:
    """Refuse an NPZ (a zip of .npy arrays) whose arrays would hold more than a trace can,
    from the sizes it declares and each array's own header, before anything is inflated:
    a zip bomb is refused, not inflated."""
    from numpy.lib import format as npy

    limit = MAX_TRACE_NUMBERS * 8 + 2**20
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        declared = sum(member.file_size for member in members)
        if declared > limit:
            raise ValueError(_("its arrays declare {size:,.0f} MB, more than a trace of "
                               "{count:,} numbers holds (a zip bomb?); GDVIZ_MAX_TRACE_NUMBERS "
                               "raises the limit").format(size=declared / 2**20,
                                                          count=MAX_TRACE_NUMBERS))
        for member in members:
            if not member.filename.endswith(".npy"):
                raise ValueError(_("not a gdviz trace: it holds {name!r}").format(
                    name=member.filename))
            with archive.open(member) as handle:
                version = npy.read_magic(handle)
                read_header = (npy.read_array_header_1_0 if version == (1, 0)
                               else npy.read_array_header_2_0)
                shape, _order, dtype = read_header(handle)
            if dtype.hasobject:
                raise ValueError(_("not a gdviz trace: {name} holds Python objects, which "
                                   "gdviz never unpickles").format(name=member.filename))
            if int(np.prod(shape, dtype=np.float64)) * dtype.itemsize > member.file_size:
                raise ValueError(_("not a gdviz trace: {name} claims a larger array than it "
                                   "holds").format(name=member.filename))


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
