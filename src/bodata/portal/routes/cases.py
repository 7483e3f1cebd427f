"""Case routes of the tenant portal: the node picker (E4), fault reports (E5), cases by id or share key (E6),
inspection protocols (E7), offer answers (E14), case-row files (E16) and node classes (E17).

The E17 route ``/session/{NodKlassGruppSystemName}`` is declared last, so that every literal route wins over it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from bodata.core.context import Context, DbSession
from bodata.portal import cases, service
from bodata.portal.customers import local_now
from bodata.portal.models import Case
from bodata.portal.requests import JsonBody, Tenant, boolean, parameter

router = APIRouter(tags=["Ärenden"])

MEDIA_BYTES_FLAG = "HämtaÄrendeRaderMediaBytes"


def _query(name: str, description: str, kind: str = "boolean") -> dict[str, object]:
    """An OpenAPI query parameter the route reads itself (names are matched case-insensitively)."""
    return {"name": name, "in": "query", "required": False, "schema": {"type": kind}, "description": description}


def _json_example(example: object) -> dict[str, object]:
    """An OpenAPI JSON request body the route reads itself."""
    return {"requestBody": {"required": True, "content": {"application/json": {"example": example}}}}


FAULT_REPORT_EXAMPLE = {
    "Avser": "n245612",
    "Ärendetyp": "Felanmälan",
    "Användningstyp": {"Referensnamn": "Felanmälan"},
    "Kontakt": None,
    "Husdjur": None,
    "ÄrendeKällaSystemnamn": "MinaSidor",
    "Rader": [
        {
            "Avser": "n245612-n512431-n188452-n422831",
            "Beskrivning": "Repareras",
            "NyckelhanteringId": 2,
            "Nyckelhanteringsnotering": "Hemma mellan 10:00 och 13:00",
            "FelbeskrivningstypId": 12,
            "Specifikation": "Stopp i avlopp",
            "Media": [{"MediaByte": "<base64>", "Notering": "En notering till bilden"}],
        }
    ],
}
"""portal.md §5.8's E5 request."""


def _flag(request: Request, name: str, *, default: bool = False) -> bool:
    """A boolean query parameter by its name or its ASCII-folded name (``HamtaAvser``), any case."""
    value = parameter(request, name)
    return boolean(value if value is not None else parameter(request, cases.fold(name)), name, default=default)


@router.get(
    "/session/arende/typ/{ArendeTyp}/{AnvandningaTyp}/{Id}",
    summary="E4 Hämta noder under ett objekt (ÄrendeAvserVäljareInställningar)",
    openapi_extra={
        "parameters": [
            _query("HämtaAvser", "Barnen för varje steg i nodstigen (standard true)"),
            _query("HämtaFelbeskrivningstyper", "Felbeskrivningar för nodstigens sista nod (standard false)"),
            _query("HämtaNyckelhanteringstyper", "Nyckelhanteringstyper (standard false)"),
        ]
    },
)
def get_picker(
    arende_typ: Annotated[str, Path(alias="ArendeTyp", description="Order eller Besiktning")],
    anvandningstyp: Annotated[str, Path(alias="AnvandningaTyp", description="Felanmälan (felanmalan)")],
    node_path: Annotated[str, Path(alias="Id", description="Nodstigen, t.ex. n245612-n512431")],
    request: Request,
    tenant: Tenant,
    session: DbSession,
    context: Context,
) -> JSONResponse:
    """The children of every node of the path (a list per step), and on request the fault descriptions of its last
    node and the key-handling types (flags HämtaAvser, default true; HämtaFelbeskrivningstyper and
    HämtaNyckelhanteringstyper, default false)."""
    settings = cases.picker_settings(
        session,
        customer_id=tenant.customer_id,
        case_type=arende_typ,
        usage=anvandningstyp,
        path=node_path,
        today=local_now(context.clock.now()).date(),
        nodes=_flag(request, "HämtaAvser", default=True),
        fault_types=_flag(request, "HämtaFelbeskrivningstyper"),
        key_types=_flag(request, "HämtaNyckelhanteringstyper"),
        aliases=context.settings.portal_example_aliases,
    )
    return JSONResponse(settings)


@router.post(
    "/session/arende",
    summary="E5 Skapa felanmälan (SkapaFelanmälanResultat)",
    openapi_extra=_json_example(FAULT_REPORT_EXAMPLE),
)
def post_fault_report(body: JsonBody, tenant: Tenant, session: DbSession, context: Context) -> JSONResponse:
    """Create a fault report from the JSON body of portal.md §5.8; answers ``{"ÄrendeId": n}``. Anything wrong
    answers a Felmeddelande listing every problem (400; 413 for a too large image) and nothing is saved."""
    case_id = cases.create_fault_report(
        session,
        customer_id=tenant.customer_id,
        body=body,
        now=context.clock.now(),
        media_max_bytes=context.settings.portal_media_max_bytes,
    )
    return JSONResponse({"ÄrendeId": case_id})


