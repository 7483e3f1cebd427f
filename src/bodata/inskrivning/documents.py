"""Registration documents: checking and normalising what comes in, and turning documents into typed objects.

A document is the JSON form of a datatype (for a registration: the GeoJSON ``properties`` of its feature). What
bodata stores is *canonical*: members in table order, dates as ``YYYY-MM-DD``, times as
``YYYY-MM-DDThh:mm:ss.SSS±hh:mm``, lowercase uuids, no empty lists or nulls. :func:`normalize` produces that from
whatever the real service (or a file) delivered, accepting the lexical variants the specification's own examples
show (digest §7.4.9) and refusing anything else with the path of the offending member. :func:`to_typed` builds the
dataclasses of :mod:`bodata.inskrivning.datatypes` for the client.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from uuid import UUID

from bodata.inskrivning.datatypes import (
    ALIASES,
    UNION_MEMBERS,
    Avserreferens,
    Fang,
    InskrivenBelastningsreferens,
    InskrivenPerson,
    Kind,
    Person,
    plan,
)


class DocumentError(ValueError):
    """A document does not have the form of the specification; the message says where and why."""


# The lexical forms bodata reads, written in the common subset of Python's and XML Schema's regular expressions; the
# published XSD and JSON Schema carry the same patterns, so the importer and the schemas accept the same values.
_DAY = (
    "[0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
    "|([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)-02-29"
)
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9][.][0-9]{3}"
_OFFSET = "[+\\-]([01][0-9]|2[0-3]):?[0-5][0-9]"
UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
"""A uuid in either case (bodata writes lower case)."""
DATE_PATTERN = f"({_DAY})(Z|[+\\-]([01][0-9]|2[0-3]):[0-5][0-9]|T{_TIME}(Z|{_OFFSET}))?"
"""A date: ``2012-08-16`` (written), ``2015-05-15+02:00`` (xs:date with an offset, the XML examples) or
``2016-04-15T00:00:00.000+0200`` (a timestamp, the JSON examples; digest §7.4.9)."""
DATETIME_PATTERN = f"({_DAY})T{_TIME}(Z|{_OFFSET})"
"""A timestamp with milliseconds and an offset, ``+02:00`` (written), ``+0200`` or ``Z``."""
_DATE = re.compile(DATE_PATTERN)
_DATETIME = re.compile(DATETIME_PATTERN)
_UUID = re.compile(UUID_PATTERN)

# Members of which at most one (or exactly one) may be present (digest §7.4.2, §4.17, §4.29, §4.32, §4.33, §4.43).
_EXCLUSIVE: dict[type, tuple[tuple[tuple[str, ...], bool], ...]] = {
    InskrivenBelastningsreferens: ((("inteckning", "avtalsrattighet"), True),),
    Avserreferens: ((("inskrivetAgande", "inteckning", "avtalsrattighet"), True),),
    InskrivenPerson: ((("person", "organisation", "utlandskAgare"), False),),
    Person: ((("id", "personnummer"), False),),
    Fang: (
        (("fangesar", "fangesmanad", "fangesdag"), False),
        (("lagfartsanmarkning", "tomtrattsinnehavsanmarkning"), False),
    ),
}


def _unaliased(cls: type, data: dict[str, Any], path: str) -> dict[str, Any]:
    aliases = ALIASES.get(cls)
    if not aliases or not set(data) & set(aliases):
        return data
    result = dict(data)
    for alias, key in aliases.items():
        if alias in result:
            if key in result:
                raise DocumentError(f"{path or '/'}: {cls.__name__} takes {key} or its alias {alias}, not both")
            result[key] = result.pop(alias)
    return result


def parse_date(text: str) -> date:
    """A date in any form the service uses: ``2012-08-16``, ``2015-05-15+02:00``, ``2016-04-15T00:00:00.000+0200``."""
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")
    return date.fromisoformat(text[:10])


def parse_datetime(text: str) -> datetime:
    """A timestamp with its offset, e.g. ``2016-10-22T23:58:21.345+02:00`` (``+0200`` and ``Z`` accepted too)."""
    if not isinstance(text, str) or not _DATETIME.fullmatch(text):
        raise ValueError(f"{text!r} is not a timestamp with milliseconds and a UTC offset")
    return datetime.fromisoformat(text)


def format_datetime(moment: datetime) -> str:
    """The form bodata writes: milliseconds and an offset with a colon."""
    return moment.isoformat(timespec="milliseconds")


def _canonical_scalar(kind: Kind, value: Any, codes: frozenset[str] | None) -> Any:
    if kind is Kind.TEXT:
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {type(value).__name__}")
        if codes is not None and value not in codes:
            raise ValueError(f"{value!r} is not one of the code list's values")
        return value
    if kind is Kind.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {value!r}")
        return value
    if kind is Kind.BOOL:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind is Kind.UUID:
        if not isinstance(value, str) or not _UUID.fullmatch(value):
            raise ValueError(f"expected a uuid, got {value!r}")
        return str(UUID(value))
    if kind is Kind.DATE:
        return parse_date(value).isoformat()
    return format_datetime(parse_datetime(value))


def normalize(cls: type, data: Any, path: str = "") -> dict[str, Any]:
    """The canonical form of ``data`` as datatype ``cls``; :class:`DocumentError` when it is not one."""
    if not isinstance(data, dict):
        raise DocumentError(f"{path or '/'}: expected an object ({cls.__name__})")
    data = _unaliased(cls, data, path)
    members = plan(cls)
    known = {member.key for member in members}
    unknown = sorted(set(data) - known - {"typ"})
    if unknown:
        raise DocumentError(f"{path or '/'}: {cls.__name__} has no member {', '.join(map(repr, unknown))}")
    result: dict[str, Any] = {}
    if hasattr(cls, "TYP"):
        if data.get("typ") != cls.TYP:
            raise DocumentError(f"{path}/typ: expected {cls.TYP!r}")
        result["typ"] = cls.TYP
    for member in members:
        value = data.get(member.key)
        member_path = f"{path}/{member.key}"
        if value is None or value == []:
            if member.required:
                raise DocumentError(f"{member_path}: required in {cls.__name__}")
            continue
        if member.many and not isinstance(value, list):
            raise DocumentError(f"{member_path}: expected a list")
        items = value if member.many else [value]
        converted = [
            _normalize_item(member, item, f"{member_path}[{n}]" if member.many else member_path)
            for n, item in enumerate(items)
        ]
        result[member.key] = converted if member.many else converted[0]
    for names, exactly_one in _EXCLUSIVE.get(cls, ()):
        present = [name for name in names if name in result]
        if len(present) > 1 or (exactly_one and not present):
            rule = "exactly one" if exactly_one else "at most one"
            raise DocumentError(f"{path or '/'}: {cls.__name__} takes {rule} of {', '.join(names)}")
    return result


def _normalize_item(member: Any, item: Any, path: str) -> Any:
    if member.kind is Kind.OBJECT:
        return normalize(member.target, item, path)
    if member.kind is Kind.UNION:
        concrete = UNION_MEMBERS.get(item.get("typ")) if isinstance(item, dict) else None
        if concrete not in member.choices:
            allowed = ", ".join(repr(choice.TYP) for choice in member.choices)
            raise DocumentError(f"{path}/typ: expected one of {allowed}")
        return normalize(concrete, item, path)
    try:
        return _canonical_scalar(member.kind, item, member.codes)
    except ValueError as error:
        raise DocumentError(f"{path}: {error}") from None


def to_typed(cls: type, data: dict[str, Any]) -> Any:
    """The dataclass instance of ``cls`` for a (canonical or service-delivered) JSON-form dict."""
    values: dict[str, Any] = {}
    for member in plan(cls):
        value = data.get(member.key)
        if value is None:
            continue
        items = value if member.many else [value]
        converted = [_typed_item(member, item) for item in items]
        values[member.key] = converted if member.many else converted[0]
    return cls(**values)


def _typed_item(member: Any, item: Any) -> Any:
    if member.kind is Kind.OBJECT:
        return to_typed(member.target, item)
    if member.kind is Kind.UNION:
        return to_typed(UNION_MEMBERS[item["typ"]], item)
    if member.kind is Kind.UUID:
        return UUID(item)
    if member.kind is Kind.DATE:
        return parse_date(item)
    if member.kind is Kind.DATETIME:
        return parse_datetime(item)
    return item
