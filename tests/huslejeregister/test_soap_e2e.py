"""HuslejeregisterV3 end to end: zeep, loading the served WSDL, against a live ``bodata serve``.

One server per module and database (``hr_module_service``): the tests share the register and each works on its
own entities (see the targets below). Every response zeep receives is validated against the published XSD with
xmlschema (``ContractCheck`` in conftest).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import xmlschema
import zeep
from lxml import etree

from bodata.huslejeregister.structures import OPERATIONS

from .conftest import (
    BOLIG_COMPLETE,
    HR_NS,
    XSD_PATH,
    HrService,
    afd_ident,
    bolig_ident,
    check_body,
    org_ident,
    sec_ident,
    unit_id,
)

pytestmark = pytest.mark.e2e

PART_TWO = ("Boligudgift", "Lejekontrakt", "Anvisningsaftale", "Boligopskrivning", "Bilag", "Enhed")
PART_ONE = {name for name in OPERATIONS if not name.startswith(PART_TWO)}
"""The 43 methods of the issue "HuslejeregisterV3 (1/2)"; test_completeness.py calls all 93."""

KINDS = ("Boligorganisation", "Afdeling", "Byggeafsnit", "Bolig")
BITEMPORAL_METHODS = (
    "Hent",
    "HentSpecifik",
    "HentHistorisk",
    "HentHistoriskSpecifik",
    "HentVirkningsperioder",
    "HentVirkningsperioderHistorisk",
    "List",
    "Ret",
    "Valider",
)
NOT_FOUND = "findes ikke eller administreres ikke af brugeren"

DK = ZoneInfo("Europe/Copenhagen")
YEAR = datetime.now(UTC).year


def new_year(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=DK)


# Effect times relative to today, so that "in force now" stays true whatever the date: P1 < P2 < now < F1 < F2.
P1, P2, F1, F2 = new_year(YEAR - 6), new_year(YEAR - 4), new_year(YEAR + 4), new_year(YEAR + 9)
TINY = timedelta(microseconds=1)

MARKER = {
    "Boligorganisation": "BoligorganisationBeskrivelseTekst",
    "Afdeling": "AfdelingBeskrivelseTekst",
    "Byggeafsnit": "ByggeafsnitBeskrivelseTekst",
    "Bolig": "BoligAktueltIndskudBeloeb",
}
"""The field that tells a test's versions apart."""

BYGGEAFSNIT_COMPLETE: dict[str, Any] = {
    "ByggeafsnitInternetforbindelseIndikator": True,
    "ByggeafsnitAntenneforeningIndikator": False,
    "ByggeafsnitPortTelefonIndikator": True,
    "ByggeafsnitVaskeriIndikator": True,
    "HusdyrStruktur": [
        {
            "BoligTypeKode": kode,
            "HusdyrTilladtIndikator": False,
            "HusdyrMindreDyrTilladtIndikator": True,
            "HusdyrKatTilladtIndikator": True,
            "HusdyrHundTilladtIndikator": kode != 2,
        }
        for kode in (1, 2, 3, 4)
    ],
}
COMPLETE = {
    "Boligorganisation": {},
    "Afdeling": {"AfdelingMinAlderAeldreboligKvantitet": 65},
    "Byggeafsnit": BYGGEAFSNIT_COMPLETE,
    "Bolig": BOLIG_COMPLETE,
}


def marker(kind: str, number: int) -> Any:
    return Decimal(1000 * number) if kind == "Bolig" else f"{kind} version {number}"


def version(kind: str, start: datetime | None, end: datetime | None = None, n: int = 1, **fields: Any) -> dict:
    """A complete, valid version of ``kind`` with marker ``n`` (``fields`` override or, with None, remove)."""
    values = {**COMPLETE[kind], MARKER[kind]: marker(kind, n), **fields}
    return {"VirkningFraDatoTid": start, "VirkningTilDatoTid": end, **values}


def identification(kind: str, organisation: int, department: int, section: int, unit: uuid.UUID) -> dict:
    return {
        "Boligorganisation": org_ident(organisation),
        "Afdeling": afd_ident(organisation, department),
        "Byggeafsnit": sec_ident(organisation, department, section),
        "Bolig": bolig_ident(unit),
    }[kind]


def list_input(kind: str, organisation: int, department: int, section: int) -> dict:
    return {
        "Boligorganisation": {},
        "Afdeling": {"BoligorganisationIdentifikationStruktur": org_ident(organisation)},
        "Byggeafsnit": {"AfdelingIdentifikationStruktur": afd_ident(organisation, department)},
        "Bolig": {"ByggeafsnitIdentifikationStruktur": sec_ident(organisation, department, section)},
    }[kind]


# --- Calling and reading ---------------------------------------------------------------------------------


def call(client: zeep.Client, operation: str, **arguments: Any) -> Any:
    return getattr(client.service, operation)(**arguments)


def ret(
    client: zeep.Client, kind: str, ident: dict, versions: list[dict], *, kladde: bool | None, method: str = "Ret"
) -> Outcome:
    """<kind>Ret (or Valider); ``kladde=None`` leaves KladdeIndikator out (the default: a draft)."""
    structure: dict[str, Any] = {f"{kind}IdentifikationStruktur": ident, f"{kind}VersionStruktur": versions}
    if kladde is not None:
        structure["KladdeIndikator"] = kladde
    return outcome(call(client, f"{kind}{method}", **{f"{kind}Struktur": structure}), f"{kind}{method}")


def hent(client: zeep.Client, kind: str, ident: dict, variant: str = "", **times: datetime) -> list[Any]:
    return call(client, f"{kind}Hent{variant}", **{f"{kind}IdentifikationStruktur": ident}, **times) or []


def editions(kind: str, structures: list[Any]) -> list[tuple[bool, list[tuple[Any, ...]]]]:
    """(KladdeIndikator, [(VirkningFra, VirkningTil, marker), ...]) per edition."""
    return [
        (
            structure.KladdeIndikator,
            [
                (item.VirkningFraDatoTid, item.VirkningTilDatoTid, item[MARKER[kind]])
                for item in structure[f"{kind}VersionStruktur"]
            ],
        )
        for structure in structures
    ]


def registrations(kind: str, structures: list[Any]) -> set[tuple[Any, Any]]:
    """The distinct (RegistreringFra, RegistreringTil) of all versions returned."""
    return {
        (item.RegistreringFraDatoTid, item.RegistreringTilDatoTid)
        for structure in structures
        for item in structure[f"{kind}VersionStruktur"]
    }


def periods(client: zeep.Client, kind: str, ident: dict, **times: datetime) -> list[tuple[Any, ...]]:
    variant = "Historisk" if times else ""
    found = call(client, f"{kind}HentVirkningsperioder{variant}", **{f"{kind}IdentifikationStruktur": ident}, **times)
    return [
        (
            item.VirkningFraDatoTid,
            item.VirkningTilDatoTid,
            item.RegistreringFraDatoTid,
            item.RegistreringTilDatoTid,
            item.KladdeIndikator,
        )
        for item in found or []
    ]


@dataclass(frozen=True)
class Finding:
    number: int
    field: str | None
    effect_from: datetime | None
    entity: str | None
    reference: str | None
    text: str


