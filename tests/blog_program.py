"""The blog program's own algorithm, loops and all, without the drawing.

This is the independent reference that ``gdviz seed`` must reproduce: the
data from scikit-learn's ``make_regression`` drawn from numpy's global
generator, the random start, the ``0.5 * sum`` loss, the mean gradient and
the ``prev_loss - current_loss > tol`` rule, written as the blog wrote them.
"""
import numpy as np


def blog_data(seed):
    """The blog's data and start with ``np.random.seed(seed)`` at its top."""
    from sklearn.datasets import make_regression

    np.random.seed(seed)
    X, y = make_regression(n_samples=100, n_features=1, noise=5, bias=50)
    X = X.ravel()
    b0 = np.random.rand()
    b1 = np.random.rand()
    return X, y, b0, b1


def calc_forecast(b0, b1, x):
    return b0 + (b1 * x)


def calc_loss(b0, b1, X, y):
    loss_value = 0
    for xi, yi in zip(X, y):
        loss_value += 0.5 * ((calc_forecast(b0, b1, xi) - yi) ** 2)
    return loss_value


def derivatives(b0, b1, X, y):
    b0_offset = 0
    b1_offset = 0
    for xi, yi in zip(X, y):
        b0_offset += calc_forecast(b0, b1, xi) - yi
        b1_offset += (calc_forecast(b0, b1, xi) - yi) * xi
    b0_offset /= len(X)
    b1_offset /= len(X)
    return b0_offset, b1_offset


def update_parameters(b0, b1, X, y, alpha):
    b0_offset, b1_offset = derivatives(b0, b1, X, y)
    return b0 - (alpha * b0_offset), b1 - (alpha * b1_offset)


def blog_run(X, y, b0, b1, learning_rate=0.005, tolerance=0.01):
    """The blog's main loop; returns (iterations, b0, b1, loss history)."""
    i = 0
    prev_loss = 999999999999.0
    losses = []
    while True:
        current_loss = calc_loss(b0, b1, X, y)
        losses.append(current_loss)
        if prev_loss - current_loss > tolerance:
            b0, b1 = update_parameters(b0, b1, X, y, learning_rate)
            prev_loss = current_loss
        else:
            return i, b0, b1, losses
        i += 1
