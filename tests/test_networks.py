"""Networks: the loss and gradient of ``problems.MLP`` equal PyTorch's autograd (float64)
for random architectures, activations and tasks; the layout is ``nn.Linear``'s; the
datasets are seeded and shaped; bad architectures are refused in one line."""
import numpy as np
import pytest

from gdviz import problems
from gdviz.problems import datasets
from gdviz.problems.mlp import ACTIVATIONS

from skip_reasons import TORCH

try:
    import torch
    F64 = {"dtype": torch.float64}
except ImportError:  # the comparisons with torch skip, saying so
    torch = None


@pytest.fixture
def with_torch():
    if torch is None:
        pytest.skip(TORCH)


def torch_network(problem, params):
    """The same network built from ``torch.nn.Linear`` layers holding ``params``."""
    layers, at = [], 0
    for inputs, units in zip(problem.sizes[:-1], problem.sizes[1:]):
        linear = torch.nn.Linear(inputs, units, **F64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(params[at: at + units * inputs], **F64).reshape(units, inputs))
            at += units * inputs
            linear.bias.copy_(torch.tensor(params[at: at + units], **F64))
            at += units
        layers.append(linear)
    activation = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU,
                  "sigmoid": torch.nn.Sigmoid}[problem.activation]
    modules = []
    for n, linear in enumerate(layers):
        modules.append(linear)
        if n < len(layers) - 1:
            modules.append(activation())
    return torch.nn.Sequential(*modules), layers


def torch_loss_and_grad(problem, params):
    network, layers = torch_network(problem, params)
    out = network(torch.tensor(problem.X, **F64))
    y = torch.tensor(problem.y, **F64)
    if problem.task == "regression":
        loss = torch.nn.MSELoss()(out[:, 0], y)
    elif problem.classes == 2:
        loss = torch.nn.BCEWithLogitsLoss()(out[:, 0], y)
    else:
        loss = torch.nn.CrossEntropyLoss()(out, y.long())
    if problem.l2:
        loss = loss + problem.l2 * sum((layer.weight**2).sum() for layer in layers)
    loss.backward()
    grad = np.concatenate([np.concatenate([layer.weight.grad.numpy().ravel(),
                                           layer.bias.grad.numpy()]) for layer in layers])
    return float(loss.detach()), grad


def random_problem(rng, task, classes=2):
    n, d = int(rng.integers(5, 40)), int(rng.integers(1, 4))
    hidden = tuple(int(h) for h in rng.integers(1, 7, size=int(rng.integers(1, 4))))
    X = rng.normal(size=(n, d))
    if task == "regression":
        y = rng.normal(size=n)
    else:
        y = np.arange(n) % classes  # every class present
        rng.shuffle(y)
    return problems.MLP(X, y, hidden=hidden, activation=str(rng.choice(list(ACTIVATIONS))),
                        task=task, l2=float(rng.choice([0.0, 0.01])), seed=int(rng.integers(100)))


@pytest.mark.parametrize("task, classes", [("regression", 2), ("classification", 2),
                                           ("classification", 4)])
def test_loss_and_gradient_equal_torch_autograd_for_random_networks(with_torch, task, classes):
    rng = np.random.default_rng(7)
    for _ in range(12):
        problem = random_problem(rng, task, classes)
        params = problem.x0 + rng.normal(scale=0.5, size=problem.n_params)
        loss, grad = problem.value_and_grad(params)
        expected_loss, expected_grad = torch_loss_and_grad(problem, params)
        assert loss == pytest.approx(expected_loss, rel=1e-12, abs=1e-14)
        np.testing.assert_allclose(grad, expected_grad, rtol=1e-10, atol=1e-13)
        # the vectorised loss over many points is the same loss
        many = params + rng.normal(scale=0.3, size=(5, problem.n_params))
        np.testing.assert_allclose(problem.loss_many(many),
                                   [problem.loss(p) for p in many], rtol=1e-12)


