"""HandicapBoligType (§4.10, §8): groups of dwellings in a building section with the same accessibility, and
their answers (HandicapRegistrering) to the question catalogue.

LBF's own catalogue was in the lost Bilag 2; bodata ships the catalogue below (decisions.md). HandicapBoligTypeRet
creates, changes and deletes types and answers by their ObjektStatusKode (0 none, 1 Opret, 2 Ret, 3 Slet).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bodata.huslejeregister.calls import Call, Caller, Handler, Refused, method_output, not_found
from bodata.huslejeregister.models import (
    Afdeling,
    Bolig,
    BoligVersion,
    Byggeafsnit,
    HandicapBoligType,
    HandicapRegistrering,
)
from bodata.huslejeregister.organisations import byggeafsnit_identification, find_byggeafsnit, find_organisation
from bodata.huslejeregister.rules import Finding, required

NONE, CREATE, UPDATE, DELETE = 0, 1, 2, 3
NUMERIC, TEXT, CHOICE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Question:
    """A question of the catalogue (HandicapSpoergsmaal) and, for choices, its answer options."""

    section: str
    ident: str
    text: str
    kind: int
    unit: str | None = None
    options: tuple[tuple[str, str], ...] = ()


_YES_NO = (("J", "Ja"), ("N", "Nej"))
CATALOGUE: tuple[Question, ...] = (
    Question("ADGANG", "A1", "Niveaufri adgang fra vej til bolig", CHOICE, options=_YES_NO),
    Question("ADGANG", "A2", "Antal trin til boligens hoveddør", NUMERIC, "stk"),
    Question(
        "ADGANG", "A3", "Elevator til boligens etage", CHOICE, options=(("J", "Ja"), ("N", "Nej"), ("D", "Delvis"))
    ),
    Question("ADGANG", "A4", "Fri bredde i hoveddøren", NUMERIC, "cm"),
    Question("BAD", "B1", "Fri gulvplads ved toilet (bredde)", NUMERIC, "cm"),
    Question("BAD", "B2", "Bruseniche uden kant", CHOICE, options=_YES_NO),
    Question("BAD", "B3", "Øvrige hjælpemidler i badeværelset", TEXT),
    Question("KOEKKEN", "K1", "Køkkenbord med justerbar højde", CHOICE, options=_YES_NO),
    Question("UDENDOERS", "U1", "Afstand til nærmeste handicapparkering", NUMERIC, "m"),
)
QUESTIONS = {question.ident: question for question in CATALOGUE}


def _question_output(question: Question, answer: HandicapRegistrering | None) -> dict[str, Any]:
    output: dict[str, Any] = {
        "HandicapSektionIdentifikator": question.section,
        "HandicapSpoergsmaalIdentifikator": question.ident,
        "HandicapSpoergsmaalTekst": question.text,
        "HandicapSpoergsmaalTypeKode": question.kind,
        "HandicapMaaleenhedEnhedSymbolTekst": question.unit,
        "HandicapSvarStruktur": [
            {"HandicapSvarIdentifikator": ident, "HandicapSvarTekst": text} for ident, text in question.options
        ],
    }
    if answer is not None:
        output["HandicapRegistreringStruktur"] = {
            "HandicapRegistreringNumeriskVaerdiKvantitet": answer.numerisk,
            "HandicapRegistreringTekstVaerdiTekst": answer.tekst,
            "HandicapSvarIdentifikator": answer.svar,
            "HandicapRegistreringIkkeRelevantIndikator": answer.ikke_relevant,
        }
    return output


def type_output(item: HandicapBoligType, byggeafsnit: Byggeafsnit) -> dict[str, Any]:
    """HandicapBoligTypeStruktur: the type and the whole catalogue with its answers."""
    answers = {answer.spoergsmaal: answer for answer in item.registreringer}
    return {
        "HandicapBoligTypeUnikIdentifikator": item.id,
        "ByggeafsnitIdentifikationStruktur": byggeafsnit_identification(byggeafsnit),
        "HandicapBoligTypeTitelTekst": item.titel,
        "HandicapBoligTypeBeskrivelseTekst": item.beskrivelse,
        "HandicapSpoergsmaalListe": {
            "HandicapSpoergsmaalStruktur": [_question_output(q, answers.get(q.ident)) for q in CATALOGUE]
        },
    }


def list_types(session: Session, organisation_id: uuid.UUID) -> list[dict[str, Any]]:
    """HandicapBoligTypeList: every type in the organisation's building sections."""
    statement = (
        select(HandicapBoligType, Byggeafsnit)
        .join(Byggeafsnit, HandicapBoligType.byggeafsnit_id == Byggeafsnit.id)
        .join(Afdeling, Byggeafsnit.afdeling_id == Afdeling.id)
        .where(Afdeling.boligorganisation_id == organisation_id)
        .order_by(Afdeling.nummer, Byggeafsnit.nummer, HandicapBoligType.titel)
    )
    return [type_output(item, byggeafsnit) for item, byggeafsnit in session.execute(statement)]


