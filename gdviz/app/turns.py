"""Pages built one at a time, each in its own turn of the event loop, before any page
already built is sent.

A page is built on the server's event loop, which every open page's moves share. When a
class opens the link together, thirty GETs arrive at once and Tornado would run their
builds back to back, a move of an open page waiting behind all of them (6.9 s measured
with 30 pages opening on 2 cores). Taking turns, a page's build waits for the one before
it and for the loop to have nothing else ready to run (for at most a quarter of a
second), and for the light runs that open pages' moves had asked for (``move_asked``,
for at most 0.3 s): a move of an open page waits for one build at most, not one more
while its worker runs.

Sending a built page to its browser (Bokeh's PULL-DOC, about a third of a page's server
time) waits while other pages are still to be built (for at most ``MOST_SEND_WAIT``):
every student gets an answer to the link first, and the first pictures follow, instead
of every page being half-way for everyone.
"""
from __future__ import annotations

import asyncio


#: The longest a page's build gives way to the rest of the loop's work.
MOST_WAIT = 0.25
#: The longest a page's build waits for the runs that open pages' moves asked for.
MOST_MOVE_WAIT = 0.3
#: The longest a built page's sending waits for other pages' builds.
MOST_SEND_WAIT = 10.0

#: The runs open pages' moves wait for, in this process (``move_asked``).
_moves: set = set()


def move_asked(future) -> None:
    """A page already open asked for a light run (``future``: its answer), as its student
    moved a setting: the next build waits for the answer (at most ``MOST_MOVE_WAIT``),
    which would otherwise wait behind the build that began while the worker ran."""
    _moves.add(future)
    future.add_done_callback(_moves.discard)  # on the pool's thread: one atomic call


async def quiet_loop(most: float = MOST_WAIT) -> None:
    """Give way until nothing else is ready to run on the event loop (an open page's
    message read, its answer sent), for at most ``most`` seconds, and until the runs the
    open pages' moves had asked for when the loop first had nothing ready have answered,
    for at most ``MOST_MOVE_WAIT`` (moves asked meanwhile wait for the next build:
    students dragging sliders hold up no class's opening for long). (Reading a page's
    message takes several turns of the loop: with one build between each, a move would
    wait for several builds.)"""
    loop = asyncio.get_running_loop()
    now = loop.time()
    deadline, moves_deadline = now + most, now + MOST_MOVE_WAIT
    awaited = None  # the moves asked by the time the loop first had nothing ready
    while True:
        if getattr(loop, "_ready", None) and loop.time() < deadline:  # asyncio's own queue
            await asyncio.sleep(0)
            continue
        if awaited is None:
            awaited = list(_moves)
        if loop.time() < moves_deadline and not all(move.done() for move in awaited):
            await asyncio.sleep(0.005)
        else:
            return


class Turns:
    """The builds waiting or under way on one event loop (made on it, when first used)."""

    def __init__(self):
        self.lock = asyncio.Lock()
        self.pending = 0
        self.none_pending = asyncio.Event()
        self.none_pending.set()

    async def build(self, make):
        """Await ``make()`` in this build's turn."""
        self.pending += 1
        self.none_pending.clear()
        try:
            async with self.lock:
                await quiet_loop()
                return await make()
        finally:
            self.pending -= 1
            if not self.pending:
                self.none_pending.set()

    async def send(self, make):
        """Await ``make()`` (a built page's sending) once no page waits to be built (for at
        most ``MOST_SEND_WAIT``), in its own turn too: thirty pages sent back to back would
        hold an open page's move for as long."""
        if self.pending:
            try:
                await asyncio.wait_for(self.none_pending.wait(), MOST_SEND_WAIT)
            except asyncio.TimeoutError:
                pass
        async with self.lock:
            await quiet_loop()
            return await make()


def take_turns(tornado_app, paths=("/",), websocket="/ws") -> None:
    """Build the pages at ``paths`` of ``tornado_app`` (a Bokeh server's, after the gate)
    one at a time, and send built pages over ``websocket`` once no page waits to be
    built."""
    turns = {}  # the event loop's own, made on it
    classes = {}

    def shared() -> Turns:
        if "turns" not in turns:
            turns["turns"] = Turns()
        return turns["turns"]

    def turn_taking(handler_class):
        class Turn(handler_class):
            async def get(self, *args, **kwargs):
                return await shared().build(lambda: super(Turn, self).get(*args, **kwargs))

        return Turn

    def sent_after_builds(handler_class):
        class SentAfterBuilds(handler_class):
            # Bokeh makes a connection's protocol handler before it says the connection is
            # open (so before any PULL-DOC can come): its PULL-DOC is wrapped as it is set.
            @property
            def handler(self):
                return self.__dict__.get("handler")

            @handler.setter
            def handler(self, protocol_handler):
                handlers = getattr(protocol_handler, "_handlers", None)
                if handlers and "PULL-DOC-REQ" in handlers:
                    pull = handlers["PULL-DOC-REQ"]

                    async def pull_after_builds(message, connection):
                        return await shared().send(lambda: pull(message, connection))

                    handlers["PULL-DOC-REQ"] = pull_after_builds
                self.__dict__["handler"] = protocol_handler

        return SentAfterBuilds

    def substitute(handler_class, make):
        key = (handler_class, make)
        if key not in classes:
            subclass = make(handler_class)
            subclass.__name__ = subclass.__qualname__ = \
                f"{make.__name__.title().replace('_', '')}{handler_class.__name__}"
            classes[key] = subclass
        return classes[key]

    original = tornado_app.find_handler

    def find_handler(request, **kwargs):
        delegate = original(request, **kwargs)
        handler_class = getattr(delegate, "handler_class", None)
        if request.method == "GET" and handler_class is not None:
            if request.path in paths and hasattr(handler_class, "get"):
                delegate.handler_class = substitute(handler_class, turn_taking)
            elif request.path == websocket and hasattr(handler_class, "on_message"):
                delegate.handler_class = substitute(handler_class, sent_after_builds)
        return delegate

    tornado_app.find_handler = find_handler
