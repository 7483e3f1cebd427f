"""A client for Lantmäteriet's Inskrivning v3 (inskrivning.md §1-§3), and for bodata's own implementation of it.

It gets OAuth2 client-credentials tokens from the gateway, speaks JSON (GeoJSON) or XML (GML), splits long id
lists into requests of at most 250 ids, and returns the typed datatypes of :mod:`bodata.inskrivning.datatypes`.
Every refusal by the service (a ``Fault``) or by the token endpoint raises :class:`InskrivningError`; network
failures are httpx's own exceptions.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Literal, TypeVar

import httpx
import orjson
from lxml import etree

from bodata.core.xml import parse_xml
from bodata.inskrivning import gml
from bodata.inskrivning.datatypes import Fastighetsreferens, Fault, Inskrivningsinformation
from bodata.inskrivning.documents import to_typed

MAX_IDS = 250
"""Ids per ``POST /`` or ``POST /beror`` (§1.8)."""

_MEDIA = {"json": "application/json", "xml": "application/xml"}
_MAX_XML_BYTES = 256 * 1024 * 1024
"""250 registrations with all their history in GML can exceed the parser's default 5 MB."""
_TOKEN_MARGIN = 60.0
"""Seconds before its expiry at which a cached token is replaced."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_T = TypeVar("_T")


class InskrivningError(Exception):
    """The service or its token endpoint refused a request, or answered something that is not the API's form.

    ``status`` is the HTTP status; ``fault`` the service's Fault when the answer carried one.
    """

    def __init__(self, status: int, fault: Fault | None = None, detail: str = "") -> None:
        self.status = status
        self.fault = fault
        if fault is not None:
            message = f"{fault.code} {fault.reason}" + (f": {'; '.join(fault.errors)}" if fault.errors else "")
        else:
            message = f"HTTP {status}" + (f": {detail}" if detail else "")
        super().__init__(message)


class InskrivningClient:
    """Inskrivning v3 over HTTP: ``get``/``get_many`` by registration id, ``get_by_property``/
    ``get_many_by_property`` by property id, and ``encumbered_properties`` of a mortgage.
    """

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        format: Literal["json", "xml"] = "json",
        token_url: str | None = None,
        scope: str = "inskrivning_direkt_v3_read",
        timeout: float = 30.0,
        http: httpx.Client | None = None,
    ) -> None:
        if format not in _MEDIA:
            raise ValueError(f"format must be 'json' or 'xml', not {format!r}")
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url or str(httpx.URL(self.base_url).copy_with(path="/token", query=None))
        self.format = format
        self.scope = scope
        self._credentials = (client_id, client_secret)
        self._http = http or httpx.Client()
        self._owns_http = http is None
        self._timeout = timeout
        self._token: str | None = None
        self._token_renew_at = 0.0

    # --- Operations -------------------------------------------------------------------------------

    def get(
        self,
        id: uuid.UUID | str,
        *,
        include_data: Iterable[str] = (),
        exclude_personid: bool = False,
        marknadsforing: bool = False,
        instant: datetime | int | None = None,
    ) -> list[Inskrivningsinformation]:
        """``GET /{id}``: the registration with this id (an empty list when the register does not hold it)."""
        params = _params(include_data, exclude_personid, marknadsforing, instant)
        return self._registrations(self._call("GET", f"/{_uuid(id)}", params))

    def get_many(
        self,
        ids: Iterable[uuid.UUID | str],
        *,
        include_data: Iterable[str] = (),
        exclude_personid: bool = False,
        marknadsforing: bool = False,
        instant: datetime | int | None = None,
    ) -> list[Inskrivningsinformation]:
        """``POST /``: the registrations with these ids, in the order asked; unknown ids are left out."""
        params = _params(include_data, exclude_personid, marknadsforing, instant)
        return self._batched("/", ids, params)

    def get_by_property(
        self, property_id: uuid.UUID | str, *, include_data: Iterable[str] = ()
    ) -> list[Inskrivningsinformation]:
        """``GET /beror/{id}``: the registration of the property with this id."""
        return self._registrations(self._call("GET", f"/beror/{_uuid(property_id)}", _params(include_data)))

    def get_many_by_property(
        self, property_ids: Iterable[uuid.UUID | str], *, include_data: Iterable[str] = ()
    ) -> list[Inskrivningsinformation]:
        """``POST /beror``: the registrations of these properties, in the order asked."""
        return self._batched("/beror", property_ids, _params(include_data))

    def encumbered_properties(self, inteckning_id: uuid.UUID | str) -> list[Fastighetsreferens]:
        """``GET /referens/inteckning/{id}``: the properties the mortgage encumbers."""
        response = self._call("GET", f"/referens/inteckning/{_uuid(inteckning_id)}", {})
        with _malformed(response):
            if self.format == "xml":
                references = gml.read_fastighetsreferens_response(_xml(response))
            else:
                references = _json(response, list)
            return [to_typed(Fastighetsreferens, item) for item in references]

    def responses(
        self, ids: Iterable[uuid.UUID | str], *, by_property: bool = False, include_data: Iterable[str] = ("total",)
    ) -> Iterator[bytes]:
        """The service's responses as they came (GeoJSON or GML bytes), one per batch of at most 250 ids: what
        ``bodata inskrivning import`` and ``fetch`` store. ``by_property``: the ids are property ids."""
        unique = list(dict.fromkeys(_uuid(value) for value in ids))
        for start in range(0, len(unique), MAX_IDS):
            batch = unique[start : start + MAX_IDS]
            body = gml.write_id_request(batch) if self.format == "xml" else orjson.dumps(batch)
            yield self._call("POST", "/beror" if by_property else "/", _params(include_data), body).content

    def close(self) -> None:
        """Close the HTTP connections, unless the caller passed its own ``http`` client."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> InskrivningClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- Requests ---------------------------------------------------------------------------------

    def _batched(
        self, path: str, ids: Iterable[uuid.UUID | str], params: dict[str, str]
    ) -> list[Inskrivningsinformation]:
        unique = list(dict.fromkeys(_uuid(value) for value in ids))
        results: list[Inskrivningsinformation] = []
        for start in range(0, len(unique), MAX_IDS):
            batch = unique[start : start + MAX_IDS]
            body = gml.write_id_request(batch) if self.format == "xml" else orjson.dumps(batch)
            results.extend(self._registrations(self._call("POST", path, params, body)))
        return results

    def _call(self, method: str, path: str, params: dict[str, str], body: bytes | None = None) -> httpx.Response:
        """Send with a bearer token; on a 401, get a new token and send once more."""
        response = self._send(method, path, params, body, self._access_token())
        if response.status_code == 401:
            self._token = None
            response = self._send(method, path, params, body, self._access_token())
        if response.status_code != 200:
            raise _error(response)
        return response

    def _send(self, method: str, path: str, params: dict[str, str], body: bytes | None, token: str) -> httpx.Response:
        media = _MEDIA[self.format]
        headers = {"Accept": media, "Authorization": f"Bearer {token}"}
        if body is not None:
            headers["Content-Type"] = media
        return self._http.request(
            method, self.base_url + path, params=params, content=body, headers=headers, timeout=self._timeout
        )

    def _access_token(self) -> str:
        """The cached token, or a new one by the client-credentials grant when it is missing or about to expire."""
        if self._token is not None and time.monotonic() < self._token_renew_at:
            return self._token
        response = self._http.post(
            self.token_url,
            data={"grant_type": "client_credentials", "scope": self.scope},
            auth=self._credentials,
            timeout=self._timeout,
        )
        if response.status_code != 200:
            raise InskrivningError(response.status_code, detail=f"token request refused: {_oauth_error(response)}")
        with _malformed(response):
            answer = _json(response, dict)
        token, expires_in = answer.get("access_token"), answer.get("expires_in", 3600)
        if not isinstance(token, str) or not isinstance(expires_in, int):
            raise InskrivningError(response.status_code, detail="the token answer has no access_token/expires_in")
        self._token = token
        self._token_renew_at = time.monotonic() + max(expires_in - _TOKEN_MARGIN, expires_in / 2)
        return token

    def _registrations(self, response: httpx.Response) -> list[Inskrivningsinformation]:
        with _malformed(response):
            if self.format == "xml":
                documents = gml.read_inskrivning_response(_xml(response))
            else:
                documents = [feature["properties"] for feature in _json(response, dict)["features"]]
            return [to_typed(Inskrivningsinformation, document) for document in documents]


