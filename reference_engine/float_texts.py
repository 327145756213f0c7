"""``str(float(x))`` of many decimal numbers at once, from their own text where it agrees.

The XML answer writes each value and premium as ``str(float(x))``, the shortest text
that reads back as the same float. For a decimal of at most 15 significant digits
(``sys.float_info.dig``) that is exactly its own digits (no two such decimals share a
float), and between 1e-4 and 1e16 it is written in fixed notation with at least one
decimal: so a text already in that form is its own answer, give or take a ".0".
Checking that for a whole column takes a few passes in C; the per-number float
conversions it replaces took most of the time of writing a large answer.
"""

from __future__ import annotations

import operator
import re
from decimal import Decimal
from itertools import repeat

# A text in the form str(float()) writes, of at most 15 significant digits (with
# the length checked apart: at most 16 characters) and of 1e-4 or more.
_FLOAT_FORM = (
    r"(?:[1-9][0-9]{0,14}+(?:\.[0-9]{0,13}+(?<=[1-9]))?+|0\.0{0,3}+[1-9][0-9]{0,13}+(?<=[1-9]))"
)
_FLOAT_FORMS = re.compile(rf"(?:{_FLOAT_FORM}\x00)*+{_FLOAT_FORM}")
_LONGEST = 16
_WITHOUT_POINT = (".0", "")  # indexed by whether the text has a decimal point


def _each(numbers: list[Decimal] | list[str]) -> list[str]:
    return list(map(str, map(float, numbers)))


def _joined(texts: list[str]) -> str | None:
    """The texts joined by NUL, or None if one holds a NUL itself (XML text never does)."""
    joined = "\x00".join(texts)
    return joined if joined.count("\x00") == len(texts) - 1 else None


def value_texts(texts: list[str]) -> list[str]:
    """``str(float(t))`` of each decimal text ``t`` (one ``Decimal`` would read)."""
    if not texts or max(map(len, texts)) > _LONGEST:
        return _each(texts)
    joined = _joined(texts)
    if joined is None or _FLOAT_FORMS.fullmatch(joined) is None:
        return _each(texts)
    points = map(operator.contains, texts, repeat("."))
    return list(map(operator.add, texts, map(_WITHOUT_POINT.__getitem__, points)))


def premium_texts(premiums: list[Decimal]) -> list[str]:
    """``str(float(p))`` of each premium (a Decimal of exactly two decimals).

    Below 10**13 (16 characters at most) a premium's text is in fixed notation with
    at most 15 significant digits: less a final zero, it is what ``str(float())``
    writes ("8004.00" is "8004.0", "0.50" is "0.5", "-0.00" is "-0.0").
    """
    texts = list(map(str, premiums))
    if not texts or max(map(len, texts)) > _LONGEST:
        return _each(premiums)
    joined = _joined(texts)
    if joined is None:
        return _each(premiums)
    return (joined + "\x00").replace("0\x00", "\x00").split("\x00")[:-1]
