"""Polynomial regression: the extension the blog invites."""
from __future__ import annotations

import numpy as np

from .._validate import positive_integer
from .datasets import make_polynomial
from .linear import LinearRegression
from ..words.i18n import N_, _
from ..words.numbers import powers


class PolynomialRegression(LinearRegression):
    """Fit ``y = b0 + b1*x + b2*x**2 + ... + bd*x**d`` by least squares.

    Linear regression on the features ``x, x**2, ..., x**d``: the loss is
    still a quadratic bowl, but high powers make it long and thin, which
    ``standardize=True`` undoes.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(-1, 1, 9)
    >>> p = PolynomialRegression(x, 1 - 2 * x + 3 * x**2, degree=2)
    >>> p.optimum.round(6).tolist()
    [1.0, -2.0, 3.0]
    """

    name = "polynomial"
    formula = N_("y = b0 + b1*x + ... + bd*x**d (least squares)")  # said in the language spoken (summary)

    def __init__(self, x, y, degree: int = 3, **options):
        self.degree = positive_integer("degree", degree)
        x = np.asarray(x, dtype=float)
        if x.ndim != 1:
            raise ValueError(_("polynomial regression needs one feature: x of shape (n,), got "
                               "{shape}").format(shape=x.shape))
        if self.degree > 12:
            raise ValueError(_("degree must be at most 12, got {value}").format(value=degree))
        super().__init__(x, y, **options)

    @classmethod
    def example(cls, seed: int | None = 0, degree: int = 3, **options) -> "PolynomialRegression":
        """A noisy random cubic on [-1, 1]."""
        x, y = make_polynomial(60, degree, seed=seed)
        problem = cls(x, y, degree=degree, **options)
        problem.data_seed = seed
        return problem

    @property
    def title(self) -> str:
        return _("polynomial regression of degree {degree}, {count} points").format(
            degree=self.degree, count=self.n_samples)

    def param_role(self, k: int) -> str:
        if k == 0:
            return _("intercept")
        power = powers(self._feature_words()[k - 1].replace("·", ""))
        return (_("coefficient of {power} (standardized)") if self.standardize
                else _("coefficient of {power}")).format(power=power)

    def _feature_words(self) -> list[str]:
        name = self.x_names[0] if self.x_names else "x"
        return [name] + [f"{name}^{k}" for k in range(2, self.degree + 1)]

    def _raw_features(self, x) -> np.ndarray:
        return np.vander(np.ravel(x), self.degree + 1, increasing=True)[:, 1:]

    def describe(self) -> dict:
        return {**super().describe(), "degree": self.degree}
