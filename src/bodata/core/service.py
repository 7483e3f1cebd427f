"""What a service brings to the platform: its mount point, its app, its error format, demo data and CLI."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI

from bodata.core.errors import ErrorRenderer, problem_response

if TYPE_CHECKING:
    import typer
    from sqlalchemy.orm import Session

    from bodata.core.context import AppContext
    from bodata.core.demo import DemoData
    from bodata.core.standin.seeds import SeedFormat


@dataclass(frozen=True)
class DemoAccount:
    """A demo login, printed by ``bodata serve --demo`` and listed in the README."""

    interface: str
    username: str
    password: str


@dataclass(frozen=True)
class Service:
    """One of bodata's services, as the platform mounts and runs it.

    ``prefix`` is the path the service's ASGI app is mounted at; every error under it (404s included) is
    rendered by ``render_error`` in the service's own format. ``seed_demo`` loads the service's demo data in one
    transaction; raise ``seed_version`` when the demo data changes so existing databases get it again (the
    seeder must then update what it finds, not duplicate it). ``background`` starts the service's work outside
    requests (schedulers) when the server starts and returns the function that stops it. ``root_routes`` are
    routes the service answers outside its mount point (Lantmäteriet's ``/token``). ``seed_format`` is the format
    of the service's stand-in seed files (``core/standin/seeds.py``).
    """

    name: str
    title: str
    prefix: str
    create_app: Callable[[], FastAPI]
    render_error: ErrorRenderer = problem_response
    max_body_bytes: int | None = None
    links: Mapping[str, str] = field(default_factory=dict)
    demo_accounts: tuple[DemoAccount, ...] = ()
    seed_demo: Callable[[Session, DemoData], None] | None = None
    seed_version: int = 1
    cli: typer.Typer | None = None
    background: Callable[[AppContext], Callable[[], None]] | None = None
    root_routes: Callable[[], APIRouter] | None = None
    seed_format: SeedFormat | None = None

    def owns(self, path: str) -> bool:
        """True when ``path`` lies under this service's mount point."""
        return path == self.prefix or path.startswith(self.prefix.rstrip("/") + "/")
