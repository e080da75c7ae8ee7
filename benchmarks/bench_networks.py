"""How fast a network trains and draws: 1,000 full-batch Adam steps of a 2-8-8-1 ReLU
network on 500 points (gdviz.run against a plain PyTorch loop doing the same steps on
the CPU), and the frames of a 100-frame decision-map animation.

    python benchmarks/bench_networks.py

Prints seconds and ratios (targets: the steps in at most 0.5 s on 2 cores).

Measured on the 2-core development machine (2026-11): 0.37 s for the steps at first;
0.29 s once the backward pass filled one gradient array; 0.27 s (gdviz / PyTorch = 0.16)
with the loss summed rather than averaged and a bias's gradient as a product with ones.
The 100-frame GIF: 8.2 s (88 ms a frame).
"""
import time

import numpy as np

import gdviz
from gdviz import optim, problems, stop

STEPS = 1000


def _five_hundred():
    from gdviz.problems.datasets import make_spirals

    X, labels = make_spirals(500, noise=0.1, seed=0)
    return problems.MLP(X, labels, hidden=(8, 8), activation="relu", task="classification")


def best_of(runs, work):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def gdviz_steps(problem):
    return gdviz.run(problem, optim.adam(learning_rate=0.03), stop=stop.MaxIter(STEPS))


def torch_steps(problem):
    import torch

    X = torch.tensor(problem.X)
    y = torch.tensor(problem.y)
    layers, at, params = [], 0, problem.x0
    for inputs, units in zip(problem.sizes[:-1], problem.sizes[1:]):
        linear = torch.nn.Linear(inputs, units, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(params[at: at + units * inputs]).reshape(units, inputs))
            at += units * inputs
            linear.bias.copy_(torch.tensor(params[at: at + units]))
            at += units
        layers.append(linear)
    model = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2])
    opt = torch.optim.Adam(model.parameters(), lr=0.03)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(model(X)[:, 0], y)
        loss.backward()
        opt.step()
    return float(loss.detach())


def main():
    problem = _five_hundred()
    ours, trace = best_of(3, lambda: gdviz_steps(problem))
    print(f"gdviz: {STEPS} Adam steps of a 2-8-8-1 ReLU network on 500 points: {ours:.3f} s "
          f"({ours / STEPS * 1e6:.0f} µs a step; target 0.5 s)")
    try:
        import torch

        torch.set_num_threads(2)
        theirs, _ = best_of(3, lambda: torch_steps(problem))
        print(f"PyTorch (CPU, float64, 2 threads), the same steps: {theirs:.3f} s; "
              f"gdviz / PyTorch = {ours / theirs:.2f}")
    except ImportError:
        print("PyTorch is not installed: no comparison (pip install torch==2.13.0)")
    import tempfile
    from pathlib import Path

    anim = gdviz.animate(trace, layout=["map", "loss"], frames=100)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        saved = anim.save(Path(folder) / "map.gif", dpi=70, progress=False)
        drawn = time.perf_counter() - started
        size = saved.stat().st_size
    print(f"a 100-frame GIF of the decision map and the loss (70 dpi): {drawn:.2f} s "
          f"({drawn / len(anim.frame_iterations) * 1e3:.0f} ms a frame, {size / 1e3:.0f} kB)")
    print(f"final loss {trace.final_loss:.4g}, accuracy "
          f"{np.mean(problem.classify(trace.final_params) == problem.labels):.0%}")


if __name__ == "__main__":
    main()
