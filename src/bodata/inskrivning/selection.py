"""``includeData`` and ``excludePersonid``: which parts of a registration a request gets (digest §2, §5.1).

:func:`parse_include_data` applies the combination rules and names every broken one; :func:`select` cuts a
stored (``total``) document down to the requested subsets and removes or keeps personal identity numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, get_args

from bodata.inskrivning.datatypes import IncludeData

INCLUDE_DATA_VALUES: tuple[str, ...] = get_args(IncludeData)
TOTAL = frozenset(
    {
        "inskrivningsfastighet",
        "agareAlla",
        "forvarv",
        "avtalsrattighet",
        "inteckning",
        "anteckning",
        "tomtrattsupplatelse",
    }
)
"""What ``total`` ("allt") stands for: every subset, with the full ownership history (digest §7.3.2)."""


class IncludeDataError(ValueError):
    """``includeData`` breaks the specification's rules; ``problems`` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_include_data(raw: Iterable[str]) -> frozenset[str]:
    """The subsets requested by the ``includeData`` values (comma lists, or the parameter repeated).

    No value means nothing optional (§2.3 rule 5). ``total`` is returned expanded.
    """
    requested = [item.strip() for value in raw for item in value.split(",") if item.strip()]
    problems = [
        f"Unknown includeData value {item!r}; allowed values: {', '.join(INCLUDE_DATA_VALUES)}"
        for item in dict.fromkeys(requested)
        if item not in INCLUDE_DATA_VALUES
    ]
    subsets = frozenset(requested)
    if "agareAktuella" in subsets and "agareAlla" in subsets:
        problems.append("includeData: only one of agareAktuella and agareAlla can be chosen")
    if "forvarv" in subsets and not subsets & {"agareAktuella", "agareAlla"}:
        problems.append("includeData: forvarv must be combined with agareAktuella or agareAlla")
    if "total" in subsets and len(subsets) > 1:
        problems.append("includeData: total cannot be combined with other subsets")
    if problems:
        raise IncludeDataError(problems)
    return TOTAL if "total" in subsets else subsets


_INSKRIVNINGSFASTIGHET = ("irfastighet", "omrade", "pagaendeArende", "gruppinformation")


def select(document: dict[str, Any], subsets: frozenset[str], *, exclude_personid: bool) -> dict[str, Any]:
    """The parts of a stored registration that ``subsets`` ask for, in table order."""
    result: dict[str, Any] = {
        "objektidentitet": document["objektidentitet"],
        "fastighetsreferens": document["fastighetsreferens"],
    }
    if "inskrivningsfastighet" in subsets:
        for key in _INSKRIVNINGSFASTIGHET:
            if key in document:
                result[key] = document[key]
    if "tomtrattsupplatelse" in subsets and "tomtrattsupplatelse" in document:
        result["tomtrattsupplatelse"] = document["tomtrattsupplatelse"]
    belastar = _encumbrances(document.get("belastar", ()), subsets)
    if belastar:
        result["belastar"] = belastar
    if "inteckning" in subsets and "utstrackningSoktI" in document:
        result["utstrackningSoktI"] = document["utstrackningSoktI"]
    if "anteckning" in subsets and "anteckning" in document:
        result["anteckning"] = document["anteckning"]
    _select_ownership(document, subsets, result, exclude_personid=exclude_personid)
    return result


def _encumbrances(belastar: Iterable[dict[str, Any]], subsets: frozenset[str]) -> list[dict[str, Any]]:
    mortgages, rights = "inteckning" in subsets, "avtalsrattighet" in subsets
    if mortgages and rights:
        return list(belastar)
    if not (mortgages or rights):
        return []
    return [entry for entry in belastar if (entry["inskrivenBelastning"]["typ"] == "Inteckning") == mortgages]


def _select_ownership(
    document: dict[str, Any], subsets: frozenset[str], result: dict[str, Any], *, exclude_personid: bool
) -> None:
    if not subsets & {"agareAktuella", "agareAlla"}:
        return
    current = document.get("agande", [])
    if current:
        result["agande"] = [_owner_view(item, exclude_personid) for item in current]
    if "agareAlla" in subsets and "tidigareAgande" in document:
        result["tidigareAgande"] = [_owner_view(item, exclude_personid) for item in document["tidigareAgande"]]
    if "forvarv" not in subsets:
        return
    changes = document.get("fastighetsagandeforandring", [])
    if "agareAktuella" in subsets:
        current_ids = {item["objektidentitet"] for item in current}
        changes = [change for change in changes if any(f["inskrivetAgande"] in current_ids for f in change["fang"])]
    if changes:
        result["fastighetsagandeforandring"] = changes


def _owner_view(ownership: dict[str, Any], exclude_personid: bool) -> dict[str, Any]:
    """An ownership with either the identity numbers (normal) or the address-file references (excludePersonid)."""
    owner = ownership.get("agare")
    if owner is None:
        return ownership
    return {**ownership, "agare": _agare_view(owner, exclude_personid)}


def is_personal_number(idnummer: str) -> bool:
    """Whether ``IDnummer`` identifies a natural person: a personnummer, a samordningsnummer (day + 60) or
    another number in their form, rather than an organisationsnummer (whose month digits are 20 or more).

    Decided by the number, not by the object that holds it (an organisation may own as ``UtlandskAgare`` or with
    no object at all); a number of neither form is treated as personal, so it is withheld.
    """
    digits = "".join(ch for ch in idnummer if ch.isdigit())
    if len(digits) == 12:
        if digits.startswith("16"):  # organisationsnummer with the prefix 16
            return False
        digits = digits[2:]
    return len(digits) != 10 or int(digits[2:4]) < 20


def _agare_view(owner: dict[str, Any], exclude_personid: bool) -> dict[str, Any]:
    view = dict(owner)
    if exclude_personid:
        if is_personal_number(view.get("idnummer", "")):
            view.pop("idnummer", None)
        if "person" in view:
            view["person"] = {k: v for k, v in view["person"].items() if k != "personnummer"}
    else:
        view.pop("personId", None)
        for key in ("person", "organisation"):
            if key in view:
                view[key] = {k: v for k, v in view[key].items() if k != "id"}
    return view
