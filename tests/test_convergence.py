"""Every optimizer reaches the minimum of Quadratic and Rosenbrock; GD's stability
limit 2/L holds on every convex quadratic."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdviz import optim, problems, run, stop
from gdviz.optim import OPTIMIZERS

# Settings a teacher would pick for each optimizer on each surface.
SETTINGS = {
    "quadratic": {
        "gd": dict(learning_rate=0.15), "sgd": dict(learning_rate=0.15),
        "momentum": dict(learning_rate=0.05), "nesterov": dict(learning_rate=0.05),
        "adagrad": dict(learning_rate=1.0), "rmsprop": dict(learning_rate=0.02),
        "adam": dict(learning_rate=0.1), "adamw": dict(learning_rate=0.1, weight_decay=0.0),
    },
    "rosenbrock": {
        "gd": dict(learning_rate=1e-3), "sgd": dict(learning_rate=1e-3),
        "momentum": dict(learning_rate=2e-4), "nesterov": dict(learning_rate=2e-4),
        "adagrad": dict(learning_rate=0.5), "rmsprop": dict(learning_rate=1e-3),
        "adam": dict(learning_rate=0.02), "adamw": dict(learning_rate=0.02, weight_decay=0.0),
    },
}
ITERATIONS = {"quadratic": 3000, "rosenbrock": 30000}


@pytest.mark.parametrize("surface", sorted(SETTINGS))
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_converges(name, surface):
    problem = problems.Quadratic(condition=10) if surface == "quadratic" else problems.Rosenbrock()
    optimizer = OPTIMIZERS[name][0](**SETTINGS[surface][name])
    trace = run(problem, optimizer, stop=stop.MaxIter(ITERATIONS[surface]) | stop.GradNorm(1e-6))
    assert trace.stop_reason in ("grad_norm", "max_iter")
    distance = np.linalg.norm(trace.final_params - problem.minima[0])
    assert distance < 2e-2, f"{name} ended {distance:.3g} from the minimum"
    assert trace.final_loss < 1e-3


@settings(max_examples=60, deadline=None)
@given(condition=st.floats(1, 100), angle=st.floats(-90, 90),
       start=st.tuples(st.floats(-5, 5), st.floats(-5, 5)), fraction=st.floats(0.05, 0.95))
def test_gd_below_two_over_L_decreases_the_loss_every_step(condition, angle, start, fraction):
    problem = problems.Quadratic(condition=condition, angle=angle, x0=start)
    if problem.loss(problem.x0) < 1e-6:
        return
    rate = fraction * problem.max_stable_learning_rate
    trace = run(problem, optim.gd(learning_rate=rate), stop=stop.MaxIter(200))
    losses = trace.loss[trace.loss > 1e-20]  # below that, rounding is all there is
    assert np.all(np.diff(losses) <= 1e-12 * losses[:-1])


@settings(max_examples=60, deadline=None)
@given(condition=st.floats(1, 100), angle=st.floats(-90, 90), factor=st.floats(1.05, 3.0))
def test_gd_above_two_over_L_diverges(condition, angle, factor):
    problem = problems.Quadratic(condition=condition, angle=angle, x0=(3.0, -2.0))
    rate = factor * problem.max_stable_learning_rate
    trace = run(problem, optim.gd(learning_rate=rate),
                stop=stop.MaxIter(5000) | stop.Divergence(1e6))
    assert trace.stop_reason in ("diverged", "non_finite")
