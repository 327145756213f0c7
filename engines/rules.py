"""The rule evaluator: ZEN expressions and JDM decision tables, pure and in-process.

ZEN copies the whole context it is given on every call. So expressions of the subset
in :mod:`engines.expressions` are evaluated natively, and decision tables of literal
cells are answered from an index (:mod:`engines.decision_tables`), both giving ZEN's
exact answers; everything else, and every failure, goes to ZEN, handed only the paths
the expression refers to (found once, when the rule is compiled) with any
``len(path)`` passed as its number, never the working document or a whole array.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import zen

from engines import budget
from engines.decision_tables import NativeTable, compile_table
from engines.expressions import Defer, Evaluator, compile_native, to_python
from engines.paths import (
    MAX_ARRAY_INDEX,
    MISSING,
    Parts,
    PathError,
    get_parts,
    index_too_large,
    set_parts,
    split_path,
    with_parts,
)
from engines.zen_syntax import LEN_NAME, len_rewrite
from models.errors import ErrorCode, PlatformError
from models.rules import Rule, RuleAction

_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
# A dotted path with constant indexes (``a.b[0].c``): the context then carries
# that one element, not the whole array.
_IDENT = re.compile(r"(?<![\w.$\]])([A-Za-z_$][\w$]*(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*)(\s*\()?")
_WORDS = {"and", "or", "not", "true", "false", "null", "in", "$"}
_ENGINE = zen.ZenEngine()


def referenced_paths(expression: str) -> set[str]:
    """The data paths an expression reads (function names and keywords left out)."""
    paths = set()
    for match in _IDENT.finditer(_STRINGS.sub('""', expression)):
        name, call = match.group(1), match.group(2)
        if call or name in _WORDS:
            continue
        paths.add(name)
    return paths


def context_for(doc: Any, paths: set[str]) -> dict[str, Any]:
    """A small context holding only ``paths`` of ``doc`` (nesting preserved)."""
    ctx: dict[str, Any] = {}
    for path in paths:
        parts = split_path(path)
        value = get_parts(doc, parts)
        if value is not MISSING:
            set_parts(ctx, parts, value)
    return ctx


def _zen_error(exc: Exception) -> str:
    text = str(exc).split("\n", 1)[0]
    try:
        detail = json.loads(text)
    except ValueError:
        return text
    return str(detail.get("source", text))


@dataclass
class _Counted:
    """The expression with each ``len(path)`` a variable: ZEN gets numbers, not arrays."""

    compiled: Any
    counted: list[Parts]
    paths: set[str]


@dataclass
class Expression:
    """A compiled condition or value: natively evaluated where it can be, else by ZEN."""

    text: str
    compiled: Any
    paths: set[str]
    native: Evaluator | None = None
    counted: _Counted | None = None

    def evaluate(self, doc: Any) -> Any:
        """ZEN's value of the expression on ``doc`` (RuntimeError as ZEN raises it)."""
        if self.native is not None:
            try:
                return to_python(self.native(doc))
            except Defer:
                pass
        return self.zen(doc)

    def zen(self, doc: Any) -> Any:
        """The value as ZEN computes it, given only the paths the expression reads."""
        if self.counted is not None:
            ctx = context_for(doc, self.counted.paths)
            for i, parts in enumerate(self.counted.counted):
                value = get_parts(doc, parts)
                if isinstance(value, list) or (isinstance(value, str) and value.isascii()):
                    ctx[LEN_NAME.format(i)] = len(value)
                else:
                    break  # ZEN counts (or refuses) this itself
            else:
                return self.counted.compiled.evaluate(ctx)
        return self.compiled.evaluate(context_for(doc, self.paths))


def compile_expression(text: str, *, native: bool = True) -> Expression:
    """A ZEN expression, compiled (ValueError with ZEN's message if it is invalid).

    With ``native`` (the default) it is evaluated natively where it can be; without,
    always by ZEN (the reference the native evaluation is tested against)."""
    problem = zen.validate_expression(text)
    if problem:
        raise ValueError(problem.get("source", str(problem)))
    expression = Expression(text, zen.compile_expression(text), referenced_paths(text))
    if native:
        expression.native = compile_native(text, [split_path(p) for p in expression.paths])
        expression.counted = _counted(text)
    return expression


