import numpy as np
import pytest

from gdviz import optim, problems, run, stop


def direct_mse(x, y, params):
    X = np.column_stack([np.ones(len(y)), x.reshape(len(y), -1)])
    r = X @ params - y
    return np.mean(r**2), 2 * X.T @ r / len(y)


@pytest.fixture
def data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 3))
    y = 1.0 + x @ np.array([2.0, -3.0, 0.5]) + rng.normal(scale=0.3, size=200)
    return x, y


def test_mse_loss_and_gradient_equal_the_direct_formula(data):
    x, y = data
    problem = problems.LinearRegression(x, y)
    for params in np.random.default_rng(2).normal(size=(5, 4)) * 3:
        loss, grad = problem.value_and_grad(params)
        ref_loss, ref_grad = direct_mse(x, y, params)
        assert loss == pytest.approx(ref_loss, rel=1e-12)
        np.testing.assert_allclose(grad, ref_grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("convention", ["mse", "blog"])
@pytest.mark.parametrize("features", [1, 3])
def test_gradient_matches_finite_differences(convention, features):
    rng = np.random.default_rng(features)
    x = rng.normal(size=(50, features)).squeeze()
    y = rng.normal(size=50)
    problem = problems.LinearRegression(x, y, loss=convention)
    params = rng.normal(size=features + 1)
    h = 1e-6
    numeric = np.array([(problem.loss(params + h * e) - problem.loss(params - h * e)) / (2 * h)
                        for e in np.eye(features + 1)])
    if convention == "blog":
        # The blog's gradient is that of 0.5*mean, its loss 0.5*sum: n times apart.
        numeric /= 50
    np.testing.assert_allclose(problem.grad(params), numeric, rtol=1e-6, atol=1e-7)


def test_loss_is_exactly_zero_for_a_perfect_fit():
    x = np.linspace(-1, 1, 11)
    problem = problems.LinearRegression(x, 3 - 2 * x)
    np.testing.assert_allclose(problem.optimum, [3, -2])
    assert problem.loss(problem.optimum) == pytest.approx(0, abs=1e-24)
    assert problem.loss([3.0, -1.0]) > 0


def test_optimum_and_predict(data):
    x, y = data
    problem = problems.LinearRegression(x, y)
    X = np.column_stack([np.ones(len(y)), x])
    np.testing.assert_allclose(problem.optimum, np.linalg.lstsq(X, y, rcond=None)[0])
    np.testing.assert_allclose(problem.predict(problem.optimum), X @ problem.optimum)


def test_largest_stable_learning_rate_separates_convergence_from_divergence():
    problem = problems.LinearRegression.seed(seed=4)
    limit = problem.max_stable_learning_rate
    eigenvalues = np.linalg.eigvalsh(problem.hessian())
    assert limit == pytest.approx(2 / eigenvalues[-1])
    below = run(problem, optim.gd(learning_rate=0.95 * limit), stop=stop.MaxIter(3000))
    above = run(problem, optim.gd(learning_rate=1.05 * limit),
                stop=stop.MaxIter(3000) | stop.Divergence())
    assert np.linalg.norm(below.final_params - problem.optimum) < 1e-6
    assert above.stop_reason in ("diverged", "non_finite")


def test_bad_data_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="finite"):
        problems.LinearRegression([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="shape"):
        problems.LinearRegression([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="loss"):
        problems.LinearRegression([1.0, 2.0], [1.0, 2.0], loss="mae")
    with pytest.raises(ValueError, match="x0 must have 2 numbers"):
        problems.LinearRegression([1.0, 2.0], [1.0, 2.0], x0=[1.0])
