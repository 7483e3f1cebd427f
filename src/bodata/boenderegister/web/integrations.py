"""Integrations: adding, editing, pausing, deleting, running now, their run history and run reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from bodata.boenderegister import service, sync
from bodata.boenderegister.models import Integration, IntegrationRun
from bodata.boenderegister.web.rendering import (
    CHANGE_ACTIONS,
    CHANGE_KINDS,
    DEFAULT_TIMEZONE,
    RECORD_ACTION_LABELS,
    RECORD_KIND_LABELS,
    WebRoute,
    render,
    submitted,
)
from bodata.boenderegister.web.session import (
    Login,
    PageLogin,
    PostLogin,
    load_login,
)
from bodata.core.context import Context, DbSession
from bodata.core.i18n import N_, Message
from bodata.core.security import SecretError
from bodata.core.web import pages
from bodata.core.web.pages import redirect

router = APIRouter(route_class=WebRoute, include_in_schema=False)


_INTEGRATION_FORM_DEFAULTS = {
    "name": "",
    "data_format": "AXEMA",
    "base_url": "",
    "username": "",
    "schedule_time": "02:00",
    "removal_threshold": "20",
}


def _integrations_page(
    request: Request,
    session: Session,
    login: Login,
    *,
    error: Message | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    integrations = service.list_integrations(session, account=login.account)
    last_runs = {
        integration.id: next(iter(service.list_runs(session, integration=integration, limit=1)), None)
        for integration in integrations
    }
    return render(
        request,
        "integrations.html",
        login=login,
        status=400 if error else 200,
        error=error,
        section="integrations",
        integrations=integrations,
        last_runs=last_runs,
        form=_INTEGRATION_FORM_DEFAULTS | (form or {}),
        timezone=DEFAULT_TIMEZONE,
    )


@router.get("/integrations")
def integrations(request: Request, session: DbSession, login: PageLogin) -> Response:
    return _integrations_page(request, session, login)


def _share(percent: str) -> float:
    """``"20"`` or ``"20 %"`` or ``"12,5"`` → 0.2, 0.125; InvalidInput when it is not a number."""
    try:
        return float(percent.replace("%", "").replace(",", ".").strip()) / 100
    except ValueError as exc:
        raise service.InvalidInput(N_("borttagningsgränsen måste vara ett procenttal, t.ex. 20")) from exc


@router.post("/integrations")
def add_integration(
    request: Request,
    session: DbSession,
    context: Context,
    login: PostLogin,
    name: Annotated[str, Form()] = "",
    data_format: Annotated[str, Form()] = "AXEMA",
    base_url: Annotated[str, Form()] = "",
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    api_key: Annotated[str, Form()] = "",
    schedule_time: Annotated[str, Form()] = "02:00",
    removal_threshold: Annotated[str, Form()] = "20",
) -> Response:
    form = {
        "name": name,
        "data_format": data_format,
        "base_url": base_url,
        "username": username,
        "schedule_time": schedule_time,
        "removal_threshold": removal_threshold,
    }
    return submitted(
        request,
        lambda: service.create_integration(
            session,
            account=login.account,
            secrets=context.secrets,
            now=context.clock.now(),
            password=password,
            api_key=api_key.strip() or None,
            timezone=DEFAULT_TIMEZONE,
            **form | {"schedule_time": schedule_time.strip(), "removal_threshold": _share(removal_threshold)},
        ),
        again=lambda error, form: _integrations_page(request, session, login, error=error, form=form),
        form=form,
        to=lambda integration: f"/integrations/{integration.id}",
        done="integration-added",
    )


def _integration_page(
    request: Request, session: Session, login: Login, integration_id: int, *, error: Message | None = None
) -> HTMLResponse:
    integration = service.get_integration(session, account=login.account, integration_id=integration_id)
    runs = service.list_runs(session, integration=integration)
    return render(
        request,
        "integration.html",
        login=login,
        status=400 if error else 200,
        error=error,
        section="integrations",
        integration=integration,
        runs=runs,
        needs_confirmation=bool(runs) and runs[0].status == "needs_confirmation",
        totals=_totals,
        excluded=service.excluded_counts(session, run_ids=[run.id for run in runs]),
        audit=service.audit_trail(session, account=login.account, integration_id=integration_id),
    )


@router.get("/integrations/{integration_id}")
def integration_page(integration_id: int, request: Request, session: DbSession, login: PageLogin) -> Response:
    return _integration_page(request, session, login, integration_id)


@router.post("/integrations/{integration_id}/edit")
def edit_integration(
    integration_id: int,
    request: Request,
    session: DbSession,
    context: Context,
    login: PostLogin,
    name: Annotated[str, Form()] = "",
    base_url: Annotated[str, Form()] = "",
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    api_key: Annotated[str, Form()] = "",
    remove_api_key: Annotated[str, Form()] = "",
    schedule_time: Annotated[str, Form()] = "",
    removal_threshold: Annotated[str, Form()] = "",
) -> Response:
    """Change an integration's settings; an empty password or API key field leaves the stored one."""
    integration = service.get_integration(session, account=login.account, integration_id=integration_id)
    return submitted(
        request,
        lambda: service.update_integration(
            session,
            integration=integration,
            secrets=context.secrets,
            now=context.clock.now(),
            actor=login.username,
            name=name or None,
            base_url=base_url or None,
            username=username or None,
            password=password or None,
            api_key="" if remove_api_key == "1" else (api_key.strip() or None),
            schedule_time=schedule_time.strip() or None,
            removal_threshold=_share(removal_threshold) if removal_threshold.strip() else None,
        ),
        again=lambda error, _: _integration_page(request, session, login, integration_id, error=error),
        to=f"/integrations/{integration_id}",
        done="integration-saved",
    )


