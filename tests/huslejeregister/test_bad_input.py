"""HuslejeregisterV3 against bad input: hand-written envelopes POSTed with httpx to a live ``bodata serve``.

Each request is answered with a SOAP 1.1 Fault (HTTP 500, faultcode and faultstring) or with numbered validation
errors, and nothing is written (every hr_ table compared before and after). The server runs with small size limits
(``HR_SERVER_ENV``) so that the oversized requests stay small.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest
import zeep
from lxml import etree

from .conftest import HR_NS, PASSWORD_TEXT, SOAP_NS, WSSE_NS, HrService, check_body, unit_id

pytestmark = pytest.mark.e2e

HR_SERVER_ENV = {"BODATA_MAX_XML_BYTES": "20000", "BODATA_MAX_BODY_BYTES": "40000"}

SOAP12_NS = "http://www.w3.org/2003/05/soap-envelope"
PASSWORD_DIGEST = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
SAVED_UNIT = unit_id(501, 1, 1, 1)
"""The positive controls save on this dwelling."""
FRESH_UNIT = unit_id(501, 1, 1, 2)
"""A dwelling (with expenses and a lease) that nothing in this module saves, so it has no versions."""
BOBS_UNIT = unit_id(503, 1, 1, 1)
NOT_FOUND = "findes ikke eller administreres ikke af brugeren"
SCHEMA = "Input overholder ikke skemaet"

# --- Hand-written envelopes --------------------------------------------------------------------------------


def security(
    username: str = "alice",
    password: str | None = "alice-password",  # noqa: S107 - the test user's password
    password_type: str | None = PASSWORD_TEXT,
) -> str:
    """A WS-Security header with a UsernameToken (``password=None``: no Password element)."""
    type_attribute = f' Type="{password_type}"' if password_type else ""
    password_element = "" if password is None else f"<wsse:Password{type_attribute}>{password}</wsse:Password>"
    return (
        f'<soap:Header><wsse:Security xmlns:wsse="{WSSE_NS}" soap:mustUnderstand="1"><wsse:UsernameToken>'
        f"<wsse:Username>{username}</wsse:Username>{password_element}</wsse:UsernameToken></wsse:Security>"
        "</soap:Header>"
    )


def envelope(body: str, header: str | None = None, *, namespace: str = SOAP_NS, prolog: str = "") -> bytes:
    header = security() if header is None else header
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
        f'<soap:Envelope xmlns:soap="{namespace}" xmlns:hr="{HR_NS}">{header}<soap:Body>{body}</soap:Body>'
        "</soap:Envelope>"
    ).encode()


BOLIG_VERSION_ELEMENTS = (
    "VirkningFraDatoTid",
    "VirkningTilDatoTid",
    "RegistreringFraDatoTid",
    "RegistreringTilDatoTid",
    "ByggeafsnitIdentifikationStruktur",
    "StreetCode",
    "StreetName",
    "StreetBuildingIdentifier",
    "SuiteIdentifier",
    "FloorIdentifier",
    "PostalCodeIdentifier",
    "MunicipalityCode",
    "BoligLejerTypeKode",
    "BoligStoetteBerettigetArealKvantitet",
    "BoligStoetteBerettigetArealAarsagKode",
    "BoligStoetteBerettigetArealAarsagTekst",
    "BoligAntalBeboelsesrumKvantitet",
    "BoligOpvarmningsformKode",
    "BoligKoekkenKunForLejerIndikator",
    "BoligGarageKode",
    "BoligCarportKode",
    "BoligIndvendigVedligeholdelseLejerKode",
    "BoligUdvendigVedligeholdelseLejerKode",
    "BoligURLTekst",
    "BoligBevaegelseshaemmetEgnetIndikator",
    "BoligHandicappedeHarFortrinsretIndikator",
    "BoligIkkeAktivStartDato",
    "BoligIkkeAktivSlutDato",
    "BoligIkkeAktivUdloebNotifikationIndikator",
    "BoligKollegievaerelseIndikator",
    "BoligUndertrykVideregivelseIndikator",
    "BoligArealFoer1998Kvantitet",
    "BoligTypeKode",
    "BoligLukketForOpskrivningIndikator",
    "BoligAktueltIndskudBeloeb",
    "BoligAktueltDepositumBeloeb",
    "BoligNyLejeVedGenudlejningBeloeb",
    "HandicapBoligTypeReference",
)
"""BoligVersionStruktur's elements in schema order."""
VALID_BOLIG: dict[str, str] = {
    "VirkningFraDatoTid": "2024-01-01T00:00:00",
    "BoligLejerTypeKode": "1",
    "BoligOpvarmningsformKode": "1",
    "BoligKoekkenKunForLejerIndikator": "true",
    "BoligGarageKode": "2",
    "BoligCarportKode": "2",
    "BoligIndvendigVedligeholdelseLejerKode": "1",
    "BoligUdvendigVedligeholdelseLejerKode": "1",
    "BoligBevaegelseshaemmetEgnetIndikator": "false",
    "BoligKollegievaerelseIndikator": "false",
    "BoligTypeKode": "3",
    "BoligAktueltIndskudBeloeb": "12000.00",
}


