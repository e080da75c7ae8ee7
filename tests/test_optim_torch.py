"""Every optimizer against ``torch.optim`` itself, in float64, over 150+ steps.

Skipped where PyTorch is absent (``pip install torch==2.13.0`` installs the CPU
build); CI installs it so these run there.
"""
import numpy as np
import pytest

import gdviz
from gdviz import optim, problems, stop

torch = pytest.importorskip(
    "torch", reason="PyTorch is not installed: the optimizers were not checked against "
    "torch.optim (pip install torch==2.13.0, or pip install -e '.[test]')")

STEPS = 160


def torch_rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def quadratic_pair():
    problem = problems.Quadratic(condition=20, angle=25, center=(0.5, -1.0))
    matrix = torch.tensor(problem.matrix, dtype=torch.float64)
    center = torch.tensor(problem.center, dtype=torch.float64)

    def loss(p):
        d = p - center
        return 0.5 * d @ matrix @ d

    return problem, loss


def expression_pair():
    problem = problems.Expression("sin(x)*y**2 + exp(-x/2) + 0.1*x**4 + sqrt(1 + y**2)",
                                  x0=(1.5, -1.2))

    def loss(p):
        x, y = p[0], p[1]
        return torch.sin(x) * y**2 + torch.exp(-x / 2) + 0.1 * x**4 + torch.sqrt(1 + y**2)

    return problem, loss


def linear_pair():
    problem = problems.LinearRegression.example(seed=2)
    X = torch.tensor(problem.x, dtype=torch.float64)
    y = torch.tensor(problem.y, dtype=torch.float64)
    return problem, lambda p: torch.mean((p[0] + p[1] * X - y) ** 2)


def logistic_pair():
    # Not the default start (0, 0, 0): there the bias gradient is exactly 0 for
    # balanced classes, and adaptive methods turn the rounding of a zero into a step.
    problem = problems.LogisticRegression.example(seed=1, x0=(0.1, -0.2, 0.3))
    X = torch.tensor(problem.X, dtype=torch.float64)
    t = torch.tensor(problem.labels, dtype=torch.float64)
    bce = torch.nn.BCEWithLogitsLoss()
    return problem, lambda p: bce(p[0] + X @ p[1:], t)


def mlp_pair():
    problem = problems.MLP.example(seed=0, hidden=5)
    x = torch.tensor(problem.x, dtype=torch.float64)
    y = torch.tensor(problem.y, dtype=torch.float64)

    def loss(p):
        w1, b1, w2, b2 = p[:5], p[5:10], p[10:15], p[15]
        return torch.mean((torch.tanh(x[:, None] * w1 + b1) @ w2 + b2 - y) ** 2)

    return problem, loss


def network_pair():
    """Two hidden layers of tanh units separating xor's two classes, with l2: the flat
    parameters cut into nn.Linear's weights and biases, as gdviz lays them out."""
    problem = problems.MLP.example(seed=3, hidden=(4, 3), data="xor", l2=0.001)
    X = torch.tensor(problem.X, dtype=torch.float64)
    t = torch.tensor(problem.y, dtype=torch.float64)
    bce = torch.nn.BCEWithLogitsLoss()

    def loss(p):
        a, at, weights = X, 0, 0.0
        for n, (inputs, units) in enumerate(zip(problem.sizes[:-1], problem.sizes[1:])):
            weight = p[at: at + units * inputs].reshape(units, inputs)
            at += units * inputs
            a = a @ weight.T + p[at: at + units]
            at += units
            weights = weights + (weight**2).sum()
            if n < len(problem.layers):
                a = torch.tanh(a)
        return bce(a[:, 0], t) + problem.l2 * weights

    return problem, loss


OBJECTIVES = {
    "rosenbrock": lambda: (problems.Rosenbrock(), torch_rosenbrock),
    "quadratic": quadratic_pair,
    "expression": expression_pair,
    "linear": linear_pair,
    "logistic": logistic_pair,
    "mlp": mlp_pair,
    "network": network_pair,
}

