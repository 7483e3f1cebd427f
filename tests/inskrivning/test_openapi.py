"""The published OpenAPI is complete: it validates, a client generated from it (datamodel-code-generator's HTTPX2
client, generated into a temporary folder) calls every operation of a live server in both formats, and the Faults
come back as the document declares them."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree
from openapi_spec_validator import validate

from bodata.core.db import Database, create_database_engine
from bodata.inskrivning import gml
from bodata.inskrivning.contract import inskrivning_xml_schema
from bodata.inskrivning.generator import GeneratedProperty
from bodata.inskrivning.service_entry import PREFIX

from ..live import LiveServer, start_live_server
from .world import store_register

pytestmark = [pytest.mark.e2e, pytest.mark.sqlite_only]  # the document and its client: nothing of the dialect

PARAMETERS = {"includeData", "excludePersonid", "marknadsforing", "instant"}


@pytest.fixture(scope="module")
def served(
    module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[list[GeneratedProperty], LiveServer]]:
    """A register of twelve properties and one live server for the module."""
    database = Database(create_database_engine(module_database_url))
    register = store_register(database, 12, seed=3)
    database.dispose()
    server = start_live_server(database_url=module_database_url, workdir=tmp_path_factory.mktemp("openapi"))
    try:
        yield register, server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def register(served: tuple[list[GeneratedProperty], LiveServer]) -> list[GeneratedProperty]:
    return served[0]


@pytest.fixture(scope="module")
def live_server(served: tuple[list[GeneratedProperty], LiveServer]) -> LiveServer:
    return served[1]


@pytest.fixture(scope="module")
def document(live_server: LiveServer) -> dict[str, Any]:
    response = httpx.get(f"{live_server.url}{PREFIX}/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def generated(document: dict[str, Any], live_server: LiveServer, tmp_path: Path) -> Iterator[Any]:
    """The client package generated from the live document (kept out of git: it lives in tmp_path)."""
    source = tmp_path / "openapi.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    command = [
        sys.executable, "-m", "datamodel_code_generator", "--input", str(source), "--input-file-type", "openapi",
        "--output", str(tmp_path / "insk_models.py"), "--output-model-type", "pydantic_v2.BaseModel",
        "--formatters", "builtin", "--generate-client", "httpx2", "--client-output", str(tmp_path / "insk_client"),
        "--client-package", "insk_client", "--client-model-package", "insk_models",
        "--client-server-base-url", live_server.url,  # the document's server is the mount path, relative
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield (
            importlib.import_module("insk_client"),
            importlib.import_module("insk_models"),
            importlib.import_module("insk_client.errors"),
        )
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] in ("insk_client", "insk_models")]:
            del sys.modules[name]


def _operations(document: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        operation["operationId"]: (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def test_the_document_declares_every_operation_completely(document: dict[str, Any]) -> None:
    validate(document)
    operations = _operations(document)
    declared = {
        name: {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        for name, (*_, op) in operations.items()
    }
    assert declared["hamtaInskrivning"] == declared["hamtaInskrivningar"] == PARAMETERS
    assert declared["hamtaInskrivningBeror"] == declared["hamtaInskrivningarBeror"] == {"includeData"}
    assert declared["hamtaFastighetsreferenserForInteckning"] == set()
    for name in ("hamtaInskrivningar", "hamtaInskrivningarBeror"):
        assert set(operations[name][2]["requestBody"]["content"]) == {"application/json", "application/xml"}
    for name in ("hamtaInskrivning", "hamtaInskrivningar", "hamtaInskrivningBeror", "hamtaInskrivningarBeror"):
        responses = operations[name][2]["responses"]
        assert responses["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/InskrivningResponse"
        }
        assert {"400", "401", "403", "406"} <= set(responses)
        assert all(set(responses[s]["content"]) == {"application/json", "application/xml"} for s in responses)
    assert "422" not in json.dumps(document["paths"])


def _mortgage(register: list[GeneratedProperty]) -> str:
    return next(
        entry["inskrivenBelastning"]["objektidentitet"]
        for item in register
        for entry in item.history[-1].document.get("belastar", ())
        if entry["inskrivenBelastning"]["typ"] == "Inteckning"
    )


def test_a_generated_client_calls_every_operation(
    register: list[GeneratedProperty], live_server: LiveServer, document: dict[str, Any], generated: Any
) -> None:
    client_package, models, errors = generated
    token = httpx.post(f"{live_server.url}/token", data={"grant_type": "client_credentials"}, auth=("c1", "s1")).json()[
        "access_token"
    ]
    ids = [str(item.inskrivning_id) for item in register[:3]]
    property_ids = [str(item.fastighet_id) for item in register[:3]]
    body, property_body = models.IdRequest(ids), models.IdRequest(property_ids)
    now = int(datetime.now(UTC).timestamp() * 1000)

    def subsets(*names: str) -> list[Any]:
        return [models.IncludeDataKodlista(name) for name in names]

    called: set[str] = set()
    with client_package.Client(base_url=live_server.url + PREFIX, http_bearer=token) as client:
        api, refs = client.inskrivning, client.referens
        for media in ("application/json", "application/xml"):
            one = api.hamta_inskrivning(
                id=ids[0], includeData=subsets("total"), excludePersonid=True, response_media_type=media
            )
            many = api.hamta_inskrivningar(
                body=body if media == "application/json" else gml.write_id_request(ids),
                media_type=media, includeData=subsets("agareAlla", "forvarv"), instant=now, marknadsforing=False,
                response_media_type=media,
            )  # fmt: skip
            by_property = api.hamta_inskrivning_beror(
                id=property_ids[0], includeData=subsets("inteckning"), response_media_type=media
            )
            many_by_property = api.hamta_inskrivningar_beror(
                body=property_body if media == "application/json" else gml.write_id_request(property_ids),
                media_type=media, includeData=subsets("inskrivningsfastighet"), response_media_type=media,
            )  # fmt: skip
            encumbered = refs.hamta_fastighetsreferenser_for_inteckning(
                id=_mortgage(register), response_media_type=media
            )
            if media == "application/json":
                assert isinstance(one, models.InskrivningResponse)
                assert [feature.id.root for feature in many.features] == ids
                assert by_property.features[0].id.root == ids[0]
                assert len(many_by_property.features) == 3
                assert isinstance(encumbered, models.FastighetsreferensResponse)
                assert encumbered.root
            else:
                for answer in (one, many, by_property, many_by_property, encumbered):
                    inskrivning_xml_schema().validate(etree.fromstring(answer))
        called |= {"hamtaInskrivning", "hamtaInskrivningar", "hamtaInskrivningBeror", "hamtaInskrivningarBeror"}
        called.add("hamtaFastighetsreferenserForInteckning")
        assert client.health.health().status.value == "UP"
        called.add("health")
        for name in _operations(document):
            if name.startswith("schema_"):
                assert getattr(client.schema, name)()
                called.add(name)
        with pytest.raises(errors.BadRequestError) as refused:
            api.hamta_inskrivning(id=ids[0], includeData=subsets("agareAktuella", "agareAlla"))
        assert isinstance(refused.value.body, models.Fault)
        assert refused.value.body.code.root == 400
    assert called == set(_operations(document))
