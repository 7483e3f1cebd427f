"""Rendering the UI: labels and messages, the Jinja2 environment, the layout, redirects and error pages, and the
route class that turns the UI's expected errors into pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from bodata.boenderegister import service
from bodata.boenderegister.messages import CATALOGUE, issue_reason, run_message
from bodata.boenderegister.models import Integration, IntegrationRun
from bodata.boenderegister.web.session import Login
from bodata.core.i18n import LANGUAGE_COOKIE, LANGUAGE_NAMES, N_, Message, Translator
from bodata.core.web import pages

_HERE = Path(__file__).parent
DEFAULT_TIMEZONE = "Europe/Stockholm"
WRONG_CREDENTIALS = N_("Fel användarnamn eller lösenord.")
LOCKED_OUT = N_("För många felaktiga lösenord i rad: försök igen om en stund.")
SHOWN_NUMBER_LABELS = {
    "lantmateriet": N_("Lantmäterinummer (t.ex. 1102)"),
    "internal": N_("Internt lägenhetsnummer (t.ex. 348), där lägenheten har ett"),
}
KEY_KIND_LABELS = {"tag": N_("Bricka / kort"), "radio": N_("Radionyckel")}
RUN_STATUS_LABELS = {
    "succeeded": N_("Lyckades"),
    "failed": N_("Misslyckades"),
    "needs_confirmation": N_("Behöver bekräftas"),
    "running": N_("Pågår"),
    "interrupted": N_("Avbröts"),
}
TRIGGER_LABELS = {
    "manual": N_("Manuell (webben)"),
    "schedule": N_("Schemalagd"),
    "retry": N_("Schemalagd (nytt försök)"),
    "scheduled": N_("Schemalagd"),
    "cli": N_("Kommandoraden"),
    "csv": N_("CSV-fil"),
}
CHANGE_KINDS = ("addresses", "apartments", "residents", "keys")
CHANGE_ACTIONS = ("created", "updated", "removed", "released")
CHANGE_KIND_LABELS = {
    "addresses": N_("Adresser"),
    "apartments": N_("Lägenheter"),
    "residents": N_("Boende"),
    "keys": N_("Nycklar"),
}
CHANGE_ACTION_LABELS = {
    "created": N_("Skapade"),
    "updated": N_("Ändrade"),
    "removed": N_("Borttagna"),
    "released": N_("Återlämnade"),
}
RECORD_ACTION_LABELS = CHANGE_ACTION_LABELS | {
    "adopted": N_("Övertagna (inlagda för hand, nu hållna av integrationen)"),
    "released": N_("Återlämnade (behålls, som inlagda för hand)"),
}
RECORD_KIND_LABELS = dict(zip(("address", "apartment", "resident", "key"), CHANGE_KIND_LABELS.values(), strict=True))
AUDIT_ACTION_LABELS = {
    "created": N_("skapad"),
    "updated": N_("ändrad"),
    "paused": N_("pausad"),
    "resumed": N_("återupptagen"),
    "deleted": N_("borttagen"),
}
AUDIT_FIELD_LABELS = {
    "name": N_("namn"),
    "base_url": N_("Axema-systemets adress"),
    "username": N_("användarnamn"),
    "password": N_("lösenord"),
    "api_key": N_("API-nyckel"),
    "schedule_time": N_("körtid"),
    "timezone": N_("tidszon"),
    "removal_threshold": N_("borttagningsgräns"),
    "records": N_("poster"),
    "counts": N_("antal"),
}
RECORDS_SHOWN = 1000  # per action and kind on the run page; the API lists them all

# Messages after a redirect: the query string names one of these, so no text can be injected through a link.
FLASHES = {
    "address-added": N_("Adressen lades till."),
    "apartment-added": N_("Lägenheten lades till."),
    "resident-added": N_("Den boende lades till."),
    "key-added": N_("Nyckeln lades till."),
    "deleted": N_("Borttaget."),
    "shown-number": N_("Valet av lägenhetsnummer sparades."),
    "settings": N_("Inställningarna sparades."),
    "integration-added": N_("Integrationen lades till. Tryck på Kör nu för att hämta registret från Axema-systemet."),
    "integration-saved": N_("Integrationens inställningar sparades."),
    "integration-paused": N_("Integrationen är pausad: inga schemalagda körningar förrän den återupptas."),
    "integration-resumed": N_("Integrationen är återupptagen; nästa körning är schemalagd."),
    "integration-deleted-keep": N_("Integrationen togs bort. Dess poster behölls, som om de var inlagda för hand."),
    "integration-deleted-remove": N_("Integrationen togs bort med sina poster."),
}
ERRORS = {
    "busy": N_(
        "Integrationen körs just nu (startad av schemat eller av någon annan). "
        "Vänta en minut och titta i körhistoriken."
    ),
    "secret": N_(
        "Integrationens sparade lösenord kan inte dekrypteras med serverns hemliga nyckel "
        "(har BODATA_SECRET_KEY ändrats?). Ange lösenordet igen under Ändra."
    ),
    "paused": N_("Integrationen är pausad. Återuppta den för att köra den."),
}


def request_language(request: Request) -> str:
    """The request's language: the language switch's cookie (this browser), the user's setting (every browser),
    the browser's Accept-Language, else Swedish."""
    login = getattr(request.state, "br_login", None)
    return CATALOGUE.negotiate(
        chosen=[request.cookies.get(LANGUAGE_COOKIE), login.language if login else None],
        accept_language=request.headers.get("accept-language"),
    )


