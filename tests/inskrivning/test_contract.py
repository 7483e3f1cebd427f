"""The published contract (XSD + JSON Schema) against the specification's own examples, and what it must reject."""

from __future__ import annotations

import copy
import json
import socket
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from jsonschema import Draft202012Validator
from lxml import etree

from bodata.inskrivning import contract, importer
from bodata.inskrivning.datatypes import ALIASES
from bodata.inskrivning.documents import DATE_PATTERN, DATETIME_PATTERN, UUID_PATTERN

from . import spec_examples as ex

NSMAP = {"i": ex.NS, "gml": ex.GML, "xsi": ex.XSI}

# The 46 datatypes of the description (digest §4.1-§4.46), in document order.
SPEC_DATATYPES = [
    "IdRequest", "InskrivningResponse", "Inskrivningsinformation", "Fastighetsreferens", "IRFastighet", "Omrade",
    "PagaendeArende", "Gruppinformation", "Tomtrattsupplatelse", "NyttBeslut", "Avgald", "Belopp",
    "Tomtrattsupplatelseanmarkning", "Belastar", "Inteckning", "Inskrivningshandelse", "InskrivenBelastningsreferens",
    "Inteckningsanmarkning", "Innehavsanteckning", "Avtalsservitut", "Avtalsrattighetsanmarkning",
    "Avtalsnyttjanderatt", "Elkraftratt", "Avkomstratt", "UtstrackningSoktI", "Inteckningsreferens", "Anteckning",
    "Anteckningsanmarkning", "Avserreferens", "Lagfart", "Brak", "InskrivenPerson", "Person", "Adress",
    "Utlandsadress", "Organisation", "UtlandskAgare", "Lagfartsanmarkning", "Tomtrattsinnehav",
    "Tomtrattsinnehavsanmarkning", "Fastighetsagandeforandring", "Kopeskilling", "Fang", "Overlatelse",
    "FastighetsreferensResponse", "Fault",
]  # fmt: skip


# The examples' names that the schemas accept besides the tables' (datatypes.ALIASES); the assembled examples use the
# tables' names, so these are checked on their own.
ALIAS_MEMBERS = {(owner.__name__, alias) for owner, names in ALIASES.items() for alias in names}

# ------------------------------------------------------------------------------------------------------ helpers


def xml_errors(document: bytes | etree._Element, schema: Any = None) -> list[str]:
    schema = schema or contract.inskrivning_xml_schema()
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(document)]


def json_errors(document: Any, definition: str = "InskrivningResponse") -> list[str]:
    return [
        f"{list(e.absolute_path)}: {e.message[:200]}" for e in contract.json_validator(definition).iter_errors(document)
    ]


def mutated_xml(change: Callable[[etree._Element], None]) -> bytes:
    """The full XML response after ``change`` (which must find what it changes)."""
    root = etree.fromstring(ex.inskrivning_response_xml())
    change(root)
    return etree.tostring(root, encoding="UTF-8")


