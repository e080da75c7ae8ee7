"""The network panel of a page: TF Playground's picture of a network (its edges, units'
maps and the weight a step moves most) and the chain rule's board beside it, built the
first time a network is drawn; the browser's scrub code moves it frame by frame."""
from __future__ import annotations

import html

import numpy as np
from bokeh.models import Column, FixedTicker, HoverTool, LinearColorMapper, Range1d
from bokeh.models import Div as BokehDiv
from bokeh.plotting import figure

from .style import BokehPane, bold, describe_tools, glyph, ramp
from ..views.network import HALF as NETWORK_HALF, NEGATIVE, POSITIVE
from ..words.i18n import _

#: The network picture's models the scrub code sets (None until a network is drawn).
NETWORK_SOURCES = ("net_edges", "net_weights", "net_moved", "net_ring", "net_words",
                   "net_units", "net_maps", "net_out", "net_values")


def bokeh_column(children):
    """Bokeh models one under another, in one pane (each Panel pane walks its models)."""
    return Column(children=list(children))


class NetworkPanel:
    """The network's chart and drawing, a part of ``figure.Figure`` (it holds the page's
    shared models, ``network_row``, ``chain`` and the scrub code these fill)."""

    def _build_network_chart(self):
        """TF Playground's picture of a network (``charts.network_picture``): the scrub code
        sets the edges' widths and colours, the units' maps and the moved weight."""
        from ..views.network import CLASS_MAP, UNIT_MAP

        self.network_chart = figure(width=min(760, self.sizes.text + 10), height=380, tools="",
                                    name="network",
                                    x_range=Range1d(-1, 1), y_range=Range1d(-1, 1),
                                    toolbar_location=None)
        self.network_chart.grid.visible = False
        self.network_chart.yaxis.visible = False
        # Made once, its ticks changed later (a new model would make Bokeh walk the document).
        self._layer_ticks = FixedTicker(ticks=[])
        self.network_chart.xaxis.ticker = self._layer_ticks
        self.network_chart.outline_line_color = None
        empty = {"x0": [], "y0": [], "x1": [], "y1": []}
        self.net_edges = self._shared.source({**empty, "width": [], "colour": [], "name": []},
                                             name="net_edges", syncable=False, hovered=True)
        edges = self._glyph(self.network_chart, "segment", "x0", "y0", "x1", "y1", source=self.net_edges,
                                           line_width="width", line_color="colour",
                                           line_alpha=0.75)
        self.network_chart.add_tools(HoverTool(renderers=[edges], tooltips=[("", "@name")]))
        describe_tools(self.network_chart)
        # Each frame's weights (÷ the run's largest), frames one after another.
        self.net_weights = self._shared.source({"w": []}, name="net_weights")
        self.net_moved = self._shared.source(dict(empty), name="net_moved", syncable=False)
        self._glyph(self.network_chart, "segment", "x0", "y0", "x1", "y1", source=self.net_moved,
                                   line_color="black", line_width=1.5, line_dash=[4, 4])
        self.net_nodes = self._shared.source({"x": [], "y": []}, name="net_nodes")
        self._glyph(self.network_chart, "scatter", "x", "y", source=self.net_nodes, size=16,
                                   fill_color="white", line_color="#444444")
        # The units drawn with a map (their order is the values'), and each one's frame.
        self.net_units = self._shared.source({"x": [], "y": [], "output": [], "rows": [],
                                           "columns": []}, name="net_units")
        self._unit_box = glyph(
            self.network_chart, "rect", "x", "y", width=2 * NETWORK_HALF,
            height=2 * NETWORK_HALF, source=self.net_units,
            fill_color="white", line_color="#444444").glyph
        unit_palette = ramp(UNIT_MAP)
        blank = {"image": [], "x": [], "y": [], "dw": [], "dh": []}
        self.net_maps = self._shared.source(dict(blank), name="net_maps", syncable=False)
        self.net_out = self._shared.source(dict(blank), name="net_out", syncable=False)
        self._unit_mappers = []
        for source in (self.net_maps, self.net_out):
            mapper = LinearColorMapper(palette=unit_palette, low=-1, high=1,
                                       nan_color="#DDDDDD")
            self._glyph(self.network_chart, "image", image="image", x="x", y="y", dw="dw", dh="dh",
                                     source=source, color_mapper=mapper)
            self._unit_mappers.append(mapper)
        self._output_palettes = {False: unit_palette, True: ramp(CLASS_MAP)}
        # Every snapshot's units' outputs (hidden cells, then the output's), one after another.
        self.net_values = self._shared.source({"v": []}, name="net_values")
        self.net_ring = self._shared.source({"x": [], "y": []}, name="net_ring", syncable=False)
        self._glyph(self.network_chart, "scatter", "x", "y", source=self.net_ring, size=34, fill_color=None,
                                   line_color="black", line_width=2)
        self.net_inputs = self._shared.source({"x": [], "y": [], "text": []}, name="net_inputs")
        self._glyph(self.network_chart, "text", "x", "y", text="text", source=self.net_inputs,
                                text_align="right", text_baseline="middle",
                                text_font_size="12px")
        # The key (the page's own words, no value from a user in it).
        said = [html.escape(words, quote=False) for words in (
            _("a positive weight"), _("a negative weight"),
            _("the weight the step moves most, and its unit"))]
        self.net_key = BokehDiv(text=(
            f'<span style="color:{POSITIVE};font-weight:bold">━━</span> {said[0]} &nbsp; '
            f'<span style="color:{NEGATIVE};font-weight:bold">━━</span> {said[1]} &nbsp; '
            f'<b>┄┄ ◯</b> {said[2]}'), width=min(760, self.sizes.text + 10), height=20, styles={"font-size": "12px"})
        self.net_words = BokehDiv(text="", width=min(760, self.sizes.text + 10), height=22, name="net_words",
                                  syncable=False, render_as_text=True,
                                  styles={"font-size": "13px"})
        self.network_row.objects = [BokehPane(bokeh_column(
            [self.network_chart, self.net_key, self.net_words])), BokehPane(bokeh_column(
                [bold(_("backpropagation: the chain rule of this step")), self.chain]))]
        self._scrub.args = {**self._scrub.args, **{name: getattr(self, name)
                                                   for name in NETWORK_SOURCES}}

    def draw_network(self, drawn, frame_data, frame: int = -1) -> None:
        """A network's picture: its shape, and each frame's weights, units' maps and moved
        weight into the frames' data (the browser shows the scrubbed frame); ``frame``'s
        drawn here (the last, where the scrub bar starts)."""
        picture = drawn.network
        if picture is None and drawn.follows:
            return  # it follows with the words (``_boards``): the one shown stays until then
        self.network_row.visible = picture is not None
        if picture is not None and self.network_chart is None:
            self._build_network_chart()
        if picture is None:
            if self.network_chart is not None and len(self.net_weights.data["w"]):
                self.net_weights.data = {"w": []}
                self.net_values.data = {"v": []}
            return
        chart, sizes = self.network_chart, picture["sizes"]
        chart.title.text = picture["title"]
        # About 44 px a unit; the layers spread across. A unit's map is square on the
        # screen: its widths are squeezed by the ratio of the axes' scales.
        chart.height = int(min(max(44 * max(sizes) + 90, 300), 660))
        x_span, y_span = len(sizes) - 0.5 + 0.9, 2 * picture["height"]
        squeeze = ((chart.height - 90) / y_span) / ((chart.width - 40) / x_span)
        chart.x_range.update(start=-0.9, end=len(sizes) - 0.5)
        chart.y_range.update(start=-picture["height"], end=picture["height"])
        self._layer_ticks.ticks = list(range(len(sizes)))
        chart.xaxis.major_label_overrides = {k: name for k, name in
                                             enumerate(picture["layer_names"])}
        edges, count = picture["edges"], len(picture["edges"]["x0"])
        weights = np.asarray(picture["weights"], dtype=np.float32)
        self.net_weights.data = {"w": weights}
        last = weights[picture["weight_at"][frame] * count:][:count]
        self.net_edges.data = {**edges, "width": np.where(np.isfinite(last),
                                                          0.3 + 5 * np.abs(last), 0.0),
                               "colour": np.where(last >= 0, POSITIVE, NEGATIVE).tolist()}
        self.net_moved.data = {"x0": [], "y0": [], "x1": [], "y1": []}
        self.net_ring.data = {"x": [], "y": []}
        self.net_words.text = picture["moved_words"][frame]
        self.net_nodes.data = picture["nodes"]
        units, (rows, columns) = picture["units"], picture["unit_shape"]
        count = len(units["x"])
        self.net_units.data = {**units, "rows": [rows] * count, "columns": [columns] * count}
        self._unit_box.update(width=2 * NETWORK_HALF * squeeze, height=2 * NETWORK_HALF)
        self.net_inputs.data = {**picture["inputs"], "x": [
            x0 + NETWORK_HALF * (1 - squeeze) for x0 in picture["inputs"]["x"]]}
        self._unit_mappers[1].palette = self._output_palettes[picture["classification"]]
        values = np.asarray(picture["values"], dtype=np.float32)
        self.net_values.data = {"v": values}
        cells = count * rows * columns
        last = (values[picture["unit_at"][frame] * cells:][:cells].reshape(-1, rows, columns)
                if len(values) else np.zeros((0, rows, columns)))
        for source, output in ((self.net_maps, False), (self.net_out, True)):
            rows = [u for u in range(count) if units["output"][u] == output]
            source.data = {"image": [last[u] for u in rows],
                           "x": [units["x"][u] - NETWORK_HALF * squeeze for u in rows],
                           "y": [units["y"][u] - NETWORK_HALF for u in rows],
                           "dw": [2 * NETWORK_HALF * squeeze] * len(rows),
                           "dh": [2 * NETWORK_HALF] * len(rows)}
        frame_data.update(weight_at=picture["weight_at"], moved=picture["moved"],
                          moved_words=picture["moved_words"], unit_at=picture["unit_at"])
        if drawn.chains:
            frame_data["chain"] = list(drawn.chains)
            self.chain.text = drawn.chains[frame]
        else:
            self.chain.text = ""
