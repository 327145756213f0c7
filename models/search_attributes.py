"""The custom search attributes every rating run carries in Temporal.

Seven keyword attributes (the SQL visibility store allows at most ten custom
keyword attributes per namespace), registered by ``irx dev`` and by
``irx temporal setup`` on a real cluster. The correlation id is the one a caller
knows: operators find a rating's run by it.
"""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

PRODUCT = SearchAttributeKey.for_keyword("IrxProduct")
ORGANIZATION = SearchAttributeKey.for_keyword("IrxOrganization")
ENDPOINT = SearchAttributeKey.for_keyword("IrxEndpoint")
FLOW_VERSION = SearchAttributeKey.for_keyword("IrxFlowVersion")
STATUS = SearchAttributeKey.for_keyword("IrxStatus")
CORRELATION_ID = SearchAttributeKey.for_keyword("IrxCorrelationId")
# Set on simulations only ("simulation"): a live run carries none.
MODE = SearchAttributeKey.for_keyword("IrxMode")

ALL = (PRODUCT, ORGANIZATION, ENDPOINT, FLOW_VERSION, STATUS, CORRELATION_ID, MODE)
