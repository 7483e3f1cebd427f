"""Cases in the tenant portal: the Ärende document (E6, share keys), fault reports (E5), inspection protocols (E7),
offer answers (E14), case-row files (E16) and node classes (E17); portal.md §2.5, §2.6, §2.11, A-9, A-13, A-27."""

from __future__ import annotations

import base64
import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from bodata.portal.cases import case_documents, create_fault_report, customer_cases
from bodata.portal.images import image_type
from bodata.portal.models import (
    Actor,
    Case,
    CaseParticipant,
    CaseRow,
    CaseRowHistory,
    CaseRowMedia,
    CaseRowTimePoint,
    Node,
    NodeClass,
    NodeClassTimePoint,
    StoredFile,
    TimePointType,
)

from .conftest import Portal
from .fixtures import API_KEY, SHARE_KEY, World
from .test_nodes import client_with, count_queries


def _image(kind: str = "PNG", size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=kind)
    return buffer.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _part(node_id: int, text: str) -> dict[str, str]:
    return {"Id": f"n{node_id}", "Typ": "Nod", "Visningstext": text, "Avser": f"n{node_id}"}


ADDRESS = {
    "Gatuadress1": "Skärgatan 4",
    "Gatuadress2": None,
    "Postnummer": "72131",
    "Postort": "Västerås",
    "Land": "Sverige",
}
IN_PROGRESS = {"Referensnamn": "Pagaende", "Beteckning": "Pågående"}
AT_OFFICER = {"Referensnamn": "Handlaggare", "Beteckning": "Hos handläggare"}
OFFICER = {"Visningsnamn": "Kalle Svensson", "Telefon": "021-123456", "Mobil": None, "Epost": None}
ANNA = {"Visningsnamn": "Anna Andersson", "Telefon": None, "Mobil": "070-1234567", "Epost": "anna@example.se"}
BERTIL = {"Visningsnamn": "Bertil Berg", "Telefon": None, "Mobil": "070-1234567", "Epost": "bertil@example.se"}


@dataclass
class MoreCases:
    """The cases added to the small world: a maintenance offer, an inspection and a general case."""

    towel_warmer: int
    offer: int
    offer_row: int
    offer_row2: int
    inspection: int
    inspection_row: int
    general: int
    general_row: int
    time_point: int
    time_point_type: int
    storning: int


@pytest.fixture
def more(portal: Portal) -> MoreCases:
    w = portal.world
    with portal.database.transaction() as session:
        towel = session.scalar(select(Node).where(Node.parent_id == w.bathroom1))
        assert towel is not None
        offer = Case(
            nummer="R-2611-1100",
            typ="Underhåll",
            typ_referensnamn="Underhall",
            customer_id=w.anna,
            node_id=w.flat1,
            inkommen=datetime(2026, 11, 2, 8, 0),
            erbjudande_svar_senast=date(2026, 12, 15),
        )
        inspection = Case(
            nummer="R-2611-1101",
            typ="Besiktning",
            typ_referensnamn="Besiktning",
            customer_id=w.bertil,
            incoming_customer_id=w.anna,
            node_id=w.flat2,
            processteg_referensnamn="Besiktad",
            processteg_beteckning="Besiktad",
            inkommen=datetime(2026, 11, 3, 10, 0),
            planerad_start=datetime(2026, 11, 20, 9, 0),
            planerad_klar=datetime(2026, 11, 20, 11, 0),
            klar_senast=datetime(2026, 11, 30, 16, 0),
        )
        storning = session.scalar(select(NodeClass).where(NodeClass.system_name == "Storning"))
        assert storning is not None
        general = Case(
            nummer="R-2611-1102",
            typ="Störning",
            typ_referensnamn="Storning",
            general=True,
            node_class_id=storning.id,
            customer_id=w.anna,
            node_id=w.flat1,
            inkommen=datetime(2026, 11, 4, 22, 15),
            avslutat=datetime(2026, 11, 5, 8, 0),
        )
        session.add_all([offer, inspection, general])
        session.flush()
        offer_row = CaseRow(
            case_id=offer.id,
            node_path=f"n{w.flat1}-n{w.bathroom1}-n{towel.id}",
            atgard_skapad=date(2026, 11, 1),
            atgard_planerad=datetime(2027, 1, 10, 8, 0),
            atgard_intervall=10,
            atgard_intervall_enhet="ar",
            atgard_typ_beteckning="Bytes",
            atgard_typ_kortbeteckning="Bytes",
            pris_restvarde=Decimal("-122.22"),
            pris_rabatt=Decimal("122.22"),
        )
        offer_row2 = CaseRow(case_id=offer.id, node_path=f"n{w.flat1}-n{w.kitchen1}-n{w.stove1}")
        inspection_row = CaseRow(
            case_id=inspection.id,
            node_path=f"n{w.flat2}-n{w.kitchen2}",
            inspection_remark="Repa i bänkskivan",
            atgard_typ_beteckning="Slipas",
            atgard_typ_kortbeteckning="Slip",
            atgard_bestalld=date(2026, 11, 21),
            charged_outgoing=Decimal("1200"),
        )
        general_row = CaseRow(
            case_id=general.id,
            node_path="",
            beskrivning="Musik sent på natten",
            klassificering_id=3,
            klassificering_system_name="Allvarligt",
            klassificering_beteckning="Allvarligt",
        )
        session.add_all([offer_row, offer_row2, inspection_row, general_row])
        occurred = TimePointType(system_name="Intraffat", beteckning="Inträffat")
        session.add(occurred)
        session.flush()
        session.add(NodeClassTimePoint(node_class_id=storning.id, time_point_type_id=occurred.id))
        point = CaseRowTimePoint(
            case_row_id=general_row.id, time_point_type_id=occurred.id, varde=datetime(2026, 11, 4, 23, 0)
        )
        session.add_all(
            [
                point,
                CaseParticipant(
                    case_id=offer.id, case_row_id=offer_row.id, visningsnamn="Rörfirman AB", epost="ror@example.se"
                ),
                CaseParticipant(case_id=inspection.id, visningsnamn="Ingrid Besiktare", mobil="070-9999999"),
                CaseRowHistory(
                    case_row_id=offer_row.id,
                    beteckning="Erbjuden",
                    tidpunkt=datetime(2026, 11, 2, 8, 0),
                    anvandare="Kalle Svensson",
                ),
            ]
        )
        session.flush()
        return MoreCases(
            towel_warmer=towel.id,
            offer=offer.id,
            offer_row=offer_row.id,
            offer_row2=offer_row2.id,
            inspection=inspection.id,
            inspection_row=inspection_row.id,
            general=general.id,
            general_row=general_row.id,
            time_point=point.id,
            time_point_type=occurred.id,
            storning=storning.id,
        )


