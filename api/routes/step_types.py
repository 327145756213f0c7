"""The step types this deployment knows, with their config schemas."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ConfigReaderDep, ServicesDep
from models.catalog import StepTypePublic

router = APIRouter(prefix="/step-types", tags=["steps"])


@router.get("", response_model=list[StepTypePublic])
async def list_step_types(_: ConfigReaderDep, services: ServicesDep) -> list[StepTypePublic]:
    """Every registered step type and the JSON Schema of its config."""
    return [
        StepTypePublic(
            name=s.name,
            description=s.description,
            local=s.local,
            timeout_ms=s.timeout_ms,
            config_schema=s.config_model.model_json_schema(),
        )
        for s in services.steps
    ]
