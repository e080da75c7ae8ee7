"""The answers a page keeps: the last few requests' and the slider's two neighbouring
rates asked ahead on workers that would otherwise idle, so that a move back, or to a
neighbouring rate, is drawn at once."""
from __future__ import annotations

import collections
import dataclasses
import pickle

from . import jobs, messages
from .choices import KEPT_ANSWERS


def answer_key(request: messages.Request) -> bytes | None:
    """What makes two requests the same (the scene as its link says it, the race, the
    upload, the contour's window, the language); None for one a page never keeps
    (predict mode, a rate still to choose)."""
    if request.predict is not None or request.pick_rate:
        return None
    return shared_key(request)


def shared_key(request: messages.Request) -> bytes:
    """What makes two requests one job (``answer_key``, and predict mode's question and
    a rate to choose: any page asking the same is answered the same)."""
    return pickle.dumps((sorted(request.scene.to_query().items()),
                         [entry.run_spec() for entry in request.race], request.upload,
                         request.window, request.lang, request.predict, request.pick_rate))


class KeptAnswers:
    """One page's kept answers (``on_loop`` runs work on the page's event loop;
    ``heavy(request)`` says whether a request is heavy work)."""

    def __init__(self, runner, on_loop, heavy):
        self.runner, self.on_loop, self.heavy = runner, on_loop, heavy
        self.answers: collections.OrderedDict = collections.OrderedDict()  # key: (Drawn, Later)
        self.ahead: dict = {}  # key: the future of a rate asked ahead

    def get(self, key: bytes | None):
        """The kept (Drawn, Later) of ``key``, or None."""
        if key is None or key not in self.answers:
            return None
        self.answers.move_to_end(key)
        return self.answers[key]

    def take_ahead(self, key: bytes | None):
        """The future of ``key`` asked ahead (no longer kept as ahead), or None."""
        return self.ahead.pop(key, None) if key is not None else None

    def keep(self, key: bytes, drawn, later) -> None:
        self.answers[key] = (drawn, later)
        self.answers.move_to_end(key)
        while len(self.answers) > KEPT_ANSWERS:
            self.answers.popitem(last=False)

    def look_ahead(self, request: messages.Request, rates) -> None:
        """The two rates of ``rates`` beside ``request``'s (just answered), asked ahead."""
        if not getattr(self.runner, "look_ahead", False):
            return
        rates = sorted(rates)
        if request.scene.lr not in rates:
            return
        at = rates.index(request.scene.lr)
        for rate in rates[at + 1: at + 2] + rates[max(at - 1, 0): at]:
            wanted = dataclasses.replace(request, scene=request.scene.replace(lr=rate))
            key = answer_key(wanted)
            if key in self.answers or key in self.ahead:
                continue
            try:  # shared: the pages of a class opening one link ask for the same rates
                future = self.runner.submit_shared(key, self.heavy(wanted), jobs.draw,
                                                   wanted, ahead=True)
            except RuntimeError:  # the server is stopping
                return
            self.ahead[key] = future
            future.add_done_callback(lambda done, key=key: self.on_loop(
                lambda: self._arrived(key, done)))

    def _arrived(self, key: bytes, future) -> None:
        if self.ahead.get(key) is not future:
            return  # taken for a request (it is kept as that request's answer), or withdrawn
        del self.ahead[key]
        if not future.cancelled() and future.exception() is None:
            self.keep(key, future.early.result(), future.result())

    def withdraw_ahead(self) -> None:
        """What was asked ahead is of no use to this page now. Its jobs go on for the
        other pages that asked for the same (a job asked ahead yields to any request)."""
        self.ahead.clear()

    def clear(self) -> None:
        self.withdraw_ahead()
        self.answers.clear()
