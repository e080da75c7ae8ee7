"""Every caption is a claim about its step; each claim is checked here against numbers
computed independently of the narrator: the loss and gradient from the problem itself
(the line integral of the gradient along the step, by Gauss-Legendre), Adam's moments
rebuilt from the recorded state, step lengths from the parameters. A claim that is false
of its step fails, over every optimizer x catalogue problem x several rates, and over
random scenes."""
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gdviz import catalogue
from gdviz.optim import OPTIMIZERS
from gdviz.problems import PROBLEMS
from gdviz.scale import VISIBLE, drawn_heights
from gdviz.scene import Scene
from gdviz.words import Narrator
from gdviz.words.captions import MAX_CHARACTERS

BATCHED = ("linear", "polynomial", "logistic", "mlp")
NODES, WEIGHTS = np.polynomial.legendre.leggauss(6)


def scene_run(problem, optimizer, factor=1.0, max_iter=150, **extra):
    rate = catalogue.default_learning_rate(optimizer)
    if optimizer == "sgd" and problem in BATCHED:
        extra.setdefault("batch_size", 10)
    return Scene(problem=problem, optimizer=optimizer, lr=rate * factor, max_iter=max_iter,
                 **extra).run()


def climb_by_coordinate(problem, start, step):
    """∫₀¹ ∂ₖL(start + s·step)·stepₖ ds for each k: the exact split of the loss change
    by coordinate, with the problem's own gradient at six Gauss-Legendre points."""
    total = np.zeros_like(step)
    for node, weight in zip(NODES, WEIGHTS):
        s = 0.5 * (node + 1)
        total += 0.5 * weight * np.asarray(problem.grad(start + s * step)) * step
    return total


def named_coordinate(text, names):
    for k, name in sorted(enumerate(names), key=lambda pair: -len(pair[1])):
        if f" in {name}" in text or text.startswith(f"{name}'s"):
            return k
    return None


def audit(trace):
    """Check each caption's claim against its step; return the kinds seen."""
    narrator = Narrator(trace)
    problem, names = trace.problem, trace.param_names
    params, loss, grads = trace.params, trace.loss, np.asarray(trace.grads, dtype=float)
    steps = np.diff(params, axis=0)
    norms = np.linalg.norm(steps, axis=1)
    rate = narrator.facts.rate
    name = trace.settings.get("optimizer_name")
    seen = set()
    for i in range(trace.iterations + 1):
        kind, text = narrator._say(i)
        seen.add(kind)
        assert 0 < len(text) <= MAX_CHARACTERS, text
        numbers = re.findall(r"(\S+) → (\S+?)[;:,)]?(?:\s|$)", text)
        for before, after in numbers:  # never "0.2977 → 0.2977"
            assert before != after, text
        if i == trace.iterations:
            continue
        step, g0, g1 = steps[i], grads[i], grads[i + 1]
        rose = loss[i + 1] > loss[i]
        if kind.startswith("rose") or kind == "spike":
            assert rose, (kind, i, text)
        if "uphill" in text and kind == "rose-uphill":
            assert g0 @ step > 0, (i, text)  # a component along the full gradient
        if kind == "rose-batch":
            assert g0 @ step <= 0 < g1 @ step, (i, text)  # downhill, then past the floor
        if kind in ("rose", "rose-momentum") and np.all(np.isfinite(step)):
            k = named_coordinate(text, names)
            exact = climb_by_coordinate(problem, params[i], step)
            assert k is not None and exact[k] >= exact.max() - 1e-9 * abs(exact).max(), (i, text, exact)
            if kind == "rose-momentum":
                assert g0[k] * step[k] > 0, (i, text)  # uphill in that coordinate
        if kind in ("rose", "rose-adaptive"):
            assert g1 @ step > 0, (i, text)  # "overshot": past the lowest point of its line
        if kind == "rose-slight":
            height = drawn_heights(loss)
            start = i
            while start > 0 and loss[start] > loss[start - 1]:
                start -= 1
            end = i + 1
            while end < trace.iterations and loss[end + 1] > loss[end]:
                end += 1
            assert height[end] - height[start] < VISIBLE, (i, text)
        if kind in ("rose-forgot", "rose-regrown"):
            check_adam_growth(trace, i, kind)
        if kind in ("adam", "rose-adaptive"):
            assert np.abs(step).max() >= 0.5 * rate[i], (i, text)
        if kind in ("adam-short", "adam-fading"):
            assert np.abs(step).max() < 0.5 * rate[i], (i, text)
        if kind == "flat" and name in ("adam", "adamw", "adagrad", "rmsprop"):
            assert np.abs(step).max() < 0.5 * rate[i], (i, text)  # not the normal size
            said = re.search(r"every move ≤ (\S+), under η/2", text)
            assert said and float(said.group(1)) == pytest.approx(np.abs(step).max(), rel=0.05)
        if kind.startswith("gd"):
            assert norms[i] == pytest.approx(rate[i] * np.linalg.norm(g0), rel=1e-9)
        if kind == "sgd-jitter":
            window = narrator.facts.window
            before = loss[max(0, i - window + 1): i + 1]
            after = loss[i + 1: i + 1 + window]
            both = np.concatenate([before, after])
            assert before.mean() - after.mean() <= both.std() * (1 + 1e-9), (i, text)
        if kind == "escape":
            low = float(re.search(r"from (\S+) to", text).group(1))
            assert np.linalg.norm(g0) > low, (i, text)
        if kind == "escape-saddle":
            check_saddle_escape(trace, i, text)
        if kind == "momentum-build":
            assert norms[i] > 1.05 * rate[i] * np.linalg.norm(g0)
        if kind == "momentum-brake":
            assert norms[i] < 0.95 * rate[i] * np.linalg.norm(g0)
    return seen


