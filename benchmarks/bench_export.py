"""How fast gdviz exports frames, against the usual matplotlib way, in one process.

    python benchmarks/bench_export.py

A 100-frame ``classic`` GIF (fit, contour, loss curve; 20x6.5 inches at 80 dpi)
of the blog's run, written twice from the same views:
- gdviz: static parts drawn once, changed artists blitted, one shared palette;
- matplotlib: ``FuncAnimation.save`` with ``PillowWriter`` (a full redraw and a
  palette per frame).
"""
import tempfile
import time
from pathlib import Path

from matplotlib.animation import PillowWriter
from PIL import Image

import gdviz
from gdviz import optim, problems, stop


def timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(frames=100, dpi=80):
    trace = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.LossImprovement(0.01))
    folder = Path(tempfile.mkdtemp())
    ours_anim = gdviz.animate(trace, layout="classic", frames=frames, interval=100)
    ours = timed(lambda: ours_anim.save(folder / "gdviz.gif", dpi=dpi, progress=False))
    usual_anim = gdviz.animate(trace, layout="classic", frames=frames, interval=100)
    usual = timed(lambda: usual_anim.save(str(folder / "matplotlib.gif"),
                                          writer=PillowWriter(fps=10), dpi=dpi))
    for name in ("gdviz.gif", "matplotlib.gif"):
        with Image.open(folder / name) as image:
            assert image.n_frames == frames, (name, image.n_frames)
    size = lambda name: (folder / name).stat().st_size / 1e6  # noqa: E731
    print(f"{frames}-frame classic GIF of the blog's run ({dpi} dpi):")
    print(f"  matplotlib FuncAnimation + PillowWriter {usual:6.2f} s "
          f"({frames / usual:5.1f} frames/s, {size('matplotlib.gif'):.2f} MB)")
    print(f"  gdviz (blitting, one palette)           {ours:6.2f} s "
          f"({frames / ours:5.1f} frames/s, {size('gdviz.gif'):.2f} MB)")
    print(f"  ratio                                   {usual / ours:6.1f}x  (target: at least 5x)")


if __name__ == "__main__":
    main()
