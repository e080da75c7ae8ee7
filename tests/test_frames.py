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


def test_the_narrators_events_are_always_frames_with_their_own_words():
    import gdviz
    from gdviz import optim, problems, stop
    from gdviz.frames import lesson_iterations
    from gdviz.words import StepFacts

    trace = gdviz.run(problems.Quadratic(condition=10), optim.momentum(learning_rate=0.05),
                      stop=stop.MaxIter(400))
    frames = lesson_iterations(trace, 40)
    assert len(frames) <= 40 and frames[0] == 0 and frames[-1] == trace.iterations
    facts = StepFacts(trace)
    # The rise the loss curve shows most is a frame, with the step after it.
    largest = int(np.argmax(facts.event_weights() * facts.seen_rise))
    assert facts.seen_rise[largest] and largest in frames and largest + 1 in frames
    anim = gdviz.animate(trace, frames=40)
    position = int(np.flatnonzero(anim.frame_iterations == largest)[0])
    assert "rose" in anim.frame_captions[position]


def test_a_saddle_crawl_gets_held_captioned_frames_where_it_starts_and_ends():
    import gdviz
    from gdviz import optim, problems, stop
    from gdviz.outputs import frame_durations
    from gdviz.words import StepFacts

    trace = gdviz.run(problems.Saddle(), optim.gd(learning_rate=0.02), stop=stop.MaxIter(400))
    flat = np.flatnonzero(StepFacts(trace).flat)
    anim = gdviz.animate(trace, frames=50, interval=100)
    frames, durations = list(anim.frame_iterations), frame_durations(anim, None)
    start, escape = frames.index(flat[0]), frames.index(flat[-1] + 1)
    assert anim.frame_captions[start].startswith("crawling on a flat stretch")
    # Out of the saddle along its downward curvature λ = −2 + 3y²: ×(1 + η·|λ|) a step.
    y = trace.params[frames[escape], 1]
    assert anim.frame_captions[escape].startswith("leaving where the surface curves down")
    assert f"×{1 + 0.02 * (2 - 3 * y * y):.4g} a step" in anim.frame_captions[escape]
    assert durations[start] >= 600 and durations[escape] >= 600  # held to be read
    assert sum(start < k < escape for k in range(len(frames))) >= 3  # seen on the way
