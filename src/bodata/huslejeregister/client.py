"""A client for Landsbyggefonden's HuslejeregisterV3 SOAP service, and for bodata's own implementation of it.

It loads the service's WSDL with zeep and signs every call with a WS-Security UsernameToken (PasswordText), so the
same client reports to LBF's service or to a bodata installation; only the WSDL address differs::

    with HuslejeregisterClient("https://bodata.example.dk/huslejeregister/v3?wsdl", "fjordbo", "…") as client:
        for organisation in client.organisations():
            ...
        result = client.report_dwelling(bbr_id, [{"VirkningFraDatoTid": start, "BoligTypeKode": 3, ...}])
        if not result.ok:
            for error in result.errors:
                print(error.number, error.text, error.field)

The typed methods cover the daily work (organisations, departments, sections and dwellings; reporting and
validating a dwelling's versions; expenses and leases); :meth:`HuslejeregisterClient.call` reaches every one of the
93 operations by name. Structures are passed and answered as plain dicts keyed by the spec's element names
(``BoligTypeKode``, ``BoligudgiftBeloeb``); Ret, Valider, Slet and Opret answer a :class:`Result`.

A SOAP Fault raises :class:`HuslejeregisterFault`; a service that cannot be reached, or answers something that is
not SOAP, raises :class:`HuslejeregisterConnectionError`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import requests
import zeep
import zeep.exceptions
import zeep.helpers
from lxml import etree
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

OK, ERRORS, INFOS, ERRORS_AND_INFOS = 0, 20, 40, 60
"""The values of ResultatTypeKode (§2.1.7, Tabel 3)."""

Ident = uuid.UUID | str
"""An expense or lease: its UnikIdentifikator (a :class:`uuid.UUID`) or its EksternReference (a ``str``)."""


class HuslejeregisterError(Exception):
    """Base of the client's errors."""


class HuslejeregisterFault(HuslejeregisterError):
    """The service answered a SOAP Fault: ``code`` such as ``soap:Client`` and its ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    @property
    def is_client_fault(self) -> bool:
        """Whether the request was refused (``…:Client``, or a WS-Security code) rather than the service failing."""
        return not self.code.rsplit(":", 1)[-1].startswith("Server")


class HuslejeregisterConnectionError(HuslejeregisterError):
    """The service could not be reached, refused the connection, timed out or answered something that is not SOAP."""


@dataclass(frozen=True, slots=True)
class Message:
    """A ValideringsfejlStruktur or ValideringsinfoStruktur: the rule's number and text, the field, the entity's
    reference and the VirkningFra of the version concerned."""

    number: int
    text: str
    field: str | None = None
    entity_reference: str | None = None
    effective_from: datetime | None = None
    entity: str | None = None
    """EntitetNavnTekst: the kind of entity (``Bolig``, ``Boligudgift``)."""

    def __str__(self) -> str:
        return f"{self.number} {self.text}" + (f" [{self.field}]" if self.field else "")


@dataclass(frozen=True, slots=True)
class Result:
    """A MetodeResultatStruktur or MetodeOpretResultatStruktur: ``ok`` unless there are validation errors (infos
    are warnings: the data was saved); ``reference`` is the new entity's UnikIdentifikator after an Opret."""

    ok: bool
    kind: int
    """ResultatTypeKode: 0 OK, 20 errors, 40 infos, 60 both."""
    errors: list[Message] = field(default_factory=list)
    infos: list[Message] = field(default_factory=list)
    reference: uuid.UUID | None = None
    result_id: uuid.UUID | None = None
    """ResultatIdentifikator, to quote to the register's support."""