def _counts(portal: Portal) -> dict[str, int]:
    with portal.database.transaction() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Case, CaseRow, CaseRowHistory, CaseRowMedia, StoredFile, Actor)
        }


# --- The Ärende document (E6) ---------------------------------------------------------------------


def test_a_fault_report_with_every_field(portal: Portal) -> None:
    w = portal.world
    response = portal.get(f"/session/arende/{w.anna_case}")
    assert response.status_code == 200
    case = response.json()
    assert case == {
        "Id": w.anna_case,
        "Nummer": "R-2611-1000",
        "Typ": "Order",
        "TypReferensNamn": "Order",
        "Avser": None,
        "Adress": None,
        "Kontakter": [ANNA],
        "Rader": [
            {
                "Id": case["Rader"][0]["Id"],
                "Avser": _part(w.freezer1, "Frys - Standard"),
                "Adress": ADDRESS,
                "Status": IN_PROGRESS,
                "Processteg": AT_OFFICER,
                "Huvudentitet": "142-043-01",
                "HuvudentitetNodKlassBeteckning": "Lägenhet",
                "Nodstig": [
                    _part(w.flat1, "Lägenhet"),
                    _part(w.kitchen1, "Kök"),
                    _part(w.fridge1, "Kyl/Frys"),
                    _part(w.freezer1, "Frys - Standard"),
                ],
                "Handläggare": [],
                "Historik": [
                    {"Beteckning": "Hos handläggare", "Tidpunkt": "2026-11-01T09:30:00", "Användare": "Kalle Svensson"}
                ],
                "Åtgärd": None,
                "Media": [],
                "PrisModell": None,
                "Tidpunkter": [],
                "Beskrivning": None,
            }
        ],
        "Processteg": None,
        "Handläggare": [OFFICER],
        "Händelser": {
            "ÄrendeInkommen": "2026-11-01T09:30:00",
            "ÄrendeKlarSenast": None,
            "ÄrendeAvslutat": None,
            "Borttagen": False,
            "ÄrendePlaneradKlar": None,
            "ÄrendePlaneradStart": None,
        },
        "UnderhållsErbjudande": None,
    }


def test_a_maintenance_offer_with_every_field(portal: Portal, more: MoreCases) -> None:
    w = portal.world
    case = portal.get(f"/session/arende/{more.offer}").json()
    assert case == {
        "Id": more.offer,
        "Nummer": "R-2611-1100",
        "Typ": "Underhåll",
        "TypReferensNamn": "Underhall",
        "Avser": None,
        "Adress": None,
        "Kontakter": [ANNA],
        "Rader": [
            {
                "Id": more.offer_row,
                "Avser": _part(more.towel_warmer, "Handdukstork"),
                "Adress": ADDRESS,
                "Status": IN_PROGRESS,
                "Processteg": AT_OFFICER,
                "Huvudentitet": "142-043-01",
                "HuvudentitetNodKlassBeteckning": "Lägenhet",
                "Nodstig": [
                    _part(w.flat1, "Lägenhet"),
                    _part(w.bathroom1, "Badrum"),
                    _part(more.towel_warmer, "Handdukstork"),
                ],
                "Handläggare": [
                    {"Visningsnamn": "Rörfirman AB", "Telefon": None, "Mobil": None, "Epost": "ror@example.se"}
                ],
                "Historik": [
                    {"Beteckning": "Erbjuden", "Tidpunkt": "2026-11-02T08:00:00", "Användare": "Kalle Svensson"}
                ],
                "Åtgärd": {
                    "Beställd": None,
                    "Utförd": None,
                    "ÅtgärdNod": {"Accepterad": None, "Planerad": "2027-01-10T08:00:00", "Skapad": "2026-11-01"},
                    "ÅtgärdNodKlass": {
                        "Intervall": 10,
                        "IntervallEnhet": {"ReferensNamn": "ar", "Beteckning": "År", "BeteckningPlural": "År"},
                    },
                    "ÅtgärdNodKlassTyp": {"Beteckning": "Bytes", "KortBeteckning": "Bytes"},
                },
                "Media": [],
                "PrisModell": {"RestVärde": -122.22, "Rabatt": 122.22},
                "Tidpunkter": [],
                "Beskrivning": None,
            },
            case["Rader"][1],
        ],
        "Processteg": None,
        "Handläggare": [],
        "Händelser": {
            "ÄrendeInkommen": "2026-11-02T08:00:00",
            "ÄrendeKlarSenast": None,
            "ÄrendeAvslutat": None,
            "Borttagen": False,
            "ÄrendePlaneradKlar": None,
            "ÄrendePlaneradStart": None,
        },
        "UnderhållsErbjudande": {"ErbjudandeEkonomiSerieSvarSenast": "2026-12-15"},
    }
    assert case["Rader"][1]["Åtgärd"] is None
    assert case["Rader"][1]["PrisModell"] is None


