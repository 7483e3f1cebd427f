"""The texts a run stores, by code: why a group was excluded or warned about, and the run's message.

A run stores a code and its parameters (``br_run_issue.code``/``params``, ``br_integration_run.message_code``/
``message_params``), never a sentence, so the run report is shown in each reader's language; the Swedish msgids
below are the source texts (``bodata.core.i18n``). Rows from before the codes keep their stored text.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bodata.core.i18n import N_, NN_, Catalogue, Message, Translator

CATALOGUE = Catalogue(Path(__file__).parent / "locale")  # Swedish msgids; English in locale/en

ISSUE_REASONS: dict[str, Message] = {
    "refid_missing": N_("Referens ID saknas"),
    "refid_no_number": N_("Referens ID börjar inte med ett 4-siffrigt lantmäterinummer"),
    "refid_no_underscore": N_("det 4-siffriga numret följs inte av ett understreck"),
    "identifier_empty": N_("identifieraren efter understrecket är tom"),
    "identifier_too_long": N_("identifieraren efter understrecket har %(length)s tecken; högst %(max)s är tillåtna"),
    "conflicting_duplicates": N_(
        "grupperna %(groups)s har samma Referens ID men olika värden i Apartment number eller Floor"
    ),
    "duplicate_merged": N_("grupperna %(groups)s har samma Referens ID; deras boende slås ihop"),
    "floor_not_a_code": N_("Floor '%(floor)s' är ingen våningskod enligt Lantmäteriet; numrets våning används"),
    "floor_implausible": N_("våningskoden %(code)s är osannolik (våningsplan %(storey)s)"),
    "door_zero": N_("dörr 00 i %(number)s är osannolik: dörrarna räknas från 01"),
    "internal_number_too_long": N_("Apartment number '%(number)s' har fler än %(max)s tecken; det används inte"),
    "address_of_another_integration": N_(
        "adressen '%(address)s' tillhör en annan integration ('%(owner)s'); "
        "en integration ändrar aldrig en annans poster"
    ),
}

SOURCE_FAILURES: dict[str, Message] = {
    "unreachable": N_("Axema-systemet kunde inte nås"),
    "auth": N_("Axema-systemet nekade integrationskontot"),
    "http_error": N_("Axema-systemet svarade med ett fel"),
    "partial": N_("Axema-systemet lämnade ofullständiga data"),
    "invalid": N_("Axema-systemets svar gick inte att läsa"),
}

RUN_MESSAGES: dict[str, Message] = {
    "no_changes": N_("Inga ändringar i Axema sedan förra körningen."),
    "source_failed": N_("%(failure)s. Inget ändrades. Teknisk detalj: %(detail)s"),
    "no_b60": N_(
        "Axema-systemet har ingen domäncentral B60; integrationen kräver en "
        "(Axemas domäncentral B60 är ett krav). Inget ändrades."
    ),
    "needs_confirmation": N_(
        "Axema lämnade %(now)s boende; förra lyckade körningen hade %(previous)s (en minskning med %(drop)s %%, "
        "mer än tillåtna %(threshold)s %%). Inget ändrades: kontrollera Axema-systemet och kör sedan igen med "
        "bekräftelse för att genomföra borttagningarna."
    ),
    "internal_error": N_("Internt fel vid skrivningen; inget ändrades."),
    "interrupted": N_("Körningen avbröts (dess process stoppade); inget som inte var klart skrevs."),
    "busy": N_("Integrationen var upptagen med en annan körning."),
    "start_failed": N_("Körningen kunde inte starta: %(detail)s"),
    "retries_failed": N_("Nattens körning misslyckades %(attempts)s gånger. Senaste felet: %(error)s"),
}

_CHANGE_KINDS = {
    "addresses": N_("adresser"),
    "apartments": N_("lägenheter"),
    "residents": N_("boende"),
    "keys": N_("nycklar"),
}


def _counted(action: str, number: int) -> Message:
    if action == "created":
        return NN_("%(num)s skapad", "%(num)s skapade", number)
    if action == "updated":
        return NN_("%(num)s ändrad", "%(num)s ändrade", number)
    if action == "removed":
        return NN_("%(num)s borttagen", "%(num)s borttagna", number)
    return NN_("%(num)s återlämnad", "%(num)s återlämnade", number)


def issue_reason(code: str | None, params: Mapping[str, Any] | None, stored: str) -> Message | str:
    """An excluded group's or warning's reason from its code, or the text stored before codes."""
    template = ISSUE_REASONS.get(code or "")
    return stored if template is None else Message(template.msgid, dict(params or {}))


def run_message(translator: Translator, code: str | None, params: Mapping[str, Any] | None, stored: str) -> str:
    """A run's message (or an integration's alert) in the translator's language from its code, or the text stored
    before codes."""
    params = dict(params or {})
    if code == "changes":
        parts = []
        for kind, counts in params.get("changes", {}).items():
            done = [translator.render(_counted(action, number)) for action, number in counts.items() if number]
            if done and kind in _CHANGE_KINDS:
                parts.append(f"{translator.render(_CHANGE_KINDS[kind])}: {', '.join(done)}")
        return "; ".join(parts) + "."
    if code == "retries_failed":  # the last attempt's own message inside
        params["error"] = run_message(translator, params.get("code"), params.get("params"), "")
    if code == "source_failed":
        params["failure"] = translator.render(SOURCE_FAILURES.get(params.get("kind", ""), SOURCE_FAILURES["invalid"]))
    template = RUN_MESSAGES.get(code or "")
    return stored if template is None else translator.render(Message(template.msgid, params))