def bolig_version(**changes: str | None) -> str:
    """A complete, valid BoligVersionStruktur from 2024-01-01; ``changes`` replace values (None: leave out)."""
    values = {**VALID_BOLIG, **changes}
    assert set(values) <= set(BOLIG_VERSION_ELEMENTS), set(values) - set(BOLIG_VERSION_ELEMENTS)
    inner = "".join(
        f"<hr:{name}>{escape(values[name])}</hr:{name}>"
        for name in BOLIG_VERSION_ELEMENTS
        if values.get(name) is not None
    )
    return f"<hr:BoligVersionStruktur>{inner}</hr:BoligVersionStruktur>"


def bolig_ret(
    *versions: str, unit: uuid.UUID | str = SAVED_UNIT, kladde: str | None = "false", operation: str = "BoligRet"
) -> str:
    """A BoligRet (or BoligValider) input element; by default one valid version, submitted."""
    flag = "" if kladde is None else f"<hr:KladdeIndikator>{kladde}</hr:KladdeIndikator>"
    return (
        f"<hr:{operation}InputStruktur><hr:BoligStruktur><hr:BoligIdentifikationStruktur>"
        f"<hr:BuildingUnitUniversalIdentifier>{unit}</hr:BuildingUnitUniversalIdentifier>"
        f"</hr:BoligIdentifikationStruktur>{flag}{''.join(versions or (bolig_version(),))}</hr:BoligStruktur>"
        f"</hr:{operation}InputStruktur>"
    )


def afdeling_ret(description: str, *, organisation: int = 501, department: int = 1) -> str:
    """An AfdelingRet saving a draft version with the given description (inserted verbatim)."""
    return (
        "<hr:AfdelingRetInputStruktur><hr:AfdelingStruktur><hr:AfdelingIdentifikationStruktur>"
        "<hr:BoligorganisationIdentifikationStruktur>"
        f"<hr:BoligorganisationIdentifikator>{organisation}</hr:BoligorganisationIdentifikator>"
        f"</hr:BoligorganisationIdentifikationStruktur><hr:AfdelingIdentifikator>{department}</hr:AfdelingIdentifikator>"
        "</hr:AfdelingIdentifikationStruktur><hr:AfdelingVersionStruktur>"
        "<hr:VirkningFraDatoTid>2024-01-01T00:00:00</hr:VirkningFraDatoTid>"
        f"<hr:AfdelingBeskrivelseTekst>{description}</hr:AfdelingBeskrivelseTekst>"
        "</hr:AfdelingVersionStruktur></hr:AfdelingStruktur></hr:AfdelingRetInputStruktur>"
    )


def afdeling_hent(organisation: int = 501, department: int = 1) -> str:
    return (
        "<hr:AfdelingHentInputStruktur><hr:AfdelingIdentifikationStruktur><hr:BoligorganisationIdentifikationStruktur>"
        f"<hr:BoligorganisationIdentifikator>{organisation}</hr:BoligorganisationIdentifikator>"
        f"</hr:BoligorganisationIdentifikationStruktur><hr:AfdelingIdentifikator>{department}</hr:AfdelingIdentifikator>"
        "</hr:AfdelingIdentifikationStruktur></hr:AfdelingHentInputStruktur>"
    )


def bolig_hent(unit: uuid.UUID) -> str:
    return (
        "<hr:BoligHentInputStruktur><hr:BoligIdentifikationStruktur>"
        f"<hr:BuildingUnitUniversalIdentifier>{unit}</hr:BuildingUnitUniversalIdentifier>"
        "</hr:BoligIdentifikationStruktur></hr:BoligHentInputStruktur>"
    )


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]>\n"
)

# --- Reading answers ---------------------------------------------------------------------------------------


