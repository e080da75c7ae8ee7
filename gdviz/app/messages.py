"""What travels between a page and the workers: a request (its scene, upload, window,
predict question), and the answers (``Drawn``: the numbers the charts draw at once;
``Later``: the arithmetic and words that follow). Plain data, pickled both ways."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..scene import Scene


@dataclass(frozen=True)
class Upload:
    """A CSV uploaded by the page: where it lies and which columns to read."""

    path: str
    x_columns: tuple[str, ...]
    y_column: str


@dataclass(frozen=True)
class Window:
    """The contour the page shows, kept while its problem stays: the problem's key, the
    plane's kind, the two coordinates, the limits, and on the plane of a path its basis
    (``origin``, ``directions``, ``explained``) and the label of the run that made it."""

    key: tuple
    plane: str
    i: int
    j: int
    limits: tuple
    basis: dict | None = None
    made_by: str = ""


@dataclass(frozen=True)
class Request:
    """One redraw: the scene, the race (scenes that take the scene's problem and start),
    the uploaded data if any, and the contour window the page shows (``None``: choose
    one). ``pick_rate``: first choose a learning rate that suits a new problem."""

    scene: Scene
    race: tuple[Scene, ...] = ()
    upload: Upload | None = None
    window: Window | None = None
    pick_rate: bool = False
    #: Predict mode: the step to stop at and what to ask (``Predict``), or None.
    predict: "Predict | None" = None
    #: The page's language: every word of the runs is made in it (``words.i18n``).
    lang: str = "en"


@dataclass(frozen=True)
class Predict:
    """What the student predicts: ``ask`` (``lessons.ASKS``) about the step from
    iteration ``step``, within ``tolerance`` (None: the question's default), asked in the
    lesson's own words (``prompt``; None: gdviz's)."""

    step: int
    ask: str
    tolerance: float | None = None
    prompt: str | None = None
    #: A choice question's options and the number of its right one (``lessons.Question``).
    options: tuple[str, ...] = ()
    right: int | None = None
    #: Each run's last iteration shown at the reveal (None: the whole run), with the
    #: number of the question that asks past it: a lesson's later question on a run is
    #: not answered by this one's reveal.
    reveal_until: tuple = ()


@dataclass
class Drawn:
    """What the charts show for a request (small: no Trace inside)."""

    scene: Scene
    start: list
    key: tuple
    upload: Upload | None
    #: The plane the contour draws: "true" (two parameters), "slice" or "pca".
    plane: str
    #: The contour's two parameters (a slice, or both); on the plane of the path (0, 1).
    i: int
    j: int
    limits: tuple
    image: dict | None  # a new contour image, or None: keep the one shown
    axis_labels: tuple
    landmarks: dict
    frames: list
    paths: list
    words: list
    loss_range: tuple | None
    longest: int
    data: dict | None
    boards: list
    stable_rate: float | None
    budget_note: str = ""
    #: The narrator's caption of each frame (of the first run); in a redraw they follow
    #: with the boards (``Later``), in predict mode they come with the paths.
    captions: list = field(default_factory=list)
    #: Each run's colour: its optimizer's in a race of different optimizers (as every
    #: picture of gdviz draws them), else by its place in the race.
    colours: list = field(default_factory=list)
    #: A network: its picture at each frame (``charts.network_picture``), and the chain
    #: rule of each frame's step (which follows with the boards).
    network: dict | None = None
    chains: list | None = None
    #: The network's picture and a slice's image of a window kept follow with the words
    #: (``Later``): the page keeps the ones it shows until they come.
    follows: bool = False
    #: What the contour shows, in words (``charts.plane_words``).
    plane_words: dict = field(default_factory=dict)
    #: A slice: the iteration the image is through (the first run's last, at first).
    image_at: int | None = None
    #: A slice: the first run's parameters at each frame (kept on the server, where a
    #: slice through the frame the scrub stops at is asked for).
    frame_params: np.ndarray | None = None
    #: The plane of a path: its origin, two directions and their shares (a click maps
    #: through them), the run that made it, and at each frame how far the first run's
    #: point lies off it, in words.
    plane_basis: dict | None = None
    plane_made_by: str = ""
    plane_notes: list = field(default_factory=list)

    def window(self) -> Window:
        """The contour shown, to be kept while the problem stays."""
        return Window(self.key, self.plane, self.i, self.j, self.limits, self.plane_basis,
                      self.plane_made_by)
    #: Promise and delivery of each frame's step (``charts.promise``), or None when the
    #: cross-sections would cost more than the contour's share of the budget.
    promise: dict | None = None
    #: Predict mode: the step and the question (shown), and, kept on the server until the
    #: reveal, the whole runs' Drawn and the answer (``lessons.Answer``).
    predict: dict | None = None
    revealed: "Drawn | None" = field(default=None, repr=False)
    hidden_answer: object = field(default=None, repr=False)
    #: The Traces themselves, only where the job ran in the page's own process.
    traces: list = field(default_factory=list, repr=False)

    def __getstate__(self):  # never across processes: the traces stay in the worker
        return {**self.__dict__, "traces": []}


@dataclass
class Later:
    """What follows the paths a moment later: each frame's arithmetic board, and the
    narrator's caption and a network's chain rule where the paths came without them; a
    network's picture and a new slice's contour where the paths came without them
    (``Drawn.follows``)."""

    boards: list
    captions: list | None = None
    chains: list | None = None
    network: dict | None = None
    #: A slice through the first run's last point: ``{"image", "plane_words", "at"}``.
    contour: dict | None = None
