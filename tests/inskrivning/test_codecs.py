"""The GML reader/writer and document normalisation on the specification's own examples (tests/spec_examples.py)."""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from bodata.inskrivning import gml
from bodata.inskrivning.contract import inskrivning_xml_schema, json_validator
from bodata.inskrivning.datatypes import Inskrivningsinformation, Lagfart, Person, plan
from bodata.inskrivning.documents import DocumentError, normalize, parse_date, parse_datetime, to_typed

from . import spec_examples


def _json_documents() -> list[dict]:
    return [feature["properties"] for feature in spec_examples.inskrivning_response_json()["features"]]


def _xml_documents() -> list[dict]:
    return gml.read_inskrivning_response(etree.fromstring(spec_examples.inskrivning_response_xml()))


def test_the_spec_examples_normalise_to_themselves() -> None:
    for document in _json_documents():
        assert normalize(Inskrivningsinformation, document) == document


def test_writing_the_json_example_as_gml_validates_and_reads_back() -> None:
    documents = [normalize(Inskrivningsinformation, d) for d in _json_documents()]
    written = gml.write_inskrivning_response(documents)
    root = etree.fromstring(written)
    inskrivning_xml_schema().validate(root)
    assert gml.read_inskrivning_response(root) == documents


def test_the_xml_example_reads_into_valid_json_documents() -> None:
    documents = [normalize(Inskrivningsinformation, d) for d in _xml_documents()]
    body = {
        "type": "FeatureCollection",
        "crs": None,
        "features": [
            {"type": "Feature", "id": d["objektidentitet"], "geometry": None, "properties": d} for d in documents
        ],
    }
    assert [error.message for error in json_validator().iter_errors(body)] == []
    again = gml.read_inskrivning_response(etree.fromstring(gml.write_inskrivning_response(documents)))
    assert again == documents


def test_one_agande_wrapper_holds_every_ownership_and_both_forms_are_read() -> None:
    # The spec's example (§4.3): one <Agande> holding a Lagfart and a Tomtrattsinnehav; the same for TidigareAgande.
    (document, *_) = _json_documents()
    root = etree.fromstring(gml.write_inskrivning_response([document]))
    ns = {"i": gml.NS}
    for name, key in (("Agande", "agande"), ("TidigareAgande", "tidigareAgande")):
        (wrapper,) = root.findall(f".//i:Inskrivningsinformation/i:{name}", ns)
        assert [etree.QName(child).localname for child in wrapper] == [
            "Lagfart" if item["typ"] == "Lagfart" else "Tomtrattsinnehav" for item in document[key]
        ]
    assert {etree.QName(child).localname for child in root.find(".//i:Agande", ns)} == {"Lagfart", "Tomtrattsinnehav"}
    split = etree.fromstring(gml.write_inskrivning_response([document]))
    information = split.find(".//i:Inskrivningsinformation", ns)
    wrapper = information.find("i:Agande", ns)
    for child in list(wrapper)[1:]:  # one wrapper per ownership, as other writers may send it
        single = etree.Element(wrapper.tag)
        single.append(child)
        wrapper.addnext(single)
    assert len(information.findall("i:Agande", ns)) == len(document["agande"])
    inskrivning_xml_schema().validate(split)
    assert gml.read_inskrivning_response(split)[0]["agande"] == document["agande"]


def test_reference_lists_are_wrapped_once_and_unions_stand_alone() -> None:
    (document, *_) = _json_documents()
    root = etree.fromstring(gml.write_inskrivning_response([document]))
    ns = {"i": gml.NS}
    inteckning = root.find(".//i:Inskrivningsinformation/i:Belastar/i:Inteckning", ns)
    assert inteckning is not None
    (wrapper,) = inteckning.findall("i:Belastar", ns)
    assert {etree.QName(child).localname for child in wrapper} == {"Fastighetsreferens"}
    assert root.find(".//i:Belastar/i:InskrivenBelastning", ns) is None
    assert root.find(".//i:typ", ns) is None


