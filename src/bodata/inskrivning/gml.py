"""XML (GML) form of Inskrivning v3: responses and Faults written, responses and IdRequests read (§3.1, §3.3, §3.4).

Documents travel through bodata as JSON-form dicts (the GeoJSON ``properties`` of a feature). The writer turns
them into the GML FeatureCollection of the specification: default namespace ``…/inskrivning/v3``, element names
and order from :func:`bodata.inskrivning.datatypes.plan`, wrappers for reference lists and ownership, the concrete
element in place of a union. It builds text directly, because a batch of 250 full registrations would spend most
of its time building an element tree. The reader does the reverse on parsed elements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from lxml import etree

from bodata.inskrivning.datatypes import (
    ALIASES,
    UNION_MEMBERS,
    Fastighetsreferens,
    Fault,
    Inskrivningsinformation,
    Kind,
    Organisation,
    Wrap,
    plan,
)

NS = "http://namespace.lantmateriet.se/distribution/produkter/inskrivning/v3"
GML_NS = "http://www.opengis.net/gml/3.2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
FAULT_NS = "http://namespace.lantmateriet.se/distribution/produkter/fault/v1"

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_BOUNDED_BY = '<gml:boundedBy xsi:nil="true"/>'


class XmlDecodeError(ValueError):
    """The XML does not have the form of the specification; the message says where."""


# --- Writing --------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


# The writer is generated: one straight-line function per datatype, compiled once, so writing a batch of 250
# full registrations costs about what serialising them as JSON does. Values are canonical (documents.normalize):
# uuids, dates and times need no escaping, text does.
_RENDER = {
    Kind.TEXT: "esc({})",
    Kind.INT: "str({})",
    Kind.BOOL: "('true' if {} else 'false')",
    Kind.UUID: "{}",
    Kind.DATE: "{}",
    Kind.DATETIME: "{}",
}


def _member_source(member: Any) -> list[str]:
    """The lines (inside ``if v is not None:``) that write member ``v`` of a datatype."""
    open_tag, close_tag = repr(f"<{member.xml}>"), repr(f"</{member.xml}>")
    if member.kind in _RENDER:
        if member.many:
            return [f"for x in v: a({open_tag} + {_RENDER[member.kind].format('x')} + {close_tag})"]
        return [f"a({open_tag} + {_RENDER[member.kind].format('v')} + {close_tag})"]
    items = "v" if member.many else "(v,)"
    if member.kind is Kind.UNION:
        each = [f"for x in {items}:", "    o, c, w = U[x['typ']]", "    a(o); w(a, x); a(c)"]
        return [f"a({open_tag})", *each, f"a({close_tag})"] if member.wrap is Wrap.LIST else each
    writer = f"w_{member.target.__name__}"
    if member.wrap is Wrap.LIST:
        item_open, item_close = repr(f"<{member.target.__name__}>"), repr(f"</{member.target.__name__}>")
        return [f"a({open_tag})", f"for x in v: a({item_open}); {writer}(a, x); a({item_close})", f"a({close_tag})"]
    return [f"for x in {items}: a({open_tag}); {writer}(a, x); a({close_tag})"]


def _reachable(roots: Iterable[type]) -> list[type]:
    found: dict[type, None] = {}
    pending = list(roots)
    while pending:
        cls = pending.pop()
        if cls in found:
            continue
        found[cls] = None
        for member in plan(cls):
            pending.extend(member.choices)
            if member.target is not None:
                pending.append(member.target)
    return list(found)


@cache
def _writers() -> dict[type, Callable[[Callable[[str], None], Mapping[str, Any]], None]]:
    """One compiled writer per datatype: ``writer(append, document)`` appends the datatype's child elements."""
    classes = _reachable((Inskrivningsinformation, Fastighetsreferens, Fault))
    source = []
    for cls in classes:
        source.append(f"def w_{cls.__name__}(a, d):")
        source.append("    g = d.get")
        for member in plan(cls):
            source.append(f"    v = g({member.key!r})")
            source.append("    if v is not None:")
            source.extend(f"        {line}" for line in _member_source(member))
        source.append("    return None")
    namespace: dict[str, Any] = {"esc": _escape}
    exec(compile("\n".join(source), "<bodata.inskrivning.gml writers>", "exec"), namespace)  # noqa: S102 - our own code
    namespace["U"] = {
        cls.TYP: (f"<{cls.__name__}>", f"</{cls.__name__}>", namespace[f"w_{cls.__name__}"])
        for cls in UNION_MEMBERS.values()
    }
    return {cls: namespace[f"w_{cls.__name__}"] for cls in classes}


