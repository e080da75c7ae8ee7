"""Data beyond memory: the Dask path gives the in-memory path's runs, on a real
distributed.LocalCluster with two workers and a frame split into eight partitions."""
import numpy as np
import pytest

from skip_reasons import DASK

dd = pytest.importorskip("dask.dataframe", reason=DASK)
distributed = pytest.importorskip("distributed", reason=DASK)

import pandas as pd  # noqa: E402

import gdviz  # noqa: E402
from gdviz import optim, problems, stop  # noqa: E402

ROWS = 24_000


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            yield client


@pytest.fixture(scope="module")
def frames():
    rng = np.random.default_rng(5)
    t, u = rng.uniform(-2, 2, ROWS), rng.uniform(-2, 2, ROWS)
    frame = pd.DataFrame({"t": t, "u": u, "h": 1 + 2 * t - 0.5 * t**2 + rng.normal(0, .3, ROWS),
                          "label": ((t + u + rng.normal(0, .5, ROWS)) > 0).astype(float)})
    spread = dd.from_pandas(frame, npartitions=8)
    assert spread.npartitions == 8
    return frame, spread


CASES = [
    (problems.LinearRegression, dict(x=["t", "u"], y="h"), optim.gd(learning_rate=0.1)),
    (problems.PolynomialRegression, dict(x="t", y="h", degree=3, standardize=True),
     optim.momentum(learning_rate=0.05)),
    (problems.LogisticRegression, dict(x=["t", "u"], y="label"), optim.adam(learning_rate=0.1)),
    (problems.MLP, dict(x="t", y="h", hidden=4, seed=2), optim.adam(learning_rate=0.03)),
]


@pytest.mark.parametrize("cls, columns, optimizer", CASES, ids=[c[0].__name__ for c in CASES])
def test_the_dask_path_gives_the_in_memory_run(client, frames, cls, columns, optimizer):
    frame, spread = frames
    on_dask = cls.from_frame(spread, **columns)
    in_memory = cls.from_frame(frame, **columns)
    rule = stop.MaxIter(25)
    a, b = gdviz.run(on_dask, optimizer, stop=rule), gdviz.run(in_memory, optimizer, stop=rule)
    np.testing.assert_allclose(a.params, b.params, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-9)
    assert on_dask.n_samples == ROWS and on_dask.shown_of == (5000, ROWS)
    if cls is not problems.LinearRegression and cls is not problems.PolynomialRegression:
        assert len(client.who_has()) >= 8  # the partitions' problems live on the workers


def test_the_pictures_say_how_many_points_they_show(client, frames):
    _, spread = frames
    problem = problems.LinearRegression.from_frame(spread, x="t", y="h")
    trace = gdviz.run(problem, optim.gd(learning_rate=0.1), stop=stop.MaxIter(5))
    fit = gdviz.animate(trace, layout=["fit"], frames=3).views[0]
    labels = [c.get_label() for c in fit.line.axes.collections]
    assert f"data (5,000 of {ROWS:,} points shown)" in labels
    assert len(problem.x) == 5000 and set(problem.x) <= set(spread["t"].compute())


def test_bad_requests_on_dask_answer_in_words(client, frames):
    _, spread = frames
    with pytest.raises(ValueError, match="no column 'hh'; did you mean 'h'"):
        problems.LinearRegression.from_frame(spread, x="t", y="hh")
    with pytest.raises(ValueError, match="frame.dropna"):
        problems.LinearRegression.from_frame(spread, x="t", y="h", dropna=True)


def test_the_command_line_runs_on_a_scheduler(client, frames, tmp_path):
    from click.testing import CliRunner

    from gdviz.cli import cli

    pytest.importorskip("pyarrow", reason=DASK)
    frame, _ = frames
    folder = tmp_path / "parts"
    dd.from_pandas(frame, npartitions=8).to_parquet(folder)
    result = CliRunner().invoke(cli, [
        "run", "--parquet", str(folder), "--engine", "dask", "--scheduler",
        client.scheduler.address, "--x", "t", "--x", "u", "--y", "label", "--model", "logistic",
        "--optimizer", "adam", "--lr", "0.1", "--max-iter", "20", "--no-show",
        "--save", str(tmp_path / "run.json")], prog_name="gdviz")
    assert result.exit_code == 0, result.output
    assert f"data:        {ROWS:,} rows (5,000 drawn)" in result.output
    trace = gdviz.Trace.load(tmp_path / "run.json")
    expected = gdviz.run(problems.LogisticRegression.from_frame(frame, x=["t", "u"], y="label"),
                         optim.adam(learning_rate=0.1), stop=stop.MaxIter(20))
    np.testing.assert_allclose(trace.params, expected.params, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("cls, columns", [(c[0], c[1]) for c in CASES],
                         ids=[c[0].__name__ for c in CASES])
def test_mini_batches_on_dask_are_seeded_rows_of_one_partition(client, frames, cls, columns):
    frame, spread = frames
    on_dask = cls.from_frame(spread, **columns)
    in_memory = cls.from_frame(frame, **columns)
    batches = on_dask.minibatches(32, seed=4)
    again = on_dask.minibatches(32, seed=4)
    edges = np.cumsum([0] + [len(p) for p in spread.partitions])  # partition boundaries
    params = in_memory.x0 + 0.1
    for _ in range(3):
        rows = next(batches)
        np.testing.assert_array_equal(rows, next(again))
        assert len(rows) == 32 == len(set(rows.tolist()))
        assert len(set(np.searchsorted(edges, rows, side="right"))) == 1  # one partition
        # Its gradient, computed on the worker, is the in-memory gradient of those rows.
        np.testing.assert_allclose(on_dask.batch_grad(params, rows),
                                   in_memory.batch_grad(params, rows), rtol=1e-10, atol=1e-12)


def test_sgd_on_dask_runs_and_draws(client, frames):
    _, spread = frames
    problem = problems.LinearRegression.from_frame(spread, x="t", y="h")
    trace = gdviz.run(problem, optim.sgd(learning_rate=0.05), stop=stop.MaxIter(40),
                      batch_size=64, seed=1)
    assert trace.stochastic and trace.iterations == 40
    assert trace.final_loss < 0.2 * trace.loss[0]
    again = gdviz.run(problem, optim.sgd(learning_rate=0.05), stop=stop.MaxIter(40),
                      batch_size=64, seed=1)
    np.testing.assert_array_equal(trace.params, again.params)
    gdviz.animate(trace, layout="classic", frames=4).draw_iteration(20)
