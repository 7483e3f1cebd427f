"""Anvisningsaftale (huslejeregister.md §4.7) and Boligopskrivning (§4.8): the field rules, and the 22 methods
called through their handlers on the real database (SQLite and PostgreSQL, each test in a transaction that is
rolled back), then end to end with zeep over a live server (every method; faults; nothing saved on errors).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import zeep
from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.core.db import Database, create_database_engine
from bodata.huslejeregister import allocation, models
from bodata.huslejeregister.api import answer
from bodata.huslejeregister.calls import Call, Caller, RegisterRules
from bodata.huslejeregister.rules import REQUIRED
from bodata.huslejeregister.soap import SoapFault

from ..databases import scratch_database_url
from .conftest import USERS, HrService, Register, afd_ident, build_register, org_ident

DK = ZoneInfo("Europe/Copenhagen")
YEAR = datetime.now(UTC).year
P1, P2, F1 = (datetime(YEAR + offset, 1, 1, tzinfo=DK) for offset in (-6, -3, 4))
NOT_FOUND = "findes ikke eller administreres ikke af brugeren"
AGREEMENT, SIGNUP = "Anvisningsaftale", "Boligopskrivning"


def agreement_fields(**overrides: Any) -> dict[str, Any]:
    fields = {
        "AnvisningsaftaleNavnTekst": "Kommunal anvisning og fleksibel udlejning",
        "AnvisningsaftaleURLTekst": "https://www.fjordbo.dk/anvisning",
        "AnvisningstypeKode": [5, 6],
        "FleksibelUdlejningUnderTypeKode": [1, 4],
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


def signup_fields(**overrides: Any) -> dict[str, Any]:
    fields = {
        "BoligopskrivningBeskrivelseTekst": "Skriv dig op på fjordbo.dk",
        "BoligopskrivningEmailTekst": "opskrivning@fjordbo.dk",
        "BoligopskrivningHjemmesideTekst": "https://www.fjordbo.dk/opskrivning",
        "BoligopskrivningTelefonTekst": "+45 70 20 30 40",
        "BoligopskrivningGebyrUdefraKommendeBeloeb": Decimal("250.00"),
        "BoligopskrivningGebyrBoendeBeloeb": Decimal("100.00"),
        "BoligopskrivningGebyrAjourfoeringBeloeb": Decimal("75.00"),
        "BoligopskrivningGebyrFleksibelUdlejningBeloeb": Decimal("150.00"),
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


FIELDS = {AGREEMENT: agreement_fields, SIGNUP: signup_fields}
MARKER = {AGREEMENT: "AnvisningsaftaleNavnTekst", SIGNUP: "BoligopskrivningBeskrivelseTekst"}


def version(kind: str, start: datetime | None, end: datetime | None = None, n: int = 1, **fields: Any) -> dict:
    found = {**FIELDS[kind](**{MARKER[kind]: f"{kind} {n}"}), **fields}
    found = {key: value for key, value in found.items() if value is not None}
    if start is not None:
        found["VirkningFraDatoTid"] = start
    if end is not None:
        found["VirkningTilDatoTid"] = end
    return found


def structure(
    kind: str,
    versions: list[dict],
    *,
    kladde: bool | None = None,
    owner: dict | None = None,
    reference: str | None = None,
    unique: uuid.UUID | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """<kind>Struktur; ``owner`` is {"BoligorganisationIdentifikationStruktur": …} or the Afdeling's."""
    ident = {key: value for key, value in (("EksternReference", reference),) if value is not None}
    if unique is not None:
        ident[f"{kind}UnikIdentifikator"] = unique
    found: dict[str, Any] = {f"{kind}IdentifikationStruktur": ident, **(owner or {}), **extra}
    found[f"{kind}VersionStruktur"] = versions
    if kladde is not None:
        found["KladdeIndikator"] = kladde
    return found


def by_org(number: int) -> dict[str, Any]:
    return {"BoligorganisationIdentifikationStruktur": org_ident(number)}


def by_afd(organisation: int, department: int) -> dict[str, Any]:
    return {"AfdelingIdentifikationStruktur": afd_ident(organisation, department)}


# --- The field rules, alone -------------------------------------------------------------------------------------


def numbers(findings: list[Any]) -> list[int]:
    return sorted(item.number for item in findings)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, []),
        ({"AnvisningsaftaleNavnTekst": "  "}, [REQUIRED]),
        ({"AnvisningsaftaleNavnTekst": None}, [REQUIRED]),
        ({"AnvisningstypeKode": None, "FleksibelUdlejningUnderTypeKode": None}, [2801]),
        ({"AnvisningstypeKode": [0, 5]}, [2802]),
        ({"AnvisningstypeKode": [10]}, [2802]),
        ({"AnvisningstypeKode": [1, 2, 3, 4, 5, 7, 8, 9], "FleksibelUdlejningUnderTypeKode": None}, []),
        ({"FleksibelUdlejningUnderTypeKode": [7, 8]}, [2803]),
        ({"FleksibelUdlejningUnderTypeKode": [0]}, [2803]),
        ({"FleksibelUdlejningUnderTypeKode": None}, [2804]),
        ({"AnvisningstypeKode": [6], "FleksibelUdlejningUnderTypeKode": [1, 2, 3, 4, 5, 6, 7]}, []),
    ],
)
def test_agreement_rules(overrides: dict[str, Any], expected: list[int]) -> None:
    assert numbers(allocation.check_agreement(None, None, agreement_fields(**overrides))) == expected


def test_agreement_texts() -> None:
    found = allocation.check_agreement(
        None, None, {"AnvisningstypeKode": [6, 11], "FleksibelUdlejningUnderTypeKode": [9]}
    )
    assert {(item.number, item.field, item.text) for item in found} == {
        (REQUIRED, "AnvisningsaftaleNavnTekst", "Anvisningsaftale.Navn skal udfyldes"),
        (
            2802,
            "AnvisningstypeKode",
            "AnvisningsaftaleAnvisningstype.Anvisningstype skal være 1, 2, 3, 4, 5, 6, 7, 8 eller 9",
        ),
        (
            2803,
            "FleksibelUdlejningUnderTypeKode",
            "AnvisningsaftaleFleksibelUdlejningUndertype.FleksibelUdlejningUndertype skal være "
            "1, 2, 3, 4, 5, 6 eller 7",
        ),
    }
    found = allocation.check_agreement(None, None, agreement_fields(FleksibelUdlejningUnderTypeKode=None))
    assert [item.text for item in found] == [
        "Hvis AnvisningsaftaleAnvisningstype.Anvisningstype er 'Fleksibel udlejning', så skal der være valgt mindst "
        "én AnvisningsaftaleFleksibelUdlejningUndertype.FleksibelUdlejningUndertype"
    ]


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("a@b.dk", True),
        (" opskrivning@fjordbo.dk ", True),
        ("a.b+c@mail.fjordbo.dk", True),
        ("a@b", False),
        ("ab.dk", False),
        ("a@b.dk;c@d.dk", False),
        ("a b@c.dk", False),
        ("a@b.", False),
    ],
)
def test_valid_email(value: str, valid: bool) -> None:
    assert allocation.valid_email(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("70203040", True),
        ("70 20 30 40", True),
        ("+45 70 20 30 40", True),
        ("0045 70203040", True),
        ("+299 32 10 00", True),
        ("+46-8-123 456 78", True),
        ("(+45) 7020-3040", True),
        ("7020304", False),
        ("702030401", False),
        ("+45 7020 304", False),
        ("telefon 70203040", False),
        ("+0 12345678", False),
        ("+1234567890123456", False),
    ],
)
def test_valid_phone(value: str, valid: bool) -> None:
    assert allocation.valid_phone(value) is valid


