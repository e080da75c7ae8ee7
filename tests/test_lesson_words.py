"""The sentence each picture exists for (``words.lesson``), checked against what the run
did: stability limits found by running, units read from their own activations, and
separability decided by a linear program."""
import numpy as np
import pytest

import gdviz
from gdviz import optim, problems, stop
from gdviz.scene import Scene
from gdviz.words.ending import summary_lines
from gdviz.words.lesson import lesson_words, momentum_limit


def _converges(optimizer, problem, steps=600) -> bool:
    trace = gdviz.run(problem, optimizer, stop=stop.MaxIter(steps) | stop.Divergence())
    return trace.stop_reason == "max_iter" and trace.loss[-1] < 1e-6 * trace.loss[0]


@pytest.mark.parametrize("name", ["momentum", "nesterov"])
def test_the_momentum_limit_said_is_where_runs_stop_converging(name):
    """The limit the lesson gives, 2(1+μ)/L for heavy ball and 2(1+μ)/((1+2μ)L) for
    Nesterov, is where a run on the bowl turns from converging to diverging."""
    q = problems.Quadratic(condition=10, angle=30)
    top = np.linalg.eigvalsh(q.hessian())[-1]
    limit = 2 * 1.9 / top if name == "momentum" else 2 * 1.9 / (2.8 * top)
    make = getattr(optim, name)
    assert _converges(make(learning_rate=0.97 * limit, momentum=0.9), q)
    assert not _converges(make(learning_rate=1.03 * limit, momentum=0.9), q)
    rate = 0.5 * (2 / top + limit) if limit > 2 / top else None
    trace = gdviz.run(q, make(learning_rate=rate or 0.9 * limit, momentum=0.9),
                      stop=stop.MaxIter(300) | stop.Divergence())
    assert momentum_limit(trace) == pytest.approx(limit)
    if rate is not None:  # between GD's 2/L and its own limit: said as converging anyway
        assert f"yet below {name}'s limit {limit:.3g}" in lesson_words(trace)
    # The oscillation note never advises momentum to a momentum run.
    assert "or momentum" not in "\n".join(summary_lines(trace))


def test_a_dead_relu_unit_is_named_and_its_input_is_below_zero_everywhere():
    scene = Scene(problem="mlp", data="circles", hidden=(4,), activation="relu",
                  optimizer="sgd", lr=0.1, batch_size=10, noise=0.1, test_fraction=0.3,
                  max_iter=800)
    trace = scene.run()
    problem = trace.problem
    w = trace.params[-1][:8].reshape(4, 2)
    b = trace.params[-1][8:12]
    z = problem.X @ w.T + b  # each hidden unit's input at every training point
    dead = [unit for unit in range(4) if np.all(z[:, unit] <= 0)]
    assert dead, "this scene is chosen for its dead unit"
    words = lesson_words(trace)
    assert f"unit {dead[0] + 1} of layer 1 outputs 0 on every point" in words
    # It got no gradient: its weights and bias are those it started with.
    np.testing.assert_array_equal(trace.params[0][:8].reshape(4, 2)[dead[0]], w[dead[0]])
    anim = gdviz.animate(trace, layout=["loss"], frames=6)
    assert f"dead units {len(dead)} of 4" in anim.status.lines(trace.iterations)[1]


def test_saturated_units_at_the_end_are_counted_from_their_activations():
    trace = Scene(problem="mlp", data="circles", hidden=(8,), activation="tanh",
                  optimizer="gd", lr=10.0, max_iter=400).run()
    problem = trace.problem
    w = trace.params[-1][:16].reshape(8, 2)
    b = trace.params[-1][16:24]
    a = np.tanh(problem.X @ w.T + b)
    saturated = int(np.sum(np.mean(np.abs(a) >= 0.99, axis=0) >= 0.9))
    assert saturated > 0
    assert lesson_words(trace).startswith(f"{saturated} of 8 units ended saturated")


def test_overfitting_is_said_where_the_test_loss_turned_up():
    trace = Scene(problem="mlp", data="circles", hidden=(4,), activation="relu",
                  optimizer="sgd", lr=0.5, batch_size=10, noise=0.1, test_fraction=0.3,
                  max_iter=800).run()
    held = trace.problem.test_losses(trace.params)
    turn = int(np.argmin(held))
    assert held[-1] > 1.05 * held[turn] and trace.loss[-1] < trace.loss[turn]
    assert lesson_words(trace).startswith(
        f"overfitting: the test loss turned up at iteration {turn} ")


@pytest.mark.parametrize("data, separable", [("moons", False), ("blobs", None)])
def test_no_line_separates_is_said_exactly_when_no_line_does(data, separable):
    """Separability decided independently: a line with y·(w·x + b) ≥ 1 at every point
    exists exactly when this linear program is feasible."""
    linprog = pytest.importorskip("scipy.optimize", reason="scipy (the reference LP) is "
                                  "not installed: pip install -e '.[test]'").linprog
    trace = Scene(problem="logistic", data=data, optimizer="gd", lr=0.5, max_iter=400).run()
    problem = trace.problem
    signs = np.where(problem.labels >= 0.5, 1.0, -1.0)
    rows = -signs[:, None] * np.column_stack([problem.X, np.ones(len(signs))])
    feasible = linprog(np.zeros(rows.shape[1]), A_ub=rows, b_ub=-np.ones(len(signs)),
                       bounds=[(None, None)] * rows.shape[1]).status == 0
    if separable is not None:
        assert feasible == separable
    wrong = int(np.sum((problem.predict(trace.final_params) >= 0.5) != (problem.labels >= 0.5)))
    words = lesson_words(trace) or ""
    assert ("no line separates these classes" in words) == (not feasible and wrong > 0)
    if not feasible and wrong:
        assert f": {wrong} point" in words
