"""Laundry rooms' bookable times: generated for date ranges and daily windows, listed, deleted while free."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.context import DbSession
from bodata.portal.admin.crud import Input, Output, check_order, conflict, delete_record, get_record, unprocessable
from bodata.portal.admin.resources import Resource, add_resources
from bodata.portal.models import LaundrySlot, Node
from bodata.portal.nodes import LAUNDRY_ROOM

router = APIRouter()


MAX_SLOT_DAYS = 366


class TimeWindow(Input):
    """A daily laundry time, e.g. 07:00–10:00."""

    start: time
    end: time

    @model_validator(mode="after")
    def _order(self) -> "TimeWindow":
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self


class SlotGeneration(Input):
    """Bookable laundry times: each day from ``fom`` to ``tom`` (inclusive), in each daily window."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "fom": "2026-12-01",
                    "tom": "2026-12-31",
                    "windows": [
                        {"start": "07:00", "end": "10:00"},
                        {"start": "10:00", "end": "13:00"},
                        {"start": "13:00", "end": "16:00"},
                    ],
                }
            ]
        }
    )

    fom: date
    tom: date
    windows: list[TimeWindow] = Field(min_length=1, max_length=24)

    @model_validator(mode="after")
    def _range(self) -> "SlotGeneration":
        check_order(self.fom, self.tom, "tom")
        if (self.tom - self.fom).days >= MAX_SLOT_DAYS:
            raise ValueError(f"tom: at most {MAX_SLOT_DAYS} days at a time")
        ordered = sorted(self.windows, key=lambda window: window.start)
        for earlier, later in pairwise(ordered):
            if later.start < earlier.end:
                raise ValueError(f"windows: {earlier.start}–{earlier.end} and {later.start}–{later.end} overlap")
        return self


@dataclass(frozen=True)
class SlotsGenerated:
    """How many laundry times were created, and how many already existed."""

    created: int
    existing: int


def laundry_room(session: Session, node_id: int) -> Node:
    """A laundry-room node; 404 for an unknown node, 422 for a node that is no laundry room."""
    node = get_record(session, Node, node_id)
    if node.object_type != LAUNDRY_ROOM:
        raise unprocessable(f"Node {node_id} is not a laundry room (object_type {LAUNDRY_ROOM}).")
    return node


def generate_laundry_slots(session: Session, *, node_id: int, data: SlotGeneration) -> SlotsGenerated:
    """Create the laundry times of a date range and daily windows; times that exist already are kept as they are."""
    laundry_room(session, node_id)
    first, last = datetime.combine(data.fom, time.min), datetime.combine(data.tom, time.max)
    existing = set(
        session.scalars(
            select(LaundrySlot.start).where(LaundrySlot.node_id == node_id, LaundrySlot.start.between(first, last))
        )
    )
    days = [data.fom + timedelta(days=offset) for offset in range((data.tom - data.fom).days + 1)]
    wanted = [
        (datetime.combine(day, window.start), datetime.combine(day, window.end))
        for day in days
        for window in data.windows
    ]
    new = [LaundrySlot(node_id=node_id, start=start, end=end) for start, end in wanted if start not in existing]
    session.add_all(new)
    session.flush()
    return SlotsGenerated(created=len(new), existing=len(wanted) - len(new))


def laundry_slots(
    session: Session, *, node_id: int, fom: date | None, tom: date | None, booked: bool | None
) -> list[LaundrySlot]:
    """A laundry room's times (from ``fom``, to ``tom`` inclusive), only booked or free ones when asked."""
    laundry_room(session, node_id)
    conditions = [LaundrySlot.node_id == node_id]
    if fom is not None:
        conditions.append(LaundrySlot.start >= datetime.combine(fom, time.min))
    if tom is not None:
        conditions.append(LaundrySlot.start <= datetime.combine(tom, time.max))
    if booked is not None:
        conditions.append(LaundrySlot.customer_id.is_not(None) if booked else LaundrySlot.customer_id.is_(None))
    return list(session.scalars(select(LaundrySlot).where(*conditions).order_by(LaundrySlot.start)))


def delete_laundry_slot(session: Session, *, slot: LaundrySlot) -> None:
    """Delete a free laundry time; 409 for a booked one (the tenant cancels it first)."""
    if slot.customer_id is not None:
        raise conflict(f"Laundry time {slot.id} is booked by customer {slot.customer_id}.")
    delete_record(session, slot)


class LaundrySlotOut(Output):
    """A laundry time; ``customer_id`` is set while it is booked."""

    id: int
    node_id: int
    start: datetime
    end: datetime
    customer_id: int | None
    booked_at: datetime | None


class SlotsGeneratedOut(BaseModel):
    """How many laundry times were created, and how many existed already."""

    created: int
    existing: int


add_resources(
    router,
    (
        Resource(
            path="/laundry-slots",
            model=LaundrySlot,
            tag="Laundry",
            out=LaundrySlotOut,
            filters=("node_id", "customer_id"),
            delete=lambda session, record: delete_laundry_slot(session, slot=record),
            delete_note="Deletes a free laundry time; 409 for a booked one.",
        ),
    ),
)


LaundryId = Annotated[int, Path(ge=1, description="The laundry room's node id.")]


@router.post(
    "/laundry/{node_id}/slots",
    status_code=201,
    response_model=SlotsGeneratedOut,
    tags=["Laundry"],
    summary="Generate laundry times",
)
def generate_slots(node_id: LaundryId, body: SlotGeneration, session: DbSession) -> Any:
    """Bookable times in a laundry room for each day of a date range and each daily window (existing ones kept)."""
    return generate_laundry_slots(session, node_id=node_id, data=body)


@router.get(
    "/laundry/{node_id}/slots", response_model=list[LaundrySlotOut], tags=["Laundry"], summary="List laundry times"
)
def list_slots(
    node_id: LaundryId,
    session: DbSession,
    fom: Annotated[date | None, Query(description="From this day.")] = None,
    tom: Annotated[date | None, Query(description="To this day (inclusive).")] = None,
    booked: Annotated[bool | None, Query(description="Only booked (true) or free (false) times.")] = None,
) -> Any:
    """A laundry room's times in time order."""
    return laundry_slots(session, node_id=node_id, fom=fom, tom=tom, booked=booked)


@router.get(
    "/laundry/{node_id}/bookings", response_model=list[LaundrySlotOut], tags=["Laundry"], summary="List bookings"
)
def list_bookings(
    node_id: LaundryId,
    session: DbSession,
    fom: Annotated[date | None, Query(description="From this day.")] = None,
    tom: Annotated[date | None, Query(description="To this day (inclusive).")] = None,
) -> Any:
    """The booked times of a laundry room, with the customers who booked them."""
    return laundry_slots(session, node_id=node_id, fom=fom, tom=tom, booked=True)
