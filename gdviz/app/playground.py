"""The playground page: controls on the left, linked charts on the right.

Every control builds one ``Scene`` (the same description the command line builds), the
server runs it and sends the charts the run's numbers; the browser draws them (Bokeh)
and plays, pauses and scrubs by slicing those numbers, with no server round trip per
frame. A click on the contour sets the start. The settings live in the page's URL, so a
link restores the scene.

The page assembles its parts, each in its own module: the controls and the scene they
describe (``controls``), the charts (``figure``), the lesson and predict mode
(``lesson_mode``), the upload (``uploading``), the downloads (``downloads``), the answers
kept (``kept``) and the status words (``status``). Here: what the page asks a worker
for, and drawing what it answers.
"""
from __future__ import annotations

import concurrent.futures
import copy
import dataclasses
import logging
import os
import tempfile
from pathlib import Path

import numpy as np
import panel as pn
from bokeh.models import CustomJS
from bokeh.models import Div as BokehDiv

from .._validate import unknown
from ..scene import Scene
from ..words.i18n import _, checked_language, speaking
from . import costs, downloads, jobs, messages, pictures
from .choices import MAX_RACE, PAGE_KEYS, PROBLEM_CHOICES, PROBLEM_FIELDS, SLICE_AFTER_MS
from .controls import Controls, checked
from .figure import Figure
from .browser_code import FILL_NAME_JS
from .gate import one_line
from .kept import KeptAnswers, answer_key, shared_key
from .lesson_mode import LessonMode
from .loop import held, on_loop
from .status import rate_note_html, status_html
from .turns import move_asked
from .style import (empty_path, local_stylesheets, name_the_tab, use_shipped_font,
                    without_link_walk)
from .uploading import UploadBox
from .layout import arrange
from .views import SIZES, link_view, page_link
from .workers import OverBudget, Superseded

log = logging.getLogger("gdviz.app")