def soap_fault(response: httpx.Response, status: int = 500) -> tuple[str, str]:
    """(faultcode, faultstring) of a SOAP 1.1 Fault answer."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/xml")
    element = check_body(etree.fromstring(response.content))
    assert element.tag == f"{{{SOAP_NS}}}Fault", response.text
    return element.findtext("faultcode") or "", element.findtext("faultstring") or ""


def numbered(response: httpx.Response, operation: str) -> tuple[int, set[tuple[int, str | None]], list[Any]]:
    """(ResultatTypeKode, {(error number, FeltNavnTekst)}, error elements) of a schema-valid MetodeResultat."""
    assert response.status_code == 200, response.text
    output = check_body(etree.fromstring(response.content), f"{operation}OutputStruktur")
    result = output.find(f"{{{HR_NS}}}MetodeResultatStruktur")
    errors = result.findall(f"{{{HR_NS}}}ValideringsfejlStruktur")
    found = {
        (
            int(error.findtext(f"{{{HR_NS}}}ResultatStruktur/{{{HR_NS}}}ResultatKode")),
            error.findtext(f"{{{HR_NS}}}FeltNavnTekst"),
        )
        for error in errors
    }
    return int(result.findtext(f"{{{HR_NS}}}ResultatStruktur/{{{HR_NS}}}ResultatTypeKode")), found, errors


@contextmanager
def nothing_saved(service: HrService) -> Iterator[None]:
    before = service.snapshot()
    yield
    assert service.snapshot() == before, "the request changed the register"


# --- Positive controls -------------------------------------------------------------------------------------


def test_the_hand_written_envelopes_are_accepted_when_nothing_is_wrong(hr_module_service: HrService) -> None:
    """The base envelope the bad inputs are made from saves (so 'nothing saved' below means something)."""
    before = hr_module_service.snapshot()
    header = security().replace("</soap:Header>", MUST_UNDERSTAND.format("0") + "</soap:Header>")
    response = hr_module_service.post(envelope(bolig_ret(), header))
    assert numbered(response, "BoligRet") == (0, set(), [])
    assert hr_module_service.snapshot() != before
    limits = bolig_version(
        BoligStoetteBerettigetArealKvantitet="55.5",
        BoligStoetteBerettigetArealAarsagKode="4",
        BoligStoetteBerettigetArealAarsagTekst="x" * 100,
        BoligURLTekst="https://www.fjordbo.dk/" + "a" * (256 - 23),
    )
    with nothing_saved(hr_module_service):
        assert (
            numbered(hr_module_service.post(envelope(bolig_ret(limits, operation="BoligValider"))), "BoligValider")[0]
            == 0
        )


def test_the_document_encoding_declaration_is_honoured(hr_module_service: HrService) -> None:
    text = "Fælleshus og gårdmiljø"
    body = envelope(afdeling_ret(text, department=2)).replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    response = hr_module_service.post(body.decode().encode("iso-8859-1"))
    assert numbered(response, "AfdelingRet")[0] == 0
    answer = check_body(etree.fromstring(hr_module_service.post(envelope(afdeling_hent(department=2))).content))
    assert answer.findtext(f".//{{{HR_NS}}}AfdelingBeskrivelseTekst") == text


# --- Faults ------------------------------------------------------------------------------------------------

VALID_CALL = bolig_ret()
MUST_UNDERSTAND = (
    '<wsa:Action xmlns:wsa="http://www.w3.org/2005/08/addressing" soap:mustUnderstand="{}">'
    "urn:oio:lbf:huslejeregister:3.0.0/BoligRet</wsa:Action>"
)
STRUCTURE = VALID_CALL[VALID_CALL.index("<hr:BoligStruktur>") : VALID_CALL.index("</hr:BoligRetInputStruktur>")]
FAULTS: dict[str, tuple[bytes, str, str | tuple[str, ...]]] = {
    # not XML, or not a SOAP 1.1 call
    "malformed XML": (envelope(VALID_CALL)[:-20], "soap:Client", "malformed XML"),
    "not XML at all": (b'{"BoligRet": {}}', "soap:Client", "malformed XML"),
    "empty request": (b"", "soap:Client", "empty"),
    "billion laughs": (
        envelope(afdeling_ret("&lol9;"), prolog=BILLION_LAUGHS),
        "soap:Client",
        ("DOCTYPE declarations are not accepted", "amplification"),  # libxml2 may refuse the DTD itself
    ),
    "external entity": (
        envelope(afdeling_ret("&xxe;"), prolog='<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'),
        "soap:Client",
        "DOCTYPE declarations are not accepted",
    ),
    "SOAP 1.2 envelope": (envelope(VALID_CALL, namespace=SOAP12_NS), "soap:VersionMismatch", "Kun SOAP 1.1"),
    "no envelope": (
        VALID_CALL.replace("<hr:BoligRetInputStruktur>", f'<hr:BoligRetInputStruktur xmlns:hr="{HR_NS}">').encode(),
        "soap:Client",
        "Forventede en SOAP 1.1 Envelope",
    ),
    "envelope without body": (
        envelope("").replace(b"<soap:Body></soap:Body>", b""),
        "soap:Client",
        "SOAP Envelope uden Body",
    ),
    "empty body": (envelope(""), "soap:Client", "netop ét element, fandt 0"),
    "two calls in one body": (envelope(VALID_CALL + VALID_CALL), "soap:Client", "netop ét element, fandt 2"),
    "wrong body namespace": (
        envelope(
            VALID_CALL.replace("hr:", "v2:").replace(
                "<v2:BoligRetInputStruktur>", '<v2:BoligRetInputStruktur xmlns:v2="urn:oio:lbf:huslejeregister:2.0.0">'
            )
        ),
        "soap:Client",
        "Elementet BoligRetInputStruktur i SOAP Body skal være i namespace urn:oio:lbf:huslejeregister:3.0.0",
    ),
    "body element without namespace": (
        envelope("<BoligorganisationListInputStruktur/>"),
        "soap:Client",
        "Elementet BoligorganisationListInputStruktur i SOAP Body skal være i namespace",
    ),
    "unknown operation": (
        envelope(VALID_CALL.replace("BoligRetInputStruktur", "BoligSletInputStruktur")),
        "soap:Client",
        "Ukendt operation",
    ),
    "output element as input": (
        envelope("<hr:BoligorganisationListOutputStruktur/>"),
        "soap:Client",
        "Ukendt operation",
    ),
    # WS-Security
    "unknown header that must be understood": (
        envelope(VALID_CALL, security().replace("</soap:Header>", MUST_UNDERSTAND.format("1") + "</soap:Header>")),
        "soap:MustUnderstand",
        "{http://www.w3.org/2005/08/addressing}Action",
    ),
    "no header": (
        envelope(VALID_CALL, header=""),
        "wsse:InvalidSecurity",
        "WS-Security header med UsernameToken mangler",
    ),
    "header without security": (envelope(VALID_CALL, header="<soap:Header/>"), "wsse:InvalidSecurity", "mangler"),
    "wrong password": (envelope(VALID_CALL, security(password="bob-password")), "wsse:FailedAuthentication", "forkert"),
    "empty password": (envelope(VALID_CALL, security(password="")), "wsse:FailedAuthentication", "forkert"),
    "unknown user": (envelope(VALID_CALL, security(username="mallory")), "wsse:FailedAuthentication", "forkert"),
    "password digest": (
        envelope(VALID_CALL, security(password="bm9uY2U=", password_type=PASSWORD_DIGEST)),
        "wsse:UnsupportedSecurityToken",
        "PasswordText",
    ),
    "no password element": (envelope(VALID_CALL, security(password=None)), "wsse:InvalidSecurityToken", "Password"),
    # other organisations' and unknown identifiers
    "another organisation's dwelling": (
        envelope(bolig_ret(unit=BOBS_UNIT)),
        "soap:Client",
        f"Bolig {BOBS_UNIT} {NOT_FOUND}",
    ),
    "another organisation's department": (
        envelope(afdeling_ret("overtaget", organisation=503)),
        "soap:Client",
        f"Boligorganisation 503 {NOT_FOUND}",
    ),
    "an unknown department": (
        envelope(afdeling_ret("ny", department=42)),
        "soap:Client",
        f"Afdeling 501-42 {NOT_FOUND}",
    ),
    "an unknown dwelling": (envelope(bolig_ret(unit=uuid.UUID(int=7))), "soap:Client", NOT_FOUND),
    # the schema: lengths, types, dates, order, unknown and missing elements
    "AarsagTekst over 100 characters": (
        envelope(
            bolig_ret(
                bolig_version(
                    BoligStoetteBerettigetArealKvantitet="55",
                    BoligStoetteBerettigetArealAarsagKode="4",
                    BoligStoetteBerettigetArealAarsagTekst="x" * 101,
                )
            )
        ),
        "soap:Client",
        SCHEMA,
    ),
    "URL over 256 characters": (
        envelope(bolig_ret(bolig_version(BoligURLTekst="https://www.fjordbo.dk/" + "a" * (257 - 23)))),
        "soap:Client",
        SCHEMA,
    ),
    "word where an int is expected": (
        envelope(bolig_ret(bolig_version(BoligLejerTypeKode="en"))),
        "soap:Client",
        SCHEMA,
    ),
    "fraction where an int is expected": (
        envelope(bolig_ret(bolig_version(BoligGarageKode="1.5"))),
        "soap:Client",
        SCHEMA,
    ),
    "int out of range": (
        envelope(bolig_ret(bolig_version(BoligAntalBeboelsesrumKvantitet="99999999999"))),
        "soap:Client",
        SCHEMA,
    ),
    "decimal comma": (envelope(bolig_ret(bolig_version(BoligAktueltIndskudBeloeb="12000,50"))), "soap:Client", SCHEMA),
    "boolean ja": (envelope(bolig_ret(bolig_version(BoligKoekkenKunForLejerIndikator="ja"))), "soap:Client", SCHEMA),
    "30 February": (
        envelope(bolig_ret(bolig_version(VirkningFraDatoTid="2024-02-30T00:00:00"))),
        "soap:Client",
        SCHEMA,
    ),
    "date where a dateTime is expected": (
        envelope(bolig_ret(bolig_version(VirkningFraDatoTid="2024-01-01"))),
        "soap:Client",
        SCHEMA,
    ),
    "month 13": (envelope(bolig_ret(bolig_version(BoligIkkeAktivStartDato="2024-13-01"))), "soap:Client", SCHEMA),
    "prose date": (envelope(bolig_ret(bolig_version(VirkningTilDatoTid="i morgen"))), "soap:Client", SCHEMA),
    "malformed uuid": (envelope(bolig_ret(unit="ikke-en-uuid")), "soap:Client", SCHEMA),
    "malformed reference uuid": (
        envelope(bolig_ret(bolig_version(HandicapBoligTypeReference="123"))),
        "soap:Client",
        SCHEMA,
    ),
    "elements out of order": (
        envelope(
            bolig_ret(
                bolig_version()
                .replace("<hr:BoligTypeKode>3</hr:BoligTypeKode>", "")
                .replace("<hr:BoligLejerTypeKode>", "<hr:BoligTypeKode>3</hr:BoligTypeKode><hr:BoligLejerTypeKode>")
            )
        ),
        "soap:Client",
        SCHEMA,
    ),
    "unknown element": (
        envelope(
            bolig_ret(
                bolig_version().replace(
                    "</hr:BoligVersionStruktur>", "<hr:BoligFarveKode>1</hr:BoligFarveKode></hr:BoligVersionStruktur>"
                )
            )
        ),
        "soap:Client",
        SCHEMA,
    ),
    "unqualified element": (
        envelope(
            bolig_ret(
                bolig_version(BoligGarageKode=None).replace(
                    "<hr:BoligCarportKode>", "<BoligGarageKode>2</BoligGarageKode><hr:BoligCarportKode>"
                )
            )
        ),
        "soap:Client",
        SCHEMA,
    ),
    "missing identification": (
        envelope(
            "<hr:BoligRetInputStruktur><hr:BoligStruktur><hr:KladdeIndikator>false</hr:KladdeIndikator></hr:BoligStruktur></hr:BoligRetInputStruktur>"
        ),
        "soap:Client",
        SCHEMA,
    ),
    "two structures where one is allowed": (
        envelope(VALID_CALL.replace("</hr:BoligRetInputStruktur>", f"{STRUCTURE}</hr:BoligRetInputStruktur>")),
        "soap:Client",
        SCHEMA,
    ),
    "oversized XML": (envelope(afdeling_ret("x" * 25_000)), "soap:Client", "at most 20000 are accepted"),
}


@pytest.mark.parametrize("case", list(FAULTS))
def test_bad_requests_are_soap_faults_and_change_nothing(hr_module_service: HrService, case: str) -> None:
    body, code, fragment = FAULTS[case]
    with nothing_saved(hr_module_service):
        found = soap_fault(hr_module_service.post(body))
    assert found[0] == code, found
    assert any(part in found[1] for part in (fragment if isinstance(fragment, tuple) else (fragment,))), found


def test_a_body_over_the_platform_limit_is_refused_before_it_is_read(hr_module_service: HrService) -> None:
    with nothing_saved(hr_module_service):
        response = hr_module_service.post(envelope(afdeling_ret("x" * 45_000)))
    assert soap_fault(response, status=413) == ("soap:Client", "Forespørgslen er større end 40000 bytes")
    assert has_detail(response)


def has_detail(response: httpx.Response) -> bool:
    """Whether the Fault has SOAP 1.1's ``detail`` element (§4.4: required when the Body was not processed)."""
    return etree.fromstring(response.content).find(f"{{{SOAP_NS}}}Body/{{{SOAP_NS}}}Fault/detail") is not None


