"""Laundry booking (E11–E13): the laundry rooms a tenant may use, their free times, booking and cancelling.

The capture's laundry group is a struck draft that talked to an external booking system (portal.md A-16); bodata
serves it against its own ``LaundrySlot`` rows, because the issue asks for it. A tenant may use the laundry rooms
among their available objects (the rooms under the property of one of their contracts). Free times are shown for
``BOOKING_DAYS`` days ahead; a tenant holds at most ``portal_laundry_max_bookings`` future bookings. A time can be
booked once: the booking is a conditional UPDATE (``… WHERE customer_id IS NULL``), so of two simultaneous
requests exactly one wins, and a customer's bookings are serialised by locking the customer's row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bodata.core.errors import ApiError
from bodata.core.inputs import id_in_range
from bodata.portal import service
from bodata.portal.customers import parse_moment
from bodata.portal.models import Customer, LaundrySlot, Node
from bodata.portal.nodes import LAUNDRY_ROOM, available_nodes, inherited_address, with_ancestors
from bodata.portal.shapes import Json, moment, node_part

BOOKING_DAYS = 14
"""How far ahead E11 shows free times."""


@dataclass(frozen=True)
class LaundryRoom:
    """A laundry room with its free times and the customer's own bookings in it."""

    node: Node
    address: Json | None
    free: list[LaundrySlot]
    booked: list[LaundrySlot]


def laundry_rooms(session: Session, *, customer_id: int, now: datetime) -> list[LaundryRoom]:
    """The laundry rooms the customer may use, each with its free future times of the next ``BOOKING_DAYS`` days and
    the customer's own future bookings (``now`` is Swedish local time)."""
    rooms = _rooms(session, customer_id=customer_id, now=now)
    if not rooms:
        return []
    ancestors = with_ancestors(session, [room.id for room in rooms])
    slots = session.scalars(
        select(LaundrySlot)
        .where(
            LaundrySlot.node_id.in_([room.id for room in rooms]),
            LaundrySlot.start > now,
            (LaundrySlot.customer_id == customer_id)
            | (LaundrySlot.customer_id.is_(None) & (LaundrySlot.start < now + timedelta(days=BOOKING_DAYS))),
        )
        .order_by(LaundrySlot.start, LaundrySlot.id)
    ).all()
    return [
        LaundryRoom(
            node=room,
            address=inherited_address(ancestors, room.id),
            free=[slot for slot in slots if slot.node_id == room.id and slot.customer_id is None],
            booked=[slot for slot in slots if slot.node_id == room.id and slot.customer_id == customer_id],
        )
        for room in rooms
    ]


def _rooms(session: Session, *, customer_id: int, now: datetime) -> list[Node]:
    nodes = available_nodes(session, customer_id=customer_id, today=now.date())
    return [node for node in nodes if node.object_type == LAUNDRY_ROOM]


def _slot_json(slot: LaundrySlot) -> Json:
    return {"Tid": moment(slot.start), "Id": slot.id, "Bokad": slot.customer_id is not None}


def laundry_room_json(room: LaundryRoom, *, aliases: bool) -> Json:
    """A SessionTvättstuga: number, node, address, free times (``Tider``) and own bookings (``BokadeTider``)."""
    return {
        "Nummer": room.node.nummer,
        "Entitet": node_part(room.node, aliases=aliases),
        "Adress": room.address,
        "Tider": [_slot_json(slot) for slot in room.free],
        "BokadeTider": [_slot_json(slot) for slot in room.booked],
    }


def _usable_slot(session: Session, *, customer_id: int, slot_id: object, time: object, now: datetime) -> LaundrySlot:
    """The slot ``slot_id`` in a laundry room the customer may use (else 404), checked against ``time`` (``Tid``)."""
    if isinstance(slot_id, bool) or not isinstance(slot_id, int):
        raise service.invalid(f"Id ska vara tvättstugetidens id (ett heltal), inte {slot_id!r}.")
    if time is None:
        raise service.invalid("Tid saknas: ange tvättstugetidens starttid.")
    slot = session.get(LaundrySlot, slot_id) if id_in_range(slot_id) else None
    if slot is None or slot.node_id not in {room.id for room in _rooms(session, customer_id=customer_id, now=now)}:
        raise service.not_found(f"Tvättstugetiden {slot_id} finns inte.")
    if parse_moment(time, "Tid") != slot.start:
        raise service.rejected("FelTid", f"Tiden {time!r} stämmer inte med tvättstugetiden {slot_id} ({slot.start}).")
    if slot.start <= now:
        raise service.rejected("TidenHarPasserat", f"Tvättstugetiden {moment(slot.start)} har redan börjat.")
    return slot


def book(
    session: Session, *, customer_id: int, slot_id: object, time: object, now: datetime, utc_now: datetime, limit: int
) -> None:
    """Book a laundry time (E12) for the customer; ``now`` is Swedish local time, ``utc_now`` is stored.

    Refused: a time booked by anyone (``RedanBokad``), a time that has begun, a ``Tid`` that is not the slot's
    start, or a customer who already holds ``limit`` future bookings.
    """
    slot = _usable_slot(session, customer_id=customer_id, slot_id=slot_id, time=time, now=now)
    session.execute(select(Customer.id).where(Customer.id == customer_id).with_for_update())
    if slot.customer_id is not None:
        raise _already_booked(slot)
    held = session.scalar(select(func.count()).where(LaundrySlot.customer_id == customer_id, LaundrySlot.start > now))
    if held >= limit:
        raise service.rejected(
            "ForMangaBokningar", f"Du har redan {held} bokade tvättstugetider; fler än {limit} går inte att boka."
        )
    result = session.execute(
        update(LaundrySlot)
        .where(LaundrySlot.id == slot.id, LaundrySlot.customer_id.is_(None))
        .values(customer_id=customer_id, booked_at=utc_now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise _already_booked(slot)


def _already_booked(slot: LaundrySlot) -> ApiError:
    return service.rejected("RedanBokad", f"Tvättstugetiden {moment(slot.start)} är redan bokad.")


def cancel(session: Session, *, customer_id: int, slot_id: object, time: object, now: datetime) -> None:
    """Cancel one of the customer's own future bookings (E13); a time not booked by the customer is refused
    (``InteBokad``), as is one that has begun."""
    slot = _usable_slot(session, customer_id=customer_id, slot_id=slot_id, time=time, now=now)
    result = session.execute(
        update(LaundrySlot)
        .where(LaundrySlot.id == slot.id, LaundrySlot.customer_id == customer_id)
        .values(customer_id=None, booked_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise service.rejected("InteBokad", f"Tvättstugetiden {moment(slot.start)} är inte bokad av dig.")
