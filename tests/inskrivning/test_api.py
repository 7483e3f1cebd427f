"""The Inskrivning v3 HTTP surface in-process: tokens, formats, includeData, history, references and bad input.

Every 200 response and every Fault is validated against the published XSD or JSON Schema.
"""

from __future__ import annotations

import base64
import copy
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from bodata.app import create_app
from bodata.core.clock import FixedClock
from bodata.core.config import Settings
from bodata.core.db import Database, create_database_engine
from bodata.core.security import verify_password
from bodata.inskrivning import gml, service
from bodata.inskrivning.contract import fault_xml_schema, inskrivning_xml_schema, json_validator
from bodata.inskrivning.generator import GeneratedProperty, generate_register
from bodata.inskrivning.service_entry import PREFIX, SERVICE

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
JSON = {"Accept": "application/json"}
XML = {"Accept": "application/xml"}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def _load_register(database: Database) -> list[GeneratedProperty]:
    """A generated register of 40 properties and the client c1/s1."""
    properties = list(generate_register(40, seed=11, now=NOW - timedelta(days=1)))
    with database.transaction() as session:
        service.add_client(session, "c1", secret="s1", now=NOW)
        service.load_generated(session, properties)
    return properties


def _world(database: Database, properties: list[GeneratedProperty], clock: FixedClock) -> dict:
    client = TestClient(create_app(Settings(secret_key="k"), services=[SERVICE], database=database, clock=clock))
    token = _token(client, "c1", "s1").json()["access_token"]
    return {"client": client, "properties": properties, "auth": {"Authorization": f"Bearer {token}"}, "db": database}


@pytest.fixture(scope="module")
def register(module_database_url: str) -> Iterator[tuple[Database, list[GeneratedProperty]]]:
    """The register, loaded once for the module: its tests read it (those that write take ``own_world``)."""
    database = Database(create_database_engine(module_database_url))
    yield database, _load_register(database)
    database.dispose()


@pytest.fixture
def world(register: tuple[Database, list[GeneratedProperty]], clock: FixedClock) -> dict:
    """An in-process app with the test's own clock on the module's register, and a token of c1."""
    return _world(*register, clock)


@pytest.fixture
def own_world(database: Database, clock: FixedClock) -> dict:
    """Like ``world``, on a register of the test's own (for tests that write to it)."""
    return _world(database, _load_register(database), clock)


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def _token(client: TestClient, client_id: str, secret: str, **form: str):
    return client.post("/token", data={"grant_type": "client_credentials", **form}, headers=_basic(client_id, secret))


def _get(world: dict, path: str, *, xml: bool = False, **params):
    headers = {**world["auth"], **(XML if xml else JSON)}
    return world["client"].get(PREFIX + path, params=params, headers=headers)


def _post(world: dict, path: str, body: bytes, content_type: str, *, xml: bool = False, **params):
    headers = {**world["auth"], **(XML if xml else JSON), "Content-Type": content_type}
    return world["client"].post(PREFIX + path, content=body, params=params, headers=headers)


