"""Reading plain XML without a tree: a tokenizer, and repeated elements matched whole.

Only for a document lxml's parser is sure to accept (``surely_accepted``) and
that is plain: UTF-8, no DOCTYPE, comment, CDATA section or processing
instruction, no namespace. Such a document is tags, attributes and text only, so
a regular expression tokenizes it exactly, and values are read as libxml2 reads
them: line ends normalised, entity and character references replaced, tabs and
newlines in attribute values made spaces; an element's text is the text before
its first child. When an element repeats under one parent (a schedule), the
previous one becomes a template: one regular expression for the whole element, a
group per value. The following ones are matched back to back in C and their
values typed a column at a time, so a schedule costs a few C-level passes per
thousand items instead of a few Python calls per element. What this module does
not read as the reference reader would (a namespace, a limit passed, a value its
type refuses) ends the scan: :func:`scan` says so and the reference reader reads
the document, and says why it refuses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import islice, repeat
from typing import Any

from engines import budget
from engines.xml_read import (
    MAX_ATTRIBUTES,
    MAX_DEPTH,
    add_child,
    prolog_end,
    typed,
    typed_column,
)
from models.errors import PlatformError

_WINDOW = 1 << 20  # bytes decoded and tokenized at once (cut before a "<")
_TEMPLATES = 256  # templates learnt per document: an irregular one stops learning
# Elements of a run read at once: few enough that their matches die young, never
# promoted to an older generation the garbage collector then scans again and again.
_RUN = 100
_BATCH = 1000  # elements read one by one between two looks at the time budget

_TAG = r"<([^\s/>]+)((?:[^>\"'/]|\"[^\"]*\"|'[^']*')*)(/?)>"  # name, attributes, "/"
_END_TAG = r"</([^\s>]+)\s*>"
# Tokens of a document: a whole leaf (the commonest element, read in one step), a
# start tag, an end tag, text. The groups that end each kind of token:
_TOKEN = re.compile(r"<([^\s/>]+)>([^<]*)</\1\s*>|" + _TAG + "|" + _END_TAG + r"|([^<]+)")
_LEAF, _START, _END, _TEXT = 2, 5, 6, 7
# The same without leaves, to learn a template from: tags and text only.
_PIECE = re.compile(_TAG + "|" + _END_TAG + r"|([^<]+)")
_PIECE_START, _PIECE_END, _PIECE_TEXT = 3, 4, 5
_ATTRIBUTE = re.compile(r"""([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(r"&(?:#x([0-9a-fA-F]+);|#([0-9]+);|(lt|gt|amp|quot|apos);)")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_SPACES = str.maketrans("\t\n", "  ")  # CR is gone: line ends are normalised first


class _NotRead(Exception):
    """The document is left to the reference reader."""


def _character(match: re.Match[str]) -> str:
    hexadecimal, decimal, name = match.groups()
    if name:
        return _NAMED[name]
    return chr(int(hexadecimal, 16) if hexadecimal else int(decimal))


def _text(raw: str) -> str:
    return _REFERENCE.sub(_character, raw) if "&" in raw else raw


def _attribute(raw: str) -> str:
    if "\t" in raw or "\n" in raw:
        raw = raw.translate(_SPACES)
    return _text(raw)


def _attributes(column: tuple[str, ...]) -> list[str]:
    joined = "".join(column)
    if "&" in joined or "\t" in joined or "\n" in joined:
        return list(map(_attribute, column))
    return list(column)


def _stripped(column: tuple[str, ...]) -> list[str]:
    if "&" in "".join(column):
        return [_text(text).strip() for text in column]
    return list(map(str.strip, column))


class _Element:
    """An element being read (the reference reader's ``_Open``, with what templates need)."""

    __slots__ = (
        "attributes",
        "children",
        "last",
        "leaves",
        "sealed",
        "start",
        "tag",
        "templates",
        "text",
        "value",
        "window",
    )

    def __init__(self, tag: str, value: dict[str, Any], start: int, window: int) -> None:
        self.tag = tag
        self.value = value
        self.attributes = bool(value)
        self.children = False
        self.text: str | None = None
        self.sealed = False  # a child has started: any later text is a tail
        self.leaves = True  # every child so far had neither children nor attributes
        self.start = start
        self.window = window
        # The last child closed, as (tag, start, end, window) while it may be a template.
        self.last: tuple[str, int, int, int] | None = None
        self.templates: dict[str, _Template | None] = {}


class _Template:
    """A repeated element's shape: a regular expression with a group per value."""

    __slots__ = ("attributes", "children", "fields", "regex", "tag", "text")

    def __init__(self, tag: str, regex: re.Pattern[str], fields: list[tuple[str, str]]) -> None:
        self.tag = tag
        self.regex = regex
        # One (kind, key) per value, in document order: ("@", "@name") an attribute,
        # ("#", tag) the element's own text, (">", child) a child's text, ("/", child) a
        # child written empty (no group).
        self.fields = fields
        self.attributes = [key for kind, key in fields if kind == "@"]
        self.children = any(kind in (">", "/") for kind, _ in fields)
        self.text = any(kind == "#" for kind, _ in fields)


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _learn(raw: str) -> _Template | None:
    """The template of ``raw`` (one element and its leaf children), or None."""
    tokens = list(_PIECE.finditer(raw))
    tag, attributes, empty = tokens[0].group(1, 2, 3)
    parts = ["<", re.escape(tag)]
    fields: list[tuple[str, str]] = []
    at = 0
    for attribute in _ATTRIBUTE.finditer(attributes):
        group = 2 if attribute.group(2) is not None else 3
        start, end = attribute.span(group)
        parts += (re.escape(attributes[at:start]), f"([^<{attributes[start - 1]}]*)")
        fields.append(("@", "@" + attribute.group(1)))
        at = end
    parts.append(re.escape(attributes[at:] + empty + ">"))
    rest, i = tokens[1:], 0
    if not empty:
        text = ""
        if rest[i].lastindex == _PIECE_TEXT:
            text = rest[i].group()
            i += 1
        if rest[i].lastindex == _PIECE_END:  # no children: its own text
            parts.append("([^<]*)")
            fields.append(("#", tag))
        elif text and not text.isspace():
            return None  # text and children: left to the tokenizer
        else:
            parts.append(r"\s*")
        while rest[i].lastindex == _PIECE_START:
            child, child_attributes, child_empty = rest[i].group(1, 2, 3)
            if child_attributes and not child_attributes.isspace():
                return None
            parts.append(re.escape(rest[i].group()))
            i += 1
            if child_empty:
                fields.append(("/", child))
            else:
                if rest[i].lastindex == _PIECE_TEXT:
                    i += 1
                if rest[i].lastindex != _PIECE_END:
                    return None  # a grandchild
                parts += ("([^<]*)", re.escape(rest[i].group()))
                fields.append((">", child))
                i += 1
            if i < len(rest) and rest[i].lastindex == _PIECE_TEXT:
                i += 1
            parts.append("[^<]*")  # a tail: never read
        parts.append(re.escape(rest[i].group()))
    parts.append("[^<]*")  # the element's own tail
    return _Template(tag, _compiled("".join(parts)), fields)


@lru_cache(maxsize=64)
def _objects(count: int) -> Callable[..., list[dict[str, Any]]]:
    """A function building objects of ``count`` keys from a column per key: a dict
    display in a comprehension, twice as fast as dict(zip(keys, row)). Its source
    names only its own parameters, never a key read from a document."""
    keys = ", ".join(f"k{i}" for i in range(count))
    columns = ", ".join(f"c{i}" for i in range(count))
    pairs = ", ".join(f"k{i}: v{i}" for i in range(count))
    row = ", ".join(f"v{i}" for i in range(count)) + ("," if count == 1 else "")
    source = (
        f"def objects({keys}, {columns}):\n"
        f"    return [{{{pairs}}} for {row} in zip({columns}, strict=True)]\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, namespace)  # generated from the count only: no document text
    built: Callable[..., list[dict[str, Any]]] = namespace["objects"]
    return built


class _Scanner:
    """Reads a plain document window by window, element by element or a run at a time."""

    def __init__(self, force_list: set[str], numbers: set[str], booleans: set[str]) -> None:
        self.force_list = force_list
        self.numbers = numbers
        self.booleans = booleans
        self.stack: list[_Element] = []
        self.result: Any = None
        self.closed = False
        self.window = ""
        self.windows = 0
        self.learnt = 0
        self.count = 0  # elements read one by one since the budget was last checked

    def read(self, data: bytes, start: int) -> Any:
        while start < len(data):
            budget.check()
            cut = data.find(b"<", start + _WINDOW) if start + _WINDOW < len(data) else -1
            cut = len(data) if cut < 0 else cut
            window = data[start:cut].decode()
            if "\r" in window:
                window = window.replace("\r\n", "\n").replace("\r", "\n")
            self.window = window
            self.windows += 1
            self.tokens(window)
            start = cut
        if not self.closed:
            raise _NotRead
        return self.result

    def tokens(self, window: str) -> None:
        match = _TOKEN.match
        stack = self.stack
        at = 0
        while at < len(window):
            token = match(window, at)
            if token is None:
                raise _NotRead
            kind = token.lastindex
            if kind == _TEXT:
                if stack and not stack[-1].sealed:
                    stack[-1].text = token.group(_TEXT)
                at = token.end()
                continue
            if kind == _END:
                if not stack or stack[-1].tag != token.group(_END):
                    raise _NotRead  # only in a document lxml refuses
                at = token.end()
                self.close(stack.pop(), at)
                continue
            tag = token.group(1 if kind == _LEAF else 3)
            if ":" in tag or len(stack) >= MAX_DEPTH or self.closed:
                raise _NotRead
            self.count += 1
            if self.count >= _BATCH:
                self.count = 0
                budget.check()
            start = token.start()
            if stack:
                parent = stack[-1]
                parent.sealed = True
                last = parent.last
                if tag in parent.templates or (last is not None and last[0] == tag):
                    run = self.run(parent, tag, start)
                    if run:
                        at = run
                        continue
            at = token.end()
            if kind == _LEAF:
                self.leaf(tag, token.group(2), start, at)
                continue
            attributes = token.group(4)
            value = self.attributes(attributes) if attributes else {}
            element = _Element(tag, value, start, self.windows)
            if token.group(5):
                self.close(element, at)
            else:
                stack.append(element)

    def leaf(self, tag: str, raw: str, start: int, end: int) -> None:
        """An element with text only: its value, read into its parent."""
        text = _text(raw).strip() if raw else ""
        value = self.typed(tag, text) if tag in self.numbers or tag in self.booleans else text
        if not self.stack:
            self.result, self.closed = value, True
            return
        parent = self.stack[-1]
        self.add(parent, tag, value)
        parent.last = (tag, start, end, self.windows)

    def attributes(self, raw: str) -> dict[str, Any]:
        pairs = _ATTRIBUTE.findall(raw)
        if len(pairs) > MAX_ATTRIBUTES:
            raise _NotRead
        value = {}
        for name, double, single in pairs:
            if ":" in name or name == "xmlns":
                raise _NotRead
            key = "@" + name
            value[key] = self.typed(key, _attribute(double or single))
        return value

    def typed(self, tag: str, text: str) -> Any:
        try:
            return typed(tag, text, self.numbers, self.booleans)
        except PlatformError:
            raise _NotRead from None

    def close(self, element: _Element, end: int) -> None:
        text = _text(element.text).strip() if element.text else ""
        if not element.children and not element.attributes:
            tag = element.tag
            value = self.typed(tag, text) if tag in self.numbers or tag in self.booleans else text
        else:
            value = element.value
            if text:
                value["#text"] = self.typed(element.tag, text)
        if not self.stack:
            self.result, self.closed = value, True
            return
        parent = self.stack[-1]
        self.add(parent, element.tag, value)
        if element.children or element.attributes:
            parent.leaves = False
        fits = element.leaves and element.window == self.windows
        parent.last = (element.tag, element.start, end, element.window) if fits else None

    def add(self, parent: _Element, tag: str, value: Any) -> None:
        parent.children = True
        add_child(parent.value, tag, value, self.force_list)

    def run(self, parent: _Element, tag: str, at: int) -> int:
        """Where the run of ``tag`` elements starting at ``at`` ends, read; 0 if none is."""
        template = parent.templates.get(tag)
        last = parent.last
        if template is None and (last is None or last[0] != tag):
            return 0  # not repeated (yet)
        if len(self.stack) + 1 >= MAX_DEPTH:
            return 0
        matches = self.matches(template, at)
        batch = list(islice(matches, _RUN))
        if not batch and last is not None and last[0] == tag and last[3] == self.windows:
            if self.learnt >= _TEMPLATES:
                return 0
            self.learnt += 1
            template = parent.templates[tag] = _learn(self.window[last[1] : last[2]])
            matches = self.matches(template, at)
            batch = list(islice(matches, _RUN))
        if not batch or template is None:
            return 0
        end = 0
        while batch:
            self.extend(parent, tag, self.values(template, batch))
            end = batch[-1].end()
            batch = list(islice(matches, _RUN))
        if template.children or template.attributes:
            parent.leaves = False
        parent.last = None
        return end

    def extend(self, parent: _Element, tag: str, values: list[Any]) -> None:
        """Elements read into their parent at once, as :meth:`add` would one by one."""
        if len(values) == 1:
            self.add(parent, tag, values[0])
            return
        parent.children = True
        out = parent.value
        if tag not in out:
            out[tag] = values
        elif isinstance(out[tag], list):
            out[tag].extend(values)
        else:
            out[tag] = [out[tag], *values]

    def matches(self, template: _Template | None, at: int) -> Iterator[re.Match[str]]:
        """The elements ``template`` matches back to back from ``at``, matched in C."""
        if template is None:
            return iter(())
        # A scanner's match() goes on where its last match ended (what re.Scanner uses).
        scanner = template.regex.scanner(self.window, at)  # type: ignore[attr-defined]
        found: Iterator[re.Match[str]] = iter(scanner.match, None)
        return found

    def values(self, template: _Template, matches: list[re.Match[str]]) -> list[Any]:
        """The values of a run of elements matched by ``template``, a column at a time."""
        count = len(matches)
        keys: list[str] = []
        columns: list[Any] = []
        children: dict[str, list[Any]] = {}
        text: list[str] = []
        groups = zip(*map(re.Match.groups, matches), strict=True)
        for kind, key in template.fields:
            if kind == "/":
                children.setdefault(key, []).append(repeat(self.typed(key, ""), count))
                continue
            column = next(groups)
            if kind == "@":
                keys.append(key)
                columns.append(self.column(key, _attributes(column)))
            elif kind == ">":
                children.setdefault(key, []).append(self.column(key, _stripped(column)))
            else:
                text = _stripped(column)
        if not template.attributes and not template.children:
            return (
                self.column(template.tag, text)
                if template.text
                else [self.typed(template.tag, "")] * count
            )
        for key, found in children.items():
            keys.append(key)
            if len(found) == 1 and key not in self.force_list:
                columns.append(found[0])
            else:
                columns.append(list(map(list, zip(*found, strict=True))))
        if template.text and any(text):
            if not all(text):  # some with text, some without
                return [
                    self.with_text(template.tag, keys, row, t)
                    for *row, t in zip(*columns, text, strict=True)
                ]
            keys.append("#text")
            columns.append(self.column(template.tag, text))
        return _objects(len(keys))(*keys, *columns)

    def with_text(self, tag: str, keys: list[str], row: list[Any], text: str) -> dict[str, Any]:
        value = dict(zip(keys, row, strict=True))
        if text:
            value["#text"] = self.typed(tag, text)
        return value

    def column(self, tag: str, texts: list[str]) -> list[Any]:
        try:
            return typed_column(tag, texts, self.numbers, self.booleans)
        except PlatformError:
            raise _NotRead from None


def scan(
    data: bytes, force_list: set[str], numbers: set[str], booleans: set[str]
) -> tuple[bool, Any]:
    """(True, the JSON of ``data``) as the reference reader reads it, or (False, None)
    when that reader should read it. ``data`` must be surely accepted by lxml."""
    start = prolog_end(data)
    if start is None:
        return False, None
    try:
        return True, _Scanner(force_list, numbers, booleans).read(data, start)
    except (_NotRead, UnicodeDecodeError):
        return False, None
