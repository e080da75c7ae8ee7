import numpy as np
import pytest

from gdviz import optim


def test_gd_update_is_minus_learning_rate_times_gradient():
    opt = optim.gd(learning_rate=0.25)
    params = np.array([1.0, 2.0])
    state = opt.init(params)
    updates, state = opt.update(np.array([4.0, -8.0]), state, params)
    np.testing.assert_array_equal(updates, [-1.0, 2.0])
    assert state == optim.EmptyState()
    assert str(opt) == "gd(learning_rate=0.25)"


@pytest.mark.parametrize("bad", [0, -0.1, float("nan"), float("inf"), "fast", None])
def test_gd_refuses_bad_learning_rates(bad):
    with pytest.raises(ValueError, match="learning_rate"):
        optim.gd(learning_rate=bad)
