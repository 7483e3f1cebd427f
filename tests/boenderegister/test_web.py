"""The web UI in-process: sessions and CSRF, account isolation, hand-kept and integration-owned records,
the name board, integrations and their run reports."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from bodata.axema_sim import RunningSim, SimState, start_sim
from bodata.boenderegister import service
from bodata.boenderegister.models import (
    Account,
    Address,
    Apartment,
    Integration,
    IntegrationRun,
    Key,
    Resident,
    RunIssue,
    WebSession,
)
from bodata.core.clock import FixedClock
from bodata.core.db import Database
from bodata.core.security import SecretBox

from .factories import NOW, english_only_words, feed_torget, make_account, make_integration
from .web_fixtures import BASE, SECRET_KEY, csrf_of, log_in, web_client

pytestmark = pytest.mark.sqlite_only  # plain rules: see tests/conftest.py


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def world(database: Database) -> dict:
    """Account A (user anna): an integration-fed address, a hand-kept one, a run with issues.
    Account B (user bert): an address, an integration and a run of its own."""
    with database.transaction() as session:
        account = make_account(session, "Brf A", username="anna")
        integration = feed_torget(session, account)
        manual = service.add_address(session, account=account, name="Handgatan 1")
        run = IntegrationRun(
            integration_id=integration.id,
            trigger="schedule",
            status="succeeded",
            started_at=NOW - timedelta(hours=10),
            finished_at=NOW - timedelta(hours=10) + timedelta(seconds=4),
            message="adresser: 1 skapad; lägenheter: 3 skapade.",
            message_code="changes",
            message_params={"changes": {"addresses": {"created": 1}, "apartments": {"created": 3}}},
            groups_read=5,
            persons_read=3,
            residents_seen=3,
            changes={
                "addresses": {"created": 1, "updated": 0, "removed": 0},
                "apartments": {"created": 3, "updated": 0, "removed": 0},
                "residents": {"created": 3, "updated": 1, "removed": 0},
                "keys": {"created": 1, "updated": 0, "removed": 2},
            },
            issues=[
                RunIssue(
                    kind="excluded",
                    group_id="g4",
                    group_name="Familjen Dahl",
                    reference_id="102_Torget 1",
                    reason="Referens ID börjar inte med ett 4-siffrigt lantmäterinummer",
                    code="refid_no_number",
                ),
                RunIssue(
                    kind="excluded",
                    group_id="g5",
                    group_name="Ek <Erik>",
                    reference_id=None,
                    reason="Referens ID saknas",
                    code="refid_missing",
                ),
                RunIssue(
                    kind="warning",
                    group_id="g3",
                    group_name="Ceder",
                    reference_id="1102_Torget 1",
                    reason="Apartment number 'x' har fler än 20 tecken; det används inte",
                    code="internal_number_too_long",
                    params={"number": "x", "max": 20},
                ),
            ],
        )
        session.add(run)
        other = make_account(session, "Brf B", username="bert")
        foreign = service.add_address(session, account=other, name="Främmande 1")
        foreign_integration = make_integration(session, other)
        foreign_run = IntegrationRun(
            integration_id=foreign_integration.id, trigger="manual", status="failed", started_at=NOW, message="x"
        )
        session.add(foreign_run)
        session.flush()
        owned = {
            "apartment": session.scalar(select(Apartment.id).where(Apartment.lm_number == "1001")),
            "resident": session.scalar(select(Resident.id).where(Resident.last_name == "Andersson")),
            "key": session.scalar(select(Key.id).where(Key.number == "111")),
        }
        addresses = {address.name: address.id for address, _ in service.list_addresses(session, account=account)}
        return {
            "account": account.id,
            "torget": addresses["Torget 1"],
            "manual": manual.id,
            "integration": integration.id,
            "run": run.id,
            "foreign": foreign.id,
            "foreign_integration": foreign_integration.id,
            "foreign_run": foreign_run.id,
            "owned": owned,
        }


@pytest.fixture
def client(database: Database, clock: FixedClock) -> TestClient:
    return web_client(database, clock)


def count(database: Database, model) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def text_of(html: str) -> str:
    """The visible text of a page, tags removed and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# Sessions


