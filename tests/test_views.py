import numpy as np
import pytest

import gdviz
from gdviz import optim, problems, run, stop
from gdviz.views import VIEWS


@pytest.fixture(scope="module")
def seed_trace():
    return run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
               stop=stop.LossImprovement(0.01))


@pytest.mark.parametrize("i", [0, 100, 700, 1161])
def test_fit_line_is_b0_plus_b1_x_at_the_frames_iteration(seed_trace, i):
    anim = gdviz.animate(seed_trace, layout="seed", every=100)
    view = anim.views[0]
    anim.draw_iteration(i)
    x, y = view.line.get_xydata().T
    b0, b1 = seed_trace.params[i]
    np.testing.assert_allclose(y, b0 + b1 * x, rtol=1e-12)
    assert x.min() == pytest.approx(seed_trace.problem.x.min())
    assert x.max() == pytest.approx(seed_trace.problem.x.max())
    text = view.status.text.get_text()
    assert f"iteration {i:>4}" in text and f"loss {seed_trace.loss[i]:.6g}" in text
    assert ("converged" in text) == (i == seed_trace.iterations)


def test_the_blogs_picture_scatter_green_line_14_by_8(seed_trace):
    anim = gdviz.animate(seed_trace, layout="seed")
    anim.draw_iteration(0)
    ax = anim.views[0].line.axes
    assert tuple(anim._fig.get_size_inches()) == (14, 8)
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_array_equal(offsets[:, 0], seed_trace.problem.x)
    np.testing.assert_array_equal(offsets[:, 1], seed_trace.problem.y)
    red, green, blue = anim.views[0].line.get_color_rgb() if hasattr(
        anim.views[0].line, "get_color_rgb") else __import__("matplotlib.colors").colors.to_rgb(
        anim.views[0].line.get_color())
    assert green > red and green > blue


def catalogue_traces():
    return {
        "seed": run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                    stop=stop.LossImprovement(0.01)),
        "rosenbrock": run(problems.Rosenbrock(), optim.adam(learning_rate=0.05),
                          stop=stop.MaxIter(200)),
        "polynomial": run(problems.PolynomialRegression.example(), optim.gd(learning_rate=0.1),
                          stop=stop.MaxIter(100)),
        "logistic": run(problems.LogisticRegression.example(), optim.gd(learning_rate=0.5),
                        stop=stop.MaxIter(100)),
        "mlp": run(problems.MLP.example(hidden=4), optim.adam(learning_rate=0.02),
                   stop=stop.MaxIter(100)),
        "sgd": run(problems.LinearRegression.example(), optim.sgd(learning_rate=0.05),
                   stop=stop.MaxIter(100), seed=1),
        "expression": run(problems.Expression("x**2 + 3*y**2 + sin(x*y)"),
                          optim.momentum(learning_rate=0.05), stop=stop.MaxIter(100)),
        "diverged": run(problems.Quadratic(condition=10), optim.gd(learning_rate=0.25),
                        stop=stop.MaxIter(100) | stop.Divergence()),
    }


CATALOGUE = catalogue_traces()


SUPPORTED = [(name, case) for name in sorted(VIEWS) for case in sorted(CATALOGUE)
             if VIEWS[name].supports(CATALOGUE[case])]


def test_support_is_what_each_view_needs():
    pairs = set(SUPPORTED)
    assert ("boundary", "logistic") in pairs and ("boundary", "seed") not in pairs
    assert ("fit", "mlp") in pairs and ("fit", "rosenbrock") not in pairs
    assert all((name, case) in pairs for name in ("contour", "surface", "loss", "parameters",
                                                  "arithmetic") for case in CATALOGUE)


@pytest.mark.parametrize("name,case", SUPPORTED)
def test_view_contract_update_returns_only_its_own_artists(name, case):
    trace = CATALOGUE[case]
    anim = gdviz.animate(trace, layout=[name], frames=20)
    view = anim.views[0]
    ax = anim._fig.axes[0]
    anim.draw_iteration(0)
    before = list(ax.get_children())
    for i in anim.frame_iterations:
        artists = view.update(int(i))
        assert artists and all(a in before for a in artists)
    assert list(ax.get_children()) == before  # nothing added per frame


def test_every_catalogue_problem_has_a_data_or_parameter_view():
    for case, trace in CATALOGUE.items():
        supported = [n for n, cls in VIEWS.items() if cls.supports(trace) and n != "loss"]
        assert supported, case


def test_diverged_run_keeps_readable_axes():
    trace = run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=2.5),
                stop=stop.MaxIter(30))
    anim = gdviz.animate(trace, layout="seed")
    ax = anim._fig.axes[0]
    limits = ax.get_ylim()
    anim.draw_iteration(trace.iterations)
    assert ax.get_ylim() == limits
    assert max(abs(v) for v in limits) < 1000