# --- Handlers on the database -------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hr_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, Register]]:
    """One migrated database with the register per module; each test works in a transaction rolled back."""
    with scratch_database_url(
        request.param, tmp_path_factory.mktemp(f"allocation-{request.param}"), content="schema"
    ) as url:
        database = Database(create_database_engine(url))
        try:
            with database.transaction() as session:
                register = build_register(session, now=datetime.now(UTC))
            yield database, register
        finally:
            database.dispose()


class Client:
    """Calls the handlers as the api would (without the rollback on errors: the test's session is rolled back)."""

    def __init__(self, session: Session, register: Register) -> None:
        self.session = session
        self.register = register
        self.now = datetime.now(UTC)

    def __call__(self, operation: str, user: str = "alice", **arguments: Any) -> dict[str, Any]:
        caller = Caller(user, frozenset(self.register.organisation_ids[n] for n in USERS[user].organisations))
        self.now += timedelta(seconds=1)
        call = Call(self.session, caller, arguments, self.now, RegisterRules(), operation)
        return answer(allocation.HANDLERS[operation], call)

    def result(self, operation: str, user: str = "alice", **arguments: Any) -> tuple[list[int], Any]:
        """(error numbers, EntitetReference) of a Ret/Opret/Slet/Valider."""
        output = self(operation, user, **arguments)
        result = output.get("MetodeResultatStruktur") or output["MetodeOpretResultatStruktur"]
        errors = sorted(item["ResultatStruktur"]["ResultatKode"] for item in result["ValideringsfejlStruktur"])
        return errors, result.get("EntitetReference")

    def create(self, kind: str, versions: list[dict], **options: Any) -> uuid.UUID:
        options.setdefault("owner", by_org(501))
        errors, created = self.result(f"{kind}Opret", **{f"{kind}Struktur": structure(kind, versions, **options)})
        assert errors == []
        assert created is not None
        return created

    def hent(self, kind: str, ident: dict, variant: str = "", **times: Any) -> list[dict[str, Any]]:
        return self(f"{kind}Hent{variant}", **{f"{kind}IdentifikationStruktur": ident}, **times)[f"{kind}Struktur"]


@pytest.fixture
def client(hr_db: tuple[Database, Register]) -> Iterator[Client]:
    database, register = hr_db
    with Session(database.engine) as session:
        yield Client(session, register)
        session.rollback()


def unique(kind: str, entity_id: uuid.UUID) -> dict[str, Any]:
    return {f"{kind}UnikIdentifikator": entity_id}


def add_bilag(session: Session, agreement_id: uuid.UUID) -> None:
    now = datetime.now(UTC)
    session.add(
        models.Bilag(
            anvisningsaftale_id=agreement_id,
            nummer=1,
            typekode=1016,
            navn="aftale.pdf",
            mimetype="application/pdf",
            indhold=b"%PDF-1.4 aftale",
            oprettet=now,
            aendret=now,
        )
    )
    session.flush()


@pytest.mark.parametrize("kind", [AGREEMENT, SIGNUP])
def test_opret_a_draft_and_read_it_every_way(client: Client, kind: str) -> None:
    extra = {"BoligTypeKode": 2} if kind == SIGNUP else {}
    versions = [version(kind, P1, P2, 1), version(kind, P2, None, 2)]
    created = client.create(kind, versions, reference=f"{kind}-draft-1", **extra)
    expected_owner = {"BoligorganisationUnikIdentifikator": client.register.organisation_ids[501]}
    for ident in (unique(kind, created), {"EksternReference": f"{kind}-draft-1"}):
        (edition,) = [item for item in client.hent(kind, ident) if item["KladdeIndikator"]]
        assert edition[f"{kind}IdentifikationStruktur"] == {
            f"{kind}UnikIdentifikator": created,
            "EksternReference": f"{kind}-draft-1",
        }
        assert edition["BoligorganisationIdentifikationStruktur"] == {
            **expected_owner,
            "BoligorganisationIdentifikator": 501,
        }
        assert "AfdelingIdentifikationStruktur" not in edition
        assert edition.get("BoligTypeKode") == extra.get("BoligTypeKode")
        stored = [
            {key: value for key, value in item.items() if not key.startswith("Registrering")}
            for item in edition[f"{kind}VersionStruktur"]
        ]
        assert stored == [
            {**versions[0]},
            {**versions[1], "VirkningTilDatoTid": None},
        ]
    # the submitted edition is answered empty, the draft with what is in effect or was registered
    answer = client.hent(kind, unique(kind, created))
    assert [(item["KladdeIndikator"], len(item[f"{kind}VersionStruktur"])) for item in answer] == [
        (False, 0),
        (True, 2),
    ]
    specific = client.hent(kind, unique(kind, created), "Specifik", VirkningsdatoDatoTid=P1 + timedelta(days=1))
    assert [v[MARKER[kind]] for item in specific for v in item[f"{kind}VersionStruktur"]] == [f"{kind} 1"]
    before = client.hent(kind, unique(kind, created), "Historisk", RegistreringstidDatoTid=P1)
    assert [len(item[f"{kind}VersionStruktur"]) for item in before] == [0]
    now = client.hent(kind, unique(kind, created), "Historisk", RegistreringstidDatoTid=client.now)
    assert [len(item[f"{kind}VersionStruktur"]) for item in now] == [0, 2]
    both = client.hent(
        kind, unique(kind, created), "HistoriskSpecifik", RegistreringstidDatoTid=client.now, VirkningsdatoDatoTid=F1
    )
    assert [v[MARKER[kind]] for item in both for v in item[f"{kind}VersionStruktur"]] == [f"{kind} 2"]
    periods = client(f"{kind}HentVirkningsperioder", **{f"{kind}IdentifikationStruktur": unique(kind, created)})
    assert [
        (p["VirkningFraDatoTid"], p["VirkningTilDatoTid"], p["KladdeIndikator"])
        for p in periods["VirkningsperiodeStruktur"]
    ] == [(P1, P2, True), (P2, None, True)]
    historic = client(
        f"{kind}HentVirkningsperioderHistorisk",
        **{f"{kind}IdentifikationStruktur": unique(kind, created)},
        RegistreringstidDatoTid=P1,
    )
    assert historic == {"VirkningsperiodeStruktur": []}