def test_an_inspection_with_every_field_for_both_tenants(portal: Portal, more: MoreCases) -> None:
    w = portal.world
    case = portal.get(f"/session/arende/{more.inspection}").json()
    assert case == {
        "Id": more.inspection,
        "Nummer": "R-2611-1101",
        "Typ": "Besiktning",
        "TypReferensNamn": "Besiktning",
        "Avser": [
            _part(w.property, "Västerås Skäret 4"),
            _part(w.building, "Hus A"),
            _part(w.flat2, "Lägenhet"),
        ],
        "Adress": ADDRESS,
        "Kontakter": [BERTIL],
        "Rader": [
            {
                "Id": more.inspection_row,
                "Avser": _part(w.kitchen2, "Kök"),
                "Adress": ADDRESS,
                "Status": IN_PROGRESS,
                "Processteg": AT_OFFICER,
                "Huvudentitet": "142-043-02",
                "HuvudentitetNodKlassBeteckning": "Lägenhet",
                "Nodstig": [_part(w.flat2, "Lägenhet"), _part(w.kitchen2, "Kök")],
                "Handläggare": [],
                "Historik": [],
                "Åtgärd": {
                    "Beställd": "2026-11-21",
                    "Utförd": None,
                    "ÅtgärdNod": None,
                    "ÅtgärdNodKlass": None,
                    "ÅtgärdNodKlassTyp": {"Beteckning": "Slipas", "KortBeteckning": "Slip"},
                },
                "Media": [],
                "PrisModell": None,
                "Tidpunkter": [],
                "Beskrivning": None,
            }
        ],
        "Processteg": {"Referensnamn": "Besiktad", "Beteckning": "Besiktad"},
        "Handläggare": [{"Visningsnamn": "Ingrid Besiktare", "Telefon": None, "Mobil": "070-9999999", "Epost": None}],
        "Händelser": {
            "ÄrendeInkommen": "2026-11-03T10:00:00",
            "ÄrendeKlarSenast": "2026-11-30T16:00:00",
            "ÄrendeAvslutat": None,
            "Borttagen": False,
            "ÄrendePlaneradKlar": "2026-11-20T11:00:00",
            "ÄrendePlaneradStart": "2026-11-20T09:00:00",
        },
        "UnderhållsErbjudande": None,
    }
    assert portal.get(f"/session/arende/{more.inspection}", tenant="bertil").json() == case


def test_a_general_case_shows_only_the_documented_fields(portal: Portal, more: MoreCases) -> None:
    """A-13: Id, Nummer, Typ, TypReferensNamn, Kontakter, Händelser.ÄrendeInkommen; rows: their Id (which
    Tidpunkter and Beskrivning name as ÄrendeRadId), Beskrivning, Status, Tidpunkter."""
    case = portal.get(f"/session/arende/{more.general}").json()
    assert case == {
        "Id": more.general,
        "Nummer": "R-2611-1102",
        "Typ": "Störning",
        "TypReferensNamn": "Storning",
        "Avser": None,
        "Adress": None,
        "Kontakter": [ANNA],
        "Rader": [
            {
                "Id": more.general_row,
                "Avser": None,
                "Adress": None,
                "Status": IN_PROGRESS,
                "Processteg": None,
                "Huvudentitet": None,
                "HuvudentitetNodKlassBeteckning": None,
                "Nodstig": None,
                "Handläggare": None,
                "Historik": None,
                "Åtgärd": None,
                "Media": None,
                "PrisModell": None,
                "Tidpunkter": [
                    {
                        "ÄrendeRadId": more.general_row,
                        "ÄrendeRadTidpunktId": more.time_point,
                        "Värde": "2026-11-04T23:00:00",
                        "ÄrendeRadTidpunktTypId": more.time_point_type,
                        "ÄrendeRadTidpunktTypSystemName": "Intraffat",
                        "ÄrendeRadTidpunktTybBeteckning": "Inträffat",
                    }
                ],
                "Beskrivning": {
                    "ÄrendeRadId": more.general_row,
                    "ÄrendeKlassificeringTypId": 3,
                    "ÄrendeKlassificeringSystemName": "Allvarligt",
                    "ÄrendeKlassificeringBeteckning": "Allvarligt",
                },
            }
        ],
        "Processteg": None,
        "Handläggare": None,
        "Händelser": {
            "ÄrendeInkommen": "2026-11-04T22:15:00",
            "ÄrendeKlarSenast": None,
            "ÄrendeAvslutat": None,
            "Borttagen": None,
            "ÄrendePlaneradKlar": None,
            "ÄrendePlaneradStart": None,
        },
        "UnderhållsErbjudande": None,
    }


