"""JSON Schema validation: formats are asserted, remote references refused."""

from __future__ import annotations

import pytest

from engines.json_schema import check_schema, schema_errors

SCHEMA = {
    "type": "object",
    "properties": {
        "effectiveDate": {"type": "string", "format": "date"},
        "contact": {"type": "string", "format": "email"},
    },
}


def test_formats_are_asserted() -> None:
    assert schema_errors(SCHEMA, {"effectiveDate": "2027-02-28", "contact": "a@b.example"}) == []
    errors = schema_errors(SCHEMA, {"effectiveDate": "2027-02-30", "contact": "nobody"})
    assert [e["path"] for e in errors] == ["$.contact", "$.effectiveDate"]


def test_a_remote_reference_is_refused() -> None:
    with pytest.raises(ValueError, match=r"remote \$ref .* is not allowed"):
        check_schema({"$ref": "https://schemas.example/evil.json"})
