"""Web sessions: a login makes a random token kept by the browser in an HttpOnly, SameSite=Lax cookie and by
the database as a digest (``br_web_session``) with the session's CSRF token; every POST must carry that token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Form, Request
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bodata.boenderegister.models import Account, User, WebSession
from bodata.core.context import Context, DbSession
from bodata.core.security import token_digest
from bodata.core.web import pages

SESSION_COOKIE = "br_session"
LOGIN_CSRF_COOKIE = "br_login_csrf"
SESSION_TTL = timedelta(hours=8)


@dataclass
class Login:
    """The logged-in person of a request.

    The ORM objects belong to the request's session; the layout uses only the plain copies (``username``,
    ``account_name``, ``csrf_token``), which stay readable after a rollback or once the session is closed.
    """

    user: User
    account: Account
    username: str
    account_name: str
    csrf_token: str
    language: str | None = None  # the user's own choice of language, if any


def load_login(session: Session, request: Request, now: datetime) -> Login | None:
    """The login of the request's session cookie, or None when it is missing, unknown or expired."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    row = session.scalar(
        select(WebSession)
        .where(WebSession.digest == token_digest(token))
        .options(selectinload(WebSession.user).selectinload(User.account))
    )
    if row is None or row.expires_at <= now:
        return None
    user = row.user
    login = Login(
        user=user,
        account=user.account,
        username=user.username,
        account_name=user.account.name,
        csrf_token=row.csrf_token,
        language=user.language,
    )
    request.state.br_login = login
    return login


def current_login(request: Request, session: DbSession, context: Context) -> Login:
    """Dependency for pages: the logged-in user, else a redirect to the login page."""
    setattr(request.state, pages.DB_STATE, session)
    login = load_login(session, request, context.clock.now())
    if login is None:
        raise pages.LoginRequired()
    return login


def posting_login(login: Annotated[Login, Depends(current_login)], csrf_token: Annotated[str, Form()] = "") -> Login:
    """Dependency for forms: the logged-in user, and the form must carry the session's CSRF token."""
    pages.check_csrf(login.csrf_token, csrf_token)
    return login


PageLogin = Annotated[Login, Depends(current_login)]
PostLogin = Annotated[Login, Depends(posting_login)]
