"""The one description of a run: checked, written into a URL query and read back, and
the same run as the objects built by hand."""
import numpy as np
import pytest
from skip_reasons import SKLEARN

from gdviz import optim, problems, run, stop
from gdviz.scene import Scene


def test_a_scene_runs_the_same_as_the_objects_built_by_hand():
    scene = Scene(problem="rosenbrock", optimizer="adam", lr=0.05, beta1=0.8, max_iter=200,
                  x0=(-1.0, 1.5), tol=1e-9)
    by_hand = run(problems.Rosenbrock(), optim.adam(learning_rate=0.05, betas=(0.8, 0.999)),
                  x0=[-1.0, 1.5], stop=stop.LossImprovement(1e-9) | stop.MaxIter(200)
                  | stop.Divergence())
    trace = scene.run()
    np.testing.assert_array_equal(trace.params, by_hand.params)
    assert trace.stop_reason == by_hand.stop_reason


def test_every_setting_survives_a_share_link():
    scene = Scene(problem="polynomial", degree=4, standardize=True, optimizer="sgd",
                  lr=0.1 + 0.2, momentum=0.5, weight_decay=1e-4, batch_size=8,
                  schedule="step:step_size=10,gamma=0.5", max_iter=300, tol=1e-3,
                  grad_tol=1e-7, settle=False, seed=12, x0=(0.1, -1 / 3, 2.0, 0.0, 5e-300),
                  plane="pca")
    query = scene.to_query()
    assert all(isinstance(v, str) for v in query.values())
    again = Scene.from_query(query)
    assert again == scene and again.lr == 0.1 + 0.2 and again.x0[1] == -1 / 3
    expression = Scene(problem="expression", formula="x**2 + 10*y**2", optimizer="adam")
    assert Scene.from_query(expression.to_query()) == expression


@pytest.mark.parametrize("query, message", [
    ({"problem": "quadratic", "lrr": "0.1"}, "unknown setting 'lrr'; did you mean 'lr'"),
    ({"lr": "fast"}, "setting 'lr' has a value that is not a number: 'fast'"),
    ({"lr": "-0.1"}, "lr must be a positive number"),
    ({"max_iter": "5000000"}, "max_iter must be at most 1000000"),
    ({"beta2": "1"}, "beta2 must be from 0 up to (not including) 1"),
    ({"x0": "1,nan"}, "x0 must be finite numbers"),
    ({"problem": "expression"}, "needs a formula"),
    ({"settle": "maybe"}, "setting 'settle' has a value that is not allowed"),
    ({"plane": "pcaa"}, "unknown plane 'pcaa'; did you mean 'pca'"),
    ({"plane": ""}, "unknown plane 'None'"),
])
def test_a_bad_query_is_refused_in_words(query, message):
    with pytest.raises(ValueError) as error:
        Scene.from_query(query)
    assert message in str(error.value)


def test_a_bad_name_is_refused_when_the_scene_is_built():
    with pytest.raises(ValueError, match="did you mean 'rosenbrock'"):
        Scene(problem="rosenbrok").run()
    with pytest.raises(ValueError, match="did you mean 'adam'"):
        Scene(optimizer="adm").run()
    with pytest.raises(ValueError, match="unknown function"):
        Scene(problem="expression", formula="__import__('os')").run()


def test_the_blogs_data_runs_as_the_blog_does_unless_a_setting_says_otherwise():
    pytest.importorskip("sklearn", reason=SKLEARN)
    from blog_program import blog_data, blog_run

    scene = Scene.from_query({"problem": "seed"})
    assert (scene.optimizer, scene.lr, scene.tol) == ("gd", 0.005, 0.01)
    trace = scene.run()
    iterations, b0, b1, _losses = blog_run(*blog_data(0))
    assert trace.iterations == iterations == 1161
    np.testing.assert_allclose(trace.final_params, [b0, b1], rtol=1e-12)
    # A setting the blog has but the scene has not travels as an empty value.
    untold = Scene.of("seed", tol=None, max_iter=300)
    assert untold.to_query() == {"problem": "seed", "tol": "", "max_iter": "300"}
    assert Scene.from_query(untold.to_query()) == untold
    assert Scene.from_query(scene.to_query()) == scene and scene.to_query() == {"problem": "seed"}
