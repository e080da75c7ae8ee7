"""The words above the charts: each run's status line in its colour, and the note under
the rate (the largest stable rate of plain gradient descent, a warning above it). Every
word of a run is escaped: the page's HTML is only the markup made here."""
from __future__ import annotations

import html

from ..views.race import run_colour
from ..words.i18n import _


def status_html(drawn) -> str:
    """Each run's status, one line each, its colour's square first."""
    rows = []
    for r, words in enumerate(drawn.words):
        colour = drawn.colours[r] if r < len(drawn.colours) else run_colour(r)
        rows.append(f'<div><span style="color:{colour};font-size:18px">■</span> '
                    f"{html.escape(words, quote=False)}</div>")
    return "".join(rows)


def rate_note_html(stable_rate: float | None, optimizer: str, lr: float,
                   awaiting: bool = False) -> str:
    """The note under the rate: 2/L where it is known, a warning when plain gradient
    descent (full batch or not) runs above it; neither while an answer is ``awaiting``
    (it would tell whether the run diverges)."""
    if awaiting:
        return html.escape(_("(the largest stable rate is shown once you have answered)"),
                           quote=False)
    if stable_rate is None:
        return html.escape(_("2/L is not known in closed form for this problem"), quote=False)
    if optimizer in ("gd", "sgd") and lr >= stable_rate:
        return "⚠ <b>" + html.escape(_(
            "{rate} is above 2/L = {limit}: plain gradient descent diverges here"),
            quote=False).format(rate=f"{lr:g}", limit=f"{stable_rate:.4g}") + "</b>"
    return html.escape(_("largest stable learning rate of plain gradient descent: "
                         "{limit}"), quote=False).format(limit=f"<b>2/L = {stable_rate:.4g}</b>")