def mutated_json(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    document = ex.inskrivning_response_json()
    change(document["features"][0]["properties"])
    return document


def first(root: etree._Element, xpath: str) -> etree._Element:
    found = root.xpath(xpath, namespaces=NSMAP)
    assert found, f"fixture has no {xpath}"
    return found[0]


def new(name: str, text: str | None = None) -> etree._Element:
    element = etree.Element(f"{{{ex.NS}}}{name}")
    element.text = text
    return element


def remove(root: etree._Element, xpath: str) -> None:
    element = first(root, xpath)
    element.getparent().remove(element)


def add_after(root: etree._Element, xpath: str, *elements: etree._Element) -> None:
    anchor = first(root, xpath)
    for element in reversed(elements):
        anchor.addnext(element)


def clear(root: etree._Element, xpath: str) -> None:
    element = first(root, xpath)
    for child in list(element):
        element.remove(child)


def replace(root: etree._Element, xpath: str, element: etree._Element) -> None:
    old = first(root, xpath)
    old.getparent().replace(old, element)


def belastning(props: dict[str, Any], typ: str) -> dict[str, Any]:
    return next(b["inskrivenBelastning"] for b in props["belastar"] if b["inskrivenBelastning"]["typ"] == typ)


# ---------------------------------------------------------------------------------------------- the schema files


def test_schema_files_are_published_and_load_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    assert all((contract.SCHEMA_DIR / name).is_file() for name in contract.SCHEMA_FILES)

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the schemas tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    contract.inskrivning_xml_schema.cache_clear()
    contract.fault_xml_schema.cache_clear()
    xsd = contract.inskrivning_xml_schema()
    assert xsd.target_namespace == contract.NAMESPACE
    assert set(xsd.elements) == {"InskrivningResponse", "FastighetsreferensResponse", "IdRequest"}
    assert contract.fault_xml_schema().target_namespace == contract.FAULT_NAMESPACE
    assert contract.inskrivning_xml_schema() is xsd  # cached
    assert xml_errors(ex.inskrivning_response_xml()) == []


def test_json_schema_is_a_valid_draft_2020_12_schema() -> None:
    document = contract.json_schema()
    Draft202012Validator.check_schema(document)
    assert document["$id"] == contract.JSON_SCHEMA_ID
    assert document["$ref"] == "#/$defs/InskrivningResponse"
    assert contract.json_validator() is contract.json_validator("InskrivningResponse")
    with pytest.raises(KeyError):
        contract.json_validator("Nonexistent")


def test_every_datatype_has_a_definition_in_both_schemas() -> None:
    xsd_types = {t.local_name for t in contract.inskrivning_xml_schema().types.values()}
    xsd_types |= {t.local_name for t in contract.fault_xml_schema().types.values()}
    assert set(SPEC_DATATYPES) - xsd_types == set()
    assert set(SPEC_DATATYPES) - set(contract.json_schema()["$defs"]) == set()


def test_every_object_in_the_json_schema_is_closed_and_arrays_are_never_empty() -> None:
    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node.get("additionalProperties") is False, node.get("description")
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(contract.json_schema())
    defs = contract.json_schema()["$defs"]
    for name in SPEC_DATATYPES[2:-2]:
        for key, prop in defs[name]["properties"].items():
            if prop.get("type") == "array":
                assert prop["minItems"] == 1, (name, key)


@pytest.mark.parametrize(
    ("name", "typ"),
    [
        ("Inteckning", "Inteckning"),
        ("Avtalsservitut", "Avtalsservitut"),
        ("Avtalsnyttjanderatt", "Avtalsnyttjanderätt"),
        ("Elkraftratt", "Elkrafträtt"),
        ("Avkomstratt", "Avkomsträtt"),
        ("Lagfart", "Lagfart"),
        ("Tomtrattsinnehav", "Tomträttsinnehav"),
    ],
)
def test_union_members_require_their_typ(name: str, typ: str) -> None:
    definition = contract.json_schema()["$defs"][name]
    assert next(iter(definition["properties"])) == "typ"
    assert definition["properties"]["typ"]["const"] == typ
    assert "typ" in definition["required"]


# -------------------------------------------------------------------------------------------- the full examples


def test_full_xml_response_is_valid() -> None:
    assert xml_errors(ex.inskrivning_response_xml()) == []


def test_full_json_response_is_valid() -> None:
    assert json_errors(ex.inskrivning_response_json()) == []


def test_empty_responses_are_valid() -> None:
    empty = (
        f'<InskrivningResponse xmlns="{ex.NS}" xmlns:gml="{ex.GML}" xmlns:xsi="{ex.XSI}" gml:id="response">'
        '<gml:boundedBy xsi:nil="true"/></InskrivningResponse>'
    ).encode()
    assert xml_errors(empty) == []
    assert json_errors({"type": "FeatureCollection", "crs": None, "features": []}) == []
    assert xml_errors(f'<FastighetsreferensResponse xmlns="{ex.NS}"/>'.encode()) == []
    assert json_errors([], "FastighetsreferensResponse") == []


def test_other_documents_are_valid() -> None:
    assert xml_errors(ex.fastighetsreferens_response_xml()) == []
    assert xml_errors(ex.id_request_xml()) == []
    assert xml_errors(ex.fault_xml(), contract.fault_xml_schema()) == []
    assert json_errors(ex.fastighetsreferens_response_json(), "FastighetsreferensResponse") == []
    assert json_errors(ex.id_request_json(), "IdRequest") == []
    assert json_errors(ex.fault_json(), "Fault") == []
    assert json_errors({"code": 404, "reason": "Not Found"}, "Fault") == []


def _xml_usage(schema: Any, document: bytes) -> set[tuple[str, str]]:
    """(type, child element) pairs the document uses, found by walking it along the schema's declarations."""
    used: set[tuple[str, str]] = set()

    def walk(element: etree._Element, declaration: Any) -> None:
        xsd_type = declaration.type
        type_name = xsd_type.local_name or f"<anonymous {declaration.local_name}>"
        used.add((type_name, ""))
        if not xsd_type.has_complex_content():
            return
        children = {d.name: d for d in xsd_type.content.iter_elements()}
        for child in element:
            if child.tag in children:
                used.add((type_name, etree.QName(child).localname))
                walk(child, children[child.tag])

    root = etree.fromstring(document)
    walk(root, schema.elements[etree.QName(root).localname])
    return used


def _xml_declared(schema: Any) -> set[tuple[str, str]]:
    declared = set()
    for xsd_type in schema.types.values():
        if xsd_type.target_namespace == schema.target_namespace and xsd_type.has_complex_content():
            declared.add((xsd_type.local_name, ""))
            declared |= {(xsd_type.local_name, d.local_name) for d in xsd_type.content.iter_elements()}
    return declared


def test_xml_examples_use_every_type_and_every_element_declaration() -> None:
    schema = contract.inskrivning_xml_schema()
    used = set()
    for document in (ex.inskrivning_response_xml(), ex.fastighetsreferens_response_xml(), ex.id_request_xml()):
        used |= _xml_usage(schema, document)
    used |= _xml_usage(contract.fault_xml_schema(), ex.fault_xml())
    assert {name for name, _ in used} >= set(SPEC_DATATYPES)
    assert _xml_declared(schema) - used == ALIAS_MEMBERS  # the aliases: test_both_schemas_accept_the_forms_...


def _json_usage(document: Any, definition: str) -> set[tuple[str, str]]:
    """(definition, key) pairs the document uses, found by walking it along the schema."""
    defs = contract.json_schema()["$defs"]
    used: set[tuple[str, str]] = set()

    def visit(value: Any, sub: dict[str, Any], owner: str) -> None:
        if "$ref" in sub:
            name = sub["$ref"].rsplit("/", 1)[1]
            used.add((name, ""))
            visit(value, defs[name], name)
        elif "oneOf" in sub and all("$ref" in member for member in sub["oneOf"]):
            members = {defs[m["$ref"].rsplit("/", 1)[1]]["properties"]["typ"]["const"]: m for m in sub["oneOf"]}
            visit(value, members[value["typ"]], owner)
        elif sub.get("type") == "array":
            for item in value:
                visit(item, sub["items"], owner)
        elif sub.get("type") == "object":
            for key, item in value.items():
                used.add((owner, key))
                visit(item, sub["properties"][key], owner)

    visit(document, {"$ref": f"#/$defs/{definition}"}, definition)
    return used


def test_json_examples_use_every_definition_and_every_key() -> None:
    used = _json_usage(ex.inskrivning_response_json(), "InskrivningResponse")
    used |= _json_usage(ex.fastighetsreferens_response_json(), "FastighetsreferensResponse")
    used |= _json_usage(ex.id_request_json(), "IdRequest")
    used |= _json_usage(ex.fault_json(), "Fault")
    assert {name for name, _ in used} >= set(SPEC_DATATYPES) | {"Feature", "InskrivenBelastning", "InskrivetAgande"}
    declared = {
        (name, key)
        for name, definition in contract.json_schema()["$defs"].items()
        for key in definition.get("properties", {})
    }
    assert declared - used == ALIAS_MEMBERS


def test_agande_wrapper_accepts_one_item_per_wrapper_and_several_items() -> None:
    root = etree.fromstring(ex.inskrivning_response_xml())
    assert [len(w) for w in root.xpath("//i:Agande", namespaces=NSMAP)] == [2]
    assert [len(w) for w in root.xpath("//i:TidigareAgande", namespaces=NSMAP)] == [1, 1]
    # An empty wrapper is not a list item.
    assert xml_errors(mutated_xml(lambda r: add_after(r, "//i:Agande", new("TidigareAgande")))) != []


# ---------------------------------------------------------------------------------------------- negative cases


_DELETE = object()
XmlChange = Callable[[etree._Element], None]
JsonChange = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> JsonChange:
    """A JSON change: ``path`` is a dotted path below the feature's properties (numbers index lists)."""

    def change(props: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = props
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = value

    return change


def _text(xpath: str, text: str) -> XmlChange:
    return lambda root: setattr(first(root, xpath), "text", text)


def _rename(xpath: str, name: str) -> XmlChange:
    return lambda root: setattr(first(root, xpath), "tag", f"{{{ex.NS}}}{name}")


def _remove(xpath: str) -> XmlChange:
    return lambda root: remove(root, xpath)


def _remove_all(xpath: str) -> XmlChange:
    def change(root: etree._Element) -> None:
        for element in root.xpath(xpath, namespaces=NSMAP):
            element.getparent().remove(element)

    return change


def _insert_after(xpath: str, name: str, text: str | None = None) -> XmlChange:
    return lambda root: add_after(root, xpath, new(name, text))


INTECKNING = "//i:Belastar/i:Inteckning"
PAVERKAR = "belastar.0.inskrivenBelastning.inskrivningshandelse.0.paverkar.0"
FANG_1 = "fastighetsagandeforandring.0.fang.1"
AVTALSRATTIGHET = "0f5b4dba-b7f3-4084-a035-195881ae1c72"
UPPER_UUID = "AC3809BB-B87F-40E8-A0D7-30EB0D948BCF"

# (case, XML change, JSON change): each case must be rejected by BOTH schemas. The unchanged documents are valid
# (test_full_*_response_is_valid), so a rejection is caused by the change.
REJECTED: list[tuple[str, XmlChange, JsonChange]] = [
    (
        "beslut not in its code list",
        _text(f"{INTECKNING}/i:beslut", "Godkänd"),
        _set("belastar.0.inskrivenBelastning.beslut", "Godkänd"),
    ),
    (
        "code list value without its diacritics",
        _text("//i:inskrivningskontor", "Hassleholm"),
        _set("omrade.inskrivningskontor", "Hassleholm"),
    ),
    (
        "Belopp without summa",
        _remove(f"{INTECKNING}/i:Belopp/i:summa"),
        _set("belastar.0.inskrivenBelastning.belopp.summa", _DELETE),
    ),
    (
        "Inskrivningsinformation without Fastighetsreferens",
        _remove("//i:Inskrivningsinformation/i:Fastighetsreferens"),
        _set("fastighetsreferens", _DELETE),
    ),
    (
        "unknown element / key",
        lambda r: first(r, "//i:IRFastighet").append(new("okand", "x")),
        _set("irfastighet.okand", "x"),
    ),
    (
        "Paverkar with inteckning and avtalsrattighet",
        _insert_after("//i:Paverkar/i:inteckning", "avtalsrattighet", AVTALSRATTIGHET),
        _set(f"{PAVERKAR}.inteckning", "d6f75eba-d710-40b5-a06d-e3d50614df0a"),
    ),
    (
        "Paverkar with neither inteckning nor avtalsrattighet",
        _remove("//i:Paverkar/i:inteckning"),
        _set(f"{PAVERKAR}.avtalsrattighet", _DELETE),
    ),
    (
        "Avser with two references",
        _insert_after("//i:Avser/i:inskrivetAgande", "inteckning", "b707b7ba-77a2-40ac-a080-d64a9f0fab06"),
        _set("anteckning.0.avser.0.inskrivetAgande", "f16aa5ba-5785-407b-a049-0ccd1aaae86d"),
    ),
    (
        "Avser without a reference",
        _remove("//i:Avser/i:avtalsrattighet"),
        _set("anteckning.0.avser.2.avtalsrattighet", _DELETE),
    ),
    (
        "Person with id and personnummer",
        lambda r: first(r, "//i:Person[i:personnummer]").insert(0, new("id", "391aa3b9-d684-4051-a0cb-cb427a2e70ad")),
        _set("agande.0.agare.person.id", "391aa3b9-d684-4051-a0cb-cb427a2e70ad"),
    ),
    (
        "InskrivenPerson with Person and Organisation",
        _insert_after("//i:Agare/i:Person", "Organisation"),
        _set("agande.0.agare.organisation", {"organisationsnummer": "202100-1975"}),
    ),
    (
        "Fang with fangesar and fangesdag",
        _insert_after("//i:Fang/i:fangesar", "fangesdag", "1994-02-15"),
        _set(f"{FANG_1}.fangesar", 1994),
    ),
    (
        "Fang with Lagfartsanmarkning and Tomtrattsinnehavsanmarkning",
        lambda r: add_after(
            r, "//i:Fang/i:Lagfartsanmarkning", copy.deepcopy(first(r, "//i:Fang/i:Tomtrattsinnehavsanmarkning"))
        ),
        _set(f"{FANG_1}.tomtrattsinnehavsanmarkning", [ex.anmarkning_json("tomtrattsinnehavsanmarkning")]),
    ),
    (
        "Belastar without its InskrivenBelastning",
        _remove(INTECKNING),
        _set("belastar.0.inskrivenBelastning", _DELETE),
    ),
    (
        "InskrivenBelastning that is an InskrivetAgande",
        lambda r: replace(r, INTECKNING, copy.deepcopy(first(r, "//i:Agande/i:Lagfart"))),
        lambda p: p["belastar"][0].__setitem__("inskrivenBelastning", p["agande"][0]),
    ),
    (
        "typ without its diacritics / XML element with them",
        _rename("//i:Belastar/i:Elkraftratt", "Elkrafträtt"),
        lambda p: belastning(p, "Elkrafträtt").__setitem__("typ", "Elkraftratt"),
    ),
    (
        "Tomtrattsinnehavsanmarkning with both its member and the examples' alias",
        _insert_after(
            "//i:Tomtrattsinnehavsanmarkning/i:tomtrattsinnehavsanmarkning", "lagfartsanmarkning", "Förbehåll"
        ),
        _set("agande.1.tomtrattsinnehavsanmarkning.0.lagfartsanmarkning", "Förbehåll"),
    ),
    (
        "date that does not exist (29 February of a common year)",
        _text("//i:IRFastighet/i:beraknatAktualitetsdatum", "2013-02-29"),
        _set("irfastighet.beraknatAktualitetsdatum", "2013-02-29"),
    ),
    (
        "date with an offset and a time",
        _text("//i:Inskrivningshandelse/i:uppskovsdatum", "2016-04-15+02:00T00:00:00.000"),
        _set("belastar.0.inskrivenBelastning.inskrivningshandelse.0.uppskovsdatum", "2016-04-15T00:00:00+0200"),
    ),
    (
        "dateTime without milliseconds",
        _text("//i:IRFastighet/i:versionGiltigFran", "2016-10-22T23:58:21+02:00"),
        _set("irfastighet.versionGiltigFran", "2016-10-22T23:58:21+02:00"),
    ),
    (
        "dateTime without an offset",
        _text("//i:IRFastighet/i:versionGiltigFran", "2016-10-22T23:58:21.345"),
        _set("irfastighet.versionGiltigFran", "2016-10-22T23:58:21.345"),
    ),
    (
        "impossible date",
        _text("//i:IRFastighet/i:beraknatAktualitetsdatum", "2012-13-16"),
        _set("irfastighet.beraknatAktualitetsdatum", "2012-13-16"),
    ),
    (
        "integer as text",
        _text("//i:BeviljadAndel/i:namnare", "ett"),
        _set("agande.0.beviljadAndel.namnare", "8721130410483"),
    ),
    (
        "boolean as text",
        _text("//i:IRFastighet/i:allvarligtFelIR", "ja"),
        _set("irfastighet.allvarligtFelIR", "true"),
    ),
    (
        "empty Fastighetsreferens list",
        lambda r: clear(r, f"{INTECKNING}/i:Belastar"),
        _set("belastar.0.inskrivenBelastning.belastar", []),
    ),
    (
        "empty repeated member (JSON) / nil element (XML)",
        lambda r: first(r, f"{INTECKNING}/i:aktnummer").set(f"{{{ex.XSI}}}nil", "true"),
        _set("belastar.0.inskrivenBelastning.dagboksnummer", []),
    ),
    (
        "absent value written as null (JSON) / required gruppinformation missing (XML)",
        _remove("//i:Gruppinformation/i:gruppinformation"),
        _set("gruppinformation.0.gruppinformationstyp", None),
    ),
    (
        "Inteckningsreferens without Fastighetsreferens",
        _remove_all("//i:Inteckningsreferens/i:Fastighetsreferens"),
        _set("utstrackningSoktI.0.inteckningsreferens.fastighetsreferens", _DELETE),
    ),
]


@pytest.mark.parametrize(("case", "xml_change", "json_change"), REJECTED, ids=[c[0] for c in REJECTED])
def test_both_schemas_reject(
    case: str, xml_change: Callable[[etree._Element], None], json_change: Callable[[dict[str, Any]], None]
) -> None:
    assert xml_errors(mutated_xml(xml_change)) != [], f"XSD accepts: {case}"
    assert json_errors(mutated_json(json_change)) != [], f"JSON Schema accepts: {case}"


# (case, XML change, JSON change): forms the specification's own examples use (digest §7.4.7, §7.4.9) and the real
# service sends; both schemas accept them, as the importer does (tests/inskrivning/test_importer.py).
ACCEPTED: list[tuple[str, XmlChange, JsonChange]] = [
    (
        "Tomtrattsinnehavsanmarkning with the examples' lagfartsanmarkning member",
        _rename("//i:Tomtrattsinnehavsanmarkning/i:tomtrattsinnehavsanmarkning", "lagfartsanmarkning"),
        lambda p: p["agande"][1]["tomtrattsinnehavsanmarkning"][0].update(
            lagfartsanmarkning=p["agande"][1]["tomtrattsinnehavsanmarkning"][0].pop("tomtrattsinnehavsanmarkning")
        ),
    ),
    (
        "date with a UTC offset (XML example) / as a timestamp (JSON example)",
        _text("//i:Tomtrattsupplatelse/i:uppskovsdatum", "2015-05-15+02:00"),
        _set("belastar.0.inskrivenBelastning.inskrivningshandelse.0.uppskovsdatum", "2016-04-15T00:00:00.000+0200"),
    ),
    (
        "date as a timestamp (XML) / with a UTC offset (JSON)",
        _text("//i:Inskrivningshandelse/i:uppskovsdatum", "2016-03-03T00:00:00.000+0100"),
        _set("tomtrattsupplatelse.uppskovsdatum", "2015-05-15+02:00"),
    ),
    (
        "dateTime with an offset without a colon / in UTC",
        _text("//i:IRFastighet/i:versionGiltigFran", "2016-10-22T23:58:21.345+0200"),
        _set("irfastighet.versionGiltigFran", "2016-10-22T21:58:21.345Z"),
    ),
    (
        "29 February of a leap year",
        _text("//i:IRFastighet/i:beraknatAktualitetsdatum", "2000-02-29"),
        _set("irfastighet.beraknatAktualitetsdatum", "2012-02-29"),
    ),
    (
        "upper-case uuid",
        _text("//i:IRFastighet/i:objektidentitet", UPPER_UUID),
        _set("irfastighet.objektidentitet", UPPER_UUID),
    ),
]


@pytest.mark.parametrize(("case", "xml_change", "json_change"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_both_schemas_accept_the_forms_of_the_examples(
    case: str, xml_change: Callable[[etree._Element], None], json_change: Callable[[dict[str, Any]], None]
) -> None:
    assert xml_errors(mutated_xml(xml_change)) == [], case
    assert json_errors(mutated_json(json_change)) == [], case


def test_the_schemas_carry_the_importers_lexical_patterns() -> None:
    defs = contract.json_schema()["$defs"]
    xsd = contract.inskrivning_xml_schema().types
    for name, pattern in (("Uuid", UUID_PATTERN), ("Datum", DATE_PATTERN), ("Tidpunkt", DATETIME_PATTERN)):
        assert defs[name]["pattern"] == f"^{pattern}$"
        assert xsd[name].patterns.regexps == [pattern]


def test_feature_without_typ_in_inskrivenbelastning_is_rejected() -> None:
    for typ in ("Inteckning", "Avtalsservitut", "Avtalsnyttjanderätt", "Elkrafträtt", "Avkomsträtt"):
        document = mutated_json(lambda p, typ=typ: belastning(p, typ).pop("typ"))
        assert json_errors(document) != [], typ


def test_agande_without_typ_is_rejected() -> None:
    assert json_errors(mutated_json(lambda p: p["agande"][1].pop("typ"))) != []


def test_envelope_violations_are_rejected() -> None:
    assert xml_errors(mutated_xml(lambda r: r.attrib.pop(f"{{{ex.GML}}}id"))) != []
    assert (
        xml_errors(mutated_xml(lambda r: first(r, "//i:Inskrivningsinformation").attrib.pop(f"{{{ex.GML}}}id"))) != []
    )
    assert xml_errors(mutated_xml(lambda r: remove(r, "//i:Inskrivningsinformation/gml:boundedBy"))) != []
    document = ex.inskrivning_response_json()
    document["features"][0]["geometry"] = {"type": "Point", "coordinates": [0, 0]}
    assert json_errors(document) != []
    document = ex.inskrivning_response_json()
    del document["crs"]
    assert json_errors(document) != []
    document = ex.inskrivning_response_json()
    document["features"][0]["id"] = f"ID_{ex.FEATURE_ID}"
    assert json_errors(document) != []


@pytest.mark.parametrize("count", [0, 251])
def test_id_request_needs_1_to_250_ids(count: int) -> None:
    ids = [f"00000000-0000-4000-8000-{n:012x}" for n in range(count)]
    assert xml_errors(ex.id_request_xml(ids)) != []
    assert json_errors(ids, "IdRequest") != []


def test_id_request_of_250_ids_is_valid() -> None:
    ids = [f"00000000-0000-4000-8000-{n:012x}" for n in range(250)]
    assert xml_errors(ex.id_request_xml(ids)) == []
    assert json_errors(ids, "IdRequest") == []
    assert json_errors({"id": ids}, "IdRequest") != []  # the JSON body is a bare array


def test_fault_violations_are_rejected() -> None:
    fault = contract.fault_xml_schema()
    assert xml_errors(ex.fault_xml().replace(b"<code>400</code>", b""), fault) != []
    assert xml_errors(ex.fault_xml().replace(b"<code>400</code>", b"<code>Bad</code>"), fault) != []
    assert xml_errors(ex.fault_xml().replace(b"fault/v1", b"inskrivning/v3"), fault) != []
    assert json_errors({"reason": "Bad Request"}, "Fault") != []
    assert json_errors({**ex.fault_json(), "errors": []}, "Fault") != []
    assert json_errors({**ex.fault_json(), "detail": "x"}, "Fault") != []


@pytest.mark.parametrize(
    ("first_name", "second_name"),
    [("allvarligtFelIR", "oklaraInskrivningsforhallanden"), ("objektidentitet", "objektversion")],
)
def test_xml_element_order_is_enforced(first_name: str, second_name: str) -> None:
    def swap(root: etree._Element) -> None:
        one = first(root, f"//i:IRFastighet/i:{first_name}")
        two = first(root, f"//i:IRFastighet/i:{second_name}")
        two.addnext(one)  # now second_name comes before first_name

    assert xml_errors(mutated_xml(swap)) != []


def test_json_key_order_is_free() -> None:
    document = ex.inskrivning_response_json()
    props = document["features"][0]["properties"]
    document["features"][0]["properties"] = dict(reversed(list(props.items())))
    assert json_errors(json.loads(json.dumps(document))) == []


def _importer_accepts(data: bytes) -> bool:
    try:
        return not importer.read_registrations(data).refused
    except importer.ImportFileError:
        return False


@pytest.mark.parametrize(
    ("case", "xml_change", "json_change", "valid"),
    [(*c, True) for c in ACCEPTED] + [(*c, False) for c in REJECTED],
    ids=[f"accepted: {c[0]}" for c in ACCEPTED] + [f"rejected: {c[0]}" for c in REJECTED],
)
def test_the_importer_accepts_what_the_schemas_accept(
    case: str, xml_change: XmlChange, json_change: JsonChange, valid: bool
) -> None:
    assert _importer_accepts(mutated_xml(xml_change)) is valid, f"XML: {case}"
    assert _importer_accepts(orjson.dumps(mutated_json(json_change))) is valid, f"JSON: {case}"


def test_the_importer_reads_the_examples_forms_into_canonical_documents() -> None:
    plain = importer.read_registrations(ex.inskrivning_response_xml()).documents
    changed = ex.inskrivning_response_xml()
    for _, xml_change, _ in ACCEPTED:
        root = etree.fromstring(changed)
        xml_change(root)
        changed = etree.tostring(root)
    read = importer.read_registrations(changed).documents
    assert read[0]["irfastighet"]["objektidentitet"] == UPPER_UUID.lower()
    assert read[0]["irfastighet"]["versionGiltigFran"] == "2016-10-22T23:58:21.345+02:00"
    assert read[0]["tomtrattsupplatelse"]["uppskovsdatum"] == "2015-05-15"
    assert read[0]["agande"] == plain[0]["agande"]  # the alias read as tomtrattsinnehavsanmarkning
