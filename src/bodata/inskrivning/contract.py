"""The published contract of Inskrivning v3: the XML Schemas and the JSON Schema of its documents.

The schema files live in the ``schema`` folder next to this module and are served as they are:

* ``inskrivning-3.0.0.xsd``: ``InskrivningResponse``, ``FastighetsreferensResponse`` and ``IdRequest`` (it imports
  ``gml-3.2-subset.xsd``, a minimal stand-in for GML 3.2 so that validation works offline);
* ``fault-1.0.0.xsd``: the error message ``Fault``;
* ``inskrivning-3.0.0.json``: JSON Schema (draft 2020-12); its root is ``InskrivningResponse`` and ``$defs`` holds
  every datatype by its name, plus ``Feature``, ``FastighetsreferensResponse``, ``IdRequest`` and ``Fault``.

Loaders are cached and never touch the network. Callers use the returned objects directly:
``inskrivning_xml_schema().is_valid(xml)`` / ``.iter_errors(xml)`` and ``json_validator("IdRequest").iter_errors(doc)``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import xmlschema
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR: Path = Path(__file__).resolve().parent / "schema"
"""Folder holding the schema files."""

INSKRIVNING_XSD = "inskrivning-3.0.0.xsd"
GML_SUBSET_XSD = "gml-3.2-subset.xsd"
FAULT_XSD = "fault-1.0.0.xsd"
INSKRIVNING_JSON = "inskrivning-3.0.0.json"

SCHEMA_FILES: tuple[str, ...] = (INSKRIVNING_XSD, GML_SUBSET_XSD, FAULT_XSD, INSKRIVNING_JSON)
"""The public schema file names (all in :data:`SCHEMA_DIR`)."""

NAMESPACE = "http://namespace.lantmateriet.se/distribution/produkter/inskrivning/v3"
FAULT_NAMESPACE = "http://namespace.lantmateriet.se/distribution/produkter/fault/v1"
GML_NAMESPACE = "http://www.opengis.net/gml/3.2"
JSON_SCHEMA_ID = f"{NAMESPACE}/{INSKRIVNING_JSON}"


def _load_xsd(name: str) -> xmlschema.XMLSchema10:
    # "local": only local files may be read, so neither an import nor an instance can reach the network.
    return xmlschema.XMLSchema10(str(SCHEMA_DIR / name), allow="local")


@cache
def inskrivning_xml_schema() -> xmlschema.XMLSchema10:
    """The XML Schema of ``InskrivningResponse``, ``FastighetsreferensResponse`` and ``IdRequest``."""
    return _load_xsd(INSKRIVNING_XSD)


@cache
def fault_xml_schema() -> xmlschema.XMLSchema10:
    """The XML Schema of ``Fault``."""
    return _load_xsd(FAULT_XSD)


@cache
def json_schema() -> dict[str, Any]:
    """The JSON Schema document as loaded from disk (shared: do not modify it)."""
    return json.loads((SCHEMA_DIR / INSKRIVNING_JSON).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    return Registry().with_resource(JSON_SCHEMA_ID, Resource.from_contents(json_schema(), DRAFT202012))


def json_validator(definition: str = "InskrivningResponse") -> Draft202012Validator:
    """A (cached) validator for ``#/$defs/<definition>`` of the JSON Schema, e.g. ``"IdRequest"`` or ``"Fault"``.

    Validation relies on ``pattern`` only (no ``format`` assertions), so no format checker is needed.
    """
    return _json_validator(definition)


@cache
def _json_validator(definition: str) -> Draft202012Validator:
    if definition not in json_schema()["$defs"]:
        raise KeyError(f"the JSON Schema has no definition {definition!r}")
    return Draft202012Validator({"$ref": f"{JSON_SCHEMA_ID}#/$defs/{definition}"}, registry=_registry())