def test_the_default_start_is_nn_linears_bounds_and_the_old_one_layer_network_is_kept():
    problem = problems.MLP(np.linspace(-1, 1, 10), np.zeros(10), hidden=(3, 2), seed=0)
    assert problem.param_names[:4] == ("layer1.w[0,0]", "layer1.w[1,0]", "layer1.w[2,0]",
                                       "layer1.b[0]")
    assert "layer2.w[1,2]" in problem.param_names and problem.param_names[-1] == "layer3.b[0]"
    for (weight, bias), inputs in zip(problem.unpack(problem.x0), problem.sizes[:-1]):
        bound = 1 / np.sqrt(inputs)
        assert np.all(np.abs(weight) <= bound) and np.all(np.abs(bias) <= bound)
    old = problems.MLP.example(seed=0, hidden=4)  # one tanh layer, as it always was
    rng = np.random.RandomState(0)
    np.testing.assert_array_equal(old.x0, np.concatenate([rng.uniform(-1, 1, 8),
                                                          rng.uniform(-0.5, 0.5, 5)]))
    w = old.unpack(old.x0)
    np.testing.assert_allclose(old.predict(old.x0, [0.3]),
                               np.tanh(0.3 * w[0][0][:, 0] + w[0][1]) @ w[1][0][0] + w[1][1])


@pytest.mark.parametrize("make, options, message", [
    (lambda **o: problems.MLP([0, 1], [0, 1], **o), {"hidden": (8,) * 5}, "1 to 4 hidden layers"),
    (lambda **o: problems.MLP([0, 1], [0, 1], **o), {"hidden": "8,x"}, "like 8 or 8,8"),
    (lambda **o: problems.MLP([0, 1], [0, 1], **o), {"hidden": 65}, "at most 64 units"),
    (lambda **o: problems.MLP([0, 1], [0, 1], **o), {"activation": "rleu"}, "did you mean 'relu'"),
    (lambda **o: problems.MLP([0, 1], [0, 1], **o), {"task": "classify"},
     "did you mean 'classification'"),
    (lambda **o: problems.MLP([0, 1], [0.5, 1], **o), {"task": "classification"},
     "labels 0, 1, 2"),
    (lambda **o: problems.MLP([0, 1], [0, 1], **o), {"l2": -1}, "l2 must be"),
])
def test_a_bad_architecture_is_refused_in_one_line(make, options, message):
    with pytest.raises(ValueError) as error:
        make(**options)
    assert message in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("name", list(datasets.DATASETS))
def test_datasets_are_seeded_shaped_and_split(name):
    X, y = datasets.DATASETS[name](200, noise=0.1, seed=3)
    again, labels = datasets.DATASETS[name](200, noise=0.1, seed=3)
    np.testing.assert_array_equal(X, again)
    np.testing.assert_array_equal(y, labels)
    assert X.shape == (200, 2) and set(np.unique(y)) == {0.0, 1.0}
    assert abs(np.mean(y) - 0.5) <= 0.05  # the classes balanced
    other, _ = datasets.DATASETS[name](200, noise=0.1, seed=4)
    assert not np.array_equal(X, other)
    train_X, train_y, test_X, test_y = datasets.split(X, y, 0.3, seed=3)
    assert len(test_X) == 60 and len(train_X) == 140
    assert sorted(map(tuple, np.vstack([train_X, test_X]))) == sorted(map(tuple, X))


def test_a_network_on_a_dataset_holds_out_its_test_points():
    problem = problems.MLP.example(data="circles", noise=0.05, test_fraction=0.25, seed=2,
                                   hidden=(6,), activation="relu")
    X, labels = datasets.make_circles(200, noise=0.05, seed=2)
    train_X, train_y, test_X, test_y = datasets.split(X, labels, 0.25, seed=2)
    np.testing.assert_array_equal(problem.X, train_X)
    np.testing.assert_array_equal(problem.X_test, test_X)
    params = problem.x0
    z = problem.forward(params, test_X)[1][-1][:, 0]
    expected = np.mean(np.logaddexp(0, z) - test_y * z)  # BCE with logits, written out
    assert problem.test_loss(params) == pytest.approx(expected, rel=1e-12)
    assert problem.loss(params) != pytest.approx(problem.test_loss(params))


def test_the_command_line_builds_the_network_it_is_asked_for(tmp_path):
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "gdviz", "run", "mlp", "--hidden", "8,8", "--activation", "relu",
         "--data", "spirals", "--noise", "0.1", "--test-fraction", "0.3", "--optimizer", "adam",
         "--lr", "0.03", "--max-iter", "40", "--no-show", "--save", "run.json"],
        capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    saved = json.loads((tmp_path / "run.json").read_text())
    assert saved["param_names"][0] == "layer1.w[0,0]" and len(saved["param_names"]) == 105
    from gdviz.scene import Scene

    scene = Scene.of("mlp", hidden=(8, 8), activation="relu", data="spirals", noise=0.1,
                     test_fraction=0.3, optimizer="adam", lr=0.03, max_iter=40)
    assert Scene.from_query(scene.to_query()) == scene
    np.testing.assert_array_equal(saved["params"], scene.run().params)
    for args, words in [(["--hidden", "8,99"], "at most 64 units"),
                        (["--activation", "rleu"], "'rleu' is not one of"),
                        (["--test-fraction", "1"], "must be from 0 up to"),
                        (["--data", "spirals", "--task", "regression"], "its task is classification")]:
        bad = subprocess.run([sys.executable, "-m", "gdviz", "run", "mlp", *args, "--no-show"],
                             capture_output=True, text=True, cwd=tmp_path)
        assert bad.returncode == 2 and words in bad.stderr and bad.stderr.count("\n") == 1


