"""The staff UI's rendering and request dependencies: the layout's navigation, flash messages, the logged-in staff
member (a redirect to the login page without one), CSRF on every form, the read-only role, and refusal pages, all
in Swedish (the msgids of the message catalogue; English comes from ``locale/en``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from bodata.core.context import Context, DbSession
from bodata.core.errors import ApiError
from bodata.core.i18n import LANGUAGE_COOKIE, Catalogue, Translator
from bodata.core.web import pages
from bodata.portal.bgmax import BgMaxError, QueueError
from bodata.portal.pdf import format_amount
from bodata.portal.reminders import ReminderError
from bodata.portal.rent import RentError
from bodata.portal.staff.accounts import AccountError, StaffLogin, load_session

SESSION_COOKIE = "pm_staff_session"
PREFIX = "/personal"
env = pages.environment([Path(__file__).parent / "templates"])
env.filters["belopp"] = format_amount
CATALOGUE = Catalogue(Path(__file__).parent / "locale")


def translator(request: Request) -> Translator:
    """The request's language: the language cookie, the browser's Accept-Language, else Swedish (core/i18n.py)."""
    return CATALOGUE.translator(
        CATALOGUE.negotiate(
            chosen=[request.cookies.get(LANGUAGE_COOKIE)], accept_language=request.headers.get("accept-language")
        )
    )


def _(message: str) -> str:
    """Marks a Swedish msgid; the templates translate it (``{{ _(text) }}``) with the installed catalogue."""
    return message


NAV = (
    ("/personal/kunder", "kunder", "Kunder"),
    ("/personal/objekt", "objekt", "Objekt"),
    ("/personal/avtal", "avtal", "Avtal"),
    ("/personal/hyresavisering", "hyresavisering", "Hyresavisering"),
    ("/personal/aviseringar", "aviseringar", "Aviseringar"),
    ("/personal/betalningar", "betalningar", "Betalningar"),
    ("/personal/paminnelser", "paminnelser", "Påminnelser"),
    ("/personal/utskick", "utskick", "Utskick"),
    ("/personal/arenden", "arenden", "Felanmälningar"),
    ("/personal/tvattstuga", "tvattstuga", "Tvättstuga"),
)
FLASHES = {
    "customer-added": "Kunden lades till.",
    "contract-added": "Avtalet lades till.",
    "rent-changed": "Hyran ändrades.",
    "run-committed": "Hyresaviseringen är klar: aviseringarna ligger i utskicket.",
    "imported": "Betalfilen lästes in.",
    "already-imported": "Filen var redan inläst: ingenting ändrades.",
    "allocated": "Betalningen fördelades.",
    "reminded": "Påminnelserna skapades.",
    "rate-saved": "Referensräntan sparades.",
    "sent": "E-posten skickades.",
    "retry": "Meddelandet skickas igen vid nästa utskick.",
    "case-saved": "Ärendet uppdaterades.",
    "case-closed": "Ärendet avslutades.",
    "booking-cancelled": "Bokningen avbokades.",
}


class ReadOnly(Exception):
    """A read-only account tried to change something."""


def render(
    request: Request,
    template: str,
    *,
    login: StaffLogin | None,
    status: int = 200,
    error: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page of the staff UI in the shared layout."""
    base = pages.base_path(request)
    language = translator(request)
    return pages.render(
        env,
        request,
        template,
        status=status,
        lang=language.language,
        **language.template_context(),
        app_name=_("Hyresvärd"),
        home=f"{base}{PREFIX}/",
        static=f"{base}{PREFIX}/static",
        logout=f"{base}{PREFIX}/logga-ut",
        nav=NAV,
        login=login,
        csrf_field=pages.csrf_field(login.csrf_token if login else None),
        flash=_(FLASHES[request.query_params.get("klart", "")])
        if request.query_params.get("klart") in FLASHES
        else None,
        error=error,
        **context,
    )


def current_staff(request: Request, session: DbSession, context: Context) -> StaffLogin:
    """The logged-in staff member; without one, a redirect to the login page."""
    setattr(request.state, pages.DB_STATE, session)
    token = request.cookies.get(SESSION_COOKIE)
    login = load_session(session, token=token, now=context.clock.now()) if token else None
    if login is None:
        raise pages.LoginRequired()
    request.state.staff_login = login
    return login