def _features(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    errors = [error.message for error in json_validator("InskrivningResponse").iter_errors(body)]
    assert errors == []
    return [feature["properties"] for feature in body["features"]]


def _members(response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    inskrivning_xml_schema().validate(root)
    return gml.read_inskrivning_response(root)


def _fault(response, status: int, *, xml: bool = False) -> list[str]:
    assert response.status_code == status, response.text
    if xml:
        root = etree.fromstring(response.content)
        fault_xml_schema().validate(root)
        fault = gml.read_fault(root)
    else:
        fault = response.json()
        assert list(json_validator("Fault").iter_errors(fault)) == []
    assert fault["code"] == status
    return fault["errors"]


def _ids(world: dict, attribute: str = "inskrivning_id") -> list[str]:
    return [str(getattr(item, attribute)) for item in world["properties"]]


def _shared_mortgage(world: dict) -> tuple[str, set[str]]:
    """A mortgage listed by more than one property, and those properties' ids."""
    holders: dict[str, set[str]] = {}
    for item in world["properties"]:
        for entry in item.history[-1].document.get("belastar", ()):
            if entry["inskrivenBelastning"]["typ"] == "Inteckning":
                holders.setdefault(entry["inskrivenBelastning"]["objektidentitet"], set()).add(str(item.fastighet_id))
    shared = [(mortgage, owners) for mortgage, owners in holders.items() if len(owners) > 1]
    return shared[0] if shared else next(iter(holders.items()))


# --- Tokens and scope -----------------------------------------------------------------------------


def test_token_endpoint(world) -> None:
    client = world["client"]
    granted = _token(client, "c1", "s1")
    assert granted.status_code == 200
    assert granted.headers["cache-control"] == "no-store"
    body = granted.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "inskrivning_direkt_v3_read"
    assert body["expires_in"] == 3600
    assert _token(client, "c1", "fel").json()["error"] == "invalid_client"
    assert _token(client, "okänd", "s1").status_code == 401
    assert client.post("/token", data={"grant_type": "password"}, headers=_basic("c1", "s1")).status_code == 400
    assert client.post("/token", data={"grant_type": "client_credentials"}).status_code == 401
    with_form = client.post(
        "/token", data={"grant_type": "client_credentials", "client_id": "c1", "client_secret": "s1"}
    )
    assert with_form.status_code == 200


@pytest.mark.parametrize("xml", [False, True])
def test_operations_need_a_valid_token(world, xml: bool) -> None:
    client, any_id = world["client"], _ids(world)[0]
    accept = XML if xml else JSON
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic YzE6czE="}):
        response = client.get(f"{PREFIX}/{any_id}", headers={**headers, **accept})
        assert _fault(response, 401, xml=xml)
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_tokens_expire(world, clock: FixedClock) -> None:
    any_id = _ids(world)[0]
    assert _get(world, f"/{any_id}").status_code == 200
    clock.advance(timedelta(hours=1, seconds=1))
    assert "expired" in _fault(_get(world, f"/{any_id}"), 401)[0]


def test_a_token_without_the_scope_is_forbidden(world) -> None:
    token = _token(world["client"], "c1", "s1", scope="some_other_api").json()
    assert token["scope"] == "default"
    headers = {"Authorization": f"Bearer {token['access_token']}", **JSON}
    response = world["client"].get(f"{PREFIX}/{_ids(world)[0]}", headers=headers)
    assert "inskrivning_direkt_v3_read" in _fault(response, 403)[0]


def test_the_client_secret_is_stored_hashed(world) -> None:
    with world["db"].transaction() as session:
        (client,) = service.list_clients(session)
    # an Argon2id hash that the secret verifies (a substring test of "s1" would fail by chance in ~1 run of 60)
    assert client.secret_hash.startswith("$argon2id$")
    assert verify_password(client.secret_hash, "s1")
    assert not verify_password(client.secret_hash, "s2")


# --- Formats --------------------------------------------------------------------------------------


def test_total_in_json_and_xml_carries_the_same_registration(world) -> None:
    ids = _ids(world)
    for registration_id, item in zip(ids[:10], world["properties"][:10], strict=True):
        (as_json,) = _features(_get(world, f"/{registration_id}", includeData="total"))
        (as_xml,) = _members(_get(world, f"/{registration_id}", xml=True, includeData="total"))
        assert as_json == as_xml
        assert as_json["fastighetsreferens"]["beteckning"] == item.beteckning


def test_gml_envelope(world) -> None:
    registration_id = _ids(world)[0]
    response = _get(world, f"/{registration_id}", xml=True)
    root = etree.fromstring(response.content)
    gml_ns = "{http://www.opengis.net/gml/3.2}"
    assert root.tag == "{http://namespace.lantmateriet.se/distribution/produkter/inskrivning/v3}InskrivningResponse"
    assert root.get(f"{gml_ns}id") == "response"
    assert root[0].tag == f"{gml_ns}boundedBy"
    information = root[1][0]
    assert information.get(f"{gml_ns}id") == f"ID_{registration_id}"
    assert [etree.QName(child).localname for child in information] == [
        "boundedBy",
        "objektidentitet",
        "Fastighetsreferens",
    ]


def test_geojson_envelope(world) -> None:
    registration_id = _ids(world)[0]
    body = _get(world, f"/{registration_id}").json()
    assert body["type"] == "FeatureCollection"
    assert body["crs"] is None
    (feature,) = body["features"]
    assert (feature["type"], feature["id"], feature["geometry"]) == ("Feature", registration_id, None)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json;charset=UTF-8", "application/json"),
        ("application/xml", "application/xml"),
        ("text/html, application/xml;q=0.9, application/json;q=0.5", "application/xml"),
    ],
)
def test_accept_negotiation(world, accept: str | None, expected: str) -> None:
    headers = dict(world["auth"])
    if accept is not None:
        headers["Accept"] = accept
    response = world["client"].get(f"{PREFIX}/{_ids(world)[0]}", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(expected)


def test_unsupported_accept_is_406(world) -> None:
    headers = {**world["auth"], "Accept": "text/html"}
    assert _fault(world["client"].get(f"{PREFIX}/{_ids(world)[0]}", headers=headers), 406)


# --- includeData ----------------------------------------------------------------------------------

COMBINATIONS = [
    "",
    "inskrivningsfastighet",
    "agareAktuella",
    "agareAlla",
    "agareAktuella,forvarv",
    "agareAlla,forvarv",
    "avtalsrattighet",
    "inteckning",
    "anteckning",
    "tomtrattsupplatelse",
    "inskrivningsfastighet,inteckning,avtalsrattighet,anteckning",
    "total",
]


@pytest.mark.parametrize("include", COMBINATIONS)
def test_every_subset_validates_in_both_formats(world, include: str) -> None:
    ids = _ids(world)
    body = "[" + ",".join(f'"{i}"' for i in ids) + "]"
    params = {"includeData": include} if include else {}
    as_json = _features(_post(world, "/", body.encode(), "application/json", **params))
    as_xml = _members(_post(world, "/", body.encode(), "application/json", xml=True, **params))
    assert as_json == as_xml
    assert [document["objektidentitet"] for document in as_json] == ids


def test_total_is_the_stored_registration(world) -> None:
    item = world["properties"][0]
    (document,) = _features(_get(world, f"/{item.inskrivning_id}", includeData="total"))
    stored = copy.deepcopy(item.history[-1].document)
    for ownership in stored.get("agande", []) + stored.get("tidigareAgande", []):
        owner = ownership.get("agare", {})
        owner.pop("personId", None)
        for key in ("person", "organisation"):
            owner.get(key, {}).pop("id", None)
    assert document == stored


def test_include_data_may_be_repeated(world) -> None:
    registration_id = _ids(world)[0]
    repeated = world["client"].get(
        f"{PREFIX}/{registration_id}?includeData=agareAlla&includeData=forvarv", headers={**world["auth"], **JSON}
    )
    combined = _get(world, f"/{registration_id}", includeData="agareAlla,forvarv")
    assert _features(repeated) == _features(combined)


@pytest.mark.parametrize(
    ("include", "message"),
    [
        ("inskrivningsfastighet,agandeAktuellt", "Unknown includeData value 'agandeAktuellt'"),
        ("agareAktuella,agareAlla", "only one of agareAktuella and agareAlla"),
        ("forvarv", "forvarv must be combined"),
        ("total,anteckning", "total cannot be combined"),
    ],
)
@pytest.mark.parametrize("xml", [False, True])
def test_include_data_rules_give_a_fault(world, include: str, message: str, xml: bool) -> None:
    errors = _fault(_get(world, f"/{_ids(world)[0]}", xml=xml, includeData=include), 400, xml=xml)
    assert any(message in error for error in errors)


def test_exclude_personid_and_marknadsforing(world) -> None:
    ids = _ids(world)
    body = ("[" + ",".join(f'"{i}"' for i in ids) + "]").encode()
    normal = _features(_post(world, "/", body, "application/json", includeData="agareAlla"))
    excluded = _features(_post(world, "/", body, "application/json", includeData="agareAlla", excludePersonid="true"))
    marketing = _features(_post(world, "/", body, "application/json", includeData="agareAlla", marknadsforing="true"))
    assert excluded == marketing
    persons = 0
    for before, after in zip(normal, excluded, strict=True):
        for owned, hidden in zip(before.get("agande", []), after.get("agande", []), strict=True):
            if "person" in owned.get("agare", {}):
                persons += 1
                assert "personnummer" in owned["agare"]["person"]
                assert "personnummer" not in hidden["agare"]["person"]
                assert "idnummer" not in hidden["agare"]
                assert uuid.UUID(hidden["agare"]["personId"])
                assert uuid.UUID(hidden["agare"]["person"]["id"])
    assert persons > 0
    assert _fault(_get(world, f"/{ids[0]}", excludePersonid="ja"), 400)


# --- Operations -----------------------------------------------------------------------------------


def test_post_by_id_in_json_and_xml_keeps_request_order_and_skips_unknown(world) -> None:
    ids = _ids(world)[::-1][:5]
    unknown = str(uuid.uuid4())
    asked = [ids[0], unknown, *ids[1:]]
    json_body = ("[" + ",".join(f'"{i}"' for i in asked) + "]").encode()
    from_json = _features(_post(world, "/", json_body, "application/json"))
    from_xml = _features(_post(world, "/", gml.write_id_request(asked), "application/xml; charset=UTF-8"))
    assert [d["objektidentitet"] for d in from_json] == ids
    assert from_json == from_xml


def test_beror_finds_registrations_by_property(world) -> None:
    items = world["properties"][:3]
    (single,) = _features(_get(world, f"/beror/{items[0].fastighet_id}", includeData="inskrivningsfastighet"))
    assert single["objektidentitet"] == str(items[0].inskrivning_id)
    assert "irfastighet" in single
    body = gml.write_id_request([str(item.fastighet_id) for item in items])
    many = _members(_post(world, "/beror", body, "application/xml", xml=True))
    assert [d["objektidentitet"] for d in many] == [str(item.inskrivning_id) for item in items]
    assert _features(_get(world, f"/beror/{uuid.uuid4()}")) == []


@pytest.mark.parametrize("xml", [False, True])
def test_referens_inteckning_lists_the_encumbered_properties(world, xml: bool) -> None:
    mortgage, holders = _shared_mortgage(world)
    response = _get(world, f"/referens/inteckning/{mortgage}", xml=xml)
    assert response.status_code == 200
    if xml:
        root = etree.fromstring(response.content)
        inskrivning_xml_schema().validate(root)
        references = gml.read_fastighetsreferens_response(root)
    else:
        references = response.json()
        assert list(json_validator("FastighetsreferensResponse").iter_errors(references)) == []
    assert {reference["objektidentitet"] for reference in references} == holders
    assert all(reference["beteckning"] for reference in references)
    empty = _get(world, f"/referens/inteckning/{uuid.uuid4()}", xml=xml)
    assert empty.status_code == 200


def test_unknown_id_is_an_empty_collection(world) -> None:
    assert _features(_get(world, f"/{uuid.uuid4()}", includeData="total")) == []
    assert _members(_get(world, f"/{uuid.uuid4()}", xml=True)) == []


# --- History --------------------------------------------------------------------------------------


def test_instant_reads_the_register_as_it_stood(own_world, clock: FixedClock) -> None:
    item = own_world["properties"][0]
    changed_at = NOW + timedelta(minutes=5)
    changed = copy.deepcopy(item.history[-1].document)
    changed["fastighetsreferens"]["beteckning"] = "Uppsala Kåbo 99:1"
    with own_world["db"].transaction() as session:
        service.store_registration(session, changed, changed_at)
    before = int((changed_at - timedelta(seconds=1)).timestamp() * 1000)
    after = int((changed_at + timedelta(seconds=1)).timestamp() * 1000)
    (now_doc,) = _features(_get(own_world, f"/{item.inskrivning_id}"))
    (old_doc,) = _features(_get(own_world, f"/{item.inskrivning_id}", instant=str(before)))
    (new_doc,) = _features(_get(own_world, f"/{item.inskrivning_id}", instant=str(after)))
    assert now_doc["fastighetsreferens"]["beteckning"] == "Uppsala Kåbo 99:1"
    assert old_doc["fastighetsreferens"]["beteckning"] == item.beteckning
    assert new_doc == now_doc
    first_state = int(item.history[0].registered_at.timestamp() * 1000) - 1
    assert _features(_get(own_world, f"/{item.inskrivning_id}", instant=str(first_state))) == []


def test_generated_history_is_readable_by_instant(world) -> None:
    item = next(p for p in world["properties"] if len(p.history) > 1)
    earlier = item.history[-2]
    moment = int(earlier.registered_at.timestamp() * 1000)
    (document,) = _features(_get(world, f"/{item.inskrivning_id}", instant=str(moment), includeData="agareAktuella"))
    expected = {ownership["objektidentitet"] for ownership in earlier.document.get("agande", [])}
    assert {ownership["objektidentitet"] for ownership in document.get("agande", [])} == expected


@pytest.mark.parametrize("instant", ["soon", "1.5", "99999999999999999999"])
def test_a_bad_instant_is_a_fault(world, instant: str) -> None:
    assert "instant" in _fault(_get(world, f"/{_ids(world)[0]}", instant=instant), 400)[0]


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["12345", "12345678-1234-1234-1234-12345678901Z", "{12345678-1234-1234-1234-123456789012}"]
)
@pytest.mark.parametrize("path", ["/{}", "/beror/{}", "/referens/inteckning/{}"])
def test_malformed_uuid_in_the_path(world, bad: str, path: str) -> None:
    assert "not a UUID" in _fault(_get(world, path.format(bad)), 400)[0]


