"""HuslejeregisterV3 against a live server: SOAP 1.1 calls with hand-built envelopes over one keep-alive connection.

The register is built straight into a SQLite file, as the demo data is: Stamdata for one organisation (default 300
dwellings), a user, the fixed expenses (types 1-7) and a lease of every dwelling, and one submitted Bolig
registration of three versions each. One more dwelling gets 1,000 registrations by calling ``bitemporal.ret`` at
increasing times in one transaction. The file is then served by ``bodata serve`` on loopback and requests are sent
with httpx (zeep would measure itself, not the server); one response of each kind is checked before timing.

Baseline: ``GET /health`` (the cheapest request the server answers). Measured: ``BoligHent`` on random dwellings,
``BoligRet`` with three versions (submitted, valid; each call is a new registration), and
``BoligHentHistoriskSpecifik`` on the dwelling with 1,000 registrations against one with a single registration
(measured in alternating rounds so that the machine's noise falls on both alike).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from lxml import etree
from sqlalchemy import select

from bench.live import alternating_us, median_us, memory_mb, serve
from bench.report import Measurement, report
from bodata.core.config import Settings
from bodata.core.db import Database
from bodata.core.db.migrate import upgrade
from bodata.huslejeregister import bitemporal, organisations
from bodata.huslejeregister.bitemporal import KINDS
from bodata.huslejeregister.calls import RegisterRules
from bodata.huslejeregister.models import Bolig, Boligudgift, Lejekontrakt
from bodata.huslejeregister.schema import NS, SOAP_ENV_NS, xml_schema
from bodata.huslejeregister.soap import DANISH_TIME, PASSWORD_TEXT, WSSE_NS
from bodata.huslejeregister.stamdata import StamdataRow, import_stamdata

ENDPOINT = "/huslejeregister/v3"
ORGANISATION = 4001
USER, PASSWORD = "bench", "bench-password"
FIRST_REGISTRATION = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
REGISTRATION_STEP = timedelta(minutes=1)
EFFECT_STARTS = (datetime(2020, 1, 1, tzinfo=DANISH_TIME), datetime(2021, 1, 1, tzinfo=DANISH_TIME))
EFFECT_NOW = datetime(2022, 1, 1, tzinfo=DANISH_TIME)
QUERY_EFFECT = datetime(2021, 6, 1, tzinfo=DANISH_TIME)
"""HentHistoriskSpecifik asks for the second of the three versions."""

BOLIG_FIELDS: dict[str, Any] = {
    "BoligLejerTypeKode": 1,
    "BoligOpvarmningsformKode": 1,
    "BoligKoekkenKunForLejerIndikator": True,
    "BoligGarageKode": 2,
    "BoligCarportKode": 2,
    "BoligIndvendigVedligeholdelseLejerKode": 1,
    "BoligUdvendigVedligeholdelseLejerKode": 1,
    "BoligURLTekst": "https://www.bench-bolig.dk/bolig",
    "BoligBevaegelseshaemmetEgnetIndikator": False,
    "BoligKollegievaerelseIndikator": False,
    "BoligTypeKode": 3,
}
"""The required fields of a valid submitted Bolig version (BoligAktueltIndskudBeloeb varies per version)."""


# --- Building the register -------------------------------------------------------------------------------


def timeline(deposit: int) -> list[dict[str, Any]]:
    """Three contiguous versions from 2020 (the last open-ended) whose deposits are ``deposit``, +1, +2."""
    starts = (*EFFECT_STARTS, EFFECT_NOW)
    return [
        {
            "VirkningFraDatoTid": start,
            "VirkningTilDatoTid": starts[index + 1] if index + 1 < len(starts) else None,
            **BOLIG_FIELDS,
            "BoligAktueltIndskudBeloeb": Decimal(deposit + index),
        }
        for index, start in enumerate(starts)
    ]


def stamdata(dwellings: int, rng: random.Random) -> list[StamdataRow]:
    """One organisation, one department, 50 dwellings per building section."""
    return [
        StamdataRow(
            organisation=ORGANISATION,
            organisation_name="Benchmark Boligselskab",
            department=1,
            department_name="Målebyen",
            section=1 + index // 50,
            unit=uuid.UUID(int=rng.getrandbits(128), version=4),
            street_code=4242,
            street="Målevej",
            house_number=str(1 + index // 12),
            floor=str(index % 12 // 3),
            door=("tv", "mf", "th")[index % 3],
            postcode=8000,
            municipality=751,
            gross_area=Decimal(rng.randrange(40, 120)),
        )
        for index in range(dwellings)
    ]


def add_expenses_and_lease(session: Any, bolig: Bolig, now: datetime) -> None:
    """The submitted fixed expenses (types 1-7) and lease that rules 2014, 2015 and 2023 require."""
    stamps = {"oprettet": now, "aendret": now, "opdateret": now}
    for typekode in range(1, 8):
        session.add(
            Boligudgift(bolig_id=bolig.id, kladde=False, typekode=typekode, start_dato=date(2019, 1, 1), **stamps)
        )
    session.add(Lejekontrakt(bolig_id=bolig.id, kladde=False, start_dato=date(2020, 1, 1), **stamps))


MANY_EXPENSES = 200


def add_special_services(session: Any, bolig: Bolig, count: int, now: datetime) -> None:
    """``count`` current special services (type 8, which may overlap) besides the dwelling's fixed expenses."""
    stamps = {"oprettet": now, "aendret": now, "opdateret": now}
    for number in range(count):
        data = {
            "BoligudgiftBeloeb": "25.00",
            "BoligudgiftModtagerTypeKode": 1,
            "BoligudgiftIndeholdtIHuslejeIndikator": False,
            "BoligudgiftBeskrivelseTekst": f"Særlig ydelse {number}",
        }
        session.add(
            Boligudgift(
                bolig_id=bolig.id,
                kladde=False,
                typekode=8,
                start_dato=date(2024, 1, 1) + timedelta(days=number),
                data=data,
                **stamps,
            )
        )


