"""The account's settings (which apartment number is shown) and the user's own (e-mail address)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from bodata.boenderegister import service
from bodata.boenderegister.web.rendering import WebRoute, render, submitted
from bodata.boenderegister.web.session import Login, PageLogin, PostLogin
from bodata.core.context import DbSession
from bodata.core.i18n import Message

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _settings_page(request: Request, login: Login, *, error: Message | None = None) -> Response:
    return render(
        request,
        "settings.html",
        login=login,
        status=400 if error else 200,
        error=error,
        section="settings",
        account=login.account,
    )


def _saved(request: Request, login: Login, change: Callable[[], object]) -> Response:
    """Save a settings form, or show the page again with why it was refused."""
    again = lambda error, _: _settings_page(request, login, error=error)  # noqa: E731
    return submitted(request, change, again=again, to="/settings", done="settings")


@router.get("/settings")
def settings_page(request: Request, login: PageLogin) -> Response:
    return _settings_page(request, login)


@router.post("/settings")
def save_settings(
    request: Request, session: DbSession, login: PostLogin, shown_number: Annotated[str, Form()] = ""
) -> Response:
    return _saved(request, login, lambda: service.set_shown_number(session, account=login.account, choice=shown_number))


@router.post("/settings/me")
def save_my_settings(
    request: Request,
    session: DbSession,
    login: PostLogin,
    email: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
) -> Response:
    """The logged-in user's own settings: the e-mail address alerts go to, the language of the UI."""

    def save() -> None:
        service.set_user_email(session, user=login.user, email=email)
        service.set_user_language(session, user=login.user, language=language)

    return _saved(request, login, save)
