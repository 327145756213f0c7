"""Log lines are JSON with the work's context, and carry no personal data."""

from __future__ import annotations

import json
import logging

import pytest

from models import log_context
from models.settings import Settings
from workers.logs import configure_logging

PII = {
    "name": "Jane Doe",
    "email": "jane.doe@example.com",
    "ssn": "123-45-6789",
    "card": "4111 1111 1111 1111",
    "phone": "+1 (555) 123-4567",
    "dateOfBirth": "1980-01-02",
}


def test_every_line_is_json_with_context_and_no_personal_data(
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging(Settings(log_mask_fields=["dateOfBirth"]))
        log = logging.getLogger("irx.test")
        with log_context.bound(correlation_id="c-1", organization="org-1", transaction_id="t-1"):
            log.warning("request %s", json.dumps(PII))
            try:
                raise ValueError(f"bad card {PII['card']} for {PII['email']}")
            except ValueError:
                log.exception("step failed")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line["level"] for line in lines] == ["WARNING", "ERROR"]
    first = lines[0]
    assert {"timestamp", "level", "logger", "message"} <= first.keys()
    assert (first["correlation_id"], first["organization"], first["transaction_id"]) == (
        "c-1",
        "org-1",
        "t-1",
    )
    text = json.dumps(lines)
    for key, value in PII.items():
        if key != "name":
            assert value not in text, key
    assert "Jane Doe" in text  # a name alone is not masked unless its field is listed
