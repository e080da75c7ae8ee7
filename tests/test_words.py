"""The words layer: a caption for every point of every run, event words true for the
step they sit on, the ending in the status's and the summary's words, and no matplotlib."""
import subprocess
import sys

import numpy as np
import pytest

import gdviz
from gdviz import optim, problems, stop
from gdviz.optim import OPTIMIZERS
from gdviz.problems import PROBLEMS
from gdviz.scene import Scene
from gdviz.words import Narrator, StepFacts, captions, describe
from gdviz.words.captions import MAX_CHARACTERS
from gdviz.words.ending import ending_words, summary_lines

SGD = {"sgd": {"batch_size": 10}}


def scene_run(problem, optimizer, **settings):
    extra = {"batch_size": 10} if optimizer == "sgd" and problem in ("linear", "polynomial",
                                                                      "logistic", "mlp") else {}
    return Scene(problem=problem, optimizer=optimizer, max_iter=120, **extra, **settings).run()


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_every_point_of_every_run_has_a_caption(problem, optimizer):
    trace = scene_run(problem, optimizer)
    words = captions(trace)
    assert len(words) == len(trace.loss)
    every = list(words)
    assert all(0 < len(text) <= MAX_CHARACTERS for text in every), max(every, key=len)
    assert every[-1] == Narrator(trace).caption(trace.iterations)
    assert ending_words(trace) in every[-1]
    # The numbers of the loss in a step's words are the trace's, to the digits printed.
    facts = StepFacts(trace)
    for i in range(0, trace.iterations, max(trace.iterations // 10, 1)):
        if "the loss fell" in every[i] or "the loss rose" in every[i]:
            if " by " in every[i]:
                continue  # a change too small for four digits is said by its size
            said = every[i].split("the loss ")[1].split(" ", 1)[1]
            start, end = said.split(" → ")
            end = end.split(":")[0].split(";")[0].split(",")[0].split(" ")[0]
            assert float(start) == pytest.approx(facts.before[i], rel=5e-4)
            assert float(end) == pytest.approx(facts.after[i], rel=5e-4)


def test_a_step_whose_loss_fell_never_rose_and_the_other_way_round():
    for optimizer in OPTIMIZERS:
        trace = scene_run("rosenbrock", optimizer, lr=0.002 if optimizer in ("gd", "momentum",
                                                                            "nesterov") else 0.05)
        words = captions(trace)
        for i in range(trace.iterations):
            before, after = trace.loss[i], trace.loss[i + 1]
            if after < before:
                assert "rose" not in words[i], (optimizer, i, words[i])
            if after > before * (1 + 1e-9):
                assert "rose" in words[i] or "overflow" in words[i], (optimizer, i, words[i])


def test_above_two_over_l_the_words_name_the_limit_and_below_they_do_not():
    problem = problems.Quadratic()
    limit = problem.max_stable_learning_rate
    above = gdviz.run(problem, optim.gd(learning_rate=1.25 * limit),
                      stop=stop.MaxIter(30) | stop.Divergence())
    below = gdviz.run(problem, optim.gd(learning_rate=0.9 * limit), stop=stop.MaxIter(30))
    words = captions(above)
    assert all(f"> 2/L = {limit:.3g}" in text for text in words[:-1])
    assert f"the rate {1.25 * limit:.3g} > 2/L = {limit:.3g}" in words[-1]
    assert not any("2/L" in text for text in captions(below))


def test_a_momentum_rise_names_the_coordinate_whose_move_climbed_most():
    """The review's momentum-valley frame: the caption blamed x for a rise that was 96% the
    y-step overshooting. The coordinate named is the one whose move alone raises the loss
    most (each coordinate's move applied by itself, the loss from the problem)."""
    problem = problems.Quadratic(condition=25, angle=-20)
    trace = gdviz.run(problem, optim.momentum(learning_rate=0.03), stop=stop.MaxIter(80))
    facts, words = StepFacts(trace), captions(trace)
    hits = [i for i in range(trace.iterations) if Narrator(trace).kind(i) == "rose-momentum"]
    assert hits, "a heavy ball on this valley climbs out of it at least once"
    mu = 0.9
    for i in hits:
        assert trace.loss[i + 1] > trace.loss[i]  # it says "rose" only when it did
        step = trace.params[i + 1] - trace.params[i]
        alone = [problem.loss(trace.params[i] + np.where(np.arange(2) == k, step, 0))
                 - trace.loss[i] for k in range(2)]
        k = int(np.argmax(alone))
        assert f" in {trace.param_names[k]}:" in words[i], (i, words[i], alone)
        memory, gradient = mu * trace.state["velocity"][i][k], trace.grads[i][k]
        assert memory * gradient < 0 and abs(memory) > abs(gradient)
        assert f"μ·v {memory:+.2g}".replace("-", "−") in words[i]
        assert f"beat g {gradient:+.2g}".replace("-", "−") in words[i]
    # The review's frame: the y-step overshooting the valley floor made the rise, and in y
    # the momentum pushed the same way as the gradient, so nothing "outweighed" anything.
    assert Narrator(trace).kind(1) == "rose" and "of the rise in y)" in words[1], words[1]


def test_adams_first_step_moves_every_parameter_by_the_learning_rate():
    trace = gdviz.run(problems.Rosenbrock(), optim.adam(learning_rate=0.05), x0=[-1.5, 2.0],
                      stop=stop.MaxIter(50))
    np.testing.assert_allclose(np.abs(trace.params[1] - trace.params[0]), 0.05, rtol=1e-6)
    assert "first step" in captions(trace)[0] and "η = 0.05" in captions(trace)[0]
    words, steps = captions(trace), np.abs(np.diff(trace.params, axis=0))
    for i in range(1, trace.iterations):
        if "on a steady slope" in words[i]:
            assert steps[i].max() >= 0.5 * 0.05
        if "changed sign" in words[i]:
            k = int(np.argmax(steps[i]))
            recent = trace.grads[max(0, i - 10): i + 1, k]
            assert steps[i].max() < 0.5 * 0.05 and recent.min() < 0 < recent.max()
    assert "changed sign" in words[5]  # Rosenbrock's valley turns the gradient at step 2
    steady = gdviz.run(problems.Quadratic(), optim.adam(learning_rate=0.05), stop=stop.MaxIter(20))
    assert "on a steady slope" in captions(steady)[5]


def test_a_saddle_crawl_and_its_escape_are_named_where_they_happen():
    trace = gdviz.run(problems.Saddle(), optim.gd(learning_rate=0.02), stop=stop.MaxIter(400))
    facts, words = StepFacts(trace), captions(trace)
    norms = np.linalg.norm(trace.grads, axis=1)
    crawl = [i for i in range(trace.iterations) if words[i].startswith("crawling")]
    assert crawl, "past the saddle the slope is gentle before the valley's"
    for i in crawl:  # under half a slope still ahead, and far from the end
        assert norms[i] < 0.5 * norms[i + 1:].max()
        assert np.linalg.norm(trace.params[i] - trace.params[-1]) > 0.2 * facts.travel
        assert f"|g| = {norms[i]:.1e}" in words[i]
    assert abs(trace.params[crawl[0], 0]) < 0.3  # by the saddle: x has nearly gone to 0
    escape = [i for i in range(trace.iterations) if words[i].startswith("leaving")]
    assert escape and facts.flat[escape[0] - 1] and not facts.flat[escape[0]]
    assert norms[escape[0]] > norms[crawl].min()


def test_sgd_words_give_the_batch_gradients_angle_to_the_full_one():
    trace = Scene(problem="linear", optimizer="sgd", lr=0.01, batch_size=5, max_iter=300).run()
    words = captions(trace)
    for i in (0, 100, 250):
        g, full = trace.batch_grads[i], trace.grads[i]
        angle = np.degrees(np.arccos(g @ full / np.linalg.norm(g) / np.linalg.norm(full)))
        assert f"gradient is {angle:.0f}° off the full one" in words[i]
    assert any("never settles" in text for text in words)


def test_the_last_caption_and_the_summary_say_the_same_ending():
    trace = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.LossImprovement(0.01))
    last = captions(trace)[-1]
    stopped = next(line for line in summary_lines(trace) if line.startswith("stopped:"))
    assert trace.stop_detail in last and trace.stop_detail in stopped
    assert last.startswith("converged") and "converged" in stopped


def test_a_frame_for_several_steps_summarises_them():
    trace = gdviz.run(problems.Quadratic(condition=5), optim.gd(learning_rate=0.05),
                      stop=stop.MaxIter(100))
    narrator = Narrator(trace)
    (kind, text), = narrator.frames([0])
    assert kind.startswith("gd")
    kind, text = narrator.frames([0, 40, 52, 100])[2]
    assert text.startswith("steps 40–52: loss fell ")
    assert f"{trace.loss[40]:.4g} → {trace.loss[52]:.4g}" in text
    assert "shrink" in text  # GD's steps shrink as the slope flattens
    assert narrator.frames([0, 40, 52, 100])[3][0] == "end"


def test_describe_gives_what_ran_and_how_it_ended_with_numbers():
    trace = gdviz.run(problems.Quadratic(), optim.gd(learning_rate=0.3),
                      stop=stop.MaxIter(30) | stop.Divergence())
    text = describe(trace)
    assert text.startswith("Gradient descent (gd, learning rate 0.3) on")
    assert f"After {trace.iterations} iterations" in text and "DIVERGED" in text
    assert "above the stable limit 2/L = 0.2" in text
    rose = int(np.sum(np.diff(trace.loss) > 0))
    assert f"The loss rose on {rose} of the {trace.iterations} steps." in text


def test_the_words_layer_imports_no_matplotlib():
    code = ("import sys, gdviz, gdviz.words, gdviz.words.board, gdviz.words.captions; "
            "t = gdviz.Scene if False else None; "
            "from gdviz.scene import Scene; tr = Scene(max_iter=20).run(); "
            "list(gdviz.captions(tr)); gdviz.describe(tr); gdviz.words.StepBoard(tr).lines(3); "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_run_that_never_took_a_step_has_one_caption_and_a_description():
    from gdviz.problems import Expression

    trace = gdviz.run(Expression("sqrt(x) + y**2"), optim.gd(learning_rate=0.1), x0=[-1.0, 1.0],
                      stop=stop.MaxIter(10))
    assert trace.iterations == 0
    words = captions(trace)
    assert len(words) == 1 and "no number at the start" in words[0]
    assert Narrator(trace).frames([0]) == [("end", words[0])]
    assert "After 0 iterations" in describe(trace)


@pytest.mark.parametrize("name, factor", [("momentum", 1.0), ("nesterov", 1.9)])
def test_the_first_momentum_step_is_said_with_its_true_length(name, factor):
    trace = gdviz.run(problems.Quadratic(condition=10), getattr(optim, name)(learning_rate=0.05),
                      stop=stop.MaxIter(5))
    step = np.linalg.norm(trace.params[1] - trace.params[0])
    assert step == pytest.approx(factor * 0.05 * np.linalg.norm(trace.grads[0]))
    assert f"= {step:.3g};" in captions(trace)[0]
    assert ("(1 + μ)·η·|g|" in captions(trace)[0]) == (name == "nesterov")


def _claims_hold(trace):
    """Each caption's kind checked against the step's own numbers."""
    narrator = Narrator(trace)
    f = narrator.facts
    eta = f.rate
    for i in range(f.steps):
        kind = narrator.kind(i)
        alone = eta[i] * f.gradient_norm[i]
        if kind.startswith("rose") or kind == "spike":
            assert f.rose[i], (kind, i)
        else:
            assert not f.rose[i] or kind == "overflow", (kind, i)
        if kind == "rose-unstable":
            assert f.fixed_rate > f.limit
        if kind == "gd-steep":
            assert f.steepness[i] >= 0.3
        if kind == "gd-gentle":
            assert f.steepness[i] <= 0.03
        if kind.startswith("gd"):
            assert f.step_norm[i] == pytest.approx(alone, rel=1e-9)
        if kind in ("gd-crossed", "nesterov-back", "momentum-turn"):
            assert f.turned[i]
        if kind == "momentum-build":
            assert f.step_norm[i] > 1.05 * alone
        if kind == "momentum-brake":
            assert f.step_norm[i] < 0.95 * alone
        if kind in ("momentum-coast", "rose-momentum"):
            assert f.outweighed[i]
        if kind == "adam-first":
            assert i == 0
            sloped = np.abs(f.gradient[0]) > 1e-3  # ε = 1e-8 is nothing beside these
            decay = f.hyper.get("weight_decay", 0) if f.optimizer == "adamw" else 0
            expected = eta[0] * (np.sign(f.gradient[0]) + decay * trace.params[0])
            np.testing.assert_allclose(-f.step[0][sloped], expected[sloped], rtol=1e-4)
            if not decay:
                assert np.all(f.step[0][f.gradient[0] == 0] == 0)
                assert ("with a slope" in narrator.caption(0)) == bool(np.any(f.gradient[0] == 0))
        if kind == "adam":
            assert f.largest_move[i] >= 0.5 * eta[i]
        if kind in ("adam-short", "adam-fading"):
            assert f.largest_move[i] < 0.5 * eta[i]
        if kind == "flat":
            assert f.flat[i] and f.gradient_norm[i] < 0.5 * f.steeper_ahead[i]
            assert f.step_norm[i] < 0.25 * np.nanmax(f.step_norm) and not trace.stochastic
        if kind == "escape":
            assert f.flat[i - 1] and not f.flat[i]
        if kind == "sgd-jitter":
            assert f.from_end[i] < 0.1
        if kind == "rose-zigzag":
            k = int(np.nanargmax(np.abs(f.step[i])))
            g = trace.grads[i - 2: i + 1, k]
            assert np.all(g[1:] * g[:-1] < 0) and np.all(np.abs(g[1:]) > np.abs(g[:-1]))


@pytest.mark.parametrize("problem", ["quadratic", "rosenbrock", "saddle", "himmelblau",
                                     "linear", "logistic", "mlp"])
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_what_each_caption_claims_holds_for_its_step(problem, optimizer):
    settings = {"lr": 0.3} if (problem, optimizer) == ("quadratic", "gd") else {}
    _claims_hold(scene_run(problem, optimizer, **settings))


def test_a_diverging_run_is_never_said_to_crawl():
    trace = gdviz.run(problems.Quadratic(condition=10, angle=30), optim.gd(learning_rate=0.21),
                      stop=stop.MaxIter(60) | stop.Divergence())
    narrator = Narrator(trace)
    assert not narrator.facts.flat.any()
    frames = list(range(0, trace.iterations, 3)) + [trace.iterations]
    assert not any("crawl" in words for _kind, words in narrator.frames(frames))


def test_a_picture_defines_the_jargon_it_uses_and_no_other():
    """The glossary line under the panels defines 2/L in a picture whose caption says it,
    and nothing the picture never says (no Adam terms in a GD run)."""
    from matplotlib.text import Text

    q = problems.Quadratic(condition=10, angle=30)
    trace = gdviz.run(q, optim.gd(learning_rate=0.21), stop=stop.MaxIter(40) | stop.Divergence())
    anim = gdviz.animate(trace, layout=["contour", "loss"], frames=8)
    drawn = [t.get_text() for t in anim._fig.findobj(Text)]
    assert anim.glossary in drawn  # drawn on the figure, once
    said = "\n".join([*anim.frame_captions, *(t for t in drawn if t != anim.glossary)])
    assert "2/L" in said and "2/L: the largest stable rate" in anim.glossary
    assert "m̂/√v̂" not in said and "m̂/√v̂" not in anim.glossary
    plain = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.MaxIter(30))
    assert "2/L" not in gdviz.animate(plain, layout="seed", frames=5).glossary
    adam = gdviz.run(problems.Rosenbrock(), optim.adam(learning_rate=0.05), stop=stop.MaxIter(60))
    anim = gdviz.animate(adam, layout=["contour"], frames=8)
    assert any("m̂/√v̂" in words for words in anim.frame_captions)
    assert "m̂/√v̂: the mean gradient" in anim.glossary


def test_the_last_frame_says_no_sentence_twice():
    """The lesson said in the caption is not said again on the status line above it."""
    trace = Scene(problem="logistic", data="moons", optimizer="adam", lr=0.1, max_iter=300).run()
    anim = gdviz.animate(trace, layout=["boundary", "contour", "loss"], frames=10)
    caption = anim.status.caption_of(trace.iterations)
    status = anim.status.lines(trace.iterations)[1]
    assert "no line separates these classes" in caption
    assert "no line separates these classes" not in status
    assert status  # the status still says how the run ended, or what else is true
