"""The picture's glossary: each term of jargon a picture uses, said once in plain words.

A caption has room for a cause, not for a definition, so a picture that says "2/L" or
"condition number" anywhere (a caption, the status, a title) carries one line under its
panels defining it. The terms are found in the words as drawn (translated), so the line
is in the picture's language.
"""
from __future__ import annotations

import re
import textwrap

from .i18n import _


def _terms():
    """(is the term in these words?, its definition), in the order a reader meets them."""
    def having(marker):
        return lambda text: marker in text

    return [
        (having("2/L"), _("2/L: the largest stable rate of plain GD, 2 ÷ the steepest "
                          "curvature L")),
        (having(_("condition number")), _("condition number: the steepest curvature ÷ the "
                                          "flattest")),
        (having("m̂/√v̂"), _("m̂/√v̂: the mean gradient ÷ its root mean square, both "
                            "bias-corrected")),
        (having(_("off the plane")), _("off the plane: how far the point is from the drawn "
                                       "plane of the path")),
        (lambda text: re.search(r"layer\d+\.w\[", text) is not None,
         _("layer1.w[j,i]: the weight into unit j of layer 1 from its input i")),
        (having("μ"), _("μ: the momentum, the share of the last step kept")),
        (having("η"), _("η: the learning rate")),
    ]


def glossary(texts) -> list[str]:
    """The definitions of the terms used anywhere in ``texts``.

    >>> glossary(["rate 0.25 > 2/L = 0.2", "moves η = 0.1"])
    ['2/L: the largest stable rate of plain GD, 2 ÷ the steepest curvature L', 'η: the learning rate']
    >>> glossary(["the loss fell"])
    []
    """
    words = "\n".join(text for text in texts if text)
    return [definition for used, definition in _terms() if used(words)]


def glossary_line(texts, columns: int) -> str:
    """The glossary as lines of at most ``columns`` characters, a definition never split
    across two lines unless it is longer than one ("" when no term is used).

    >>> print(glossary_line(["2/L", "η", "μ"], 80))
    2/L: the largest stable rate of plain GD, 2 ÷ the steepest curvature L
    μ: the momentum, the share of the last step kept   ·   η: the learning rate
    """
    lines = []
    for definition in glossary(texts):
        if lines and len(lines[-1]) + len(SEPARATOR) + len(definition) <= columns:
            lines[-1] += SEPARATOR + definition
        else:
            lines.extend(textwrap.wrap(definition, columns, break_on_hyphens=False))
    return "\n".join(lines)


SEPARATOR = "   ·   "