def test_a_fault_about_the_body_has_detail_one_about_the_header_has_none(hr_module_service: HrService) -> None:
    with pytest.raises(zeep.exceptions.Fault) as raised:
        hr_module_service.client("alice").service.BoligHent(
            BoligIdentifikationStruktur={"BuildingUnitUniversalIdentifier": str(uuid.uuid4())}
        )
    assert (raised.value.code, NOT_FOUND in raised.value.message) == ("soap:Client", True)
    assert raised.value.detail is not None
    assert etree.QName(raised.value.detail).localname == "detail"
    for body, code in (
        (FAULTS["unknown operation"][0], "soap:Client"),
        (envelope(bolig_ret(), security(password="forkert")), "wsse:FailedAuthentication"),
    ):
        response = hr_module_service.post(body)
        assert soap_fault(response)[0] == code
        assert has_detail(response) is (code == "soap:Client"), code


def test_platform_errors_are_danish_faults(hr_module_service: HrService) -> None:
    http = httpx.Client(timeout=30)
    base = hr_module_service.server.url + "/huslejeregister"
    response = http.get(f"{base}/v2")
    assert soap_fault(response, status=404) == (
        "soap:Client",
        "Stien /huslejeregister/v2 findes ikke; HuslejeregisterV3 svarer på /huslejeregister/v3 "
        "(WSDL: /huslejeregister/v3?wsdl)",
    )
    assert not has_detail(response)
    response = http.put(f"{base}/v3", content=b"")
    assert soap_fault(response, status=405) == (
        "soap:Client",
        "Metoden PUT kan ikke bruges på /huslejeregister/v3; SOAP-tjenesten kaldes med POST",
    )
    assert "POST" in response.headers["allow"]
    assert not has_detail(response)
    response = hr_module_service.get("?xsd=andet.xsd")
    assert soap_fault(response, status=404) == (
        "soap:Client",
        f"Skemaet andet.xsd findes ikke; WSDL: {hr_module_service.endpoint}?wsdl",
    )
    http.close()