def submit(session: Any, bolig: Bolig, deposit: int, now: datetime) -> None:
    structure = {"KladdeIndikator": False, "BoligVersionStruktur": timeline(deposit)}
    findings = bitemporal.ret(session, KINDS["Bolig"], bolig, structure, now=now, register=RegisterRules())
    errors = [item for item in findings if not item.is_info]
    if errors:
        raise RuntimeError(f"the register refused a Bolig: {[(item.number, item.text) for item in errors]}")


def build_register(path: Path, dwellings: int, registrations: int) -> tuple[dict[str, Any], float]:
    """Build the register into a new SQLite file; returns what the measurements need and the seconds it took."""
    database = Database.from_settings(Settings(database_url=f"sqlite:///{path}", secret_key="bench"))
    upgrade(database.engine)
    started = time.perf_counter()
    rng = random.Random(42)
    rows = stamdata(dwellings + 2, rng)
    with database.transaction() as session:
        import_stamdata(session, rows)
        organisations.add_user(session, USER, PASSWORD, [ORGANISATION], now=FIRST_REGISTRATION)
        by_unit = {bolig.bbr_id: bolig for bolig in session.scalars(select(Bolig))}
        for bolig in by_unit.values():
            add_expenses_and_lease(session, bolig, FIRST_REGISTRATION)
        session.flush()
        for row in rows[:dwellings]:
            submit(session, by_unit[row.unit], 10_000, FIRST_REGISTRATION)
        add_special_services(session, by_unit[rows[dwellings + 1].unit], MANY_EXPENSES - 7, FIRST_REGISTRATION)
        history = by_unit[rows[dwellings].unit]
        for number in range(registrations):
            submit(session, history, 10_000 + 10 * number, FIRST_REGISTRATION + number * REGISTRATION_STEP)
    database.dispose()
    middle = registrations // 2
    plan = {
        "units": [str(row.unit) for row in rows[:dwellings]],
        "single": str(rows[0].unit),
        "single_as_of": FIRST_REGISTRATION + REGISTRATION_STEP / 2,
        "single_deposit": 10_001,
        "history": str(rows[dwellings].unit),
        "history_as_of": FIRST_REGISTRATION + middle * REGISTRATION_STEP + REGISTRATION_STEP / 2,
        "history_deposit": 10_000 + 10 * middle + 1,
        "ret_target": str(rows[1].unit),
        "lease_target": str(rows[2].unit),
        "many_expenses": str(rows[dwellings + 1].unit),
    }
    return plan, time.perf_counter() - started