def test_agreement_is_submitted_once_a_document_is_attached(client: Client) -> None:
    """D14: create as a draft, attach a Bilag, submit (2806 until then); submitting ends the draft."""
    errors, created = client.result(
        "AnvisningsaftaleOpret",
        AnvisningsaftaleStruktur=structure(AGREEMENT, [version(AGREEMENT, P1)], kladde=False, owner=by_org(501)),
    )
    assert (errors, created) == ([2806], None)
    created = client.create(AGREEMENT, [version(AGREEMENT, P1)], kladde=True)
    submit = structure(AGREEMENT, [version(AGREEMENT, P2, None, 2)], kladde=False, unique=created)
    assert client.result("AnvisningsaftaleValider", AnvisningsaftaleStruktur=submit)[0] == [2806]
    assert client.result("AnvisningsaftaleRet", AnvisningsaftaleStruktur=submit)[0] == [2806]
    add_bilag(client.session, created)
    assert client.result("AnvisningsaftaleValider", AnvisningsaftaleStruktur=submit)[0] == []
    assert client.result("AnvisningsaftaleRet", AnvisningsaftaleStruktur=submit)[0] == []
    (edition,) = client.hent(AGREEMENT, unique(AGREEMENT, created))
    assert edition["KladdeIndikator"] is False
    assert [(v["VirkningFraDatoTid"], v[MARKER[AGREEMENT]]) for v in edition["AnvisningsaftaleVersionStruktur"]] == [
        (P1, "Anvisningsaftale 1"),
        (P2, "Anvisningsaftale 2"),
    ]
    assert edition["AnvisningsaftaleVersionStruktur"][0]["AnvisningstypeKode"] == [5, 6]
    # the field rules run on the carried-over versions too
    bad = structure(
        AGREEMENT,
        [version(AGREEMENT, F1, None, 3, AnvisningstypeKode=[6], FleksibelUdlejningUnderTypeKode=None)],
        kladde=False,
        unique=created,
    )
    assert client.result("AnvisningsaftaleRet", AnvisningsaftaleStruktur=bad)[0] == [2804]


def test_a_draft_is_not_validated_but_valider_validates_fully(client: Client) -> None:
    broken = version(AGREEMENT, P1, AnvisningsaftaleNavnTekst=None, AnvisningstypeKode=[12])
    created = client.create(AGREEMENT, [broken])
    ret = structure(AGREEMENT, [broken], unique=created)
    assert client.result("AnvisningsaftaleRet", AnvisningsaftaleStruktur=ret)[0] == []
    assert client.result("AnvisningsaftaleValider", AnvisningsaftaleStruktur=ret)[0] == [REQUIRED, 2802, 2806]
    # the period rules hold for drafts too
    overlapping = structure(AGREEMENT, [version(AGREEMENT, P1, F1), version(AGREEMENT, P2)], unique=created)
    assert client.result("AnvisningsaftaleRet", AnvisningsaftaleStruktur=overlapping)[0] == [5001]
    assert client.result(
        "AnvisningsaftaleRet", AnvisningsaftaleStruktur=structure(AGREEMENT, [version(AGREEMENT, None)], unique=created)
    )[0] == [5004]


@pytest.mark.parametrize("kind", [AGREEMENT, SIGNUP])
def test_a_submission_without_any_version_is_5004(client: Client, kind: str) -> None:
    extra = {"BoligTypeKode": 4} if kind == SIGNUP else {}
    opret = structure(kind, [], kladde=False, owner=by_org(502), **extra)
    errors, _ = client.result(f"{kind}Opret", **{f"{kind}Struktur": opret})
    assert 5004 in errors
    created = client.create(kind, [], owner=by_org(502), **extra)
    assert client.hent(kind, unique(kind, created))[0][f"{kind}VersionStruktur"] == []
    errors, _ = client.result(f"{kind}Valider", **{f"{kind}Struktur": structure(kind, [], unique=created)})
    assert 5004 in errors


def test_opret_owner_must_be_exactly_one_of_the_callers(client: Client) -> None:
    versions = [version(AGREEMENT, P1)]
    for owner in ({}, {**by_org(501), **by_afd(501, 1)}):
        with pytest.raises(SoapFault) as refused:
            client("AnvisningsaftaleOpret", AnvisningsaftaleStruktur=structure(AGREEMENT, versions, owner=owner))
        assert refused.value.code == "soap:Client"
        assert refused.value.message == allocation.OWNER_FAULT
    for owner in (by_org(503), by_afd(503, 1), by_org(999), by_afd(501, 9)):
        with pytest.raises(SoapFault, match=NOT_FOUND):
            client("AnvisningsaftaleOpret", AnvisningsaftaleStruktur=structure(AGREEMENT, versions, owner=owner))


def test_ekstern_reference_unique_and_updated_on_ret(client: Client) -> None:
    first = client.create(AGREEMENT, [version(AGREEMENT, P1)], reference="FJ-A1")
    second = client.create(AGREEMENT, [version(AGREEMENT, P1)], reference="FJ-A2", owner=by_afd(501, 1))
    # bob cannot see alice's agreement, but the reference is taken in the whole register
    errors, created = client.result(
        "AnvisningsaftaleOpret",
        "bob",
        AnvisningsaftaleStruktur=structure(AGREEMENT, [version(AGREEMENT, P1)], reference="FJ-A1", owner=by_org(503)),
    )
    assert (errors, created) == ([2805], None)
    taken = structure(AGREEMENT, [version(AGREEMENT, P1)], unique=second, reference="FJ-A1")
    assert client.result("AnvisningsaftaleRet", AnvisningsaftaleStruktur=taken)[0] == [2805]
    assert client.result("AnvisningsaftaleValider", AnvisningsaftaleStruktur=taken)[0] == [2805, 2806]
    # a new reference is taken over; an empty one keeps the stored
    renamed = structure(AGREEMENT, [version(AGREEMENT, P1)], unique=second, reference="FJ-A3")
    assert client.result("AnvisningsaftaleRet", AnvisningsaftaleStruktur=renamed)[0] == []
    kept = structure(AGREEMENT, [version(AGREEMENT, P1)], unique=second, reference="")
    assert client.result("AnvisningsaftaleRet", AnvisningsaftaleStruktur=kept)[0] == []
    (edition, _) = client.hent(AGREEMENT, {"EksternReference": "FJ-A3"})
    assert edition["AnvisningsaftaleIdentifikationStruktur"]["AnvisningsaftaleUnikIdentifikator"] == second
    assert edition["AfdelingIdentifikationStruktur"]["AfdelingIdentifikator"] == 1
    with pytest.raises(SoapFault, match=NOT_FOUND):
        client.hent(AGREEMENT, {"EksternReference": "FJ-A2"})
    # the same reference on its own entity is no clash; the owner sent with a Ret is ignored
    same = structure(AGREEMENT, [version(AGREEMENT, P1)], unique=first, reference="FJ-A1", owner=by_org(502))
    assert client.result("AnvisningsaftaleRet", AnvisningsaftaleStruktur=same)[0] == []
    assert (
        client.hent(AGREEMENT, unique(AGREEMENT, first))[0]["BoligorganisationIdentifikationStruktur"][
            "BoligorganisationIdentifikator"
        ]
        == 501
    )
    # Boligopskrivning has its own number, and its own references (per entity type)
    errors, _ = client.result(
        "BoligopskrivningOpret",
        BoligopskrivningStruktur=structure(SIGNUP, [], reference="FJ-A1", owner=by_org(501), BoligTypeKode=1),
    )
    assert errors == []
    errors, _ = client.result(
        "BoligopskrivningOpret",
        BoligopskrivningStruktur=structure(SIGNUP, [], reference="FJ-A1", owner=by_org(501), BoligTypeKode=2),
    )
    assert errors == [2408]