def _write(out: list[str], cls: type, data: Mapping[str, Any]) -> None:
    _writers()[cls](out.append, data)


def write_inskrivning_response(documents: Iterable[Mapping[str, Any]]) -> bytes:
    """An InskrivningResponse GML FeatureCollection of the given Inskrivningsinformation documents."""
    out = [
        _DECLARATION,
        f'<InskrivningResponse xmlns="{NS}" xmlns:gml="{GML_NS}" xmlns:xsi="{XSI_NS}" gml:id="response">',
        _BOUNDED_BY,
    ]
    for document in documents:
        out.append(f'<InskrivningMember><Inskrivningsinformation gml:id="ID_{document["objektidentitet"]}">')
        out.append(_BOUNDED_BY)
        _write(out, Inskrivningsinformation, document)
        out.append("</Inskrivningsinformation></InskrivningMember>")
    out.append("</InskrivningResponse>")
    return "".join(out).encode()


def write_fastighetsreferens_response(references: Iterable[Mapping[str, Any]]) -> bytes:
    """A FastighetsreferensResponse: one ``<Fastighetsreferens>`` per property."""
    out = [_DECLARATION, f'<FastighetsreferensResponse xmlns="{NS}">']
    for reference in references:
        out.append("<Fastighetsreferens>")
        _write(out, Fastighetsreferens, reference)
        out.append("</Fastighetsreferens>")
    out.append("</FastighetsreferensResponse>")
    return "".join(out).encode()


def write_fault(fault: Mapping[str, Any]) -> bytes:
    """A Fault in the namespace ``…/produkter/fault/v1``."""
    out = [_DECLARATION, f'<Fault xmlns="{FAULT_NS}">']
    _write(out, Fault, fault)
    out.append("</Fault>")
    return "".join(out).encode()


def write_id_request(ids: Iterable[str]) -> bytes:
    """An IdRequest body for ``POST /`` and ``POST /beror``."""
    return (f'<IdRequest xmlns="{NS}">' + "".join(f"<id>{_escape(str(i))}</id>" for i in ids) + "</IdRequest>").encode()


# --- Reading --------------------------------------------------------------------------------------

# Names the specification's own examples use in place of the table's (digest §7.4.7-8); read, never written.
_ALIASES = {
    **{(owner, alias): key for owner, names in ALIASES.items() for alias, key in names.items()},
    (Organisation, "Utdlandsadress"): "utlandsadress",
}


@cache
def _readers(cls: type) -> dict[str, tuple[Any, type | None]]:
    """Element name → (member, concrete union type or None) for the children of a ``cls`` element."""
    readers: dict[str, tuple[Any, type | None]] = {}
    for member in plan(cls):
        if member.kind is Kind.UNION and member.wrap is Wrap.NONE:
            for choice in member.choices:
                readers[choice.__name__] = (member, choice)
        else:
            readers[member.xml] = (member, None)
    for (owner, alias), key in _ALIASES.items():
        if owner is cls:
            readers[alias] = next((m, None) for m in plan(cls) if m.key == key)
    return readers


def _local(element: etree._Element, path: str) -> str:
    qname = etree.QName(element)
    if qname.namespace != NS:
        raise XmlDecodeError(f"{path}: element {{{qname.namespace}}}{qname.localname} is not in the namespace {NS}")
    return qname.localname


