"""includeData (digest §2.3) and excludePersonid (§2.4) on a hand-built registration."""

from __future__ import annotations

import pytest

from bodata.inskrivning.selection import INCLUDE_DATA_VALUES, TOTAL, IncludeDataError, parse_include_data, select

REF = {"objektidentitet": "00000000-0000-4000-8000-000000000001", "beteckning": "Uppsala Kåbo 5:12"}


def _registration(ident: str, typ: str = "Inteckning") -> dict:
    return {"typ": typ, "objektidentitet": ident, "objektversion": 1, "beslut": "Beviljad"}


def _ownership(ident: str, *, person: bool = True) -> dict:
    owner = {"objektidentitet": f"{ident[:-1]}9", "objektversion": 1, "idnummer": "19101010-1010", "personId": ident}
    if person:
        owner["person"] = {"id": ident, "personnummer": "19101010-1010", "fornamn": "Per"}
    else:
        owner["idnummer"] = "212000-2353"
        owner["organisation"] = {"id": ident, "organisationsnummer": "212000-2353"}
    return {**_registration(ident, "Lagfart"), "agare": owner}


CURRENT = "00000000-0000-4000-8000-00000000000a"
EARLIER = "00000000-0000-4000-8000-00000000000b"
DOCUMENT = {
    "objektidentitet": "00000000-0000-4000-8000-000000000002",
    "fastighetsreferens": REF,
    "irfastighet": {"objektidentitet": "00000000-0000-4000-8000-000000000003", "objektversion": 1},
    "omrade": {"objektidentitet": "00000000-0000-4000-8000-000000000004", "objektversion": 1},
    "tomtrattsupplatelse": _registration("00000000-0000-4000-8000-000000000005", "x"),
    "belastar": [
        {"foretradesordning": 1, "inskrivenBelastning": _registration("00000000-0000-4000-8000-000000000006")},
        {
            "foretradesordning": 2,
            "inskrivenBelastning": _registration("00000000-0000-4000-8000-000000000007", "Avtalsservitut"),
        },
    ],
    "utstrackningSoktI": [{"foretradesordning": 3}],
    "anteckning": [_registration("00000000-0000-4000-8000-000000000008", "x")],
    "agande": [_ownership(CURRENT)],
    "tidigareAgande": [_ownership(EARLIER, person=False)],
    "fastighetsagandeforandring": [
        {
            "objektidentitet": "c1",
            "fang": [{"inskrivetAgande": CURRENT}],
            "overlatelse": [{"inskrivetAgande": EARLIER}],
        },
        {"objektidentitet": "c0", "fang": [{"inskrivetAgande": EARLIER}]},
    ],
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ([], frozenset()),
        (["inskrivningsfastighet,agareAktuella,forvarv"], {"inskrivningsfastighet", "agareAktuella", "forvarv"}),
        (["inteckning", "anteckning"], {"inteckning", "anteckning"}),
        (["agareAlla, forvarv"], {"agareAlla", "forvarv"}),
        (["total"], TOTAL),
        (["inteckning,inteckning"], {"inteckning"}),
    ],
)
def test_valid_include_data(raw: list[str], expected: set[str]) -> None:
    assert parse_include_data(raw) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (["inskrivningsfastighet,agandeAktuellt"], "Unknown includeData value 'agandeAktuellt'"),
        (["Total"], "Unknown includeData value 'Total'"),
        (["agareAktuella,agareAlla"], "only one of agareAktuella and agareAlla"),
        (["forvarv"], "forvarv must be combined with agareAktuella or agareAlla"),
        (["forvarv,inteckning"], "forvarv must be combined"),
        (["total,inteckning"], "total cannot be combined"),
        (["total", "agareAlla"], "total cannot be combined"),
    ],
)
def test_include_data_rules(raw: list[str], problem: str) -> None:
    with pytest.raises(IncludeDataError) as caught:
        parse_include_data(raw)
    assert any(problem in text for text in caught.value.problems)


def test_every_broken_rule_is_reported_at_once() -> None:
    with pytest.raises(IncludeDataError) as caught:
        parse_include_data(["agareAktuella,agareAlla,nej,total"])
    assert len(caught.value.problems) == 3


def test_every_value_but_forvarv_stands_alone() -> None:
    assert len(INCLUDE_DATA_VALUES) == 9
    alone = [value for value in INCLUDE_DATA_VALUES if value != "forvarv"]
    assert all(parse_include_data([value]) for value in alone)


def test_default_is_identity_and_property_reference_only() -> None:
    assert select(DOCUMENT, frozenset(), exclude_personid=False) == {
        "objektidentitet": DOCUMENT["objektidentitet"],
        "fastighetsreferens": REF,
    }


