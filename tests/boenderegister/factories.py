"""Small builders for Boenderegister tests: accounts, integrations and snapshots."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from babel.messages.pofile import read_po
from sqlalchemy.orm import Session

from bodata.boenderegister import service
from bodata.boenderegister.engine import build_view, reconcile
from bodata.boenderegister.messages import CATALOGUE
from bodata.boenderegister.models import Account, Integration
from bodata.boenderegister.sources.base import Credential, OrganisationGroup, Person, Snapshot
from bodata.core.i18n import Message
from bodata.core.security import SecretBox

PLACEHOLDER = re.compile(r"%\((\w+)\)s")  # a named parameter of a message
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRETS = SecretBox("boenderegister-tests")


def make_account(session: Session, name: str = "Brf Testet", *, username: str | None = None) -> Account:
    account = service.create_account(session, name=name, now=NOW)
    if username:
        service.create_user(session, account=account, username=username, password="secret-pw", now=NOW)
    return account


def make_integration(session: Session, account: Account, base_url: str = "http://127.0.0.1:9") -> Integration:
    return service.create_integration(
        session,
        account=account,
        secrets=SECRETS,
        now=NOW,
        name="Axema",
        base_url=base_url,
        username="demo",
        password="demo",
    )


def group(gid: str, reference_id: str | None, *, name: str | None = None, apartment_number=None, floor=None):
    return OrganisationGroup(gid, name or f"Group {gid}", reference_id, apartment_number, floor)


def person(pid: str, first: str, last: str, *groups: str, keys: tuple[tuple[str, str, str], ...] = ()) -> Person:
    return Person(pid, first, last, tuple(groups), tuple(Credential(*key) for key in keys))


def snapshot(groups, persons, controllers=("B60",)) -> Snapshot:
    return Snapshot(groups=tuple(groups), persons=tuple(persons), domain_controllers=controllers)


def feed_torget(session: Session, account: Account) -> Integration:
    """An integration that has delivered Torget 1: apartments on three floors, residents, one key."""
    integration = make_integration(session, account)
    view = build_view(
        snapshot(
            [
                group("g1", "1001_Torget 1", apartment_number="101"),
                group("g2", "1101_Torget 1"),
                group("g3", "1102_Torget 1", floor="12"),
            ],
            [
                person("p1", "Anna", "Andersson", "g1", keys=(("c1", "tag", "111"),)),
                person("p2", "Bo", "Berg", "g1"),
                person("p3", "Cilla", "Ceder", "g3"),
            ],
        )
    )
    reconcile(session, account_id=account.id, integration_id=integration.id, view=view)
    return integration


def english(message: Message | str) -> str:
    """A stored or raised message as the English catalogue renders it."""
    return CATALOGUE.translator("en").render(message)


def catalogue() -> dict:
    """The English catalogue's entries by (singular) msgid."""
    with CATALOGUE.po_path("en").open("rb") as po:
        return {entry.id if isinstance(entry.id, str) else entry.id[0]: entry for entry in read_po(po) if entry.id}


def english_only_words() -> set[str]:
    """Words of the English translations that no Swedish text uses: their presence on a Swedish page is a leak."""

    def words(texts) -> set[str]:
        return {word.lower() for text in texts for word in re.findall(r"[^\W\d_]{3,}", PLACEHOLDER.sub(" ", text))}

    entries = catalogue().values()
    english = words(
        text for entry in entries for text in (entry.string if isinstance(entry.string, tuple) else [entry.string])
    )
    swedish = words(text for entry in entries for text in (entry.id if isinstance(entry.id, tuple) else [entry.id]))
    return english - swedish
