"""The back office at ``/portal/admin``: a REST API for staff and integrations to maintain the portal's records.

Every route needs ``Authorization: Bearer <staff token>`` (``bodata portal staff-tokens add NAME``); errors are
RFC 9457 problem documents; a request is one transaction, so a refused request leaves nothing behind. One module per
domain holds its input schemas, rules, output schemas, resource rows and routes; ``crud`` is the generic engine,
``schemas`` the shared value types, ``resources`` the resource table and router factory.
"""

from fastapi import APIRouter, Depends

from bodata.portal.admin import (
    bank,
    case_rows,
    cases,
    company,
    contracts,
    customers,
    documents,
    invoices,
    laundry,
    logins,
    meters,
    nodes,
    notifications,
    reminders,
    rent,
)
from bodata.portal.admin.resources import require_staff

DOMAINS = (
    company,
    nodes,
    customers,
    logins,
    contracts,
    rent,
    invoices,
    bank,
    reminders,
    cases,
    case_rows,
    meters,
    documents,
    notifications,
    laundry,
)
"""The back office's domains, in the order of the API documentation."""

router = APIRouter(dependencies=[Depends(require_staff)])
for _domain in DOMAINS:
    router.include_router(_domain.router)
