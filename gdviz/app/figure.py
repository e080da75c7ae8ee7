"""The playground's charts: the contour with the paths, the loss curve, the data, the
network, the promise and the arithmetic board, as Bokeh models built once per page; the
browser's scrub and play code moves them frame by frame."""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.events import Tap
from bokeh.models import (ColorBar, Column, CustomJS, FixedTicker, HoverTool,
                          InlineStyleSheet, LinearColorMapper, PlainText, Range1d, Slider)
from bokeh.models import Button as BokehButton
from bokeh.models import Div as BokehDiv
from bokeh.palettes import viridis
from bokeh.plotting import figure

from .browser_code import PLAY_JS, SCRUB_JS
from .choices import MAX_RACE
from .style import (MONOSPACE_CSS, Shared, caption_style, class_palette,
                    describe_tools, empty_path, empty_race, glyph, upright)
from ..views.race import run_colour
from ..views.fit import ABOVE as STICK_ABOVE, BELOW as STICK_BELOW
from ..views.network import NEGATIVE, POSITIVE
from ..words.i18n import _
from ..views.contour import labelled_levels
from ..views.style import CAPTION, CURRENT, DATA, FIT, OTHER_CLASS
from .charts import MAP_POINTS
from .network_panel import NETWORK_SOURCES, NetworkPanel
from .views import SIZES, Sizes


