"""Shared fixtures and helpers for the HuslejeregisterV3 tests.

The register (:func:`build_register`)
    Three organisations, five departments, six building sections and thirteen dwellings, two web-service users
    and two letting cooperations, written straight into a migrated database (no web service involved):

    ============  ===============================  =====================================================
    organisation  departments / sections / units   notes
    ============  ===============================  =====================================================
    501           1: sections 1 (4 units), 2 (3)    user ``alice``; unit 501-1-1 #4 is the *bare* unit
                  2: section 1 (1 unit)             (no expenses, no lease: submitting it gives 2014, 2015)
                  3: section 1 (1 unit)
    502           1: section 1 (2 units)            user ``alice``
    503           1: section 1 (2 units)            user ``bob``
    ============  ===============================  =====================================================

    Every other unit has non-draft expenses of the fixed types 1-7 from 2019-01-01 and a non-draft lease from
    2022-03-01, so a complete Bolig version can be submitted (KladdeIndikator false). Unit ids are fixed
    (:func:`unit_id`); floors and doors vary, unit #2 of every section has neither. No extra data (versions,
    settings, accessibility types) exists: tests report what they need.

Fixtures
    ``hr_register`` (function scope)
        :class:`Register` built in the test's ``database`` (SQLite, and PostgreSQL when configured).
    ``hr_soap`` (function scope)
        :class:`HrService`: ``live_server`` on that database; ``hr_soap.client("alice")`` is a zeep client.
    ``hr_module_service`` (module scope, parametrised sqlite/postgresql)
        Like ``hr_soap`` but one database and server per test module (a server takes ~3 s to start), so the
        tests of a module share state and must each use their own entities. A module may set
        ``HR_SERVER_ENV = {...}`` to start its server with extra environment variables.

Every response a zeep client of :class:`HrService` receives is checked by :class:`ContractCheck`: the body
element is validated against the published XSD with ``xmlschema`` (independently of the server's own lxml
check) and a Fault must be a SOAP 1.1 Fault with faultcode and faultstring. :meth:`HrService.post` does the same
for raw envelopes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import httpx
import pytest
import xmlschema
import zeep
from lxml import etree
from sqlalchemy import select
from zeep.plugins import Plugin
from zeep.wsse.username import UsernameToken

from bodata.core.db import Base, Database, create_database_engine
from bodata.huslejeregister import models, organisations
from bodata.huslejeregister.schema import SCHEMA_DIR, XSD_NAME
from bodata.huslejeregister.stamdata import StamdataRow, import_stamdata

from ..databases import scratch_database_url
from ..live import LiveServer, start_live_server

HR_NS = "urn:oio:lbf:huslejeregister:3.0.0"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"
PATH = "/huslejeregister/v3"
XSD_PATH = SCHEMA_DIR / XSD_NAME
"""The published schema file (``src/bodata/huslejeregister/wsdl/HuslejeregisterV3.xsd``)."""


# --- The register ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    username: str
    password: str
    organisations: tuple[int, ...]


ALICE = User("alice", "alice-password", (501, 502))
BOB = User("bob", "bob-password", (503,))
USERS = {user.username: user for user in (ALICE, BOB)}

ORGANISATIONS = {
    501: ("Boligselskabet Fjordbo", 101, 2400),
    502: ("Boligforeningen Lindely", 751, 8200),
    503: ("Vestjysk Almene Boliger", 657, 7400),
}
DEPARTMENTS = {
    (501, 1): "Fjordparken",
    (501, 2): "Kildegården",
    (501, 3): "Solhøj",
    (502, 1): "Lindely Øst",
    (503, 1): "Engparken",
}
SECTIONS = {(501, 1, 1): 4, (501, 1, 2): 3, (501, 2, 1): 1, (501, 3, 1): 1, (502, 1, 1): 2, (503, 1, 1): 2}
"""(organisation, department, section) → number of dwellings."""
_FLOORS = {1: ("st", "tv"), 2: (None, None), 3: ("1", "th"), 4: ("2", "mf")}
BARE_UNIT = (501, 1, 1, 4)
COOPERATIONS = (
    ("Aarhus Bolignet", "Fælles venteliste i Aarhus"),
    ("Boligportal Hovedstaden", "Fælles venteliste for almene boliger i Hovedstadsområdet"),
)
FIXED_EXPENSES_FROM = date(2019, 1, 1)
LEASE_FROM = date(2022, 3, 1)


def unit_id(organisation: int, department: int, section: int, index: int) -> uuid.UUID:
    """The BBR id (BuildingUnitUniversalIdentifier) of a register dwelling: its numbers in the last group."""
    return uuid.UUID(f"00000000-0000-4000-8000-{organisation:04d}{department:02d}{section:02d}{index:04d}")


@dataclass(frozen=True)
class Unit:
    """A dwelling of the register with its Stamdata (what BoligHent answers in the read-only fields)."""

    organisation: int
    department: int
    section: int
    index: int
    bbr_id: uuid.UUID
    street_code: int
    street: str
    house_number: str
    floor: str | None
    door: str | None
    postcode: int
    municipality: int
    gross_area: Decimal
    has_lease: bool

    @property
    def section_key(self) -> tuple[int, int, int]:
        return (self.organisation, self.department, self.section)


@dataclass(frozen=True)
class Register:
    """What :func:`build_register` wrote: the dwellings, users, letting cooperations and the entities' ids."""

    units: tuple[Unit, ...]
    users: dict[str, User]
    cooperations: tuple[tuple[uuid.UUID, str, str], ...]
    """(id, name, description), sorted by name."""
    organisation_ids: dict[int, uuid.UUID]

    def unit(self, organisation: int, department: int, section: int, index: int) -> Unit:
        return next(u for u in self.units if (u.section_key, u.index) == ((organisation, department, section), index))

    def units_in(self, organisation: int, department: int, section: int) -> list[Unit]:
        return [unit for unit in self.units if unit.section_key == (organisation, department, section)]

    @property
    def bare_unit(self) -> Unit:
        """The dwelling without expenses and lease."""
        return self.unit(*BARE_UNIT)


