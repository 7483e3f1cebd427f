"""The demo's cases: fault reports at every stage, a maintenance offer, a move-in inspection and general cases."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from bodata.core.security import token_digest
from bodata.portal.demo.base import (
    DEMO_SHARE_KEY,
    INSPECTION_DAYS_BEFORE,
    INSPECTION_REMARKS,
    Catalogue,
    Context,
    Flat,
    People,
    Tenancy,
    utc,
)
from bodata.portal.demo.documents import Files
from bodata.portal.demo.estate import KEY_HANDLING, PROPERTIES
from bodata.portal.models import (
    Actor,
    Case,
    CaseParticipant,
    CaseRow,
    CaseRowHistory,
    CaseRowMedia,
    CaseRowTimePoint,
    StoredFile,
)

OFFICERS = (
    ("Karin Lindqvist", "021-39 40 11", "070-311 22 33", "karin.lindqvist@malarporten.se"),
    ("Mikael Berg", "021-39 40 12", "070-311 22 44", "mikael.berg@malarporten.se"),
    ("Sara Holm", "021-39 40 13", "070-311 22 55", "sara.holm@malarporten.se"),
)
"""The case officer of each property (in the order of PROPERTIES)."""


INSPECTOR = ("Lars Öberg", "021-39 40 20", "070-311 22 66", "lars.oberg@malarporten.se")


SUPPLIERS = {
    "rör": ("Mälardalens Rör AB, Ahmed Hassan", "021-13 50 00", "073-512 33 10", "service@malardalensror.se"),
    "vitvaror": ("Vitvaruservice i Västerås, Lena Ström", "021-18 20 30", "070-218 20 31", "order@vitvaruservice.se"),
    "bygg": ("Fastighetsservice Mälardalen, Johan Ek", "021-44 10 00", "076-441 00 12", "johan.ek@fsmalardalen.se"),
}


TRADES = dict.fromkeys(("Blandare", "Golvbrunn", "Toalett", "Handdukstork", "Element"), "rör")


TRADES |= dict.fromkeys(
    ("KylFrys", "FrysStandard", "Spis", "Diskmaskin", "Tvattmaskin", "Torktumlare", "Torkskap"), "vitvaror"
)


CLASSIFICATIONS = {"Akut": 1, "Allvarligt": 2, "Normal": 3}


SERIOUS_FAULTS = ("Läcker", "Rinner", "Stopp i avloppet")


FAULTS = (
    ("Kök / Blandare", "Droppar", "Kranen i köket droppar hela tiden."),
    ("Kök / Kyl/Frys", "Kyler inte", "Kylskåpet håller bara 12 grader."),
    ("Kök / Kyl/Frys / Frys - Standard", "Is i frysfacket", "Det bildas tjock is i frysen."),
    ("Kök / Spis", "Plattan blir inte varm", "Den bakre vänstra plattan blir inte varm."),
    ("Kök / Diskmaskin", "Läcker", "Diskmaskinen läcker vatten på golvet."),
    ("Kök / Ventilation", "Drar dåligt", "Köksfläkten drar dåligt, det luktar mat i hela lägenheten."),
    ("Badrum / Golvbrunn", "Luktar", "Det luktar avlopp från golvbrunnen."),
    ("Badrum / Handdukstork", "Fungerar inte", "Handdukstorken blir inte varm."),
    ("Badrum / Toalett", "Rinner", "Toaletten står och rinner hela tiden."),
    ("Vardagsrum / Element", "Blir inte varmt", "Elementet är kallt fast termostaten står på max."),
    ("Sovrum 1 / Fönster", "Drar kallt", "Det drar kallt från fönstret i sovrummet."),
    ("Hall / Dörr", "Låset kärvar", "Låset i ytterdörren kärvar."),
)
"""Fault reports of the other tenants: place, fault description, what the tenant wrote."""


DEMO_OFFERS = (
    ("Vardagsrum", "Målas", "Malas", 10, "1840.00", "0.00", "Målning av väggar och tak, kulör enligt kulörkarta."),
    ("Sovrum 1", "Tapetseras", "Tapetseras", 12, "-350.00", "500.00", "Tapetsering, tapet ur standardsortimentet."),
    ("Kök", "Bytes", "Bytes", 20, "4200.00", "1000.00", "Byte av köksluckor och bänkskiva."),
)
"""The demo tenant's maintenance offer: place, measure, short name, interval (years), residual value, discount."""


