"""How numbers are written in sentences: a few significant digits, whole numbers up to
ten million in full (227104, not 2.271e+05), a true minus sign for negatives."""
from __future__ import annotations


def number(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits.

    >>> number(227069.4, 4), number(0.0474213), number(3e-9)
    ('227069', '0.0474', '3e-09')
    """
    if 10**digits <= abs(value) < 1e7:
        return f"{value:.0f}"
    return f"{value:.{digits}g}"


def signed(value: float, digits: int = 2) -> str:
    """``value`` with its sign always written: ``+0.21``, ``−0.69``."""
    return f"{value:+.{digits}g}".replace("-", "−")


def percent(share: float) -> str:
    """A share as a whole percentage, never a misleading 0% or 100% for a share between.

    >>> percent(0.712), percent(0.0031), percent(0.9996), percent(0.0), percent(1.0)
    ('71%', '<1%', '>99%', '0%', '100%')
    """
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share:.0%}"


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def powers(text: str) -> str:
    """Powers written as a reader writes them: ``x^3`` becomes ``x³``.

    >>> powers("x^3"), powers("area^12"), powers("x")
    ('x³', 'area¹²', 'x')
    """
    head, caret, power = text.partition("^")
    return head + power.translate(_SUPERSCRIPTS) if caret and power.isdigit() else text


def scientific(value: float) -> str:
    """A large count as a reader writes it: ``2×10⁸`` (``2.5×10⁸``), not ``2e+08``; a
    count under ten thousand in full.

    >>> scientific(2e8), scientific(2.5e8), scientific(5000)
    ('2×10⁸', '2.5×10⁸', '5000')
    """
    if abs(value) < 1e4:
        return f"{value:g}"
    mantissa, _e, exponent = f"{value:.3g}".partition("e")
    return f"{mantissa}×10" + str(int(exponent)).translate(_SUPERSCRIPTS).replace("-", "⁻")
