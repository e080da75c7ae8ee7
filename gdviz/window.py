"""Showing an animation in a live window, when there is a screen to show it on."""
from __future__ import annotations


def has_display() -> bool:
    """Whether matplotlib resolved to an interactive (windowing) backend."""
    import matplotlib.pyplot as plt
    from matplotlib.backends import BackendFilter, backend_registry

    backend = plt.get_backend().lower()
    return backend in backend_registry.list_builtin(BackendFilter.INTERACTIVE)


def show(trace, *, layout="classic", every=None, frames=None, interval: float = 200,
         title: str = "gdviz") -> None:
    """Open a window, play the animation once and keep the window open until closed."""
    import matplotlib.pyplot as plt

    from .animation import FIGSIZES, animate, resolve_layout

    panels = len(resolve_layout(layout, trace))
    figure = plt.figure(num=title, figsize=FIGSIZES[min(panels, 6)], layout="constrained")
    # Keep a reference: an animation that is garbage-collected stops.
    anim = animate(trace, layout=layout, every=every, frames=frames, figure=figure,
                   interval=interval)
    plt.show()
    return anim
