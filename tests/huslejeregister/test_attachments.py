"""Bilag (huslejeregister.md §4.9): the type codes and content checks on their own, the six operations' handlers on
the real database (SQLite and PostgreSQL), and end to end with zeep over a live server, real base64 content read
back byte for byte.

One database and server per module (``hr_module_service``): each test takes fresh Bilag numbers (:func:`number`)
and the List tests have parents of their own. Anvisningsaftaler are written straight into the tables
(:func:`agreements`); their methods are another module's.
"""

from __future__ import annotations

import io
import itertools
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import zeep
from sqlalchemy import select

from bodata.huslejeregister import attachments, rules
from bodata.huslejeregister.api import answer
from bodata.huslejeregister.calls import Call, Caller, Refused, RegisterRules
from bodata.huslejeregister.models import Afdeling, Anvisningsaftale, Bilag, Boligorganisation
from bodata.huslejeregister.soap import SoapFault

from .conftest import USERS, HrService, afd_ident, bolig_ident, sec_ident, unit_id

NOT_FOUND = "findes ikke eller administreres ikke af brugeren"
ONE_PARENT = "Præcis én af AfdelingIdentifikationStruktur"

# --- Contents -----------------------------------------------------------------------------------------------

ALL_BYTES = bytes(range(256))
"""Every byte value, so that a round trip proves the content is kept byte for byte."""
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + ALL_BYTES * 4
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + ALL_BYTES
GIF = b"GIF89a\x01\x00\x01\x00" + ALL_BYTES
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + ALL_BYTES + b"\n%%EOF\n"
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + ALL_BYTES
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + ALL_BYTES
WEBM = b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webm" + ALL_BYTES
OGG = b"OggS\x00\x02\x00\x00" + ALL_BYTES
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + ALL_BYTES
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx(*, macro: bool = False, word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if word:
            archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


DOCX = docx()

_numbers = itertools.count(100)


def number() -> int:
    """A Bilag number no other test of the module uses."""
    return next(_numbers)


# --- The codes and the content checks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "parents", "formats"),
    [
        (1001, {"Anvisningsaftale"}, attachments.DOCUMENTS),
        (1040, {"Anvisningsaftale"}, attachments.DOCUMENTS),
        (1511, {"Anvisningsaftale"}, attachments.DOCUMENTS),
        (2000, {"Afdeling", "Byggeafsnit", "Bolig"}, attachments.PLANS),
        (2999, {"Afdeling", "Byggeafsnit", "Bolig"}, attachments.PLANS),
        (3000, {"Afdeling", "Byggeafsnit", "Bolig"}, attachments.PICTURES),
        (3999, {"Afdeling", "Byggeafsnit", "Bolig"}, attachments.PICTURES),
        (4000, {"Afdeling", "Byggeafsnit", "Bolig"}, attachments.ANIMATIONS),
        (4999, {"Afdeling", "Byggeafsnit", "Bolig"}, attachments.ANIMATIONS),
        (5000, {"Afdeling", "Byggeafsnit", "Bolig"}, attachments.OTHER),
        *((old, set(), ()) for old in range(1, 6)),
        *((bad, set(), ()) for bad in (0, -1, 6, 999, 1000, 1512, 1999, 5001, 6000)),
    ],
)
def test_type_codes_by_parent(code: int, parents: set[str], formats: tuple) -> None:
    assert attachments.formats_of(code) == formats
    for kind in ("Afdeling", "Byggeafsnit", "Bolig", "Anvisningsaftale"):
        assert attachments.valid_code(code, kind) == (kind in parents), kind


def test_magic_bytes_decide_the_format() -> None:
    samples = {
        attachments.GIF: [GIF, b"GIF87a" + ALL_BYTES],
        attachments.PNG: [PNG],
        attachments.JPEG: [JPEG],
        attachments.PDF: [PDF],
        attachments.DOC: [DOC],
        attachments.DOCX: [DOCX],
        attachments.MP4: [MP4],
        attachments.WEBM: [WEBM],
        attachments.OGG: [OGG],
    }
    for expected, contents in samples.items():
        for content in contents:
            assert attachments.detect(content) is expected
    for content in (
        EXE,
        b"",
        b"PNG",
        b"%PDF",
        docx(macro=True),
        docx(word=False),
        b"PK\x03\x04broken",
        b"\x1aE\xdf\xa3mkv",
    ):
        assert attachments.detect(content) is None, content[:16]


@pytest.mark.parametrize(
    ("code", "name", "mimetype", "content"),
    [
        (3001, "facade.png", "image/png", PNG),
        (3001, "Facade.JPG", "image/jpeg", JPEG),
        (3001, "facade.jpeg", "IMAGE/JPG; foo=bar", JPEG),
        (3001, "facade.gif", "image/gif", GIF),
        (2002, "plan.pdf", "application/pdf", PDF),
        (2002, "plan.doc", "application/msword", DOC),
        (2002, "plan.docx", DOCX_MIME, DOCX),
        (2002, "plan.png", "image/png", PNG),
        (4001, "rundtur.mp4", "video/mp4", MP4),
        (4001, "rundtur.webm", "video/webm", WEBM),
        (4001, "rundtur.ogv", "video/ogg", OGG),
        (5000, "andet.pdf", "application/pdf", PDF),
        (1040, "aftale.pdf", "application/pdf", PDF),
        (1001, "aftale.docx", DOCX_MIME, DOCX),
    ],
)
def test_supported_formats_are_accepted(code: int, name: str, mimetype: str, content: bytes) -> None:
    assert attachments.check_content(code, name, mimetype, content) is attachments.detect(content)


