"""Pages opening together take turns (app/turns.py): builds one at a time, and a built
page's sending only once no page waits to be built."""
import asyncio

from gdviz.app.turns import Turns


def test_builds_take_turns_and_sending_waits_for_every_build():
    order, running = [], []

    async def work(name):
        running.append(name)
        assert len(running) == 1, running  # never two at once on the loop
        await asyncio.sleep(0.01)
        order.append(name)
        running.remove(name)
        return name

    async def class_opens():
        turns = Turns()
        first = asyncio.create_task(turns.build(lambda: work("build 1")))
        await asyncio.sleep(0)  # build 1 is under way when page 1 asks to be sent
        sent = asyncio.create_task(turns.send(lambda: work("send 1")))
        later = [asyncio.create_task(turns.build(lambda n=n: work(f"build {n}")))
                 for n in (2, 3)]
        results = await asyncio.gather(first, sent, *later)
        assert turns.pending == 0 and turns.none_pending.is_set()
        return results

    assert asyncio.run(class_opens()) == ["build 1", "send 1", "build 2", "build 3"]
    assert order == ["build 1", "build 2", "build 3", "send 1"]


def test_a_failed_build_frees_its_turn():
    async def failing():
        raise ValueError("no page")

    async def opens():
        turns = Turns()
        try:
            await turns.build(failing)
        except ValueError:
            pass
        return turns.pending, await asyncio.wait_for(turns.send(lambda: asyncio.sleep(0, "x")),
                                                     1.0)

    assert asyncio.run(opens()) == (0, "x")


def test_a_build_waits_for_the_run_an_open_pages_move_asked_for_but_not_for_ever():
    """The worker answers a student's move while pages are being opened: the answer is
    drawn before the next build (which would hold it a quarter of a second), and a run
    that takes long holds no build past MOST_MOVE_WAIT."""
    import concurrent.futures
    import threading
    import time

    from gdviz.app import turns as module

    async def opens(seconds):
        turns, loop = Turns(), asyncio.get_running_loop()
        future, drawn = concurrent.futures.Future(), []
        module.move_asked(future)
        future.add_done_callback(lambda _f: loop.call_soon_threadsafe(
            lambda: drawn.append(time.monotonic())))
        worker = threading.Timer(seconds, future.set_result, ["path"])
        worker.start()
        built = await turns.build(lambda: asyncio.sleep(0, time.monotonic()))
        worker.cancel()
        return drawn, built, future

    drawn, built, future = asyncio.run(opens(0.1))
    assert drawn and drawn[0] <= built  # the move's answer drawn, then the build
    assert not module._moves
    started = time.monotonic()
    drawn, built, future = asyncio.run(opens(3.0))
    assert not drawn and built - started < module.MOST_MOVE_WAIT + 0.3
    future.cancel()  # the page went: nothing waits for it any more
    assert not module._moves

    async def dragging():
        """Students dragging sliders: a move asked while a build waits does not make it
        wait longer (it waits for the next build)."""
        turns = Turns()
        first = concurrent.futures.Future()
        module.move_asked(first)
        building = asyncio.create_task(turns.build(lambda: asyncio.sleep(0, time.monotonic())))
        await asyncio.sleep(0.05)
        later = concurrent.futures.Future()
        module.move_asked(later)
        first.set_result("path")
        started = time.monotonic()
        built = await building
        later.cancel()
        return built - started

    assert asyncio.run(dragging()) < 0.1