@dataclass(frozen=True)
class _Stage:
    """How far a case row has come: its status, process step and the history steps after it was registered."""

    status: tuple[str, str]
    step: tuple[str, str]
    history: tuple[str, ...]

    @property
    def closed(self) -> bool:
        return self.status[0] == "Avslutad"

    @property
    def with_supplier(self) -> bool:
        return "Hos leverantör" in self.history


NEW = _Stage(("Pagaende", "Pågående"), ("Handlaggare", "Hos handläggare"), ("Hos handläggare",))


AT_SUPPLIER = _Stage(("Pagaende", "Pågående"), ("Leverantor", "Hos leverantör"), ("Hos handläggare", "Hos leverantör"))


WAITING = _Stage(
    ("Vantar", "Väntar på användaren"), ("Handlaggare", "Hos handläggare"), ("Hos handläggare", "Väntar på hyresgästen")
)


DORMANT = _Stage(("Vilande", "Vilande"), ("Handlaggare", "Hos handläggare"), ("Hos handläggare", "Vilande"))


DONE = _Stage(("Avslutad", "Avslutad"), ("Avslutad", "Avslutad"), ("Hos handläggare", "Hos leverantör", "Avslutad"))


CANCELLED = _Stage(("Avslutad", "Avslutad"), ("Annullerad", "Annullerad"), ("Hos handläggare", "Annullerad"))


INSPECTED = _Stage(("Avslutad", "Avslutad"), ("Avslutad", "Avslutad"), ("Hos besiktningsman", "Besiktad"))


@dataclass(frozen=True)
class _Fault:
    place: str
    fault: str
    text: str
    stage: _Stage
    image: tuple[StoredFile, str] | None = None


def _participant(person: tuple[str, str, str, str], **fields: Any) -> CaseParticipant:
    name, phone, mobile, email = person
    return CaseParticipant(role="handlaggare", visningsnamn=name, telefon=phone, mobil=mobile, epost=email, **fields)


class _CaseBook:
    """Builds the cases: numbers ``R-{YYMM}-{n from 1000}`` per month (A-30), rows with history, officers."""

    def __init__(self, context: Context, catalogue: Catalogue) -> None:
        self.context, self.catalogue = context, catalogue
        self.cases: list[Case] = []
        self.suppliers: list[tuple[Case, CaseRow, tuple[str, str, str, str]]] = []
        self._numbers: Counter[str] = Counter()

    def case(
        self,
        tenancy: Tenancy,
        *,
        typ: str,
        ref: str,
        received: datetime,
        officer: tuple[str, str, str, str],
        **fields: Any,
    ) -> Case:
        month = f"{received:%y%m}"
        number = f"R-{month}-{1000 + self._numbers[month]}"
        self._numbers[month] += 1
        case = Case(
            nummer=number,
            typ=typ,
            typ_referensnamn=ref,
            customer_id=tenancy.customer.id,
            node_id=tenancy.flat.node.id,
            inkommen=received,
            participants=[_participant(officer)],
            rows=[],
            **fields,
        )
        self.cases.append(case)
        return case

    def row(
        self,
        case: Case,
        flat: Flat,
        place: str | None,
        *,
        stage: _Stage,
        received: datetime,
        closed: datetime | None,
        reporter: str,
        officer: str,
        **fields: Any,
    ) -> CaseRow:
        """A row on ``place`` (the flat itself when None) with its history up to ``stage``."""
        steps = [("Registrerad", received, reporter)]
        for number, label in enumerate(stage.history, start=1):
            last = number == len(stage.history)
            moment = closed if last and closed is not None else received + timedelta(hours=2 + 22 * (number - 1))
            steps.append((label, moment, officer))
        row = CaseRow(
            node_path=flat.path(place),
            status_referensnamn=stage.status[0],
            status_beteckning=stage.status[1],
            processteg_referensnamn=stage.step[0],
            processteg_beteckning=stage.step[1],
            history=[
                CaseRowHistory(beteckning=label, tidpunkt=moment, anvandare=user) for label, moment, user in steps
            ],
            **fields,
        )
        case.rows.append(row)
        return row

    def time_point(self, kind: str, moment: datetime) -> CaseRowTimePoint:
        return CaseRowTimePoint(time_point_type_id=self.catalogue.time_points[kind].id, varde=moment)

    def save(self) -> None:
        """Insert the cases, then the suppliers handling single rows (they need the rows' ids)."""
        session = self.context.session
        session.add_all(self.cases)
        session.flush()
        session.add_all(
            _participant(person, case_id=case.id, case_row_id=row.id) for case, row, person in self.suppliers
        )


