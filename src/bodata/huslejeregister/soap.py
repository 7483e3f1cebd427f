"""SOAP 1.1 document/literal on lxml: envelopes in, envelopes out, Faults, WS-Security UsernameToken, and the
codec between the structures of :mod:`~bodata.huslejeregister.structures` and plain Python values.

Requests are parsed by the hardened parser of :mod:`bodata.core.xml` and the body element is validated against
the published XSD before anything else looks at it; responses are validated too, so the service never answers
outside its own contract.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from bodata.core.timezones import DANISH_TIME
from bodata.core.xml import XMLInputError, parse_xml
from bodata.huslejeregister.schema import NS, SOAP_ENV_NS, xml_schema
from bodata.huslejeregister.structures import OPERATIONS, STRUCTURES, El, Operation

WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
PASSWORD_TEXT = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"  # noqa: S105 - a URI, not a password
_BY_INPUT = {operation.input_element: operation for operation in OPERATIONS.values()}


class SoapFault(Exception):
    """An error answered as a SOAP 1.1 Fault; ``code`` is a qualified name such as ``soap:Client``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def client_fault(message: str) -> SoapFault:
    return SoapFault("soap:Client", message)


@dataclass(frozen=True, slots=True)
class Credentials:
    """The UsernameToken of a request's WS-Security header."""

    username: str
    password: str


@dataclass(frozen=True, slots=True)
class SoapRequest:
    """A parsed and schema-valid request: the operation, its input as Python values, the credentials."""

    operation: Operation
    input: dict[str, Any]
    credentials: Credentials | None


# --- Reading -------------------------------------------------------------------------------------------------


def parse_request(body: bytes, *, max_bytes: int) -> SoapRequest:
    """Parse a SOAP 1.1 request; raises :class:`SoapFault` for anything that is not a valid call."""
    try:
        root = parse_xml(body, max_bytes=max_bytes)
    except XMLInputError as error:
        raise client_fault(str(error)) from None
    if root.tag != f"{{{SOAP_ENV_NS}}}Envelope":
        raise SoapFault("soap:VersionMismatch" if _local(root) == "Envelope" else "soap:Client", _not_envelope(root))
    header = root.find(f"{{{SOAP_ENV_NS}}}Header")
    body_element = root.find(f"{{{SOAP_ENV_NS}}}Body")
    if body_element is None:
        raise client_fault("SOAP Envelope uden Body")
    calls = [child for child in body_element if isinstance(child.tag, str)]
    if len(calls) != 1:
        raise client_fault(f"SOAP Body skal indeholde netop ét element, fandt {len(calls)}")
    call = calls[0]
    qname = etree.QName(call)
    if qname.namespace != NS:
        raise client_fault(f"Elementet {qname.localname} i SOAP Body skal være i namespace {NS}")
    operation = _BY_INPUT.get(qname.localname)
    if operation is None:
        raise client_fault(f"Ukendt operation: {qname.localname}")
    _refuse_not_understood(header)
    _validate(call, "Input")
    try:
        values = decode(call, operation.input)
    except (ValueError, ArithmeticError) as error:
        raise client_fault(f"Ugyldig værdi i input: {error}") from None
    return SoapRequest(operation, values, _credentials(header))


def _refuse_not_understood(header: etree._Element | None) -> None:
    """SOAP 1.1 §4.2.3: a header entry marked mustUnderstand="1" that the service does not know is a Fault."""
    for entry in header if header is not None else ():
        if not isinstance(entry.tag, str) or entry.tag == f"{{{WSSE_NS}}}Security":
            continue
        if entry.get(f"{{{SOAP_ENV_NS}}}mustUnderstand") in ("1", "true"):
            raise SoapFault("soap:MustUnderstand", f"Header-elementet {entry.tag} forstås ikke")


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _not_envelope(root: etree._Element) -> str:
    qname = etree.QName(root)
    if qname.localname == "Envelope":
        return f"Kun SOAP 1.1 understøttes (Envelope i namespace {SOAP_ENV_NS}), ikke {qname.namespace}"
    return f"Forventede en SOAP 1.1 Envelope, fandt {qname.localname}"


def _validate(element: etree._Element, what: str) -> None:
    schema = xml_schema()
    if not schema.validate(element):
        error = schema.error_log.last_error
        detail = error.message if error is not None else "ukendt fejl"
        if what == "Input":
            raise client_fault(f"Input overholder ikke skemaet: {detail}")
        raise SoapFault("soap:Server", f"Svaret overholder ikke skemaet: {detail}")


