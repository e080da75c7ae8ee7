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


@pytest.mark.parametrize("name", sorted(VIEWS))
@pytest.mark.parametrize("case", sorted(CATALOGUE))
def test_view_contract_update_returns_only_its_own_artists(name, case):
    trace = CATALOGUE[case]
    if not VIEWS[name].supports(trace):
        pytest.skip(f"{name} does not draw {case}")
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
