"""The rule evaluator (ZEN expressions and decision tables) as plain functions."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest

from engines.rules import RuleSet, context_for, referenced_paths, validate_rule
from irx.demo import demo_definition
from models.errors import ErrorCode, PlatformError
from models.rules import Rule, RuleAction

TODAY = date(2026, 12, 1)
CLASS_TABLE: dict[str, Any] = {
    "nodes": [
        {"id": "in", "type": "inputNode", "name": "in", "position": {"x": 0, "y": 0}},
        {
            "id": "t",
            "type": "decisionTableNode",
            "name": "classes",
            "position": {"x": 0, "y": 0},
            "content": {
                "hitPolicy": "first",
                "inputs": [{"id": "c", "name": "class", "field": "classCode"}],
                "outputs": [{"id": "f", "name": "factor", "field": "factor"}],
                "rules": [
                    {"_id": "1", "c": '"CRN"', "f": "1.08"},
                    {"_id": "2", "c": "", "f": "1"},
                ],
            },
        },
        {"id": "out", "type": "outputNode", "name": "out", "position": {"x": 0, "y": 0}},
    ],
    "edges": [
        {"id": "a", "sourceId": "in", "targetId": "t", "type": "edge"},
        {"id": "b", "sourceId": "t", "targetId": "out", "type": "edge"},
    ],
}


def rule(name: str, *actions: RuleAction, **fields: Any) -> Rule:
    return Rule(name=name, phase="pre_rating", actions=list(actions), **fields)


def run(rules: list[Rule], doc: Any, scope: dict[str, Any] | None = None) -> Any:
    return RuleSet(rules).evaluate(doc, as_of=TODAY, scope=scope or {})


def test_actions_apply_in_priority_order() -> None:
    result = run(
        [
            rule("discount", RuleAction(type="discount", target="p", value=10), priority=30),
            rule("surcharge", RuleAction(type="surcharge", target="p", value="25"), priority=20),
            rule("base", RuleAction(type="set", target="p", value="base * 2"), priority=10),
            rule("add", RuleAction(type="add", target="fees.total", value=5), priority=40),
            rule("times", RuleAction(type="multiply", target="fees.total", value=3), priority=50),
        ],
        {"base": 100},
    )
    assert result.document == {"base": 100, "p": 225.0, "fees": {"total": 15.0}}
    assert [e["rule"] for e in result.worksheet] == [
        "base",
        "surcharge",
        "discount",
        "add",
        "times",
    ]
    assert result.worksheet[1]["changes"] == [{"path": "p", "before": 200.0, "after": 250.0}]
    assert (result.evaluated, result.fired) == (5, 5)


def test_the_input_document_is_not_modified() -> None:
    doc = {"a": {"b": 1}, "other": {"big": [1, 2, 3]}}
    result = run([rule("r", RuleAction(type="set", target="a.c", value=2))], doc)
    assert doc == {"a": {"b": 1}, "other": {"big": [1, 2, 3]}}
    assert result.document["a"] == {"b": 1, "c": 2}
    assert result.document["other"] is doc["other"]  # untouched branches are shared


def test_scope_dates_active_and_conditions_filter_rules() -> None:
    set_x = RuleAction(type="set", target="x", value=1)
    result = run(
        [
            rule("ny only", set_x, scope={"state": "NY"}),
            rule("tx or ca", set_x, scope={"state": ["TX", "CA"]}),
            rule("inactive", set_x, active=False),
            rule("future", set_x, effective_from=date(2027, 1, 1)),
            rule("expired", set_x, effective_to=date(2026, 1, 1)),
            rule("old building", set_x, conditions=["building.yearBuilt < 1950"]),
        ],
        {"building": {"yearBuilt": 1990}},
        {"state": "TX"},
    )
    by_rule = {e["rule"]: e for e in result.worksheet}
    assert not by_rule["ny only"]["matched"]
    assert by_rule["tx or ca"]["fired"]
    assert by_rule["inactive"]["reason"] == "inactive"
    assert by_rule["future"]["reason"].startswith("not yet effective")
    assert by_rule["expired"]["reason"].startswith("expired")
    assert by_rule["old building"]["matched"]
    assert not by_rule["old building"]["fired"]
    assert result.fired == 1


def test_reject_fails_with_the_rules_reason() -> None:
    with pytest.raises(PlatformError) as caught:
        run([rule("no crane", RuleAction(type="reject", reason="cranes need review"))], {})
    assert caught.value.code == ErrorCode.RULE_REJECTED
    assert "cranes need review" in caught.value.message
    assert caught.value.details == {"rule": "no crane", "reason": "cranes need review"}


def test_decision_table_lookup() -> None:
    lookup = RuleAction(type="lookup", target="factors.cls", output="factor", table=CLASS_TABLE)
    assert run([rule("t", lookup)], {"classCode": "CRN"}).document["factors"] == {"cls": 1.08}
    assert run([rule("t", lookup)], {"classCode": "GEN"}).document["factors"] == {"cls": 1}


@pytest.mark.parametrize(
    ("action", "doc", "fragment"),
    [
        (RuleAction(type="set", target="x", value="a / b"), {"a": 1, "b": 0}, "division by zero"),
        (RuleAction(type="multiply", target="name", value=2), {"name": "x"}, "needs a number"),
        (RuleAction(type="multiply", target="missing", value=2), {}, "needs a number"),
        (RuleAction(type="add", target="x", value="'a' + 1"), {}, "Unsupported type"),
    ],
)
def test_bad_data_fails_naming_the_rule(action: RuleAction, doc: Any, fragment: str) -> None:
    with pytest.raises(PlatformError) as caught:
        run([rule("bad", action)], doc)
    assert caught.value.code == ErrorCode.RULE_EVALUATION_FAILED
    assert "Rule 'bad'" in caught.value.message
    assert fragment in caught.value.message


def test_invalid_expressions_are_refused_with_their_position() -> None:
    problems = validate_rule(
        rule("bad", RuleAction(type="set", target="x", value="1 +* 2"), conditions=["a >>"])
    )
    assert [p["at"] for p in problems] == ["conditions[0]", "actions[0].value"]
    assert "(3, 4)" in problems[1]["message"]
    with pytest.raises(PlatformError) as caught:
        RuleSet([rule("bad", RuleAction(type="set", target="x", value="1 +* 2"))])
    assert caught.value.code == ErrorCode.VALIDATION_FAILED


def test_zen_sees_only_the_keys_an_expression_refers_to() -> None:
    paths = referenced_paths('building.yearBuilt < 1950 and state == "NY" and len(items) > 0')
    assert paths == {"building.yearBuilt", "state", "items"}
    doc = {
        "building": {"yearBuilt": 1900, "floors": 3},
        "state": "NY",
        "items": [1],
        "big": "x" * 10,
    }
    assert context_for(doc, paths) == {"building": {"yearBuilt": 1900}, "state": "NY", "items": [1]}


def test_a_rule_target_past_the_array_bound_is_refused_at_save() -> None:
    from engines.rules import validate_rule

    rule = Rule.model_validate(
        {
            "name": "amplify",
            "phase": "pre_rating",
            "actions": [{"type": "set", "target": "lines[5000000].x", "value": 1}],
        }
    )
    (problem,) = validate_rule(rule)
    assert problem["at"] == "actions[0].target"
    assert "past the largest allowed" in problem["message"]


def test_a_decision_table_over_an_array_reads_the_array_as_written() -> None:
    """The new-user finding: a table looping over ``equipment`` (columns naming fields of
    each element) used to see nothing unless a column also named the array."""
    table = {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
            {
                "id": "t",
                "type": "decisionTableNode",
                "name": "Factor per item",
                "position": {"x": 200, "y": 0},
                "content": {
                    "hitPolicy": "first",
                    "inputField": "equipment",
                    "outputPath": "factors",
                    "executionMode": "loop",
                    "inputs": [{"id": "c", "name": "Type", "field": "type"}],
                    "outputs": [{"id": "o", "name": "Factor", "field": "factor"}],
                    "rules": [
                        {"_id": "r1", "c": '"excavator"', "o": "1.2"},
                        {"_id": "r2", "c": "", "o": "1.0"},
                    ],
                },
            },
            {"id": "out", "type": "outputNode", "name": "Response", "position": {"x": 400, "y": 0}},
        ],
        "edges": [
            {"id": "e1", "sourceId": "in", "targetId": "t", "type": "edge"},
            {"id": "e2", "sourceId": "t", "targetId": "out", "type": "edge"},
        ],
    }
    lookup = RuleAction(type="lookup", target="itemFactors", output="factors", table=table)
    doc = {"equipment": [{"type": "excavator"}, {"type": "crane"}]}
    assert run([rule("per item", lookup)], doc).document["itemFactors"] == [
        {"factor": 1.2},
        {"factor": 1},
    ]


def _outcome(rules: RuleSet, doc: Any, scope: dict[str, Any]) -> Any:
    try:
        result = rules.evaluate(doc, as_of=TODAY, scope=scope)
    except PlatformError as exc:
        return exc.code, exc.message, exc.details
    return result.document, result.worksheet, result.evaluated, result.fired


def test_imce_rules_give_the_same_documents_and_worksheets_natively_as_in_zen() -> None:
    rules = [Rule.model_validate(r) for r in demo_definition("IMCE")["rules"]]
    docs = [
        {
            "engineRequest": {"Exposures": {"Exposure": [{"ClassCode": code}]}},
            "building": {"yearBuilt": year},
            "equipment": [{"type": "crane"}] * count,
            "premium": premium,
            "fees": fees,
        }
        for code, year, count, premium, fees in [
            ("EXC", 1938, 5, 640.5, {}),
            ("ZZZ", 1990, 2, 1200, {"nyPolicyFee": 25}),
            ("CRN", 1950.0, 3, 749.995, {"nyPolicyFee": 12.5}),
        ]
    ]
    for phase in ("pre_rating", "post_rating"):
        chosen = [r for r in rules if r.phase == phase]
        native, reference = RuleSet(chosen), RuleSet(chosen, native=False)
        for doc in docs:
            for scope in ({"state": "NY"}, {"state": "TX"}):
                assert _outcome(native, doc, scope) == _outcome(reference, doc, scope)


@pytest.mark.parametrize(
    ("action", "conditions", "doc"),
    [
        (RuleAction(type="set", target="x", value="a / b"), [], {"a": 1, "b": 0}),
        (RuleAction(type="add", target="x", value="'a' + 1"), [], {}),
        (RuleAction(type="set", target="x", value="1"), ["a < 'x'"], {"a": 1}),
        (RuleAction(type="set", target="x", value="1"), ["not a"], {"a": 1}),
        (RuleAction(type="set", target="x", value="1"), ["len(n) > 1"], {"n": 5}),
        (RuleAction(type="set", target="x", value="1"), ["len(items) > 1"], {"items": 5}),
        (RuleAction(type="set", target="x", value="-a"), [], {"a": "x"}),
        (RuleAction(type="multiply", target="x", value="a * 2"), [], {"a": 1.5, "x": None}),
        (RuleAction(type="set", target="x", value="a ?? b"), [], {"b": 2.5}),
    ],
)
def test_failures_and_values_are_zens_own(
    action: RuleAction, conditions: list[str], doc: Any
) -> None:
    rules = [rule("r", action, conditions=conditions)]
    assert _outcome(RuleSet(rules), doc, {}) == _outcome(RuleSet(rules, native=False), doc, {})


def test_a_large_array_is_counted_not_copied() -> None:
    """``len(equipment)`` on 300,000 items: natively, in far less than ZEN's copy."""
    rules = [rule("big", RuleAction(type="set", target="x", value=1), conditions=["len(xs) >= 3"])]
    doc = {"xs": [{"type": "crane", "value": 1.5}] * 300_000}
    native = RuleSet(rules)
    started = time.perf_counter()
    result = native.evaluate(doc, as_of=TODAY, scope={})
    assert time.perf_counter() - started < 0.05
    assert result.fired == 1