@dataclass(frozen=True)
class Outcome:
    type_code: int
    errors: tuple[Finding, ...]
    infos: tuple[Finding, ...]

    @property
    def numbers(self) -> tuple[list[int], list[int]]:
        return sorted(item.number for item in self.errors), sorted(item.number for item in self.infos)


def outcome(result: Any, operation: str) -> Outcome:
    """A MetodeResultatStruktur, checked for consistency: top-level ResultatKode 0 and a ResultatTypeKode that
    agrees with the findings, each finding typed 20 (error) or 40 (info) and naming the operation."""
    head = result.ResultatStruktur
    assert head.ResultatKode == 0
    uuid.UUID(head.ResultatIdentifikator)

    def read(items: list[Any], type_code: int, function_element: str) -> tuple[Finding, ...]:
        found = []
        for item in items:
            assert item.ResultatStruktur.ResultatTypeKode == type_code
            assert item[function_element] == operation
            found.append(
                Finding(
                    item.ResultatStruktur.ResultatKode,
                    item.FeltNavnTekst,
                    item.EntitetVirkningFraDatoTid,
                    item.EntitetNavnTekst,
                    item.EntitetReference,
                    item.ResultatStruktur.ResultatTekst,
                )
            )
        return tuple(sorted(found, key=lambda f: (f.number, f.field or "", f.effect_from or P1, f.text)))

    errors = read(result.ValideringsfejlStruktur, 20, "ValideringsfejlFunktionTekst")
    infos = read(result.ValideringsinfoStruktur, 40, "ValideringsInfoFunktionTekst")
    assert head.ResultatTypeKode == {(0, 0): 0, (1, 0): 20, (0, 1): 40, (1, 1): 60}[(bool(errors), bool(infos))]
    return Outcome(head.ResultatTypeKode, errors, infos)


OK = Outcome(0, (), ())


def instant() -> datetime:
    """Now, with a little room on both sides so that server registrations fall strictly between two instants."""
    time.sleep(0.005)
    moment = datetime.now(UTC)
    time.sleep(0.005)
    return moment


def fault(excinfo: pytest.ExceptionInfo[zeep.exceptions.Fault]) -> tuple[str, str]:
    return excinfo.value.code, excinfo.value.message


# --- The contract ----------------------------------------------------------------------------------------


def test_the_wsdl_binds_all_93_operations_document_literal(hr_module_service: HrService) -> None:
    client = hr_module_service.client("alice")
    binding = client.service._binding
    assert len(OPERATIONS) == 93
    assert len(PART_ONE) == 43
    assert set(binding._operations) == set(OPERATIONS)
    for name, operation in binding._operations.items():
        assert operation.soapaction == f"{HR_NS}/{name}"
        assert operation.input.body.qname == etree.QName(HR_NS, f"{name}InputStruktur")
        assert operation.output.body.qname == etree.QName(HR_NS, f"{name}OutputStruktur")
        assert operation.input.body.type.name == f"{name}InputStrukturType"
    port = client.wsdl.services["HuslejeregisterV3"].ports["HuslejeregisterV3Port"]
    assert port.binding_options["address"] == hr_module_service.endpoint
    assert type(port.binding).__name__ == "Soap11Binding"
    # the WSDL imports the schema from the server, which serves the published file byte for byte
    wsdl = etree.fromstring(hr_module_service.get("?wsdl").content)
    imports = wsdl.findall(".//{http://www.w3.org/2001/XMLSchema}import")
    assert [item.get("schemaLocation") for item in imports] == [
        f"{hr_module_service.endpoint}?xsd=HuslejeregisterV3.xsd"
    ]
    served = hr_module_service.get("?xsd=HuslejeregisterV3.xsd")
    assert served.status_code == 200
    assert served.content == XSD_PATH.read_bytes()


def test_every_operation_answers_a_valid_call(hr_module_service: HrService) -> None:
    """All 43 operations of part 1, called once or more with valid input on organisation 502, answer what was
    stored."""
    register, client = hr_module_service.register, hr_module_service.client("alice")
    checked_before = len(hr_module_service.check.outputs)
    unit = register.unit(502, 1, 1, 1)
    for kind in KINDS:
        ident = identification(kind, 502, 1, 1, unit.bbr_id)
        before = instant()
        assert ret(client, kind, ident, [version(kind, P2, n=1)], kladde=False) == OK
        after = instant()
        assert ret(client, kind, ident, [version(kind, F1, n=2)], kladde=False, method="Valider") == OK

        current = hent(client, kind, ident)
        assert editions(kind, current) == [(False, [(P2, None, marker(kind, 1))])]
        [(registered, registered_to)] = registrations(kind, current)
        assert before < registered < after
        assert registered_to is None
        echoed = current[0][f"{kind}IdentifikationStruktur"]
        if kind == "Bolig":
            assert echoed.BuildingUnitUniversalIdentifier == str(unit.bbr_id)
            uuid.UUID(echoed.BoligUnikIdentifikator)
            stored = current[0].BoligVersionStruktur[0]
            assert (stored.StreetName, stored.StreetBuildingIdentifier, stored.FloorIdentifier) == (
                unit.street,
                unit.house_number,
                unit.floor,
            )
            assert (stored.PostalCodeIdentifier, stored.MunicipalityCode) == (unit.postcode, unit.municipality)
            assert stored.BoligOpvarmningsformKode == 1
            assert stored.BoligKoekkenKunForLejerIndikator is True
        else:
            organisation = echoed if kind == "Boligorganisation" else None
            if kind == "Afdeling":
                assert echoed.AfdelingIdentifikator == 1
                organisation = echoed.BoligorganisationIdentifikationStruktur
            if kind == "Byggeafsnit":
                department = echoed.AfdelingIdentifikationStruktur
                assert (echoed.ByggeafsnitIdentifikator, department.AfdelingIdentifikator) == (1, 1)
                organisation = department.BoligorganisationIdentifikationStruktur
            assert organisation.BoligorganisationIdentifikator == 502
            assert organisation.BoligorganisationUnikIdentifikator == str(register.organisation_ids[502])

        m1 = [(False, [(P2, None, marker(kind, 1))])]
        nothing = [(False, [])]
        assert editions(kind, hent(client, kind, ident, "Specifik", VirkningsdatoDatoTid=P2)) == m1
        assert editions(kind, hent(client, kind, ident, "Specifik", VirkningsdatoDatoTid=P2 - TINY)) == nothing
        assert editions(kind, hent(client, kind, ident, "Historisk", RegistreringstidDatoTid=after)) == m1
        assert editions(kind, hent(client, kind, ident, "Historisk", RegistreringstidDatoTid=before)) == nothing
        specific = {"RegistreringstidDatoTid": after, "VirkningsdatoDatoTid": F2}
        assert editions(kind, hent(client, kind, ident, "HistoriskSpecifik", **specific)) == m1
        specific = {"RegistreringstidDatoTid": before, "VirkningsdatoDatoTid": F2}
        assert editions(kind, hent(client, kind, ident, "HistoriskSpecifik", **specific)) == nothing
        assert periods(client, kind, ident) == [(P2, None, registered, None, False)]
        assert periods(client, kind, ident, RegistreringstidDatoTid=before) == []
        assert periods(client, kind, ident, RegistreringstidDatoTid=after) == [(P2, None, registered, None, False)]

        listed = call(client, f"{kind}List", **list_input(kind, 502, 1, 1))
        mine = [item for item in listed if item[f"{kind}IdentifikationStruktur"] == echoed]
        assert editions(kind, mine) == m1

    settings_ident = {"BoligorganisationIdentifikationStruktur": org_ident(502)}
    settings = call(client, "IndstillingHent", IndstillingIdentifikationStruktur=settings_ident)
    assert settings.IndstillingEnhedsadministrationAktivIndikator is True
    assert settings.IndstillingNyeEnhederEmailsAktivIndikator is False
    assert settings.IndstillingNotifikationsEmailsTekst is None
    bad = {"IndstillingIdentifikationStruktur": settings_ident, "IndstillingNotifikationsEmailsTekst": "drift"}
    refused = outcome(call(client, "IndstillingValider", IndstillingStruktur=bad), "IndstillingValider")
    assert refused.numbers == ([2501], [])
    good = {**bad, "IndstillingNotifikationsEmailsTekst": "drift@lindely.dk"}
    assert outcome(call(client, "IndstillingRet", IndstillingStruktur=good), "IndstillingRet") == OK
    settings = call(client, "IndstillingHent", IndstillingIdentifikationStruktur=settings_ident)
    assert settings.IndstillingNotifikationsEmailsTekst == "drift@lindely.dk"

    cooperations = call(client, "UdlejningssamarbejdeList")
    assert [
        (uuid.UUID(item.UdlejningssamarbejdeUnikIdentifikator), item.UdlejningssamarbejdeNavnTekst)
        for item in cooperations
    ] == [(ident, name) for ident, name, _ in register.cooperations]

    new_type = {
        "ObjektStatusKode": 1,
        "ByggeafsnitIdentifikationStruktur": sec_ident(502, 1, 1),
        "HandicapBoligTypeTitelTekst": "Stueetage",
    }
    for operation in ("HandicapBoligTypeValider", "HandicapBoligTypeRet"):
        assert call(client, "HandicapBoligTypeList", BoligorganisationIdentifikationStruktur=org_ident(502)) == []
        assert outcome(call(client, operation, HandicapBoligTypeStruktur=[new_type]), operation) == OK
    [created] = call(client, "HandicapBoligTypeList", BoligorganisationIdentifikationStruktur=org_ident(502))
    assert created.HandicapBoligTypeTitelTekst == "Stueetage"

    assert set(hr_module_service.check.outputs[checked_before:]) == PART_ONE