@pytest.mark.parametrize("query", ["", "?wsdl_not", "?foo=bar"])
def test_get_without_wsdl_says_how_to_call(hr_module_service: HrService, query: str) -> None:
    response = hr_module_service.get(query)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    endpoint = hr_module_service.endpoint
    assert (
        response.text
        == f"HuslejeregisterV3 (SOAP 1.1). Tjenesten kaldes med POST på {endpoint}; WSDL: {endpoint}?wsdl\n"
    )


@pytest.mark.parametrize("query", ["?wsdl", "?WSDL", "?Wsdl", "?XSD=HuslejeregisterV3.xsd"])
def test_the_contract_answers_in_any_case(hr_module_service: HrService, query: str) -> None:
    response = hr_module_service.get(query)
    assert response.status_code == 200
    assert etree.fromstring(response.content).tag.endswith("definitions" if "wsdl" in query.lower() else "schema")


def test_billion_laughs_is_refused_and_the_service_stays_up(hr_module_service: HrService) -> None:
    body = envelope(afdeling_ret("&lol9;"), prolog=BILLION_LAUGHS)
    for _ in range(5):
        assert soap_fault(hr_module_service.post(body))[0] == "soap:Client"
    assert numbered(hr_module_service.post(envelope(bolig_ret(operation="BoligValider"))), "BoligValider")[0] == 0


