"""``bodata inskrivning``: clients, importing responses of the real service (all or nothing), generating, listing."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bodata.cli import app
from bodata.core.db import Database
from bodata.inskrivning import gml, service
from bodata.inskrivning.generator import generate_register
from bodata.inskrivning.models import ApiClient, RegistrationVersion
from bodata.inskrivning.selection import TOTAL
from bodata.inskrivning.selection import select as select_view

runner = CliRunner()
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def env(database: Database, database_url: str) -> dict[str, str]:
    return {"BODATA_DATABASE_URL": database_url, "BODATA_SECRET_KEY": "cli-key", "COLUMNS": "250"}


def invoke(env: dict[str, str], *args: str):
    return runner.invoke(app, ["inskrivning", *args], env=env)


def _documents(count: int, seed: int = 3) -> list[dict]:
    """Registrations as the service answers them with includeData=total."""
    generated = generate_register(count, seed=seed, now=NOW)
    return [select_view(item.history[-1].document, TOTAL, exclude_personid=False) for item in generated]


def _as_json(documents: list[dict]) -> bytes:
    features = [{"type": "Feature", "id": d["objektidentitet"], "geometry": None, "properties": d} for d in documents]
    return orjson.dumps({"type": "FeatureCollection", "crs": None, "features": features})


def _versions(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(RegistrationVersion))


def test_clients_add_list_remove(env, database: Database) -> None:
    added = invoke(env, "clients", "add", "system-a", "--description", "Förvaltning")
    assert added.exit_code == 0, added.output
    assert "client secret:" in added.output
    assert invoke(env, "clients", "add", "system-a").exit_code == 1  # exists
    assert invoke(env, "clients", "add", "b", "--secret", "s").exit_code == 0
    listing = invoke(env, "clients", "list").output
    assert "system-a" in listing
    assert "inskrivning_direkt_v3_read" in listing
    assert invoke(env, "clients", "remove", "system-a").exit_code == 0
    assert invoke(env, "clients", "remove", "system-a").exit_code == 1
    with database.transaction() as session:
        assert [c.client_id for c in session.scalars(select(ApiClient))] == ["b"]


def test_import_json_and_xml_responses(env, database: Database, tmp_path: Path) -> None:
    documents = _documents(6)
    json_file, xml_file = tmp_path / "a.json", tmp_path / "b.xml"
    json_file.write_bytes(_as_json(documents[:3]))
    xml_file.write_bytes(gml.write_inskrivning_response(documents[3:]))
    result = invoke(env, "import", str(json_file), str(xml_file))
    assert result.exit_code == 0, result.output
    assert result.output.count("3 stored, 0 unchanged") == 2
    with database.transaction() as session:
        stored = service.registrations_by_id(session, [uuid.UUID(d["objektidentitet"]) for d in documents])
    assert stored == documents
    again = invoke(env, "import", str(json_file))
    assert "0 stored, 3 unchanged" in again.output
    assert _versions(database) == 6


def test_import_accepts_the_lexical_forms_of_the_real_service(env, database: Database, tmp_path: Path) -> None:
    (document,) = _documents(1, seed=5)
    variant = copy.deepcopy(document)
    for ownership in variant.get("agande", []):
        ownership["inskrivningsdag"] = ownership.get("inskrivningsdag", "2016-04-15") + "T00:00:00.000+0200"
        ownership["versionGiltigFran"] = "2016-10-22T23:58:21.345+0200"
    path = tmp_path / "variant.json"
    path.write_bytes(_as_json([variant]))
    result = invoke(env, "import", str(path))
    assert result.exit_code == 0, result.output
    with database.transaction() as session:
        (stored,) = service.registrations_by_id(session, [uuid.UUID(document["objektidentitet"])])
    for ownership in stored.get("agande", []):
        assert len(ownership["inskrivningsdag"]) == 10
        assert ownership["versionGiltigFran"] == "2016-10-22T23:58:21.345+02:00"


def _broken_code(documents: list[dict]) -> None:
    documents[-1]["belastar"] = documents[-1].get("belastar", []) or [
        {"objektidentitet": "2ea37ebb-3997-4086-a09c-1f8784e3f0c9", "objektversion": 1, "foretradesordning": 1}
    ]
    documents[-1]["belastar"][0]["inskrivenBelastning"] = {"typ": "Inteckning", "beslut": "Godkänd"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not a response", "neither JSON"),
        (b'{"type": "FeatureCollection", "features": [', "not JSON"),
        (b'{"type": "Feature"}', "expected a GeoJSON FeatureCollection"),
        (b"<InskrivningResponse><x/></InskrivningResponse>", "not in the namespace"),
        (b'<!DOCTYPE x [<!ENTITY a "a">]><InskrivningResponse/>', "not an InskrivningResponse"),
    ],
)
def test_a_broken_file_is_reported_and_nothing_loaded(env, database: Database, tmp_path: Path, content, reason) -> None:
    path = tmp_path / "broken"
    path.write_bytes(content)
    result = invoke(env, "import", str(path))
    assert result.exit_code == 1
    assert reason in result.output
    assert _versions(database) == 0


def test_with_strict_one_bad_registration_keeps_the_whole_file_out(env, database: Database, tmp_path: Path) -> None:
    documents = _documents(4)
    _broken_code(documents)
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    bad.write_bytes(_as_json(documents))
    good.write_bytes(_as_json(_documents(2, seed=9)))
    result = invoke(env, "import", "--strict", str(bad), str(good))
    assert result.exit_code == 1
    assert "not imported" in result.output
    assert "/features[4]/properties/belastar[0]/inskrivenBelastning" in result.output
    assert "2 stored" in result.output
    assert _versions(database) == 2


def test_generate_and_list(env, database: Database) -> None:
    result = invoke(env, "generate", "--properties", "120", "--seed", "4")
    assert result.exit_code == 0, result.output
    with database.transaction() as session:
        assert service.register_size(session) == 120
    again = invoke(env, "generate", "--properties", "120", "--seed", "4")  # the same register: new states only
    assert again.exit_code == 0, again.output
    with database.transaction() as session:
        assert service.register_size(session) == 120
    listing = invoke(env, "list", "--limit", "5")
    assert "120 registrations in the register" in listing.output
    first = _documents(1, seed=4)[0]["fastighetsreferens"]["beteckning"]
    assert first in invoke(env, "list", "--search", first.lower(), "--limit", "50").output


@pytest.mark.parametrize("columns", ["80", "60"])
def test_list_never_cuts_the_ids(env, database: Database, columns: str) -> None:
    generated = list(generate_register(8, seed=5, now=NOW))
    with database.transaction() as session:
        service.load_generated(session, generated)
    listing = invoke({**env, "COLUMNS": columns}, "list")
    assert listing.exit_code == 0, listing.output
    assert max(len(line) for line in listing.output.splitlines()) <= 80
    for item in generated:
        assert str(item.inskrivning_id) in listing.output
        assert str(item.fastighet_id) in listing.output


def _new_code(document: dict) -> dict:
    """The document with a code value Lantmäteriet might add tomorrow in its first encumbrance."""
    changed = copy.deepcopy(document)
    changed["belastar"][0]["inskrivenBelastning"]["beslut"] = "Återkallad"
    return changed


@pytest.mark.parametrize("form", ["json", "xml"])
def test_an_unknown_code_value_leaves_out_only_its_registration(env, database: Database, tmp_path: Path, form) -> None:
    documents = [d for d in _documents(12, seed=6) if d.get("belastar")][:4]
    file_documents = [documents[0], _new_code(documents[1]), documents[2], _new_code(documents[3])]
    path = tmp_path / f"tomorrow.{form}"
    path.write_bytes(_as_json(file_documents) if form == "json" else gml.write_inskrivning_response(file_documents))
    result = invoke(env, "import", str(path))
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "2 stored, 0 unchanged, 2 refused" in output
    for number in (2, 4):
        assert f"registration {number} ({documents[number - 1]['objektidentitet']}) refused" in output
    assert output.count("Återkallad") == 2
    with database.transaction() as session:
        stored = service.registrations_by_id(session, [uuid.UUID(d["objektidentitet"]) for d in documents])
    assert stored == [documents[0], documents[2]]
    assert invoke(env, "import", "--strict", str(path)).exit_code == 1
    assert _versions(database) == 2
