"""Reading the user's CSV: every fault named with the file, column and line."""
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from gdviz.cli import cli
from gdviz.data import load_csv


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_reads_named_columns_in_any_order(tmp_path):
    path = write(tmp_path, "a,score,hours\n1,52,3\n2,61,4.5\n\n3,70,6\n")
    x, y = load_csv(path, ["hours"], "score")
    np.testing.assert_array_equal(x, [3, 4.5, 6])
    np.testing.assert_array_equal(y, [52, 61, 70])
    X, y = load_csv(path, ["hours", "a"], "score")
    assert X.shape == (3, 2)


FAULTS = [
    ("hours,score\n1,2\n", ["hours"], "score", "at least 2 data rows"),
    ("", ["hours"], "score", "empty"),
    ("hours,score\n1,2\n3,4\n", ["hour"], "score", "no column 'hour'; did you mean 'hours'"),
    ("hours,score\n1,2\n3,4\n", ["hours"], "grade", "no column 'grade'"),
    ("hours,score\n1,2\n3,abc\n", ["hours"], "score", "line 3, column 'score': 'abc' is not a number"),
    ("hours,score\n1,2\n,4\n", ["hours"], "score", "line 3, column 'hours': an empty cell"),
    ("hours,score\n1,nan\n3,4\n", ["hours"], "score", "line 2, column 'score': nan is not a finite"),
    ("hours,score\n1,2\ninf,4\n", ["hours"], "score", "line 3, column 'hours': inf is not a finite"),
    ("hours,score\n1,2\n3\n", ["hours"], "score", "line 3: no value in column 'score'"),
]


