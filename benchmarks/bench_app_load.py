"""A class at once: N students, each in their own Chromium window, moving the learning-rate
slider of ``gdviz app``; the latency of each move and the server's memory.

    python benchmarks/bench_app_load.py [--sessions 1 5 10 20] [--seconds 30]

Each session opens Rosenbrock with Adam for exactly 1,000 steps (no early stop), then
for ``--seconds`` presses an arrow key on the slider's handle, waits for the new path,
and thinks for 0.5 to 1.5 s (seeded) before the next move. Timed in each page's own
clock: from the keydown to the new path's numbers arriving, and to the next frame
painted. One headless Chromium holds every session (a context each, so each page is
drawn as a visible window), on the same machine as the server: on 2 cores the browser's
own drawing competes with the server, which students' own machines would not.

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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import ARGS, CHROMIUM, READY, AppServer  # noqa: E402

SCENE = "?problem=rosenbrock&optimizer=adam&lr=0.003&max_iter=1000&settle=0"
HEAVY = ("?problem=mlp&hidden=64&max_iter=20000&settle=0&optimizer=adam"
         "&race=gd;momentum;nesterov;rmsprop;adagrad;adamw")
CLOCK = """() => {
  window._gdviz_lap = {};
  document.addEventListener('keydown', () => { window._gdviz_lap.key = performance.now(); }, true);
  Bokeh.documents[0].on_change((event) => {
    const lap = window._gdviz_lap;
    if (event.model && event.model.name === 'full0' && lap.key !== undefined && lap.arrived === undefined) {
      lap.arrived = performance.now();
      requestAnimationFrame(() => { lap.painted = performance.now(); });
    }
  });
}"""


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every process below it."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError):
                pass
    family, grew = {pid}, True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                grew = True
    total = 0
    for member in family:
        try:
            for line in open(f"/proc/{member}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


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
        await asyncio.sleep(3)
        after = tree_rss(server.process.pid)
        watch.stop()
    finally:
        server.stop()
    return arrivals, paints, errors, baseline, watch.peak, after


class Ready(list):
    expected = 0


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--heavy", action="store_true",
                        help="also one session asking for the heaviest scene allowed")
    options = parser.parse_args()
    print(f"slider moves of N sessions in Chromium, {options.seconds:g} s each, "
          f"{os.cpu_count()} cores{' + one heavy session' if options.heavy else ''}:")
    print("sessions  moves  arrived p50/p95 (ms)  painted p50/p95 (ms)  "
          "server MB: start / peak / after")
    for sessions in options.sessions:
        arrivals, paints, errors, start, peak, after = asyncio.run(
            round_of(sessions, options.seconds, options.heavy))
        print(f"{sessions:>8}  {len(arrivals):>5}  {statistics.median(arrivals):>8.0f} / "
              f"{percentile(arrivals, 0.95):<8.0f}  {statistics.median(paints):>8.0f} / "
              f"{percentile(paints, 0.95):<8.0f}  {start / 2**20:>6.0f} / {peak / 2**20:.0f} / "
              f"{after / 2**20:.0f}"
              f"   p95 / 1.5 s target = {percentile(paints, 0.95) / 1500:.2f}"
              + (f"   page errors: {len(errors)}" if errors else ""))


if __name__ == "__main__":
    main()
