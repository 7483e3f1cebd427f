"""Demo data: a housing co-op with a login, an API token, a hand-kept address and an integration with the
embedded Axema stand-in (run by the scheduler right after the server starts)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.boenderegister import service
from bodata.boenderegister.models import Account, ApiToken
from bodata.core.demo import DemoData
from bodata.core.security import token_digest

DEMO_API_TOKEN = "demo"


def seed_demo(session: Session, demo: DemoData) -> None:
    now = demo.clock.now()
    account = session.scalar(select(Account).where(Account.name == "Brf Kvisten"))
    if account is None:
        account = service.create_account(session, name="Brf Kvisten", now=now)
    if service.authenticate(session, username="demo", password="demo") is None:
        service.create_user(session, account=account, username="demo", password="demo", now=now)
    if session.scalar(select(ApiToken.id).where(ApiToken.digest == token_digest(DEMO_API_TOKEN))) is None:
        session.add(ApiToken(account_id=account.id, name="demo", digest=token_digest(DEMO_API_TOKEN), created_at=now))
    _seed_manual_address(session, account, demo)
    if not service.list_integrations(session, account=account):
        integration = service.create_integration(
            session,
            account=account,
            secrets=demo.secrets,
            now=now,
            name="Axema Vaka (demosystem)",
            base_url=f"{demo.server_url}/axema-sim",
            username="demo",
            password="demo",
        )
        integration.next_run_at = now  # the scheduler runs it as soon as the server is up


def _seed_manual_address(session: Session, account: Account, demo: DemoData) -> None:
    """An address typed in by hand (no integration), so the UI shows both kinds of records."""
    if any(address.name == "Kvistvägen 2" for address, _ in service.list_addresses(session, account=account)):
        return
    faker, rng = demo.faker("sv_SE"), demo.random()
    address = service.add_address(session, account=account, name="Kvistvägen 2")
    for lm_number, internal in (("1001", "101"), ("1002", "102"), ("1101", "201"), ("1102", "202"), ("1201", "301")):
        apartment = service.add_apartment(
            session, account=account, address_id=address.id, lm_number=lm_number, internal_number=internal
        )
        for _ in range(1 + rng.randrange(2)):
            resident = service.add_resident(
                session,
                account=account,
                apartment_id=apartment.id,
                first_name=faker.first_name(),
                last_name=faker.last_name(),
            )
            service.add_key(
                session, account=account, resident_id=resident.id, kind="tag", number=faker.numerify("########")
            )
