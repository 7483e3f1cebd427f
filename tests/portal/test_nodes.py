"""The object tree a tenant sees: available objects, node paths, and the node picker E4 (portal.md E4, A-4, A-31)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bodata.app import create_app
from bodata.core.db import Database
from bodata.core.errors import ApiError
from bodata.portal.models import Contract, Node, NodeClass
from bodata.portal.nodes import available_nodes, children_lists, parse_path, resolve_paths, with_ancestors
from bodata.portal.service_entry import SERVICE

from .conftest import Portal, portal_settings
from .fixtures import API_KEY, World

pytestmark = pytest.mark.sqlite_only  # plain rules: see tests/conftest.py

TODAY = date(2026, 11, 23)


@contextmanager
def count_queries(engine: Engine) -> Iterator[list[str]]:
    """The queries (SELECT statements) run on ``engine`` inside the block."""
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _class_id(session: Session, system_name: str) -> int:
    return next(c.id for c in session.query(NodeClass).filter_by(system_name=system_name))


def _add_node(session: Session, parent_id: int | None, system_name: str, text: str, **fields: object) -> Node:
    node = Node(parent_id=parent_id, node_class_id=_class_id(session, system_name), visningstext=text, **fields)
    session.add(node)
    session.flush()
    return node


# --- Available objects ----------------------------------------------------------------------------


def test_available_objects_are_the_active_contracts_and_the_laundry_rooms_of_their_property(
    database: Database, world: World
) -> None:
    with database.transaction() as session:
        assert [node.id for node in available_nodes(session, customer_id=world.anna, today=TODAY)] == [
            world.flat1,
            world.laundry,
        ]
        assert [node.id for node in available_nodes(session, customer_id=world.bertil, today=TODAY)] == [
            world.flat2,
            world.laundry,
        ]


def test_ended_and_future_contracts_give_no_objects_and_other_properties_laundry_rooms_are_not_shared(
    database: Database, world: World
) -> None:
    with database.transaction() as session:
        other_property = _add_node(session, None, "Fastighet", "Annan fastighet")
        other_flat = _add_node(session, other_property.id, "Lagenhet", "Lägenhet", object_type="Bostad")
        _add_node(session, other_property.id, "Tvattstuga", "Tvättstuga 2", object_type="Tvattstuga")
        garage = _add_node(session, world.building, "Lagenhet", "Förråd", object_type="Bostad")
        session.add_all(
            [
                Contract(
                    avtalsnummer="X-1",
                    customer_id=world.anna,
                    node_id=other_flat.id,
                    fom=date(2020, 1, 1),
                    tom=TODAY - timedelta(days=1),
                ),
                Contract(avtalsnummer="X-2", customer_id=world.anna, node_id=garage.id, fom=TODAY + timedelta(days=1)),
                Contract(
                    avtalsnummer="X-3", customer_id=world.bertil, node_id=garage.id, fom=date(2020, 1, 1), tom=TODAY
                ),
            ]
        )
        session.flush()
        assert [node.id for node in available_nodes(session, customer_id=world.anna, today=TODAY)] == [
            world.flat1,
            world.laundry,
        ]
        assert [node.id for node in available_nodes(session, customer_id=world.bertil, today=TODAY)] == [
            world.flat2,
            garage.id,
            world.laundry,
        ]
        assert available_nodes(session, customer_id=world.anna, today=date(2019, 12, 31)) == []


def test_available_objects_take_a_constant_number_of_queries(database: Database, world: World) -> None:
    with database.transaction() as session:
        with count_queries(database.engine) as few:
            available_nodes(session, customer_id=world.anna, today=TODAY)
        for number in range(5):
            flat = _add_node(session, world.building, "Lagenhet", f"Lägenhet {number}", object_type="Bostad")
            session.add(Contract(avtalsnummer=f"M-{number}", customer_id=world.anna, node_id=flat.id, fom=TODAY))
        session.flush()
        with count_queries(database.engine) as many:
            nodes = available_nodes(session, customer_id=world.anna, today=TODAY)
    assert len(nodes) == 7
    assert len(few) == len(many) == 3


# --- Paths ----------------------------------------------------------------------------------------


def test_parse_path_reads_node_steps() -> None:
    assert parse_path("n245612-n512431") == [245612, 512431]
    assert parse_path("N7") == [7]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "tom"),
        ("n1--n2", "inget nod-id"),
        ("n1-", "inget nod-id"),
        ("n1-x2", "inget nod-id"),
        ("245612", "inget nod-id"),
        ("n12a", "inget nod-id"),
        ("n", "inget nod-id"),
        ("n99999999999", "inget nod-id"),
        ("n30212-n131564-nk1234", "nodklass"),
        ("n1-n2-n1", "två gånger"),
        ("-".join(f"n{number}" for number in range(1, 22)), "fler än 20"),
    ],
)
def test_malformed_paths_are_400(text: str, complaint: str) -> None:
    with pytest.raises(ApiError) as caught:
        parse_path(text)
    assert caught.value.status == 400
    assert complaint in caught.value.message


def test_resolve_paths_checks_every_step_is_a_child_of_the_one_before(database: Database, world: World) -> None:
    with database.transaction() as session:
        good, broken, unknown = resolve_paths(
            session,
            [[world.flat1, world.kitchen1, world.fridge1], [world.flat1, world.fridge1], [world.flat1, 999_999]],
        )
    assert good is not None
    assert [node.visningstext for node in good] == ["Lägenhet", "Kök", "Kyl/Frys"]
    assert broken is None
    assert unknown is None


def test_with_ancestors_loads_the_chain_to_the_root_in_one_query(database: Database, world: World) -> None:
    with database.transaction() as session, count_queries(database.engine) as statements:
        nodes = with_ancestors(session, [world.freezer1, world.stove1])
    assert len(statements) == 1
    assert set(nodes) == {
        world.property,
        world.building,
        world.flat1,
        world.kitchen1,
        world.fridge1,
        world.freezer1,
        world.stove1,
    }


def test_children_lists_give_one_list_per_step(database: Database, world: World) -> None:
    with database.transaction() as session:
        lists = children_lists(session, customer_id=world.anna, path_ids=[world.flat1, world.kitchen1], today=TODAY)
    assert [[node.visningstext for node in children] for children in lists] == [["Kök", "Badrum"], ["Kyl/Frys", "Spis"]]


@pytest.mark.parametrize(
    "path",
    [
        ["flat2"],
        ["flat2", "kitchen2"],
        ["flat1", "kitchen2"],
        ["flat1", "fridge1"],
        ["building", "flat1"],
        ["property"],
        ["kitchen1"],
    ],
)
def test_children_lists_outside_the_customers_objects_are_404(
    database: Database, world: World, path: list[str]
) -> None:
    with database.transaction() as session, pytest.raises(ApiError) as caught:
        children_lists(session, customer_id=world.anna, path_ids=[getattr(world, name) for name in path], today=TODAY)
    assert caught.value.status == 404


def test_children_lists_take_a_constant_number_of_queries(database: Database, world: World) -> None:
    with database.transaction() as session:
        with count_queries(database.engine) as short:
            children_lists(session, customer_id=world.anna, path_ids=[world.flat1], today=TODAY)
        with count_queries(database.engine) as long:
            children_lists(
                session,
                customer_id=world.anna,
                path_ids=[world.flat1, world.kitchen1, world.fridge1, world.freezer1],
                today=TODAY,
            )
    assert len(short) == len(long) == 5


# --- E4 over HTTP ---------------------------------------------------------------------------------


def _picker(portal: Portal, path: str, *, case_type: str = "order", usage: str = "felanmälan", **flags: str) -> dict:
    response = portal.get(f"/session/arende/typ/{case_type}/{usage}/{path}", **flags)
    assert response.status_code == 200, response.text
    return response.json()


def _part(node_id: int, text: str) -> dict[str, str]:
    return {"Id": f"n{node_id}", "Typ": "Nod", "Visningstext": text, "Avser": f"n{node_id}"}


def test_the_worked_example_step_by_step(portal: Portal) -> None:
    """portal.md E4: the list of lists grows by one list per step; earlier lists stay the same."""
    w = portal.world
    objects = portal.get("/session", HämtaTillgängligaObjekt="true").json()["TillgängligaObjekt"]
    flat = next(item for item in objects if item["Entitet"]["Id"] == f"n{w.flat1}")["Entitet"]["Id"]

    step1 = _picker(portal, flat)
    assert step1 == {
        "Avser": [[_part(w.kitchen1, "Kök"), _part(w.bathroom1, "Badrum")]],
        "Felbeskrivningstyper": None,
        "Nyckelhanteringstyper": None,
    }
    kitchen = step1["Avser"][0][0]["Id"]

    step2 = _picker(portal, f"{flat}-{kitchen}")["Avser"]
    assert len(step2) == 2
    assert step2[0] == step1["Avser"][0]
    assert step2[1] == [_part(w.fridge1, "Kyl/Frys"), _part(w.stove1, "Spis")]
    fridge = step2[1][0]["Id"]

    step3 = _picker(portal, f"{flat}-{kitchen}-{fridge}")["Avser"]
    assert len(step3) == 3
    assert step3[:2] == step2
    assert step3[2] == [_part(w.freezer1, "Frys - Standard")]

    leaf = _picker(portal, f"{flat}-{kitchen}-{fridge}-{step3[2][0]['Id']}")["Avser"]
    assert leaf[:3] == step3
    assert leaf[3] == []


def test_fault_descriptions_are_the_last_nodes_class_plus_the_global_ones(portal: Portal) -> None:
    w = portal.world
    freezer = _picker(
        portal,
        f"n{w.flat1}-n{w.kitchen1}-n{w.fridge1}-n{w.freezer1}",
        HämtaFelbeskrivningstyper="true",
        HämtaNyckelhanteringstyper="True",
        HämtaAvser="false",
    )
    assert freezer == {
        "Avser": None,
        "Felbeskrivningstyper": [
            {"FelbeskrivningId": w.freezer_fault, "Beteckning": "Blir inte kall"},
            {"FelbeskrivningId": w.leaks, "Beteckning": "Läcker"},
        ],
        "Nyckelhanteringstyper": [
            {"NyckelhanteringId": w.at_home, "Beteckning": "Är hemma"},
            {"NyckelhanteringId": w.at_home + 1, "Beteckning": "Lämnas på kontoret"},
        ],
    }
    kitchen = _picker(portal, f"n{w.flat1}-n{w.kitchen1}", HamtaFelbeskrivningstyper="1")
    assert kitchen["Felbeskrivningstyper"] == [{"FelbeskrivningId": w.leaks, "Beteckning": "Läcker"}]
    assert kitchen["Nyckelhanteringstyper"] is None


@pytest.mark.parametrize(
    ("case_type", "usage"), [("Order", "Felanmälan"), ("BESIKTNING", "felanmalan"), ("order", "FELANMÄLAN")]
)
def test_case_type_and_usage_match_case_insensitively(portal: Portal, case_type: str, usage: str) -> None:
    assert len(_picker(portal, f"n{portal.world.flat1}", case_type=case_type, usage=usage)["Avser"]) == 1


def client_with(portal: Portal, **settings: object) -> TestClient:
    """The portal in-process on the same database and clock, with some settings changed."""
    app = create_app(portal_settings(**settings), services=[SERVICE], database=portal.database, clock=portal.clock)
    return TestClient(app)


def test_aliases_can_be_switched_off(portal: Portal) -> None:
    response = client_with(portal, portal_example_aliases=False).get(
        f"/portal/session/arende/typ/order/felanmalan/n{portal.world.flat1}",
        params={"Sessionsnyckel": portal.keys["anna"], "ApiNyckel": API_KEY},
    )
    assert response.json()["Avser"][0][0] == {"Id": f"n{portal.world.kitchen1}", "Typ": "Nod", "Visningstext": "Kök"}


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("n{flat2}", 404),
        ("n{flat1}-n{kitchen2}", 404),
        ("n{flat1}-n{fridge1}", 404),
        ("n{building}-n{flat1}", 404),
        ("n{kitchen1}", 404),
        ("n999999", 404),
        ("n{flat1}-nk1", 400),
        ("n{flat1}--n{kitchen1}", 400),
        ("{flat1}", 400),
        ("n{flat1}-n{flat1}", 400),
        ("x{flat1}", 400),
    ],
)
def test_bad_paths_in_e4(portal: Portal, path: str, status: int) -> None:
    w = portal.world
    response = portal.get(f"/session/arende/typ/order/felanmalan/{path.format(**vars(w))}")
    assert response.status_code == status, response.text
    assert response.json()["Felkod"] == ("HittadesInte" if status == 404 else "OgiltigBegaran")


def test_other_tenants_see_the_same_404_for_a_foreign_object_as_for_an_unknown_one(portal: Portal) -> None:
    foreign = portal.get(f"/session/arende/typ/order/felanmalan/n{portal.world.flat1}", tenant="bertil")
    unknown = portal.get("/session/arende/typ/order/felanmalan/n999999", tenant="bertil")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()


def test_unknown_case_type_is_400_and_an_object_without_the_usage_is_404(portal: Portal) -> None:
    w = portal.world
    assert portal.get(f"/session/arende/typ/underhall/felanmalan/n{w.flat1}").status_code == 400
    assert portal.get(f"/session/arende/typ/order/bokning/n{w.flat1}").status_code == 404
    with portal.database.transaction() as session:
        session.get_one(Node, w.flat1).usages = ""
    assert portal.get(f"/session/arende/typ/order/felanmalan/n{w.flat1}").status_code == 404


def test_bad_flags_are_400(portal: Portal) -> None:
    response = portal.get(f"/session/arende/typ/order/felanmalan/n{portal.world.flat1}", HämtaAvser="kanske")
    assert response.status_code == 400
