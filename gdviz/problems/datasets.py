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


def _rng(seed) -> np.random.RandomState:
    return seed if isinstance(seed, np.random.RandomState) else np.random.RandomState(seed)


def make_polynomial(n_samples: int = 60, degree: int = 3, *, noise: float = 0.1,
                    seed=None) -> tuple[np.ndarray, np.ndarray]:
    """Points ``x`` in [-1, 1] on a random polynomial of ``degree``, plus Gaussian noise.

    Examples
    --------
    >>> x, y = make_polynomial(60, 3, seed=0)
    >>> x.shape, y.shape
    ((60,), (60,))
    """
    rng = _rng(seed)
    x = np.sort(rng.uniform(-1, 1, size=n_samples))
    coefficients = rng.normal(scale=2.0, size=degree + 1)
    y = np.polynomial.polynomial.polyval(x, coefficients) + rng.normal(scale=noise, size=n_samples)
    return x, y


def make_blobs(n_samples: int = 100, *, distance: float = 3.0, seed=None):
    """Two round Gaussian clouds in 2-D, labelled 0 and 1, centres ``distance`` apart.

    Examples
    --------
    >>> X, labels = make_blobs(100, seed=0)
    >>> X.shape, sorted(set(labels.tolist()))
    ((100, 2), [0.0, 1.0])
    """
    rng = _rng(seed)
    labels = (np.arange(n_samples) % 2).astype(float)
    direction = np.array([1.0, 0.6]) / np.hypot(1.0, 0.6)
    centres = np.where(labels[:, None] == 1, 0.5, -0.5) * distance * direction + [0.5, 0.5]
    X = centres + rng.normal(size=(n_samples, 2))
    order = rng.permutation(n_samples)
    return X[order], labels[order]


def make_moons(n_samples: int = 100, *, noise: float = 0.15, seed=None):
    """Two interleaving half circles in 2-D, labelled 0 and 1 (not linearly separable).

    Examples
    --------
    >>> X, labels = make_moons(100, seed=0)
    >>> X.shape
    (100, 2)
    """
    rng = _rng(seed)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    outer = np.linspace(0, np.pi, n_outer)
    inner = np.linspace(0, np.pi, n_inner)
    X = np.vstack([np.column_stack([np.cos(outer), np.sin(outer)]),
                   np.column_stack([1 - np.cos(inner), 1 - np.sin(inner) - 0.5])])
    labels = np.concatenate([np.zeros(n_outer), np.ones(n_inner)])
    X = X + rng.normal(scale=noise, size=X.shape)
    order = rng.permutation(n_samples)
    return X[order], labels[order]


def make_curve(n_samples: int = 80, *, noise: float = 0.1, seed=None):
    """Noisy samples of ``sin(x)`` for x in [-3, 3]: a curve for a small network to fit.

    Examples
    --------
    >>> x, y = make_curve(80, seed=0)
    >>> x.shape
    (80,)
    """
    rng = _rng(seed)
    x = np.sort(rng.uniform(-3, 3, size=n_samples))
    return x, np.sin(x) + rng.normal(scale=noise, size=n_samples)