# --- Numbered validation errors ------------------------------------------------------------------------------

V = bolig_version
NUMBERED: dict[str, tuple[list[str], set[tuple[int, str | None]]]] = {
    "2001 tenant type 2": ([V(BoligLejerTypeKode="2")], {(2001, "BoligLejerTypeKode")}),
    "2002 area reason 5": (
        [V(BoligStoetteBerettigetArealKvantitet="50", BoligStoetteBerettigetArealAarsagKode="5")],
        {(2002, "BoligStoetteBerettigetArealAarsagKode")},
    ),
    "2003 reason 4 without text": (
        [V(BoligStoetteBerettigetArealKvantitet="50", BoligStoetteBerettigetArealAarsagKode="4")],
        {(2003, "BoligStoetteBerettigetArealAarsagTekst")},
    ),
    "2004 heating 5": ([V(BoligOpvarmningsformKode="5")], {(2004, "BoligOpvarmningsformKode")}),
    "2005 garage 4": ([V(BoligGarageKode="4")], {(2005, "BoligGarageKode")}),
    "2006 carport 0": ([V(BoligCarportKode="0")], {(2006, "BoligCarportKode")}),
    "2007 exterior maintenance 4": (
        [V(BoligUdvendigVedligeholdelseLejerKode="4")],
        {(2007, "BoligUdvendigVedligeholdelseLejerKode")},
    ),
    "2008 interior maintenance 3": (
        [V(BoligIndvendigVedligeholdelseLejerKode="3")],
        {(2008, "BoligIndvendigVedligeholdelseLejerKode")},
    ),
    "2009 housing type 5": ([V(BoligTypeKode="5")], {(2009, "BoligTypeKode")}),
    "2010 area 0": (
        [V(BoligStoetteBerettigetArealKvantitet="0", BoligStoetteBerettigetArealAarsagKode="1")],
        {(2010, "BoligStoetteBerettigetArealKvantitet")},
    ),
    "2011 no rooms": ([V(BoligAntalBeboelsesrumKvantitet="0")], {(2011, "BoligAntalBeboelsesrumKvantitet")}),
    "2012 pre-1998 area negative": ([V(BoligArealFoer1998Kvantitet="-4.5")], {(2012, "BoligArealFoer1998Kvantitet")}),
    "2013 inactive period empty": (
        [V(BoligIkkeAktivStartDato="2024-05-01", BoligIkkeAktivSlutDato="2024-05-01")],
        {(2013, "BoligIkkeAktivStartDato")},
    ),
    "2016 not a URL": ([V(BoligURLTekst="ikke en url")], {(2016, "BoligURLTekst")}),
    "2017 negative entry deposit": ([V(BoligAktueltIndskudBeloeb="-1")], {(2017, "BoligAktueltIndskudBeloeb")}),
    "2018 negative deposit": ([V(BoligAktueltDepositumBeloeb="-0.01")], {(2018, "BoligAktueltDepositumBeloeb")}),
    "2019 area without reason": (
        [V(BoligStoetteBerettigetArealKvantitet="50")],
        {(2019, "BoligStoetteBerettigetArealAarsagKode")},
    ),
    "2020 reason without area": (
        [V(BoligStoetteBerettigetArealAarsagKode="1")],
        {(2020, "BoligStoetteBerettigetArealAarsagKode")},
    ),
    "2021 neither deposit": ([V(BoligAktueltIndskudBeloeb=None)], {(2021, "BoligAktueltIndskudBeloeb")}),
    "1000 garage missing": ([V(BoligGarageKode=None)], {(1000, "BoligGarageKode")}),
    "several at once": (
        [V(BoligLejerTypeKode="3", BoligTypeKode=None, BoligURLTekst="www")],
        {(2001, "BoligLejerTypeKode"), (1000, "BoligTypeKode"), (2016, "BoligURLTekst")},
    ),
    "5001 overlapping versions": (
        [V(VirkningTilDatoTid="2025-01-01T00:00:00"), V(VirkningFraDatoTid="2024-06-01T00:00:00")],
        {(5001, "VirkningFraDatoTid")},
    ),
    "5001 two open-ended versions": (
        [V(), V(VirkningFraDatoTid="2030-01-01T00:00:00")],
        {(5001, "VirkningFraDatoTid")},
    ),
    "5001 gap": (
        [V(VirkningTilDatoTid="2025-01-01T00:00:00"), V(VirkningFraDatoTid="2026-01-01T00:00:00")],
        {(5001, "VirkningFraDatoTid")},
    ),
    "5002 VirkningTil equal to VirkningFra": (
        [V(VirkningTilDatoTid="2024-01-01T00:00:00")],
        {(5002, "VirkningTilDatoTid")},
    ),
    "5002 VirkningTil before VirkningFra": (
        [V(VirkningTilDatoTid="2023-12-31T23:59:59")],
        {(5002, "VirkningTilDatoTid")},
    ),
    "5003 VirkningFra before 1900": ([V(VirkningFraDatoTid="1899-12-31T00:00:00Z")], {(5003, "VirkningFraDatoTid")}),
    "5004 VirkningFra missing": ([V(VirkningFraDatoTid=None)], {(5004, "VirkningFraDatoTid")}),
    "5004 and a valid version": (
        [V(VirkningTilDatoTid="2025-01-01T00:00:00"), V(VirkningFraDatoTid=None)],
        {(5004, "VirkningFraDatoTid")},
    ),
}
EXPECTED_TEXTS = {
    2001: "Bolig.Lejertype skal være 1 eller 4",
    1000: "Bolig.Garage skal udfyldes",
    5001: "Der må ikke være huller i virkningsperioder for en entitet",
    5002: "VirkningTil skal være null eller større end VirkningFra",
    5003: "VirkningFra skal være større end eller lig med 01-01-1900",
    5004: "VirkningFra skal angives.",
}