def _counted(text: str) -> _Counted | None:
    rewrite = len_rewrite(text)
    if rewrite is None:
        return None
    rewritten, counted = rewrite
    if zen.validate_expression(rewritten):
        return None
    names = {LEN_NAME.format(i) for i in range(len(counted))}
    paths = referenced_paths(rewritten) - names
    return _Counted(zen.compile_expression(rewritten), counted, paths)


@dataclass
class _Action:
    spec: RuleAction
    value: Expression | None = None
    table: Any = None
    table_inputs: set[str] = field(default_factory=set)
    native_table: NativeTable | None = None


@dataclass
class _Rule:
    spec: Rule
    conditions: list[Expression]
    actions: list[_Action]


@dataclass
class RulesResult:
    document: Any
    worksheet: list[dict[str, Any]]
    evaluated: int
    fired: int


def _compile_rule(rule: Rule, problems: list[dict[str, Any]], native: bool = True) -> _Rule:
    def problem(where: str, text: str, message: str) -> None:
        problems.append({"rule": rule.name, "at": where, "expression": text, "message": message})

    conditions = []
    for i, text in enumerate(rule.conditions):
        try:
            conditions.append(compile_expression(text, native=native))
        except ValueError as exc:
            problem(f"conditions[{i}]", text, str(exc))
    actions = []
    for i, spec in enumerate(rule.actions):
        action = _Action(spec)
        if (index := index_too_large(spec.target)) is not None:
            limit = f"past the largest allowed, [{MAX_ARRAY_INDEX}]"
            problem(f"actions[{i}].target", spec.target or "", f"index [{index}] is {limit}")
        if isinstance(spec.value, str):
            try:
                action.value = compile_expression(spec.value, native=native)
            except ValueError as exc:
                problem(f"actions[{i}].value", spec.value, str(exc))
        if spec.table is not None:
            try:
                action.table = _ENGINE.create_decision(json.dumps(spec.table))
                action.table_inputs = _table_inputs(spec.table)
            except Exception as exc:
                problem(f"actions[{i}].table", "", _zen_error(exc))
            else:
                zen_input = functools.partial(context_for, paths=action.table_inputs)
                action.native_table = compile_table(spec.table, zen_input) if native else None
        actions.append(action)
    return _Rule(rule, conditions, actions)


def _table_inputs(graph: dict[str, Any]) -> set[str]:
    """The document paths a decision graph reads. A table over an array (``inputField``,
    e.g. ``executionMode: loop``) reads that array: its columns name fields of each element."""
    inputs: set[str] = set()
    for node in graph.get("nodes", []):
        content = node.get("content") or {}
        if content.get("inputField"):
            inputs |= referenced_paths(content["inputField"])
            continue
        for column in content.get("inputs", []):
            if column.get("field"):
                inputs |= referenced_paths(column["field"])
    return inputs


def validate_rule(rule: Rule) -> list[dict[str, Any]]:
    """Every problem of a rule's expressions and tables, with ZEN's position."""
    problems: list[dict[str, Any]] = []
    _compile_rule(rule, problems, native=False)
    return problems


class RuleSet:
    """A phase's rules, compiled, in priority order.

    ``native=False`` evaluates everything with ZEN, as the reference (tests, benchmarks).
    """

    def __init__(self, rules: list[Rule], *, native: bool = True) -> None:
        problems: list[dict[str, Any]] = []
        ordered = sorted(rules, key=lambda r: (r.priority, r.name))
        self.rules = [_compile_rule(r, problems, native) for r in ordered]
        if problems:
            raise PlatformError(
                ErrorCode.VALIDATION_FAILED,
                f"{len(problems)} rule expression(s) are invalid.",
                details={"problems": problems},
            )

    def evaluate(self, document: Any, *, as_of: date, scope: dict[str, Any]) -> RulesResult:
        """Apply the rules to ``document`` (copied along changed paths only)."""
        doc = document
        worksheet: list[dict[str, Any]] = []
        fired = 0
        for rule in self.rules:
            budget.check()
            entry: dict[str, Any] = {"rule": rule.spec.name, "matched": False, "fired": False}
            worksheet.append(entry)
            reason = _inapplicable(rule.spec, as_of, scope)
            if reason:
                entry["reason"] = reason
                continue
            entry["matched"] = True
            if not all(self._condition(rule, c, doc) for c in rule.conditions):
                entry["reason"] = "conditions not met"
                continue
            changes: list[dict[str, Any]] = []
            for action in rule.actions:
                budget.check()
                doc = _apply(rule.spec, action, doc, changes)
            entry["fired"] = True
            entry["changes"] = changes
            fired += 1
        return RulesResult(doc, worksheet, len(self.rules), fired)

    @staticmethod
    def _condition(rule: _Rule, condition: Expression, doc: Any) -> bool:
        try:
            result = condition.evaluate(doc)
        except RuntimeError as exc:
            raise _failed(rule.spec, condition.text, _zen_error(exc)) from exc
        return result is True