def ret_types(
    session: Session, caller: Caller, structures: Sequence[Mapping[str, Any]], *, save: bool
) -> list[Finding]:
    """HandicapBoligTypeRet / Valider: apply each structure by its ObjektStatusKode; all or nothing."""
    found: list[Finding] = []
    plans = []
    for structure in structures:
        status = structure.get(
            "ObjektStatusKode", UPDATE if structure.get("HandicapBoligTypeUnikIdentifikator") else CREATE
        )
        if status not in (NONE, CREATE, UPDATE, DELETE):
            raise Refused(f"ObjektStatusKode {status} findes ikke (0, 1, 2 eller 3)")
        item = None if status == CREATE else _existing(session, caller, structure)
        byggeafsnit = None
        if status == CREATE:
            wanted = structure.get("HandicapBoligTypeUnikIdentifikator")
            if wanted is not None and session.get(HandicapBoligType, wanted) is not None:
                raise Refused(f"HandicapBoligTypeUnikIdentifikator {wanted} kan ikke bruges til en ny type")
            ident = structure.get("ByggeafsnitIdentifikationStruktur")
            if ident is None:
                found.append(required("HandicapBoligType", "Byggeafsnit", "ByggeafsnitIdentifikationStruktur"))
            else:
                byggeafsnit = find_byggeafsnit(session, caller, ident)
        if status in (CREATE, UPDATE) and not (structure.get("HandicapBoligTypeTitelTekst") or "").strip():
            found.append(required("HandicapBoligType", "Titel", "HandicapBoligTypeTitelTekst"))
        if status == DELETE and item is not None and _in_use(session, item):
            raise Refused(f"HandicapBoligType {item.id} er knyttet til boliger og kan ikke slettes")
        answers = _answers(structure) if status != DELETE else []
        found += [finding for question, answer in answers for finding in _check_answer(question, answer)]
        plans.append((status, structure, item, byggeafsnit, answers))
    if found or not save:
        return found
    for status, structure, item, byggeafsnit, answers in plans:
        if status == DELETE:
            session.delete(item)
            continue
        if status == CREATE:
            item = HandicapBoligType(
                id=structure.get("HandicapBoligTypeUnikIdentifikator") or uuid.uuid4(),
                byggeafsnit_id=byggeafsnit.id,
                titel="",
                registreringer=[],
            )
            session.add(item)
        if status in (CREATE, UPDATE):
            item.titel = structure["HandicapBoligTypeTitelTekst"].strip()
            item.beskrivelse = structure.get("HandicapBoligTypeBeskrivelseTekst")
        _apply_answers(item, answers)
    session.flush()
    return found


def _existing(session: Session, caller: Caller, structure: Mapping[str, Any]) -> HandicapBoligType:
    ident = structure.get("HandicapBoligTypeUnikIdentifikator")
    if ident is None:
        raise Refused("HandicapBoligTypeUnikIdentifikator skal udfyldes for at rette eller slette")
    item = session.get(HandicapBoligType, ident)
    if item is not None:
        afdeling = session.get(Afdeling, session.get(Byggeafsnit, item.byggeafsnit_id).afdeling_id)
        if afdeling.boligorganisation_id in caller.organisation_ids:
            return item
    raise not_found(f"HandicapBoligType {ident}")


