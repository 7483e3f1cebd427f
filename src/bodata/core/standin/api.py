"""The admin API under ``/_bodata/``: reset, seed, snapshots, clock, faults and the journal, with the console page.

Every call but the console page itself needs ``Authorization: Bearer <BODATA_STANDIN_TOKEN>``. Errors are RFC 9457
problem documents. Work on the database runs in a worker thread; resets, seeds and restores run alone (the gate
waits for the requests in flight, and holds new ones until it is done).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib.resources import files
from typing import Annotated, Any, Literal

import anyio.to_thread
import orjson
from fastapi import APIRouter, Body, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from bodata.core.errors import ApiError
from bodata.core.standin.clock import GLOBAL
from bodata.core.standin.controls import SnapshotError, StandIn, TokenLocked, UnknownService, read_snapshot_file
from bodata.core.standin.faults import FaultRuleIn
from bodata.core.standin.journal import har
from bodata.core.standin.middleware import ADMIN_PREFIX, Busy
from bodata.core.standin.seeds import SeedError, read_seed


def controls(request: Request) -> StandIn:
    """The stand-in controls, once the caller showed the admin token."""
    standin: StandIn = request.app.state.standin
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if standin.token_digest is None:
        raise ApiError(503, "no_token", "No admin token is set: start the server with BODATA_STANDIN_TOKEN.")
    caller = request.client.host if request.client else "unknown"
    try:
        right = scheme.lower() == "bearer" and standin.check_token(token.strip(), caller=caller)
    except TokenLocked as locked:
        message = "Too many wrong admin tokens: try again later."
        raise ApiError(
            429, "too_many_requests", message, headers={"Retry-After": str(int(locked.seconds) + 1)}
        ) from None
    if not right:
        raise ApiError(
            401, "unauthorized", "The admin token is missing or wrong.", headers={"WWW-Authenticate": "Bearer"}
        )
    return standin


Controls = Annotated[StandIn, Depends(controls)]
router = APIRouter(prefix=ADMIN_PREFIX, tags=["stand-in"])
CONSOLE_POLICY = (
    "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' blob:; "
    "frame-ancestors 'none'; form-action 'none'"
)


class ResetIn(BaseModel):
    services: list[str] = Field(default_factory=list, description="The services to reset; none: every service.")
    to: Literal["seed", "empty"] = Field("seed", description="Back to the seed data, or empty.")


class SnapshotIn(BaseModel):
    name: str = Field(description="The snapshot's name (letters, digits, '.', '_', '-').")
    services: list[str] = Field(default_factory=list, description="The services it holds; none: every service.")


class ClockIn(BaseModel):
    action: Literal["set", "freeze", "advance", "release"]
    service: str = Field(GLOBAL, description="A service's name, or '*' for the global clock.")
    moment: datetime | None = Field(None, description="For set: the new now (with a time zone).")
    freeze: bool = Field(False, description="For set: stand still at the moment.")
    seconds: float | None = Field(None, description="For advance: how far (negative: back).")


def _not_found(message: str) -> ApiError:
    return ApiError(404, "not_found", message)


async def _alone(standin: StandIn, work: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``work`` in a thread once the requests in flight have finished, holding new ones until it is done."""
    try:
        async with standin.gate.exclusive():
            return await anyio.to_thread.run_sync(lambda: work(*args, **kwargs))
    except Busy as error:
        raise ApiError(503, "busy", str(error)) from None
    except UnknownService as error:
        raise _not_found(str(error)) from None
    except SeedError as error:
        raise ApiError(422, "invalid_seed", "The seed cannot be applied.", [str(p) for p in error.problems]) from None
    except SnapshotError as error:
        raise ApiError(422, "invalid_snapshot", str(error)) from None


@router.get("/", include_in_schema=False)
def console() -> HTMLResponse:
    """The console page (it asks for the admin token and calls this API)."""
    page = files("bodata.core.standin").joinpath("console.html").read_text(encoding="utf-8")
    return HTMLResponse(page, headers={"Cache-Control": "no-store", "Content-Security-Policy": CONSOLE_POLICY})


@router.get("/services", summary="The services and their clocks")
def list_services(standin: Controls) -> list[dict[str, Any]]:
    return standin.overview()


@router.post("/reset", summary="Reset services to their seed or to empty")
async def reset(standin: Controls, body: ResetIn) -> dict[str, Any]:
    """One transaction for all the services named (all when none): no request sees half of it."""
    return await _alone(standin, standin.reset, body.services, to=body.to)


@router.post("/seed", summary="Apply one seed file (JSON, YAML, or an Inskrivning response)")
async def seed(
    standin: Controls,
    request: Request,
    name: Annotated[str, Query(max_length=200, description="The file's name, for the error messages.")] = "upload",
) -> dict[str, Any]:
    data = await request.body()

    def apply() -> list[str]:
        return standin.seed([read_seed(data, name, standin.formats)])

    return {"applied": await _alone(standin, apply)}


@router.post("/seed/startup", summary="Apply the start-up seed files again (BODATA_STANDIN_SEED_FILES)")
async def seed_startup(standin: Controls) -> dict[str, Any]:
    """Read the files anew (they may have changed) and forget the kept seed state, so the next reset uses them."""

    def apply() -> list[str]:
        documents = standin.startup_seeds()
        standin.forget_seed()
        return standin.seed(documents)

    return {"applied": await _alone(standin, apply)}


@router.get("/snapshots", summary="The saved snapshots")
async def list_snapshots(standin: Controls) -> list[dict[str, Any]]:
    return await anyio.to_thread.run_sync(standin.snapshots)


