"""Build problems, optimizers and schedules by name, with "did you mean" errors.

The command line, comparisons and apps all go through here, so a name means
the same thing everywhere.
"""
from __future__ import annotations

import inspect

from ._validate import unknown
from .words.i18n import _, listed, run_label
from .optim import OPTIMIZERS
from .optim.schedules import SCHEDULES
from .problems import PROBLEMS


def problem(name: str, **options):
    """A catalogue problem with its example data or default settings.

    Examples
    --------
    >>> problem("rosenbrock").minima.tolist()
    [[1.0, 1.0]]
    """
    if name not in PROBLEMS:
        raise unknown("model", name, PROBLEMS)
    cls = PROBLEMS[name]
    # Options go on to the constructor, and from there (``**options``) to its parents'.
    constructors = [vars(c)["__init__"] for c in cls.__mro__ if "__init__" in vars(c)
                    and c is not object]
    _check_options(_("the {name} model").format(name=name), cls.example, options, also=constructors)
    return cls.example(**options)


#: A Scene's settings of a network (the mlp model takes them; another model refuses them).
NETWORK_FIELDS = ("activation", "task", "noise", "test_fraction", "l2")

#: The models a user's data can be fitted with.
DATA_MODELS = ("linear", "polynomial", "logistic", "mlp")


def data_model(scene):
    """The model class and its options for fitting a user's data (``scene.problem`` one of
    ``DATA_MODELS``), whether the data are arrays, a DataFrame or a Dask frame."""
    from . import problems

    if scene.problem not in DATA_MODELS:
        raise unknown("model for your data", scene.problem, DATA_MODELS)
    if scene.problem == "polynomial":
        return problems.PolynomialRegression, {"degree": scene.degree or 2,
                                               "standardize": scene.standardize}
    if scene.problem == "logistic":
        return problems.LogisticRegression, {}
    if scene.problem == "mlp":
        options = {"hidden": scene.hidden or 8, "seed": scene.seed}
        options.update({name: getattr(scene, name) for name in ("activation", "task", "l2")
                        if getattr(scene, name) is not None})
        return problems.MLP, options
    return problems.LinearRegression, {"standardize": scene.standardize}


def build_problem(scene, data=None):
    """The problem a ``Scene`` describes: a catalogue model with its options, the formula
    (``problem="expression"``), or the model ``scene.problem`` fitted to ``data`` =
    ``(x, y, x_names, y_name)``, with the columns' names carried along."""
    from . import problems

    if data is not None:
        x, y, x_names, y_name = data
        cls, options = data_model(scene)
        return cls(x, y, **options).name_columns(x_names, y_name)
    if scene.problem == "seed":  # the blog's data, start and loss
        made = problems.LinearRegression.seed(seed=scene.seed)
        return made
    if scene.problem == "expression":
        return problems.Expression(scene.formula, **({"x0": scene.x0} if scene.x0 else {}))
    options = {}
    if scene.problem in DATA_MODELS:
        options["seed"] = scene.seed
    for name in ("degree", "hidden", "data", *NETWORK_FIELDS):
        if getattr(scene, name) is not None:
            options[name] = getattr(scene, name)
    if scene.standardize:
        options["standardize"] = True
    return problem(scene.problem, **options)


def optimizer(name: str, **settings):
    """A named optimizer; settings not given keep PyTorch's defaults.

    Examples
    --------
    >>> str(optimizer("momentum", learning_rate=0.01))
    'momentum(learning_rate=0.01, momentum=0.9, dampening=0, weight_decay=0)'
    """
    if name not in OPTIMIZERS:
        raise unknown("optimizer", name, OPTIMIZERS)
    function = OPTIMIZERS[name][0]
    _check_options(name, function, settings)
    return function(**settings)


def default_learning_rate(name: str) -> float:
    """The learning rate an optimizer uses when none is given (PyTorch's default).

    Examples
    --------
    >>> default_learning_rate("adagrad")
    0.01
    """
    if name not in OPTIMIZERS:
        raise unknown("optimizer", name, OPTIMIZERS)
    return inspect.signature(OPTIMIZERS[name][0]).parameters["learning_rate"].default


def curvature_learning_rate(problem, optimizer_name: str) -> float | None:
    """A learning rate that converges on ``problem`` whatever the data's scale: a quarter of
    the largest stable rate ``2/L`` of plain GD (L the largest curvature), for gd, momentum
    and nesterov on a problem whose curvature is known in closed form; None otherwise
    (other optimizers keep their own default). At ``1/L`` a round bowl (standardized data)
    is solved in one step, leaving nothing to watch; at a quarter of ``2/L`` each step
    halves the distance along the steepest direction.

    Examples
    --------
    >>> import numpy as np
    >>> from gdviz import problems
    >>> p = problems.LinearRegression(np.arange(10.0), np.arange(10.0), standardize=True)
    >>> round(curvature_learning_rate(p, "gd"), 6), curvature_learning_rate(p, "adam")
    (0.25, None)
    """
    limit = getattr(problem, "max_stable_learning_rate", None)
    if optimizer_name not in ("gd", "momentum", "nesterov") or not limit or not limit < float("inf"):
        return None
    return float(limit) / 4


