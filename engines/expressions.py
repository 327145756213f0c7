"""A subset of ZEN's expression language evaluated natively, with ZEN's exact answers.

Supported (see :mod:`engines.zen_syntax`): literals (numbers written as digits with an
optional fraction, quoted strings, ``true``/``false``/``null``), paths (``a.b[0].c``),
``len(path)``, ``round(x)``/``round(x, n)``, unary ``not``/``-``/``+``, the comparisons
``== != < <= > >=``, ``and``/``or``, ``+ - *`` and ``??``. Whatever ZEN would report as
an error, and whatever this module cannot prove it computes as ZEN does (division, a
float ZEN cannot hold, a scaled zero...), raises :class:`Defer`, and the caller asks
ZEN. So an answer given here is ZEN's, and a failure is always ZEN's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engines import zen_numbers as num
from engines.paths import MISSING, Parts, get_parts
from engines.zen_syntax import (
    Binary,
    Call,
    Literal,
    Node,
    Path,
    Unary,
    Unsupported,
    parse,
    paths_of,
)

Evaluator = Callable[[Any], Any]


class Defer(Exception):
    """The native evaluator cannot give ZEN's answer: ZEN must evaluate this."""


# Values -------------------------------------------------------------------------


def read_path(doc: Any, parts: Parts) -> Any:
    """The raw value at ``parts`` as ZEN reads it from its context (MISSING if absent).

    As :func:`engines.paths.get_parts`, except that ZEN indexes strings by byte
    (``s[0]``), which the context it is handed may or may not carry: left to ZEN."""
    value = doc
    for part in parts:
        if type(part) is int:
            if isinstance(value, list):
                if part >= len(value):
                    return MISSING
                value = value[part]
            elif isinstance(value, str):
                raise Defer
            else:
                return MISSING
        elif isinstance(value, dict):
            value = value.get(part, MISSING)
            if value is MISSING:
                return MISSING
        else:
            return MISSING
    return value


def zen_value(value: Any) -> Any:
    """A document scalar as ZEN holds it; Defer for what ZEN would copy or refuse."""
    kind = type(value)
    if kind is str:
        if not value.isascii():
            try:
                value.encode()
            except UnicodeEncodeError:
                raise Defer from None
        return value
    if value is None or kind is bool:
        return value
    if kind is int:
        if -(2**63) <= value < 2**64:
            return value
        raise Defer
    if kind is float:
        number = num.from_f64(value)
        if number is None:
            raise Defer
        return number
    raise Defer  # arrays and objects: ZEN copies them whole


def to_python(value: Any) -> Any:
    """A native result as ZEN's ``evaluate`` returns it (every number a float)."""
    if num.is_number(value):
        return num.to_f64(value)
    return value


def _length(value: Any) -> int:
    """``len``: elements of an array, UTF-8 bytes of a string (as Rust counts them)."""
    if type(value) is list:
        return len(value)
    if type(value) is str:
        if value.isascii():
            return len(value)
        try:
            return len(value.encode())
        except UnicodeEncodeError:
            raise Defer from None
    raise Defer


def _equal(a: Any, b: Any) -> bool:
    if num.is_number(a) and num.is_number(b):
        return bool(a == b)
    if type(a) is not type(b):
        return False
    return bool(a == b)  # both str, both bool or both None


# Compilation to closures ---------------------------------------------------------


def compile_node(node: Node) -> Evaluator:
    """A function of the document giving the node's native value (or raising Defer)."""
    if isinstance(node, Literal):
        value = node.value
        return lambda doc: value
    if isinstance(node, Path):
        parts = node.parts

        def path(doc: Any) -> Any:
            value = read_path(doc, parts)
            return None if value is MISSING else zen_value(value)

        return path
    if isinstance(node, Call):
        return _compile_call(node)
    if isinstance(node, Unary):
        return _compile_unary(node)
    return _compile_binary(node)


def _compile_call(node: Call) -> Evaluator:
    if node.name == "len":
        arg = node.args[0]
        assert isinstance(arg, Path)
        parts = arg.parts

        def length(doc: Any) -> Any:
            value = read_path(doc, parts)
            if value is MISSING:
                raise Defer
            return _length(value)

        return length
    operand = compile_node(node.args[0])
    places = 0
    if len(node.args) == 2:
        assert isinstance(node.args[1], Literal)
        places = node.args[1].value

    def round_(doc: Any) -> Any:
        value = operand(doc)
        if not num.is_number(value):
            raise Defer
        rounded = num.round_dp(value, places)
        if rounded is None:
            raise Defer
        return rounded

    return round_


def _compile_unary(node: Unary) -> Evaluator:
    operand = compile_node(node.operand)
    if node.op == "+":
        return operand  # ZEN compiles a unary plus to nothing at all

    if node.op == "not":

        def not_(doc: Any) -> Any:
            value = operand(doc)
            if type(value) is not bool:
                raise Defer
            return not value

        return not_

    def negate(doc: Any) -> Any:
        value = operand(doc)
        if not num.is_number(value):
            raise Defer
        result = num.negate(value)
        if result is None:
            raise Defer
        return result

    return negate


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


def _compile_binary(node: Binary) -> Evaluator:
    left, right, op = compile_node(node.left), compile_node(node.right), node.op
    if op == "and" or op == "or":
        stop = op == "or"  # the left value that decides without the right

        def logical(doc: Any) -> Any:
            value = left(doc)
            if type(value) is not bool:
                raise Defer
            return value if value is stop else right(doc)

        return logical
    if op == "??":

        def coalesce(doc: Any) -> Any:
            value = left(doc)
            return right(doc) if value is None else value

        return coalesce
    if op == "==" or op == "!=":
        same = op == "=="
        return lambda doc: _equal(left(doc), right(doc)) is same
    if op in _COMPARE:
        compare = _COMPARE[op]

        def comparison(doc: Any) -> Any:
            a, b = left(doc), right(doc)
            if num.is_number(a) and num.is_number(b):
                return compare(a, b)
            raise Defer

        return comparison
    return _compile_arithmetic(op, left, right)


def _compile_arithmetic(op: str, left: Evaluator, right: Evaluator) -> Evaluator:
    def arithmetic(doc: Any) -> Any:
        a, b = left(doc), right(doc)
        if num.is_number(a) and num.is_number(b):
            result = num.multiply(a, b) if op == "*" else num.add(a, b, subtract=op == "-")
            if result is None:
                raise Defer
            return result
        if op == "+" and type(a) is str and type(b) is str:
            return a + b
        raise Defer

    return arithmetic


def compile_native(text: str, context: list[Parts]) -> Evaluator | None:
    """The native evaluator of ``text`` (ZEN-valid), or None outside the subset.

    ``context`` are the paths ZEN is handed with the expression. A path read here must
    lie within one of them (else ZEN would see null there). ZEN converts them all
    before it starts and fails on a number it cannot hold even where the expression
    would not read it (``a ?? b``), so their scalars are checked first."""
    try:
        node = parse(text)
    except Unsupported:
        return None
    if not all(any(path[: len(c)] == c for c in context) for path in paths_of(node)):
        return None
    evaluate = compile_node(node)
    paths = tuple(context)

    def checked(doc: Any) -> Any:
        for parts in paths:
            value = get_parts(doc, parts)
            if type(value) is not list and type(value) is not dict and value is not MISSING:
                zen_value(value)
        return evaluate(doc)

    return checked