# --- Helpers --------------------------------------------------------------------------------------


def _uuid(value: uuid.UUID | str) -> str:
    """The canonical (lowercase) form of an id; ValueError when it is not a UUID."""
    return str(value if isinstance(value, uuid.UUID) else uuid.UUID(value))


def _params(
    include_data: Iterable[str],
    exclude_personid: bool = False,
    marknadsforing: bool = False,
    instant: datetime | int | None = None,
) -> dict[str, str]:
    params: dict[str, str] = {}
    subsets = [include_data] if isinstance(include_data, str) else list(include_data)
    if subsets:
        params["includeData"] = ",".join(subsets)
    if exclude_personid:
        params["excludePersonid"] = "true"
    if marknadsforing:
        params["marknadsforing"] = "true"
    if isinstance(instant, datetime):
        if instant.tzinfo is None:
            raise ValueError("instant must be timezone-aware")
        params["instant"] = str((instant - _EPOCH) // timedelta(milliseconds=1))
    elif instant is not None:
        params["instant"] = str(instant)
    return params


def _json(response: httpx.Response, kind: type[_T]) -> _T:
    answer = orjson.loads(response.content)
    if not isinstance(answer, kind):
        raise TypeError(f"expected a JSON {'object' if kind is dict else 'array'}")
    return answer


def _xml(response: httpx.Response) -> etree._Element:
    return parse_xml(response.content, max_bytes=_MAX_XML_BYTES)


@contextmanager
def _malformed(response: httpx.Response) -> Iterator[None]:
    """Report an answer that does not have the API's form as an :class:`InskrivningError`."""
    try:
        yield
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        where = f"{response.request.method} {response.request.url.path}"
        raise InskrivningError(response.status_code, detail=f"{where}: unexpected answer: {error}") from None


def _error(response: httpx.Response) -> InskrivningError:
    """The error for a non-200 answer, with the Fault when the body is one (JSON or XML)."""
    media = response.headers.get("content-type", "").split(";")[0].strip()
    try:
        if media == "application/xml":
            fault = to_typed(Fault, gml.read_fault(parse_xml(response.content)))
        elif media == "application/json":
            fault = to_typed(Fault, _json(response, dict))
        else:
            fault = None
    except (ValueError, TypeError, KeyError, AttributeError):
        fault = None
    where = f"{response.request.method} {response.request.url.path}"
    return InskrivningError(response.status_code, fault, detail=f"{where}: {response.text[:300]}")


def _oauth_error(response: httpx.Response) -> str:
    """``error: error_description`` of an RFC 6749 error answer, else the start of the body."""
    try:
        answer = _json(response, dict)
        error = answer["error"]
        return f"{error}: {answer['error_description']}" if "error_description" in answer else str(error)
    except (ValueError, TypeError, KeyError):
        return response.text[:300]
