"""The page's look shared by its parts: the aligned text's font, the pictures' palettes
as Bokeh's, glyphs built without the copies they never use, and empty sources."""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColorBar, Div

#: Aligned text (the boards, the counter): monospace, then the Chinese subset.
MONOSPACE_CSS = "monospace, 'Noto Sans SC gdviz'"


def class_palette(classes: int, shades: bool = False) -> list[str]:
    """The classes' colours (the pictures' own); with ``shades``, 64 steps from class 0's
    colour through white to class 1's, for a probability."""
    from ..views.network_map import CLASS_COLOURS

    if not shades:
        return list(CLASS_COLOURS[:classes])
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    ramp = LinearSegmentedColormap.from_list("p", [CLASS_COLOURS[0], "#FFFFFF",
                                                   CLASS_COLOURS[1]])
    return [to_hex(ramp(v)) for v in np.linspace(0, 1, 64)]


#: The glyphs the page draws, by the plotting API's names.
GLYPHS = {"line": "Line", "scatter": "Scatter", "image": "Image", "multi_line": "MultiLine",
          "segment": "Segment", "rect": "Rect", "text": "Text", "quad": "Quad",
          "vbar": "VBar"}
#: A renderer's own settings among a glyph call's.
RENDERER_KEYS = ("name", "level", "visible")


class Shared:
    """The models every source and glyph of one page may share: one (never used)
    selection and its policy, one filter that keeps every row. Bokeh would make each
    source and each glyph its own, three models more a chart's line, and every model
    costs the server each time a page is built, walked or sent. (One page's: a model
    belongs to one document.)"""

    def __init__(self):
        from bokeh.models import AllIndices, Selection, UnionRenderers

        self.selection, self.policy, self.every_row = Selection(), UnionRenderers(), AllIndices()

    def source(self, data: dict, **settings):
        """A ColumnDataSource of ``data`` (a hovered one: ``hovered=True``, its own
        selection, which the hover tool writes to)."""
        from bokeh.models import ColumnDataSource

        if settings.pop("hovered", False):
            return ColumnDataSource(data, **settings)
        return ColumnDataSource(data, selected=self.selection, selection_policy=self.policy,
                                **settings)


def glyph(plot, kind: str, *coordinates, source=None, legend_label: str | None = None,
          shared: Shared | None = None, **settings):
    """Draw a glyph on ``plot`` as ``plot.<kind>(...)`` of Bokeh's plotting API would,
    built directly: without the unselected and muted copies of the glyph that API adds to
    every renderer (the page has no selection tool and no muting legend, and every model
    costs the server each time a page is built, walked or sent). Returns the renderer.

    ``coordinates`` name the glyph's columns in order (or give a short list of values);
    ``color`` sets every colour the glyph has, as in the plotting API; ``shared``: the
    page's shared models."""
    from bokeh.models import CDSView, ColumnDataSource, GlyphRenderer, Legend, LegendItem
    from bokeh.models import glyphs

    kind_class = getattr(glyphs, GLYPHS[kind])
    renderer_settings = {key: settings.pop(key) for key in RENDERER_KEYS if key in settings}
    colour = settings.pop("color", None)
    if colour is not None:
        for key in ("line_color", "fill_color", "text_color"):
            if key in kind_class.properties():
                settings.setdefault(key, colour)
    values = {}
    for key, value in zip(kind_class._args, coordinates):
        if isinstance(value, str):
            settings[key] = value
        else:  # values of its own: a source of its own
            values[key] = list(value)
            settings[key] = key
    if source is None:
        source = shared.source(values) if shared is not None else ColumnDataSource(values)
    if shared is not None:
        renderer_settings["view"] = CDSView(filter=shared.every_row)
    renderer = GlyphRenderer(data_source=source, glyph=kind_class(**settings),
                             **renderer_settings)
    plot.renderers.append(renderer)
    if legend_label is not None:
        legend = next((item for item in plot.center if isinstance(item, Legend)), None)
        if legend is None:
            legend = Legend()
            plot.add_layout(legend)
        legend.items.append(LegendItem(label=legend_label, renderers=[renderer]))
    return renderer


def ramp(colour_map, steps: int = 64) -> list[str]:
    """A matplotlib colour map as a Bokeh palette: the pictures' and the page's colours
    are the same."""
    from matplotlib.colors import to_hex

    return [to_hex(colour_map(v)) for v in np.linspace(0, 1, steps)]


def empty_path():
    return {"x": [], "y": [], "iteration": [], "loss": []}