def check_adam_growth(trace, i, kind):
    """Adam's step ∝ m̂/√v̂: rebuild both from the recorded moments and check which one
    made the step grow back (log growth of m̂ against log shrinkage of √v̂)."""
    beta1, beta2 = trace.settings["hyperparams"].get("betas", (0.9, 0.999))
    m = np.asarray(trace.state["first_moment"], dtype=float)
    v = np.asarray(trace.state["second_moment"], dtype=float)
    steps = np.abs(np.diff(trace.params, axis=0))
    k = int(np.argmax(steps[i]))
    window = steps[max(0, i - 49): i + 1, k]
    j = max(0, i - 49) + int(np.argmin(window))

    def corrected(t):  # the moments after update t (t + 1 updates done)
        return (m[t + 1, k] / (1 - beta1 ** (t + 1)),
                np.sqrt(v[t + 1, k] / (1 - beta2 ** (t + 1))))

    (m_now, root_now), (m_then, root_then) = corrected(i), corrected(j)
    from_m = max(np.log(abs(m_now) / abs(m_then)), 0.0)
    from_v = max(-np.log(root_now / root_then), 0.0)
    if kind == "rose-forgot":
        assert from_v > from_m, (i, from_m, from_v)
    else:
        assert from_m >= from_v, (i, from_m, from_v)


def check_saddle_escape(trace, i, text):
    """GD along a direction of curvature λ < 0 multiplies the offset by 1 + η|λ|: the
    factor said is the one the problem's curvature gives, and the offset along that
    direction (from the saddle) grows by it, to first order."""
    factor = float(re.search(r"×(\S+) a step", text).group(1))
    curvature = float(re.search(r"λ = (\S+)\)", text).group(1).replace("−", "-"))
    hessian = trace.problem.hessian_at(trace.params[i])
    values, vectors = np.linalg.eigh(hessian)
    assert curvature == pytest.approx(values[0], rel=0.006)
    assert factor == pytest.approx(1 + trace.settings["learning_rate"] * abs(values[0]), rel=1e-3)
    saddles = getattr(trace.problem, "saddles", np.empty((0, 2)))
    near = [saddle for saddle in saddles if np.linalg.norm(trace.params[i] - saddle) < 0.5]
    for saddle in near:  # by a saddle: the offset from it along the curve grows so
        along = [(trace.params[t] - saddle) @ vectors[:, 0] for t in (i, i + 1)]
        assert along[1] / along[0] == pytest.approx(factor, rel=0.05)


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("factor", [0.3, 1.0, 3.0])
def test_every_caption_claim_holds_for_its_step(problem, optimizer, factor):
    audit(scene_run(problem, optimizer, factor))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=st.sampled_from(["quadratic", "rosenbrock", "himmelblau", "beale", "saddle",
                                "booth", "linear", "logistic", "mlp"]),
       optimizer=st.sampled_from(list(OPTIMIZERS)),
       factor=st.floats(0.05, 20.0),
       iterations=st.integers(5, 300))
def test_random_scenes_say_only_what_is_true(problem, optimizer, factor, iterations):
    audit(scene_run(problem, optimizer, factor, max_iter=iterations))


def test_the_audit_sees_the_kinds_that_carry_a_cause():
    """The audit is not vacuous: the catalogue's runs reach the claims it checks."""
    seen = set()
    for problem in ("quadratic", "rosenbrock", "saddle", "mlp", "linear"):
        for optimizer in OPTIMIZERS:
            for factor in (0.3, 1.0, 3.0):
                seen |= audit(scene_run(problem, optimizer, factor))
    seen |= audit(Scene(problem="saddle", optimizer="gd", lr=0.02, max_iter=400).run())
    assert {"rose", "rose-momentum", "rose-slight", "adam", "gd-steep", "flat",
            "escape-saddle", "sgd"} <= seen, seen


