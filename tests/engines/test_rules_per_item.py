"""Rules applied per item (``forEach``): $parent and $root, per-item scopes, targets
written per item, sums per group, reject reasons naming every offending item."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from engines.paths import Draft
from engines.rules import MAX_RECORDED, RuleSet, validate_rule
from models.errors import ErrorCode, PlatformError
from models.rules import Rule

TODAY = date(2026, 12, 1)


def rule(**fields: Any) -> Rule:
    return Rule.model_validate({"phase": "pre_rating", "name": "r", **fields})


def policy() -> dict[str, Any]:
    return {
        "policy": {"state": "PA", "minimum": 10},
        "states": [
            {"state": "PA", "classes": [{"code": "8810", "payroll": 1000}, {"code": "5403"}]},
            {"state": "NY", "classes": [{"code": "8810", "payroll": 3000}]},
            {"state": "TX", "classes": []},
            {"state": "FL"},
        ],
    }


def run(rules: list[Rule], doc: Any, scope: dict[str, Any] | None = None) -> Any:
    return RuleSet(rules).evaluate(doc, as_of=TODAY, scope=scope or {})


def test_an_item_reads_its_parent_and_the_root_and_writes_itself() -> None:
    doc = policy()
    before = copy.deepcopy(doc)
    stamp = rule(
        forEach="states[].classes",
        conditions=["(payroll ?? 0) > 0"],
        actions=[
            {"type": "set", "target": "state", "value": "$parent.state"},
            {"type": "set", "target": "floor", "value": "$root.policy.minimum * 2"},
        ],
    )
    result = run([stamp], doc)
    classes = [c for s in result.document["states"] for c in s.get("classes", [])]
    assert [(c.get("state"), c.get("floor")) for c in classes] == [
        ("PA", 20),
        (None, None),  # no payroll
        ("NY", 20),
    ]
    assert doc == before  # the input is never changed
    entry = result.worksheet[0]
    assert (entry["items"], entry["itemsMatched"], entry["itemsFired"]) == (3, 3, 2)
    assert entry["changes"][0] == {
        "path": "states[0].classes[0].state",
        "before": None,
        "after": "PA",
    }


def test_a_scope_matches_each_item_by_its_own_or_its_parents_fields() -> None:
    surcharge = rule(
        forEach="states[].classes",
        scope={"state": "PA"},
        actions=[{"type": "set", "target": "pa", "value": True}],
    )
    by_request = rule(
        name="by request",
        forEach="states",
        scope={"plan": "gold"},
        actions=[{"type": "set", "target": "gold", "value": True}],
    )
    result = run([surcharge, by_request], policy(), scope={"plan": "gold"})
    states = result.document["states"]
    assert [c.get("pa") for c in states[0]["classes"]] == [True, True]
    assert "pa" not in states[1]["classes"][0]
    assert all(s["gold"] for s in states)  # a tag no item holds falls back to the request's


def test_sums_per_parent_and_per_group_are_one_rule() -> None:
    total = rule(
        forEach="states[].classes",
        conditions=["(payroll ?? 0) > 0"],
        actions=[
            {"type": "add", "target": "$parent.payroll", "value": "payroll"},
            {"type": "add", "target": "$root.byCode.{code}", "value": "payroll"},
            {"type": "add", "target": "$root.total", "value": "payroll"},
        ],
    )
    document = run([total], policy()).document
    assert [s.get("payroll") for s in document["states"]] == [1000, 3000, None, None]
    assert document["byCode"] == {"8810": 4000}
    assert document["total"] == 4000


def test_a_minimum_per_state_is_one_rule_with_its_target_per_item() -> None:
    minimum = rule(
        forEach="states",
        conditions=["(premium ?? 0) < minimum"],
        actions=[{"type": "set", "target": "premium", "value": "minimum"}],
    )
    doc = {"states": [{"premium": 50, "minimum": 100}, {"premium": 500, "minimum": 100}]}
    assert [s["premium"] for s in run([minimum], doc).document["states"]] == [100, 500]


def test_a_reject_names_every_offending_item_from_its_template() -> None:
    refuse = rule(
        forEach="states[].classes",
        conditions=["code == '5403' or ($parent.state == 'NY' and code == '8810')"],
        actions=[
            {"type": "reject", "reason": "class {code} is not written in {$parent.state}"},
        ],
    )
    with pytest.raises(PlatformError) as caught:
        run([refuse], policy())
    error = caught.value
    assert error.code == ErrorCode.RULE_REJECTED
    assert error.message == ("Rejected by rule 'r': class 5403 is not written in PA (and 1 more).")
    assert error.details["rejected"] == 2
    assert error.details["items"] == [
        {"path": "states[0].classes[1]", "reason": "class 5403 is not written in PA"},
        {"path": "states[1].classes[0]", "reason": "class 8810 is not written in NY"},
    ]


def test_a_document_rule_reason_is_a_template_too() -> None:
    refuse = rule(
        conditions=["policy.state == 'PA'"],
        actions=[{"type": "reject", "reason": "{policy.state} is closed ({policy.absent})"}],
    )
    with pytest.raises(PlatformError) as caught:
        run([refuse], policy())
    assert caught.value.details["reason"] == "PA is closed ((absent))"


def test_an_absent_field_is_named_with_the_rule_the_expression_and_the_item() -> None:
    strict = rule(
        name="big payroll",
        forEach="states[].classes",
        conditions=["payroll > 2000"],
        actions=[{"type": "set", "target": "big", "value": True}],
    )
    doc = {"states": [{"classes": [{"code": "1", "payroll": 10}, {"code": "2"}]}]}
    with pytest.raises(PlatformError) as caught:
        run([strict], doc)
    error = caught.value
    assert error.code == ErrorCode.RULE_EVALUATION_FAILED
    assert error.details["absent"] == ["payroll"]
    assert error.details["item"] == "states[0].classes[1]"
    assert "Rule 'big payroll'" in error.message
    assert "'payroll > 2000'" in error.message
    assert "(payroll ?? 0)" in error.message


def test_an_absent_field_of_a_document_rule_is_named() -> None:
    strict = rule(
        conditions=["policy.age > 25"], actions=[{"type": "set", "target": "x", "value": 1}]
    )
    with pytest.raises(PlatformError) as caught:
        run([strict], policy())
    assert caught.value.details["absent"] == ["policy.age"]
    assert "item" not in caught.value.details


def test_root_in_a_document_rule_reads_the_document_natively_as_zen_does() -> None:
    both = rule(
        conditions=["$root.policy.minimum == 10"],
        actions=[{"type": "set", "target": "seen", "value": "$root.policy.state"}],
    )
    assert run([both], policy()).document["seen"] == "PA"
    reference = RuleSet([both], native=False).evaluate(policy(), as_of=TODAY, scope={})
    assert reference.document["seen"] == "PA"


def test_native_and_zen_agree_on_items() -> None:
    """The same rules per item, natively and all by ZEN, give the same document."""
    rules = [
        rule(
            forEach="states[].classes",
            conditions=["$parent.state != 'TX' and (payroll ?? 0) >= 1000"],
            actions=[
                {"type": "set", "target": "rate", "value": "payroll * 1.5 + len($parent.classes)"},
                {"type": "multiply", "target": "payroll", "value": "$root.policy.minimum / 10"},
            ],
        )
    ]
    native = RuleSet(rules).evaluate(policy(), as_of=TODAY, scope={})
    reference = RuleSet(rules, native=False).evaluate(policy(), as_of=TODAY, scope={})
    assert native.document == reference.document
    assert native.worksheet == reference.worksheet


def test_parents_past_the_nesting_and_bad_items_are_refused() -> None:
    problems = validate_rule(
        rule(
            forEach="states",
            conditions=["$parent.$parent.x > 1"],
            actions=[{"type": "set", "target": "x", "value": 1}],
        )
    )
    assert "climbs 2 level(s)" in problems[0]["message"]
    with pytest.raises(PlatformError) as caught:
        run(
            [rule(forEach="states", actions=[{"type": "set", "target": "x", "value": 1}])],
            {"states": [{"a": 1}, "PA"]},
        )
    assert caught.value.code == ErrorCode.RULE_EVALUATION_FAILED
    assert "states[1] is a str, not an object" in caught.value.message
    with pytest.raises(ValueError, match="forEach"):
        rule(forEach="states[[]", actions=[{"type": "set", "target": "x", "value": 1}])


def test_a_large_array_keeps_its_changes_short_and_costs_one_copy() -> None:
    doc = {"items": [{"n": i} for i in range(5000)]}
    double = rule(forEach="items", actions=[{"type": "multiply", "target": "n", "value": 2}])
    result = run([double], doc)
    assert [i["n"] for i in result.document["items"][:3]] == [0, 2, 4]
    assert doc["items"][1] == {"n": 1}
    entry = result.worksheet[0]
    assert len(entry["changes"]) == MAX_RECORDED
    assert entry["changesOmitted"] == 5000 - MAX_RECORDED


def test_a_draft_copies_each_container_once_and_never_the_original() -> None:
    original = {"a": [{"x": 1}, {"x": 2}], "b": {"c": 1}}
    draft = Draft(original)
    draft.set(("a", 0, "y"), 5)
    first = draft.doc["a"]
    draft.set(("a", 1, "y"), 6)
    assert draft.doc["a"] is first  # copied once, then written in place
    assert original == {"a": [{"x": 1}, {"x": 2}], "b": {"c": 1}}
    assert draft.doc["b"] is original["b"]  # untouched branches are shared
    shared = draft.doc["a"][0]
    draft.set(("z",), shared)  # written in a second place: copied again from here on
    draft.set(("z", "y"), 7)
    assert draft.doc["a"][0]["y"] == 5


def test_a_rule_that_gives_items_a_tag_brings_them_into_a_later_rules_scope() -> None:
    """Which items hold a scope tag is remembered between rules, and forgotten when a
    rule writes that tag (in place, into a list the evaluation already copied)."""
    doc = {"states": [{"state": "NY", "classes": [{"code": "1"}, {"code": "2"}]}]}

    def each(name: str, **fields: Any) -> Rule:
        return rule(name=name, priority=int(name[0]), forEach="states[].classes", **fields)

    rules = [
        each("1 copy", actions=[{"type": "set", "target": "n", "value": 1}]),
        each(
            "2 none in PA",
            scope={"state": "PA"},
            actions=[{"type": "set", "target": "x", "value": 1}],
        ),
        each(
            "3 move",
            conditions=["code == '2'"],
            actions=[{"type": "set", "target": "state", "value": "'PA'"}],
        ),
        each(
            "4 in PA",
            scope={"state": "PA"},
            actions=[{"type": "set", "target": "pa", "value": True}],
        ),
    ]
    classes = run(rules, doc).document["states"][0]["classes"]
    assert classes == [{"code": "1", "n": 1}, {"code": "2", "n": 1, "state": "PA", "pa": True}]


def test_a_container_written_in_a_second_place_is_never_changed_in_both() -> None:
    """A value holding a container the draft already copied (a state, through $parent)
    is copied again when written through either place."""
    original = {"states": [{"state": "PA", "classes": [{"code": "1"}]}]}
    draft = Draft(original)
    draft.set(("states", 0, "classes", 0, "x"), 1)  # the state and its classes are copied
    draft.set(("copy",), {"of": draft.doc["states"][0]})  # written into a new object
    draft.set(("copy", "of", "classes", 0, "y"), 2)
    assert "y" not in draft.doc["states"][0]["classes"][0]
    assert draft.doc["copy"]["of"]["classes"][0] == {"code": "1", "x": 1, "y": 2}
    assert original == {"states": [{"state": "PA", "classes": [{"code": "1"}]}]}