@pytest.mark.parametrize(
    ("code", "name", "mimetype", "content", "message"),
    [
        (3001, "facade.pdf", "application/pdf", PDF, "Bilag.Mimetype application/pdf understøttes ikke for bilagstype"),
        (5000, "andet.png", "image/png", PNG, "tilladt: application/pdf"),
        (3001, "facade.mp4", "video/mp4", MP4, "understøttes ikke"),
        (4001, "rundtur.png", "image/png", PNG, "understøttes ikke"),
        (1040, "aftale.png", "image/png", PNG, "understøttes ikke"),
        (
            2002,
            "plan.pdf",
            "application/pdf",
            PNG,
            "Bilag.Data er ikke PDF, som Bilag.Mimetype application/pdf angiver: indholdet er PNG",
        ),
        (3001, "virus.jpg", "image/jpeg", EXE, "indholdet er ikke et understøttet format"),
        (3001, "facade.png", "image/png", JPEG, "indholdet er JPEG"),
        (2002, "plan.docx", DOCX_MIME, docx(macro=True), "Bilag.Data er ikke Word (.docx)"),
        (2002, "plan.docx", DOCX_MIME, b"PK\x03\x04" + ALL_BYTES, "Bilag.Data er ikke Word (.docx)"),
        (3001, "facade.jpg", "image/png", PNG, "Bilag.Navn facade.jpg skal have filtypen .png"),
        (3001, "facade.png.exe", "image/png", PNG, "skal have filtypen .png"),
        (3001, "facade", "image/jpeg", JPEG, "skal have filtypen .jpg eller .jpeg"),
        (3001, "../../facade.png", "image/png", PNG, "Bilag.Navn skal være et filnavn"),
        (3001, "c:\\facade.png", "image/png", PNG, "Bilag.Navn skal være et filnavn"),
        (3001, "fa\x00cade.png", "image/png", PNG, "Bilag.Navn skal være et filnavn"),
        (3001, "facade.png", "text/html", PNG, "Bilag.Mimetype text/html understøttes ikke"),
    ],
)
def test_content_that_does_not_fit_is_a_fault(
    code: int, name: str, mimetype: str, content: bytes, message: str
) -> None:
    with pytest.raises(Refused) as refused:
        attachments.check_content(code, name, mimetype, content)
    assert message in refused.value.message


# --- The handlers on the database ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmallLimit(RegisterRules):
    """An installation with its own Bilag size limit."""

    attachment_max_bytes: int = len(PNG)


@dataclass(frozen=True)
class Agreements:
    own: Anvisningsaftale
    own_reference: str
    by_department: Anvisningsaftale
    bobs: Anvisningsaftale
    bobs_by_department: Anvisningsaftale
    deleted: Anvisningsaftale


@pytest.fixture(scope="module")
def agreements(hr_module_service: HrService) -> Agreements:
    """Allocation agreements: two of alice's (organisation 501, and department 501-2), two of bob's, one deleted."""
    with hr_module_service.database.transaction() as session:

        def org(number: int) -> uuid.UUID:
            return session.scalar(select(Boligorganisation.id).where(Boligorganisation.nummer == number))

        def afd(organisation: int, department: int) -> uuid.UUID:
            return session.scalar(
                select(Afdeling.id).where(
                    Afdeling.boligorganisation_id == org(organisation), Afdeling.nummer == department
                )
            )

        rows = Agreements(
            own=Anvisningsaftale(boligorganisation_id=org(501), ekstern_reference="bilag-test-aftale-501"),
            own_reference="bilag-test-aftale-501",
            by_department=Anvisningsaftale(afdeling_id=afd(501, 2), ekstern_reference="bilag-test-aftale-501-2"),
            bobs=Anvisningsaftale(boligorganisation_id=org(503), ekstern_reference="bilag-test-aftale-503"),
            bobs_by_department=Anvisningsaftale(afdeling_id=afd(503, 1)),
            deleted=Anvisningsaftale(boligorganisation_id=org(501), slettet=datetime.now(UTC)),
        )
        session.add_all([rows.own, rows.by_department, rows.bobs, rows.bobs_by_department, rows.deleted])
        session.flush()
        session.expunge_all()
        return rows


def handle(
    hr: HrService,
    operation: str,
    arguments: dict[str, Any],
    *,
    user: str = "alice",
    register: RegisterRules | None = None,
) -> dict[str, Any]:
    """One operation through its handler in one transaction, rolled back on validation errors as the api does."""
    organisations = frozenset(hr.register.organisation_ids[n] for n in USERS[user].organisations)
    with hr.database.transaction() as session:
        call = Call(
            session, Caller(user, organisations), arguments, datetime.now(UTC), register or RegisterRules(), operation
        )
        output = answer(attachments.HANDLERS[operation], call)
        result = output.get("MetodeResultatStruktur") or output.get("MetodeOpretResultatStruktur") or {}
        if result.get("ResultatStruktur", {}).get("ResultatTypeKode") in (rules.ERRORS, rules.ERRORS_AND_INFOS):
            session.rollback()
        return output


