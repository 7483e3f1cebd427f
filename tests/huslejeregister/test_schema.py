"""The published WSDL and XSD: generated from the structures, committed, current and self-consistent."""

from __future__ import annotations

import xmlschema
from lxml import etree

from bodata.huslejeregister.schema import SCHEMA_DIR, WSDL_NAME, XSD_NAME, render_wsdl, render_xsd
from bodata.huslejeregister.structures import OPERATIONS, STRUCTURES

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"


def test_the_committed_files_are_what_the_structures_generate() -> None:
    # after changing structures.py run: python -m bodata.huslejeregister.schema
    assert (SCHEMA_DIR / XSD_NAME).read_text(encoding="utf-8") == render_xsd()
    assert (SCHEMA_DIR / WSDL_NAME).read_text(encoding="utf-8") == render_wsdl()


def test_the_xsd_declares_every_structure_and_operation_element() -> None:
    schema = xmlschema.XMLSchema(str(SCHEMA_DIR / XSD_NAME))
    expected = {
        element for operation in OPERATIONS.values() for element in (operation.input_element, operation.output_element)
    }
    assert set(schema.elements) == expected
    assert set(schema.types) >= {f"{name}Type" for name in STRUCTURES}


def test_max_lengths_of_the_spec_are_in_the_schema() -> None:
    schema = xmlschema.XMLSchema(str(SCHEMA_DIR / XSD_NAME))
    version = schema.types["BoligVersionStrukturType"]
    lengths = {
        child.local_name: child.type.max_length for child in version.content.iter_elements() if child.type.is_simple()
    }
    assert lengths["BoligStoetteBerettigetArealAarsagTekst"] == 100
    assert lengths["BoligURLTekst"] == 256


def test_the_wsdl_binds_each_operation_to_its_own_input_and_output_elements() -> None:
    wsdl = etree.parse(str(SCHEMA_DIR / WSDL_NAME))
    parts = {
        message.get("name"): message.find(f"{{{WSDL_NS}}}part").get("element").split(":")[1]
        for message in wsdl.iterfind(f"{{{WSDL_NS}}}message")
    }
    assert len(parts) == 2 * len(OPERATIONS) == 186
    for name, operation in OPERATIONS.items():
        assert parts[f"{name}Request"] == operation.input_element
        assert parts[f"{name}Response"] == operation.output_element
