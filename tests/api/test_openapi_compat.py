"""The breaking-change check (`make lint-api`, api/openapi_compat.py) on real edits of the
committed document: each breaking one fails it, an additive one passes."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.openapi_compat import main

DOCUMENT = json.loads((Path(__file__).parents[2] / "docs" / "openapi.json").read_text())
Edit = Callable[[dict[str, Any]], None]


def _remove_operation(doc: dict[str, Any]) -> None:
    del doc["paths"]["/api/v2/api-keys"]["post"]


def _require_param(doc: dict[str, Any]) -> None:
    doc["paths"]["/api/v2/audit-log"]["get"]["parameters"].append(
        {"in": "query", "name": "tenant", "required": True, "schema": {"type": "string"}}
    )


def _require_field(doc: dict[str, Any]) -> None:
    doc["components"]["schemas"]["ApiKeyCreate"]["required"].append("expiresAt")


def _narrow_enum(doc: dict[str, Any]) -> None:
    doc["components"]["schemas"]["ApiKeyCreate"]["properties"]["apiVersion"]["anyOf"][0]["enum"] = [
        "v2"
    ]


def _remove_response_field(doc: dict[str, Any]) -> None:
    del doc["components"]["schemas"]["MePublic"]["properties"]["plan"]


def _add_operation_and_field(doc: dict[str, Any]) -> None:
    doc["paths"]["/api/v2/ping"] = {"get": {"responses": {"200": {"description": "pong"}}}}
    doc["components"]["schemas"]["MePublic"]["properties"]["region"] = {"type": "string"}
    doc["components"]["schemas"]["ApiKeyCreate"]["properties"]["note"] = {"type": "string"}


def _run(tmp_path: Path, edit: Edit) -> int:
    new = copy.deepcopy(DOCUMENT)
    edit(new)
    (tmp_path / "old.json").write_text(json.dumps(DOCUMENT))
    (tmp_path / "new.json").write_text(json.dumps(new))
    return main(["--old", str(tmp_path / "old.json"), "--new", str(tmp_path / "new.json")])


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_remove_operation, "POST /api/v2/api-keys: operation removed"),
        (_require_param, "query parameter tenant is now required"),
        (_require_field, "field expiresAt is now required"),
        (_narrow_enum, "apiVersion: enum values ['\"v1\"'] no longer accepted"),
        (_remove_response_field, "GET /api/v2/me: response 200 application/json: field plan"),
    ],
)
def test_a_breaking_change_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], edit: Edit, expected: str
) -> None:
    assert _run(tmp_path, edit) == 1
    assert expected in capsys.readouterr().out


def test_an_additive_change_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(tmp_path, _add_operation_and_field) == 0
    assert "no breaking change" in capsys.readouterr().out