def _officer(flat: Flat) -> tuple[str, str, str, str]:
    return OFFICERS[next(index for index, plan in enumerate(PROPERTIES) if flat.node.nummer.startswith(plan.number))]


def _fault_report(
    book: _CaseBook,
    tenancy: Tenancy,
    *,
    received: datetime,
    faults: Sequence[_Fault],
    key: str = "Är hemma",
    key_note: str | None = None,
    **fields: Any,
) -> Case:
    """A fault report (``Order``) with a row per fault, each with its history, occurrence time point and image."""
    rng, catalogue = book.context.rng, book.catalogue
    latest = book.context.local(book.context.now) - timedelta(hours=1)
    officer = _officer(tenancy.flat)
    closing = [min(received + timedelta(days=rng.randint(2, 12), hours=rng.randint(1, 6)), latest) for _ in faults]
    case = book.case(
        tenancy,
        typ="Order",
        ref="Order",
        received=received,
        officer=officer,
        klar_senast=received + timedelta(days=14),
        avslutat=max(closing) if all(fault.stage.closed for fault in faults) else None,
        planerad_start=received + timedelta(days=3, hours=2) if any(f.stage.with_supplier for f in faults) else None,
        planerad_klar=received + timedelta(days=4, hours=8) if any(f.stage.with_supplier for f in faults) else None,
        **fields,
    )
    reporter = f"{tenancy.customer.fornamn} {tenancy.customer.efternamn}"
    for fault, closed in zip(faults, closing, strict=True):
        place = tenancy.flat.places[fault.place]
        kind = place.kind if (place.kind, fault.fault) in catalogue.faults else None
        severity = "Allvarligt" if fault.fault in SERIOUS_FAULTS else "Normal"
        row = book.row(
            case,
            tenancy.flat,
            fault.place,
            stage=fault.stage,
            received=received,
            closed=closed if fault.stage.closed else None,
            reporter=reporter,
            officer=officer[0],
            beskrivning=fault.text,
            key_handling_type_id=catalogue.key_handling[key].id,
            key_handling_note=key_note,
            fault_description_type_id=catalogue.faults[(kind, fault.fault)].id,
            klassificering_id=CLASSIFICATIONS[severity],
            klassificering_system_name=severity,
            klassificering_beteckning=severity,
            atgard_skapad=received.date(),
            atgard_bestalld=(received + timedelta(days=1)).date() if fault.stage.with_supplier else None,
            atgard_planerad=received + timedelta(days=3, hours=2) if fault.stage.with_supplier else None,
            atgard_utford=closed.date() if fault.stage is DONE else None,
            time_points=[book.time_point("Intraffat", received - timedelta(hours=rng.randint(2, 48)))],
            media=[] if fault.image is None else [CaseRowMedia(file_id=fault.image[0].id, notering=fault.image[1])],
        )
        if fault.stage.with_supplier:
            book.suppliers.append((case, row, SUPPLIERS[TRADES.get(place.kind, "bygg")]))
    return case