def test_unknown_layout_suggests_the_nearest(seed_trace):
    with pytest.raises(ValueError, match="did you mean 'seed'"):
        gdviz.animate(seed_trace, layout="sed")
    with pytest.raises(ValueError, match="did you mean 'fit'"):
        gdviz.animate(seed_trace, layout=["fitt"])


# -- artist data of every view at chosen frames -------------------------------------------
def view_of(trace, name, i, **options):
    anim = gdviz.animate(trace, layout=[name], frames=30, **options)
    anim.draw_iteration(i)
    return anim.views[0]


@pytest.mark.parametrize("i", [0, 7, 150])
def test_contour_path_point_and_arrows(i):
    trace = CATALOGUE["rosenbrock"]
    view = view_of(trace, "contour", i)
    np.testing.assert_array_equal(view.path.get_xydata(), trace.params[: i + 1])
    np.testing.assert_array_equal(view.point.get_xydata(), trace.params[i : i + 1])
    patches = view.arrow_set.patches
    labels = [p.get_label() for p in patches]
    assert labels[0].startswith("−gradient") and "momentum" in labels[1]
    for patch, expected in ((patches[0], -trace.grads[i]),
                            (patches[1], -trace.state["first_moment"][i + 1])):
        start, end = np.array(patch._posA_posB)
        np.testing.assert_allclose(start, trace.params[i])
        direction = end - start
        cosine = direction @ expected / np.linalg.norm(direction) / np.linalg.norm(expected)
        assert cosine == pytest.approx(1, abs=1e-9)


def test_contour_minibatch_arrow_and_fit_batch_points():
    trace = CATALOGUE["sgd"]
    contour = view_of(trace, "contour", 12)
    batch_arrow = [p for p in contour.arrow_set.patches if "mini-batch" in p.get_label()][0]
    start, end = np.array(batch_arrow._posA_posB)
    expected = -trace.batch_grads[12]
    assert (end - start) @ expected / np.linalg.norm(end - start) / np.linalg.norm(expected) \
        == pytest.approx(1, abs=1e-9)
    fit = view_of(trace, "fit", 12)
    rows = trace.batch_indices[12]
    np.testing.assert_array_equal(fit.batch.get_xdata(), trace.problem.x[rows])
    np.testing.assert_array_equal(fit.batch.get_ydata(), trace.problem.y[rows])


def test_last_frame_hides_arrows_that_have_no_next_step():
    trace = CATALOGUE["rosenbrock"]
    view = view_of(trace, "contour", trace.iterations)
    visible = {p.get_label()[:9]: p.get_visible() for p in view.arrow_set.patches}
    assert visible["−gradient"] and not visible["momentum "]


def test_fit_curve_equals_predict_for_polynomial_and_mlp():
    for case in ("polynomial", "mlp"):
        trace = CATALOGUE[case]
        view = view_of(trace, "fit", 40)
        x, y = view.line.get_xydata().T
        np.testing.assert_allclose(y, trace.problem.predict(trace.params[40], x))


def test_boundary_line_is_where_the_logit_is_zero():
    trace = CATALOGUE["logistic"]
    view = view_of(trace, "boundary", 60)
    w0, w1, w2 = trace.params[60]
    for x1, x2 in view.line.get_xydata():
        assert w0 + w1 * x1 + w2 * x2 == pytest.approx(0, abs=1e-9)


def test_surface_path_is_the_loss_along_the_path():
    trace = CATALOGUE["rosenbrock"]
    view = view_of(trace, "surface", 50)
    xs, ys, zs = view.path.get_data_3d()
    np.testing.assert_array_equal(xs, trace.params[:51, 0])
    np.testing.assert_array_equal(ys, trace.params[:51, 1])
    inside = zs < view.ceiling
    lift = 0.01 * (view.ceiling - view.floor)
    np.testing.assert_allclose(zs[inside] - lift, trace.loss[:51][inside[: 51]])


def test_parameters_and_loss_curves():
    trace = CATALOGUE["seed"]
    params = view_of(trace, "parameters", 300)
    for k, line in enumerate(params.lines):
        np.testing.assert_array_equal(line.get_ydata(), trace.params[:301, k])
    loss = view_of(trace, "loss", 300)
    np.testing.assert_array_equal(loss.curve.get_ydata(), trace.loss[:301])
    fall = loss.fall.get_ydata()
    np.testing.assert_allclose(fall[1:], trace.loss[:300] - trace.loss[1:301])
    tolerance_lines = [l for l in loss.curve.axes.get_lines() if l.get_label().startswith("tol")]
    assert tolerance_lines[0].get_ydata()[0] == 0.01


