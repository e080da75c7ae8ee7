"""Seeded data generators (numpy only).

``make_regression`` draws exactly what scikit-learn's function of the same
name draws from the same ``RandomState`` (the tests prove it bit for bit), so
the blog's data can be made without importing scikit-learn.
"""
from __future__ import annotations

import numpy as np

from ..words.i18n import N_, _


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


def _balanced(n_samples: int) -> np.ndarray:
    """Labels 0, 1, 0, 1, ...: the two classes as even as ``n_samples`` allows."""
    return (np.arange(n_samples) % 2).astype(float)


def make_circles(n_samples: int = 200, *, noise: float = 0.1, seed=None):
    """A disc of class 1 (radius under 0.5) inside a ring of class 0 (radius 0.7 to 1),
    with Gaussian noise of scale ``noise`` on each coordinate.

    Examples
    --------
    >>> X, labels = make_circles(200, seed=0)
    >>> X.shape, float(labels.mean())
    ((200, 2), 0.5)
    """
    rng = _rng(seed)
    labels = _balanced(n_samples)
    angle = rng.uniform(0, 2 * np.pi, n_samples)
    inner = 0.5 * np.sqrt(rng.uniform(0, 1, n_samples))
    outer = rng.uniform(0.7, 1.0, n_samples)
    radius = np.where(labels == 1, inner, outer)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return X + rng.normal(scale=noise, size=X.shape), labels


def make_xor(n_samples: int = 200, *, noise: float = 0.1, seed=None):
    """Points in the square [-1, 1]², kept a little off the axes; class 1 where x and y
    have the same sign (the first and third quarters), plus Gaussian noise.

    Examples
    --------
    >>> X, labels = make_xor(200, noise=0.0, seed=0)
    >>> bool(np.all((X[:, 0] * X[:, 1] > 0) == (labels == 1)))
    True
    """
    rng = _rng(seed)
    labels = _balanced(n_samples)
    size = rng.uniform(0.05, 1.0, size=(n_samples, 2))
    quarter = rng.randint(0, 2, n_samples)  # which of the two quarters of its class
    first = np.where(quarter == 0, 1.0, -1.0)
    second = np.where(labels == 1, first, -first)
    X = size * np.column_stack([first, second])
    return X + rng.normal(scale=noise, size=X.shape), labels


def make_spirals(n_samples: int = 200, *, noise: float = 0.1, seed=None):
    """Two spirals winding out from the centre, half a turn apart, one per class, with
    Gaussian noise.

    Examples
    --------
    >>> X, labels = make_spirals(200, seed=0)
    >>> X.shape
    (200, 2)
    """
    rng = _rng(seed)
    labels = _balanced(n_samples)
    along = rng.uniform(0.05, 1.0, n_samples)
    angle = 1.75 * 2 * np.pi * along + np.pi * labels
    X = np.column_stack([along * np.sin(angle), along * np.cos(angle)])
    return X + rng.normal(scale=noise, size=X.shape), labels


def make_gaussians(n_samples: int = 200, *, noise: float = 0.1, seed=None):
    """Two round clouds around (0.5, 0.5) and (-0.5, -0.5), of spread 0.2 + ``noise``:
    TF Playground's "Gaussian" set, separable by a line when the noise is low.

    Examples
    --------
    >>> X, labels = make_gaussians(200, seed=0)
    >>> X.shape
    (200, 2)
    """
    rng = _rng(seed)
    labels = _balanced(n_samples)
    centres = np.where(labels[:, None] == 1, 0.5, -0.5) * np.ones(2)
    return centres + rng.normal(scale=0.2 + noise, size=(n_samples, 2)), labels


#: TF Playground's 2-D classification sets (its "Gaussian" is ``blobs``) and moons, by name:
#: ``f(n_samples, noise=, seed=) -> (X (n, 2), labels 0/1)``.
DATASETS = {
    "circles": make_circles,
    "xor": make_xor,
    "spirals": make_spirals,
    "blobs": make_gaussians,
    "moons": lambda n_samples=200, *, noise=0.15, seed=None: make_moons(n_samples, noise=noise,
                                                                         seed=seed),
}


#: Each dataset in a few words (``gdviz list``).
DESCRIPTIONS = {
    "circles": N_("a disc of one class inside a ring of the other"),
    "xor": N_("the quarters of a square, opposite quarters one class"),
    "spirals": N_("two spirals winding out from the centre, one per class"),
    "blobs": N_("two round clouds (TF Playground's Gaussian)"),
    "moons": N_("two interleaving half circles"),
}


def split(X, y, test_fraction: float, seed=None):
    """``(X_train, y_train, X_test, y_test)``: a seeded shuffle, ``test_fraction`` of the
    rows held out for testing (rounded to whole rows).

    Examples
    --------
    >>> X, y = make_xor(10, seed=0)
    >>> [len(part) for part in split(X, y, 0.3, seed=0)]
    [7, 7, 3, 3]
    """
    if not 0 <= test_fraction < 1:
        raise ValueError(_("{name} must be from 0 up to (not including) 1, got {value!r}")
                         .format(name="test_fraction", value=test_fraction))
    rows = _rng(seed).permutation(len(y))
    held = int(round(test_fraction * len(y)))
    test, train = rows[:held], rows[held:]
    return X[train], y[train], X[test], y[test]
