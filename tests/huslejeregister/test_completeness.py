"""All 93 methods of HuslejeregisterV3: zeep loads the WSDL of a live server holding the demo register, every
operation exists in the binding, and each one answers a valid request with what the register holds (every answer
validated against the published XSD by :class:`ContractCheck`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import zeep
from sqlalchemy import select
from zeep.helpers import serialize_object
from zeep.wsse.username import UsernameToken

from bodata.core.db import Database, create_database_engine
from bodata.huslejeregister.demo import DEMO_PASSWORD, DEMO_USER, SOLHOEJ
from bodata.huslejeregister.models import Afdeling, Bilag, Bolig, Boligorganisation, Byggeafsnit
from bodata.huslejeregister.structures import OPERATIONS, READ_ONLY_FIELDS, TIME_ELEMENTS

from ..databases import scratch_database_url
from ..live import start_live_server
from .conftest import ContractCheck

pytestmark = pytest.mark.e2e

OK_KINDS = (0, 40)  # ResultatTypeKode: OK, or OK with infos
LATER = datetime(2026, 1, 1, tzinfo=UTC)


class Demo:
    """The demo register behind a live server, a zeep client for the user ``demo`` and the units to act on."""

    def __init__(self, url: str, database: Database, workdir: Any) -> None:
        self.check = ContractCheck()
        self.server = start_live_server(database_url=url, workdir=workdir)
        self.client = zeep.Client(
            f"{self.server.url}/huslejeregister/v3?wsdl",
            wsse=UsernameToken(DEMO_USER, DEMO_PASSWORD),
            plugins=[self.check],
        )
        with database.transaction() as session:
            solhoej = session.scalars(
                select(Bolig.bbr_id)
                .join(Byggeafsnit, Bolig.byggeafsnit_id == Byggeafsnit.id)
                .join(Afdeling, Byggeafsnit.afdeling_id == Afdeling.id)
                .join(Boligorganisation, Afdeling.boligorganisation_id == Boligorganisation.id)
                .where(Boligorganisation.nummer == SOLHOEJ[0], Afdeling.nummer == SOLHOEJ[1])
            ).all()
            planned = session.scalar(select(Bolig.bbr_id).join(Bilag, Bilag.bolig_id == Bolig.id))
        self.solhoej_units = {str(unit) for unit in solhoej}
        self.planned_unit = str(planned)

    def call(self, operation: str, **structure: Any) -> Any:
        return serialize_object(getattr(self.client.service, operation)(**structure), dict)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    workdir = tmp_path_factory.mktemp(f"completeness-{request.param}")
    with scratch_database_url(request.param, workdir, content="demo") as url:
        database = Database(create_database_engine(url))
        try:
            running = Demo(url, database, workdir)
            try:
                yield running
            finally:
                running.client.transport.session.close()
                running.server.stop()
        finally:
            database.dispose()


def outcome(answer: dict[str, Any]) -> int:
    result = answer.get("MetodeResultatStruktur") or answer.get("MetodeOpretResultatStruktur") or answer
    errors = [item["ResultatStruktur"]["ResultatKode"] for item in result.get("ValideringsfejlStruktur") or []]
    assert not errors, errors
    return result["ResultatStruktur"]["ResultatTypeKode"]


def resubmission(edition: dict[str, Any], entity: str, start: datetime) -> dict[str, Any]:
    """``<E>Struktur`` submitting the edition's latest version again from ``start``, as a client would."""
    latest = dict(edition[f"{entity}VersionStruktur"][-1])
    for name in (*TIME_ELEMENTS, *READ_ONLY_FIELDS):
        latest.pop(name, None)
    structure = {key: value for key, value in edition.items() if key != f"{entity}VersionStruktur"}
    return {
        **structure,
        "KladdeIndikator": False,
        f"{entity}VersionStruktur": [{**latest, "VirkningFraDatoTid": start}],
    }


