"""The numbered validations of HuslejeregisterV3 (huslejeregister.md §2.6, §3.5, §4 and Appendix B): their texts
exactly as the document gives them (reconstructed numbers and values as the digest marks them, decisions.md),
the checks of one version's fields, and the result structures they are reported in.

Errors ("hårde valideringer") stop the call: nothing is saved. Infos ("bløde valideringer") are reported and the
data is saved.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

# ResultatTypeKode (Tabel 3)
OK, ERRORS, INFOS, ERRORS_AND_INFOS = 0, 20, 40, 60

TEXTS: dict[int, str] = {
    2001: "Bolig.Lejertype skal være 1 eller 4",
    2002: "Bolig.StoetteBerettigetArealAarsagKode skal være 1, 2, 3 eller 4",
    2003: "Hvis der er angivet kode 4 for Bolig.StoetteBerettigetArealAarsagKode, skal "
    "Bolig.StoetteBerettigetArealAarsagTekst være udfyldt",
    2004: "Bolig.Opvarmningsform skal være 1, 2, 3 eller 4",
    2005: "Bolig.Garage skal være 1, 2 eller 3",
    2006: "Bolig.Carport skal være 1, 2 eller 3",
    2007: "Bolig.UdvendigVedligeholdelseLejer skal være 1, 2 eller 3",
    2008: "Bolig.IndvendigVedligeholdelseLejer skal være 1 eller 2",
    2009: "Bolig.Boligtype skal være 1, 2, 3 eller 4",
    2010: "Bolig.StoetteBerettigetAreal skal være større end 0",
    2011: "Bolig.AntalBeboelsesrum skal være større end 0",
    2012: "Bolig.ArealFoer1998 skal være større end 0",
    2013: "Bolig.IkkeAktivStartDato skal være mindre end Bolig.IkkeAktivSlutDato",
    2014: "Alle faste Boligudgifter skal være indberettet, inden Boligen kan indberettes",
    2015: "Der skal være indberettet en Lejekontrakt, når Boligen indberettes",
    2016: "Bolig.URL skal indeholde en gyldig Url",
    2017: "Bolig.AktueltIndskud må ikke være mindre end 0",
    2018: "Bolig.AktueltDepositum må ikke være mindre end 0",
    2019: "Hvis Bolig.StoetteBerettigetAreal er angivet, skal Bolig.StoetteBerettigetArealAarsagKode være udfyldt",
    2020: "Hvis Bolig.StoetteBerettigetAreal ikke er angivet, må Bolig.StoetteBerettigetArealAarsagKode og "
    "Bolig.StoetteBerettigetArealAarsagTekst ikke angives",
    2021: "Bolig.AktueltIndskud eller Bolig.AktueltDepositum skal være angivet",
    2022: "Bolig.StoetteBerettigetAreal er det samme som Bruttoetageareal fra BBR",
    2023: "Alle faste Boligudgifter skal findes til alle Lejekontrakter med Lejekontrakt.StartDato efter {cutoff}, "
    "inden Boligen kan indberettes",
    2501: "Boligorganisation.NotifikationsEmails skal indeholde en semikolonsepareret liste af gyldige emailadresser",
    2601: "Afdeling.MinAlderAeldrebolig skal være større end 0",
    2602: "Afdeling.MaxAlderUngdomsbolig skal være større end 0",
    2701: "Regler for husdyr skal angives for alle boligtyper",
    2702: "Hvis AllehusdyrTilladt er true må KatTilladt, HundTilladt og MindreDyrTilladt ikke angives",
    2703: "Hvis AllehusdyrTilladt er false skal KatTilladt, HundTilladt og MindreDyrTilladt angives",
    5001: "Der må ikke være huller i virkningsperioder for en entitet",
    5002: "VirkningTil skal være null eller større end VirkningFra",
    5003: "VirkningFra skal være større end eller lig med {minimum}",
    5004: "VirkningFra skal angives.",
    5005: "En fremtidig version overskrives helt ved denne indberetning.",
}
INFO_NUMBERS = frozenset({2022, 2121, 2122, 2123, 2124, 2125, 2128, 2129, 2223, 5005})
"""The "bløde valideringer" (Appendix B): reported, and the data is saved."""

REQUIRED = 1000
"""The generic "<Entitet>.<Felt> skal udfyldes"."""

FIXED_EXPENSE_TYPES = tuple(range(1, 8))
"""Boligudgiftstyper 1-7: required before a Bolig is submitted (2014, 2023)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One validation error or info, with what it concerns (ValideringsfejlStruktur / ValideringsinfoStruktur)."""

    number: int
    text: str
    entity: str
    field: str | None = None
    reference: str | None = None
    effective_from: datetime | None = None

    @property
    def is_info(self) -> bool:
        return self.number in INFO_NUMBERS


def finding(
    number: int, entity: str, field: str | None = None, *, texts: Mapping[int, str] = TEXTS, **values: Any
) -> Finding:
    """Finding ``number`` with its text from ``texts`` (this module's catalogue unless an entity module passes
    its own), placeholders filled from ``values``."""
    return Finding(number, texts[number].format(**values), entity, field)


def required(entity: str, name: str, field: str) -> Finding:
    """Error 1000 for ``<entity>.<name>``; ``field`` is the element's full name."""
    return Finding(REQUIRED, f"{entity}.{name} skal udfyldes", entity, field)


