"""Every problem in the catalogue: exact gradients, vectorized losses, closed forms."""
import numpy as np
import pytest

from gdviz import optim, problems, run, stop
from gdviz.problems import PROBLEMS


def catalogue():
    cases = {name: cls.example() for name, cls in PROBLEMS.items()}
    cases.update({
        "seed": problems.LinearRegression.seed(seed=3),
        "linear-3-features": problems.LinearRegression(
            *problems.make_regression(50, 3, noise=2, bias=5, random_state=1)),
        "linear-standardized": problems.LinearRegression(
            np.linspace(10, 20, 30), np.linspace(10, 20, 30) ** 1.1, standardize=True),
        "polynomial-5": problems.PolynomialRegression.example(degree=5),
        "moons": problems.LogisticRegression.example(data="moons"),
        "quadratic-rotated": problems.Quadratic(condition=50, angle=-70, center=(1, -2)),
        "expression": problems.Expression("sin(x)*y**2 + exp(-x/2) + 0.1*x**4 - tanh(x*y)"),
        "expression-all": problems.Expression(
            "sqrt(x**2 + 1) + log(y**2 + 2) + cos(x)/(2 + sin(y)) + abs(x - 0.3)*tan(0.2*y)"
            " + (x**2+1)**(y/3) + 2**x + e**(-y) + pi"),
    })
    return cases


CATALOGUE = catalogue()


def central_difference(problem, params, h=1e-6):
    grad = np.zeros_like(params)
    for k in range(len(params)):
        step = np.zeros_like(params)
        step[k] = h * max(1.0, abs(params[k]))
        grad[k] = (problem.loss(params + step) - problem.loss(params - step)) / (2 * step[k])
    return grad


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_gradient_matches_finite_differences(name):
    problem = CATALOGUE[name]
    rng = np.random.default_rng(0)
    for _ in range(4):
        params = problem.x0 + rng.normal(scale=0.3, size=problem.n_params)
        numeric = central_difference(problem, params)
        if getattr(problem, "loss_convention", "mse") == "blog":
            numeric = numeric / problem.n_samples  # the blog's gradient is of the mean
        analytic = problem.grad(params)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5,
                                   atol=1e-6 * max(1.0, np.abs(numeric).max()))


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_value_and_grad_and_loss_many_agree_with_loss(name):
    problem = CATALOGUE[name]
    rng = np.random.default_rng(1)
    points = problem.x0 + rng.normal(scale=0.5, size=(3, 4, problem.n_params))
    many = problem.loss_many(points)
    assert many.shape == (3, 4)
    for index in np.ndindex(3, 4):
        loss, grad = problem.value_and_grad(points[index])
        assert many[index] == pytest.approx(problem.loss(points[index]), rel=1e-9, abs=1e-12)
        assert loss == pytest.approx(problem.loss(points[index]), rel=1e-12)
        np.testing.assert_allclose(grad, problem.grad(points[index]))


@pytest.mark.parametrize("name", ["linear", "polynomial", "polynomial-5", "linear-3-features",
                                  "linear-standardized", "quadratic", "quadratic-rotated",
                                  "booth"])
def test_closed_forms(name):
    problem = CATALOGUE[name]
    optimum = problem.optimum
    np.testing.assert_allclose(problem.grad(optimum), 0, atol=1e-8)
    hessian = problem.hessian()
    # The Hessian is the Jacobian of the gradient: check it by differences.
    h = 1e-5
    columns = [(problem.grad(optimum + h * e) - problem.grad(optimum - h * e)) / (2 * h)
               for e in np.eye(problem.n_params)]
    np.testing.assert_allclose(np.array(columns).T, hessian, rtol=1e-6, atol=1e-6)
    eigenvalues = np.linalg.eigvalsh(hessian)
    np.testing.assert_allclose(problem.eigenvalues, eigenvalues)
    assert problem.condition_number == pytest.approx(eigenvalues[-1] / eigenvalues[0])
    assert problem.max_stable_learning_rate == pytest.approx(2 / eigenvalues[-1])


def test_quadratic_condition_number_is_what_was_asked():
    problem = problems.Quadratic(condition=37, angle=12)
    np.testing.assert_allclose(problem.eigenvalues, [1, 37])
    assert problem.condition_number == pytest.approx(37)
    assert problems.Booth().max_stable_learning_rate == pytest.approx(2 / 18)


def test_linear_optimum_is_numpy_least_squares():
    problem = CATALOGUE["linear-3-features"]
    design = np.column_stack([np.ones(50), problem.x])
    np.testing.assert_allclose(problem.optimum, np.linalg.lstsq(design, problem.y, rcond=None)[0])


