"""E1 over a live ``bodata serve`` with httpx: log in, then ``GET /session`` with every flag in both key forms."""

from __future__ import annotations

import httpx
import pytest

from ..live import LiveServer
from .fixtures import API_KEY, PASSWORD, World
from .test_session_view import ALL_FLAGS, EVERYTHING, filled

pytestmark = pytest.mark.e2e

ASCII_FOLD = str.maketrans("åäöÅÄÖ", "aaoAAO")


def _log_in(client: httpx.Client, username: str) -> str:
    response = client.post(
        "/portal/session/login", json={"Användarnamn": username, "Lösenord": PASSWORD}, params={"ApiNyckel": API_KEY}
    )
    assert response.status_code == 200, response.text
    return response.json()["Sessionsnyckel"]


def test_get_session_with_every_flag_in_the_path_and_query_key_forms(live_portal: tuple[LiveServer, World]) -> None:
    server, world = live_portal
    with httpx.Client(base_url=server.url, timeout=30) as client:
        key = _log_in(client, "anna")
        in_path = client.get(f"/portal/session/{key}", params={"ApiNyckel": API_KEY, **ALL_FLAGS})
        in_query = client.get("/portal/v1/Session", params={"Sessionsnyckel": key, "ApiNyckel": API_KEY, **ALL_FLAGS})
        folded = client.get(
            f"/portal/session/{key}/",
            params={"apinyckel": API_KEY, **{name.translate(ASCII_FOLD): "1" for name in ALL_FLAGS}},
        )
        default = client.get(f"/portal/session/{key}", params={"ApiNyckel": API_KEY})
        bertil_key = {"Sessionsnyckel": _log_in(client, "bertil")}
        bertil = client.get("/portal/session", params={"ApiNyckel": API_KEY, **ALL_FLAGS}, headers=bertil_key)
    for response in (in_path, in_query, folded, default, bertil):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
    assert in_path.json() == in_query.json() == folded.json()
    result = in_path.json()
    assert filled(result) == EVERYTHING - {"Kund.MarknadAktörBoende", "Ärenden.Rader.MediaBytes"}, (
        "no profile, no images"
    )
    assert [notice["Typ"]["AviseringId"] for notice in result["Kund"]["Ekonomi"]["Aviseringar"]] == [world.anna_invoice]
    assert [case["Id"] for case in result["Ärenden"]] == [world.anna_case]
    assert [item["Entitet"]["Id"] for item in result["TillgängligaObjekt"]] == [f"n{world.flat1}", f"n{world.laundry}"]
    assert result["TillgängligaObjekt"][0]["Nod"]["Avser"] == f"n{world.flat1}"
    assert filled(default.json()) == {"Kund", "TillgängligaObjekt"}
    assert [case["Id"] for case in bertil.json()["Ärenden"]] == [world.bertil_case]


def test_an_unknown_key_and_a_bad_flag_over_the_wire(live_portal: tuple[LiveServer, World]) -> None:
    server, _world = live_portal
    with httpx.Client(base_url=server.url, timeout=30) as client:
        key = _log_in(client, "anna")
        unknown = client.get("/portal/session/okand-nyckel", params={"ApiNyckel": API_KEY})
        bad = client.get(f"/portal/session/{key}?ApiNyckel={API_KEY}&H%C3%A4mtaKund=kanske")
    assert unknown.status_code == 401
    assert bad.status_code == 400
    assert "HämtaKund" in bad.json()["Meddelande"]