def errors(output: dict[str, Any]) -> set[tuple[int, str, str]]:
    """(number, field, text) of each error of a MetodeResultatStruktur or MetodeOpretResultatStruktur."""
    result = output.get("MetodeResultatStruktur") or output["MetodeOpretResultatStruktur"]
    assert not result["ValideringsinfoStruktur"]
    found = {
        (item["ResultatStruktur"]["ResultatKode"], item["FeltNavnTekst"], item["ResultatStruktur"]["ResultatTekst"])
        for item in result["ValideringsfejlStruktur"]
    }
    assert result["ResultatStruktur"]["ResultatTypeKode"] == (rules.ERRORS if found else rules.OK)
    return found


def afdeling(organisation: int = 501, department: int = 3) -> dict[str, Any]:
    return {"AfdelingIdentifikationStruktur": afd_ident(organisation, department)}


def byggeafsnit(organisation: int = 501, department: int = 2, section: int = 1) -> dict[str, Any]:
    return {"ByggeafsnitIdentifikationStruktur": sec_ident(organisation, department, section)}


def bolig(*numbers: int) -> dict[str, Any]:
    return {"BoligIdentifikationStruktur": {"BuildingUnitUniversalIdentifier": unit_id(*(numbers or (501, 1, 1, 3)))}}


def agreement(item: Anvisningsaftale | None = None, *, reference: str | None = None) -> dict[str, Any]:
    ident = {"EksternReference": reference} if reference else {"AnvisningsaftaleUnikIdentifikator": item.id}
    return {"AnvisningsaftaleIdentifikationStruktur": ident}


def bilag(parent: dict[str, Any], nummer: int | None, **fields: Any) -> dict[str, Any]:
    """A BilagStruktur: a valid picture (3001, PNG) unless ``fields`` say otherwise (None leaves one out)."""
    values = {
        "BilagTypeKode": 3001,
        "BilagNavnTekst": "facade.png",
        "BilagIndholdData": PNG,
        "BilagBeskrivelseTekst": "Facaden mod syd",
        "BilagMimetypeTekst": "image/png",
    } | fields
    ident = {**parent, "BilagIdentifikator": nummer}
    return {"BilagIdentifikationStruktur": ident, **{k: v for k, v in values.items() if v is not None}}


def opret(hr: HrService, structure: dict[str, Any], **options: Any) -> dict[str, Any]:
    return handle(hr, "BilagOpret", {"BilagStruktur": structure}, **options)


def stored(hr: HrService, bilag_id: uuid.UUID) -> Bilag | None:
    with hr.database.transaction() as session:
        found = session.get(Bilag, bilag_id)
        if found is not None:
            session.expunge(found)
        return found


def rows(hr: HrService) -> list[tuple[Any, ...]]:
    with hr.database.transaction() as session:
        return [
            (row.id, row.nummer, row.typekode, row.navn, row.mimetype, row.beskrivelse, row.indhold, row.aendret)
            for row in session.scalars(select(Bilag).order_by(Bilag.id))
        ]


def test_opret_on_each_kind_of_parent_and_read_back(hr_module_service: HrService, agreements: Agreements) -> None:
    hr = hr_module_service
    cases = [
        (
            afdeling(),
            {
                "BilagTypeKode": 4001,
                "BilagNavnTekst": "rundtur.webm",
                "BilagIndholdData": WEBM,
                "BilagMimetypeTekst": "video/webm",
            },
        ),
        (
            byggeafsnit(),
            {
                "BilagTypeKode": 2001,
                "BilagNavnTekst": "plan.docx",
                "BilagIndholdData": DOCX,
                "BilagMimetypeTekst": DOCX_MIME,
            },
        ),
        (
            bolig(),
            {
                "BilagTypeKode": 3001,
                "BilagNavnTekst": "stue.jpg",
                "BilagIndholdData": JPEG,
                "BilagMimetypeTekst": "image/jpg",
            },
        ),
        (
            agreement(agreements.own),
            {
                "BilagTypeKode": 1040,
                "BilagNavnTekst": "aftale.pdf",
                "BilagIndholdData": PDF,
                "BilagMimetypeTekst": "application/pdf",
            },
        ),
        (
            agreement(reference=agreements.own_reference),
            {
                "BilagTypeKode": 1001,
                "BilagNavnTekst": "a.doc",
                "BilagIndholdData": DOC,
                "BilagMimetypeTekst": "application/msword",
            },
        ),
        (
            agreement(agreements.by_department),
            {
                "BilagTypeKode": 1511,
                "BilagNavnTekst": "b.pdf",
                "BilagIndholdData": PDF,
                "BilagMimetypeTekst": "application/pdf",
            },
        ),
    ]
    for parent, fields in cases:
        nummer = number()
        output = opret(hr, bilag(parent, nummer, **fields))
        assert errors(output) == set()
        created = output["MetodeOpretResultatStruktur"]["EntitetReference"]
        answer = handle(hr, "BilagHent", {"BilagIdentifikationStruktur": {**parent, "BilagIdentifikator": nummer}})[
            "BilagStruktur"
        ]
        ident = answer["BilagIdentifikationStruktur"]
        assert ident["BilagUnikIdentifikator"] == created
        assert ident["BilagIdentifikator"] == nummer
        assert answer["BilagIndholdData"] == fields["BilagIndholdData"]
        assert answer["BilagTypeKode"] == fields["BilagTypeKode"]
        assert answer["BilagNavnTekst"] == fields["BilagNavnTekst"]
        assert answer["BilagBeskrivelseTekst"] == "Facaden mod syd"
        # the MIME type is stored in its canonical spelling
        assert answer["BilagMimetypeTekst"] == (
            "image/jpeg" if fields["BilagMimetypeTekst"] == "image/jpg" else fields["BilagMimetypeTekst"]
        )
        [element] = [name for name in ident if name.endswith("IdentifikationStruktur")]
        assert element == next(iter(parent))
    # the parent identification is answered in full
    answer = handle(hr, "BilagList", agreement(reference=agreements.own_reference))["BilagStruktur"]
    assert {
        item["BilagIdentifikationStruktur"]["AnvisningsaftaleIdentifikationStruktur"]["EksternReference"]
        for item in answer
    } == {agreements.own_reference}
    answer = handle(hr, "BilagList", afdeling())["BilagStruktur"]
    organisation = answer[0]["BilagIdentifikationStruktur"]["AfdelingIdentifikationStruktur"][
        "BoligorganisationIdentifikationStruktur"
    ]
    assert organisation["BoligorganisationIdentifikator"] == 501


