"""Colours and names shared by every panel: one colour, one meaning, everywhere.

- ``CURRENT`` (vermillion) is the run itself: its path, its loss curve, the current
  point and the step being taken. Nothing else is vermillion.
- Each parameter has its own colour (``parameter_colour``), used for its axis label on
  the contour, its curve in the parameters panel and its rows in the arithmetic.
- The model's fit is green (the blog drew its line green); data points are blue, a
  second class yellow triangles; the memory of momentum is white.
"""
from __future__ import annotations

CURRENT = "#D55E00"  # vermillion: this run, now
CAPTION = "#1F3A5F"  # dark blue: the narrator's words under the status
FIT = "#009E73"  # bluish green: the model's current fit
DATA = "#0072B2"  # blue: the data (class 0)
OTHER_CLASS = "#F0E442"  # yellow: class 1
MEMORY = "#FFFFFF"  # white, edged black: what momentum carries over
REFERENCE = "#555555"  # grey: optimum, tolerance, the full-batch gradient for comparison
LOSS_COLOURMAP = "viridis"

#: Parameter colours: none of them is a colour above.
PARAMETER_COLOURS = ("#CC79A7", "#3C9BD6", "#E69F00", "#8C564B", "#7F7F7F", "#BCBD22",
                     "#17BECF", "#9467BD")

#: One colour per run in a comparison (Okabe-Ito; the first run is vermillion like a single
#: run). Runs past the eighth reuse them.
# Okabe–Ito's colour-blind-safe colours that stand out both on the viridis contours and
# on white (its green, yellow and dark blue sink into one or the other), one blue only;
# past five runs the colours come round again with a dash pattern, so no two runs share
# colour and dash.
RUN_COLOURS = (CURRENT, "#56B4E9", "#CC79A7", "#000000", "#E69F00")
RUN_DASHES = ("-", (0, (5, 2)), (0, (1, 1.5)), (0, (6, 2, 1, 2)))

#: Each optimizer's colour and dash in every race it runs in (a race of several optimizers
#: keeps these in every picture: gd is always vermillion, adam always pink). The five run
#: colours above and two more that show on the contours and on white; a dash tells
#: nesterov from momentum (drawn beneath it, wider), adagrad's orange from gd's
#: vermillion, and adamw from adam, its family.
OPTIMIZER_STYLES = {
    "gd": (CURRENT, "-"),
    "sgd": ("#8C564B", (0, (1, 1.5))),
    "momentum": ("#56B4E9", "-"),
    "nesterov": ("#000000", (0, (5, 2))),
    "adagrad": ("#E69F00", (0, (3, 1.5))),
    "rmsprop": ("#7F7F7F", (0, (6, 2, 1, 2))),
    "adam": ("#CC79A7", "-"),
    "adamw": ("#CC79A7", (0, (5, 2))),
}

#: The colour of each kind of step part (see ``gdviz.anatomy.StepPart``).
PART_COLOURS = {"step": CURRENT, "gradient": CURRENT, "momentum": MEMORY}


def parameter_colour(k: int) -> str:
    """The colour of parameter ``k`` in every panel."""
    return PARAMETER_COLOURS[k % len(PARAMETER_COLOURS)]


def parameter_label(trace, k: int) -> str:
    """``"b0 (intercept)"`` where the model names the parameter's role, else ``"b0"``."""
    name = trace.param_names[k]
    role = trace.problem.param_role(k) if trace.problem is not None else ""
    return f"{name} ({role})" if role else name


def plain_title(trace) -> str:
    """The problem in plain words: "linear regression: a line through 100 points"."""
    problem = trace.problem
    if problem is not None:
        return problem.title
    return str(trace.settings.get("formula") or trace.settings.get("problem", ""))