def add_cases(context: Context, catalogue: Catalogue, people: People, files: Files) -> None:
    """The demo tenant's cases, the neighbour's, and fault reports of other tenants over the last year."""
    book = _CaseBook(context, catalogue)
    _demo_cases(book, people, files)
    neighbour = people.neighbour
    now, rng = context.local(context.now), context.rng
    _fault_report(
        book,
        neighbour,
        received=now - timedelta(days=1, hours=3),
        faults=[
            _Fault(
                "Badrum / Golvbrunn",
                "Stopp i avloppet",
                "Vattnet rinner inte undan i duschen.",
                NEW,
                (files.drain, "Vattnet står kvar."),
            )
        ],
    )
    _maintenance_offer(
        book,
        neighbour,
        received=now - timedelta(days=40),
        answer_by=context.today - timedelta(days=5),
        offers=DEMO_OFFERS[:1],
    )
    others = [t for t in people.current(context.today) if t is not people.demo and t is not neighbour]
    for tenancy in rng.sample(others, 22):
        age = rng.randint(3, 400)
        stages = (DONE, DONE, DONE, CANCELLED) if age > 45 else (NEW, AT_SUPPLIER, WAITING, DORMANT, DONE)
        choices = [item for item in FAULTS if item[0] in tenancy.flat.places]
        faults = [
            _Fault(place, fault, text, rng.choice(stages))
            for place, fault, text in rng.sample(choices, rng.choice((1, 1, 2)))
        ]
        received = now.replace(hour=rng.randint(7, 21), minute=rng.randint(0, 59), second=0, microsecond=0) - timedelta(
            days=age
        )
        _fault_report(book, tenancy, received=received, faults=faults, key=rng.choice(KEY_HANDLING))
    book.save()


def _demo_cases(book: _CaseBook, people: People, files: Files) -> None:
    """Open and closed fault reports (one shared, one deleted), a maintenance offer to answer, the move-in inspection,
    a disturbance report and a closed request."""
    context, demo = book.context, people.demo
    now = context.local(context.now).replace(second=0, microsecond=0)
    _fault_report(
        book,
        demo,
        received=now - timedelta(days=1, hours=20),
        faults=[
            _Fault(
                "Kök / Blandare",
                "Droppar",
                "Blandaren i köket droppar, även när den är helt avstängd.",
                AT_SUPPLIER,
                (files.tap, "Det droppar hela tiden."),
            ),
            _Fault("Kök / Kyl/Frys / Frys - Standard", "Fryser inte", "Frysen håller bara minus fem grader.", NEW),
        ],
        key="Huvudnyckel får användas",
        key_note="Katten är inne, stäng dörren efter er.",
        husdjur="Katt",
        share_key_digest=token_digest(DEMO_SHARE_KEY),
    )
    partner = Actor(
        visningsnamn="Jonas Andersson",
        fornamn="Jonas",
        efternamn="Andersson",
        mobil="070-987 65 43",
        epost="jonas.andersson@exempel.se",
        created_at=utc(now - timedelta(days=2)),
    )
    _fault_report(
        book,
        demo,
        received=now - timedelta(days=2),
        faults=[_Fault("Sovrum 2 / Element", "Blir inte varmt", "Elementet i det lilla sovrummet är kallt.", WAITING)],
        key="Är hemma",
        contact_actor=partner,
    )
    _fault_report(
        book,
        demo,
        received=now - timedelta(days=150),
        faults=[_Fault("Badrum / Handdukstork", "Fungerar inte", "Handdukstorken är kall.", DONE)],
    )
    _fault_report(
        book,
        demo,
        received=now - timedelta(days=420),
        faults=[_Fault("Hall / Dörr", "Låset kärvar", "Låset kärvar, men det löste sig med låsspray.", CANCELLED)],
    )
    _fault_report(
        book,
        demo,
        received=now - timedelta(days=700),
        faults=[_Fault("Vardagsrum / Fönster", "Drar kallt", "Det drar från fönstret.", DONE)],
        borttagen=True,
    )
    _maintenance_offer(
        book, demo, received=now - timedelta(days=10), answer_by=context.today + timedelta(days=30), offers=DEMO_OFFERS
    )
    _inspection(book, people)
    disturbance = now - timedelta(days=3)
    disturbed = disturbance.replace(hour=23, minute=40) - timedelta(days=2)
    _general_case(
        book,
        demo,
        "Storning",
        received=disturbance,
        text="Hög musik och fest i lägenheten ovanför efter midnatt flera helger i rad.",
        stage=NEW,
        time_points={"Intraffat": disturbed},
    )
    wish = now - timedelta(days=90)
    _general_case(
        book,
        demo,
        "Onskemal",
        received=wish,
        text="Vi önskar fler cykelställ vid entrén till Skärgatan 12.",
        stage=CANCELLED,
        time_points={"OnskatDatum": (wish + timedelta(days=60)).replace(hour=12, minute=0)},
        closed=wish + timedelta(days=14),
    )