@pytest.mark.parametrize("operation", ["BoligRet", "BoligValider"])
@pytest.mark.parametrize("case", list(NUMBERED))
def test_invalid_submissions_give_numbered_errors_and_save_nothing(
    hr_module_service: HrService, case: str, operation: str
) -> None:
    versions, expected = NUMBERED[case]
    with nothing_saved(hr_module_service):
        response = hr_module_service.post(envelope(bolig_ret(*versions, unit=FRESH_UNIT, operation=operation)))
    type_code, found, errors = numbered(response, operation)
    assert (type_code, found) == (20, expected)
    for error in errors:
        number = int(error.findtext(f"{{{HR_NS}}}ResultatStruktur/{{{HR_NS}}}ResultatKode"))
        assert error.findtext(f"{{{HR_NS}}}EntitetNavnTekst") == "Bolig"
        assert error.findtext(f"{{{HR_NS}}}EntitetReference") == str(FRESH_UNIT)
        assert error.findtext(f"{{{HR_NS}}}ValideringsfejlFunktionTekst") == operation
        if number in EXPECTED_TEXTS and (number != 1000 or "Garage" in case):
            assert error.findtext(f"{{{HR_NS}}}ResultatStruktur/{{{HR_NS}}}ResultatTekst") == EXPECTED_TEXTS[number]
    # the dwelling still has no versions
    hent = check_body(etree.fromstring(hr_module_service.post(envelope(bolig_hent(FRESH_UNIT))).content))
    assert hent.findall(f".//{{{HR_NS}}}BoligVersionStruktur") == []


def test_drafts_skip_the_field_rules_but_not_the_period_rules(hr_module_service: HrService) -> None:
    """KladdeIndikator true (or absent) saves without the field rules; 5001 (overlap), 5002 and 5004 still hold."""
    for versions, expected in (
        ([V(VirkningTilDatoTid="2025-01-01T00:00:00"), V(VirkningFraDatoTid="2024-06-01T00:00:00")], {5001}),
        ([V(VirkningTilDatoTid="2024-01-01T00:00:00")], {5002}),
        ([V(VirkningFraDatoTid=None)], {5004}),
    ):
        for kladde in ("true", None):
            with nothing_saved(hr_module_service):
                response = hr_module_service.post(envelope(bolig_ret(*versions, unit=FRESH_UNIT, kladde=kladde)))
            assert {number for number, _ in numbered(response, "BoligRet")[1]} == expected


# --- Times at the calendar's ends ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("element", "value"),
    [
        ("VirkningFraDatoTid", "-0001-01-01T00:00:00Z"),
        ("VirkningFraDatoTid", "10000-01-01T00:00:00Z"),
        ("VirkningFraDatoTid", "2024-01-01T24:00:00Z"),
        ("BoligIkkeAktivStartDato", "-0001-01-01"),
    ],
)
def test_times_the_schema_admits_but_no_calendar_holds_are_client_faults(
    hr_module_service: HrService, element: str, value: str
) -> None:
    with nothing_saved(hr_module_service):
        response = hr_module_service.post(envelope(bolig_ret(V(**{element: value}), unit=FRESH_UNIT)))
    code, message = soap_fault(response)
    assert code == "soap:Client"
    assert message.startswith(("Ugyldig dato og tid", "Ugyldig værdi i input")), message