@router.get(
    "/session/arende/{ArendeId}",
    summary="E6 Hämta ett ärende (Ärende)",
    openapi_extra={"parameters": [_query(MEDIA_BYTES_FLAG, "Bildernas bytes i ÄrendeRadMedia.Media (standard false)")]},
)
def get_case(
    arende_id: Annotated[str, Path(alias="ArendeId")],
    request: Request,
    tenant: Tenant,
    session: DbSession,
    context: Context,
) -> JSONResponse:
    """One of the customer's cases with its rows; the images' bytes only with HämtaÄrendeRaderMediaBytes=true."""
    case = cases.own_case(session, customer_id=tenant.customer_id, case_id=service.known_id(arende_id, "ÄrendeId"))
    return _case_response(session, case, request=request, aliases=context.settings.portal_example_aliases)


@router.get(
    "/arende/{Delningsnyckel}",
    summary="E6 Hämta ett ärende med delningsnyckel (Ärende, utan session)",
    openapi_extra={"parameters": [_query(MEDIA_BYTES_FLAG, "Bildernas bytes i ÄrendeRadMedia.Media (standard false)")]},
)
def get_shared_case(
    share_key: Annotated[str, Path(alias="Delningsnyckel")], request: Request, session: DbSession, context: Context
) -> JSONResponse:
    """The case a share key opens, without a session (A-25); an unknown key is 404."""
    case = cases.shared_case(session, share_key=share_key)
    return _case_response(session, case, request=request, aliases=context.settings.portal_example_aliases)


def _case_response(session: Session, case: Case, *, request: Request, aliases: bool) -> JSONResponse:
    (document,) = cases.case_documents(
        session, [case], include_rows=True, media_bytes=_flag(request, MEDIA_BYTES_FLAG), aliases=aliases
    )
    return JSONResponse(document)


@router.get(
    "/session/arende/protokoll/{ArendeId}/{InflyttandeHyresgast}",
    summary="E7 Hämta besiktningsprotokoll (PDF)",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def get_inspection_protocol(
    arende_id: Annotated[str, Path(alias="ArendeId")],
    incoming: Annotated[str, Path(alias="InflyttandeHyresgast", description="true: inflyttande, false: avflyttande")],
    tenant: Tenant,
    session: DbSession,
) -> Response:
    """The inspection protocol of one of the customer's inspections, in the version for their own role: true for
    the incoming tenant, false for the outgoing one (the other version is 404)."""
    pdf = cases.inspection_protocol(
        session,
        customer_id=tenant.customer_id,
        case_id=service.known_id(arende_id, "ArendeId"),
        for_incoming_tenant=boolean(incoming, "InflyttandeHyresgäst"),
    )
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": "inline"})


@router.post(
    "/session/arende/sparaerbjudanden",
    summary="E14 Spara erbjudandesvar (Felmeddelande)",
    openapi_extra=_json_example({"Rader": [{"ÄrendeRadId": 123456, "Accepterad": "2016-10-01"}]}),
)
def post_offer_answers(body: JsonBody, tenant: Tenant, session: DbSession, context: Context) -> Response:
    """Save the accepted dates of maintenance-offer rows, all or nothing; the body is ``null`` on success and a
    Felmeddelande when the deadline has passed or a date is invalid."""
    today = local_now(context.clock.now()).date()
    cases.save_offer_answers(session, customer_id=tenant.customer_id, body=body, today=today)
    return Response(b"null", media_type="application/json")


@router.get(
    "/session/arenderadfil/{ArendeId}/{ArendeRadId}/{FilesId}",
    summary="E16 Hämta Ärenderadfil (filens bytes)",
    response_class=Response,
)
def get_case_row_file(
    arende_id: Annotated[str, Path(alias="ArendeId")],
    row_id: Annotated[str, Path(alias="ArendeRadId")],
    media_id: Annotated[str, Path(alias="FilesId", description="ÄrendeRadMedia.Id")],
    tenant: Tenant,
    session: DbSession,
) -> Response:
    """An image of a row of one of the customer's cases, with its stored MIME type."""
    stored = cases.case_row_file(
        session,
        customer_id=tenant.customer_id,
        case_id=service.known_id(arende_id, "ArendeId"),
        row_id=service.known_id(row_id, "ArendeRadId"),
        media_id=service.known_id(media_id, "FilesId"),
    )
    disposition = f'inline; filename="{stored.id}{stored.extension}"'
    return Response(stored.data, media_type=stored.mime_type, headers={"Content-Disposition": disposition})


@router.get(
    "/session/{NodKlassGruppSystemName}",
    summary="E17 Hämta NodKlassInfoLista (NodKlass[])",
    openapi_extra={
        "parameters": [_query("NodKlassAnvändningTypSystemName", "Bara klasser med denna användning", "string")]
    },
)
def get_node_classes(
    group: Annotated[str, Path(alias="NodKlassGruppSystemName", description="t.ex. AllmantArende")],
    request: Request,
    tenant: Tenant,
    session: DbSession,
) -> JSONResponse:
    """The node classes of a group (e.g. AllmantArende) that are not deleted, optionally only those of one usage
    (query NodKlassAnvändningTypSystemName, e.g. ExternWebbArende); an unknown group is an empty list."""
    usage = parameter(request, "NodKlassAnvändningTypSystemName") or parameter(
        request, "NodKlassAnvandningTypSystemName"
    )
    return JSONResponse(cases.node_classes(session, group=group, usage=usage))
