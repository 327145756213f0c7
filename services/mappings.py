"""Mapping writes: compiled first (validate), then written and audited."""

from __future__ import annotations

from engines.mapping import compile_mapping
from services.product_config import ProductConfigService
from store.mappings import MAPPING_STORE

MAPPINGS = ProductConfigService(
    store=MAPPING_STORE, noun="mapping", limit="mappings_per_product", check=compile_mapping
)
put_mapping = MAPPINGS.put
delete_mapping = MAPPINGS.delete
