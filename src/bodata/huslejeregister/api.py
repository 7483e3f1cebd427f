"""The HTTP surface of HuslejeregisterV3 at ``/huslejeregister/v3``: the SOAP endpoint, the WSDL at ``?wsdl`` and
the XSD it imports. Each call runs in one transaction: the user is authenticated from the WS-Security header,
the operation's handler runs, and a result with validation errors rolls everything back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bodata.core.cache import NEVER, CredentialCache
from bodata.core.context import AppContext, context_of
from bodata.core.credentials import throttled_check
from bodata.core.errors import ApiError
from bodata.core.metrics import name_operation
from bodata.core.throttle import LockedOut
from bodata.core.timezones import DANISH_TIME
from bodata.core.urls import public_url
from bodata.huslejeregister import organisations, rules, soap
from bodata.huslejeregister.calls import Call, Caller, Handler, Refused, RegisterRules
from bodata.huslejeregister.operations import HANDLERS
from bodata.huslejeregister.schema import SCHEMA_DIR, XSD_NAME, published_wsdl
from bodata.huslejeregister.soap import SoapFault, client_fault

ENDPOINT = "/v3"
SOAP_CONTENT_TYPE = "text/xml; charset=utf-8"


def register_rules(context: AppContext) -> RegisterRules:
    settings = context.settings
    return RegisterRules(
        earliest_effect=datetime.fromisoformat(settings.huslejeregister_earliest_effect).replace(tzinfo=DANISH_TIME),
        lease_cutoff=date.fromisoformat(settings.huslejeregister_lease_cutoff),
        attachment_max_bytes=settings.huslejeregister_attachment_max_bytes,
    )


def handle_call(
    context: AppContext,
    body: bytes,
    callers: CredentialCache[Caller] | None = None,
    *,
    on_operation: Callable[[str], None] | None = None,
) -> bytes:
    """Answer one SOAP request (bytes in, bytes out); raises SoapFault for what is answered as a Fault.

    ``callers`` remembers verified UsernameTokens (the app keeps one): a read-only method then needs one statement
    for the caller instead of the lock check, the user and its organisations. ``on_operation`` learns the method's
    name once the envelope is read (the metrics count calls per method).
    """
    request = soap.parse_request(body, max_bytes=context.settings.max_xml_bytes)
    if on_operation is not None:
        on_operation(request.operation.name)
    if request.credentials is None:
        raise SoapFault("wsse:InvalidSecurity", "WS-Security header med UsernameToken mangler")
    reads = _READ_ONLY.search(request.operation.name) is not None
    with context.db.transaction(write=not reads) as session:
        # the password is checked in a read transaction: the method's own for a read-only method, else a separate
        # one (the write session has not begun yet: it takes the write lock at its first statement, after Argon2)
        caller = _caller(context, request.credentials, session if reads else None, callers)
        call = Call(
            session, caller, request.input, context.clock.now(), register_rules(context), request.operation.name
        )
        handler = HANDLERS.get(request.operation.name)
        if handler is None:
            raise SoapFault("soap:Server", f"Operationen {request.operation.name} er endnu ikke implementeret")
        output = answer(handler, call)
        result = output.get("MetodeResultatStruktur") or output.get("MetodeOpretResultatStruktur") or {}
        outcome = result.get("ResultatStruktur", {}).get("ResultatTypeKode")
        if outcome in (rules.ERRORS, rules.ERRORS_AND_INFOS):
            session.rollback()
        return soap.response_envelope(request.operation, output)


_READ_ONLY = re.compile(r"(Hent|List)")
"""The read-only methods (Hent, HentSpecifik, HentHistorisk…, List): one read transaction, no write lock."""


def _caller(
    context: AppContext,
    credentials: soap.Credentials,
    session: Session | None,
    callers: CredentialCache[Caller] | None,
) -> Caller:
    """The authenticated caller of a UsernameToken (throttled), or the WS-Security Fault."""
    username, password = credentials.username, credentials.password

    def check(reading: Session | None) -> tuple[Caller, datetime] | None:
        caller = throttled_check(
            context,
            realm="huslejeregister",
            name=username,
            check=lambda user_session: organisations.authenticate(user_session, username, password),
            session=reading,
        )
        return None if caller is None else (caller, NEVER)

    try:
        if callers is not None and session is not None:
            caller = callers.lookup(session, f"{username}\0{password}", now=context.clock.now(), load=check)
        else:
            found = check(session)
            caller = None if found is None else found[0]
    except LockedOut as locked:
        until = locked.until.isoformat(timespec="seconds").replace("+00:00", "Z")
        raise SoapFault(
            "wsse:FailedAuthentication", f"For mange forkerte adgangskoder i træk: brugeren er spærret indtil {until}"
        ) from None
    if caller is None:
        raise SoapFault("wsse:FailedAuthentication", "Brugernavn eller adgangskode er forkert")
    return caller


def answer(handler: Handler, call: Call) -> dict[str, Any]:
    """The handler's output for the call; a call the domain refuses is a ``soap:Client`` Fault."""
    try:
        return handler(call)
    except Refused as refused:
        raise client_fault(refused.message) from None


