import numpy as np
import pytest

from gdviz import optim, problems, run, stop


def check(rule, iteration=5, loss=1.0, previous=2.0, initial=10.0, grad=(1.0, 1.0)):
    return rule.check(iteration, loss, previous, initial, np.asarray(grad))


def test_loss_improvement_follows_the_blogs_rule():
    rule = stop.LossImprovement(0.01)
    assert check(rule, loss=1.0, previous=1.02) is None
    assert check(rule, loss=1.0, previous=1.005).reason == "converged"  # not more than tol
    assert check(rule, loss=1.0, previous=1.0).reason == "converged"
    assert check(rule, loss=1.5, previous=1.0).reason == "diverged"
    assert check(rule, loss=5.0, previous=float("inf")) is None  # the first step


def test_other_rules():
    assert check(stop.MaxIter(5), iteration=4) is None
    assert check(stop.MaxIter(5), iteration=5).reason == "max_iter"
    assert check(stop.GradNorm(0.1), grad=(0.06, 0.08)).reason == "grad_norm"
    assert check(stop.GradNorm(0.1), grad=(0.1, 0.1)) is None
    assert check(stop.Divergence(100), loss=999.0) is None
    assert check(stop.Divergence(100), loss=1001.0).reason == "diverged"
    assert check(stop.NonFinite(), loss=float("nan")).reason == "non_finite"
    assert check(stop.NonFinite(), loss=float("inf")).reason == "non_finite"


def test_combined_rules_report_the_first_that_fires():
    rule = stop.MaxIter(5) | stop.LossImprovement(0.01) | stop.GradNorm(1.0)
    assert len(rule.rules) == 3
    assert check(rule, iteration=5, loss=1.0, previous=1.0).reason == "max_iter"
    assert check(rule, iteration=1, loss=1.0, previous=1.0).reason == "converged"
    assert rule.find(stop.LossImprovement).tol == 0.01


@pytest.mark.parametrize("make", [lambda: stop.LossImprovement(-1), lambda: stop.MaxIter(0),
                                  lambda: stop.GradNorm(0), lambda: stop.MaxIter(2.5)])
def test_bad_settings_are_refused(make):
    with pytest.raises(ValueError):
        make()


def test_runs_record_which_rule_fired():
    problem = problems.LinearRegression.seed(seed=0)
    reasons = {
        "converged": run(problem, optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01)),
        "max_iter": run(problem, optim.gd(learning_rate=0.005), stop=stop.MaxIter(10)),
        "diverged": run(problem, optim.gd(learning_rate=3.0), stop=stop.MaxIter(1000) | stop.Divergence()),
        "non_finite": run(problem, optim.gd(learning_rate=1e300), stop=stop.MaxIter(100)),
        "grad_norm": run(problem, optim.gd(learning_rate=0.5), stop=stop.GradNorm(1e-6)),
    }
    for reason, trace in reasons.items():
        assert trace.stop_reason == reason, (reason, trace.stop_detail)
    assert reasons["max_iter"].iterations == 10
    assert np.linalg.norm(reasons["grad_norm"].grads[-1]) <= 1e-6
    assert np.linalg.norm(reasons["grad_norm"].grads[-2]) > 1e-6


def test_settled_stops_once_the_loss_is_rounding_only_and_serves_many_runs():
    problem = problems.Quadratic(condition=2)
    rule = stop.Settled(patience=10) | stop.MaxIter(1000)
    first = run(problem, optim.gd(learning_rate=0.5), stop=rule)
    assert first.stop_reason == "converged" and first.iterations < 1000
    loss = first.loss
    scale = np.maximum(np.maximum(np.abs(loss[1:]), np.abs(loss[:-1])), loss[0])
    still = np.abs(np.diff(loss)) <= 1e-12 * scale
    assert still[-10:].all() and not still[-11:].all()  # exactly ten quiet steps in a row
    # A second run with the same rule starts counting afresh.
    second = run(problem, optim.gd(learning_rate=0.5), stop=rule)
    assert second.iterations == first.iterations
    # Mini-batch noise never looks settled.
    noisy = run(problems.LinearRegression.example(), optim.sgd(learning_rate=0.01),
                stop=stop.Settled() | stop.MaxIter(300), batch_size=5)
    assert noisy.stop_reason == "max_iter"
