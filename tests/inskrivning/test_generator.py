"""The synthetic land register: determinism, identity numbers, shares, references, history and document shape.

Shape is checked against the datatype plans of ``bodata.inskrivning.datatypes`` (table key order, multiplicities,
code lists, lexical forms), so every emitted enum value is one of the digest's §6 values.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from itertools import islice
from typing import Any
from uuid import UUID

import pytest
from stdnum import luhn
from stdnum.se import orgnr, personnummer

from bodata.inskrivning.contract import json_validator
from bodata.inskrivning.datatypes import UNION_MEMBERS, Inskrivningsinformation, Kind, plan
from bodata.inskrivning.generator import GeneratedProperty, generate_register

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$")
UUID_TEXT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
PERSON_NUMBER = re.compile(r"^\d{8}-\d{4}$")
ORGANISATION_NUMBER = re.compile(r"^\d{6}-\d{4}$")
DESIGNATION = re.compile(r"^(?P<kommun>\S.*?) (?P<trakt>\S.*) (?P<block>\d+):(?P<enhet>\d+)$")


@pytest.fixture(scope="module")
def register() -> list[GeneratedProperty]:
    """A register of 2,000 properties."""
    return list(generate_register(2000, seed=7, now=NOW))


def _current(register: list[GeneratedProperty]) -> Iterator[dict[str, Any]]:
    return (item.history[-1].document for item in register)


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside ``value``, depth first."""
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _objects(child)
    elif isinstance(value, list):
        for child in value:
            yield from _objects(child)


def _encumbrances(document: dict[str, Any], typ: str | None = None) -> list[dict[str, Any]]:
    found = [entry["inskrivenBelastning"] for entry in document.get("belastar", ())]
    return [item for item in found if typ is None or item["typ"] == typ]