def _children(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _scalar(element: etree._Element, kind: Kind, path: str) -> Any:
    text = (element.text or "").strip()
    if kind is Kind.INT:
        try:
            return int(text)
        except ValueError:
            raise XmlDecodeError(f"{path}: {text!r} is not an integer") from None
    if kind is Kind.BOOL:
        if text not in ("true", "false", "1", "0"):
            raise XmlDecodeError(f"{path}: {text!r} is not a boolean")
        return text in ("true", "1")
    return text


def read_object(element: etree._Element, cls: type, path: str) -> dict[str, Any]:
    """The JSON-form dict of an element of datatype ``cls`` (values still in their XML lexical form)."""
    data: dict[str, Any] = {}
    readers = _readers(cls)
    for child in _children(element):
        if etree.QName(child).namespace == GML_NS:
            continue  # gml:boundedBy
        name = _local(child, path)
        child_path = f"{path}/{name}"
        if name not in readers:
            raise XmlDecodeError(f"{child_path}: no such element in {cls.__name__}")
        member, concrete = readers[name]
        values = _read_member(child, member, concrete, child_path)
        if member.many:
            data.setdefault(member.key, []).extend(values)
        elif member.key in data:
            raise XmlDecodeError(f"{child_path}: {member.xml} may occur only once")
        else:
            data[member.key] = values[0]
    return data


def _read_member(element: etree._Element, member: Any, concrete: type | None, path: str) -> list[Any]:
    if concrete is not None:
        return [{"typ": concrete.TYP, **read_object(element, concrete, path)}]
    if member.kind is Kind.UNION:  # Wrap.LIST: the wrapper holds Lagfart/Tomtrattsinnehav elements
        items = []
        for child in _children(element):
            name = _local(child, path)
            choice = next((c for c in member.choices if c.__name__ == name), None)
            if choice is None:
                raise XmlDecodeError(f"{path}/{name}: expected one of {', '.join(c.__name__ for c in member.choices)}")
            items.append({"typ": choice.TYP, **read_object(child, choice, f"{path}/{name}")})
        return items
    if member.kind is Kind.OBJECT and member.wrap is Wrap.LIST:
        item_name = member.target.__name__
        items = []
        for child in _children(element):
            if _local(child, path) != item_name:
                raise XmlDecodeError(f"{path}: {member.xml} may only hold {item_name} elements")
            items.append(read_object(child, member.target, f"{path}/{item_name}"))
        return items
    if member.kind is Kind.OBJECT:
        return [read_object(element, member.target, path)]
    return [_scalar(element, member.kind, path)]


def read_inskrivning_response(root: etree._Element) -> list[dict[str, Any]]:
    """The Inskrivningsinformation documents of an InskrivningResponse."""
    if _local(root, "") != "InskrivningResponse":
        raise XmlDecodeError(f"the root element is {etree.QName(root).localname}, expected InskrivningResponse")
    documents = []
    for member in _children(root):
        if etree.QName(member).namespace == GML_NS:
            continue
        if _local(member, "/InskrivningResponse") != "InskrivningMember":
            raise XmlDecodeError(f"/InskrivningResponse/{etree.QName(member).localname}: expected InskrivningMember")
        for information in _children(member):
            path = "/InskrivningResponse/InskrivningMember/Inskrivningsinformation"
            if _local(information, path) != "Inskrivningsinformation":
                raise XmlDecodeError(f"{path}: expected Inskrivningsinformation")
            documents.append(read_object(information, Inskrivningsinformation, path))
    return documents


def read_fastighetsreferens_response(root: etree._Element) -> list[dict[str, Any]]:
    """The Fastighetsreferens entries of a FastighetsreferensResponse."""
    if _local(root, "") != "FastighetsreferensResponse":
        raise XmlDecodeError("expected a FastighetsreferensResponse")
    path = "/FastighetsreferensResponse/Fastighetsreferens"
    return [read_object(child, Fastighetsreferens, path) for child in _children(root)]


def read_id_request(root: etree._Element) -> list[str]:
    """The ids of an IdRequest, as written (validation is the caller's)."""
    if _local(root, "") != "IdRequest":
        raise XmlDecodeError(f"the root element is {etree.QName(root).localname}, expected IdRequest")
    ids = []
    for child in _children(root):
        if _local(child, "/IdRequest") != "id":
            raise XmlDecodeError(f"/IdRequest/{etree.QName(child).localname}: only id elements are allowed")
        ids.append((child.text or "").strip())
    return ids


def read_fault(root: etree._Element) -> dict[str, Any]:
    """The code, reason and errors of a Fault."""
    qname = etree.QName(root)
    if qname.localname != "Fault":
        raise XmlDecodeError("expected a Fault")
    fault: dict[str, Any] = {"errors": []}
    for child in _children(root):
        name = etree.QName(child).localname
        if name == "code":
            fault["code"] = int((child.text or "0").strip())
        elif name == "reason":
            fault["reason"] = child.text or ""
        elif name == "errors":
            fault["errors"].append(child.text or "")
    return fault