def test_the_decision_map_is_the_networks_own_output_and_rings_the_misclassified():
    import gdviz
    from gdviz.scene import Scene
    from gdviz.views.network_map import RESOLUTION

    trace = Scene.of("mlp", hidden=(6,), data="xor", noise=0.1, test_fraction=0.25,
                     optimizer="adam", lr=0.05, max_iter=60).run()
    problem = trace.problem
    anim = gdviz.animate(trace, frames=8)
    assert [type(view).__name__ for view in anim.views][0] == "DecisionMapView"
    view = anim.views[0]
    k = int(anim.frame_iterations[4])
    anim.draw_iteration(k)
    x0, x1, y0, y1 = view.image.get_extent()
    gx, gy = np.meshgrid(np.linspace(x0, x1, RESOLUTION), np.linspace(y0, y1, RESOLUTION))
    (w1, b1), (w2, b2) = problem.unpack(trace.params[k])
    logits = np.tanh(np.column_stack([gx.ravel(), gy.ravel()]) @ w1.T + b1) @ w2.T + b2
    np.testing.assert_allclose(view.image.get_array(),
                               (1 / (1 + np.exp(-logits[:, 0]))).reshape(RESOLUTION, RESOLUTION),
                               rtol=1e-12)
    said = lambda X: (np.tanh(X @ w1.T + b1) @ w2.T + b2)[:, 0] > 0  # noqa: E731
    wrong = np.vstack([problem.X[said(problem.X) != (problem.y == 1)],
                       problem.X_test[said(problem.X_test) != (problem.y_test == 1)]])
    np.testing.assert_allclose(view.wrong.get_offsets(), wrong)
    right = int(np.sum(said(problem.X) == (problem.y == 1)))
    assert f"accuracy {right}/{problem.n_samples}" in anim.status.text.get_text()
    loss_view = anim.views[-1]
    x, y = loss_view.test_curve.get_data()
    assert len(x) == k + 1
    np.testing.assert_allclose(y, [problem.test_loss(p) for p in trace.params[: k + 1]],
                               rtol=1e-12)


def test_the_network_picture_is_drawn_from_the_weights_and_the_units_outputs():
    import gdviz
    from matplotlib.colors import to_rgba
    from gdviz.scene import Scene
    from gdviz.views.network import MAP_POINTS, NEGATIVE, POSITIVE

    trace = Scene.of("mlp", hidden=(3, 2), activation="tanh", data="circles", noise=0.1,
                     optimizer="adam", lr=0.05, max_iter=30).run()
    problem = trace.problem
    anim = gdviz.animate(trace, layout=["network", "loss"], frames=6)
    view = anim.views[0]
    k = int(anim.frame_iterations[2])
    anim.draw_iteration(k)
    layers = problem.unpack(trace.params[k])
    weights = np.concatenate([w.ravel() for w, _b in layers])  # (out, in) row-major, in order
    assert len(view.edges.get_segments()) == weights.size == 2 * 3 + 3 * 2 + 2 * 1
    np.testing.assert_allclose(view.edges.get_linewidths(),
                               0.3 + 5.0 * np.abs(weights) / view.scale)
    colours = [to_rgba(POSITIVE if w >= 0 else NEGATIVE, 0.75) for w in weights]
    np.testing.assert_allclose(view.edges.get_colors(), colours)
    # layer 1, unit 2's map: tanh of its weighted inputs over the grid, written out
    (w1, b1), (w2, b2), _out = layers
    unit = np.tanh(view.grid @ w1[2] + b1[2]).reshape(MAP_POINTS, MAP_POINTS)
    np.testing.assert_allclose(view.maps[(1, 2)].get_array(), unit, rtol=1e-12)
    second = np.tanh(np.tanh(view.grid @ w1.T + b1) @ w2[1] + b2[1])
    np.testing.assert_allclose(view.maps[(2, 1)].get_array(),
                               second.reshape(MAP_POINTS, MAP_POINTS), rtol=1e-12)
    # the weight the step moves most is marked, and named in the status
    change = np.abs(np.concatenate([w.ravel() for w, _b in problem.unpack(trace.params[k + 1])])
                    - weights)
    moved = int(np.argmax(change))
    np.testing.assert_allclose(np.column_stack(view.moved.get_data()),
                               view.edges.get_segments()[moved])
    name = trace.param_names[view.weight_index[moved]]
    assert view.status_note(k).startswith(f"the step moves {name}")


