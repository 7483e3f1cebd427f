"""The tenant portal's stand-in seed files (docs/stand-in.md): API keys, staff tokens, node classes, objects,
customers with their logins, contracts, notices and cases.

Each record has the fields of the back office's schema for it (``/portal/admin/docs``) and is checked by that
schema and stored by the same functions, so a seed holds only what the back office would accept. Instead of
database ids, records refer to each other by their own keys: a node class by its ``key``, an object by its
``key``, a customer by its ``kundnummer``. Applying a file again changes nothing: node classes are matched by
their system names, objects by ``nummer``, customers by ``kundnummer``, contracts by ``avtalsnummer``, cases
by ``nummer``, notices by customer and subject; what exists is left as it is (reset to the seed to get it back).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.errors import ApiError
from bodata.core.standin.seeds import Refused, SeedFormat, SeedTarget
from bodata.portal import service
from bodata.portal.admin.cases import CaseCreate, create_case
from bodata.portal.admin.contracts import ContractFields
from bodata.portal.admin.crud import create_record, validated
from bodata.portal.admin.customers import CustomerCreate, create_customer
from bodata.portal.admin.nodes import NodeClassCreate, NodeFields, create_node_class
from bodata.portal.admin.notifications import NotificationCreate, create_notification
from bodata.portal.models import (
    ApiKey,
    Case,
    Contract,
    Customer,
    Login,
    Node,
    NodeClass,
    Notification,
    NotificationChannel,
    StaffToken,
)

Record = dict[str, Any]


class NamedSecret(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)
    value: str = Field(min_length=12, max_length=200)


class PortalSeed(BaseModel):
    """The ``bodata-seed`` document of the portal: lists of records, each checked by its back-office schema."""

    model_config = ConfigDict(extra="forbid")
    api_keys: list[NamedSecret] = Field(default_factory=list, description="Apps' API keys (ApiNyckel).")
    staff_tokens: list[NamedSecret] = Field(default_factory=list, description="Back-office bearer tokens.")
    node_classes: list[Record] = Field(default_factory=list)
    objects: list[Record] = Field(default_factory=list)
    customers: list[Record] = Field(default_factory=list)
    contracts: list[Record] = Field(default_factory=list)
    notices: list[Record] = Field(default_factory=list)
    cases: list[Record] = Field(default_factory=list)


class _Seeding:
    """One document being applied: the session, the time, and the ids the records' keys stand for."""

    def __init__(self, session: Session, target: SeedTarget) -> None:
        self.session, self.now = session, target.clock.now()
        self.classes: dict[str, int] = {}
        self.objects: dict[str, int] = {}

    def customer(self, kundnummer: Any, path: str) -> int:
        found = self.session.scalar(select(Customer.id).where(Customer.kundnummer == str(kundnummer)))
        if found is None:
            raise Refused(path, f"no customer with kundnummer {kundnummer!r} (list it under customers)")
        return found

    def key(self, keys: dict[str, int], key: Any, what: str, path: str) -> int:
        if key not in keys:
            raise Refused(path, f"no {what} with key {key!r} earlier in the file")
        return keys[key]


def apply_seed(target: SeedTarget, seed: PortalSeed) -> str:
    session = target.db()
    run = _Seeding(session, target)
    for model, items, add in (
        (ApiKey, seed.api_keys, service.add_api_key),
        (StaffToken, seed.staff_tokens, service.add_staff_token),
    ):
        for item in items:
            if session.scalar(select(model.id).where(model.name == item.name)) is None:
                add(session, name=item.name, now=run.now, value=item.value)
    for n, record in enumerate(seed.node_classes):
        _node_class(run, record, f"/node_classes[{n}]")
    for n, record in enumerate(seed.objects):
        _object(run, record, f"/objects[{n}]")
    for n, record in enumerate(seed.customers):
        _customer(run, record, f"/customers[{n}]")
    for n, record in enumerate(seed.contracts):
        _contract(run, record, f"/contracts[{n}]")
    for n, record in enumerate(seed.notices):
        _notice(run, record, f"/notices[{n}]")
    for n, record in enumerate(seed.cases):
        _case(run, record, f"/cases[{n}]")
    return (
        f"{len(seed.objects)} objects, {len(seed.customers)} customers, {len(seed.contracts)} contracts, "
        f"{len(seed.notices)} notices, {len(seed.cases)} cases"
    )


