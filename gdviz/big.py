"""Data beyond memory, on Dask (the ``big`` extra): the same problems, their sums
computed where the data live.

- Least squares (linear, polynomial) needs the data once: each partition's centred sums
  (``CentredSums``) are computed where it lies and merged, and from then on a step costs
  what it costs in memory.
- Logistic regression and the small network compute each full-batch loss and gradient
  as a distributed reduction: every partition sums its rows, the client adds the sums.
- The pictures draw a seeded uniform sample of at most ``SAMPLE_POINTS`` rows, and say
  so ("5,000 of 10,000,000 points shown").

- Mini-batches follow a seeded rule: each step picks a partition (in proportion to its
  rows), then rows inside it without replacement; their gradient is computed where that
  partition lies.
"""
from __future__ import annotations

import numpy as np

from ._optional import import_optional
from .data import column_names, inputs, require_columns
from .words.i18n import N_, _

#: Most points the pictures draw from data that does not fit in memory.
SAMPLE_POINTS = 5_000


def is_dask(frame) -> bool:
    """Whether ``frame`` is a Dask DataFrame (without importing Dask)."""
    return type(frame).__module__.split(".")[0] == "dask"


def from_dask(cls, frame, x, y: str, *, sample: int = SAMPLE_POINTS, progress: bool = False,
              **options):
    """``cls`` (a data problem) on columns ``x`` and ``y`` of the Dask DataFrame ``frame``.
    The drawn sample is seeded by ``options["seed"]`` (0 if none). ``progress=True`` shows
    a progress bar for each pass over the data.

    Uses the Dask client in effect (``distributed.Client``), or Dask's local scheduler.
    """
    import_optional("dask.dataframe", "big", N_("data on Dask"))

    x_columns, wanted = column_names(x, y)
    require_columns("the Dask frame", frame.columns, wanted)
    for name in wanted:
        if frame[name].dtype.kind not in "fiub":
            raise ValueError(_("the Dask frame's column '{name}' holds {kind}, not numbers")
                             .format(name=name, kind=frame[name].dtype))
    data = frame[wanted].astype("float64")
    count = int(_compute(data.shape[0], progress, _("counting the rows")))
    seed = options.get("seed")
    shown = _sample(data, count, sample, 0 if seed is None else seed, progress)
    template = cls(inputs(shown, len(x_columns)), shown[:, -1], **options)
    template.name_columns(x_columns, y)
    template.shown_of = (len(shown), count)
    template.n_samples = count
    if hasattr(template, "fit_sums"):  # least squares: a closed form from merged sums
        return _least_squares_on_dask(template, data, x_columns, progress)
    return _sums_on_dask(template, data, x_columns, options)


def _compute(work, progress: bool, what: str):
    """``work.compute()``, with a progress bar for the pass when asked (Dask's own: the
    distributed one with a client, the local one without)."""
    if not progress:
        return work.compute()
    print(f"dask:        {what}", flush=True)
    try:
        from distributed import get_client, progress as show

        client = get_client()
    except (ImportError, ValueError):
        from dask.diagnostics import ProgressBar

        with ProgressBar():
            return work.compute()
    future = client.compute(work)
    show(future)
    print(flush=True)
    return future.result()


def _sample(data, count: int, sample: int, seed: int, progress: bool = False) -> np.ndarray:
    """A seeded uniform sample of at most ``sample`` rows, as an (m, columns) array."""
    fraction = min(1.0, sample / max(count, 1))
    rows = data if fraction >= 1 else data.sample(frac=fraction, random_state=seed)
    table = _compute(rows, progress, _("drawing a sample of {count:,} rows").format(
        count=min(sample, count)))
    table = table.to_numpy(dtype=np.float64)
    if len(table) > sample:
        table = table[np.random.default_rng(seed).choice(len(table), sample, replace=False)]
    if not np.all(np.isfinite(table)):
        raise ValueError(_("the Dask frame has missing or non-finite values in those "
                           "columns; drop them first (frame.dropna())"))
    return table


def _partition_sums(part, template, width: int):
    """A partition's ``CentredSums`` of the model's raw features (powers for polynomials)."""
    table = part.to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(table)):
        raise ValueError(_("the Dask frame has missing or non-finite values in those "
                           "columns; drop them first (frame.dropna())"))
    return template.partition_sums(inputs(table, width), table[:, -1])


def _merge(sums):
    total = sums[0]
    for part in sums[1:]:
        total = total.merge(part)
    return total


def _least_squares_on_dask(problem, data, x_columns, progress: bool = False):
    """Least squares from one distributed pass: the merged centred sums of the features
    (standardized from them when asked), then the closed form in memory."""
    import dask

    parts = [dask.delayed(_partition_sums)(part, problem, len(x_columns))
             for part in data.to_delayed()]
    sums = _compute(dask.delayed(_merge)(parts), progress,
                    f"summing X^T X over {data.npartitions} partitions")
    problem.fit_sums(sums)
    return _with_minibatches(problem, data, lambda table, params, local, model: model.rows_grad(
        params, inputs(table[local], len(x_columns)), table[local, -1]), len(x_columns))