def test_other_organisations_entities_are_not_found(client: Client) -> None:
    created = client.create(AGREEMENT, [version(AGREEMENT, P1)], reference="FJ-hidden", owner=by_afd(501, 2))
    for ident in (unique(AGREEMENT, created), {"EksternReference": "FJ-hidden"}, unique(AGREEMENT, uuid.uuid4())):
        for operation, arguments in (
            ("AnvisningsaftaleHent", {"AnvisningsaftaleIdentifikationStruktur": ident}),
            ("AnvisningsaftaleHentVirkningsperioder", {"AnvisningsaftaleIdentifikationStruktur": ident}),
            ("AnvisningsaftaleSlet", {"AnvisningsaftaleIdentifikationStruktur": ident}),
            ("AnvisningsaftaleRet", {"AnvisningsaftaleStruktur": structure(AGREEMENT, [], **_ident_options(ident))}),
        ):
            with pytest.raises(SoapFault, match=NOT_FOUND):
                client(operation, "bob", **arguments)
    with pytest.raises(SoapFault, match="UnikIdentifikator eller EksternReference skal udfyldes"):
        client("AnvisningsaftaleHent", AnvisningsaftaleIdentifikationStruktur={})
    # Valider with an identification bob cannot see validates as an Opret: an owner is needed
    valider = structure(AGREEMENT, [version(AGREEMENT, P1)], unique=created)
    with pytest.raises(SoapFault, match="Præcis én af"):
        client("AnvisningsaftaleValider", "bob", AnvisningsaftaleStruktur=valider)
    errors, _ = client.result("AnvisningsaftaleValider", "bob", AnvisningsaftaleStruktur={**valider, **by_org(503)})
    assert errors == [2806]


def _ident_options(ident: dict[str, Any]) -> dict[str, Any]:
    return {"unique": ident.get("AnvisningsaftaleUnikIdentifikator"), "reference": ident.get("EksternReference")}


def test_valider_as_opret_saves_nothing(client: Client) -> None:
    valider = structure(SIGNUP, [version(SIGNUP, P1)], reference="FJ-new", owner=by_afd(501, 3), BoligTypeKode=3)
    assert client.result("BoligopskrivningValider", BoligopskrivningStruktur=valider) == ([], None)
    assert client.session.scalars(select(models.Boligopskrivning)).all() == []
    assert client.session.scalars(select(models.BoligopskrivningVersion)).all() == []
    # Opret does not take a UnikIdentifikator from the client: the register assigns it
    wanted = uuid.uuid4()
    created = client.create(SIGNUP, [version(SIGNUP, P1)], unique=wanted, BoligTypeKode=3)
    assert created != wanted
    assert client.session.get(models.Boligopskrivning, wanted) is None
    missing = structure(SIGNUP, [version(SIGNUP, P1, BoligopskrivningEmailTekst=None)], owner=by_afd(501, 3))
    assert client.result("BoligopskrivningValider", BoligopskrivningStruktur=missing)[0] == [REQUIRED, REQUIRED]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, []),
        ({"BoligopskrivningEmailTekst": " "}, [REQUIRED]),
        ({"BoligopskrivningEmailTekst": "opskrivning(at)fjordbo.dk"}, [2409]),
        ({"UdlejningssamarbejdeReference": uuid.UUID(int=7)}, [2402]),
        ({"BoligopskrivningGebyrAjourfoeringBeloeb": Decimal(0)}, [2404]),
        ({"BoligopskrivningGebyrBoendeBeloeb": Decimal("-1")}, [2405]),
        ({"BoligopskrivningGebyrFleksibelUdlejningBeloeb": Decimal(0)}, [2406]),
        ({"BoligopskrivningGebyrUdefraKommendeBeloeb": Decimal("-0.01")}, [2407]),
        ({"BoligopskrivningGebyrUdefraKommendeBeloeb": Decimal("0.01")}, []),
        ({"BoligopskrivningHjemmesideTekst": "fjordbo"}, [2410]),
        ({"BoligopskrivningHjemmesideTekst": "www.fjordbo.dk"}, []),
        ({"BoligopskrivningTelefonTekst": "1234"}, [2411]),
        ({"BoligopskrivningTelefonTekst": "0045 70203040"}, []),
    ],
)
def test_signup_rules(client: Client, overrides: dict[str, Any], expected: list[int]) -> None:
    assert numbers(allocation.check_signup(client.session, None, signup_fields(**overrides))) == expected


def test_signup_rule_texts_and_cooperation(client: Client) -> None:
    cooperation = client.register.cooperations[0][0]
    assert allocation.check_signup(client.session, None, signup_fields(UdlejningssamarbejdeReference=cooperation)) == []
    found = allocation.check_signup(
        client.session,
        None,
        {
            "UdlejningssamarbejdeReference": uuid.UUID(int=1),
            "BoligopskrivningEmailTekst": "x",
            "BoligopskrivningHjemmesideTekst": "x",
            "BoligopskrivningTelefonTekst": "x",
            **{field: Decimal(0) for _, field in allocation.FEES},
        },
    )
    assert [(item.number, item.text) for item in found] == [
        (2409, "Boligopskrivning.Email skal indeholde en gyldig emailadresse"),
        (2402, "Hvis Boligopskrivning.BK_Udlejningssamarbejde_id er udfyldt, skal det pege på et Udlejningssamarbejde"),
        (2404, "Boligopskrivning.GebyrAjourfoering skal være større end 0"),
        (2405, "Boligopskrivning.GebyrBoende skal være større end 0"),
        (2406, "Boligopskrivning.GebyrFleksibelUdlejning skal være større end 0"),
        (2407, "Boligopskrivning.GebyrUdefraKommende skal være større end 0"),
        (2410, "Boligopskrivning.Hjemmeside skal indeholde en gyldig Url"),
        (2411, "Boligopskrivning.Telefon skal indeholde et gyldigt telefonnummer"),
    ]
    assert [item.text for item in allocation.check_signup(client.session, None, {})] == [
        "Boligopskrivning.Email skal udfyldes"
    ]


