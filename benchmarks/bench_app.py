"""The playground's latency, measured in real Chromium: from a learning-rate slider move
to the new 1,000-step path drawn in the page.

    python benchmarks/bench_app.py [--moves 40] [--network]

``--network``: a 2-8-8-1 ReLU network on the spirals (200 points) instead, from the
move to its new decision map drawn (target 300 ms).

The page opens on Rosenbrock with Adam for exactly 1,000 steps (no early stop). Each move
presses an arrow key on the slider's handle (left and right in turn). Timed in the page's
own clock: from the keydown event to the first animation frame after the new run's path
arrived (the server runs the scene and sends the numbers; BokehJS redraws). Prints the
median, the 90th percentile and the share within the 150 ms target.

Measured on the 2-core development machine (2026-11): median 122 ms before the page drew
captions and the step's promise for every frame; with them, 603 ms while every frame's
promise curve travelled as a list of its own, 372 ms since all the curves travel as one
buffer (316 ms to the numbers arriving, 56 ms to paint); 355 ms with the captions and
boards following the paths (306 ms to the numbers arriving, of which the server's worker
takes about 120 ms). A 2-8-8-1 network on the spirals (--network), with the network's
own picture and the chain rule: median 744 to 847 ms over runs of 12 to 20 moves (about
720 ms to the numbers arriving: the worker about 390 ms, of which the 1,000 steps take
about 200 ms; the rest is the page's round trip, about 170 ms as for Rosenbrock, and
the decision and units' maps in transit; about 115 ms to paint). The issue's 300 ms
target for the network is not met.
"""
import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import app_page  # noqa: E402

SCENE = "?problem=rosenbrock&optimizer=adam&lr=0.003&max_iter=1000&settle=0"
NETWORK = ("?problem=mlp&hidden=8,8&activation=relu&data=spirals&noise=0.1&optimizer=adam"
           "&lr=0.003&max_iter=1000&settle=0")
#: Stopwatch in the page: the keydown, then the frame painted after the path changed.
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--moves", type=int, default=40)
    parser.add_argument("--network", action="store_true")
    arguments = parser.parse_args()
    moves, target = arguments.moves, 300 if arguments.network else 150
    times, arrivals = [], []
    with app_page(NETWORK if arguments.network else SCENE) as page:
        page.evaluate(CLOCK)
        page.locator(".noUi-handle").first.focus()
        for move in range(moves):
            page.evaluate("() => { window._gdviz_lap = {}; }")
            page.keyboard.press("ArrowRight" if move % 2 == 0 else "ArrowLeft")
            page.wait_for_function("() => window._gdviz_lap.painted !== undefined",
                                   timeout=10_000)
            lap = page.evaluate("() => window._gdviz_lap")
            times.append(lap["painted"] - lap["key"])
            arrivals.append(lap["arrived"] - lap["key"])
            page.wait_for_timeout(150)
    times.sort()
    median = statistics.median(times)
    p90 = times[int(0.9 * (len(times) - 1))]
    under = sum(t <= target for t in times) / len(times)
    what = "the network's new map and path" if arguments.network else "new 1,000-step path"
    print(f"slider move -> {what} drawn, {len(times)} moves in Chromium:")
    print(f"  median {median:.0f} ms, 90th percentile {p90:.0f} ms, fastest {times[0]:.0f} ms, "
          f"slowest {times[-1]:.0f} ms")
    print(f"  {100 * under:.0f}% of moves within {target} ms; median / target = "
          f"{median / target:.2f}")
    print(f"  of which: keydown to the numbers arriving, median {statistics.median(arrivals):.0f} ms; "
          f"arriving to painted, {median - statistics.median(arrivals):.0f} ms")


if __name__ == "__main__":
    main()