def test_inskrivningsfastighet_brings_the_property_part() -> None:
    selected = select(DOCUMENT, frozenset({"inskrivningsfastighet"}), exclude_personid=False)
    assert list(selected) == ["objektidentitet", "fastighetsreferens", "irfastighet", "omrade"]


def test_mortgages_and_rights_split_the_encumbrances() -> None:
    mortgages = select(DOCUMENT, frozenset({"inteckning"}), exclude_personid=False)
    rights = select(DOCUMENT, frozenset({"avtalsrattighet"}), exclude_personid=False)
    both = select(DOCUMENT, frozenset({"inteckning", "avtalsrattighet"}), exclude_personid=False)
    assert [b["inskrivenBelastning"]["typ"] for b in mortgages["belastar"]] == ["Inteckning"]
    assert "utstrackningSoktI" in mortgages
    assert [b["inskrivenBelastning"]["typ"] for b in rights["belastar"]] == ["Avtalsservitut"]
    assert "utstrackningSoktI" not in rights
    assert both["belastar"] == DOCUMENT["belastar"]


def test_current_owners_and_their_changes_only() -> None:
    selected = select(DOCUMENT, frozenset({"agareAktuella", "forvarv"}), exclude_personid=False)
    assert [a["objektidentitet"] for a in selected["agande"]] == [CURRENT]
    assert "tidigareAgande" not in selected
    assert [c["objektidentitet"] for c in selected["fastighetsagandeforandring"]] == ["c1"]


def test_all_owners_and_the_whole_history() -> None:
    selected = select(DOCUMENT, frozenset({"agareAlla", "forvarv"}), exclude_personid=False)
    assert [a["objektidentitet"] for a in selected["tidigareAgande"]] == [EARLIER]
    assert [c["objektidentitet"] for c in selected["fastighetsagandeforandring"]] == ["c1", "c0"]
    assert "fastighetsagandeforandring" not in select(DOCUMENT, frozenset({"agareAlla"}), exclude_personid=False)


def test_total_is_everything_in_table_order() -> None:
    selected = select(DOCUMENT, TOTAL, exclude_personid=False)
    assert list(selected) == list(DOCUMENT)


def test_identity_numbers_normally_and_references_with_exclude_personid() -> None:
    normal = select(DOCUMENT, frozenset({"agareAlla"}), exclude_personid=False)
    owner = normal["agande"][0]["agare"]
    assert owner["idnummer"] == "19101010-1010"
    assert "personId" not in owner
    assert owner["person"] == {"personnummer": "19101010-1010", "fornamn": "Per"}

    excluded = select(DOCUMENT, frozenset({"agareAlla"}), exclude_personid=True)
    owner = excluded["agande"][0]["agare"]
    assert "idnummer" not in owner
    assert owner["personId"] == CURRENT
    assert owner["person"] == {"id": CURRENT, "fornamn": "Per"}
    organisation_owner = excluded["tidigareAgande"][0]["agare"]
    assert organisation_owner["idnummer"] == "212000-2353"  # organisation numbers are not personal data
    assert organisation_owner["organisation"]["id"] == EARLIER


def test_selection_never_changes_the_stored_document() -> None:
    before = repr(DOCUMENT)
    select(DOCUMENT, TOTAL, exclude_personid=True)
    select(DOCUMENT, TOTAL, exclude_personid=False)
    assert repr(DOCUMENT) == before


def test_exclude_personid_decides_by_the_number_not_by_the_object_holding_it() -> None:
    # The spec's own example (§4.32): ÖSTERHAMNS KOMMUN, 212000-2353, as utlandskAgare, without an Organisation.
    municipality = {"objektidentitet": CURRENT, "objektversion": 1, "organisationsnamn": "ÖSTERHAMNS KOMMUN"}
    owners = {
        "212000-2353": {**municipality, "idnummer": "212000-2353", "utlandskAgare": {"land": "Sverige"}},
        "16212000-2353": {**municipality, "idnummer": "16212000-2353"},
        "19101010-1010": {**municipality, "idnummer": "19101010-1010"},
        "19101070-1013": {**municipality, "idnummer": "19101070-1013"},  # samordningsnummer: day + 60
        "101010-1010": {**municipality, "idnummer": "101010-1010"},
        "X-1": {**municipality, "idnummer": "X-1"},  # neither form: withheld
    }
    document = {**DOCUMENT, "agande": [{**_registration(CURRENT, "Lagfart"), "agare": o} for o in owners.values()]}
    selected = select(document, frozenset({"agareAktuella"}), exclude_personid=True)
    kept = {item["agare"].get("idnummer") for item in selected["agande"]} - {None}
    assert kept == {"212000-2353", "16212000-2353"}