def _units() -> list[Unit]:
    units = []
    for (organisation, department, section), count in SECTIONS.items():
        _, municipality, postcode = ORGANISATIONS[organisation]
        for index in range(1, count + 1):
            floor, door = _FLOORS[index]
            units.append(
                Unit(
                    organisation=organisation,
                    department=department,
                    section=section,
                    index=index,
                    bbr_id=unit_id(organisation, department, section, index),
                    street_code=1000 + 10 * department + section,
                    street=f"{DEPARTMENTS[(organisation, department)]}vej",
                    house_number=str(2 * section - 1),
                    floor=floor,
                    door=door,
                    postcode=postcode,
                    municipality=municipality,
                    gross_area=Decimal(60 + 10 * index),
                    has_lease=(organisation, department, section, index) != BARE_UNIT,
                )
            )
    return units


def _expenses_and_lease(session: Any, bolig_id: uuid.UUID, now: datetime) -> None:
    stamps = {"oprettet": now, "aendret": now, "opdateret": now}
    for typekode in range(1, 8):
        amount = Decimal(5200) if typekode == 1 else Decimal(150 * typekode)
        session.add(
            models.Boligudgift(
                bolig_id=bolig_id,
                kladde=False,
                typekode=typekode,
                start_dato=FIXED_EXPENSES_FROM,
                data={"BoligudgiftBeloeb": str(amount)},
                **stamps,
            )
        )
    session.add(
        models.Lejekontrakt(
            bolig_id=bolig_id, kladde=False, start_dato=LEASE_FROM, data={"AnvisningstypeKode": 1}, **stamps
        )
    )


