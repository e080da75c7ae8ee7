"""Least-squares linear regression, including the blog's own setting."""
from __future__ import annotations

from typing import NamedTuple

import math

import numpy as np

from .base import FromFrame, Problem, QuadraticForm
from .datasets import make_regression
from ..words.i18n import N_, _
from ..words.widths import closed_up

#: How the loss and gradient are scaled from the sum of squared residuals.
#: "mse" is PyTorch's ``MSELoss``: loss = mean(r**2), gradient its true gradient.
#: "blog" is the blog program's pairing: loss = 0.5 * sum(r**2) while the
#: gradient is mean(r * [1, x]), i.e. the gradient of 0.5 * mean(r**2).
LOSS_CONVENTIONS = ("mse", "blog")


class LinearRegression(FromFrame, QuadraticForm, Problem):
    """Fit ``y = b0 + b1*x1 + ... + bd*xd`` by least squares.

    Parameters are intercept first, ``[b0, b1, ...]``. The loss and gradient
    depend on the data only through ``X^T X``, ``X^T y`` and the residual at
    the optimum, computed once here, so a step costs the same for 100 points
    or a million.

    Parameters
    ----------
    x : array of shape (n,) or (n, d)
        Features.
    y : array of shape (n,)
        Targets.
    loss : {"mse", "blog"}
        ``"mse"``: mean squared error and its true gradient (the default).
        ``"blog"``: the blog's ``0.5 * sum`` loss with the mean gradient.
    x0 : sequence of float, optional
        Default starting parameters.
    standardize : bool
        Rescale each feature to mean 0 and standard deviation 1 first. The
        loss surface becomes rounder and GD needs far fewer steps; the
        parameters are then in standardized units (``predict`` takes raw x).

    Examples
    --------
    >>> import numpy as np
    >>> p = LinearRegression(np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 5.0]))
    >>> p.optimum.round(6).tolist()
    [1.0, 2.0]
    >>> round(p.loss([1.0, 2.0]), 12)
    0.0
    """

    name = "linear"
    formula = N_("y = b0 + b1*x1 + ... (least squares)")  # said in the language spoken (summary)

    def __init__(self, x, y, *, loss: str = "mse", x0=None, standardize: bool = False):
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        if x.ndim not in (1, 2):
            raise ValueError(_("x must have shape (n,) or (n, d), got {shape}").format(
                shape=x.shape))
        if y.ndim != 1 or len(y) != len(x):
            raise ValueError(_("y must have shape ({count},), got {shape}").format(
                count=len(x), shape=y.shape))
        if len(y) < 1:
            raise ValueError(_("linear regression needs at least one data point"))
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            raise ValueError(_("x and y must be finite numbers (no NaN or inf)"))
        if loss not in LOSS_CONVENTIONS:
            raise ValueError(_("loss must be one of {known}, got {value!r}").format(
                known=LOSS_CONVENTIONS, value=loss))
        self.x = x
        self.y = y
        self.loss_convention = loss
        self.standardize = bool(standardize)
        self.data_seed: int | None = None
        raw = self._raw_features(x)
        self._shift = raw.mean(axis=0) if standardize else np.zeros(raw.shape[1])
        scale = raw.std(axis=0) if standardize else np.ones(raw.shape[1])
        self._scale = np.where(scale > 0, scale, 1.0)
        features = (raw - self._shift) / self._scale if standardize else raw
        self._features = features
        self.n_features = features.shape[1]
        self.n_samples = len(y)
        self.param_names = tuple(f"b{k}" for k in range(self.n_features + 1))
        sums = centred_sums(features, y)
        # The residual at the optimum is summed directly from the data, so the loss
        # below is a sum of two non-negative terms: no cancellation even when the fit is
        # perfect.
        weights = _weights(sums)
        self._take_statistics(sums, weights, _squares_at(features, y, sums, weights))
        self.x0 = np.zeros(len(self.param_names)) if x0 is None else self.check_params(x0)
        # The blog's own line (one feature as it came): its loss and gradient summed point
        # by point in the data's order, as its Python loops do, so that a run ends on the
        # very bits the blog prints (the closed form agrees to the last digit or two).
        self._in_blog_order = loss == "blog" and self.n_features == 1 and not standardize

    def partition_sums(self, x: np.ndarray, y: np.ndarray) -> "CentredSums":
        """The centred sums of the model's raw features of one part of the data (inputs
        ``x``, target ``y``), to be merged with the other parts' (``fit_sums``)."""
        return centred_sums(self._raw_features(x), y)

    def fit_sums(self, sums: "CentredSums") -> None:
        """Take the closed form from the merged sums of all the data (standardized from
        the sums themselves when asked): how data beyond memory is fitted."""
        if self.standardize:
            sums, self._shift, self._scale = sums.standardized()
        weights = _weights(sums)
        self._take_statistics(sums, weights, max(sums.y_scatter - float(weights @ sums.cross),
                                                 0.0))

    def _take_statistics(self, sums: "CentredSums", weights, squares: float) -> None:
        """Set the closed form of the loss from the data's centred sums (computed here,
        or by Dask where the data live): the Gram matrix, the optimum, the residual."""
        n, mean = sums.count, sums.mean
        self._optimum = np.concatenate([[sums.y_mean - weights @ mean], weights])
        d = len(mean)
        gram = np.empty((d + 1, d + 1))
        gram[0, 0] = n
        gram[0, 1:] = gram[1:, 0] = n * mean
        gram[1:, 1:] = sums.scatter + n * np.outer(mean, mean)
        self._gram = gram
        self._residual_at_optimum = float(squares)
        if self.loss_convention == "mse":
            self._loss_scale, self._grad_scale = 1.0 / n, 2.0 / n
        else:
            self._loss_scale, self._grad_scale = 0.5, 1.0 / n
        self._fast2 = (
            tuple(float(v) for v in (gram[0, 0], gram[0, 1], gram[1, 1]))
            + tuple(float(v) for v in self._optimum)
            if len(self.param_names) == 2
            else None
        )

    @property
    def title(self) -> str:
        if self.n_features == 1:
            return _("linear regression: a line through {count:,} points").format(
                count=self.n_samples)
        return _("linear regression on {features} features, {count} points").format(
            features=self.n_features, count=self.n_samples)

    def param_role(self, k: int) -> str:
        if k == 0:
            return _("intercept")
        if self.n_features == 1:
            return (closed_up(_("slope per SD of {name}").format(name=self.x_name(k - 1)))
                    if self.standardize else _("slope"))
        return closed_up((_("weight of {name} (standardized)") if self.standardize
                          else _("weight of {name}")).format(name=self.x_name(k - 1)))

    def raw_coefficients(self, params) -> np.ndarray:
        """The parameters in the data's own units: ``[c0, c1, ...]`` with
        ``y = c0 + c1*x1 + ...`` on the raw features (what ``standardize`` changed).

        Examples
        --------
        >>> import numpy as np
        >>> x = np.array([1.0, 2.0, 3.0, 4.0])
        >>> p = LinearRegression(x, 3 + 2 * x, standardize=True)
        >>> p.raw_coefficients(p.optimum).round(9).tolist()
        [3.0, 2.0]
        """
        params = np.asarray(params, dtype=float)
        weights = params[1:] / self._scale
        return np.concatenate([[params[0] - weights @ self._shift], weights])

    def equation(self, params, digits: int = 4) -> str:
        """The fit in the data's units and names: ``"score = 36.04 + 5.47·hours"``."""
        c = self.raw_coefficients(params)
        terms = [f"{c[0]:.{digits}g}"] + [
            f"{'-' if value < 0 else '+'} {abs(value):.{digits}g}·{feature}"
            for value, feature in zip(c[1:], self._feature_words())]
        return f"{self.y_name or 'y'} = " + " ".join(terms)

    def x_name(self, k: int = 0) -> str:
        if not self.x_names and self._raw_features(self.x[:1]).shape[1] == 1:
            return "x"  # one unnamed input
        return super().x_name(k)

    def _feature_words(self) -> list[str]:
        """The raw features as words, for ``equation`` (polynomials override)."""
        return [self.x_name(k) for k in range(self.n_features)]

    def feature_symbols(self) -> list[str]:
        """What multiplies each weight, as the model sees it: the features' names, or ``z``
        (``z_name`` for several) when they are standardized."""
        words = self._feature_words()
        if not self.standardize:
            return words
        return ["z"] if len(words) == 1 else [f"z({word})" for word in words]

    def standardized_as(self) -> str:
        """How ``z`` is made from the data, e.g. ``"z = (hours - 5.32) / 2.76"`` ("" if not
        standardized or several features)."""
        if not self.standardize or self.n_features != 1:
            return ""
        return f"z = ({self._feature_words()[0]} - {self._shift[0]:.3g}) / {self._scale[0]:.3g}"

    @classmethod
    def seed(cls, seed: int | None = None) -> "LinearRegression":
        """The blog's problem: its data, its random start and its loss.

        ``make_regression(n_samples=100, n_features=1, noise=5, bias=50)`` then
        ``b0 = rand()``, ``b1 = rand()``, all drawn from one ``RandomState(seed)``,
        which gives the same numbers as the blog with ``np.random.seed(seed)``
        at its top.

        Examples
        --------
        >>> p = LinearRegression.seed(seed=0)
        >>> p.x.shape, p.param_names
        ((100,), ('b0', 'b1'))
        """
        rng = np.random.RandomState(seed)
        X, y = make_regression(n_samples=100, n_features=1, noise=5, bias=50, random_state=rng)
        b0 = rng.rand()
        b1 = rng.rand()
        problem = cls(X.ravel(), y, loss="blog", x0=[b0, b1])
        problem.data_seed = seed
        return problem

    @classmethod
    def example(cls, seed: int | None = 0, **options) -> "LinearRegression":
        """The blog's data (``make_regression``) with the mean squared error."""
        X, y = make_regression(n_samples=100, n_features=1, noise=5, bias=50, random_state=seed)
        problem = cls(X.ravel(), y, **options)
        problem.data_seed = seed
        return problem

    def _raw_features(self, x) -> np.ndarray:
        """The features before standardization, one column each (polynomials override)."""
        return x[:, None] if x.ndim == 1 else x

    # -- objective ---------------------------------------------------------
    def value_and_grad(self, params: np.ndarray) -> tuple[float, np.ndarray]:
        if self._in_blog_order:
            return self._blog_value_and_grad(params)
        if self._fast2 is not None:
            # Two parameters (the case drawn on a contour): plain floats are
            # several times faster than numpy's per-call overhead here.
            g00, g01, g11, o0, o1 = self._fast2
            d0, d1 = params.tolist()
            d0 -= o0
            d1 -= o1
            h0 = g00 * d0 + g01 * d1
            h1 = g01 * d0 + g11 * d1
            loss = self._loss_scale * (self._residual_at_optimum + d0 * h0 + d1 * h1)
            return loss, np.array((self._grad_scale * h0, self._grad_scale * h1))
        d = np.asarray(params, dtype=float) - self._optimum
        h = self._gram @ d
        loss = self._loss_scale * (self._residual_at_optimum + float(d @ h))
        return loss, self._grad_scale * h

    def _blog_value_and_grad(self, params) -> tuple[float, np.ndarray]:
        """The blog's ``calc_loss`` and ``derivatives``, in its order of operations: each
        residual ``(b0 + b1*x) - y``; the loss ``0.5 * r**2`` added up left to right, with
        ``**`` the C library's pow as Python's (not always r*r to the last bit); the sums
        of ``r`` and ``r*x`` left to right (``np.add.accumulate`` adds in order, where
        ``np.sum`` adds pairwise), then divided by n."""
        b0, b1 = (float(value) for value in params)
        x = self._features[:, 0]
        residual = (b0 + b1 * x) - self.y
        loss = 0.0
        for value in residual.tolist():
            try:
                loss += 0.5 * value ** 2
            except OverflowError:  # a diverging run: numpy's float64, as the blog's, says inf
                loss = math.inf
        n, accumulate = len(x), np.add.accumulate
        return loss, np.array((float(accumulate(residual)[-1]) / n,
                               float(accumulate(residual * x)[-1]) / n))

    def loss(self, params) -> float:
        return self.value_and_grad(np.asarray(params, dtype=float))[0]

    def grad(self, params) -> np.ndarray:
        return self.value_and_grad(np.asarray(params, dtype=float))[1]

    def loss_many(self, params) -> np.ndarray:
        # The closed form: a grid costs the same for 100 points or a million.
        d = np.asarray(params, dtype=float) - self._optimum
        quadratic = np.einsum("...i,ij,...j->...", d, self._gram, d)
        return self._loss_scale * (self._residual_at_optimum + quadratic)

    @property
    def _design(self) -> np.ndarray:
        """``[1, features]`` per data row, made when first needed (mini-batches): a full
        run needs only the small Gram matrix."""
        if getattr(self, "_design_rows", None) is None:
            self._design_rows = np.column_stack([np.ones(self.n_samples), self._features])
        return self._design_rows

    def batch_grad(self, params, rows) -> np.ndarray:
        """The gradient on the data rows ``rows`` only (a mini-batch)."""
        design = self._design[rows]
        return self._rows_grad(params, design, self.y[rows])

    def rows_grad(self, params, x, y) -> np.ndarray:
        """The mini-batch gradient on raw rows ``x`` (inputs) and ``y``, scaled as this
        problem scales its gradient (for rows that live elsewhere, e.g. on Dask workers)."""
        x = np.asarray(x, dtype=float)
        features = (self._raw_features(x) - self._shift) / self._scale
        design = np.column_stack([np.ones(len(features)), features])
        return self._rows_grad(params, design, np.asarray(y, dtype=float))

    def _rows_grad(self, params, design, y) -> np.ndarray:
        residual = design @ params - y
        return (self._grad_scale * self.n_samples / len(y)) * (design.T @ residual)

    def predict(self, params, x=None) -> np.ndarray:
        """Model output ``b0 + b1*x1 + ...`` at ``x`` (default: the data)."""
        x = self.x if x is None else np.atleast_1d(np.asarray(x, dtype=float))
        params = np.asarray(params, dtype=float)
        features = (self._raw_features(x) - self._shift) / self._scale
        return params[0] + features @ params[1:]

    # -- what is known in closed form ------------------------------------------
    @property
    def optimum(self) -> np.ndarray:
        """The least-squares parameters (minimum-norm if not unique)."""
        return self._optimum.copy()

    def hessian(self) -> np.ndarray:
        """The Jacobian of ``grad`` (constant): what decides if plain GD is stable."""
        return self._grad_scale * self._gram

    def describe(self) -> dict:
        info = {"problem": type(self).__name__, "loss": self.loss_convention, "n": len(self.y),
                "standardize": self.standardize}
        if self.data_seed is not None:
            info["seed"] = self.data_seed
        return info


