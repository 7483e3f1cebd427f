"""The customer's own records: printed notices (E3), temporary addresses (E8, E9), contact details (E10), files
(E2, E15) and addresses (E18), plus bodata's confirmation of a contact detail (``POST /kontaktuppgift/validera``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bodata.core.context import Context, DbSession
from bodata.portal import customers, service
from bodata.portal.api import JsonBody, PortalId, Tenant, boolean, parameter
from bodata.portal.pdf import PDF_MEDIA_TYPE

router = APIRouter()

"""The request's JSON object, read before the (synchronous) route runs."""


def _inline(filename: str) -> str:
    """A ``Content-Disposition`` showing the file in the browser, under its name (A-24)."""
    fallback = filename.encode("ascii", "replace").decode("ascii").replace('"', "")
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _optional_text(body: dict[str, Any], name: str) -> str | None:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise service.invalid(f"{name} ska vara text, inte {value!r}.")
    return None if value is None else value.strip()


@router.get(
    "/session/notifieringBilagaFil/{MeddelandeId}/{ExterntId}",
    tags=["Kund"],
    summary="E2 Hämta en bilaga som tillhör ett meddelande (NotifieringBilagaFil)",
)
def get_attachment(MeddelandeId: PortalId, ExterntId: PortalId, tenant: Tenant, session: DbSession) -> dict[str, Any]:
    """An attachment of one of the customer's messages as JSON: MIME type, extension and the bytes in base64."""
    file = customers.attachment_file(
        session, customer_id=tenant.customer_id, message_id=MeddelandeId, external_id=ExterntId
    )
    return customers.attachment_file_json(file)


@router.get(
    "/session/kund/ekonomi/avisering/{AviseringId}",
    tags=["Kund"],
    summary="E3 Hämta utskrift: aviseringen som PDF",
    response_class=Response,
    responses={200: {"content": {PDF_MEDIA_TYPE: {}}}},
)
def get_notice_pdf(AviseringId: PortalId, tenant: Tenant, session: DbSession, context: Context) -> Response:
    """One of the customer's notices (avi or faktura, by AviseringId = ``SessionAviseringTyp.AviseringId``) as PDF."""
    today = customers.local_now(context.clock.now()).date()
    invoice, document = customers.invoice_pdf(
        session, customer_id=tenant.customer_id, invoice_id=AviseringId, today=today
    )
    return Response(
        document, media_type=PDF_MEDIA_TYPE, headers={"Content-Disposition": _inline(f"avi-{invoice.avinummer}.pdf")}
    )


@router.post(
    "/session/kund/sparatillfalligadress",
    tags=["Kund"],
    summary="E8 Spara tillfällig adress (ny utan AdressId, ändring med AdressId)",
)
def save_temporary_address(body: JsonBody, tenant: Tenant, session: DbSession) -> None:
    """Create or replace a temporary notice address; ``null`` on success, a Felmeddelande when a value is refused."""
    customers.save_temporary_address(
        session, customer_id=tenant.customer_id, address_id=body.get("AdressId"), fields=body
    )


@router.get(
    "/session/kund/tillfalligaadresser",
    tags=["Kund"],
    summary="E9 Hämta tillfälliga adresser (VisaAvslutade=true tar med avslutade)",
)
def list_temporary_addresses(
    request: Request, tenant: Tenant, session: DbSession, context: Context
) -> list[dict[str, Any]]:
    """The customer's temporary addresses (TillfälligAdress), ended ones only with ``VisaAvslutade=true``."""
    include_ended = boolean(parameter(request, "VisaAvslutade"), "VisaAvslutade")
    addresses = customers.current_temporary_addresses(
        session,
        customer_id=tenant.customer_id,
        today=customers.local_now(context.clock.now()).date(),
        include_ended=include_ended,
    )
    return [customers.temporary_address_json(address) for address in addresses]


@router.post("/session/andrakontaktuppgift", tags=["Kund"], summary="E10 Ändra kontaktuppgift")
def change_contact_details(body: JsonBody, tenant: Tenant, session: DbSession, context: Context) -> dict[str, Any]:
    """Set (a value), remove (``""``) or keep (absent/null) e-mail, phone and mobile; optionally send a validation
    link for the e-mail address (``Validera``, ``ValideringsUrl`` with ``{0}`` for the key)."""
    validate = body.get("Validera")
    if validate is not None and not isinstance(validate, bool):
        validate = boolean(str(validate), "Validera")
    change = customers.ContactChange(
        email=_optional_text(body, "Epost"),
        phone=_optional_text(body, "Telefonnummer"),
        mobile=_optional_text(body, "Mobiltelefonnummer"),
        validate=bool(validate),
        validation_url=_optional_text(body, "ValideringsUrl"),
    )
    customers.change_contact_details(session, customer_id=tenant.customer_id, change=change, now=context.clock.now())
    return {"Fel": None}


@router.post(
    "/kontaktuppgift/validera",
    tags=["Kund"],
    summary="Bekräfta en kontaktuppgift (bodata): nyckeln från valideringsmeddelandet, ingen session behövs",
)
def confirm_contact_detail(body: JsonBody, session: DbSession, context: Context) -> dict[str, Any]:
    """Confirm the contact detail a validation key was sent for (E10 ``Validera``); the key is the proof."""
    key = body.get("Nyckel")
    if not isinstance(key, str) or not key:
        raise service.invalid("Nyckel ska vara valideringsnyckeln som text.")
    customers.confirm_contact_detail(session, key=key, now=context.clock.now())
    return {"Fel": None}


@router.get(
    "/session/kund/dokument/{EntitetfilId}",
    tags=["Kund"],
    summary="E15 Hämta dokument: filen med sin MIME-typ",
    response_class=Response,
)
def get_document(EntitetfilId: PortalId, tenant: Tenant, session: DbSession) -> Response:
    """The stored file of one of the customer's documents (SessionDokument.EntitetFilId), as raw bytes."""
    document, file = customers.document_file(session, customer_id=tenant.customer_id, document_id=EntitetfilId)
    return Response(
        file.data,
        media_type=file.mime_type,
        headers={"Content-Disposition": _inline(document.beteckning + file.extension)},
    )


@router.get(
    "/session/kund/adresser",
    tags=["Kund"],
    summary="E18 SessionAdresserGet: post- och besöksadress (kund.post, kund.besok)",
)
def list_addresses(tenant: Tenant, session: DbSession, context: Context) -> list[dict[str, Any]]:
    """The customer's postal and visiting addresses in force today, each with its type and FullständigAdress."""
    addresses = customers.customer_addresses(
        session, customer_id=tenant.customer_id, today=customers.local_now(context.clock.now()).date()
    )
    return [customers.address_row_json(address) for address in addresses]