def test_list_gives_every_bilag_of_the_parent_by_number_without_content(hr_module_service: HrService) -> None:
    hr = hr_module_service
    parent = byggeafsnit(501, 1, 1)
    assert handle(hr, "BilagList", parent) == {"BilagStruktur": []}
    numbers = [number() for _ in range(3)]
    for nummer in reversed(numbers):
        assert errors(opret(hr, bilag(parent, nummer, BilagNavnTekst=f"{nummer}.png"))) == set()
    assert errors(opret(hr, bilag(byggeafsnit(501, 1, 2), numbers[0]))) == set()  # another parent's
    listed = handle(hr, "BilagList", parent)["BilagStruktur"]
    assert [item["BilagIdentifikationStruktur"]["BilagIdentifikator"] for item in listed] == numbers
    assert [item["BilagNavnTekst"] for item in listed] == [f"{n}.png" for n in numbers]
    assert all(item["BilagIndholdData"] is None and item["BilagMimetypeTekst"] == "image/png" for item in listed)


def test_required_fields_are_error_1000(hr_module_service: HrService) -> None:
    hr = hr_module_service
    before = rows(hr)
    cases = {
        "BilagIndholdData": "Bilag.Data skal udfyldes",
        "BilagMimetypeTekst": "Bilag.Mimetype skal udfyldes",
        "BilagNavnTekst": "Bilag.Navn skal udfyldes",
        "BilagTypeKode": "Bilag.Type skal udfyldes",
    }
    for operation in ("BilagOpret", "BilagValider"):
        for field, text in cases.items():
            for missing in (None, b"" if field == "BilagIndholdData" else " " if field != "BilagTypeKode" else None):
                output = handle(hr, operation, {"BilagStruktur": bilag(afdeling(), number(), **{field: missing})})
                assert errors(output) == {(1000, field, text)}, (operation, field)
        output = handle(hr, operation, {"BilagStruktur": bilag(afdeling(), None)})
        assert errors(output) == {(1000, "BilagIdentifikator", "Bilag.Nummer skal udfyldes")}
        everything = bilag(afdeling(), None, **dict.fromkeys(cases))
        assert {item[2] for item in errors(handle(hr, operation, {"BilagStruktur": everything}))} == {
            *cases.values(),
            "Bilag.Nummer skal udfyldes",
        }
    # the description is optional
    assert errors(opret(hr, bilag(afdeling(), number(), BilagBeskrivelseTekst=None))) == set()
    assert errors(handle(hr, "BilagRet", {"BilagStruktur": bilag(afdeling(), None)})) == {
        (1000, "BilagIdentifikator", "Bilag.Nummer skal udfyldes")
    }
    slet = handle(hr, "BilagSlet", {"BilagIdentifikationStruktur": afdeling()})
    assert errors(slet) == {(1000, "BilagIdentifikator", "Bilag.Nummer skal udfyldes")}
    assert len(rows(hr)) == len(before) + 1
    assert opret(hr, bilag(afdeling(), None))["MetodeOpretResultatStruktur"].get("EntitetReference") is None


def test_a_number_is_unique_within_its_parent_2901(hr_module_service: HrService, agreements: Agreements) -> None:
    hr = hr_module_service
    nummer = number()
    assert errors(opret(hr, bilag(bolig(), nummer))) == set()
    before = rows(hr)
    duplicate = opret(hr, bilag(bolig(), nummer, BilagNavnTekst="other.png"))
    assert errors(duplicate) == {(2901, "BilagIdentifikator", "Bilag.Nummer findes allerede")}
    assert duplicate["MetodeOpretResultatStruktur"].get("EntitetReference") is None
    # reported with the other numbered errors, before any content check
    both = opret(hr, bilag(bolig(), nummer, BilagTypeKode=1, BilagMimetypeTekst="video/mp4"))
    assert {item[0] for item in errors(both)} == {2901, 2902}
    assert rows(hr) == before
    # the same number in other parents is fine
    for parent in (bolig(501, 1, 1, 2), afdeling(), byggeafsnit()):
        assert errors(opret(hr, bilag(parent, nummer))) == set()
    assert (
        errors(
            opret(
                hr,
                bilag(
                    agreement(agreements.own),
                    nummer,
                    BilagTypeKode=1002,
                    BilagNavnTekst="x.pdf",
                    BilagIndholdData=PDF,
                    BilagMimetypeTekst="application/pdf",
                ),
            )
        )
        == set()
    )
    # Valider of an existing number validates as Ret: no 2901
    assert errors(handle(hr, "BilagValider", {"BilagStruktur": bilag(bolig(), nummer)})) == set()


