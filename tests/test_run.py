"""The run loop: steps, mini-batches, recorded optimizer state, trace files."""
import numpy as np
import pytest

import gdviz
from gdviz import Trace, optim, problems, run, stop
from gdviz.run import minibatches


def test_descend_yields_what_run_records():
    problem = problems.Rosenbrock()
    steps = list(gdviz.descend(problem, optim.adam(learning_rate=0.05), stop=stop.MaxIter(20)))
    trace = run(problem, optim.adam(learning_rate=0.05), stop=stop.MaxIter(20))
    np.testing.assert_array_equal(np.array([s.params for s in steps]), trace.params)
    assert [s.stop for s in steps[:-1]] == [None] * 20
    assert steps[-1].stop.reason == "max_iter"


def test_optimizer_state_is_recorded_before_each_update():
    problem = problems.Quadratic()
    trace = run(problem, optim.momentum(learning_rate=0.05), stop=stop.MaxIter(30))
    velocity = trace.state["velocity"]
    assert velocity.shape == (31, 2)
    np.testing.assert_array_equal(velocity[0], 0)
    np.testing.assert_allclose(velocity[1], trace.grads[0])  # torch's first step copies g
    for t in range(1, 30):
        np.testing.assert_allclose(velocity[t + 1], 0.9 * velocity[t] + trace.grads[t])
        np.testing.assert_allclose(trace.params[t + 1], trace.params[t] - 0.05 * velocity[t + 1])
    adam = run(problem, optim.adam(learning_rate=0.1), stop=stop.MaxIter(5))
    assert {"first_moment", "second_moment", "step"} <= set(adam.state)


def test_minibatches_cover_every_row_once_per_epoch_and_repeat_with_the_seed():
    batches = minibatches(10, 4, seed=3)
    epoch = [next(batches) for _ in range(3)]
    assert [len(b) for b in epoch] == [4, 4, 2]
    assert sorted(np.concatenate(epoch).tolist()) == list(range(10))
    again = minibatches(10, 4, seed=3)
    assert all(np.array_equal(a, next(again)) for a in epoch)
    next_epoch = np.concatenate([next(batches) for _ in range(3)])
    assert sorted(next_epoch.tolist()) == list(range(10))
    assert not np.array_equal(next_epoch, np.concatenate(epoch))


def test_stochastic_run_records_batches_and_their_gradients():
    problem = problems.LinearRegression.example()
    trace = run(problem, optim.sgd(learning_rate=0.01), stop=stop.MaxIter(50), seed=4)
    assert trace.stochastic
    assert trace.batch_indices.shape == (51, 1)
    assert np.all(trace.batch_indices[-1] == -1) and np.all(np.isnan(trace.batch_grads[-1]))
    for t in (0, 10, 49):
        rows = trace.batch_indices[t]
        np.testing.assert_allclose(trace.batch_grads[t], problem.batch_grad(trace.params[t], rows))
        np.testing.assert_allclose(trace.params[t + 1],
                                   trace.params[t] - 0.01 * trace.batch_grads[t])
    # full-batch loss and gradient are still recorded at every point
    np.testing.assert_allclose(trace.grads[10], problem.grad(trace.params[10]))
    same = run(problem, optim.sgd(learning_rate=0.01), stop=stop.MaxIter(50), seed=4)
    np.testing.assert_array_equal(same.params, trace.params)
    other = run(problem, optim.sgd(learning_rate=0.01), stop=stop.MaxIter(50), seed=5)
    assert not np.array_equal(other.params, trace.params)


def test_minibatch_gradient_of_the_whole_data_is_the_full_gradient():
    for problem in (problems.LinearRegression.example(), problems.LogisticRegression.example(),
                    problems.MLP.example(hidden=3), problems.PolynomialRegression.example()):
        params = problem.x0 + 0.1
        everything = np.arange(problem.n_samples)
        np.testing.assert_allclose(problem.batch_grad(params, everything), problem.grad(params),
                                   rtol=1e-10, atol=1e-12)


def test_sgd_on_a_plain_function_uses_the_whole_function():
    trace = run(problems.Rosenbrock(), optim.sgd(learning_rate=1e-3), stop=stop.MaxIter(10))
    assert not trace.stochastic
    with pytest.raises(ValueError, match="no data points"):
        run(problems.Rosenbrock(), optim.gd(learning_rate=1e-3), batch_size=4)


@pytest.mark.parametrize("suffix", [".json", ".npz"])
def test_trace_round_trips(tmp_path, suffix):
    trace = run(problems.LinearRegression.example(), optim.adam(learning_rate=0.5),
                stop=stop.MaxIter(40), batch_size=8, seed=1)
    path = trace.save(tmp_path / f"run{suffix}")
    loaded = Trace.load(path)
    for field in ("params", "loss", "grads", "batch_indices", "batch_grads"):
        np.testing.assert_array_equal(getattr(loaded, field), getattr(trace, field))
    assert loaded.state.keys() == trace.state.keys()
    for key in trace.state:
        np.testing.assert_array_equal(loaded.state[key], trace.state[key])
    assert (loaded.stop_reason, loaded.stop_detail, loaded.param_names, loaded.settings) == (
        trace.stop_reason, trace.stop_detail, trace.param_names, trace.settings)


def test_trace_exports_as_csv(tmp_path):
    trace = run(problems.Rosenbrock(), optim.momentum(learning_rate=1e-3), stop=stop.MaxIter(9))
    path = trace.save(tmp_path / "run.csv")
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    assert header[:6] == ["iteration", "loss", "x", "y", "grad_x", "grad_y"]
    assert "velocity_x" in header and len(lines) == 11
    table = np.genfromtxt(path, delimiter=",", skip_header=1)
    np.testing.assert_array_equal(table[:, 1], trace.loss)
    np.testing.assert_array_equal(table[:, 2:4], trace.params)
    with pytest.raises(ValueError, match="make an animation first"):
        trace.save(tmp_path / "run.gif")
