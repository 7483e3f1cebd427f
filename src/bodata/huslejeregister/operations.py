"""The operations table of HuslejeregisterV3: each of the 93 methods (structures.OPERATIONS) by name to its
handler, a function from :class:`~bodata.huslejeregister.calls.Call` to the output structure. Each domain module
declares its own handlers; the SOAP layer (api.py) and the demo call the methods through this table.
"""

from __future__ import annotations

from bodata.huslejeregister import (
    allocation,
    attachments,
    bitemporal,
    expenses,
    handicap,
    leases,
    organisations,
    units,
)
from bodata.huslejeregister.calls import Handler

HANDLERS: dict[str, Handler] = {
    **bitemporal.HANDLERS,
    **allocation.HANDLERS,
    **attachments.HANDLERS,
    **expenses.HANDLERS,
    **leases.HANDLERS,
    **units.HANDLERS,
    **organisations.HANDLERS,
    **handicap.HANDLERS,
}