def _credentials(header: etree._Element | None) -> Credentials | None:
    if header is None:
        return None
    token = header.find(f"{{{WSSE_NS}}}Security/{{{WSSE_NS}}}UsernameToken")
    if token is None:
        return None
    username = token.findtext(f"{{{WSSE_NS}}}Username")
    password = token.find(f"{{{WSSE_NS}}}Password")
    if not username or password is None:
        raise SoapFault("wsse:InvalidSecurityToken", "UsernameToken skal have Username og Password")
    if password.get("Type", PASSWORD_TEXT) != PASSWORD_TEXT:
        raise SoapFault("wsse:UnsupportedSecurityToken", "Kun UsernameToken med PasswordText understøttes")
    return Credentials(username, password.text or "")


def decode(element: etree._Element, elements: tuple[El, ...]) -> dict[str, Any]:
    """The children of a (schema-valid) element as a dict of element name to value; repeated ones as lists."""
    by_name = {child.name: child for child in elements}
    values: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        spec = by_name[_local(child)]
        value = decode(child, STRUCTURES[spec.type]) if spec.type in STRUCTURES else _scalar(child.text or "", spec)
        if spec.many:
            values.setdefault(spec.name, []).append(value)
        else:
            values[spec.name] = value
    return values


def _scalar(raw: str, spec: El) -> Any:
    kind = spec.type
    if kind == "string":
        return raw
    raw = raw.strip()
    if kind == "int":
        return int(raw)
    if kind == "decimal":
        return Decimal(raw)
    if kind == "boolean":
        return raw in ("true", "1")
    if kind == "date":
        return date.fromisoformat(raw[:10])
    if kind == "dateTime":
        return parse_datetime(raw)
    if kind == "base64":
        return base64.b64decode(raw)
    return uuid.UUID(raw)


def parse_datetime(raw: str) -> datetime:
    """An xs:dateTime as an aware UTC datetime; without a zone it is Danish local time (decisions.md).

    Values the schema admits but Python cannot hold (``24:00:00``, five-digit years) are a client Fault; at the
    very ends of the calendar (.NET's ``0001-01-01``), where the zone cannot be applied, the clock time is UTC.
    """
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise client_fault(f"Ugyldig dato og tid: {raw}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=DANISH_TIME)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return moment.replace(tzinfo=UTC)


# --- Writing -------------------------------------------------------------------------------------------------


def encode(parent: etree._Element, elements: tuple[El, ...], values: Mapping[str, Any]) -> None:
    """Append ``values`` to ``parent`` as child elements, in the structure's order; None and absent are left out."""
    for spec in elements:
        value = values.get(spec.name)
        if value is None:
            continue
        for item in value if spec.many else (value,):
            child = etree.SubElement(parent, f"{{{NS}}}{spec.name}")
            if spec.type in STRUCTURES:
                encode(child, STRUCTURES[spec.type], item)
            else:
                child.text = format_scalar(item)


def format_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def format_datetime(value: datetime) -> str:
    """Danish local time with its offset; UTC where that offset is not whole minutes (before 1894, when
    Copenhagen kept local mean time, which xs:dateTime cannot express) or would leave the calendar."""
    try:
        local = value.astimezone(DANISH_TIME)
    except OverflowError:
        local = None
    if local is None or local.utcoffset().seconds % 60:
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return local.isoformat()


def _envelope(**namespaces: str) -> tuple[etree._Element, etree._Element]:
    nsmap = {"soap": SOAP_ENV_NS, "hr": NS, **namespaces}
    envelope = etree.Element(f"{{{SOAP_ENV_NS}}}Envelope", nsmap=nsmap)
    return envelope, etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Body")


def response_envelope(operation: Operation, output: Mapping[str, Any]) -> bytes:
    """The SOAP response of ``operation``, validated against the XSD."""
    envelope, body = _envelope()
    element = etree.SubElement(body, f"{{{NS}}}{operation.output_element}")
    encode(element, operation.output, output)
    _validate(element, "Output")
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


BODY_FAULTS = frozenset({"soap:Client", "soap:Server"})
"""The faultcodes of a Body that could not be processed (the others are about the Envelope or its Header)."""


def fault_envelope(fault: SoapFault, *, detail: bool) -> bytes:
    """A SOAP 1.1 Fault envelope (faultcode, faultstring), with the ``detail`` element SOAP 1.1 §4.4 requires
    when the Body could not be processed (and forbids for errors in the Header)."""
    envelope, body = _envelope(wsse=WSSE_NS) if fault.code.startswith("wsse:") else _envelope()
    element = etree.SubElement(body, f"{{{SOAP_ENV_NS}}}Fault")
    etree.SubElement(element, "faultcode").text = fault.code
    etree.SubElement(element, "faultstring").text = fault.message
    if detail:
        etree.SubElement(element, "detail")
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
