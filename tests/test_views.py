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
    text = anim.status.text.get_text()
    assert f"iteration {i:>4} of 1161" in text and f"loss {seed_trace.loss[i]:.6g}" in text
    assert f"b0 (intercept) = {b0:.4g}, b1 (slope) = {b1:.4g}" in text
    # How it ended is said once on the last frame: in the caption (or, where the caption
    # does not say it, in the status line above).
    said = text + anim.status.caption.get_text()
    assert ("converged" in said) == (i == seed_trace.iterations)
    assert ("(+100 steps since the last frame)" in text) == (0 < i < 1161)


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
    axes = {a.axes for a in view.update(0)}
    before = {ax: list(ax.get_children()) for ax in axes}
    for i in anim.frame_iterations:
        artists = view.update(int(i))
        assert artists and all(a in before[a.axes] for a in artists)
    assert {ax: list(ax.get_children()) for ax in axes} == before  # nothing added per frame


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
def test_contour_path_point_and_the_step_to_scale(i):
    trace = CATALOGUE["rosenbrock"]  # adam: one arrow, the update itself
    view = view_of(trace, "contour", i)
    np.testing.assert_array_equal(view.path.get_xydata(), trace.params[: i + 1])
    np.testing.assert_array_equal(view.point.get_xydata(), trace.params[i : i + 1])
    (patch,) = view.arrow_set.patches
    start, end = np.array(patch._posA_posB)
    np.testing.assert_allclose(start, trace.params[i])
    # To scale, or magnified from the point (and then said beside its head).
    m = view.arrow_set.magnification
    np.testing.assert_allclose(end, trace.params[i] + m * (trace.params[i + 1] - trace.params[i]),
                               rtol=1e-12, atol=1e-12)
    assert view.arrow_set.scale_note.get_visible() == (m > 1)
    np.testing.assert_array_equal(view.arrow_set.next_point.get_xydata(), trace.params[i + 1: i + 2])


@pytest.mark.parametrize("i", [0, 3, 40])
def test_momentum_parts_add_up_head_to_tail_to_the_real_step(i):
    trace = CATALOGUE["expression"]  # heavy-ball momentum, mu = 0.9, lr = 0.05
    view = view_of(trace, "contour", i)
    memory, gradient = view.arrow_set.patches
    (a, b), (c, d) = np.array(memory._posA_posB), np.array(gradient._posA_posB)
    assert memory.get_visible() == (i > 0)  # the first step has no velocity yet
    if i == 0:
        np.testing.assert_allclose([c, d], trace.params[:2], atol=1e-12)
        return
    m = view.arrow_set.magnification
    np.testing.assert_allclose(a, trace.params[i])
    np.testing.assert_allclose(b, c)  # head to tail
    np.testing.assert_allclose(d, trace.params[i] + m * (trace.params[i + 1] - trace.params[i]),
                               atol=1e-12)
    # the parts are PyTorch's: -lr*mu*v_old and -lr*g
    velocity = trace.state["velocity"][i]
    np.testing.assert_allclose(b - a, -m * 0.05 * 0.9 * velocity, atol=1e-12)
    np.testing.assert_allclose(d - c, -m * 0.05 * trace.grads[i], atol=1e-12)


def test_arrow_lengths_are_proportional_to_the_update():
    trace = CATALOGUE["seed"]
    lengths, steps = [], []
    for i in (0, 50, 300, 900):
        arrows = view_of(trace, "contour", i).arrow_set
        start, end = np.array(arrows.patches[0]._posA_posB)
        lengths.append(np.linalg.norm(end - start) / arrows.magnification)
        steps.append(np.linalg.norm(trace.params[i + 1] - trace.params[i]))
    np.testing.assert_allclose(np.array(lengths) / np.array(steps), 1.0, rtol=1e-9)
    assert lengths[0] > 10 * lengths[-1]  # not one screen length for every arrow


