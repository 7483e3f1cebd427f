"""The integration engine: building the register's view and reconciling the register with it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bodata.boenderegister import service
from bodata.boenderegister.engine import build_view, reconcile
from bodata.boenderegister.models import Account, Address, Apartment, Key, Resident
from bodata.core.db import Database

from .factories import english, group, make_account, make_integration, person, snapshot


def kvistvagen() -> list:
    return [
        group("g1", "1001_Kvistvägen 12"),
        group("g2", "1002_Kvistvägen 12", apartment_number="348"),
        group("g3", "1101_Kvistvägen 14", floor="12"),
    ]


def residents() -> list:
    return [
        person("p1", "Anna", "Andersson", "g1", keys=(("c1", "tag", "1001"), ("c2", "radio", "R-1"))),
        person("p2", "Bo", "Berg", "g1"),
        person("p3", "Cecilia", "Ceder", "g2", keys=(("c3", "tag", "3003"),)),
        person("p4", "David", "Dahl", "g3"),
        person("p5", "Eva", "Ek"),  # in no group
    ]


def test_groups_with_the_same_identifier_form_one_address() -> None:
    view = build_view(snapshot(kvistvagen(), residents()))
    assert sorted(view.addresses) == ["Kvistvägen 12", "Kvistvägen 14"]
    assert sorted(view.addresses["Kvistvägen 12"]) == ["1001", "1002"]
    first = view.addresses["Kvistvägen 12"]["1001"]
    assert sorted(first.residents) == ["p1", "p2"]
    assert set(first.residents["p1"].keys) == {"c1", "c2"}
    assert view.resident_count == 4
    assert view.issues == []


def test_overrides_apply_only_with_a_correct_reference_id() -> None:
    view = build_view(snapshot([*kvistvagen(), group("g4", "Kvistvägen 16", floor="12")], []))
    assert view.addresses["Kvistvägen 12"]["1002"].internal_number == "348"
    assert view.addresses["Kvistvägen 12"]["1001"].floor_code == "10"
    assert view.addresses["Kvistvägen 14"]["1101"].floor_code == "12"  # Floor override
    [issue] = view.issues
    assert (issue.kind, issue.group.external_id) == ("excluded", "g4")


def test_every_excluded_group_is_reported_with_its_reason() -> None:
    groups = [
        group("bad1", None),
        group("bad2", "102_Mingata 23"),
        group("bad3", "1102-Mingata 23"),
        group("bad4", "1102_"),
        group("bad5", "1102_Storgatan 123ABC"),
        group("ok", "1102_Mingata 23"),
    ]
    view = build_view(snapshot(groups, [person("p", "A", "B", "bad1", "ok")]))
    reasons = {issue.group.external_id: english(issue.reason) for issue in view.issues if issue.kind == "excluded"}
    assert set(reasons) == {"bad1", "bad2", "bad3", "bad4", "bad5"}
    assert "missing" in reasons["bad1"]
    assert "4-digit" in reasons["bad2"]
    assert "underscore" in reasons["bad3"]
    assert "empty" in reasons["bad4"]
    assert "at most 15" in reasons["bad5"]
    assert list(view.addresses) == ["Mingata 23"]
    assert list(view.addresses["Mingata 23"]["1102"].residents) == ["p"]  # not on the excluded group


def test_a_bad_floor_override_is_a_warning_and_the_numbers_floor_is_used() -> None:
    view = build_view(snapshot([group("g", "1203_Torget 1", floor="2")], []))
    assert view.addresses["Torget 1"]["1203"].floor_code == "12"
    [issue] = view.issues
    assert issue.kind == "warning"
    assert "Floor '2' is not a Lantmäteriet floor code" in english(issue.reason)


def test_duplicate_reference_ids_merge_residents_with_a_warning() -> None:
    groups = [group("a", "1101_Torget 1", name="Familjen A"), group("b", "1101_Torget 1", name="Familjen B")]
    view = build_view(snapshot(groups, [person("p1", "A", "A", "a"), person("p2", "B", "B", "b")]))
    assert sorted(view.addresses["Torget 1"]["1101"].residents) == ["p1", "p2"]
    assert [issue.kind for issue in view.issues] == ["warning", "warning"]


def test_duplicate_reference_ids_with_conflicting_overrides_exclude_all_of_them() -> None:
    groups = [group("a", "1101_Torget 1", apartment_number="7"), group("b", "1101_Torget 1", apartment_number="8")]
    view = build_view(snapshot(groups, [person("p1", "A", "A", "a")]))
    assert view.addresses == {}
    assert [issue.kind for issue in view.issues] == ["excluded", "excluded"]


def counts(database: Database) -> dict[str, int]:
    with database.transaction() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Address, Apartment, Resident, Key)
        }


@pytest.fixture
def register(database: Database) -> tuple[Database, int, int]:
    with database.transaction() as session:
        account = make_account(session)
        integration = make_integration(session, account)
        return database, account.id, integration.id


def apply(register, view):
    database, account_id, integration_id = register
    with database.transaction() as session:
        return reconcile(session, account_id=account_id, integration_id=integration_id, view=view)


def test_first_run_creates_everything_and_a_second_writes_nothing(register) -> None:
    view = build_view(snapshot(kvistvagen(), residents()))
    changes = apply(register, view)
    assert changes.as_dict() == {
        "addresses": {"created": 2, "updated": 0, "removed": 0, "released": 0},
        "apartments": {"created": 3, "updated": 0, "removed": 0, "released": 0},
        "residents": {"created": 4, "updated": 0, "removed": 0, "released": 0},
        "keys": {"created": 3, "updated": 0, "removed": 0, "released": 0},
    }
    assert counts(register[0]) == {"br_address": 2, "br_apartment": 3, "br_resident": 4, "br_key": 3}
    assert apply(register, build_view(snapshot(kvistvagen(), residents()))).total == 0


def test_changes_in_axema_are_mirrored(register) -> None:
    apply(register, build_view(snapshot(kvistvagen(), residents())))
    changed_groups = [
        group("g1", "1001_Kvistvägen 12", apartment_number="12"),  # internal number added
        group("g2", "1002_Kvistvägen 12", apartment_number="348"),
        # g3 (Kvistvägen 14) gone: its address, apartment and resident go too
    ]
    changed_people = [
        person("p1", "Anna", "Lind", "g1", keys=(("c1", "tag", "9999"),)),  # renamed, tag renumbered, radio gone
        person("p2", "Bo", "Berg", "g2"),  # moved to the other apartment
        person("p3", "Cecilia", "Ceder", "g2", keys=(("c3", "tag", "3003"), ("c4", "tag", "4004"))),  # key added
    ]
    changes = apply(register, build_view(snapshot(changed_groups, changed_people)))
    assert changes.as_dict() == {
        "addresses": {"created": 0, "updated": 0, "removed": 1, "released": 0},
        "apartments": {"created": 0, "updated": 1, "removed": 1, "released": 0},
        "residents": {"created": 1, "updated": 1, "removed": 2, "released": 0},
        "keys": {"created": 1, "updated": 1, "removed": 1, "released": 0},
    }
    database = register[0]
    with database.transaction() as session:
        names = session.execute(
            select(Apartment.lm_number, Resident.last_name)
            .join(Resident)
            .order_by(Apartment.lm_number, Resident.last_name)
        ).all()
        assert [tuple(row) for row in names] == [("1001", "Lind"), ("1002", "Berg"), ("1002", "Ceder")]
        assert sorted(session.scalars(select(Key.number))) == ["3003", "4004", "9999"]
    assert apply(register, build_view(snapshot(changed_groups, changed_people))).total == 0


def test_records_typed_in_by_hand_are_adopted_or_left_alone(register) -> None:
    database, account_id, integration_id = register
    with database.transaction() as session:
        account = session.get(Account, account_id)
        shared = service.add_address(session, account=account, name="Kvistvägen 12")
        service.add_apartment(session, account=account, address_id=shared.id, lm_number="1201")  # only by hand
        own = service.add_address(session, account=account, name="Handgatan 1")
    changes = apply(register, build_view(snapshot(kvistvagen(), residents())))
    assert changes.addresses.updated == 1  # adopted
    assert changes.addresses.created == 1
    with database.transaction() as session:
        adopted = session.get(Address, shared.id)
        assert adopted.integration_id == integration_id
        assert session.get(Address, own.id).integration_id is None
    apply(register, build_view(snapshot([], [])))  # Axema empties out
    with database.transaction() as session:
        assert session.get(Address, own.id) is not None  # never touched
        assert session.get(Address, shared.id).integration_id is None  # adopted, so given back, not removed


def test_other_accounts_are_never_touched(register) -> None:
    database, _, _ = register
    with database.transaction() as session:
        other = make_account(session, "Brf Annan")
        other_integration = make_integration(session, other)
        reconcile(
            session,
            account_id=other.id,
            integration_id=other_integration.id,
            view=build_view(snapshot(kvistvagen(), residents())),
        )
    apply(register, build_view(snapshot(kvistvagen(), residents())))
    apply(register, build_view(snapshot([], [])))
    assert counts(database) == {"br_address": 2, "br_apartment": 3, "br_resident": 4, "br_key": 3}