@router.post("/snapshots", status_code=201, summary="Save the state of services under a name")
async def save_snapshot(standin: Controls, body: SnapshotIn) -> dict[str, Any]:
    return await _alone(standin, standin.save, body.name, body.services)


@router.post("/snapshots/{name}/restore", summary="Restore a snapshot (atomically)")
async def restore_snapshot(standin: Controls, name: str) -> dict[str, Any]:
    return await _alone(standin, standin.restore, name)


@router.get(
    "/snapshots/{name}",
    summary="Export a snapshot as a file (gzip-compressed JSON)",
    response_class=Response,
    responses={200: {"content": {"application/gzip": {}}}},
)
async def export_snapshot(standin: Controls, name: str) -> Response:
    try:
        data = await anyio.to_thread.run_sync(standin.export, name)
    except SnapshotError as error:
        raise _not_found(str(error)) from None
    headers = {"Content-Disposition": f'attachment; filename="{name}.bodata-snapshot.json.gz"'}
    return Response(data, media_type="application/gzip", headers=headers)


@router.put("/snapshots/{name}", summary="Import a snapshot file under a name")
async def import_snapshot(
    standin: Controls, name: str, data: Annotated[bytes, Body(media_type="application/gzip")]
) -> dict[str, Any]:
    def store() -> dict[str, Any]:
        return standin.store(name, read_snapshot_file(data))

    return await _alone(standin, store)


@router.delete("/snapshots/{name}", status_code=204, summary="Delete a snapshot")
async def delete_snapshot(standin: Controls, name: str) -> Response:
    if not await anyio.to_thread.run_sync(standin.delete, name):
        raise _not_found(f"no snapshot {name!r}")
    return Response(status_code=204)


@router.get("/clock", summary="The clocks: global and per service")
def get_clock(standin: Controls) -> dict[str, Any]:
    return standin.clock.describe()


@router.post("/clock", summary="Set, freeze, advance or release a clock")
def move_clock(standin: Controls, body: ClockIn) -> dict[str, Any]:
    """``service`` '*' is the global clock; a service's own clock starts from the global one."""
    if body.service != GLOBAL:
        try:
            standin.service(body.service)
        except UnknownService as error:
            raise _not_found(str(error)) from None
    clock = standin.clock
    if body.action == "set":
        if body.moment is None or body.moment.tzinfo is None:
            raise ApiError(422, "invalid_request", "set needs a moment with a time zone, e.g. 2026-03-01T12:00:00Z")
        clock.set(body.moment, service=body.service, freeze=body.freeze)
    elif body.action == "advance":
        if body.seconds is None:
            raise ApiError(422, "invalid_request", "advance needs seconds")
        clock.advance(timedelta(seconds=body.seconds), service=body.service)
    elif body.action == "freeze":
        clock.freeze(service=body.service)
    else:
        clock.release(service=body.service)
    return clock.describe()


@router.get("/faults", summary="The fault rules in force")
def list_faults(standin: Controls) -> list[dict[str, Any]]:
    return [rule.as_json() for rule in standin.faults.rules()]


@router.post("/faults", status_code=201, summary="Add a fault rule")
def add_fault(standin: Controls, body: FaultRuleIn) -> dict[str, Any]:
    if body.service != "*":
        try:
            standin.service(body.service)
        except UnknownService as error:
            raise ApiError(422, "invalid_request", str(error)) from None
    return standin.faults.add(body).as_json()


@router.delete("/faults/{rule_id}", status_code=204, summary="Remove a fault rule")
def remove_fault(standin: Controls, rule_id: int) -> Response:
    if not standin.faults.remove(rule_id):
        raise _not_found(f"no fault rule {rule_id}")
    return Response(status_code=204)


@router.delete("/faults", summary="Remove every fault rule (of one service)")
def clear_faults(standin: Controls, service: str | None = None) -> dict[str, int]:
    return {"removed": standin.faults.clear(service)}


JournalFilter = Annotated[str | None, Query(max_length=200)]


@router.get("/journal", summary="The last requests, newest first")
def journal(
    standin: Controls,
    service: JournalFilter = None,
    operation: JournalFilter = None,
    status: Annotated[int | None, Query(ge=100, le=599)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    full: bool = False,
) -> list[dict[str, Any]]:
    """``operation`` matches a part of the operation (a SOAP operation name, or 'METHOD /route')."""
    entries = standin.journal.entries(service=service, operation=operation, status=status, limit=limit)
    return [entry.full() if full else entry.summary() for entry in entries]


@router.get("/journal.har", summary="The journal as a HAR 1.2 file")
def journal_har(
    standin: Controls,
    service: JournalFilter = None,
    operation: JournalFilter = None,
    status: Annotated[int | None, Query(ge=100, le=599)] = None,
) -> Response:
    entries = standin.journal.entries(service=service, operation=operation, status=status)
    headers = {"Content-Disposition": 'attachment; filename="bodata-journal.har"'}
    return Response(orjson.dumps(har(entries)), media_type="application/json", headers=headers)


@router.get("/journal/{entry_id}", summary="One journal entry with its headers and bodies")
def journal_entry(standin: Controls, entry_id: int) -> dict[str, Any]:
    entry = standin.journal.get(entry_id)
    if entry is None:
        raise _not_found(f"no journal entry {entry_id} (it may have been pushed out)")
    return entry.full()


@router.delete("/journal", summary="Empty the journal (of one service)")
def clear_journal(standin: Controls, service: str | None = None) -> Response:
    standin.journal.clear(service)
    return Response(status_code=204)