def test_one_signup_per_housing_type_and_owner(client: Client) -> None:
    def opret(owner: dict, housing_type: int | None, kladde: bool | None = None) -> tuple[list[int], Any]:
        versions = [version(SIGNUP, P1)]
        extra = {} if housing_type is None else {"BoligTypeKode": housing_type}
        return client.result(
            "BoligopskrivningOpret",
            BoligopskrivningStruktur=structure(SIGNUP, versions, kladde=kladde, owner=owner, **extra),
        )

    errors, organisation_level = opret(by_org(501), 1, kladde=False)
    assert errors == []
    assert opret(by_org(501), 1) == ([2403, 2502], None)  # drafts too: the type is the sign-up's key
    errors, department_level = opret(by_afd(501, 1), 1, kladde=False)  # another owner
    assert errors == []
    assert opret(by_afd(501, 1), 1, kladde=False) == ([2403, 2603], None)
    assert opret(by_afd(501, 2), 1)[0] == []
    assert opret(by_org(502), 1)[0] == []
    output = client(
        "BoligopskrivningOpret", BoligopskrivningStruktur=structure(SIGNUP, [], owner=by_org(501), BoligTypeKode=1)
    )
    details = output["MetodeOpretResultatStruktur"]["ValideringsfejlStruktur"]
    assert [(d["EntitetNavnTekst"], d["FeltNavnTekst"], d["ResultatStruktur"]["ResultatTekst"]) for d in details] == [
        ("Boligopskrivning", "BoligTypeKode", "Boligopskrivning.Boligtype findes allerede"),
        (
            "Boligorganisation",
            "BoligTypeKode",
            "Der må kun være knyttet én Boligopskrivning pr. Boligtype til en Boligorganisation",
        ),
    ]
    # the type is required on submission only, and must be one of 1-4
    assert opret(by_org(501), None, kladde=False)[0] == [REQUIRED]
    errors, untyped = opret(by_org(501), None)
    assert errors == []
    with pytest.raises(SoapFault, match="BoligTypeKode 5 findes ikke"):
        opret(by_org(501), 5)
    # Ret may set or change the type, within the same rule; Ret of a sign-up keeps its own type
    ret = structure(SIGNUP, [version(SIGNUP, P1)], kladde=False, unique=untyped)
    assert client.result("BoligopskrivningRet", BoligopskrivningStruktur=ret)[0] == [REQUIRED]
    assert client.result("BoligopskrivningRet", BoligopskrivningStruktur={**ret, "BoligTypeKode": 1})[0] == [2403, 2502]
    assert client.result("BoligopskrivningRet", BoligopskrivningStruktur={**ret, "BoligTypeKode": 2})[0] == []
    assert client.hent(SIGNUP, unique(SIGNUP, untyped))[0]["BoligTypeKode"] == 2
    own = structure(SIGNUP, [version(SIGNUP, P2)], kladde=False, unique=organisation_level)
    assert client.result("BoligopskrivningRet", BoligopskrivningStruktur=own)[0] == []
    # a deleted sign-up frees its type
    assert (
        client.result("BoligopskrivningSlet", BoligopskrivningIdentifikationStruktur=unique(SIGNUP, department_level))[
            0
        ]
        == []
    )
    assert opret(by_afd(501, 1), 1, kladde=False)[0] == []


def test_list_by_organisation_or_department(client: Client) -> None:
    org_level = client.create(SIGNUP, [version(SIGNUP, P1, P2, 1), version(SIGNUP, P2, None, 2)], BoligTypeKode=3)
    other_type = client.create(SIGNUP, [version(SIGNUP, F1)], BoligTypeKode=1, reference="FJ-S1")
    dept_level = client.create(SIGNUP, [version(SIGNUP, P1)], BoligTypeKode=3, owner=by_afd(501, 1))
    client.create(SIGNUP, [version(SIGNUP, P1)], BoligTypeKode=3, owner=by_org(502))

    def listed(owner: dict, user: str = "alice") -> list[tuple[Any, ...]]:
        answer = client("BoligopskrivningList", user, **owner)["BoligopskrivningStruktur"]
        return [
            (
                item["BoligopskrivningIdentifikationStruktur"]["BoligopskrivningUnikIdentifikator"],
                item["BoligTypeKode"],
                item["KladdeIndikator"],
                [v[MARKER[SIGNUP]] for v in item["BoligopskrivningVersionStruktur"]],
            )
            for item in answer
        ]

    # one structure per sign-up, with its submitted version in force now (§2.x.2): these are drafts only
    assert listed(by_org(501)) == [(other_type, 1, False, []), (org_level, 3, False, [])]
    assert listed(by_afd(501, 1)) == [(dept_level, 3, False, [])]
    client.result(
        "BoligopskrivningRet", BoligopskrivningStruktur=structure(SIGNUP, [], unique=dept_level, kladde=False)
    )
    client.result(
        "BoligopskrivningRet",
        BoligopskrivningStruktur=structure(SIGNUP, [version(SIGNUP, P1, None, 5)], unique=dept_level, kladde=True),
    )
    assert listed(by_afd(501, 1)) == [(dept_level, 3, False, ["Boligopskrivning 1"])]
    assert listed(by_afd(501, 2)) == []
    answer = client("BoligopskrivningList", **by_afd(501, 1))["BoligopskrivningStruktur"]
    assert (
        answer[0]["AfdelingIdentifikationStruktur"]["BoligorganisationIdentifikationStruktur"][
            "BoligorganisationIdentifikator"
        ]
        == 501
    )
    for owner in ({}, {**by_org(501), **by_afd(501, 1)}):
        with pytest.raises(SoapFault, match="Præcis én af"):
            client("BoligopskrivningList", **owner)
    with pytest.raises(SoapFault, match=NOT_FOUND):
        client("BoligopskrivningList", "bob", **by_org(501))
    client.result("BoligopskrivningSlet", BoligopskrivningIdentifikationStruktur=unique(SIGNUP, org_level))
    assert [row[0] for row in listed(by_org(501))] == [other_type]