def _fault(fault: SoapFault, status: int = 500, *, detail: bool | None = None) -> Response:
    """A Fault; ``detail`` (by default: for a Body that could not be processed) as SOAP 1.1 §4.4 says."""
    detail = fault.code in soap.BODY_FAULTS if detail is None else detail
    return Response(soap.fault_envelope(fault, detail=detail), status_code=status, media_type=SOAP_CONTENT_TYPE)


_PLATFORM_TEXTS = {
    "not_found": "Stien {path} findes ikke; HuslejeregisterV3 svarer på {endpoint} (WSDL: {endpoint}?wsdl)",
    "method_not_allowed": "Metoden {method} kan ikke bruges på {path}; SOAP-tjenesten kaldes med POST",
    "body_too_large": "Forespørgslen er større end {limit} bytes",
    "internal_error": "Der opstod en intern fejl; den er logget under svarets X-Request-ID",
}


def render_soap_fault(request: Request, error: ApiError) -> Response:
    """Platform errors under the service (unknown path, wrong method, body too large, internal error) as SOAP
    Faults in Danish; ``detail`` only where a Body was being processed (not for 404 and 405)."""
    code = "soap:Client" if error.status < 500 else "soap:Server"
    text = (
        _PLATFORM_TEXTS[error.code].format(
            path=request.url.path,
            endpoint=request.scope.get("root_path", "") + ENDPOINT,
            method=request.method,
            limit=context_of(request).settings.max_body_bytes,
        )
        if error.code in _PLATFORM_TEXTS
        else error.message  # as it is: a stand-in fault's text may hold braces
    )
    response = _fault(SoapFault(code, text), error.status, detail=error.status not in (404, 405))
    response.headers.update(error.headers)
    if "bodata.allow" in request.scope:
        response.headers["Allow"] = request.scope["bodata.allow"]
    return response


def create_huslejeregister_app() -> FastAPI:
    """The HuslejeregisterV3 app, mounted at ``/huslejeregister``."""
    app = FastAPI(
        title="bodata HuslejeregisterV3",
        summary="Landsbyggefonden's rent register as a SOAP 1.1 document/literal service",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )

    callers: CredentialCache[Caller] = CredentialCache(organisations.CALLERS)

    @app.post(ENDPOINT)
    async def endpoint(request: Request) -> Response:
        body = await request.body()
        context = context_of(request)
        try:
            answer = await run_in_threadpool(
                handle_call, context, body, callers, on_operation=lambda name: name_operation(request.scope, name)
            )
        except SoapFault as fault:
            return _fault(fault)
        return Response(answer, media_type=SOAP_CONTENT_TYPE)

    @app.get(ENDPOINT)
    def contract(request: Request) -> Response:
        """``?wsdl`` gives the WSDL, ``?xsd=HuslejeregisterV3.xsd`` the schema it imports (parameter names in any
        case, as .NET's ``?WSDL``); without either, a page saying how to call the service."""
        address = public_url(request, ENDPOINT)
        query = {key.lower(): value for key, value in request.query_params.items()}
        if "wsdl" in query:
            return Response(published_wsdl(address, f"{address}?xsd={XSD_NAME}"), media_type="text/xml")
        if "xsd" in query:
            if query["xsd"] == XSD_NAME:
                return Response((SCHEMA_DIR / XSD_NAME).read_bytes(), media_type="text/xml")
            return _fault(client_fault(f"Skemaet {query['xsd']} findes ikke; WSDL: {address}?wsdl"), 404, detail=False)
        return Response(
            f"HuslejeregisterV3 (SOAP 1.1). Tjenesten kaldes med POST på {address}; WSDL: {address}?wsdl\n",
            media_type="text/plain; charset=utf-8",
        )

    return app