@pytest.mark.parametrize("hidden, activation, task, l2", [
    ((5,), "tanh", "regression", 0.0), ((4, 3), "relu", "classification", 0.01),
    ((3, 3, 2), "sigmoid", "classification", 0.0)])
def test_the_chain_rule_of_every_weight_sums_to_the_traces_gradient(hidden, activation, task,
                                                                   l2):
    import gdviz
    from gdviz.scene import Scene
    from gdviz.words.chain import ChainRule

    data = {"data": "moons"} if task == "classification" else {}
    trace = Scene.of("mlp", hidden=hidden, activation=activation, l2=l2, optimizer="adam",
                     lr=0.02, max_iter=20, **data).run()
    rule = ChainRule(trace)
    for index in rule.weights():
        _d_out, delta, entering, share, extra = rule.terms(7, index)
        np.testing.assert_allclose(share, delta * entering)
        assert np.sum(share) + extra == pytest.approx(trace.grads[7, index], rel=1e-9, abs=1e-15)
    anim = gdviz.animate(trace, layout=["chain"], frames=5)
    k = int(anim.frame_iterations[2])
    anim.draw_iteration(k)
    text = anim.views[0].text.get_text()
    name = trace.param_names[rule.chosen(k)]
    assert f"the chain rule for {name} at iteration {k}" in text
    from gdviz.words.numbers import signed

    assert f"∂L/∂{name} = {signed(float(trace.grads[k, rule.chosen(k)]), 6)}" in text


def test_the_narrator_says_when_relu_units_die_and_sigmoid_units_saturate():
    from gdviz.scene import Scene
    from gdviz.words import captions
    from gdviz.words.captions import MAX_CHARACTERS
    from gdviz.words.facts import StepFacts

    trace = Scene.of("mlp", hidden=(8, 8), activation="relu", data="spirals", noise=0.1,
                     optimizer="adam", lr=0.1, max_iter=300).run()
    problem, facts = trace.problem, StepFacts(trace)
    for k in (0, 4, 5, 300):  # dead: input ≤ 0 at every training point, counted anew
        zs, _a = problem.forward(trace.params[k], problem.X)
        assert facts.dead[k] == sum(int(np.sum(np.all(z <= 0, axis=0))) for z in zs[:-1])
    said = captions(trace)
    died = [i for i in np.flatnonzero(facts.died) if not facts.rose[i]]
    assert died and all(" died: " in said[i] and
                        f"({facts.dead[i + 1]} dead)" in said[i] for i in died)
    trace = Scene.of("mlp", hidden=(8,), activation="sigmoid", data="circles", optimizer="adam",
                     lr=0.5, max_iter=400).run()
    facts, said = StepFacts(trace), captions(trace)
    steps = [i for i in np.flatnonzero(facts.saturating) if not facts.rose[i]]
    assert steps and all(said[i].startswith("a unit saturated") for i in steps)
    assert all(len(text) <= MAX_CHARACTERS for text in said)


