"""A product's mappings: compiled when saved, versioned by ETag."""

from __future__ import annotations

import asyncio

from api.deps import ReadableProduct
from api.routes.product_config import RouteDocs, product_config_router
from models.mappings import Mapping, MappingBase, MappingPreview, MappingPreviewRequest
from services.mappings import MAPPINGS, preview_mapping

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


@router.post("/preview", response_model=MappingPreview, name="preview_mapping")
async def preview(product: ReadableProduct, body: MappingPreviewRequest) -> MappingPreview:
    """A mapping, not saved, applied to a sample document: what it maps it to.

    Refused as saving it would be (400 VALIDATION_FAILED, each problem at its field), or
    with what applying it failed on (422 MAPPING_FAILED).
    """
    return await asyncio.to_thread(preview_mapping, body.mapping, body.sample)