@pytest.mark.parametrize("text,xs,y,message", FAULTS)
def test_faults_name_the_file_column_and_line(tmp_path, text, xs, y, message):
    path = write(tmp_path, text)
    with pytest.raises(ValueError, match=message) as error:
        load_csv(path, xs, y)
    assert str(path) in str(error.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        load_csv(tmp_path / "nope.csv", ["x"], "y")
    with pytest.raises(ValueError, match="folder"):
        load_csv(tmp_path, ["x"], "y")


def invoke(*args):
    return CliRunner().invoke(cli, list(args), prog_name="gdviz")


@pytest.mark.parametrize("text,xs,y,message", FAULTS)
def test_cli_csv_faults_exit_2_with_one_line(tmp_path, text, xs, y, message):
    path = write(tmp_path, text)
    args = ["run", "--csv", str(path), "--y", y, "--no-show"]
    for column in xs:
        args += ["--x", column]
    result = invoke(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0], lines
    assert "Traceback" not in result.output


def test_cli_fits_a_csv(tmp_path):
    rows = "\n".join(f"{x},{3 + 2 * x + (-1) ** x * 0.1}" for x in range(20))
    path = write(tmp_path, "x,y\n" + rows + "\n")
    result = invoke("run", "--csv", str(path), "--x", "x", "--y", "y", "--optimizer", "gd",
                    "--lr", "0.005", "--max-iter", "20000", "--grad-tol", "1e-9", "--no-show",
                    "--save", str(tmp_path / "fit.json"))
    assert result.exit_code == 0, result.output
    from gdviz import Trace

    trace = Trace.load(tmp_path / "fit.json")
    np.testing.assert_allclose(trace.final_params, [3, 2], atol=0.05)


def test_cli_csv_logistic_needs_two_columns_and_labels(tmp_path):
    path = write(tmp_path, "a,b,label\n0,0,0\n1,1,1\n2,0,1\n0,2,0\n")
    ok = invoke("run", "--csv", str(path), "--x", "a", "--x", "b", "--y", "label",
                "--model", "logistic", "--lr", "0.5", "--no-show")
    assert ok.exit_code == 0, ok.output
    bad = invoke("run", "--csv", str(path), "--x", "a", "--y", "label", "--model", "logistic",
                 "--no-show")
    assert bad.exit_code == 2 and "2-D points" in bad.stderr
    labels = write(tmp_path, "a,b,label\n0,0,0\n1,1,2\n", name="labels.csv")
    bad = invoke("run", "--csv", str(labels), "--x", "a", "--x", "b", "--y", "label",
                 "--model", "logistic", "--no-show")
    assert bad.exit_code == 2 and "0 or 1" in bad.stderr


# -- the README's CSV example: standardized data, in the user's units ---------------------------
EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "data" / "study-hours.csv"


def test_the_readme_csv_example_converges_with_default_settings(tmp_path):
    result = invoke("run", "--csv", str(EXAMPLE), "--x", "hours", "--y", "score", "--model",
                    "linear", "--standardize", "--no-show", "--save", str(tmp_path / "fit.json"))
    assert result.exit_code == 0, result.output
    from gdviz import Trace

    hours, score = load_csv(EXAMPLE, ["hours"], "score")
    slope, intercept = np.polyfit(hours, score, 1)  # the fit in the data's own units
    z = (hours - hours.mean()) / hours.std()
    b1, b0 = np.polyfit(z, score, 1)  # the same fit on standardized hours
    trace = Trace.load(tmp_path / "fit.json")
    np.testing.assert_allclose(trace.final_params, [b0, b1], rtol=1e-9)
    assert trace.stop_reason == "converged" and trace.iterations < 100
    assert f"in your units: score = {intercept:.6g} + {slope:.6g}·hours" in result.stdout
    assert "learning rate: 0.25, none given" in result.stdout


def test_a_csv_fit_is_drawn_in_the_users_units_with_the_column_names():
    import gdviz
    from gdviz import optim, problems, stop

    hours, score = load_csv(EXAMPLE, ["hours"], "score")
    problem = problems.LinearRegression(hours, score, standardize=True)
    problem.name_columns(["hours"], "score")
    trace = gdviz.run(problem, optim.gd(learning_rate=0.1), stop=stop.MaxIter(40))
    anim = gdviz.animate(trace, layout=["fit", "contour"], frames=10)
    fit, contour = anim.views
    assert (fit.line.axes.get_xlabel(), fit.line.axes.get_ylabel()) == ("hours", "score")
    assert contour.path.axes.get_ylabel() == "b1 (slope per SD of hours)"
    k = int(anim.frame_iterations[4])
    anim.draw_iteration(k)
    c0, c1 = problem.raw_coefficients(trace.params[k])
    # The green line is the model at iteration k, over raw hours.
    x_line, y_line = fit.line.get_data()
    assert x_line.min() == hours.min() and x_line.max() == hours.max()
    b0, b1 = trace.params[k]
    np.testing.assert_allclose(y_line, b0 + b1 * (x_line - hours.mean()) / hours.std())
    np.testing.assert_allclose(y_line, c0 + c1 * x_line)
    assert f"in your units: score = {c0:.4g} + {c1:.4g}·hours" in anim.status.text.get_text()


def test_raw_coefficients_undo_standardizing_for_polynomials():
    from gdviz import problems

    x = np.linspace(-2, 3, 40)
    y = 1 - 2 * x + 0.5 * x**2 + 0.1 * np.sin(7 * x)
    problem = problems.PolynomialRegression(x, y, degree=2, standardize=True)
    np.testing.assert_allclose(problem.raw_coefficients(problem.optimum),
                               np.polyfit(x, y, 2)[::-1], rtol=1e-9)
    params = np.array([0.3, -1.0, 2.0])
    np.testing.assert_allclose(np.polyval(problem.raw_coefficients(params)[::-1], x),
                               problem.predict(params, x))


# -- every way data arrives ---------------------------------------------------------------------
HOURS = [1.0, 2.0, 3.5, 4.0, 5.5]
SCORES = [52.0, 61.0, 70.0, 74.0, 80.0]


@pytest.mark.parametrize("name, text", [
    ("semicolons.csv", "hours;score\n" + "".join(f"{h};{s}\n" for h, s in zip(HOURS, SCORES))),
    ("tabs.tsv", "hours\tscore\n" + "".join(f"{h}\t{s}\n" for h, s in zip(HOURS, SCORES))),
    ("quoted.csv", '"hours","score","note"\n' + "".join(f'"{h}","{s}","a, b"\n'
                                                       for h, s in zip(HOURS, SCORES))),
    ("bom.csv", "\ufeffhours,score\n" + "".join(f"{h},{s}\n" for h, s in zip(HOURS, SCORES))),
    ("spaces.csv", "hours, score\n" + "".join(f"{h}, {s}\n" for h, s in zip(HOURS, SCORES))),
])
def test_reads_any_common_csv_dialect(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    x, y = load_csv(path, ["hours"], "score")
    np.testing.assert_array_equal(x, HOURS)
    np.testing.assert_array_equal(y, SCORES)


def test_reads_gzip_and_parquet(tmp_path):
    import gzip

    from gdviz.data import load

    text = "hours,score\n" + "".join(f"{h},{s}\n" for h, s in zip(HOURS, SCORES))
    with gzip.open(tmp_path / "d.csv.gz", "wt") as handle:
        handle.write(text)
    np.testing.assert_array_equal(load_csv(tmp_path / "d.csv.gz", ["hours"], "score")[1], SCORES)
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed: Parquet "
                             "was not checked (pip install -e '.[test]')")
    import pyarrow as pa

    pq.write_table(pa.table({"hours": HOURS, "score": SCORES, "name": list("abcde")}),
                   tmp_path / "d.parquet")
    got = load(tmp_path / "d.parquet", ["hours"], "score")
    np.testing.assert_array_equal(got.x, HOURS)
    with pytest.raises(ValueError, match="no column 'scor'; did you mean 'score'"):
        load(tmp_path / "d.parquet", ["hours"], "scor")
    with pytest.raises(ValueError, match="column 'name' holds text"):
        load(tmp_path / "d.parquet", ["name"], "score")
    pq.write_table(pa.table({"hours": [1.0, None, 3.0], "score": [1.0, 2.0, 3.0]}),
                   tmp_path / "gap.parquet")
    with pytest.raises(ValueError, match="row 2, column 'hours': missing"):
        load(tmp_path / "gap.parquet", ["hours"], "score")
    assert load(tmp_path / "gap.parquet", ["hours"], "score", dropna=True).dropped == [2]


def test_dropna_drops_and_counts_incomplete_lines(tmp_path):
    from gdviz.data import load

    path = write(tmp_path, "hours,score\n1,2\n,4\n\n3,nan\n5,6\n7,8\n")
    got = load(path, ["hours"], "score", dropna=True)
    np.testing.assert_array_equal(got.x, [1, 5, 7])
    assert got.dropped == [3, 5]  # the lines, counted from the header's 1 (a blank at 4)
    assert got.dropped_words() == "dropped 2 rows with a missing or non-finite value (lines 3, 5)"


def test_files_that_are_not_files_are_refused_before_reading(tmp_path):
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="is a pipe, not a file"):
        load_csv(fifo, ["x"], "y")  # would block forever if it were opened
    with pytest.raises(ValueError, match="is a device, not a file"):
        load_csv("/dev/zero", ["x"], "y")
    (tmp_path / "link.csv").symlink_to("/dev/zero")
    with pytest.raises(ValueError, match="is a device, not a file"):
        load_csv(tmp_path / "link.csv", ["x"], "y")
    (tmp_path / "nul.csv").write_bytes(b"\x00" * 4096)
    with pytest.raises(ValueError, match="binary data"):
        load_csv(tmp_path / "nul.csv", ["x"], "y")


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_from_frame_gives_the_same_run_as_numpy(kind):
    from gdviz import optim, problems, run, stop

    module = pytest.importorskip(kind, reason=f"{kind} is not installed: from_frame with a {kind} "
                                 "frame was not checked (pip install -e '.[test]')")
    rng = np.random.default_rng(3)
    columns = {"t": rng.uniform(-1, 1, 60), "u": rng.uniform(-1, 1, 60)}
    columns["h"] = 1 + 2 * columns["t"] - columns["t"] ** 2 + 0.1 * rng.normal(size=60)
    columns["label"] = (columns["t"] + columns["u"] > 0).astype(float)
    frame = {"pandas": lambda d: module.DataFrame(d), "polars": lambda d: module.DataFrame(d),
             "pyarrow": lambda d: module.table(d)}[kind](columns)
    rule = stop.MaxIter(50)
    cases = [
        (problems.LinearRegression.from_frame(frame, x=["t", "u"], y="h"),
         problems.LinearRegression(np.column_stack([columns["t"], columns["u"]]), columns["h"])),
        (problems.PolynomialRegression.from_frame(frame, x="t", y="h", degree=2),
         problems.PolynomialRegression(columns["t"], columns["h"], degree=2)),
        (problems.LogisticRegression.from_frame(frame, x=["t", "u"], y="label"),
         problems.LogisticRegression(np.column_stack([columns["t"], columns["u"]]),
                                     columns["label"])),
        (problems.MLP.from_frame(frame, x="t", y="h", hidden=3, seed=1),
         problems.MLP(columns["t"], columns["h"], hidden=3, seed=1)),
    ]
    for framed, plain in cases:
        a = run(framed, optim.adam(learning_rate=0.05), stop=rule)
        b = run(plain, optim.adam(learning_rate=0.05), stop=rule)
        np.testing.assert_array_equal(a.params, b.params)
    assert cases[0][0].x_names == ("t", "u") and cases[0][0].y_name == "h"