def test_the_response_check_is_an_independent_validator_that_can_fail(hr_module_service: HrService) -> None:
    """The check every zeep response goes through rejects a body the XSD does not allow."""
    client = hr_module_service.client("alice")
    with client.settings(raw_response=True):
        response = client.service.UdlejningssamarbejdeList()
    envelope = etree.fromstring(response.content)
    body = check_body(envelope, "UdlejningssamarbejdeListOutputStruktur")
    assert len(body) == 2
    etree.SubElement(body[0], f"{{{HR_NS}}}UdlejningssamarbejdeUkendtTekst").text = "x"
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        check_body(envelope)
    body[0].remove(body[0][-1])
    body[0][0].text = "not-a-uuid"
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        check_body(envelope)


# --- Bitemporal history ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_bitemporal_history_read_back_through_every_hent_variant(hr_module_service: HrService, kind: str) -> None:
    """Three registrations (a first version; a correction of the past plus a future version in one call; a change
    that overwrites the future version, info 5005) read back with the exact predicates of §3.4."""
    client = hr_module_service.client("alice")
    unit = unit_id(501, 1, 1, 1)
    ident = identification(kind, 501, 1, 1, unit)
    reference = str(unit) if kind == "Bolig" else None

    before_r1 = instant()
    assert ret(client, kind, ident, [version(kind, P1, n=1)], kladde=False) == OK
    between_12 = instant()
    two_versions = [version(kind, P1, P2, n=3), version(kind, F2, n=2)]
    assert ret(client, kind, ident, two_versions, kladde=False) == OK
    between_23 = instant()
    overwriting = ret(client, kind, ident, [version(kind, F1, n=4)], kladde=False)
    after_r3 = instant()

    assert overwriting.type_code == 40
    assert overwriting.errors == ()
    [info] = overwriting.infos
    assert (info.number, info.field, info.effect_from, info.entity) == (5005, "VirkningFraDatoTid", F2, kind)
    assert info.text == "En fremtidig version overskrives helt ved denne indberetning."
    if reference is not None:
        assert info.reference == reference
    else:
        uuid.UUID(info.reference)

    m = {n: marker(kind, n) for n in (1, 2, 3, 4)}
    # the registration instants, as the server recorded them
    r1 = periods(client, kind, ident, RegistreringstidDatoTid=between_12)[0][2]
    r2 = periods(client, kind, ident, RegistreringstidDatoTid=between_23)[0][2]
    r3 = periods(client, kind, ident)[0][2]
    assert before_r1 < r1 < between_12 < r2 < between_23 < r3 < after_r3

    # Hent: RegistreringTil is null; the whole current timeline, re-registered at R3 (5005 saved the data)
    current = hent(client, kind, ident)
    assert editions(kind, current) == [(False, [(P1, P2, m[3]), (P2, F1, m[1]), (F1, None, m[4])])]
    assert registrations(kind, current) == {(r3, None)}

    # HentSpecifik: RT null AND VF <= V AND (VT null OR VT > V)
    specific = {
        P1 - TINY: [],
        P1: [(P1, P2, m[3])],
        P2 - TINY: [(P1, P2, m[3])],
        P2: [(P2, F1, m[1])],
        F1 - TINY: [(P2, F1, m[1])],
        F1: [(F1, None, m[4])],
        F2: [(F1, None, m[4])],
    }
    for effect, expected in specific.items():
        assert editions(kind, hent(client, kind, ident, "Specifik", VirkningsdatoDatoTid=effect)) == [
            (False, expected)
        ], effect

    # HentHistorisk: RF <= R AND (RT null OR RT > R)
    first = [(P1, None, m[1])]
    second = [(P1, P2, m[3]), (P2, F2, m[1]), (F2, None, m[2])]
    third = [(P1, P2, m[3]), (P2, F1, m[1]), (F1, None, m[4])]
    historic = {
        before_r1: ([], set()),
        r1 - TINY: ([], set()),
        r1: (first, {(r1, r2)}),
        between_12: (first, {(r1, r2)}),
        r2 - TINY: (first, {(r1, r2)}),
        r2: (second, {(r2, r3)}),
        between_23: (second, {(r2, r3)}),
        r3: (third, {(r3, None)}),
        after_r3 + timedelta(days=365): (third, {(r3, None)}),
    }
    for registered, (expected, times) in historic.items():
        found = hent(client, kind, ident, "Historisk", RegistreringstidDatoTid=registered)
        assert editions(kind, found) == [(False, expected)], registered
        assert registrations(kind, found) == times, registered

    # HentHistoriskSpecifik: both predicates
    cases = [
        (before_r1, F2, []),
        (between_12, P1 - TINY, []),
        (between_12, P1, [(P1, None, m[1])]),
        (between_12, F2 + timedelta(days=3650), [(P1, None, m[1])]),
        (r2, P2 - TINY, [(P1, P2, m[3])]),
        (between_23, P2, [(P2, F2, m[1])]),
        (between_23, F1, [(P2, F2, m[1])]),
        (between_23, F2 - TINY, [(P2, F2, m[1])]),
        (between_23, F2, [(F2, None, m[2])]),
        (r3, F1, [(F1, None, m[4])]),
        (after_r3, F2, [(F1, None, m[4])]),
    ]
    for registered, effect, expected in cases:
        arguments = {"RegistreringstidDatoTid": registered, "VirkningsdatoDatoTid": effect}
        found = editions(kind, hent(client, kind, ident, "HistoriskSpecifik", **arguments))
        assert found == [(False, expected)], (registered, effect)

    # HentVirkningsperioder (current) and …Historisk (as of R)
    assert periods(client, kind, ident) == [
        (P1, P2, r3, None, False),
        (P2, F1, r3, None, False),
        (F1, None, r3, None, False),
    ]
    assert periods(client, kind, ident, RegistreringstidDatoTid=before_r1) == []
    assert periods(client, kind, ident, RegistreringstidDatoTid=between_12) == [(P1, None, r1, r2, False)]
    assert periods(client, kind, ident, RegistreringstidDatoTid=r2) == [
        (P1, P2, r2, r3, False),
        (P2, F2, r2, r3, False),
        (F2, None, r2, r3, False),
    ]

    # List: only the version in force at call time
    listed = call(client, f"{kind}List", **list_input(kind, 501, 1, 1))
    echoed = current[0][f"{kind}IdentifikationStruktur"]
    assert editions(kind, [item for item in listed if item[f"{kind}IdentifikationStruktur"] == echoed]) == [
        (False, [(P2, F1, m[1])])
    ]


