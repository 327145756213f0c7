"""Encrypted payloads end to end: Temporal's history holds no readable policy data, and
the codec server decodes it for operators with the right key (and no one else)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import pytest
from google.protobuf import json_format
from google.protobuf.message import Message
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.api.history.v1 import History
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from models.settings import Settings
from store.sealing import Keyring
from tests.api.test_rate import assert_envelope
from tests.conftest import Stack, running_stack
from workers.client import data_converter
from workers.codec import ENCODING, KEY_ID, EncryptionCodec

UI = "http://127.0.0.1:8233"
VIN = "1HGCM82633A004352"  # a value that appears in the request and nowhere else


@pytest.fixture
def encrypted_settings(settings: Settings) -> Settings:
    keys = f"{Keyring.new_key('p2')},{Keyring.new_key('p1')}"
    return settings.model_copy(
        update={
            "temporal": settings.temporal.model_copy(update={"payload_keys": SecretStr(keys)}),
            "api": settings.api.model_copy(update={"codec_cors_origins": [UI]}),
        }
    )


@asynccontextmanager
async def encrypted_stack(
    settings: Settings, temporal_env: WorkflowEnvironment, engine_url: str
) -> AsyncIterator[Stack]:
    """The stack of conftest, its Temporal client (and so its worker) encrypting payloads."""
    client = await Client.connect(
        temporal_env.client.service_client.config.target_host,
        data_converter=data_converter(settings.temporal),
    )
    async with running_stack(settings, client, engine_url) as stack:
        yield stack


@pytest.fixture
async def secure(
    encrypted_settings: Settings, temporal_env: WorkflowEnvironment, engine_url: str
) -> AsyncIterator[Stack]:
    async with encrypted_stack(encrypted_settings, temporal_env, engine_url) as stack:
        yield stack


@pytest.fixture
async def dev(
    encrypted_settings: Settings, temporal_env: WorkflowEnvironment, engine_url: str
) -> AsyncIterator[Stack]:
    """As ``irx dev`` runs it: loopback callers need no key."""
    api = encrypted_settings.api.model_copy(update={"codec_trust_loopback": True})
    settings = encrypted_settings.model_copy(update={"api": api})
    async with encrypted_stack(settings, temporal_env, engine_url) as stack:
        yield stack


def with_vin(example_request: bytes) -> bytes:
    request = orjson.loads(example_request)
    request["equipment"][0]["serial"] = VIN
    return orjson.dumps(request)


async def raw_history(temporal_client: Client, workflow_id: str) -> History:
    """The history as Temporal stores it, fetched by a client without the codec."""
    history = await temporal_client.get_workflow_handle(workflow_id).fetch_history()
    return History(events=history.events)


def unencrypted(message: Message, path: str = "") -> Iterator[str]:
    """Where ``message`` holds payloads that are not encrypted (field paths, no indexes)."""
    if isinstance(message, Payload):
        if message.metadata.get("encoding") != ENCODING:
            yield path
        return
    for field, value in message.ListFields():
        name = f"{path}.{field.name}" if path else field.name
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            for key, item in value.items():
                if isinstance(item, Message):
                    yield from unencrypted(item, f"{name}[{key}]")
        elif isinstance(value, Message):
            yield from unencrypted(value, name)
        else:  # a repeated field
            for item in value:
                yield from unencrypted(item, name)


def as_json(payloads: list[Payload]) -> dict[str, Any]:
    return json_format.MessageToDict(Payloads(payloads=payloads))


async def test_history_holds_no_policy_data_and_ops_decode_it(
    secure: Stack, example_request: bytes, temporal_client: Client
) -> None:
    response = await secure.http.post(
        "/api/v1/IMCE/rate", content=with_vin(example_request), headers=secure.headers
    )
    assert response.status_code == 200, response.text
    rated = response.json()
    assert rated["status"] == "completed"
    assert rated["result"]["premium"] == 12893.69  # the workers read what they were sent
    workflow_id = f"rate-{rated['transactionId']}"

    history = await raw_history(temporal_client, workflow_id)
    raw = history.SerializeToString()
    for secret in (VIN.encode(), b"Acme Excavation", b"12893.69"):
        assert secret not in raw, secret
    # Every payload is encrypted but the search attributes (the server indexes them)
    # and the SDK's own record of each local activity (type, attempt, times).
    for path in unencrypted(history):
        assert ".search_attributes.indexed_fields[Irx" in path or (
            path == "events.marker_recorded_event_attributes.details[data].payloads"
        ), path
    started = history.events[0].workflow_execution_started_event_attributes
    [sealed] = started.input.payloads
    assert sealed.metadata["encoding"] == ENCODING
    assert sealed.metadata[KEY_ID] == b"p2"
    # Without the codec the result does not even read; with it, it does.
    with pytest.raises(Exception, match="encoding"):
        await temporal_client.get_workflow_handle(workflow_id).result()
    codec_client = secure.services.client
    outcome = await codec_client.get_workflow_handle(workflow_id).result()
    assert outcome is not None

    # The Web UI's call: the codec server decodes for an ops key.
    ops = await secure.new_org(scopes=("ops",))
    answer = await secure.http.post(
        "/codec/decode",
        json=as_json([sealed]),
        headers={**ops, "X-Namespace": "default", "Origin": UI},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["access-control-allow-origin"] == UI
    [decoded] = answer.json()["payloads"]
    assert base64.b64decode(decoded["metadata"]["encoding"]) == b"json/plain"
    assert VIN in base64.b64decode(decoded["data"]).decode()

    # Payloads written before a key was configured come back as they are.
    plain = {"metadata": {"encoding": base64.b64encode(b"json/plain").decode()}, "data": "e30="}
    answer = await secure.http.post("/codec/decode", json={"payloads": [plain]}, headers=ops)
    assert answer.json() == {"payloads": [plain]}


async def test_a_failed_run_keeps_its_data_and_message_out_of_history(
    secure: Stack, temporal_client: Client
) -> None:
    bad = {"quote": {"id": ""}, "insured": {"address": {"state": "Xanadu-Qq"}}, "equipment": []}
    response = await secure.http.post("/api/v1/IMCE/rate", json=bad, headers=secure.headers)
    body = response.json()
    assert body["status"] == "failed", body
    assert body["error"]["code"] == "VALIDATION_FAILED"
    assert body["error"]["message"]
    assert "$.insured.address.state" in {e["path"] for e in body["error"]["details"]["errors"]}
    raw = (await raw_history(temporal_client, f"rate-{body['transactionId']}")).SerializeToString()
    assert b"Xanadu-Qq" not in raw
    assert body["error"]["message"].encode() not in raw


async def test_the_codec_server_needs_an_ops_key(secure: Stack) -> None:
    [sealed] = await EncryptionCodec(
        Keyring.parse(secure.settings.temporal.payload_keys.get_secret_value())  # type: ignore[union-attr]
    ).encode([Payload(metadata={"encoding": b"json/plain"}, data=b'"x"')])
    body = as_json([sealed])
    no_key = await secure.http.post("/codec/decode", json=body, headers={"Origin": UI})
    assert_envelope(no_key, 401, "API_KEY_INVALID")
    # Errors carry the CORS headers too, so the UI can read them.
    assert no_key.headers["access-control-allow-origin"] == UI
    wrong = await secure.http.post("/codec/decode", json=body, headers={"X-API-Key": "irx_nope"})
    assert_envelope(wrong, 401, "API_KEY_INVALID")
    rater = await secure.new_org(scopes=("rate", "config:read"))
    assert_envelope(
        await secure.http.post("/codec/decode", json=body, headers=rater),
        403,
        "API_KEY_SCOPE_DENIED",
    )
    # A tenant's admin key decodes nothing (ops reads every tenant's runs), and cannot
    # make itself an ops key: operators grant that scope from the CLI.
    admin = await secure.new_org(scopes=("admin",))
    assert_envelope(
        await secure.http.post("/codec/decode", json=body, headers=admin),
        403,
        "API_KEY_SCOPE_DENIED",
    )
    assert_envelope(
        await secure.http.post(
            "/api/v1/api-keys", json={"name": "ops", "scopes": ["ops"]}, headers=admin
        ),
        403,
        "API_KEY_SCOPE_DENIED",
    )
    # A bearer token works as the key does (an auth proxy in front of the UI may send it).
    ops = (await secure.new_org(scopes=("ops",)))["X-API-Key"]
    bearer = {"Authorization": f"Bearer {ops}"}
    answer = await secure.http.post("/codec/decode", json=body, headers=bearer)
    assert answer.status_code == 200, answer.text
    assert base64.b64decode(answer.json()["payloads"][0]["data"]) == b'"x"'


async def test_encode_decode_and_what_does_not_open(secure: Stack) -> None:
    ops = await secure.new_org(scopes=("ops",))
    plain = as_json([Payload(metadata={"encoding": b"json/plain"}, data=b'{"vin":"V"}')])
    encoded = await secure.http.post("/codec/encode", json=plain, headers=ops)
    assert encoded.status_code == 200, encoded.text
    [sealed] = encoded.json()["payloads"]
    assert base64.b64decode(sealed["metadata"][KEY_ID]) == b"p2"
    decoded = await secure.http.post("/codec/decode", json=encoded.json(), headers=ops)
    assert decoded.json() == plain
    empty = await secure.http.post("/codec/decode", json={"payloads": []}, headers=ops)
    assert empty.json() == {"payloads": []}

    # Another namespace's payloads are not ours to touch.
    other_ns = await secure.http.post(
        "/codec/encode", json=plain, headers={**ops, "X-Namespace": "elsewhere"}
    )
    assert other_ns.json() == plain

    foreign = await EncryptionCodec(Keyring.parse(Keyring.new_key("gone"))).encode(
        [Payload(data=b"x")]
    )
    error = assert_envelope(
        await secure.http.post("/codec/decode", json=as_json(foreign), headers=ops),
        503,
        "PAYLOAD_KEYS_UNAVAILABLE",
    )
    assert error["details"] == {"keyId": "gone"}
    tampered = {**sealed, "data": base64.b64encode(b"\0" * 40).decode()}
    assert_envelope(
        await secure.http.post("/codec/decode", json={"payloads": [tampered]}, headers=ops),
        400,
        "VALIDATION_FAILED",
    )
    assert_envelope(
        await secure.http.post("/codec/decode", content=b"[1,", headers=ops),
        400,
        "VALIDATION_FAILED",
    )


async def test_cors_preflight_admits_the_ui_origin_only(secure: Stack) -> None:
    asked = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-namespace",
    }
    ok = await secure.http.options("/codec/decode", headers={**asked, "Origin": UI})
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == UI
    assert ok.headers["access-control-allow-credentials"] == "true"
    assert "X-Namespace" in ok.headers["access-control-allow-headers"]
    assert "POST" in ok.headers["access-control-allow-methods"]
    evil = await secure.http.options(
        "/codec/decode", headers={**asked, "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in evil.headers


async def test_irx_dev_trusts_loopback_callers_of_the_ui_origin(dev: Stack) -> None:
    plain = as_json([Payload(metadata={"encoding": b"json/plain"}, data=b"1")])
    # httpx's ASGI transport calls from 127.0.0.1, as the browser on the dev machine does.
    answer = await dev.http.post("/codec/encode", json=plain, headers={"Origin": UI})
    assert answer.status_code == 200, answer.text
    foreign_page = await dev.http.post(
        "/codec/encode", json=plain, headers={"Origin": "https://evil.example"}
    )
    assert_envelope(foreign_page, 401, "API_KEY_INVALID")


async def test_without_payload_keys_the_codec_server_says_so(stack: Stack) -> None:
    ops = await stack.new_org(scopes=("ops",))
    plain = as_json([Payload(metadata={"encoding": b"json/plain"}, data=b"1")])
    assert_envelope(
        await stack.http.post("/codec/decode", json=plain, headers=ops),
        503,
        "PAYLOAD_KEYS_UNAVAILABLE",
    )
