"""A request full of personal data leaves none of it in the API's or worker's log lines."""

from __future__ import annotations

import json
import logging

import pytest

from models.settings import Settings
from tests.conftest import Stack
from workers.logs import configure_logging

PII = {
    "email": "jane.doe@example.com",
    "ssn": "123-45-6789",
    "card": "4111 1111 1111 1111",
    "phone": "+1 (555) 123-4567",
}


async def test_a_request_full_of_pii_leaves_none_in_the_logs(
    stack: Stack, example_request: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging(Settings(log_level="DEBUG"))
        body = json.loads(example_request)
        body["insured"].update(contactEmail=PII["email"], ssn=PII["ssn"], phone=PII["phone"])
        body["payment"] = {"cardNumber": PII["card"]}
        rated = await stack.http.post("/api/v1/IMCE/rate", json=body, headers=stack.headers)
        assert rated.status_code == 200, rated.text
        # Refused requests are logged with their message, which may quote the document.
        body["equipment"][0]["value"] = f"{PII['email']} {PII['ssn']} {PII['card']}"
        refused = await stack.http.post("/api/v1/IMCE/rate", json=body, headers=stack.headers)
        assert refused.status_code in (200, 400, 422), refused.text
        nosy = await stack.http.post(
            f"/api/v1/{PII['email']}/rate", json=body, headers=stack.headers
        )
        assert nosy.status_code == 404
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    assert any("answered 404" in line["message"] for line in lines), lines
    text = json.dumps(lines)
    for name, value in PII.items():
        assert value not in text, name


async def test_a_failed_answer_masks_what_its_stored_record_masks(
    stack: Stack, example_request: bytes
) -> None:
    """A run that fails quoting the request answers its caller what the transaction keeps."""
    body = json.loads(example_request)
    body["quote"]["effectiveDate"] = PII["email"]  # fails the schema's date format, quoted
    answer = (await stack.http.post("/api/v1/IMCE/rate", json=body, headers=stack.headers)).json()
    assert answer["status"] == "failed"
    assert answer["error"]["code"] == "VALIDATION_FAILED"
    assert PII["email"] not in json.dumps(answer)
    stored = await stack.http.get(
        f"/api/v1/transactions/{answer['transactionId']}", headers=stack.headers
    )
    assert stored.json()["error"]["details"] == answer["error"]["details"]