def test_registration_times_and_read_only_fields_sent_by_the_client_are_ignored(hr_module_service: HrService) -> None:
    client = hr_module_service.client("alice")
    unit = hr_module_service.register.unit(501, 2, 1, 1)
    sent = version(
        "Bolig",
        P2,
        RegistreringFraDatoTid=new_year(1999),
        RegistreringTilDatoTid=new_year(2000),
        StreetName="Forkert Vej",
        PostalCodeIdentifier=9999,
        BoligUndertrykVideregivelseIndikator=True,
    )
    before = instant()
    assert ret(client, "Bolig", bolig_ident(unit), [sent], kladde=False) == OK
    [stored] = hent(client, "Bolig", bolig_ident(unit))[0].BoligVersionStruktur
    assert stored.RegistreringFraDatoTid > before
    assert stored.RegistreringTilDatoTid is None
    assert (stored.StreetName, stored.PostalCodeIdentifier) == (unit.street, unit.postcode)
    assert stored.BoligUndertrykVideregivelseIndikator is None
    section = stored.ByggeafsnitIdentifikationStruktur
    assert (section.ByggeafsnitIdentifikator, section.AfdelingIdentifikationStruktur.AfdelingIdentifikator) == (1, 2)


def test_reads_at_the_ends_of_the_calendar(hr_module_service: HrService) -> None:
    """.NET clients send DateTime.MinValue/MaxValue (no zone, seven fractional digits) for "any time"."""
    client = hr_module_service.client("alice")
    ident = sec_ident(501, 3, 1)
    assert ret(client, "Byggeafsnit", ident, [version("Byggeafsnit", P1, n=1)], kladde=False) == OK
    in_force = [(False, [(P1, None, marker("Byggeafsnit", 1))])]

    def read(variant: str, moment: str) -> list[tuple[bool, list[tuple[Any, ...]]]]:
        element = "RegistreringstidDatoTid" if variant == "Historisk" else "VirkningsdatoDatoTid"
        return editions("Byggeafsnit", hent(client, "Byggeafsnit", ident, variant, **{element: moment}))

    for variant in ("Historisk", "Specifik"):
        for minimum in ("0001-01-01T00:00:00", "0001-01-01T00:00:00Z"):
            assert read(variant, minimum) == [(False, [])], (variant, minimum)
        for maximum in ("9999-12-31T23:59:59.9999999", "9999-12-31T23:59:59.999999Z"):
            assert read(variant, maximum) == in_force, (variant, maximum)


# --- Drafts ------------------------------------------------------------------------------------------------


def test_a_draft_is_saved_unvalidated_next_to_the_submitted_edition_until_a_submission_ends_it(
    hr_module_service: HrService,
) -> None:
    client = hr_module_service.client("alice")
    unit = unit_id(501, 1, 1, 2)
    ident = bolig_ident(unit)
    assert ret(client, "Bolig", ident, [version("Bolig", P1, n=1)], kladde=False) == OK
    submitted_at = periods(client, "Bolig", ident)[0][2]

    # no KladdeIndikator: a draft, saved although required fields are missing and a code is out of range
    draft_version = {"VirkningFraDatoTid": F1, "BoligOpvarmningsformKode": 9}
    assert ret(client, "Bolig", ident, [draft_version], kladde=None) == OK
    found = hent(client, "Bolig", ident)
    assert editions("Bolig", found) == [
        (False, [(P1, None, marker("Bolig", 1))]),
        (True, [(P1, F1, marker("Bolig", 1)), (F1, None, None)]),
    ]
    draft_tail = found[1].BoligVersionStruktur[1]
    assert draft_tail.BoligOpvarmningsformKode == 9
    assert draft_tail.BoligGarageKode is None
    draft_at = periods(client, "Bolig", ident)[1][2]
    assert periods(client, "Bolig", ident) == [
        (P1, None, submitted_at, None, False),
        (P1, F1, draft_at, None, True),
        (F1, None, draft_at, None, True),
    ]
    assert editions("Bolig", hent(client, "Bolig", ident, "Specifik", VirkningsdatoDatoTid=F2)) == [
        (False, [(P1, None, marker("Bolig", 1))]),
        (True, [(F1, None, None)]),
    ]
    listed = call(client, "BoligList", ByggeafsnitIdentifikationStruktur=sec_ident(501, 1, 1))
    mine = [item for item in listed if item.BoligIdentifikationStruktur.BuildingUnitUniversalIdentifier == str(unit)]
    assert editions("Bolig", mine) == [(False, [(P1, None, marker("Bolig", 1))])]  # the draft only by Hent (§2.x.2)

    # Valider checks in full (even without KladdeIndikator) and saves nothing
    snapshot = hr_module_service.snapshot()
    checked = ret(client, "Bolig", ident, [], kladde=None, method="Valider")
    required = {
        "BoligBevaegelseshaemmetEgnetIndikator",
        "BoligTypeKode",
        "BoligCarportKode",
        "BoligGarageKode",
        "BoligIndvendigVedligeholdelseLejerKode",
        "BoligKoekkenKunForLejerIndikator",
        "BoligKollegievaerelseIndikator",
        "BoligUdvendigVedligeholdelseLejerKode",
        "BoligLejerTypeKode",
    }
    assert checked.type_code == 20
    assert {(item.number, item.field) for item in checked.errors} == {(1000, name) for name in required} | {
        (2004, "BoligOpvarmningsformKode"),
        (2021, "BoligAktueltIndskudBeloeb"),
    }
    assert {item.effect_from for item in checked.errors} == {F1}
    assert {item.reference for item in checked.errors} == {str(unit)}
    assert "Bolig.Garage skal udfyldes" in {item.text for item in checked.errors}

    # a submission is laid over the draft and validated whole: the draft's invalid tail refuses it; nothing saved
    refused = ret(client, "Bolig", ident, [version("Bolig", F2, n=5)], kladde=False)
    assert refused.type_code == 20
    assert {item.effect_from for item in refused.errors} == {F1}
    assert {item.number for item in refused.errors} == {1000, 2004, 2021}
    assert hr_module_service.snapshot() == snapshot

    # a valid submission replaces the submitted edition and ends the draft (whose future version it overwrites)
    before = instant()
    submission = ret(client, "Bolig", ident, [version("Bolig", F1, n=2)], kladde=False)
    assert submission.numbers == ([], [5005])
    assert submission.infos[0].effect_from == F1
    assert editions("Bolig", hent(client, "Bolig", ident)) == [
        (False, [(P1, F1, marker("Bolig", 1)), (F1, None, marker("Bolig", 2))]),
    ]
    submitted = periods(client, "Bolig", ident)
    assert [row[4] for row in submitted] == [False, False]
    assert submitted[0][2] > before
    # as known just before: both editions, both closed by the submission
    earlier = hent(client, "Bolig", ident, "Historisk", RegistreringstidDatoTid=before)
    assert [structure.KladdeIndikator for structure in earlier] == [False, True]
    assert registrations("Bolig", earlier) == {(submitted_at, submitted[0][2]), (draft_at, submitted[0][2])}


