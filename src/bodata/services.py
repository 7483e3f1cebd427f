"""The services this installation of bodata serves, in mount order.

Each service package exposes a ``SERVICE`` (``bodata.core.service.Service``) and is listed here; the app,
the CLI, demo seeding and the migrations' model registry all read this list.
"""

from __future__ import annotations

from bodata.core.service import Service

SERVICES: tuple[Service, ...] = ()
