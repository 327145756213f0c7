"""docs/events.asyncapi.yaml: a valid AsyncAPI 3.0 document, and true to the events the
publish step really builds (the same schemas validate them)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, get_args

import jsonschema_rs
import pytest
import yaml

from activities.resources import StepResources
from activities.steps import cloud_events
from activities.steps.event_sinks import webhook_headers
from activities.steps.publish import OWED, PublishEventConfig, publish_event
from models.systems import System
from tests.activities.conftest import context

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT: dict[str, Any] = yaml.safe_load((ROOT / "docs/events.asyncapi.yaml").read_text())
# Installed by `make tools` (npm): the AsyncAPI specification's own JSON Schemas.
SPEC = ROOT / ".tools/npm/node_modules/@asyncapi/specs/schemas/3.0.0-without-$id.json"


def schema(name: str) -> Any:
    """A schema of the document's components, its local references resolved."""
    schemas = DOCUMENT["components"]["schemas"]
    return jsonschema_rs.validator_for(
        {**schemas[name], "components": {"schemas": schemas}}, validate_formats=True
    )


@pytest.mark.skipif(not SPEC.exists(), reason="make tools installs the AsyncAPI schemas")
def test_the_document_is_valid_asyncapi_3() -> None:
    validator = jsonschema_rs.validator_for(json.loads(SPEC.read_text()))
    errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(DOCUMENT)]
    assert errors == []


def test_every_sink_has_its_channel() -> None:
    sinks = set(get_args(PublishEventConfig.model_fields["sink"].annotation))
    described = DOCUMENT["channels"]["ratingStream"]["description"]
    assert sinks == {"redis", "kafka", "webhook", "file"}
    assert {"ratingStream", "ratingTopic", "ratingWebhook"} <= set(DOCUMENT["channels"])
    assert "event log" in described  # the file sink carries the stream's bodies


async def test_the_events_the_step_builds_match_the_document(resources: StepResources) -> None:
    config = PublishEventConfig(summary={"premium": "premium.total"})
    result = await publish_event(
        context(resources, "publish_event"), config, {"premium": {"total": 12.5}}
    )
    event = result.detail[OWED]["event"]
    schema("RatingEvent").validate(event)
    schema("StructuredCloudEvent").validate(cloud_events.structured(event))
    system = System.model_validate(
        {
            "code": "hook",
            "name": "hook",
            "kind": "event_sink",
            "baseUrl": "https://hooks.example.com",
            "auth": {"signingSecret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
        }
    )
    schema("WebhookHeaders").validate(webhook_headers(system, event, b"{}", time.time()))
    kafka = {name: value.decode() for name, value in cloud_events.kafka_headers(event)}
    schema("KafkaCloudEventHeaders").validate(kafka)
    with pytest.raises(jsonschema_rs.ValidationError):  # the schema can refuse
        schema("RatingEvent").validate({**event, "flowVersion": 0})
