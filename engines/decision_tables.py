"""JDM decision tables answered from an index, with the result ZEN's engine gives.

ZEN tries every row of a table for every input (or every element, in loop mode). A
table whose input cells are empty (any value) or equality tests on literals
(``"CRN"``, ``10``, ``-5``, ``true``, ``null``, or a list ``"A", "B"``) is compiled
once instead: rows are grouped by which columns they test, each group a dict from
the tested values to its rows in table order, so an input's rows are a few dict
lookups (remembered per distinct input). The hit policy then takes the first row
or collects all of them in table order. Literal outputs (``1.08``, ``"x"``) are
built natively; a row with an expression among its outputs is evaluated by ZEN as
a table of that one row, so its values, and its failure (which skips the row, as in
ZEN), are ZEN's own.

Only the graph input -> table -> output is compiled; anything else (other cell
kinds, pass-through, other nodes) stays with ZEN, and so does an input this module
cannot read exactly as ZEN would (:class:`Defer`).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import zen

from engines import budget
from engines import zen_numbers as num
from engines.expressions import Defer, read_path
from engines.paths import MISSING, Parts
from engines.zen_syntax import Path, Unsupported, cell_literals, parse

Context = Callable[[], Any]  # the table's input as ZEN is handed it, built when needed
# A row's output object, or None when ZEN skips the row (one of its outputs failed).
RowOutput = Callable[[Context], dict[str, Any] | None]
_ENGINE = zen.ZenEngine()

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
# Distinct values for booleans (True == 1 in Python) and for arrays and objects,
# which equal no literal.
_TRUE, _FALSE, _NO_MATCH = object(), object(), object()
_MAX_ENTRIES = 200_000  # index entries a table may expand to (lists of values multiply)
_MAX_REMEMBERED = 65_536
_CHECK_EVERY = 1024

_NODE_KEYS = {"id", "type", "name", "position", "content"}
_EDGE_KEYS = {"id", "type", "sourceId", "targetId"}
_TABLE_KEYS = {
    "hitPolicy",
    "inputs",
    "outputs",
    "rules",
    "inputField",
    "outputPath",
    "executionMode",
    "passThrough",
}


def input_key(value: Any) -> Any:
    """A value as the index keys it: equal keys exactly when ZEN's ``==`` is true."""
    kind = type(value)
    if kind is str:
        if not value.isascii():
            try:
                value.encode()
            except UnicodeEncodeError:
                raise Defer from None
        return value
    if value is None or value is MISSING:
        return None
    if kind is bool:
        return _TRUE if value else _FALSE
    if kind is int:
        if -(2**63) <= value < 2**64:
            return value
        raise Defer
    if kind is float:
        number = num.from_f64(value)
        if number is None:
            raise Defer
        return number
    if kind is list or kind is dict:
        return _NO_MATCH
    raise Defer


def _cell_key(value: Any) -> Any:
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    return value


def _output_value(value: Any) -> Any:
    """A literal output as a decision result carries it (whole numbers as ints)."""
    return num.decision_value(value) if num.is_number(value) else value


def _insert(target: dict[str, Any], path: str, value: Any) -> None:
    *heads, last = path.split(".")
    for head in heads:
        target = target.setdefault(head, {})
    target[last] = value


