"""A page's lesson and predict mode: the lesson's text and questions, the run stopped
before a step with the question asked, the answer checked against the run's own (kept on
the server until then), the score, and the reveal."""
from __future__ import annotations

import dataclasses

import panel as pn
from bokeh.models import CustomJS
from bokeh.models import Div as BokehDiv
from bokeh.models import TextInput as BokehTextInput

from .. import lessons
from .._validate import unknown
from ..scene import Scene
from ..words.i18n import _
from . import messages
from ..lessons.classbook import student_name
from .browser_code import KEEP_NAME_JS, SHOW_VERDICT_JS
from .choices import ANSWER_HINTS, ASK_CHOICES, OWN_ASK_WORDS, said
from .loop import held
from .style import BokehPane


class LessonMode:
    """The lesson and predict mode of one page (``page``: its ``library`` of lessons,
    ``controls``, ``race``, ``refresh``, ``say_error`` and ``reveal``)."""

    def __init__(self, page):
        self.page = page
        self.chosen = None  # the lessons.Lesson chosen
        self.hidden = self.revealed = None  # the answer and the run, kept until answered
        self.own_kind = None  # a lesson question's choice or explain (not in the picker)
        self.tolerance = None  # the lesson's question's own, if it has one
        self.counts = [0, 0]  # right, asked
        w = pn.widgets
        self.picker = w.Select(label=_("lesson"), options=page.library.choices())
        self.question = w.Select(label=_("question"), options={_("(none)"): 0}, visible=False)
        self.predict_on = w.Checkbox(label=_("predict mode: stop before a step and ask"))
        self.predict_step = w.IntInput(label=_("predict the step from iteration"), value=0,
                                       start=0, visible=False)
        self.predict_ask = w.Select(label=_("predict"), options=said(ASK_CHOICES),
                                    value="next_params", visible=False)
        self.answer = w.TextInput(label=_("your answer"),
                                  placeholder=_(ANSWER_HINTS[self.predict_ask.value]), width=360)
        # The student's name, for the class's answers: from the link (?name=) or typed
        # once; the browser keeps it (a reload, the next lesson) in its local storage.
        self.name = BokehTextInput(title=_("your name"), value="", width=160, name="student",
                                   placeholder=_("as your teacher will see it"))
        self.name.js_on_change("value", CustomJS(code=KEEP_NAME_JS))
        self.check = w.Button(label=_("check, then reveal"), color="primary", align="end")
        self.next = w.Button(label=_("next question"), align="end", visible=False)
        # Why an answer was not taken, beside the box (the banner is a screen away).
        self.refusal = BokehDiv(text="", width=360, render_as_text=True, name="refusal",
                                syncable=False, styles={"color": "#842029"})
        # The lesson's title and text, the verdict and the score: words as text.
        narrow = page.sizes.one_column
        self.text = BokehDiv(text="", width=page.sizes.text, render_as_text=True, visible=False,
                             margin=(0, 10), name="lesson_text", syncable=False,
                             styles={"white-space": "pre-wrap", "background": "#f4f6fb",
                                     "font-size": f"{page.sizes.text_font}px",
                                     "padding": "6px 10px", "border-radius": "4px"})
        self.verdict = BokehDiv(text="", width=360 if narrow else 420, render_as_text=True,
                                name="verdict",
                                syncable=False, styles={"font-weight": "bold"})
        self.score = BokehDiv(text="", width=160, name="score", syncable=False)
        if narrow:  # the verdict below a phone's fold: brought into sight when said
            self.verdict.js_on_change("text", CustomJS(code=SHOW_VERDICT_JS))
        if narrow:  # a phone: one above the other, the answer box under the picture
            self.row = pn.Column(
                BokehPane(self.name), self.answer, pn.Row(self.check, self.next),
                BokehPane(self.refusal), BokehPane(self.verdict),
                BokehPane(self.score), visible=False, width=370)
        else:
            self.row = pn.Column(
                pn.Row(BokehPane(self.name), self.answer, self.check, self.next),
                pn.Row(BokehPane(self.refusal), BokehPane(self.verdict),
                       BokehPane(self.score)), visible=False)
        self.picker.param.watch(self._lesson_chosen, "value")
        self.question.param.watch(self._question_chosen, "value")
        for widget in (self.predict_on, self.predict_step, self.predict_ask):
            widget.param.watch(self._predict_changed, "value")
        self.check.on_click(self.check_answer)
        self.answer.param.watch(self.check_answer, "enter_pressed")  # Enter submits
        self.next.on_click(self._next_question)

    @property
    def widgets(self) -> tuple:
        """The pickers, for the controls' column."""
        return (self.picker, self.question, self.predict_on, self.predict_step,
                self.predict_ask)

    # -- a link's lesson --------------------------------------------------------------------
    def from_link(self, keys: dict, bare: bool) -> Scene | None:
        """A link's lesson, question and predict mode set in the controls. Returns the
        scene to show when the link names a lesson and no scene of its own (``bare``)."""
        name = keys.get("lesson", "")
        if name and name not in self.page.library:  # a name, never a path
            raise unknown("lesson", name, self.page.library.names)
        number = keys.get("question", "")
        if number and (not number.isdigit() or not name):
            raise ValueError(_("question must be the number of one of the lesson's questions"))
        if "name" in keys:
            self.name.value = student_name(keys["name"])
        predict = keys.get("predict", "0")
        if predict not in ("0", "1"):
            raise ValueError(_("predict must be 0 or 1, got {value!r}").format(value=predict))
        with self.page.controls.quiet():
            scene = None
            if name:
                self.picker.value = name
                scene = self.show_lesson(name)
            if number:
                questions = self.chosen.questions
                if not 1 <= int(number) <= len(questions):
                    raise ValueError(_("the lesson '{name}' has questions 1 to {count}").format(
                        name=name, count=len(questions)))
                self.question.value = int(number)
                scene = self.show_question(int(number))
            self.predict_on.value = predict == "1" or bool(number)
            if "step" in keys:
                if not keys["step"].isdigit():
                    raise ValueError(_("step must be a whole number, got {value!r}").format(
                        value=keys["step"]))
                self.predict_step.value = int(keys["step"])
            if "ask" in keys:
                kinds = tuple(ASK_CHOICES.values())  # a lesson's own kinds come with it
                if keys["ask"] not in kinds:
                    raise unknown("question kind", keys["ask"], kinds)
                self.predict_ask.value = keys["ask"]
            self.show_predict_controls()
        return scene if bare else None

    def link(self, query: dict) -> None:
        """The lesson's keys of the page's link, added to ``query``."""
        if self.chosen is not None:
            query["lesson"] = self.chosen.name
            if self.question.value:
                query["question"] = str(self.question.value)
        if self.predict_on.value:
            query["predict"] = "1"
            if not self.question.value:
                query["step"], query["ask"] = str(self.predict_step.value), self.predict_ask.value

    # -- the lesson and its questions ---------------------------------------------------------
    def show_lesson(self, name: str) -> Scene:
        """The lesson's text and questions in the page; returns its first scene (its
        group the race)."""
        lesson = self.chosen = self.page.library.load(name)
        paragraphs = lessons.paragraphs(lesson.text)
        self.text.text = f"{lesson.title}\n\n" + "\n\n".join(paragraphs)
        self.text.visible = True
        words = {value: label for label, value in said(ASK_CHOICES).items()}
        words.update({kind: _(said_words) for kind, said_words in OWN_ASK_WORDS.items()})
        self.question.options = {_("(none: watch)"): 0, **{
            _("{n}. run {run} ({label}), iteration {step}: {ask}").format(
                n=n, run=lessons.run_number(q.scene), label=lesson.labels[q.scene], step=q.step, ask=words[q.ask]): n
            for n, q in enumerate(lesson.questions, start=1)}}
        self.question.visible = True
        return self.lesson_scene(0)

    def lesson_scene(self, number: int) -> Scene:
        """Scene ``number`` of the lesson, the others of its group in the page's race."""
        group = next(g for g in self.chosen.groups() if number in g)
        self.page.race = [self.chosen.scenes[n] for n in group if n != number]
        return self.chosen.scenes[number]

    def show_question(self, number: int) -> Scene:
        question = self.chosen.questions[number - 1]
        self.predict_step.value = question.step
        if question.ask in lessons.OWN_ASKS:  # the teacher's own kind: not in the picker
            self.own_kind = question.ask
        else:
            self.own_kind = None
            self.predict_ask.value = question.ask
        self.tolerance = question.tolerance
        return self.lesson_scene(question.scene)

    def leave(self) -> None:
        self.chosen = None
        self.text.visible = self.question.visible = False

    def show_predict_controls(self) -> None:
        on = self.predict_on.value
        custom = on and not self.question.value
        self.next.visible = bool(on and self.chosen is not None and
                                 self.question.value < len(self.chosen.questions))
        self.refusal.text = ""
        self.predict_step.visible = self.predict_ask.visible = custom
        self.row.visible = on
        self.answer.placeholder = _(ANSWER_HINTS[self.kind()])
        if not on:
            self.hidden = self.revealed = None

    # -- predict mode -----------------------------------------------------------------------
    def predict(self) -> messages.Predict | None:
        """What a run is stopped for (None: predict mode is off)."""
        if not self.predict_on.value:
            return None
        asked = self.chosen.questions[self.question.value - 1] \
            if self.chosen is not None and self.question.value else None
        if asked is None:
            return messages.Predict(int(self.predict_step.value or 0), self.predict_ask.value,
                                    self.tolerance)
        return messages.Predict(int(self.predict_step.value or 0), self.kind(),
                                self.tolerance, asked.prompt, asked.options, asked.right,
                                self.reveal_until(self.question.value))

    def reveal_until(self, number: int) -> tuple:
        """For each run on the page (question ``number``'s, then the rest of its group),
        ``(step, n)`` where the lesson's next question on it, n, asks (the run is shown
        that far when ``number`` is revealed; the asked run at least a step past its
        question), or None: no later question uses it."""
        questions = self.chosen.questions
        asked = questions[number - 1]
        group = next(g for g in self.chosen.groups() if asked.scene in g)
        runs = [asked.scene] + [n for n in group if n != asked.scene]
        cuts = []
        for run in runs:
            later = next(((q.step, n) for n, q in enumerate(questions[number:],
                                                            start=number + 1)
                          if q.scene == run), None)
            if later is not None and run == asked.scene:
                later = (max(later[0], asked.step + 1), later[1])
            cuts.append(later)
        return tuple(cuts)

    def kind(self) -> str:
        """What is asked now: a lesson question's own kind, else the picker's."""
        return self.own_kind if self.own_kind and self.question.value else \
            self.predict_ask.value

    def hold(self, drawn) -> None:
        """A run stopped before a step: its answer and the rest kept here (the page's
        own copy of the rest: drawing it changes it, and the answer may be other pages')."""
        self.hidden = drawn.hidden_answer
        self.revealed = None if drawn.revealed is None else dataclasses.replace(drawn.revealed)
        self.verdict.text = ""
        self.answer.value = ""

    @held
    def check_answer(self, _event=None):
        """Check the answer against the run's (kept here, never sent before), keep the
        score, then reveal the step with its arithmetic."""
        page = self.page
        if self.hidden is None or self.revealed is None:
            self.refuse(_("nothing to answer yet: turn on predict mode, or wait for the run"))
            return
        try:
            verdict = self.hidden.check(self.answer.value)
        except ValueError as error:
            self.refuse(str(error))
            return
        if not self._kept(verdict):
            return
        if verdict.right is not None:  # an explanation is the teacher's to read, not scored
            self.counts[0] += verdict.right
            self.counts[1] += 1
        self.verdict.text = verdict.words
        self.verdict.styles = {"font-weight": "bold", "color": "#333" if verdict.right is None
                               else "#1b5e20" if verdict.right else "#842029"}
        self.score.text = _("score: {right} of {asked}").format(right=self.counts[0],
                                                                 asked=self.counts[1])
        revealed, step = self.revealed, self.hidden.question.step
        self.hidden = self.revealed = None
        self.refusal.text = ""
        page.reveal(revealed, step)

    def _kept(self, verdict) -> bool:
        """A lesson's answer kept in the class's answers (the page's ``classbook``), under
        the student's name; False, said in the page, when there is no name to keep it
        under or the file cannot take it."""
        book, number = self.page.classbook, self.question.value
        if book is None or self.chosen is None or not number:
            return True  # no class kept here, or a question of the student's own
        try:
            book.add(student_name(self.name.value), self.chosen.name, number,
                     self.answer.value, verdict.right)
        except ValueError as error:
            self.refuse(str(error))
            return False
        except Exception as error:  # noqa: BLE001 - the file: one line, the page goes on
            self.refuse(_("your answer could not be kept: {error}").format(error=error))
            return False
        return True

    def refuse(self, words: str) -> None:
        """Why the answer was not taken: beside the box and in the page's error line."""
        self.refusal.text = words
        self.page.say_error(words)

    # -- events -----------------------------------------------------------------------------
    @held
    def _next_question(self, _event=None):
        if self.chosen is not None and self.question.value < len(self.chosen.questions):
            self.question.value += 1  # as if chosen in the picker

    @held
    def _lesson_chosen(self, event):
        controls = self.page.controls
        if controls.busy:
            return
        with controls.quiet():
            self.question.value = 0
            if event.new:
                controls.show(self.show_lesson(event.new))
            else:
                self.leave()
                self.page.race = []
                self.show_predict_controls()
        self.page.refresh()

    @held
    def _question_chosen(self, event):
        controls = self.page.controls
        if controls.busy or self.chosen is None:
            return
        with controls.quiet():
            if event.new:
                scene = self.show_question(event.new)
                self.predict_on.value = True
                controls.show(scene)
            self.show_predict_controls()
        self.page.refresh()

    @held
    def _predict_changed(self, event):
        controls = self.page.controls
        if controls.busy:
            return
        if event.obj is not self.predict_ask and event.obj is not self.predict_step:
            with controls.quiet():
                if not self.predict_on.value:
                    self.question.value = 0
        if not self.question.value:
            self.tolerance = None
        self.show_predict_controls()
        self.page.refresh()
