"""Hardened XML parsing for the XML services: no DTDs, no entities, no network, bounded size and depth."""

from __future__ import annotations

from lxml import etree

DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class XMLInputError(ValueError):
    """The input is not XML bodata will accept; the message says why (and where, when known)."""


class _RefuseExternal(etree.Resolver):
    """Answers every request for an external resource (DTD, entity) with nothing: no file or URL is read."""

    def resolve(self, system_url, public_id, context):
        return self.resolve_string("", context)


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        collect_ids=False,
    )
    parser.resolvers.add(_RefuseExternal())
    return parser


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse ``data`` into an element tree, refusing what could attack the parser.

    Refused: documents over ``max_bytes``, any DOCTYPE (so no internal or external entities; entities are
    never resolved or expanded), references to undeclared entities, and malformed XML. libxml2's own limits
    on nesting depth (256) and text node size stay on.
    """
    if not isinstance(data, bytes):
        raise TypeError("parse_xml takes bytes, so the document's own encoding declaration is honoured")
    if len(data) > max_bytes:
        raise XMLInputError(f"the XML document is {len(data)} bytes; at most {max_bytes} are accepted")
    if not data.strip():
        raise XMLInputError("the XML document is empty")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise XMLInputError(f"malformed XML: {exc.msg or 'not well-formed'}") from exc
    if root.getroottree().docinfo.doctype:
        raise XMLInputError("DOCTYPE declarations are not accepted")
    return root