# (gdviz factory, torch factory, learning rate by objective)
OPTIMIZERS = {
    "gd": (lambda lr: optim.gd(learning_rate=lr),
           lambda ps, lr: torch.optim.SGD(ps, lr=lr)),
    "sgd-weight-decay": (lambda lr: optim.sgd(learning_rate=lr, weight_decay=0.1),
                         lambda ps, lr: torch.optim.SGD(ps, lr=lr, weight_decay=0.1)),
    "momentum": (lambda lr: optim.momentum(learning_rate=lr),
                 lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9)),
    "momentum-dampened": (lambda lr: optim.momentum(learning_rate=lr, momentum=0.8,
                                                    dampening=0.3, weight_decay=0.01),
                          lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.8, dampening=0.3,
                                                         weight_decay=0.01)),
    "nesterov": (lambda lr: optim.nesterov(learning_rate=lr),
                 lambda ps, lr: torch.optim.SGD(ps, lr=lr, momentum=0.9, nesterov=True)),
    "adagrad": (lambda lr: optim.adagrad(learning_rate=lr * 20),
                lambda ps, lr: torch.optim.Adagrad(ps, lr=lr * 20)),
    "adagrad-decay": (lambda lr: optim.adagrad(learning_rate=lr * 20, lr_decay=0.01,
                                               weight_decay=0.01, initial_accumulator_value=0.1),
                      lambda ps, lr: torch.optim.Adagrad(ps, lr=lr * 20, lr_decay=0.01,
                                                         weight_decay=0.01,
                                                         initial_accumulator_value=0.1)),
    "rmsprop": (lambda lr: optim.rmsprop(learning_rate=lr),
                lambda ps, lr: torch.optim.RMSprop(ps, lr=lr)),
    "rmsprop-centered-momentum": (
        lambda lr: optim.rmsprop(learning_rate=lr / 2, momentum=0.5, centered=True,
                                 weight_decay=0.01),
        lambda ps, lr: torch.optim.RMSprop(ps, lr=lr / 2, momentum=0.5, centered=True,
                                           weight_decay=0.01)),
    "adam": (lambda lr: optim.adam(learning_rate=lr),
             lambda ps, lr: torch.optim.Adam(ps, lr=lr)),
    "adam-amsgrad": (lambda lr: optim.adam(learning_rate=lr, betas=(0.8, 0.99), amsgrad=True,
                                           weight_decay=0.05),
                     lambda ps, lr: torch.optim.Adam(ps, lr=lr, betas=(0.8, 0.99), amsgrad=True,
                                                     weight_decay=0.05)),
    "adamw": (lambda lr: optim.adamw(learning_rate=lr),
              lambda ps, lr: torch.optim.AdamW(ps, lr=lr)),
}

# A learning rate per objective that keeps plain GD stable there; the adaptive
# optimizers take their own scale below.
GD_RATE = {"rosenbrock": 4e-4, "quadratic": 0.05, "expression": 0.02, "linear": 0.05,
           "logistic": 0.5, "mlp": 0.1, "network": 0.5}
# Rates where the trajectories are not chaotic: measured here, RMSprop on the
# MLP at 0.01 doubles a one-ulp difference every ~5 steps even when torch is fed
# gdviz's own gradients, so no two implementations can agree there.
ADAPTIVE_RATE = {"rosenbrock": 0.02, "quadratic": 0.05, "expression": 0.02, "linear": 0.5,
                 "logistic": 0.05, "mlp": 0.002, "network": 0.01}
ADAPTIVE = ("adagrad", "rmsprop", "adam")


