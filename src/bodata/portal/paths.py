"""Maps the many ways a client may write a portal path onto one route table (portal.md §5.1, §5.2, §5.5, A-1).

The capture writes ``/session`` and ``/Session``, with and without ``/v1``, with and without trailing slashes,
and puts the Sessionsnyckel both in the path (``/session/{key}/arende/…``, the worked examples) and among the
parameters. This ASGI wrapper rewrites the path before routing: the ``/v1`` prefix and trailing slashes go,
literal segments are matched case-insensitively (and ASCII-folded), and a key found in the path is moved out of
it into the scope, where the session dependency finds it. ``GET /session/{X}`` is E17 when the key travels
elsewhere (query or header) and E1 with key X otherwise.
"""

from __future__ import annotations

from urllib.parse import parse_qs, quote

from starlette.types import ASGIApp, Receive, Scope, Send

PATH_KEY = "bodata.portal.path_key"

_LITERALS = {
    "session": "session",
    "arende": "arende",
    "typ": "typ",
    "protokoll": "protokoll",
    "kund": "kund",
    "ekonomi": "ekonomi",
    "avisering": "avisering",
    "sparatillfalligadress": "sparatillfalligadress",
    "tillfalligaadresser": "tillfalligaadresser",
    "andrakontaktuppgift": "andrakontaktuppgift",
    "sparaerbjudanden": "sparaerbjudanden",
    "dokument": "dokument",
    "arenderadfil": "arenderadfil",
    "notifieringbilagafil": "notifieringBilagaFil",
    "adresser": "adresser",
    "tvättstugor": "Tvättstugor",
    "tvattstugor": "Tvättstugor",
    "boka": "Boka",
    "avboka": "Avboka",
    "login": "login",
    "logout": "logout",
    "validera": "validera",
}
"""Literal path segments (lower case) and the spelling the routes are declared with."""

_SESSION_CHILDREN = {
    "arende",
    "kund",
    "andrakontaktuppgift",
    "arenderadfil",
    "notifieringbilagafil",
    "tvättstugor",
    "tvattstugor",
    "boka",
    "avboka",
    "login",
    "logout",
}
"""What may follow ``/session`` directly; anything else there is a session key or a node-class group (E17)."""


def normalize(path: str, *, key_elsewhere: bool) -> tuple[str, str | None]:
    """The canonical route path for ``path``, and the session key it carried (if any)."""
    segments = [segment for segment in path.split("/") if segment]
    if segments and segments[0].lower() == "v1":
        segments = segments[1:]
    if not segments or segments[0].lower() not in ("session", "arende"):
        return path, None
    if segments[0].lower() == "arende":
        return "/" + "/".join(["arende", *segments[1:]]), None
    key = None
    carries_key = len(segments) >= 3 or not key_elsewhere
    if len(segments) >= 2 and segments[1].lower() not in _SESSION_CHILDREN and carries_key:
        key = segments.pop(1)
    canonical = ["session"] + [_LITERALS.get(segment.lower(), segment) for segment in segments[1:]]
    return "/" + "/".join(canonical), key


class PortalPaths:
    """The ASGI wrapper that normalises paths before the portal's router sees them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            root = scope.get("root_path", "")
            path = scope["path"]
            route_path = path[len(root) :] if root and path.startswith(root) else path
            new_path, key = normalize(route_path, key_elsewhere=_key_elsewhere(scope))
            if new_path != route_path or key is not None:
                full = (root if root and path.startswith(root) else "") + new_path
                scope = {**scope, "path": full, "raw_path": quote(full).encode("ascii"), PATH_KEY: key}
        await self.app(scope, receive, send)


def _key_elsewhere(scope: Scope) -> bool:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if any(name.lower() == "sessionsnyckel" for name in query):
        return True
    return any(name.lower() == b"sessionsnyckel" for name, _ in scope.get("headers", []))