def bitemporal(demo: Demo, entity: str, ident: dict[str, Any]) -> dict[str, Any]:
    """Hent, the five Hent variants, Valider and Ret of one bitemporal entity; returns its submitted edition."""
    key = {f"{entity}IdentifikationStruktur": ident}
    now = datetime.now(UTC)
    [edition] = [item for item in demo.call(f"{entity}Hent", **key) if not item["KladdeIndikator"]]
    assert edition[f"{entity}VersionStruktur"], entity
    [specific] = demo.call(f"{entity}HentSpecifik", **key, VirkningsdatoDatoTid=now)
    assert specific[f"{entity}VersionStruktur"] == edition[f"{entity}VersionStruktur"][-1:]
    [historic] = demo.call(f"{entity}HentHistorisk", **key, RegistreringstidDatoTid=now)
    assert historic[f"{entity}VersionStruktur"] == edition[f"{entity}VersionStruktur"]
    [both] = demo.call(f"{entity}HentHistoriskSpecifik", **key, RegistreringstidDatoTid=now, VirkningsdatoDatoTid=now)
    assert both[f"{entity}VersionStruktur"] == specific[f"{entity}VersionStruktur"]
    periods = demo.call(f"{entity}HentVirkningsperioder", **key)
    assert [period["VirkningFraDatoTid"] for period in periods] == [
        version["VirkningFraDatoTid"] for version in edition[f"{entity}VersionStruktur"]
    ]
    assert demo.call(f"{entity}HentVirkningsperioderHistorisk", **key, RegistreringstidDatoTid=now) == periods
    structure = resubmission(edition, entity, LATER)
    assert outcome(demo.call(f"{entity}Valider", **{f"{entity}Struktur": structure})) in OK_KINDS
    assert outcome(demo.call(f"{entity}Ret", **{f"{entity}Struktur": structure})) in OK_KINDS
    periods = demo.call(f"{entity}HentVirkningsperioder", **key)
    assert periods[-1]["VirkningFraDatoTid"] == LATER
    return edition


def test_the_wsdl_has_all_93_operations(demo: Demo) -> None:
    binding = demo.client.service._binding
    assert len(OPERATIONS) == 93
    assert set(binding._operations) == set(OPERATIONS)


