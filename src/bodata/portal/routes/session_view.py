"""E1 "Hämta session": ``GET /session`` and its ``Hämta*`` flags (portal.md E1, A-6).

Flag names match case-insensitively and also ASCII-folded (``HamtaKund`` for ``HämtaKund``), for clients that
cannot send å/ä/ö in a query name; values are ``true``/``false`` in any case, or ``1``/``0``.
``HämtaKundAviseringarAntMån`` is a whole number ≥ 0.
"""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response

from bodata.core.context import Context, DbSession
from bodata.core.urls import public_url
from bodata.portal import service
from bodata.portal.customers import local_now
from bodata.portal.freshness import SessionViewCache, current_generation
from bodata.portal.requests import Tenant, boolean, parameter
from bodata.portal.view import FLAGS, SessionFlags, portal_session

router = APIRouter()

NOTICE_MONTHS = "HämtaKundAviseringarAntMån"
_ASCII_FOLD = str.maketrans("åäöÅÄÖ", "aaoAAO")


def _flag_parameter(request: Request, name: str) -> str | None:
    """A query parameter by its documented name or its ASCII-folded spelling, in any case."""
    value = parameter(request, name)
    return value if value is not None else parameter(request, name.translate(_ASCII_FOLD))


def session_flags(request: Request) -> SessionFlags:
    """The ``SessionFlags`` of a request's query; 400 for a flag that is not a boolean or a bad month count."""
    given = {}
    for name in FLAGS:
        value = _flag_parameter(request, name)
        if value:
            given[name] = boolean(value, name)
    months_text = _flag_parameter(request, NOTICE_MONTHS)
    months = 0
    if months_text:
        if not (months_text.isascii() and months_text.isdigit()):
            raise service.invalid(f"{NOTICE_MONTHS} ska vara ett heltal som är 0 eller större, inte {months_text!r}.")
        months = int(months_text)
    return SessionFlags.resolve(given, notice_months=months)


_QUERY_PARAMETERS = [
    {"name": name, "in": "query", "required": False, "schema": {"type": "boolean"}} for name in FLAGS
] + [{"name": NOTICE_MONTHS, "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}}]


@router.get(
    "/session",
    tags=["Session"],
    summary="Hämta session (E1): kund, ärenden och tillgängliga objekt",
    openapi_extra={"parameters": _QUERY_PARAMETERS},
)
def get_session(request: Request, tenant: Tenant, session: DbSession, context: Context) -> Response:
    """The logged-in customer's ``PortalSession``; without flags ``Kund`` and ``TillgängligaObjekt`` (A-6).

    Answers are cached per data generation (portal/freshness.py): any write to the records behind them makes a
    fresh one.
    """
    flags = session_flags(request)
    today = local_now(context.clock.now()).date()
    aliases = context.settings.portal_example_aliases
    base_url = public_url(request)
    cache: SessionViewCache = request.app.state.session_view_cache
    key = (current_generation(session), tenant.customer_id, flags, today, aliases, base_url)
    body = cache.get(key)
    if body is None:
        result = portal_session(
            session, customer_id=tenant.customer_id, flags=flags, today=today, aliases=aliases, base_url=base_url
        )
        body = orjson.dumps(result)
        cache.put(key, body, limit=context.settings.portal_session_cache_entries)
    return Response(body, media_type="application/json")
