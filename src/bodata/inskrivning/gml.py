"""XML (GML) form of Inskrivning v3: responses and Faults written, responses and IdRequests read (§3.1, §3.3, §3.4).

Documents travel through bodata as JSON-form dicts (the GeoJSON ``properties`` of a feature). The writer turns
them into the GML FeatureCollection of the specification: default namespace ``…/inskrivning/v3``, element names
and order from :func:`bodata.inskrivning.datatypes.plan`, wrappers for reference lists and ownership, the concrete
element in place of a union. It builds text directly, because a batch of 250 full registrations would spend most
of its time building an element tree. The reader does the reverse on parsed elements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree

from bodata.inskrivning.datatypes import (
    UNION_MEMBERS,
    Fastighetsreferens,
    Fault,
    Inskrivningsinformation,
    Kind,
    Organisation,
    Tomtrattsinnehavsanmarkning,
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


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    return _escape(value)


@dataclass(frozen=True, slots=True)
class _Step:
    """A member prepared for writing: its key, tags and what to do with its values."""

    key: str
    open: str
    close: str
    kind: Kind
    many: bool
    wrap: Wrap
    target: type | None


@cache
def _steps(cls: type) -> tuple[_Step, ...]:
    return tuple(
        _Step(m.key, f"<{m.xml}>", f"</{m.xml}>", m.kind, m.many, m.wrap, m.target) for m in plan(cls) if m.key != "typ"
    )


def _write(out: list[str], cls: type, data: Mapping[str, Any]) -> None:
    for step in _steps(cls):
        value = data.get(step.key)
        if value is None:
            continue
        values = value if step.many else (value,)
        if step.kind is Kind.OBJECT:
            if step.wrap is Wrap.LIST:
                item_open, item_close = f"<{step.target.__name__}>", f"</{step.target.__name__}>"
                out.append(step.open)
                for item in values:
                    out.append(item_open)
                    _write(out, step.target, item)
                    out.append(item_close)
                out.append(step.close)
            else:
                for item in values:
                    out.append(step.open)
                    _write(out, step.target, item)
                    out.append(step.close)
        elif step.kind is Kind.UNION:
            for item in values:
                concrete = UNION_MEMBERS[item["typ"]]
                name = concrete.__name__
                if step.wrap is Wrap.EACH:
                    out.append(step.open)
                out.append(f"<{name}>")
                _write(out, concrete, item)
                out.append(f"</{name}>")
                if step.wrap is Wrap.EACH:
                    out.append(step.close)
        else:
            for item in values:
                out.append(step.open)
                out.append(_text(item))
                out.append(step.close)


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
    (Tomtrattsinnehavsanmarkning, "lagfartsanmarkning"): "tomtrattsinnehavsanmarkning",
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
    if member.kind is Kind.UNION:  # Wrap.EACH: the wrapper holds Lagfart/Tomtrattsinnehav elements
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