def test_the_reader_accepts_the_examples_slips() -> None:
    xml = (
        spec_examples.inskrivning_response_xml()
        .replace(b"<tomtrattsinnehavsanmarkning>", b"<lagfartsanmarkning>")
        .replace(b"</tomtrattsinnehavsanmarkning>", b"</lagfartsanmarkning>")
    )
    assert gml.read_inskrivning_response(etree.fromstring(xml)) == _xml_documents()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["belastar"][0]["inskrivenBelastning"].update(beslut="Godkänd"), "code list"),
        (lambda d: d["belastar"][0]["inskrivenBelastning"].pop("typ"), "typ: expected one of"),
        (lambda d: d["belastar"][0].update(foretradesordning="3"), "expected an integer"),
        (lambda d: d["irfastighet"].update(allvarligtFelIR="true"), "expected true or false"),
        (lambda d: d["irfastighet"].update(beraknatAktualitetsdatum="16 aug 2012"), "is not a date"),
        (lambda d: d["irfastighet"].update(okand=1), "has no member 'okand'"),
        (lambda d: d["fastighetsreferens"].pop("objektidentitet"), "required in Fastighetsreferens"),
        (lambda d: d["fastighetsreferens"].update(objektidentitet="nej"), "fastighetsreferens/objektidentitet"),
        (lambda d: d.update(belastar={}), "expected a list"),
    ],
)
def test_normalize_refuses_with_the_path(change, message: str) -> None:
    document = copy.deepcopy(_json_documents()[0])
    change(document)
    with pytest.raises(DocumentError, match=message):
        normalize(Inskrivningsinformation, document, "/features[1]/properties")


def test_exclusive_members() -> None:
    person = {"id": "391aa3b9-d684-4051-a0cb-cb427a2e70ad", "personnummer": "19101010-1010"}
    with pytest.raises(DocumentError, match="at most one of id, personnummer"):
        normalize(Person, person)
    document = copy.deepcopy(_json_documents()[0])
    handelse = document["belastar"][0]["inskrivenBelastning"]["inskrivningshandelse"][0]
    handelse["paverkar"][0] = {"fastighetsreferens": handelse["paverkar"][0].get("fastighetsreferens", [])}
    with pytest.raises(DocumentError, match="exactly one of inteckning, avtalsrattighet"):
        normalize(Inskrivningsinformation, document)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2012-08-16", "2012-08-16"), ("2015-05-15+02:00", "2015-05-15"), ("2016-04-15T00:00:00.000+0200", "2016-04-15")],
)
def test_the_date_forms_of_the_examples(text: str, expected: str) -> None:
    assert parse_date(text).isoformat() == expected


def test_timestamps_need_an_offset() -> None:
    assert parse_datetime("2016-10-22T23:58:21.345+0200").utcoffset().total_seconds() == 7200
    with pytest.raises(ValueError, match="a UTC offset"):
        parse_datetime("2016-10-22T23:58:21")


def test_typed_objects() -> None:
    information = to_typed(Inskrivningsinformation, _json_documents()[0])
    lagfart = next(item for item in information.agande if isinstance(item, Lagfart))
    assert lagfart.beviljadAndel.namnare == 8721130410483
    assert information.irfastighet.beraknatAktualitetsdatum.isoformat() == "2012-08-16"
    assert str(information.objektidentitet) == spec_examples.FEATURE_ID


def test_every_datatype_has_a_plan() -> None:
    members = plan(Inskrivningsinformation)
    assert [m.xml for m in members] == [
        "objektidentitet",
        "Fastighetsreferens",
        "IRFastighet",
        "Omrade",
        "PagaendeArende",
        "Gruppinformation",
        "Tomtrattsupplatelse",
        "Belastar",
        "UtstrackningSoktI",
        "Anteckning",
        "Agande",
        "TidigareAgande",
        "Fastighetsagandeforandring",
    ]


def test_normalize_accepts_the_examples_lagfartsanmarkning_key_in_json() -> None:
    document = copy.deepcopy(_json_documents()[0])
    anmarkning = document["agande"][1]["tomtrattsinnehavsanmarkning"][0]
    expected = normalize(Inskrivningsinformation, document)
    anmarkning["lagfartsanmarkning"] = anmarkning.pop("tomtrattsinnehavsanmarkning")  # as both spec examples write it
    assert normalize(Inskrivningsinformation, document) == expected
    anmarkning["tomtrattsinnehavsanmarkning"] = "Förbehåll"
    with pytest.raises(DocumentError, match="not both"):
        normalize(Inskrivningsinformation, document)