class HuslejeregisterClient:
    """HuslejeregisterV3 over SOAP 1.1 with a UsernameToken; see the module docstring."""

    def __init__(
        self,
        wsdl_url: str,
        username: str,
        password: str,
        *,
        timeout: float = 30,
        transport: Transport | None = None,
        plugins: Sequence[Any] = (),
    ) -> None:
        self.wsdl_url = wsdl_url
        self._transport = transport or Transport(timeout=timeout, operation_timeout=timeout)
        self._owns_transport = transport is None
        try:
            self._zeep = zeep.Client(
                wsdl_url, wsse=UsernameToken(username, password), transport=self._transport, plugins=list(plugins)
            )
        except (requests.RequestException, zeep.exceptions.TransportError, etree.XMLSyntaxError) as error:
            self.close()
            raise HuslejeregisterConnectionError(f"cannot load the WSDL {wsdl_url}: {_reason(error)}") from error
        except zeep.exceptions.Error as error:
            self.close()
            raise HuslejeregisterConnectionError(f"{wsdl_url} is not a usable WSDL: {error}") from error
        self.operations = frozenset(self._zeep.service._binding._operations)
        """The names of the operations the service's WSDL offers."""

    # --- Generic -------------------------------------------------------------------------------------------

    def call(self, operation: str, **input: Any) -> Any:
        """Call ``operation`` with the children of its ``…InputStruktur`` as keyword arguments.

        Answers a :class:`Result` for a MetodeResultatStruktur/MetodeOpretResultatStruktur, otherwise the output
        as plain Python: dicts keyed by element name, lists for repeated elements (an empty list for none)."""
        if operation not in self.operations:
            raise ValueError(f"the service has no operation {operation!r}")
        try:
            answer = getattr(self._zeep.service, operation)(**input)
        except zeep.exceptions.Fault as fault:
            raise HuslejeregisterFault(_fault_code(fault), fault.message or "") from None
        except (requests.RequestException, zeep.exceptions.TransportError, etree.XMLSyntaxError) as error:
            raise HuslejeregisterConnectionError(f"{operation}: {_reason(error)}") from error
        return _answer(operation, zeep.helpers.serialize_object(answer, target_cls=dict))

    def close(self) -> None:
        """Close the HTTP connections, unless the caller passed its own transport."""
        if self._owns_transport:
            self._transport.session.close()

    def __enter__(self) -> HuslejeregisterClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- Organisations, departments, sections ----------------------------------------------------------------

    def organisations(self) -> list[dict[str, Any]]:
        """BoligorganisationList: the organisations the user administers, each with its version in force."""
        return self._list("BoligorganisationList")

    def departments(self, organisation: int) -> list[dict[str, Any]]:
        """AfdelingList: the departments of an organisation (its LBF number)."""
        return self._list("AfdelingList", BoligorganisationIdentifikationStruktur=organisation_ident(organisation))

    def sections(self, organisation: int, department: int) -> list[dict[str, Any]]:
        """ByggeafsnitList: the building sections of a department."""
        return self._list("ByggeafsnitList", AfdelingIdentifikationStruktur=department_ident(organisation, department))

    def dwellings(self, organisation: int, department: int, section: int) -> list[dict[str, Any]]:
        """BoligList: the dwellings of a building section."""
        ident = section_ident(organisation, department, section)
        return self._list("BoligList", ByggeafsnitIdentifikationStruktur=ident)

    # --- Dwellings ----------------------------------------------------------------------------------------------

    def get_dwelling(
        self, bbr_id: uuid.UUID | str, *, effective: datetime | None = None, registered: datetime | None = None
    ) -> list[dict[str, Any]]:
        """BoligHent (or HentSpecifik/HentHistorisk/HentHistoriskSpecifik with ``effective`` and/or ``registered``):
        one BoligStruktur per edition (the submitted one, then any draft), with its versions."""
        times: dict[str, Any] = {}
        variant = ""
        if registered is not None:
            variant, times["RegistreringstidDatoTid"] = "Historisk", registered
        if effective is not None:
            variant, times["VirkningsdatoDatoTid"] = variant + "Specifik", effective
        return self._list(f"BoligHent{variant}", BoligIdentifikationStruktur=dwelling_ident(bbr_id), **times)

    def report_dwelling(
        self, bbr_id: uuid.UUID | str, versions: Sequence[Mapping[str, Any]], *, draft: bool = False
    ) -> Result:
        """BoligRet: lay ``versions`` (dicts of BoligVersionStruktur elements, each with its VirkningFraDatoTid) over
        the dwelling's timeline; submitted (validated) unless ``draft``."""
        return self.call("BoligRet", BoligStruktur=_dwelling(bbr_id, versions, draft))

    def validate_dwelling(
        self, bbr_id: uuid.UUID | str, versions: Sequence[Mapping[str, Any]], *, draft: bool = False
    ) -> Result:
        """BoligValider: what :meth:`report_dwelling` would answer, without saving anything."""
        return self.call("BoligValider", BoligStruktur=_dwelling(bbr_id, versions, draft))

    # --- Expenses (Boligudgift) --------------------------------------------------------------------------------

    def expenses(
        self, bbr_id: uuid.UUID | str, start: date | None = None, end: date | None = None
    ) -> list[dict[str, Any]]:
        """BoligudgiftList: the dwelling's current and future expenses, or with ``start``/``end`` those whose start
        or end date lies in the interval."""
        interval = _interval("Boligudgift", start, end)
        return self._list("BoligudgiftList", BoligIdentifikationStruktur=dwelling_ident(bbr_id), **interval)

    def get_expense(self, ident: Ident) -> dict[str, Any]:
        """BoligudgiftHent by UnikIdentifikator (a UUID) or EksternReference (a str)."""
        return self.call("BoligudgiftHent", BoligudgiftIdentifikationStruktur=record_ident("Boligudgift", ident))

    def create_expense(
        self, bbr_id: uuid.UUID | str, *, external_reference: str | None = None, draft: bool = False, **fields: Any
    ) -> Result:
        """BoligudgiftOpret; ``fields`` are BoligudgiftStruktur elements (BoligudgiftstypeKode=1, …). The new
        UnikIdentifikator is the result's ``reference``."""
        return self.call(
            "BoligudgiftOpret", BoligudgiftStruktur=_created("Boligudgift", bbr_id, external_reference, draft, fields)
        )

    def update_expense(
        self, ident: Ident, *, external_reference: str | None = None, draft: bool = False, **fields: Any
    ) -> Result:
        """BoligudgiftRet of the expense ``ident``; ``external_reference`` sets a new EksternReference when
        ``ident`` is the UnikIdentifikator."""
        return self.call(
            "BoligudgiftRet", BoligudgiftStruktur=_updated("Boligudgift", ident, external_reference, draft, fields)
        )

    def validate_expense(
        self, ident: Ident | None = None, bbr_id: uuid.UUID | str | None = None, *, draft: bool = False, **fields: Any
    ) -> Result:
        """BoligudgiftValider: a new expense (``bbr_id``) or a change to ``ident``, without saving."""
        return self.call(
            "BoligudgiftValider", BoligudgiftStruktur=_validated("Boligudgift", ident, bbr_id, draft, fields)
        )

    def delete_expense(self, ident: Ident) -> Result:
        """BoligudgiftSlet."""
        return self.call("BoligudgiftSlet", BoligudgiftIdentifikationStruktur=record_ident("Boligudgift", ident))

    # --- Leases (Lejekontrakt) ----------------------------------------------------------------------------------

    def leases(
        self, bbr_id: uuid.UUID | str, start: date | None = None, end: date | None = None
    ) -> list[dict[str, Any]]:
        """LejekontraktList: the dwelling's current and future leases, or those with a date in the interval."""
        interval = _interval("Lejekontrakt", start, end)
        return self._list("LejekontraktList", BoligIdentifikationStruktur=dwelling_ident(bbr_id), **interval)

    def get_lease(self, ident: Ident) -> dict[str, Any]:
        """LejekontraktHent by UnikIdentifikator (a UUID) or EksternReference (a str)."""
        return self.call("LejekontraktHent", LejekontraktIdentifikationStruktur=record_ident("Lejekontrakt", ident))

    def create_lease(
        self, bbr_id: uuid.UUID | str, *, external_reference: str | None = None, draft: bool = False, **fields: Any
    ) -> Result:
        """LejekontraktOpret; tenants as ``LejerStruktur=[{"LejerNavnTekst": …}, …]``."""
        return self.call(
            "LejekontraktOpret",
            LejekontraktStruktur=_created("Lejekontrakt", bbr_id, external_reference, draft, fields),
        )

    def update_lease(
        self, ident: Ident, *, external_reference: str | None = None, draft: bool = False, **fields: Any
    ) -> Result:
        """LejekontraktRet of the lease ``ident``."""
        return self.call(
            "LejekontraktRet", LejekontraktStruktur=_updated("Lejekontrakt", ident, external_reference, draft, fields)
        )

    def validate_lease(
        self, ident: Ident | None = None, bbr_id: uuid.UUID | str | None = None, *, draft: bool = False, **fields: Any
    ) -> Result:
        """LejekontraktValider: a new lease (``bbr_id``) or a change to ``ident``, without saving."""
        return self.call(
            "LejekontraktValider", LejekontraktStruktur=_validated("Lejekontrakt", ident, bbr_id, draft, fields)
        )

    def delete_lease(self, ident: Ident) -> Result:
        """LejekontraktSlet."""
        return self.call("LejekontraktSlet", LejekontraktIdentifikationStruktur=record_ident("Lejekontrakt", ident))

    # --- Helpers ----------------------------------------------------------------------------------------------

    def _list(self, operation: str, **input: Any) -> list[dict[str, Any]]:
        answer = self.call(operation, **input)
        return answer if isinstance(answer, list) else [answer]