def test_case_documents_take_a_constant_number_of_queries(portal: Portal, more: MoreCases) -> None:
    with portal.database.transaction() as session:
        cases = customer_cases(session, customer_id=portal.world.anna)
        assert [case.id for case in cases] == [portal.world.anna_case, more.offer, more.inspection, more.general]
        with count_queries(portal.database.engine) as one:
            case_documents(session, cases[:1], include_rows=True, media_bytes=True, aliases=True)
        with count_queries(portal.database.engine) as four:
            documents = case_documents(session, cases, include_rows=True, media_bytes=True, aliases=True)
        with count_queries(portal.database.engine) as without_rows:
            bare = case_documents(session, cases, include_rows=False, media_bytes=False, aliases=False)
    assert len(one) == len(four) <= 10
    assert len(without_rows) < len(four)
    assert [document["Id"] for document in documents] == [case.id for case in cases]
    assert all(document["Rader"] is None for document in bare)


def test_other_customers_and_unknown_cases_are_the_same_404(portal: Portal, more: MoreCases) -> None:
    foreign = portal.get(f"/session/arende/{portal.world.bertil_case}")
    unknown = portal.get("/session/arende/999999")
    huge = portal.get("/session/arende/99999999999999999999")
    assert foreign.status_code == unknown.status_code == huge.status_code == 404
    assert foreign.json()["Felkod"] == unknown.json()["Felkod"] == "HittadesInte"
    assert portal.get(f"/session/arende/{more.offer}", tenant="bertil").status_code == 404
    assert portal.get("/session/arende/abc").status_code == 400


def test_deleted_cases_are_shown_to_their_owner_but_left_out_of_the_list_and_the_share_key(portal: Portal) -> None:
    with portal.database.transaction() as session:
        session.get_one(Case, portal.world.anna_case).borttagen = True
    assert portal.get(f"/session/arende/{portal.world.anna_case}").json()["Händelser"]["Borttagen"] is True
    with portal.database.transaction() as session:
        assert portal.world.anna_case not in [
            case.id for case in customer_cases(session, customer_id=portal.world.anna)
        ]
    assert portal.client.get(f"/portal/arende/{SHARE_KEY}", params={"ApiNyckel": API_KEY}).status_code == 404


def test_the_share_key_opens_the_case_without_a_session(portal: Portal) -> None:
    shared = portal.client.get(f"/portal/arende/{SHARE_KEY}", params={"ApiNyckel": API_KEY})
    assert shared.status_code == 200
    assert shared.json() == portal.get(f"/session/arende/{portal.world.anna_case}").json()
    unknown = portal.client.get("/portal/arende/okand-nyckel", params={"ApiNyckel": API_KEY})
    assert unknown.status_code == 404
    assert unknown.json()["Felkod"] == "HittadesInte"


# --- Fault reports (E5) ---------------------------------------------------------------------------


def _report(w: World, **changes: Any) -> dict[str, Any]:
    row = {
        "Avser": f"n{w.flat1}-n{w.kitchen1}-n{w.fridge1}-n{w.freezer1}",
        "Beskrivning": "Repareras",
        "NyckelhanteringId": w.at_home,
        "Nyckelhanteringsnotering": "Hemma mellan 10:00 och 13:00",
        "FelbeskrivningstypId": w.freezer_fault,
        "Specifikation": "Frysen blir inte kall",
        "Media": [{"MediaByte": _b64(PNG), "Notering": "En notering till bilden"}],
    }
    row.update(changes.pop("row", {}))
    body = {
        "Avser": f"n{w.flat1}",
        "Ärendetyp": "Felanmälan",
        "Användningstyp": {"Referensnamn": "Felanmälan"},
        "Kontakt": None,
        "Husdjur": None,
        "ÄrendeKällaSystemnamn": "MinaSidor",
        "Rader": [row],
    }
    body.update(changes)
    return body