def _inapplicable(rule: Rule, as_of: date, scope: dict[str, Any]) -> str | None:
    if not rule.active:
        return "inactive"
    if rule.effective_from and as_of < rule.effective_from:
        return f"not yet effective (from {rule.effective_from})"
    if rule.effective_to and as_of > rule.effective_to:
        return f"expired (to {rule.effective_to})"
    for tag, wanted in rule.scope.items():
        allowed = wanted if isinstance(wanted, list) else [wanted]
        if str(scope.get(tag)) not in allowed:
            return f"scope {tag}={scope.get(tag)!r} not in {allowed}"
    return None


def _failed(rule: Rule, expression: str, message: str) -> PlatformError:
    return PlatformError(
        ErrorCode.RULE_EVALUATION_FAILED,
        f"Rule '{rule.name}': {message} (in {expression!r}).",
        details={"rule": rule.name, "expression": expression, "reason": message},
    )


def _number(rule: Rule, what: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _failed(rule, what, f"needs a number, found {type(value).__name__}")
    if not math.isfinite(value):
        raise _failed(rule, what, "result is not a finite number (division by zero?)")
    return float(value)


def _apply(rule: Rule, action: _Action, doc: Any, changes: list[dict[str, Any]]) -> Any:
    spec = action.spec
    if spec.type == "reject":
        raise PlatformError(
            ErrorCode.RULE_REJECTED,
            f"Rejected by rule '{rule.name}': {spec.reason or 'no reason given'}.",
            details={"rule": rule.name, "reason": spec.reason},
        )
    assert spec.target is not None
    parts = split_path(spec.target)
    before = get_parts(doc, parts)
    before = None if before is MISSING else before
    if spec.type == "lookup":
        answer = _lookup(rule, action, doc)
        after = answer.get(spec.output) if spec.output else answer
    else:
        value = _value(rule, action, doc)
        after = _compute(rule, spec, before, value)
    changes.append({"path": spec.target, "before": before, "after": after})
    try:
        return with_parts(doc, parts, after)
    except PathError as exc:
        raise _failed(rule, spec.target, f"cannot write the target: {exc}") from exc


def _lookup(rule: Rule, action: _Action, doc: Any) -> Any:
    if action.native_table is not None:
        try:
            return action.native_table.evaluate(doc)
        except Defer:
            pass
    inputs = context_for(doc, action.table_inputs)
    try:
        return action.table.evaluate(inputs)["result"]
    except RuntimeError as exc:
        raise _failed(rule, "decision table", _zen_error(exc)) from exc


def _value(rule: Rule, action: _Action, doc: Any) -> Any:
    if action.value is None:
        return action.spec.value
    try:
        value = action.value.evaluate(doc)
    except RuntimeError as exc:
        raise _failed(rule, action.value.text, _zen_error(exc)) from exc
    if value is None:
        raise _failed(
            rule, action.value.text, "the expression gave null (missing data or division by zero)"
        )
    return value


def _compute(rule: Rule, spec: RuleAction, before: Any, value: Any) -> Any:
    if spec.type == "set":
        return value
    amount = _number(rule, f"value of {spec.type}", value)
    if spec.type == "add":
        return (0.0 if before is None else _number(rule, spec.target or "", before)) + amount
    current = _number(rule, f"{spec.target} (before {spec.type})", before)
    if spec.type == "multiply":
        return current * amount
    if spec.type == "surcharge":
        return current * (1 + amount / 100)
    return current * (1 - amount / 100)  # discount