def torch_trajectory(loss_fn, make_optimizer, x0, steps, scheduler=None):
    p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer([p])
    sched = scheduler(optimizer) if scheduler else None
    path = [p.detach().numpy().copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(p).backward()
        optimizer.step()
        if sched is not None:
            sched.step()
        path.append(p.detach().numpy().copy())
    return np.array(path)


def assert_same_path(ours, theirs):
    assert ours.shape == theirs.shape
    scale = np.maximum(np.abs(theirs), 1.0)
    error = np.max(np.abs(ours - theirs) / scale)
    assert error < 1e-9, f"largest difference {error:.2e}"


@pytest.mark.parametrize("objective", sorted(OBJECTIVES))
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_trajectory_equals_torch(name, objective):
    problem, loss_fn = OBJECTIVES[objective]()
    ours_factory, torch_factory = OPTIMIZERS[name]
    rate = ADAPTIVE_RATE[objective] if name.startswith(ADAPTIVE) else GD_RATE[objective]
    # Full batch throughout (sgd would otherwise sample one point per step).
    trace = gdviz.run(problem, ours_factory(rate), stop=stop.MaxIter(STEPS),
                      batch_size=getattr(problem, "n_samples", None))
    theirs = torch_trajectory(loss_fn, lambda ps: torch_factory(ps, rate), problem.x0, STEPS)
    assert trace.iterations == STEPS
    assert_same_path(trace.params, theirs)


SCHEDULES = {
    "step": (lambda lr: optim.schedules.StepDecay(lr, step_size=30, gamma=0.5),
             lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=30, gamma=0.5)),
    "exponential": (lambda lr: optim.schedules.Exponential(lr, gamma=0.98),
                    lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.98)),
    "cosine": (lambda lr: optim.schedules.Cosine(lr, total_steps=100, min_lr=1e-4),
               lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=100, eta_min=1e-4)),
    "warmup": (lambda lr: optim.schedules.LinearWarmup(lr, warmup_steps=40, start_factor=0.1),
               lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.1, end_factor=1.0,
                                                           total_iters=40)),
}


@pytest.mark.parametrize("schedule", sorted(SCHEDULES))
def test_schedule_equals_torch_scheduler(schedule):
    ours, theirs = SCHEDULES[schedule]
    rates = ours(0.1)
    p = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=0.1)
    scheduler = theirs(optimizer)
    for step in range(250):
        assert rates(step) == pytest.approx(optimizer.param_groups[0]["lr"], rel=1e-9, abs=1e-15)
        optimizer.step()
        scheduler.step()


@pytest.mark.parametrize("schedule", sorted(SCHEDULES))
@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_scheduled_optimizer_equals_torch(name, schedule):
    problem, loss_fn = OBJECTIVES["expression"]()
    ours_schedule, torch_scheduler = SCHEDULES[schedule]
    ours_factory, torch_factory = OPTIMIZERS[name]
    rate = 0.02
    trace = gdviz.run(problem, ours_factory(ours_schedule(rate)), stop=stop.MaxIter(STEPS))
    theirs = torch_trajectory(loss_fn, lambda ps: torch_factory(ps, rate), problem.x0, STEPS,
                              scheduler=torch_scheduler)
    assert_same_path(trace.params, theirs)


def test_minibatch_sgd_equals_torch_on_the_same_batches():
    problem, _ = OBJECTIVES["linear"]()
    trace = gdviz.run(problem, optim.momentum(learning_rate=0.02), stop=stop.MaxIter(STEPS),
                      batch_size=16, seed=7)
    X = torch.tensor(problem.x, dtype=torch.float64)
    y = torch.tensor(problem.y, dtype=torch.float64)
    p = torch.tensor(problem.x0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=0.02, momentum=0.9)
    path = [p.detach().numpy().copy()]
    for rows in trace.batch_indices[:-1]:
        rows = torch.tensor(rows[rows >= 0])
        optimizer.zero_grad()
        torch.mean((p[0] + p[1] * X[rows] - y[rows]) ** 2).backward()
        optimizer.step()
        path.append(p.detach().numpy().copy())
    assert_same_path(trace.params, np.array(path))
