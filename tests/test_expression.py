"""The formula parser: right values, exact derivatives, and refusal of anything else."""
import math
import re
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdviz.expression import derivative, parse, variables_in
from gdviz.problems import Expression

CASES = {
    "(1-x)**2 + 100*(y-x**2)**2": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "sin(x)*cos(y) + tan(x/4)": lambda x, y: np.sin(x) * np.cos(y) + np.tan(x / 4),
    "exp(-x**2 - y**2) - log(2 + x*y)": lambda x, y: np.exp(-x**2 - y**2) - np.log(2 + x * y),
    "sqrt(x**2 + y**2 + 1) * tanh(y)": lambda x, y: np.sqrt(x**2 + y**2 + 1) * np.tanh(y),
    "-x**2 + abs(y) + pi*e": lambda x, y: -(x**2) + abs(y) + np.pi * np.e,
    "2**-x + x**y / 3 - +y": lambda x, y: 2.0 ** (-x) + x**y / 3 - y,
    "1e-3*x - 2.5E2*y": lambda x, y: 1e-3 * x - 2.5e2 * y,
}


@pytest.mark.parametrize("formula", sorted(CASES))
def test_values_equal_numpy(formula):
    tree = parse(formula)
    for x, y in [(0.3, 0.7), (1.2, 0.4), (0.9, 1.5)]:
        assert tree.evaluate(x, y) == pytest.approx(CASES[formula](x, y), rel=1e-13)


@pytest.mark.parametrize("formula", sorted(CASES))
def test_derivatives_match_finite_differences(formula):
    problem = Expression(formula)
    for point in [(0.3, 0.7), (1.2, 0.4), (0.9, 1.5)]:
        point = np.array(point)
        h = 1e-6
        numeric = [(problem.loss(point + h * e) - problem.loss(point - h * e)) / (2 * h)
                   for e in np.eye(2)]
        np.testing.assert_allclose(problem.grad(point), numeric, rtol=1e-6, atol=1e-7)


def test_the_derivative_is_printed_as_math():
    assert str(derivative(parse("x**3 + sin(y)"), "x")) == "3.0 * x ** 2.0"
    assert str(derivative(parse("x**3 + sin(y)"), "y")) == "cos(y)"
    assert variables_in(parse("x + 2")) == {"x"}


def test_grid_evaluation_broadcasts_constants():
    problem = Expression("3 + 0*y")
    grid = problem.loss_many(np.zeros((4, 5, 2)))
    assert grid.shape == (4, 5) and np.all(grid == 3)


HOSTILE = [
    ("__import__('os').system('echo hi')", "unknown function"),
    ("x.__class__", "attribute access"),
    ("().__class__.__bases__[0]", "indexing"),
    ("().__class__", "attribute access"),
    ("open('secret')", "unknown function 'open'"),
    ("eval('1')", "unknown function 'eval'"),
    ("lambda: 1", "'lambda'"),
    ("[i for i in range(9)]", "comprehension"),
    ("{1: 2}", "dictionary"),
    ("x if y else 1", "'if ... else'"),
    ("x < y", "comparison"),
    ("x and y", "'and'/'or'"),
    ("x[0]", "indexing"),
    ("'text'", "only numbers"),
    ("True", "only numbers"),
    ("1j", "only numbers"),
    ("x^2", r"write x\*\*2"),
    ("x // 2", "'//'"),
    ("x % 2", "'%'"),
    ("z + 1", "unknown name 'z'"),
    ("sin", "is a function"),
    ("sin(x, y)", "exactly one argument"),
    ("sin(x=1)", "exactly one argument"),
    ("x +", "not valid math"),
    ("", "empty"),
    ("x; import os", "not valid math"),
    ("(x := 3)", "':='"),
    ("x" + "+x" * 600, "longer than"),
    ("sin(" * 150 + "x" + ")" * 150, "nested"),
    ("(" * 300 + "x" + ")" * 300, "nested"),
    ("-" * 300 + "x", "nested"),
    ("1" * 5000, "not valid math|longer than"),
]


@pytest.mark.parametrize("text,message", HOSTILE)
def test_hostile_input_is_refused_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)


def test_huge_powers_are_floats_not_endless_integers():
    start = time.perf_counter()
    with np.errstate(over="ignore"):
        value = parse("9**9**9**9").evaluate(1.0, 1.0)
    assert math.isinf(value)
    assert time.perf_counter() - start < 1.0


@settings(max_examples=400, deadline=2000)
@given(st.text(max_size=80))
def test_fuzz_random_text_gives_a_tree_or_a_value_error(text):
    try:
        tree = parse(text)
    except ValueError:
        return
    with np.errstate(all="ignore"):
        tree.evaluate(0.5, -0.5)


TOKENS = list("xy0123456789.+-*/() e") + ["pi", "sin(", "log(", "sqrt(", "x**", "**2", "exp(",
                                           "**-", "9**9", "1e308", "abs(", "tan("]


@settings(max_examples=400, deadline=2000)
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_fuzz_math_like_text_never_raises_anything_else_and_never_hangs(text):
    start = time.perf_counter()
    try:
        problem = Expression(text)
    except ValueError:
        return
    with np.errstate(all="ignore"):
        problem.value_and_grad(np.array([0.7, -0.3]))
    assert time.perf_counter() - start < 1.0


LEAVES = st.sampled_from(["x", "y", "0.5", "2", "1.5"])


def formulas():
    return st.recursive(
        LEAVES,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(st.sampled_from(["sin", "cos", "tanh", "exp"]), inner).map(
                lambda t: f"{t[0]}({t[1]})"),
            inner.map(lambda a: f"({a})**2"),
        ),
        max_leaves=8,
    )


@settings(max_examples=150, deadline=2000)
@given(formulas())
def test_random_formulas_have_exact_derivatives(formula):
    problem = Expression(formula)
    point = np.array([0.37, -0.61])
    value, grad = problem.value_and_grad(point)
    if not (np.isfinite(value) and np.all(np.isfinite(grad))) or abs(value) > 1e6:
        return
    h = 1e-6
    numeric = [(problem.loss(point + h * e) - problem.loss(point - h * e)) / (2 * h)
               for e in np.eye(2)]
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("formula,shown", [("x.y(3)", "'x.y'"), ("(x+1)(y)", "'x+1'"),
                                           ("foo(x)", "'foo'")])
def test_an_unknown_function_is_named_as_written(formula, shown):
    with pytest.raises(ValueError, match=re.escape(f"unknown function {shown}")):
        parse(formula)
