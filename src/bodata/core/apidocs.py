"""API documentation that works offline: Swagger UI and ReDoc from the package, and one index of every service.

FastAPI's own ``/docs`` and ``/redoc`` pages load their scripts from a CDN and stay blank without network access.
``serve_offline`` swaps them, in the platform app and in every service app, for pages that load the same scripts
from ``/docs/assets/`` (``docs_assets/``: swagger-ui-dist and ReDoc as published on npm, with their licences).
``GET /docs`` lists every service's documentation and OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.staticfiles import StaticFiles

from bodata import __version__
from bodata.core.service import Service

ASSETS = Path(__file__).parent / "docs_assets"
ASSETS_PATH = "/docs/assets"


def _site_root(request: Request) -> str:
    """The path the whole bodata app is served under (empty, or the proxy's prefix)."""
    return request.scope.get("app_root_path", request.scope.get("root_path", "")).rstrip("/")


def serve_offline(app: FastAPI) -> None:
    """Replace ``app``'s Swagger UI and ReDoc pages by ones that load their scripts from this server."""
    if not app.openapi_url:
        return

    def urls(request: Request) -> tuple[str, str]:
        """The bundled scripts' folder and the service's OpenAPI document, as this request reaches them."""
        return _site_root(request) + ASSETS_PATH, request.scope.get("root_path", "").rstrip("/") + app.openapi_url

    async def swagger_ui(request: Request) -> HTMLResponse:
        assets, openapi_url = urls(request)
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{assets}/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui/swagger-ui.css",
            swagger_favicon_url=f"{assets}/swagger-ui/favicon-32x32.png",
            swagger_ui_parameters=app.swagger_ui_parameters,
        )

    async def redoc(request: Request) -> HTMLResponse:
        assets, openapi_url = urls(request)
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{assets}/redoc/redoc.standalone.js",
            redoc_favicon_url=f"{assets}/swagger-ui/favicon-32x32.png",
            with_google_fonts=False,
        )

    pages = {app.docs_url: swagger_ui, app.redoc_url: redoc}
    routes = app.router.routes
    for index, route in enumerate(routes):
        if isinstance(route, Route) and route.path in pages and route.path is not None:
            routes[index] = Route(route.path, pages[route.path], methods=["GET"], include_in_schema=False)


def add_docs_index(app: FastAPI, services: Sequence[tuple[Service, FastAPI | None]]) -> None:
    """``GET /docs``: every service with its Swagger UI, ReDoc and OpenAPI links; and the assets they load."""
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="docs-assets")

    entries: list[tuple[str, list[tuple[str, str]]]] = [("bodata platform (health, readiness, index)", _links("", app))]
    for service, service_app in services:
        links = _links(service.prefix, service_app) if service_app is not None else []
        links += [(label, path) for label, path in service.links.items() if path not in {p for _, p in links}]
        entries.append((service.title, links))

    @app.get("/docs", include_in_schema=False)
    async def docs_index(request: Request) -> HTMLResponse:
        root = _site_root(request)
        items = "\n".join(
            f"<li><strong>{escape(title)}</strong>: "
            + " · ".join(f'<a href="{escape(root + path)}">{escape(label)}</a>' for label, path in links)
            + "</li>"
            for title, links in entries
        )
        return HTMLResponse(_INDEX.format(version=escape(__version__), items=items))


def _links(prefix: str, app: FastAPI) -> list[tuple[str, str]]:
    if not app.openapi_url:
        return []
    links = [("Swagger UI", app.docs_url), ("ReDoc", app.redoc_url), ("OpenAPI", app.openapi_url)]
    return [(label, prefix + path) for label, path in links if path]


_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bodata {version}: API documentation</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6}}</style>
</head><body><h1>bodata {version}: API documentation</h1>
<p>Every service's interactive documentation and machine-readable description, served by this server.</p>
<ul>
{items}
</ul></body></html>
"""