def test_arithmetic_writes_out_the_blogs_update():
    trace = CATALOGUE["seed"]
    view = view_of(trace, "arithmetic", 100)
    text = view.text.get_text()
    b0, b1 = trace.params[100]
    g0, g1 = trace.grads[100]
    n0, n1 = trace.params[101]
    assert f"∂L/∂b0 = mean(residual) = {g0:.6g}" in text
    assert f"∂L/∂b1 = mean(residual · x) = {g1:.6g}" in text
    assert f"b0: {b0:.6g} − 0.005 × ({g0:.6g}) = {n0:.6g}" in text
    assert f"loss: {trace.loss[100]:.6g} → {trace.loss[101]:.6g}" in text
    assert "> tolerance 0.01: keep going" in text
    last = view_of(trace, "arithmetic", trace.iterations).text.get_text()
    assert "converged" in last and "not more than the" in last and "tolerance 0.01" in last
    # the residual really is what the words say
    residual = b0 + b1 * trace.problem.x - trace.problem.y
    assert g0 == pytest.approx(np.mean(residual)) and g1 == pytest.approx(
        np.mean(residual * trace.problem.x))


def test_arithmetic_for_momentum_and_adam():
    text = view_of(CATALOGUE["expression"], "arithmetic", 5).text.get_text()
    velocity = CATALOGUE["expression"].state["velocity"][6]
    assert "velocity v ← 0.9·v + gradient" in text and f"v_x = {velocity[0]:.6g}" in text
    text = view_of(CATALOGUE["rosenbrock"], "arithmetic", 5).text.get_text()
    assert "m ← β1·m" in text


def test_full_layout_has_every_view_on_one_timeline(tmp_path):
    trace = CATALOGUE["seed"]
    anim = gdviz.animate(trace, layout="full", frames=6)
    assert [v.name for v in anim.views] == ["fit", "contour", "surface", "loss", "parameters",
                                            "arithmetic"]
    assert anim._fig.axes[2].name == "3d"
    from PIL import Image

    with Image.open(anim.save(tmp_path / "full.gif", dpi=30)) as image:
        assert image.n_frames == 6


# -- comparisons -------------------------------------------------------------------------------
def race_traces():
    problem = problems.Quadratic(condition=10)
    return [run(problem, optim.gd(learning_rate=rate), stop=stop.MaxIter(60) | stop.Divergence())
            for rate in (0.01, 0.15, 0.21)]


def test_compare_draws_every_run_and_holds_early_stops():
    traces = race_traces()
    assert traces[2].stop_reason == "diverged" and traces[2].iterations < 60
    anim = gdviz.compare(traces, labels=["small", "good", "large"], frames=10)
    contour, loss = anim.views
    anim.draw_iteration(55)
    for trace, path, curve in zip(traces, contour.paths, loss.curves):
        k = min(55, trace.iterations)
        np.testing.assert_array_equal(path.get_xydata(), trace.params[: k + 1])
        np.testing.assert_array_equal(curve.get_ydata(), trace.loss[: k + 1])
    labels = [p.get_label() for p in contour.paths]
    assert labels[0] == "small (still going at 60)"
    assert labels[2].startswith("large (diverged at")
    assert anim.frame_iterations[-1] == 60


def test_compare_grid_is_one_panel_per_run(tmp_path):
    traces = race_traces()
    anim = gdviz.compare(traces, layout="grid", frames=5)
    assert len(anim._fig.axes) == 4  # three runs and the loss curves
    from PIL import Image

    with Image.open(anim.save(tmp_path / "grid.gif", dpi=30)) as image:
        assert image.n_frames == 5
    with pytest.raises(ValueError, match="several runs"):
        anim.save(tmp_path / "grid.json")


def test_compare_refuses_mixed_problems():
    with pytest.raises(ValueError, match="one problem"):
        gdviz.compare([CATALOGUE["rosenbrock"], CATALOGUE["seed"]])
    with pytest.raises(ValueError, match="one label per run"):
        gdviz.compare(race_traces(), labels=["a"])


def test_divergence_is_marked_in_words_on_the_last_frame():
    trace = CATALOGUE["diverged"]
    view = view_of(trace, "contour", 3)
    assert not view.divergence.get_visible()
    view.update(trace.iterations)
    assert view.divergence.get_visible()
    assert f"until iteration {trace.iterations}" in view.divergence.get_text()
    (x_low, x_high), (y_low, y_high) = view.path.axes.get_xlim(), view.path.axes.get_ylim()
    x, y = view.divergence.xy
    assert x_low <= x <= x_high and y_low <= y <= y_high
    assert view_of(CATALOGUE["rosenbrock"], "contour", 3).divergence is None
