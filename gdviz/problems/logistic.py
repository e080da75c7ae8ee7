"""Logistic regression: two classes of 2-D points, cross-entropy loss."""
from __future__ import annotations

import numpy as np

from .base import FromFrame, Problem
from .datasets import make_blobs, make_moons


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
    formula = "mean cross-entropy of sigmoid(w0 + w1*x1 + w2*x2)"
    param_names = ("w0", "w1", "w2")

    def __init__(self, X, labels, *, x0=(0.0, 0.0, 0.0)):
        X = np.asarray(X, dtype=float)
        labels = np.asarray(labels, dtype=float)
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"logistic regression needs 2-D points: X of shape (n, 2), got {X.shape}")
        if labels.shape != (len(X),):
            raise ValueError(f"labels must have shape ({len(X)},), got {labels.shape}")
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(labels))):
            raise ValueError("the points and labels must be finite numbers (no NaN or inf)")
        if not np.all((labels == 0) | (labels == 1)):
            raise ValueError("labels must be 0 or 1")
        self.X = X
        self.labels = labels
        self.n_samples = len(labels)
        self._design = np.column_stack([np.ones(len(X)), X])
        self.data_seed = None
        self.x0 = self.check_params(x0)

    @property
    def title(self) -> str:
        return f"logistic regression: two classes, {len(self.labels)} points"

    def param_role(self, k: int) -> str:
        return "bias" if k == 0 else f"weight of {self.x_name(k - 1)}"

    @classmethod
    def example(cls, seed: int | None = 0, data: str = "blobs", **options):
        """Two blobs (separable) or two moons (not), 100 points."""
        if data not in ("blobs", "moons"):
            raise ValueError(f"data must be 'blobs' or 'moons', got {data!r}")
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