def build_register(session: Any, *, now: datetime) -> Register:
    """Write the small register described in this module's docstring into ``session`` (flushed, not committed)."""
    units = _units()
    import_stamdata(
        session,
        [
            StamdataRow(
                organisation=unit.organisation,
                organisation_name=ORGANISATIONS[unit.organisation][0],
                department=unit.department,
                department_name=DEPARTMENTS[(unit.organisation, unit.department)],
                section=unit.section,
                unit=unit.bbr_id,
                street_code=unit.street_code,
                street=unit.street,
                house_number=unit.house_number,
                floor=unit.floor,
                door=unit.door,
                postcode=unit.postcode,
                municipality=unit.municipality,
                gross_area=unit.gross_area,
            )
            for unit in units
        ],
    )
    boliger = {bolig.bbr_id: bolig for bolig in session.scalars(select(models.Bolig))}
    for unit in units:
        if unit.has_lease:
            _expenses_and_lease(session, boliger[unit.bbr_id].id, now)
    for user in USERS.values():
        organisations.add_user(session, user.username, user.password, list(user.organisations), now=now)
    cooperations = tuple(
        (organisations.add_udlejningssamarbejde(session, name, description).id, name, description)
        for name, description in COOPERATIONS
    )
    session.flush()
    organisation_ids = {item.nummer: item.id for item in session.scalars(select(models.Boligorganisation))}
    return Register(tuple(units), dict(USERS), cooperations, organisation_ids)


# --- Identifications (zeep argument dicts) ---------------------------------------------------------------


def org_ident(number: int) -> dict[str, Any]:
    return {"BoligorganisationIdentifikator": number}


def afd_ident(organisation: int, department: int) -> dict[str, Any]:
    return {"BoligorganisationIdentifikationStruktur": org_ident(organisation), "AfdelingIdentifikator": department}


def sec_ident(organisation: int, department: int, section: int) -> dict[str, Any]:
    return {"AfdelingIdentifikationStruktur": afd_ident(organisation, department), "ByggeafsnitIdentifikator": section}


def bolig_ident(unit: Unit | uuid.UUID) -> dict[str, Any]:
    return {"BuildingUnitUniversalIdentifier": str(unit.bbr_id if isinstance(unit, Unit) else unit)}


# --- The contract check ------------------------------------------------------------------------------------


@cache
def published_xsd() -> xmlschema.XMLSchema:
    """The published XSD compiled by xmlschema, a validator independent of the server's libxml2."""
    return xmlschema.XMLSchema(str(XSD_PATH))


def check_body(envelope: etree._Element, expected: str | None = None) -> etree._Element:
    """The body element of a response envelope, after checking it: a SOAP 1.1 Fault (faultcode and faultstring,
    unqualified) or, for anything else, an element valid against the published XSD (and named ``expected``)."""
    assert envelope.tag == f"{{{SOAP_NS}}}Envelope", envelope.tag
    body = envelope.find(f"{{{SOAP_NS}}}Body")
    assert body is not None, "response without soap:Body"
    children = [child for child in body if isinstance(child.tag, str)]
    assert len(children) == 1, [child.tag for child in children]
    element = children[0]
    if element.tag == f"{{{SOAP_NS}}}Fault":
        assert [child.tag for child in element][:2] == ["faultcode", "faultstring"], etree.tostring(element)
        assert (element.findtext("faultcode") or "").count(":") == 1
        assert element.findtext("faultstring")
        return element
    if expected is not None:
        assert element.tag == f"{{{HR_NS}}}{expected}", element.tag
    published_xsd().validate(element)
    return element


class ContractCheck(Plugin):
    """A zeep plugin checking every response with :func:`check_body`; records what it checked."""

    def __init__(self) -> None:
        self.outputs: list[str] = []
        self.faults: list[str] = []

    def ingress(self, envelope: Any, http_headers: Any, operation: Any) -> tuple[Any, Any]:
        element = check_body(envelope, f"{operation.name}OutputStruktur")
        (self.faults if element.tag == f"{{{SOAP_NS}}}Fault" else self.outputs).append(operation.name)
        return envelope, http_headers