# --- The server and the requests -------------------------------------------------------------------------


def envelope(body: str) -> bytes:
    """A SOAP 1.1 request with a WS-Security UsernameToken (PasswordText) around ``body``."""
    return (
        f'<soap:Envelope xmlns:soap="{SOAP_ENV_NS}" xmlns:wsse="{WSSE_NS}" xmlns:hr="{NS}">'
        "<soap:Header><wsse:Security><wsse:UsernameToken>"
        f'<wsse:Username>{USER}</wsse:Username><wsse:Password Type="{PASSWORD_TEXT}">{PASSWORD}</wsse:Password>'
        f"</wsse:UsernameToken></wsse:Security></soap:Header><soap:Body>{body}</soap:Body></soap:Envelope>"
    ).encode()


def xml_datetime(moment: datetime) -> str:
    return moment.astimezone(DANISH_TIME).isoformat()


def bolig_ident(unit: str) -> str:
    unit_element = f"<hr:BuildingUnitUniversalIdentifier>{unit}</hr:BuildingUnitUniversalIdentifier>"
    return f"<hr:BoligIdentifikationStruktur>{unit_element}</hr:BoligIdentifikationStruktur>"


def hent(unit: str) -> bytes:
    return envelope(f"<hr:BoligHentInputStruktur>{bolig_ident(unit)}</hr:BoligHentInputStruktur>")


def hent_historisk_specifik(unit: str, registered_at: datetime) -> bytes:
    return envelope(
        f"<hr:BoligHentHistoriskSpecifikInputStruktur>{bolig_ident(unit)}"
        f"<hr:RegistreringstidDatoTid>{xml_datetime(registered_at)}</hr:RegistreringstidDatoTid>"
        f"<hr:VirkningsdatoDatoTid>{xml_datetime(QUERY_EFFECT)}</hr:VirkningsdatoDatoTid>"
        "</hr:BoligHentHistoriskSpecifikInputStruktur>"
    )


def ret(unit: str) -> bytes:
    """BoligRet of the three-version timeline, submitted (KladdeIndikator false)."""
    versions = []
    for version in timeline(20_000):
        times = f"<hr:VirkningFraDatoTid>{xml_datetime(version['VirkningFraDatoTid'])}</hr:VirkningFraDatoTid>"
        if version["VirkningTilDatoTid"] is not None:
            times += f"<hr:VirkningTilDatoTid>{xml_datetime(version['VirkningTilDatoTid'])}</hr:VirkningTilDatoTid>"
        fields = "".join(
            f"<hr:{name}>{str(version[name]).lower() if isinstance(version[name], bool) else version[name]}</hr:{name}>"
            for name in (*BOLIG_FIELDS, "BoligAktueltIndskudBeloeb")
        )
        versions.append(f"<hr:BoligVersionStruktur>{times}{fields}</hr:BoligVersionStruktur>")
    return envelope(
        f"<hr:BoligRetInputStruktur><hr:BoligStruktur>{bolig_ident(unit)}<hr:KladdeIndikator>false</hr:KladdeIndikator>"
        f"{''.join(versions)}</hr:BoligStruktur></hr:BoligRetInputStruktur>"
    )


