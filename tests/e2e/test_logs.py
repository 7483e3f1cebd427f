"""The request log over a live server: one JSON line per request in every worker, and no keys in it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from bodata.core.middleware import redact_path

from ..live import start_live_server

pytestmark = pytest.mark.e2e
KEY = "Zm9vYmFyLWJhei1xdXV4LTEyMzQ1Njc4OTAtYWJjZGVm"


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/portal/session/{KEY}/arende/12", "/portal/session/***/arende/12"),
        (f"/portal/arende/{KEY}", "/portal/arende/***"),
        ("/portal/session/sparaerbjudanden", "/portal/session/sparaerbjudanden"),
        ("/portal/session/NodKlassGruppSystemName", "/portal/session/NodKlassGruppSystemName"),
        (
            "/distribution/produkter/inskrivning/v3/909a6a63-5a6e-90ec-e040-ed8f66444c3f",
            "/distribution/produkter/inskrivning/v3/909a6a63-5a6e-90ec-e040-ed8f66444c3f",
        ),
        ("/boenderegister/api/addresses/12", "/boenderegister/api/addresses/12"),
    ],
)
def test_key_like_path_segments_are_redacted(path: str, logged: str) -> None:
    assert redact_path(path) == logged


@pytest.mark.parametrize("database_kind", ["sqlite"])
def test_two_workers_log_one_json_line_per_request_without_keys(database_url: str, tmp_path: Path) -> None:
    server = start_live_server(database_url=database_url, workdir=tmp_path, args=("--workers", "2"))
    try:
        ids = [f"workers-log-{n}" for n in range(12)]
        for request_id in ids:
            response = httpx.get(
                f"{server.url}/portal/session/{KEY}/arende/1", headers={"X-Request-ID": request_id}, timeout=60
            )
            assert response.status_code in (401, 404), response.text
    finally:
        server.stop()
    entries = []
    for line in server.log().splitlines():
        if line.startswith("{"):
            entries.append(json.loads(line))
    logged = {entry.get("request_id"): entry for entry in entries if entry.get("logger") == "bodata.request"}
    assert set(ids) <= set(logged)
    assert all(logged[request_id]["path"] == "/portal/session/***/arende/1" for request_id in ids)
    assert KEY not in server.log()
