"""HuslejeregisterClient against a live ``bodata serve`` (SQLite and PostgreSQL): the typed methods, the generic
``call``, results, Faults and transport errors. Every answer the client receives is checked against the published
XSD (the ContractCheck plugin of conftest).

The tests share one server per database and use their own dwellings: reads and dwellings on organisation 501
department 1, expenses on 501-1-2 #1, leases on 501-1-2 #2.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bodata.huslejeregister.client import (
    ERRORS,
    OK,
    HuslejeregisterClient,
    HuslejeregisterConnectionError,
    HuslejeregisterFault,
    Result,
    to_result,
)
from bodata.huslejeregister.operations import HANDLERS
from bodata.huslejeregister.structures import OPERATIONS

from ..live import free_port
from .conftest import ALICE, BOLIG_COMPLETE, HrService

pytestmark = pytest.mark.e2e

DK = ZoneInfo("Europe/Copenhagen")
NOT_FOUND = "findes ikke eller administreres ikke af brugeren"
needs_expenses = pytest.mark.skipif(
    "BoligudgiftOpret" not in HANDLERS, reason="Boligudgift operations not implemented yet (expenses.py)"
)
needs_leases = pytest.mark.skipif(
    "LejekontraktOpret" not in HANDLERS, reason="Lejekontrakt operations not implemented yet (leases.py)"
)


@pytest.fixture(scope="module")
def client(hr_module_service: HrService) -> Any:
    with HuslejeregisterClient(
        hr_module_service.wsdl_url, ALICE.username, ALICE.password, plugins=[hr_module_service.check]
    ) as made:
        yield made


def test_the_client_sees_all_93_operations(client: HuslejeregisterClient) -> None:
    assert client.operations == set(OPERATIONS)
    with pytest.raises(ValueError, match="no operation 'BoligSlet'"):
        client.call("BoligSlet")


def test_reads_the_hierarchy(client: HuslejeregisterClient, hr_module_service: HrService) -> None:
    organisations = client.organisations()
    numbers = [
        item["BoligorganisationIdentifikationStruktur"]["BoligorganisationIdentifikator"] for item in organisations
    ]
    assert sorted(numbers) == [501, 502]
    departments = client.departments(501)
    assert sorted(item["AfdelingIdentifikationStruktur"]["AfdelingIdentifikator"] for item in departments) == [1, 2, 3]
    sections = client.sections(501, 1)
    assert sorted(item["ByggeafsnitIdentifikationStruktur"]["ByggeafsnitIdentifikator"] for item in sections) == [1, 2]
    dwellings = client.dwellings(501, 1, 1)
    expected = {unit.bbr_id for unit in hr_module_service.register.units_in(501, 1, 1)}
    assert {
        uuid.UUID(item["BoligIdentifikationStruktur"]["BuildingUnitUniversalIdentifier"]) for item in dwellings
    } == (expected)
    # the generic call answers plain Python: a list for repeated outputs
    cooperations = client.call("UdlejningssamarbejdeList")
    assert [item["UdlejningssamarbejdeNavnTekst"] for item in cooperations] == [
        name for _, name, _ in hr_module_service.register.cooperations
    ]
    assert (
        client.call(
            "HandicapBoligTypeList", BoligorganisationIdentifikationStruktur={"BoligorganisationIdentifikator": 501}
        )
        == []
    )


def test_reports_validates_and_reads_a_dwelling(client: HuslejeregisterClient, hr_module_service: HrService) -> None:
    unit = hr_module_service.register.unit(501, 1, 1, 1)
    start, later = datetime(2020, 1, 1, tzinfo=DK), datetime(2024, 1, 1, tzinfo=DK)
    incomplete = {
        **BOLIG_COMPLETE,
        "BoligGarageKode": None,
        "VirkningFraDatoTid": start,
        "BoligAktueltIndskudBeloeb": Decimal(1000),
    }

    before = hr_module_service.snapshot()
    refused = client.validate_dwelling(unit.bbr_id, [incomplete])
    assert isinstance(refused, Result)
    assert (refused.ok, refused.kind) == (False, ERRORS)
    assert [(error.number, error.field, error.entity) for error in refused.errors] == [
        (1000, "BoligGarageKode", "Bolig")
    ]
    assert refused.errors[0].text == "Bolig.Garage skal udfyldes"
    assert refused.errors[0].effective_from == start
    assert isinstance(refused.result_id, uuid.UUID)
    assert refused.reference is None
    assert not client.report_dwelling(unit.bbr_id, [incomplete]).ok
    assert hr_module_service.snapshot() == before

    versions = [
        {
            **BOLIG_COMPLETE,
            "VirkningFraDatoTid": start,
            "VirkningTilDatoTid": later,
            "BoligAktueltIndskudBeloeb": Decimal(1000),
        },
        {**BOLIG_COMPLETE, "VirkningFraDatoTid": later, "BoligAktueltIndskudBeloeb": Decimal(2000)},
    ]
    validated = client.validate_dwelling(unit.bbr_id, versions)
    assert (validated.ok, validated.kind, validated.errors, validated.infos) == (True, OK, [], [])
    assert hr_module_service.snapshot() == before
    reported = client.report_dwelling(unit.bbr_id, versions)
    assert (reported.ok, reported.kind, reported.errors, reported.infos) == (True, OK, [], [])

    [edition] = client.get_dwelling(unit.bbr_id)
    assert edition["KladdeIndikator"] is False
    assert [(v["VirkningFraDatoTid"], v["BoligAktueltIndskudBeloeb"]) for v in edition["BoligVersionStruktur"]] == [
        (start, Decimal(1000)),
        (later, Decimal(2000)),
    ]
    [specific] = client.get_dwelling(unit.bbr_id, effective=datetime(2021, 6, 1, tzinfo=DK))
    assert [v["BoligAktueltIndskudBeloeb"] for v in specific["BoligVersionStruktur"]] == [Decimal(1000)]
    [historic] = client.get_dwelling(unit.bbr_id, registered=datetime(2000, 1, 1, tzinfo=DK))
    assert historic["BoligVersionStruktur"] == []

    # a draft is saved without validation and read as a second edition
    draft = client.report_dwelling(unit.bbr_id, [{"VirkningFraDatoTid": later, "BoligTypeKode": 99}], draft=True)
    assert draft.ok
    assert [edition["KladdeIndikator"] for edition in client.get_dwelling(unit.bbr_id)] == [False, True]


def test_faults_are_raised(client: HuslejeregisterClient, hr_module_service: HrService) -> None:
    bobs = hr_module_service.register.unit(503, 1, 1, 1)
    for bbr_id in (bobs.bbr_id, uuid.uuid4()):
        with pytest.raises(HuslejeregisterFault) as caught:
            client.get_dwelling(bbr_id)
        assert caught.value.code == "soap:Client"
        assert NOT_FOUND in caught.value.message
        assert caught.value.is_client_fault
    with pytest.raises(HuslejeregisterFault) as caught:
        client.departments(503)
    assert NOT_FOUND in caught.value.message
    # a value outside the schema is refused by the service as a client Fault
    with pytest.raises(HuslejeregisterFault, match="soap:Client"):
        client.report_dwelling(
            bobs.bbr_id, [{"VirkningFraDatoTid": datetime(2020, 1, 1, tzinfo=DK), "BoligURLTekst": "x" * 300}]
        )


def test_wrong_password_is_a_fault(hr_module_service: HrService) -> None:
    with (
        HuslejeregisterClient(hr_module_service.wsdl_url, "alice", "wrong") as wrong,
        pytest.raises(HuslejeregisterFault) as caught,
    ):
        wrong.organisations()
    assert caught.value.code == "wsse:FailedAuthentication"
    assert caught.value.is_client_fault


def test_transport_errors(hr_module_service: HrService) -> None:
    closed = f"http://127.0.0.1:{free_port()}/huslejeregister/v3?wsdl"
    with pytest.raises(HuslejeregisterConnectionError, match=r"cannot load the WSDL .*cannot connect"):
        HuslejeregisterClient(closed, "alice", "x", timeout=2)
    with pytest.raises(HuslejeregisterConnectionError, match="HTTP 404"):
        HuslejeregisterClient(hr_module_service.server.url + "/no/such/wsdl", "alice", "x")
    # the endpoint without ?wsdl answers a SOAP Fault, which is not a WSDL
    with pytest.raises(HuslejeregisterConnectionError):
        HuslejeregisterClient(hr_module_service.endpoint, "alice", "x")
    # a client whose service went away
    client = HuslejeregisterClient(hr_module_service.wsdl_url, "alice", ALICE.password, timeout=30)
    client._zeep.service._binding_options["address"] = closed.removesuffix("?wsdl")
    with client, pytest.raises(HuslejeregisterConnectionError, match="BoligorganisationList: cannot connect"):
        client.organisations()


def test_to_result_reads_both_result_structures() -> None:
    head = {
        "ResultatIdentifikator": str(uuid.UUID(int=1)),
        "ResultatTypeKode": 40,
        "ResultatKode": 0,
        "ResultatTekst": "OK",
    }
    info = {
        "ResultatStruktur": {
            **head,
            "ResultatKode": 2121,
            "ResultatTekst": "Boligudgift.Beloeb er ændret med mere end 5%",
        },
        "EntitetNavnTekst": "Boligudgift",
        "EntitetReference": "ref-1",
        "FeltNavnTekst": "BoligudgiftBeloeb",
    }
    result = to_result(
        {"ResultatStruktur": head, "EntitetReference": str(uuid.UUID(int=7)), "ValideringsinfoStruktur": [info]}
    )
    assert result.ok
    assert result.kind == 40
    assert result.reference == uuid.UUID(int=7)
    assert result.result_id == uuid.UUID(int=1)
    [message] = result.infos
    assert (message.number, message.field, message.entity_reference, message.entity) == (
        2121,
        "BoligudgiftBeloeb",
        "ref-1",
        "Boligudgift",
    )
    assert str(message) == "2121 Boligudgift.Beloeb er ændret med mere end 5% [BoligudgiftBeloeb]"


# --- Expenses and leases ------------------------------------------------------------------------------------------


def special_service(**fields: Any) -> dict[str, Any]:
    return {
        "BoligudgiftStartDato": date(2024, 1, 1),
        "BoligudgiftBeloeb": Decimal("125.50"),
        "BoligudgiftModtagerTypeKode": 1,
        "BoligudgiftIndeholdtIHuslejeIndikator": False,
        "BoligudgiftstypeKode": 8,
        "BoligudgiftBeskrivelseTekst": "Vaskeri",
        **fields,
    }


@needs_expenses
def test_expenses(client: HuslejeregisterClient, hr_module_service: HrService) -> None:
    unit = hr_module_service.register.unit(501, 1, 2, 1)
    reference = f"client-test-{uuid.uuid4()}"
    created = client.create_expense(unit.bbr_id, external_reference=reference, **special_service())
    assert (created.ok, created.errors) == (True, [])
    assert isinstance(created.reference, uuid.UUID)

    by_reference = client.get_expense(reference)
    assert by_reference == client.get_expense(created.reference)
    assert by_reference["BoligudgiftIdentifikationStruktur"]["EksternReference"] == reference
    assert by_reference["BoligudgiftBeloeb"] == Decimal("125.50")
    listed = client.expenses(unit.bbr_id)
    assert created.reference in {
        uuid.UUID(item["BoligudgiftIdentifikationStruktur"]["BoligudgiftUnikIdentifikator"]) for item in listed
    }
    assert {item["BoligudgiftstypeKode"] for item in listed} >= {1, 2, 3, 4, 5, 6, 7, 8}

    # the same EksternReference again: 2103, nothing saved
    before = hr_module_service.snapshot()
    again = client.create_expense(
        unit.bbr_id, external_reference=reference, **special_service(BoligudgiftBeskrivelseTekst="Andet")
    )
    assert not again.ok
    assert 2103 in [error.number for error in again.errors]
    assert again.reference is None
    invalid = client.validate_expense(bbr_id=unit.bbr_id, **special_service(BoligudgiftBeskrivelseTekst=None))
    assert [error.number for error in invalid.errors] == [2106]
    assert hr_module_service.snapshot() == before

    assert client.validate_expense(reference, **special_service(BoligudgiftBeloeb=Decimal(130))).ok
    updated = client.update_expense(reference, **special_service(BoligudgiftBeloeb=Decimal(130)))
    assert updated.ok, updated
    assert client.get_expense(created.reference)["BoligudgiftBeloeb"] == Decimal(130)
    # by UnikIdentifikator with a new EksternReference
    renamed = f"{reference}-renamed"
    assert client.update_expense(created.reference, external_reference=renamed, **special_service()).ok
    assert client.get_expense(renamed)["BoligudgiftIdentifikationStruktur"]["EksternReference"] == renamed

    assert client.delete_expense(renamed).ok
    with pytest.raises(HuslejeregisterFault, match=NOT_FOUND):
        client.get_expense(created.reference)
    bobs = hr_module_service.register.unit(503, 1, 1, 1)
    with pytest.raises(HuslejeregisterFault, match=NOT_FOUND):
        client.create_expense(bobs.bbr_id, **special_service())


def lease(**fields: Any) -> dict[str, Any]:
    return {
        "LejekontraktIdentifikator": "0501-001-0002",
        "LejekontraktStartDato": date(2024, 5, 1),
        "LejekontraktIndskudBeloeb": Decimal(0),
        "LejekontraktDepositumBeloeb": Decimal(15000),
        "LejekontraktAnvistKommunaltEllerEfterTidligereAeldreboliglovIndikator": False,
        "AnvisningstypeKode": 1,
        "LejekontraktAfdelingsinternFraflytning": False,
        "LejerStruktur": [{"LejerNavnTekst": "Karen Hansen"}, {"LejerNavnTekst": "Ole Hansen"}],
        **fields,
    }


@needs_leases
def test_leases(client: HuslejeregisterClient, hr_module_service: HrService) -> None:
    unit = hr_module_service.register.unit(501, 1, 2, 2)
    reference = f"client-test-{uuid.uuid4()}"
    created = client.create_lease(unit.bbr_id, external_reference=reference, **lease())
    assert (created.ok, created.errors) == (True, [])
    stored = client.get_lease(reference)
    assert stored == client.get_lease(created.reference)
    assert [tenant["LejerNavnTekst"] for tenant in stored["LejerStruktur"]] == ["Karen Hansen", "Ole Hansen"]
    assert created.reference in {
        uuid.UUID(item["LejekontraktIdentifikationStruktur"]["LejekontraktUnikIdentifikator"])
        for item in client.leases(unit.bbr_id, date(2000, 1, 1), date(2100, 1, 1))
    }

    before = hr_module_service.snapshot()
    again = client.create_lease(
        unit.bbr_id, external_reference=reference, **lease(LejekontraktStartDato=date(2025, 1, 1))
    )
    assert 2203 in [error.number for error in again.errors]
    invalid = client.validate_lease(
        bbr_id=unit.bbr_id, **lease(LejekontraktStartDato=date(2025, 1, 1), LejerStruktur=[])
    )
    assert 2213 in [error.number for error in invalid.errors]
    assert hr_module_service.snapshot() == before

    assert client.validate_lease(reference, **lease(LejekontraktDepositumBeloeb=Decimal(16000))).ok
    assert client.update_lease(reference, **lease(LejekontraktDepositumBeloeb=Decimal(16000))).ok
    assert client.get_lease(reference)["LejekontraktDepositumBeloeb"] == Decimal(16000)
    assert client.delete_lease(created.reference).ok
    with pytest.raises(HuslejeregisterFault, match=NOT_FOUND):
        client.get_lease(reference)
