"""The OpenAPI document is the contract: schemathesis, bounded, finds no 5xx and no
answer that breaks the document, over real HTTP against the real stack."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from tests.conftest import Stack, serve_api

# What the contract promises. Left out: rejecting every schema-invalid input (pydantic
# coerces `0` to `false`) and accepting every schema-valid one (some rules span fields,
# e.g. a rule action's target, which JSON Schema does not express).
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


@pytest.mark.slow  # schemathesis over every operation: about 50 s
async def test_schemathesis_finds_no_server_error_and_no_answer_off_the_document(
    stack: Stack,
) -> None:
    st = str(Path(sys.executable).with_name("st"))
    async with serve_api(stack.app, stack.settings) as url:
        run = await asyncio.create_subprocess_exec(
            st,
            "run",
            f"{url}/openapi.json",
            "--header",
            f"X-API-Key: {stack.demo.api_key}",
            "--max-examples",
            "5",
            "--generation-deterministic",
            "--generation-allow-x00",
            "false",
            "--checks",
            CHECKS,
            "--no-color",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(run.communicate(), 300)
    assert run.returncode == 0, output.decode()[-6000:]