def _fresh(template: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """A maker of new copies of ``template`` (results must not share objects)."""
    if not any(type(v) is dict for v in template.values()):
        return template.copy

    def copy() -> dict[str, Any]:
        return {k: _fresh(v)() if type(v) is dict else v for k, v in template.items()}

    return copy


def _path(text: Any) -> Parts:
    if not isinstance(text, str) or not text:
        raise Unsupported("no field")
    node = parse(text)
    if not isinstance(node, Path):
        raise Unsupported("field is not a path")
    return node.parts


def _no_prefixes(paths: list[str]) -> bool:
    dotted = sorted(p + "." for p in paths)
    return all(not b.startswith(a) for a, b in itertools.pairwise(dotted))


@dataclass
class NativeTable:
    """A compiled table: ``evaluate(doc)`` is the graph's ``result`` from ZEN."""

    collect: bool
    loop: bool
    input_field: Parts | None
    output_path: str | None
    columns: list[Parts]
    groups: list[tuple[Callable[[tuple[Any, ...]], Any], dict[Any, list[int]]]]
    outputs: list[RowOutput]
    everywhere: list[int]  # rows that test no column
    all_literal: bool  # no row can be skipped: the first candidate is the first hit
    context: Callable[[Any], Any] | None  # the input ZEN is handed, from the document

    def __post_init__(self) -> None:
        self.remembered: dict[tuple[Any, ...], tuple[int, ...]] = {}
        self.key_of = _key_reader(self.columns)

    def evaluate(self, doc: Any) -> Any:
        if self.loop:
            assert self.input_field is not None
            items = read_path(doc, self.input_field)
            if type(items) is not list:
                raise Defer  # ZEN's "Expected an array"
            output: Any = []
            for i, item in enumerate(items):
                if i % _CHECK_EVERY == _CHECK_EVERY - 1:
                    budget.check()
                if type(item) is not dict:
                    raise Defer  # ZEN reads fields of a scalar element its own way
                output.append(self._answer(item, functools.partial(_same, item)))
        elif self.input_field is not None:
            scope = read_path(doc, self.input_field)
            if type(scope) is not dict:
                raise Defer
            output = self._answer(scope, functools.partial(_same, scope))
        else:
            make = self.context
            handed = functools.cache(functools.partial(make, doc)) if make else _not_needed
            output = self._answer(doc, handed)
        if self.output_path is not None:
            wrapped: dict[str, Any] = {}
            _insert(wrapped, self.output_path, output)
            output = wrapped
        # The output node merges the table's answer into an empty object: a top-level
        # null drops out, an array stays as it is, anything else leaves the object empty.
        if type(output) is dict:
            return {k: v for k, v in output.items() if v is not None}
        return output if type(output) is list else {}

    def _answer(self, scope: dict[str, Any], context: Context) -> Any:
        key = self.key_of(scope)
        rows = self.remembered.get(key)
        if rows is None:
            rows = self._rows(key)
            if len(self.remembered) >= _MAX_REMEMBERED:
                self.remembered.clear()
            self.remembered[key] = rows
        if self.collect:
            found = (self.outputs[r](context) for r in rows)
            return [output for output in found if output is not None]
        for r in rows:
            output = self.outputs[r](context)
            if output is not None:
                return output
        return None

    def _rows(self, key: tuple[Any, ...]) -> tuple[int, ...]:
        found: list[int] = list(self.everywhere)
        for pick, index in self.groups:
            found += index.get(pick(key), ())
        found.sort()
        return tuple(found[:1] if self.all_literal and not self.collect else found)


def _key_reader(columns: list[Parts]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The index key of a scope: its columns' values (a plain key read directly)."""
    names = [parts[0] for parts in columns if len(parts) == 1 and isinstance(parts[0], str)]
    if len(names) == len(columns):
        return lambda scope: tuple([input_key(scope.get(name)) for name in names])
    return lambda scope: tuple([input_key(read_path(scope, parts)) for parts in columns])


def _same(value: Any) -> Any:
    return value


def _not_needed() -> Any:
    raise AssertionError("a table of literal outputs never hands ZEN its input")


def _literal_row(template: dict[str, Any]) -> RowOutput:
    fresh = _fresh(template)
    return lambda context: fresh()


def _zen_row(outputs: list[dict[str, Any]], cells: dict[str, str]) -> RowOutput:
    """A row with expressions among its outputs: ZEN evaluates it as a one-row table
    (its result under ``r``, absent when an output fails and ZEN skips the row)."""
    content = {"hitPolicy": "first", "inputs": [], "outputs": outputs, "outputPath": "r"}
    content["rules"] = [{"_id": "row", **cells}]
    decision = _ENGINE.create_decision(json.dumps(_graph(content)))

    def output(context: Context) -> dict[str, Any] | None:
        try:
            found: dict[str, Any] | None = decision.evaluate(context())["result"].get("r")
        except RuntimeError:
            raise Defer from None  # ZEN's table reports it, as it always did
        return found

    return output


def _graph(content: dict[str, Any]) -> dict[str, Any]:
    at = {"x": 0, "y": 0}
    return {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "in", "position": at},
            {
                "id": "t",
                "type": "decisionTableNode",
                "name": "t",
                "position": at,
                "content": content,
            },
            {"id": "out", "type": "outputNode", "name": "out", "position": at},
        ],
        "edges": [
            {"id": "a", "sourceId": "in", "targetId": "t", "type": "edge"},
            {"id": "b", "sourceId": "t", "targetId": "out", "type": "edge"},
        ],
    }


def _picker(columns: tuple[int, ...]) -> Callable[[tuple[Any, ...]], Any]:
    if len(columns) == 1:
        (only,) = columns
        return lambda key: key[only]
    return lambda key: tuple(key[c] for c in columns)


def compile_table(
    graph: dict[str, Any], context: Callable[[Any], Any] | None = None
) -> NativeTable | None:
    """The native form of a decision graph (valid for ZEN), or None if ZEN must run it.

    ``context`` gives, from the document, the input ZEN is handed (for rows whose
    outputs ZEN evaluates, in a table without ``inputField``)."""
    try:
        return _compile(graph, context)
    except (Unsupported, KeyError, TypeError, ValueError, AttributeError, RuntimeError):
        return None


