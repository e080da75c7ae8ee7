"""One run, described by names and numbers: what the command line's options, the app's
controls and a share link's query all build, and what ``catalogue`` turns into objects.

A ``Scene`` holds only plain values, so it can be checked, compared, written into a URL
and read back. ``Scene.run()`` makes the problem, the optimizer and the stop rule and
returns the Trace.

Examples
--------
>>> scene = Scene(problem="quadratic", optimizer="momentum", lr=0.05, max_iter=50)
>>> scene.to_query()
{'problem': 'quadratic', 'optimizer': 'momentum', 'lr': '0.05', 'max_iter': '50'}
>>> Scene.from_query(scene.to_query()) == scene
True
>>> scene.run().iterations <= 50
True
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, fields
from typing import Mapping

from . import _validate
from .words.i18n import N_, _, listed, run_label

#: The most iterations a run may take: every step is kept for the pictures.
MAX_ITER = 1_000_000

#: A problem's own settings where a link or a lesson gives none: the blog's data runs as
#: the blog does (gd, learning rate 0.005, tolerance 0.01: 1,161 iterations at seed 0).
PROBLEM_DEFAULTS = {"seed": {"optimizer": "gd", "lr": 0.005, "tol": 0.01, "max_iter": 20_000}}


@dataclass(frozen=True)
class Scene:
    """A run by names and numbers. ``None`` means "the default" (PyTorch's for an
    optimizer's settings; the model's own for its options)."""

    problem: str = "quadratic"
    formula: str | None = None  # with problem="expression": the loss in x and y
    degree: int | None = None
    #: The network's hidden layers: ``(8,)``, ``(8, 8)`` (an int or "8,8" is taken too).
    hidden: tuple[int, ...] | None = None
    #: The example data: logistic's "blobs" or "moons"; a network's datasets.DATASETS.
    data: str | None = None
    #: A network's activation ("tanh", "relu", "sigmoid"), task ("regression",
    #: "classification"), the data's noise, the share held out to test, the weights' l2.
    activation: str | None = None
    task: str | None = None
    noise: float | None = None
    test_fraction: float | None = None
    l2: float | None = None
    standardize: bool = False
    optimizer: str = "gd"
    lr: float | None = None
    momentum: float | None = None
    beta1: float | None = None
    beta2: float | None = None
    weight_decay: float | None = None
    batch_size: int | None = None
    schedule: str | None = None
    max_iter: int = 1000
    tol: float | None = None
    grad_tol: float | None = None
    settle: bool = True  # also stop once the loss has settled (stop.Settled)
    seed: int = 0
    x0: tuple[float, ...] | None = None
    #: With more than two parameters, the plane the contour draws (``landscape.PLANES``):
    #: the slice through the current point, or the plane of the whole path.
    plane: str = "slice"

    def __post_init__(self):
        check = _validate
        if self.problem == "expression" and not self.formula:
            raise ValueError(_("problem 'expression' needs a formula in x and y"))
        for name in ("lr", "grad_tol"):
            if getattr(self, name) is not None:
                check.positive_number(name, getattr(self, name))
        for name in ("momentum", "weight_decay", "tol"):
            if getattr(self, name) is not None:
                check.non_negative_number(name, getattr(self, name))
        for name in ("beta1", "beta2"):
            if getattr(self, name) is not None:
                check.fraction(name, getattr(self, name))
        if self.hidden is not None:
            from .problems.mlp import hidden_layers

            object.__setattr__(self, "hidden", hidden_layers(self.hidden))
        for name, known in (("activation", "ACTIVATIONS"), ("task", "TASKS")):
            if getattr(self, name) is not None:
                from .problems import mlp

                if getattr(self, name) not in getattr(mlp, known):
                    raise _validate.unknown(name, getattr(self, name), getattr(mlp, known))
        for name in ("noise", "l2"):
            if getattr(self, name) is not None:
                check.non_negative_number(name, getattr(self, name))
        if self.test_fraction is not None:
            check.fraction("test_fraction", self.test_fraction)
        for name in ("degree", "batch_size"):
            if getattr(self, name) is not None:
                check.positive_integer(name, getattr(self, name))
        check.positive_integer("max_iter", self.max_iter)
        if self.max_iter > MAX_ITER:
            raise ValueError(_("{label} must be at most {most} (every step is kept for the "
                               "pictures), got {value}").format(label="max_iter", most=MAX_ITER,
                                                                value=self.max_iter))
        check.numpy_seed("seed", self.seed)
        from .landscape import PLANES

        if self.plane not in PLANES:
            raise _validate.unknown("plane", self.plane, PLANES)
        if self.x0 is not None:
            values = tuple(float(v) for v in self.x0)
            if not all(map(math.isfinite, values)):
                raise ValueError(_("x0 must be finite numbers, got {value!r}").format(
                    value=self.x0))
            object.__setattr__(self, "x0", values)

    # -- building the objects ----------------------------------------------------------
    def make_problem(self, data=None):
        """The problem: a catalogue model, the formula, or ``data``.

        ``data`` is ``(x, y, x_names, y_name)`` (e.g. read from a CSV); ``problem`` then
        names the model fitted to it: linear, polynomial, logistic or mlp.
        """
        from . import catalogue

        return catalogue.build_problem(self, data)

    def make_optimizer(self):
        """The optimizer with this scene's settings (a schedule replaces the fixed rate)."""
        from . import catalogue

        settings = {k: v for k, v in (("learning_rate", self.lr), ("momentum", self.momentum),
                                      ("weight_decay", self.weight_decay)) if v is not None}
        if self.beta1 is not None or self.beta2 is not None:
            settings["betas"] = (0.9 if self.beta1 is None else self.beta1,
                                 0.999 if self.beta2 is None else self.beta2)
        if self.schedule is not None:
            rate = self.lr if self.lr is not None else catalogue.default_learning_rate(self.optimizer)
            settings["learning_rate"] = catalogue.schedule(self.schedule, rate,
                                                           total_steps=self.max_iter)
        return catalogue.optimizer(self.optimizer, **settings)

    def stop_rule(self):
        """The iteration limit and divergence, with the tolerances asked for; without
        either tolerance, also ``Settled`` (a run that has done all it can ends there)."""
        from . import stop

        rule = stop.MaxIter(self.max_iter) | stop.Divergence()
        if self.tol is not None:
            rule = stop.LossImprovement(self.tol) | rule
        if self.grad_tol is not None:
            rule = stop.GradNorm(self.grad_tol) | rule
        if self.settle and self.tol is None and self.grad_tol is None:
            rule = stop.Settled() | rule
        return rule

    def run(self, problem=None, *, x0=None, also_stop=None):
        """Compute the run (on ``problem`` if given, else ``make_problem()``); ``x0``
        replaces the scene's start, ``also_stop`` is a rule checked besides the scene's
        own (a shared server's budget)."""
        from .run import run

        problem = self.make_problem() if problem is None else problem
        rule = self.stop_rule() if also_stop is None else self.stop_rule() | also_stop
        return run(problem, self.make_optimizer(), x0=self.x0 if x0 is None else x0,
                   stop=rule, batch_size=self.batch_size, seed=self.seed)

    def label(self) -> str:
        """The optimizer and its settings in a few words: ``"adam, lr 0.05, beta1 0.8"``."""
        parts = [self.optimizer]
        for name, words in self.SETTING_WORDS.items():
            value = getattr(self, name)
            if value is not None:
                parts.append(_(words).format(value=f"{value:g}"))
        if self.schedule:
            parts.append(_("{name} schedule").format(name=self.schedule.partition(":")[0]))
        return run_label(parts[0], parts[1:])

    #: A setting in a run's label, in the language spoken (``label``).
    SETTING_WORDS = {"lr": N_("lr {value}"), "momentum": N_("momentum {value}"),
                     "beta1": "beta1 {value}", "beta2": "beta2 {value}",
                     "weight_decay": N_("weight decay {value}"),
                     "batch_size": N_("batch size {value}")}

    #: The settings a race entry carries (the problem and the start are the race's own).
    RUN_FIELDS = ("optimizer", "lr", "momentum", "beta1", "beta2", "weight_decay", "batch_size")
    #: The settings that make the problem and its landscape (a race shares them), then
    #: the start (``x0``): runs agreeing on all of them race on one picture.
    PROBLEM_FIELDS = ("problem", "formula", "degree", "hidden", "data", "standardize", "seed",
                      "activation", "task", "noise", "test_fraction", "l2", "x0")

    def run_spec(self) -> str:
        """This scene's optimizer and settings as a run spec, ``"adam:lr=0.05,beta1=0.8"``
        (the form ``gdviz compare --run`` takes and a share link's ``race`` lists)."""
        settings = [f"{name}={getattr(self, name)!r}" for name in self.RUN_FIELDS[1:]
                    if getattr(self, name) is not None]
        return self.optimizer + (":" + ",".join(settings) if settings else "")

    def with_run_spec(self, spec: str) -> "Scene":
        """This scene with the optimizer and settings of ``spec`` (see ``run_spec``)."""
        name, _colon, rest = spec.partition(":")
        values = dict.fromkeys(self.RUN_FIELDS[1:])
        values["optimizer"] = name.strip()
        for part in filter(None, (p.strip() for p in rest.split(","))):
            key, equals, text = part.partition("=")
            key = key.strip()
            if key not in self.RUN_FIELDS[1:] or not equals:
                raise ValueError(_("run setting '{part}' in '{spec}' must be one of {known}")
                                 .format(part=part, spec=spec, known=listed(
                                     k + "=NUMBER" for k in self.RUN_FIELDS[1:])))
            try:
                values[key] = int(text) if key == "batch_size" else float(text)
            except ValueError:
                raise ValueError(_("run setting '{key}' in '{spec}' must be a number, got "
                                   "{value!r}").format(key=key, spec=spec, value=text)) from None
        return self.replace(**values)

    def replace(self, **changes) -> "Scene":
        """A copy with ``changes``, checked like a new scene."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def of(cls, problem: str = "quadratic", **settings) -> "Scene":
        """A scene of ``problem`` whose settings not given are the problem's own
        (``PROBLEM_DEFAULTS``, e.g. the blog's run for ``"seed"``), else the defaults.

        >>> Scene.of("seed").lr, Scene.of("seed", lr=0.01).tol
        (0.005, 0.01)
        """
        return cls(problem=problem, **{**PROBLEM_DEFAULTS.get(problem, {}), **settings})

    # -- a share link's query -------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """The problem and the settings that differ from its defaults (``Scene.of``), as
        strings for a URL query (numbers written exactly: they read back to the same
        floats; a setting the problem has but this scene has not is written empty)."""
        query = {}
        own = PROBLEM_DEFAULTS.get(self.problem, {})
        for field in fields(self):
            value = getattr(self, field.name)
            if value == own.get(field.name, field.default) and field.name != "problem":
                continue
            if value is None:
                text = ""
            elif field.name == "hidden":
                text = ",".join(str(v) for v in value)
            elif isinstance(value, bool):
                text = "1" if value else "0"
            elif isinstance(value, tuple):
                text = ",".join(repr(float(v)) for v in value)
            elif isinstance(value, float):
                text = repr(value)
            else:
                text = str(value)
            query[field.name] = text
        return query

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "Scene":
        """A scene from a URL query (values as strings), every value checked; an unknown
        key is an error naming the nearest known one. Settings not in the query are the
        problem's own (``Scene.of``); an empty value is "none" where a setting may be."""
        from ._validate import unknown

        known = {field.name: field for field in fields(cls)}
        values = {}
        for key, text in query.items():
            if key not in known:
                raise unknown("setting", key, known)
            text = str(text).strip()
            kind = str(known[key].type)
            if not text and "None" in kind:
                values[key] = None
                continue
            try:
                if key == "x0":
                    values[key] = tuple(float(part) for part in text.split(","))
                elif key == "hidden":
                    values[key] = text  # checked as layers by the Scene
                elif kind.startswith("bool"):
                    if text not in ("0", "1", "true", "false"):
                        raise ValueError
                    values[key] = text in ("1", "true")
                elif kind.startswith("int"):
                    values[key] = int(text)
                elif kind.startswith("float"):
                    values[key] = float(text)
                else:
                    values[key] = text or None
            except ValueError:
                words = (_("setting '{key}' has a value that is not a number: {value!r}")
                         if "float" in kind or "int" in kind else
                         _("setting '{key}' has a value that is not allowed: {value!r}"))
                raise ValueError(words.format(key=key, value=text)) from None
        return cls.of(**values)