def boligudgift_list(unit: str) -> bytes:
    return envelope(f"<hr:BoligudgiftListInputStruktur>{bolig_ident(unit)}</hr:BoligudgiftListInputStruktur>")


def lejekontrakt_opret(unit: str, number: int) -> bytes:
    """LejekontraktOpret of lease ``number`` (each starts a day after the one before, ending it)."""
    start = date(2030, 1, 1) + timedelta(days=number)
    return envelope(
        "<hr:LejekontraktOpretInputStruktur><hr:LejekontraktStruktur>"
        f"<hr:LejekontraktIdentifikator>B-{number}</hr:LejekontraktIdentifikator>{bolig_ident(unit)}"
        f"<hr:KladdeIndikator>false</hr:KladdeIndikator><hr:LejekontraktStartDato>{start}</hr:LejekontraktStartDato>"
        "<hr:LejekontraktIndskudBeloeb>10000</hr:LejekontraktIndskudBeloeb>"
        "<hr:LejekontraktAnvistKommunaltEllerEfterTidligereAeldreboliglovIndikator>false"
        "</hr:LejekontraktAnvistKommunaltEllerEfterTidligereAeldreboliglovIndikator>"
        "<hr:AnvisningstypeKode>2</hr:AnvisningstypeKode>"
        "<hr:LejekontraktAfdelingsinternFraflytning>false</hr:LejekontraktAfdelingsinternFraflytning>"
        "<hr:LejerStruktur><hr:LejerNavnTekst>Benchmark Lejer</hr:LejerNavnTekst></hr:LejerStruktur>"
        "</hr:LejekontraktStruktur></hr:LejekontraktOpretInputStruktur>"
    )


HEADERS = {"Content-Type": "text/xml; charset=utf-8"}


def post(client: httpx.Client, body: bytes) -> bytes:
    response = client.post(ENDPOINT, content=body, headers=HEADERS)
    assert response.status_code == 200, response.text
    return response.content


def answer(content: bytes, output_element: str) -> etree._Element:
    """The output element of a SOAP response, checked against the published XSD."""
    found = etree.fromstring(content).find(f"{{{SOAP_ENV_NS}}}Body/{{{NS}}}{output_element}")
    assert found is not None, content[:500]
    assert xml_schema().validate(found), xml_schema().error_log.last_error
    return found


def versions_of(output: etree._Element) -> list[etree._Element]:
    (edition,) = output.findall(f"{{{NS}}}BoligStruktur")
    assert edition.findtext(f"{{{NS}}}KladdeIndikator") == "false"
    return edition.findall(f"{{{NS}}}BoligVersionStruktur")


def check_responses(client: httpx.Client, plan: dict[str, Any]) -> None:
    """One response of each measured kind, checked before anything is timed."""
    assert len(versions_of(answer(post(client, hent(plan["single"])), "BoligHentOutputStruktur"))) == 3
    for unit, as_of, deposit in (
        (plan["single"], plan["single_as_of"], plan["single_deposit"]),
        (plan["history"], plan["history_as_of"], plan["history_deposit"]),
    ):
        output = answer(post(client, hent_historisk_specifik(unit, as_of)), "BoligHentHistoriskSpecifikOutputStruktur")
        (version,) = versions_of(output)
        assert Decimal(version.findtext(f"{{{NS}}}BoligAktueltIndskudBeloeb")) == deposit
    result = answer(post(client, ret(plan["ret_target"])), "BoligRetOutputStruktur")
    assert result.findtext(f"{{{NS}}}MetodeResultatStruktur/{{{NS}}}ResultatStruktur/{{{NS}}}ResultatTypeKode") == "0"
    listed = answer(post(client, boligudgift_list(plan["many_expenses"])), "BoligudgiftListOutputStruktur")
    assert len(listed.findall(f"{{{NS}}}BoligudgiftStruktur")) == MANY_EXPENSES
    created = answer(post(client, lejekontrakt_opret(plan["lease_target"], 0)), "LejekontraktOpretOutputStruktur")
    kind = f"{{{NS}}}MetodeOpretResultatStruktur/{{{NS}}}ResultatStruktur/{{{NS}}}ResultatTypeKode"
    assert created.findtext(kind) == "0", etree.tostring(created)[:800]