def errors_in(findings: Iterable[Finding]) -> list[Finding]:
    return [item for item in findings if not item.is_info]


def method_result(findings: Iterable[Finding], function: str, *, created: uuid.UUID | None = None) -> dict[str, Any]:
    """MetodeResultatStruktur (or MetodeOpretResultatStruktur with ``created``) for the findings of one call.

    The top-level ResultatKode is 0 and ResultatTypeKode says whether there were errors, infos or both
    (decisions.md); each finding carries its own number.
    """
    findings = list(findings)
    errors = [item for item in findings if not item.is_info]
    infos = [item for item in findings if item.is_info]
    kind = {(False, False): OK, (True, False): ERRORS, (False, True): INFOS, (True, True): ERRORS_AND_INFOS}[
        (bool(errors), bool(infos))
    ]
    if errors:
        summary = f"{len(errors)} valideringsfejl; intet er gemt"
    elif infos:
        summary = f"OK med {len(infos)} valideringsinfo"
    else:
        summary = "OK"
    result: dict[str, Any] = {"ResultatStruktur": _result(kind, 0, summary)}
    if created is not None:
        result["EntitetReference"] = created
    result["ValideringsfejlStruktur"] = [_detail(item, function, "ValideringsfejlFunktionTekst") for item in errors]
    result["ValideringsinfoStruktur"] = [_detail(item, function, "ValideringsInfoFunktionTekst") for item in infos]
    return result


def _result(kind: int, number: int, text: str) -> dict[str, Any]:
    return {
        "ResultatIdentifikator": uuid.uuid4(),
        "ResultatTypeKode": kind,
        "ResultatKode": number,
        "ResultatTekst": text,
    }


def _detail(item: Finding, function: str, function_element: str) -> dict[str, Any]:
    return {
        "ResultatStruktur": _result(INFOS if item.is_info else ERRORS, item.number, item.text),
        "EntitetNavnTekst": item.entity,
        "EntitetReference": item.reference,
        "EntitetVirkningFraDatoTid": item.effective_from,
        function_element: function,
        "FeltNavnTekst": item.field,
    }


# --- Field rules of one version ---------------------------------------------------------------------------