# --- A running service ------------------------------------------------------------------------------------


@dataclass
class HrService:
    """A live server with the register: zeep clients per user, raw posts, and a snapshot of the hr_ tables."""

    server: LiveServer
    register: Register
    database: Database
    check: ContractCheck = field(default_factory=ContractCheck)
    _clients: dict[tuple[str, str], zeep.Client] = field(default_factory=dict)
    _http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))

    @property
    def endpoint(self) -> str:
        return self.server.url + PATH

    @property
    def wsdl_url(self) -> str:
        return f"{self.endpoint}?wsdl"

    def client(self, username: str = "alice", password: str | None = None) -> zeep.Client:
        """A zeep client from the served WSDL, sending a PasswordText UsernameToken (the user's own password
        unless ``password`` is given). Cached per user and password."""
        password = USERS[username].password if password is None else password
        key = (username, password)
        if key not in self._clients:
            self._clients[key] = zeep.Client(
                self.wsdl_url, wsse=UsernameToken(username, password), plugins=[self.check]
            )
        return self._clients[key]

    def post(self, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
        """POST raw bytes to the endpoint (as text/xml unless told otherwise)."""
        return self._http.post(self.endpoint, content=body, headers={"Content-Type": "text/xml", **(headers or {})})

    def get(self, query: str = "") -> httpx.Response:
        return self._http.get(self.endpoint + query)

    def snapshot(self) -> dict[str, list[tuple[str, ...]]]:
        """Every row of every hr_ table, as text: equal snapshots mean nothing was written."""
        with self.database.engine.connect() as connection:
            return {
                name: sorted(tuple(map(str, row)) for row in connection.execute(table.select()))
                for name, table in sorted(Base.metadata.tables.items())
                if name.startswith("hr_")
            }

    def close(self) -> None:
        self._http.close()
        for client in self._clients.values():
            client.transport.session.close()


@pytest.fixture
def hr_register(database: Database) -> Register:
    """The small register (see the module docstring) in the test database."""
    with database.transaction() as session:
        return build_register(session, now=datetime.now(UTC))


@pytest.fixture
def hr_soap(hr_register: Register, database: Database, live_server: LiveServer) -> Iterator[HrService]:
    """A live server on the test database holding :func:`hr_register`; ``.client(user)`` gives zeep clients."""
    running = HrService(live_server, hr_register, database)
    yield running
    running.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hr_module_service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HrService]:
    """One database with the register and one live server for the whole test module (see the docstring)."""
    workdir = tmp_path_factory.mktemp(f"huslejeregister-{request.param}")
    env = getattr(request.module, "HR_SERVER_ENV", None)
    with scratch_database_url(request.param, workdir, content="schema") as url:
        database = Database(create_database_engine(url))
        try:
            with database.transaction() as session:
                register = build_register(session, now=datetime.now(UTC))
            server = start_live_server(database_url=url, workdir=workdir, env=env)
            running = HrService(server, register, database)
            try:
                yield running
            finally:
                running.close()
                server.stop()
        finally:
            database.dispose()


BOLIG_COMPLETE: dict[str, Any] = {
    "BoligLejerTypeKode": 1,
    "BoligOpvarmningsformKode": 1,
    "BoligKoekkenKunForLejerIndikator": True,
    "BoligGarageKode": 2,
    "BoligCarportKode": 3,
    "BoligIndvendigVedligeholdelseLejerKode": 1,
    "BoligUdvendigVedligeholdelseLejerKode": 1,
    "BoligURLTekst": "https://www.fjordbo.dk/bolig/1",
    "BoligBevaegelseshaemmetEgnetIndikator": False,
    "BoligKollegievaerelseIndikator": False,
    "BoligTypeKode": 3,
}
"""A complete, valid set of a BoligVersionStruktur's reported fields (add VirkningFra and a deposit)."""
