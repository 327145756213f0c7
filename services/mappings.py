"""Mapping writes: compiled first (validate), then written and audited; and previews."""

from __future__ import annotations

from typing import Any

from engines import budget
from engines.mapping import compile_mapping
from models.mappings import Mapping, MappingPreview
from services.product_config import ProductConfigService
from store.mappings import MAPPING_STORE

# A preview runs in the API process: its CPU work is bounded as a step's would be.
PREVIEW_BUDGET_S = 2.0

MAPPINGS = ProductConfigService(
    store=MAPPING_STORE, noun="mapping", limit="mappings_per_product", check=compile_mapping
)
put_mapping = MAPPINGS.put
delete_mapping = MAPPINGS.delete


def preview_mapping(mapping: Mapping, sample: dict[str, Any]) -> MappingPreview:
    """``mapping`` (unsaved) applied to ``sample`` by the engine a mapping step runs.

    Raises:
        PlatformError: VALIDATION_FAILED, every problem saving would refuse, each at its
            field (``fields[2].args``); MAPPING_FAILED, what applying it to the sample
            failed on (the missing paths, or the field whose transform failed).
    """
    with budget.within(PREVIEW_BUDGET_S):
        result = compile_mapping(mapping).apply(sample)
    return MappingPreview(
        document=result.document,
        fields_applied=result.fields_applied,
        fields_defaulted=result.fields_defaulted,
    )
