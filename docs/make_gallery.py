"""Remake every picture in the README and docs/gallery/ with gdviz itself.

    python docs/make_gallery.py

Each picture is a typical teaching use, made with the public API (the
equivalent command line is in docs/gallery/README.md).
"""
from pathlib import Path

import gdviz
from gdviz import optim, problems, stop

HERE = Path(__file__).parent
GALLERY = HERE / "gallery"


def save(anim, name, **options):
    path = anim.save(GALLERY / name, progress=False, **options)
    print(path.relative_to(HERE.parent), f"{path.stat().st_size / 1e3:.0f} kB")
    if path.suffix == ".gif":  # its captions as subtitles beside it (and for the tests)
        anim.save(path.with_suffix(".vtt"), progress=False)


def still(anim, name, iteration, dpi=80):
    """One frame as a picture: the state at ``iteration`` (a drawn frame's)."""
    anim.draw_iteration(int(iteration))
    path = GALLERY / name
    anim._fig.savefig(path, dpi=dpi)
    print(path.relative_to(HERE.parent), f"{path.stat().st_size / 1e3:.0f} kB")


def arithmetic_stills():
    """One picture per optimizer family: the step drawn to scale and its arithmetic."""
    valley = problems.Quadratic(condition=25, angle=-20)
    rosenbrock = problems.Rosenbrock()
    families = [("momentum", valley, optim.momentum(learning_rate=0.03), 6),
                ("nesterov", valley, optim.nesterov(learning_rate=0.03), 6),
                ("adagrad", rosenbrock, optim.adagrad(learning_rate=0.5), 3),
                ("rmsprop", rosenbrock, optim.rmsprop(learning_rate=0.01), 3),
                ("adam", rosenbrock, optim.adam(learning_rate=0.05), 0)]
    for name, problem, optimizer, iteration in families:
        trace = gdviz.run(problem, optimizer, stop=stop.MaxIter(200))
        anim = gdviz.animate(trace, layout=["contour", "arithmetic"], every=1, figsize=(15, 6.5))
        still(anim, f"arithmetic-{name}.png", iteration)


def chinese_stills():
    """The Chinese gallery (README.zh-CN.md): the same runs, made in Chinese (a run's stop
    words are said when it runs), the catalogue's words."""
    gdviz.set_language("zh")
    try:
        blog, spirals, momentum = blog_run(), spirals_run(), momentum_run()
        still(gdviz.animate(blog, layout="classic", frames=40), "zh/blog-classic.png",
              iteration=blog.iterations, dpi=80)
        still(gdviz.animate(spirals, layout=["map", "network", "loss"], frames=50),
              "zh/spirals.png", iteration=spirals.iterations, dpi=60)
        still(gdviz.animate(spirals, layout=["network", "chain"], frames=50),
              "zh/chain-rule.png", iteration=219, dpi=70)
        still(gdviz.animate(momentum, layout=["contour", "loss", "arithmetic"], frames=60),
              "zh/momentum-valley.png", iteration=30, dpi=80)
    finally:
        gdviz.set_language("en")


def spirals_run():
    return gdviz.run(problems.MLP.example(data="spirals", noise=0.05, test_fraction=0.3,
                                          hidden=(8, 8)),
                     optim.adam(learning_rate=0.03), stop=stop.MaxIter(1500))


def momentum_run():
    """The gallery's command line, run as it runs it (the CLI's quadratic valley)."""
    from gdviz.scene import Scene

    return Scene(problem="quadratic", optimizer="momentum", lr=0.03, max_iter=120).run()


def blog_run():
    return gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=0.005),
                     stop=stop.LossImprovement(0.01))


