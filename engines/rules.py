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
from collections.abc import Iterable
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
    PARENT,
    Draft,
    Parts,
    PathError,
    climbs,
    format_path,
    get_parts,
    index_too_large,
    set_parts,
    split_path,
)
from engines.rule_items import (
    DOCUMENT,
    ItemError,
    ItemPath,
    array_at,
    bind_root,
    item_view,
    parent_view,
    placeholders,
    render,
    scope_value,
    target_parts,
)
from engines.zen_syntax import LEN_NAME, STRINGS, len_rewrite
from models.errors import ErrorCode, PlatformError
from models.rules import Rule, RuleAction

# A dotted path with constant indexes (``a.b[0].c``): the context then carries
# that one element, not the whole array.
_IDENT = re.compile(r"(?<![\w.$\]])([A-Za-z_$][\w$]*(?:\[\d+\]|\.[A-Za-z_$][\w$]*)*)(\s*\()?")
_WORDS = {"and", "or", "not", "true", "false", "null", "in", "$"}
_ENGINE = zen.ZenEngine()


def referenced_paths(expression: str) -> set[str]:
    """The data paths an expression reads (function names and keywords left out)."""
    paths = set()
    for match in _IDENT.finditer(STRINGS.sub('""', expression)):
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
    target: str | None = None  # with $root bound, still a template


@dataclass
class _Rule:
    spec: Rule
    conditions: list[Expression]
    actions: list[_Action]
    each: ItemPath | None = None
    parents: int = 0  # the $parent levels an item's view carries
    root: bool = False  # whether it carries the document as $document


@dataclass
class _Changes:
    """A rule's changes for its worksheet: the first :data:`MAX_RECORDED`, and a count."""

    recorded: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0

    def add(self, parts: Parts, before: Any, after: Any) -> None:
        self.count += 1
        if len(self.recorded) < MAX_RECORDED:
            self.recorded.append({"path": format_path(parts), "before": before, "after": after})

    def report(self, entry: dict[str, Any]) -> None:
        entry["changes"] = self.recorded
        if self.count > len(self.recorded):
            entry["changesOmitted"] = self.count - len(self.recorded)


@dataclass
class RulesResult:
    document: Any
    worksheet: list[dict[str, Any]]
    evaluated: int
    fired: int


# A rule per item records this many changes, and this many rejected items, each.
MAX_RECORDED = 100
# Items a rule per item visits between two checks of the step's time budget.
_BATCH = 256


def _compile_rule(rule: Rule, problems: list[dict[str, Any]], native: bool = True) -> _Rule:
    def problem(where: str, text: str, message: str) -> None:
        problems.append({"rule": rule.name, "at": where, "expression": text, "message": message})

    each = ItemPath.parse(rule.for_each) if rule.for_each else None
    per_item = each is not None

    def expression(where: str, text: str) -> Expression | None:
        try:
            compiled = compile_expression(bind_root(text, per_item), native=native)
        except ValueError as exc:
            problem(where, text, str(exc))
            return None
        compiled.text = text  # as the product team wrote it, for messages
        return compiled

    conditions = [
        c for i, t in enumerate(rule.conditions) if (c := expression(f"conditions[{i}]", t))
    ]
    read: set[str] = set().union(*(c.paths for c in conditions))
    actions = []
    for i, spec in enumerate(rule.actions):
        action = _Action(spec)
        if spec.target is not None:
            action.target = bind_root(spec.target, per_item)
            read.add(action.target)
            read.update(bind_root(p, per_item) for p in placeholders(spec.target))
        if (index := index_too_large(spec.target)) is not None:
            limit = f"past the largest allowed, [{MAX_ARRAY_INDEX}]"
            problem(f"actions[{i}].target", spec.target or "", f"index [{index}] is {limit}")
        if spec.reason is not None:
            read.update(bind_root(p, per_item) for p in placeholders(spec.reason))
        if isinstance(spec.value, str):
            action.value = expression(f"actions[{i}].value", spec.value)
            if action.value is not None:
                read |= action.value.paths
        if spec.table is not None:
            table = _bind_table(spec.table, per_item)
            try:
                action.table = _ENGINE.create_decision(json.dumps(table))
                action.table_inputs = _table_inputs(table)
            except Exception as exc:
                problem(f"actions[{i}].table", "", _zen_error(exc))
            else:
                read |= action.table_inputs
                zen_input = functools.partial(context_for, paths=action.table_inputs)
                action.native_table = compile_table(table, zen_input) if native else None
        actions.append(action)
    compiled = _Rule(rule, conditions, actions, each)
    compiled.parents = max((climbs(split_path(p)) for p in read), default=0)
    compiled.root = any(split_path(p)[:1] == (DOCUMENT,) for p in read)
    reach = 0 if each is None else each.depth  # the $parent levels an item has
    if compiled.parents > reach:
        where = f"forEach {rule.for_each!r}" if each else "a rule without forEach"
        problem("", PARENT, f"{PARENT} climbs {compiled.parents} level(s); {where} has {reach}")
    return compiled


