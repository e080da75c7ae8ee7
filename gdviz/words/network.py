"""A network's words: how many points it classifies right, training and test."""
from __future__ import annotations

import numpy as np

from .i18n import _


def accuracy_words(problem, params) -> str | None:
    """"training accuracy 133/140, test 47/60, test loss 0.6393" for a network that classifies
    (test only with held-out points); None for another problem or parameters that are
    not finite."""
    if getattr(problem, "task", None) != "classification" or not np.all(np.isfinite(params)):
        return None
    right = int(np.sum(problem.classify(params, problem.X) == problem.labels))
    if problem.X_test is None:
        return _("accuracy {right}/{count}").format(right=right, count=problem.n_samples)
    tested = int(np.sum(problem.classify(params, problem.X_test) == problem.y_test.astype(int)))
    return _("training accuracy {right}/{count}, test {tested}/{tests}, test loss {loss}").format(
        right=right, count=problem.n_samples, tested=tested, tests=len(problem.y_test),
        loss=f"{problem.test_loss(params):.4g}")
