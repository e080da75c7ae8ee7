"""The planes of a many-parameter run, against numpy: the SVD, direct loss evaluation."""
import numpy as np
import pytest

import gdviz
from gdviz import optim, problems, stop
from gdviz.landscape import grid_through, pca_plane, slice_at


@pytest.fixture(scope="module")
def poly_trace():
    return gdviz.run(problems.PolynomialRegression.example(degree=3),
                     optim.nesterov(learning_rate=0.1), stop=stop.MaxIter(300))


def test_the_pca_plane_is_the_svd_of_the_path_about_its_end(poly_trace):
    plane = pca_plane(poly_trace)
    centred = poly_trace.params - poly_trace.params[-1]
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    np.testing.assert_allclose(plane.origin, poly_trace.params[-1])
    for k in range(2):  # the same axes, up to sign
        assert abs(abs(plane.directions[k] @ vt[k]) - 1) < 1e-10
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(plane.explained, s[:2] ** 2 / np.sum(s**2))
    np.testing.assert_allclose(plane.project(poly_trace.params), centred @ plane.directions.T)


def test_the_planes_surface_is_the_loss_at_each_of_its_points(poly_trace):
    plane = pca_plane(poly_trace)
    a, b, Z = plane.surface(poly_trace.problem, n=9, window=((-2, 1), (-1, 3)))
    assert Z.shape == (9, 9)
    for j, k in ((0, 0), (4, 7), (8, 2)):
        point = plane.origin + a[k] * plane.directions[0] + b[j] * plane.directions[1]
        assert Z[j, k] == pytest.approx(poly_trace.problem.loss(point), rel=1e-12)


def test_the_slice_is_the_loss_with_the_others_at_step_i_and_passes_through_the_point(poly_trace):
    problem = poly_trace.problem
    for i in (0, 7, 150, 300):
        u, v, Z = slice_at(poly_trace, i, dims=(1, 3), n=25)
        r, c = 5, 17
        point = poly_trace.params[i].copy()
        point[1], point[3] = u[c], v[r]
        assert Z[r, c] == pytest.approx(problem.loss(point), rel=1e-12)
        c, r = list(u).index(poly_trace.params[i, 1]), list(v).index(poly_trace.params[i, 3])
        assert Z[r, c] == pytest.approx(poly_trace.loss[i], rel=1e-12)


def test_a_straight_path_still_gets_an_orthonormal_plane():
    trace = gdviz.run(problems.Quadratic(condition=1), optim.gd(learning_rate=0.1),
                      stop=stop.MaxIter(20))  # a round bowl: straight to the minimum
    plane = pca_plane(trace)
    np.testing.assert_allclose(plane.directions @ plane.directions.T, np.eye(2), atol=1e-12)
    assert plane.explained[0] == pytest.approx(1.0) and plane.explained[1] < 1e-12
    assert np.max(plane.residual(trace.params)) < 1e-9


def test_grid_through_puts_the_value_on_a_node():
    line = grid_through(0.3333, 0.0, 1.0, 11)
    assert 0.3333 in line and len(line) == 11
    np.testing.assert_allclose(np.diff(line), 0.1)
    np.testing.assert_array_equal(grid_through(5.0, 0.0, 1.0, 11), np.linspace(0, 1, 11))


def _frames_of(anim):
    return [int(k) for k in anim.frame_iterations]


def test_the_contours_slice_holds_the_point_at_its_own_loss_at_every_drawn_frame(poly_trace):
    anim = gdviz.animate(poly_trace, layout=["contour"], frames=25, plane="slice")
    view = anim.views[0]
    assert view.image is not None and "the other 2 parameters at their current values" in \
        view.image.axes.get_title()
    i, j = view.i, view.j
    for k in _frames_of(anim):
        view.update(k)
        grid_x, grid_y, values = view.view_plane.grid(k, view.moving_resolution)
        column = list(grid_x[0]).index(poly_trace.params[k, i])
        row = list(grid_y[:, 0]).index(poly_trace.params[k, j])
        assert values[row, column] == pytest.approx(poly_trace.loss[k], rel=1e-12)
        shown = np.asarray(view.image.get_array())
        expected = np.clip(values, view.levels[0], view.levels[-1])
        np.testing.assert_allclose(shown, expected)


def test_on_the_paths_plane_the_gap_to_the_true_loss_is_said(poly_trace):
    anim = gdviz.animate(poly_trace, layout=["contour", "surface"], frames=20, plane="pca")
    contour, surface = anim.views
    plane = pca_plane(poly_trace)
    title = contour.path.axes.get_title()
    assert f"{plane.explained[0]:.0%} + {plane.explained[1]:.0%} of its spread" in title
    k = _frames_of(anim)[3]
    anim.draw_iteration(k)
    (x, y), = contour.point.get_xydata()
    np.testing.assert_allclose((x, y), plane.project(poly_trace.params[k]))
    note = contour.status_note(k)
    under = poly_trace.problem.loss(plane.point(x, y))
    assert f"true loss {poly_trace.loss[k]:.4g}" in note and f"under it {under:.4g}" in note
    # The surface draws the path at the plane's height, and says so.
    assert "the path at the plane's height" in surface.path.axes.get_title()
    assert surface.height[k] == pytest.approx(under, abs=0.011 * (surface.ceiling - surface.floor))


def test_an_unknown_plane_is_refused_with_the_choices():
    trace = gdviz.run(problems.Quadratic(), optim.gd(learning_rate=0.1), stop=stop.MaxIter(5))
    with pytest.raises(ValueError, match="did you mean 'pca'"):
        gdviz.animate(trace, plane="pcaa")