# --- Identifications -------------------------------------------------------------------------------------------


def organisation_ident(organisation: int) -> dict[str, Any]:
    return {"BoligorganisationIdentifikator": organisation}


def department_ident(organisation: int, department: int) -> dict[str, Any]:
    return {
        "BoligorganisationIdentifikationStruktur": organisation_ident(organisation),
        "AfdelingIdentifikator": department,
    }


def section_ident(organisation: int, department: int, section: int) -> dict[str, Any]:
    return {
        "AfdelingIdentifikationStruktur": department_ident(organisation, department),
        "ByggeafsnitIdentifikator": section,
    }


def dwelling_ident(bbr_id: uuid.UUID | str) -> dict[str, Any]:
    return {"BuildingUnitUniversalIdentifier": str(bbr_id if isinstance(bbr_id, uuid.UUID) else uuid.UUID(bbr_id))}


def record_ident(entity: str, ident: Ident, external_reference: str | None = None) -> dict[str, Any]:
    """``<entity>IdentifikationStruktur``: the UnikIdentifikator for a UUID (with a new EksternReference if given),
    the EksternReference for a str."""
    if isinstance(ident, uuid.UUID):
        found: dict[str, Any] = {f"{entity}UnikIdentifikator": str(ident)}
        if external_reference:
            found["EksternReference"] = external_reference
        return found
    if not ident:
        raise ValueError(f"{entity}: an empty EksternReference identifies nothing")
    return {"EksternReference": ident}