def _bind_table(graph: dict[str, Any], per_item: bool) -> dict[str, Any]:
    """The decision graph with ``$root`` bound in its input fields."""
    if "$root" not in json.dumps(graph):
        return graph
    bound: dict[str, Any] = json.loads(json.dumps(graph))
    for node in bound.get("nodes", []):
        content = node.get("content") or {}
        if isinstance(content.get("inputField"), str):
            content["inputField"] = bind_root(content["inputField"], per_item)
        for column in content.get("inputs", []):
            if isinstance(column.get("field"), str):
                column["field"] = bind_root(column["field"], per_item)
    return bound


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
        draft = Draft(document)
        holding = _Holding()
        worksheet: list[dict[str, Any]] = []
        fired = 0
        for rule in self.rules:
            budget.check()
            entry: dict[str, Any] = {"rule": rule.spec.name, "matched": False, "fired": False}
            worksheet.append(entry)
            reason = _inapplicable(rule.spec, as_of)
            if reason:
                entry["reason"] = reason
                continue
            if rule.each is None:
                _apply_to_document(rule, draft, scope, entry, holding)
            else:
                _apply_per_item(rule, draft, scope, entry, holding)
            fired += entry["fired"]
        return RulesResult(draft.doc, worksheet, len(self.rules), fired)


def _apply_to_document(
    rule: _Rule, draft: Draft, scope: dict[str, Any], entry: dict[str, Any], holding: _Holding
) -> None:
    reason = _out_of_scope(rule.spec, scope.get)
    if reason:
        entry["reason"] = reason
        return
    entry["matched"] = True
    if not all(_condition(rule, c, draft.doc) for c in rule.conditions):
        entry["reason"] = "conditions not met"
        return
    changes = _Changes()
    for action in rule.actions:
        budget.check()
        if action.spec.type == "reject":
            reason = _reason(action, draft.doc, False)
            raise PlatformError(
                ErrorCode.RULE_REJECTED,
                f"Rejected by rule '{rule.spec.name}': {reason}.",
                details={"rule": rule.spec.name, "reason": reason},
            )
        assert action.target is not None
        target = render(action.target, draft.doc, False) if "{" in action.target else action.target
        parts = split_path(target)
        holding.wrote(parts, _write(rule, action, draft, draft.doc, parts, changes))
    entry["fired"] = True
    changes.report(entry)


