"""A product's mappings: compiled when saved, versioned by ETag."""

from __future__ import annotations

from api.routes.product_config import RouteDocs, product_config_router
from models.mappings import Mapping, MappingBase
from services.mappings import MAPPINGS

router = product_config_router(
    MAPPINGS,
    MappingBase,
    Mapping,
    RouteDocs(
        put="Create or replace a mapping, compiled first (If-Match guards a replace).",
        list="The product's mappings.",
        get="One mapping, with its ETag.",
        delete="Delete a mapping (If-Match guards it). Published versions keep the copy they "
        "pinned;\na draft that names it can no longer be published.",
    ),
)