class Playground:
    """One visitor's page: its parts, and the runs behind its charts.

    The runs are made by ``runner`` (the server's pool of workers; without a server, here
    and now), never on the server's event loop, and the page keeps only the numbers it
    draws. Nothing runs until the page has loaded (``start``): a bare GET of a link, such
    as an ``<img>`` on another site makes, costs no run.
    """

    def __init__(self, query: dict | None = None, runner=None, autostart: bool = True,
                 library=None, classbook=None):
        from ..lessons.library import built_in

        self.library = library if library is not None else built_in()  # lessons offered
        self.classbook = classbook  # where the class's answers are kept (None: nowhere)
        # The page's language (lang=zh in its link): its widgets, charts and every word of
        # its runs; English by default, and for a language gdviz does not speak.
        self.lang, refused = "en", None
        if query and "lang" in query:
            try:
                self.lang = checked_language(str(query["lang"]))
            except ValueError as error:
                refused = str(error)
        # The page's view (view=student: a phone's column; view=present: the projector's).
        with speaking(self.lang):
            self.view_name, wrong_view = link_view(query)
        refused, self.sizes = refused or wrong_view, SIZES[self.view_name]
        with speaking(self.lang):
            self._make(query, runner, autostart, refused)

    def _make(self, query, runner, autostart: bool, refused: str | None) -> None:
        from .workers import InlineRunner

        self.runner = runner if runner is not None else InlineRunner()
        self._document = pn.state.curdoc if pn.state.curdoc is not None and \
            pn.state.curdoc.session_context is not None else None
        self._tmp = None  # the page's own folder, made at its first upload or download
        self.race: list[Scene] = []
        self.traces = []  # only where the runs are made in this process (no server)
        self.drawn = None  # the last messages.Drawn shown
        self.scene = None
        self._requests = 0  # the newest request's number: older answers are dropped
        self._link_refused = None  # the link's refusal, said once its scene has been tried
        self._drawn = False  # whether the page has been sent (then the browser cuts paths)
        self._window = None  # the contour shown (messages.Window)
        self._window_shown = None  # the limits the contour was last set to
        self._slice_asked = None  # the iteration a slice was last asked through
        self._asked = None  # the newest request
        self._pristine = None  # (its number, its answer as it came, before it was drawn)
        self.controls = Controls(self.lang)
        self.controls.watch(self._changed, self._lr_moved, self._lr_typed)
        self.controls.add_run.on_click(self._add_run)
        self.controls.clear_race.on_click(self._clear_race)
        self.lesson = LessonMode(self)
        self.upload = UploadBox(self)
        self.kept = KeptAnswers(self.runner, self.on_loop, self._heavy)
        self.downloads = downloads.buttons(self)
        self.figure = Figure(on_tap=self._tapped, on_scrub=self._scrubbed, sizes=self.sizes)
        # Words that may hold a link's or an upload's text: shown as text, never HTML.
        # (Bokeh Divs: a Panel pane's update makes Bokeh walk the whole document.)
        self.error = BokehDiv(text="", render_as_text=True, visible=False, margin=(0, 10),
                              width=self.sizes.text, syncable=False, name="error",
                              styles={"color": "#842029", "background": "#f8d7da",
                                      "border": "1px solid #f5c2c7", "padding": "6px 10px",
                                      "border-radius": "4px"})
        # Its height set only when the number of runs changes (a new height lays the page
        # out again). Escaped words in it.
        self.status = BokehDiv(text="", width=self.sizes.text,
                               # a phone's lines wrap: as tall as they are
                               height=None if self.sizes.one_column
                               else 4 + self.sizes.status_line,
                               styles={"font-size": f"{self.sizes.text_font}px"},
                               margin=(0, 10), syncable=False, name="status")
        self._default = Scene(problem="quadratic", optimizer="gd", lr=0.05, max_iter=200)
        scene, self._from_link = self._default, False
        if query:
            try:
                scene, self._from_link = self._from_query(dict(query)), True
            except ValueError as error:
                self.race = []
                self.lesson.leave()
                self._link_refused = _("the link's settings were not used: {error}").format(
                    error=error)
        if refused and self._link_refused is None:
            self._link_refused = _("the link's settings were not used: {error}").format(
                error=refused)
        self.controls.show(scene)
        if autostart:
            self.start()

    def _from_query(self, query: dict) -> Scene:
        """The scene (and race, lesson, predict mode) a link describes, set in the
        controls; ``ValueError`` names what the page cannot hold."""
        keys = {key: query.pop(key) for key in PAGE_KEYS if key in query}
        race = [spec for spec in keys.get("race", "").split(";") if spec.strip()]
        lesson_scene = self.lesson.from_link(keys, bare=not query)
        if lesson_scene is not None:
            query = lesson_scene.to_query()
            race = [entry.run_spec() for entry in self.race]
        wanted = checked(Scene.from_query(query))
        known = [name for name in PROBLEM_CHOICES.values() if name != "csv"]
        if wanted.problem not in known:  # an upload is never in a link
            raise unknown("problem", wanted.problem, known)
        wanted.make_optimizer()  # names and settings checked before any is shown
        if len(race) > MAX_RACE:
            raise ValueError(_("a race has at most {count} runs besides the current "
                               "one").format(count=MAX_RACE))
        if lesson_scene is None:
            self.race = [wanted.with_run_spec(spec) for spec in race]
        for entry in self.race:
            entry.make_optimizer()
        self.controls.show(wanted)
        self.controls.check_link(query, wanted)
        return wanted

    @held
    def start(self):
        """The first run (once the page has loaded, on a server), in the page's language."""
        self.refresh()

    def view(self):
        """The page, laid out for its view (``layout.arrange``)."""
        return without_link_walk(arrange(self))

    # -- what the parts ask of the page -----------------------------------------------------
    def folder(self) -> Path:
        """The page's own folder (its upload, the downloads being made)."""
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="gdviz-app-")
        return Path(self._tmp.name)

    def new_request(self) -> int:
        """A new request's number: the answers of every older one are dropped."""
        self._requests += 1
        return self._requests

    def is_newest(self, number: int) -> bool:
        return number == self._requests

    def on_loop(self, work) -> None:
        """Run ``work`` on this page's event loop (a worker's answer arrives on the pool's
        thread), with the page's changes sent in one message."""
        on_loop(self._document, self.lang, work)

    @staticmethod
    def failure(error: Exception) -> str:
        """An error of a job in one line for the page."""
        if isinstance(error, (ValueError, OverBudget)):
            return str(error)
        log.error("a run failed: %s", type(error).__name__)
        return _("internal error: {kind}: {error}").format(kind=type(error).__name__,
                                                           error=error)

    def say_error(self, message: str):
        """One line in the page, as text: a link's or an upload's words are never HTML."""
        line = one_line(message) if message else "error"
        if self._tmp is not None:  # the student's file by its name, never the server's folder
            line = line.replace(str(Path(self._tmp.name)) + os.sep, "")
        self.message = line
        self.error.text = self.message  # rendered as text (render_as_text)
        self.error.visible = True

    def reveal(self, revealed, step: int) -> None:
        """Predict mode's answer given: the run shown to its end, at the step asked."""
        if self.error.visible:
            self.error.visible = False
        self._draw(revealed)
        figure = self.figure
        figure.frames.data = {**figure.frames.data, "board": revealed.boards}
        frame = revealed.frames.index(step) if step in revealed.frames else len(revealed.frames) - 1
        figure.scrub.value = frame
        figure.count_iterations(revealed.frames[frame], total=False)  # not the run's end
        if self._document is None:  # no browser to run the scrub code
            figure.cut_paths(frame)
            figure.board.text = revealed.boards[frame]
            figure.caption.text = revealed.captions[frame]

    # -- events -----------------------------------------------------------------------------
    @held
    def _changed(self, event):
        controls = self.controls
        if controls.busy:
            return
        pick_rate = False
        if event.obj is controls.problem or event.obj is controls.model:
            controls.x0 = None  # a new problem starts where it starts
            self.race = []
            controls.show_problem_options()
            pick_rate = controls.problem_defaults()
        if event.obj is controls.optimizer:
            controls.show_optimizer_options(before=event.old)
        self.refresh(pick_rate=pick_rate)

    @held
    def _lr_moved(self, event):
        if self.controls.busy:
            return
        with self.controls.quiet():
            self.controls.lr_exact.value = event.new
        self.refresh()

    @held
    def _lr_typed(self, event):
        if self.controls.busy or event.new is None:
            return
        self.controls.set_rate(event.new)
        self.refresh()

    @held
    def _tapped(self, event):
        """A click on the contour: start there. On a slice the other parameters keep their
        start; on the plane of the path the start is the plane's point there."""
        if self.drawn is None or event.x is None or event.y is None:
            return
        basis = self.drawn.plane_basis
        if basis is not None:
            start = np.asarray(basis["origin"]) + event.x * np.asarray(basis["directions"][0]) \
                + event.y * np.asarray(basis["directions"][1])
        else:
            start = np.array(self.drawn.start, dtype=float)
            start[self.i], start[self.j] = event.x, event.y
        self.controls.x0 = tuple(float(v) for v in start)
        self.refresh()

    @held
    def _add_run(self, _event=None):
        if len(self.race) >= MAX_RACE:
            self.say_error(_("a race has at most {count} runs besides the current one; "
                             "clear it to start another").format(count=MAX_RACE))
            return
        try:
            self.race.append(self.controls.scene())
        except ValueError as error:
            self.say_error(str(error))
            return
        self.refresh()

    @held
    def _clear_race(self, _event=None):
        self.race = []
        self.refresh()

    # -- compute and send --------------------------------------------------------------------
    def request(self, pick_rate: bool = False) -> messages.Request:
        """The redraw the controls ask for (raises ``ValueError`` in one line)."""
        scene = self.controls.scene()
        race = tuple(entry.replace(**{name: getattr(scene, name) for name in PROBLEM_FIELDS})
                     for entry in self.race)
        return messages.Request(scene, race, self.upload.upload(), self._window, pick_rate,
                                self.lesson.predict(), self.lang)

    def refresh(self, pick_rate: bool = False):
        """Ask a worker to run the scene and the race; the charts follow when it answers.
        The address bar follows at once."""
        try:
            request = self.request(pick_rate)
        except ValueError as error:
            self.say_error(str(error))
            return
        self._share(request.scene)
        number = self.new_request()
        key = answer_key(request)
        self._asked = request
        known = self.kept.get(key)
        ahead = self.kept.take_ahead(key)
        self.kept.withdraw_ahead()  # what was asked ahead of the last answer is of no use now
        if known is not None:  # asked before (or ahead): drawn at once
            early, whole = concurrent.futures.Future(), concurrent.futures.Future()
            early.set_result(known[0])
            whole.set_result(known[1])
            self._answered(number, early)
            # The words and the network's picture in a second message, as from a worker.
            self.on_loop(lambda: self._boards(number, whole))
            return
        future = ahead if ahead is not None and self.runner.adopt(ahead) else None
        heavy = self._heavy(request)
        try:
            if future is None and not self._drawn:
                # A page's first run: a class opening one link asks for it thirty times.
                future = self.runner.submit_shared(shared_key(request), heavy, jobs.draw,
                                                   request, opening=True)
            elif future is None:
                future = self.runner.submit(id(self), heavy, jobs.draw, request)
        except RuntimeError as error:  # the server is stopping
            self.say_error(str(error))
            return
        if self._drawn and not heavy:  # a student's move: a page's build waits for it
            move_asked(future.early)
        if not future.early.done():
            self.figure.pending.text = _("computing…")
        future.early.add_done_callback(
            lambda done: self.on_loop(lambda: self._answered(number, done)))
        future.add_done_callback(lambda done: self.on_loop(lambda: self._boards(number, done)))

    def _heavy(self, request: messages.Request) -> bool:
        rows = self.upload.rows if request.upload is not None else None
        return costs.presumed_work(request.scene, 1 + len(request.race), rows) > \
            self.runner.budget.light_work

    def _answered(self, number: int, future):
        if not self.is_newest(number) or future.cancelled():
            return  # a newer request replaced this one
        try:
            drawn = future.result()
        except Superseded:  # by a job of this page that is not a run (an upload's read)
            self.figure.pending.text = ""
            return
        except Exception as error:  # noqa: BLE001 - every failure is one line in the page
            self.figure.pending.text = ""
            message = self.failure(error)
            if self._from_link:  # a link whose scene cannot run: refused, the default drawn
                self._from_link, self.race = False, []
                self._link_refused = _("the link's settings were not used: {error}").format(
                    error=message)
                self.controls.show(self._default)
                self.start()
                return
            self.say_error(message)
            return
        self._from_link = False
        drawn = dataclasses.replace(drawn)  # the page's own (an answer may be other pages' too)
        self._pristine = (number, copy.copy(drawn))  # kept with its Later, before it is drawn
        try:
            self._draw(drawn, words_follow=True)
        except Exception as error:  # noqa: BLE001 - a picture that cannot be drawn: say so
            log.exception("the charts could not be drawn")
            self.say_error(_("this run cannot be drawn: {error}").format(error=error))
            return
        if drawn.budget_note or self._link_refused:  # said once the page shows a run
            self.say_error(drawn.budget_note or self._link_refused)
        elif self.error.visible:
            self.error.visible = False
        self._link_refused = None

    def _draw(self, drawn, words_follow: bool = False):
        """Show ``drawn``. ``words_follow``: its status, and the link to what the charts
        show, wait for ``_boards`` (every text changed makes the browser lay out the whole
        page again: the map and the path go first, alone)."""
        self.drawn, self.scene, self.traces = drawn, drawn.scene, drawn.traces
        figure, controls = self.figure, self.controls
        if drawn.predict is not None:  # the answer and the rest wait there for the answer
            self.lesson.hold(drawn)
        if drawn.scene.lr != controls.lr_exact.value:  # a rate chosen for a new problem
            controls.set_rate(drawn.scene.lr)
        self._share(drawn.scene)
        if not words_follow:
            self._draw_words(drawn)
        self.i, self.j = drawn.i, drawn.j
        self._window = drawn.window()  # kept while the problem and the plane stay
        controls.plane.visible = drawn.plane != "true"
        if drawn.image is not None:  # a new problem or slice: its contour (else it stays)
            self._draw_contour(drawn)
        start = drawn.paths[0]["x"][0], drawn.paths[0]["y"][0]
        figure.start_point.data = {"x": [start[0]], "y": [start[1]]}
        frames = drawn.frames
        # The frames and the scrub bar first: the browser cuts each new path at the frame
        # shown (the paths' own change runs the scrub code there), so only the whole paths
        # travel, and only those of runs that exist or just ended.
        figure.draw_data(drawn)
        figure.scrub.update(end=max(len(frames) - 1, 1), value=len(frames) - 1)
        figure.count_iterations(frames[-1], total=drawn.predict is None)
        figure.caption.text = (drawn.captions or [""])[-1]
        figure.colour_runs(drawn.colours)
        for r in range(1 + MAX_RACE):
            if r < len(drawn.paths):
                figure.fulls[r].data = drawn.paths[r]
            elif len(figure.fulls[r].data["x"]):
                figure.fulls[r].data = empty_path()
        self._slice_asked = None
        if self._document is None or not self._drawn:
            # No browser yet to run the scrub code (a test, or the page being made): cut here.
            figure.cut_paths(len(frames) - 1)
            figure.plane_note.text = (drawn.plane_notes[-1] if drawn.plane_notes
                                      else drawn.plane_words.get("on", ""))
        self._drawn = True
        if drawn.loss_range is not None:
            figure.loss_chart.y_range.update(start=drawn.loss_range[0], end=drawn.loss_range[1])
        figure.loss_chart.x_range.update(start=0, end=max(drawn.longest, 1))

    def _draw_words(self, drawn) -> None:
        self.figure.pending.text = ""
        self.figure.drawn_link.text = self._link(drawn.scene)  # what the charts show, as a link
        # Only what changed: each new text is parsed and sent again.
        controls = self.controls
        note = rate_note_html(drawn.stable_rate, controls.optimizer.value,
                              controls.lr_exact.value, awaiting=drawn.predict is not None)
        if controls.lr_note.text != note:
            controls.lr_note.text = note
        rows = status_html(drawn)
        if self.status.text != rows:
            self.status.text = rows
            # As tall as its lines: laid out again only when the number of runs changes.
            height = 4 + self.sizes.status_line * max(1, len(drawn.words))
            if self.status.height != height and not self.sizes.one_column:
                self.status.height = height


    def _draw_contour(self, drawn):
        figure = self.figure
        figure.show_plane_words(drawn.plane_words, drawn.image_at)
        if drawn.image:
            figure.show_contour_image(drawn.image)
        else:  # too costly to draw within the budget: say so, the path is still exact
            figure.image.data = {"image": [np.full((2, 2), np.nan)], "x": [0], "y": [0],
                                 "dw": [1], "dh": [1]}
            figure.contour.title.text = _("the loss over this much data is too costly to "
                                          "draw here; the path is exact")
        if self._window_shown != drawn.limits:  # a new slice of the same window: zoom stays
            self._window_shown = drawn.limits
            (x_low, x_high), (y_low, y_high) = drawn.limits
            figure.contour.x_range.update(start=x_low, end=x_high)
            figure.contour.y_range.update(start=y_low, end=y_high)
        x_label, y_label = drawn.axis_labels
        figure.contour.xaxis[0].axis_label.text = x_label
        figure.contour.yaxis[0].axis_label.text = y_label
        figure.landmarks.data = drawn.landmarks

    def _scrubbed(self, _attr, _old, new):
        """The scrub moved: once it rests, a slice through the point at that frame (a
        slice holds the other parameters at one iteration's values only)."""
        drawn = self.drawn
        if drawn is None or drawn.plane != "slice" or drawn.frame_params is None:
            return
        if self._document is None:
            self._ask_slice(new)
            return
        self._document.add_timeout_callback(
            lambda: self._ask_slice(new) if self.figure.scrub.value == new else None,
            SLICE_AFTER_MS)

    def _ask_slice(self, frame: int) -> None:
        drawn = self.drawn
        frame = max(0, min(int(frame), len(drawn.frames) - 1))
        at = drawn.frames[frame]
        if at in (drawn.image_at, self._slice_asked):
            return
        base = drawn.frame_params[frame]
        if not np.all(np.isfinite(base)):
            return  # an overflowed point: the slice through the last finite one stays
        self._slice_asked = at
        number = self._requests
        try:
            future = self.runner.submit((id(self), "slice"), False, pictures.slice_image,
                                        drawn.scene, drawn.upload, base.tolist(), at,
                                        drawn.i, drawn.j, drawn.limits, self.lang)
        except RuntimeError:  # the server is stopping: the slice shown stays, said so
            return
        future.add_done_callback(
            lambda done: self.on_loop(lambda: self._slice_drawn(number, drawn, at, done)))

    def _slice_drawn(self, number: int, drawn, at: int, future) -> None:
        """A slice through iteration ``at`` arrived: shown if its run is still the one
        on the page."""
        if not self.is_newest(number) or drawn is not self.drawn or future.cancelled() \
                or future.exception() is not None:
            if self._slice_asked == at:
                self._slice_asked = None
            return
        image, words = future.result()
        drawn.image_at = at
        figure = self.figure
        if image:
            figure.show_contour_image(image)
        figure.show_plane_words(words, at)
        if self._document is None:
            figure.plane_note.text = words["on"] if figure.frames.data["iteration"][
                figure.scrub.value] == at else words["off"].replace("{shown}", str(at))

    def _boards(self, number: int, future):
        """The arithmetic of each frame, which follows the paths (with the status)."""
        if not self.is_newest(number) or future.cancelled() or self.drawn is None:
            return
        self._draw_words(self.drawn)
        if future.exception() is not None:  # the run is shown, its words are lost
            return
        later, figure = future.result(), self.figure
        boards, frame = later.boards, min(figure.scrub.value, len(later.boards) - 1)
        self.drawn.boards = boards
        words = {"board": boards}
        if later.captions is not None:
            self.drawn.captions = words["caption"] = later.captions
            figure.caption.text = later.captions[frame]
        if later.chains is not None:
            self.drawn.chains = words["chain"] = later.chains
            figure.chain.text = later.chains[frame]
        if later.network is not None:
            self.drawn.network = later.network
            figure.draw_network(self.drawn, words, frame)
        if later.contour is not None:  # the slice through the new run's last point
            contour = later.contour
            if self._slice_asked is None:  # else the scrub has asked for its own slice
                self.drawn.image = contour["image"]
                self.drawn.plane_words = contour["plane_words"]
                self._draw_contour(self.drawn)
        figure.frames.data = {**figure.frames.data, **words}
        figure.board.text = boards[frame]
        request = self._asked
        if request.predict is None and self._pristine is not None \
                and self._pristine[0] == number:
            # Kept as the page would ask for it again: the rate chosen, the window shown.
            shown = dataclasses.replace(request, scene=self.drawn.scene, window=self._window,
                                        pick_rate=False)
            self.kept.keep(answer_key(shown), self._pristine[1], later)
            self.kept.look_ahead(shown, self.controls.lr.options)

    # -- the link -----------------------------------------------------------------------------
    def _link(self, scene: Scene) -> str:
        return page_link(scene, self.race, self.lesson, self.lang, self.view_name)

    def _share(self, scene: Scene):
        """The scene in the page's URL: a link to it restores it."""
        location = pn.state.location if self._document is not None else None
        if location is not None:
            location.search = self._link(scene)

    def close(self):
        """The page has closed: its jobs are withdrawn (its run, a slice, the rates asked
        ahead), its answers kept let go, its temporary folder (uploads, downloads being
        made) removed."""
        self.kept.clear()
        for owner in (id(self), (id(self), "slice"), (id(self), "download")):
            self.runner.withdraw(owner)
        if self._tmp is not None:
            self._tmp.cleanup()


def link_arguments() -> dict:
    """The page's link, ``{key: text}`` (a key given twice: its last value)."""
    return {key: values[-1].decode("utf-8", "replace")
            for key, values in (pn.state.session_args or {}).items() if values}


def page(runner=None, library=None, classbook=None):
    """A new playground for a new visitor, from the URL's settings, offering the lessons
    of ``library``. Its first run waits until the page has loaded in a browser."""
    use_shipped_font()
    playground = Playground(link_arguments() or None, runner=runner, autostart=False,
                            library=library, classbook=classbook)
    local_stylesheets(pn.state.curdoc)
    if pn.state.curdoc is not None:  # the name the browser kept, once the page is ready
        pn.state.curdoc.js_on_event("document_ready", CustomJS(
            args={"name": playground.lesson.name}, code=FILL_NAME_JS))
    pn.state.on_session_destroyed(lambda _context: playground.close())
    name_the_tab(pn.state.curdoc, playground.lang)
    pn.state.onload(playground.start)
    with speaking(playground.lang):
        return playground.view()
