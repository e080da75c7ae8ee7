"""gdviz's seed mode against the blog program's own loops."""
import numpy as np
import pytest
from skip_reasons import SKLEARN

import gdviz
from gdviz import optim, problems, stop

pytest.importorskip("sklearn", reason=SKLEARN)
from blog_program import blog_data, blog_run  # noqa: E402


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 42, 123456])
def test_data_start_iterations_and_result_equal_the_blogs(seed):
    X, y, b0, b1 = blog_data(seed)
    iterations, ref_b0, ref_b1, ref_losses = blog_run(X, y, b0, b1)

    problem = problems.LinearRegression.seed(seed=seed)
    assert np.array_equal(problem.x, X) and np.array_equal(problem.y, y)
    assert problem.x0.tolist() == [b0, b1]
    trace = gdviz.run(problem, optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01))

    assert trace.iterations == iterations
    assert trace.params.shape == (iterations + 1, 2)
    # Bit for bit: the blog sums point by point, and so does gdviz's seed problem.
    assert trace.final_params.tolist() == [ref_b0, ref_b1]
    assert trace.loss.tolist() == ref_losses
    assert trace.stop_reason == "converged"


@pytest.mark.parametrize("first", [0, 20, 40, 60])
def test_the_last_line_is_the_blogs_print_to_the_last_bit_for_many_seeds(first):
    """``print(b0, b1)`` after ``np.random.seed(N)``, for 80 seeds: the same text."""
    for seed in range(first, first + 20):
        X, y, b0, b1 = blog_data(seed)
        _iterations, ref_b0, ref_b1, _losses = blog_run(X, y, b0, b1)
        trace = gdviz.run(problems.LinearRegression.seed(seed=seed),
                          optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01))
        b0, b1 = trace.final_params.tolist()
        assert f"{b0} {b1}" == f"{ref_b0} {ref_b1}", seed


def test_seed_zero_matches_the_numbers_in_the_seed_document():
    trace = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.LossImprovement(0.01))
    assert trace.iterations == 1161
    assert trace.final_params.round(2).tolist() == [49.48, 42.43]
    assert problems.LinearRegression.seed(seed=0).optimum.round(2).tolist() == [49.59, 42.50]


# A tolerance of exactly 0 is left out on purpose: the run then ends where the
# loss stops changing at the level of rounding, which depends on the order of
# summation, so no two implementations agree on that step.
@pytest.mark.parametrize("lr,tol", [(0.05, 0.01), (0.001, 0.1), (1.5, 1e-6), (2.5, 0.01)])
def test_other_learning_rates_and_tolerances_equal_the_blogs(lr, tol):
    X, y, b0, b1 = blog_data(5)
    iterations, ref_b0, ref_b1, _ = blog_run(X, y, b0, b1, learning_rate=lr, tolerance=tol)
    trace = gdviz.run(problems.LinearRegression.seed(seed=5), optim.gd(learning_rate=lr),
                      stop=stop.LossImprovement(tol))
    assert trace.iterations == iterations
    assert trace.final_params.tolist() == [ref_b0, ref_b1]


def test_a_learning_rate_too_large_is_reported_as_divergence():
    problem = problems.LinearRegression.seed(seed=0)
    assert problem.max_stable_learning_rate < 2.5
    trace = gdviz.run(problem, optim.gd(learning_rate=2.5), stop=stop.LossImprovement(0.01))
    assert trace.stop_reason == "diverged"
    assert trace.loss[-1] > trace.loss[-2]
    assert "rose" in trace.stop_detail