def _checked(schema: type[BaseModel], data: Record, path: str) -> Any:
    try:
        return validated(schema, data)
    except ApiError as error:
        raise Refused(path, "; ".join(error.details) or error.message) from None


def _stored(path: str, work: Any) -> Any:
    try:
        return work()
    except ApiError as error:
        raise Refused(path, "; ".join([error.message, *error.details])) from None


def _node_class(run: _Seeding, record: Record, path: str) -> None:
    fields = dict(record)
    key = fields.pop("key", None) or fields.get("system_name")
    data = _checked(NodeClassCreate, fields, path)
    found = run.session.scalar(
        select(NodeClass.id).where(
            NodeClass.group_system_name == data.group_system_name, NodeClass.system_name == data.system_name
        )
    )
    run.classes[key] = found or _stored(path, lambda: create_node_class(run.session, data=data).id)


def _object(run: _Seeding, record: Record, path: str) -> None:
    fields = dict(record)
    key = fields.pop("key", None) or fields.get("nummer")
    if not fields.get("nummer"):
        raise Refused(f"{path}/nummer", "a seeded object needs its number (it is how a second run finds it)")
    parent = fields.pop("parent", None)
    fields["parent_id"] = None if parent is None else run.key(run.objects, parent, "object", f"{path}/parent")
    fields["node_class_id"] = run.key(run.classes, fields.pop("node_class", None), "node class", f"{path}/node_class")
    data = _checked(NodeFields, fields, path)
    found = run.session.scalar(select(Node.id).where(Node.nummer == data.nummer))
    run.objects[key] = found or _stored(path, lambda: create_record(run.session, Node, data.model_dump()).id)


def _customer(run: _Seeding, record: Record, path: str) -> None:
    fields = dict(record)
    login = fields.pop("login", None)
    data = _checked(CustomerCreate, fields, path)
    customer_id = run.session.scalar(select(Customer.id).where(Customer.kundnummer == data.kundnummer))
    if customer_id is None:
        customer_id = _stored(path, lambda: create_customer(run.session, data=data, now=run.now).id)
    if login is None:
        return
    if not isinstance(login, dict) or set(login) != {"username", "password"}:
        raise Refused(f"{path}/login", "a login is {username, password}")
    if run.session.scalar(select(Login.id).where(Login.username == login["username"])) is None:
        _stored(
            f"{path}/login",
            lambda: service.add_login(
                run.session,
                customer_id=customer_id,
                username=login["username"],
                password=login["password"],
                now=run.now,
            ),
        )


def _contract(run: _Seeding, record: Record, path: str) -> None:
    fields = dict(record)
    fields["customer_id"] = run.customer(fields.pop("customer", None), f"{path}/customer")
    fields["node_id"] = run.key(run.objects, fields.pop("object", None), "object", f"{path}/object")
    data = _checked(ContractFields, fields, path)
    if run.session.scalar(select(Contract.id).where(Contract.avtalsnummer == data.avtalsnummer)) is None:
        _stored(path, lambda: create_record(run.session, Contract, data.model_dump()))


def _notice(run: _Seeding, record: Record, path: str) -> None:
    fields = dict(record)
    fields["customer_id"] = run.customer(fields.pop("customer", None), f"{path}/customer")
    data = _checked(NotificationCreate, fields, path)
    exists = run.session.scalar(
        select(Notification.id)
        .join(NotificationChannel)
        .where(Notification.customer_id == data.customer_id, NotificationChannel.amne == data.channels[0].amne)
    )
    if exists is None:
        _stored(path, lambda: create_notification(run.session, data=data, now=run.now))


def _case(run: _Seeding, record: Record, path: str) -> None:
    fields = dict(record)
    if not fields.get("nummer"):
        raise Refused(f"{path}/nummer", "a seeded case needs its number (it is how a second run finds it)")
    fields["customer_id"] = run.customer(fields.pop("customer", None), f"{path}/customer")
    if "object" in fields:
        fields["node_id"] = run.key(run.objects, fields.pop("object"), "object", f"{path}/object")
    if "node_class" in fields:
        fields["node_class_id"] = run.key(run.classes, fields.pop("node_class"), "node class", f"{path}/node_class")
    data = _checked(CaseCreate, fields, path)
    if run.session.scalar(select(Case.id).where(Case.nummer == data.nummer)) is None:
        _stored(path, lambda: create_case(run.session, data=data, now=run.now, max_media_bytes=5 * 1024 * 1024))


SEED_FORMAT = SeedFormat(service="portal", model=PortalSeed, apply=apply_seed)
