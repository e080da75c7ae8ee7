"""Logistic regression: two classes of 2-D points, cross-entropy loss."""
from __future__ import annotations

import numpy as np

from .base import FromFrame, Problem
from .datasets import make_blobs, make_moons
from ..words.i18n import N_, _
from ..words.widths import closed_up


def _sigmoid(z):
    # 0.5 * (1 + tanh(z/2)) never overflows, unlike 1 / (1 + exp(-z)).
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class LogisticRegression(FromFrame, Problem):
    """Classify 2-D points: ``P(class 1) = sigmoid(w0 + w1*x1 + w2*x2)``.

    The loss is the mean binary cross-entropy (PyTorch's
    ``BCEWithLogitsLoss``); the decision boundary is the line where
    ``w0 + w1*x1 + w2*x2 = 0``.

    Examples
    --------
    >>> import numpy as np
    >>> p = LogisticRegression(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([0, 1]))
    >>> round(p.loss([0.0, 0.0, 0.0]), 6)  # log 2
    0.693147
    """

    name = "logistic"
    formula = N_("mean cross-entropy of sigmoid(w0 + w1*x1 + w2*x2)")  # said in the language spoken (summary)
    param_names = ("w0", "w1", "w2")

    def __init__(self, X, labels, *, x0=(0.0, 0.0, 0.0)):
        X = np.asarray(X, dtype=float)
        labels = np.asarray(labels, dtype=float)
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(_("logistic regression needs 2-D points: X of shape (n, 2), got "
                               "{shape}").format(shape=X.shape))
        if labels.shape != (len(X),):
            raise ValueError(_("labels must have shape ({count},), got {shape}").format(
                count=len(X), shape=labels.shape))
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(labels))):
            raise ValueError(_("the points and labels must be finite numbers (no NaN or inf)"))
        if not np.all((labels == 0) | (labels == 1)):
            raise ValueError(_("labels must be 0 or 1"))
        self.X = X
        self.labels = labels
        self.n_samples = len(labels)
        self._design = np.column_stack([np.ones(len(X)), X])
        self.data_seed = None
        self.x0 = self.check_params(x0)

    @property
    def title(self) -> str:
        return _("logistic regression: two classes, {count} points").format(count=len(self.labels))

    def separable(self) -> bool:
        """Whether some line puts every point of class 1 strictly on one side and every
        point of class 0 on the other: whether the classes' convex hulls are disjoint
        (decided exactly, by the separating-axis test over the hulls' edges).

        Examples
        --------
        >>> import numpy as np
        >>> square = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> LogisticRegression(square, np.array([0, 0, 1, 1])).separable()
        True
        >>> LogisticRegression(square, np.array([0, 1, 1, 0])).separable()  # xor
        False
        """
        first, second = (_hull(self.X[self.labels == label]) for label in (0.0, 1.0))
        if not len(first) or not len(second):
            return True
        axes = [second.mean(axis=0) - first.mean(axis=0)]
        for hull in (first, second):
            edges = np.roll(hull, -1, axis=0) - hull
            axes.extend(edges)
            axes.extend(np.column_stack([-edges[:, 1], edges[:, 0]]))
        for axis in axes:
            if not np.any(axis):
                continue
            a, b = first @ axis, second @ axis
            if a.max() < b.min() or b.max() < a.min():
                return True
        return False

    def param_role(self, k: int) -> str:
        if k == 0:
            return _("bias")
        return closed_up(_("weight of {name}").format(name=self.x_name(k - 1)))

    @classmethod
    def example(cls, seed: int | None = 0, data: str = "blobs", **options):
        """Two blobs or two moons, 100 points (neither is separable by a line: the blobs
        overlap at their edges, the moons interlock)."""
        if data not in ("blobs", "moons"):
            raise ValueError(_("data must be 'blobs' or 'moons', got {value!r}").format(
                value=data))
        maker = make_blobs if data == "blobs" else make_moons
        X, labels = maker(100, seed=seed)
        problem = cls(X, labels, **options)
        problem.data_seed = seed
        return problem

    def _value_and_grad_rows(self, params, design, labels):
        z = design @ params
        loss = float(np.mean(np.logaddexp(0.0, z) - labels * z))
        return loss, design.T @ (_sigmoid(z) - labels) / len(labels)

    def value_and_grad(self, params):
        return self._value_and_grad_rows(np.asarray(params, float), self._design, self.labels)

    def loss(self, params):
        return self.value_and_grad(params)[0]

    def grad(self, params):
        return self.value_and_grad(params)[1]

    def loss_many(self, params) -> np.ndarray:
        z = np.asarray(params, dtype=float) @ self._design.T
        return np.mean(np.logaddexp(0.0, z) - self.labels * z, axis=-1)

    def batch_grad(self, params, rows):
        return self._value_and_grad_rows(params, self._design[rows], self.labels[rows])[1]

    def predict(self, params, X=None) -> np.ndarray:
        """The probability of class 1 at each point."""
        X = self.X if X is None else np.asarray(X, dtype=float)
        params = np.asarray(params, dtype=float)
        return _sigmoid(params[0] + X @ params[1:])

    def describe(self):
        info = {"problem": "LogisticRegression", "n": self.n_samples}
        if self.data_seed is not None:
            info["seed"] = self.data_seed
        return info


def _hull(points: np.ndarray) -> np.ndarray:
    """The convex hull of 2-D ``points``, its corners in order (Andrew's monotone chain);
    one or two points for a degenerate set."""
    unique = np.unique(points, axis=0)
    if len(unique) <= 2:
        return unique

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for point in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    for point in unique[::-1]:
        while len(upper) >= 2 and cross(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    return np.array(lower[:-1] + upper[:-1])