def test_a_fault_report_is_saved_whole_and_shown_by_e6(portal: Portal) -> None:
    w = portal.world
    before = _counts(portal)
    response = portal.post("/session/arende/", _report(w, Husdjur="Stor hund"))
    assert response.status_code == 200, response.text
    case_id = response.json()["ÄrendeId"]
    assert set(response.json()) == {"ÄrendeId"}
    after = _counts(portal)
    assert {name: after[name] - before[name] for name in after} == {
        "Case": 1,
        "CaseRow": 1,
        "CaseRowHistory": 1,
        "CaseRowMedia": 1,
        "StoredFile": 1,
        "Actor": 0,
    }
    with portal.database.transaction() as session:
        case = session.get_one(Case, case_id)
        row = session.scalars(select(CaseRow).where(CaseRow.case_id == case_id)).one()
        media = session.scalars(select(CaseRowMedia).where(CaseRowMedia.case_row_id == row.id)).one()
        stored = session.get_one(StoredFile, media.file_id)
        assert (case.nummer, case.typ, case.typ_referensnamn, case.node_id) == (
            "R-2611-1002",
            "Order",
            "Order",
            w.flat1,
        )
        assert (case.kalla_systemnamn, case.husdjur, case.contact_actor_id) == ("MinaSidor", "Stor hund", None)
        assert case.inkommen == datetime(2026, 11, 23, 13, 0)
        assert (row.beskrivning, row.specifikation, row.key_handling_note) == (
            "Repareras",
            "Frysen blir inte kall",
            "Hemma mellan 10:00 och 13:00",
        )
        assert (row.key_handling_type_id, row.fault_description_type_id) == (w.at_home, w.freezer_fault)
        assert (stored.mime_type, stored.extension, stored.size, stored.data) == ("image/png", ".png", len(PNG), PNG)
        assert media.notering == "En notering till bilden"
        media_id = media.id

    shown = portal.get(f"/session/arende/{case_id}").json()
    assert shown["Nummer"] == "R-2611-1002"
    assert shown["Kontakter"] == [ANNA]
    assert shown["Händelser"]["ÄrendeInkommen"] == "2026-11-23T13:00:00"
    (row_json,) = shown["Rader"]
    assert row_json["Status"] == IN_PROGRESS
    assert row_json["Processteg"] == AT_OFFICER
    assert row_json["Avser"] == _part(w.freezer1, "Frys - Standard")
    assert row_json["Historik"] == [
        {"Beteckning": "Hos handläggare", "Tidpunkt": "2026-11-23T13:00:00", "Användare": "Anna Andersson"}
    ]
    assert row_json["Media"] == [{"Id": media_id, "Media": None}]
    with_bytes = portal.get(f"/session/arende/{case_id}", HämtaÄrendeRaderMediaBytes="true").json()
    assert with_bytes["Rader"][0]["Media"] == [{"Id": media_id, "Media": _b64(PNG)}]

    image = portal.get(f"/session/arenderadfil/{case_id}/{row_json['Id']}/{media_id}")
    assert image.status_code == 200
    assert image.content == PNG
    assert image.headers["content-type"] == "image/png"
    assert image.headers["content-disposition"].startswith("inline")


def test_a_fault_report_with_a_contact_creates_an_actor(portal: Portal) -> None:
    w = portal.world
    contact = {
        "Visningsnamn": "Adam Bertilsson",
        "Förnamn": "Adam",
        "Efternamn": "Bertilsson",
        "Telefon": "012 – 34 56 78",
        "Mobil": "0701 – 23 45 67",
        "Epost": "adam.bertilsson@mail.com",
    }
    body = _report(w, Kontakt=contact, Användningstyp="felanmalan", ÄrendeKällaSystemnamn="externt")
    del body["Ärendetyp"]
    body["Rader"][0]["Media"] = {"MediaByte": _b64(JPEG), "Notering": None}
    response = portal.post("/session/arende", body)
    assert response.status_code == 200, response.text
    case_id = response.json()["ÄrendeId"]
    shown = portal.get(f"/session/arende/{case_id}").json()
    assert shown["Kontakter"] == [
        {
            "Visningsnamn": "Adam Bertilsson",
            "Telefon": "012 – 34 56 78",
            "Mobil": "0701 – 23 45 67",
            "Epost": "adam.bertilsson@mail.com",
        }
    ]
    with portal.database.transaction() as session:
        case = session.get_one(Case, case_id)
        assert case.kalla_systemnamn == "Externt"
        actor = session.get_one(Actor, case.contact_actor_id)
        assert (actor.fornamn, actor.efternamn) == ("Adam", "Bertilsson")
        assert session.scalars(select(StoredFile.mime_type).order_by(StoredFile.id.desc())).first() == "image/jpeg"


def test_a_fault_report_on_the_object_itself_and_on_the_laundry_room(portal: Portal) -> None:
    """A full path as the top-level Avser counts by its first step (A-9)."""
    w = portal.world
    own = portal.post(
        "/session/arende",
        {"Avser": f"n{w.flat1}-n{w.kitchen1}", "Rader": [{"Avser": f"n{w.flat1}", "Beskrivning": "Dörren kärvar"}]},
    )
    laundry = portal.post(
        "/session/arende",
        {"Avser": f"n{w.laundry}", "Rader": [{"Avser": f"n{w.laundry}", "FelbeskrivningstypId": w.leaks}]},
    )
    assert own.status_code == laundry.status_code == 200, laundry.text
    numbers = [portal.get(f"/session/arende/{r.json()['ÄrendeId']}").json()["Nummer"] for r in (own, laundry)]
    assert numbers == ["R-2611-1002", "R-2611-1003"]


def _row(**fields: Any) -> Callable[[World], dict[str, Any]]:
    return lambda w: _report(w, row={key: value(w) if callable(value) else value for key, value in fields.items()})


def _top(**fields: Any) -> Callable[[World], dict[str, Any]]:
    return lambda w: _report(w, **{key: value(w) if callable(value) else value for key, value in fields.items()})


