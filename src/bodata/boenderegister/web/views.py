"""The register's web UI (``/boenderegister/``): server-rendered pages for the people who maintain it.

Plain HTML forms, no JavaScript. ``session`` (logins, CSRF), ``rendering`` (templates, messages, error pages) and one
module per group of pages; all reading and writing goes through ``service`` with the logged-in user's account, so
other accounts' records are "not found" here as everywhere.
"""

from __future__ import annotations

from fastapi import APIRouter

from bodata.boenderegister.web import addresses, apartments, integrations, login, settings
from bodata.boenderegister.web.rendering import static_files

router = APIRouter(include_in_schema=False)
for _pages in (login, addresses, apartments, settings, integrations):
    router.include_router(_pages.router)

__all__ = ["router", "static_files"]
