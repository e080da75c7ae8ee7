"""A small neural network: layers of units you choose, small enough to animate.

Its loss and gradient are one forward and one backward pass over the batch (numpy,
vectorised), and equal PyTorch's autograd in float64 (the tests check it).
"""
from __future__ import annotations

import numpy as np

from .._validate import non_negative_number, positive_integer, unknown
from ..words.i18n import N_, _, listed
from .base import FromFrame, Problem
from .datasets import make_curve

#: Most hidden layers, and most units in one: small enough to watch, and to draw.
MAX_LAYERS = 4
MAX_UNITS = 64
#: The tasks a network learns.
TASKS = ("regression", "classification")
#: Most classes of a classification.
MAX_CLASSES = 10


def _sigmoid(z):
    """1 / (1 + e^−z), written as 0.5·(1 + tanh(z/2)): no overflow for any z."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


#: Each activation and its derivative, written from its output ``a`` and input ``z``.
ACTIVATIONS = {
    "tanh": (np.tanh, lambda a, z: 1.0 - a * a),
    "relu": (lambda z: np.maximum(z, 0.0), lambda a, z: (z > 0).astype(float)),
    "sigmoid": (_sigmoid, lambda a, z: a * (1.0 - a)),
}


def hidden_layers(hidden) -> tuple[int, ...]:
    """``hidden`` as a tuple of layer widths: ``8``, ``(8, 8)`` or ``"8,8"``, checked."""
    if isinstance(hidden, str):
        parts = [p.strip() for p in hidden.split(",") if p.strip()]
        try:
            hidden = tuple(int(p) for p in parts)
        except ValueError:
            raise ValueError(_("hidden must be whole numbers of units separated by commas, "
                               "like 8 or 8,8; got {value!r}").format(value=hidden)) from None
    elif np.ndim(hidden) == 0:
        hidden = (hidden,)
    layers = tuple(positive_integer("hidden", h) for h in hidden)
    if not 1 <= len(layers) <= MAX_LAYERS:
        raise ValueError(_("a network here has 1 to {most} hidden layers, got {count}").format(
            most=MAX_LAYERS, count=len(layers)))
    if max(layers) > MAX_UNITS:
        raise ValueError(_("hidden must be at most {most} units a layer (small enough to "
                           "watch), got {count}").format(most=MAX_UNITS, count=max(layers)))
    return layers


class MLP(FromFrame, Problem):
    """A network of ``hidden`` layers (``8`` or ``(8, 8)``) of ``activation`` units.

    - ``task="regression"``: real ``y``, one output, mean squared error (as
      ``torch.nn.MSELoss``).
    - ``task="classification"``: integer labels ``0 .. k-1``; two classes have one output
      and ``BCEWithLogitsLoss``'s mean, more have k outputs and ``CrossEntropyLoss``'s.
    - ``l2`` adds ``l2 · ‖W‖²``: the sum of every layer's squared weights (not the biases).

    ``x`` is (n,) or (n, d). Parameters are laid out layer by layer as ``torch.nn.Linear``
    holds them: each layer's weight (out × in, row-major), then its bias, named where
    they sit (``layer1.w[3,0]``, ``layer2.b[0]``). The default start is ``nn.Linear``'s
    initialisation (uniform in ±1/√fan_in, weights then bias, layer by layer) drawn from
    ``RandomState(seed)``.

    Examples
    --------
    >>> p = MLP.example(seed=0, hidden=4)
    >>> p.n_params, p.param_names[:2]
    (13, ('layer1.w[0,0]', 'layer1.w[1,0]'))
    >>> MLP([[0, 1], [1, 0], [1, 1]], [0, 1, 2], hidden=(3, 2), task="classification").sizes
    (2, 3, 2, 3)
    """

    name = "mlp"
    formula = N_("y = a network of tanh, relu or sigmoid layers (mean squared error, or cross-entropy)")  # said in the language spoken (summary)

    def __init__(self, x, y, hidden=8, activation: str = "tanh", task: str = "regression",
                 l2: float = 0.0, *, seed: int | None = 0, x0=None, test=None):
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        X = x[:, None] if x.ndim == 1 else x
        if X.ndim != 2 or y.shape != (len(X),):
            raise ValueError(_("the network takes x of shape (n,) or (n, d) and y of shape "
                               "(n,), got {x} and {y}").format(x=x.shape, y=y.shape))
        if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
            raise ValueError(_("x and y must be finite numbers (no NaN or inf)"))
        if activation not in ACTIVATIONS:
            raise unknown("activation", activation, ACTIVATIONS)
        if task not in TASKS:
            raise unknown("task", task, TASKS)
        self.layers = hidden_layers(hidden)
        self.activation, self.task = activation, task
        self.l2 = non_negative_number("l2", l2)
        if task == "classification":
            if not np.all(y == np.round(y)) or y.min() < 0:
                raise ValueError(_("classification takes labels 0, 1, 2, ... (whole numbers)"))
            self.classes = int(y.max()) + 1
            if self.classes < 2 or self.classes > MAX_CLASSES:
                raise ValueError(_("classification takes 2 to {most} classes, got {count}")
                                 .format(most=MAX_CLASSES, count=self.classes))
            self.labels = y.astype(int)
            outputs = 1 if self.classes == 2 else self.classes
        else:
            self.classes, outputs = None, 1
        self.x, self.y, self.X = x, y, X
        self.n_samples = len(y)
        self.data_seed = self.data_name = None
        self.X_test = self.y_test = None
        if test is not None:  # held-out points: their loss is watched, never trained on
            X_test, y_test = (np.asarray(part, dtype=float) for part in test)
            X_test = X_test[:, None] if X_test.ndim == 1 else X_test
            if X_test.ndim != 2 or X_test.shape[1] != X.shape[1] or y_test.shape != (len(X_test),):
                raise ValueError(_("the test points must have the training points' columns"))
            self.X_test, self.y_test = X_test, y_test
        self.sizes = (X.shape[1], *self.layers, outputs)
        names = []
        for n, (inputs, units) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            names += [f"layer{n}.w[{o},{i}]" for o in range(units) for i in range(inputs)]
            names += [f"layer{n}.b[{o}]" for o in range(units)]
        self.param_names = tuple(names)
        self._weights = self.weight_mask()
        if x0 is None:  # nn.Linear's bounds, layer by layer, weights then bias
            rng = np.random.RandomState(seed)
            parts = []
            for inputs, units in zip(self.sizes[:-1], self.sizes[1:]):
                bound = 1 / np.sqrt(inputs)
                parts += [rng.uniform(-bound, bound, units * inputs),
                          rng.uniform(-bound, bound, units)]
            x0 = np.concatenate(parts)
        self.x0 = self.check_params(x0)

    # -- shape ---------------------------------------------------------------------------
    @property
    def hidden(self):
        """The hidden layers' widths: a number for one layer (as before), else a tuple."""
        return self.layers[0] if len(self.layers) == 1 else self.layers

    @property
    def title(self) -> str:
        shape = "-".join(str(s) for s in self.sizes)
        if self.task == "regression":
            return _("a {shape} neural network ({activation}) fitting a curve").format(
                shape=shape, activation=self.activation)
        return _("a {shape} neural network ({activation}) separating {classes} classes").format(
            shape=shape, activation=self.activation, classes=self.classes)

    def describe_shape(self) -> str:
        return "-".join(str(s) for s in self.sizes)

    def unpack(self, params) -> list[tuple[np.ndarray, np.ndarray]]:
        """Each layer's (weight (out × in), bias (out)) from the flat parameters."""
        params = np.asarray(params, dtype=float)
        layers, at = [], 0
        for inputs, units in zip(self.sizes[:-1], self.sizes[1:]):
            weight = params[at: at + units * inputs].reshape(units, inputs)
            at += units * inputs
            layers.append((weight, params[at: at + units]))
            at += units
        return layers

    def weight_mask(self) -> np.ndarray:
        """True at the parameters that are weights (``l2`` covers these), False at biases."""
        mask = np.zeros(self.n_params, dtype=bool)
        at = 0
        for inputs, units in zip(self.sizes[:-1], self.sizes[1:]):
            mask[at: at + units * inputs] = True
            at += units * (inputs + 1)
        return mask

    @classmethod
    def example(cls, seed: int | None = 0, hidden=8, data: str | None = None,
                noise: float | None = None, test_fraction: float | None = None,
                task: str | None = None, **options) -> "MLP":
        """Noisy ``sin(x)`` on [-3, 3], 80 points; or, with ``data`` (a name of
        ``datasets.DATASETS``: circles, xor, spirals, blobs, moons), 200 points of two
        classes to separate, ``test_fraction`` of them held out to test on.

        >>> p = MLP.example(data="spirals", noise=0.1, test_fraction=0.3, hidden=(8, 8))
        >>> p.task, p.n_samples, len(p.y_test), p.sizes
        ('classification', 140, 60, (2, 8, 8, 1))
        """
        from .datasets import DATASETS, split

        if data is None:
            if task not in (None, "regression"):
                raise ValueError(_("classification needs a dataset: data is one of {known}")
                                 .format(known=listed(DATASETS)))
            x, y = make_curve(80, noise=0.1 if noise is None else noise, seed=seed)
            test = None
            if test_fraction:
                x, y, x_test, y_test = split(x, y, test_fraction, seed=seed)
                order = np.argsort(x)
                x, y, test = x[order], y[order], (x_test, y_test)
            problem = cls(x, y, hidden=hidden, seed=seed, test=test, **options)
        else:
            if data not in DATASETS:
                raise unknown("dataset", data, DATASETS)
            if task not in (None, "classification"):
                raise ValueError(_("the dataset '{name}' is two classes: its task is "
                                   "classification").format(name=data))
            X, labels = DATASETS[data](200, **({} if noise is None else {"noise": noise}),
                                       seed=seed)
            X, labels, X_test, labels_test = split(X, labels, test_fraction or 0.0, seed=seed)
            problem = cls(X, labels, hidden=hidden, task="classification", seed=seed,
                          test=(X_test, labels_test) if len(labels_test) else None, **options)
            problem.data_name = data
        problem.data_seed = seed
        return problem

    def input_grid(self, n: int):
        """``(extent, grid)``: the plane of the two inputs around every point, training and
        test (8% of their span beyond them), as ``(x0, x1, y0, y1)`` and ``n``×``n``
        points (rows of (x, y), the first row of the grid first)."""
        X = self.X if self.X_test is None else np.vstack([self.X, self.X_test])
        pad = 0.08 * np.ptp(X, axis=0)
        low, high = X.min(axis=0) - pad, X.max(axis=0) + pad
        gx, gy = np.meshgrid(np.linspace(low[0], high[0], n), np.linspace(low[1], high[1], n))
        extent = (float(low[0]), float(high[0]), float(low[1]), float(high[1]))
        return extent, np.column_stack([gx.ravel(), gy.ravel()])

    def test_losses(self, params) -> np.ndarray | None:
        """The test loss at each row of ``params`` (vectorised, as ``loss_many``), or None
        without test points."""
        if self.X_test is None:
            return None
        import copy

        held = copy.copy(self)
        held.X, held.y, held.l2 = self.X_test, self.y_test, 0.0
        return held.loss_many(params)

    def test_loss(self, params) -> float | None:
        """The loss on the held-out test points (no ``l2``), or None without them."""
        if self.X_test is None:
            return None
        out = self.forward(params, self.X_test)[1][-1]
        return self._data_loss(out, self.y_test)[0]

    # -- forward and backward ------------------------------------------------------------
    def forward(self, params, X, layers=None) -> tuple[list, list]:
        """Each layer's input ``z`` and output ``a`` (the last ``a`` is the raw output)."""
        act, _slope = ACTIVATIONS[self.activation]
        layers = self.unpack(params) if layers is None else layers
        zs, activations = [], [X]
        for n, (weight, bias) in enumerate(layers):
            z = activations[-1] @ weight.T + bias
            zs.append(z)
            activations.append(z if n == len(layers) - 1 else act(z))
        return zs, activations

    def _data_loss(self, out, y):
        """The mean loss of raw outputs ``out`` (n, outputs) and d(loss)/d(out)."""
        n = len(y)
        # Sums over n (not np.mean, which costs four times as much on a small batch).
        if self.task == "regression":
            residual = out[:, 0] - y
            return float(residual @ residual) / n, (2.0 * residual / n)[:, None]
        if self.classes == 2:
            z = out[:, 0]
            small = np.exp(-np.abs(z))  # e^−|z| ≤ 1: log(1 + e^z) and σ(z) without overflow
            loss = np.maximum(z, 0) - z * y + np.log1p(small)
            sigma = np.where(z >= 0, 1.0, small) / (1.0 + small)
            return float(loss.sum()) / n, ((sigma - y) / n)[:, None]
        top = out.max(axis=1, keepdims=True)
        shifted = np.exp(out - top)
        total = shifted.sum(axis=1, keepdims=True)
        labels = y.astype(int)
        log_p = out[np.arange(n), labels] - top[:, 0] - np.log(total[:, 0])
        d_out = shifted / total
        d_out[np.arange(n), labels] -= 1.0
        return float(-log_p.sum()) / n, d_out / n

    def _value_and_grad_rows(self, params, X, y):
        params = np.asarray(params, dtype=float)
        _act, derivative = ACTIVATIONS[self.activation]
        layers = self.unpack(params)
        zs, activations = self.forward(params, X, layers)
        loss, d_z = self._data_loss(activations[-1], y)
        grad = np.empty(len(params))
        at = len(params)
        for n in range(len(layers) - 1, -1, -1):  # backward: each layer's bias, then weight
            weight = layers[n][0]
            units = weight.shape[0]
            grad[at - units: at] = self._ones(len(d_z)) @ d_z  # Σ over the batch
            at -= units
            grad[at - weight.size: at] = (d_z.T @ activations[n]).ravel()
            at -= weight.size
            if n:
                d_z = (d_z @ weight) * derivative(activations[n], zs[n - 1])
        if self.l2:
            mask = self._weights
            loss += self.l2 * float(np.sum(params[mask] ** 2))
            grad[mask] += 2.0 * self.l2 * params[mask]
        return loss, grad

    def value_and_grad(self, params):
        return self._value_and_grad_rows(params, self.X, self.y)

    def _ones(self, n: int) -> np.ndarray:
        """n ones, kept: a sum over the batch as a product is three times as fast."""
        ones = getattr(self, "_ones_kept", None)
        if ones is None or len(ones) != n:
            ones = self._ones_kept = np.ones(n)
        return ones

    def loss(self, params):
        return self.value_and_grad(params)[0]

    def grad(self, params):
        return self.value_and_grad(params)[1]

    def batch_grad(self, params, rows):
        return self._value_and_grad_rows(params, self.X[rows], self.y[rows])[1]

    # -- many points at once (a contour, a slice) ------------------------------------------
    def loss_many(self, params) -> np.ndarray:
        """The loss at each row of ``params`` (..., P), vectorised over rows in blocks.

        With one hidden layer and one output, a hidden unit whose incoming weights and
        bias are the same in every row (a slice over two parameters leaves all but one
        or two units alone) is computed once: exact, and most of a slice's cost is the
        units that change.
        """
        params = np.asarray(params, dtype=float)
        flat = params.reshape(-1, params.shape[-1])
        out = np.empty(len(flat))
        if len(flat):
            with np.errstate(all="ignore"):
                if len(self.layers) == 1 and self.sizes[-1] == 1:
                    self._loss_many_shallow(flat, out)
                else:
                    self._loss_many_deep(flat, out)
        if self.l2:
            out += self.l2 * np.sum(flat[:, self.weight_mask()] ** 2, axis=1)
        return out.reshape(params.shape[:-1])

    def _rows_loss(self, output, y) -> np.ndarray:
        """The mean loss of each row's raw outputs ``output`` (rows, n, outputs)."""
        if self.task == "regression":
            return np.mean((output[..., 0] - y) ** 2, axis=1)
        if self.classes == 2:
            z = output[..., 0]
            return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))), axis=1)
        top = output.max(axis=2, keepdims=True)
        log_total = np.log(np.exp(output - top).sum(axis=2)) + top[..., 0]
        chosen = np.take_along_axis(output, y.astype(int)[None, :, None], axis=2)[..., 0]
        return np.mean(log_total - chosen, axis=1)

    def _loss_many_shallow(self, flat, out):
        act, _slope = ACTIVATIONS[self.activation]
        X, y = self.X, self.y
        d, h = self.sizes[0], self.sizes[1]
        w1 = flat[:, : h * d].reshape(-1, h, d)
        b1 = flat[:, h * d: h * d + h]
        w2 = flat[:, h * (d + 1): h * (d + 2)]
        b2 = flat[:, -1]
        same_w = np.all(w1 == w1[0], axis=(0, 2))
        fixed = same_w & np.all(b1 == b1[0], axis=0)
        moving = ~fixed
        fixed_hidden = act(X @ w1[0, fixed].T + b1[0, fixed])
        block = max(1, 2_000_000 // (len(X) * max(int(moving.sum()), 1)))
        for start in range(0, len(flat), block):
            rows = slice(start, start + block)
            output = w2[rows][:, fixed] @ fixed_hidden.T + b2[rows][:, None]
            if moving.any():
                z = np.einsum("nd,bud->bnu", X, w1[rows][:, moving]) + b1[rows][:, None, moving]
                output = output + np.einsum("bnu,bu->bn", act(z), w2[rows][:, moving])
            out[rows] = self._rows_loss(output[..., None], y)

    def _loss_many_deep(self, flat, out):
        act, _slope = ACTIVATIONS[self.activation]
        widest = max(self.sizes)
        block = max(1, 2_000_000 // (len(self.X) * widest))
        for start in range(0, len(flat), block):
            rows = flat[start:start + block]
            a = np.broadcast_to(self.X, (len(rows),) + self.X.shape)
            at = 0
            for n, (inputs, units) in enumerate(zip(self.sizes[:-1], self.sizes[1:])):
                weight = rows[:, at: at + units * inputs].reshape(-1, units, inputs)
                at += units * inputs
                bias = rows[:, at: at + units]
                at += units
                z = np.einsum("bni,bui->bnu", a, weight) + bias[:, None, :]
                a = z if n == len(self.layers) else act(z)
            out[start:start + block] = self._rows_loss(a, self.y)

    def unit_states(self, rows) -> np.ndarray:
        """For each row of parameters, how many hidden units cannot learn: ReLU units dead
        (their input ≤ 0 at every training point), or tanh and sigmoid units saturated (at
        a flat end of their curve at 90% of the points). Vectorised over rows in blocks;
        -1 for a row that is not finite."""
        act, _slope = ACTIVATIONS[self.activation]
        rows = np.asarray(rows, dtype=float)
        out = np.full(len(rows), -1)
        relu = self.activation == "relu"
        low, high = (-0.99, 0.99) if self.activation == "tanh" else (0.01, 0.99)
        block = max(1, 2_000_000 // (len(self.X) * max(self.sizes)))
        with np.errstate(all="ignore"):
            for start in range(0, len(rows), block):
                chunk = rows[start:start + block]
                a = np.broadcast_to(self.X, (len(chunk),) + self.X.shape)
                counts, at = np.zeros(len(chunk), dtype=int), 0
                for inputs, units in zip(self.sizes[:-2], self.sizes[1:-1]):
                    weight = chunk[:, at: at + units * inputs].reshape(-1, units, inputs)
                    at += units * inputs
                    z = np.matmul(a, weight.transpose(0, 2, 1)) + chunk[:, None, at: at + units]
                    at += units
                    a = act(z)
                    if relu:
                        counts += np.sum(np.all(z <= 0, axis=1), axis=1)
                    else:
                        flat = (a <= low) | (a >= high)
                        counts += np.sum(np.mean(flat, axis=1) >= 0.9, axis=1)
                finite = np.all(np.isfinite(chunk), axis=1)
                out[start:start + block] = np.where(finite, counts, -1)
        return out

    # -- what it says ----------------------------------------------------------------------
    def predict(self, params, x=None) -> np.ndarray:
        """Regression: the network's output. Classification: the probability of class 1
        (two classes) or of each class (n, k)."""
        X = self.X if x is None else np.asarray(x, dtype=float)
        if X.ndim == 1:
            X = X[:, None] if self.sizes[0] == 1 else X[None, :]
        out = self.outputs(self.forward(params, X)[1][-1])
        return out[:, 0] if out.shape[1] == 1 else out

    def outputs(self, out) -> np.ndarray:
        """The raw outputs (n, outputs) as the task reads them: as they are for regression,
        the probability of class 1 (two classes) or of each class (more)."""
        if self.task == "regression":
            return out
        if self.classes == 2:
            return _sigmoid(out)
        shifted = np.exp(out - out.max(axis=1, keepdims=True))
        return shifted / shifted.sum(axis=1, keepdims=True)

    def classify(self, params, x=None) -> np.ndarray:
        """The class each point is given (classification)."""
        p = self.predict(params, x)
        return (p >= 0.5).astype(int) if p.ndim == 1 else np.argmax(p, axis=1)

    def describe(self):
        info = {"problem": "MLP", "hidden": list(self.layers), "activation": self.activation,
                "task": self.task, "n": self.n_samples}
        if self.l2:
            info["l2"] = self.l2
        if self.data_name is not None:
            info["data"] = self.data_name
        if self.X_test is not None:
            info["test"] = len(self.y_test)
        if self.data_seed is not None:
            info["seed"] = self.data_seed
        return info
