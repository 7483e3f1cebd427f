"""A small service used to test the platform: it mounts, stores notes, fails on request, renders XML faults."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import MetaData, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bodata.core.context import DbSession
from bodata.core.errors import ApiError
from bodata.core.service import DemoAccount, Service


class SampleBase(DeclarativeBase):
    """Kept off bodata's metadata so the app's migrations never see this table."""

    metadata = MetaData()


class Note(SampleBase):
    __tablename__ = "sample_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200), unique=True)


def render_fault(request: Request, error: ApiError) -> Response:
    """The sample service's own error format (an XML fault, like the XML services have)."""
    body = f"<Fault><code>{error.code}</code><status>{error.status}</status><reason>{error.message}</reason></Fault>"
    return Response(body, status_code=error.status, media_type="application/xml")


async def raw_body(request: Request) -> bytes:
    """The body, read on the event loop; the route itself is sync, so its database work runs in the threadpool."""
    return await request.body()


def create_sample_app() -> FastAPI:
    app = FastAPI()

    @app.get("/notes")
    def list_notes(session: DbSession) -> list[str]:
        return list(session.scalars(select(Note.text).order_by(Note.id)))

    @app.post("/notes")
    def add_note(request: Request, session: DbSession, body: Annotated[bytes, Depends(raw_body)]) -> dict[str, int]:
        session.add(Note(text=body.decode()))
        session.flush()
        if request.query_params.get("fail") == "after-write":
            raise ApiError(409, "rejected", "written, then rejected: nothing may be saved")
        if request.query_params.get("fail") == "crash":
            raise RuntimeError("secret internal detail")
        return {"bytes": len(body)}

    return app


def seed_notes(session, demo) -> None:
    faker = demo.faker("sv_SE")
    for _ in range(3):
        session.add(Note(text=faker.unique.street_address()))


SAMPLE = Service(
    name="sample",
    title="Sample service",
    prefix="/sample",
    create_app=create_sample_app,
    render_error=render_fault,
    max_body_bytes=1000,
    links={"notes": "/sample/notes"},
    demo_accounts=(DemoAccount("HTTP Basic", "demo", "demo"),),
    seed_demo=seed_notes,
)
