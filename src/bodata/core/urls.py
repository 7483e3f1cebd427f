"""Absolute links (the WSDL's address, the portal's ``FilUrl``) from ``BODATA_PUBLIC_URL``, never the Host header.

A client chooses the Host header, so an address built from it points wherever the client says (cache poisoning,
links to an attacker's host). With ``BODATA_PUBLIC_URL`` set (e.g. ``https://bodata.example.org``, the address
behind your proxy) every absolute link starts with it; unset, links use the address the server listens on.
"""

from __future__ import annotations

from starlette.requests import Request

from bodata.core.context import context_of


def public_base(request: Request) -> str:
    """The public URL of the server's root, without a trailing slash."""
    configured = context_of(request).settings.public_url
    if configured:
        return configured.rstrip("/")
    host, port = request.scope.get("server") or ("127.0.0.1", 80)
    scheme = request.scope.get("scheme", "http")
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" + ("" if port in (None, default) else f":{port}")


def public_url(request: Request, path: str = "") -> str:
    """The public absolute URL of ``path`` under the mount point of the app serving ``request``."""
    return public_base(request) + request.scope.get("root_path", "").rstrip("/") + path