def check_afdeling(version: Mapping[str, Any]) -> list[Finding]:
    """Tabel 10: the age limits."""
    found = []
    if (value := version.get("AfdelingMinAlderAeldreboligKvantitet")) is not None and value <= 0:
        found.append(finding(2601, "Afdeling", "AfdelingMinAlderAeldreboligKvantitet"))
    if (value := version.get("AfdelingMaxAlderUngdomsboligKvantitet")) is not None and value <= 0:
        found.append(finding(2602, "Afdeling", "AfdelingMaxAlderUngdomsboligKvantitet"))
    return found


_BYGGEAFSNIT_REQUIRED = (
    ("Antenneforening", "ByggeafsnitAntenneforeningIndikator"),
    ("FaellesTelefon", "ByggeafsnitPortTelefonIndikator"),  # the text keeps the field's old name (§7.2 item 8)
    ("Internetforbindelse", "ByggeafsnitInternetforbindelseIndikator"),
    ("Vaskeri", "ByggeafsnitVaskeriIndikator"),
)
_PET_FLAGS = ("HusdyrKatTilladtIndikator", "HusdyrHundTilladtIndikator", "HusdyrMindreDyrTilladtIndikator")
HOUSING_TYPES = (1, 2, 3, 4)


def check_byggeafsnit(version: Mapping[str, Any]) -> list[Finding]:
    """Tabel 13: the four facilities and the pet rules of every housing type."""
    found = [
        required("Byggeafsnit", name, field) for name, field in _BYGGEAFSNIT_REQUIRED if version.get(field) is None
    ]
    rules = version.get("HusdyrStruktur") or []
    for rule in rules:
        if rule.get("HusdyrTilladtIndikator") is None:
            found.append(required("Husdyr", "HusdyrTilladt", "HusdyrTilladtIndikator"))
        if rule.get("BoligTypeKode") is None:
            found.append(required("Husdyr", "Boligtype", "BoligTypeKode"))
        given = [rule.get(name) is not None for name in _PET_FLAGS]
        if rule.get("HusdyrTilladtIndikator") is True and any(given):
            found.append(finding(2702, "Husdyr", "HusdyrTilladtIndikator"))
        if rule.get("HusdyrTilladtIndikator") is False and not all(given):
            found.append(finding(2703, "Husdyr", "HusdyrTilladtIndikator"))
    if not set(HOUSING_TYPES) <= {rule.get("BoligTypeKode") for rule in rules}:
        found.append(finding(2701, "Byggeafsnit", "HusdyrStruktur"))
    return found


_BOLIG_REQUIRED = (
    ("BevaegelseshaemmetEgnet", "BoligBevaegelseshaemmetEgnetIndikator"),
    ("Boligtype", "BoligTypeKode"),
    ("Carport", "BoligCarportKode"),
    ("Garage", "BoligGarageKode"),
    ("IndvendigVedligeholdelseLejer", "BoligIndvendigVedligeholdelseLejerKode"),
    ("KoekkenKunForLejer", "BoligKoekkenKunForLejerIndikator"),
    ("Kollegievaerelse", "BoligKollegievaerelseIndikator"),
    ("Opvarmningsform", "BoligOpvarmningsformKode"),
    ("UdvendigVedligeholdelseLejer", "BoligUdvendigVedligeholdelseLejerKode"),
    ("Lejertype", "BoligLejerTypeKode"),
)
_BOLIG_CODES = (
    (2001, "BoligLejerTypeKode", (1, 4)),
    (2002, "BoligStoetteBerettigetArealAarsagKode", (1, 2, 3, 4)),
    (2004, "BoligOpvarmningsformKode", (1, 2, 3, 4)),
    (2005, "BoligGarageKode", (1, 2, 3)),
    (2006, "BoligCarportKode", (1, 2, 3)),
    (2007, "BoligUdvendigVedligeholdelseLejerKode", (1, 2, 3)),
    (2008, "BoligIndvendigVedligeholdelseLejerKode", (1, 2)),
    (2009, "BoligTypeKode", (1, 2, 3, 4)),
)
_BOLIG_POSITIVE = (
    (2010, "BoligStoetteBerettigetArealKvantitet"),
    (2011, "BoligAntalBeboelsesrumKvantitet"),
    (2012, "BoligArealFoer1998Kvantitet"),
)
_URL = re.compile(r"^(https?://)?[^\s/:?#.]+(\.[^\s/:?#.]+)+(:\d{1,5})?([/?#]\S*)?$", re.IGNORECASE)


