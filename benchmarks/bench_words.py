"""What the narrator costs against the run it narrates, as ratios in one process.

    python benchmarks/bench_words.py

For 100,000-step runs (GD on a bowl, momentum on a ravine, Adam on Rosenbrock):
1. ``gdviz.captions(trace)``: the facts of every step, computed at once (vectorised);
   a sentence is written when it is read.
2. The sentences an animation shows (60 frames, with the summaries between them).
3. Writing every one of the 100,000 sentences (what reading them all would cost).
"""
from bench_run import best_of

import gdviz
from gdviz import optim, problems, stop
from gdviz.frames import lesson_iterations
from gdviz.words import Narrator

STEPS = 100_000


def main():
    runs = [("gd, bowl", problems.Quadratic(), optim.gd(learning_rate=0.01)),
            ("momentum, ravine", problems.Quadratic(condition=25, angle=-20),
             optim.momentum(learning_rate=0.03)),
            ("adam, rosenbrock", problems.Rosenbrock(), optim.adam(learning_rate=0.01))]
    print(f"{'run':<18} {'run s':>7} {'captions':>9} {'ratio':>7} {'60 frames':>10} "
          f"{'ratio':>7} {'all words':>10} {'ratio':>7}")
    for label, problem, optimizer in runs:
        run_time, trace = best_of(1, lambda: gdviz.run(problem, optimizer,
                                                       stop=stop.MaxIter(STEPS)))
        made, words = best_of(3, lambda: gdviz.captions(trace))
        frames = lesson_iterations(trace, 60)
        shown, _ = best_of(3, lambda: Narrator(trace).frames(frames))
        every, _ = best_of(1, lambda: list(words))
        print(f"{label:<18} {run_time:7.2f} {made:9.3f} {made / run_time:7.1%} {shown:10.3f} "
              f"{shown / run_time:7.1%} {every:10.2f} {every / run_time:7.0%}")


if __name__ == "__main__":
    main()