def _dwelling(bbr_id: uuid.UUID | str, versions: Sequence[Mapping[str, Any]], draft: bool) -> dict[str, Any]:
    return {
        "BoligIdentifikationStruktur": dwelling_ident(bbr_id),
        "KladdeIndikator": draft,
        "BoligVersionStruktur": [dict(version) for version in versions],
    }


def _created(
    entity: str, bbr_id: uuid.UUID | str, reference: str | None, draft: bool, fields: Mapping[str, Any]
) -> dict:
    ident = {"EksternReference": reference} if reference else {}
    return {
        f"{entity}IdentifikationStruktur": ident,
        "BoligIdentifikationStruktur": dwelling_ident(bbr_id),
        "KladdeIndikator": draft,
        **fields,
    }


def _updated(entity: str, ident: Ident, reference: str | None, draft: bool, fields: Mapping[str, Any]) -> dict:
    return {
        f"{entity}IdentifikationStruktur": record_ident(entity, ident, reference),
        "KladdeIndikator": draft,
        **fields,
    }


def _validated(
    entity: str, ident: Ident | None, bbr_id: uuid.UUID | str | None, draft: bool, fields: Mapping[str, Any]
) -> dict:
    if ident is not None:
        structure = _updated(entity, ident, None, draft, fields)
        if bbr_id is not None:
            structure["BoligIdentifikationStruktur"] = dwelling_ident(bbr_id)
        return structure
    if bbr_id is None:
        raise ValueError("give the expense or lease to change (ident) or the dwelling of a new one (bbr_id)")
    return _created(entity, bbr_id, None, draft, fields)


