"""How fast gdviz computes a run, as ratios measured in one process.

    python benchmarks/bench_run.py

1. The blog's run (seed 0, 1161 iterations) through ``gdviz.run`` against the
   blog's own pure-Python loop on the same data.
2. Scale: least squares on 1,000,000 points, 1,000 plain GD steps, against a
   numpy loop that passes over all the data every step (same losses to 1e-9).
"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import gdviz  # noqa: E402
from blog_program import blog_run  # noqa: E402
from gdviz import optim, problems, stop  # noqa: E402


def best_of(repeats, function):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def blog_against_gdviz():
    problem = problems.LinearRegression.seed(seed=0)
    b0, b1 = problem.x0.tolist()
    blog_time, (iterations, ref_b0, ref_b1, _) = best_of(
        3, lambda: blog_run(problem.x, problem.y, b0, b1))
    ours_time, trace = best_of(20, lambda: gdviz.run(
        problem, optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01)))
    assert trace.iterations == iterations
    assert np.allclose(trace.final_params, [ref_b0, ref_b1], rtol=0, atol=1e-9)
    print(f"blog's run, {iterations} iterations:")
    print(f"  blog's loop   {blog_time * 1e3:8.2f} ms  ({blog_time / iterations * 1e6:6.2f} us/iteration)")
    print(f"  gdviz.run     {ours_time * 1e3:8.2f} ms  ({ours_time / iterations * 1e6:6.2f} us/iteration)")
    print(f"  ratio         {blog_time / ours_time:8.1f}x  (target: at least 20x)")


def numpy_loop(x, y, params, learning_rate, steps):
    X = np.column_stack([np.ones(len(y)), x])
    losses = []
    for _ in range(steps + 1):
        residual = X @ params - y
        losses.append(np.mean(residual**2))
        grad = 2 * X.T @ residual / len(y)
        params = params - learning_rate * grad
    return np.array(losses)


def scale(n=1_000_000, steps=1000):
    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    y = 3.0 + 2.0 * x + rng.normal(scale=0.5, size=n)
    x0 = np.array([0.0, 0.0])
    loop_time, loop_losses = best_of(1, lambda: numpy_loop(x, y, x0, 0.01, steps))
    setup_time, problem = best_of(5, lambda: problems.LinearRegression(x, y))
    run_time, trace = best_of(5, lambda: gdviz.run(problem, optim.gd(learning_rate=0.01), x0=x0,
                                                   stop=stop.MaxIter(steps)))
    error = np.max(np.abs(trace.loss - loop_losses) / loop_losses)
    assert error < 1e-9, error
    print(f"least squares, n = {n:,}, {steps} GD steps (max relative loss difference {error:.1e}):")
    print(f"  numpy loop over the data {loop_time * 1e3:9.1f} ms  ({loop_time / steps * 1e6:8.2f} us/step)")
    print(f"  gdviz.run                {run_time * 1e3:9.1f} ms  ({run_time / steps * 1e6:8.2f} us/step)"
          f"  + {setup_time * 1e3:.0f} ms once for X^T X")
    print(f"  ratio (steps only)       {loop_time / run_time:9.0f}x  (target: at least 50x)")
    print(f"  ratio (with the set-up)  {loop_time / (run_time + setup_time):9.0f}x  (target: at least "
          f"100x; set-up at most 10 ms)")


if __name__ == "__main__":
    blog_against_gdviz()
    print()
    scale()
