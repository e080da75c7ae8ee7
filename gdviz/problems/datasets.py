"""Seeded data generators (numpy only).

``make_regression`` draws exactly what scikit-learn's function of the same
name draws from the same ``RandomState`` (the tests prove it bit for bit), so
the blog's data can be made without importing scikit-learn.
"""
from __future__ import annotations

import numpy as np


def make_regression(
    n_samples: int = 100,
    n_features: int = 1,
    *,
    noise: float = 0.0,
    bias: float = 0.0,
    n_informative: int = 10,
    random_state: np.random.RandomState | int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Random linear data ``y = X @ w + bias + noise`` with ``w`` in ``[0, 100)``.

    The same draws in the same order as ``sklearn.datasets.make_regression``
    with its defaults (no low-rank X, one target, shuffled).

    Examples
    --------
    >>> X, y = make_regression(100, 1, noise=5, bias=50, random_state=0)
    >>> X.shape, y.shape
    ((100, 1), (100,))
    """
    rng = (
        random_state
        if isinstance(random_state, np.random.RandomState)
        else np.random.RandomState(random_state)
    )
    n_informative = min(n_features, n_informative)
    X = rng.standard_normal(size=(n_samples, n_features))
    ground_truth = np.zeros((n_features, 1))
    ground_truth[:n_informative, :] = 100 * rng.uniform(size=(n_informative, 1))
    y = np.dot(X, ground_truth) + bias
    if noise > 0.0:
        y += rng.normal(scale=noise, size=y.shape)
    rows = np.arange(n_samples)
    rng.shuffle(rows)
    X, y = X[rows], y[rows]
    columns = np.arange(n_features)
    rng.shuffle(columns)
    X[:, :] = X[:, columns]
    return X, np.squeeze(y)
