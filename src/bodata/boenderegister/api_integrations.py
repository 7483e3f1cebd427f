"""The REST API's integrations (``/boenderegister/api/integrations``, ``/api/runs``): settings, pause and resume,
deletion with a choice of what becomes of the records, run history and run reports, the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from bodata.boenderegister import service
from bodata.boenderegister.api import CurrentAccount, Paging, PagingQuery, _not_found, api_language, problem
from bodata.boenderegister.messages import issue_reason, run_message
from bodata.boenderegister.models import Account, Integration, IntegrationRun
from bodata.core.context import Context, DbSession
from bodata.core.errors import ApiError
from bodata.core.i18n import Translator
from bodata.core.paging import InvalidCursor, paginate

router = APIRouter(prefix="/api", tags=["integrations"])


class IntegrationOut(BaseModel):
    id: int
    name: str
    data_format: str
    base_url: str
    username: str
    has_api_key: bool
    schedule_time: str
    timezone: str
    removal_threshold: float
    paused: bool
    next_run_at: datetime | None
    alert: str | None = Field(description="Why the nightly runs keep failing, in the language of Accept-Language")
    alert_code: str | None


class IntegrationPatch(BaseModel):
    """Settings to change; those left out stay. ``api_key: ""`` removes the API key."""

    name: str | None = Field(None, max_length=200)
    base_url: str | None = Field(None, max_length=500)
    username: str | None = Field(None, max_length=200)
    password: str | None = Field(None, max_length=500)
    api_key: str | None = Field(None, max_length=500)
    schedule_time: str | None = Field(None, max_length=5)
    removal_threshold: float | None = None


class IssueOut(BaseModel):
    kind: str
    group_id: str
    group_name: str
    reference_id: str | None
    reason: str = Field(description="Why, in the language of Accept-Language (Swedish by default)")
    code: str | None = Field(description="The reason's code (null for runs from before codes)")
    params: dict | None


class RecordOut(BaseModel):
    kind: str
    action: str
    label: str


class RunOut(BaseModel):
    id: int
    integration_id: int
    trigger: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    message: str = Field(description="In the language of Accept-Language (Swedish by default)")
    message_code: str | None
    groups_read: int
    persons_read: int
    residents_seen: int
    changes: dict[str, dict[str, int]]
    excluded: int


class RunReportOut(RunOut):
    issues: list[IssueOut]
    records: list[RecordOut]


class AuditOut(BaseModel):
    id: int
    integration_id: int | None
    actor: str
    action: str
    details: dict
    at: datetime


def _integration_out(integration: Integration, language: Translator) -> IntegrationOut:
    return IntegrationOut(
        id=integration.id,
        name=integration.name,
        data_format=integration.data_format,
        base_url=integration.base_url,
        username=integration.username,
        has_api_key=integration.api_key_encrypted is not None,
        schedule_time=integration.schedule_time,
        timezone=integration.timezone,
        removal_threshold=integration.removal_threshold,
        paused=not integration.enabled,
        next_run_at=integration.next_run_at,
        alert=run_message(language, integration.alert_code, integration.alert_params, integration.alert or "") or None,
        alert_code=integration.alert_code,
    )


def _run_out(run: IntegrationRun, excluded: int, language: Translator) -> dict:
    return {
        "id": run.id,
        "integration_id": run.integration_id,
        "trigger": run.trigger,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "message": run_message(language, run.message_code, run.message_params, run.message),
        "message_code": run.message_code,
        "groups_read": run.groups_read,
        "persons_read": run.persons_read,
        "residents_seen": run.residents_seen,
        "changes": run.changes or {},
        "excluded": excluded,
    }


def _integration(session, account: Account, integration_id: int) -> Integration:
    try:
        return service.get_integration(session, account=account, integration_id=integration_id)
    except service.NotFound as exc:
        raise _not_found(exc) from exc


def _invalid(exc: service.InvalidInput) -> ApiError:
    return problem(422, "invalid", exc.message)


def _page(paging: Paging, rows: list, values) -> list:
    """Rows already in their order, paged by a cursor on ``values`` (which increase along the list)."""
    try:
        page = paginate(rows, values=values, order=tuple, cursor=paging.cursor, limit=paging.limit)
    except InvalidCursor as exc:
        raise ApiError(422, "invalid", str(exc)) from exc
    return paging.items(page)


@router.get("/integrations", summary="The account's integrations")
def list_integrations(
    request: Request,
    session: DbSession,
    account: CurrentAccount,
    paging: PagingQuery,
) -> list[IntegrationOut]:
    rows = service.list_integrations(session, account=account)
    language = api_language(request)
    return [_integration_out(row, language) for row in _page(paging, rows, lambda row: [row.id])]


@router.get("/integrations/{integration_id}", summary="An integration's settings (never its secrets)")
def get_integration(
    integration_id: int, request: Request, session: DbSession, account: CurrentAccount
) -> IntegrationOut:
    return _integration_out(_integration(session, account, integration_id), api_language(request))


@router.patch("/integrations/{integration_id}", summary="Change an integration's settings")
def patch_integration(
    integration_id: int,
    body: IntegrationPatch,
    request: Request,
    session: DbSession,
    context: Context,
    account: CurrentAccount,
) -> IntegrationOut:
    integration = _integration(session, account, integration_id)
    try:
        service.update_integration(
            session,
            integration=integration,
            secrets=context.secrets,
            now=context.clock.now(),
            actor=request.state.br_actor,
            **body.model_dump(exclude_unset=True),
        )
    except service.InvalidInput as exc:
        raise _invalid(exc) from exc
    return _integration_out(integration, api_language(request))


def _set_paused(
    request: Request, session, context, account: Account, integration_id: int, paused: bool
) -> IntegrationOut:
    integration = _integration(session, account, integration_id)
    service.set_integration_paused(
        session, integration=integration, paused=paused, now=context.clock.now(), actor=request.state.br_actor
    )
    return _integration_out(integration, api_language(request))


@router.post("/integrations/{integration_id}/pause", summary="Pause: no scheduled or manual runs")
def pause_integration(
    integration_id: int, request: Request, session: DbSession, context: Context, account: CurrentAccount
) -> IntegrationOut:
    return _set_paused(request, session, context, account, integration_id, True)


@router.post("/integrations/{integration_id}/resume", summary="Resume: the next run is scheduled")
def resume_integration(
    integration_id: int, request: Request, session: DbSession, context: Context, account: CurrentAccount
) -> IntegrationOut:
    return _set_paused(request, session, context, account, integration_id, False)


@router.delete("/integrations/{integration_id}", summary="Delete an integration, keeping or removing its records")
def delete_integration(
    integration_id: int,
    request: Request,
    session: DbSession,
    context: Context,
    account: CurrentAccount,
    records: Literal["keep", "remove"] = Query(
        description="keep: the records stay as typed in by hand; remove: "
        "they are removed (records it adopted are given back)"
    ),
) -> dict:
    integration = _integration(session, account, integration_id)
    try:
        counts = service.delete_integration(
            session, integration=integration, records=records, now=context.clock.now(), actor=request.state.br_actor
        )
    except service.InvalidInput as exc:
        raise _invalid(exc) from exc
    return {"deleted": integration_id, "records": records, "counts": counts}


@router.get("/integrations/{integration_id}/audit", summary="Who changed what in the integration")
def integration_audit(
    integration_id: int,
    session: DbSession,
    account: CurrentAccount,
    paging: PagingQuery,
) -> list[AuditOut]:
    _integration(session, account, integration_id)
    rows = service.audit_trail(session, account=account, integration_id=integration_id)
    return [
        AuditOut.model_validate(entry, from_attributes=True) for entry in _page(paging, rows, lambda row: [-row.id])
    ]


@router.get("/integrations/{integration_id}/runs", summary="The integration's run history, newest first")
def list_runs(
    integration_id: int,
    request: Request,
    session: DbSession,
    account: CurrentAccount,
    paging: PagingQuery,
) -> list[RunOut]:
    integration = _integration(session, account, integration_id)
    rows = service.list_runs(session, integration=integration, limit=None)
    newest_first = lambda run: [-run.started_at.timestamp(), -run.id]  # noqa: E731
    runs = _page(paging, rows, newest_first)
    excluded = service.excluded_counts(session, run_ids=[run.id for run in runs])
    language = api_language(request)
    return [RunOut(**_run_out(run, excluded.get(run.id, 0), language)) for run in runs]


@router.get("/runs/{run_id}", summary="A run's report: counts, every changed record, every excluded group")
def get_run(run_id: int, request: Request, session: DbSession, account: CurrentAccount) -> RunReportOut:
    try:
        run = service.get_run(session, account=account, run_id=run_id)
    except service.NotFound as exc:
        raise _not_found(exc) from exc
    language = api_language(request)
    issues = [
        IssueOut(
            kind=issue.kind,
            group_id=issue.group_id,
            group_name=issue.group_name,
            reference_id=issue.reference_id,
            reason=language.render(issue_reason(issue.code, issue.params, issue.reason)),
            code=issue.code,
            params=issue.params,
        )
        for issue in run.issues
    ]
    return RunReportOut(
        **_run_out(run, sum(issue.kind == "excluded" for issue in issues), language),
        issues=issues,
        records=[
            RecordOut.model_validate(record, from_attributes=True) for record in service.run_records(session, run=run)
        ],
    )
