"""The fast reader of XML rating requests: the platform's layout, read by regular expression.

A request laid out as the platform writes it (``json_to_xml``: head fields of plain
text, ``<Exposure id="...">`` with ClassCode, Value and optional YearBuilt children,
factors as ``<name>`` or ``<Factor name="...">``, whitespace between elements) has
no comment, CDATA section, reference, namespace, DTD or other attribute, so each
value is exactly the text between its tags, and a regex reads a whole run of
exposures in one call, in C.

The expressions accept only well-formed XML 1.0 in UTF-8: names of ASCII letters,
characters that XML allows, no ``]]>`` in text, matching end tags, nothing but
whitespace after the root. So what they accept needs no parser; at the first thing
they do not accept (anything else, malformed or not), this reader stops and hands
the rest of the body to lxml (``xml_reader``), behind start tags that reopen the
elements open there, on the lines and columns where they stood, so that lxml reads
the rest as it would have in place and reports errors where they are.
"""

from __future__ import annotations

import codecs
import operator
import re
from dataclasses import dataclass

from reference_engine.request import NUMBER

# Characters XML 1.0 does not allow (surrogates also stand for bytes that are not
# UTF-8: they are decoded with "surrogateescape").
_NOT_XML = r"\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
# Possessive quantifiers throughout: nothing here needs backtracking, and it is slow.
_S = r"[ \t\r\n]*+"
# Whitespace that ``str.strip`` strips around a text (``\s``), among allowed characters.
_PAD = r"[^\S\x0b\x0c\x1c-\x1f]*+"
_NAME = r"[A-Za-z_][A-Za-z0-9_.-]{0,200}+"
# Attribute values without references or whitespace that the parser would normalise.
_ATTRIBUTE = rf'"([^"<&\t\n\r{_NOT_XML}]*+)"'
# Text without references, carriage returns (the parser normalises them) or "]]>".
_TEXT = rf"((?:[^<&\r\]{_NOT_XML}]++|\](?!\]>))*+)"
_DECLARATION = (
    r"<\?xml version=([\"'])1\.0\1(?: encoding=([\"'])(?i:utf-8)\2)?"
    r"(?: standalone=([\"'])(?:yes|no)\3)?[ \t\r\n]*\?>"
)
_START = re.compile(rf"\ufeff?(?:{_DECLARATION})?{_S}(<RatingRequest>)")
_ROOT_ITEM = re.compile(
    rf"{_S}(?:(<Exposures>)|(<Factors>)|<({_NAME})>{_TEXT}</\3>|<({_NAME})/>|(</RatingRequest>))"
)
_FACTOR_ITEM = re.compile(
    rf"{_S}(?:<Factor name={_ATTRIBUTE}>{_TEXT}</Factor>|<Factor name={_ATTRIBUTE}/>"
    rf"|<({_NAME})>{_TEXT}</\4>|<({_NAME})/>|(</Factors>))"
)


def _exposure(space: str, padding: str) -> re.Pattern[str]:
    """One exposure (its texts stripped), or, in the last group, the character where
    the layout is not this one; ``space`` between elements, ``padding`` inside texts."""
    return re.compile(
        rf"{space}<Exposure id={_ATTRIBUTE}>{space}"
        rf"<ClassCode>{padding}([^<&\s\]{_NOT_XML}]*+){padding}</ClassCode>{space}"
        rf"<Value>{padding}({NUMBER}){padding}</Value>{space}"
        rf"(?:<YearBuilt>{padding}[0-9]{{1,18}}+{padding}</YearBuilt>{space})?+"
        r"</Exposure>"
        r"|([\s\S])"
    )


# The platform's own layout, without whitespace, is a little faster to read; where a
# run of exposures is not in it, the same run is read again allowing whitespace
# between elements and around texts.
_EXPOSURE_RUNS = (_exposure("", ""), _exposure(_S, _PAD))
_ID, _CLASS, _VALUE, _STRAY = map(operator.itemgetter, range(4))
_END_EXPOSURE = "</Exposure>"
_END_EXPOSURES = "</Exposures>"
_ROOT, _EXPOSURES, _FACTORS = "<RatingRequest>", "<Exposures>", "<Factors>"
# Enough for the declaration and the root's start tag.
_START_LENGTH = 512
# The longest run of blanks put in front of lxml's part of the body.
_RUN = 1 << 20
# Text waiting for the rest of an element; an element longer than this is read by
# lxml instead.
_MAX_PENDING = 1 << 16


def _gap(width: int, blank: str, breaker: str) -> str:
    """``width`` blanks, in runs short of libxml2's limit on a text's size (10 MB),
    each of the first ones closed by ``breaker`` (an instruction, as wide as a run, or
    ending the line before a run of newlines), which starts a new text."""
    runs, rest = divmod(width, _RUN)
    if blank == " ":  # the breaker is as wide as a run
        return breaker * runs + blank * rest
    if not rest:
        runs, rest = runs - 1, _RUN
    return (blank * _RUN + breaker) * runs + blank * rest


@dataclass(slots=True)
class Handover:
    """The rest of the body for lxml: ``prefix`` (the elements open where this reader
    stopped, each on its line and column), then ``rest`` (the body from there on)."""

    prefix: bytes
    rest: bytes
    at_start: bool  # nothing read yet: the prefix is empty, the root not yet seen


