"""The live window: play an animation with keys to pause and step.

Keys: space pauses and resumes, right arrow steps forward, left arrow steps
back (pausing first), q closes the window (matplotlib's own key).
"""
from __future__ import annotations

import numpy as np


def has_display() -> bool:
    """Whether matplotlib resolved to an interactive (windowing) backend."""
    import matplotlib.pyplot as plt
    from matplotlib.backends import BackendFilter, backend_registry

    backend = plt.get_backend().lower()
    return backend in backend_registry.list_builtin(BackendFilter.INTERACTIVE)


class Player:
    """Keyboard control of a running ``DescentAnimation`` in a window."""

    def __init__(self, anim):
        self.anim = anim
        self.paused = False
        anim._fig.canvas.mpl_connect("key_press_event", self.on_key)
        self._stop_when_closing()

    def _stop_when_closing(self) -> None:
        """Closing a window (q) puts a plain canvas back under the figure at once, but
        tells the animation only when the window is gone, a moment later; a frame due in
        between would draw on the plain canvas and print a traceback. Such a frame is
        not drawn, and the timer drops the step."""
        anim, canvas = self.anim, self.anim._fig.canvas
        step = anim._step

        def step_while_open(*args):
            if anim._fig.canvas is not canvas:
                return False  # a timer's callback answering False is removed
            return step(*args)

        anim.event_source.remove_callback(step)
        anim._step = step_while_open  # what the animation removes when it stops
        anim.event_source.add_callback(step_while_open)

    @property
    def index(self) -> int:
        """The position of the frame on screen in the animation's frame list."""
        current = getattr(self.anim, "current_iteration", self.anim.frame_iterations[0])
        return int(np.searchsorted(self.anim.frame_iterations, current))

    def on_key(self, event) -> None:
        if event.key == " ":
            self.toggle()
        elif event.key == "right":
            self.step(+1)
        elif event.key == "left":
            self.step(-1)

    def toggle(self) -> None:
        if self.anim.event_source is None:  # played to the end: nothing to resume
            return
        if self.paused:
            self.anim.resume()
        else:
            self.anim.pause()
        self.paused = not self.paused

    def step(self, direction: int) -> None:
        if not self.paused and self.anim.event_source is not None:
            self.anim.pause()
            self.paused = True
        frames = self.anim.frame_iterations
        index = min(max(self.index + direction, 0), len(frames) - 1)
        # FuncAnimation's own blitted redraw of one frame (restore, draw, blit).
        self.anim._draw_next_frame(int(frames[index]), blit=True)


def play(build, *, title: str, figsize) -> None:
    """Make a figure in a window, build the animation on it, play it with keys,
    and keep the window open until it is closed."""
    import matplotlib.pyplot as plt

    figure = plt.figure(num=title, figsize=figsize, layout="constrained")
    anim = build(figure)  # kept referenced: a garbage-collected animation stops
    player = Player(anim)
    plt.show()
    return anim, player