def _interval(entity: str, start: date | None, end: date | None) -> dict[str, date]:
    interval = {}
    if start is not None:
        interval[f"{entity}StartDato"] = start
    if end is not None:
        interval[f"{entity}SlutDato"] = end
    return interval


# --- Answers ---------------------------------------------------------------------------------------------------


def _answer(operation: str, answer: Any) -> Any:
    """A Result for the method result structures; lists for repeated outputs; plain values otherwise."""
    if (
        isinstance(answer, dict)
        and "ResultatStruktur" in answer
        and ("ValideringsfejlStruktur" in answer or "ValideringsinfoStruktur" in answer)
    ):
        return to_result(answer)
    if answer is None:
        return []
    return answer


def to_result(structure: Mapping[str, Any]) -> Result:
    """A :class:`Result` from a MetodeResultatStruktur or MetodeOpretResultatStruktur (as a dict)."""
    head = structure["ResultatStruktur"]
    errors = [_message(item) for item in structure.get("ValideringsfejlStruktur") or []]
    infos = [_message(item) for item in structure.get("ValideringsinfoStruktur") or []]
    kind = int(head["ResultatTypeKode"])
    reference = structure.get("EntitetReference")
    result_id = head.get("ResultatIdentifikator")
    return Result(
        ok=not errors and kind not in (ERRORS, ERRORS_AND_INFOS),
        kind=kind,
        errors=errors,
        infos=infos,
        reference=_as_uuid(reference),
        result_id=_as_uuid(result_id),
    )


def _message(item: Mapping[str, Any]) -> Message:
    head = item.get("ResultatStruktur") or {}
    return Message(
        number=int(head.get("ResultatKode") or 0),
        text=head.get("ResultatTekst") or "",
        field=item.get("FeltNavnTekst"),
        entity_reference=item.get("EntitetReference"),
        effective_from=item.get("EntitetVirkningFraDatoTid"),
        entity=item.get("EntitetNavnTekst"),
    )


def _as_uuid(value: Any) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _fault_code(fault: zeep.exceptions.Fault) -> str:
    code = fault.code
    if isinstance(code, etree.QName):
        return code.localname
    return str(code or "")


def _reason(error: Exception) -> str:
    if isinstance(error, zeep.exceptions.TransportError):
        return f"HTTP {error.status_code}" + (f": {error.message}" if error.message else "")
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"HTTP {error.response.status_code} {error.response.reason}"
    if isinstance(error, requests.Timeout):
        return f"timed out ({error})"
    if isinstance(error, requests.ConnectionError):
        return f"cannot connect ({error})"
    if isinstance(error, etree.XMLSyntaxError):
        return f"the answer is not XML ({error})"
    return str(error)