def _json_ids(ids: list[str]) -> bytes:
    return ("[" + ",".join(f'"{i}"' for i in ids) + "]").encode()


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (_json_ids([str(uuid.uuid4()) for _ in range(251)]), "application/json", "1 to 250 ids; this one has 251"),
        (b"[]", "application/json", "1 to 250 ids; this one has 0"),
        (_json_ids(["12345678-1234-1234-1234-123456789012"] * 2), "application/json", "each id once"),
        (_json_ids(["nej"]), "application/json", "not a UUID"),
        (b"[1, 2]", "application/json", "not a UUID"),
        (b'{"id": []}', "application/json", "JSON array"),
        (b'["12345678-1234', "application/json", "not JSON"),
        (b"<IdRequest xmlns='x'><id>1</id></IdRequest>", "application/xml", "not in the namespace"),
        (b"<IdRequest", "application/xml", "not an IdRequest"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b'<IdRequest xmlns="http://namespace.lantmateriet.se/distribution/produkter/inskrivning/v3">'
            b"<id>&b;</id></IdRequest>",
            "application/xml",
            "not an IdRequest",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<IdRequest xmlns="http://namespace.lantmateriet.se/distribution/produkter/inskrivning/v3">'
            b"<id>&x;</id></IdRequest>",
            "application/xml",
            "not an IdRequest",
        ),
    ],
)
@pytest.mark.parametrize("path", ["/", "/beror"])
def test_bad_id_requests(world, body: bytes, content_type: str, message: str, path: str) -> None:
    errors = _fault(_post(world, path, body, content_type), 400)
    assert message in " ".join(errors)