BAD_REPORTS: dict[str, Callable[[World], dict[str, Any]]] = {
    "another customer's object": _top(Avser=lambda w: f"n{w.flat2}"),
    "an unknown object": _top(Avser="n999999"),
    "a malformed top-level path": _top(Avser="lägenhet"),
    "a row outside the reported object": _row(Avser=lambda w: f"n{w.flat2}-n{w.kitchen2}"),
    "a row through a node not under the object": _row(Avser=lambda w: f"n{w.flat1}-n{w.kitchen2}"),
    "a row skipping a step": _row(Avser=lambda w: f"n{w.flat1}-n{w.fridge1}"),
    "a row path with an empty step": _row(Avser=lambda w: f"n{w.flat1}--n{w.kitchen1}"),
    "a row path with a node-class step": _row(Avser=lambda w: f"n{w.flat1}-nk1234"),
    "a row without a path": _row(Avser=None),
    "an unknown key handling": _row(NyckelhanteringId=999),
    "a key handling that is not an integer": _row(NyckelhanteringId="2"),
    "an unknown fault description": _row(FelbeskrivningstypId=999),
    "a fault description of another class": _row(
        Avser=lambda w: f"n{w.flat1}-n{w.kitchen1}", FelbeskrivningstypId=lambda w: w.freezer_fault
    ),
    "an invalid contact e-mail": _top(Kontakt={"Visningsnamn": "Adam", "Epost": "adam@"}),
    "an invalid contact phone": _top(Kontakt={"Visningsnamn": "Adam", "Telefon": "ring mig"}),
    "a contact phone with too few digits": _top(Kontakt={"Visningsnamn": "Adam", "Mobil": "070"}),
    "a contact without a name": _top(Kontakt={"Epost": "adam@example.se"}),
    "a contact without a way to reach them": _top(Kontakt={"Visningsnamn": "Adam"}),
    "a contact that is not an object": _top(Kontakt="Adam"),
    "invalid base64": _row(Media=[{"MediaByte": "inte base64!"}]),
    "a PDF labelled as an image": _row(Media=[{"MediaByte": _b64(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")}]),
    "random bytes": _row(Media=[{"MediaByte": _b64(bytes(range(256)) * 4)}]),
    "a JPEG header on garbage": _row(Media=[{"MediaByte": _b64(b"\xff\xd8\xff\xe0" + b"\x00garbage" * 40)}]),
    "a truncated PNG": _row(Media=[{"MediaByte": _b64(PNG[:40])}]),
    "media without bytes": _row(Media=[{"Notering": "Bild"}]),
    "eleven images": _row(Media=[{"MediaByte": _b64(PNG)}] * 11),
    "no rows": _top(Rader=[]),
    "rows that are not a list": _top(Rader={"Avser": "n1"}),
    "an unknown case type": _top(Ärendetyp="Underhåll"),
    "an unknown source": _top(ÄrendeKällaSystemnamn="Fax"),
    "a usage the object does not have": _top(Användningstyp="Bokning"),
    "pets as a number": _top(Husdjur=2),
    "a description too long": _row(Beskrivning="x" * 4001),
    "a note too long": _row(Nyckelhanteringsnotering="x" * 501),
}


@pytest.mark.parametrize("name", BAD_REPORTS)
def test_bad_fault_reports_are_400_and_save_nothing(portal: Portal, name: str) -> None:
    before = _counts(portal)
    response = portal.post("/session/arende", BAD_REPORTS[name](portal.world))
    assert response.status_code == 400, response.text
    assert response.json()["Felkod"] == "OgiltigBegaran"
    assert response.json()["Detaljer"], "every problem is listed"
    assert _counts(portal) == before


def test_every_problem_is_listed_at_once(portal: Portal) -> None:
    w = portal.world
    body = _report(
        w, Kontakt={"Visningsnamn": "Adam", "Epost": "x"}, row={"NyckelhanteringId": 999, "FelbeskrivningstypId": 998}
    )
    details = portal.post("/session/arende", body).json()["Detaljer"]
    assert len(details) == 3
    assert any("Kontakt.Epost" in detail for detail in details)
    assert any("NyckelhanteringId" in detail for detail in details)
    assert any("FelbeskrivningstypId" in detail for detail in details)


def test_a_report_that_is_not_json_is_400(portal: Portal) -> None:
    response = portal.client.post(
        "/portal/session/arende",
        content=b"{inte json",
        headers={"content-type": "application/json"},
        params={"Sessionsnyckel": portal.keys["anna"], "ApiNyckel": API_KEY},
    )
    assert response.status_code == 400


def test_an_image_over_the_limit_is_413_and_saves_nothing(portal: Portal) -> None:
    client = client_with(portal, portal_media_max_bytes=len(PNG) - 1)
    before = _counts(portal)
    response = client.post(
        "/portal/session/arende",
        json=_report(portal.world),
        params={"Sessionsnyckel": portal.keys["anna"], "ApiNyckel": API_KEY},
    )
    assert response.status_code == 413
    assert _counts(portal) == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PNG, ("image/png", ".png")),
        (JPEG, ("image/jpeg", ".jpg")),
        (_image("GIF"), ("image/gif", ".gif")),
        (_image("WEBP"), ("image/webp", ".webp")),
        (_image("BMP"), ("image/bmp", ".bmp")),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", ("image/heic", ".heic")),
        (b"\x00\x00\x00\x18ftypavif", ("image/avif", ".avif")),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", None),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00", None),
        (b"GIF89a-not-really", None),
        (b"", None),
    ],
)
def test_image_types_by_magic_bytes(data: bytes, expected: tuple[str, str] | None) -> None:
    assert image_type(data) == expected


# --- Case-row files (E16) -------------------------------------------------------------------------


