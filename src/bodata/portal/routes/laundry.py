"""Laundry rooms (E11–E13): free times, booking and cancelling; served although the capture's draft was struck
(A-16), because the issue asks for it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from bodata.core.context import Context, DbSession
from bodata.portal import laundry
from bodata.portal.customers import local_now
from bodata.portal.requests import JsonBody, Tenant

router = APIRouter()


@router.get("/session/Tvättstugor", tags=["Tvättstuga"], summary="E11 Hämta tvättstugor med lediga och bokade tider")
def list_laundry_rooms(tenant: Tenant, session: DbSession, context: Context) -> list[dict[str, Any]]:
    """The laundry rooms the customer may use (SessionTvättstuga): free times of the next 14 days, own bookings."""
    rooms = laundry.laundry_rooms(session, customer_id=tenant.customer_id, now=local_now(context.clock.now()))
    return [laundry.laundry_room_json(room, aliases=context.settings.portal_example_aliases) for room in rooms]


@router.post("/session/Boka", tags=["Tvättstuga"], summary="E12 Boka tvättstuga (Tid och Id för en ledig tid)")
def book(body: JsonBody, tenant: Tenant, session: DbSession, context: Context) -> dict[str, Any]:
    """Book a free laundry time; ``{"Fel": null}``, or a Felmeddelande (``RedanBokad`` …) in ``Fel``."""
    now = context.clock.now()
    laundry.book(
        session,
        customer_id=tenant.customer_id,
        slot_id=body.get("Id"),
        time=body.get("Tid"),
        now=local_now(now),
        utc_now=now,
        limit=context.settings.portal_laundry_max_bookings,
    )
    return {"Fel": None}


@router.post("/session/Avboka", tags=["Tvättstuga"], summary="E13 Avboka tvättstuga (egen, framtida bokning)")
def cancel(body: JsonBody, tenant: Tenant, session: DbSession, context: Context) -> dict[str, Any]:
    """Cancel one of the customer's own future bookings; ``{"Fel": null}`` or a Felmeddelande in ``Fel``."""
    laundry.cancel(
        session,
        customer_id=tenant.customer_id,
        slot_id=body.get("Id"),
        time=body.get("Tid"),
        now=local_now(context.clock.now()),
    )
    return {"Fel": None}
