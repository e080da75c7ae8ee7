"""The numbers of a step's promise and delivery, in words (the promise view, the app)."""
from __future__ import annotations

from .i18n import _
from .numbers import number


def promise_words(promised: float, actual: float, lowest: float) -> list[str]:
    """Lines: the promised fall, the actual fall (or rise) as a share of it, and, when the
    line's lowest point came before the landing, that the step overshot."""
    share = f"{abs(actual) / promised:.0%}"
    lines = [_("promised fall {amount}").format(amount=number(promised)),
             (_("actual fall   {amount} ({share} of it)") if actual >= 0
              else _("actual: ROSE  {amount} ({share} of it)")).format(
                 amount=number(abs(actual)), share=share)]
    if 0 < lowest < 1:
        lines.append(_("lowest at {t} of the step: overshot").format(t=f"{lowest:.2f}"))
    return lines


def no_promise_words(k: int, iterations: int) -> str:
    """What the promise panel says of iteration ``k`` when there is no step to weigh."""
    return (_("no step from here") if k >= iterations
            else _("this step promised no fall (it is not downhill)"))