def _owners(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in ("agande", "tidigareAgande"):
        for ownership in document.get(key, ()):
            yield ownership["agare"]


def _share(brak: dict[str, int]) -> Fraction:
    return Fraction(brak["taljare"], brak["namnare"])


# --- Interface and determinism ------------------------------------------------------------------------


def test_the_interface(register: list[GeneratedProperty]) -> None:
    assert len(register) == 2000
    for item in register:
        assert isinstance(item.inskrivning_id, UUID)
        assert isinstance(item.fastighet_id, UUID)
        assert 1 <= len(item.history) <= 4
        document = item.history[-1].document
        assert document["objektidentitet"] == str(item.inskrivning_id)
        assert document["fastighetsreferens"] == {
            "objektidentitet": str(item.fastighet_id),
            "beteckning": item.beteckning,
        }
        for snapshot in item.history:
            assert snapshot.registered_at.utcoffset() == timedelta(0)
            assert snapshot.registered_at < NOW


def test_same_seed_same_register_other_seed_other_register() -> None:
    def dump(items: list[GeneratedProperty]) -> str:
        return json.dumps([[(str(s.registered_at), s.document) for s in item.history] for item in items])

    first = list(generate_register(300, seed=3, now=NOW))
    again = list(generate_register(300, seed=3, now=NOW))
    other = list(generate_register(300, seed=4, now=NOW))
    assert [item.inskrivning_id for item in first] == [item.inskrivning_id for item in again]
    assert dump(first) == dump(again)
    assert dump(first) != dump(other)


def test_it_streams_with_bounded_memory() -> None:
    properties = generate_register(10**9, seed=5, now=NOW)
    assert next(properties).history
    tracemalloc.start()
    try:
        for _ in islice(properties, 800):  # fill the per-day caches and the pools of recent owners
            pass
        before = tracemalloc.get_traced_memory()[0]
        for _ in islice(properties, 800):
            pass
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 6_000_000  # keeping 800 documents takes about 15 MB


def test_uuids_are_version_4_and_lowercase(register: list[GeneratedProperty]) -> None:
    for document in islice(_current(register), 300):
        for item in _objects(document):
            for key in ("objektidentitet", "personId", "inskrivetAgande", "inteckning", "avtalsrattighet"):
                if key in item:
                    assert UUID_TEXT.match(item[key]), item[key]


# --- Designations and identities ------------------------------------------------------------------------


def test_designations_are_unique_and_come_in_blocks(register: list[GeneratedProperty]) -> None:
    designations = [item.beteckning for item in register]
    assert len(set(designations)) == len(designations)
    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    order: list[tuple[str, str, str]] = []
    for designation in designations:
        match = DESIGNATION.match(designation)
        assert match, designation
        key = (match["kommun"], match["trakt"], match["block"])
        if not order or order[-1] != key:
            assert key not in blocks, f"block {key} is not contiguous"
            order.append(key)
        blocks[key].append(int(match["enhet"]))
    for numbers in blocks.values():
        assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    kommuner = {key[0] for key in blocks}
    assert {"Stockholm", "Göteborg", "Uppsala"} <= kommuner
    assert len(blocks) < len(designations) / 3


def test_ids_are_unique_and_an_id_always_names_the_same_object(register: list[GeneratedProperty]) -> None:
    assert len({item.inskrivning_id for item in register}) == len(register)
    assert len({item.fastighet_id for item in register} | {item.inskrivning_id for item in register}) == 2 * len(
        register
    )
    seen: dict[tuple[str, int | None], str] = {}
    for item in register:
        for snapshot in item.history:
            for value in _objects(snapshot.document):
                if "objektidentitet" not in value or value is snapshot.document:
                    continue
                key = (value["objektidentitet"], value.get("objektversion"))
                content = json.dumps(_shallow(value), sort_keys=True)
                assert seen.setdefault(key, content) == content, key


def _shallow(value: Any) -> Any:
    """``value`` with nested versioned objects replaced by their identity and version."""
    if isinstance(value, list):
        return [_shallow(item) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        key: [child["objektidentitet"], child["objektversion"]]
        if isinstance(child, dict) and "objektversion" in child
        else _shallow(child)
        for key, child in value.items()
    }


def test_a_party_keeps_its_ids_everywhere(register: list[GeneratedProperty]) -> None:
    by_number: dict[str, set[str]] = defaultdict(set)
    by_reference: dict[str, set[str]] = defaultdict(set)
    content: dict[str, str] = {}
    for document in _current(register):
        for owner in _owners(document):
            assert "idnummer" in owner
            assert "personId" in owner
            by_number[owner["idnummer"]].add(owner["personId"])
            by_reference[owner["personId"]].add(owner["idnummer"])
            for key, number in (("person", "personnummer"), ("organisation", "organisationsnummer")):
                if key in owner:
                    party = owner[key]
                    assert list(party)[:2] == ["id", number]
                    assert (party["id"], party[number]) == (owner["personId"], owner["idnummer"])
                    text = json.dumps(party, sort_keys=True)
                    assert content.setdefault(party["id"], text) == text
    assert all(len(references) == 1 for references in by_number.values())
    assert all(len(numbers) == 1 for numbers in by_reference.values())
    assert any(len(references) > 0 for references in by_number.values())


def test_identity_numbers_are_valid(register: list[GeneratedProperty]) -> None:
    kinds: Counter[str] = Counter()
    for document in _current(register):
        for owner in _owners(document):
            number = owner["idnummer"]
            if "organisation" in owner:
                assert ORGANISATION_NUMBER.match(number)
                assert orgnr.is_valid(number)
                assert int(number[2]) >= 2
                kinds[owner["organisation"]["juridiskForm"]] += 1
                continue
            assert PERSON_NUMBER.match(number)
            day = int(number[6:8])
            if day > 60:
                kinds["samordningsnummer"] += 1
                assert luhn.is_valid(number[2:8] + number[9:])
                assert date(int(number[:4]), int(number[4:6]), day - 60)
            else:
                kinds["personnummer"] += 1
                assert personnummer.is_valid(number)
            if "person" in owner:
                assert owner["person"]["personnummer"] == number
                assert re.match(r"^\d{5}$", owner["person"].get("adress", {"postnummer": "00000"})["postnummer"])
    assert kinds["personnummer"] > 1000
    assert 20 <= kinds["samordningsnummer"] < kinds["personnummer"] / 10
    assert {"49", "53", "82"} <= set(kinds)


# --- Ownership ------------------------------------------------------------------------------------------


def test_shares_of_each_owner_set_sum_to_one(register: list[GeneratedProperty]) -> None:
    splits: Counter[tuple[Fraction, ...]] = Counter()
    for item in register:
        for snapshot in item.history:
            by_kind: dict[str, list[Fraction]] = defaultdict(list)
            for ownership in snapshot.document["agande"]:
                by_kind[ownership["typ"]].append(_share(ownership["beviljadAndel"]))
            for shares in by_kind.values():
                assert sum(shares) == 1, (item.beteckning, shares)
            splits[tuple(sorted(by_kind["Lagfart"]))] += 1
            for change in snapshot.document["fastighetsagandeforandring"]:
                acquired = sum(_share(fang["andelFang"]) for fang in change["fang"])
                if "overlatelse" in change:
                    assert acquired == sum(_share(transfer["andelOverlatelse"]) for transfer in change["overlatelse"])
                else:
                    assert acquired == 1
    assert {(Fraction(1),), (Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 3), Fraction(2, 3))} <= set(splits)
    assert (Fraction(1, 4), Fraction(1, 4), Fraction(1, 2)) in splits


