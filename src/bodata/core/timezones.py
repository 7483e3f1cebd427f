"""The time zones of the interfaces: Swedish time (the portal, Inskrivning) and Danish time (the rent register).

bodata stores UTC; these zones are for what the interfaces show and accept as local time.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

SWEDISH_TIME = ZoneInfo("Europe/Stockholm")
DANISH_TIME = ZoneInfo("Europe/Copenhagen")
