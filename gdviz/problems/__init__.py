"""Objectives to minimise: pure numpy, no drawing.

Examples
--------
>>> from gdviz import problems
>>> p = problems.LinearRegression.seed(seed=0)
>>> p.param_names
('b0', 'b1')
"""
from .base import Problem
from .datasets import make_regression
from .linear import LinearRegression

__all__ = ["Problem", "LinearRegression", "make_regression"]