def empty_race() -> tuple[dict, dict, dict]:
    """The race's shared sources, empty: its lines (paths and loss curves), the dots along
    its paths and each run's current point, each with its colour."""
    return ({"xs": [], "ys": [], "its": [], "losses": [], "colour": []},
            {"x": [], "y": [], "colour": []},
            {**empty_path(), "colour": []})


def local_stylesheets(document) -> None:
    """The page's stylesheets served by the server, never a CDN (a classroom may have no
    internet), also for a page whose browser connected after its first one was let go:
    made again for its websocket, with no HTML rendered to say where they are."""
    if document is not None:
        from panel.io.resources import LOCAL_DIST

        document._template_variables.setdefault("dist_url", LOCAL_DIST)


def use_shipped_font() -> None:
    """Every page of the server (the playground's, the teacher's) draws Chinese with the
    shipped subset where the browser has no CJK font (``words.fonts.web_css``)."""
    import panel as pn

    from ..words.fonts import web_css

    css = web_css("/gdviz-fonts")
    if css not in pn.config.raw_css:
        pn.config.raw_css.append(css)


def name_the_tab(document, lang: str, title: str | None = None) -> None:
    """The page's tab title (``title``, else the playground's) and its ``<html lang>`` in
    the page's language, once the page is in the browser (Panel serves every page under
    the server's one title; a browser's line breaking, font choice and screen reader
    follow ``lang``)."""
    from bokeh.models import CustomJS

    from ..words.i18n import _, speaking

    if document is None:
        return
    with speaking(lang):
        title = title or _("gdviz playground")
        labels = upload_labels() if lang != "en" else {}
    document.js_on_event("document_ready", CustomJS(
        args={"lang": "zh-CN" if lang == "zh" else lang, "title": title, "labels": labels},
        code=_CHROME_JS))


#: The tab, <html lang>, and the upload box's own words (FilePond's defaults are
#: English): the defaults of boxes made later, and the boxes already drawn, found
#: through the widgets' shadow roots.
_CHROME_JS = """
document.documentElement.lang = lang;
document.title = title;
const pond = window.FilePond;
if (pond && Object.keys(labels).length) {
  pond.setOptions(labels);
  const walk = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.classList.contains('filepond--root')) {
        const found = pond.find(element);
        if (found) found.setOptions(labels);
      }
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document);
}
"""


def upload_labels() -> dict:
    """FilePond's words (the upload box) in the language spoken."""
    from ..words.i18n import _

    browse = '<span class="filepond--label-action">' + _("choose one") + "</span>"
    return {
        "labelIdle": _("Drop a CSV file here, or {browse}").format(browse=browse),
        "labelFileWaitingForSize": _("waiting for its size"),
        "labelFileSizeNotAvailable": _("size not known"),
        "labelFileLoading": _("reading"), "labelFileLoadError": _("could not be read"),
        "labelFileProcessing": _("uploading"),
        "labelFileProcessingComplete": _("uploaded"),
        "labelFileProcessingAborted": _("upload cancelled"),
        "labelFileProcessingError": _("the upload failed"),
        "labelFileProcessingRevertError": _("could not be undone"),
        "labelFileRemoveError": _("could not be removed"),
        "labelTapToCancel": _("tap to cancel"), "labelTapToRetry": _("tap to try again"),
        "labelTapToUndo": _("tap to undo"), "labelButtonRemoveItem": _("remove"),
        "labelButtonAbortItemLoad": _("stop"), "labelButtonRetryItemLoad": _("try again"),
        "labelButtonAbortItemProcessing": _("cancel"),
        "labelButtonUndoItemProcessing": _("undo"),
        "labelButtonRetryItemProcessing": _("try again"),
        "labelButtonProcessItem": _("upload"),
        "labelFileSizeBytes": _("bytes"), "labelFileSizeKilobytes": "KB",
        "labelFileSizeMegabytes": "MB", "labelFileSizeGigabytes": "GB",
        "labelMaxFileSizeExceeded": _("the file is too large"),
        "labelMaxFileSize": _("at most {filesize}"),
        "labelFileTypeNotAllowed": _("not a CSV file"),
        "fileValidateTypeLabelExpectedTypes": _("a .csv file"),
    }