def test_submitting_a_draft_as_it_stands_validates_it(hr_module_service: HrService) -> None:
    """A Ret with KladdeIndikator false and no versions submits the draft's timeline, with the field rules."""
    client = hr_module_service.client("alice")
    ident = afd_ident(501, 3)
    draft = {"VirkningFraDatoTid": P2, "AfdelingMinAlderAeldreboligKvantitet": 0, "AfdelingBeskrivelseTekst": "kladde"}
    assert ret(client, "Afdeling", ident, [draft], kladde=True) == OK
    snapshot = hr_module_service.snapshot()
    refused = ret(client, "Afdeling", ident, [], kladde=False)
    assert [(item.number, item.field, item.effect_from) for item in refused.errors] == [
        (2601, "AfdelingMinAlderAeldreboligKvantitet", P2)
    ]
    assert refused.errors[0].text == "Afdeling.MinAlderAeldrebolig skal være større end 0"
    assert hr_module_service.snapshot() == snapshot
    assert [structure.KladdeIndikator for structure in hent(client, "Afdeling", ident)] == [False, True]

    fixed = {"VirkningFraDatoTid": P2, "AfdelingMinAlderAeldreboligKvantitet": 60, "AfdelingBeskrivelseTekst": "rettet"}
    assert ret(client, "Afdeling", ident, [fixed], kladde=True) == OK
    assert ret(client, "Afdeling", ident, [], kladde=False) == OK
    assert editions("Afdeling", hent(client, "Afdeling", ident)) == [(False, [(P2, None, "rettet")])]


# --- Valider ---------------------------------------------------------------------------------------------


def test_valider_never_saves_and_finds_what_ret_would(hr_module_service: HrService) -> None:
    client = hr_module_service.client("alice")
    unit = hr_module_service.register.unit(501, 1, 1, 3)
    ident = bolig_ident(unit)
    assert ret(client, "Bolig", ident, [version("Bolig", P1, n=1)], kladde=False) == OK
    assert ret(client, "Bolig", ident, [version("Bolig", F2, n=2)], kladde=False) == OK
    stored = hent(client, "Bolig", ident)
    snapshot = hr_module_service.snapshot()

    # OK, and a future version overwritten (info 5005): Valider reports, Ret reports the same and saves
    assert ret(client, "Bolig", ident, [version("Bolig", P2, F1, n=7)], kladde=False, method="Valider") == OK
    validated = ret(client, "Bolig", ident, [version("Bolig", F1, n=3)], kladde=False, method="Valider")
    assert validated.numbers == ([], [5005])
    assert validated.type_code == 40
    assert validated.infos[0].effect_from == F2
    assert hent(client, "Bolig", ident) == stored
    assert hr_module_service.snapshot() == snapshot

    # errors and an info (2022: the proposed area equals BBR's), ResultatTypeKode 60
    wrong = version(
        "Bolig",
        P2,
        F1,
        n=4,
        BoligLejerTypeKode=2,
        BoligGarageKode=7,
        BoligAktueltIndskudBeloeb=Decimal(-1),
        BoligStoetteBerettigetArealKvantitet=unit.gross_area,
        BoligStoetteBerettigetArealAarsagKode=1,
    )
    by_valider = ret(client, "Bolig", ident, [wrong], kladde=False, method="Valider")
    by_ret = ret(client, "Bolig", ident, [wrong], kladde=False)
    assert by_valider.type_code == by_ret.type_code == 60
    assert by_valider.numbers == ([2001, 2005, 2017], [2022])
    assert by_valider == by_ret
    assert hent(client, "Bolig", ident) == stored
    assert hr_module_service.snapshot() == snapshot

    saved = ret(client, "Bolig", ident, [version("Bolig", F1, n=3)], kladde=False)
    assert saved == validated
    assert editions("Bolig", hent(client, "Bolig", ident)) == [
        (False, [(P1, F1, marker("Bolig", 1)), (F1, None, marker("Bolig", 3))])
    ]


def test_a_dwelling_without_expenses_and_lease_can_be_drafted_but_not_submitted(hr_module_service: HrService) -> None:
    client = hr_module_service.client("alice")
    bare = hr_module_service.register.bare_unit
    ident = bolig_ident(bare)
    snapshot = hr_module_service.snapshot()
    by_valider = ret(client, "Bolig", ident, [version("Bolig", P2)], kladde=False, method="Valider")
    by_ret = ret(client, "Bolig", ident, [version("Bolig", P2)], kladde=False)
    assert by_valider == by_ret
    assert by_ret.numbers == ([2014, 2015], [])
    assert {item.reference for item in by_ret.errors} == {str(bare.bbr_id)}
    assert hr_module_service.snapshot() == snapshot
    assert editions("Bolig", hent(client, "Bolig", ident)) == [(False, [])]
    assert ret(client, "Bolig", ident, [version("Bolig", P2)], kladde=None) == OK
    assert editions("Bolig", hent(client, "Bolig", ident)) == [(False, []), (True, [(P2, None, marker("Bolig", 1))])]


# --- Lists -----------------------------------------------------------------------------------------------


