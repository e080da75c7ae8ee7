"""Remake the pictures in the README and docs/ with gdviz itself.

    python docs/make_pictures.py
"""
from pathlib import Path

import gdviz
from gdviz import optim, problems, stop

HERE = Path(__file__).parent


def seed_animation():
    trace = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                      stop=stop.LossImprovement(0.01))
    anim = gdviz.animate(trace, layout="seed", every=100, interval=500)
    print(anim.save(HERE / "seed.gif", dpi=60))


if __name__ == "__main__":
    seed_animation()