def posting_staff(
    login: Annotated[StaffLogin, Depends(current_staff)], csrf_token: Annotated[str, Form()] = ""
) -> StaffLogin:
    """A form post: the session's CSRF token must come with it."""
    pages.check_csrf(login.csrf_token, csrf_token)
    return login


def writing_staff(login: Annotated[StaffLogin, Depends(posting_staff)]) -> StaffLogin:
    """A change: refused for the read-only role."""
    if login.read_only:
        raise ReadOnly()
    return login


def staff_outside_transaction(
    request: Request, context: Context, csrf_token: Annotated[str, Form()] = ""
) -> StaffLogin:
    """``WriteStaff`` for a route that does its own transactions (sending e-mail): the login is read in a short
    read transaction of its own, so the request holds no write lock while it works."""
    token = request.cookies.get(SESSION_COOKIE)
    with context.db.transaction(write=False) as session:
        login = load_session(session, token=token, now=context.clock.now()) if token else None
    if login is None:
        raise pages.LoginRequired()
    request.state.staff_login = login
    pages.check_csrf(login.csrf_token, csrf_token)
    if login.read_only:
        raise ReadOnly()
    return login


PageStaff = Annotated[StaffLogin, Depends(current_staff)]
SelfTransactedStaff = Annotated[StaffLogin, Depends(staff_outside_transaction)]
PostStaff = Annotated[StaffLogin, Depends(posting_staff)]
WriteStaff = Annotated[StaffLogin, Depends(writing_staff)]

_VALIDATION = {
    "missing": "saknas",
    "string_too_short": "får inte vara tomt",
    "string_too_long": "är för långt",
    "string_pattern_mismatch": "har fel form",
    "date_from_datetime_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "decimal_parsing": "ska vara ett belopp",
    "greater_than_equal": "är för litet",
    "less_than_equal": "är för stort",
    "int_parsing": "ska vara ett heltal",
}


def swedish_problem(exc: Exception) -> str:
    """A refusal as a Swedish sentence: domain errors carry Swedish text, schema errors name the field."""
    if isinstance(exc, ValidationError):
        parts = [
            f"{'.'.join(str(part) for part in error['loc']) or _('uppgifterna')}: "
            f"{_(_VALIDATION.get(error['type'], 'har fel form'))}"
            for error in exc.errors()
        ]
        return _("Uppgifterna godtogs inte") + " (" + "; ".join(parts) + ")."
    if isinstance(exc, ApiError):
        return _("Uppgifterna godtogs inte: de krockar med det som redan finns (dubblett eller okänd hänvisning).")
    return str(exc)


EXPECTED = (ReadOnly, RentError, BgMaxError, QueueError, ReminderError, AccountError, ValidationError, ApiError)


def refusal_page(request: Request, exc: Exception) -> Response:
    """The page for a refused request (nothing was written)."""
    login = getattr(request.state, "staff_login", None)
    if isinstance(exc, pages.LoginRequired):
        return pages.redirect(request, f"{PREFIX}/logga-in")
    if isinstance(exc, pages.CsrfRefused):
        title, message, status = (
            _("Nekades"),
            _(
                "Formuläret var inaktuellt eller kom inte från den här webbplatsen. Ingenting ändrades. "
                "Gå tillbaka, ladda om sidan och försök igen."
            ),
            403,
        )
    elif isinstance(exc, ReadOnly):
        title, message, status = _("Nekades"), _("Ditt konto har läsbehörighet och får inte ändra något."), 403
    elif isinstance(exc, ApiError) and exc.status == 404:
        title, message, status = _("Finns inte"), _("Det finns ingen sådan post."), 404
    else:
        title, message, status = _("Godtogs inte"), swedish_problem(exc) + " " + _("Ingenting ändrades."), 400
    return render(request, "error.html", login=login, status=status, title=title, message=message)


PageRoute = pages.page_route(refusal_page, EXPECTED)