@pytest.mark.parametrize("kind", [AGREEMENT, SIGNUP])
def test_slet_deletes_and_keeps_the_history(client: Client, kind: str) -> None:
    extra = {"BoligTypeKode": 4} if kind == SIGNUP else {}
    created = client.create(kind, [version(kind, P1)], reference=f"{kind}-slet", **extra)
    ret = structure(kind, [version(kind, P2, None, 2)], unique=created, kladde=True)
    assert client.result(f"{kind}Ret", **{f"{kind}Struktur": ret})[0] == []
    assert client.result(f"{kind}Slet", **{f"{kind}IdentifikationStruktur": {"EksternReference": f"{kind}-slet"}}) == (
        [],
        None,
    )
    for ident in (unique(kind, created), {"EksternReference": f"{kind}-slet"}):
        with pytest.raises(SoapFault, match=NOT_FOUND):
            client.hent(kind, ident)
        with pytest.raises(SoapFault, match=NOT_FOUND):
            client(f"{kind}Slet", **{f"{kind}IdentifikationStruktur": ident})
    model = allocation.KINDS[kind].version_model
    rows = client.session.scalars(select(model).where(model.entity_id == created)).all()
    assert len(rows) == 3
    assert all(row.registered_to is not None for row in rows)
    entity = client.session.get(allocation.KINDS[kind].model, created)
    assert entity.slettet is not None
    assert entity.ekstern_reference == f"{kind}-slet"
    # the reference stays the deleted entity's
    opret = structure(kind, [], reference=f"{kind}-slet", owner=by_org(502), **extra)
    assert client.result(f"{kind}Opret", **{f"{kind}Struktur": opret})[0] == [allocation.REFERENCE_TAKEN[kind]]


@pytest.mark.parametrize("kind", [AGREEMENT, SIGNUP])
def test_a_deleted_entitys_history_stays_readable(client: Client, kind: str) -> None:
    """§2.1.5/§2.1.8.1: the historic reads at a registration time before Slet answer what was registered then."""
    extra = {"BoligTypeKode": 1} if kind == SIGNUP else {}
    created = client.create(kind, [version(kind, P1, P2, 1), version(kind, P2, None, 2)], **extra)
    before = client.now
    assert client.result(f"{kind}Slet", **{f"{kind}IdentifikationStruktur": unique(kind, created)})[0] == []
    after = client.now
    ident = unique(kind, created)
    (edition, draft) = client.hent(kind, ident, "Historisk", RegistreringstidDatoTid=before)
    assert (edition["KladdeIndikator"], draft["KladdeIndikator"]) == (False, True)
    assert [v[MARKER[kind]] for v in draft[f"{kind}VersionStruktur"]] == [f"{kind} 1", f"{kind} 2"]
    (_, draft) = client.hent(kind, ident, "HistoriskSpecifik", RegistreringstidDatoTid=before, VirkningsdatoDatoTid=P2)
    assert [v[MARKER[kind]] for v in draft[f"{kind}VersionStruktur"]] == [f"{kind} 2"]
    periods = client(
        f"{kind}HentVirkningsperioderHistorisk",
        **{f"{kind}IdentifikationStruktur": ident},
        RegistreringstidDatoTid=before,
    )["VirkningsperiodeStruktur"]
    assert [(p["VirkningFraDatoTid"], p["VirkningTilDatoTid"]) for p in periods] == [(P1, P2), (P2, None)]
    # at or after the deletion it is gone, as for Hent and the other reads
    with pytest.raises(SoapFault, match=NOT_FOUND):
        client.hent(kind, ident, "Historisk", RegistreringstidDatoTid=after)
    with pytest.raises(SoapFault, match=NOT_FOUND):
        client(
            f"{kind}HentVirkningsperioderHistorisk",
            **{f"{kind}IdentifikationStruktur": ident},
            RegistreringstidDatoTid=after,
        )
    with pytest.raises(SoapFault, match=NOT_FOUND):  # and to other organisations' users at any time
        client(
            f"{kind}HentHistorisk", "bob", **{f"{kind}IdentifikationStruktur": ident}, RegistreringstidDatoTid=before
        )


def test_slet_with_virkningtil_ends_the_last_submitted_version(client: Client) -> None:
    created = client.create(
        SIGNUP, [version(SIGNUP, P1, P2, 1), version(SIGNUP, P2, None, 2)], kladde=False, BoligTypeKode=2
    )
    ident = {"BoligopskrivningIdentifikationStruktur": unique(SIGNUP, created)}
    output = client("BoligopskrivningSlet", **ident, VirkningTilDatoTid=P2)
    (detail,) = output["MetodeResultatStruktur"]["ValideringsfejlStruktur"]
    assert (detail["ResultatStruktur"]["ResultatKode"], detail["EntitetVirkningFraDatoTid"]) == (5002, P2)
    before_end = client.now
    assert client.result("BoligopskrivningSlet", **ident, VirkningTilDatoTid=F1) == ([], None)
    (edition,) = client.hent(SIGNUP, unique(SIGNUP, created))
    assert [(v["VirkningFraDatoTid"], v["VirkningTilDatoTid"]) for v in edition["BoligopskrivningVersionStruktur"]] == [
        (P1, P2),
        (P2, F1),
    ]
    historic = client.hent(SIGNUP, unique(SIGNUP, created), "Historisk", RegistreringstidDatoTid=before_end)
    assert [v["VirkningTilDatoTid"] for v in historic[0]["BoligopskrivningVersionStruktur"]] == [P2, None]
    # the same end again changes nothing; the entity is not deleted
    registered = edition["BoligopskrivningVersionStruktur"][1]["RegistreringFraDatoTid"]
    assert client.result("BoligopskrivningSlet", **ident, VirkningTilDatoTid=F1) == ([], None)
    assert (
        client.hent(SIGNUP, unique(SIGNUP, created))[0]["BoligopskrivningVersionStruktur"][1]["RegistreringFraDatoTid"]
        == registered
    )
    # a sign-up with a draft only has no submitted version to end
    draft = client.create(SIGNUP, [version(SIGNUP, P1)], BoligTypeKode=3)
    with pytest.raises(SoapFault, match="ingen indberettet version"):
        client(
            "BoligopskrivningSlet", BoligopskrivningIdentifikationStruktur=unique(SIGNUP, draft), VirkningTilDatoTid=F1
        )


# --- End to end ------------------------------------------------------------------------------------------------


def zeep_errors(result: Any) -> list[int]:
    return sorted(item.ResultatStruktur.ResultatKode for item in result.ValideringsfejlStruktur)


def attach_document(hr: HrService, agreement_id: str) -> None:
    with hr.database.transaction() as session:
        add_bilag(session, uuid.UUID(agreement_id))