def main():
    # Single-run GIFs take gdviz's own frames: at most 60, fewer where holding each new
    # caption its reading time would make the GIF last over 45 s.
    GALLERY.mkdir(exist_ok=True)
    trace = blog_run()
    # The blog's own picture, then the same run with every view.
    anim = gdviz.animate(trace, layout="seed", every=100, interval=500)
    path = anim.save(HERE / "seed.gif", dpi=80, progress=False)
    print(path.relative_to(HERE.parent))
    save(gdviz.animate(trace, layout="classic", interval=150), "blog-classic.gif",
         dpi=80)
    save(gdviz.animate(trace, layout="full", frames=40), "blog-full.png", dpi=80)

    # One optimizer, three learning rates: too small, good, too large.
    quadratic = problems.Quadratic(condition=10, angle=30)
    rates = [gdviz.run(quadratic, optim.gd(learning_rate=rate),
                       stop=stop.MaxIter(60) | stop.Divergence())
             for rate in (0.01, 0.15, 0.21)]
    labels = ["too small: lr 0.01", "good: lr 0.15", "too large: lr 0.21 > 2/L = 0.2"]
    save(gdviz.compare(rates, labels, frames=40, interval=150), "learning-rates.gif", dpi=80)

    # The optimizer race on Rosenbrock.
    rosenbrock = problems.Rosenbrock()
    race = [(optim.gd(learning_rate=1e-3), "gd, lr 0.001"),
            (optim.momentum(learning_rate=2e-4), "momentum, lr 0.0002"),
            (optim.nesterov(learning_rate=2e-4), "nesterov, lr 0.0002"),
            (optim.adagrad(learning_rate=0.5), "adagrad, lr 0.5"),
            (optim.rmsprop(learning_rate=1e-2), "rmsprop, lr 0.01"),
            (optim.adam(learning_rate=0.05), "adam, lr 0.05")]
    runs = [gdviz.run(rosenbrock, opt, stop=stop.MaxIter(2000)) for opt, _ in race]
    chosen = ("learning rates: gdviz's race table, a rate at which each optimizer makes "
              "progress here")
    save(gdviz.compare(runs, [label for _, label in race], frames=50, interval=120,
                       note=chosen), "rosenbrock-race.gif", dpi=80)
    save(gdviz.compare(runs, [label for _, label in race], layout="grid", frames=50,
                       note=chosen), "rosenbrock-grid.png", dpi=80)

    # Momentum on a long thin valley, with its arrows and arithmetic.
    momentum = momentum_run()
    save(gdviz.animate(momentum, layout=["contour", "loss", "arithmetic"],
                       interval=150), "momentum-valley.gif", dpi=80)

    # Stochastic gradient descent: the mini-batch beside the full gradient.
    sgd = gdviz.run(problems.LinearRegression.example(), optim.sgd(learning_rate=0.05),
                    stop=stop.MaxIter(150), batch_size=5, seed=0)
    save(gdviz.animate(sgd, layout="classic", interval=150), "sgd-minibatch.gif",
         dpi=80)

    # Models beyond the line.
    logistic = gdviz.run(problems.LogisticRegression.example(data="moons"),
                         optim.adam(learning_rate=0.1), stop=stop.MaxIter(300))
    save(gdviz.animate(logistic, interval=150), "logistic-moons.gif", dpi=80)
    network = gdviz.run(problems.MLP.example(hidden=8), optim.adam(learning_rate=0.02),
                        stop=stop.MaxIter(1500))
    # 25 parameters drawn on the plane of their path (Li et al. 2018), honestly labelled.
    save(gdviz.animate(network, layout=["fit", "contour", "loss"], interval=120,
                       plane="pca"), "mlp-curve.gif", dpi=80)
    # A network separating TF Playground's spirals: the decision map and the network
    # itself as it learns.
    spirals = spirals_run()
    save(gdviz.animate(spirals, layout=["map", "network", "loss"], interval=120),
         "spirals.gif", dpi=80)
    # Depth on xor: one optimizer, a network of one hidden layer and one of two.
    xor = [gdviz.run(problems.MLP.example(data="xor", noise=0.1, test_fraction=0.3,
                                          hidden=hidden),
                     optim.adam(learning_rate=0.03), stop=stop.MaxIter(600))
           for hidden in ((4,), (4, 4))]
    save(gdviz.compare(xor, ["one hidden layer of 4", "two hidden layers of 4"], layout="grid",
                       frames=40, interval=150), "xor-depth.gif", dpi=80)
    # Backpropagation on the student's own step: the network and the chain rule.
    still(gdviz.animate(spirals, layout=["network", "chain"], frames=50), "chain-rule.png",
          iteration=219, dpi=70)
    poly = gdviz.run(problems.PolynomialRegression.example(degree=3),
                     optim.nesterov(learning_rate=0.1), stop=stop.MaxIter(300))
    save(gdviz.animate(poly, interval=150), "polynomial.gif", dpi=80)
    save(gdviz.animate(poly, layout=["contour", "surface", "loss"], frames=40, plane="pca"),
         "pca-plane.png", dpi=80)

    # Promise and delivery: the loss along each step against the gradient's promise, and
    # each eigen-direction's multiplier |1 - lr*lambda|, just under the stable limit.
    near_limit = gdviz.run(problems.Quadratic(condition=10, angle=30),
                           optim.gd(learning_rate=0.19), stop=stop.MaxIter(60))
    save(gdviz.animate(near_limit, layout=["contour", "promise", "eigen"],
                       interval=150), "promise.gif", dpi=80)

    # A saddle point: GD crawls before it escapes.
    saddle = gdviz.run(problems.Saddle(), optim.gd(learning_rate=0.02), stop=stop.MaxIter(400))
    save(gdviz.animate(saddle, layout=["contour", "surface", "loss"], interval=120),
         "saddle.gif", dpi=80)

    # A diverging run, drawn readably and said in words.
    diverged = gdviz.run(problems.LinearRegression.seed(seed=0), optim.gd(learning_rate=2.5),
                         stop=stop.LossImprovement(0.01) | stop.MaxIter(1))
    too_far = gdviz.run(quadratic, optim.gd(learning_rate=0.25),
                        stop=stop.MaxIter(100) | stop.Divergence())
    save(gdviz.animate(too_far, layout="full", frames=20), "diverged.png", dpi=80)
    save(gdviz.animate(diverged, layout="seed"), "blog-lr-2.5.png", dpi=80)

    arithmetic_stills()
    chinese_stills()

    # Your own formula.
    himmelblau = gdviz.run(problems.Expression("(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
                                               x0=(-0.5, -0.5)),
                           optim.adam(learning_rate=0.1), stop=stop.MaxIter(300))
    save(gdviz.animate(himmelblau, layout=["contour", "surface", "loss"],
                       interval=150), "expression.gif", dpi=80)


if __name__ == "__main__":
    main()