def test_networks_of_other_shapes_race_side_by_side_each_with_its_own_map(tmp_path):
    """One optimizer on xor with one hidden layer and with two: each network's own map
    (its probabilities over the plane), the shorter run held at its end, both losses on
    one axis, each run's accuracy beside it in the status strip."""
    import subprocess
    import sys

    import gdviz
    from gdviz import optim, stop
    from gdviz.views.network_map import RESOLUTION
    from gdviz.views.race import OwnRunView

    runs = []
    for hidden, steps in (((4,), 60), ((4, 4), 90)):
        problem = problems.MLP.example(data="xor", noise=0.1, test_fraction=0.3, hidden=hidden)
        runs.append(gdviz.run(problem, optim.adam(learning_rate=0.03), stop=stop.MaxIter(steps)))
    anim = gdviz.compare(runs, ["one layer", "two layers"], layout="grid", frames=10)
    own = [view for view in anim.views if isinstance(view, OwnRunView)]
    assert [view.trace for view in own] == runs
    anim.draw_iteration(90)
    for view, trace, k in zip(own, runs, (60, 90)):  # the one-layer run held at its end
        _extent, grid = trace.problem.input_grid(RESOLUTION)
        expected = trace.problem.predict(trace.params[k], grid).reshape(RESOLUTION, RESOLUTION)
        np.testing.assert_allclose(view.view.image.get_array(), expected, rtol=1e-12)
        assert view.view.image.axes.get_title().startswith(("one layer", "two layers"))
    words = anim.status.strip_words(90)
    assert "one layer:" in words and "two layers:" in words and words.count("accuracy") == 2
    # The race's caption says who ends lowest, from the runs' own losses.
    assert anim.frame_captions[-1] == (f"two layers ends lowest, loss {runs[1].loss[-1]:.3g}; "
                                       f"next one layer at {runs[0].loss[-1]:.3g}")
    assert anim._fig._suptitle.get_text() == "networks of 2-4-1, 2-4-4-1 units on the same data"
    with pytest.raises(ValueError, match="use layout='grid'"):
        gdviz.compare(runs, layout="overlay")
    rosenbrock = gdviz.run(problems.Rosenbrock(), optim.gd(learning_rate=1e-3),
                           stop=stop.MaxIter(5))
    with pytest.raises(ValueError, match="a picture of their data.*has none"):
        gdviz.compare([runs[0], rosenbrock], layout="grid")
    # the same from the command line: one optimizer, a network of each --hidden
    done = subprocess.run(
        [sys.executable, "-m", "gdviz", "compare", "mlp", "--data", "xor", "--noise", "0.1",
         "--test-fraction", "0.3", "--hidden", "4", "--hidden", "4,4", "--optimizer", "adam",
         "--lr", "0.03", "--max-iter", "60", "--frames", "4", "--no-show", "--save",
         "xor.gif"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2-4-1, adam" in done.stdout and "2-4-4-1, adam" in done.stdout
    from PIL import Image

    with Image.open(tmp_path / "xor.gif") as gif:
        assert gif.n_frames == 4
    for args, words in [(["rosenbrock", "--hidden", "4", "--race"], "give PROBLEM mlp"),
                        (["mlp", "--hidden", "4", "--hidden", "4,4", "--race"],
                         "give one --run SPEC"),
                        (["mlp", "--hidden", "4,x", "--race"], "like 8 or 8,8")]:
        bad = subprocess.run([sys.executable, "-m", "gdviz", "compare", *args, "--no-show"],
                             capture_output=True, text=True, cwd=tmp_path)
        assert bad.returncode == 2 and words in bad.stderr and bad.stderr.count("\n") == 1
    assert not (tmp_path / "mlp-race.gif").exists()


def test_a_csv_of_three_inputs_is_classified_and_drawn_as_its_network(tmp_path):
    """No plane to draw a map on: the classic layout draws the network itself (plain
    nodes, its weights as edges) and says the accuracy."""
    import subprocess
    import sys

    import gdviz

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = ((X[:, 0] * X[:, 1] + X[:, 2]) > 0).astype(int)
    lines = ["a,b,c,label"] + [",".join(f"{v:.4f}" for v in row) + f",{k}" for row, k in zip(X, y)]
    (tmp_path / "three.csv").write_text("\n".join(lines) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "gdviz", "run", "--csv", "three.csv", "--x", "a", "--x", "b",
         "--x", "c", "--y", "label", "--model", "mlp", "--task", "classification", "--hidden",
         "6", "--optimizer", "adam", "--lr", "0.05", "--max-iter", "60", "--no-show", "--save",
         "three.json"], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    from gdviz.scene import Scene

    columns = (np.round(X, 4), y.astype(float), ["a", "b", "c"], "label")
    scene = Scene(problem="mlp", hidden=(6,), task="classification", optimizer="adam", lr=0.05,
                  max_iter=60)
    trace = scene.run(scene.make_problem(columns))
    import json

    np.testing.assert_allclose(json.loads((tmp_path / "three.json").read_text())["params"],
                               trace.params, rtol=1e-12)
    anim = gdviz.animate(trace, layout="classic", frames=5)
    assert [view.name for view in anim.views][0] == "network"
    view = anim.views[0]
    assert view.maps == {} and len(view.edges.get_segments()) == 3 * 6 + 6
    right = int(np.sum(trace.problem.classify(trace.params[60]) == y))
    assert f"accuracy {right}/120" in view.status_note(60)