def test_lists_return_the_version_in_force_now_and_boliglist_the_address(hr_module_service: HrService) -> None:
    register, client = hr_module_service.register, hr_module_service.client("alice")
    first, second, third = register.units_in(501, 1, 2)
    past, present, future = version("Bolig", P1, P2, n=1), version("Bolig", P2, F1, n=2), version("Bolig", F1, n=3)
    assert ret(client, "Bolig", bolig_ident(first), [past, present, future], kladde=False) == OK
    assert ret(client, "Bolig", bolig_ident(second), [version("Bolig", F1, n=4)], kladde=False) == OK
    afdeling = [version("Afdeling", P1, P2, n=1), version("Afdeling", P2, n=2)]
    assert ret(client, "Afdeling", afd_ident(501, 2), afdeling, kladde=False) == OK
    byggeafsnit = [version("Byggeafsnit", P1, F1, n=1), version("Byggeafsnit", F1, n=2)]
    assert ret(client, "Byggeafsnit", sec_ident(501, 2, 1), byggeafsnit, kladde=False) == OK

    listed = call(client, "BoligList", ByggeafsnitIdentifikationStruktur=sec_ident(501, 1, 2))
    by_unit = {uuid.UUID(item.BoligIdentifikationStruktur.BuildingUnitUniversalIdentifier): item for item in listed}
    assert set(by_unit) == {first.bbr_id, second.bbr_id, third.bbr_id}
    assert len(listed) == 3
    assert editions("Bolig", [by_unit[first.bbr_id]]) == [(False, [(P2, F1, marker("Bolig", 2))])]
    assert editions("Bolig", [by_unit[second.bbr_id]]) == [(False, [])]
    assert editions("Bolig", [by_unit[third.bbr_id]]) == [(False, [])]
    [shown] = by_unit[first.bbr_id].BoligVersionStruktur
    assert (
        shown.StreetCode,
        shown.StreetName,
        shown.StreetBuildingIdentifier,
        shown.FloorIdentifier,
        shown.SuiteIdentifier,
        shown.PostalCodeIdentifier,
        shown.MunicipalityCode,
    ) == (first.street_code, first.street, first.house_number, "st", "tv", 2400, 101)
    section = shown.ByggeafsnitIdentifikationStruktur
    assert section.ByggeafsnitIdentifikator == 2
    assert section.AfdelingIdentifikationStruktur.AfdelingIdentifikator == 1
    assert (
        section.AfdelingIdentifikationStruktur.BoligorganisationIdentifikationStruktur.BoligorganisationIdentifikator
        == 501
    )

    departments = call(client, "AfdelingList", BoligorganisationIdentifikationStruktur=org_ident(501))
    assert [item.AfdelingIdentifikationStruktur.AfdelingIdentifikator for item in departments] == [1, 2, 3]
    assert editions("Afdeling", [departments[1]]) == [(False, [(P2, None, marker("Afdeling", 2))])]
    sections = call(client, "ByggeafsnitList", AfdelingIdentifikationStruktur=afd_ident(501, 2))
    assert [item.ByggeafsnitIdentifikationStruktur.ByggeafsnitIdentifikator for item in sections] == [1]
    assert editions("Byggeafsnit", sections) == [(False, [(P1, F1, marker("Byggeafsnit", 1))])]
    sections = call(client, "ByggeafsnitList", AfdelingIdentifikationStruktur=afd_ident(501, 1))
    assert [item.ByggeafsnitIdentifikationStruktur.ByggeafsnitIdentifikator for item in sections] == [1, 2]


# --- Authorisation -----------------------------------------------------------------------------------------


def request_for(name: str, organisation: int, department: int, section: int, unit: uuid.UUID) -> dict[str, Any]:
    """A valid input for operation ``name`` on the given organisation's entities (one version from P2 for Ret and
    Valider, a new accessibility type for HandicapBoligTypeRet/Valider)."""
    now = datetime.now(UTC)
    organisation_ident = org_ident(organisation)
    if name == "IndstillingHent":
        return {"IndstillingIdentifikationStruktur": {"BoligorganisationIdentifikationStruktur": organisation_ident}}
    if name in ("IndstillingRet", "IndstillingValider"):
        return {
            "IndstillingStruktur": {
                "IndstillingIdentifikationStruktur": {"BoligorganisationIdentifikationStruktur": organisation_ident},
                "IndstillingNotifikationsEmailsTekst": f"drift@org{organisation}.dk",
            }
        }
    if name == "HandicapBoligTypeList":
        return {"BoligorganisationIdentifikationStruktur": organisation_ident}
    if name in ("HandicapBoligTypeRet", "HandicapBoligTypeValider"):
        return {
            "HandicapBoligTypeStruktur": [
                {
                    "ObjektStatusKode": 1,
                    "ByggeafsnitIdentifikationStruktur": sec_ident(organisation, department, section),
                    "HandicapBoligTypeTitelTekst": f"Type {name}",
                }
            ]
        }
    kind = next(kind for kind in sorted(KINDS, key=len, reverse=True) if name.startswith(kind))
    method = name[len(kind) :]
    assert method in BITEMPORAL_METHODS, name
    ident = {f"{kind}IdentifikationStruktur": identification(kind, organisation, department, section, unit)}
    if method == "List":
        return list_input(kind, organisation, department, section)
    if method in ("Ret", "Valider"):
        structure = {**ident, "KladdeIndikator": False, f"{kind}VersionStruktur": [version(kind, P2, n=9)]}
        return {f"{kind}Struktur": structure}
    times = {"RegistreringstidDatoTid": now} if "Historisk" in method else {}
    if "Specifik" in method:
        times["VirkningsdatoDatoTid"] = now
    return {**ident, **times}


