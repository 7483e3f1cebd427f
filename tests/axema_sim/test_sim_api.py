"""The simulator's HTTP API over loopback: token and auth, paging, the control API and every fault."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from bodata.axema_sim import RunningSim, SimState, start_sim

TOKEN_FORM = {"grant_type": "client_credentials"}


def all_items(api: httpx.Client, path: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = api.get(path, params={"offset": len(items), "limit": limit}).json()
        items.extend(page["items"])
        if not page["items"] or len(items) >= page["total"]:
            return items


# --- token and authentication ---------------------------------------------------------------------------


def test_token_for_the_integration_account(sim: RunningSim) -> None:
    response = httpx.post(f"{sim.url}/api/v1/token", data=TOKEN_FORM, auth=("demo", "demo"))
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert len(body["access_token"]) >= 32


@pytest.mark.parametrize(
    ("auth", "form", "status", "error"),
    [
        (("demo", "wrong"), TOKEN_FORM, 401, "invalid_client"),
        (("someone", "demo"), TOKEN_FORM, 401, "invalid_client"),
        (None, TOKEN_FORM, 401, "invalid_client"),
        (("demo", "demo"), {"grant_type": "password"}, 400, "unsupported_grant_type"),
    ],
)
def test_token_refusals(sim: RunningSim, auth: tuple[str, str] | None, form: dict, status: int, error: str) -> None:
    response = httpx.post(f"{sim.url}/api/v1/token", data=form, auth=auth)
    assert response.status_code == status
    assert response.json()["error"] == error


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic ZGVtbzpkZW1v"])
def test_data_calls_need_a_valid_bearer_token(sim: RunningSim, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = httpx.get(f"{sim.url}/api/v1/system", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_tokens_expire(sim: RunningSim, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(sim.state, "clock", lambda: now[0])
    monkeypatch.setattr(sim.state, "token_ttl", 60.0)
    token = httpx.post(f"{sim.url}/api/v1/token", data=TOKEN_FORM, auth=("demo", "demo")).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    now[0] += 59.9
    assert httpx.get(f"{sim.url}/api/v1/system", headers=headers).status_code == 200
    now[0] += 0.2
    assert httpx.get(f"{sim.url}/api/v1/system", headers=headers).status_code == 401


def test_api_key_when_configured() -> None:
    with start_sim(SimState(apartments=5, username="integration", password="s3cret", api_key="key-1")) as sim:
        url, auth = f"{sim.url}/api/v1", ("integration", "s3cret")
        assert httpx.post(f"{url}/token", data=TOKEN_FORM, auth=auth).json()["error"] == "invalid_api_key"
        wrong = httpx.post(f"{url}/token", data=TOKEN_FORM, auth=auth, headers={"x-api-key": "key-2"})
        assert wrong.status_code == 403
        token = httpx.post(f"{url}/token", data=TOKEN_FORM, auth=auth, headers={"x-api-key": "key-1"})
        assert token.status_code == 200
        bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert httpx.get(f"{url}/system", headers=bearer).status_code == 401
        assert httpx.get(f"{url}/system", headers={**bearer, "x-api-key": "key-1"}).status_code == 200


# --- data ---------------------------------------------------------------------------------------------------


def test_system_lists_a_b60(api: httpx.Client, sim: RunningSim) -> None:
    body = api.get("/system").json()
    assert body["name"] == sim.state.system_name
    assert body["version"].startswith("VAKA 4.")
    assert [controller["model"] for controller in body["domainControllers"]] == ["B60"]
    assert body["domainControllers"][0]["serial"]


def test_groups_are_paged_in_id_order(api: httpx.Client) -> None:
    first = api.get("/organisation-groups", params={"limit": 25}).json()
    assert (first["offset"], first["limit"], first["total"]) == (0, 25, 60)
    groups = all_items(api, "/organisation-groups", 25)
    assert len(groups) == 60
    assert [group["id"] for group in groups] == sorted(group["id"] for group in groups)
    assert set(groups[0]) == {"id", "name", "referenceId", "apartmentNumber", "floor"}
    assert api.get("/organisation-groups", params={"offset": 60}).json()["items"] == []


def test_persons_carry_groups_and_typed_credentials(api: httpx.Client, sim: RunningSim) -> None:
    persons = all_items(api, "/persons", 1000)
    assert len(persons) == sim.state.counts()["persons"]
    assert set(persons[0]) == {"id", "firstName", "lastName", "organisationGroupIds", "credentials"}
    types = {credential["type"] for person in persons for credential in person["credentials"]}
    assert types <= {"card", "radio", "code"}
    assert {"card", "radio"} <= types


@pytest.mark.parametrize("params", [{"limit": 1001}, {"limit": 0}, {"offset": -1}, {"limit": "x"}])
def test_bad_paging_parameters(api: httpx.Client, params: dict) -> None:
    assert api.get("/persons", params=params).status_code == 422


# --- control API --------------------------------------------------------------------------------------------


def test_control_api_needs_the_integration_account(sim: RunningSim) -> None:
    assert httpx.get(f"{sim.url}/sim/state").status_code == 401
    assert httpx.get(f"{sim.url}/sim/state", auth=("demo", "nope")).status_code == 401


def test_state_reports_counts_and_faults(control: httpx.Client, sim: RunningSim) -> None:
    body = control.get("/state").json()
    assert body["groups"] == 60
    assert body["persons"] == sim.state.counts()["persons"]
    assert body["seed"] == 7
    assert body["apiKeyRequired"] is False
    assert body["faults"] == {
        "delaySeconds": 0.0,
        "errorStatus": None,
        "truncatePages": False,
        "noB60": False,
        "dropPersonsRatio": 0.0,
    }


def test_create_change_and_delete_a_group(control: httpx.Client, api: httpx.Client) -> None:
    created = control.post("/groups", json={"name": "Ny", "referenceId": "1001_Nyvägen 1"})
    assert created.status_code == 201
    group = created.json()
    assert group["id"] == "og-000061"
    assert (group["referenceId"], group["apartmentNumber"], group["floor"]) == ("1001_Nyvägen 1", None, None)
    changed = control.patch(f"/groups/{group['id']}", json={"referenceId": "1001-Nyvägen 1", "floor": "12"}).json()
    assert (changed["name"], changed["referenceId"], changed["floor"]) == ("Ny", "1001-Nyvägen 1", "12")
    assert api.get("/organisation-groups", params={"offset": 60}).json()["items"] == [changed]
    assert control.delete(f"/groups/{group['id']}").status_code == 204
    assert api.get("/organisation-groups").json()["total"] == 60


def test_deleting_a_group_removes_its_memberships(control: httpx.Client, api: httpx.Client) -> None:
    person = next(p for p in all_items(api, "/persons", 1000) if p["organisationGroupIds"])
    group = person["organisationGroupIds"][0]
    control.delete(f"/groups/{group}")
    persons = all_items(api, "/persons", 1000)
    assert all(group not in p["organisationGroupIds"] for p in persons)


def test_create_move_rename_and_delete_a_person(control: httpx.Client, api: httpx.Client) -> None:
    body = {
        "firstName": "Astrid",
        "lastName": "Lindgren",
        "organisationGroupIds": ["og-000001"],
        "credentials": [{"type": "card", "number": "123"}, {"type": "code", "number": "1234"}],
    }
    person = control.post("/persons", json=body).json()
    assert person["organisationGroupIds"] == ["og-000001"]
    assert [c["type"] for c in person["credentials"]] == ["card", "code"]
    moved = control.patch(f"/persons/{person['id']}", json={"organisationGroupIds": ["og-000002"], "lastName": "L"})
    assert moved.json()["organisationGroupIds"] == ["og-000002"]
    assert moved.json()["lastName"] == "L"
    assert moved.json()["firstName"] == "Astrid"
    listed = all_items(api, "/persons", 1000)[-1]
    assert listed == moved.json()
    assert control.delete(f"/persons/{person['id']}").status_code == 204
    assert all(p["id"] != person["id"] for p in all_items(api, "/persons", 1000))


def test_add_and_remove_a_key(control: httpx.Client, api: httpx.Client) -> None:
    credential = control.post("/persons/p-000001/credentials", json={"type": "radio", "number": "7777777"}).json()
    assert credential["type"] == "radio"
    person = api.get("/persons", params={"limit": 1}).json()["items"][0]
    assert credential in person["credentials"]
    assert control.delete(f"/persons/p-000001/credentials/{credential['id']}").status_code == 204
    person = api.get("/persons", params={"limit": 1}).json()["items"][0]
    assert credential not in person["credentials"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/groups/og-999999", {"name": "x"}),
        ("DELETE", "/groups/og-999999", None),
        ("PATCH", "/persons/p-999999", {"firstName": "x"}),
        ("DELETE", "/persons/p-999999", None),
        ("POST", "/persons/p-999999/credentials", {"type": "card", "number": "1"}),
        ("DELETE", "/persons/p-000001/credentials/c-999999", None),
        ("POST", "/persons", {"firstName": "a", "lastName": "b", "organisationGroupIds": ["og-999999"]}),
        ("PATCH", "/persons/p-000001", {"organisationGroupIds": ["og-999999"]}),
    ],
)
def test_unknown_ids_are_404_json(control: httpx.Client, method: str, path: str, body: dict | None) -> None:
    response = control.request(method, path, json=body)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/groups", {"name": "x", "colour": "red"}),
        ("/persons", {"firstName": "a", "lastName": "b", "credentials": [{"type": "iris", "number": "1"}]}),
        ("/persons/p-000001/credentials", {"type": "card", "number": ""}),
    ],
)
def test_invalid_control_bodies_are_422(control: httpx.Client, path: str, body: dict) -> None:
    assert control.post(path, json=body).status_code == 422


def test_reset_regenerates_from_the_seed(control: httpx.Client, api: httpx.Client) -> None:
    before = all_items(api, "/persons", 1000)
    control.delete("/persons/p-000001")
    control.patch("/groups/og-000001", json={"referenceId": None})
    assert control.post("/reset").json()["groups"] == 60
    assert all_items(api, "/persons", 1000) == before


# --- faults -------------------------------------------------------------------------------------------------


def test_error_status_fails_data_calls_only(control: httpx.Client, api: httpx.Client, sim: RunningSim) -> None:
    control.put("/faults", json={"errorStatus": 503})
    for path in ("/system", "/organisation-groups", "/persons"):
        assert api.get(path).status_code == 503
    assert httpx.post(f"{sim.url}/api/v1/token", data=TOKEN_FORM, auth=("demo", "demo")).status_code == 200
    assert control.get("/state").json()["faults"]["errorStatus"] == 503
    control.delete("/faults")
    assert api.get("/system").status_code == 200


def test_delay_slows_every_api_call(control: httpx.Client, api: httpx.Client) -> None:
    control.put("/faults", json={"delaySeconds": 0.3})
    started = time.monotonic()
    assert api.get("/system").status_code == 200
    assert time.monotonic() - started >= 0.3
    control.put("/faults", json={"delaySeconds": 300})
    assert control.get("/state", timeout=60).json()["faults"]["delaySeconds"] == 300  # never delayed itself
    control.delete("/faults")


def test_truncated_pages_keep_the_total(control: httpx.Client, api: httpx.Client) -> None:
    control.put("/faults", json={"truncatePages": True})
    page = api.get("/organisation-groups", params={"limit": 20}).json()
    assert len(page["items"]) == 19
    assert page["total"] == 60


def test_no_b60(control: httpx.Client, api: httpx.Client) -> None:
    control.put("/faults", json={"noB60": True})
    assert api.get("/system").json()["domainControllers"] == []


def test_dropped_persons_are_hidden_consistently(control: httpx.Client, api: httpx.Client, sim: RunningSim) -> None:
    everyone = sim.state.counts()["persons"]
    control.put("/faults", json={"dropPersonsRatio": 0.5})
    persons = all_items(api, "/persons", 10)
    assert len(persons) == api.get("/persons").json()["total"]
    assert 0.3 * everyone < len(persons) < 0.7 * everyone
    assert all_items(api, "/persons", 7) == persons


@pytest.mark.parametrize(
    "faults", [{"dropPersonsRatio": 1.5}, {"errorStatus": 200}, {"delaySeconds": -1}, {"typo": True}]
)
def test_invalid_faults_are_refused(control: httpx.Client, faults: dict) -> None:
    assert control.put("/faults", json=faults).status_code == 422