def _apply_per_item(
    rule: _Rule, draft: Draft, scope: dict[str, Any], entry: dict[str, Any], holding: _Holding
) -> None:
    """The rule applied to each item of its ``forEach``, in document order; each item
    sees the changes made for the items before it (a sum into ``$parent`` grows). What
    an item inherits for the scope is read as the rule reaches its array."""
    each = rule.each
    assert each is not None
    counts = {"items": 0, "matched": 0, "fired": 0}
    changes = _Changes()
    rejected: list[dict[str, Any]] = []
    tags = list(rule.spec.scope)
    try:
        for level, holders in each.arrays(draft.doc):
            items = array_at(draft.doc, level)
            counts["items"] += len(items)
            # What an item that holds none of the tags inherits, and what it reads as
            # $parent, are the same for the whole array until the rule writes.
            values = {tag: scope_value(draft.doc, holders, tag, scope) for tag in tags}
            inherited = _out_of_scope(rule.spec, values.get)
            parent = parent_view(draft.doc, holders, rule.parents)
            for index in holding.candidates(items, tags, bool(inherited)):
                if not index % _BATCH:
                    budget.check()
                item = items[index]
                if tags and type(item) is dict and any(tag in item for tag in tags):
                    own = {tag: item.get(tag, values[tag]) for tag in tags}
                    if _out_of_scope(rule.spec, own.get):
                        continue
                elif inherited:
                    continue
                counts["matched"] += 1
                at = (*level, index)
                document = draft.doc if rule.root else MISSING
                seen = item_view(item, at, parent, document)
                if not all(_condition(rule, c, seen, at) for c in rule.conditions):
                    continue
                counts["fired"] += 1
                for action in rule.actions:
                    if action.spec.type == "reject":
                        reason = _reason(action, seen, True)
                        rejected.append({"path": format_path(at), "reason": reason})
                        break
                    assert action.target is not None
                    target = action.target
                    if "{" in target:
                        target = render(target, seen, True)
                    parts = target_parts(target, (at, *holders))
                    holding.wrote(parts, _write(rule, action, draft, seen, parts, changes, at))
                    # What the rule wrote is what the next action and item read.
                    items = array_at(draft.doc, level)
                    parent = parent_view(draft.doc, holders, rule.parents)
                    document = draft.doc if rule.root else MISSING
                    seen = item_view(items[index], at, parent, document)
    except ItemError as exc:
        raise _failed(rule.spec, f"forEach {each.text}", str(exc)) from exc
    if rejected:
        first = rejected[0]["reason"]
        more = f" (and {len(rejected) - 1} more)" if len(rejected) > 1 else ""
        raise PlatformError(
            ErrorCode.RULE_REJECTED,
            f"Rejected by rule '{rule.spec.name}': {first}{more}.",
            details={
                "rule": rule.spec.name,
                "reason": first,
                "rejected": len(rejected),
                "items": rejected[:MAX_RECORDED],
            },
        )
    entry.update(
        forEach=each.text,
        matched=counts["matched"] > 0,
        fired=counts["fired"] > 0,
        items=counts["items"],
        itemsMatched=counts["matched"],
        itemsFired=counts["fired"],
    )
    changes.report(entry)
    if not counts["fired"]:
        entry["reason"] = "no item in scope" if not counts["matched"] else "conditions not met"


class _Holding:
    """Which items of an array hold a scope tag of their own, remembered per array and
    tag for one evaluation: the rules per item of a phase mostly share their tags and
    arrays, and an array the rules have not written is the same list object (a written
    one is a new list, found again). The lists are kept, so their ids stay theirs."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, str], tuple[list[Any], list[int]]] = {}
        self._tags: set[str | int] = set()

    def candidates(self, items: list[Any], tags: list[str], inherited_out: bool) -> Iterable[int]:
        """The indexes of the items that may be in scope: all of them, or, when the
        array's scope (from the enclosing items and the request) is out, those holding a
        tag of their own (and any that is not an object, which fails the rule)."""
        if not inherited_out:
            return range(len(items))
        if len(tags) > 1:
            return sorted({i for tag in tags for i in self._holding(items, tag)})
        return self._holding(items, tags[0])

    def wrote(self, parts: Parts, value: Any) -> None:
        """Forgets what a write may have changed: an item's field named like a tag, or
        whole objects (in place, in a list the rules already own)."""
        if isinstance(value, dict | list) or (parts and parts[-1] in self._tags):
            self._found.clear()

    def _holding(self, items: list[Any], tag: str) -> list[int]:
        key = (id(items), tag)
        if (known := self._found.get(key)) is None:
            found = [i for i, item in enumerate(items) if type(item) is not dict or tag in item]
            self._found[key] = known = (items, found)
            self._tags.add(tag)
        return known[1]


def _condition(rule: _Rule, condition: Expression, doc: Any, item: Parts | None = None) -> bool:
    try:
        result = condition.evaluate(doc)
    except RuntimeError as exc:
        raise _failed(rule.spec, condition.text, _zen_error(exc), condition, doc, item) from exc
    return result is True


def _reason(action: _Action, seen: Any, per_item: bool) -> str:
    reason = action.spec.reason or "no reason given"
    return render(reason, seen, per_item) if "{" in reason else reason


def _inapplicable(rule: Rule, as_of: date) -> str | None:
    if not rule.active:
        return "inactive"
    if rule.effective_from and as_of < rule.effective_from:
        return f"not yet effective (from {rule.effective_from})"
    if rule.effective_to and as_of > rule.effective_to:
        return f"expired (to {rule.effective_to})"
    return None


def _out_of_scope(rule: Rule, value_of: Any) -> str | None:
    for tag, wanted in rule.scope.items():
        allowed = wanted if isinstance(wanted, list) else [wanted]
        value = value_of(tag)
        if str(value) not in allowed:
            return f"scope {tag}={value!r} not in {allowed}"
    return None


def _failed(
    rule: Rule,
    expression: str,
    message: str,
    compiled: Expression | None = None,
    doc: Any = None,
    item: Parts | None = None,
) -> PlatformError:
    """RULE_EVALUATION_FAILED naming the rule, the expression, the item (of a rule per
    item) and the fields the expression reads that are absent or null: the usual cause
    of ZEN's "Unsupported type"."""
    details: dict[str, Any] = {"rule": rule.name, "expression": expression, "reason": message}
    text = f"Rule '{rule.name}': {message} (in {expression!r}"
    if item is not None:
        details["item"] = format_path(item)
        text += f", for {details['item']}"
    text += ")"
    absent = _absent(compiled, doc) if compiled is not None else []
    if absent:
        details["absent"] = absent
        named = ", ".join(absent)
        text += (
            f"; absent or null: {named} (give a default where it is optional: ({absent[0]} ?? 0))"
        )
    return PlatformError(ErrorCode.RULE_EVALUATION_FAILED, text + ".", details=details)


