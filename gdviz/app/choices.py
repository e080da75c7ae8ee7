"""What the page offers: its limits and the choices of its pickers (in the page's
language; code names shown with their words in Chinese)."""
from __future__ import annotations

from ..problems import PROBLEMS
from ..scene import Scene
from ..words.i18n import N_, _, language

#: Bounds the server keeps, whatever a page or a link asks for.
MAX_ITER = 20_000
MAX_HIDDEN = 64
MAX_UPLOAD_BYTES = 10 * 2**20
#: An upload travels in chunks of this size (binary), far under the message limit.
UPLOAD_CHUNK_BYTES = 2**20
#: A download may take this many times a run's time budget (it draws every frame).
EXPORT_TIME = 6
#: Runs on one contour: the current settings and up to six more in the race.
MAX_RACE = 6
#: Answers a page keeps (the requests it made last and the rates it asked ahead): a move
#: back or to a rate asked ahead is drawn at once. A 2-8-8-1 network's answer is about
#: 1.5 MB on the server.
KEPT_ANSWERS = 4

#: Learning rates on the slider: 1, 2, 5 and between, over eight decades.
LR_GRID = sorted({round(m * 10.0**e, 12) for e in range(-6, 2) for m in (1, 1.5, 2, 3, 5, 7)})

PROBLEM_CHOICES = {N_("a tilted bowl (quadratic)"): "quadratic",
                   N_("Rosenbrock's valley"): "rosenbrock", "Himmelblau": "himmelblau",
                   "Beale": "beale", "Booth": "booth", "Rastrigin": "rastrigin",
                   N_("a saddle"): "saddle", N_("the blog's data (seed)"): "seed",
                   N_("linear regression"): "linear", N_("polynomial regression"): "polynomial",
                   N_("logistic regression"): "logistic", N_("a small neural net (mlp)"): "mlp",
                   N_("your formula"): "expression", N_("your CSV data"): "csv"}
assert set(PROBLEM_CHOICES.values()) >= set(PROBLEMS), "every catalogue model has a choice"

#: The planes the contour of a many-parameter run can draw (``landscape.PLANES``).
PLANE_CHOICES = {N_("a slice through the current point"): "slice",
                 N_("the plane of the whole path (PCA)"): "pca"}
#: A slice through the scrubbed frame is asked for once the scrub rests this long (ms).
SLICE_AFTER_MS = 350

#: The network's data in the builder: a curve to fit, or TF Playground's two classes.
NETWORK_DATA = {N_("a curve (regression)"): "", "circles": "circles", "xor": "xor",
                "spirals": "spirals", "blobs": "blobs", "moons": "moons"}

#: What predict mode can ask, in the page's words (``lessons.ASKS``).
ASK_CHOICES = {N_("the new parameters"): "next_params", N_("the new loss"): "next_loss",
               N_("the direction it moves"): "direction", N_("whether it diverges"): "diverges",
               N_("where it stops"): "stops_at"}
#: What a student types for each kind of answer.
ANSWER_HINTS = {"next_params": N_("the new parameters, commas between: 0.52, 0.36"),
                "next_loss": N_("a number"),
                "direction": N_("right, up and right, up, ... down and right"),
                "diverges": N_("yes or no"), "stops_at": N_("an iteration"),
                "choice": N_("the number of your choice: 1, 2, ..."),
                "explain": N_("a sentence or two, in your own words")}
#: A lesson's own questions (the teacher's words, no number from the run), named in the
#: question picker.
OWN_ASK_WORDS = {"choice": N_("choose an answer"), "explain": N_("explain in words")}
#: Code names (optimizers, schedules, datasets, models) a picker shows with their words in
#: a language other than English (``动量（momentum）``); English shows the names as the
#: command line takes them.
NAME_WORDS = {"gd": N_("gradient descent"), "sgd": N_("stochastic gradient descent"),
              "momentum": N_("momentum"), "nesterov": N_("Nesterov momentum"),
              "adagrad": N_("AdaGrad"), "rmsprop": N_("RMSprop"), "adam": N_("Adam"),
              "adamw": N_("AdamW"),
              "constant": N_("constant"), "step": N_("in steps"),
              "exponential": N_("exponential decay"), "cosine": N_("cosine decay"),
              "warmup": N_("warm-up"), "inverse": N_("inverse decay"),
              "circles": N_("circles"), "xor": N_("XOR quadrants"), "spirals": N_("spirals"),
              "blobs": N_("blobs"), "moons": N_("moons"),
              "linear": N_("linear regression"), "polynomial": N_("polynomial regression"),
              "logistic": N_("logistic regression"), "mlp": N_("a small neural net (mlp)")}
#: A link's keys that are the page's, not the Scene's.
PAGE_KEYS = ("race", "lesson", "question", "predict", "step", "ask", "lang", "name", "view")

#: The problem's own fields of a Scene (the race keeps its optimizer's, takes these).
PROBLEM_FIELDS = Scene.PROBLEM_FIELDS


def said(choices: dict) -> dict:
    """A picker's choices in the page's language (their keys are marked ``N_``; a key
    that is its own value is a code name, shown with its words: ``NAME_WORDS``)."""
    return {(named_one(value) if label == value else _(label)): value
            for label, value in choices.items()}


def named_one(name: str) -> str:
    if language() == "en" or name not in NAME_WORDS:
        return name
    words = _(NAME_WORDS[name])
    if f"({name})" in words or f"（{name}）" in words:  # named in its words already
        return words
    return _("{words} ({name})").format(words=words, name=name)


def named(names) -> dict:
    """A picker of code names (``{label: name}``) in the page's language."""
    return {named_one(name): name for name in names}
