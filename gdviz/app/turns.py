"""Pages built one at a time, each in its own turn of the event loop.

A page is built on the server's event loop, which every open page's moves share. When a
class opens the link together, thirty GETs arrive at once and Tornado would run their
builds back to back, a move of an open page waiting behind all of them (6.9 s measured
with 30 pages opening on 2 cores). Taking turns, a page's build waits for the one before
it and for the loop to have nothing else ready to run (for at most a quarter of a
second): a move of an open page waits for one build at most.
"""
from __future__ import annotations

import asyncio


#: The longest a page's build gives way to the rest of the loop's work.
MOST_WAIT = 0.25


async def quiet_loop(most: float = MOST_WAIT) -> None:
    """Give way until nothing else is ready to run on the event loop (an open page's
    message read, its answer sent), for at most ``most`` seconds. (Reading a page's
    message takes several turns of the loop: with one build between each, a move would
    wait for several builds.)"""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + most
    while getattr(loop, "_ready", None) and loop.time() < deadline:  # asyncio's own queue
        await asyncio.sleep(0)


def take_turns(tornado_app, paths=("/",)) -> None:
    """Build the pages at ``paths`` of ``tornado_app`` (a Bokeh server's, after the gate)
    one at a time."""
    lock = {}  # the event loop's own lock, made on it
    classes = {}

    def turn_taking(handler_class):
        if handler_class not in classes:
            class Turn(handler_class):
                async def get(self, *args, **kwargs):
                    if "lock" not in lock:
                        lock["lock"] = asyncio.Lock()
                    async with lock["lock"]:
                        await quiet_loop()
                        return await super().get(*args, **kwargs)

            Turn.__name__ = Turn.__qualname__ = f"TurnTaking{handler_class.__name__}"
            classes[handler_class] = Turn
        return classes[handler_class]

    original = tornado_app.find_handler

    def find_handler(request, **kwargs):
        delegate = original(request, **kwargs)
        handler_class = getattr(delegate, "handler_class", None)
        if request.method == "GET" and request.path in paths and handler_class is not None \
                and hasattr(handler_class, "get"):
            delegate.handler_class = turn_taking(handler_class)
        return delegate

    tornado_app.find_handler = find_handler