def _absent(expression: Expression, doc: Any) -> list[str]:
    """The paths ``expression`` reads that ``doc`` lacks or holds null at (as written)."""
    absent = []
    for path in sorted(expression.paths):
        if get_parts(doc, split_path(path)) in (MISSING, None):
            absent.append(path.replace(DOCUMENT, "$root"))
    return absent


def _number(rule: Rule, what: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _failed(rule, what, f"needs a number, found {type(value).__name__}")
    if not math.isfinite(value):
        raise _failed(rule, what, "result is not a finite number (division by zero?)")
    return float(value)


def _write(
    rule: _Rule,
    action: _Action,
    draft: Draft,
    seen: Any,
    parts: Parts,
    changes: _Changes,
    item: Parts | None = None,
) -> Any:
    """Applies a set, numeric or lookup action at ``parts`` of the document; ``seen``
    is what its value reads (the document, or an item's view). Returns what it wrote."""
    spec = action.spec
    before = get_parts(draft.doc, parts)
    before = None if before is MISSING else before
    if spec.type == "lookup":
        answer = _lookup(rule, action, seen, item)
        after = answer.get(spec.output) if spec.output else answer
    else:
        value = _value(rule, action, seen, item)
        after = _compute(rule.spec, spec, before, value)
    changes.add(parts, before, after)
    try:
        draft.set(parts, after)
    except PathError as exc:
        raise _failed(rule.spec, format_path(parts), f"cannot write the target: {exc}") from exc
    return after


def _lookup(rule: _Rule, action: _Action, doc: Any, item: Parts | None) -> Any:
    if action.native_table is not None:
        try:
            return action.native_table.evaluate(doc)
        except Defer:
            pass
    inputs = context_for(doc, action.table_inputs)
    try:
        return action.table.evaluate(inputs)["result"]
    except RuntimeError as exc:
        raise _failed(rule.spec, "decision table", _zen_error(exc), item=item) from exc


def _value(rule: _Rule, action: _Action, doc: Any, item: Parts | None) -> Any:
    if action.value is None:
        return action.spec.value
    try:
        value = action.value.evaluate(doc)
    except RuntimeError as exc:
        raise _failed(
            rule.spec, action.value.text, _zen_error(exc), action.value, doc, item
        ) from exc
    if value is None:
        raise _failed(
            rule.spec,
            action.value.text,
            "the expression gave null (missing data or division by zero)",
            action.value,
            doc,
            item,
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
