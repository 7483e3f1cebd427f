"""The demo's laundry times and access: bookable times in each laundry room, the app's API key and the staff
token."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from bodata.portal import service
from bodata.portal.demo.base import (
    DEMO_API_KEY,
    DEMO_PASSWORD,
    DEMO_STAFF_TOKEN,
    DEMO_USER,
    NEIGHBOUR_USER,
    Context,
    People,
    Property,
    insert_rows,
    utc,
)
from bodata.portal.demo.estate import LAUNDRY_DAYS, LAUNDRY_HOURS
from bodata.portal.models import (
    LaundrySlot,
)


def add_laundry(context: Context, properties: list[Property], people: People) -> None:
    """Laundry times in every laundry room, most past ones and some future ones booked by tenants of the property
    (at most two future bookings each); the demo tenant has two past and one coming booking, the neighbour one."""
    rng, today, now = context.rng, context.today, context.local(context.now)
    chosen = {
        (today - timedelta(days=6), 16): people.demo.customer,
        (today - timedelta(days=3), 10): people.demo.customer,
        (today + timedelta(days=2), 19): people.demo.customer,
        (today + timedelta(days=1), 7): people.neighbour.customer,
    }
    current = people.current(today)
    slots = []
    for estate in properties:
        fixed = chosen if people.demo.flat in estate.flats else {}
        tenants = [t.customer for t in current if t.flat in estate.flats and t not in (people.demo, people.neighbour)]
        coming: Counter[int] = Counter()
        for day in (today + timedelta(days=offset) for offset in LAUNDRY_DAYS):
            for start_hour, end_hour in LAUNDRY_HOURS:
                start, end = datetime.combine(day, time(start_hour)), datetime.combine(day, time(end_hour))
                customer = fixed.get((day, start_hour))
                if customer is None and rng.random() < (0.55 if start < now else 0.2):
                    customer = rng.choice(tenants)
                    if start >= now and coming[customer.id] >= 2:
                        customer = None
                booked = None if customer is None else utc(min(start, now) - timedelta(hours=rng.randint(1, 96)))
                if customer is not None:
                    coming[customer.id] += start >= now
                slots.append(
                    {
                        "node_id": estate.laundry.id,
                        "start": start,
                        "end": end,
                        "customer_id": None if customer is None else customer.id,
                        "booked_at": booked,
                    }
                )
    insert_rows(context.session, LaundrySlot, slots)


def add_access(context: Context, people: People) -> None:
    """The demo logins, the demo app's API key and the back office's staff token."""
    session, now = context.session, context.now
    service.add_login(session, customer_id=people.demo.customer.id, username=DEMO_USER, password=DEMO_PASSWORD, now=now)
    service.add_login(
        session, customer_id=people.neighbour.customer.id, username=NEIGHBOUR_USER, password=DEMO_PASSWORD, now=now
    )
    service.add_api_key(session, name="demo", now=now, value=DEMO_API_KEY)
    service.add_staff_token(session, name="demo", now=now, value=DEMO_STAFF_TOKEN)