@router.post("/integrations/{integration_id}/pause")
def pause_integration(
    integration_id: int, request: Request, session: DbSession, context: Context, login: PostLogin
) -> Response:
    integration = service.get_integration(session, account=login.account, integration_id=integration_id)
    service.set_integration_paused(
        session, integration=integration, paused=True, now=context.clock.now(), actor=login.username
    )
    return redirect(request, f"/integrations/{integration_id}", done="integration-paused")


@router.post("/integrations/{integration_id}/resume")
def resume_integration(
    integration_id: int, request: Request, session: DbSession, context: Context, login: PostLogin
) -> Response:
    integration = service.get_integration(session, account=login.account, integration_id=integration_id)
    service.set_integration_paused(
        session, integration=integration, paused=False, now=context.clock.now(), actor=login.username
    )
    return redirect(request, f"/integrations/{integration_id}", done="integration-resumed")


@router.post("/integrations/{integration_id}/delete")
def delete_integration(
    integration_id: int,
    request: Request,
    session: DbSession,
    context: Context,
    login: PostLogin,
    records: Annotated[str, Form()] = "",
) -> Response:
    """Delete the integration; the form's explicit choice says whether its records are kept or removed."""
    integration = service.get_integration(session, account=login.account, integration_id=integration_id)
    service.delete_integration(
        session, integration=integration, records=records, now=context.clock.now(), actor=login.username
    )
    return redirect(request, "/integrations", done=f"integration-deleted-{records}")


@router.post("/integrations/{integration_id}/run")
def run_now(
    integration_id: int,
    request: Request,
    context: Context,
    csrf_token: Annotated[str, Form()] = "",
    confirm_removals: Annotated[str, Form()] = "",
) -> Response:
    """Run the integration now and show its report. The run takes a while: no transaction is held open
    during it, only a short one to check the login, the CSRF token and that the integration is the account's."""
    with context.db.transaction() as session:
        login = load_login(session, request, context.clock.now())
        if login is None:
            raise pages.LoginRequired()
        pages.check_csrf(login.csrf_token, csrf_token)
        service.get_integration(session, account=login.account, integration_id=integration_id)
    try:
        run = sync.run_integration(
            context.db,
            integration_id,
            make_source=lambda integration: sync.source_for(integration, context.secrets),
            clock=context.clock,
            trigger="manual",
            confirm_removals=confirm_removals == "1",
        )
    except sync.IntegrationBusy:
        return redirect(request, f"/integrations/{integration_id}", error="busy")
    except sync.IntegrationPaused:
        return redirect(request, f"/integrations/{integration_id}", error="paused")
    except SecretError:
        return redirect(request, f"/integrations/{integration_id}", error="secret")
    return redirect(request, f"/runs/{run.id}")


def _totals(run: IntegrationRun) -> dict[str, int]:
    """Created / updated / removed over every kind of record."""
    changes = run.changes or {}
    return {
        action: sum(int((changes.get(kind) or {}).get(action, 0)) for kind in CHANGE_KINDS) for action in CHANGE_ACTIONS
    }


@router.get("/runs/{run_id}")
def run_page(run_id: int, request: Request, session: DbSession, login: PageLogin) -> Response:
    run = service.get_run(session, account=login.account, run_id=run_id)
    integration = session.get_one(Integration, run.integration_id)
    return render(
        request,
        "run.html",
        login=login,
        section="integrations",
        run=run,
        integration=integration,
        changes=run.changes or {},
        totals=_totals(run),
        excluded=[issue for issue in run.issues if issue.kind == "excluded"],
        warnings=[issue for issue in run.issues if issue.kind != "excluded"],
        groups_evaluated=run.groups_read > 0 or run.status in ("succeeded", "needs_confirmation"),
        records=_records_by_action(service.run_records(session, run=run)),
    )


def _records_by_action(records) -> dict[str, dict[str, list[str]]]:
    """The run's changed records as action → kind → labels, in the order of RECORD_ACTION_LABELS."""
    grouped: dict[str, dict[str, list[str]]] = {action: {} for action in RECORD_ACTION_LABELS}
    for record in records:
        grouped[record.action].setdefault(record.kind, []).append(record.label)
    return {
        action: {kind: kinds[kind] for kind in RECORD_KIND_LABELS if kind in kinds}
        for action, kinds in grouped.items()
        if kinds
    }