#: Rows per block when summing over the data: small temporaries stay in cache.
_BLOCK = 1 << 16


class CentredSums(NamedTuple):
    """What least squares needs from the data, summed once: the count, the means of the
    features and of y, the centred scatter ``sum (x - mean)(x - mean)^T``, the centred
    cross sums ``sum (x - mean)(y - y_mean)`` and ``sum (y - y_mean)^2``. Sums of parts
    merge exactly (``merge``), so Dask can compute them partition by partition."""

    count: int
    mean: np.ndarray
    y_mean: float
    scatter: np.ndarray
    cross: np.ndarray
    y_scatter: float

    def merge(self, other: "CentredSums") -> "CentredSums":
        """The sums of both parts together (Chan, Golub and LeVeque's update)."""
        if other.count == 0:
            return self
        if self.count == 0:
            return other
        total = self.count + other.count
        weight = self.count * other.count / total
        dx, dy = other.mean - self.mean, other.y_mean - self.y_mean
        return CentredSums(total, self.mean + dx * (other.count / total),
                           self.y_mean + dy * other.count / total,
                           self.scatter + other.scatter + weight * np.outer(dx, dx),
                           self.cross + other.cross + weight * dx * dy,
                           self.y_scatter + other.y_scatter + weight * dy * dy)

    def standardized(self) -> tuple["CentredSums", np.ndarray, np.ndarray]:
        """The sums of the features rescaled to mean 0 and standard deviation 1, with the
        shift and scale that do it (population standard deviation, as ``np.std``)."""
        scale = np.sqrt(np.diag(self.scatter) / self.count)
        scale = np.where(scale > 0, scale, 1.0)
        sums = CentredSums(self.count, np.zeros_like(self.mean), self.y_mean,
                           self.scatter / np.outer(scale, scale), self.cross / scale,
                           self.y_scatter)
        return sums, self.mean.copy(), scale


