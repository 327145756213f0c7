"""JSON -> XML by string building: whole runs of a repeated element written at once.

The output is byte for byte what lxml's incremental writer (``etree.xmlfile``)
writes for the same document, and that writer is kept (:func:`json_to_xml_by_lxml`) to
say, in its own words, why a document cannot be written: whatever this module
would refuse (a key that is not an XML name, a string XML cannot hold) goes back
to it, so the error is the one lxml raises at the first offending value in
document order. A list of objects sharing the same keys and holding scalars (a
schedule) is written a chunk at a time, one column per key: each column is
converted, checked and escaped in a few C-level passes and the chunk is laid out
by interleaving the columns with the tags, instead of one Python call per element.
"""

from __future__ import annotations

import io
import re
from itertools import chain, islice, repeat
from operator import itemgetter
from typing import Any

from lxml import etree

from engines import budget
from models.errors import ErrorCode, PlatformError

_XML_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
# What lxml refuses in a string (its _utf8 check): C0 controls but tab, newline and
# carriage return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_NOT_XML = re.compile(f"[{_NOT_XML_CHARS}]")
_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
_ROWS = 1000  # items of a list written (and budget-checked) at once
# Written text gathered before it is encoded (and streamed): characters of whole
# runs, or strings of elements written one by one.
_FLUSH = 1 << 20
_FLUSH_PARTS = 1 << 16
_BOOLS = {True: "true", False: "false"}
_SCALAR_TYPES = {str, int, float, bool}


class _Refused(Exception):
    """Something lxml would refuse: its writer runs again to raise its error."""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e16 else repr(value)
    return str(value)


def _name(name: str) -> str:
    if not _XML_NAME.match(name):
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED,
            f"The key {name!r} is not a valid XML element or attribute name.",
        )
    return name


def _lxml_write(xf: Any, tag: str, value: Any) -> None:
    """lxml's incremental writer, element by element: the reference for every byte."""
    if value is None:
        return
    budget.check()
    _name(tag)
    if isinstance(value, list):
        for item in value:
            _lxml_write(xf, tag, item)
        return
    if isinstance(value, dict):
        attrs = {
            _name(k[1:]): _text(v) for k, v in value.items() if k.startswith("@") and v is not None
        }
        with xf.element(tag, attrs):
            for key, child in value.items():
                if key == "#text":
                    if child is not None:
                        xf.write(_text(child))
                elif not key.startswith("@"):
                    _lxml_write(xf, key, child)
        return
    with xf.element(tag):
        xf.write(_text(value))


def json_to_xml_by_lxml(doc: Any, root: str, out: Any = None) -> bytes:
    """:func:`json_to_xml` as lxml's incremental writer writes it, element by element:
    the reference for every byte, and the one to say why a document is refused."""
    target = out if out is not None else io.BytesIO()
    try:
        with etree.xmlfile(target, encoding="utf-8") as xf:
            xf.write_declaration()
            _lxml_write(xf, root, doc if doc is not None else {})
    except ValueError as exc:  # lxml's message names the bad tag, attribute or string
        raise PlatformError(
            ErrorCode.TRANSFORM_FAILED, f"The document cannot be written as XML: {exc}."
        ) from exc
    return target.getvalue() if out is None else b""


def json_to_xml(doc: Any, root: str, out: Any = None) -> bytes:
    """The XML of ``doc`` under ``<root>``; streams into ``out`` (a binary file) if given.

    Raises:
        PlatformError: TRANSFORM_FAILED for a key that is not a valid XML name or a
            string XML cannot hold.
    """
    if isinstance(doc, list):  # several roots, or none: lxml says which
        return json_to_xml_by_lxml(doc, root, out)
    writer = _Writer(out)
    try:
        writer.element(root, doc if doc is not None else {})
        written = writer.finish()
    except PlatformError:
        raise  # the time budget is spent
    except Exception:  # a refusal, or a value whose str() fails: lxml decides
        # lxml's writer finds the first offending value in document order and raises
        # its own error (with ``out``, a refused document leaves what was streamed so
        # far, as lxml's writer did).
        explained = json_to_xml_by_lxml(doc, root)
        # Only if this module refused what lxml writes: lxml's bytes are the answer.
        if out is None:
            return explained
        out.write(explained)
        return b""
    return written


def _texts(column: list[Any], kinds: set[type]) -> list[str] | None:
    """Each value's text as :func:`_text` gives it, a whole column at a time; None
    when the column holds strings (which need checking and escaping)."""
    if kinds <= {int, float}:
        # repr is str for both; an integral float is written without its ".0".
        joined = "\x00" + "\x00".join(map(repr, column)) + "\x00"
        if float in kinds:
            joined = joined.replace(".0\x00", "\x00")
            if "\x00-0\x00" in joined:  # -0.0 is written "0"
                return list(map(_text, column))
        return joined.split("\x00")[1:-1]
    if kinds == {bool}:
        return list(map(_BOOLS.__getitem__, column))
    return None


def _checked(column: list[Any], kinds: set[type], escapes: _Escapes) -> list[str]:
    """The column's texts, escaped where needed; _Refused if one is not XML-compatible."""
    texts = _texts(column, kinds)
    if texts is not None:
        return texts  # numbers and booleans need neither
    texts = column if kinds == {str} else list(map(_text, column))
    if escapes.flagged.search("".join(texts)) is None:
        return texts
    return [escapes.one(text) for text in texts]


