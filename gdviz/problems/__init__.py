"""Objectives to minimise: pure numpy, no drawing.

Examples
--------
>>> from gdviz import problems
>>> p = problems.LinearRegression.seed(seed=0)
>>> p.param_names
('b0', 'b1')
>>> sorted(problems.PROBLEMS)[:3]
['beale', 'booth', 'himmelblau']
"""
from .base import Problem
from .datasets import make_blobs, make_curve, make_moons, make_polynomial, make_regression
from .expression import Expression
from .functions import (
    TEST_FUNCTIONS,
    Beale,
    Booth,
    Himmelblau,
    Quadratic,
    Rastrigin,
    Rosenbrock,
    Saddle,
    TestFunction,
)
from .linear import LinearRegression
from .logistic import LogisticRegression
from .mlp import MLP
from .polynomial import PolynomialRegression

#: Every catalogue problem by name; ``PROBLEMS[name].example()`` builds one with its
#: default data (the data problems) or default settings (the 2-D functions).
PROBLEMS = {
    "linear": LinearRegression,
    "polynomial": PolynomialRegression,
    "logistic": LogisticRegression,
    "mlp": MLP,
    **TEST_FUNCTIONS,
}

__all__ = [
    "Problem", "LinearRegression", "PolynomialRegression", "LogisticRegression", "MLP",
    "TestFunction", "Quadratic", "Rosenbrock", "Himmelblau", "Beale", "Booth", "Rastrigin",
    "Saddle", "Expression", "PROBLEMS", "TEST_FUNCTIONS", "make_regression", "make_polynomial",
    "make_blobs", "make_moons", "make_curve",
]
