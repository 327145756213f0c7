"""Paths into a working document: ``policy.insured.name``, ``lines[0].premium``.

Split once (``split_path``), then read (``get_parts``), build (``set_parts``,
mutating a new document) or change (``with_parts``, copying only the containers
on the path, so a large document is never copied whole).
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from engines import budget
from models.errors import ErrorCode, PlatformError

Parts = tuple[str | int, ...]
MISSING: Any = object()
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


# A path written into a document may not create arrays longer than this: a target
# like ``x[10000000]`` would turn a tiny request into a huge answer.
MAX_ARRAY_INDEX = 10_000


class PathError(ValueError):
    """A path runs through a value that is neither an object nor an array, or past
    :data:`MAX_ARRAY_INDEX`."""


def index_too_large(path: str | None) -> int | None:
    """The first array index of ``path`` past :data:`MAX_ARRAY_INDEX`, if it has one."""
    return next((p for p in split_path(path) if isinstance(p, int) and p > MAX_ARRAY_INDEX), None)


def _room(index: int) -> None:
    if index > MAX_ARRAY_INDEX:
        raise PathError(f"index [{index}] is past the largest allowed, [{MAX_ARRAY_INDEX}]")


# An enclosing item (a rule per item) or element (a mapping's items), read by a path.
PARENT = "$parent"


def climbs(parts: Parts) -> int:
    """How many ``$parent`` steps a path begins with."""
    climbed = 0
    while climbed < len(parts) and parts[climbed] == PARENT:
        climbed += 1
    return climbed


def format_path(parts: Parts) -> str:
    """``("states", 2, "classes")`` -> ``states[2].classes``: :func:`split_path` undone."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def split_path(path: str | None) -> Parts:
    """``a.b[2].c`` -> ``("a", "b", 2, "c")``; None or "" is the whole document."""
    if not path:
        return ()
    return tuple(int(i) if i else k for k, i in _PART.findall(path))


def get_parts(doc: Any, parts: Parts) -> Any:
    """The value at ``parts``, or ``MISSING``."""
    value = doc
    for part in parts:
        if isinstance(part, int):
            if not isinstance(value, list) or part >= len(value):
                return MISSING
            value = value[part]
        else:
            if not isinstance(value, dict) or part not in value:
                return MISSING
            value = value[part]
    return value


def _pad(items: list[Any], index: int) -> None:
    """Extends ``items`` so ``index`` exists, within the step's padding budget."""
    missing = index + 1 - len(items)
    if missing > 0:
        if not budget.pad(missing):
            raise PathError(
                f"writing [{index}] would pad arrays past {budget.MAX_PADDING} empty "
                "elements in one step"
            )
        items.extend([None] * missing)


def set_parts(doc: dict[str, Any], parts: Parts, value: Any) -> None:
    """Sets ``value`` at ``parts`` in a document being built, creating containers.

    Raises:
        PathError: the step's padding budget is spent.
    """
    node: Any = doc
    for part, following in pairwise(parts):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            _pad(node, part)
            if node[part] is None:
                node[part] = empty
            node = node[part]
        else:
            node = node.setdefault(part, empty)
    last = parts[-1]
    if isinstance(last, int):
        _pad(node, last)
    node[last] = value


def with_parts(doc: Any, parts: Parts, value: Any) -> Any:
    """A copy of ``doc`` with ``value`` at ``parts``; untouched branches are shared.

    Raises:
        PathError: a part of the path holds a scalar.
    """
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if isinstance(head, int):
        if doc is not None and not isinstance(doc, list):
            raise PathError(f"[{head}] indexes a {type(doc).__name__}, not an array")
        _room(head)
        items = list(doc or [])
        _pad(items, head)
        items[head] = with_parts(items[head], rest, value)
        return items
    if doc is not None and not isinstance(doc, dict):
        raise PathError(f"'{head}' is read from a {type(doc).__name__}, not an object")
    copy = dict(doc or {})
    copy[head] = with_parts(copy.get(head), rest, value)
    return copy


class Draft:
    """A document being changed by one step, the original left as it was.

    Each container on a written path is copied the first time it is written through,
    then changed in place: n writes into one array of n items copy it once, where
    :func:`with_parts` would copy it n times. The copies are kept (by id) as long as
    the draft, so an id is never reused by another object while it is listed.
    """

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._owned: dict[int, Any] = {}

    def set(self, parts: Parts, value: Any) -> None:
        """Writes ``value`` at ``parts``, creating containers on the way.

        Raises:
            PathError: a part of the path holds a scalar, or indexes too far.
        """
        if isinstance(value, dict | list):
            self._disown(value)
        if not parts:
            self.doc = value
            return
        self.doc = self._own(self.doc, parts[0])
        node = self.doc
        for part, following in pairwise(parts):
            if isinstance(part, int):
                _room(part)
                _pad(node, part)
                node[part] = child = self._own(node[part], following)
            else:
                node[part] = child = self._own(node.get(part), following)
            node = child
        last = parts[-1]
        if isinstance(last, int):
            _room(last)
            _pad(node, last)
        node[last] = value

    def _disown(self, value: dict[str, Any] | list[Any]) -> None:
        """``value`` may hold containers of the draft itself: written in a second place,
        changing one in place would change both, so they are copied again when written."""
        if not self._owned:
            return
        stack: list[Any] = [value]
        while stack:
            node = stack.pop()
            self._owned.pop(id(node), None)
            stack.extend(
                v
                for v in (node.values() if isinstance(node, dict) else node)
                if isinstance(v, dict | list)
            )

    def _own(self, node: Any, key: str | int) -> Any:
        """``node`` as a container of this draft that ``key`` can be written into."""
        if isinstance(key, int):
            if node is not None and not isinstance(node, list):
                raise PathError(f"[{key}] indexes a {type(node).__name__}, not an array")
        elif node is not None and not isinstance(node, dict):
            raise PathError(f"'{key}' is read from a {type(node).__name__}, not an object")
        if node is not None and id(node) in self._owned:
            return node
        copy: Any = (list if isinstance(key, int) else dict)(node or ())
        self._owned[id(copy)] = copy
        return copy


def get_path(doc: Any, path: str | None) -> Any:
    """The value at ``path`` (the whole document if unset); missing reads as None."""
    value = get_parts(doc, split_path(path))
    return None if value is MISSING else value


def with_path(doc: Any, path: str | None, value: Any) -> Any:
    """A copy of ``doc`` with ``value`` at ``path`` (``value`` itself if unset)."""
    try:
        return with_parts(doc, split_path(path), value)
    except PathError as exc:
        raise PlatformError(
            ErrorCode.VALIDATION_FAILED, f"Cannot write '{path}': {exc}.", details={"path": path}
        ) from exc


def without_path(doc: Any, path: str) -> Any:
    """``doc`` without the object key at ``path`` (a path of keys), copying only the
    objects on the way; ``doc`` itself when there is nothing there."""
    return _without(doc, split_path(path))


def _without(doc: Any, parts: Parts) -> Any:
    head, rest = parts[0], parts[1:]
    if not isinstance(doc, dict) or head not in doc:
        return doc
    copy = dict(doc)
    if rest:
        child = _without(doc[head], rest)
        if child is doc[head]:
            return doc
        copy[head] = child
    else:
        del copy[head]
    return copy