def test_root_sends_to_login_then_to_the_addresses(client: TestClient, world: dict) -> None:
    assert client.get(f"{BASE}/").headers["location"] == f"{BASE}/login"
    assert client.get(f"{BASE}/addresses").headers["location"] == f"{BASE}/login"
    log_in(client, "anna")
    assert client.get(f"{BASE}/").headers["location"] == f"{BASE}/addresses"
    assert client.get(f"{BASE}/login").headers["location"] == f"{BASE}/addresses"


def test_login_makes_a_hardened_session_and_logout_ends_it(client: TestClient, world: dict, database: Database) -> None:
    form = client.get(f"{BASE}/login")
    response = client.post(
        f"{BASE}/login", data={"username": "anna", "password": "secret-pw", "csrf_token": csrf_of(form.text)}
    )
    assert response.status_code == 303
    cookie = next(value for value in response.headers.get_list("set-cookie") if value.startswith("br_session="))
    flags = [flag.strip().lower() for flag in cookie.split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "path=/boenderegister" in flags
    assert "secure" not in flags  # plain http here; see the https test
    token = cookie.split(";")[0].removeprefix("br_session=")
    with database.transaction() as session:
        rows = session.scalars(select(WebSession)).all()
        assert len(rows) == 1
        assert rows[0].digest != token
        assert token not in rows[0].digest
        assert rows[0].expires_at == NOW + timedelta(hours=8)
    page = client.get(f"{BASE}/addresses")
    assert "anna" in page.text
    assert client.post(f"{BASE}/logout", data={"csrf_token": csrf_of(page.text)}).headers["location"] == (
        f"{BASE}/login"
    )
    assert count(database, WebSession) == 0
    client.cookies.set("br_session", token, path="/boenderegister")  # replaying the old cookie gets nothing
    assert client.get(f"{BASE}/addresses").headers["location"] == f"{BASE}/login"


def test_session_cookie_is_secure_over_https(database: Database, clock: FixedClock, world: dict) -> None:
    client = web_client(database, clock, base_url="https://testserver")
    form = client.get(f"{BASE}/login")
    assert "secure" in form.headers["set-cookie"].lower()
    response = client.post(
        f"{BASE}/login", data={"username": "anna", "password": "secret-pw", "csrf_token": csrf_of(form.text)}
    )
    cookie = next(value for value in response.headers.get_list("set-cookie") if value.startswith("br_session="))
    assert "secure" in [flag.strip().lower() for flag in cookie.split(";")]


def test_sessions_expire_after_eight_hours(client: TestClient, world: dict, clock: FixedClock) -> None:
    log_in(client, "anna")
    clock.advance(timedelta(hours=7, minutes=59))
    assert client.get(f"{BASE}/addresses").status_code == 200
    clock.advance(timedelta(minutes=2))
    assert client.get(f"{BASE}/addresses").headers["location"] == f"{BASE}/login"


def test_wrong_credentials_give_one_answer_and_no_session(client: TestClient, world: dict, database: Database) -> None:
    answers = []
    for username, password in (("anna", "wrong"), ("nobody", "secret-pw"), ("anna", "")):
        form = client.get(f"{BASE}/login")
        response = client.post(
            f"{BASE}/login", data={"username": username, "password": password, "csrf_token": csrf_of(form.text)}
        )
        assert response.status_code == 200
        assert "Fel användarnamn eller lösenord" in response.text
        answers.append(response.text.replace(f'value="{username}"', ""))
        assert not any(c.startswith("br_session=") for c in response.headers.get_list("set-cookie"))
    assert len({re.sub(r'name="csrf_token" value="[^"]+"', "", answer) for answer in answers}) == 1
    assert count(database, WebSession) == 0


def test_the_login_form_needs_its_csrf_cookie(client: TestClient, world: dict, database: Database) -> None:
    form = client.get(f"{BASE}/login")
    token = csrf_of(form.text)
    client.cookies.clear()
    refused = client.post(f"{BASE}/login", data={"username": "anna", "password": "secret-pw", "csrf_token": token})
    assert refused.status_code == 403
    client.get(f"{BASE}/login")
    wrong = client.post(f"{BASE}/login", data={"username": "anna", "password": "secret-pw", "csrf_token": "x" * 43})
    assert wrong.status_code == 403
    assert count(database, WebSession) == 0


def test_posts_without_the_csrf_token_are_refused(client: TestClient, world: dict, database: Database) -> None:
    token = log_in(client, "anna")
    before = count(database, Address)
    for data in ({"name": "Ny 1"}, {"name": "Ny 1", "csrf_token": ""}, {"name": "Ny 1", "csrf_token": token + "x"}):
        response = client.post(f"{BASE}/addresses", data=data)
        assert response.status_code == 403
        assert "Inget ändrades" in response.text
    assert count(database, Address) == before
    assert client.post(f"{BASE}/addresses/{world['manual']}/delete").status_code == 403
    assert client.post(f"{BASE}/integrations/{world['integration']}/run", data={}).status_code == 403
    assert client.post(f"{BASE}/logout").status_code == 403
    assert count(database, Address) == before
    assert count(database, IntegrationRun) == 2
    assert count(database, WebSession) == 1
    assert client.post(f"{BASE}/addresses", data={"name": "Ny 1", "csrf_token": token}).status_code == 303


def test_a_token_of_another_session_is_refused(database: Database, clock: FixedClock, world: dict) -> None:
    anna, bert = web_client(database, clock), web_client(database, clock)
    log_in(anna, "anna")
    bert_token = log_in(bert, "bert")
    assert anna.post(f"{BASE}/addresses", data={"name": "Ny 1", "csrf_token": bert_token}).status_code == 403


def test_without_a_session_pages_and_forms_send_to_login(client: TestClient, world: dict, database: Database) -> None:
    for path in ("/addresses", f"/addresses/{world['torget']}/board", "/integrations", f"/runs/{world['run']}"):
        assert client.get(BASE + path).headers["location"] == f"{BASE}/login"
    response = client.post(f"{BASE}/addresses", data={"name": "Ny 1", "csrf_token": "x"})
    assert response.headers["location"] == f"{BASE}/login"
    response = client.post(f"{BASE}/integrations/{world['integration']}/run", data={"csrf_token": "x"})
    assert response.headers["location"] == f"{BASE}/login"
    assert count(database, Address) == 3


def test_pages_carry_security_headers_and_escape_what_people_typed(client: TestClient, world: dict) -> None:
    token = log_in(client, "anna")
    created = client.post(f"{BASE}/addresses", data={"name": "<script>alert(1)</script>", "csrf_token": token})
    page = client.get(created.headers["location"])
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


# Account isolation


def test_another_accounts_records_are_not_found(client: TestClient, world: dict, database: Database) -> None:
    token = log_in(client, "bert")
    owned = world["owned"]
    for path in (
        f"/addresses/{world['torget']}",
        f"/addresses/{world['manual']}",
        f"/addresses/{world['torget']}/board",
        f"/apartments/{owned['apartment']}",
        f"/integrations/{world['integration']}",
        f"/runs/{world['run']}",
    ):
        response = client.get(BASE + path)
        assert response.status_code == 404, path
        assert "text/html" in response.headers["content-type"]
    for path, data in (
        (f"/addresses/{world['manual']}/delete", {}),
        (f"/addresses/{world['manual']}/apartments", {"lm_number": "1001"}),
        (f"/addresses/{world['manual']}/shown-number", {"choice": "internal"}),
        (f"/apartments/{owned['apartment']}/residents", {"last_name": "X"}),
        (f"/residents/{owned['resident']}/keys", {"kind": "tag", "number": "1"}),
        (f"/keys/{owned['key']}/delete", {}),
        (f"/integrations/{world['integration']}/run", {}),
    ):
        assert client.post(BASE + path, data={**data, "csrf_token": token}).status_code == 404, path
    assert count(database, IntegrationRun) == 2
    with database.transaction() as session:
        assert session.get(Address, world["manual"]).shown_number is None
    listing = client.get(f"{BASE}/addresses").text
    assert "Främmande 1" in listing
    assert "Torget 1" not in listing
    assert client.get(f"{BASE}/runs/{world['foreign_run']}").status_code == 200


# The register


def test_hand_kept_records_are_added_and_deleted(client: TestClient, world: dict, database: Database) -> None:
    token = log_in(client, "anna")
    created = client.post(f"{BASE}/addresses", data={"name": "Kvistvägen 12", "csrf_token": token})
    address_url = created.headers["location"].split("?")[0]
    assert "Adressen lades till" in client.get(created.headers["location"]).text
    response = client.post(
        f"{address_url}/apartments",
        data={"lm_number": "1102", "internal_number": "348", "floor_code": "", "csrf_token": token},
    )
    assert response.status_code == 303
    with database.transaction() as session:
        apartment = session.scalar(select(Apartment).where(Apartment.internal_number == "348"))
        assert (apartment.lm_number, apartment.floor_code, apartment.integration_id) == ("1102", "11", None)
        apartment_id = apartment.id
    page = client.get(address_url).text
    assert "1 tr" in page
    assert f"/apartments/{apartment_id}" in page
    response = client.post(
        f"{BASE}/apartments/{apartment_id}/residents",
        data={"first_name": "Karin", "last_name": "Lind", "csrf_token": token},
    )
    assert response.headers["location"] == f"{BASE}/apartments/{apartment_id}?done=resident-added"
    with database.transaction() as session:
        resident_id = session.scalar(select(Resident.id).where(Resident.last_name == "Lind"))
    response = client.post(
        f"{BASE}/residents/{resident_id}/keys", data={"kind": "radio", "number": "7654321", "csrf_token": token}
    )
    assert response.headers["location"] == f"{BASE}/apartments/{apartment_id}?done=key-added"
    page = client.get(f"{BASE}/apartments/{apartment_id}").text
    assert "Lind Karin" in page
    assert "7654321" in page
    assert "Radionyckel" in page
    with database.transaction() as session:
        key_id = session.scalar(select(Key.id).where(Key.number == "7654321"))

    assert client.post(f"{BASE}/keys/{key_id}/delete", data={"csrf_token": token}).status_code == 303
    assert count(database, Key) == 1
    assert client.post(f"{BASE}/residents/{resident_id}/delete", data={"csrf_token": token}).status_code == 303
    response = client.post(f"{BASE}/apartments/{apartment_id}/delete", data={"csrf_token": token})
    assert response.headers["location"].startswith(address_url)
    response = client.post(f"{address_url}/delete", data={"csrf_token": token})
    assert response.headers["location"] == f"{BASE}/addresses?done=deleted"
    with database.transaction() as session:
        assert session.scalar(select(Address).where(Address.name == "Kvistvägen 12")) is None
        assert session.scalar(select(Resident).where(Resident.last_name == "Lind")) is None


def test_invalid_input_shows_the_form_again_with_the_reason(
    client: TestClient, world: dict, database: Database
) -> None:
    token = log_in(client, "anna")
    url = f"{BASE}/addresses/{world['manual']}/apartments"
    response = client.post(url, data={"lm_number": "12", "internal_number": "9a", "csrf_token": token})
    assert response.status_code == 400
    assert "Lantmäterinumret måste ha exakt 4 siffror" in response.text
    assert 'value="9a"' in response.text
    response = client.post(f"{BASE}/addresses", data={"name": "Handgatan 1", "csrf_token": token})
    assert response.status_code == 400
    assert "finns redan" in response.text
    response = client.post(f"{BASE}/apartments/{world['owned']['apartment']}/residents", data={"csrf_token": token})
    assert response.status_code == 409  # the apartment is the integration's: refused before the name is checked
    assert count(database, Apartment) == 3


def test_integration_records_are_read_only(client: TestClient, world: dict, database: Database) -> None:
    token = log_in(client, "anna")
    owned = world["owned"]
    page = client.get(f"{BASE}/addresses/{world['torget']}").text
    assert "från integration" in page
    assert f"/addresses/{world['torget']}/delete" not in page
    assert f"/addresses/{world['torget']}/apartments" not in page
    apartment_page = client.get(f"{BASE}/apartments/{owned['apartment']}").text
    assert "från integration" in apartment_page
    assert "/delete" not in apartment_page.replace(f"{BASE}/logout", "")
    assert "/keys" not in apartment_page
    assert "/residents" not in apartment_page

    for path, data in (
        (f"/addresses/{world['torget']}/delete", {}),
        (f"/addresses/{world['torget']}/apartments", {"lm_number": "1201"}),
        (f"/apartments/{owned['apartment']}/delete", {}),
        (f"/apartments/{owned['apartment']}/residents", {"last_name": "Intrång"}),
        (f"/residents/{owned['resident']}/delete", {}),
        (f"/residents/{owned['resident']}/keys", {"kind": "tag", "number": "999"}),
        (f"/keys/{owned['key']}/delete", {}),
    ):
        response = client.post(BASE + path, data={**data, "csrf_token": token})
        assert response.status_code == 409, path
        assert "Axema" in response.text
    assert (count(database, Address), count(database, Apartment), count(database, Resident), count(database, Key)) == (
        3,
        3,
        3,
        1,
    )
    # the number shown is a display choice, which people make for integration addresses too
    response = client.post(
        f"{BASE}/addresses/{world['torget']}/shown-number", data={"choice": "internal", "csrf_token": token}
    )
    assert response.status_code == 303


def test_name_board_shows_floors_top_down_with_numbers_and_names(client: TestClient, world: dict) -> None:
    token = log_in(client, "anna")
    board = client.get(f"{BASE}/addresses/{world['torget']}/board")
    assert board.status_code == 200
    assert 'class="board"' in board.text
    text = text_of(board.text[board.text.index('class="board"') :])
    assert text.index("2 tr") < text.index("1 tr") < text.index("Entréplan")
    assert "Torget 1 2 tr 1102 Ceder Cilla 1 tr 1101 &nbsp; Entréplan 1001 Andersson Anna Berg Bo" in text

    client.post(f"{BASE}/addresses/{world['torget']}/shown-number", data={"choice": "internal", "csrf_token": token})
    text = text_of(client.get(f"{BASE}/addresses/{world['torget']}/board").text)
    assert "Entréplan 101 Andersson Anna Berg Bo" in text
    assert "1001" not in text

    client.post(f"{BASE}/addresses/{world['torget']}/shown-number", data={"choice": "account", "csrf_token": token})
    assert "Entréplan 1001 Andersson" in text_of(client.get(f"{BASE}/addresses/{world['torget']}/board").text)
    assert client.post(f"{BASE}/settings", data={"shown_number": "internal", "csrf_token": token}).status_code == 303
    assert "Entréplan 101 Andersson" in text_of(client.get(f"{BASE}/addresses/{world['torget']}/board").text)
    assert client.post(f"{BASE}/settings", data={"shown_number": "roman", "csrf_token": token}).status_code == 400


def test_address_list_counts_apartments(client: TestClient, world: dict) -> None:
    log_in(client, "anna")
    text = text_of(client.get(f"{BASE}/addresses").text)
    assert "Handgatan 1 0" in text
    assert "Torget 1 från integration 3" in text


# Integrations


def test_a_new_integration_keeps_its_password_encrypted(client: TestClient, world: dict, database: Database) -> None:
    token = log_in(client, "anna")
    form = {
        "name": "Axema Kvisten",
        "data_format": "AXEMA",
        "base_url": "https://axema.example.se/",
        "username": "integration",
        "password": "hemligt-lösen-123",
        "api_key": "nyckel-456",
        "schedule_time": "03:30",
        "removal_threshold": "15",
        "csrf_token": token,
    }
    response = client.post(f"{BASE}/integrations", data=form)
    assert response.status_code == 303
    integration_id = int(response.headers["location"].split("?")[0].rsplit("/", 1)[1])
    with database.transaction() as session:
        integration = session.get_one(Integration, integration_id)
        row = {column: getattr(integration, column) for column in Integration.__table__.columns.keys()}  # noqa: SIM118
        assert integration.account_id == world["account"]
        assert integration.base_url == "https://axema.example.se"
        assert (integration.schedule_time, integration.timezone) == ("03:30", "Europe/Stockholm")
        assert integration.removal_threshold == pytest.approx(0.15)
        assert SecretBox(SECRET_KEY).decrypt(integration.password_encrypted) == "hemligt-lösen-123"
        assert SecretBox(SECRET_KEY).decrypt(integration.api_key_encrypted) == "nyckel-456"
    assert not any("hemligt" in str(value) or "nyckel-456" in str(value) for value in row.values())
    page = client.get(f"{BASE}/integrations/{integration_id}").text
    assert "hemligt" not in page
    assert "nyckel-456" not in page
    assert "sparat krypterat" in page
    assert "2026-03-02 03:30" in page  # next run: tomorrow 03:30 Stockholm time (now is 2026-03-01 13:00 there)

    bad = client.post(f"{BASE}/integrations", data={**form, "base_url": "axema.example.se"})
    assert bad.status_code == 400
    assert "http://- eller https://-URL" in bad.text
    assert "hemligt" not in bad.text
    assert 'value="integration"' in bad.text
    assert client.post(f"{BASE}/integrations", data={**form, "removal_threshold": "many"}).status_code == 400
    assert count(database, Integration) == 3


def test_integration_page_shows_the_run_history(client: TestClient, world: dict) -> None:
    log_in(client, "anna")
    page = client.get(f"{BASE}/integrations/{world['integration']}").text
    text = text_of(page)
    assert "Kör nu" in text
    assert "Kör och genomför borttagningarna" not in text
    assert "2026-03-01 03:00 Schemalagd Lyckades 8 1 2" in text  # 10 h before 13:00 Stockholm time
    assert f"/runs/{world['run']}" in page
    assert "Senaste körning" in client.get(f"{BASE}/integrations").text


def test_run_page_lists_excluded_groups_and_warnings(client: TestClient, world: dict) -> None:
    log_in(client, "anna")
    page = client.get(f"{BASE}/runs/{world['run']}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert '<html lang="sv">' in page.text
    assert "Adresser 1 0 0" in text
    assert "Boende 3 1 0" in text
    assert "Nycklar 1 0 2" in text
    assert "Totalt 8 1 2" in text
    assert "Exkluderade grupper 2" in text
    assert "Familjen Dahl 102_Torget 1 Referens ID börjar inte med ett 4-siffrigt lantmäterinummer" in text
    assert "Ek &lt;Erik&gt; (saknas) Referens ID saknas" in text
    assert "Varningar 1" in text
    assert "Ceder 1102_Torget 1 Apartment number 'x' har fler än 20 tecken; det används inte" in text.replace(
        "&#39;", "'"
    )
    # The same report in English: the browser asks for it, or the user chooses it with the language switch.
    english = client.get(f"{BASE}/runs/{world['run']}", headers={"Accept-Language": "en-GB, sv;q=0.5"})
    assert '<html lang="en">' in english.text
    assert "Excluded groups 2" in text_of(english.text)
    switch = client.get(f"{BASE}/language/en", params={"next": f"/runs/{world['run']}"})
    assert switch.status_code == 303
    assert switch.headers["location"] == f"{BASE}/runs/{world['run']}"
    text = text_of(client.get(switch.headers["location"], headers={"Accept-Language": "sv"}).text)
    assert "Addresses 1 0 0" in text
    assert "Familjen Dahl 102_Torget 1 Reference ID does not start with a 4-digit Lantmäteriet number" in text
    assert "Ek &lt;Erik&gt; (missing) Reference ID is missing" in text
    assert "Ceder 1102_Torget 1 Apartment number 'x' is longer than 20 characters; ignored" in text.replace(
        "&#39;", "'"
    )
    assert client.get(f"{BASE}/language/en", params={"next": "//evil.example/"}).headers["location"] == f"{BASE}/"


def test_a_users_language_setting_follows_them_to_every_browser(client: TestClient, world: dict) -> None:
    token = log_in(client, "anna")
    refused = client.post(f"{BASE}/settings/me", data={"csrf_token": token, "language": "klingon"})
    assert refused.status_code == 400
    assert "Språket klingon finns inte" in refused.text
    saved = client.post(f"{BASE}/settings/me", data={"csrf_token": token, "email": "", "language": "en"})
    assert saved.status_code == 303
    swedish_browser = {"Accept-Language": "sv-SE"}
    assert '<html lang="en">' in client.get(f"{BASE}/addresses", headers=swedish_browser).text
    client.get(f"{BASE}/language/sv")  # this browser's own switch wins over the setting
    assert '<html lang="sv">' in client.get(f"{BASE}/addresses", headers=swedish_browser).text
    client.cookies.delete("bodata_lang", path="/boenderegister")
    client.post(f"{BASE}/settings/me", data={"csrf_token": token, "email": "", "language": ""})
    assert '<html lang="sv">' in client.get(f"{BASE}/addresses", headers=swedish_browser).text
    assert '<html lang="en">' in client.get(f"{BASE}/addresses", headers={"Accept-Language": "en"}).text


def test_a_run_waiting_for_confirmation_offers_to_apply_removals(
    client: TestClient, world: dict, database: Database
) -> None:
    with database.transaction() as session:
        session.add(
            IntegrationRun(
                integration_id=world["integration"],
                trigger="schedule",
                status="needs_confirmation",
                started_at=NOW,
                message="Axema returned 1 residents; the last successful run had 3.",
            )
        )
    log_in(client, "anna")
    page = client.get(f"{BASE}/integrations/{world['integration']}").text
    assert "Kör och genomför borttagningarna" in page
    assert 'name="confirm_removals" value="1"' in page
    assert "Axema returned 1 residents" in page


def test_run_now_reports_an_unreachable_system(client: TestClient, world: dict, database: Database) -> None:
    token = log_in(client, "anna")
    response = client.post(f"{BASE}/integrations/{world['integration']}/run", data={"csrf_token": token})
    assert response.status_code == 303
    run_url = response.headers["location"]
    assert re.fullmatch(rf"{BASE}/runs/\d+", run_url)
    text = text_of(client.get(run_url).text)
    assert "Misslyckades" in text
    assert "Axema-systemet kunde inte nås. Inget ändrades." in text
    with database.transaction() as session:
        integration = session.get_one(Integration, world["integration"])
        assert integration.lock_holder is None


def test_run_now_while_the_integration_runs_elsewhere(client: TestClient, world: dict, database: Database) -> None:
    with database.transaction() as session:
        session.execute(
            update(Integration)
            .where(Integration.id == world["integration"])
            .values(lock_holder="elsewhere:1", lock_expires_at=NOW + timedelta(minutes=30))
        )
    token = log_in(client, "anna")
    response = client.post(f"{BASE}/integrations/{world['integration']}/run", data={"csrf_token": token})
    assert response.headers["location"] == f"{BASE}/integrations/{world['integration']}?error=busy"
    assert "Integrationen körs just nu" in client.get(response.headers["location"]).text
    assert count(database, IntegrationRun) == 2


@pytest.fixture(scope="module")
def axema() -> Iterator[RunningSim]:
    with start_sim(SimState(seed=5, apartments=30, bad_reference_ratio=0.2)) as sim:
        yield sim


def test_run_now_against_the_axema_stand_in(client: TestClient, database: Database, axema: RunningSim) -> None:
    with database.transaction() as session:
        account = make_account(session, "Brf Sim", username="sim")
        integration_id = make_integration(session, account, base_url=axema.url).id
    token = log_in(client, "sim")
    response = client.post(f"{BASE}/integrations/{integration_id}/run", data={"csrf_token": token})
    run_page = client.get(response.headers["location"])
    text = text_of(run_page.text)
    assert "Lyckades" in text
    assert "Exkluderade grupper 6" in text
    assert "Referens ID saknas" in text
    with database.transaction() as session:
        account = session.scalar(select(Account).where(Account.name == "Brf Sim"))
        address_id, _ = service.list_addresses(session, account=account)[0]
        board = service.name_board(session, account=account, address_id=address_id.id)
    names = [name for floor in board.floors for apartment in floor.apartments for name in apartment.names]
    board_page = client.get(f"{BASE}/addresses/{board.address_id}/board").text
    assert names
    assert all(str(service_text) in text_of(board_page) for service_text in names)
    history = text_of(client.get(f"{BASE}/integrations/{integration_id}").text)
    assert "Manuell (webben) Lyckades" in history


def test_every_page_is_in_swedish_with_no_english_word(client: TestClient, world: dict) -> None:
    """Swedish first: every page (and its titles, labels and placeholders) uses no word that only English uses."""
    leaks = english_only_words()
    assert {"the", "delete", "run", "address"} <= leaks
    token = log_in(client, "anna")
    refused = client.post(
        f"{BASE}/addresses/{world['torget']}/apartments", data={"csrf_token": token, "lm_number": "1"}
    )
    pages = [refused] + [
        client.get(BASE + path)
        for path in (
            "/addresses",
            "/addresses?q=inget",
            f"/addresses/{world['torget']}",
            f"/addresses/{world['manual']}",
            f"/addresses/{world['torget']}/board",
            f"/apartments/{world['owned']['apartment']}",
            "/integrations",
            f"/integrations/{world['integration']}",
            f"/runs/{world['run']}",
            "/settings",
            f"/addresses/{world['foreign']}",
        )
    ]
    client.post(f"{BASE}/logout", data={"csrf_token": token})
    pages.append(client.get(f"{BASE}/login"))
    for page in pages:
        assert '<html lang="sv">' in page.text
        shown = (
            text_of(page.text) + " " + " ".join(re.findall(r'(?:title|aria-label|placeholder)="([^"]*)"', page.text))
        )
        words = {word.lower() for word in re.findall(r"[^\W\d_]{3,}", shown)}
        assert not words & leaks, (page.url, sorted(words & leaks))