def test_acquisitions_and_transfers_point_at_ownerships_of_the_same_snapshot(
    register: list[GeneratedProperty],
) -> None:
    arts: Counter[str] = Counter()
    for item in register:
        for snapshot in item.history:
            document = snapshot.document
            titles = {ownership["objektidentitet"] for ownership in document["agande"]}
            titles |= {ownership["objektidentitet"] for ownership in document.get("tidigareAgande", ())}
            for change in document["fastighetsagandeforandring"]:
                dates = {
                    (key, fang[key])
                    for fang in change["fang"]
                    for key in ("fangesar", "fangesmanad", "fangesdag")
                    if key in fang
                }
                assert len(dates) == 1  # one contract, deed or death for all acquirers
                for fang in change["fang"]:
                    assert date.fromisoformat(fang["inskrivningsdag"]).weekday() < 5
                    assert fang["inskrivetAgande"] in titles
                    assert sum(key in fang for key in ("fangesar", "fangesmanad", "fangesdag")) == 1
                    arts[fang["fangesart"]] += 1
                for transfer in change.get("overlatelse", ()):
                    assert transfer["inskrivetAgande"] in titles
    assert arts.most_common(1)[0][0] == "Köp"
    assert {"Arv", "Gåva", "Upplåtelse av tomträtt"} <= set(arts)


def test_history_is_chronological_and_each_snapshot_is_complete_at_its_time(
    register: list[GeneratedProperty],
) -> None:
    for item in register:
        moments = [snapshot.registered_at for snapshot in item.history]
        assert moments == sorted(set(moments))
        changes = []
        for snapshot in item.history:
            document = snapshot.document
            stamps = [value["versionGiltigFran"] for value in _objects(document) if "versionGiltigFran" in value]
            assert max(datetime.fromisoformat(stamp) for stamp in stamps) == snapshot.registered_at
            ids = [change["objektidentitet"] for change in document["fastighetsagandeforandring"]]
            assert ids[: len(changes)] == changes  # earlier changes stay, in order
            changes = ids
        if len(item.history) > 1:
            earlier, later = item.history[-2].document, item.history[-1].document
            previous = {ownership["objektidentitet"] for ownership in later.get("tidigareAgande", ())}
            current = {ownership["objektidentitet"] for ownership in later["agande"]}
            ended = {ownership["objektidentitet"] for ownership in earlier["agande"]} - current
            assert ended
            assert ended <= previous
            assert later["irfastighet"]["objektversion"] == earlier["irfastighet"]["objektversion"] + 1


# --- Encumbrances and references ------------------------------------------------------------------------


def test_encumbrances_are_in_priority_order(register: list[GeneratedProperty]) -> None:
    for document in _current(register):
        entries = document.get("belastar", [])
        assert [entry["foretradesordning"] for entry in entries] == list(range(1, len(entries) + 1))
        ids = {entry["inskrivenBelastning"]["objektidentitet"] for entry in entries}
        for encumbrance in _encumbrances(document):
            for other in encumbrance.get("likaratt", ()):
                assert other in ids
                assert other != encumbrance["objektidentitet"]
            if encumbrance["typ"] == "Inteckning":
                amount = encumbrance["belopp"]["summa"]
                assert 50_000 <= amount <= 5_000_000
                assert amount % 50_000 == 0
                assert document["fastighetsreferens"] in encumbrance["belastar"]
                assert re.match(r"^\d{2}/\d+$", encumbrance["dagboksnummer"][0])
                assert re.match(r"^D-\d{4}-\d{8}:\d$", encumbrance.get("aktnummer", "D-2000-00000000:1"))


def test_shared_mortgages_appear_identically_on_every_property_they_list(register: list[GeneratedProperty]) -> None:
    by_property = {str(item.fastighet_id): item.history[-1].document for item in register}
    mortgages = {m["objektidentitet"]: m for d in by_property.values() for m in _encumbrances(d, "Inteckning")}
    shared = [mortgage for mortgage in mortgages.values() if len(mortgage["belastar"]) > 1]
    assert 0.01 < len(shared) / len(mortgages) < 0.06
    for mortgage in shared:
        for reference in mortgage["belastar"]:
            other = by_property[reference["objektidentitet"]]
            assert other["fastighetsreferens"] == reference
            (copy,) = [
                m for m in _encumbrances(other, "Inteckning") if m["objektidentitet"] == mortgage["objektidentitet"]
            ]
            assert copy == mortgage


