"""The HTTP surface of HuslejeregisterV3 at ``/huslejeregister/v3``: the SOAP endpoint, the WSDL at ``?wsdl`` and
the XSD it imports. Each call runs in one transaction: the user is authenticated from the WS-Security header,
the operation's handler runs, and a result with validation errors rolls everything back.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from bodata.core.context import AppContext, context_of
from bodata.core.credentials import throttled_check
from bodata.core.errors import ApiError
from bodata.core.throttle import LockedOut
from bodata.core.urls import public_url
from bodata.huslejeregister import (
    allocation,
    attachments,
    expenses,
    handicap,
    leases,
    rules,
    service,
    soap,
    units,
)
from bodata.huslejeregister.schema import SCHEMA_DIR, XSD_NAME, published_wsdl
from bodata.huslejeregister.service import KINDS, Call, EntityKind, Handler, RegisterRules
from bodata.huslejeregister.soap import DANISH_TIME, SoapFault, client_fault

ENDPOINT = "/v3"
SOAP_CONTENT_TYPE = "text/xml; charset=utf-8"


def _result(call: Call, findings: list[rules.Finding]) -> dict[str, Any]:
    return service.method_output(findings, call.operation)


_PARENTS = {
    "BoligorganisationIdentifikationStruktur": service.find_organisation,
    "AfdelingIdentifikationStruktur": service.find_afdeling,
    "ByggeafsnitIdentifikationStruktur": service.find_byggeafsnit,
}


def _bitemporal_handlers(kind: EntityKind) -> dict[str, Handler]:
    name, editions = kind.name, f"{kind.name}Struktur"

    def entity(call: Call, structure: dict[str, Any] | None = None) -> Any:
        source = structure if structure is not None else call.input
        return kind.find(call.session, call.caller, source[f"{name}IdentifikationStruktur"])

    def list_entities(call: Call) -> dict[str, Any]:
        parent = None
        for element, find in _PARENTS.items():
            if element in call.input:
                parent = find(call.session, call.caller, call.input[element])
        found = service.children(call.session, kind, call.caller, parent)
        return {editions: service.list_in_effect(call.session, kind, found, call.now)}

    def ret(save: bool) -> Handler:
        def handle(call: Call) -> dict[str, Any]:
            structure = call.input[editions]
            findings = service.ret(
                call.session, kind, entity(call, structure), structure, now=call.now, register=call.register, save=save
            )
            return _result(call, findings)

        return handle

    return {
        f"{name}Hent": lambda call: {editions: service.hent(call.session, kind, entity(call))},
        f"{name}HentSpecifik": lambda call: {
            editions: service.hent_specifik(call.session, kind, entity(call), call.input["VirkningsdatoDatoTid"])
        },
        f"{name}HentHistorisk": lambda call: {
            editions: service.hent_historisk(call.session, kind, entity(call), call.input["RegistreringstidDatoTid"])
        },
        f"{name}HentHistoriskSpecifik": lambda call: {
            editions: service.hent_historisk_specifik(
                call.session,
                kind,
                entity(call),
                call.input["RegistreringstidDatoTid"],
                call.input["VirkningsdatoDatoTid"],
            )
        },
        f"{name}HentVirkningsperioder": lambda call: {
            "VirkningsperiodeStruktur": service.hent_virkningsperioder(call.session, kind, entity(call))
        },
        f"{name}HentVirkningsperioderHistorisk": lambda call: {
            "VirkningsperiodeStruktur": service.hent_virkningsperioder(
                call.session, kind, entity(call), call.input["RegistreringstidDatoTid"]
            )
        },
        f"{name}List": list_entities,
        f"{name}Ret": ret(save=True),
        f"{name}Valider": ret(save=False),
    }


def _settings_organisation(call: Call, structure: dict[str, Any]) -> Any:
    ident = structure["IndstillingIdentifikationStruktur"]["BoligorganisationIdentifikationStruktur"]
    return service.find_organisation(call.session, call.caller, ident)


def _indstilling_hent(call: Call) -> dict[str, Any]:
    organisation = _settings_organisation(call, call.input)
    settings = service.indstilling(call.session, organisation, call.now)
    return {"IndstillingStruktur": service.indstilling_output(organisation, settings)}


def _indstilling_ret(save: bool) -> Handler:
    def handle(call: Call) -> dict[str, Any]:
        structure = call.input["IndstillingStruktur"]
        organisation = _settings_organisation(call, structure)
        return _result(call, service.ret_indstilling(call.session, organisation, structure, now=call.now, save=save))

    return handle


def _handicap_list(call: Call) -> dict[str, Any]:
    ident = call.input["BoligorganisationIdentifikationStruktur"]
    organisation = service.find_organisation(call.session, call.caller, ident, by_unique=True)
    return {"HandicapBoligTypeStruktur": handicap.list_types(call.session, organisation.id)}


def _handicap_ret(save: bool) -> Handler:
    def handle(call: Call) -> dict[str, Any]:
        structures = call.input["HandicapBoligTypeStruktur"]
        return _result(call, handicap.ret_types(call.session, call.caller, structures, save=save))

    return handle


HANDLERS: dict[str, Handler] = {
    **{name: handler for kind in KINDS.values() for name, handler in _bitemporal_handlers(kind).items()},
    **allocation.HANDLERS,
    **attachments.HANDLERS,
    **expenses.HANDLERS,
    **leases.HANDLERS,
    **units.HANDLERS,
    "IndstillingHent": _indstilling_hent,
    "IndstillingRet": _indstilling_ret(save=True),
    "IndstillingValider": _indstilling_ret(save=False),
    "UdlejningssamarbejdeList": lambda call: {
        "UdlejningssamarbejdeStruktur": service.list_udlejningssamarbejder(call.session)
    },
    "HandicapBoligTypeList": _handicap_list,
    "HandicapBoligTypeRet": _handicap_ret(save=True),
    "HandicapBoligTypeValider": _handicap_ret(save=False),
}


def register_rules(context: AppContext) -> RegisterRules:
    settings = context.settings
    return RegisterRules(
        earliest_effect=datetime.fromisoformat(settings.huslejeregister_earliest_effect).replace(tzinfo=DANISH_TIME),
        lease_cutoff=date.fromisoformat(settings.huslejeregister_lease_cutoff),
        attachment_max_bytes=settings.huslejeregister_attachment_max_bytes,
    )


def handle_call(context: AppContext, body: bytes) -> bytes:
    """Answer one SOAP request (bytes in, bytes out); raises SoapFault for what is answered as a Fault."""
    request = soap.parse_request(body, max_bytes=context.settings.max_xml_bytes)
    if request.credentials is None:
        raise SoapFault("wsse:InvalidSecurity", "WS-Security header med UsernameToken mangler")
    username, password = request.credentials.username, request.credentials.password
    try:  # a read transaction: no write lock while the password is checked
        caller = throttled_check(
            context,
            realm="huslejeregister",
            name=username,
            check=lambda session: service.authenticate(session, username, password),
        )
    except LockedOut as locked:
        until = locked.until.isoformat(timespec="seconds").replace("+00:00", "Z")
        raise SoapFault(
            "wsse:FailedAuthentication", f"For mange forkerte adgangskoder i træk: brugeren er spærret indtil {until}"
        ) from None
    if caller is None:
        raise SoapFault("wsse:FailedAuthentication", "Brugernavn eller adgangskode er forkert")
    with context.db.transaction() as session:
        call = Call(
            session, caller, request.input, context.clock.now(), register_rules(context), request.operation.name
        )
        handler = HANDLERS.get(request.operation.name)
        if handler is None:
            raise SoapFault("soap:Server", f"Operationen {request.operation.name} er endnu ikke implementeret")
        output = handler(call)
        result = output.get("MetodeResultatStruktur") or output.get("MetodeOpretResultatStruktur") or {}
        outcome = result.get("ResultatStruktur", {}).get("ResultatTypeKode")
        if outcome in (rules.ERRORS, rules.ERRORS_AND_INFOS):
            session.rollback()
        return soap.response_envelope(request.operation, output)


def _fault(fault: SoapFault) -> Response:
    return Response(soap.fault_envelope(fault), status_code=500, media_type=SOAP_CONTENT_TYPE)


def render_soap_fault(request: Request, error: ApiError) -> Response:
    """Platform errors under the service (unknown path, body too large, …) as SOAP Faults."""
    code = "soap:Client" if error.status < 500 else "soap:Server"
    return Response(soap.fault_envelope(SoapFault(code, error.message)), error.status, media_type=SOAP_CONTENT_TYPE)


def create_huslejeregister_app() -> FastAPI:
    """The HuslejeregisterV3 app, mounted at ``/huslejeregister``."""
    app = FastAPI(
        title="bodata HuslejeregisterV3",
        summary="Landsbyggefonden's rent register as a SOAP 1.1 document/literal service",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )

    @app.post(ENDPOINT)
    async def endpoint(request: Request) -> Response:
        body = await request.body()
        context = context_of(request)
        try:
            answer = await run_in_threadpool(handle_call, context, body)
        except SoapFault as fault:
            return _fault(fault)
        return Response(answer, media_type=SOAP_CONTENT_TYPE)

    @app.get(ENDPOINT)
    def contract(request: Request) -> Response:
        """``?wsdl`` gives the WSDL, ``?xsd=HuslejeregisterV3.xsd`` the schema it imports."""
        address = public_url(request, ENDPOINT)
        if "wsdl" in request.query_params:
            return Response(published_wsdl(address, f"{address}?xsd={XSD_NAME}"), media_type="text/xml")
        if request.query_params.get("xsd") == XSD_NAME:
            return Response((SCHEMA_DIR / XSD_NAME).read_bytes(), media_type="text/xml")
        return _fault(client_fault(f"SOAP-tjenesten kaldes med POST; WSDL: {address}?wsdl"))

    return app