def _in_use(session: Session, item: HandicapBoligType) -> bool:
    """Whether a current version of a dwelling in the type's building section refers to it."""
    rows = session.scalars(
        select(BoligVersion.data)
        .join(Bolig, BoligVersion.entity_id == Bolig.id)
        .where(Bolig.byggeafsnit_id == item.byggeafsnit_id, BoligVersion.registered_to.is_(None))
    )
    return any(data.get("HandicapBoligTypeReference") == str(item.id) for data in rows)


def _answers(structure: Mapping[str, Any]) -> list[tuple[Question, Mapping[str, Any]]]:
    found = []
    questions = (structure.get("HandicapSpoergsmaalListe") or {}).get("HandicapSpoergsmaalStruktur", [])
    for question in questions:
        ident = question["HandicapSpoergsmaalIdentifikator"]
        if ident not in QUESTIONS:
            raise Refused(f"HandicapSpoergsmaal {ident} findes ikke i spørgsmålskataloget")
        if any(known.ident == ident for known, _ in found):
            raise Refused(f"HandicapSpoergsmaal {ident} er besvaret mere end én gang")
        answer = question.get("HandicapRegistreringStruktur")
        if answer is not None and answer.get("ObjektStatusKode", UPDATE) != NONE:
            found.append((QUESTIONS[ident], answer))
    return found


_ANSWER_ELEMENTS = {
    NUMERIC: ("NumeriskVaerdi", "HandicapRegistreringNumeriskVaerdiKvantitet"),
    TEXT: ("TekstVaerdi", "HandicapRegistreringTekstVaerdiTekst"),
    CHOICE: ("Svar", "HandicapSvarIdentifikator"),
}


def _check_answer(question: Question, answer: Mapping[str, Any]) -> list[Finding]:
    """An answer in the element of the question's kind (HandicapSpoergsmaalTypeKode), unless not relevant."""
    if answer.get("ObjektStatusKode") == DELETE or answer.get("HandicapRegistreringIkkeRelevantIndikator"):
        return []
    name, element = _ANSWER_ELEMENTS[question.kind]
    value = answer.get(element)
    if value is None or (question.kind == TEXT and not value.strip()):
        return [required("HandicapRegistrering", name, element)]
    if question.kind == CHOICE and value not in dict(question.options):
        raise Refused(f"HandicapSvar {value} findes ikke for HandicapSpoergsmaal {question.ident}")
    return []


def _apply_answers(item: HandicapBoligType, answers: Sequence[tuple[Question, Mapping[str, Any]]]) -> None:
    existing = {answer.spoergsmaal: answer for answer in item.registreringer}
    for question, answer in answers:
        row = existing.get(question.ident)
        if answer.get("ObjektStatusKode") == DELETE:
            if row is not None:
                item.registreringer.remove(row)
            continue
        if row is None:
            row = HandicapRegistrering(spoergsmaal=question.ident)
            item.registreringer.append(row)
        row.ikke_relevant = bool(answer.get("HandicapRegistreringIkkeRelevantIndikator"))
        row.numerisk = answer.get("HandicapRegistreringNumeriskVaerdiKvantitet")
        row.tekst = answer.get("HandicapRegistreringTekstVaerdiTekst")
        row.svar = answer.get("HandicapSvarIdentifikator")


# --- Handlers ---------------------------------------------------------------------------------------------------


def _handicap_list(call: Call) -> dict[str, Any]:
    ident = call.input["BoligorganisationIdentifikationStruktur"]
    organisation = find_organisation(call.session, call.caller, ident, by_unique=True)
    return {"HandicapBoligTypeStruktur": list_types(call.session, organisation.id)}


def _handicap_ret(save: bool) -> Handler:
    def handle(call: Call) -> dict[str, Any]:
        structures = call.input["HandicapBoligTypeStruktur"]
        return method_output(ret_types(call.session, call.caller, structures, save=save), call.operation)

    return handle


HANDLERS: dict[str, Handler] = {
    "HandicapBoligTypeList": _handicap_list,
    "HandicapBoligTypeRet": _handicap_ret(save=True),
    "HandicapBoligTypeValider": _handicap_ret(save=False),
}