def schedule(spec: str, learning_rate: float, total_steps: int | None = None):
    """A schedule from ``"name"`` or ``"name:key=value,key=value"``.

    Examples
    --------
    >>> schedule("step:step_size=10,gamma=0.5", 0.1)(25)
    0.025
    """
    name, _colon, rest = spec.partition(":")
    name = name.strip()
    if name not in SCHEDULES:
        raise unknown("schedule", name, SCHEDULES)
    cls = SCHEDULES[name]
    settings = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, equals, value = part.partition("=")
        if not equals:
            raise ValueError(_("schedule setting '{part}' must look like key=value").format(
                part=part))
        try:
            settings[key.strip()] = float(value) if "." in value or "e" in value else int(value)
        except ValueError:
            raise ValueError(_("schedule setting '{key}' must be a number, got {value!r}")
                             .format(key=key.strip(), value=value)) from None
    if name == "cosine" and "total_steps" not in settings and total_steps:
        settings["total_steps"] = total_steps
    _check_options(_("the {name} schedule").format(name=name), cls.__init__, settings)
    return cls(learning_rate, **settings)


def _check_options(what: str, function, options: dict, also=None) -> None:
    """Refuse settings ``function`` does not take (and, when it passes ``**options``
    on, that ``also`` does not take either)."""
    allowed = []
    also = also if isinstance(also, (list, tuple)) else [also]
    for candidate in (function, *also):
        if candidate is None:
            continue
        for parameter in inspect.signature(candidate).parameters.values():
            if parameter.kind not in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL) and \
                    parameter.name not in ("self", "cls", "x", "y", "X", "labels", "formula"):
                allowed.append(parameter.name)
    for key in options:
        if key not in allowed:
            raise ValueError(_("{what} has no setting '{key}' (it takes: {allowed})").format(
                what=what, key=key, allowed=listed(dict.fromkeys(allowed)) or _("nothing")))


#: Spelling in run specs (``adam:lr=0.05``) -> the optimizer's own argument name.
_SPEC_ALIASES = {"lr": "learning_rate", "wd": "weight_decay", "mu": "momentum"}

#: Learning rates for ``gdviz compare --race``: each optimizer at a rate that
#: makes progress on the classic 2-D functions from their default starts.
RACE = {"gd": 1e-3, "momentum": 2e-4, "nesterov": 2e-4, "adagrad": 0.5, "rmsprop": 1e-2,
        "adam": 0.05}


def run_spec(spec: str):
    """An optimizer and its label from ``"name"`` or ``"name:lr=0.05,momentum=0.5"``.

    Returns ``(optimizer, label, batch_size)``.

    Examples
    --------
    >>> optimizer_, label, batch = run_spec("adam:lr=0.05,beta1=0.8")
    >>> label, optimizer_.hyperparams["betas"]
    ('adam, lr=0.05, beta1=0.8', (0.8, 0.999))
    """
    name, _colon, rest = spec.partition(":")
    name = name.strip()
    settings, betas, batch_size = {}, {}, None
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, equals, value = part.partition("=")
        key = key.strip()
        if not equals:
            raise ValueError(_("run setting '{part}' in '{spec}' must look like key=value")
                             .format(part=part, spec=spec))
        try:
            number = float(value)
        except ValueError:
            raise ValueError(_("run setting '{key}' in '{spec}' must be a number, got "
                               "{value!r}").format(key=key, spec=spec, value=value)) from None
        if key in ("beta1", "beta2"):
            betas[key] = number
        elif key in ("batch", "batch_size"):
            if number != int(number) or number < 1:
                raise ValueError(_("batch size in '{spec}' must be a positive whole number")
                                 .format(spec=spec))
            batch_size = int(number)
        else:
            settings[_SPEC_ALIASES.get(key, key)] = number
    if betas:
        settings["betas"] = (betas.get("beta1", 0.9), betas.get("beta2", 0.999))
    parts = [_spec_words(*(p.strip() for p in part.partition("=")[::2]))
             for part in filter(None, (p.strip() for p in rest.split(",")))]
    label = run_label(name, parts)
    return optimizer(name, **settings), label, batch_size


def _spec_words(key: str, value: str) -> str:
    """One setting of a run's label as it was typed (``lr=0.05``); in words where the
    language has its own (学习率 0.05)."""
    words = {"lr": _("lr={value}"), "learning_rate": _("lr={value}"),
             "momentum": _("momentum={value}"), "mu": _("momentum={value}"),
             "weight_decay": _("weight_decay={value}"), "wd": _("weight_decay={value}"),
             "batch": _("batch={value}"), "batch_size": _("batch={value}")}
    return words[key].format(value=value) if key in words else f"{key}={value}"
