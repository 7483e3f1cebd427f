"""The HTTP surface of Inskrivning v3 at ``/distribution/produkter/inskrivning/v3`` (digest §1).

Five operations, JSON (GeoJSON) or XML (GML) by ``Accept``, ``IdRequest`` bodies by ``Content-Type``, bearer
tokens with the scope ``inskrivning_direkt_v3_read``, and every error as Lantmäteriet's ``Fault`` in the format the
client asked for. The published schemas are served next to the operations, under their own file names.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, FastAPI, Path, Request
from fastapi.responses import FileResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from bodata.core.cache import CredentialCache, LruCache, etag_matches
from bodata.core.context import AppContext, DbSession, context_of, in_transaction
from bodata.core.errors import ApiError
from bodata.core.xml import XMLInputError, parse_xml
from bodata.inskrivning import gml, openapi, service
from bodata.inskrivning.contract import SCHEMA_DIR, SCHEMA_FILES
from bodata.inskrivning.documents import UUID_PATTERN
from bodata.inskrivning.selection import IncludeDataError, parse_include_data, select

JSON = "application/json"
XML = "application/xml"
MAX_IDS = 250
MAX_BODY_BYTES = 64 * 1024
"""A request body limit: 250 ids in XML take about 13 KB."""
ANSWER_CACHE_ENTRIES = 2048
"""Rendered single-registration answers kept per process (about 9 kB each in JSON with includeData=total)."""

_UUID = re.compile(UUID_PATTERN)
_bearer = HTTPBearer(auto_error=False, description="An access token from POST /token (client credentials).")


# --- Formats --------------------------------------------------------------------------------------


def _media_ranges(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    return ranges


def response_format(request: Request) -> str | None:
    """``application/json`` or ``application/xml`` by the ``Accept`` header; None when neither is acceptable.

    No ``Accept``, ``*/*`` and ``application/*`` get JSON (decisions.md).
    """
    header = request.headers.get("accept", "").strip()
    if not header:
        return JSON
    best, best_quality = None, 0.0
    for media, quality in _media_ranges(header):
        chosen = {JSON: JSON, XML: XML, "*/*": JSON, "application/*": JSON}.get(media)
        if chosen and quality > best_quality:
            best, best_quality = chosen, quality
    return best


def render_fault(request: Request, error: ApiError) -> Response:
    """Lantmäteriet's Fault (§4.46): the HTTP status, its reason phrase and the detailed errors."""
    fault = {"code": error.status, "reason": HTTPStatus(error.status).phrase, "errors": [error.message, *error.details]}
    headers = {"Allow": request.scope["bodata.allow"]} if "bodata.allow" in request.scope else {}
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="inskrivning"'
    if response_format(request) == XML:
        return Response(gml.write_fault(fault), error.status, media_type=XML, headers=headers)
    return Response(orjson.dumps(fault), error.status, media_type=JSON, headers=headers)


def _fault(status: int, message: str, details: list[str] | None = None) -> ApiError:
    return ApiError(status, HTTPStatus(status).phrase.lower().replace(" ", "_"), message, details or [])


def _negotiated(request: Request) -> str:
    chosen = response_format(request)
    if chosen is None:
        raise _fault(406, f"Accept must allow {JSON} or {XML}.")
    return chosen


# --- Parameters -----------------------------------------------------------------------------------


def _uuid(text: str, where: str) -> uuid.UUID:
    if not isinstance(text, str) or not _UUID.fullmatch(text):
        raise _fault(400, f"{where}: {text!r} is not a UUID (8-4-4-4-12 hexadecimal digits).")
    return uuid.UUID(text)


def _boolean(request: Request, name: str) -> bool:
    value = request.query_params.get(name)
    if value is None:
        return False
    if value.lower() not in ("true", "false"):
        raise _fault(400, f"{name} must be true or false, not {value!r}.")
    return value.lower() == "true"


def _instant(request: Request) -> datetime | None:
    value = request.query_params.get("instant")
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        raise _fault(400, f"instant must be a time in milliseconds since 1970-01-01 UTC, not {value!r}.") from None


def _selection(request: Request) -> tuple[frozenset[str], bool, datetime | None]:
    try:
        subsets = parse_include_data(request.query_params.getlist("includeData"))
    except IncludeDataError as error:
        raise _fault(400, "includeData is not valid.", error.problems) from None
    exclude_personid = _boolean(request, "excludePersonid") or _boolean(request, "marknadsforing")
    return subsets, exclude_personid, _instant(request)


def _id_request(content_type: str, body: bytes) -> list[uuid.UUID]:
    """The ids of an IdRequest body (a JSON array or ``<IdRequest>``), checked: 1-250 distinct UUIDs."""
    content_type = content_type.split(";")[0].strip().lower()
    if content_type not in (JSON, XML):
        raise _fault(415, f"Content-Type must be {JSON} or {XML}, not {content_type or 'missing'}.")
    if content_type == JSON:
        try:
            ids = orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise _fault(400, f"The body is not JSON: {error}.") from None
        if not isinstance(ids, list):
            raise _fault(400, "The body must be a JSON array of ids.")
    else:
        try:
            ids = gml.read_id_request(parse_xml(body, max_bytes=MAX_BODY_BYTES))
        except (XMLInputError, gml.XmlDecodeError) as error:
            raise _fault(400, f"The body is not an IdRequest: {error}") from None
    if not 1 <= len(ids) <= MAX_IDS:
        raise _fault(400, f"An IdRequest holds 1 to {MAX_IDS} ids; this one has {len(ids)}.")
    parsed = [_uuid(value, f"id {n}") for n, value in enumerate(ids, start=1)]
    duplicates = sorted({str(value) for value in parsed if parsed.count(value) > 1})
    if duplicates:
        raise _fault(400, "An IdRequest may name each id once.", [f"repeated: {value}" for value in duplicates])
    return parsed


# --- Auth and the one hop -------------------------------------------------------------------------

Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


@dataclass
class _Caches:
    """What one app remembers between requests: token lookups and rendered single-registration answers."""

    tokens: CredentialCache[frozenset[str]] = field(default_factory=lambda: CredentialCache(service.TOKENS))
    answers: LruCache[str, bytes] = field(default_factory=lambda: LruCache(ANSWER_CACHE_ENTRIES))
    """By ETag, which names the stored version: a changed registration gets a new one."""


def _caches(request: Request) -> _Caches:
    return request.app.state.inskrivning_caches


def require_scope(
    session: Session,
    context: AppContext,
    credentials: HTTPAuthorizationCredentials | None,
    tokens: CredentialCache,
    generation: int | None = None,
) -> None:
    """A valid bearer token with the scope ``inskrivning_direkt_v3_read``: 401 without one, 403 without the scope.

    Token lookups are remembered per process and dropped when a token is revoked (``service.TOKENS``); expiry is
    checked at every call.
    """
    if credentials is None:
        raise _fault(401, "An access token is required: Authorization: Bearer <token> (get one at /token).")
    token = credentials.credentials
    now, load = context.clock.now(), lambda reading: service.token_grant(reading, token)
    scopes = tokens.lookup(session, token, now=now, load=load, generation=generation)
    if scopes is None:
        raise _fault(401, "The access token is invalid or has expired.")
    if service.SCOPE not in scopes:
        raise _fault(403, f"The access token does not have the scope {service.SCOPE}.")


async def _authorized(
    request: Request, credentials: HTTPAuthorizationCredentials | None, answer: Callable[[Session], Response]
) -> Response:
    """The token checked, then ``answer``, in one read transaction in the request's one threadpool hop."""
    context, tokens = context_of(request), _caches(request).tokens

    def work(session: Session) -> Response:
        require_scope(session, context, credentials, tokens)
        return answer(session)

    return await in_transaction(request, work, write=False)


# --- Responses ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Query:
    """What a request for registrations asks for, checked before the database is touched."""

    media: str
    subsets: frozenset[str]
    exclude_personid: bool
    instant: datetime | None

    @classmethod
    def of(cls, request: Request) -> _Query:
        media = _negotiated(request)
        return cls(media, *_selection(request))

    def render(self, documents: list[dict[str, Any]]) -> bytes:
        """The InskrivningResponse of ``documents``, cut to the requested subsets, in the negotiated format."""
        selected = [select(document, self.subsets, exclude_personid=self.exclude_personid) for document in documents]
        if self.media == XML:
            return gml.write_inskrivning_response(selected)
        features = [
            {"type": "Feature", "id": document["objektidentitet"], "geometry": None, "properties": document}
            for document in selected
        ]
        return orjson.dumps({"type": "FeatureCollection", "crs": None, "features": features})

    def respond(self, documents: list[dict[str, Any]]) -> Response:
        return Response(self.render(documents), media_type=self.media)

    def etag(self, version: service.Version) -> str:
        """A strong validator of the answer for one registration's stored version: the version and the request's
        form (format, subsets, person ids), so it is the same in every server process."""
        form = f"{self.media}|{','.join(sorted(self.subsets))}|{self.exclude_personid}"
        variant = hashlib.sha256(form.encode()).hexdigest()[:12]
        moment = int(version.registered_from.timestamp() * 1e6)
        return f'"{version.row_id}.{moment}.{version.replaced}.{variant}"'


def _one_registration(session: Session, request: Request, key: uuid.UUID, version: service.Version | None) -> Response:
    """``GET /{id}``: the current registration (``version``) answered from the cache of rendered answers, by its
    version's ETag (304 when the client has it); as the register stood at ``instant``, rendered each time."""
    query = _Query.of(request)
    if query.instant is not None:
        return query.respond(service.registrations_by_id(session, [key], query.instant))
    if version is None:
        return query.respond([])
    etag = query.etag(version)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    answers = _caches(request).answers
    body = answers.get(etag)
    if body is None:
        body = query.render([service.document_of(session, version)])
        answers.put(etag, body)
    return Response(body, media_type=query.media, headers=headers)


IdPath = Annotated[str, Path(description="A UUID.")]
router = APIRouter()


@router.get("/beror/{id}", summary="Hämta en inskrivning med fastighetens objektidentitet.", tags=["Inskrivning"])
async def get_by_property(id: IdPath, request: Request, credentials: Bearer) -> Response:
    """The registration of one property (by the property's UUID)."""

    def answer(session: Session) -> Response:
        query = _Query.of(request)
        return query.respond(service.registrations_by_property(session, [_uuid(id, "id")], query.instant))

    return await _authorized(request, credentials, answer)


@router.post(
    "/beror", summary="Hämta en eller flera inskrivningar med fastighetens objektidentitet.", tags=["Inskrivning"]
)
async def post_by_property(request: Request, credentials: Bearer) -> Response:
    """The registrations of up to 250 properties (IdRequest of property UUIDs)."""
    body = await request.body()

    def answer(session: Session) -> Response:
        ids = _id_request(request.headers.get("content-type", ""), body)
        query = _Query.of(request)
        return query.respond(service.registrations_by_property(session, ids, query.instant))

    return await _authorized(request, credentials, answer)


@router.get(
    "/referens/inteckning/{id}", summary="Hämta fastighetsreferenser som belastas av en inteckning.", tags=["Referens"]
)
async def get_encumbered_properties(id: IdPath, request: Request, credentials: Bearer) -> Response:
    """The properties a mortgage encumbers: a FastighetsreferensResponse (empty for an unknown mortgage)."""

    def answer(session: Session) -> Response:
        media = _negotiated(request)
        references = service.properties_encumbered_by(session, _uuid(id, "id"))
        if media == XML:
            return Response(gml.write_fastighetsreferens_response(references), media_type=XML)
        return Response(orjson.dumps(references), media_type=JSON)

    return await _authorized(request, credentials, answer)


@router.get(
    "/{id}",
    summary="Hämta en inskrivning med id för inskrivningsfastighet.",
    tags=["Inskrivning"],
    responses={304: {"description": "Unchanged since the ETag given in If-None-Match (current registrations)"}},
)
async def get_registration(id: IdPath, request: Request, credentials: Bearer) -> Response:
    """One registration by its id, as a FeatureCollection of zero or one feature.

    A current registration's answer carries an ETag naming its stored version: send it in If-None-Match to get
    304 with no body while the registration is unchanged.
    """
    context, tokens = context_of(request), _caches(request).tokens
    key = uuid.UUID(id) if _UUID.fullmatch(id) else None

    def work(session: Session) -> Response:
        # the token generation and the version in one statement; a malformed id is refused after the token check
        generation, version = service.tokens_and_current_version(session, key) if key else (None, None)
        require_scope(session, context, credentials, tokens, generation)
        return _one_registration(session, request, _uuid(id, "id"), version)

    return await in_transaction(request, work, write=False)


@router.post("/", summary="Hämta en eller flera inskrivningar med id.", tags=["Inskrivning"])
async def post_registrations(request: Request, credentials: Bearer) -> Response:
    """Up to 250 registrations by id (IdRequest), in request order; unknown ids are left out."""
    body = await request.body()

    def answer(session: Session) -> Response:
        ids = _id_request(request.headers.get("content-type", ""), body)
        query = _Query.of(request)
        return query.respond(service.registrations_by_id(session, ids, query.instant))

    return await _authorized(request, credentials, answer)


def _schema_route(name: str) -> Callable[[], FileResponse]:
    media = XML if name.endswith(".xsd") else "application/schema+json"

    def schema_file() -> FileResponse:
        return FileResponse(SCHEMA_DIR / name, media_type=media)

    schema_file.__doc__ = f"The published schema {name}."
    return schema_file


def _health(session: DbSession) -> Response:
    """``{base}/health``, as Lantmäteriet's sibling APIs have: ``UP`` when the register answers (no token needed)."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return Response(orjson.dumps({"status": "DOWN"}), 503, media_type=JSON)
    return Response(orjson.dumps({"status": "UP"}), media_type=JSON)


class _BasePath:
    """An ASGI app answering ``{prefix}`` as ``{prefix}/`` through the router that received the request."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] + "/"
        await scope["router"]({**scope, "path": path, "raw_path": path.encode()}, receive, send)


def base_path_route(prefix: str) -> Route:
    """``{prefix}`` without its trailing slash, answered as ``{prefix}/`` (``POST /`` of the description) in place.

    Without it the framework redirects with an absolute ``http://`` Location, which a client behind TLS cannot
    follow and which many clients do not follow for a POST.
    """
    return Route(prefix, _BasePath(), include_in_schema=False)


def create_inskrivning_app() -> FastAPI:
    """The Inskrivning v3 app, mounted at ``/distribution/produkter/inskrivning/v3``."""
    app = FastAPI(
        title="bodata Inskrivning v3",
        summary="Lantmäteriet's land-registration API: ownership, mortgages, easements, annotations",
        description="Get a token with client credentials at `POST /token` (HTTP Basic), then call with "
        "`Authorization: Bearer <token>` and `Accept: application/json` (GeoJSON) or `application/xml` (GML). "
        "Schemas: " + ", ".join(SCHEMA_FILES) + ".",
    )
    for name in SCHEMA_FILES:
        app.add_api_route(f"/{name}", _schema_route(name), methods=["GET"], tags=["Schema"], include_in_schema=True)
    app.add_api_route(
        "/health", _health, methods=["GET"], tags=["Health"], summary="Is the service up?", response_model=None
    )
    app.include_router(router)
    app.state.inskrivning_caches = _Caches()
    openapi.install(app)
    return app