@pytest.mark.parametrize("code", [1, 2, 3, 4, 5, 0, 999, 1000, 1512, 1999, 5001, 9999, 1001, 1511])
def test_invalid_type_codes_are_2902(hr_module_service: HrService, code: int) -> None:
    """Old codes and codes outside the ranges; document codes are only for Anvisningsaftaler."""
    hr = hr_module_service
    before = rows(hr)
    for operation in ("BilagOpret", "BilagValider"):
        output = handle(hr, operation, {"BilagStruktur": bilag(bolig(), number(), BilagTypeKode=code)})
        assert errors(output) == {(2902, "BilagTypeKode", "Bilag.Type er ikke en gyldig bilagstype")}
    assert rows(hr) == before


@pytest.mark.parametrize("code", [2001, 3001, 4001, 5000, 1, 4])
def test_an_agreement_takes_document_codes_only(
    hr_module_service: HrService, agreements: Agreements, code: int
) -> None:
    output = opret(hr_module_service, bilag(agreement(agreements.own), number(), BilagTypeKode=code))
    assert {item[0] for item in errors(output)} == {2902}


def test_parents_are_found_within_the_callers_organisations(
    hr_module_service: HrService, agreements: Agreements
) -> None:
    hr = hr_module_service
    nummer = number()
    assert errors(opret(hr, bilag(bolig(), nummer))) == set()
    before = rows(hr)
    refused = [
        (afdeling(503, 1), "Boligorganisation 503"),
        (afdeling(501, 99), "Afdeling 501-99"),
        (byggeafsnit(503, 1, 1), "Boligorganisation 503"),
        (bolig(503, 1, 1, 1), f"Bolig {unit_id(503, 1, 1, 1)}"),
        (bolig(501, 9, 9, 9), f"Bolig {unit_id(501, 9, 9, 9)}"),
        (agreement(agreements.bobs), f"Anvisningsaftale {agreements.bobs.id}"),
        (agreement(reference="bilag-test-aftale-503"), "Anvisningsaftale bilag-test-aftale-503"),
        (agreement(agreements.bobs_by_department), f"Anvisningsaftale {agreements.bobs_by_department.id}"),
        (agreement(agreements.deleted), f"Anvisningsaftale {agreements.deleted.id}"),
        (agreement(reference="no-such-reference"), "Anvisningsaftale no-such-reference"),
    ]
    for parent, what in refused:
        for operation, arguments in (
            ("BilagOpret", {"BilagStruktur": bilag(parent, number())}),
            ("BilagValider", {"BilagStruktur": bilag(parent, number())}),
            ("BilagRet", {"BilagStruktur": bilag(parent, nummer)}),
            ("BilagHent", {"BilagIdentifikationStruktur": {**parent, "BilagIdentifikator": nummer}}),
            ("BilagSlet", {"BilagIdentifikationStruktur": {**parent, "BilagIdentifikator": nummer}}),
            ("BilagList", parent),
        ):
            with pytest.raises(SoapFault) as fault:
                handle(hr, operation, arguments)
            assert (fault.value.code, fault.value.message) == ("soap:Client", f"{what} {NOT_FOUND}"), operation
    # bob does not see alice's Bilag either
    with pytest.raises(SoapFault, match=NOT_FOUND):
        handle(hr, "BilagHent", {"BilagIdentifikationStruktur": {**bolig(), "BilagIdentifikator": nummer}}, user="bob")
    # exactly one parent
    for parents in ({}, {**afdeling(), **bolig()}, {**agreement(agreements.own), **byggeafsnit()}):
        for operation, arguments in (
            ("BilagOpret", {"BilagStruktur": bilag(parents, number())}),
            ("BilagHent", {"BilagIdentifikationStruktur": {**parents, "BilagIdentifikator": nummer}}),
            ("BilagList", parents),
        ):
            with pytest.raises(SoapFault, match=ONE_PARENT):
                handle(hr, operation, arguments)
    with pytest.raises(SoapFault, match="AnvisningsaftaleUnikIdentifikator eller EksternReference skal udfyldes"):
        handle(hr, "BilagList", {"AnvisningsaftaleIdentifikationStruktur": {}})
    assert rows(hr) == before


def test_content_is_checked_against_type_mime_type_and_name(hr_module_service: HrService) -> None:
    hr = hr_module_service
    before = rows(hr)
    nummer = number()
    bad = [
        ({"BilagMimetypeTekst": "application/pdf", "BilagNavnTekst": "f.pdf"}, "understøttes ikke for bilagstype 3001"),
        (
            {"BilagTypeKode": 2001, "BilagMimetypeTekst": "application/pdf", "BilagNavnTekst": "f.pdf"},
            "indholdet er PNG",
        ),
        (
            {"BilagIndholdData": EXE, "BilagMimetypeTekst": "image/jpeg", "BilagNavnTekst": "f.jpg"},
            "ikke et understøttet format",
        ),
        ({"BilagNavnTekst": "facade.exe"}, "skal have filtypen .png"),
    ]
    for operation in ("BilagOpret", "BilagValider"):
        for fields, message in bad:
            with pytest.raises(SoapFault, match=message):
                handle(hr, operation, {"BilagStruktur": bilag(bolig(), nummer, **fields)})
    assert rows(hr) == before