def test_standardize_changes_the_surface_not_the_fit():
    x = np.linspace(100, 110, 40)
    y = 3 + 0.5 * x + np.sin(x)
    raw = problems.LinearRegression(x, y)
    scaled = problems.LinearRegression(x, y, standardize=True)
    np.testing.assert_allclose(raw.predict(raw.optimum), scaled.predict(scaled.optimum))
    condition = lambda p: np.divide(*np.linalg.eigvalsh(p.hessian())[::-1])  # noqa: E731
    assert condition(raw) > 1e4 and condition(scaled) < 10
    fast = run(scaled, optim.gd(learning_rate=0.9 * scaled.max_stable_learning_rate),
               stop=stop.MaxIter(200))
    assert fast.final_loss == pytest.approx(scaled.loss(scaled.optimum), rel=1e-9)


def test_polynomial_recovers_its_coefficients():
    x = np.linspace(-1, 1, 30)
    problem = problems.PolynomialRegression(x, 0.5 - x + 2 * x**3, degree=3)
    np.testing.assert_allclose(problem.optimum, [0.5, -1, 0, 2], atol=1e-9)
    np.testing.assert_allclose(problem.predict([0.5, -1, 0, 2], [2.0]), [0.5 - 2 + 16])


@pytest.mark.parametrize("name", sorted(problems.TEST_FUNCTIONS))
def test_known_minima_are_minima(name):
    problem = CATALOGUE[name]
    for point in problem.minima:
        assert problem.loss(point) == pytest.approx(problem.minimum_value, abs=1e-9)
        np.testing.assert_allclose(problem.grad(point), 0, atol=2e-5)
        for direction in np.random.default_rng(0).normal(size=(8, 2)) * 1e-3:
            assert problem.loss(point + direction) >= problem.minimum_value - 1e-12


def test_logistic_loss_is_cross_entropy():
    problem = CATALOGUE["logistic"]
    params = np.array([0.3, -1.0, 2.0])
    p = 1 / (1 + np.exp(-(params[0] + problem.X @ params[1:])))
    reference = -np.mean(problem.labels * np.log(p) + (1 - problem.labels) * np.log(1 - p))
    assert problem.loss(params) == pytest.approx(reference, rel=1e-12)
    np.testing.assert_allclose(problem.predict(params), p)


def test_mlp_prediction_is_the_network():
    problem = problems.MLP.example(hidden=3)
    params = problem.x0
    w1, b1, w2, b2 = params[:3], params[3:6], params[6:9], params[9]
    x = np.array([-1.0, 0.5])
    expected = [np.tanh(w1 * v + b1) @ w2 + b2 for v in x]
    np.testing.assert_allclose(problem.predict(params, x), expected)
    assert problem.loss(params) == pytest.approx(
        np.mean((problem.predict(params) - problem.y) ** 2))


def test_diverging_test_function_gives_inf_not_an_exception():
    problem = problems.Rosenbrock()
    loss, grad = problem.value_and_grad(np.array([1e200, -1e200]))
    assert loss == np.inf or np.isnan(loss)
    trace = run(problem, optim.gd(learning_rate=1.0), stop=stop.MaxIter(100))
    assert trace.stop_reason in ("non_finite", "diverged")


@pytest.mark.parametrize("make,message", [
    (lambda: problems.Quadratic(condition=0.5), "condition"),
    (lambda: problems.Rosenbrock(x0=(1, 2, 3)), "x0 must have 2 numbers"),
    (lambda: problems.PolynomialRegression([1.0, 2.0], [1.0, 2.0], degree=0), "degree"),
    (lambda: problems.LogisticRegression([[0, 0], [1, 1]], [0, 2]), "0 or 1"),
    (lambda: problems.LogisticRegression([0, 1], [0, 1]), "2-D points"),
    (lambda: problems.MLP([0, np.inf], [0, 1]), "finite"),
])
def test_bad_settings_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_the_networks_loss_many_is_exact_when_most_units_are_held():
    problem = problems.MLP.example(hidden=8)
    rng = np.random.default_rng(1)
    base = rng.normal(size=problem.n_params)
    grid = np.tile(base, (40, 1))
    grid[:, 3] = rng.normal(size=40)   # one unit's input weight varies (a slice's axis)
    grid[:, 20] = rng.normal(size=40)  # and another unit's output weight
    np.testing.assert_allclose(problem.loss_many(grid), [problem.loss(row) for row in grid],
                               rtol=1e-12)
