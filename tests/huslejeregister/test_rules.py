"""The numbered validations of one version's fields (huslejeregister.md §2.6, §4.1-4.4, §4.13, Appendix B), each
triggered and not triggered, with the exact Danish texts, and the result structures they are reported in.

2014, 2015 and 2023 concern the dwelling's expenses and leases and are tested with the service (test_service.py).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bodata.huslejeregister import rules
from bodata.huslejeregister.rules import (
    Finding,
    check_afdeling,
    check_bolig,
    check_byggeafsnit,
    check_indstilling,
    finding,
    method_result,
    valid_email_list,
    valid_url,
)

from .builders import bolig_fields, byggeafsnit_fields


def found(findings: list[Finding]) -> set[tuple[int, str, str, str | None]]:
    return {(item.number, item.text, item.entity, item.field) for item in findings}


def bolig(**overrides) -> list[Finding]:
    return check_bolig(bolig_fields(**overrides), bbr_area=None)


def test_valid_versions_have_no_findings() -> None:
    assert check_bolig(bolig_fields(), bbr_area=Decimal("80")) == []
    assert check_byggeafsnit(byggeafsnit_fields()) == []
    assert check_afdeling({}) == []
    assert (
        check_afdeling({"AfdelingMinAlderAeldreboligKvantitet": 65, "AfdelingMaxAlderUngdomsboligKvantitet": 30}) == []
    )


# --- 1000 ---------------------------------------------------------------------------------------------------

BOLIG_REQUIRED = [
    ("BoligBevaegelseshaemmetEgnetIndikator", "Bolig.BevaegelseshaemmetEgnet skal udfyldes"),
    ("BoligTypeKode", "Bolig.Boligtype skal udfyldes"),
    ("BoligCarportKode", "Bolig.Carport skal udfyldes"),
    ("BoligGarageKode", "Bolig.Garage skal udfyldes"),
    ("BoligIndvendigVedligeholdelseLejerKode", "Bolig.IndvendigVedligeholdelseLejer skal udfyldes"),
    ("BoligKoekkenKunForLejerIndikator", "Bolig.KoekkenKunForLejer skal udfyldes"),
    ("BoligKollegievaerelseIndikator", "Bolig.Kollegievaerelse skal udfyldes"),
    ("BoligOpvarmningsformKode", "Bolig.Opvarmningsform skal udfyldes"),
    ("BoligUdvendigVedligeholdelseLejerKode", "Bolig.UdvendigVedligeholdelseLejer skal udfyldes"),
    ("BoligLejerTypeKode", "Bolig.Lejertype skal udfyldes"),
]


@pytest.mark.parametrize(("field", "text"), BOLIG_REQUIRED)
def test_1000_each_required_bolig_field(field: str, text: str) -> None:
    assert found(bolig(**{field: None})) == {(1000, text, "Bolig", field)}


def test_1000_all_ten_bolig_fields_at_once_and_false_counts_as_given() -> None:
    empty = check_bolig({"BoligAktueltDepositumBeloeb": Decimal(0)}, bbr_area=None)
    assert found(empty) == {(1000, text, "Bolig", field) for field, text in BOLIG_REQUIRED}
    falsy = bolig(BoligBevaegelseshaemmetEgnetIndikator=False, BoligKoekkenKunForLejerIndikator=False)
    assert falsy == []


BYGGEAFSNIT_REQUIRED = [
    ("ByggeafsnitAntenneforeningIndikator", "Byggeafsnit.Antenneforening skal udfyldes"),
    ("ByggeafsnitPortTelefonIndikator", "Byggeafsnit.FaellesTelefon skal udfyldes"),  # the old name (§4.3)
    ("ByggeafsnitInternetforbindelseIndikator", "Byggeafsnit.Internetforbindelse skal udfyldes"),
    ("ByggeafsnitVaskeriIndikator", "Byggeafsnit.Vaskeri skal udfyldes"),
]


@pytest.mark.parametrize(("field", "text"), BYGGEAFSNIT_REQUIRED)
def test_1000_each_required_byggeafsnit_field(field: str, text: str) -> None:
    assert found(check_byggeafsnit(byggeafsnit_fields(**{field: None}))) == {(1000, text, "Byggeafsnit", field)}
    assert check_byggeafsnit(byggeafsnit_fields(**{field: False})) == []


def test_1000_husdyr_tilladt_required() -> None:
    rules_ = [{"BoligTypeKode": 1}, *({"BoligTypeKode": code, "HusdyrTilladtIndikator": True} for code in (2, 3, 4))]
    assert found(check_byggeafsnit(byggeafsnit_fields(HusdyrStruktur=rules_))) == {
        (1000, "Husdyr.HusdyrTilladt skal udfyldes", "Husdyr", "HusdyrTilladtIndikator")
    }


def test_1000_husdyr_boligtype_required() -> None:
    rules_ = [
        {"HusdyrTilladtIndikator": True},
        *({"BoligTypeKode": c, "HusdyrTilladtIndikator": True} for c in (1, 2, 3, 4)),
    ]
    assert found(check_byggeafsnit(byggeafsnit_fields(HusdyrStruktur=rules_))) == {
        (1000, "Husdyr.Boligtype skal udfyldes", "Husdyr", "BoligTypeKode")
    }


def test_1000_text_is_the_generic_form() -> None:
    item = rules.required("Bolig", "Garage", "BoligGarageKode")
    assert (item.number, item.text, item.is_info) == (1000, "Bolig.Garage skal udfyldes", False)


# --- 2001-2013, 2016-2021: Bolig codes and values --------------------------------------------------------------

CODES = [
    (2001, "BoligLejerTypeKode", (1, 4), (0, 2, 3, 5), "Bolig.Lejertype skal være 1 eller 4"),
    (
        2002,
        "BoligStoetteBerettigetArealAarsagKode",
        (1, 2, 3),
        (0, 5),
        "Bolig.StoetteBerettigetArealAarsagKode skal være 1, 2, 3 eller 4",
    ),
    (2004, "BoligOpvarmningsformKode", (1, 2, 3, 4), (0, 5), "Bolig.Opvarmningsform skal være 1, 2, 3 eller 4"),
    (2005, "BoligGarageKode", (1, 2, 3), (0, 4), "Bolig.Garage skal være 1, 2 eller 3"),
    (2006, "BoligCarportKode", (1, 2, 3), (0, 4), "Bolig.Carport skal være 1, 2 eller 3"),
    (
        2007,
        "BoligUdvendigVedligeholdelseLejerKode",
        (1, 2, 3),
        (0, 4),
        "Bolig.UdvendigVedligeholdelseLejer skal være 1, 2 eller 3",
    ),
    (
        2008,
        "BoligIndvendigVedligeholdelseLejerKode",
        (1, 2),
        (0, 3),
        "Bolig.IndvendigVedligeholdelseLejer skal være 1 eller 2",
    ),
    (2009, "BoligTypeKode", (1, 2, 3, 4), (0, 5), "Bolig.Boligtype skal være 1, 2, 3 eller 4"),
]


@pytest.mark.parametrize(("number", "field", "good", "bad", "text"), CODES, ids=[str(c[0]) for c in CODES])
def test_code_lists(number: int, field: str, good: tuple, bad: tuple, text: str) -> None:
    # 2002 needs an area (2019/2020); with it, every reason code but 4 needs no text (2003)
    area = {"BoligStoetteBerettigetArealKvantitet": Decimal("70")} if number == 2002 else {}
    for value in good:
        assert bolig(**area, **{field: value}) == [], value
    for value in bad:
        assert found(bolig(**area, **{field: value})) == {(number, text, "Bolig", field)}, value


def test_2002_code_4_is_allowed_with_a_text() -> None:
    assert (
        bolig(
            BoligStoetteBerettigetArealKvantitet=Decimal("70"),
            BoligStoetteBerettigetArealAarsagKode=4,
            BoligStoetteBerettigetArealAarsagTekst="Skunkrum",
        )
        == []
    )


TEXT_2003 = (
    "Hvis der er angivet kode 4 for Bolig.StoetteBerettigetArealAarsagKode, skal "
    "Bolig.StoetteBerettigetArealAarsagTekst være udfyldt"
)


@pytest.mark.parametrize("reason_text", [None, "", "   "])
def test_2003_code_4_needs_a_reason_text(reason_text: str | None) -> None:
    result = bolig(
        BoligStoetteBerettigetArealKvantitet=Decimal("70"),
        BoligStoetteBerettigetArealAarsagKode=4,
        BoligStoetteBerettigetArealAarsagTekst=reason_text,
    )
    assert found(result) == {(2003, TEXT_2003, "Bolig", "BoligStoetteBerettigetArealAarsagTekst")}


def test_2003_other_codes_need_no_text() -> None:
    assert bolig(BoligStoetteBerettigetArealKvantitet=Decimal("70"), BoligStoetteBerettigetArealAarsagKode=2) == []


POSITIVE = [
    (2010, "BoligStoetteBerettigetArealKvantitet", "Bolig.StoetteBerettigetAreal skal være større end 0"),
    (2011, "BoligAntalBeboelsesrumKvantitet", "Bolig.AntalBeboelsesrum skal være større end 0"),
    (2012, "BoligArealFoer1998Kvantitet", "Bolig.ArealFoer1998 skal være større end 0"),
]


@pytest.mark.parametrize(("number", "field", "text"), POSITIVE, ids=[str(p[0]) for p in POSITIVE])
def test_values_greater_than_zero(number: int, field: str, text: str) -> None:
    reason = {"BoligStoetteBerettigetArealAarsagKode": 1} if number == 2010 else {}
    small = 1 if number == 2011 else Decimal("0.01")
    assert bolig(**reason, **{field: small}) == []
    for value in (0, -1) if number == 2011 else (Decimal(0), Decimal("-0.01")):
        assert found(bolig(**reason, **{field: value})) == {(number, text, "Bolig", field)}, value


TEXT_2013 = "Bolig.IkkeAktivStartDato skal være mindre end Bolig.IkkeAktivSlutDato"


def test_2013_inactive_period_start_before_end() -> None:
    for start, end in ((date(2024, 5, 1), date(2024, 5, 1)), (date(2024, 5, 2), date(2024, 5, 1))):
        result = bolig(BoligIkkeAktivStartDato=start, BoligIkkeAktivSlutDato=end)
        assert found(result) == {(2013, TEXT_2013, "Bolig", "BoligIkkeAktivStartDato")}
    assert bolig(BoligIkkeAktivStartDato=date(2024, 5, 1), BoligIkkeAktivSlutDato=date(2024, 5, 2)) == []
    assert bolig(BoligIkkeAktivStartDato=date(2024, 5, 1)) == []
    assert bolig(BoligIkkeAktivSlutDato=date(2024, 5, 1)) == []


@pytest.mark.parametrize(
    "url", ["http://localhost", "fjordbo", "https://exa mple.dk", "ftp://fjordbo.dk", "https://.dk"]
)
def test_2016_invalid_url(url: str) -> None:
    assert found(bolig(BoligURLTekst=url)) == {
        (2016, "Bolig.URL skal indeholde en gyldig Url", "Bolig", "BoligURLTekst")
    }


def test_2016_valid_url() -> None:
    assert bolig(BoligURLTekst="https://www.fjordbo.dk/bolig/7-1-tv") == []
    assert bolig(BoligURLTekst="fjordbo.dk") == []


@pytest.mark.parametrize(
    ("number", "field", "text"),
    [
        (2017, "BoligAktueltIndskudBeloeb", "Bolig.AktueltIndskud må ikke være mindre end 0"),
        (2018, "BoligAktueltDepositumBeloeb", "Bolig.AktueltDepositum må ikke være mindre end 0"),
    ],
)
def test_2017_2018_amounts_not_negative(number: int, field: str, text: str) -> None:
    other = "BoligAktueltDepositumBeloeb" if number == 2017 else "BoligAktueltIndskudBeloeb"
    values = {"BoligAktueltIndskudBeloeb": None, other: Decimal(100)}
    assert bolig(**{**values, field: Decimal(0)}) == []
    assert found(bolig(**{**values, field: Decimal("-0.01")})) == {(number, text, "Bolig", field)}


TEXT_2019 = "Hvis Bolig.StoetteBerettigetAreal er angivet, skal Bolig.StoetteBerettigetArealAarsagKode være udfyldt"
TEXT_2020 = (
    "Hvis Bolig.StoetteBerettigetAreal ikke er angivet, må Bolig.StoetteBerettigetArealAarsagKode og "
    "Bolig.StoetteBerettigetArealAarsagTekst ikke angives"
)


def test_2019_area_needs_a_reason_code() -> None:
    assert found(bolig(BoligStoetteBerettigetArealKvantitet=Decimal("70"))) == {
        (2019, TEXT_2019, "Bolig", "BoligStoetteBerettigetArealAarsagKode")
    }
    assert bolig(BoligStoetteBerettigetArealKvantitet=Decimal("70"), BoligStoetteBerettigetArealAarsagKode=3) == []


def test_2020_no_area_no_reason() -> None:
    expected = {(2020, TEXT_2020, "Bolig", "BoligStoetteBerettigetArealAarsagKode")}
    assert found(bolig(BoligStoetteBerettigetArealAarsagKode=1)) == expected
    assert found(bolig(BoligStoetteBerettigetArealAarsagTekst="Gavl")) == expected
    assert bolig() == []


def test_2021_entry_deposit_or_deposit() -> None:
    assert found(bolig(BoligAktueltIndskudBeloeb=None)) == {
        (
            2021,
            "Bolig.AktueltIndskud eller Bolig.AktueltDepositum skal være angivet",
            "Bolig",
            "BoligAktueltIndskudBeloeb",
        )
    }
    assert bolig(BoligAktueltIndskudBeloeb=None, BoligAktueltDepositumBeloeb=Decimal(0)) == []
    assert bolig(BoligAktueltIndskudBeloeb=Decimal(0)) == []


# --- 2022 (info) ------------------------------------------------------------------------------------------------


def test_2022_info_when_the_proposed_area_equals_bbr() -> None:
    fields = bolig_fields(BoligStoetteBerettigetArealKvantitet=Decimal("75.5"), BoligStoetteBerettigetArealAarsagKode=1)
    (info,) = check_bolig(fields, bbr_area=Decimal("75.50"))
    assert (info.number, info.text, info.field, info.is_info) == (
        2022,
        "Bolig.StoetteBerettigetAreal er det samme som Bruttoetageareal fra BBR",
        "BoligStoetteBerettigetArealKvantitet",
        True,
    )
    assert rules.errors_in([info]) == []
    assert check_bolig(fields, bbr_area=Decimal("75.49")) == []
    assert check_bolig(fields, bbr_area=None) == []
    assert check_bolig(bolig_fields(), bbr_area=Decimal("75.5")) == []  # no area proposed


# --- 2501 -------------------------------------------------------------------------------------------------------

TEXT_2501 = "Boligorganisation.NotifikationsEmails skal indeholde en semikolonsepareret liste af gyldige emailadresser"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "drift@fjordbo.dk",
        "drift@fjordbo.dk;",
        "drift@fjordbo.dk;udlejning@fjordbo.dk",
        " drift@fjordbo.dk ; udlejning@fjordbo.dk ; ",
        "a.b-c+d@mail.fjordbo.dk",
    ],
)
def test_2501_valid_address_lists(value: str | None) -> None:
    assert valid_email_list(value)
    assert check_indstilling({"IndstillingNotifikationsEmailsTekst": value}) == []


@pytest.mark.parametrize(
    "value",
    [
        "drift.fjordbo.dk",  # missing @
        "drift@@fjordbo.dk",
        "drift@fjordbo@fjordbo.dk",  # two @
        "drift@fjordbo",  # no dot in the domain
        "drift @fjordbo.dk",  # a space inside
        "drift@fjordbo.dk, udlejning@fjordbo.dk",  # comma-separated
        "drift@fjordbo.dk;;",  # an empty address
        ";drift@fjordbo.dk",
        ";",
        "@fjordbo.dk",
        "drift@",
    ],
)
def test_2501_invalid_address_lists(value: str) -> None:
    assert not valid_email_list(value)
    assert found(check_indstilling({"IndstillingNotifikationsEmailsTekst": value})) == {
        (2501, TEXT_2501, "Indstilling", "IndstillingNotifikationsEmailsTekst")
    }


def test_2501_applies_to_both_address_fields() -> None:
    result = check_indstilling(
        {"IndstillingNotifikationsEmailsTekst": "x", "IndstillingNotifikationNyeEnhederEmailsTekst": "y@"}
    )
    assert found(result) == {
        (2501, TEXT_2501, "Indstilling", "IndstillingNotifikationsEmailsTekst"),
        (2501, TEXT_2501, "Indstilling", "IndstillingNotifikationNyeEnhederEmailsTekst"),
    }
    assert check_indstilling({"IndstillingNotifikationNyeEnhederEmailsTekst": "ny@fjordbo.dk"}) == []


# --- 2601, 2602 -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "field", "text"),
    [
        (2601, "AfdelingMinAlderAeldreboligKvantitet", "Afdeling.MinAlderAeldrebolig skal være større end 0"),
        (2602, "AfdelingMaxAlderUngdomsboligKvantitet", "Afdeling.MaxAlderUngdomsbolig skal være større end 0"),
    ],
)
def test_2601_2602_age_limits(number: int, field: str, text: str) -> None:
    for value in (0, -5):
        assert found(check_afdeling({field: value})) == {(number, text, "Afdeling", field)}
    assert check_afdeling({field: 1}) == []
    assert check_afdeling({field: None}) == []


# --- 2701-2703 --------------------------------------------------------------------------------------------------

TEXT_2701 = "Regler for husdyr skal angives for alle boligtyper"
TEXT_2702 = "Hvis AllehusdyrTilladt er true må KatTilladt, HundTilladt og MindreDyrTilladt ikke angives"
TEXT_2703 = "Hvis AllehusdyrTilladt er false skal KatTilladt, HundTilladt og MindreDyrTilladt angives"


def test_2701_rules_for_every_housing_type() -> None:
    expected = {(2701, TEXT_2701, "Byggeafsnit", "HusdyrStruktur")}
    assert found(check_byggeafsnit(byggeafsnit_fields(HusdyrStruktur=None))) == expected
    assert found(check_byggeafsnit(byggeafsnit_fields(HusdyrStruktur=[]))) == expected
    assert found(check_byggeafsnit(byggeafsnit_fields(HusdyrStruktur=[*pet_rules_for(1, 2, 3)]))) == expected
    assert check_byggeafsnit(byggeafsnit_fields(HusdyrStruktur=[*pet_rules_for(4, 3, 2, 1)])) == []


def pet_rules_for(*codes: int) -> list[dict]:
    return [{"BoligTypeKode": code, "HusdyrTilladtIndikator": True} for code in codes]


@pytest.mark.parametrize(
    "flag", ["HusdyrKatTilladtIndikator", "HusdyrHundTilladtIndikator", "HusdyrMindreDyrTilladtIndikator"]
)
def test_2702_all_pets_allowed_leaves_the_three_flags_out(flag: str) -> None:
    for value in (True, False):
        rules_ = [{"BoligTypeKode": 1, "HusdyrTilladtIndikator": True, flag: value}, *pet_rules_for(2, 3, 4)]
        assert found(check_byggeafsnit(byggeafsnit_fields(HusdyrStruktur=rules_))) == {
            (2702, TEXT_2702, "Husdyr", "HusdyrTilladtIndikator")
        }


@pytest.mark.parametrize(
    "missing", ["HusdyrKatTilladtIndikator", "HusdyrHundTilladtIndikator", "HusdyrMindreDyrTilladtIndikator"]
)
def test_2703_not_all_pets_needs_the_three_flags(missing: str) -> None:
    rule = {
        "BoligTypeKode": 2,
        "HusdyrTilladtIndikator": False,
        "HusdyrKatTilladtIndikator": False,
        "HusdyrHundTilladtIndikator": False,
        "HusdyrMindreDyrTilladtIndikator": False,
    }
    assert check_byggeafsnit(byggeafsnit_fields(HusdyrStruktur=[rule, *pet_rules_for(1, 3, 4)])) == []
    del rule[missing]
    assert found(check_byggeafsnit(byggeafsnit_fields(HusdyrStruktur=[rule, *pet_rules_for(1, 3, 4)]))) == {
        (2703, TEXT_2703, "Husdyr", "HusdyrTilladtIndikator")
    }


# --- valid_url --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "fjordbo.dk",
        "www.fjordbo.dk",
        "http://fjordbo.dk",
        "https://www.fjordbo.dk/bolig?id=7#plan",
        "https://fjordbo.dk:8443/x",
        "  https://fjordbo.dk  ",
        "HTTPS://FJORDBO.DK",
    ],
)
def test_valid_url_accepts(url: str) -> None:
    assert valid_url(url)


@pytest.mark.parametrize(
    "url",
    ["", "fjordbo", "https://fjordbo", "http://localhost:8000/x", "https://fjordbo.", "https://.dk", "mailto:a@b.dk"],
)
def test_valid_url_requires_a_host_with_a_dot(url: str) -> None:
    assert not valid_url(url)


# --- method_result ----------------------------------------------------------------------------------------------

ERROR = finding(2001, "Bolig", "BoligLejerTypeKode")
INFO = Finding(5005, rules.TEXTS[5005], "Bolig", "VirkningFraDatoTid", "ref", datetime(2030, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("findings", "kind", "summary"),
    [
        ([], 0, "OK"),
        ([ERROR], 20, "1 valideringsfejl; intet er gemt"),
        ([INFO], 40, "OK med 1 valideringsinfo"),
        ([ERROR, INFO, ERROR], 60, "2 valideringsfejl; intet er gemt"),
    ],
)
def test_method_result_type_codes(findings: list[Finding], kind: int, summary: str) -> None:
    result = method_result(findings, "BoligRet")
    top = result["ResultatStruktur"]
    assert (top["ResultatTypeKode"], top["ResultatKode"], top["ResultatTekst"]) == (kind, 0, summary)
    assert isinstance(top["ResultatIdentifikator"], uuid.UUID)
    assert len(result["ValideringsfejlStruktur"]) == sum(not item.is_info for item in findings)
    assert len(result["ValideringsinfoStruktur"]) == sum(item.is_info for item in findings)
    assert "EntitetReference" not in result


def test_method_result_details() -> None:
    result = method_result([ERROR, INFO], "BoligValider")
    (error,) = result["ValideringsfejlStruktur"]
    (info,) = result["ValideringsinfoStruktur"]
    assert error["ResultatStruktur"]["ResultatTypeKode"] == 20
    assert error["ResultatStruktur"]["ResultatKode"] == 2001
    assert error["ResultatStruktur"]["ResultatTekst"] == "Bolig.Lejertype skal være 1 eller 4"
    assert (error["EntitetNavnTekst"], error["FeltNavnTekst"], error["ValideringsfejlFunktionTekst"]) == (
        "Bolig",
        "BoligLejerTypeKode",
        "BoligValider",
    )
    assert "ValideringsInfoFunktionTekst" not in error
    assert info["ResultatStruktur"]["ResultatTypeKode"] == 40
    assert info["ResultatStruktur"]["ResultatKode"] == 5005
    assert info["ResultatStruktur"]["ResultatTekst"] == "En fremtidig version overskrives helt ved denne indberetning."
    assert info["ValideringsInfoFunktionTekst"] == "BoligValider"  # capital I (§2.6)
    assert (info["EntitetReference"], info["EntitetVirkningFraDatoTid"]) == ("ref", datetime(2030, 1, 1, tzinfo=UTC))
    identifiers = {
        result["ResultatStruktur"]["ResultatIdentifikator"],
        error["ResultatStruktur"]["ResultatIdentifikator"],
        info["ResultatStruktur"]["ResultatIdentifikator"],
    }
    assert len(identifiers) == 3


def test_method_opret_result_carries_the_created_reference() -> None:
    created = uuid.uuid4()
    assert method_result([], "XOpret", created=created)["EntitetReference"] == created


def test_info_numbers_are_those_of_appendix_b() -> None:
    assert {2022, 2121, 2122, 2123, 2124, 2125, 2128, 2129, 2223, 5005} == rules.INFO_NUMBERS  # Appendix B
    assert all(
        not finding(number, "X", minimum="x", cutoff="y").is_info
        for number in rules.TEXTS
        if number < 5005 and number != 2022
    )
