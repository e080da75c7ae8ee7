import numpy as np
import pytest
from skip_reasons import SKLEARN

from gdviz.problems import make_regression

sklearn_datasets = pytest.importorskip("sklearn.datasets", reason=SKLEARN)


@pytest.mark.parametrize("seed", [0, 1, 7, 42, 2**32 - 1])
@pytest.mark.parametrize("n_features", [1, 3, 12])
def test_make_regression_is_bit_identical_to_sklearn(seed, n_features):
    ours_X, ours_y = make_regression(100, n_features, noise=5, bias=50, random_state=seed)
    ref_X, ref_y = sklearn_datasets.make_regression(
        n_samples=100, n_features=n_features, noise=5, bias=50, random_state=seed)
    assert np.array_equal(ours_X, ref_X)
    assert np.array_equal(ours_y, ref_y)


def test_make_regression_leaves_the_generator_where_sklearn_does():
    # The blog draws its start from the same global generator after the data,
    # so the number of draws consumed must match too.
    ours = np.random.RandomState(3)
    make_regression(100, 1, noise=5, bias=50, random_state=ours)
    np.random.seed(3)
    sklearn_datasets.make_regression(n_samples=100, n_features=1, noise=5, bias=50)
    assert ours.rand() == np.random.rand()
