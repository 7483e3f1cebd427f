"""(being written)"""

from __future__ import annotations

from bodata.huslejeregister.service import Handler

HANDLERS: dict[str, Handler] = {}