class CanonicalReader:
    """Reads a request chunk by chunk while it keeps to the platform's layout."""

    def __init__(self) -> None:
        # Bytes that are not UTF-8 become lone surrogates, which no expression here
        # accepts, and turn back into the same bytes for lxml (which refuses them).
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self._text = ""
        self._pos = 0
        # Where the text starts in the body (in characters), the line it starts on,
        # and where that line starts: to place a handover.
        self._offset = 0
        self._line = 1
        self._line_start = 0
        self._opened: list[tuple[str, int, int]] = []  # start tag, line, column
        self._ended = False  # the root is closed: what follows is only whitespace
        self._done = False
        self.fields: dict[str, str] = {}
        self.factors: dict[str | None, str] = {}
        # Typed as lxml's columns, which are appended to them.
        self.ids: list[str | None] = []
        self.classes: list[str | None] = []
        self.values: list[str | None] = []

    def feed(self, chunk: bytes, final: bool = False) -> Handover | None:
        """Reads ``chunk``; a :class:`Handover` once the body leaves the layout."""
        if self._done:
            return None
        text, pos = self._text, self._pos
        if pos:
            lines = text.count("\n", 0, pos)
            if lines:
                self._line += lines
                self._line_start = self._offset + text.rfind("\n", 0, pos) + 1
            self._offset += pos
        self._text = text[pos:] + self._decoder.decode(chunk, final)
        self._pos = 0
        return self._read(final)

    def _position(self, index: int) -> tuple[int, int]:
        """The line and column (from 1) of the text's character ``index``."""
        lines = self._text.count("\n", 0, index)
        if lines:
            return self._line + lines, index - self._text.rfind("\n", 0, index)
        return self._line, self._offset + index - self._line_start + 1

    def _open(self, tag: str, index: int) -> None:
        self._opened.append((tag, *self._position(index)))

    def _handover(self) -> Handover:
        """The rest of the body, behind the open start tags in their places."""
        pending, _ = self._decoder.getstate()
        rest = self._text[self._pos :].encode("utf-8", "surrogateescape") + pending
        places = list(self._opened)
        if self._ended:  # an empty root stands for the whole one
            places = [("<RatingRequest/>", *places[0][1:])]
        prefix, line, column = [], 1, 1
        for tag, to_line, to_column in [*places, ("", *self._position(self._pos))]:
            if to_line > line:
                prefix.append(_gap(to_line - line, "\n", "<?l?>"))
                line, column = to_line, 1
            if to_column > column:
                prefix.append(_gap(to_column - column, " ", f"<?c{' ' * (_RUN - 5)}?>"))
            prefix.append(tag)
            column = max(column, to_column) + len(tag)
        self._done, self._text = True, ""
        return Handover("".join(prefix).encode(), rest, not self._opened)

    def _wait(self, final: bool) -> Handover | None:
        """None to wait for more of the body, or the handover if the wait is over."""
        if final or len(self._text) - self._pos > _MAX_PENDING:
            return self._handover()
        return None

    def _read(self, final: bool) -> Handover | None:
        text = self._text
        while True:
            if self._ended:
                if text[self._pos :].strip(" \t\r\n"):
                    return self._handover()
                self._pos = len(text)
                return None
            if not self._opened:
                if len(text) < _START_LENGTH and not final:
                    return None
                start = _START.match(text)
                if start is None:
                    return self._handover()
                if text.startswith("\ufeff"):  # lxml does not count it as a column
                    self._line_start = 1
                self._open(_ROOT, start.start(4))
                self._pos = start.end()
            elif len(self._opened) == 1:
                if (item := _ROOT_ITEM.match(text, self._pos)) is None:
                    return self._wait(final)
                self._pos = item.end()
                exposures, factors, tag, value, empty, end = item.groups()
                if exposures:
                    self._open(_EXPOSURES, item.start(1))
                elif factors:
                    self._open(_FACTORS, item.start(2))
                elif end:
                    self._ended = True
                else:
                    self.fields.setdefault(tag or empty, (value or "").strip())
            elif self._opened[1][0] == _FACTORS:
                if (item := _FACTOR_ITEM.match(text, self._pos)) is None:
                    return self._wait(final)
                self._pos = item.end()
                name, value, empty_name, tag, tag_value, empty_tag, end = item.groups()
                if end:
                    self._opened.pop()
                elif tag or empty_tag:
                    name = tag or empty_tag
                    # A <Factor> without a name attribute names no factor (None).
                    self.factors[None if name == "Factor" else name] = (tag_value or "").strip()
                else:
                    self.factors[name if name is not None else empty_name] = (value or "").strip()
            else:
                read = self._read_exposures(text)
                if read is None:
                    return self._wait(final)
                if not read:
                    return self._handover()

    def _read_exposures(self, text: str) -> bool | None:
        """Reads the exposures up to the last one complete: True once ``</Exposures>``
        is read, None to wait for more of the body, False where the layout ends."""
        pos = self._pos
        close = text.find(_END_EXPOSURES, pos)
        if close >= 0:
            end = close
            while end > pos and text[end - 1] in " \t\r\n":
                end -= 1
        else:
            end = text.rfind(_END_EXPOSURE, pos)
            if end < 0:
                return None
            end += len(_END_EXPOSURE)
        if end > pos:
            # A laid-out run (with newlines) would fail the compact pattern char by char.
            patterns = _EXPOSURE_RUNS[1:] if text.find("\n", pos, end) >= 0 else _EXPOSURE_RUNS
            for pattern in patterns:
                found = pattern.findall(text, pos, end)
                if not any(map(_STRAY, found)):
                    break
            else:
                return False
            self.ids += map(_ID, found)
            self.classes += map(_CLASS, found)
            self.values += map(_VALUE, found)
        if close < 0:
            self._pos = end
            return None
        self._pos = close + len(_END_EXPOSURES)
        self._opened.pop()
        return True
