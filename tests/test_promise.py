"""Promise against delivery, and the eigen-directions' multipliers, against direct
evaluation and numpy's eigvalsh."""
import numpy as np
import pytest

import gdviz
from gdviz import anatomy, optim, problems, stop
from gdviz.views.promise import ALONG


def test_gradient_descent_promises_eta_times_the_squared_gradient():
    trace = gdviz.run(problems.Rosenbrock(), optim.gd(learning_rate=1e-3), stop=stop.MaxIter(30))
    promised = anatomy.promised_fall(trace)
    g = trace.grads[:-1]
    np.testing.assert_allclose(promised[:-1], 1e-3 * np.sum(g * g, axis=1), rtol=1e-12)
    assert np.isnan(promised[-1])


def test_the_promise_view_draws_the_loss_along_the_step_in_promised_falls():
    q = problems.Quadratic(condition=10, angle=30)
    trace = gdviz.run(q, optim.gd(learning_rate=0.21), stop=stop.MaxIter(20))
    anim = gdviz.animate(trace, layout=["promise"], frames=10)
    view = anim.views[0]
    k = int(anim.frame_iterations[3])
    anim.draw_iteration(k)
    step = trace.params[k + 1] - trace.params[k]
    promised = -trace.grads[k] @ step
    x, y = view.curve.get_data()
    for n in (0, 30, 60, 90):
        direct = q.loss(trace.params[k] + ALONG[n] * step) - trace.loss[k]
        assert y[n] == pytest.approx(np.clip(direct / promised, -3, 2.5), rel=1e-9, abs=1e-12)
    (t, landed), = view.landing.get_xydata()
    assert t == 1 and landed == pytest.approx((trace.loss[k + 1] - trace.loss[k]) / promised)
    assert landed > 0  # above 2/L: the landing is higher than the start
    (t_low, _), = view.lowest.get_xydata()
    assert 0 < t_low < 1  # the lowest point of the line was passed: overshoot
    from gdviz.words.numbers import number

    assert f"promised fall {number(promised)}" in view.words.get_text()
    assert "ROSE" in view.words.get_text() and "overshot" in view.words.get_text()


def test_eigen_multipliers_are_one_minus_eta_lambda_of_the_hessian():
    p = problems.Quadratic(condition=25, angle=-20)
    eigenvalues, multipliers = anatomy.eigen_multipliers(p, 0.09)
    np.testing.assert_allclose(eigenvalues, np.linalg.eigvalsh(p.hessian()))
    np.testing.assert_allclose(multipliers, np.abs(1 - 0.09 * eigenvalues))
    assert multipliers.max() > 1 > multipliers.min()  # 0.09 > 2/25: the steep direction grows
    with pytest.raises(ValueError, match="Hessian"):
        anatomy.eigen_multipliers(problems.Rosenbrock(), 0.1)


def test_the_eigen_bars_are_the_multipliers_at_the_current_rate_and_the_error_left():
    q = problems.Quadratic(condition=10, angle=30)
    trace = gdviz.run(q, optim.gd(learning_rate=0.21), stop=stop.MaxIter(30) | stop.Divergence())
    anim = gdviz.animate(trace, layout=["eigen"], frames=10)
    view = anim.views[0]
    k = int(anim.frame_iterations[2])
    anim.draw_iteration(k)
    eigenvalues, vectors = np.linalg.eigh(q.hessian())
    heights = [bar.get_height() for bar in view.bars]
    np.testing.assert_allclose(heights, np.abs(1 - 0.21 * eigenvalues))
    assert [bar.get_facecolor()[:3] != view.bars[0].get_facecolor()[:3] for bar in view.bars][-1]
    errors = np.abs((trace.params[k] - q.optimum) @ vectors)
    for label, error, value in zip(view.labels, errors, eigenvalues):
        assert f"error now {error:.2g}" in label.get_text()
        # The sign is said: 1 − 0.21·λ is negative for the steep direction only (λ = 10),
        # and a negative multiplier sends the error to the other side every step.
        multiplier = 1 - 0.21 * value
        assert f"×{multiplier:.3g}".replace("-", "−") in label.get_text()
        assert ("flips side" in label.get_text()) == (multiplier < 0)
    assert "2/L = 0.2" in view.bars[0].axes.get_title()
    assert not gdviz.views.EigenView.supports(
        gdviz.run(problems.Rosenbrock(), optim.gd(learning_rate=1e-3), stop=stop.MaxIter(3)))
