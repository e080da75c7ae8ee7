import os
import subprocess
import sys

import pytest
from skip_reasons import FFMPEG, SKLEARN
from click.testing import CliRunner
from PIL import Image

from gdviz.cli import cli


def invoke(*args):
    return CliRunner().invoke(cli, list(args), prog_name="gdviz")


def test_seed_prints_a_summary_then_the_blogs_last_line(tmp_path):
    pytest.importorskip("sklearn", reason=SKLEARN)
    from blog_program import blog_data, blog_run

    _, ref_b0, ref_b1, _ = blog_run(*blog_data(0))
    result = invoke("seed", "--seed", "0", "--no-show")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    b0, b1 = map(float, lines[-1].split(" "))
    assert lines[-1] == f"{b0} {b1}"  # exactly print(b0, b1)
    assert b0 == pytest.approx(ref_b0, abs=1e-9) and b1 == pytest.approx(ref_b1, abs=1e-9)
    text = result.stdout
    assert "iterations:  1161" in text
    assert "converged" in text
    assert "optimum:     b0 = 49.5929, b1 = 42.5025" in text
    assert "final loss:" in text


def test_headless_seed_saves_seed_gif_here_and_says_where(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("seed", "--seed", "0")
    assert result.exit_code == 0, result.output
    path = tmp_path / "seed.gif"
    assert f"saved:       {path}" in result.stdout
    with Image.open(path) as image:
        assert image.n_frames == 13  # iterations 0, 100, ..., 1100 and the last, 1161
    assert result.stdout.splitlines()[-1].startswith("49.48")


def test_too_large_a_learning_rate_is_reported_and_still_drawn(tmp_path):
    out = tmp_path / "div.gif"
    result = invoke("seed", "--seed", "0", "--lr", "2.5", "--save", str(out))
    assert result.exit_code == 0
    assert "DIVERGED" in result.stdout and "the loss rose" in result.stdout
    assert "above the stable limit" in result.stdout
    with Image.open(out) as image:
        assert image.n_frames == 2


def test_options_change_the_run(tmp_path):
    result = invoke("seed", "--seed", "3", "--max-iter", "7", "--every", "2", "--pause", "0",
                    "--save", str(tmp_path / "a.gif"))
    assert result.exit_code == 0
    assert "iterations:  7" in result.stdout and "iteration limit" in result.stdout
    with Image.open(tmp_path / "a.gif") as image:
        assert image.n_frames == 5  # 0, 2, 4, 6, 7
    loose = invoke("seed", "--seed", "3", "--tol", "10", "--lr", "0.01", "--no-show")
    assert int(loose.stdout.split("iterations:")[1].split()[0]) < 1161


def test_without_a_seed_a_fresh_one_is_printed_and_repeats():
    first = invoke("seed", "--no-show")
    seed = first.stdout.split("--seed ")[1].split(")")[0]
    again = invoke("seed", "--seed", seed, "--no-show")
    assert first.stdout.splitlines()[-1] == again.stdout.splitlines()[-1]


BAD = [
    (["--lr", "-1"], "--lr"),
    (["--lr", "0"], "--lr"),
    (["--lr", "nan"], "--lr"),
    (["--lr", "inf"], "--lr"),
    (["--lr", "fast"], "--lr"),
    (["--tol", "-0.5"], "--tol"),
    (["--every", "0"], "--every"),
    (["--every", "2.5"], "--every"),
    (["--pause", "-1"], "--pause"),
    (["--pause", "1e9"], "--pause"),
    (["--seed", "-1"], "--seed"),
    (["--seed", str(2**32)], "--seed"),
    (["--seed", "x"], "--seed"),
    (["--max-iter", "0"], "--max-iter"),
    (["--layout", "ful"], "did you mean 'full'"),
    (["--layout", "fit,boundary"], "'boundary' view cannot draw"),
    (["--save", "/no/such/folder/x.gif"], "does not exist"),
    (["--save", "out.gifx"], "did you mean '.gif'"),
    (["--save", "out"], "no suffix"),
    (["--bogus"], "--bogus"),
]


@pytest.mark.parametrize("args,named", BAD)
def test_bad_input_is_one_line_and_exit_2(args, named):
    result = invoke("seed", "--no-show", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], lines


def test_a_bad_value_leaves_an_existing_file_untouched(tmp_path):
    target = tmp_path / "keep.gif"
    target.write_bytes(b"mine")
    result = invoke("seed", "--lr", "-1", "--save", str(target))
    assert result.exit_code == 2
    assert target.read_bytes() == b"mine"


def test_a_failing_export_keeps_the_existing_file(tmp_path, monkeypatch):
    import gdviz.render

    def broken(anim, dpi=None):
        raise OSError("No space left on device")
        yield

    monkeypatch.setattr(gdviz.render, "render_frames", broken)
    target = tmp_path / "keep.gif"
    target.write_bytes(b"mine")
    result = invoke("seed", "--seed", "0", "--save", str(target))
    assert result.exit_code == 1
    assert "No space left" in result.stderr and "Traceback" not in result.output
    assert target.read_bytes() == b"mine"
    assert os.listdir(tmp_path) == ["keep.gif"]


def test_unknown_command_is_exit_2():
    result = invoke("sed")
    assert result.exit_code == 2 and "No such command" in result.stderr


def test_help_does_not_import_matplotlib():
    code = ("import sys\nfrom gdviz.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('matplotlib' in sys.modules)")
    for args in (["--help"], ["seed", "--help"]):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                             check=True).stdout
        assert out.strip().endswith("False"), out
        assert "Usage" in out


