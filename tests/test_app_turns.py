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
