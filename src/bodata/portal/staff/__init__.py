"""The staff web UI at ``/portal/personal``: server-rendered Swedish pages for the landlord's staff (customers,
objects, contracts and rent components, rent runs, notices, payments and the unmatched queue, reminders, the
outbox, fault reports, laundry). Plain HTML forms, no JavaScript; the layout, stylesheet and page plumbing are
core/web's. ``accounts`` holds staff logins and sessions, ``web`` rendering and dependencies, one module per
group of pages."""

from __future__ import annotations

from fastapi import APIRouter

from bodata.portal.staff import cases, economy, login, registry

router = APIRouter(include_in_schema=False)
for _pages in (login, registry, economy, cases):
    router.include_router(_pages.router)