def _compile(graph: dict[str, Any], context: Callable[[Any], Any] | None) -> NativeTable | None:
    nodes, edges = graph.get("nodes"), graph.get("edges")
    if set(graph) - {"nodes", "edges"} or not isinstance(nodes, list) or len(nodes) != 3:
        return None
    by_type = {node["type"]: node for node in nodes}
    if set(by_type) != {"inputNode", "decisionTableNode", "outputNode"}:
        return None
    for node in nodes:
        if set(node) - _NODE_KEYS:
            return None
        content = node.get("content") or {}
        # An input or output node with a schema validates: only empty ones are compiled.
        if node["type"] != "decisionTableNode" and any(content.values()):
            return None
    ids = {t: by_type[t]["id"] for t in by_type}
    table = ids["decisionTableNode"]
    wanted = {(ids["inputNode"], table), (table, ids["outputNode"])}
    if not isinstance(edges, list) or len(edges) != 2:
        return None
    for edge in edges:
        extra = {k: v for k, v in edge.items() if k not in _EDGE_KEYS and v is not None}
        if extra or edge.get("type", "edge") != "edge":
            return None  # e.g. a switch's handle
    if {(e["sourceId"], e["targetId"]) for e in edges} != wanted:
        return None
    return _compile_content(by_type["decisionTableNode"]["content"], context)


def _compile_content(
    content: dict[str, Any], context: Callable[[Any], Any] | None
) -> NativeTable | None:
    if set(content) - _TABLE_KEYS or content.get("passThrough"):
        return None
    policy, mode = content.get("hitPolicy"), content.get("executionMode") or "single"
    if policy not in ("first", "collect") or mode not in ("single", "loop"):
        return None
    input_field = _path(content["inputField"]) if content.get("inputField") else None
    if mode == "loop" and input_field is None:
        return None
    output_path = content.get("outputPath") or None
    if output_path is not None and not _NAME.fullmatch(output_path):
        return None
    inputs, outputs = content.get("inputs", []), content.get("outputs", [])
    if any(set(c) - {"id", "name", "field"} for c in inputs + outputs):
        return None
    columns = [_path(c["field"]) for c in inputs]
    written = [c for c in outputs if c.get("field")]
    fields = [c["field"] for c in written]
    if not all(isinstance(f, str) and _NAME.fullmatch(f) for f in fields):
        return None
    if not _no_prefixes(fields) or len({c["id"] for c in inputs + outputs}) != len(
        inputs + outputs
    ):
        return None
    groups: dict[tuple[int, ...], dict[Any, list[int]]] = {}
    everywhere: list[int] = []
    makers: list[RowOutput] = []
    by_zen: dict[tuple[str, ...], RowOutput] = {}  # rows with the same outputs share one
    entries = 0
    for r, row in enumerate(content.get("rules", [])):
        if not all(isinstance(v, str) for v in row.values()):
            return None
        tested, values = [], []
        for c, column in enumerate(inputs):
            cell = row.get(column["id"], "")
            if cell:
                tested.append(c)
                keys = (_cell_key(v) for v in cell_literals(cell, True))
                values.append(list(dict.fromkeys(keys)))
        makers.append(_row_output(written, row, by_zen))
        if not tested:
            everywhere.append(r)
            continue
        index = groups.setdefault(tuple(tested), {})
        for combination in itertools.product(*values):
            entries += 1
            if entries > _MAX_ENTRIES:
                return None
            index.setdefault(combination if len(tested) > 1 else combination[0], []).append(r)
    if by_zen and input_field is None and context is None:
        return None
    return NativeTable(
        collect=policy == "collect",
        loop=mode == "loop",
        input_field=input_field,
        output_path=output_path,
        columns=columns,
        groups=[(_picker(cols), index) for cols, index in groups.items()],
        outputs=makers,
        everywhere=everywhere,
        all_literal=not by_zen,
        context=context,
    )


def _row_output(
    written: list[dict[str, Any]], row: dict[str, str], by_zen: dict[tuple[str, ...], RowOutput]
) -> RowOutput:
    cells = [row.get(column["id"], "") for column in written]
    template: dict[str, Any] = {}
    try:
        for column, cell in zip(written, cells, strict=True):
            if cell:
                (value,) = cell_literals(cell, False)
                _insert(template, column["field"], _output_value(value))
    except Unsupported:
        key = tuple(cells)
        if key not in by_zen:
            columns: list[dict[str, Any]] = [
                {k: c[k] for k in ("id", "name", "field") if k in c} for c in written
            ]
            row_cells = {c["id"]: cell for c, cell in zip(written, cells, strict=True)}
            by_zen[key] = _zen_row(columns, row_cells)
        return by_zen[key]
    return _literal_row(template)