def test_the_size_limit(hr_module_service: HrService) -> None:
    hr = hr_module_service
    small = SmallLimit()
    assert errors(opret(hr, bilag(bolig(), number()), register=small)) == set()  # exactly the limit
    before = rows(hr)
    too_big = PNG + b"\x00"
    for operation in ("BilagOpret", "BilagValider"):
        with pytest.raises(SoapFault, match=f"Bilag.Data fylder {len(too_big)} bytes; højst {len(PNG)} bytes"):
            handle(hr, operation, {"BilagStruktur": bilag(bolig(), number(), BilagIndholdData=too_big)}, register=small)
    assert rows(hr) == before
    assert attachments.MAX_CONTENT_BYTES == 3 * 1024 * 1024
    with pytest.raises(SoapFault, match="højst 3145728 bytes"):
        opret(hr, bilag(bolig(), number(), BilagIndholdData=PNG + bytes(attachments.MAX_CONTENT_BYTES)))


def test_ret_valider_and_slet(hr_module_service: HrService) -> None:
    hr = hr_module_service
    nummer = number()
    ident = {**afdeling(), "BilagIdentifikator": nummer}
    created = opret(hr, bilag(afdeling(), nummer))["MetodeOpretResultatStruktur"]["EntitetReference"]
    first = stored(hr, created)

    # an unchanged Ret saves nothing, AendretDatoTid included
    assert errors(handle(hr, "BilagRet", {"BilagStruktur": bilag(afdeling(), nummer)})) == set()
    assert stored(hr, created).aendret == first.aendret

    # a Ret replaces everything; a description left out is cleared
    change = bilag(
        afdeling(),
        nummer,
        BilagTypeKode=2003,
        BilagNavnTekst="plan.pdf",
        BilagIndholdData=PDF,
        BilagMimetypeTekst="Application/PDF",
        BilagBeskrivelseTekst=None,
    )
    assert errors(handle(hr, "BilagRet", {"BilagStruktur": change})) == set()
    changed = stored(hr, created)
    assert (changed.typekode, changed.navn, changed.indhold, changed.mimetype, changed.beskrivelse) == (
        2003,
        "plan.pdf",
        PDF,
        "application/pdf",
        None,
    )
    assert changed.aendret > first.aendret
    assert changed.oprettet == first.oprettet
    assert changed.nummer == nummer

    # errors save nothing; an old code cannot be written back
    before = rows(hr)
    assert errors(
        handle(hr, "BilagRet", {"BilagStruktur": bilag(afdeling(), nummer, BilagTypeKode=3, BilagNavnTekst=None)})
    ) == {
        (2902, "BilagTypeKode", "Bilag.Type er ikke en gyldig bilagstype"),
        (1000, "BilagNavnTekst", "Bilag.Navn skal udfyldes"),
    }
    with pytest.raises(SoapFault, match="indholdet er ikke et understøttet format"):
        handle(hr, "BilagRet", {"BilagStruktur": bilag(afdeling(), nummer, BilagIndholdData=EXE)})
    # the errors name the Bilag
    refused = handle(hr, "BilagRet", {"BilagStruktur": bilag(afdeling(), nummer, BilagTypeKode=3)})
    assert refused["MetodeResultatStruktur"]["ValideringsfejlStruktur"][0]["EntitetReference"] == str(created)
    assert refused["MetodeResultatStruktur"]["ValideringsfejlStruktur"][0]["EntitetNavnTekst"] == "Bilag"

    # Valider checks as Opret (a new number) or as Ret (an existing one), and never saves
    assert errors(handle(hr, "BilagValider", {"BilagStruktur": bilag(afdeling(), number())})) == set()
    assert errors(handle(hr, "BilagValider", {"BilagStruktur": bilag(afdeling(), nummer)})) == set()
    assert {
        item[0]
        for item in errors(handle(hr, "BilagValider", {"BilagStruktur": bilag(afdeling(), nummer, BilagTypeKode=5)}))
    } == {2902}
    assert rows(hr) == before

    # a number that does not exist cannot be read, changed or deleted
    missing = {**afdeling(), "BilagIdentifikator": number()}
    for operation, arguments in (
        ("BilagHent", {"BilagIdentifikationStruktur": missing}),
        ("BilagRet", {"BilagStruktur": bilag(afdeling(), missing["BilagIdentifikator"])}),
        ("BilagSlet", {"BilagIdentifikationStruktur": missing}),
    ):
        with pytest.raises(SoapFault) as fault:
            handle(hr, operation, arguments)
        assert fault.value.message == f"Bilag {missing['BilagIdentifikator']} på Afdeling {NOT_FOUND}"
    with pytest.raises(SoapFault, match="BilagIdentifikator skal udfyldes"):
        handle(hr, "BilagHent", {"BilagIdentifikationStruktur": afdeling()})
    assert rows(hr) == before

    # Slet deletes; the number can be used again
    assert errors(handle(hr, "BilagSlet", {"BilagIdentifikationStruktur": ident})) == set()
    assert stored(hr, created) is None
    with pytest.raises(SoapFault, match=NOT_FOUND):
        handle(hr, "BilagHent", {"BilagIdentifikationStruktur": ident})
    assert errors(opret(hr, bilag(afdeling(), nummer))) == set()