def test_summaries_say_what_the_steps_they_cover_did():
    """A frame for several steps: "keep their length" only within ×1.5 either way; a
    shrink or growth with its factor a step, and the cause the numbers give."""
    checked = 0
    for problem, optimizer in [("quadratic", "gd"), ("seed", "gd"), ("rosenbrock", "adam"),
                               ("logistic", "gd"), ("saddle", "gd"), ("quadratic", "momentum")]:
        trace = scene_run(problem, optimizer, max_iter=400)
        narrator = Narrator(trace)
        norms = np.linalg.norm(np.diff(trace.params, axis=0), axis=1)
        grads = np.linalg.norm(trace.grads, axis=1)
        frames = np.unique(np.linspace(0, trace.iterations, 25).round().astype(int))
        for first, last in zip(frames[:-1], frames[1:]):
            if last - first < 2 or last >= trace.iterations:
                continue
            kind, text = narrator.summary(first, last)
            if kind != "summary":
                continue
            covered = norms[first:last]
            if "keep their length" in text:
                assert covered.max() <= 1.5 * covered.min(), text
            match = re.search(r"the steps (shrink|grow) ×(\S+) a step", text)
            if match:
                a, b = covered[0], covered[-1]
                assert (match.group(1) == "shrink") == (b < a)
                ratios = covered[1:] / covered[:-1]
                steady = (np.all(ratios < 1) or np.all(ratios > 1)) and (
                    max(a / b, b / a) >= 1.15 or abs(np.log(b / a)) / (len(covered) - 1)
                    >= np.log(1.03))
                assert max(a, b) > 1.5 * min(a, b) or steady, text
                expected = (b / a) ** (1 / (len(covered) - 1))
                assert float(match.group(2)) == pytest.approx(expected, rel=5e-3), text
                checked += 1
            if "as |g| shrinks" in text:
                assert grads[last - 1] < grads[first], text
        # GD on a bowl: the lesson of its middle frames.
        if (problem, optimizer) == ("quadratic", "gd"):
            assert any("shrink" in narrator.summary(a, b)[1] and "as |g| shrinks" in
                       narrator.summary(a, b)[1] for a, b in zip(frames[:-1], frames[1:])
                       if b - a > 1 and b < trace.iterations)
    assert checked


def _race(name, runs, max_iter, **extra):
    scenes = [Scene(problem=name, optimizer=optimizer, lr=rate, max_iter=max_iter, **extra)
              for optimizer, rate in runs]
    return [scene.run() for scene in scenes], [f"{o}, lr {r}" for o, r in runs]


RACES = {
    "rates": ("quadratic", [("gd", 0.01), ("gd", 0.15), ("gd", 0.21)], 60),
    "optimizers": ("rosenbrock", [("gd", 0.002), ("momentum", 0.001), ("nesterov", 0.001),
                                  ("adam", 0.05), ("rmsprop", 0.005)], 800),
    "beale": ("beale", [("gd", 0.01), ("momentum", 0.005), ("adam", 0.05)], 600),
}


@pytest.mark.parametrize("race", sorted(RACES))
def test_a_races_captions_say_only_what_its_frame_has_shown(race):
    """Who leads, by how much, what rose and who ended: each checked against the runs'
    losses up to the frame's iteration (a frame never says a loss it has not drawn)."""
    from gdviz.comparison import race_iterations
    from gdviz.words.race import RaceNarrator, short_label

    name, runs, max_iter = RACES[race]
    traces, labels = _race(name, runs, max_iter)
    names = short_label(labels)
    frames = race_iterations(traces, 40)
    said = RaceNarrator(traces, labels).frames(frames)
    for i, (_kind, words) in zip(frames, said):
        assert len(words) <= MAX_CHARACTERS, words
        at = [min(int(i), t.iterations) for t in traces]
        now = np.array([t.loss[k] for t, k in zip(traces, at)])
        number = r"([\d.]+(?:e[+-]?\d+)?)"
        for r, who in enumerate(names):
            who = re.escape(who)
            for ratio in re.findall(who + r" leads by ×" + number, words):
                finite = np.sort(now[np.isfinite(now)])
                assert now[r] == finite[0], (i, words)
                assert float(ratio) == pytest.approx(finite[1] / finite[0], rel=0.06), (i, words)
            for before, after in re.findall(who + r" overshoots \(loss rose " + number + " → "
                                            + number + r"\)", words):
                seen = traces[r].loss[: at[r] + 1]
                assert float(before) < float(after), words
                for value in (before, after):  # both losses the curve has drawn by now
                    assert np.min(np.abs(seen / float(value) - 1)) < 0.006, (i, words)
            for end in re.findall(who + r" (?:diverged|converged) at (\d+)", words):
                assert int(end) == traces[r].iterations <= i, (i, words)
