"""A one-hidden-layer network fitting a 1-D curve: small enough to animate."""
from __future__ import annotations

import numpy as np

from .._validate import positive_integer
from .base import FromFrame, Problem
from .datasets import make_curve


class MLP(FromFrame, Problem):
    """``y = w2 . tanh(w1 * x + b1) + b2`` with ``hidden`` tanh units, mean squared error.

    Parameters are laid out ``[w1 (hidden), b1 (hidden), w2 (hidden), b2]``.
    The default start is PyTorch's ``nn.Linear`` initialization (uniform in
    plus or minus ``1/sqrt(fan_in)``), drawn from ``RandomState(seed)``.

    Examples
    --------
    >>> p = MLP.example(seed=0, hidden=4)
    >>> p.n_params, p.param_names[:2]
    (13, ('w1_0', 'w1_1'))
    """

    name = "mlp"
    formula = "y = w2 . tanh(w1*x + b1) + b2 (mean squared error)"

    def __init__(self, x, y, hidden: int = 8, *, seed: int | None = 0, x0=None):
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        if x.ndim != 1 or y.shape != x.shape:
            raise ValueError(f"the network fits a curve: x and y of shape (n,), got {x.shape}, {y.shape}")
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            raise ValueError("x and y must be finite numbers (no NaN or inf)")
        self.hidden = positive_integer("hidden", hidden)
        if self.hidden > 64:
            raise ValueError(f"hidden must be at most 64 units (small enough to watch), got {hidden}")
        self.x, self.y = x, y
        self.n_samples = len(y)
        self.data_seed = None
        h = self.hidden
        self.param_names = (tuple(f"w1_{k}" for k in range(h)) + tuple(f"b1_{k}" for k in range(h))
                            + tuple(f"w2_{k}" for k in range(h)) + ("b2",))
        if x0 is None:
            rng = np.random.RandomState(seed)
            bound = 1 / np.sqrt(h)
            x0 = np.concatenate([rng.uniform(-1, 1, 2 * h), rng.uniform(-bound, bound, h + 1)])
        self.x0 = self.check_params(x0)

    @property
    def title(self) -> str:
        return f"a small neural network ({self.hidden} tanh units) fitting a curve"

    @classmethod
    def example(cls, seed: int | None = 0, hidden: int = 8, **options) -> "MLP":
        """Noisy ``sin(x)`` on [-3, 3], 80 points."""
        x, y = make_curve(80, seed=seed)
        problem = cls(x, y, hidden=hidden, seed=seed, **options)
        problem.data_seed = seed
        return problem

    def _unpack(self, params):
        h = self.hidden
        return params[:h], params[h:2 * h], params[2 * h:3 * h], params[3 * h]

    def _value_and_grad_rows(self, params, x, y):
        w1, b1, w2, b2 = self._unpack(np.asarray(params, dtype=float))
        hidden = np.tanh(np.outer(x, w1) + b1)
        residual = hidden @ w2 + b2 - y
        loss = float(np.mean(residual**2))
        d_out = 2.0 * residual / len(y)
        d_pre = np.outer(d_out, w2) * (1.0 - hidden**2)
        grad = np.concatenate([x @ d_pre, d_pre.sum(axis=0), hidden.T @ d_out, [d_out.sum()]])
        return loss, grad

    def value_and_grad(self, params):
        return self._value_and_grad_rows(params, self.x, self.y)

    def loss(self, params):
        return self.value_and_grad(params)[0]

    def grad(self, params):
        return self.value_and_grad(params)[1]

    def loss_many(self, params) -> np.ndarray:
        """The loss at each row of ``params`` (..., P), vectorised over rows in blocks.

        A hidden unit whose input weight and bias are the same in every row (a slice over
        two parameters leaves all but one or two units alone) is computed once: exact, and
        most of the cost of a slice is the tanh of the units that change.
        """
        params = np.asarray(params, dtype=float)
        flat = params.reshape(-1, params.shape[-1])
        h, x, y = self.hidden, self.x, self.y
        out = np.empty(len(flat))
        if not len(flat):
            return out.reshape(params.shape[:-1])
        same = np.all(flat == flat[0], axis=0)
        fixed = same[:h] & same[h:2 * h]
        moving = ~fixed
        with np.errstate(all="ignore"):
            fixed_hidden = np.tanh(np.outer(x, flat[0, :h][fixed]) + flat[0, h:2 * h][fixed])
            block = max(1, 2_000_000 // (len(x) * max(int(moving.sum()), 1)))
            for start in range(0, len(flat), block):
                rows = flat[start:start + block]
                w2 = rows[:, 2 * h:3 * h]
                output = (w2[:, fixed] @ fixed_hidden.T) + rows[:, 3 * h][:, None]
                if moving.any():
                    w1, b1 = rows[:, :h][:, moving], rows[:, h:2 * h][:, moving]
                    hidden = np.tanh(x[None, :, None] * w1[:, None, :] + b1[:, None, :])
                    output += np.matmul(hidden, w2[:, moving][:, :, None])[..., 0]
                out[start:start + block] = np.mean((output - y) ** 2, axis=1)
        return out.reshape(params.shape[:-1])

    def batch_grad(self, params, rows):
        return self._value_and_grad_rows(params, self.x[rows], self.y[rows])[1]

    def predict(self, params, x=None) -> np.ndarray:
        x = self.x if x is None else np.atleast_1d(np.asarray(x, dtype=float))
        w1, b1, w2, b2 = self._unpack(np.asarray(params, dtype=float))
        return np.tanh(np.outer(x, w1) + b1) @ w2 + b2

    def describe(self):
        info = {"problem": "MLP", "hidden": self.hidden, "n": self.n_samples}
        if self.data_seed is not None:
            info["seed"] = self.data_seed
        return info