def _partition_problem(part, cls, width: int, options):
    table = part.to_numpy(dtype=np.float64)
    return cls(inputs(table, width), table[:, -1], **options)


def _partition_value_and_grad(problem, params):
    """A partition's summed loss and gradient (its mean times its rows)."""
    loss, grad = problem.value_and_grad(params)
    rows = problem.n_samples
    return loss * rows, np.asarray(grad) * rows, rows


def _add(results):
    loss = sum(r[0] for r in results)
    grad = sum(r[1] for r in results)
    return loss, grad, sum(r[2] for r in results)


def _sums_on_dask(template, data, x_columns, options):
    """``template`` whose full-batch loss and gradient are summed over the partitions, on
    the workers, at every step (the partitions' problems are built once and kept there)."""
    import dask

    options = {k: v for k, v in options.items() if k != "x0"}
    if hasattr(template, "layers"):  # a network: the same one on every partition
        for name in ("layers", "activation", "task", "l2"):
            options.setdefault("hidden" if name == "layers" else name, getattr(template, name))
    parts = [dask.delayed(_partition_problem)(part, type(template), len(x_columns), options)
             for part in data.to_delayed()]
    parts = list(dask.persist(*parts))
    template.__class__ = _on_dask(type(template))
    template._parts = parts
    return _with_minibatches(template, data, None, len(x_columns))


def _rows_of(source) -> int:
    """Rows of a partition kept on a worker: its table, or its problem."""
    return source.n_samples if hasattr(source, "n_samples") else len(source)


def _table(part) -> np.ndarray:
    return part.to_numpy(dtype=np.float64)


def _remote_batch_grad(part_problem, params, local):
    return np.asarray(part_problem.batch_grad(params, local))


def _with_minibatches(problem, data, rows_grad, width: int):
    """Give ``problem`` a seeded mini-batch rule on the Dask partitions: ``minibatches``
    picks a partition in proportion to its rows, then rows inside it; ``batch_grad``
    computes their gradient where the partition lies (from the partition's own problem,
    or with ``rows_grad(table, params, local_rows, model)`` on its rows)."""
    import dask

    state = {}

    def prepare():
        """The partitions' rows (or problems) kept on the workers, and their lengths: made
        when a stochastic run first asks, so full-batch runs never hold the rows."""
        if not state:
            if rows_grad is not None:
                state["sources"] = list(dask.persist(*[dask.delayed(_table)(part)
                                                       for part in data.to_delayed()]))
            else:
                state["sources"] = problem._parts
            lengths = np.array(dask.compute(*[dask.delayed(_rows_of)(source)
                                              for source in state["sources"]]), dtype=np.int64)
            state["lengths"] = lengths
            state["offsets"] = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        return state["sources"], state["lengths"], state["offsets"]

    def minibatches(batch_size: int, seed=None):
        _sources, lengths, offsets = prepare()
        rng = np.random.default_rng(seed)
        weights = lengths / lengths.sum()
        while True:
            k = int(rng.choice(len(lengths), p=weights))
            local = rng.choice(lengths[k], size=min(batch_size, int(lengths[k])), replace=False)
            yield offsets[k] + np.sort(local)

    def batch_grad(params, rows):
        sources, _lengths, offsets = prepare()
        rows = np.asarray(rows, dtype=np.int64)
        k = int(np.searchsorted(offsets, rows[0], side="right") - 1)
        local = rows - offsets[k]
        params = np.asarray(params, dtype=float)
        if rows_grad is None:
            call = dask.delayed(_remote_batch_grad)(sources[k], params, local)
        else:
            call = dask.delayed(rows_grad)(sources[k], params, local, _plain(problem))
        return call.compute()

    problem.minibatches = minibatches
    problem.batch_grad = batch_grad
    return problem


def _plain(problem):
    """A picklable copy of a least-squares problem without its Dask handles (the model's
    scaling is all a worker needs)."""
    import copy

    plain = copy.copy(problem)
    for name in ("minibatches", "batch_grad"):
        plain.__dict__.pop(name, None)
    return plain


_ON_DASK = {}


def _on_dask(cls):
    """A subclass of ``cls`` whose loss and gradient are distributed reductions."""
    if cls not in _ON_DASK:
        def value_and_grad(self, params):
            import dask

            params = np.asarray(params, dtype=float)
            calls = [dask.delayed(_partition_value_and_grad)(part, params) for part in self._parts]
            loss, grad, rows = dask.delayed(_add)(calls).compute()
            return float(loss / rows), grad / rows

        _ON_DASK[cls] = type(f"{cls.__name__}OnDask", (cls,), {
            "value_and_grad": value_and_grad,
            "loss": lambda self, params: self.value_and_grad(params)[0],
            "grad": lambda self, params: self.value_and_grad(params)[1],
            "__doc__": f"{cls.__name__} on a Dask frame: full-batch sums over its partitions; "
                       "``loss_many`` (the contour) uses the drawn sample.",
        })
    return _ON_DASK[cls]

