"""The OpenAPI description of Inskrivning v3: every operation with its parameters, bodies, media types, Faults and
response schemas as the technical description gives them (digest §1.6-§1.8, §2), merged into FastAPI's document.

The routes in :mod:`bodata.inskrivning.api` read their parameters themselves (so that every error is a Fault), so
FastAPI cannot see them; :data:`OPERATIONS` declares them once. The response and body schemas are the published
JSON Schema's ``$defs``, as ``components/schemas``. The XML forms are described by the published XSD, named in
each XML media type (OpenAPI cannot express GML).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from bodata.inskrivning.contract import FAULT_XSD, INSKRIVNING_XSD, json_schema

JSON = "application/json"
XML = "application/xml"
SCHEMA_JSON = "application/schema+json"
_UUID = {"$ref": "#/components/schemas/Uuid"}
_EXAMPLE_ID = "12345678-1234-1234-1234-123456789012"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _xml(description: str, schema_file: str) -> dict[str, Any]:
    return {"schema": {"type": "string", "description": f"{description}, as defined by {schema_file}"}}


def _path_id(description: str) -> dict[str, Any]:
    return {"name": "id", "in": "path", "required": True, "description": description, "schema": _UUID}


INCLUDE_DATA = {
    "name": "includeData",
    "in": "query",
    "required": False,
    "description": "Vad i inskrivningen som ska hämtas. Flera delmängder kan anges som en kommaseparerad lista. "
    "Endast ett av agareAktuella och agareAlla kan väljas. forvarv måste kombineras med något av agareAktuella och "
    "agareAlla. total kan inte kombineras med övriga delmängder. Som default hämtas ingenting.",
    "style": "form",
    "explode": False,
    "schema": {"type": "array", "items": _ref("IncludeDataKodlista"), "uniqueItems": True},
    "example": ["total"],
}


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


EXCLUDE_PERSONID = _query(
    "excludePersonid",
    "Endast för internt bruk. Anger om personidn ska med i svaret. Alltid true om parametern marknadsforing är "
    "true. Default: false",
    {"type": "boolean", "default": False},
)
MARKNADSFORING = _query(
    "marknadsforing",
    "Endast för internt bruk. Anger om informationshämtningen görs i marknadsföringssyfte. Om true sätts "
    "parametern excludePersonid till true. Default: false",
    {"type": "boolean", "default": False},
)
INSTANT = _query(
    "instant",
    "Endast för internt bruk. För vilken tid informationen ska hämtas. Som default hämtas den senaste versionen av "
    "informationen. (bodata: milliseconds since 1970-01-01 UTC.)",
    {"type": "integer", "format": "int64"},
)

ID_REQUEST = {
    "description": "IdRequest: ett objekt innehållande en lista med objektidentiteter (1-250 id:n).",
    "required": True,
    "content": {
        JSON: {"schema": _ref("IdRequest"), "example": [_EXAMPLE_ID, "10000008-cafe-cafe-cafe-100000000002"]},
        XML: {
            **_xml("IdRequest", INSKRIVNING_XSD),
            "example": '<IdRequest xmlns="http://namespace.lantmateriet.se/distribution/produkter/inskrivning/v3">'
            f"<id>{_EXAMPLE_ID}</id></IdRequest>",
        },
    },
}


def _fault(description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": _ref("Fault")}, XML: _xml("Fault", FAULT_XSD)}}


def _responses(schema: str, description: str, *, body: bool) -> dict[str, Any]:
    responses = {
        "200": {
            "description": description,
            "content": {JSON: {"schema": _ref(schema)}, XML: _xml(schema, INSKRIVNING_XSD)},
        },
        "400": _fault("Bad Request: a malformed id or parameter, an includeData rule broken, a bad body"),
        "401": _fault("Unauthorized: no valid access token (get one at /token)"),
        "403": _fault("Forbidden: the token lacks the scope inskrivning_direkt_v3_read"),
        "406": _fault("Not Acceptable: Accept allows neither application/json nor application/xml"),
        "500": _fault("Internal Server Error"),
    }
    if body:
        responses["413"] = _fault("Content Too Large: a body over 64 KB")
        responses["415"] = _fault("Unsupported Media Type: Content-Type neither application/json nor application/xml")
    return responses


_REGISTRATIONS = "Ett InskrivningResponse i form av en GeoJSON eller GML FeatureCollection med inskrivningar."
_OWN_PARAMETERS = [INCLUDE_DATA, EXCLUDE_PERSONID, MARKNADSFORING, INSTANT]

OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("/{id}", "get"): {
        "operationId": "hamtaInskrivning",
        "parameters": [_path_id("Inskrivningens objektidentitet."), *_OWN_PARAMETERS],
        "responses": _responses("InskrivningResponse", _REGISTRATIONS, body=False),
    },
    ("/", "post"): {
        "operationId": "hamtaInskrivningar",
        "parameters": _OWN_PARAMETERS,
        "requestBody": ID_REQUEST,
        "responses": _responses("InskrivningResponse", _REGISTRATIONS, body=True),
    },
    ("/beror/{id}", "get"): {
        "operationId": "hamtaInskrivningBeror",
        "parameters": [_path_id("Fastighetens id i form av ett UUID."), INCLUDE_DATA],
        "responses": _responses("InskrivningResponse", _REGISTRATIONS, body=False),
    },
    ("/beror", "post"): {
        "operationId": "hamtaInskrivningarBeror",
        "parameters": [INCLUDE_DATA],
        "requestBody": ID_REQUEST,
        "responses": _responses("InskrivningResponse", _REGISTRATIONS, body=True),
    },
    ("/referens/inteckning/{id}", "get"): {
        "operationId": "hamtaFastighetsreferenserForInteckning",
        "parameters": [_path_id("Intecknings id i form av ett UUID.")],
        "responses": _responses(
            "FastighetsreferensResponse",
            "Ett FastighetsreferensResponse i form av en JSON eller XML med fastighetsreferenser.",
            body=False,
        ),
    },
    ("/health", "get"): {
        "operationId": "health",
        "responses": {
            "200": {"description": "The service is up.", "content": {JSON: {"schema": _ref("Health")}}},
            "503": {"description": "The register does not answer.", "content": {JSON: {"schema": _ref("Health")}}},
        },
    },
}
"""What FastAPI cannot see of the five operations of the description (and of ``/health``), by (path, method)."""

HEALTH = {
    "description": "bodata: the state of the service.",
    "type": "object",
    "properties": {"status": {"enum": ["UP", "DOWN"]}},
    "required": ["status"],
    "additionalProperties": False,
}


def component_schemas() -> dict[str, Any]:
    """The published JSON Schema's ``$defs`` as OpenAPI 3.1 components (the same JSON Schema 2020-12)."""
    schemas = copy.deepcopy(json_schema()["$defs"])

    def rewrite(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/"):
                node["$ref"] = "#/components/schemas/" + node["$ref"][len("#/$defs/") :]
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)

    rewrite(schemas)
    return schemas


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` describe the operations completely (:data:`OPERATIONS`, components, schema files)."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            for (path, method), declared in OPERATIONS.items():
                operation = document["paths"][path][method]
                operation.update(copy.deepcopy(declared))
            for path, item in document["paths"].items():
                if path.endswith((".xsd", ".json")):
                    xsd = path.endswith(".xsd")
                    content = (
                        {XML: {"schema": {"type": "string"}}} if xsd else {SCHEMA_JSON: {"schema": {"type": "object"}}}
                    )
                    item["get"]["operationId"] = "schema_" + path[1:].replace("-", "_").replace(".", "_")
                    item["get"]["responses"] = {"200": {"description": "The schema file.", "content": content}}
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
            schemas.update(component_schemas())
            schemas["Health"] = HEALTH
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
