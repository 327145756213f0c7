"""The custom search attributes every rating run carries in Temporal.

Seven keyword attributes (the SQL visibility store allows at most ten custom
keyword attributes per namespace), registered by ``irx dev`` and by
``irx temporal setup`` on a real cluster. The correlation id is the one a caller
knows: operators find a rating's run by it.
"""

from __future__ import annotations

from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes

PRODUCT = SearchAttributeKey.for_keyword("IrxProduct")
ORGANIZATION = SearchAttributeKey.for_keyword("IrxOrganization")
ENDPOINT = SearchAttributeKey.for_keyword("IrxEndpoint")
FLOW_VERSION = SearchAttributeKey.for_keyword("IrxFlowVersion")
STATUS = SearchAttributeKey.for_keyword("IrxStatus")
CORRELATION_ID = SearchAttributeKey.for_keyword("IrxCorrelationId")
# Set on simulations only ("simulation"): a live run carries none.
MODE = SearchAttributeKey.for_keyword("IrxMode")

ALL = (PRODUCT, ORGANIZATION, ENDPOINT, FLOW_VERSION, STATUS, CORRELATION_ID, MODE)


def of_run(
    product: str,
    organization_slug: str,
    endpoint: str,
    flow_version: int,
    correlation_id: str,
    mode: str = "live",
) -> TypedSearchAttributes:
    """What a rating run carries from its start: ``IrxMode`` on a simulation only (a live run,
    the hot path, writes one attribute less). ``IrxStatus`` is written by a run that ends
    failed or timed out (from shape 3; ``workflows.rating``): a completed run has none."""
    pairs = [
        SearchAttributePair(PRODUCT, product),
        SearchAttributePair(ORGANIZATION, organization_slug),
        SearchAttributePair(ENDPOINT, endpoint),
        SearchAttributePair(FLOW_VERSION, str(flow_version)),
        SearchAttributePair(CORRELATION_ID, correlation_id),
    ]
    if mode != "live":
        pairs.append(SearchAttributePair(MODE, mode))
    return TypedSearchAttributes(pairs)