def test_extensions_and_annotations_resolve(register: list[GeneratedProperty]) -> None:
    by_property = {str(item.fastighet_id): item.history[-1].document for item in register}
    extensions = 0
    for document in by_property.values():
        for applied in document.get("utstrackningSoktI", ()):
            extensions += 1
            reference = applied["inteckningsreferens"]
            (holder,) = reference["fastighetsreferens"]
            mortgages = _encumbrances(by_property[holder["objektidentitet"]], "Inteckning")
            (mortgage,) = [m for m in mortgages if m["objektidentitet"] == reference["inteckning"]]
            assert mortgage["utstrackningSoktI"] == [document["fastighetsreferens"]]
            assert applied["foretradesordning"] == len(document.get("belastar", ())) + 1
        mortgages = {m["objektidentitet"] for m in _encumbrances(document, "Inteckning")}
        titles = {ownership["objektidentitet"] for ownership in document["agande"]}
        for note in document.get("anteckning", ()):
            assert note["belastar"] == [document["fastighetsreferens"]]
            for concerns in note.get("avser", ()):
                assert "fastighetsreferens" not in concerns
                assert concerns.get("inteckning", "") in mortgages or concerns.get("inskrivetAgande", "") in titles
    assert extensions > 0


def test_a_tomtratt_is_held_under_the_kommun(register: list[GeneratedProperty]) -> None:
    leaseholds = [document for document in _current(register) if "tomtrattsupplatelse" in document]
    assert 0.01 < len(leaseholds) / len(register) < 0.06
    for document in leaseholds:
        (kommun,) = [ownership for ownership in document["agande"] if ownership["typ"] == "Lagfart"]
        assert kommun["agare"]["organisation"]["juridiskForm"] == "82"
        assert any(ownership["typ"] == "Tomträttsinnehav" for ownership in document["agande"])
        grant = document["tomtrattsupplatelse"]
        assert grant["avgald"]["avgift"]["valuta"] == "SEK"
        assert grant["upplatelsedatum"] < grant["ursprungligtStartdatum"]


def test_a_large_register_has_every_kind_of_content(register: list[GeneratedProperty]) -> None:
    found: Counter[str] = Counter()
    for document in _current(register):
        found.update(encumbrance["typ"] for encumbrance in _encumbrances(document))
        found.update(key for key in document if key not in ("belastar", "agande"))
        found.update(
            key for owner in _owners(document) for key in ("person", "organisation", "utlandskAgare") if key in owner
        )
        for value in _objects(document):
            found.update(
                key
                for key in ("likaratt", "innehavsanteckning", "nyttBeslut", "uppskovsdatum", "fangesar", "fangesmanad")
                if key in value
            )
            if "kopeskillingstyp" in value:
                found[value["kopeskillingstyp"]] += 1
    expected = {
        "Inteckning", "Avtalsservitut", "Avtalsnyttjanderätt", "Elkrafträtt", "Avkomsträtt", "pagaendeArende",
        "gruppinformation", "tomtrattsupplatelse", "utstrackningSoktI", "anteckning", "tidigareAgande",
        "fastighetsagandeforandring", "person", "organisation", "utlandskAgare", "likaratt", "innehavsanteckning",
        "uppskovsdatum", "nyttBeslut", "fangesar", "fangesmanad", "Avser hela fastigheten",
        "Avser även annan fastighet", "Ingen köpeskilling redovisas",
    }  # fmt: skip
    assert expected <= set(found), expected - set(found)
    assert found["Inteckning"] > found["Avtalsservitut"] > found["Elkrafträtt"] > found["Avkomsträtt"]


# --- Document shape --------------------------------------------------------------------------------------


def test_documents_follow_the_datatypes(register: list[GeneratedProperty]) -> None:
    problems: list[str] = []
    for item in register:
        for snapshot in item.history:
            _check(snapshot.document, Inskrivningsinformation, item.beteckning, problems)
            if len(problems) > 20:
                break
    assert problems == []


def test_documents_are_json_native(register: list[GeneratedProperty]) -> None:
    for item in islice(register, 500):
        for snapshot in item.history:
            assert json.loads(json.dumps(snapshot.document)) == snapshot.document


