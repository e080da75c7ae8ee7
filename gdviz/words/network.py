"""A network's words: how many points it classifies right, training and test."""
from __future__ import annotations

import numpy as np

from .i18n import _


def accuracy_words(problem, params) -> str | None:
    """"accuracy 133/140, test 47/60, test loss 0.6393" for a network that classifies
    (test only with held-out points); None for another problem or parameters that are
    not finite."""
    if getattr(problem, "task", None) != "classification" or not np.all(np.isfinite(params)):
        return None
    right = int(np.sum(problem.classify(params, problem.X) == problem.labels))
    words = _("accuracy {right}/{count}").format(right=right, count=problem.n_samples)
    if problem.X_test is not None:
        tested = int(np.sum(problem.classify(params, problem.X_test)
                            == problem.y_test.astype(int)))
        words += ", " + _("test {right}/{count}, test loss {loss}").format(
            right=tested, count=len(problem.y_test), loss=f"{problem.test_loss(params):.4g}")
    return words