def measure(url: str, plan: dict[str, Any], repeat: int) -> dict[str, float]:
    """Median latencies (µs) of the measured requests, over one keep-alive connection."""
    rng = random.Random(7)
    single = hent_historisk_specifik(plan["single"], plan["single_as_of"])
    history = hent_historisk_specifik(plan["history"], plan["history_as_of"])
    retted = ret(plan["ret_target"])
    leases = itertools.count(1)
    with httpx.Client(base_url=url, timeout=120) as client:
        check_responses(client, plan)
        timings = {
            "GET /health": median_us(lambda: client.get("/health").content, repeat),
            "BoligHent": median_us(lambda: post(client, hent(rng.choice(plan["units"]))), repeat),
            "BoligRet, 3 versions, submitted": median_us(lambda: post(client, retted), repeat),
            "LejekontraktOpret (ending the previous lease)": median_us(
                lambda: post(client, lejekontrakt_opret(plan["lease_target"], next(leases))), repeat
            ),
            "BoligudgiftList, 7 expenses": median_us(lambda: post(client, boligudgift_list(plan["single"])), repeat),
            f"BoligudgiftList, {MANY_EXPENSES} expenses": median_us(
                lambda: post(client, boligudgift_list(plan["many_expenses"])), repeat
            ),
        }
        at_single, at_history = alternating_us([lambda: post(client, single), lambda: post(client, history)], repeat)
    timings["BoligHentHistoriskSpecifik, 1 registration"] = at_single
    timings[f"BoligHentHistoriskSpecifik, {plan['registrations']:,} registrations"] = at_history
    return timings


def main(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=400, help="requests per measurement")
    parser.add_argument("--dwellings", type=int, default=300, help="dwellings with one registration each")
    parser.add_argument("--registrations", type=int, default=1000, help="registrations of the dwelling with history")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        path = workdir / "huslejeregister.db"
        plan, build_seconds = build_register(path, args.dwellings, args.registrations)
        plan["registrations"] = args.registrations
        size = path.stat().st_size
        server, url = serve(path, workdir)
        try:
            timings = measure(url, plan, args.repeat)
            memory = memory_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    health = timings["GET /health"]
    rows = [Measurement(name, mean, 1e6 / mean, mean / health) for name, mean in timings.items()]
    at_single = timings["BoligHentHistoriskSpecifik, 1 registration"]
    at_history = timings[f"BoligHentHistoriskSpecifik, {args.registrations:,} registrations"]
    goals = {
        "BoligHent requests/s ÷ /health (goal ≥ 0.3)": health / timings["BoligHent"],
        f"HentHistoriskSpecifik at {args.registrations:,} ÷ at 1 registration (goal ≤ 1.5)": at_history / at_single,
    }
    for name, value in goals.items():
        rows.append(Measurement(name, float("nan"), float("nan"), value))
    context = {
        "dwellings": args.dwellings,
        "registrations": args.registrations,
        "repeat": args.repeat,
        "build_seconds": round(build_seconds, 1),
        "database_mb": round(size / 1e6, 1),
        "server_memory_mb": round(memory, 1),
        "goals": goals,
    }
    print(
        f"register of {args.dwellings:,} dwellings and one with {args.registrations:,} registrations: built in "
        f"{build_seconds:.1f} s, {size / 1e6:,.1f} MB on disk; server memory {memory:,.0f} MB"
    )
    return report(
        "HuslejeregisterV3 (median latency; ratios to /health)", rows, filename="huslejeregister.json", context=context
    )


if __name__ == "__main__":
    main(sys.argv[1:])
