"""A class at once: N students moving the learning-rate slider of ``gdviz app`` at once;
the latency of each move and the server's memory.

    python benchmarks/bench_app_load.py [--sessions 1 5 10 20] [--seconds 30]
                                        [--client bokeh|chromium] [--heavy]
    python benchmarks/bench_app_load.py --open [--sessions 1 10 30] [--distinct] [--link ?…]
                                        [--movers 1] [--every 1.0]

Each session opens Rosenbrock with Adam for exactly 1,000 steps (no early stop), then
for ``--seconds`` moves the learning-rate slider one notch, waits for the new path, and
thinks for 0.5 to 1.5 s (seeded) before the next move. Sessions arrive a second apart
and start moving together.

``--client bokeh`` (the default) measures the server: each session is a Bokeh client
session (the page's own document over the page's websocket, as a browser holds it) in
this process; a move sets the slider's model, and the latency runs to the new path's
numbers applied in the client's document. ``--client chromium`` opens each session in
headless Chromium (a context each) and times in the page's own clock, from the keydown
to the numbers arriving and to the next frame painted: on the 2-core development machine
twenty pages' drawing (about 0.25 s of browser CPU a move) starves the server, which
students' own machines would not.

``--open``: N pages opened at the same instant, as a class does when the teacher says
"open the link": each page is served (its GET answered once the server has built its
document) and usable (joined over its websocket with its signed token, its document sent
again, "document ready" said, and its first run's path arrived), by a client that speaks
Bokeh's protocol without parsing the documents (``browser.light_page``): it leaves the
cores to the server. Prints the median and the last page's times, and the server's
seconds a page (the last page served over N), against the targets (all served within
5 s, all usable within 10 s).

Also prints the server's memory (the server and its worker processes, resident) at the
start, at the peak (sampled every 0.2 s) and after the pages closed, and, with
``--heavy``, what one heavy scene of another session does to everyone's latency.
"""
import argparse
import asyncio
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bench_app import CLOCK, SCENE  # noqa: E402 - the one-page benchmark's scene and stopwatch
from browser import (ARGS, CHROMIUM, READY, AppServer, LightPage, page_session,  # noqa: E402
                     tree_rss)

HEAVY = ("?problem=mlp&hidden=64&max_iter=20000&settle=0&optimizer=adam"
         "&race=gd;momentum;nesterov;rmsprop;adagrad;adamw")
#: How long each of the heavy session's runs took to answer (ms).
HEAVY_RUNS = []
#: Seconds after the pages close before the memory is read again.
AFTER_SECONDS = 40


class MemoryWatch:
    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, 0, True
        self.thread = threading.Thread(target=self.watch, daemon=True)
        self.thread.start()

    def watch(self):
        while self.running:
            self.peak = max(self.peak, tree_rss(self.pid))
            time.sleep(0.2)

    def stop(self):
        self.running = False
        self.thread.join()


async def student(browser, url, seconds, seed, arrivals, paints, errors, ready):
    await asyncio.sleep(seed * 1.0)  # students arrive a second apart
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    await page.goto(url + SCENE, timeout=180_000)
    await page.wait_for_function(READY, timeout=180_000)
    ready.append(seed)
    while len(ready) < ready.expected:  # everyone moves at once, once all have arrived
        await asyncio.sleep(0.2)
    await page.evaluate(CLOCK)
    await page.locator(".noUi-handle").first.focus()
    rng, move, end = random.Random(seed), 0, time.monotonic() + seconds
    while time.monotonic() < end:
        await page.evaluate("() => { window._gdviz_lap = {}; }")
        await page.keyboard.press("ArrowRight" if move % 2 == 0 else "ArrowLeft")
        try:
            await page.wait_for_function("() => window._gdviz_lap.painted !== undefined",
                                         timeout=30_000, polling=20)
        except Exception:  # noqa: BLE001 - a move never answered counts as 30 s
            arrivals.append(30_000.0)
            paints.append(30_000.0)
            continue
        lap = await page.evaluate("() => window._gdviz_lap")
        arrivals.append(lap["arrived"] - lap["key"])
        paints.append(lap["painted"] - lap["key"])
        move += 1
        await asyncio.sleep(rng.uniform(0.5, 1.5))
    await context.close()


async def heavy_session(browser, url, stop):
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(url + HEAVY)
    while not stop.is_set():  # keep asking for the heavy scene again (the seed box)
        await asyncio.sleep(2)
        await page.evaluate("() => null")
    await context.close()


