"""The whole fault-report walk over a live ``bodata serve`` with httpx, in the path-key form of the worked example:
E1 objects → E4 three steps → E5 with an image → E6 shows it → E16 returns the image's bytes."""

from __future__ import annotations

import base64
import io
import re

import httpx
import pytest
from PIL import Image

from ..live import LiveServer
from .fixtures import API_KEY, PASSWORD, SHARE_KEY, World

pytestmark = pytest.mark.e2e

PICKER = "arende/typ/order/felanm%C3%A4lan"
"""E4's path as the worked example writes it, with the ä percent-encoded as a real client sends it."""


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 220, 255)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_the_fault_report_walk(live_portal: tuple[LiveServer, World]) -> None:
    server, world = live_portal
    image = _jpeg()
    params = {"ApiNyckel": API_KEY}
    with httpx.Client(base_url=server.url, timeout=30, params=params) as client:
        login = client.post("/portal/session/login", json={"Användarnamn": "anna", "Lösenord": PASSWORD})
        assert login.status_code == 200, login.text
        base = f"/portal/session/{login.json()['Sessionsnyckel']}"

        objects = client.get(base, params={"HämtaTillgängligaObjekt": "true"}).json()["TillgängligaObjekt"]
        flat = next(item for item in objects if {"Referensnamn": "Felanmälan"} in item["Användning"])
        path = flat["Entitet"]["Id"]
        assert path == f"n{world.flat1}"

        lists: list[list[dict[str, str]]] = []
        for wanted in ("Kök", "Kyl/Frys", "Frys - Standard"):
            step = client.get(f"{base}/{PICKER}/{path}")
            assert step.status_code == 200, step.text
            assert step.json()["Avser"][: len(lists)] == lists, "earlier lists stay the same"
            lists = step.json()["Avser"]
            path += "-" + next(node["Id"] for node in lists[-1] if node["Visningstext"] == wanted)
        assert len(lists) == 3

        choices = client.get(
            f"{base}/{PICKER}/{path}",
            params={"HämtaAvser": "false", "HämtaFelbeskrivningstyper": "true", "HämtaNyckelhanteringstyper": "true"},
        ).json()
        fault = next(kind for kind in choices["Felbeskrivningstyper"] if kind["Beteckning"] == "Blir inte kall")
        key_handling = choices["Nyckelhanteringstyper"][0]

        created = client.post(
            f"{base}/arende/",
            json={
                "Avser": flat["Entitet"]["Id"],
                "Ärendetyp": "Felanmälan",
                "Användningstyp": {"Referensnamn": "Felanmälan"},
                "Kontakt": None,
                "Husdjur": "Katt",
                "ÄrendeKällaSystemnamn": "MinaSidor",
                "Rader": [
                    {
                        "Avser": path,
                        "Beskrivning": "Frysen är varm",
                        "NyckelhanteringId": key_handling["NyckelhanteringId"],
                        "FelbeskrivningstypId": fault["FelbeskrivningId"],
                        "Media": {"MediaByte": base64.b64encode(image).decode(), "Notering": "Frysen"},
                    }
                ],
            },
        )
        assert created.status_code == 200, created.text
        case_id = created.json()["ÄrendeId"]

        case = client.get(f"{base}/arende/{case_id}", params={"HämtaÄrendeRaderMediaBytes": "true"}).json()
        assert re.fullmatch(r"R-\d{4}-1\d{3}", case["Nummer"])
        assert case["Nummer"] not in ("R-2611-1000", "R-2611-1001"), "the world's cases keep their numbers"
        (row,) = case["Rader"]
        assert [part["Id"] for part in row["Nodstig"]] == path.split("-")
        assert row["Avser"]["Visningstext"] == "Frys - Standard"
        (media,) = row["Media"]
        assert base64.b64decode(media["Media"]) == image

        file = client.get(f"{base}/arenderadfil/{case_id}/{row['Id']}/{media['Id']}")
        assert file.status_code == 200
        assert file.headers["content-type"] == "image/jpeg"
        assert file.content == image

        other = client.post("/portal/session/login", json={"Användarnamn": "bertil", "Lösenord": PASSWORD})
        bertil = f"/portal/session/{other.json()['Sessionsnyckel']}"
        assert client.get(f"{bertil}/arende/{case_id}").status_code == 404
        assert client.get(f"{bertil}/arenderadfil/{case_id}/{row['Id']}/{media['Id']}").status_code == 404
        assert client.get(f"{bertil}/{PICKER}/{path}").status_code == 404


def test_the_share_key_over_the_wire(live_portal: tuple[LiveServer, World]) -> None:
    server, world = live_portal
    with httpx.Client(base_url=server.url, timeout=30, params={"ApiNyckel": API_KEY}) as client:
        shared = client.get(f"/portal/Arende/{SHARE_KEY}")
        unknown = client.get("/portal/arende/ingen-sadan-nyckel")
    assert shared.status_code == 200
    assert shared.json()["Id"] == world.anna_case
    assert unknown.status_code == 404