@pytest.mark.e2e
def test_every_agreement_method_end_to_end(hr_module_service: HrService) -> None:
    hr, alice = hr_module_service, hr_module_service.client("alice")
    service = alice.service
    opret = structure(AGREEMENT, [version(AGREEMENT, P1)], reference="E2E-A1", owner=by_afd(501, 1))
    created = service.AnvisningsaftaleOpret(AnvisningsaftaleStruktur=opret)
    assert (created.ResultatStruktur.ResultatTypeKode, zeep_errors(created)) == (0, [])
    ident = {"AnvisningsaftaleUnikIdentifikator": created.EntitetReference}
    submit = structure(AGREEMENT, [version(AGREEMENT, P2, None, 2)], kladde=False, reference="E2E-A1")
    before = hr.snapshot()
    assert zeep_errors(service.AnvisningsaftaleValider(AnvisningsaftaleStruktur=submit)) == [2806]
    assert zeep_errors(service.AnvisningsaftaleRet(AnvisningsaftaleStruktur=submit)) == [2806]
    assert hr.snapshot() == before
    attach_document(hr, created.EntitetReference)
    assert zeep_errors(service.AnvisningsaftaleValider(AnvisningsaftaleStruktur=submit)) == []
    assert zeep_errors(service.AnvisningsaftaleRet(AnvisningsaftaleStruktur=submit)) == []
    (edition,) = service.AnvisningsaftaleHent(AnvisningsaftaleIdentifikationStruktur={"EksternReference": "E2E-A1"})
    assert edition.AnvisningsaftaleIdentifikationStruktur.AnvisningsaftaleUnikIdentifikator == created.EntitetReference
    assert edition.AfdelingIdentifikationStruktur.AfdelingIdentifikator == 1
    assert edition.BoligorganisationIdentifikationStruktur is None
    assert edition.KladdeIndikator is False
    versions = edition.AnvisningsaftaleVersionStruktur
    assert [
        (v.AnvisningsaftaleNavnTekst, v.AnvisningstypeKode, v.FleksibelUdlejningUnderTypeKode) for v in versions
    ] == [
        ("Anvisningsaftale 1", [5, 6], [1, 4]),
        ("Anvisningsaftale 2", [5, 6], [1, 4]),
    ]
    registered = versions[1].RegistreringFraDatoTid
    (specific,) = service.AnvisningsaftaleHentSpecifik(
        AnvisningsaftaleIdentifikationStruktur=ident, VirkningsdatoDatoTid=P1
    )
    assert [v.AnvisningsaftaleNavnTekst for v in specific.AnvisningsaftaleVersionStruktur] == ["Anvisningsaftale 1"]
    historic = service.AnvisningsaftaleHentHistorisk(
        AnvisningsaftaleIdentifikationStruktur=ident, RegistreringstidDatoTid=registered - timedelta(microseconds=1)
    )
    assert [(e.KladdeIndikator, len(e.AnvisningsaftaleVersionStruktur)) for e in historic] == [(False, 0), (True, 1)]
    both = service.AnvisningsaftaleHentHistoriskSpecifik(
        AnvisningsaftaleIdentifikationStruktur=ident, RegistreringstidDatoTid=registered, VirkningsdatoDatoTid=F1
    )
    assert [v.AnvisningsaftaleNavnTekst for e in both for v in e.AnvisningsaftaleVersionStruktur] == [
        "Anvisningsaftale 2"
    ]
    periods = service.AnvisningsaftaleHentVirkningsperioder(AnvisningsaftaleIdentifikationStruktur=ident)
    assert [(p.VirkningFraDatoTid, p.VirkningTilDatoTid, p.KladdeIndikator) for p in periods] == [
        (P1, P2, False),
        (P2, None, False),
    ]
    old = service.AnvisningsaftaleHentVirkningsperioderHistorisk(
        AnvisningsaftaleIdentifikationStruktur=ident, RegistreringstidDatoTid=registered - timedelta(microseconds=1)
    )
    assert [(p.VirkningFraDatoTid, p.KladdeIndikator) for p in old] == [(P1, True)]
    listed = service.AnvisningsaftaleList(AfdelingIdentifikationStruktur=afd_ident(501, 1))
    assert [
        (
            e.AnvisningsaftaleIdentifikationStruktur.EksternReference,
            [v.AnvisningsaftaleNavnTekst for v in e.AnvisningsaftaleVersionStruktur],
        )
        for e in listed
    ] == [("E2E-A1", ["Anvisningsaftale 2"])]
    assert service.AnvisningsaftaleList(BoligorganisationIdentifikationStruktur=org_ident(501)) == []
    # bad input: another organisation's owner and entity, a taken reference, a bad version: nothing saved
    before = hr.snapshot()
    bob = hr.client("bob").service
    with pytest.raises(zeep.exceptions.Fault) as refused:
        bob.AnvisningsaftaleHent(AnvisningsaftaleIdentifikationStruktur=ident)
    assert refused.value.code.endswith("Client")
    assert NOT_FOUND in refused.value.message
    with pytest.raises(zeep.exceptions.Fault, match=NOT_FOUND):
        bob.AnvisningsaftaleOpret(AnvisningsaftaleStruktur=opret)
    with pytest.raises(zeep.exceptions.Fault, match="Præcis én af"):
        service.AnvisningsaftaleList()
    taken = structure(AGREEMENT, [version(AGREEMENT, P1)], reference="E2E-A1", owner=by_org(502), kladde=True)
    result = service.AnvisningsaftaleOpret(AnvisningsaftaleStruktur=taken)
    assert (zeep_errors(result), result.EntitetReference) == ([2805], None)
    bad = structure(
        AGREEMENT,
        [version(AGREEMENT, F1, None, 3, AnvisningstypeKode=[6], FleksibelUdlejningUnderTypeKode=None)],
        kladde=False,
        reference="E2E-A1",
    )
    assert zeep_errors(service.AnvisningsaftaleRet(AnvisningsaftaleStruktur=bad)) == [2804]
    assert zeep_errors(
        service.AnvisningsaftaleSlet(AnvisningsaftaleIdentifikationStruktur=ident, VirkningTilDatoTid=P1)
    ) == [5002]
    assert hr.snapshot() == before
    # Slet with VirkningTil, then Slet
    assert (
        zeep_errors(service.AnvisningsaftaleSlet(AnvisningsaftaleIdentifikationStruktur=ident, VirkningTilDatoTid=F1))
        == []
    )
    periods = service.AnvisningsaftaleHentVirkningsperioder(AnvisningsaftaleIdentifikationStruktur=ident)
    assert [(p.VirkningFraDatoTid, p.VirkningTilDatoTid) for p in periods] == [(P1, P2), (P2, F1)]
    assert zeep_errors(service.AnvisningsaftaleSlet(AnvisningsaftaleIdentifikationStruktur=ident)) == []
    with pytest.raises(zeep.exceptions.Fault, match=NOT_FOUND):
        service.AnvisningsaftaleHent(AnvisningsaftaleIdentifikationStruktur=ident)
    assert service.AnvisningsaftaleList(AfdelingIdentifikationStruktur=afd_ident(501, 1)) == []