def test_a_step_too_short_to_see_is_drawn_magnified_and_says_so():
    """The seed's steps are 0.35 long at first and thousandths late, on a 60-wide axis:
    drawn from the point ×m (m the least of 2, 5, 10, ... that makes them visible) with
    "arrows ×m" at their head, the later ones magnified more."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from gdviz.views.arrows import SHORTEST_PIXELS

    trace = CATALOGUE["seed"]
    anim = gdviz.animate(trace, layout=["contour"], frames=10)
    FigureCanvasAgg(anim._fig).draw()
    arrows = anim.views[0].arrow_set
    to_pixels = arrows.ax.transData.transform
    used = []
    for i in (0, 900):
        anim.draw_iteration(i)
        used.append(arrows.magnification)
        true = np.hypot(*(to_pixels(trace.params[i + 1]) - to_pixels(trace.params[i])))
        m = arrows.magnification
        drawn = np.hypot(*np.ptp(to_pixels(np.array(arrows.patches[0]._posA_posB)), axis=0))
        np.testing.assert_allclose(drawn, m * true, rtol=1e-9)
        assert drawn >= SHORTEST_PIXELS and (m == 1 or true * m / 2.5 < SHORTEST_PIXELS)
        assert arrows.scale_note.get_visible() == (m > 1)
        if m > 1:  # at the head (or on the panel's edge nearest it)
            assert arrows.scale_note.get_text() == f"arrows ×{m}"
            head = to_pixels(np.array(arrows.patches[0]._posA_posB)[1])
            note = to_pixels(arrows.scale_note.get_position())
            assert np.hypot(*(head - note)) < 30
    assert 1 < used[0] < used[1]


def test_path_has_a_dot_per_iteration_where_they_do_not_merge():
    trace = CATALOGUE["expression"]
    view = view_of(trace, "contour", 30)
    dots = view.dots.get_xydata()
    assert len(dots) == 31  # 30 steps of momentum: every point is its own dot
    np.testing.assert_array_equal(dots, trace.params[:31])
    seed = view_of(CATALOGUE["seed"], "contour", 1161)
    assert 50 < len(seed.dots.get_xydata()) < 1162  # thinned where a thousand would merge


def test_contour_minibatch_step_and_the_full_batch_step_beside_it():
    trace = CATALOGUE["sgd"]
    contour = view_of(trace, "contour", 12)
    batch, full = contour.arrow_set.patches
    m = contour.arrow_set.magnification
    start, end = np.array(batch._posA_posB)
    np.testing.assert_allclose(end, trace.params[12] + m * (trace.params[13] - trace.params[12]),
                               atol=1e-12)
    np.testing.assert_allclose(end - start, -m * 0.05 * trace.batch_grads[12], atol=1e-12)
    start, end = np.array(full._posA_posB)
    np.testing.assert_allclose(end - start, -m * 0.05 * trace.grads[12], atol=1e-12)
    fit = view_of(trace, "fit", 12)
    rows = trace.batch_indices[12]
    np.testing.assert_array_equal(fit.batch.get_xdata(), trace.problem.x[rows])
    np.testing.assert_array_equal(fit.batch.get_ydata(), trace.problem.y[rows])


def test_last_frame_has_no_step_to_draw():
    trace = CATALOGUE["rosenbrock"]
    view = view_of(trace, "contour", trace.iterations)
    assert not any(p.get_visible() for p in view.arrow_set.patches)
    assert np.isnan(view.arrow_set.next_point.get_xydata()).all()


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
    assert loss.fall.axes is not loss.curve.axes  # the fall has a small axis of its own
    tolerance_lines = [l for l in loss.fall.axes.get_lines() if l.get_label().startswith("tol")]
    assert tolerance_lines[0].get_ydata()[0] == 0.01


def test_arithmetic_writes_out_the_blogs_update():
    trace = CATALOGUE["seed"]
    view = view_of(trace, "arithmetic", 100)
    text = view.text.get_text()
    b0, b1 = trace.params[100]
    g0, g1 = trace.grads[100]
    n0, n1 = trace.params[101]
    # the blog steps along the mean residual, and the words say what that is
    assert f"g_b0 = mean(residual) = ∂L/∂b0 ÷ n = {g0:.6g}" in text
    assert f"g_b1 = mean(residual · x) = ∂L/∂b1 ÷ n = {g1:.6g}" in text
    assert "loss L = 0.5·sum of squares" in text
    assert f"b0: {b0:.6g} − 0.005 × ({g0:.6g}) = {n0:.6g}" in text
    assert f"loss: {trace.loss[100]:.6g} → {trace.loss[101]:.6g}" in text
    assert "> tolerance 0.01: keep going" in text
    last = " ".join(view_of(trace, "arithmetic", trace.iterations).text.get_text().split())
    assert "converged" in last and "not more than the" in last and "tolerance 0.01" in last
    # the residual really is what the words say
    residual = b0 + b1 * trace.problem.x - trace.problem.y
    assert g0 == pytest.approx(np.mean(residual)) and g1 == pytest.approx(
        np.mean(residual * trace.problem.x))
    # and "÷ n" is true of the loss drawn: a central difference of L = 0.5*sum
    h = 1e-4
    slope = (trace.problem.loss([b0 + h, b1]) - trace.problem.loss([b0 - h, b1])) / (2 * h)
    assert slope / len(trace.problem.x) == pytest.approx(g0, rel=1e-6)


def test_arithmetic_for_momentum_shows_the_velocity_sum():
    trace = CATALOGUE["expression"]
    text = view_of(trace, "arithmetic", 5).text.get_text()
    v_old, v_new, g = trace.state["velocity"][5], trace.state["velocity"][6], trace.grads[5]
    assert "η = 0.05, μ = 0.9; velocity v ← μ·v + g" in text
    from gdviz.words.board import _n

    assert f"v_x = 0.9 × {_n(v_old[0])} + {_n(g[0])} = {v_new[0]:.6g}" in text
    assert 0.9 * v_old[0] + g[0] == pytest.approx(v_new[0])


def arithmetic_of(optimizer, i=0, problem=None):
    trace = run(problem or problems.Rosenbrock(), optimizer, stop=stop.MaxIter(20))
    return trace, view_of(trace, "arithmetic", i).text.get_text()


def test_adams_first_step_is_exactly_the_learning_rate_and_says_so():
    trace, text = arithmetic_of(optim.adam(learning_rate=0.05))
    m_hat = trace.grads[0]  # bias-corrected, m̂ = g on the first step
    assert "bias-corrected (step t = 1)" in text
    assert f"x: m̂ = {m_hat[0]:.4g}, √v̂ = {abs(m_hat[0]):.4g}" in text
    assert "first step: m̂/√v̂ = ±1, so each parameter moves by η" in text
    np.testing.assert_allclose(np.abs(trace.params[1] - trace.params[0]), 0.05, rtol=1e-6)


@pytest.mark.parametrize("name,word", [("adagrad", "running sum s ← s + g²"),
                                       ("rmsprop", "running average s ← 0.99·s + 0.01·g²")])
def test_adaptive_optimizers_show_their_state_and_each_parameters_rate(name, word):
    trace, text = arithmetic_of(getattr(optim, name)(learning_rate=0.1), i=3)
    key = "sum_sq_grad" if name == "adagrad" else "mean_sq_grad"
    s_new = trace.state[key][4]
    assert word in text
    eps = 1e-10 if name == "adagrad" else 1e-8
    own = 0.1 / (np.sqrt(s_new) + eps)
    assert f"x: rate {own[0]:.4g};" in text and f"y: rate {own[1]:.4g};" in text
    step = trace.params[4] - trace.params[3]
    np.testing.assert_allclose(step, -own * trace.grads[3], rtol=1e-9)


def test_nesterov_shows_its_look_ahead():
    trace, text = arithmetic_of(optim.nesterov(learning_rate=1e-4), i=2)
    assert "look ahead: step = −η × (g + μ·v)" in text


def test_arithmetic_rows_are_the_contours_parameters_in_their_colours():
    trace = CATALOGUE["mlp"]
    anim = gdviz.animate(trace, layout=["contour", "parameters", "arithmetic"], frames=10)
    anim.draw_iteration(40)
    contour, parameters, board = anim.views
    i, j = contour.i, contour.j
    names = trace.param_names
    text = board.text.get_text()
    assert f"∂L/∂{names[i]}" in text and f"∂L/∂{names[j]}" in text
    from matplotlib.colors import to_hex

    for k in (i, j):
        colour = to_hex(parameters.lines[k].get_color())
        rows = [t for t in board.texts if t.get_text().lstrip().startswith(f"∂L/∂{names[k]} ")]
        assert rows and all(to_hex(t.get_color()) == colour for t in rows)
    assert to_hex(contour.path.axes.xaxis.label.get_color()) == to_hex(
        parameters.lines[i].get_color())


def test_a_step_that_changes_nothing_is_not_shouted():
    trace = run(problems.Quadratic(condition=2), optim.gd(learning_rate=0.5), stop=stop.MaxIter(300))
    text = view_of(trace, "arithmetic", 250).text.get_text()
    assert "ROSE" not in text and "rose" not in text


def test_full_layout_has_every_view_on_one_timeline(tmp_path):
    trace = CATALOGUE["seed"]
    anim = gdviz.animate(trace, layout="full", frames=6)
    assert [v.name for v in anim.views] == ["fit", "contour", "surface", "loss", "parameters",
                                            "arithmetic"]
    assert anim.views[2].path.axes.name == "3d"
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
    # Frames go where the runs change, and the moment each run ends is one of them.
    assert anim.frame_iterations[-1] == 60 and traces[2].iterations in anim.frame_iterations
    assert len(anim.frame_iterations) <= 10


def test_a_race_says_how_a_run_ended_only_once_it_has():
    traces = race_traces()
    end = traces[2].iterations
    anim = gdviz.compare(traces, labels=["small", "good", "large"], frames=10)
    texts = anim.status.texts
    anim.draw_iteration(end - 1)
    assert "diverged" not in texts[2].get_text()
    assert texts[2].get_text().startswith(f"large:  loss {traces[2].loss[end - 1]:.4g}")
    anim.draw_iteration(end)
    assert f"diverged at {end}" in texts[2].get_text()
    assert "limit" not in texts[0].get_text()  # the others are still going
    anim.draw_iteration(60)
    # Still moving at the limit: the iteration counter says where it stopped, and the
    # race's caption who ended lowest.
    assert texts[0].get_text() == f"small:  loss {traces[0].loss[-1]:.4g}"
    assert f"diverged at {end}" in texts[2].get_text()
    assert "ends lowest" in anim.status.caption.get_text()
    # The status square of each run has the colour of its path and loss curve.
    contour, loss = anim.views
    squares = [line for line in anim.status.head.axes.lines]
    for square, path, curve in zip(squares, contour.paths, loss.curves):
        assert square.get_color() == path.get_color() == curve.get_color()


def test_a_diverging_run_is_drawn_beneath_and_marked_where_it_left():
    traces = race_traces()
    anim = gdviz.compare(traces, labels=["small", "good", "large"], frames=10)
    contour, loss = anim.views
    assert contour.paths[2].get_zorder() < min(p.get_zorder() for p in contour.paths[:2])
    assert loss.curves[2].get_zorder() < min(c.get_zorder() for c in loss.curves[:2])
    anim.draw_iteration(60)
    (x, y), = contour.edges[2].get_xydata()
    (x_low, x_high), (y_low, y_high) = contour.window
    assert (np.isclose(x, [x_low, x_high]).any() or np.isclose(y, [y_low, y_high]).any())
    assert contour.edges[0].get_xydata().size == 0  # the small steps stay in the panel
    assert "off the panel" in anim.status.texts[2].get_text()
    np.testing.assert_array_equal(loss.points[2].get_xydata(), [[37, traces[2].loss[37]]])


def test_a_loss_past_the_axis_is_a_triangle_on_its_edge():
    problem = problems.Quadratic(condition=10)
    traces = [run(problem, optim.gd(learning_rate=rate), stop=stop.MaxIter(60))
              for rate in (0.15, 0.3)]  # 0.3 runs away for 60 steps: past 1000x its start
    anim = gdviz.compare(traces, frames=10)
    loss = anim.views[1]
    low, high = loss.curves[0].axes.get_ylim()
    anim.draw_iteration(60)
    assert traces[1].loss[60] > high and traces[0].loss[60] < low
    assert loss.points[1].get_xydata().size == 0 and loss.points[0].get_xydata().size == 0
    np.testing.assert_array_equal(loss.beyond[1].get_xydata(), [[60, high]])
    np.testing.assert_array_equal(loss.beyond[0].get_xydata(), [[60, low]])
    assert (loss.beyond[1].get_marker(), loss.beyond[0].get_marker()) == ("^", "v")


@pytest.mark.parametrize("layout", ["overlay", "grid"])
def test_nothing_covers_a_race(layout):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    anim = gdviz.compare(race_traces(), labels=["small", "good", "large"], layout=layout,
                         frames=12)
    figure = anim._fig
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    for ax in figure.axes:
        assert ax.get_legend() is None
    covers = [legend.get_window_extent(renderer)
              for legend in [lg for sub in figure.subfigs for lg in sub.legends]]
    panel_boxes = [v.paths[0].axes.bbox for v in anim.views if hasattr(v, "paths")]
    for i in anim.frame_iterations:
        anim.draw_iteration(int(i))
        words = [t.get_window_extent(renderer) for t in [anim.status.head, *anim.status.texts]]
        for box in covers + words:
            for panel in panel_boxes:
                assert not box.overlaps(panel), int(i)


def test_compare_grid_is_one_panel_per_run(tmp_path):
    traces = race_traces()
    anim = gdviz.compare(traces, layout="grid", frames=5)
    panels = [ax for ax in anim._fig.axes if ax.get_label() != "<colorbar>" and ax.axison]
    assert len(panels) == 4  # three runs and the loss curves
    from PIL import Image

    assert 3 <= len(anim.frame_iterations) <= 5
    with Image.open(anim.save(tmp_path / "grid.gif", dpi=30)) as image:
        assert image.n_frames == len(anim.frame_iterations)
    with pytest.raises(ValueError, match="several runs"):
        anim.save(tmp_path / "grid.json")


def test_compare_refuses_mixed_problems():
    with pytest.raises(ValueError, match="one problem"):
        gdviz.compare([CATALOGUE["rosenbrock"], CATALOGUE["seed"]])
    with pytest.raises(ValueError, match="Rosenbrock.*has none"):
        gdviz.compare([CATALOGUE["rosenbrock"], CATALOGUE["seed"]], layout="grid")
    with pytest.raises(ValueError, match="one label per run"):
        gdviz.compare(race_traces(), labels=["a"])


def test_a_diverging_point_is_marked_on_the_edge_with_its_coordinates():
    trace = CATALOGUE["diverged"]
    anim = gdviz.animate(trace, layout=["contour"], frames=30)
    view = anim.views[0]
    (x_low, x_high), (y_low, y_high) = view.window
    anim.draw_iteration(0)
    assert len(view.edge.get_xydata()) == 0
    assert "left the panel" not in anim.status.text.get_text()
    anim.draw_iteration(trace.iterations)
    (x, y), = view.edge.get_xydata()
    assert (x in (x_low, x_high) or y in (y_low, y_high))  # on the edge
    point = trace.params[-1]
    text = anim.status.text.get_text()
    assert f"it is now at (x, y) = ({point[0]:.3g}, {point[1]:.3g})" in text
    assert "DIVERGED" in text + anim.status.caption.get_text()
    assert view_of(CATALOGUE["rosenbrock"], "contour", 3).edge.get_xydata().size == 0


# -- nothing covers what is watched ------------------------------------------------------------
GALLERY_RUNS = {
    "blog": (CATALOGUE["seed"], "full"),
    "logistic": (run(problems.LogisticRegression.example(data="moons"),
                     optim.adam(learning_rate=0.1), stop=stop.MaxIter(300)), "full"),
    "expression": (run(problems.Expression("(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
                                           x0=(-0.5, -0.5)),
                       optim.adam(learning_rate=0.1), stop=stop.MaxIter(300)),
                   ["contour", "surface", "loss"]),
    "diverged": (CATALOGUE["diverged"], "full"),
    "momentum": (run(problems.Quadratic(condition=25, angle=-20),
                     optim.momentum(learning_rate=0.03), stop=stop.MaxIter(120)),
                 ["contour", "loss", "arithmetic"]),
}


@pytest.mark.parametrize("case", sorted(GALLERY_RUNS))
def test_no_legend_or_status_covers_the_current_point_at_any_frame(case):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    trace, layout = GALLERY_RUNS[case]
    anim = gdviz.animate(trace, layout=layout, frames=25)
    figure = anim._fig
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    covers = [legend.get_window_extent(renderer) for legend in figure.legends
              + [lg for sub in figure.subfigs for lg in sub.legends]]
    markers = [v.point for v in anim.views if hasattr(v, "point") and v.point.axes.name != "3d"]
    markers += [v.beyond for v in anim.views if hasattr(v, "beyond")]  # ▼ past the axis
    assert markers and covers
    for i in anim.frame_iterations:
        anim.draw_iteration(int(i))
        covers_now = covers + [anim.status.text.get_window_extent(renderer),
                               anim.status.caption.get_window_extent(renderer)]
        for marker in markers:
            if not len(marker.get_xydata()):
                continue  # the point is past the axis: its triangle on the edge stands for it
            (x, y), = marker.get_xydata()
            if not np.isfinite([x, y]).all():
                continue
            px, py = marker.axes.transData.transform((x, y))
            if not marker.axes.bbox.contains(px, py):
                continue  # clipped: off the panel (the edge mark stands for it)
            radius = marker.get_markersize() * figure.dpi / 72
            for box in covers_now:
                overlap = (box.x0 - radius < px < box.x1 + radius
                           and box.y0 - radius < py < box.y1 + radius)
                assert not overlap, (case, int(i), marker.axes.get_title())
            for legend in (marker.axes.get_legend(),):
                assert legend is None  # no legend inside a panel


def test_a_window_holds_each_frame_as_long_as_a_saved_file():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from gdviz.outputs import FIRST_HOLD_MS, frame_durations

    trace = run(problems.Quadratic(), optim.gd(learning_rate=0.05), stop=stop.MaxIter(20))
    anim = gdviz.animate(trace, layout=["contour"], frames=5, interval=100)
    FigureCanvasAgg(anim._fig).draw()
    intervals = []
    for _ in range(len(anim.frame_iterations)):
        anim._step()  # what the window's timer calls
        intervals.append(anim.event_source.interval if anim.event_source else None)
    durations = frame_durations(anim, None)
    assert intervals[0] >= FIRST_HOLD_MS and intervals[:-1] == durations[: len(intervals) - 1]
    assert len(set(intervals)) > 1  # new words held longer than the others
    assert anim.current_iteration == trace.iterations


def test_the_loss_panel_marks_a_loss_past_its_floor_and_where_the_run_settled():
    from gdviz.words import flat_since

    trace = run(problems.Expression("(x**2 + y - 11)**2 + (x + y**2 - 7)**2", x0=(-0.5, -0.5)),
                optim.adam(learning_rate=0.1), stop=stop.MaxIter(300))
    anim = gdviz.animate(trace, layout=["loss"], frames=30)
    view = anim.views[0]
    bottom, _top = view.curve.axes.get_ylim()
    past = [int(i) for i in anim.frame_iterations if trace.loss[i] < bottom]
    assert past, "Adam's loss falls below the axis's ten decades"
    anim.draw_iteration(past[-1])
    (x, y), = view.beyond.get_xydata()
    assert (x, y) == (past[-1], bottom) and view.beyond.get_marker() == "v"
    assert len(view.point.get_xydata()) == 0
    # Still falling decades below the floor to its last step: never "settled".
    assert flat_since(trace) is None
    # A run that does settle (GD on a round bowl reaches its rounding floor) is marked.
    trace = run(problems.Quadratic(condition=2), optim.gd(learning_rate=0.5), stop=stop.MaxIter(400))
    anim = gdviz.animate(trace, layout=["loss"], frames=30)
    view = anim.views[0]
    since = flat_since(trace)
    assert since is not None
    anim.draw_iteration(0)
    assert not view.settled.get_visible() and view.settled_words.get_text() == ""
    anim.draw_iteration(trace.iterations)
    assert view.settled.get_visible() and view.settled.get_xdata()[0] == since
    assert view.settled_words.get_text().strip() == f"settled since {since}"


def test_residual_sticks_are_each_points_residual_and_the_pull_is_their_mean():
    trace = run(problems.LinearRegression.example(), optim.sgd(learning_rate=0.05),
                stop=stop.MaxIter(40), batch_size=5, seed=0)
    anim = gdviz.animate(trace, layout=["fit"], frames=10)
    view = anim.views[0]
    k = int(anim.frame_iterations[2])
    anim.draw_iteration(k)
    problem = trace.problem
    fitted = problem.predict(trace.params[k], problem.x)
    residual = problem.y - fitted
    segments = view.sticks.get_segments()
    assert len(segments) == problem.n_samples
    for n in (0, 17, 99):
        np.testing.assert_allclose(segments[n], [[problem.x[n], problem.y[n]],
                                                 [problem.x[n], fitted[n]]])
    widths = view.sticks.get_linewidths()
    assert widths[np.argmax(np.abs(residual))] == max(widths)
    rows = trace.batch_indices[k][trace.batch_indices[k] >= 0]
    alphas = view.sticks.get_colors()[:, 3]
    assert np.all(alphas[rows] == 1.0) and np.all(np.delete(alphas, rows) < 0.5)
    (x0, y0), (x1, y1) = view.pull._posA_posB  # the arrow's ends in data units (no getter)
    assert x0 == pytest.approx(problem.x.mean()) and y1 - y0 == pytest.approx(residual.mean())


def test_misclassified_points_are_ringed_and_the_accuracy_said():
    trace = run(problems.LogisticRegression.example(data="moons"), optim.adam(learning_rate=0.1),
                stop=stop.MaxIter(100))
    anim = gdviz.animate(trace, frames=10)
    view = next(v for v in anim.views if v.name == "boundary")
    anim.draw_iteration(trace.iterations)
    problem = trace.problem
    p = problem.predict(trace.params[-1])
    wrong = (p >= 0.5) != (problem.labels == 1)
    np.testing.assert_allclose(view.wrong.get_offsets(), problem.X[wrong])
    note = view.status_note(trace.iterations)
    assert f"accuracy {int((~wrong).sum())}/100" in note
    assert "no line separates these classes" in note  # two moons: their hulls overlap
    assert f"{int(wrong.sum())} points stay on the wrong side" in note


def test_no_two_runs_of_a_comparison_share_colour_and_dash_and_every_point_is_on_top():
    p = problems.Rosenbrock()
    runs = [run(p, optim.adam(learning_rate=rate), stop=stop.MaxIter(30))
            for rate in np.linspace(0.01, 0.08, 12)]
    anim = gdviz.compare(runs, frames=5, note="learning rates: twelve between 0.01 and 0.08")
    contour, loss = anim.views
    seen = {(path.get_color(), str(path._unscaled_dash_pattern)) for path in contour.paths}
    assert len(seen) == len(runs)
    assert len({(c.get_color(), str(c._unscaled_dash_pattern)) for c in loss.curves}) == len(runs)
    top_path = max(path.get_zorder() for path in contour.paths)
    assert all(point.get_zorder() > top_path for point in contour.points)
    start = [line for line in contour.paths[0].axes.lines if line.get_label() == "start"][0]
    assert start.get_zorder() > top_path
    anim.draw_iteration(int(anim.frame_iterations[-1]))
    assert [name.get_text() for name in loss.names] == [label.split(",")[0]
                                                        for label in loss.labels]
    assert "learning rates: twelve between" in anim.status.head.get_text()


def test_each_loss_panel_says_which_loss_it_draws():
    blog = run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
               stop=stop.LossImprovement(0.01))
    sgd = run(problems.LinearRegression.example(), optim.sgd(learning_rate=0.05),
              stop=stop.MaxIter(20), batch_size=5, seed=0)
    title = gdviz.animate(blog, layout=["loss"], every=100).views[0].curve.axes.get_title()
    assert "0.5·sum of (y − ŷ)² over the 100 points (the blog's loss)" in title
    title = gdviz.animate(sgd, layout=["loss"], frames=5).views[0].curve.axes.get_title()
    assert "mean of (y − ŷ)² over all 100 points" in title and "full-data loss" in title
    assert sgd.loss[3] == pytest.approx(np.mean((sgd.problem.y - sgd.problem.predict(
        sgd.params[3], sgd.problem.x)) ** 2))  # what it says is what it draws


def test_the_saddle_and_the_reason_for_its_start_are_marked():
    trace = run(problems.Saddle(), optim.gd(learning_rate=0.02), stop=stop.MaxIter(50))
    anim = gdviz.animate(trace, layout=["contour"], frames=5)
    lines = {line.get_label(): line for line in anim.views[0].path.axes.lines}
    saddle = lines["saddle point (gradient zero, not a minimum)"]
    np.testing.assert_allclose(saddle.get_xydata(), [[0.0, 0.0]])
    np.testing.assert_allclose(problems.Saddle().grad([0.0, 0.0]), [0.0, 0.0])
    start = next(line for label, line in lines.items() if label.startswith("start ("))
    assert "y = 0.01" in start.get_label()
    minima = lines["minimum"].get_xydata()
    assert len(minima) == 2
    himmelblau = run(problems.Himmelblau(), optim.adam(learning_rate=0.1), stop=stop.MaxIter(50))
    view = gdviz.animate(himmelblau, layout=["contour"], frames=5).views[0]
    (x_low, x_high), (y_low, y_high) = view.window
    for x, y in himmelblau.problem.minima:  # every minimum of the catalogue's function
        assert x_low <= x <= x_high and y_low <= y <= y_high


def six_adam_runs_raced():
    """Six Adam runs on Rosenbrock from one start (they coincide at first)."""
    p = problems.Rosenbrock()
    runs = [run(p, optim.adam(learning_rate=rate), stop=stop.MaxIter(20)) for rate in
            (0.01, 0.02, 0.03, 0.04, 0.05, 0.06)]
    return gdviz.compare(runs, frames=5)


def test_at_the_start_every_run_of_a_race_and_the_start_itself_are_seen():
    anim = six_adam_runs_raced()
    contour = anim.views[0]
    artists = contour.update(0)
    order = [artists.index(a) for a in (contour.paths[0], contour.points[0], contour.start)]
    assert order == sorted(order)  # drawn in this order: paths, points, the (hollow) start
    assert contour.start.get_markerfacecolor() == "none"
    sizes = [point.get_markersize() for point in contour.points]
    assert sizes == sorted(sizes, reverse=True) and len(set(sizes)) == len(sizes)


def test_separability_is_decided_exactly():
    from gdviz.problems import LogisticRegression

    square = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
    assert LogisticRegression(square, np.array([0, 0, 1, 1])).separable()  # by y
    assert not LogisticRegression(square, np.array([0, 1, 1, 0])).separable()  # xor
    line = np.array([[0, 0], [1, 1], [2, 2], [3, 3]], dtype=float)
    assert LogisticRegression(line, np.array([0, 0, 1, 1])).separable()  # collinear, apart
    assert not LogisticRegression(line, np.array([0, 1, 0, 1])).separable()  # interleaved
    rng = np.random.default_rng(0)
    points = rng.normal(size=(60, 2))
    labels = (points @ [1.0, -2.0] + 0.3 > 0).astype(float)  # separable by construction
    assert LogisticRegression(points, labels).separable()
    # Brute force agrees on the catalogue's data: no direction of 20,000 separates it.
    blobs = LogisticRegression.example(data="blobs")
    first, second = blobs.X[blobs.labels == 0], blobs.X[blobs.labels == 1]
    angles = np.linspace(0, np.pi, 20_000)
    axes = np.column_stack([np.cos(angles), np.sin(angles)])
    a, b = first @ axes.T, second @ axes.T
    gap = np.maximum(b.min(axis=0) - a.max(axis=0), a.min(axis=0) - b.max(axis=0))
    assert gap.max() < 0 and not blobs.separable()


def test_the_names_at_the_loss_curves_ends_stay_inside_the_panel_and_apart():
    anim = six_adam_runs_raced()
    loss = anim.views[1]
    for k in anim.frame_iterations:
        anim.draw_iteration(int(k))
        ax = loss.names[0].axes
        to_axes = ax.transData + ax.transAxes.inverted()
        heights = sorted(to_axes.transform(name.get_position())[1] for name in loss.names)
        assert 0.05 - 1e-9 <= heights[0] and heights[-1] <= 0.97 + 1e-9
        assert min(np.diff(heights)) >= 0.045 - 1e-9


def test_a_race_loss_panels_names_are_drawn_whole_and_clear_of_their_dots():
    """Drawn, each name lies inside the panel (none cut by an edge) and off its run's dot,
    also the name of a run that fell below the axis's floor (its ▼ on the edge)."""
    runs = [run(problems.Beale(), optimizer, x0=[1, 1.5], stop=stop.MaxIter(800))
            for optimizer in (optim.gd(learning_rate=0.01), optim.momentum(learning_rate=0.005),
                              optim.rmsprop(learning_rate=0.01), optim.adam(learning_rate=0.05))]
    anim = gdviz.compare(runs, frames=6, labels=["plain gradient descent, lr 0.01",
                                                 "momentum", "rmsprop", "adam"])
    loss = anim.views[1]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(loss.names[0].get_figure(root=True))
    canvas.draw()  # the animation's first draw shows its first frame
    renderer = canvas.get_renderer()
    anim.draw_iteration(620)  # three quarters in: a long name after its curve would be cut
    canvas.draw()
    panel = loss.names[0].axes.get_window_extent(renderer)
    for name in loss.names:
        box = name.get_window_extent(renderer)
        assert panel.x0 <= box.x0 and box.x1 <= panel.x1, name.get_text()
    anim.draw_iteration(800)
    canvas.draw()
    renderer = canvas.get_renderer()
    panel = loss.names[0].axes.get_window_extent(renderer)
    assert any(marker.get_visible() and len(marker.get_xdata()) for marker in loss.beyond)
    for name, point, beyond in zip(loss.names, loss.points, loss.beyond):
        box = name.get_window_extent(renderer)
        assert panel.x0 <= box.x0 and box.x1 <= panel.x1, name.get_text()
        assert panel.y0 <= box.y0 and box.y1 <= panel.y1, name.get_text()
        for mark in (point, beyond):
            if mark.get_visible() and len(mark.get_xdata()):
                x, y = mark.get_transform().transform(mark.get_xydata()[0])
                assert not box.contains(x, y), name.get_text()