def test_an_oversized_body_is_413(world) -> None:
    body = _json_ids([str(uuid.uuid4()) for _ in range(2000)])
    assert _fault(_post(world, "/", body, "application/json", xml=True), 413, xml=True)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_unsupported_content_type_is_415(world, content_type: str) -> None:
    assert _fault(_post(world, "/", _json_ids(_ids(world)[:1]), content_type), 415)


def test_wrong_method_is_a_fault(world) -> None:
    response = world["client"].put(f"{PREFIX}/", headers={**world["auth"], **JSON})
    assert _fault(response, 405)


def test_schemas_are_published(world) -> None:
    for name in ("inskrivning-3.0.0.xsd", "gml-3.2-subset.xsd", "fault-1.0.0.xsd"):
        response = world["client"].get(f"{PREFIX}/{name}")
        assert response.status_code == 200
        assert etree.fromstring(response.content).tag == "{http://www.w3.org/2001/XMLSchema}schema"
    schema = world["client"].get(f"{PREFIX}/inskrivning-3.0.0.json").json()
    assert "Inskrivningsinformation" in schema["$defs"]


@pytest.mark.parametrize("xml", [False, True])
def test_referens_inteckning_includes_the_mortgages_own_belastar_list(own_world, xml: bool) -> None:
    # A mortgage over Uppsala Kåbo 5:12 and 5:13 where only 5:12's registration is in the register.
    item = own_world["properties"][0]
    own = item.history[-1].document["fastighetsreferens"]
    other = {"objektidentitet": "0e0d0c0b-0a09-4807-8605-040302010013", "beteckning": "Uppsala Kåbo 5:13"}
    mortgage_id = "0e0d0c0b-0a09-4807-8605-0403020100ff"
    document = copy.deepcopy(item.history[-1].document)
    mortgage = next(e for e in document["belastar"] if e["inskrivenBelastning"]["typ"] == "Inteckning")
    mortgage["inskrivenBelastning"]["objektidentitet"] = mortgage_id
    mortgage["inskrivenBelastning"]["belastar"] = [own, other]
    with own_world["db"].transaction() as session:
        service.store_registration(session, document, NOW)
    response = _get(own_world, f"/referens/inteckning/{mortgage_id}", xml=xml)
    assert response.status_code == 200, response.text
    content = etree.fromstring(response.content) if xml else None
    references = gml.read_fastighetsreferens_response(content) if xml else response.json()
    assert references == sorted([own, other], key=lambda reference: reference["beteckning"])
    (registration,) = _features(_get(own_world, f"/{item.inskrivning_id}", includeData="inteckning"))
    shown = next(e for e in registration["belastar"] if e["inskrivenBelastning"]["objektidentitet"] == mortgage_id)
    assert shown["inskrivenBelastning"]["belastar"] == [own, other]