class Figure(NetworkPanel):
    """Every chart of a page and the sources they draw (the page fills them)."""

    def __init__(self, on_tap, on_scrub, sizes: Sizes = SIZES[""]):
        """The charts' models, at ``sizes`` (the page's view's); ``on_tap(event)`` a click
        on the contour, ``on_scrub(attr, old, new)`` the scrub bar moved."""
        self.sizes = sizes
        self._shared = Shared()
        self._side = side = dict(width=sizes.side[0], height=sizes.side[1],
                                 toolbar_location=sizes.toolbar)
        self.image = self._shared.source({"image": [np.zeros((2, 2))], "x": [0], "y": [0],
                                       "dw": [1], "dh": [1]})
        self.mapper = LinearColorMapper(palette=viridis(24), low=0, high=23)
        # A square plotting area: a function's window is square too (charts.window), so
        # its x and y are drawn to scale and a step's direction is the one judged.
        self.contour = figure(frame_width=sizes.frame, frame_height=sizes.frame,
                              toolbar_location=sizes.toolbar,
                              title=_("the loss: click to set the start"),
                              tools="pan,wheel_zoom,reset", name="contour",
                              x_range=Range1d(0, 1), y_range=Range1d(0, 1))
        self._glyph(self.contour, "image", image="image", x="x", y="y", dw="dw", dh="dh", source=self.image,
                           color_mapper=self.mapper, level="image")
        self.colour_bar = ColorBar(color_mapper=self.mapper, title=_("loss"), width=12,
                                   ticker=FixedTicker(ticks=[]))
        self.contour.add_layout(self.colour_bar, "right")
        self.landmarks = self._shared.source({"x": [], "y": [], "kind": []}, hovered=True)
        stars = self._glyph(self.contour, "scatter", "x", "y", source=self.landmarks, marker="star", size=18,
                                     fill_color="white", line_color="black")
        self.contour.add_tools(HoverTool(renderers=[stars], tooltips=[("", "@kind")]))
        self.start_point = self._shared.source({"x": [], "y": []})
        self._glyph(self.contour, "scatter", "x", "y", source=self.start_point, marker="square", size=10,
                             fill_color="white", line_color="black", name="start")
        self.loss_chart = figure(**side, y_axis_type="log", name="loss",
                                 title=_("the loss, step by step"), tools="pan,wheel_zoom,reset",
                                 x_axis_label=_("iteration"), y_axis_label=_("loss (log scale)"),
                                 x_range=Range1d(0, 1), y_range=Range1d(1e-3, 1e3))
        # Promise and delivery: the loss along the step of the frame shown (browser-only).
        promise_width, promise_height = sizes.promise if sizes.promise[0] else (430, 250)
        self.promise_chart = figure(width=promise_width, height=promise_height, name="promise",
                                    title=_("promise and delivery: the loss along this step"),
                                    tools="", x_range=Range1d(-0.25, 2.0),
                                    y_range=Range1d(-2.0, 1.5),
                                    x_axis_label=_("along the step (0: here, 1: where it lands)"),
                                    y_axis_label=_("change ÷ promised fall"))
        self._glyph(self.promise_chart, "line", [-0.25, 2.0], [0.25, -2.0], color=FIT, line_dash="dashed",
                                line_width=2, legend_label=_("the gradient's promise"))
        self.promise = self._shared.source({"x": [], "y": []}, name="promise_curve",
                                        syncable=False)
        # Every frame's curve in one buffer (frames × points along); the scrub code slices it.
        self.curves = self._shared.source({"y": []}, name="promise_curves")
        self._glyph(self.promise_chart, "line", "x", "y", source=self.promise, color=CURRENT,
                                line_width=2.5, legend_label=_("the loss along the step"))
        self.landing = self._shared.source({"x": [], "y": []}, syncable=False)
        self._glyph(self.promise_chart, "scatter", "x", "y", source=self.landing, size=11, fill_color="white",
                                   line_color=CURRENT, line_width=2.5)
        self.lowest = self._shared.source({"x": [], "y": []}, syncable=False)
        self._glyph(self.promise_chart, "scatter", "x", "y", source=self.lowest, marker="inverted_triangle",
                                   size=10, fill_color="white", line_color="black")
        legend = self.promise_chart.center[-1]
        legend.location, legend.label_text_font_size = "top_left", "10px"
        self.promise_words = BokehDiv(text="", width=promise_width, height=50,
                                      name="promise_words",
                                      syncable=False, render_as_text=True,
                                      styles={"font-family": MONOSPACE_CSS, "font-size": "12px",
                                              "white-space": "pre"})
        self.fulls = [self._shared.source(empty_path(), name=f"full{r}") for r in range(1 + MAX_RACE)]
        # Each run's colour (``Drawn.colours``): the scrub code reads it from here.
        self.run_colours = self._shared.source(
            {"colour": [run_colour(r) for r in range(1 + MAX_RACE)]}, name="run_colours")
        # What the browser's scrub code cuts from the paths stays in the browser
        # (syncable=False): a played animation sends the server nothing. The current
        # settings' run (shown0, now0) is drawn on top of the race's runs, which share one
        # source per glyph (a page's cost on the server grows with its glyphs).
        self.shown = self._shared.source(empty_path(), name="shown0", syncable=False)
        self.now = self._shared.source(empty_path(), name="now0", syncable=False)
        self.race_lines, self.race_dots, self.race_ends = (
            self._shared.source(data, name=name, syncable=False)
            for data, name in zip(empty_race(), ("race_lines", "race_dots", "race_ends")))
        self._glyph(self.contour, "multi_line", "xs", "ys", source=self.race_lines, line_color="colour",
                                line_width=2.5)
        self._glyph(self.contour, "scatter", "x", "y", source=self.race_dots, color="colour", size=4)
        self._glyph(self.contour, "scatter", "x", "y", source=self.race_ends, fill_color="colour",
                             line_color="black", size=12)
        self._glyph(self.loss_chart, "multi_line", "its", "losses", source=self.race_lines,
                                   line_color="colour", line_width=2)
        self._glyph(self.loss_chart, "scatter", "iteration", "loss", source=self.race_ends,
                                fill_color="colour", line_color="black", size=9)
        own = run_colour(0)
        # The current settings' glyphs: their colour follows the run's (``colour_runs``).
        self._own_lines = [
            self._glyph(self.contour, "line", "x", "y", source=self.shown, color=own, line_width=2.5).glyph,
            self._glyph(self.loss_chart, "line", "iteration", "loss", source=self.shown, color=own,
                                 line_width=2).glyph]
        self._own_fills = [
            self._glyph(self.contour, "scatter", "x", "y", source=self.shown, color=own, size=4).glyph,
            self._glyph(self.contour, "scatter", "x", "y", source=self.now, fill_color=own, line_color="black",
                                 size=12).glyph,
            self._glyph(self.loss_chart, "scatter", "iteration", "loss", source=self.now, fill_color=own,
                                    line_color="black", size=9).glyph]
        # A ✖ on the edge where a run left the panel (the scrub code places it).
        self.edges = self._shared.source({"x": [], "y": [], "colour": []}, name="edges",
                                      syncable=False)
        self._glyph(self.contour, "scatter", "x", "y", source=self.edges, marker="x", size=16,
                             line_color="colour", line_width=3)
        self.contour.grid.visible = False
        # Names from a formula or a CSV header: plain text (never TeX or HTML). Models made
        # once, their text changed later (a new model would make Bokeh walk the document).
        self.contour.xaxis[0].axis_label = PlainText(text="")
        self.contour.yaxis[0].axis_label = PlainText(text="")
        self.contour.on_event(Tap, on_tap)
        # Under the contour, what it shows at the frame shown: the iteration a slice is
        # through, or how far the point lies off the plane of the path.
        self.plane_source = self._shared.source({"at": [-1], "on": [""], "off": [""]},
                                             name="plane")
        self.plane_note = BokehDiv(text="", width=sizes.contour[0], height=36, name="plane_note",
                                   syncable=False, render_as_text=True,
                                   styles={"font-size": "12px", "color": "#333"})
        # The data and the fit: its sources now (the scrub code moves them), its chart
        # the first time there are data to show (a function's page never shows one).
        self.data_chart = None
        self.sides = Column(children=[self.loss_chart])  # the loss, then the data
        self.points = self._shared.source({"x": [], "y": [], "colour": [], "marker": []})
        # A network's map over the plane (the scrub code picks each frame's), and its
        # held-out test points, hollow.
        self.net_map = self._shared.source({"image": [], "x": [], "y": [], "dw": [], "dh": []},
                                        name="net_map", syncable=False)
        self.maps = self._shared.source({"v": []}, name="maps")  # every map, one after another
        self.map_mapper = LinearColorMapper(palette=class_palette(2), low=0, high=1,
                                            nan_color=(0, 0, 0, 0))
        self.test_points = self._shared.source({"x": [], "y": [], "colour": []}, name="test_points")
        self.sticks = self._shared.source({"x0": [], "y0": [], "x1": [], "y1": [], "colour": [],
                                        "width": []}, name="sticks", syncable=False)
        self.curve = self._shared.source({"x": [], "y": []}, name="curve", syncable=False)
        self.boundary = self._shared.source({"x": [], "y": []}, name="boundary", syncable=False)
        # A network's picture is built the first time a network is drawn (most pages never
        # draw one): its place, the chain rule's words, and None for its sources meanwhile.
        self.network_chart = None
        self.network_row = pn.Row(pn.Spacer(width=0, height=0), visible=False)
        self.chain = BokehDiv(text="", width=min(560, sizes.text), height=300, name="chain",
                              syncable=False,
                              render_as_text=True,
                              styles={"font-family": MONOSPACE_CSS, "font-size": "12px",
                                      "white-space": "pre", "overflow": "auto"})
        self.frames = self._shared.source({"iteration": [0], "board": [""]}, name="frames")
        # Tall enough for the longest board (Adam's: 20 lines), so the update arithmetic
        # is never cut off below the gradient.
        self.board = BokehDiv(text="", width=sizes.board[0] or 500,
                              height=sizes.board[1] or 340, name="board", syncable=False,
                              render_as_text=True,
                              styles={"font-family": MONOSPACE_CSS, "font-size": "12px",
                                      "white-space": "pre", "overflow": "auto"})
        # The narrator's caption of the scrubbed step: why the point moves.
        self.caption = BokehDiv(text="", width=sizes.caption,
                                height=max(44, 3 * sizes.caption_font + 2), name="caption",
                                syncable=False,
                                render_as_text=True,
                                styles={"font-style": caption_style(), "color": CAPTION,
                                        "font-size": f"{sizes.caption_font}px"})
        self.counter = BokehDiv(text="", name="counter", styles={"font-family": MONOSPACE_CSS},
                                width=200 if sizes.one_column else 180, height=20,
                                syncable=False)
        # "computing…" while a request is out: the picture shown is not the controls' yet.
        self.drawn_link = BokehDiv(text="", name="drawn", visible=False, syncable=False)
        self.pending = BokehDiv(text="", name="pending", styles={"color": "#555"}, width=120,
                                height=20, syncable=False)
        # No title or value of its own: the counter beside it says the iteration (a frame's
        # number is not one, and Bokeh would write "帧: 299" with a half-width colon).
        self.scrub = Slider(start=0, end=1, value=1, step=1, title="", show_value=False,
                            width=sizes.scrub, name="scrub")
        self.play = BokehButton(label=_("▶ play"), width=100, name="play")
        scrub = CustomJS(args=dict(slider=self.scrub, frames=self.frames, fulls=self.fulls,
                                   shown=self.shown, now=self.now, race_lines=self.race_lines,
                                   race_dots=self.race_dots, race_ends=self.race_ends,
                                   curve=self.curve,
                                   boundary=self.boundary, board=self.board,
                                   caption=self.caption, counter=self.counter,
                                   promise=self.promise, landing=self.landing,
                                   lowest=self.lowest, promise_words=self.promise_words,
                                   points=self.points, sticks=self.sticks,
                                   above=STICK_ABOVE, below=STICK_BELOW,
                                   plane=self.plane_source, plane_note=self.plane_note,
                                   edges=self.edges, colours=self.run_colours,
                                   xrange=self.contour.x_range,
                                   yrange=self.contour.y_range, maps=self.maps,
                                   map_points=MAP_POINTS,
                                   net_map=self.net_map, curves=self.curves,
                                   **dict.fromkeys(NETWORK_SOURCES), chain=self.chain, signs=[POSITIVE, NEGATIVE],
                                   counter_words=_("iteration {i} of {last}")),
                         code=SCRUB_JS)
        self._scrub = scrub
        self.scrub.js_on_change("value", scrub)
        for full in self.fulls:
            full.js_on_change("data", scrub)
        self.plane_source.js_on_change("data", scrub)
        self.scrub.on_change("value", on_scrub)
        self.play.js_on_event("button_click", CustomJS(args=dict(slider=self.scrub,
                                                                 button=self.play), code=PLAY_JS))
        upright(self.contour, self.loss_chart, self.promise_chart)
        describe_tools(self.contour, self.loss_chart, self.promise_chart)
        if sizes.font:  # read from the back of a room
            self._enlarge(sizes.font)

    def _build_data_chart(self) -> None:
        """The data and the model's fit (a network's map, two classes and their boundary),
        under the loss: fixed to the data's range (a diverging fit runs off the chart, not
        the data)."""
        self.data_chart = chart = figure(**self._side, tools="pan,wheel_zoom,reset", name="data",
                                         title=_("the model and the data"),
                                         x_range=Range1d(0, 1), y_range=Range1d(0, 1))
        chart.xaxis[0].axis_label = PlainText(text="")
        chart.yaxis[0].axis_label = PlainText(text="")
        self._glyph(chart, "scatter", "x", "y", source=self.points, color="colour",
                    marker="marker", size=7, line_color="black", line_alpha=0.3)
        self._glyph(chart, "image", image="image", x="x", y="y", dw="dw", dh="dh",
                    source=self.net_map, color_mapper=self.map_mapper, global_alpha=0.45,
                    level="image")
        self._glyph(chart, "scatter", "x", "y", source=self.test_points, fill_color="white",
                    line_color="colour", line_width=2, size=8)
        self._glyph(chart, "segment", "x0", "y0", "x1", "y1", source=self.sticks,
                    color="colour", line_width="width", line_alpha=0.8)
        self._glyph(chart, "line", "x", "y", source=self.curve, color=FIT, line_width=3)
        self._glyph(chart, "line", "x", "y", source=self.boundary, color=FIT, line_width=3)
        upright(chart)
        describe_tools(chart)
        if self.sizes.font:
            self._enlarge_chart(chart, self.sizes.font)
        self.sides.children = [*self.sides.children, chart]

    @property
    def data_shown(self) -> bool:
        """Whether the page shows the data chart now."""
        return self.data_chart is not None and self.data_chart.visible

    @staticmethod
    def _enlarge_chart(chart, font: int) -> None:
        chart.title.text_font_size = f"{font + 4}px"
        for axis in chart.axis:
            axis.axis_label_text_font_size = f"{font}px"
            axis.major_label_text_font_size = f"{font - 2}px"

    def _enlarge(self, font: int) -> None:
        """The charts' titles, axes and colour bar at ``font`` px, the play button too."""
        for chart in (self.contour, self.loss_chart):
            self._enlarge_chart(chart, font)
        self.colour_bar.title_text_font_size = f"{font}px"
        self.colour_bar.major_label_text_font_size = f"{font - 2}px"
        self.colour_bar.width = 20
        # The button's own stylesheet sets its text's size: the host's style does not reach it.
        self.play.stylesheets = [InlineStyleSheet(css=f".bk-btn {{ font-size: {font}px; }}")]
        self.play.width, self.play.height = 140, 44
        self.counter.styles = {**self.counter.styles, "font-size": f"{font}px"}
        self.counter.width = 320

    def _glyph(self, plot, kind: str, *coordinates, **settings):
        """A glyph on ``plot`` (``style.glyph``), sharing the page's models."""
        return glyph(plot, kind, *coordinates, shared=self._shared, **settings)

    # -- drawing what a worker answered --------------------------------------------------
    def show_contour_image(self, image: dict) -> None:
        image = dict(image)
        self.levels = levels = image.pop("levels")
        self.image.data = {k: [v] for k, v in image.items()}
        self.mapper.palette = viridis(min(max(len(levels), 3), 256))
        self.mapper.high = len(levels) - 1
        labelled = labelled_levels(levels)  # the pictures' labels: none twice
        self.colour_bar.ticker.ticks = labelled
        self.colour_bar.major_label_overrides = {k: f"{levels[k]:.3g}" for k in labelled}

    def show_plane_words(self, words: dict, at: int | None) -> None:
        """The contour's title, and the note under it the browser picks for each frame."""
        self.contour.title.text = words["title"]
        self.plane_source.data = {"at": [-1 if at is None else int(at)], "on": [words["on"]],
                                  "off": [words["off"]]}

    def cut_paths(self, frame: int):
        """What the browser's scrub code does: each run up to the iteration of ``frame``."""
        from ..views.window import exit_mark

        iteration = self.frames.data["iteration"][frame]
        marks = {"x": [], "y": [], "colour": []}
        window = ((self.contour.x_range.start, self.contour.x_range.end),
                  (self.contour.y_range.start, self.contour.y_range.end))
        lines, dots, ends = empty_race()
        for r in reversed(range(len(self.fulls))):
            data, colour = self.fulls[r].data, self.run_colours.data["colour"][r]
            k = min(iteration, len(data["x"]) - 1)
            cut = {key: list(values[: k + 1]) for key, values in data.items()}
            if r == 0:
                self.shown.data = cut
                self.now.data = {key: [values[k]] if k >= 0 else [] for key, values in data.items()}
            elif k >= 0:
                for key, column in (("xs", "x"), ("ys", "y"), ("its", "iteration"),
                                    ("losses", "loss")):
                    lines[key].append(cut[column])
                lines["colour"].append(colour)
                dots["x"] += cut["x"]
                dots["y"] += cut["y"]
                dots["colour"] += [colour] * (k + 1)
                for key in ("x", "y", "iteration", "loss"):
                    ends[key].append(data[key][k])
                ends["colour"].append(colour)
            if k >= 0:
                mark = exit_mark(np.column_stack([data["x"], data["y"]]), k, window)
                if mark is not None:
                    marks["x"].append(float(mark[0]))
                    marks["y"].append(float(mark[1]))
                    marks["colour"].append(colour)
        self.race_lines.data, self.race_dots.data, self.race_ends.data = lines, dots, ends
        self.edges.data = marks

    def draw_data(self, drawn):
        # The arithmetic boards follow in a second message: the path is drawn first.
        frames, view = drawn.frames, drawn.data
        frame_data = {"iteration": frames, "board": [""] * len(frames),
                      "caption": list(drawn.captions) or [""] * len(frames)}
        if drawn.plane_notes:  # the plane of the path: how far each frame's point is off it
            frame_data["plane_note"] = list(drawn.plane_notes)
        if view is None or view["kind"] != "fit":
            self._draw_sticks({}, frame_data)
        if (view is None or view["kind"] != "map") and len(self.maps.data["v"]):
            self.maps.data = {"v": []}
            self.net_map.data = {"image": [], "x": [], "y": [], "dw": [], "dh": []}
            self.test_points.data = {"x": [], "y": [], "colour": []}
        self._draw_promise(drawn, frame_data)
        self.draw_network(drawn, frame_data)
        if view is not None and self.data_chart is None:
            self._build_data_chart()
        if self.data_chart is not None:
            self.data_chart.visible = view is not None
        if view is not None:
            shown = len(view["x"])
            title = {"fit": _("the data and the model's fit"),
                     "map": _("what the network says over the plane (test points hollow)")
                     }.get(view["kind"], _("two classes and the decision boundary"))
            if shown < view["total"]:
                title = _("{title} ({shown:,} of {total:,} points shown)").format(
                    title=title, shown=shown, total=view["total"])
            self.data_chart.title.text = title
            self.data_chart.xaxis[0].axis_label.text = view["x_label"]
            self.data_chart.yaxis[0].axis_label.text = view["y_label"]
            self._fit_ranges(view["x"], view["y"])
        if view is not None and view["kind"] == "fit":
            self.points.data = {"x": view["x"], "y": view["y"], "colour": [DATA] * shown,
                                "marker": ["circle"] * shown}
            frame_data["curve"] = [np.asarray(curve) for curve in view["curves"]]
            self.curve.data = {"x": view["curve_x"], "y": view["curves"][-1]}
            self._draw_sticks(view, frame_data)
            self.boundary.data = {"x": [], "y": []}
        elif view is not None and view["kind"] == "map":
            self._draw_map(view, frame_data)
        elif view is not None:
            labels = view["labels"]
            self.points.data = {"x": view["x"], "y": view["y"],
                                "colour": [OTHER_CLASS if v else DATA for v in labels],
                                "marker": ["triangle" if v else "circle" for v in labels]}
            frame_data["line_x"] = [line[0] for line in view["lines"]]
            frame_data["line_y"] = [line[1] for line in view["lines"]]
            self.boundary.data = {"x": view["lines"][-1][0], "y": view["lines"][-1][1]}
            self.curve.data = {"x": [], "y": []}
        self.frames.data = frame_data

    def _draw_map(self, view, frame_data) -> None:
        """A network's classes: its map over the plane at each frame (the browser shows the
        scrubbed one), the training points filled, the test points hollow."""
        classes = view["classes"]
        colours = class_palette(classes)
        labels = view["labels"]
        self.points.data = {"x": view["x"], "y": view["y"],
                            "colour": [colours[k] for k in labels],
                            "marker": ["circle"] * len(labels)}
        test = np.asarray(view["X_test"]).reshape(-1, 2)
        self.test_points.data = {"x": test[:, 0], "y": test[:, 1],
                                 "colour": [colours[k] for k in view["labels_test"]]}
        self.map_mapper.palette = (class_palette(2, shades=True) if classes == 2
                                   else colours)
        self.map_mapper.update(low=0, high=1 if classes == 2 else classes - 1)
        self.maps.data = {"v": np.asarray(view["images"], dtype=np.float32).ravel()}
        frame_data["map_at"] = list(view["at"])
        x0, x1, y0, y1 = view["extent"]
        self.net_map.data = {"image": [view["images"][view["at"][-1]]], "x": [x0], "y": [y0],
                             "dw": [x1 - x0], "dh": [y1 - y0]}
        self.data_chart.x_range.update(start=x0, end=x1)
        self.data_chart.y_range.update(start=y0, end=y1)
        self.boundary.data = {"x": [], "y": []}
        self.curve.data = {"x": [], "y": []}

    def _draw_sticks(self, view, frame_data) -> None:
        """Residual sticks of the last frame (the browser redraws them as it scrubs)."""
        fitted = view.get("fitted")
        if not fitted:
            self.sticks.data = {key: [] for key in ("x0", "y0", "x1", "y1", "colour", "width")}
            return
        frame_data["fitted"] = [np.asarray(f) for f in fitted]
        x, y, fit = np.asarray(view["x"]), np.asarray(view["y"]), np.asarray(fitted[-1])
        pull = np.abs(y - fit)
        share = pull / (np.nansum(pull) or 1.0)
        self.sticks.data = {"x0": x, "y0": y, "x1": x, "y1": fit,
                            "colour": np.where(y > fit, STICK_ABOVE, STICK_BELOW).tolist(),
                            "width": 0.5 + 60 * share}

    def _draw_promise(self, drawn, frame_data) -> None:
        """Each frame's promise and delivery into the frames' data (the browser shows the
        scrubbed one); the last frame's drawn here."""
        promise = drawn.promise
        self.promise_chart.visible = promise is not None
        self.promise_words.visible = promise is not None
        if promise is None:
            return
        along = np.asarray(promise["t"])
        lowest_y = []
        for curve, low in zip(promise["curves"], promise["lowest"]):
            at = int(np.argmin(np.abs(along - low))) if np.isfinite(low) else 0
            lowest_y.append(float(max(curve[at], -2.0)) if np.isfinite(low) else float("nan"))
        curves = np.asarray(promise["curves"], dtype=float)
        self.curves.data = {"y": curves.ravel()}
        frame_data.update(
                          landed=promise["landed"], lowest=promise["lowest"],
                          lowest_y=lowest_y, promise_words=promise["words"])
        # As the scrub code would show the last frame (where the scrub bar starts).
        self.promise.data = {"x": along, "y": curves[-1]}
        self.landing.data = {"x": [1.0], "y": [promise["landed"][-1]]}
        self.lowest.data = {"x": [promise["lowest"][-1]], "y": [lowest_y[-1]]}
        self.promise_words.text = promise["words"][-1]

    def _fit_ranges(self, x, y):
        pad_x, pad_y = 0.05 * (np.ptp(x) or 1.0), 0.15 * (np.ptp(y) or 1.0)
        self.data_chart.x_range.update(start=float(np.min(x) - pad_x), end=float(np.max(x) + pad_x))
        self.data_chart.y_range.update(start=float(np.min(y) - pad_y), end=float(np.max(y) + pad_y))

    def count_iterations(self, shown: int, total: bool = True) -> None:
        """The counter at iteration ``shown``, with the run's total unless the run past
        it is hidden (predict mode: 第 0 次迭代, not 第 0 次迭代（共 0 次）)."""
        words = _("iteration {i} of {last}") if total else _("iteration {i}")
        if self._scrub.args["counter_words"] != words:  # a change travels to the browser
            self._scrub.args = {**self._scrub.args, "counter_words": words}
        self.counter.text = words.format(i=shown, last=shown)

    def colour_runs(self, colours) -> None:
        """Each run in its colour (the race's before its paths, which the scrub code cuts)."""
        colours = list(colours) + [run_colour(r) for r in range(len(colours), 1 + MAX_RACE)]
        if colours != list(self.run_colours.data["colour"]):
            self.run_colours.data = {"colour": colours}
        for own in self._own_lines:
            own.line_color = colours[0]
        for own in self._own_fills:
            own.fill_color = colours[0]
        self._own_fills[0].line_color = colours[0]
