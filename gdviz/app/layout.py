"""The page's parts laid out for its view (``views.py``): the controls beside the charts,
one column for a phone, or the projector's picture without controls. Bokeh models go in as
few panes as the Panel widgets between them allow (each pane walks its models)."""
from __future__ import annotations

import panel as pn
from bokeh.models import Column, Row

from ..words.i18n import _
from .style import bold
from .shown import ShownColumn
from .style import BokehPane


def arrange(page):
    """The layout of ``page`` (a ``Playground``) for its view's sizes."""
    figure, sizes, lesson = page.figure, page.sizes, page.lesson
    head = [page.error, lesson.text, page.status]
    picture = Column(children=[figure.contour, figure.plane_note])
    arithmetic = Column(children=[bold(_("the arithmetic of this step")), figure.board])
    promise = Column(children=[figure.promise_chart, figure.promise_words])
    if sizes.one_column:  # a phone: the question under the picture, the rest below
        scrubber = Column(children=[Row(children=[figure.play, figure.scrub]),
                                    Row(children=[figure.counter, figure.pending,
                                                  figure.drawn_link])])
        top = Column(children=[*head, picture, scrubber, figure.caption])
        rest = Column(children=[figure.sides, arithmetic, promise])
        controls = page.controls.column(lesson.widgets, page.downloads, width=sizes.controls)
        return ShownColumn([BokehPane(top), lesson.row, figure.network_row,
                            BokehPane(rest), controls]).panel
    scrubber = Row(children=[figure.play, figure.scrub, figure.counter, figure.pending,
                             figure.drawn_link])
    top = Column(children=[*head, Row(children=[picture, figure.sides]),
                           scrubber, figure.caption])
    parts = [BokehPane(top), lesson.row, figure.network_row]
    if not sizes.controls:  # the projector's: the picture and its caption, large
        return ShownColumn(parts).panel
    bottom = Row(children=[arithmetic, promise])
    charts = ShownColumn([*parts, BokehPane(bottom)]).panel
    return pn.Row(page.controls.column(lesson.widgets, page.downloads,
                                       width=sizes.controls), charts)
