"""What every problem offers the optimizer loop and the views."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..big import from_dask, is_dask
from ..data import from_frame as frame_columns
from ..words.i18n import _, listed


class Problem:
    """An objective to minimise: ``loss(params)`` and its exact ``grad(params)``.

    Subclasses are pure numpy (never matplotlib). They set ``param_names`` and,
    where they have one, a default start ``x0``. ``value_and_grad`` is what the
    optimizer loop calls; override it when loss and gradient share work.
    """

    name: str = "problem"
    formula: str = ""
    param_names: tuple[str, ...] = ()
    #: Whether the parameters share units (x and y of a function: its contour is drawn to
    #: scale, a 2:1 bowl looks 2:1); a model's intercept and slope do not.
    same_units: bool = False
    x0: np.ndarray | None = None
    #: The data's column names, where the data came with names (a CSV header, a DataFrame).
    x_names: tuple[str, ...] | None = None
    y_name: str | None = None

    def name_columns(self, x_names, y_name: str | None = None):
        """Name the data's columns (a CSV header's, a DataFrame's): axis labels, the
        parameters' roles and the summary use them. A character no font here draws is left
        out, said once (``words.fonts.check_text``). Returns the problem."""
        from ..words.fonts import drawable

        self.x_names = tuple(drawable(str(name), f"x{k + 1}") for k, name in enumerate(x_names))
        self.y_name = None if y_name is None else drawable(str(y_name), "y")
        return self

    def x_name(self, k: int = 0) -> str:
        """The name of input column ``k``: the data's own, else ``x1``, ``x2``, ..."""
        return self.x_names[k] if self.x_names and k < len(self.x_names) else f"x{k + 1}"

    #: A class's own title, marked for the catalogue (``N_``), said in the language now.
    _title: str | None = None

    @property
    def title(self) -> str:
        """What this problem is, in plain words, for a picture's title."""
        return _(self._title) if self._title else (self.formula or self.name)

    def param_role(self, k: int) -> str:
        """What parameter ``k`` means in the model ("intercept", "slope"), or ``""``."""
        return ""

    @property
    def n_params(self) -> int:
        return len(self.param_names)

    def loss(self, params: Sequence[float]) -> float:
        raise NotImplementedError

    def grad(self, params: Sequence[float]) -> np.ndarray:
        raise NotImplementedError

    def value_and_grad(self, params: np.ndarray) -> tuple[float, np.ndarray]:
        return self.loss(params), self.grad(params)

    def loss_many(self, params: np.ndarray) -> np.ndarray:
        """The loss at each row of ``params`` (shape (..., P)), e.g. a contour grid.

        Subclasses vectorize this; the fallback loops.
        """
        params = np.asarray(params, dtype=float)
        flat = params.reshape(-1, params.shape[-1])
        with np.errstate(all="ignore"):
            values = np.array([self.loss(row) for row in flat])
        return values.reshape(params.shape[:-1])

    def summary(self) -> str:
        """One line for ``gdviz list``: formula, parameters, data, what minimum is known."""
        names = self.param_names
        shown = (listed(names) if len(names) <= 4 else
                 _("{count} of them").format(count=len(names)))
        samples = getattr(self, "n_samples", None)
        known = getattr(self, "optimum", None) is not None
        if samples is None:
            words = (_("{formula}; parameters {names}; minimum: the least-squares fit, in "
                       "closed form") if known else
                     _("{formula}; parameters {names}; minimum: not known in closed form"))
        else:
            words = (_("{formula}; parameters {names}; {count} example points; minimum: the "
                       "least-squares fit, in closed form") if known else
                     _("{formula}; parameters {names}; {count} example points; minimum: not "
                       "known in closed form"))
        return words.format(formula=_(self.formula), names=shown, count=samples)

    def check_params(self, params, what: str = "x0") -> np.ndarray:
        """Return ``params`` as a float vector of this problem's size, or raise."""
        try:
            array = np.asarray(params, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(_("{what} must be a list of numbers, got {value!r}").format(
                what=what, value=params)) from None
        if array.shape != (self.n_params,):
            names = listed(self.param_names)
            raise ValueError(_("{what} must have {count} numbers ({names}), got {size}").format(
                what=what, count=self.n_params, names=names, size=array.size))
        if not np.all(np.isfinite(array)):
            raise ValueError(_("{what} must be finite numbers, got {value!r}").format(
                what=what, value=params))
        return array


class FromFrame:
    """Data problems built straight from a DataFrame's columns."""

    @classmethod
    def from_frame(cls, frame, x, y: str, *, dropna: bool = False, **options):
        """This problem fitted to columns ``x`` (a name, or a list of names) and ``y`` of
        a pandas or polars DataFrame or a pyarrow Table; the names label the pictures.

        ``dropna=True`` drops rows with a missing or non-finite value (``problem.dropped``
        lists them); otherwise the first one is an error naming its row and column.

        Examples
        --------
        >>> import pandas as pd
        >>> from gdviz import problems
        >>> frame = pd.DataFrame({"hours": [1.0, 2.0, 3.0], "score": [52.0, 61.0, 70.0]})
        >>> p = problems.LinearRegression.from_frame(frame, x="hours", y="score")
        >>> p.optimum.round(6).tolist(), p.x_names, p.y_name
        ([43.0, 9.0], ('hours',), 'score')
        """
        if is_dask(frame):  # beyond memory: sums where the data live, a sample to draw
            if dropna:
                raise ValueError(_("dropna is not done on a Dask frame: use frame.dropna() "
                                   "first"))
            return from_dask(cls, frame, x, y, **options)
        columns = frame_columns(frame, x, y, dropna=dropna)
        problem = cls(columns.x, columns.y, **options)
        problem.dropped = columns.dropped
        return problem.name_columns(columns.x_names, columns.y_name)


class QuadraticForm:
    """What a quadratic loss knows in closed form, from its constant ``hessian()``.

    ``hessian()`` is the Jacobian of ``grad``: the curvature plain GD feels.
    """

    def hessian(self) -> np.ndarray:
        raise NotImplementedError

    @property
    def eigenvalues(self) -> np.ndarray:
        """The curvatures along the principal axes, smallest first."""
        return np.linalg.eigvalsh(self.hessian())

    @property
    def condition_number(self) -> float:
        """Largest over smallest curvature: how long and thin the valley is."""
        low, high = self.eigenvalues[[0, -1]]
        return float(high / low) if low > 0 else float("inf")

    @property
    def max_stable_learning_rate(self) -> float:
        """Plain GD converges for learning rates below ``2 / L``, L the largest curvature."""
        return 2.0 / float(self.eigenvalues[-1])