def translator(request: Request) -> Translator:
    return CATALOGUE.translator(request_language(request))


def alert_text(request: Request) -> Callable[[Integration], str]:
    """An integration's alert in the request's language."""
    language = translator(request)
    return lambda integration: run_message(
        language, integration.alert_code, integration.alert_params, integration.alert
    )


def run_text(request: Request) -> Callable[[IntegrationRun], str]:
    """A run's message in the request's language (from its code; as stored for runs from before codes)."""
    language = translator(request)
    return lambda run: run_message(language, run.message_code, run.message_params, run.message)


def as_sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop, as a message on a page."""
    return text[:1].upper() + text[1:] + ("" if not text or text.endswith(".") else ".")


def _localtime(value: datetime | None, zone: str = DEFAULT_TIMEZONE) -> str:
    if value is None:
        return "–"
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _percent(value: float) -> str:
    return f"{value * 100:g} %"


_env = pages.environment([_HERE / "templates"])
_env.filters["localtime"] = _localtime
_env.filters["percent"] = _percent
_env.filters["sentence"] = as_sentence
_env.globals.update(
    SHOWN_NUMBER_LABELS=SHOWN_NUMBER_LABELS,
    KEY_KIND_LABELS=KEY_KIND_LABELS,
    RUN_STATUS_LABELS=RUN_STATUS_LABELS,
    TRIGGER_LABELS=TRIGGER_LABELS,
    CHANGE_KINDS=CHANGE_KINDS,
    CHANGE_ACTIONS=CHANGE_ACTIONS,
    CHANGE_KIND_LABELS=CHANGE_KIND_LABELS,
    CHANGE_ACTION_LABELS=CHANGE_ACTION_LABELS,
    AUDIT_ACTION_LABELS=AUDIT_ACTION_LABELS,
    AUDIT_FIELD_LABELS=AUDIT_FIELD_LABELS,
    LANGUAGE_NAMES=LANGUAGE_NAMES,
    RECORD_ACTION_LABELS=RECORD_ACTION_LABELS,
    RECORD_KIND_LABELS=RECORD_KIND_LABELS,
    RECORDS_SHOWN=RECORDS_SHOWN,
    DATA_FORMATS=service.DATA_FORMATS,
    issue_reason=issue_reason,
    KEY_KINDS=service.KEY_KINDS,
)
static_files = StaticFiles(directory=_HERE / "static")


def render(
    request: Request,
    template: str,
    *,
    login: Login | None,
    status: int = 200,
    error: Message | str | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page of the UI in the request's language: the layout with nav and language switch, the flash or error
    message, and the template's content."""
    flash = FLASHES.get(request.query_params.get("done", ""))
    error = error or ERRORS.get(request.query_params.get("error", ""))
    csrf_field = pages.csrf_field(login.csrf_token if login else None)
    return pages.render(
        _env,
        request,
        template,
        status=status,
        **{"login": login, "csrf_field": csrf_field, "flash": flash, "error": error}
        | translator(request).template_context()
        | {"here": _here(request), "run_text": run_text(request), "alert_text": alert_text(request)}
        | context,
    )


def _here(request: Request) -> str:
    """The page's own path below the service, for the language switch to come back to."""
    path = request.url.path.removeprefix(pages.base_path(request)) or "/"
    return path + ("?" + request.url.query if request.url.query else "")


def submitted(
    request: Request,
    change: Callable[[], Any],
    *,
    again: Callable[[Message, dict[str, str]], Response],
    form: dict[str, str] | None = None,
    to: str | Callable[[Any], str],
    done: str,
) -> Response:
    """A form's change: on success 303 to ``to`` (or ``to(result)``) with the ``done`` flash; when the register
    refuses the input, nothing is kept and ``again(reason, form)`` shows the page once more with the reason and
    what was typed."""
    try:
        result = change()
    except service.InvalidInput as exc:
        getattr(request.state, pages.DB_STATE).rollback()
        return again(exc.message, form or {})
    return pages.redirect(request, to(result) if callable(to) else to, done=done)


def error_page(request: Request, status: int, title: Message, message: Message) -> HTMLResponse:
    login = getattr(request.state, "br_login", None)
    return render(request, "error.html", login=login, status=status, title=title, message=message)


def _page_for(request: Request, exc: Exception) -> Response:
    if isinstance(exc, pages.LoginRequired):
        return pages.redirect(request, "/login")
    if isinstance(exc, pages.CsrfRefused):
        return error_page(
            request,
            403,
            N_("Nekad"),
            N_(
                "Formuläret var inaktuellt eller kom inte från den här webbplatsen (CSRF-token saknas eller är fel). "
                "Inget ändrades. Gå tillbaka, ladda om sidan och försök igen."
            ),
        )
    if isinstance(exc, service.NotFound):
        return error_page(request, 404, N_("Hittades inte"), N_("Det finns ingen sådan post i ert konto."))
    if isinstance(exc, service.OwnedByIntegration):
        return error_page(request, 409, N_("Från en integration"), exc.message)
    return error_page(request, 400, N_("Inte godtaget"), exc.message)


WebRoute = pages.page_route(_page_for, (service.NotFound, service.OwnedByIntegration, service.InvalidInput))
"""Turns the UI's expected errors into pages (login redirects, 403 for CSRF, 404, owned records), after rolling the
request's transaction back, so a refused request never writes anything."""