def test_documents_validate_against_the_json_schema() -> None:
    features = [
        {"type": "Feature", "id": item.history[-1].document["objektidentitet"], "geometry": None, "properties": doc}
        for item in generate_register(300, seed=9, now=NOW)
        for doc in [_with_identity_numbers_only(item.history[-1].document)]
    ]
    collection = {"type": "FeatureCollection", "crs": None, "features": features}
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in json_validator().iter_errors(collection)]
    assert errors == []


def _with_identity_numbers_only(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` as the server answers by default: without the address-file ids (personId, person/org id)."""
    view = dict(document)
    for key in ("agande", "tidigareAgande"):
        if key in view:
            view[key] = [{**ownership, "agare": _without_ids(ownership["agare"])} for ownership in view[key]]
    return view


def _without_ids(owner: dict[str, Any]) -> dict[str, Any]:
    kept = {key: value for key, value in owner.items() if key != "personId"}
    for key in ("person", "organisation"):
        if key in kept:
            kept[key] = {name: value for name, value in kept[key].items() if name != "id"}
    return kept


def _check(value: Any, cls: type, path: str, problems: list[str]) -> None:
    """Record in ``problems`` where ``value`` breaks datatype ``cls``: key order, multiplicity, type, code."""
    if not isinstance(value, dict):
        problems.append(f"{path}: {cls.__name__} is not an object")
        return
    members = plan(cls)
    keys = list(value)
    typ = getattr(cls, "TYP", None)
    if typ is not None:
        if keys[:1] != ["typ"] or value["typ"] != typ:
            problems.append(f"{path}: {cls.__name__} must begin with typ {typ!r}")
        keys = keys[1:]
    order = [member.key for member in members]
    if keys != [key for key in order if key in value]:
        problems.append(f"{path}: {cls.__name__} keys {keys} are not in table order (or unknown)")
    for member in members:
        where = f"{path}.{member.key}"
        if member.key not in value:
            if member.required:
                problems.append(f"{where}: required")
            continue
        items = value[member.key]
        if member.many:
            if not isinstance(items, list) or not items:
                problems.append(f"{where}: must be a non-empty list")
                continue
        else:
            items = [items]
        for element in items:
            _check_value(element, member, where, problems)


def _check_value(value: Any, member: Any, where: str, problems: list[str]) -> None:
    kind = member.kind
    if kind is Kind.OBJECT:
        _check(value, member.target, where, problems)
    elif kind is Kind.UNION:
        chosen = UNION_MEMBERS.get(value.get("typ")) if isinstance(value, dict) else None
        if chosen not in member.choices:
            problems.append(f"{where}: unknown union member {value!r:.80}")
        else:
            _check(value, chosen, f"{where}<{chosen.__name__}>", problems)
    elif kind is Kind.TEXT:
        if not isinstance(value, str) or not value or (member.codes is not None and value not in member.codes):
            problems.append(f"{where}: {value!r} is not a value of the code list / a text")
    elif kind is Kind.INT:
        if type(value) is not int:
            problems.append(f"{where}: {value!r} is not an integer")
    elif kind is Kind.BOOL:
        if type(value) is not bool:
            problems.append(f"{where}: {value!r} is not a boolean")
    elif kind is Kind.DATE:
        if not (isinstance(value, str) and DATE.match(value) and date.fromisoformat(value)):
            problems.append(f"{where}: {value!r} is not a date")
    elif kind is Kind.DATETIME:
        if not (isinstance(value, str) and DATETIME.match(value) and datetime.fromisoformat(value)):
            problems.append(f"{where}: {value!r} is not a dateTime")
    elif kind is Kind.UUID and not (isinstance(value, str) and UUID_TEXT.match(value)):
        problems.append(f"{where}: {value!r} is not a lowercase uuid")


def test_addresses_put_the_street_in_utdelningsadress2(register: list[GeneratedProperty]) -> None:
    # The spec's Adress example (§4.34) and origo-server: utdelningsadress1 is the extra line ("pl4523"),
    # utdelningsadress2 the street or box.
    addresses = [
        obj[key]
        for document in _current(register)
        for obj in _objects(document)
        for key in ("adress", "sarskildAdress")
        if key in obj
    ]
    assert len(addresses) > 1000
    assert all("utdelningsadress2" in address for address in addresses)
    extra_lines = Counter(re.sub(r"\d+", "N", a["utdelningsadress1"]) for a in addresses if "utdelningsadress1" in a)
    assert set(extra_lines) <= {"LGH N", "KOMMUNSTYRELSEN"}, extra_lines
    assert all(re.fullmatch(r".+ \d+", address["utdelningsadress2"]) for address in addresses)
