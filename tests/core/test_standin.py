"""Stand-in controls in process: seed files refused with file, path and reason; fault matching; the journal's
redaction and HAR; the clock per service; the reset gate; nothing installed outside stand-in mode; snapshots of a
table that refers to itself. The end-to-end walks per service are in tests/e2e/test_standin.py."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from bodata.app import create_app
from bodata.core.clock import FixedClock
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.standin.clock import CURRENT_SERVICE, ControlledClock
from bodata.core.standin.faults import FaultRuleIn, Faults
from bodata.core.standin.journal import Entry, Journal, har, outcome_of, redact_body, redact_query
from bodata.core.standin.middleware import Gate, StandInMiddleware
from bodata.core.standin.seeds import SeedError, read_seed, read_seed_file
from bodata.core.standin.tables import prepare, read, replace_rows
from bodata.services import AXEMA_SIM_DEMO, SERVICES

pytestmark = pytest.mark.sqlite_only

FORMATS = {s.name: s.seed_format for s in (*SERVICES, AXEMA_SIM_DEMO) if s.seed_format is not None}
EXAMPLES = Path(__file__).parents[2] / "docs" / "stand-in"


def problems(text: str, name: str = "seed.yaml") -> list[str]:
    with pytest.raises(SeedError) as refused:
        read_seed(text.encode(), name, FORMATS)
    return [str(problem) for problem in refused.value.problems]


def test_the_documented_examples_are_valid_seeds_and_shown_whole_in_the_guide() -> None:
    guide = (EXAMPLES.parent / "stand-in.md").read_text(encoding="utf-8")
    for path in sorted(EXAMPLES.glob("*.yaml")):
        assert read_seed_file(path, FORMATS).service in FORMATS
        assert path.read_text(encoding="utf-8").strip() in guide, f"{path.name} is not in docs/stand-in.md"


def test_seed_files_are_refused_with_file_path_and_reason() -> None:
    assert problems("bodata-seed: 2\nservice: portal\n") == ["seed.yaml: /bodata-seed: must be 1, not 2"]
    assert problems("bodata-seed: 1\nservice: nowhere\n")[0].startswith("seed.yaml: /service: 'nowhere' is not")
    assert problems("- a list") == ["seed.yaml: /: a seed file is a mapping with bodata-seed and service"]
    assert problems("{not json", "x.json")[0].startswith("x.json: /: neither JSON nor YAML")
    hr = "bodata-seed: 1\nservice: huslejeregister\norganisations:\n  - nummer: 0\n    afdelinger: [{nummer: x}]\n"
    assert problems(hr) == [
        "seed.yaml: /organisations[0]/nummer: Input should be greater than or equal to 1",
        "seed.yaml: /organisations[0]/afdelinger[0]/nummer: Input should be a valid integer, unable to parse string "
        "as an integer",
    ]
    axema = "bodata-seed: 1\nservice: axema-sim\npersons: [{id: p-1, credentials: [{id: c-1, type: key, number: '1'}]}]"
    assert problems(axema) == ["seed.yaml: /persons[0]/credentials[0]/type: Input should be 'card', 'radio' or 'code'"]
    refused = problems('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]}', "lm.json")
    assert refused[0].startswith("lm.json: /: ")


def test_faults_match_service_operation_and_caller_and_stop_after_their_count() -> None:
    faults = Faults()
    soap = faults.add(FaultRuleIn(service="huslejeregister", operation="LejekontraktOpret", status=500, times=2))
    rest = faults.add(FaultRuleIn(service="portal", operation="GET /portal/session/*", status=503, caller="anna"))

    def fire(service: str, method: str, path: str, operation: str | None = None, caller: str | None = None) -> object:
        rule = faults.fire(service=service, method=method, path=path, soap_operation=operation, caller=caller)
        return rule.id if rule else None

    assert fire("huslejeregister", "POST", "/huslejeregister/v3", "LejekontraktRet") is None
    assert fire("huslejeregister", "POST", "/huslejeregister/v3", "LejekontraktOpret") == soap.id
    assert fire("portal", "GET", "/portal/session/abc", caller="bo") is None
    assert fire("portal", "POST", "/portal/session/abc", caller="anna") is None
    assert fire("portal", "GET", "/portal/session/abc/x", caller="anna") == rest.id
    assert fire("huslejeregister", "POST", "/huslejeregister/v3", "LejekontraktOpret") == soap.id
    assert [rule.id for rule in faults.rules()] == [rest.id]  # the SOAP rule fired its two times
    never = Faults()
    never.add(FaultRuleIn(service="*", status=500, probability=0))
    assert never.fire(service="portal", method="GET", path="/portal", soap_operation=None, caller=None) is None
    with pytest.raises(ValueError, match="a status, a latency or both"):
        FaultRuleIn(service="portal")


def test_the_journal_redacts_credentials_keeps_outcomes_and_stays_bounded() -> None:
    soap = b"<s:Envelope><s:Header><wsse:Password Type='x'>hemmelig</wsse:Password></s:Header></s:Envelope>"
    assert "hemmelig" not in redact_body(soap, "text/xml")
    assert "***" in redact_body(soap, "text/xml")
    login = '{"Användarnamn": "anna", "Lösenord": "hemligt", "client_secret": "s"}'.encode()
    assert (
        redact_body(login, "application/json") == '{"Användarnamn": "anna", "Lösenord": "***", "client_secret": "***"}'
    )
    assert (
        redact_query("ApiNyckel=k1&includeData=total&access_token=t")
        == "ApiNyckel=%2A%2A%2A&includeData=total&access_token=%2A%2A%2A"
    )
    assert redact_body(b"x" * 10, "image/png") == "(10 bytes of image/png)"
    result = b"<r><ResultatKode>2014</ResultatKode><ResultatKode>5005</ResultatKode></r>"
    assert outcome_of(result, "text/xml") == ["ResultatKode 2014", "ResultatKode 5005"]
    assert outcome_of(b'{"Felkod": "SessionOgiltig"}', "application/json") == ["Felkod SessionOgiltig"]
    assert outcome_of(b'{"code": 404, "reason": "Not Found"}', "application/json") == ["code 404"]
    journal = Journal(size=2)
    for number in range(3):
        journal.add(_entry(journal.next_id(), "portal", 200 + number))
    journal.add(_entry(journal.next_id(), "inskrivning", 404))
    assert [entry.id for entry in journal.entries()] == [4, 3, 2]  # the portal's first fell out
    assert [entry.id for entry in journal.entries(service="portal", status=202)] == [3]
    assert [entry.id for entry in journal.entries(operation="session")] == [3, 2]
    size = lambda service: REGISTRY.get_sample_value("bodata_journal_entries", {"service": service})  # noqa: E731
    assert (size("portal"), size("inskrivning")) == (2, 1)  # the journal's size in /metrics
    journal.clear("inskrivning")
    assert (size("portal"), size("inskrivning")) == (2, 0)
    journal.add(_entry(journal.next_id(), "inskrivning", 404))
    log = har(journal.entries())["log"]
    assert [item["response"]["status"] for item in log["entries"]] == [201, 202, 404]
    assert log["entries"][0]["request"]["url"] == "http://localhost/portal/session?a=1"


def _entry(number: int, service: str, status: int) -> Entry:
    operation = "GET /portal/session" if service == "portal" else "GET /inskrivning/{id}"
    return Entry(
        number, datetime.now(UTC), service, operation, "GET", "/portal/session", "a=1", status, 1.0, None, [], ""
    )


def test_the_clock_moves_globally_and_per_service() -> None:
    base = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    clock = ControlledClock(base)
    clock.advance(timedelta(days=1))
    clock.set(datetime(2030, 6, 1, tzinfo=UTC), service="portal", freeze=True)
    base.advance(timedelta(hours=1))
    token = CURRENT_SERVICE.set("portal")
    try:
        assert clock.now() == datetime(2030, 6, 1, tzinfo=UTC)  # frozen
    finally:
        CURRENT_SERVICE.reset(token)
    assert clock.now() == datetime(2026, 1, 2, 1, tzinfo=UTC)  # outside requests and for other services: global
    assert clock.now_for("inskrivning") == datetime(2026, 1, 2, 1, tzinfo=UTC)
    clock.advance(timedelta(days=2), service="portal")
    assert clock.now_for("portal") == datetime(2030, 6, 3, tzinfo=UTC)
    clock.release(service="portal")
    clock.release()
    assert clock.now_for("portal") == base.now()
    with pytest.raises(ValueError, match="time zone"):
        clock.set(datetime(2030, 1, 1))


def test_a_reset_waits_for_the_requests_in_flight_and_holds_new_ones() -> None:
    async def scenario() -> list[str]:
        gate, order = Gate(), []

        async def request(name: str, delay: float) -> None:
            async with gate.shared():
                order.append(f"{name} in")
                await asyncio.sleep(delay)
                order.append(f"{name} out")

        async def reset() -> None:
            async with gate.exclusive():
                order.append("reset")

        first = asyncio.create_task(request("first", 0.05))
        await asyncio.sleep(0)
        resetting = asyncio.create_task(reset())
        await asyncio.sleep(0)
        late = asyncio.create_task(request("late", 0))
        await asyncio.gather(first, resetting, late)
        return order

    assert asyncio.run(scenario()) == ["first in", "first out", "reset", "late in", "late out"]


def test_nothing_is_installed_outside_stand_in_mode(database: Database) -> None:
    settings = Settings(database_url=str(database.engine.url), secret_key="k")
    app = create_app(settings, database=database)
    assert not any(middleware.cls is StandInMiddleware for middleware in app.user_middleware)
    with TestClient(app) as client:
        assert client.get("/_bodata/services").status_code == 404
    guessed = create_app(
        Settings(database_url=str(database.engine.url), secret_key="k", standin=True, standin_token="t"),
        database=database,
    )
    with TestClient(guessed) as client:
        statuses = [
            client.get("/_bodata/clock", headers={"Authorization": f"Bearer guess-{n}"}).status_code for n in range(11)
        ]
        assert statuses == [401] * 10 + [429]
        assert (
            client.get("/_bodata/clock", headers={"Authorization": "Bearer t"}).status_code == 429
        )  # even the right one
    no_token = create_app(
        Settings(database_url=str(database.engine.url), secret_key="k", standin=True), database=database
    )
    with TestClient(no_token) as client:
        assert client.get("/_bodata/services", headers={"Authorization": "Bearer x"}).status_code == 503


def test_rows_of_a_table_that_refers_to_itself_are_written_parents_first(database: Database) -> None:
    from bodata.portal.models import Node, NodeClass

    with database.transaction() as session:
        session.add(NodeClass(id=1, group_system_name="Objekt", system_name="Fastighet", beteckning="Fastighet"))
        session.flush()
        session.add_all(
            Node(id=n, parent_id=n - 1 if n > 1 else None, node_class_id=1, visningstext=f"n{n}") for n in (1, 2, 3)
        )
    with database.transaction() as session:
        rows = read(session.connection(), "portal")
    rows["pm_node"].reverse()  # children first: written in this order, the foreign keys would refuse
    with database.transaction() as session:
        replace_rows(session.connection(), "portal", prepare(session.connection().dialect, rows))
    with database.transaction() as session:
        assert [(node.id, node.parent_id) for node in session.query(Node).order_by(Node.id)] == [
            (1, None),
            (2, 1),
            (3, 2),
        ]


def test_seeding_directly_twice_changes_nothing_the_second_time(database_url: str) -> None:
    """`bodata stand-in seed --direct` with the examples, twice: every row of every service is as after the first."""
    from typer.testing import CliRunner

    from bodata.cli import app as bodata_cli
    from bodata.core.db import create_database_engine

    files = [str(EXAMPLES / f"{name}.yaml") for name in ("portal", "huslejeregister", "inskrivning")]
    env = {"BODATA_DATABASE_URL": database_url, "BODATA_SECRET_KEY": "k", "COLUMNS": "200"}
    database = Database(create_database_engine(database_url))
    states = []
    try:
        for _ in range(2):
            result = CliRunner().invoke(bodata_cli, ["stand-in", "seed", "--direct", *files], env=env)
            assert result.exit_code == 0, result.output
            with database.transaction(write=False) as session:
                states.append(
                    {name: read(session.connection(), name) for name in ("portal", "huslejeregister", "inskrivning")}
                )
    finally:
        database.dispose()
    assert states[0]["huslejeregister"]["hr_boligorganisation_version"]  # the versions were reported
    assert len(states[0]["portal"]["pm_customer"]) == 1
    assert states[1] == states[0]
    refused = CliRunner().invoke(bodata_cli, ["stand-in", "seed", "--direct", str(EXAMPLES / "axema.yaml")], env=env)
    assert refused.exit_code == 1
    assert "need a running server" in refused.output


def test_records_the_services_rules_refuse_are_named_by_path_and_nothing_is_written(database: Database) -> None:
    from bodata.core.security import SecretBox
    from bodata.core.standin.seeds import SeedTarget, apply_seeds

    hr = (EXAMPLES / "huslejeregister.yaml").read_text(encoding="utf-8")
    hr = hr.replace(
        "AfdelingFortrinsretEfterUdlejningsbekendtgoerelseIndikator: false", "AfdelingMinAlderAeldreboligKvantitet: 0"
    )
    portal = (
        (EXAMPLES / "portal.yaml").read_text(encoding="utf-8").replace("object: lgh-1101, fom", "object: lgh-9, fom")
    )
    for name, text, expected in (
        (
            "hr.yaml",
            hr,
            "hr.yaml: /organisations[0]/afdelinger[0]/versions: "
            "2601 Afdeling.MinAlderAeldrebolig skal være større end 0",
        ),
        ("portal.yaml", portal, "portal.yaml: /contracts[0]/object: no object with key 'lgh-9' earlier in the file"),
    ):
        document = read_seed(text.encode(), name, FORMATS)
        with pytest.raises(SeedError) as refused, database.transaction() as session:
            apply_seeds([document], FORMATS[document.service], SeedTarget(session, FixedClock(), SecretBox("k")))
        assert [str(problem) for problem in refused.value.problems] == [expected]
    with database.transaction(write=False) as session:
        assert not read(session.connection(), "huslejeregister")["hr_boligorganisation"]
        assert not read(session.connection(), "portal")["pm_customer"]
