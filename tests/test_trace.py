from typing import NamedTuple

import numpy as np
import pytest

from gdviz import Trace, optim, problems, run, stop
from gdviz.trace import stack_states


def seed_trace(**kw):
    return run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
               stop=stop.LossImprovement(0.01), **kw)


def test_trace_shapes_and_consistency():
    trace = seed_trace()
    problem = trace.problem
    assert trace.params.shape == (trace.iterations + 1, 2)
    assert trace.loss.shape == (trace.iterations + 1,)
    assert trace.grads.shape == trace.params.shape
    for i in (0, 1, 500, trace.iterations):
        assert trace.loss[i] == pytest.approx(problem.loss(trace.params[i]), rel=1e-14)
        np.testing.assert_allclose(trace.grads[i], problem.grad(trace.params[i]))
    # each row is the previous one minus lr * gradient
    np.testing.assert_allclose(trace.params[1:], trace.params[:-1] - 0.005 * trace.grads[:-1])
    assert trace.settings["optimizer"] == "gd(learning_rate=0.005)"
    assert trace.settings["seed"] == 0


def test_json_round_trip(tmp_path):
    trace = seed_trace()
    path = tmp_path / "run.json"
    path.write_text(trace.to_json())
    loaded = Trace.load(path)
    np.testing.assert_array_equal(loaded.params, trace.params)
    np.testing.assert_array_equal(loaded.loss, trace.loss)
    np.testing.assert_array_equal(loaded.grads, trace.grads)
    assert loaded.stop_reason == trace.stop_reason
    assert loaded.stop_detail == trace.stop_detail
    assert loaded.param_names == trace.param_names
    assert loaded.settings == trace.settings


def test_non_finite_values_round_trip(tmp_path):
    trace = run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=1e300),
                stop=stop.MaxIter(10))
    assert not np.isfinite(trace.loss[-1])
    path = tmp_path / "run.json"
    path.write_text(trace.to_json())
    np.testing.assert_array_equal(Trace.load(path).loss, trace.loss)


def test_loading_something_else_is_a_clear_error(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(ValueError, match="not a gdviz trace"):
        Trace.load(path)
    path.write_text("{not json")
    with pytest.raises(ValueError, match="cannot read a trace"):
        Trace.load(path)


class Inner(NamedTuple):
    velocity: np.ndarray


class Outer(NamedTuple):
    count: float
    inner: Inner


def test_stack_states_names_each_array():
    states = [(Outer(float(k), Inner(np.array([k, -k]))), optim.EmptyState()) for k in range(3)]
    stacked = stack_states(states)
    assert set(stacked) == {"count", "inner.velocity"}
    np.testing.assert_array_equal(stacked["inner.velocity"], [[0, 0], [1, -1], [2, -2]])
    np.testing.assert_array_equal(stacked["count"], [0, 1, 2])
    assert stack_states([optim.EmptyState()] * 4) == {}


def test_load_names_the_formats_it_reads(tmp_path):
    from gdviz import Trace

    table = tmp_path / "run.csv"
    table.write_text("iteration,loss\n0,1\n")
    with pytest.raises(ValueError, match=r"reads \.json and \.npz only; \.csv is a table"):
        Trace.load(table)


def test_a_networks_csv_has_as_many_columns_in_its_header_as_in_its_rows(tmp_path):
    """A network's parameter names hold commas ("layer1.w[0,0]"): quoted, a spreadsheet
    (here pandas' reader) reads one column per number, under its own name."""
    import pandas as pd

    import gdviz
    from gdviz import problems, stop

    trace = gdviz.run(problems.MLP.example(hidden=3), optim.adam(learning_rate=0.01),
                      stop=stop.MaxIter(5))
    path = trace.save(tmp_path / "run.csv")
    table = pd.read_csv(path)
    assert table.shape == (6, len(path.read_text().splitlines()[1].split(",")))
    k = trace.param_names.index("layer1.w[0,0]")
    np.testing.assert_array_equal(table["layer1.w[0,0]"], trace.params[:, k])