@pytest.mark.e2e
def test_every_signup_method_end_to_end(hr_module_service: HrService) -> None:
    hr, service = hr_module_service, hr_module_service.client("alice").service
    cooperation = str(hr.register.cooperations[1][0])
    first = version(SIGNUP, P1, P2, 1, UdlejningssamarbejdeReference=cooperation)
    opret = structure(SIGNUP, [first, version(SIGNUP, P2, None, 2)], kladde=False, owner=by_org(502), BoligTypeKode=2)
    created = service.BoligopskrivningOpret(BoligopskrivningStruktur=opret)
    assert zeep_errors(created) == []
    assert created.EntitetReference
    ident = {"BoligopskrivningUnikIdentifikator": created.EntitetReference}
    (edition,) = service.BoligopskrivningHent(BoligopskrivningIdentifikationStruktur=ident)
    assert (edition.BoligTypeKode, edition.KladdeIndikator) == (2, False)
    assert edition.BoligorganisationIdentifikationStruktur.BoligorganisationIdentifikator == 502
    assert edition.BoligopskrivningIdentifikationStruktur.EksternReference is None
    (v1, v2) = edition.BoligopskrivningVersionStruktur
    assert (v1.UdlejningssamarbejdeReference, v1.BoligopskrivningGebyrBoendeBeloeb, v2.BoligopskrivningEmailTekst) == (
        cooperation,
        Decimal("100.00"),
        "opskrivning@fjordbo.dk",
    )
    registered = v1.RegistreringFraDatoTid
    # a draft Ret with a new reference, then the reads
    ret = structure(
        SIGNUP, [version(SIGNUP, F1, None, 3)], unique=uuid.UUID(created.EntitetReference), reference="E2E-S1"
    )
    assert zeep_errors(service.BoligopskrivningRet(BoligopskrivningStruktur=ret)) == []
    editions = service.BoligopskrivningHent(BoligopskrivningIdentifikationStruktur={"EksternReference": "E2E-S1"})
    assert [(e.KladdeIndikator, len(e.BoligopskrivningVersionStruktur)) for e in editions] == [(False, 2), (True, 3)]
    specific = service.BoligopskrivningHentSpecifik(
        BoligopskrivningIdentifikationStruktur=ident, VirkningsdatoDatoTid=F1
    )
    assert [
        (e.KladdeIndikator, [v.BoligopskrivningBeskrivelseTekst for v in e.BoligopskrivningVersionStruktur])
        for e in specific
    ] == [
        (False, ["Boligopskrivning 2"]),
        (True, ["Boligopskrivning 3"]),
    ]
    historic = service.BoligopskrivningHentHistorisk(
        BoligopskrivningIdentifikationStruktur=ident, RegistreringstidDatoTid=registered
    )
    assert [len(e.BoligopskrivningVersionStruktur) for e in historic] == [2]
    both = service.BoligopskrivningHentHistoriskSpecifik(
        BoligopskrivningIdentifikationStruktur=ident, RegistreringstidDatoTid=registered, VirkningsdatoDatoTid=P1
    )
    assert [v.BoligopskrivningBeskrivelseTekst for e in both for v in e.BoligopskrivningVersionStruktur] == [
        "Boligopskrivning 1"
    ]
    periods = service.BoligopskrivningHentVirkningsperioder(BoligopskrivningIdentifikationStruktur=ident)
    assert [(p.VirkningFraDatoTid, p.KladdeIndikator) for p in periods] == [
        (P1, False),
        (P2, False),
        (P1, True),
        (P2, True),
        (F1, True),
    ]
    old = service.BoligopskrivningHentVirkningsperioderHistorisk(
        BoligopskrivningIdentifikationStruktur=ident, RegistreringstidDatoTid=registered
    )
    assert [(p.VirkningFraDatoTid, p.KladdeIndikator) for p in old] == [(P1, False), (P2, False)]
    listed = service.BoligopskrivningList(BoligorganisationIdentifikationStruktur=org_ident(502))
    assert [
        (
            e.BoligTypeKode,
            e.KladdeIndikator,
            [v.BoligopskrivningBeskrivelseTekst for v in e.BoligopskrivningVersionStruktur],
        )
        for e in listed
    ] == [(2, False, ["Boligopskrivning 2"])]  # one structure per sign-up: its submitted edition (§2.x.2)
    # submitting the same version again would overwrite the draft's future version: info 5005 only
    valider = service.BoligopskrivningValider(BoligopskrivningStruktur={**ret, "KladdeIndikator": False})
    assert valider.ResultatStruktur.ResultatTypeKode == 40
    assert [item.ResultatStruktur.ResultatKode for item in valider.ValideringsinfoStruktur] == [5005]
    # bad input, nothing saved
    before = hr.snapshot()
    duplicate = structure(
        SIGNUP, [version(SIGNUP, P1)], kladde=False, owner=by_org(502), BoligTypeKode=2, reference="E2E-S1"
    )
    result = service.BoligopskrivningOpret(BoligopskrivningStruktur=duplicate)
    assert (zeep_errors(result), result.EntitetReference) == ([2403, 2408, 2502], None)
    broken = version(
        SIGNUP,
        P1,
        BoligopskrivningEmailTekst="x@y",
        BoligopskrivningTelefonTekst="112",
        BoligopskrivningHjemmesideTekst="fjordbo",
        BoligopskrivningGebyrAjourfoeringBeloeb=Decimal(0),
        UdlejningssamarbejdeReference=str(uuid.UUID(int=5)),
    )
    bad = structure(SIGNUP, [broken], owner=by_afd(502, 1), kladde=False, BoligTypeKode=2)
    assert zeep_errors(service.BoligopskrivningValider(BoligopskrivningStruktur=bad)) == [2402, 2404, 2409, 2410, 2411]
    assert zeep_errors(service.BoligopskrivningOpret(BoligopskrivningStruktur=bad)) == [2402, 2404, 2409, 2410, 2411]
    with pytest.raises(zeep.exceptions.Fault, match="BoligTypeKode 9 findes ikke"):
        service.BoligopskrivningOpret(BoligopskrivningStruktur={**bad, "BoligTypeKode": 9})
    bob = hr.client("bob").service
    for call in (
        lambda: bob.BoligopskrivningSlet(BoligopskrivningIdentifikationStruktur=ident),
        lambda: bob.BoligopskrivningRet(BoligopskrivningStruktur=ret),
        lambda: bob.BoligopskrivningList(AfdelingIdentifikationStruktur=afd_ident(502, 1)),
        lambda: bob.BoligopskrivningHentVirkningsperioder(BoligopskrivningIdentifikationStruktur=ident),
    ):
        with pytest.raises(zeep.exceptions.Fault, match=NOT_FOUND):
            call()
    assert hr.snapshot() == before
    # a department-level sign-up of the same type is another owner's; Slet frees the type
    department = structure(SIGNUP, [version(SIGNUP, P1)], kladde=False, owner=by_afd(502, 1), BoligTypeKode=2)
    assert zeep_errors(service.BoligopskrivningOpret(BoligopskrivningStruktur=department)) == []
    assert (
        zeep_errors(service.BoligopskrivningSlet(BoligopskrivningIdentifikationStruktur={"EksternReference": "E2E-S1"}))
        == []
    )
    assert service.BoligopskrivningList(BoligorganisationIdentifikationStruktur=org_ident(502)) == []
    again = structure(SIGNUP, [version(SIGNUP, P1)], kladde=False, owner=by_org(502), BoligTypeKode=2)
    assert zeep_errors(service.BoligopskrivningOpret(BoligopskrivningStruktur=again)) == []