def test_every_operation_answers_a_valid_call(demo: Demo) -> None:
    call = demo.call
    before = len(demo.check.outputs)

    # Boligorganisation, Afdeling, Byggeafsnit, Bolig (part 1)
    organisations = call("BoligorganisationList")
    assert [
        item["BoligorganisationIdentifikationStruktur"]["BoligorganisationIdentifikator"] for item in organisations
    ] == [
        1001,
        1002,
    ]
    organisation = {"BoligorganisationIdentifikator": 1001}
    bitemporal(demo, "Boligorganisation", organisation)
    departments = call("AfdelingList", BoligorganisationIdentifikationStruktur=organisation)
    assert [item["AfdelingIdentifikationStruktur"]["AfdelingIdentifikator"] for item in departments] == [1, 2, 3]
    department = {"BoligorganisationIdentifikationStruktur": organisation, "AfdelingIdentifikator": 1}
    bitemporal(demo, "Afdeling", department)
    sections = call("ByggeafsnitList", AfdelingIdentifikationStruktur=department)
    assert [item["ByggeafsnitIdentifikationStruktur"]["ByggeafsnitIdentifikator"] for item in sections] == [1, 2]
    section = {"AfdelingIdentifikationStruktur": department, "ByggeafsnitIdentifikator": 1}
    bitemporal(demo, "Byggeafsnit", section)
    dwellings = call("BoligList", ByggeafsnitIdentifikationStruktur=section)
    assert len(dwellings) == 30
    assert all(item["BoligVersionStruktur"][0]["StreetName"] for item in dwellings)
    units = [item["BoligIdentifikationStruktur"]["BuildingUnitUniversalIdentifier"] for item in dwellings]
    bolig = {"BuildingUnitUniversalIdentifier": units[0]}
    bitemporal(demo, "Bolig", bolig)

    # Indstilling, Udlejningssamarbejde, HandicapBoligType
    settings = call(
        "IndstillingHent", IndstillingIdentifikationStruktur={"BoligorganisationIdentifikationStruktur": organisation}
    )
    assert settings["IndstillingEnhedsadministrationAktivIndikator"] is True
    changed = {**settings, "IndstillingNotifikationsEmailsTekst": "drift@fjordbo.dk; it@fjordbo.dk"}
    changed.pop("OprettetDatoTid"), changed.pop("AendretDatoTid")
    assert outcome(call("IndstillingValider", IndstillingStruktur=changed)) == 0
    assert outcome(call("IndstillingRet", IndstillingStruktur=changed)) == 0
    cooperations = call("UdlejningssamarbejdeList")
    assert {item["UdlejningssamarbejdeNavnTekst"] for item in cooperations} == {
        "Aarhus Bolignet",
        "Boligportal Hovedstaden",
    }
    [accessible] = call("HandicapBoligTypeList", BoligorganisationIdentifikationStruktur=organisation)
    assert accessible["HandicapBoligTypeTitelTekst"] == "Stueetage med niveaufri adgang"
    retitled = {
        "HandicapBoligTypeUnikIdentifikator": accessible["HandicapBoligTypeUnikIdentifikator"],
        "HandicapBoligTypeTitelTekst": "Stueetage, niveaufri adgang og elevator",
        "ObjektStatusKode": 2,
    }
    assert outcome(call("HandicapBoligTypeValider", HandicapBoligTypeStruktur=[retitled])) == 0
    assert outcome(call("HandicapBoligTypeRet", HandicapBoligTypeStruktur=[retitled])) == 0

    # Boligudgift
    expenses = call("BoligudgiftList", BoligIdentifikationStruktur=bolig)
    assert sorted(item["BoligudgiftstypeKode"] for item in expenses) == [1, 2, 3, 4, 5, 6, 7]
    heating = next(item for item in expenses if item["BoligudgiftstypeKode"] == 2)
    expense_key = {
        "BoligudgiftUnikIdentifikator": heating["BoligudgiftIdentifikationStruktur"]["BoligudgiftUnikIdentifikator"]
    }
    assert call("BoligudgiftHent", BoligudgiftIdentifikationStruktur=expense_key)["BoligudgiftBeloeb"] == Decimal(650)
    dearer = {
        key: value
        for key, value in heating.items()
        if key not in ("OprettetDatoTid", "AendretDatoTid", "OpdateretDatoTid", "OphoertDatoTid")
    } | {"BoligudgiftBeloeb": Decimal(700), "KladdeIndikator": False}
    assert outcome(call("BoligudgiftValider", BoligudgiftStruktur=dearer)) == 40  # 2121: changed by more than 5%
    assert outcome(call("BoligudgiftRet", BoligudgiftStruktur=dearer)) == 40
    special = {
        "BoligIdentifikationStruktur": bolig,
        "KladdeIndikator": False,
        "BoligudgiftStartDato": datetime(2025, 1, 1).date(),
        "BoligudgiftBeloeb": Decimal(95),
        "BoligudgiftModtagerTypeKode": 1,
        "BoligudgiftIndeholdtIHuslejeIndikator": False,
        "BoligudgiftstypeKode": 8,
        "BoligudgiftBeskrivelseTekst": "Vaskeri",
    }
    created = call("BoligudgiftOpret", BoligudgiftStruktur=special)
    assert outcome(created) == 0
    new_expense = {"BoligudgiftUnikIdentifikator": created["EntitetReference"]}
    assert (
        call("BoligudgiftHent", BoligudgiftIdentifikationStruktur=new_expense)["BoligudgiftBeskrivelseTekst"]
        == "Vaskeri"
    )
    assert outcome(call("BoligudgiftSlet", BoligudgiftIdentifikationStruktur=new_expense)) == 0

    # Lejekontrakt
    [lease] = call("LejekontraktList", BoligIdentifikationStruktur=bolig)
    lease_key = {
        "LejekontraktUnikIdentifikator": lease["LejekontraktIdentifikationStruktur"]["LejekontraktUnikIdentifikator"]
    }
    assert call("LejekontraktHent", LejekontraktIdentifikationStruktur=lease_key)["LejerStruktur"]
    same = {
        key: value
        for key, value in lease.items()
        if key not in ("OprettetDatoTid", "AendretDatoTid", "OpdateretDatoTid", "OphoertDatoTid")
    } | {"KladdeIndikator": False, "LejekontraktDepositumBeloeb": Decimal(1500)}
    assert outcome(call("LejekontraktValider", LejekontraktStruktur=same)) == 0
    assert outcome(call("LejekontraktRet", LejekontraktStruktur=same)) == 0
    follower = {
        "LejekontraktIdentifikator": "1001-1-999",
        "BoligIdentifikationStruktur": bolig,
        "KladdeIndikator": False,
        "LejekontraktStartDato": datetime(2025, 8, 1).date(),
        "LejekontraktIndskudBeloeb": Decimal(12000),
        "LejekontraktAnvistKommunaltEllerEfterTidligereAeldreboliglovIndikator": False,
        "AnvisningstypeKode": 2,
        "LejekontraktAfdelingsinternFraflytning": False,
        "LejerStruktur": [{"LejerNavnTekst": "Mette Jensen", "PersonCivilRegistrationIdentifier": "0102900000"}],
    }
    created = call("LejekontraktOpret", LejekontraktStruktur=follower)
    assert outcome(created) == 0
    assert (
        call("LejekontraktHent", LejekontraktIdentifikationStruktur=lease_key)["LejekontraktSlutDato"]
        == datetime(2025, 7, 31).date()
    )
    new_lease = {"LejekontraktUnikIdentifikator": created["EntitetReference"]}
    assert outcome(call("LejekontraktSlet", LejekontraktIdentifikationStruktur=new_lease)) == 0
    assert call("LejekontraktHent", LejekontraktIdentifikationStruktur=lease_key)["LejekontraktSlutDato"] is None

    # Anvisningsaftale and Boligopskrivning
    for entity in ("Anvisningsaftale", "Boligopskrivning"):
        [owned] = call(f"{entity}List", BoligorganisationIdentifikationStruktur=organisation)
        ident = {f"{entity}UnikIdentifikator": owned[f"{entity}IdentifikationStruktur"][f"{entity}UnikIdentifikator"]}
        edition = bitemporal(demo, entity, ident)
        assert (
            outcome(
                call(
                    f"{entity}Slet",
                    **{f"{entity}IdentifikationStruktur": ident},
                    VirkningTilDatoTid=LATER + timedelta(days=365),
                )
            )
            == 0
        )
        if entity == "Boligopskrivning":
            another = resubmission(edition, entity, LATER)
            another.pop(f"{entity}IdentifikationStruktur")
            another["BoligTypeKode"] = 1
            created = call(f"{entity}Opret", **{f"{entity}Struktur": another})
            assert outcome(created) == 0
            gone = {f"{entity}UnikIdentifikator": created["EntitetReference"]}
            assert outcome(call(f"{entity}Slet", **{f"{entity}IdentifikationStruktur": gone})) == 0
        else:
            draft = {
                "BoligorganisationIdentifikationStruktur": organisation,
                "KladdeIndikator": True,
                "AnvisningsaftaleVersionStruktur": [],
            }
            created = call("AnvisningsaftaleOpret", AnvisningsaftaleStruktur=draft)
            assert outcome(created) == 0

    # Bilag
    parent = {"BoligIdentifikationStruktur": {"BuildingUnitUniversalIdentifier": demo.planned_unit}}
    [plan] = call("BilagList", **parent)
    assert "BilagIndholdData" not in plan or plan["BilagIndholdData"] is None
    plan_key = {**parent, "BilagIdentifikator": 1}
    stored = call("BilagHent", BilagIdentifikationStruktur=plan_key)
    assert stored["BilagIndholdData"].startswith(b"\x89PNG")
    described = {**stored, "BilagBeskrivelseTekst": "Plantegning, 2 værelser"}
    assert outcome(call("BilagValider", BilagStruktur=described)) == 0
    assert outcome(call("BilagRet", BilagStruktur=described)) == 0
    second = {**described, "BilagIdentifikationStruktur": {**parent, "BilagIdentifikator": 2}}
    second.pop("ObjektStatusKode", None)
    assert outcome(call("BilagOpret", BilagStruktur=second)) == 0
    assert outcome(call("BilagSlet", BilagIdentifikationStruktur={**parent, "BilagIdentifikator": 2})) == 0

    # Enhed
    listed = call("EnhedList", BoligorganisationIdentifikationStruktur=organisation)
    status = {
        item["EnhedIdentifikationStruktur"]["BuildingUnitUniversalIdentifier"]: item["EnhedVersionStruktur"][-1]
        for item in listed
    }
    solhoej = sorted(
        (unit for unit in status if unit in demo.solhoej_units),
        key=lambda unit: status[unit]["StreetBuildingIdentifier"] or "",
    )
    eliminated = next(unit for unit in solhoej if status[unit]["EnhedStatusKode"] == 2)
    new = [unit for unit in solhoej if status[unit]["EnhedStatusKode"] == 0]
    deleted_in_bbr = next(unit for unit in new if status[unit]["EnhedSlettetIBBRDatoTid"] is not None)
    new.remove(deleted_in_bbr)
    unit = {"BuildingUnitUniversalIdentifier": units[0]}
    assert call("EnhedHent", EnhedIdentifikationStruktur=unit)["EnhedVersionStruktur"][-1]["EnhedStatusKode"] == 1
    assert (
        outcome(call("EnhedGenaktiver", EnhedIdentifikationStruktur={"BuildingUnitUniversalIdentifier": eliminated}))
        == 0
    )
    assert outcome(call("EnhedAktiver", EnhedIdentifikationStruktur={"BuildingUnitUniversalIdentifier": new[0]})) == 0
    assert (
        outcome(
            call(
                "EnhedEliminer",
                EnhedIdentifikationStruktur={"BuildingUnitUniversalIdentifier": new[1]},
                EnhedElimineringAarsagKode=1,
            )
        )
        == 0
    )
    assert (
        outcome(call("EnhedSlet", EnhedIdentifikationStruktur={"BuildingUnitUniversalIdentifier": deleted_in_bbr})) == 0
    )
    assert (
        outcome(
            call(
                "EnhedBytBolig",
                EnhedIdentifikationStruktur=unit,
                EnhedTilIdentifikationStruktur={"BuildingUnitUniversalIdentifier": units[1]},
            )
        )
        == 0
    )
    assert (
        outcome(
            call(
                "EnhedFlytBolig",
                EnhedIdentifikationStruktur={"BuildingUnitUniversalIdentifier": units[2]},
                EnhedTilIdentifikationStruktur={"BuildingUnitUniversalIdentifier": new[1]},
            )
        )
        == 0
    )
    other_section = {"AfdelingIdentifikationStruktur": department, "ByggeafsnitIdentifikator": 2}
    assert (
        outcome(
            call(
                "EnhedFlytByggeafsnit",
                EnhedIdentifikationStruktur={"BuildingUnitUniversalIdentifier": units[3]},
                ByggeafsnitIdentifikationStruktur=other_section,
            )
        )
        == 0
    )
    events = call("EnhedHaendelser", BoligorganisationIdentifikationStruktur=organisation, EnhedHaendelseNummer=0)
    kinds = [event["EnhedHaendelseTypeKode"] for event in events]
    assert {1, 2, 3, 4, 5} <= set(kinds)

    assert set(demo.check.outputs[before:]) == set(OPERATIONS)
    assert not demo.check.faults