def centred_sums(features: np.ndarray, y: np.ndarray) -> CentredSums:
    """``CentredSums`` of the rows of ``features`` (n, d) and ``y`` (n,), in two passes
    over the data, block by block: no copy of the data is made (a million points take a
    few milliseconds)."""
    n, d = features.shape
    blocks = [slice(start, start + _BLOCK) for start in range(0, n, _BLOCK)]
    ones = np.ones(min(n, _BLOCK))
    total = np.zeros(d)
    for rows in blocks:  # column sums as a matrix-vector product: BLAS, not a strided sum
        block = features[rows]
        total += ones[: len(block)] @ block
    mean, y_mean = total / max(n, 1), float(y.mean()) if n else 0.0
    scatter, cross, y_scatter = np.zeros((d, d)), np.zeros(d), 0.0
    for rows in blocks:
        centred, y_centred = features[rows] - mean, y[rows] - y_mean
        scatter += centred.T @ centred
        cross += centred.T @ y_centred
        y_scatter += float(y_centred @ y_centred)
    return CentredSums(n, mean, y_mean, scatter, cross, y_scatter)


def _weights(sums: CentredSums) -> np.ndarray:
    """The least-squares weights of the features, solved on the centred sums (a small
    ``d x d`` system: as accurate as a QR of the whole design when the data sit far from
    zero). Rank-deficient features get the minimum-norm weights."""
    weights, *_ = np.linalg.lstsq(sums.scatter, sums.cross, rcond=None)
    return weights


def _squares_at(features, y, sums: CentredSums, weights) -> float:
    """The sum of squared residuals at the optimum, summed from the data (one more pass)."""
    squares = 0.0
    for start in range(0, len(y), _BLOCK):
        rows = slice(start, start + _BLOCK)
        residual = (y[rows] - sums.y_mean) - (features[rows] - sums.mean) @ weights
        squares += float(residual @ residual)
    return squares