def test_case_row_files_belong_to_that_row_of_that_case_of_this_customer(portal: Portal) -> None:
    w = portal.world
    case_id = portal.post("/session/arende", _report(w)).json()["ÄrendeId"]
    row = portal.get(f"/session/arende/{case_id}").json()["Rader"][0]
    media_id = row["Media"][0]["Id"]
    assert portal.get(f"/session/arenderadfil/{case_id}/{row['Id']}/{media_id}").status_code == 200
    other_row = portal.get(f"/session/arende/{w.anna_case}").json()["Rader"][0]["Id"]
    for path, tenant in [
        (f"{case_id}/{row['Id']}/{media_id}", "bertil"),
        (f"{w.anna_case}/{row['Id']}/{media_id}", "anna"),
        (f"{case_id}/{other_row}/{media_id}", "anna"),
        (f"{case_id}/{row['Id']}/999999", "anna"),
    ]:
        response = portal.get(f"/session/arenderadfil/{path}", tenant=tenant)
        assert response.status_code == 404, path
        assert response.json()["Felkod"] == "HittadesInte"
    assert portal.get(f"/session/arenderadfil/{case_id}/{row['Id']}/bild").status_code == 400


# --- Inspection protocols (E7) --------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    ("tenant", "incoming"), [("anna", "true"), ("anna", "True"), ("anna", "1"), ("bertil", "false"), ("bertil", "0")]
)
def test_each_tenant_gets_the_protocol_for_their_role(
    portal: Portal, more: MoreCases, tenant: str, incoming: str
) -> None:
    response = portal.get(f"/session/arende/protokoll/{more.inspection}/{incoming}", tenant=tenant)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Besiktningsprotokoll" in text
    assert "R-2611-1101" in text
    assert "Repa i bänkskivan" in text
    assert "Ingrid Besiktare" in text
    if tenant == "anna":
        assert "Protokoll för inflyttande hyresgäst" in text
        assert "1 200,00" not in text
    else:
        assert "Protokoll för avflyttande hyresgäst" in text
        assert "1 200,00" in text


@pytest.mark.parametrize(
    ("tenant", "case", "incoming", "status"),
    [
        ("anna", "inspection", "false", 404),
        ("bertil", "inspection", "true", 404),
        ("anna", "offer", "false", 404),
        ("anna", "unknown", "true", 404),
        ("anna", "inspection", "ja", 400),
        ("anna", "text", "true", 400),
    ],
)
def test_protocols_of_other_roles_or_cases_are_404(
    portal: Portal, more: MoreCases, tenant: str, case: str, incoming: str, status: int
) -> None:
    case_id = {"inspection": more.inspection, "offer": more.offer, "unknown": 999999, "text": "abc"}[case]
    response = portal.get(f"/session/arende/protokoll/{case_id}/{incoming}", tenant=tenant)
    assert response.status_code == status


# --- Offer answers (E14) --------------------------------------------------------------------------


def _accepted(portal: Portal, row_id: int) -> date | None:
    with portal.database.transaction() as session:
        return session.get_one(CaseRow, row_id).atgard_accepterad


def test_accepting_an_offer_sets_the_accepted_date(portal: Portal, more: MoreCases) -> None:
    body = {
        "Rader": [
            {"ÄrendeRadId": more.offer_row, "Accepterad": "2026-11-25"},
            {"ÄrendeRadId": more.offer_row2, "Accepterad": "2026-11-24T10:00:00"},
        ]
    }
    response = portal.post("/session/arende/sparaerbjudanden", body)
    assert response.status_code == 200
    assert response.content == b"null"
    assert _accepted(portal, more.offer_row) == date(2026, 11, 25)
    assert _accepted(portal, more.offer_row2) == date(2026, 11, 24)
    shown = portal.get(f"/session/arende/{more.offer}").json()
    assert shown["Rader"][0]["Åtgärd"]["ÅtgärdNod"]["Accepterad"] == "2026-11-25"


def test_the_deadline_day_is_still_in_time_and_the_day_after_is_not(portal: Portal, more: MoreCases) -> None:
    body = {"Rader": [{"ÄrendeRadId": more.offer_row, "Accepterad": "2026-11-23"}]}
    with portal.database.transaction() as session:
        session.get_one(Case, more.offer).erbjudande_svar_senast = date(2026, 11, 23)
    assert portal.post("/session/arende/sparaerbjudanden", body).content == b"null"
    with portal.database.transaction() as session:
        session.get_one(Case, more.offer).erbjudande_svar_senast = date(2026, 11, 22)
        session.get_one(CaseRow, more.offer_row).atgard_accepterad = None
    response = portal.post("/session/arende/sparaerbjudanden", body)
    assert response.status_code == 200
    assert response.json()["Felkod"] == "SvarstidenHarGattUt"
    assert "2026-11-22" in response.json()["Meddelande"]
    assert _accepted(portal, more.offer_row) is None


@pytest.mark.parametrize("value", [None, "2026-02-30", "snart", 20261125])
def test_a_missing_or_invalid_date_is_rejected_and_nothing_is_saved(
    portal: Portal, more: MoreCases, value: object
) -> None:
    body = {
        "Rader": [
            {"ÄrendeRadId": more.offer_row, "Accepterad": "2026-11-25"},
            {"ÄrendeRadId": more.offer_row2, "Accepterad": value},
        ]
    }
    response = portal.post("/session/arende/sparaerbjudanden", body)
    assert response.status_code == 200
    assert response.json()["Felkod"] == "OgiltigtDatum"
    assert _accepted(portal, more.offer_row) is None