def test_health_answers_without_a_token(world) -> None:
    response = world["client"].get(PREFIX + "/health")
    assert response.status_code == 200
    assert response.json() == {"status": "UP"}


def test_head_answers_as_get_without_a_body(world) -> None:
    item = world["properties"][0]
    for path in (f"/{item.inskrivning_id}", f"/beror/{item.fastighet_id}", "/health", "/inskrivning-3.0.0.xsd"):
        got = world["client"].get(PREFIX + path, headers={**world["auth"], **XML})
        head = world["client"].head(PREFIX + path, headers={**world["auth"], **XML})
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-length"] == str(len(got.content))
    unauthorised = world["client"].head(PREFIX + f"/{item.inskrivning_id}")
    assert (unauthorised.status_code, unauthorised.content) == (401, b"")


def test_post_without_the_trailing_slash_is_answered_in_place(world) -> None:
    ids = _ids(world)[:2]
    headers = {**world["auth"], **JSON, "Content-Type": "application/json"}
    response = world["client"].post(PREFIX, content=orjson.dumps(ids), headers=headers, follow_redirects=False)
    assert response.status_code == 200, response.headers.get("location")
    assert [d["objektidentitet"] for d in _features(response)] == ids
    assert _fault(world["client"].post(PREFIX, content=b"[]", headers=headers, follow_redirects=False), 400)