# -- gdviz run and gdviz list ---------------------------------------------------------
from gdviz.problems import PROBLEMS  # noqa: E402


@pytest.mark.parametrize("name", sorted(PROBLEMS) + ["--expr"])
def test_every_model_runs_end_to_end_to_a_gif(tmp_path, name):
    source = ["--expr", "x**2 + 3*sin(y)**2"] if name == "--expr" else [name]
    out = tmp_path / "out.gif"
    result = invoke("run", *source, "--optimizer", "adam", "--lr", "0.05", "--max-iter", "30",
                    "--frames", "5", "--save", str(out))
    assert result.exit_code == 0, result.output
    assert f"saved:       {out}" in result.stdout
    with Image.open(out) as image:
        assert image.n_frames == 5


def test_run_summary_and_diagnostics():
    result = invoke("run", "quadratic", "--lr", "0.3", "--no-show")
    assert result.exit_code == 0
    assert "DIVERGED" in result.stdout
    assert "above the stable limit 0.2" in result.stdout
    result = invoke("run", "quadratic", "--lr", "0.19", "--max-iter", "100", "--no-show")
    assert "oscillating" in result.stdout
    result = invoke("run", "saddle", "--lr", "0.01", "--max-iter", "150", "--no-show")
    assert "plateau" in result.stdout
    result = invoke("run", "booth", "--lr", "0.05", "--grad-tol", "1e-8", "--no-show")
    assert "converged (small gradient)" in result.stdout
    assert "the run ended" in result.stdout


def test_run_options_reach_the_optimizer(tmp_path):
    out = tmp_path / "t.json"
    result = invoke("run", "rosenbrock", "--optimizer", "nesterov", "--lr", "0.0002",
                    "--momentum", "0.5", "--x0", "-1,1.5", "--max-iter", "7", "--no-show",
                    "--save", str(out))
    assert result.exit_code == 0, result.output
    from gdviz import Trace

    trace = Trace.load(out)
    assert trace.settings["optimizer"].startswith("nesterov(learning_rate=0.0002, momentum=0.5")
    assert trace.params[0].tolist() == [-1.0, 1.5] and trace.iterations == 7
    result = invoke("run", "linear", "--optimizer", "adam", "--lr", "0.5", "--schedule",
                    "step:step_size=10,gamma=0.5", "--batch-size", "10", "--max-iter", "30",
                    "--no-show", "--save", str(out))
    assert result.exit_code == 0, result.output
    trace = Trace.load(out)
    assert "stepdecay(learning_rate=0.5, step_size=10, gamma=0.5)" in trace.settings["optimizer"]
    assert trace.settings["batch_size"] == 10


RUN_BAD = [
    (["rosenbrok"], "did you mean 'rosenbrock'"),
    (["rosenbrock", "--optimizer", "adma"], "did you mean 'adam'"),
    (["--expr", "x^2"], "write x**2"),
    (["--expr", "__import__('os')"], "unknown function"),
    (["rosenbrock", "--expr", "x"], "exactly one of"),
    ([], "exactly one of"),
    (["logistic", "--momentum", "0.5"], "no setting 'momentum'"),
    (["rosenbrock", "--x0", "1,2,3"], "x0 must have 2 numbers"),
    (["rosenbrock", "--x0", "1,b"], "--x0"),
    (["rosenbrock", "--lr", "-2"], "--lr"),
    (["rosenbrock", "--momentum", "1.5", "--optimizer", "momentum"], "momentum must be"),
    (["rosenbrock", "--batch-size", "4"], "no data points"),
    (["linear", "--batch-size", "1000"], "at most the number of data points"),
    (["rosenbrock", "--schedule", "cosin"], "did you mean 'cosine'"),
    (["rosenbrock", "--schedule", "step:gamma=fast"], "must be a number"),
    (["rosenbrock", "--schedule", "step:size=3"], "no setting 'size'"),
    (["rosenbrock", "--layout", "contour,loos"], "did you mean 'loss'"),
    (["rosenbrock", "--layout", "fit,loss"], "'fit' view cannot draw"),
    (["rosenbrock", "--degree", "3"], "no setting 'degree'"),
    (["rosenbrock", "--max-iter", "10000000"], "at most 1000000"),
    (["mlp", "--hidden", "100000"], "at most 64"),
    (["--expr", "x", "--x0", "1e400,0"], "finite"),
    (["--csv", "missing.csv", "--x", "a", "--y", "b"], "no such file"),
    (["--csv", "missing.csv"], "--x COLUMN"),
    (["rosenbrock", "--save", "x.mp5"], "not a known format"),
]