class _Escapes:
    """One way of escaping (text or attribute values), with lxml's refusals."""

    def __init__(self, special: str, table: dict[str, str]) -> None:
        self.special = re.compile(f"[{special}]")
        # A string needing a look: escaping, or characters lxml refuses.
        self.flagged = re.compile(f"[{special}{_NOT_XML_CHARS}]")
        self.table = str.maketrans(table)

    def one(self, text: str) -> str:
        if _NOT_XML.search(text):
            raise _Refused
        return text.translate(self.table) if self.special.search(text) else text


# libxml2's escaping: text escapes & < > and CR; attribute values also " TAB LF.
_TEXT = _Escapes("&<>\r", {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = _Escapes(
    '&<>"\r\n\t',
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\r": "&#13;",
        "\n": "&#10;",
        "\t": "&#9;",
    },
)


class _Writer:
    """Builds the XML as strings, encoded (and streamed to ``out``) a megabyte at a time."""

    def __init__(self, out: Any) -> None:
        self.streaming = out is not None
        self.out = out if out is not None else io.BytesIO()
        self.parts: list[str] = [_DECLARATION]
        self.size = 0
        self.names: set[str] = set()
        self.count = 0  # elements since the budget was last checked

    def name(self, name: str) -> str:
        if name not in self.names:
            if not _XML_NAME.match(name):
                raise _Refused
            self.names.add(name)
        return name

    def tick(self, elements: int) -> None:
        self.count += elements
        if self.count >= _ROWS:
            self.count = 0
            budget.check()

    def flush(self) -> None:
        try:
            data = "".join(self.parts).encode()
        except UnicodeEncodeError:
            raise _Refused from None
        self.parts = []
        self.size = 0
        self.out.write(data)

    def finish(self) -> bytes:
        self.flush()
        return b"" if self.streaming else self.out.getvalue()  # no copy: its own buffer

    def element(self, tag: str, value: Any) -> None:
        """Writes ``value`` as ``<tag>`` (as many as it has items, if a list)."""
        if value is None:
            return
        self.tick(1)
        self.name(tag)
        if isinstance(value, list):
            self.items(tag, value)
        elif isinstance(value, dict):
            self.object(tag, value)
        else:
            text = _TEXT.one(_text(value))
            self.parts += ("<", tag, ">", text, "</", tag, ">")
        if len(self.parts) >= _FLUSH_PARTS:
            self.flush()

    def object(self, tag: str, value: dict[str, Any]) -> None:
        parts = self.parts
        parts += ("<", tag)
        for key, child in value.items():
            if key.startswith("@"):
                if child is None:
                    continue
                text = _ATTRIBUTE.one(_text(child))
                parts += (" ", self.name(key[1:]), '="', text, '"')
        parts.append(">")
        for key, child in value.items():
            if key == "#text":
                if child is not None:
                    parts.append(_TEXT.one(_text(child)))
            elif not key.startswith("@"):
                self.element(key, child)
                parts = self.parts  # a flush starts a new list
        parts += ("</", tag, ">")

    def items(self, tag: str, items: list[Any]) -> None:
        for start in range(0, len(items), _ROWS):
            rows = items[start : start + _ROWS]
            self.tick(len(rows))
            written = self.rows(tag, rows)
            if written is None:
                for item in rows:
                    self.element(tag, item)
            else:
                self.parts.append(written)
                self.size += len(written)
                if self.size >= _FLUSH or len(self.parts) >= _FLUSH_PARTS:
                    self.flush()

    def rows(self, tag: str, rows: list[Any]) -> str | None:
        """``rows`` written at once when they share one shape, else None."""
        kinds = set(map(type, rows))
        if kinds == {dict}:
            keys = tuple(rows[0])
            if list(map(tuple, rows)).count(keys) != len(rows):
                return None
            return self.objects(tag, keys, rows)
        if kinds <= _SCALAR_TYPES:
            texts = _checked(rows, kinds, _TEXT)
            return _interleave([f"<{tag}>", f"</{tag}>"], [texts], len(rows))
        return None

    def objects(self, tag: str, keys: tuple[str, ...], rows: list[Any]) -> str | None:
        """Objects with the same ``keys``, each holding scalars only: one layout for all."""
        columns = [list(map(itemgetter(key), rows)) for key in keys]
        kinds = [set(map(type, column)) for column in columns]
        if not all(k <= _SCALAR_TYPES for k in kinds):
            return None  # nulls (left out) or nested values: element by element
        pieces: list[str] = []
        texts: list[list[str]] = []
        before = f"<{tag}"
        for key, column, kind in zip(keys, columns, kinds, strict=True):
            if key.startswith("@"):
                pieces.append(f'{before} {self.name(key[1:])}="')
                texts.append(_checked(column, kind, _ATTRIBUTE))
                before = '"'
        before += ">"
        for key, column, kind in zip(keys, columns, kinds, strict=True):
            if key == "#text":
                pieces.append(before)
                before = ""
            elif not key.startswith("@"):
                pieces.append(f"{before}<{self.name(key)}>")
                before = f"</{key}>"
            else:
                continue
            texts.append(_checked(column, kind, _TEXT))
        pieces.append(f"{before}</{tag}>")
        return _interleave(pieces, texts, len(rows))


def _interleave(pieces: list[str], texts: list[list[str]], rows: int) -> str:
    """pieces[0] texts[0][r] pieces[1] ... pieces[-1], for each of ``rows`` rows, as one
    string (counted: objects without keys have no column to end the rows)."""
    columns: list[Any] = [repeat(pieces[0])]
    for piece, column in zip(pieces[1:], texts, strict=True):
        columns += (column, repeat(piece))
    return "".join(chain.from_iterable(islice(zip(*columns, strict=False), rows)))
