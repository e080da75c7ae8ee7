"""``--help`` laid out for the language it is in.

Click measures text in characters and wraps it at spaces; a Chinese line has no spaces
and each character takes two columns, so its help ran past 80 columns and broke before
、 or ）. Text with a wide character is wrapped here by display width, with the
Chinese line-breaking rule (``gdviz.words.widths``); text without one is left to
Click, so English help is Click's own. A heading's colon and the usage prefix follow
the catalogue (``选项：``, ``用法：gdviz``).
"""
from __future__ import annotations

import re

import click
from click.formatting import iter_rows

from ..words.i18n import _
from ..words.widths import has_wide, pad, width, wrap


#: Click's note after an option's help: ``  [default: memory; required]``.
_EXTRA = re.compile(r"(?:^|\s+)\[([^\[\]]+)\]$")


def _extra_in_brackets(help_text: str) -> str:
    """Click's ``  [默认：memory]`` after Chinese help as Chinese writes it: ``（默认：memory）``."""
    if not has_wide(help_text):
        return help_text
    return _EXTRA.sub(lambda found: "（" + found.group(1).replace("; ", "；") + "）", help_text)


def _wrapped(text: str, columns: int, indent: str = "") -> str:
    """Like ``click.wrap_text(..., preserve_paragraphs=True)``, by display width when
    ``text`` holds a wide character."""
    if not has_wide(text):
        return click.wrap_text(text, columns, initial_indent=indent,
                               subsequent_indent=indent, preserve_paragraphs=True)
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]
    return "\n\n".join("\n".join(wrap(part, columns, indent, indent))
                       for part in paragraphs)


class HelpFormatter(click.HelpFormatter):
    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}" +
                   _("{heading}:").format(heading=heading) + "\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            usage = _("Usage:")
            prefix = usage if usage.endswith("：") else usage + " "
        if not has_wide(prefix):
            return super().write_usage(prog, args, prefix)
        first = f"{'':>{self.current_indent}}{prefix}{prog}"
        lines = wrap(args, self.width - self.current_indent, first + " ",
                     " " * width(first + " ")) if args else [first]
        self.write("\n".join(lines) + "\n")

    def write_text(self, text: str) -> None:
        self.write(_wrapped(text, self.width, " " * self.current_indent) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not any(has_wide(first + second) for first, second in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max(width(first) for first, _second in rows), col_max) + col_spacing
        indent = " " * (first_col + self.current_indent)
        for first, second in iter_rows(rows, 2):
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(pad("", first_col - width(first)))
            else:
                self.write("\n" + indent)
            lines = _wrapped(_extra_in_brackets(second),
                             max(self.width - first_col - 2, 10)).splitlines()
            self.write("\n".join([lines[0]] + [indent + line if line else line
                                               for line in lines[1:]]) + "\n")


class Context(click.Context):
    formatter_class = HelpFormatter


class Command(click.Command):
    context_class = Context

    def get_short_help_str(self, limit: int = 45) -> str:
        """In the group's list: a Chinese help's first sentence (Click cuts at a word,
        which a Chinese sentence does not have, and adds "...")."""
        text = self.short_help or self.help or ""
        first = text.split("。")[0] + "。"
        if has_wide(text) and "。" in text and width(first) <= 2 * limit:
            return first
        return super().get_short_help_str(limit)