@pytest.mark.parametrize("args,message", RUN_BAD)
def test_run_bad_input_is_one_line_and_exit_2(args, message):
    result = invoke("run", "--no-show", "--max-iter", "5", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines


def test_list_names_every_model_and_optimizer():
    result = invoke("list")
    assert result.exit_code == 0
    from gdviz.optim import OPTIMIZERS

    for name in list(PROBLEMS) + list(OPTIMIZERS):
        assert any(line.strip().startswith(name + " ") for line in result.stdout.splitlines()), name
    assert "minimum 0 at (1, 1)" in result.stdout


# -- gdviz compare and the export options ------------------------------------------------------
def test_compare_three_learning_rates_in_one_command(tmp_path):
    out = tmp_path / "rates.gif"
    result = invoke("compare", "quadratic", "--optimizer", "gd", "--lr", "0.01", "--lr", "0.15",
                    "--lr", "0.21", "--max-iter", "80", "--frames", "8", "--save", str(out))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "gd, lr=0.21 (above 2/L = 0.2)" in result.stdout
    assert "DIVERGED" in [l for l in lines if "0.21" in l][0]  # the summary's word
    with Image.open(out) as image:
        assert image.n_frames == 8


def test_compare_race_and_grid(tmp_path):
    result = invoke("compare", "rosenbrock", "--race", "--max-iter", "300", "--frames", "4",
                    "--save", str(tmp_path / "race.png"))
    assert result.exit_code == 0, result.output
    for name in ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"):
        assert f"  {name}, lr=" in result.stdout
    result = invoke("compare", "--expr", "x**2 + 10*y**2", "--run", "adam:lr=0.1",
                    "--run", "momentum:lr=0.01,momentum=0.5", "--grid", "--max-iter", "50",
                    "--frames", "3", "--save", str(tmp_path / "grid.gif"), "--dpi", "30")
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "grid.gif") as image:
        assert image.n_frames == 3
        width, height = image.size
        assert width > 2.5 * height  # two runs and the loss curves, side by side


COMPARE_BAD = [
    (["rosenbrock"], "exactly one of"),
    (["rosenbrock", "--race", "--run", "gd"], "exactly one of"),
    (["rosenbrock", "--run", "adma:lr=1"], "did you mean 'adam'"),
    (["rosenbrock", "--run", "adam:lr"], "key=value"),
    (["rosenbrock", "--run", "adam:learning=1"], "no setting 'learning'"),
    (["rosenbrock", "--optimizer", "adam"], "exactly one of"),
    (["--run", "gd"], "exactly one of"),
    (["rosenbrock", "--run", "gd", "--save", "r.json"], "several runs"),
]