def test_from_frame_names_a_missing_column_and_a_gap():
    import pandas as pd

    from gdviz import problems

    frame = pd.DataFrame({"hours": [1.0, 2.0, None, 4.0], "score": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(ValueError, match="no column 'hour'; did you mean 'hours'"):
        problems.LinearRegression.from_frame(frame, x="hour", y="score")
    with pytest.raises(ValueError, match="row 2 \\(counting from 0\\), column 'hours'"):
        problems.LinearRegression.from_frame(frame, x="hours", y="score")
    kept = problems.LinearRegression.from_frame(frame, x="hours", y="score", dropna=True)
    assert kept.n_samples == 3 and kept.dropped == [2]
    with pytest.raises(ValueError, match="a DataFrame was expected"):
        problems.LinearRegression.from_frame([[1, 2]], x="a", y="b")


def test_cli_reads_parquet_and_drops_with_dropna(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed: --parquet "
                             "was not checked (pip install -e '.[test]')")
    import pyarrow as pa

    hours = np.arange(20.0)
    pq.write_table(pa.table({"hours": hours, "score": 3 + 2 * hours}), tmp_path / "d.parquet")
    result = invoke("run", "--parquet", str(tmp_path / "d.parquet"), "--x", "hours", "--y",
                    "score", "--standardize", "--no-show", "--save", str(tmp_path / "p.json"))
    assert result.exit_code == 0, result.output
    assert "data:        20 rows of hours and score" in result.stdout
    assert "in your units: score = 3 + 2·hours" in result.stdout
    path = write(tmp_path, "hours,score\n1,5\n2,\n3,9\n4,11\n")
    result = invoke("run", "--csv", str(path), "--x", "hours", "--y", "score", "--dropna",
                    "--no-show", "--save", str(tmp_path / "c.json"))
    assert result.exit_code == 0, result.output
    assert "dropped 1 row with a missing or non-finite value (line 3)" in result.stdout
