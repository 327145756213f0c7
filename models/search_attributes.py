"""The custom search attributes every rating run carries in Temporal.

Five keyword attributes (the SQL visibility store allows at most ten custom
keyword attributes per namespace), registered by ``irx dev`` and by
``irx temporal setup`` on a real cluster.
"""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

PRODUCT = SearchAttributeKey.for_keyword("IrxProduct")
ORGANIZATION = SearchAttributeKey.for_keyword("IrxOrganization")
ENDPOINT = SearchAttributeKey.for_keyword("IrxEndpoint")
FLOW_VERSION = SearchAttributeKey.for_keyword("IrxFlowVersion")
STATUS = SearchAttributeKey.for_keyword("IrxStatus")

ALL = (PRODUCT, ORGANIZATION, ENDPOINT, FLOW_VERSION, STATUS)
