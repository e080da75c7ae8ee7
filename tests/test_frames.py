import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gdviz.frames import frame_iterations


def test_every_k_is_the_blogs_schedule_plus_the_last_step():
    assert frame_iterations(1161, every=100).tolist() == list(range(0, 1101, 100)) + [1161]
    assert frame_iterations(300, every=100).tolist() == [0, 100, 200, 300]
    assert frame_iterations(0, every=100).tolist() == [0]
    assert frame_iterations(3).tolist() == [0, 1, 2, 3]


@given(st.integers(0, 100_000), st.integers(2, 400))
def test_bounded_schedule(last, frames):
    schedule = frame_iterations(last, frames=frames)
    assert schedule[0] == 0 and schedule[-1] == last
    assert len(schedule) == min(frames, last + 1)
    assert np.all(np.diff(schedule) > 0)


def test_bounded_schedule_is_dense_early():
    schedule = frame_iterations(10_000, frames=100)
    assert np.sum(schedule < 2500) >= 45


def test_bad_arguments():
    with pytest.raises(ValueError):
        frame_iterations(10, every=0)
    with pytest.raises(ValueError):
        frame_iterations(10, every=2, frames=3)
    with pytest.raises(ValueError, match="at least 2"):
        frame_iterations(10, frames=1)