def test_each_user_sees_and_changes_only_its_own_organisations(hr_module_service: HrService) -> None:
    register = hr_module_service.register
    alice, bob = hr_module_service.client("alice"), hr_module_service.client("bob")
    bobs_unit = unit_id(503, 1, 1, 1)

    organisations = call(alice, "BoligorganisationList")
    assert [item.BoligorganisationIdentifikationStruktur.BoligorganisationIdentifikator for item in organisations] == [
        501,
        502,
    ]
    [bobs] = call(bob, "BoligorganisationList")
    assert bobs.BoligorganisationIdentifikationStruktur.BoligorganisationUnikIdentifikator == str(
        register.organisation_ids[503]
    )

    # every operation that names an organisation's entity works for its own user ...
    scoped = [name for name in PART_ONE if name not in ("BoligorganisationList", "UdlejningssamarbejdeList")]
    assert len(scoped) == 41
    for name in scoped:
        answer = call(bob, name, **request_for(name, 503, 1, 1, bobs_unit))
        if name.endswith(("Ret", "Valider")):
            assert outcome(answer, name) == OK, name
    [bobs_type] = call(bob, "HandicapBoligTypeList", BoligorganisationIdentifikationStruktur=org_ident(503))
    bobs_view = {kind: hent(bob, kind, identification(kind, 503, 1, 1, bobs_unit)) for kind in KINDS}
    assert all(editions(kind, found)[0][1] for kind, found in bobs_view.items())
    snapshot = hr_module_service.snapshot()

    # ... and is a Fault for another user, as if the entity did not exist
    for name in scoped:
        with pytest.raises(zeep.exceptions.Fault) as refused:
            call(alice, name, **request_for(name, 503, 1, 1, bobs_unit))
        code, message = fault(refused)
        assert code == "soap:Client", (name, message)
        assert message.endswith(NOT_FOUND), (name, message)
    for status in (2, 3):
        change = {"HandicapBoligTypeUnikIdentifikator": bobs_type.HandicapBoligTypeUnikIdentifikator}
        change |= {"ObjektStatusKode": status, "HandicapBoligTypeTitelTekst": "Overtaget"}
        for operation in ("HandicapBoligTypeRet", "HandicapBoligTypeValider"):
            with pytest.raises(zeep.exceptions.Fault) as refused:
                call(alice, operation, HandicapBoligTypeStruktur=[change])
            assert fault(refused) == (
                "soap:Client",
                f"HandicapBoligType {change['HandicapBoligTypeUnikIdentifikator']} {NOT_FOUND}",
            )
    by_unique = [
        {"BoligorganisationUnikIdentifikator": str(register.organisation_ids[503])},
        {
            "BoligorganisationUnikIdentifikator": str(register.organisation_ids[503]),
            "BoligorganisationIdentifikator": 501,
        },
    ]
    for ident in by_unique:
        with pytest.raises(zeep.exceptions.Fault) as refused:
            call(alice, "HandicapBoligTypeList", BoligorganisationIdentifikationStruktur=ident)
        assert fault(refused)[1].endswith(NOT_FOUND)
    # unknown identifiers are answered alike
    for name, arguments in (
        ("BoligorganisationHent", {"BoligorganisationIdentifikationStruktur": org_ident(9999)}),
        ("AfdelingHent", {"AfdelingIdentifikationStruktur": afd_ident(501, 99)}),
        ("ByggeafsnitHent", {"ByggeafsnitIdentifikationStruktur": sec_ident(501, 1, 99)}),
        ("BoligHent", {"BoligIdentifikationStruktur": bolig_ident(uuid.uuid4())}),
    ):
        with pytest.raises(zeep.exceptions.Fault) as refused:
            call(alice, name, **arguments)
        assert fault(refused)[1].endswith(NOT_FOUND), name

    assert hr_module_service.snapshot() == snapshot
    assert {kind: hent(bob, kind, identification(kind, 503, 1, 1, bobs_unit)) for kind in KINDS} == bobs_view
    assert call(alice, "HandicapBoligTypeList", BoligorganisationIdentifikationStruktur=org_ident(501)) == []


# --- Indstilling, Udlejningssamarbejde, HandicapBoligType ---------------------------------------------------


def test_indstilling_hent_ret_valider(hr_module_service: HrService) -> None:
    client = hr_module_service.client("alice")
    ident = {"BoligorganisationIdentifikationStruktur": org_ident(501)}

    def settings() -> Any:
        return call(client, "IndstillingHent", IndstillingIdentifikationStruktur=ident)

    def change(operation: str, **values: Any) -> Outcome:
        structure = {"IndstillingIdentifikationStruktur": ident, **values}
        return outcome(call(client, operation, IndstillingStruktur=structure), operation)

    before = instant()
    initial = settings()
    assert (
        initial.IndstillingIdentifikationStruktur.BoligorganisationIdentifikationStruktur.BoligorganisationIdentifikator
        == 501
    )
    assert initial.IndstillingEnhedsadministrationAktivIndikator is True
    assert initial.IndstillingNyeEnhederEmailsAktivIndikator is False
    assert initial.IndstillingNotifikationsEmailsTekst is None
    assert initial.IndstillingNotifikationNyeEnhederEmailsTekst is None
    assert before < initial.OprettetDatoTid == initial.AendretDatoTid < instant()
    snapshot = hr_module_service.snapshot()

    bad = {
        "IndstillingNotifikationsEmailsTekst": "drift@fjordbo.dk; ikke en adresse",
        "IndstillingNotifikationNyeEnhederEmailsTekst": "nye@fjordbo",
    }
    for operation in ("IndstillingValider", "IndstillingRet"):
        refused = change(operation, **bad)
        assert refused.type_code == 20
        assert [(item.number, item.field, item.entity) for item in refused.errors] == [
            (2501, "IndstillingNotifikationNyeEnhederEmailsTekst", "Indstilling"),
            (2501, "IndstillingNotifikationsEmailsTekst", "Indstilling"),
        ]
        assert {item.reference for item in refused.errors} == {str(hr_module_service.register.organisation_ids[501])}
    good = {
        "IndstillingNotifikationsEmailsTekst": "drift@fjordbo.dk; udlejning@fjordbo.dk;",
        "IndstillingNyeEnhederEmailsAktivIndikator": True,
    }
    assert change("IndstillingValider", **good) == OK
    assert settings() == initial
    assert hr_module_service.snapshot() == snapshot

    assert change("IndstillingRet", **good) == OK
    changed = settings()
    assert changed.IndstillingNotifikationsEmailsTekst == good["IndstillingNotifikationsEmailsTekst"]
    assert changed.IndstillingNyeEnhederEmailsAktivIndikator is True
    assert changed.IndstillingEnhedsadministrationAktivIndikator is True
    assert changed.OprettetDatoTid == initial.OprettetDatoTid < changed.AendretDatoTid
    # the same values again are no real change: AendretDatoTid stays
    assert change("IndstillingRet", **good) == OK
    assert settings() == changed
    # elements left out keep their value
    assert change("IndstillingRet", IndstillingEnhedsadministrationAktivIndikator=False) == OK
    last = settings()
    assert last.IndstillingEnhedsadministrationAktivIndikator is False
    assert last.IndstillingNotifikationsEmailsTekst == good["IndstillingNotifikationsEmailsTekst"]
    assert last.AendretDatoTid > changed.AendretDatoTid


def test_udlejningssamarbejder_are_listed_for_every_user(hr_module_service: HrService) -> None:
    expected = [(str(ident), name, description) for ident, name, description in hr_module_service.register.cooperations]
    for user in ("alice", "bob"):
        listed = call(hr_module_service.client(user), "UdlejningssamarbejdeList")
        found = [
            (
                item.UdlejningssamarbejdeUnikIdentifikator,
                item.UdlejningssamarbejdeNavnTekst,
                item.UdlejningssamarbejdeBeskrivelseTekst,
            )
            for item in listed
        ]
        assert found == expected