def test_old_type_codes_are_still_read(hr_module_service: HrService) -> None:
    hr = hr_module_service
    nummer = number()
    with hr.database.transaction() as session:
        afdeling_id = session.scalar(
            select(Afdeling.id).join(Boligorganisation).where(Boligorganisation.nummer == 501, Afdeling.nummer == 3)
        )
        now = datetime.now(UTC)
        session.add(
            Bilag(
                afdeling_id=afdeling_id,
                nummer=nummer,
                typekode=1,
                navn="gammel.png",
                mimetype="image/png",
                indhold=PNG,
                oprettet=now,
                aendret=now,
            )
        )
    answer = handle(hr, "BilagHent", {"BilagIdentifikationStruktur": {**afdeling(), "BilagIdentifikator": nummer}})
    assert (answer["BilagStruktur"]["BilagTypeKode"], answer["BilagStruktur"]["BilagIndholdData"]) == (1, PNG)
    # ... but a Ret must move it to a new code
    assert {
        item[0]
        for item in errors(handle(hr, "BilagRet", {"BilagStruktur": bilag(afdeling(), nummer, BilagTypeKode=1)}))
    } == {2902}
    assert errors(handle(hr, "BilagRet", {"BilagStruktur": bilag(afdeling(), nummer, BilagTypeKode=3001)})) == set()


# --- End to end ---------------------------------------------------------------------------------------------------


def zeep_fault(excinfo: pytest.ExceptionInfo[zeep.exceptions.Fault]) -> tuple[str, str]:
    return excinfo.value.code, excinfo.value.message


def result_numbers(result: Any) -> list[int]:
    assert result.ResultatStruktur.ResultatKode == 0
    return sorted(item.ResultatStruktur.ResultatKode for item in result.ValideringsfejlStruktur)


@pytest.mark.e2e
def test_e2e_every_operation_with_real_content(hr_module_service: HrService, agreements: Agreements) -> None:
    hr = hr_module_service
    client = hr.client("alice")
    unit = {"BoligIdentifikationStruktur": bolig_ident(unit_id(502, 1, 1, 1))}
    nummer = number()
    ident = {**unit, "BilagIdentifikator": nummer}
    structure = {
        "BilagIdentifikationStruktur": ident,
        "BilagTypeKode": 3001,
        "BilagNavnTekst": "stue.png",
        "BilagIndholdData": PNG,
        "BilagBeskrivelseTekst": "Stuen, æøå",
        "BilagMimetypeTekst": "image/png",
    }
    # Valider of a new Bilag, then Opret
    assert result_numbers(client.service.BilagValider(BilagStruktur=structure)) == []
    assert client.service.BilagList(**unit) == []
    created = client.service.BilagOpret(BilagStruktur=structure)
    assert result_numbers(created) == []
    assert created.ResultatStruktur.ResultatTypeKode == 0
    created_id = uuid.UUID(created.EntitetReference)

    # Hent gives the content back byte for byte
    answer = client.service.BilagHent(BilagIdentifikationStruktur=ident)
    assert answer.BilagIndholdData == PNG
    assert uuid.UUID(answer.BilagIdentifikationStruktur.BilagUnikIdentifikator) == created_id
    assert answer.BilagIdentifikationStruktur.BilagIdentifikator == nummer
    assert answer.BilagIdentifikationStruktur.BoligIdentifikationStruktur.BuildingUnitUniversalIdentifier == str(
        unit_id(502, 1, 1, 1)
    )
    assert (answer.BilagTypeKode, answer.BilagNavnTekst, answer.BilagBeskrivelseTekst, answer.BilagMimetypeTekst) == (
        3001,
        "stue.png",
        "Stuen, æøå",
        "image/png",
    )

    # a second one, then List: both, by number, without content
    second = {
        **structure,
        "BilagIdentifikationStruktur": {**unit, "BilagIdentifikator": nummer + 1000},
        "BilagNavnTekst": "køkken.gif",
        "BilagIndholdData": GIF,
        "BilagMimetypeTekst": "image/gif",
    }
    assert result_numbers(client.service.BilagOpret(BilagStruktur=second)) == []
    listed = client.service.BilagList(**unit)
    assert [item.BilagIdentifikationStruktur.BilagIdentifikator for item in listed] == [nummer, nummer + 1000]
    assert [item.BilagNavnTekst for item in listed] == ["stue.png", "køkken.gif"]
    assert all(item.BilagIndholdData is None for item in listed)

    # Ret to a floor plan in PDF; Valider of the existing number validates as Ret
    plan = {
        **structure,
        "BilagTypeKode": 2004,
        "BilagNavnTekst": "plan.pdf",
        "BilagIndholdData": PDF,
        "BilagMimetypeTekst": "application/pdf",
    }
    assert result_numbers(client.service.BilagValider(BilagStruktur=plan)) == []
    assert result_numbers(client.service.BilagRet(BilagStruktur=plan)) == []
    answer = client.service.BilagHent(BilagIdentifikationStruktur=ident)
    assert (answer.BilagTypeKode, answer.BilagNavnTekst, answer.BilagIndholdData) == (2004, "plan.pdf", PDF)

    # an allocation agreement's document, by EksternReference
    document = {
        "BilagIdentifikationStruktur": {
            "AnvisningsaftaleIdentifikationStruktur": {"EksternReference": agreements.own_reference},
            "BilagIdentifikator": nummer,
        },
        "BilagTypeKode": 1040,
        "BilagNavnTekst": "aftale.docx",
        "BilagIndholdData": DOCX,
        "BilagMimetypeTekst": DOCX_MIME,
    }
    assert result_numbers(client.service.BilagOpret(BilagStruktur=document)) == []
    answer = client.service.BilagHent(BilagIdentifikationStruktur=document["BilagIdentifikationStruktur"])
    assert answer.BilagIndholdData == DOCX
    assert (
        uuid.UUID(
            answer.BilagIdentifikationStruktur.AnvisningsaftaleIdentifikationStruktur.AnvisningsaftaleUnikIdentifikator
        )
        == agreements.own.id
    )

    # Slet, after which it is gone
    assert result_numbers(client.service.BilagSlet(BilagIdentifikationStruktur=ident)) == []
    with pytest.raises(zeep.exceptions.Fault) as gone:
        client.service.BilagHent(BilagIdentifikationStruktur=ident)
    assert zeep_fault(gone) == ("soap:Client", f"Bilag {nummer} på Bolig {NOT_FOUND}")
    assert [item.BilagIdentifikationStruktur.BilagIdentifikator for item in client.service.BilagList(**unit)] == [
        nummer + 1000
    ]
    assert {"BilagOpret", "BilagHent", "BilagList", "BilagRet", "BilagSlet", "BilagValider"} <= set(hr.check.outputs)