async def round_of(sessions, seconds, heavy):
    from playwright.async_api import async_playwright

    server = AppServer()
    try:
        await asyncio.sleep(2)
        baseline = tree_rss(server.process.pid)
        watch = MemoryWatch(server.process.pid)
        arrivals, paints, errors = [], [], []
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                       args=ARGS)
            stop = asyncio.Event()
            extra = [asyncio.create_task(heavy_session(browser, server.url, stop))] if heavy else []
            ready = Ready()
            ready.expected = sessions
            await asyncio.gather(*(student(browser, server.url, seconds, k, arrivals, paints,
                                           errors, ready) for k in range(sessions)))
            stop.set()
            await asyncio.gather(*extra)
            await browser.close()
        await asyncio.sleep(AFTER_SECONDS)
        after = tree_rss(server.process.pid)
        watch.stop()
    finally:
        server.stop()
    return arrivals, paints, errors, baseline, watch.peak, after


class Ready(list):
    expected = 0


def bokeh_student(url, seconds, seed, arrivals, start_together, arguments=None, heavy=False):
    """One session as a Bokeh client, in its own thread and event loop."""
    from bokeh.events import DocumentReady
    from bokeh.models import Slider, Spinner
    from tornado.ioloop import IOLoop

    time.sleep(seed * 1.0)  # students arrive a second apart
    loop = IOLoop()
    arguments = arguments or dict(pair.split("=") for pair in SCENE[1:].split("&"))
    session = page_session(url, loop, "?" + urlencode(arguments))
    document = session.document
    full = document.get_model_by_name("full0")
    if heavy:  # the seed box: each new seed is a new heavy run
        knob = next(m for m in document.models if isinstance(m, Spinner)
                    and m.title.startswith("seed"))
    else:
        knob = next(m for m in document.models if isinstance(m, Slider) and m.name != "scrub"
                    and m.end > 40)
    rng = random.Random(seed)
    state = {"moves": 0, "sent": None, "end": None}

    def move():
        if time.monotonic() > state["end"]:
            session.close()
            return
        state["sent"] = time.perf_counter()
        step = 1 if state["moves"] % 2 == 0 else -1
        knob.value = knob.value + step
        state["moves"] += 1

    def arrived(attr, old, new):
        if state["sent"] is None:  # the page's first run: now wait for everyone
            if state["end"] is None:
                state["end"] = float("inf")
                loop.add_callback(wait_for_class)
            return
        arrivals.append(1000 * (time.perf_counter() - state["sent"]))
        state["sent"] = None
        loop.call_later(0.05 if heavy else rng.uniform(0.5, 1.5), move)

    async def wait_for_class():
        import asyncio

        while not start_together.is_set():
            await asyncio.sleep(0.1)
        state["end"] = time.monotonic() + seconds
        state["sent"] = time.perf_counter()
        move_now()

    def move_now():
        state["sent"] = None
        move()

    full.on_change("data", arrived)
    start_together.arrived()
    loop.add_callback(lambda: document.callbacks.send_event(DocumentReady()))
    session._connection.loop_until_closed()


class Together:
    """Everyone starts moving once every session has its first picture."""

    def __init__(self, expected):
        self.expected, self.count, self.lock = expected, 0, threading.Lock()
        self.event = threading.Event()

    def arrived(self):
        with self.lock:
            self.count += 1
            if self.count >= self.expected:
                self.event.set()

    def is_set(self):
        return self.event.is_set()


def bokeh_round(sessions, seconds, heavy):
    server = AppServer()
    try:
        time.sleep(2)
        baseline = tree_rss(server.process.pid)
        watch = MemoryWatch(server.process.pid)
        arrivals = []
        together = Together(sessions)
        threads = [threading.Thread(target=bokeh_student, daemon=True,
                                    args=(server.url, seconds, k, arrivals, together))
                   for k in range(sessions)]
        if heavy:
            heavy_arguments = dict(pair.split("=") for pair in HEAVY[1:].split("&"))
            threads.append(threading.Thread(
                target=bokeh_student, daemon=True,
                args=(server.url, seconds + 30, 0, HEAVY_RUNS, Together(0), heavy_arguments,
                      True)))
        for thread in threads:
            thread.start()
        for thread in threads[:sessions]:
            thread.join(timeout=seconds + sessions + 120)
        time.sleep(AFTER_SECONDS)  # Bokeh ends a closed page's session within about 32 s
        after = tree_rss(server.process.pid)
        watch.stop()
    finally:
        server.stop()
    return arrivals, arrivals, [], baseline, watch.peak, after


