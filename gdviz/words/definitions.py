"""What "the loss" is, in words, for each kind of problem: one definition, said on every
loss panel, so two pictures of the same line never show two unexplained numbers."""
from __future__ import annotations

from .i18n import _


def loss_definition(problem) -> str:
    """The loss of ``problem`` in a few words ("mean of (y − ŷ)² over all 100 points").

    Examples
    --------
    >>> from gdviz import problems
    >>> loss_definition(problems.LinearRegression.seed(seed=0))
    "0.5·sum of (y − ŷ)² over the 100 points (the blog's loss)"
    >>> loss_definition(problems.LinearRegression.example())
    'mean of (y − ŷ)² over all 100 points'
    """
    if problem is None:
        return ""
    count = getattr(problem, "n_samples", None)
    held = getattr(problem, "y_test", None)
    if held is not None:  # a network with points held out to test on
        what = (_("mean cross-entropy") if hasattr(problem, "labels")
                else _("mean of (y − ŷ)²"))
        return _("{what} over the {count} training points ({held} held out to test)").format(
            what=what, count=count, held=len(held))
    if hasattr(problem, "labels"):
        return _("mean cross-entropy over all {count} points").format(count=count)
    convention = getattr(problem, "loss_convention", None)
    if convention == "blog":
        return _("0.5·sum of (y − ŷ)² over the {count} points (the blog's loss)").format(
            count=count)
    if count is not None:
        return _("mean of (y − ŷ)² over all {count} points").format(count=count)
    formula = getattr(problem, "formula", "")
    return _("f = {formula}").format(formula=formula) if formula else ""