@pytest.mark.parametrize("name", ["quadratic", "rosenbrock", "himmelblau", "beale", "booth",
                                  "rastrigin", "saddle"])
def test_the_contour_of_every_test_function_holds_all_its_minima(name):
    from gdviz.scene import Scene

    trace = Scene(problem=name, optimizer="adam", lr=0.05, max_iter=50).run()
    view = gdviz.animate(trace, layout=["contour"], frames=5).views[0]
    (x_low, x_high), (y_low, y_high) = view.window
    minima = trace.problem.minima
    assert len(minima)
    for x, y in minima:
        assert x_low <= x <= x_high and y_low <= y <= y_high
    stars = [line for line in view.path.axes.lines if line.get_label() == "minimum"]
    np.testing.assert_allclose(stars[0].get_xydata(), minima)


def test_a_frame_due_while_a_window_closes_is_not_drawn(seed_trace):
    """Closing a window puts matplotlib's plain canvas under the figure before the
    animation hears of it; a frame due in between is skipped, not a traceback."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from gdviz.window import Player

    figure = Figure()
    FigureCanvasAgg(figure)  # a canvas that blits, as a window's does
    anim = gdviz.animate(seed_trace, figure=figure)
    assert anim._blit
    anim._fig.canvas.draw()
    Player(anim)
    (step, args, kwargs), = anim.event_source.callbacks
    assert step(*args, **kwargs) is not False  # a frame while the window is open
    anim._fig._set_base_canvas()  # what closing the window does first
    assert step(*args, **kwargs) is False  # the timer drops it; nothing drawn, no error


def test_a_view_that_refuses_an_optimizer_says_it_is_the_optimizer():
    """The eigen view draws plain GD's multipliers: for a momentum run it names the
    optimizer, not "this run's problem"."""
    trace = run(problems.Quadratic(), optim.momentum(learning_rate=0.05), stop=stop.MaxIter(5))
    with pytest.raises(ValueError, match="a momentum step is not one of them"):
        gdviz.animate(trace, layout=["eigen"])


def test_a_run_gone_off_the_race_panel_fades_and_the_others_do_not():
    from gdviz.views.window import in_window as contour_in_window

    p = problems.Quadratic(condition=10, angle=30)
    runs = [run(p, optim.gd(learning_rate=rate), stop=stop.MaxIter(40) | stop.Divergence())
            for rate in (0.15, 0.21)]
    anim = gdviz.compare(runs, frames=8)
    contour = anim.views[0]
    for i in (0, 30):
        anim.draw_iteration(i)
        for trace, path in zip(runs, contour.paths):
            k = min(i, trace.iterations)
            off = not contour_in_window(trace.params[k], contour.window)
            assert path.get_alpha() == (0.3 if off else 1.0)
    assert contour.paths[1].get_alpha() == 0.3 and contour.paths[0].get_alpha() == 1.0


def test_a_races_levels_cover_its_runs_and_never_crowd_one_label_over_another():
    from gdviz.views.race import race_levels

    class Run:  # only its losses matter here
        def __init__(self, loss):
            self.loss = np.asarray(loss)

    wide = np.geomspace(0.00145, 1.1e5, 2000)  # Beale's grid: six decades over its floor
    levels = race_levels(wide, [Run(np.geomspace(10, 1e-12, 300))])
    above = levels[1:] - levels[0]
    assert np.all(above[1:] >= 1.3 * above[:-1] - 1e-12)
    low_bands = levels[1:][levels[1:] < (wide.max() - wide.min()) / 40]
    assert np.all(low_bands[1:] >= 1.3 * low_bands[:-1])  # no 0.00148 over 0.00145
    assert np.sum((levels > 1e-3) & (levels < 10)) >= 4  # the runs' range crosses bands
    narrow = np.linspace(0.00957, 0.0105, 2000)  # a slice through a network's point
    levels = race_levels(narrow, [Run(np.linspace(0.0104, 0.00958, 50))])
    assert len(levels) >= 8 and np.all(np.diff(levels) > 0)