def test_handicapboligtype_create_update_answers_and_delete(hr_module_service: HrService) -> None:
    register, client = hr_module_service.register, hr_module_service.client("alice")
    section = sec_ident(501, 3, 1)

    def listed(**ident: Any) -> list[Any]:
        return call(client, "HandicapBoligTypeList", BoligorganisationIdentifikationStruktur=ident or org_ident(501))

    def change(operation: str, *structures: dict) -> Outcome:
        return outcome(call(client, operation, HandicapBoligTypeStruktur=list(structures)), operation)

    def answer(question: str, **registration: Any) -> dict:
        return {"HandicapSpoergsmaalIdentifikator": question, "HandicapRegistreringStruktur": registration}

    def answers(item: Any) -> dict[str, tuple[Any, ...]]:
        return {
            question.HandicapSpoergsmaalIdentifikator: (
                question.HandicapRegistreringStruktur.HandicapSvarIdentifikator,
                question.HandicapRegistreringStruktur.HandicapRegistreringNumeriskVaerdiKvantitet,
                question.HandicapRegistreringStruktur.HandicapRegistreringTekstVaerdiTekst,
                question.HandicapRegistreringStruktur.HandicapRegistreringIkkeRelevantIndikator,
            )
            for question in item.HandicapSpoergsmaalListe.HandicapSpoergsmaalStruktur
            if question.HandicapRegistreringStruktur is not None
        }

    type_id = uuid.uuid4()
    created = {
        "HandicapBoligTypeUnikIdentifikator": str(type_id),
        "ObjektStatusKode": 1,
        "ByggeafsnitIdentifikationStruktur": section,
        "HandicapBoligTypeTitelTekst": "Stueetage med niveaufri adgang",
        "HandicapBoligTypeBeskrivelseTekst": "Boligerne i stueetagen",
        "HandicapSpoergsmaalListe": {
            "HandicapSpoergsmaalStruktur": [
                answer("A1", HandicapSvarIdentifikator="J"),
                answer("A2", HandicapRegistreringNumeriskVaerdiKvantitet=3),
                answer("B3", HandicapRegistreringTekstVaerdiTekst="Greb ved toilet"),
                answer("K1", HandicapRegistreringIkkeRelevantIndikator=True),
            ]
        },
    }
    assert listed() == []
    snapshot = hr_module_service.snapshot()
    assert change("HandicapBoligTypeValider", created) == OK
    assert hr_module_service.snapshot() == snapshot
    assert change("HandicapBoligTypeRet", created) == OK
    [item] = listed()
    assert uuid.UUID(item.HandicapBoligTypeUnikIdentifikator) == type_id
    assert item.HandicapBoligTypeTitelTekst == "Stueetage med niveaufri adgang"
    assert item.HandicapBoligTypeBeskrivelseTekst == "Boligerne i stueetagen"
    assert item.ByggeafsnitIdentifikationStruktur.AfdelingIdentifikationStruktur.AfdelingIdentifikator == 3
    questions = item.HandicapSpoergsmaalListe.HandicapSpoergsmaalStruktur
    catalogue = ["A1", "A2", "A3", "A4", "B1", "B2", "B3", "K1", "U1"]
    assert [question.HandicapSpoergsmaalIdentifikator for question in questions] == catalogue
    assert [question.HandicapSpoergsmaalTypeKode for question in questions] == [2, 0, 2, 0, 0, 2, 1, 2, 0]
    assert [
        (option.HandicapSvarIdentifikator, option.HandicapSvarTekst) for option in questions[2].HandicapSvarStruktur
    ] == [
        ("J", "Ja"),
        ("N", "Nej"),
        ("D", "Delvis"),
    ]
    assert questions[1].HandicapMaaleenhedEnhedSymbolTekst == "stk"
    assert answers(item) == {
        "A1": ("J", None, None, False),
        "A2": (None, 3, None, False),
        "B3": (None, None, "Greb ved toilet", False),
        "K1": (None, None, None, True),
    }
    assert listed(BoligorganisationUnikIdentifikator=str(register.organisation_ids[501])) == [item]

    update = {
        "HandicapBoligTypeUnikIdentifikator": str(type_id),
        "ObjektStatusKode": 2,
        "HandicapBoligTypeTitelTekst": "Stueetage",
        "HandicapSpoergsmaalListe": {
            "HandicapSpoergsmaalStruktur": [
                answer("A2", HandicapRegistreringNumeriskVaerdiKvantitet=5),
                answer("B3", ObjektStatusKode=3),
                answer("U1", HandicapRegistreringNumeriskVaerdiKvantitet=40),
            ]
        },
    }
    assert change("HandicapBoligTypeValider", update) == OK
    assert listed() == [item]
    assert change("HandicapBoligTypeRet", update) == OK
    [item] = listed()
    assert item.HandicapBoligTypeTitelTekst == "Stueetage"
    assert answers(item) == {
        "A1": ("J", None, None, False),
        "A2": (None, 5, None, False),
        "K1": (None, None, None, True),
        "U1": (None, 40, None, False),
    }

    # an answer in the wrong element for the question's kind, and a missing title: numbered errors, nothing saved
    snapshot = hr_module_service.snapshot()
    wrong_kind = {
        **update,
        "HandicapSpoergsmaalListe": {
            "HandicapSpoergsmaalStruktur": [answer("A2", HandicapRegistreringTekstVaerdiTekst="fem")]
        },
    }
    no_title = {**created, "HandicapBoligTypeUnikIdentifikator": None, "HandicapBoligTypeTitelTekst": " "}
    for operation in ("HandicapBoligTypeValider", "HandicapBoligTypeRet"):
        refused = change(operation, wrong_kind, no_title)
        assert [(item.number, item.field, item.text) for item in refused.errors] == [
            (1000, "HandicapBoligTypeTitelTekst", "HandicapBoligType.Titel skal udfyldes"),
            (1000, "HandicapRegistreringNumeriskVaerdiKvantitet", "HandicapRegistrering.NumeriskVaerdi skal udfyldes"),
        ]
    choice = {
        **update,
        "HandicapSpoergsmaalListe": {"HandicapSpoergsmaalStruktur": [answer("A1", HandicapSvarIdentifikator="X")]},
    }
    with pytest.raises(zeep.exceptions.Fault) as refused:
        change("HandicapBoligTypeRet", choice)
    assert fault(refused) == ("soap:Client", "HandicapSvar X findes ikke for HandicapSpoergsmaal A1")
    assert hr_module_service.snapshot() == snapshot
    assert listed() == [item]

    # a dwelling may refer only to a type of its own building section
    referring = version("Bolig", P2, HandicapBoligTypeReference=str(type_id))
    elsewhere = bolig_ident(register.unit(502, 1, 1, 2))
    for method in ("Valider", "Ret"):
        with pytest.raises(zeep.exceptions.Fault) as refused:
            ret(client, "Bolig", elsewhere, [referring], kladde=False, method=method)
        assert fault(refused) == ("soap:Client", f"HandicapBoligType {type_id} findes ikke i boligens byggeafsnit")
    assert hr_module_service.snapshot() == snapshot

    # a type a dwelling refers to cannot be deleted
    unit = bolig_ident(register.unit(501, 3, 1, 1))
    assert ret(client, "Bolig", unit, [referring], kladde=False) == OK
    deletion = {"HandicapBoligTypeUnikIdentifikator": str(type_id), "ObjektStatusKode": 3}
    with pytest.raises(zeep.exceptions.Fault) as refused:
        change("HandicapBoligTypeRet", deletion)
    assert fault(refused) == ("soap:Client", f"HandicapBoligType {type_id} er knyttet til boliger og kan ikke slettes")
    assert listed() == [item]
    assert ret(client, "Bolig", unit, [version("Bolig", P2)], kladde=False) == OK
    assert change("HandicapBoligTypeValider", deletion) == OK
    assert listed() == [item]
    assert change("HandicapBoligTypeRet", deletion) == OK
    assert listed() == []
