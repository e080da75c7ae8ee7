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