@pytest.mark.parametrize(
    ("start", "refused_at"),
    [
        ("0001-01-01T00:00:00", "0001-01-01T00:00:00Z"),  # .NET's DateTime.MinValue: an unset field
        ("1850-01-01T00:00:00Z", "1850-01-01T00:00:00Z"),  # Copenhagen kept local mean time until 1894
        ("1899-12-31T23:59:59", "1899-12-31T23:59:59+01:00"),
        ("1899-12-31T23:00:00Z", None),  # = 1900-01-01T00:00 Danish time, the default minimum
        ("1900-01-01T00:00:00", None),
    ],
)
def test_virkningfra_before_1900_danish_time_is_error_5003(
    hr_module_service: HrService, start: str, refused_at: str | None
) -> None:
    call = bolig_ret(V(VirkningFraDatoTid=start), unit=FRESH_UNIT, operation="BoligValider")
    with nothing_saved(hr_module_service):
        response = hr_module_service.post(envelope(call))
    type_code, found, errors = numbered(response, "BoligValider")
    if refused_at is None:
        assert (type_code, found) == (0, set())
        return
    assert (type_code, found) == (20, {(5003, "VirkningFraDatoTid")})
    assert errors[0].findtext(f"{{{HR_NS}}}ResultatStruktur/{{{HR_NS}}}ResultatTekst") == EXPECTED_TEXTS[5003]
    assert errors[0].findtext(f"{{{HR_NS}}}EntitetVirkningFraDatoTid") == refused_at


@pytest.mark.parametrize(
    ("index", "sent", "answered"),
    [
        (1, "0001-01-01T00:00:00", "0001-01-01T00:00:00Z"),
        (2, "1850-06-01T12:00:00Z", "1850-06-01T12:00:00Z"),
        (3, "1894-06-01T12:00:00Z", "1894-06-01T13:00:00+01:00"),
    ],
)
def test_drafts_from_any_century_can_be_read_back(
    hr_module_service: HrService, index: int, sent: str, answered: str
) -> None:
    """Drafts skip 5003; what they hold is answered as valid xs:dateTime (UTC where Danish time has no offset in
    whole minutes), so the entity stays readable."""
    unit = unit_id(501, 1, 2, index)
    draft = bolig_ret(V(VirkningFraDatoTid=sent), unit=unit, kladde=None)
    assert numbered(hr_module_service.post(envelope(draft)), "BoligRet")[0] == 0
    answer = check_body(etree.fromstring(hr_module_service.post(envelope(bolig_hent(unit))).content))
    assert answer.tag == f"{{{HR_NS}}}BoligHentOutputStruktur"
    assert [item.text for item in answer.iter(f"{{{HR_NS}}}VirkningFraDatoTid")] == [answered]


def test_a_reference_to_an_unknown_accessibility_type_is_a_fault(hr_module_service: HrService) -> None:
    reference = str(uuid.UUID(int=99))
    with nothing_saved(hr_module_service):
        response = hr_module_service.post(envelope(bolig_ret(V(HandicapBoligTypeReference=reference), unit=FRESH_UNIT)))
    assert soap_fault(response) == ("soap:Client", f"HandicapBoligType {reference} findes ikke i boligens byggeafsnit")


# --- HandicapBoligType ----------------------------------------------------------------------------------------


def test_answering_a_question_twice_is_a_client_error(hr_module_service: HrService) -> None:
    question = (
        "<hr:HandicapSpoergsmaalStruktur><hr:HandicapSpoergsmaalIdentifikator>A2</hr:HandicapSpoergsmaalIdentifikator>"
        "<hr:HandicapRegistreringStruktur><hr:HandicapRegistreringNumeriskVaerdiKvantitet>{}"
        "</hr:HandicapRegistreringNumeriskVaerdiKvantitet></hr:HandicapRegistreringStruktur>"
        "</hr:HandicapSpoergsmaalStruktur>"
    )
    body = (
        "<hr:HandicapBoligTypeRetInputStruktur><hr:HandicapBoligTypeStruktur><hr:ByggeafsnitIdentifikationStruktur>"
        "<hr:AfdelingIdentifikationStruktur><hr:BoligorganisationIdentifikationStruktur>"
        "<hr:BoligorganisationIdentifikator>501</hr:BoligorganisationIdentifikator>"
        "</hr:BoligorganisationIdentifikationStruktur><hr:AfdelingIdentifikator>1</hr:AfdelingIdentifikator>"
        "</hr:AfdelingIdentifikationStruktur><hr:ByggeafsnitIdentifikator>1</hr:ByggeafsnitIdentifikator>"
        "</hr:ByggeafsnitIdentifikationStruktur>"
        "<hr:HandicapBoligTypeTitelTekst>To svar</hr:HandicapBoligTypeTitelTekst>"
        f"<hr:ObjektStatusKode>1</hr:ObjektStatusKode><hr:HandicapSpoergsmaalListe>{question.format(1)}"
        f"{question.format(2)}</hr:HandicapSpoergsmaalListe></hr:HandicapBoligTypeStruktur>"
        "</hr:HandicapBoligTypeRetInputStruktur>"
    )
    with nothing_saved(hr_module_service):
        response = hr_module_service.post(envelope(body))
    assert soap_fault(response) == ("soap:Client", "HandicapSpoergsmaal A2 er besvaret mere end én gang")