@pytest.mark.parametrize(("tenant", "row"), [("bertil", None), ("anna", "inspection_row"), ("anna", "unknown")])
def test_rows_not_on_the_customers_offers_are_404(
    portal: Portal, more: MoreCases, tenant: str, row: str | None
) -> None:
    rows = [{"ÄrendeRadId": more.offer_row, "Accepterad": "2026-11-25"}]
    if row is not None:
        rows.append({"ÄrendeRadId": 999999 if row == "unknown" else getattr(more, row), "Accepterad": "2026-11-25"})
    response = portal.post("/session/arende/sparaerbjudanden", {"Rader": rows}, tenant=tenant)
    assert response.status_code == 404
    assert response.json()["Felkod"] == "HittadesInte"
    assert _accepted(portal, more.offer_row) is None


def test_the_anna_fault_case_row_is_no_offer(portal: Portal) -> None:
    row_id = portal.get(f"/session/arende/{portal.world.anna_case}").json()["Rader"][0]["Id"]
    response = portal.post(
        "/session/arende/sparaerbjudanden", {"Rader": [{"ÄrendeRadId": row_id, "Accepterad": "2026-11-25"}]}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"Rader": []},
        {"Rader": [{"Accepterad": "2026-11-25"}]},
        {"Rader": [{"ÄrendeRadId": "1", "Accepterad": "2026-11-25"}]},
        {"Rader": ["x"]},
    ],
)
def test_malformed_offer_answers_are_400(portal: Portal, more: MoreCases, body: dict[str, Any]) -> None:
    assert portal.post("/session/arende/sparaerbjudanden", body).status_code == 400


def test_the_same_row_twice_is_400(portal: Portal, more: MoreCases) -> None:
    row = {"ÄrendeRadId": more.offer_row, "Accepterad": "2026-11-25"}
    assert portal.post("/session/arende/sparaerbjudanden", {"Rader": [row, row]}).status_code == 400


# --- Node classes (E17) ---------------------------------------------------------------------------


def test_node_classes_of_a_group(portal: Portal, more: MoreCases) -> None:
    with portal.database.transaction() as session:
        session.add(
            NodeClass(group_system_name="AllmantArende", system_name="Gammal", beteckning="Gammal", deleted=True)
        )
        session.add(
            NodeClass(
                group_system_name="AllmantArende",
                system_name="Intern",
                beteckning="Intern",
                usage_system_name="Internt",
            )
        )
        session.get_one(TimePointType, more.time_point_type).deleted_at = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    storning = {
        "NodKlassId": more.storning,
        "Beteckning": "Störning",
        "Kod": "S",
        "Borttagen": False,
        "Kortbeteckning": "Stör",
        "SystemName": "Storning",
        "ÄrendeKlassTidpunktLista": [
            {
                "ÄrendeTidpunktTypId": more.time_point_type,
                "ÄrendeTidpunktTypBorttagen": "2026-07-01T14:00:00",
                "ÄrendeTidpunktTypBeteckning": "Inträffat",
                "ÄrendeTidpunktTypSystemName": "Intraffat",
            }
        ],
    }
    all_classes = portal.get("/session/AllmantArende").json()
    assert [item["SystemName"] for item in all_classes] == ["Storning", "Onskemal", "Intern"]
    assert all_classes[0] == storning
    assert all_classes[1]["ÄrendeKlassTidpunktLista"] == []
    for name in ("NodKlassAnvändningTypSystemName", "nodklassanvandningtypsystemname"):
        filtered = portal.get("/session/allmantarende", **{name: "externwebbarende"}).json()
        assert [item["SystemName"] for item in filtered] == ["Storning", "Onskemal"]
    assert portal.get("/session/Okand").json() == []
    in_path = portal.client.get(f"/portal/session/{portal.keys['anna']}/AllmantArende", params={"ApiNyckel": API_KEY})
    assert in_path.json() == all_classes
    assert (
        portal.client.get(
            "/portal/session/AllmantArende", params={"ApiNyckel": API_KEY, "Sessionsnyckel": "fel"}
        ).status_code
        == 401
    )


def test_fault_reports_made_at_the_same_moment_get_different_numbers(portal: Portal) -> None:
    """The second report reads its number while the first is still uncommitted: it waits its turn and counts on."""
    w = portal.world
    numbers: dict[str, str] = {}
    failures: list[BaseException] = []

    def report(name: str) -> None:
        try:
            with portal.database.transaction() as session:
                case_id = create_fault_report(
                    session, customer_id=w.anna, body=_report(w), now=portal.clock.now(), media_max_bytes=10**6
                )
                numbers[name] = session.get_one(Case, case_id).nummer
        except BaseException as error:  # handed to the main thread
            failures.append(error)

    with portal.database.transaction() as first:
        first_id = create_fault_report(
            first, customer_id=w.anna, body=_report(w), now=portal.clock.now(), media_max_bytes=10**6
        )
        second = threading.Thread(target=report, args=("second",))
        second.start()
        time.sleep(0.3)  # lets the second transaction reach the numbering while the first is open
        numbers["first"] = first.get_one(Case, first_id).nummer
    second.join(timeout=30)
    assert not failures
    assert (numbers["first"], numbers["second"]) == ("R-2611-1002", "R-2611-1003")