def valid_url(value: str) -> bool:
    """A web address with a host name containing at least one dot (V2: "minimum et punktum")."""
    return bool(_URL.match(value.strip()))


def check_bolig(version: Mapping[str, Any], *, bbr_area: Decimal | None) -> list[Finding]:
    """Tabel 16 and 17, the rules of one version (2014, 2015 and 2023 concern the dwelling: see the service)."""
    found = [required("Bolig", name, field) for name, field in _BOLIG_REQUIRED if version.get(field) is None]
    for number, field, allowed in _BOLIG_CODES:
        if version.get(field) is not None and version[field] not in allowed:
            found.append(finding(number, "Bolig", field))
    for number, field in _BOLIG_POSITIVE:
        if version.get(field) is not None and version[field] <= 0:
            found.append(finding(number, "Bolig", field))
    area = version.get("BoligStoetteBerettigetArealKvantitet")
    reason = version.get("BoligStoetteBerettigetArealAarsagKode")
    reason_text = version.get("BoligStoetteBerettigetArealAarsagTekst")
    if reason == 4 and not (reason_text or "").strip():
        found.append(finding(2003, "Bolig", "BoligStoetteBerettigetArealAarsagTekst"))
    if area is not None and reason is None:
        found.append(finding(2019, "Bolig", "BoligStoetteBerettigetArealAarsagKode"))
    if area is None and (reason is not None or reason_text is not None):
        found.append(finding(2020, "Bolig", "BoligStoetteBerettigetArealAarsagKode"))
    start, end = version.get("BoligIkkeAktivStartDato"), version.get("BoligIkkeAktivSlutDato")
    if start is not None and end is not None and not start < end:
        found.append(finding(2013, "Bolig", "BoligIkkeAktivStartDato"))
    url = version.get("BoligURLTekst")
    if url is not None and not valid_url(url):
        found.append(finding(2016, "Bolig", "BoligURLTekst"))
    deposit, security = version.get("BoligAktueltIndskudBeloeb"), version.get("BoligAktueltDepositumBeloeb")
    if deposit is not None and deposit < 0:
        found.append(finding(2017, "Bolig", "BoligAktueltIndskudBeloeb"))
    if security is not None and security < 0:
        found.append(finding(2018, "Bolig", "BoligAktueltDepositumBeloeb"))
    if deposit is None and security is None:
        found.append(finding(2021, "Bolig", "BoligAktueltIndskudBeloeb"))
    if area is not None and bbr_area is not None and area == bbr_area:
        found.append(finding(2022, "Bolig", "BoligStoetteBerettigetArealKvantitet"))
    return found


_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,.]+$")


def valid_email_list(value: str | None) -> bool:
    """A semicolon-separated list of e-mail addresses (empty: none); blanks around addresses are allowed."""
    if value is None or not value.strip():
        return True
    addresses = [part.strip() for part in value.split(";")]
    if addresses[-1] == "":
        addresses.pop()  # a trailing semicolon
    return all(_EMAIL.match(address) for address in addresses)


def check_indstilling(settings: Mapping[str, Any]) -> list[Finding]:
    """Tabel 42: both address fields must be lists of valid e-mail addresses (decisions.md)."""
    return [
        finding(2501, "Indstilling", field)
        for field in ("IndstillingNotifikationsEmailsTekst", "IndstillingNotifikationNyeEnhederEmailsTekst")
        if not valid_email_list(settings.get(field))
    ]