def _maintenance_offer(
    book: _CaseBook, tenancy: Tenancy, *, received: datetime, answer_by: date, offers: Sequence[tuple[Any, ...]]
) -> Case:
    """A maintenance offer (``Underhåll``): optional work the tenant can accept until ``answer_by``."""
    officer = _officer(tenancy.flat)
    case = book.case(
        tenancy, typ="Underhåll", ref="Underhall", received=received, officer=officer, erbjudande_svar_senast=answer_by
    )
    for place, action, short, years, residual, discount, text in offers:
        book.row(
            case,
            tenancy.flat,
            place,
            stage=NEW,
            received=received,
            closed=None,
            reporter=officer[0],
            officer=officer[0],
            beskrivning=text,
            atgard_typ_beteckning=action,
            atgard_typ_kortbeteckning=short,
            atgard_intervall=years,
            atgard_intervall_enhet="ar",
            atgard_skapad=received.date(),
            atgard_planerad=datetime.combine(answer_by + timedelta(days=45), time(8, 0)),
            pris_restvarde=Decimal(residual),
            pris_rabatt=Decimal(discount),
        )
    return case


def _inspection(book: _CaseBook, people: People) -> Case:
    """The inspection of the demo flat when the earlier tenant moved out and the demo tenant moved in."""
    outgoing, incoming = people.outgoing, people.demo
    inspected = datetime.combine(incoming.contract.fom - timedelta(days=INSPECTION_DAYS_BEFORE), time(10, 0))
    finished = inspected + timedelta(minutes=90)
    case = book.case(
        outgoing,
        typ="Besiktning",
        ref="Besiktning",
        received=inspected - timedelta(days=30),
        officer=INSPECTOR,
        incoming_customer_id=incoming.customer.id,
        processteg_referensnamn="Avslutad",
        processteg_beteckning="Avslutad",
        planerad_start=inspected,
        planerad_klar=finished,
        avslutat=finished,
    )
    for place, remark, action, short, charged in INSPECTION_REMARKS:
        book.row(
            case,
            incoming.flat,
            place,
            stage=INSPECTED,
            received=inspected - timedelta(days=30),
            closed=finished,
            reporter=INSPECTOR[0],
            officer=INSPECTOR[0],
            inspection_remark=remark,
            atgard_typ_beteckning=action,
            atgard_typ_kortbeteckning=short,
            atgard_skapad=inspected.date(),
            charged_outgoing=Decimal(charged),
        )
    return case


def _general_case(
    book: _CaseBook,
    tenancy: Tenancy,
    kind: str,
    *,
    received: datetime,
    text: str,
    stage: _Stage,
    time_points: dict[str, datetime],
    closed: datetime | None = None,
) -> Case:
    """A general case (AllmantArende: disturbance, request) on the tenant's flat, with one row."""
    case_class = book.catalogue.classes[kind]
    officer = _officer(tenancy.flat)
    case = book.case(
        tenancy,
        typ=case_class.beteckning,
        ref=case_class.system_name,
        received=received,
        officer=officer,
        general=True,
        node_class_id=case_class.id,
        avslutat=closed,
    )
    book.row(
        case,
        tenancy.flat,
        None,
        stage=stage,
        received=received,
        closed=closed,
        reporter=f"{tenancy.customer.fornamn} {tenancy.customer.efternamn}",
        officer=officer[0],
        beskrivning=text,
        klassificering_id=CLASSIFICATIONS["Normal"],
        klassificering_system_name="Normal",
        klassificering_beteckning="Normal",
        time_points=[book.time_point(point, moment) for point, moment in time_points.items()],
    )
    return case
