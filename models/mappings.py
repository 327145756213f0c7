"""Mappings: named sets of field mappings for one direction of a product's flow.

``MappingBase`` is a mapping's content (the body of ``PUT .../mappings/{name}``),
``Mapping`` the named mapping the engine compiles and config files hold,
``MappingPublic`` what the API answers.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from models.base import CamelModel, NoNul, UtcDateTime


class FieldMapping(CamelModel):
    """One field: where its value comes from, how it is transformed, where it goes."""

    source: str | None = Field(
        None,
        description=(
            "Plain dotted path or JMESPath expression; unset for a constant default. In "
            "items, $parent.x reads the enclosing element and $root.x the mapped document; "
            "an items source 'states[].classes' maps every class of every state."
        ),
    )
    target: str = Field(description="Plain dotted path in the output, e.g. policy.lines[0].code.")
    transform: str | None = Field(None, description="Name of a registered transform.")
    args: dict[str, Any] = Field(default_factory=dict, description="The transform's arguments.")
    default: Any = Field(None, description="Used when the source is missing or null.")
    required: bool = Field(False, description="Fail the step when no value results.")
    items: list[FieldMapping] | None = Field(
        None, description="Per-element mapping: the source is an array, each element mapped."
    )


class MappingBase(CamelModel, NoNul):
    direction: Literal["request", "response"] = "request"
    fields: list[FieldMapping]

    def stored_fields(self) -> list[dict[str, Any]]:
        """The fields as stored: only what the author set."""
        return [f.model_dump(mode="json", exclude_defaults=True) for f in self.fields]


class Mapping(MappingBase):
    """A named mapping of a product: what the engine compiles."""

    name: str = Field(min_length=1, max_length=255)


class MappingPublic(Mapping):
    revision: int
    updated_at: UtcDateTime


class MappingPreviewRequest(CamelModel):
    """``POST .../mappings/preview``: a mapping, not saved, and the document to apply it to."""

    mapping: Mapping
    sample: dict[str, Any] = Field(
        description="The document it maps: a sample request (or response, for a response mapping)."
    )


class MappingPreview(CamelModel):
    """What the mapping made of the sample."""

    document: dict[str, Any]
    fields_applied: int
    fields_defaulted: int