def choices_words() -> list[str]:
    """A stylesheet for a multiple choice box: its words when nothing is left to choose
    or nothing matches, in the language spoken (Choices.js says them in English)."""
    from ..words.i18n import _, language

    if language() == "en":
        return []

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    none_left, no_match = quoted(_("nothing left to choose")), quoted(_("nothing matches"))
    return [".has-no-choices, .has-no-results { font-size: 0 !important; }\n"
            ".has-no-choices::after, .has-no-results::after { font-size: 14px; }\n"
            f".has-no-choices::after {{ content: {none_left}; }}\n"
            f".has-no-results::after {{ content: {no_match}; }}"]


class LabelledSlider(pn.widgets.DiscreteSlider):
    """Panel's discrete slider, its label's colon in the language spoken (学习率：0.05;
    Panel writes ": "), its label following the knob in the browser by a script of its
    own: Panel's link (``jslink``) is found by a walk of every model of the page each time
    one is built or grows (``without_link_walk``)."""

    @property
    def labels(self):
        from ..words.i18n import _

        title = _("{label}: ").format(label=self.label) if self.label else ""
        shown = self.options if isinstance(self.options, dict) else [
            o if isinstance(o, str) else self.formatter % o for o in self.options]
        return [title + f"<b>{o}</b>" for o in shown]

    def _update_options(self, *events):
        super()._update_options(*events)  # a new knob (new options): Panel links it
        self._jslink.unlink()
        for ref in list(self._text._models):  # already in a page: the new knob's script
            self._follow(ref)

    def _get_model(self, doc, root=None, parent=None, comm=None):
        model = super()._get_model(doc, root, parent, comm)
        self._follow((model if root is None else root).ref["id"])
        return model

    def _follow(self, ref: str) -> None:
        """The label of the page ``ref`` follows the knob as it moves, in the browser."""
        import json

        from bokeh.models import CustomJS

        knob, label = self._slider._models.get(ref), self._text._models.get(ref)
        if knob is None or label is None:
            return
        knob[0].js_on_change("value", CustomJS(
            args={"label": label[0]},
            code=f"label.text = {json.dumps(self.labels)}[cb_obj.value];"))


def without_link_walk(page):
    """``page`` (the root of a page) built without Panel's search for links: a walk of
    every model of the page at each build, and again whenever a part is shown (the
    page's own scripts are Bokeh's: ``LabelledSlider``). Returns ``page``."""
    from panel.links import Callback

    page._preprocessing_hooks = [hook for hook in type(page)._preprocessing_hooks
                                 if hook != Callback._process_callbacks]
    return page


def describe_tools(*charts) -> None:
    """The chart toolbar's tool tips in the language spoken (Bokeh's are English)."""
    from bokeh.models import HoverTool, PanTool, ResetTool, WheelZoomTool

    from ..words.i18n import _

    words = {PanTool: _("pan"), WheelZoomTool: _("zoom with the wheel"),
             ResetTool: _("reset the view"), HoverTool: _("names under the pointer")}
    for chart in charts:
        for tool in chart.tools:
            if type(tool) in words:
                tool.description = words[type(tool)]


def upright(*charts) -> None:
    """The charts' axis labels and colour bars' titles upright: Bokeh slants them, and
    a font has no italic Chinese (the browser would draw a fake one)."""
    for chart in charts:
        for axis in chart.axis:
            axis.axis_label_text_font_style = "normal"
        # Its side panels only: ``select`` would walk every model the chart holds.
        for bar in chart.left + chart.right + chart.above + chart.below:
            if isinstance(bar, ColorBar):
                bar.title_text_font_style = "normal"


def caption_style() -> str:
    """The caption's CSS font style in the language spoken: italic, but never for
    Chinese (no font has italic Chinese; a slanted imitation reads badly)."""
    from ..words.i18n import language

    return "normal" if language() == "zh" else "italic"


class BokehPane(pn.pane.Bokeh):
    """Panel's pane of our own Bokeh models, without two walks of them per page: Panel
    rewrites every CustomJS below the pane whose code names the pane's model id (ours
    never do) and detaches every model from a document it was shown in before (ours are
    made for this page and never were). Each walk visits every model of the pane: on a
    class opening the link together, the server's time a page."""

    def _get_model(self, doc, root=None, parent=None, comm=None):
        if root is None or comm is not None or self.object is None or \
                self.object.document not in (None, doc):
            return super()._get_model(doc, root, parent, comm)
        self._models[root.ref["id"]] = (self.object, parent)
        self._design.apply_bokeh_theme_to_model(self.object, self.theme)
        return self.object


def bold(words: str):
    """A short bold heading, as text."""
    return Div(text=words, render_as_text=True, styles={"font-weight": "bold"})
