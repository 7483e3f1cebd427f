"""The hardened XML parser against the usual attacks and mistakes."""

from __future__ import annotations

import pytest

from bodata.core.xml import XMLInputError, parse_xml

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol4;</lolz>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<foo>&xxe;</foo>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE foo SYSTEM "http://127.0.0.1:9/evil.dtd">
<foo/>"""


def test_well_formed_xml_parses_with_namespaces() -> None:
    root = parse_xml(b'<a xmlns="urn:example"><b>1</b></a>')
    assert root.tag == "{urn:example}a"
    assert root[0].text == "1"


def test_encoding_declaration_is_honoured() -> None:
    root = parse_xml('<?xml version="1.0" encoding="ISO-8859-1"?><a>Gävle</a>'.encode("latin-1"))
    assert root.text == "Gävle"


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD])
def test_doctype_is_refused_so_entities_never_expand(document: bytes) -> None:
    with pytest.raises(XMLInputError, match="DOCTYPE"):
        parse_xml(document)


def test_external_files_are_never_read(tmp_path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "contents of a local file">')
    probes = [
        f'<!DOCTYPE foo SYSTEM "{dtd.as_uri()}"><foo>&leak;</foo>',
        f'<!DOCTYPE foo [<!ENTITY % p SYSTEM "{dtd.as_uri()}"> %p;]><foo>&leak;</foo>',
        '<!DOCTYPE foo SYSTEM "file:///etc/passwd"><foo/>',  # a non-DTD file would fail *after* being read
    ]
    for document in probes:
        with pytest.raises(XMLInputError, match=r"^DOCTYPE declarations are not accepted$"):
            parse_xml(document.encode())


def test_undeclared_entity_is_malformed() -> None:
    with pytest.raises(XMLInputError, match=r"malformed XML: Entity 'xxe' not defined"):
        parse_xml(b"<a>&xxe;</a>")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<a><b></a>", "malformed XML: Opening and ending tag mismatch"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"not xml at all", "malformed XML"),
        (b"<a>" * 300 + b"</a>" * 300, "malformed XML: Excessive depth"),
    ],
)
def test_bad_documents_get_a_clear_reason(document: bytes, message: str) -> None:
    with pytest.raises(XMLInputError, match=message):
        parse_xml(document)


def test_size_limit_is_checked_before_parsing() -> None:
    with pytest.raises(XMLInputError, match="at most 100 are accepted"):
        parse_xml(b"<a>" + b"x" * 200 + b"</a>", max_bytes=100)


def test_text_is_refused_so_encoding_stays_the_documents_own() -> None:
    with pytest.raises(TypeError):
        parse_xml("<a/>")  # type: ignore[arg-type]