@pytest.mark.parametrize("args,message", COMPARE_BAD)
def test_compare_bad_input(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", *args, "--max-iter", "5")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines
    assert not list(tmp_path.iterdir())


def test_export_options(tmp_path):
    out = tmp_path / "r.gif"
    result = invoke("run", "rosenbrock", "--max-iter", "40", "--frames", "12", "--fps", "25",
                    "--dpi", "40", "--size", "10x5", "--quiet", "--save", str(out))
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.size == (400, 200)
        durations = []
        for k in range(image.n_frames):
            image.seek(k)
            durations.append(image.info["duration"])
    # 25 frames a second, but for the ends and new words held to be read (0.6 s or more)
    assert min(durations) == 40 and all(d == 40 or d >= 600 for d in durations)
    for args, option in ((["--fps", "0"], "--fps"), (["--dpi", "9000"], "--dpi"),
                         (["--size", "10"], "--size"), (["--size", "0x5"], "--size")):
        bad = invoke("run", "rosenbrock", "--no-show", *args)
        assert bad.exit_code == 2 and option in bad.stderr


@pytest.mark.parametrize("suffix", [".mp4", ".html"])
def test_run_saves_video_and_html(tmp_path, suffix):
    pytest.importorskip("imageio_ffmpeg", reason=FFMPEG)
    out = tmp_path / f"r{suffix}"
    result = invoke("run", "booth", "--lr", "0.05", "--max-iter", "30", "--frames", "5",
                    "--dpi", "30", "--save", str(out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000


# -- whatever a user types, the answer is a result or one line and exit 2 -----------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

VALUES = st.sampled_from(["0", "-1", "1e400", "nan", "0.5", "3", "abc", "", "1,2", "1e-300",
                          "2**3", "1x2", "99999999999999999999"])
OPTIONS = st.sampled_from(["--lr", "--momentum", "--beta1", "--weight-decay", "--batch-size",
                           "--x0", "--tol", "--grad-tol", "--seed", "--every", "--frames",
                           "--degree", "--hidden", "--schedule", "--fps", "--dpi", "--size",
                           "--optimizer", "--layout", "--pause"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=st.sampled_from(sorted(PROBLEMS)),
       options=st.lists(st.tuples(OPTIONS, VALUES), max_size=3))
def test_fuzzed_options_never_give_a_traceback(problem, options):
    args = ["run", problem, "--no-show", "--max-iter", "20"]
    for option, value in options:
        args += [option, value]
    result = invoke(*args)
    assert result.exit_code in (0, 2), (args, result.output, result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)


def test_a_second_headless_run_never_overwrites_the_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rosenbrock.gif").write_bytes(b"a student's own file")
    (tmp_path / "rosenbrock-2.gif").write_bytes(b"and another")
    result = invoke("run", "rosenbrock", "--max-iter", "5", "--frames", "2")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rosenbrock.gif").read_bytes() == b"a student's own file"
    assert (tmp_path / "rosenbrock-2.gif").read_bytes() == b"and another"
    assert f"saved:       {tmp_path / 'rosenbrock-3.gif'}" in result.stdout
    assert "rosenbrock.gif is already here and is kept" in result.stdout
    with Image.open(tmp_path / "rosenbrock-3.gif") as image:
        assert image.n_frames >= 2


@pytest.mark.parametrize("args", [["seed", "--lr", "-1"], ["run", "nosuch"],
                                  ["run", "rosenbrock", "--optimizer", "adma"],
                                  ["compare", "rosenbrock"]])
def test_every_error_has_one_prefix_naming_the_command(args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"gdviz {args[0]}: error: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("command", ["run", "seed"])
def test_help_lists_every_layout_and_view(command):
    from gdviz.animation import LAYOUTS
    from gdviz.views import VIEWS

    text = " ".join(invoke(command, "--help").stdout.split())
    for name in list(LAYOUTS) + list(VIEWS):
        assert name in text, name


@pytest.mark.parametrize("cell", ["3" * 200_000, '"' + "a" * 200_000 + '"'],
                         ids=["a long number", "a long quoted text"])
def test_a_csv_field_past_the_csv_modules_limit_is_one_line(cell, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "long.csv").write_text(f"x,y\n1,2\n2,{cell}\n3,4\n")
    result = invoke("run", "--csv", "long.csv", "--x", "x", "--y", "y", "--no-show")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines == ["gdviz run: error: long.csv, line 3: a value longer than 128 KB is not "
                     "a number (is it the right file?)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.csv"]


def test_alt_text_and_subtitles_from_the_command_line(tmp_path):
    import gdviz
    from gdviz import optim, problems, stop

    result = invoke("seed", "--seed", "0", "--no-show", "--alt-text", "--save",
                    str(tmp_path / "seed.vtt"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    trace = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.LossImprovement(0.01))
    assert f"alt text:    {gdviz.describe(trace)}" in lines
    assert lines[-1] == f"{trace.final_params[0]} {trace.final_params[1]}"  # still the blog's
    cues = (tmp_path / "seed.vtt").read_text(encoding="utf-8")
    assert cues.startswith("WEBVTT") and cues.count(" --> ") == 13
    # The summary's "stopped:" line and the last caption say the same ending.
    stopped = next(line for line in lines if line.startswith("stopped:"))
    assert trace.stop_detail in stopped and trace.stop_detail in cues.splitlines()[-1]


def test_plane_chooses_what_a_many_parameter_contour_draws(tmp_path):
    for plane, words in (("pca", "on the plane of the path"), ("slice", "at their current values")):
        out = tmp_path / f"{plane}.png"
        result = invoke("run", "polynomial", "--degree", "3", "--max-iter", "60", "--plane",
                        plane, "--layout", "contour", "--save", str(out), "--dpi", "40")
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    bad = invoke("run", "polynomial", "--plane", "pcb", "--no-show")
    assert bad.exit_code == 2 and "--plane" in bad.stderr