@pytest.mark.e2e
def test_e2e_bad_input_saves_nothing(hr_module_service: HrService) -> None:
    hr = hr_module_service
    client, bob = hr.client("alice"), hr.client("bob")
    parent = {"AfdelingIdentifikationStruktur": afd_ident(502, 1)}
    nummer = number()
    valid = {
        "BilagIdentifikationStruktur": {**parent, "BilagIdentifikator": nummer},
        "BilagTypeKode": 3002,
        "BilagNavnTekst": "gaard.jpg",
        "BilagIndholdData": JPEG,
        "BilagMimetypeTekst": "image/jpeg",
    }
    assert result_numbers(client.service.BilagOpret(BilagStruktur=valid)) == []
    snapshot = hr.snapshot()

    faults = [
        # over the size limit (within the request limit: 4 MiB of base64 in a 5 MiB request)
        ({**valid, "BilagIndholdData": JPEG + bytes(attachments.MAX_CONTENT_BYTES)}, "højst 3145728 bytes er tilladt"),
        # a PNG claimed to be a PDF (as a floor plan, where both are allowed)
        (
            {
                **valid,
                "BilagTypeKode": 2002,
                "BilagIndholdData": PNG,
                "BilagMimetypeTekst": "application/pdf",
                "BilagNavnTekst": "plan.pdf",
            },
            "indholdet er PNG",
        ),
        # an executable renamed .jpg
        ({**valid, "BilagIndholdData": EXE, "BilagNavnTekst": "ferie.jpg"}, "indholdet er ikke et understøttet format"),
        # another organisation's department, as if it did not exist
        (
            {
                **valid,
                "BilagIdentifikationStruktur": {
                    "AfdelingIdentifikationStruktur": afd_ident(503, 1),
                    "BilagIdentifikator": number(),
                },
            },
            f"Boligorganisation 503 {NOT_FOUND}",
        ),
        # two parents
        (
            {
                **valid,
                "BilagIdentifikationStruktur": {**parent, **bolig_ident_struct(), "BilagIdentifikator": number()},
            },
            ONE_PARENT,
        ),
    ]
    for structure, message in faults:
        for operation in ("BilagOpret", "BilagValider", "BilagRet"):
            sent = structure
            if operation == "BilagOpret":  # a new number: the existing one would be error 2901 first
                ident = {**structure["BilagIdentifikationStruktur"], "BilagIdentifikator": number()}
                sent = {**structure, "BilagIdentifikationStruktur": ident}
            with pytest.raises(zeep.exceptions.Fault) as refused:
                getattr(client.service, operation)(BilagStruktur=sent)
            code, text = zeep_fault(refused)
            assert code == "soap:Client", (operation, text)
            assert message in text, (operation, text)

    # numbered errors: an old type code, a duplicate number, missing fields
    fresh = {**valid, "BilagIdentifikationStruktur": {**parent, "BilagIdentifikator": number()}}
    assert result_numbers(client.service.BilagOpret(BilagStruktur={**fresh, "BilagTypeKode": 1})) == [2902]
    assert result_numbers(client.service.BilagRet(BilagStruktur={**valid, "BilagTypeKode": 1})) == [2902]
    assert result_numbers(client.service.BilagOpret(BilagStruktur=valid)) == [2901]
    missing = {"BilagIdentifikationStruktur": {**parent, "BilagIdentifikator": number()}}
    outcome = client.service.BilagOpret(BilagStruktur=missing)
    assert result_numbers(outcome) == [1000] * 4
    assert outcome.EntitetReference is None
    assert {item.ResultatStruktur.ResultatTekst for item in outcome.ValideringsfejlStruktur} == {
        "Bilag.Data skal udfyldes",
        "Bilag.Mimetype skal udfyldes",
        "Bilag.Navn skal udfyldes",
        "Bilag.Type skal udfyldes",
    }
    # bob sees nothing of it
    for operation, arguments in (
        ("BilagHent", {"BilagIdentifikationStruktur": valid["BilagIdentifikationStruktur"]}),
        ("BilagSlet", {"BilagIdentifikationStruktur": valid["BilagIdentifikationStruktur"]}),
        ("BilagList", parent),
        ("BilagRet", {"BilagStruktur": valid}),
    ):
        with pytest.raises(zeep.exceptions.Fault) as refused:
            getattr(bob.service, operation)(**arguments)
        assert zeep_fault(refused) == ("soap:Client", f"Boligorganisation 502 {NOT_FOUND}"), operation
    assert hr.snapshot() == snapshot
    assert (
        client.service.BilagHent(BilagIdentifikationStruktur=valid["BilagIdentifikationStruktur"]).BilagIndholdData
        == JPEG
    )


def bolig_ident_struct() -> dict[str, Any]:
    return {"BoligIdentifikationStruktur": bolig_ident(unit_id(502, 1, 1, 2))}