def opening(sessions: int, args=(), distinct: bool = False, link: str = SCENE,
            movers: int = 1, every: float = 1.0
            ) -> tuple[list[float], list[float], list[float]]:
    """Seconds until each of ``sessions`` pages, asked for at the same instant, is served
    (its document built on the server and sent back) and usable (joined over its
    websocket as the browser joins it, its document sent again, and its first run's path
    arrived); and the seconds each rate move of ``movers`` pages opened before takes, each
    moving every ``every`` seconds while they open. ``args``: the server's own
    (``--processes 3``);
    ``distinct``: each page a link of its own (its own seed), so no two pages share a run
    (the server runs the same link's first run once for all); ``link``: the one the
    pages open (the moving page's is always ``SCENE``)."""
    server = AppServer(args=args)

    async def everyone():
        moving_pages = [await LightPage(server.url, SCENE, source=f"127.0.0.{2 + 100 * bool(k) + k}"
                                        ).open() for k in range(movers)]
        moves, done = [], asyncio.Event()

        async def keep_moving(mover):
            step = 1
            while not done.is_set():
                await asyncio.sleep(every)
                moves.append(await mover.move_rate(step))
                step = -step

        pages = [LightPage(server.url, link + (f"&seed={1 + number}" if distinct else ""),
                           source=f"127.0.0.{3 + number}") for number in range(sessions)]
        moving = [asyncio.create_task(keep_moving(mover)) for mover in moving_pages]
        opened = await asyncio.gather(*(page.open() for page in pages), return_exceptions=True)
        done.set()
        await asyncio.gather(*moving)
        for page in pages + moving_pages:
            page.close()
        return opened, moves

    try:
        time.sleep(2)
        opened, moves = asyncio.run(everyone())
    finally:
        server.stop()
    failed = [result for result in opened if isinstance(result, BaseException)]
    if failed:
        print(f"   {len(failed)} pages failed: {failed[0]!r}")
    opened = [page for page in opened if not isinstance(page, BaseException)]
    return [page.served for page in opened], [page.usable for page in opened], moves


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--heavy", action="store_true",
                        help="also one session asking for the heaviest scene allowed, again "
                             "and again")
    parser.add_argument("--client", choices=["bokeh", "chromium"], default="bokeh")
    parser.add_argument("--processes", type=int, default=None,
                        help="with --open: the server's processes (default: one per core)")
    parser.add_argument("--open", action="store_true",
                        help="time N pages opened at the same instant instead")
    parser.add_argument("--distinct", action="store_true",
                        help="with --open: each page a link of its own (nothing shared)")
    parser.add_argument("--movers", type=int, default=1,
                        help="with --open: pages already open that move their rate slider "
                             "meanwhile (default 1)")
    parser.add_argument("--every", type=float, default=1.0,
                        help="with --open: seconds between a moving page's moves (default 1)")
    parser.add_argument("--link", default=SCENE,
                        help="with --open: the link the pages open (e.g. "
                             "'?lesson=learning-rate&question=1')")
    options = parser.parse_args()
    if options.open:
        print(f"N pages opened at the same instant, {os.cpu_count()} cores"
              f"{', each its own link' if options.distinct else ', one link'}:")
        print("pages  served: median / last (s)  usable: median / last (s)  "
              "server s a page  one page's moves meanwhile: n, slowest (s)")
        for sessions in options.sessions:
            served, usable, moves = opening(
                sessions, () if options.processes is None else ("--processes",
                                                               str(options.processes)),
                options.distinct, options.link, options.movers, options.every)
            print(f"{sessions:>5}  {statistics.median(served):>14.1f} / {max(served):<8.1f}"
                  f"{statistics.median(usable or [0]):>12.1f} / {max(usable or [0]):<8.1f}"
                  f"{max(served) / sessions:>9.2f}  {len(moves):>12}, {max(moves or [0]):.2f}"
                  f"   of targets (5 s, 10 s, 1 s): {max(served) / 5:.2f}, "
                  f"{max(usable or [0]) / 10:.2f}, {max(moves or [0]):.2f}"
                  + ("" if len(usable) == sessions else
                     f"   {sessions - len(usable)} not usable"))
        return
    print(f"slider moves of N sessions ({options.client} clients), {options.seconds:g} s each, "
          f"{os.cpu_count()} cores{' + one heavy session' if options.heavy else ''}:")
    print("sessions  moves  arrived p50/p95 (ms)  painted p50/p95 (ms)  "
          "server MB: start / peak / after")
    for sessions in options.sessions:
        if options.client == "bokeh":
            arrivals, paints, errors, start, peak, after = bokeh_round(
                sessions, options.seconds, options.heavy)
        else:
            arrivals, paints, errors, start, peak, after = asyncio.run(
                round_of(sessions, options.seconds, options.heavy))
        painted = (f"{statistics.median(paints):>8.0f} / {percentile(paints, 0.95):<8.0f}"
                   if options.client == "chromium" else f"{'-':>8} / {'-':<8}")
        print(f"{sessions:>8}  {len(arrivals):>5}  {statistics.median(arrivals):>8.0f} / "
              f"{percentile(arrivals, 0.95):<8.0f}  {painted}  {start / 2**20:>6.0f} / {peak / 2**20:.0f} / "
              f"{after / 2**20:.0f}"
              f"   p95 / 1.5 s target = {percentile(paints, 0.95) / 1500:.2f}"
              + (f"   heavy scenes answered: {len(HEAVY_RUNS)}, median "
                 f"{statistics.median(HEAVY_RUNS or [0]) / 1000:.1f} s" if options.heavy else "")
              + (f"   page errors: {len(errors)}" if errors else ""))
        HEAVY_RUNS.clear()


if __name__ == "__main__":
    main()
