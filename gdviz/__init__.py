"""gdviz: see every step of gradient descent.

Examples
--------
>>> import gdviz
>>> from gdviz import problems, optim, stop
>>> trace = gdviz.run(problems.LinearRegression.seed(seed=0),
...                   optim.gd(learning_rate=0.005), stop=stop.LossImprovement(0.01))
>>> trace.stop_reason
'converged'
"""
from . import optim, problems, stop
from .run import Step, descend, run
from .trace import Trace
from .words import captions, describe
from .words.i18n import set_language

__all__ = ["set_language", "optim", "problems", "stop", "run", "descend", "Step", "Trace", "animate", "compare", "captions",
           "describe"]
__version__ = "0.1.0"


def __getattr__(name):
    # Drawing needs matplotlib; import it only when asked so that
    # `import gdviz` and `gdviz --help` stay fast.
    if name == "animate":
        from .animation import animate

        return animate
    if name == "compare":
        from .comparison import compare

        return compare
    raise AttributeError(f"module 'gdviz' has no attribute {name!r}")
