"""Text as a terminal and a page lay it out: a Chinese character is two columns wide, a
line may break between two of them, and no line starts with a closing mark (、。，）…)
or ends with an opening one (（「…), the rule Chinese typesetting calls 避头尾.

English text with no wide character is left to ``textwrap`` by the callers, so its
layout is the standard library's to the space.

>>> width("学习率 0.1")
10
>>> wrap("学习率：每一步沿负梯度移动的倍数（η）。", 12)
['学习率：每一', '步沿负梯度移', '动的倍数', '（η）。']
"""
from __future__ import annotations

import re
import textwrap
import unicodedata

#: Marks that close or pause: never the first character of a line.
NO_START = frozenset("、。，．；：！？）」』】〉》〕…—’”%,.;:!?)]}")
#: Marks that open: never the last character of a line.
NO_END = frozenset("（「『【〈《〔‘“([{")
_LONE_SPACE = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")
_PIECES = re.compile(r"\s+|[\u2e80-\U0010ffff]|[^\s\u2e80-\U0010ffff]+")


def wide(character: str) -> bool:
    """Whether ``character`` takes two columns (East Asian wide or fullwidth)."""
    return unicodedata.east_asian_width(character) in ("W", "F")


def width(text: str) -> int:
    """The columns ``text`` takes in a terminal."""
    return sum(2 if wide(c) else 1 for c in text)


def has_wide(text: str) -> bool:
    return any(wide(c) for c in text)


def closed_up(text: str) -> str:
    """``text`` without a lone space between two Chinese characters: words put around a
    name (``{name} 的权重``) keep their space beside a Latin name and lose it beside a
    Chinese one (``x1 的权重``, ``面积的权重``), as Chinese is set.

    >>> closed_up("斜率（按 面积 的标准差）"), closed_up("按 x1 的标准差")
    ('斜率（按面积的标准差）', '按 x1 的标准差')
    """
    return _LONE_SPACE.sub("", text)


def pad(text: str, columns: int) -> str:
    """``text`` with spaces after it to fill ``columns`` (by display width)."""
    return text + " " * max(0, columns - width(text))


def _atoms(text: str) -> list[tuple[str, str]]:
    """``text`` in pieces a line may break between: (the spaces before it, the piece). A
    closing mark stays with what precedes it, an opening mark with what follows."""
    atoms: list[tuple[str, str]] = []
    spaces = ""
    for piece in _PIECES.findall(text):
        if piece.isspace():
            spaces += piece
            continue
        if atoms and not spaces and (piece[0] in NO_START or atoms[-1][1][-1] in NO_END):
            atoms[-1] = (atoms[-1][0], atoms[-1][1] + piece)
        else:
            atoms.append((spaces, piece))
        spaces = ""
    return atoms


def wrap(text: str, columns: int, initial_indent: str = "",
         subsequent_indent: str = "", keep_spaces: bool = False) -> list[str]:
    """``text`` in lines of at most ``columns`` display columns (a piece longer than a
    line gets a line of its own), breaking at spaces and between Chinese characters but
    never before a closing mark or after an opening one. The spaces between two pieces
    on a line are one space, or as written with ``keep_spaces`` (a table in monospace
    keeps its columns, a line its indent); a break takes the spaces it falls on.

    >>> wrap("  a  b", 20, keep_spaces=True), wrap("  a  b", 20)
    (['  a  b'], ['a b'])
    """
    lines: list[str] = []
    line, used, start = initial_indent, width(initial_indent), True
    for spaces, atom in _atoms(text):
        gap = (spaces if keep_spaces else " ") if spaces and (keep_spaces or not start) else ""
        size = width(atom)
        if not start and used + width(gap) + size > columns:
            lines.append(line)
            line, used, gap = subsequent_indent, width(subsequent_indent), ""
        line += gap + atom
        used += width(gap) + size
        start = False
    if not start:
        lines.append(line)
    return lines


def fill(text: str, columns: int) -> str:
    """``textwrap.fill(text, columns)``, by display width when ``text`` is Chinese."""
    if not has_wide(text):
        return textwrap.fill(text, columns)
    return "\n".join(wrap(text, columns))
