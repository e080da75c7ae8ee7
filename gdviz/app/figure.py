"""The playground's charts: the contour with the paths, the loss curve, the data, the
network, the promise and the arithmetic board, as Bokeh models built once per page; the
browser's scrub and play code moves them frame by frame."""
from __future__ import annotations

import html

import numpy as np
import panel as pn
from bokeh.events import Tap
from bokeh.models import (ColorBar, ColumnDataSource, CustomJS, FixedTicker, HoverTool,
                          LinearColorMapper, PlainText, Range1d, Slider)
from bokeh.models import Button as BokehButton
from bokeh.models import Div as BokehDiv
from bokeh.palettes import viridis
from bokeh.plotting import figure

from .browser_code import PLAY_JS, SCRUB_JS
from .choices import MAX_RACE
from .style import MONOSPACE_CSS, class_palette, empty_path, empty_race, lean, ramp
from ..views.race import run_colour
from ..views.fit import ABOVE as STICK_ABOVE, BELOW as STICK_BELOW
from ..views.network import HALF as NETWORK_HALF, NEGATIVE, POSITIVE
from ..words.i18n import _
from ..views.style import CAPTION, CURRENT, FIT
from .charts import MAP_POINTS

class Figure:
    """Every chart of a page and the sources they draw (the page fills them)."""

    def __init__(self, on_tap, on_scrub):
        """The charts' models; ``on_tap(event)`` a click on the contour, ``on_scrub(attr,
        old, new)`` the scrub bar moved."""
        self.image = ColumnDataSource({"image": [np.zeros((2, 2))], "x": [0], "y": [0],
                                       "dw": [1], "dh": [1]})
        self.mapper = LinearColorMapper(palette=viridis(24), low=0, high=23)
        self.contour = figure(width=560, height=470, title=_("the loss: click to set the start"),
                              tools="pan,wheel_zoom,reset", name="contour",
                              x_range=Range1d(0, 1), y_range=Range1d(0, 1))
        self.contour.image(image="image", x="x", y="y", dw="dw", dh="dh", source=self.image,
                           color_mapper=self.mapper, level="image")
        self.colour_bar = ColorBar(color_mapper=self.mapper, title=_("loss"), width=12,
                                   ticker=FixedTicker(ticks=[]))
        self.contour.add_layout(self.colour_bar, "right")
        self.landmarks = ColumnDataSource({"x": [], "y": [], "kind": []})
        stars = self.contour.scatter("x", "y", source=self.landmarks, marker="star", size=18,
                                     fill_color="white", line_color="black")
        self.contour.add_tools(HoverTool(renderers=[stars], tooltips=[("", "@kind")]))
        self.start_point = ColumnDataSource({"x": [], "y": []})
        self.contour.scatter("x", "y", source=self.start_point, marker="square", size=10,
                             fill_color="white", line_color="black", name="start")
        self.loss_chart = figure(width=520, height=300, y_axis_type="log", name="loss",
                                 title=_("the loss, step by step"), tools="pan,wheel_zoom,reset",
                                 x_axis_label=_("iteration"), y_axis_label=_("loss (log scale)"),
                                 x_range=Range1d(0, 1), y_range=Range1d(1e-3, 1e3))
        # Promise and delivery: the loss along the step of the frame shown (browser-only).
        self.promise_chart = figure(width=470, height=260, name="promise",
                                    title=_("promise and delivery: the loss along this step"),
                                    tools="", x_range=Range1d(-0.25, 2.0),
                                    y_range=Range1d(-2.0, 1.5),
                                    x_axis_label=_("along the step (0: here, 1: where it lands)"),
                                    y_axis_label=_("change ÷ promised fall"))
        self.promise_chart.line([-0.25, 2.0], [0.25, -2.0], color=FIT, line_dash="dashed",
                                line_width=2, legend_label=_("the gradient's promise"))
        self.promise = ColumnDataSource({"x": [], "y": []}, name="promise_curve",
                                        syncable=False)
        # Every frame's curve in one buffer (frames × points along); the scrub code slices it.
        self.curves = ColumnDataSource({"y": []}, name="promise_curves")
        self.promise_chart.line("x", "y", source=self.promise, color=CURRENT,
                                line_width=2.5, legend_label=_("the loss along the step"))
        self.landing = ColumnDataSource({"x": [], "y": []}, syncable=False)
        self.promise_chart.scatter("x", "y", source=self.landing, size=11, fill_color="white",
                                   line_color=CURRENT, line_width=2.5)
        self.lowest = ColumnDataSource({"x": [], "y": []}, syncable=False)
        self.promise_chart.scatter("x", "y", source=self.lowest, marker="inverted_triangle",
                                   size=10, fill_color="white", line_color="black")
        self.promise_chart.legend.location = "top_left"
        self.promise_chart.legend.label_text_font_size = "10px"
        self.promise_words = BokehDiv(text="", width=470, height=50, name="promise_words",
                                      syncable=False, render_as_text=True,
                                      styles={"font-family": MONOSPACE_CSS, "font-size": "12px",
                                              "white-space": "pre"})
        self.fulls = [ColumnDataSource(empty_path(), name=f"full{r}") for r in range(1 + MAX_RACE)]
        # Each run's colour (``Drawn.colours``): the scrub code reads it from here.
        self.run_colours = ColumnDataSource(
            {"colour": [run_colour(r) for r in range(1 + MAX_RACE)]}, name="run_colours")
        # What the browser's scrub code cuts from the paths stays in the browser
        # (syncable=False): a played animation sends the server nothing. The current
        # settings' run (shown0, now0) is drawn on top of the race's runs, which share one
        # source per glyph (a page's cost on the server grows with its glyphs).
        self.shown = ColumnDataSource(empty_path(), name="shown0", syncable=False)
        self.now = ColumnDataSource(empty_path(), name="now0", syncable=False)
        self.race_lines, self.race_dots, self.race_ends = (
            ColumnDataSource(data, name=name, syncable=False)
            for data, name in zip(empty_race(), ("race_lines", "race_dots", "race_ends")))
        self.contour.multi_line("xs", "ys", source=self.race_lines, line_color="colour",
                                line_width=2.5)
        self.contour.scatter("x", "y", source=self.race_dots, color="colour", size=4)
        self.contour.scatter("x", "y", source=self.race_ends, fill_color="colour",
                             line_color="black", size=12)
        self.loss_chart.multi_line("its", "losses", source=self.race_lines,
                                   line_color="colour", line_width=2)
        self.loss_chart.scatter("iteration", "loss", source=self.race_ends,
                                fill_color="colour", line_color="black", size=9)
        own = run_colour(0)
        # The current settings' glyphs: their colour follows the run's (``_colour_runs``).
        self._own_lines = [
            self.contour.line("x", "y", source=self.shown, color=own, line_width=2.5).glyph,
            self.loss_chart.line("iteration", "loss", source=self.shown, color=own,
                                 line_width=2).glyph]
        self._own_fills = [
            self.contour.scatter("x", "y", source=self.shown, color=own, size=4).glyph,
            self.contour.scatter("x", "y", source=self.now, fill_color=own, line_color="black",
                                 size=12).glyph,
            self.loss_chart.scatter("iteration", "loss", source=self.now, fill_color=own,
                                    line_color="black", size=9).glyph]
        # A ✖ on the edge where a run left the panel (the scrub code places it).
        self.edges = ColumnDataSource({"x": [], "y": [], "colour": []}, name="edges",
                                      syncable=False)
        self.contour.scatter("x", "y", source=self.edges, marker="x", size=16,
                             line_color="colour", line_width=3)
        self.contour.grid.visible = False
        # Names from a formula or a CSV header: plain text (never TeX or HTML). Models made
        # once, their text changed later (a new model would make Bokeh walk the document).
        self.contour.xaxis[0].axis_label = PlainText(text="")
        self.contour.yaxis[0].axis_label = PlainText(text="")
        self.contour.on_event(Tap, on_tap)
        # Under the contour, what it shows at the frame shown: the iteration a slice is
        # through, or how far the point lies off the plane of the path.
        self.plane_source = ColumnDataSource({"at": [-1], "on": [""], "off": [""]},
                                             name="plane")
        self.plane_note = BokehDiv(text="", width=560, height=36, name="plane_note",
                                   syncable=False, render_as_text=True,
                                   styles={"font-size": "12px", "color": "#333"})
        # Fixed to the data's range: a diverging fit runs off the panel, not the data.
        self.data_chart = figure(width=520, height=300, tools="pan,wheel_zoom,reset",
                                 name="data", title=_("the model and the data"), visible=False,
                                 x_range=Range1d(0, 1), y_range=Range1d(0, 1))
        self.data_chart.xaxis[0].axis_label = PlainText(text="")
        self.data_chart.yaxis[0].axis_label = PlainText(text="")
        self.points = ColumnDataSource({"x": [], "y": [], "colour": [], "marker": []})
        self.data_chart.scatter("x", "y", source=self.points, color="colour", marker="marker",
                                size=7, line_color="black", line_alpha=0.3)
        # A network's map over the plane (the scrub code picks each frame's), and its
        # held-out test points, hollow.
        self.net_map = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []},
                                        name="net_map", syncable=False)
        self.maps = ColumnDataSource({"v": []}, name="maps")  # every map, one after another
        self.map_mapper = LinearColorMapper(palette=class_palette(2), low=0, high=1,
                                            nan_color=(0, 0, 0, 0))
        self.data_chart.image(image="image", x="x", y="y", dw="dw", dh="dh",
                              source=self.net_map, color_mapper=self.map_mapper,
                              global_alpha=0.45, level="image")
        self.test_points = ColumnDataSource({"x": [], "y": [], "colour": []}, name="test_points")
        self.data_chart.scatter("x", "y", source=self.test_points, fill_color="white",
                                line_color="colour", line_width=2, size=8)
        self.sticks = ColumnDataSource({"x0": [], "y0": [], "x1": [], "y1": [], "colour": [],
                                        "width": []}, name="sticks", syncable=False)
        self.data_chart.segment("x0", "y0", "x1", "y1", source=self.sticks, color="colour",
                                line_width="width", line_alpha=0.8)
        self.curve = ColumnDataSource({"x": [], "y": []}, name="curve", syncable=False)
        self.data_chart.line("x", "y", source=self.curve, color=FIT, line_width=3)
        self.boundary = ColumnDataSource({"x": [], "y": []}, name="boundary", syncable=False)
        self.data_chart.line("x", "y", source=self.boundary, color=FIT, line_width=3)
        self._build_network_chart()
        self.frames = ColumnDataSource({"iteration": [0], "board": [""]}, name="frames")
        # Tall enough for the longest board (Adam's: 20 lines), so the update arithmetic
        # is never cut off below the gradient.
        self.board = BokehDiv(text="", width=560, height=340, name="board", syncable=False,
                              render_as_text=True,
                              styles={"font-family": MONOSPACE_CSS, "font-size": "12px",
                                      "white-space": "pre", "overflow": "auto"})
        # The narrator's caption of the scrubbed step: why the point moves.
        self.caption = BokehDiv(text="", width=640, height=44, name="caption", syncable=False,
                                render_as_text=True,
                                styles={"font-style": "italic", "color": CAPTION,
                                        "font-size": "14px"})
        self.counter = BokehDiv(text="", name="counter", styles={"font-family": MONOSPACE_CSS},
                                width=220, height=20,
                                syncable=False)
        # "computing…" while a request is out: the picture shown is not the controls' yet.
        self.drawn_link = BokehDiv(text="", name="drawn", visible=False, syncable=False)
        self.pending = BokehDiv(text="", name="pending", styles={"color": "#555"}, width=160,
                                height=20, syncable=False)
        self.scrub = Slider(start=0, end=1, value=1, step=1, title=_("frame"), width=420,
                            name="scrub")
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
                                   net_edges=self.net_edges, net_weights=self.net_weights,
                                   net_moved=self.net_moved, net_ring=self.net_ring,
                                   net_words=self.net_words, net_units=self.net_units,
                                   net_maps=self.net_maps, net_out=self.net_out,
                                   net_values=self.net_values,
                                   chain=self.chain, signs=[POSITIVE, NEGATIVE],
                                   counter_words=_("iteration {i} of {last}")),
                         code=SCRUB_JS)
        lean(self.contour, self.loss_chart, self.promise_chart, self.data_chart,
              self.network_chart)
        self.scrub.js_on_change("value", scrub)
        for full in self.fulls:
            full.js_on_change("data", scrub)
        self.plane_source.js_on_change("data", scrub)
        self.scrub.on_change("value", on_scrub)
        self.play.js_on_event("button_click", CustomJS(args=dict(slider=self.scrub,
                                                                 button=self.play), code=PLAY_JS))

    def _build_network_chart(self):
        """TF Playground's picture of a network (``charts.network_picture``): the scrub code
        sets the edges' widths and colours, the units' maps and the moved weight."""
        from ..views.network import CLASS_MAP, UNIT_MAP

        self.network_chart = figure(width=760, height=380, tools="", name="network",
                                    x_range=Range1d(-1, 1), y_range=Range1d(-1, 1),
                                    toolbar_location=None)
        self.network_chart.grid.visible = False
        self.network_chart.yaxis.visible = False
        # Made once, its ticks changed later (a new model would make Bokeh walk the document).
        self._layer_ticks = FixedTicker(ticks=[])
        self.network_chart.xaxis.ticker = self._layer_ticks
        self.network_chart.outline_line_color = None
        empty = {"x0": [], "y0": [], "x1": [], "y1": []}
        self.net_edges = ColumnDataSource({**empty, "width": [], "colour": [], "name": []},
                                          name="net_edges", syncable=False)
        edges = self.network_chart.segment("x0", "y0", "x1", "y1", source=self.net_edges,
                                           line_width="width", line_color="colour",
                                           line_alpha=0.75)
        self.network_chart.add_tools(HoverTool(renderers=[edges], tooltips=[("", "@name")]))
        # Each frame's weights (÷ the run's largest), frames one after another.
        self.net_weights = ColumnDataSource({"w": []}, name="net_weights")
        self.net_moved = ColumnDataSource(dict(empty), name="net_moved", syncable=False)
        self.network_chart.segment("x0", "y0", "x1", "y1", source=self.net_moved,
                                   line_color="black", line_width=1.5, line_dash=[4, 4])
        self.net_nodes = ColumnDataSource({"x": [], "y": []}, name="net_nodes")
        self.network_chart.scatter("x", "y", source=self.net_nodes, size=16,
                                   fill_color="white", line_color="#444444")
        # The units drawn with a map (their order is the values'), and each one's frame.
        self.net_units = ColumnDataSource({"x": [], "y": [], "output": [], "rows": [],
                                           "columns": []}, name="net_units")
        self._unit_box = self.network_chart.rect(
            "x", "y", width=2 * NETWORK_HALF, height=2 * NETWORK_HALF, source=self.net_units,
            fill_color="white", line_color="#444444").glyph
        unit_palette = ramp(UNIT_MAP)
        blank = {"image": [], "x": [], "y": [], "dw": [], "dh": []}
        self.net_maps = ColumnDataSource(dict(blank), name="net_maps", syncable=False)
        self.net_out = ColumnDataSource(dict(blank), name="net_out", syncable=False)
        self._unit_mappers = []
        for source in (self.net_maps, self.net_out):
            mapper = LinearColorMapper(palette=unit_palette, low=-1, high=1,
                                       nan_color="#DDDDDD")
            self.network_chart.image(image="image", x="x", y="y", dw="dw", dh="dh",
                                     source=source, color_mapper=mapper)
            self._unit_mappers.append(mapper)
        self._output_palettes = {False: unit_palette, True: ramp(CLASS_MAP)}
        # Every snapshot's units' outputs (hidden cells, then the output's), one after another.
        self.net_values = ColumnDataSource({"v": []}, name="net_values")
        self.net_ring = ColumnDataSource({"x": [], "y": []}, name="net_ring", syncable=False)
        self.network_chart.scatter("x", "y", source=self.net_ring, size=34, fill_color=None,
                                   line_color="black", line_width=2)
        self.net_inputs = ColumnDataSource({"x": [], "y": [], "text": []}, name="net_inputs")
        self.network_chart.text("x", "y", text="text", source=self.net_inputs,
                                text_align="right", text_baseline="middle",
                                text_font_size="12px")
        # The key (the page's own words, no value from a user in it).
        said = [html.escape(words, quote=False) for words in (
            _("a positive weight"), _("a negative weight"),
            _("the weight the step moves most, and its unit"))]
        self.net_key = BokehDiv(text=(
            f'<span style="color:{POSITIVE};font-weight:bold">━━</span> {said[0]} &nbsp; '
            f'<span style="color:{NEGATIVE};font-weight:bold">━━</span> {said[1]} &nbsp; '
            f'<b>┄┄ ◯</b> {said[2]}'), width=760, height=20, styles={"font-size": "12px"})
        self.net_words = BokehDiv(text="", width=760, height=22, name="net_words",
                                  syncable=False, render_as_text=True,
                                  styles={"font-size": "13px"})
        self.chain = BokehDiv(text="", width=560, height=300, name="chain", syncable=False,
                              render_as_text=True,
                              styles={"font-family": MONOSPACE_CSS, "font-size": "12px",
                                      "white-space": "pre", "overflow": "auto"})
        self.network_row = pn.Row(
            pn.Column(pn.pane.Bokeh(self.network_chart), pn.pane.Bokeh(self.net_key),
                      pn.pane.Bokeh(self.net_words)),
            pn.Column(pn.pane.Markdown("**" + _("backpropagation: the chain rule of this step") + "**"),
                      pn.pane.Bokeh(self.chain)), visible=False)
