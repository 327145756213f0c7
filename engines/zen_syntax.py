"""ZEN's expression syntax, as far as the natively evaluated subset goes.

A tokenizer and a Pratt parser with ZEN's precedences (zen-expression's lexer and
``parser/standard.rs``) for literals, paths, ``len``/``round``, unary ``not - +`` and
the binary ``or and == != < <= > >= + - * ??``; anything else is :class:`Unsupported`.
Also the literal cells of decision tables (:func:`cell_literals`), and the rewrite
that lets ZEN evaluate an expression with ``len(path)`` without being handed the
array (:func:`len_rewrite`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from engines import zen_numbers as num
from engines.paths import Parts

# ZEN's string literals, quotes escaped inside: what path scans of an expression skip.
STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


class Unsupported(ValueError):
    """The text is outside the natively evaluated subset."""


_TOKEN = re.compile(
    r"""(?P<space>[ \t\n]+)
    |(?P<string>'[^']*'|"[^"]*")
    |(?P<number>[0-9]+(?:\.[0-9]+)?(?![\w.$#]))
    |(?P<word>(?:\$(?:parent|document)|[A-Za-z_][A-Za-z0-9_]*)(?![$#\w]))
    |(?P<op>\?\?|==|!=|<=|>=|[<>+\-*(),.\[\]])
    """,
    re.VERBOSE,
)
_DIGITS = re.compile("[0-9]+")
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}
# ZEN's binary precedences (zen-expression parser/constants.rs); all left-associative.
_BINARY = {
    "or": 10,
    "and": 15,
    "==": 20,
    "!=": 20,
    "<": 20,
    "<=": 20,
    ">": 20,
    ">=": 20,
    "+": 30,
    "-": 30,
    "*": 60,
    "??": 80,
}
_UNARY = {"not": 50, "+": 200, "-": 200}


class Token(NamedTuple):
    kind: str  # "string", "number", "word", "keyword" or "op"
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """ZEN's tokens of ``text``, as far as the subset goes (Unsupported past that)."""
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise Unsupported(f"unsupported character at {position}")
        kind = match.lastgroup
        assert kind is not None
        position = match.end()
        if kind == "space":
            continue
        value = match.group()
        if kind == "word" and value in _KEYWORDS:
            if value == "not" and text.startswith(" in ", position):
                raise Unsupported("not in")
            kind = "keyword"
        tokens.append(Token(kind, value, match.start(), position))
    return tokens


@dataclass(frozen=True)
class Path:
    parts: Parts


@dataclass(frozen=True)
class Literal:
    value: Any  # None, bool, str or a number


@dataclass(frozen=True)
class Call:
    name: str  # "len" or "round"
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


Node = Path | Literal | Call | Unary | Binary


class _Parser:
    """ZEN's Pratt parser (parser/standard.rs) restricted to the subset."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, text: str | None = None) -> Token:
        token = self.peek()
        if token is None or (text is not None and token.text != text):
            raise Unsupported(f"expected {text or 'a token'}")
        self.at += 1
        return token

    def parse(self) -> Node:
        node = self.binary(0)
        if self.peek() is not None:
            raise Unsupported("trailing tokens")
        return node

    def binary(self, precedence: int) -> Node:
        left = self.unary()
        while (token := self.peek()) is not None and token.kind in ("op", "keyword"):
            level = _BINARY.get(token.text)
            if level is None or level < precedence:
                break
            self.at += 1
            left = Binary(token.text, left, self.binary(level + 1))
        return left

    def unary(self) -> Node:
        token = self.take()
        if token.kind in ("op", "keyword") and token.text in _UNARY:
            return Unary(token.text, self.binary(_UNARY[token.text]))
        if token.text == "(" and token.kind == "op":
            node = self.binary(0)
            self.take(")")
            return node
        if token.kind == "string":
            return Literal(token.text[1:-1])
        if token.kind == "number":
            value = num.parse_literal(token.text)
            if value is None:
                raise Unsupported("number out of range")
            return Literal(value)
        if token.kind == "keyword" and token.text in ("true", "false", "null"):
            return Literal({"true": True, "false": False, "null": None}[token.text])
        if token.kind != "word":
            raise Unsupported(f"unexpected {token.text!r}")
        following = self.peek()
        if following is not None and following.text == "(":
            return self.call(token.text)
        return self.path(token.text)

    def path(self, head: str) -> Path:
        parts: list[str | int] = [head]
        while (token := self.peek()) is not None and token.text in (".", "["):
            self.at += 1
            if token.text == ".":
                name = self.take()
                if name.kind != "word":
                    raise Unsupported("property name")
                parts.append(name.text)
            else:
                index = self.take()
                if index.kind != "number" or not _DIGITS.fullmatch(index.text):
                    raise Unsupported("index")
                parts.append(int(index.text))
                self.take("]")
        following = self.peek()
        if following is not None and following.text == "(":
            raise Unsupported("method call")
        return Path(tuple(parts))

    def call(self, name: str) -> Call:
        self.take("(")
        args = [self.binary(0)]
        while (token := self.peek()) is not None and token.text == ",":
            self.at += 1
            args.append(self.binary(0))
        self.take(")")
        if name == "len" and len(args) == 1 and isinstance(args[0], Path):
            return Call(name, tuple(args))
        places = args[1] if len(args) == 2 else None
        if name == "round" and (
            places is None
            # ZEN takes the places as a u32
            or (isinstance(places, Literal) and type(places.value) is int and places.value < 2**32)
        ):
            return Call(name, tuple(args))
        raise Unsupported(f"function {name}")


def parse(text: str) -> Node:
    """The syntax tree of ``text``, or Unsupported."""
    return _Parser(tokenize(text)).parse()


def paths_of(node: Node) -> list[Parts]:
    """The document paths a syntax tree reads."""
    if isinstance(node, Path):
        return [node.parts]
    if isinstance(node, Literal):
        return []
    if isinstance(node, Unary):
        return paths_of(node.operand)
    if isinstance(node, Binary):
        return paths_of(node.left) + paths_of(node.right)
    return [p for arg in node.args for p in paths_of(arg)]


# Decision-table cells ------------------------------------------------------------

_SPACE = r"[ \t\n]*"  # ZEN's whitespace: no \r, no Unicode spaces
_ITEM = re.compile(
    rf"""{_SPACE}(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'"""
    rf"""|(?P<minus>-{_SPACE})?(?P<number>[0-9]+(?:\.[0-9]+)?)(?![\w.$#])"""
    rf"""|(?P<word>true|false|null)(?![\w$#])){_SPACE}"""
)
_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None}


@functools.lru_cache(maxsize=65_536)
def cell_literals(text: str, allow_list: bool) -> tuple[Any, ...]:
    """The literals of a decision-table cell: ``"A"``, ``-1.5``, ``true``, ``null``, or
    with ``allow_list`` a list ``"A", "B"`` (which ZEN's unary mode joins with ``or``)."""
    values: list[Any] = []
    position = 0
    while True:
        match = _ITEM.match(text, position)
        if match is None:
            raise Unsupported("not a literal")
        values.append(_item(match))
        position = match.end()
        if position == len(text):
            return tuple(values)
        if not allow_list or text[position] != ",":
            raise Unsupported("not a list of literals")
        position += 1


def _item(match: re.Match[str]) -> Any:
    if match["dq"] is not None or match["sq"] is not None:
        return match["dq"] if match["dq"] is not None else match["sq"]
    if match["word"] is not None:
        return _WORDS[match["word"]]
    value = num.parse_literal(match["number"])
    if value is None:
        raise Unsupported("number out of range")
    if not match["minus"]:
        return value
    return -value if isinstance(value, int) else value.copy_negate()


# len() without the array ---------------------------------------------------------

LEN_NAME = "__irx_len_{}"
# Closures (#), context references ($, $root), assignments (= ;), templates, objects.
_UNSAFE = re.compile(r"[#$;`{}]|(?<![=!<>])=(?!=)")


def len_rewrite(text: str) -> tuple[str, list[Parts]] | None:
    """``text`` with each top-level ``len(path)`` replaced by a variable, and the paths.

    Only where the rewrite cannot change the meaning: no closure (``#``), context
    reference (``$``), assignment, template or object literal anywhere, and the call
    not inside another function's arguments."""
    if "__irx_" in text or _UNSAFE.search(text):
        return None
    try:
        tokens = _loose_tokens(text)
    except Unsupported:
        return None
    sites: list[tuple[int, int, Parts]] = []
    calls = 0  # depth of function-call parentheses
    stack: list[bool] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        is_call = (
            token.kind == "word"
            and i + 1 < len(tokens)
            and tokens[i + 1].text == "("
            and (i == 0 or tokens[i - 1].text != ".")
        )
        if is_call and token.text == "len" and calls == 0:
            site = _len_site(tokens, i)
            if site is not None:
                end, parts = site
                sites.append((token.start, tokens[end].end, parts))
                i = end + 1
                continue
        if token.text == "(":
            stack.append(i > 0 and tokens[i - 1].kind == "word")
            calls += stack[-1]
        elif token.text == ")" and stack:
            calls -= stack.pop()
        i += 1
    if not sites:
        return None
    pieces, last = [], 0
    for k, (start, end, _) in enumerate(sites):
        pieces += [text[last:start], LEN_NAME.format(k)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces), [parts for _, _, parts in sites]


def _len_site(tokens: list[Token], i: int) -> tuple[int, Parts] | None:
    """``len ( path )`` starting at ``tokens[i]``: the index of ``)`` and the path."""
    end = i + 2
    while end < len(tokens) and tokens[end].text != ")":
        end += 1
    if end >= len(tokens):
        return None
    try:
        node = _Parser(tokens[i + 2 : end]).parse()
    except Unsupported:
        return None
    return (end, node.parts) if isinstance(node, Path) else None


_LOOSE = re.compile(
    r"""(?P<space>[ \t\n]+)|(?P<string>'[^']*'|"[^"]*")
    |(?P<number>[0-9][0-9_]*(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)
    |(?P<word>\$?[A-Za-z_][A-Za-z0-9_]*)|(?P<op>\?\?|==|!=|<=|>=|\.\.|[<>+\-*/%^?:!(),.\[\]])""",
    re.VERBOSE,
)


def _loose_tokens(text: str) -> list[Token]:
    """Every token of a ZEN expression without the unsafe constructs (for the rewrite)."""
    tokens = []
    position = 0
    while position < len(text):
        match = _LOOSE.match(text, position)
        if match is None:
            raise Unsupported(f"unsupported character at {position}")
        position = match.end()
        if match.lastgroup != "space":
            kind = match.lastgroup or ""
            if kind == "word" and match.group() in _KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, match.group(), match.start(), position))
    return tokens
