"""The specification's own examples (digest §3, §4), assembled into complete documents in XML and in JSON.

Every ``...`` of an example is filled with the example of the corresponding datatype, so that the full
``InskrivningResponse`` holds each of the 46 datatypes and each member of every union and choice at least once: a
``Belastar`` per ``InskrivenBelastning`` variant, ``Agande`` / ``TidigareAgande`` with ``Lagfart`` and
``Tomtrattsinnehav``, owners with ``Person`` (``personnummer`` and ``id``), ``Organisation`` and ``UtlandskAgare``,
``Paverkar`` and ``Avser`` with each reference kind, ``Fang`` with ``fangesar`` / ``fangesmanad`` / ``fangesdag`` and
with either kind of anmärkning. Values come from the XML examples for the XML document and from the JSON examples
for the JSON document (the two disagree in places; the digest §7.4.8 lists where). Where an example shows nothing
(e.g. a second ``Fang``) the values of the neighbouring example are reused.

Known slips of the examples (digest §7.4.8, §7.4.9) are corrected here, following the tables and decision 9:

* ``Organisation``: the XML element ``<Utdlandsadress>`` is written ``<Utlandsadress>``;
* ``Utlandsadress``: the JSON example repeats ``utdelningsadress1`` four times; the keys are ``utdelningsadress1..4``;
* ``Avtalsnyttjanderatt``: the JSON ``avtalsnyttjanderattsandamal`` ``["Brygga", "Båtplats"]`` (copied from
  Avtalsservitut; ``Båtplats`` is not in the code list) is replaced by the XML example's ``["Jakt", "Fiske"]``;
* dates: JSON ``"2016-04-15T00:00:00.000+0200"`` / ``"2016-03-03T00:00:00.000+0100"`` and XML
  ``2015-05-15+02:00`` are written ``YYYY-MM-DD``;
* ``Tomtrattsinnehavsanmarkning``: the examples' ``lagfartsanmarkning`` member is ``tomtrattsinnehavsanmarkning``
  (the table, decision 7).

The builders return fresh objects, so tests may modify them.
"""

from __future__ import annotations

from typing import Any

NS = "http://namespace.lantmateriet.se/distribution/produkter/inskrivning/v3"
GML = "http://www.opengis.net/gml/3.2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

FEATURE_ID = "4c9326bb-9805-408f-a088-2c12eae724ce"
MINIMAL_FEATURE_ID = "2d4f6b8d-f2b4-6f8b-d2f4-6d8f0b2d4f6b"

# ---------------------------------------------------------------------------------------------------------- XML


def el(name: str, *content: str) -> str:
    """``<name>content</name>``; content is markup or text (the example texts need no escaping)."""
    return f"<{name}>{''.join(content)}</{name}>"


def v_xml(oid: str, tid: str = "2016-10-22T23:58:21.345+02:00") -> str:
    """The V-block (§4.0.1)."""
    return el("objektidentitet", oid) + el("objektversion", "1") + el("versionGiltigFran", tid)


NYTT_BESLUT_XML = el(
    "NyttBeslut",
    el("beslutetsInskrivningsdag", "2016-01-11"),
    el("beslutetsDagboksnummer", "92/41132"),
    el("beslutetsAktnummer", "D-2016-00011356:7"),
)


def r_xml(oid: str, beslut: str, uppskov: str, tid: str = "2016-12-06T21:10:43.567+01:00") -> str:
    """The R-block (§4.0.2, values of the Inteckning example unless the type's example says otherwise)."""
    return (
        v_xml(oid, tid)
        + el("inskrivningsdag", "2016-12-06")
        + el("dagboksnummer", "99/2535")
        + el("dagboksnummer", "99/2536")
        + el("aktnummer", "D-2016-00011356:7")
        + el("beslut", beslut)
        + NYTT_BESLUT_XML
        + el("uppskovsdatum", uppskov)
        + el("overklagande", "Bengt har överklagat")
    )


FR_XML = el(
    "Fastighetsreferens",
    el("objektidentitet", "12345678-1234-cafe-1234-123456789abc"),
    el("beteckning", "Gävle Berga 1:10"),
)
FR2_XML = FR_XML + FR_XML


def belopp_xml(name: str) -> str:
    return el(name, el("valuta", "SEK"), el("summa", "2831"))


def brak_xml(name: str) -> str:
    return el(name, el("taljare", "780881059000"), el("namnare", "8721130410483"))


ADRESS_XML = (
    el("coAdress", "VON PLATEN")
    + el("utdelningsadress1", "pl4523")
    + el("utdelningsadress2", "Kungsgatan 12")
    + el("postnummer", "99500")
    + el("postort", "SÖDERBO")
)
UTLANDSADRESS_XML = el(
    "Utlandsadress",  # the example writes <Utdlandsadress> inside Organisation (§7.4.8)
    el("utdelningsadress1", "Lillgate 37"),
    el("utdelningsadress2", "Lille Moen"),
    el("utdelningsadress3", "B671241"),
    el("utdelningsadress4", "Stavanger"),
    el("land", "Norge"),
)
PERSON_XML = el(
    "Person",
    el("personnummer", "19101010-1010"),
    el("fornamn", "Per Son"),
    el("mellannamn", "Pär"),
    el("efternamn", "PERSON"),
    el("tilltalsnamn", "Per Son"),
    el("Adress", ADRESS_XML),
    el("SarskildAdress", ADRESS_XML),
    UTLANDSADRESS_XML,
)
PERSON_MED_ID_XML = el("Person", el("id", "391aa3b9-d684-4051-a0cb-cb427a2e70ad"), el("fornamn", "Per Son"))
ORGANISATION_XML = el(
    "Organisation",
    el("id", "f16aa5ba-5785-407b-a049-0ccd1aaae86d"),  # not in the example; id and organisationsnummer may coexist
    el("organisationsnummer", "202100-1975"),
    el("organisationsnamn", "AB SÖDERVÄGG"),
    el("juridiskForm", "80"),
    el("Adress", ADRESS_XML),
    UTLANDSADRESS_XML,
)
UTLANDSK_AGARE_XML = el(
    "UtlandskAgare",
    v_xml("00b7b4b9-f6a1-4082-a002-96c0ff933246", "2016-11-30T23:32:05.789+01:00"),
    el("annatID", "12345AB-0000"),
    el("utdelningsadress", "Artilleriyskaya str., 123"),
    el("postkod", "ch-1234"),
    el("postort", "Chelyabinsk Region Chelyabinsk"),
    el("land", "Ryssland"),
    el("landskod", "RU"),
)


def agare_xml(vem: str, reklamsparr: str = "", person_id: str = "") -> str:
    """InskrivenPerson (element Agare) ending with ``vem``: Person, Organisation or UtlandskAgare."""
    return el(
        "Agare",
        v_xml("391aa3b9-d684-4051-a0cb-cb427a2e70ad", "2016-04-15T18:21:54.678+02:00"),
        el("efternamn", "PERSON"),
        el("fornamn", "PER"),
        el("organisationsnamn", "PER AB"),
        el("reklamsparr", reklamsparr) if reklamsparr else "",
        el("IDnummer", "19101010-1010"),
        el("personId", person_id) if person_id else "",
        vem,
    )


ANM_R_XML = r_xml("13d8aeb9-96ed-40c7-a045-fdebd31c4713", "Vilande", "2016-04-15")
ANM_TAIL_XML = (
    el("ovrigAnmarkning", "ANSÖKAN FÖRFALLEN")
    + el("gemensamBostadSambo", "J I PERSON")
    + el("tvistAvgjordTillFormanFor", "PERSON,PER")
)
LAGFARTSANMARKNING_XML = el(
    "Lagfartsanmarkning", ANM_R_XML, el("lagfartsanmarkning", "Förbehåll om överlåtelse"), ANM_TAIL_XML
)
TOMTRATTSINNEHAVSANMARKNING_XML = el(
    "Tomtrattsinnehavsanmarkning",
    ANM_R_XML,
    el("tomtrattsinnehavsanmarkning", "Förbehåll om överlåtelse"),  # the examples say <lagfartsanmarkning>
    ANM_TAIL_XML,
)
AGANDE_R_XML = r_xml("26f9a8b9-3639-400c-a088-6417a6a55be0", "Uppskov", "2016-12-06")


def lagfart_xml(agare: str) -> str:
    return el("Lagfart", AGANDE_R_XML, brak_xml("BeviljadAndel"), agare, LAGFARTSANMARKNING_XML)


def tomtrattsinnehav_xml(agare: str) -> str:
    return el("Tomtrattsinnehav", AGANDE_R_XML, brak_xml("BeviljadAndel"), agare, TOMTRATTSINNEHAVSANMARKNING_XML)


INSKRIVNINGSHANDELSE_XML = el(
    "Inskrivningshandelse",
    r_xml("c3d664ba-37c5-4070-a02a-7caa328bca3d", "Vilande", "2016-04-15"),
    el("inskrivningshandelsetyp", "Inlösen"),
    el("akthanvisning", "68/6611"),
    el("Paverkar", el("inteckning", "d6f75eba-d710-40b5-a06d-e3d50614df0a"), FR2_XML),
    el("Paverkar", el("avtalsrattighet", "0f5b4dba-b7f3-4084-a035-195881ae1c72"), FR_XML),
)
RATTIGHET_R_XML = r_xml("41c478bb-d9e2-40cb-a0df-86b2586c0597", "Okänd", "2016-03-03")
LIKARATT_XML = el("likaratt", "ac3809bb-b87f-40e8-a0d7-30eb0d948bcf") + el(
    "likaratt", "bf5903bb-58cb-402d-a01a-9816e01ca09c"
)
AVTALSRATTIGHETSANMARKNING_XML = el(
    "Avtalsrattighetsanmarkning",
    r_xml("b48a55bb-99a8-4068-a070-f2b64da18065", "Uppskov", "2016-12-06"),
    el("anmarkning", "GÄLLER I DEL AV FASTIGHET"),
)

INTECKNING_XML = el(
    "Inteckning",
    r_xml("000f3ebb-18d7-407c-a07c-8f649cc4d299", "Uppskov", "2016-12-06"),
    el("likaratt", "bf5903bb-58cb-402d-a01a-9816e01ca09c"),
    el("likaratt", "86f614bb-78e8-405e-a051-629465826235"),
    INSKRIVNINGSHANDELSE_XML,
    belopp_xml("Belopp"),
    el("pantbrevstyp", "Datapantbrev"),
    el("oklarInteckning", "true"),
    el("interregionalInteckning", "true"),
    el(
        "Inteckningsanmarkning",
        r_xml("6f0030ba-d76d-40dc-a084-1d31a35a8373", "Vilande", "2016-04-15"),
        el("inteckningsanmarkning", "Delexpropriation"),
        el("ovrigAnmarkning", "BELOPP"),
    ),
    el(
        "Innehavsanteckning",
        r_xml("48be3bba-97d6-4052-a0fe-4edafc485ad9", "Vilande", "2016-04-15"),
        el("organisationsnamn", "BANKEN AB"),
        el("efternamn", "Jansson"),
        el("fornamn", "Jan"),
        el("utdelningsadress", "Postgatan 1"),
        el("postnummer", "23456"),
        el("postkod", "postkod6"),
        el("postort", "Allholm"),
        el("land", "Sverige"),
        el("landskod", "SE"),
    ),
    el("Belastar", FR2_XML),
    el("AvsagUrsprungligen", FR2_XML),
    el("UtstrackningSoktI", FR2_XML),
)
AVTALSSERVITUT_XML = el(
    "Avtalsservitut",
    RATTIGHET_R_XML,
    LIKARATT_XML,
    INSKRIVNINGSHANDELSE_XML,
    AVTALSRATTIGHETSANMARKNING_XML,
    el("avtalsservitutsandamal", "Brygga"),
    el("avtalsservitutsandamal", "Båtplats"),
    el("ovrigtAndamal", "SKOGSEFFEKTER"),
    el("ovrigtAndamal", "MULBETE MM"),
)
AVTALSNYTTJANDERATT_XML = el(
    "Avtalsnyttjanderatt",
    RATTIGHET_R_XML,
    LIKARATT_XML,
    INSKRIVNINGSHANDELSE_XML,
    AVTALSRATTIGHETSANMARKNING_XML,
    el("avtalsnyttjanderattsandamal", "Jakt"),
    el("avtalsnyttjanderattsandamal", "Fiske"),
    el("ovrigtAndamal", "SKOGSAVVERKNING"),
    el("ovrigtAndamal", "MULBETE MM"),
)
ELKRAFTRATT_XML = el(
    "Elkraftratt", RATTIGHET_R_XML, LIKARATT_XML, INSKRIVNINGSHANDELSE_XML, AVTALSRATTIGHETSANMARKNING_XML
)
AVKOMSTRATT_XML = el(
    "Avkomstratt",
    RATTIGHET_R_XML,
    LIKARATT_XML,
    INSKRIVNINGSHANDELSE_XML,
    AVTALSRATTIGHETSANMARKNING_XML,
    el("Belastar", FR2_XML),
)


def belastar_xml(ordning: int, belastning: str) -> str:
    return el(
        "Belastar", v_xml("2ea37ebb-3997-4086-a09c-1f8784e3f0c9"), el("foretradesordning", str(ordning)), belastning
    )


FANG_R_XML = r_xml("5f5c97b9-151c-40db-a051-9a9921409947", "Okänd", "2016-03-03")
INSKRIVET_AGANDE = "ac3809bb-b87f-40e8-a0d7-30eb0d948bcf"

INSKRIVNINGSINFORMATION_XML = (
    f'<Inskrivningsinformation gml:id="ID_{FEATURE_ID}">'
    '<gml:boundedBy xsi:nil="true"/>'
    + el("objektidentitet", FEATURE_ID)
    + FR_XML
    + el(
        "IRFastighet",
        v_xml("ac3809bb-b87f-40e8-a0d7-30eb0d948bcf"),
        el("aldreForhallande", "T68/201,T80/14155,I80/14164,I80/14165,I81/2616,I80/14166"),
        el("allvarligtFelIR", "true"),
        el("oklaraInskrivningsforhallanden", "true"),
        el("senasteAndringInskrivningsdelen", "1999-05-21T11:00:01.224+02:00"),
        el("beraknatAktualitetsdatum", "2012-08-16"),
    )
    + el(
        "Omrade",
        v_xml("bf5903bb-58cb-402d-a01a-9816e01ca09c"),
        el("inskrivningskontor", "Hässleholm"),
        el("omradesaktualitet", "2012-08-16"),
    )
    + el(
        "PagaendeArende",
        v_xml("86f614bb-78e8-405e-a051-629465826235"),
        el("aktualitetsdatum", "2016-10-20"),
        el("pagaendeArendetyp", "Inteckning"),
        el("pagaendeArendetyp", "Lagfart"),
        FR2_XML,
    )
    + el(
        "Gruppinformation",
        v_xml("e59bf7ba-9862-40b6-a0a0-666d872ec936"),
        el("gruppinformationstyp", "Avtalsrättighetsgruppinformation"),
        el(
            "gruppinformation",
            "BESVÄRAS AV EVENTUELLA FÖRE FASTIGHETENS BILDANDE INSKRIVNA RÄTTIGHETER.INSKRIVNINGARNA BESVÄRAR I SÅ "
            "FALL ENDAST DEL AV FASTIGHETEN OCH FÖRETRÄDESORDNINGEN ÄR OKLAR DEM EMELLAN",
        ),
    )
    + el(
        "Tomtrattsupplatelse",
        # uppskovsdatum: the example writes 2015-05-15+02:00 (§7.4.9)
        r_xml("5862d4ba-5828-4054-a031-d2717d634405", "Beviljad", "2015-05-15", "2016-10-22T23:58:21.345+02:00"),
        el("andamal", "BOSTAD"),
        el("inskrankning", "Annan rättighet än panträtt eller nyttjanderätt får ej upplåtas"),
        el("ursprungligtStartdatum", "1981-01-01"),
        el("Avgald", el("startdatum", "1981-01-01"), belopp_xml("Avgift"), el("periodlangdar", "10")),
        el("FramtidaAvgald", el("startdatum", "1981-01-01"), belopp_xml("Avgift"), el("periodlangdar", "10")),
        el("aldreTomtratt", "true"),
        el("uppsagningsperiodar", "3"),
        el("uppsagningsdatum", "2015-10-22"),
        el("upplatelsedatum", "1980-11-01"),
        el(
            "Tomtrattsupplatelseanmarkning",
            r_xml("1fffe5ba-7845-4085-a069-9cef02c9069e", "Okänd", "2016-03-03", "2016-03-03T16:09:32.456+01:00"),
            el("anmarkning", "NY AVGÄLD"),
        ),
    )
    + belastar_xml(1, INTECKNING_XML)
    + belastar_xml(2, AVTALSSERVITUT_XML)
    + belastar_xml(3, AVTALSNYTTJANDERATT_XML)
    + belastar_xml(4, ELKRAFTRATT_XML)
    + belastar_xml(5, AVKOMSTRATT_XML)
    + el(
        "UtstrackningSoktI",
        v_xml("bb8418ba-569c-40f0-a090-badef17dd5a7"),
        el("foretradesordning", "3"),
        el("Inteckningsreferens", el("inteckning", "82212aba-76b9-4021-a0c7-845c76e39740"), FR2_XML),
    )
    + el(
        "Anteckning",
        r_xml("6b83ceba-f873-4099-a074-399d51ec58d2", "Beviljad", "2016-10-22"),
        el("anteckningstyp", "Beslut om tagande i förvar"),
        el("anteckningstext", "FÖRKLARING ENLIGT 2 KAP 3 § JORDABALKEN"),
        el(
            "Anteckningsanmarkning",
            r_xml("6b83ceba-f873-4099-a074-399d51ec58d2", "Beviljad", "2016-10-22"),
            el("anmarkning", "VITE 25.000 SEK"),
        ),
        el("Belastar", FR2_XML),
        el("Avser", el("inskrivetAgande", "f16aa5ba-5785-407b-a049-0ccd1aaae86d"), FR2_XML),
        el("Avser", el("inteckning", "b707b7ba-77a2-40ac-a080-d64a9f0fab06"), FR_XML),
        el("Avser", el("avtalsrattighet", "0f5b4dba-b7f3-4084-a035-195881ae1c72")),
    )
    # Agande in the example's literal form (one wrapper, several items) ...
    + el("Agande", lagfart_xml(agare_xml(PERSON_XML)), tomtrattsinnehav_xml(agare_xml(ORGANISATION_XML)))
    # ... TidigareAgande in the form bodata writes (one wrapper per item, decision 5).
    + el(
        "TidigareAgande",
        lagfart_xml(agare_xml(UTLANDSK_AGARE_XML, reklamsparr="true")),
    )
    + el(
        "TidigareAgande",
        tomtrattsinnehav_xml(
            agare_xml(PERSON_MED_ID_XML, person_id="391aa3b9-d684-4051-a0cb-cb427a2e70ad"),
        ),
    )
    + el(
        "Fastighetsagandeforandring",
        v_xml("41c478bb-d9e2-40cb-a0df-86b2586c0597", "2016-03-03T16:09:32.456+01:00"),
        el(
            "Kopeskilling",
            v_xml("4c3b9db9-75d0-4096-a00e-336e4eb7847a", "2016-03-03T16:09:32.456+01:00"),
            belopp_xml("PreliminarKopeskillingFastEgendom"),
            belopp_xml("OmraknadPreliminarKopeskilling"),
            belopp_xml("KopeskillingFastEgendom"),
            belopp_xml("OmraknadKopeskilling"),
            belopp_xml("Mellangift"),
            belopp_xml("KopeskillingLosEgendom"),
            el("kopeskillingstyp", "Avser hela fastigheten"),
            el("Omfattar", FR2_XML),
        ),
        el(
            "Fang",
            FANG_R_XML,
            brak_xml("AndelFang"),
            el("fangesar", "1994"),
            el("fangesart", "Bodelning"),
            el("fangeskod", "21"),
            el("forvarvstyp", "Utrymme"),
            el("omradesbeskrivning", "OMRÅDE CA 320 KVM"),
            TOMTRATTSINNEHAVSANMARKNING_XML,
            TOMTRATTSINNEHAVSANMARKNING_XML,
            el("inskrivetAgande", INSKRIVET_AGANDE),
        ),
        el(
            "Fang",
            FANG_R_XML,
            el("fangesdag", "1994-02-15"),
            el("fangesart", "Köp"),
            el("fangeskod", "11"),
            LAGFARTSANMARKNING_XML,
            el("inskrivetAgande", INSKRIVET_AGANDE),
        ),
        el("Fang", FANG_R_XML, el("fangesmanad", "1994-02"), el("inskrivetAgande", INSKRIVET_AGANDE)),
        el(
            "Overlatelse",
            v_xml("1ea75cb9-5510-408c-a0ef-a24b6598664a", "2016-03-03T16:09:32.456+01:00"),
            brak_xml("AndelOverlatelse"),
            el("inskrivetAgande", INSKRIVET_AGANDE),
        ),
    )
    + "</Inskrivningsinformation>"
)


def inskrivning_response_xml() -> bytes:
    """The full ``InskrivningResponse``: the complete registration and a minimal one (no includeData)."""
    minimal = (
        f'<Inskrivningsinformation gml:id="ID_{MINIMAL_FEATURE_ID}"><gml:boundedBy xsi:nil="true"/>'
        f"{el('objektidentitet', MINIMAL_FEATURE_ID)}{FR_XML}</Inskrivningsinformation>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<InskrivningResponse gml:id="response" xmlns:xsi="{XSI}" '
        f'xmlns="{NS}" xmlns:gml="{GML}"><gml:boundedBy xsi:nil="true"/>'
        f"{el('InskrivningMember', INSKRIVNINGSINFORMATION_XML)}{el('InskrivningMember', minimal)}"
        "</InskrivningResponse>"
    ).encode()


def fastighetsreferens_response_xml() -> bytes:
    """§3.3, verbatim."""
    return (
        f'<FastighetsreferensResponse xmlns="{NS}"><Fastighetsreferens>'
        "<objektidentitet>39722cbb-f8b9-404b-a045-c5e6175f1001</objektidentitet>"
        "<beteckning>KOPPARSAND TÄLLBERG 13:77</beteckning></Fastighetsreferens></FastighetsreferensResponse>"
    ).encode()


ID_REQUEST_IDS = ["12345678-1234-1234-1234-123456789012", "10000008-cafe-cafe-cafe-100000000002"]


def id_request_xml(ids: list[str] | None = None) -> bytes:
    """§1.7.2 (by default the example's two ids)."""
    ids = ID_REQUEST_IDS if ids is None else ids
    return f'<IdRequest xmlns="{NS}">{"".join(el("id", i) for i in ids)}</IdRequest>'.encode()


def fault_xml() -> bytes:
    """§4.46, verbatim."""
    return (
        b'<Fault xmlns="http://namespace.lantmateriet.se/distribution/produkter/fault/v1"><code>400</code>'
        b"<reason>Bad Request</reason><errors>Area is too large! Max is 1000000 - area is 1048076</errors></Fault>"
    )


# --------------------------------------------------------------------------------------------------------- JSON


def v_json(oid: str, tid: str = "2016-10-22T23:58:21.345+02:00") -> dict[str, Any]:
    return {"objektidentitet": oid, "objektversion": 1, "versionGiltigFran": tid}


def r_json(oid: str, beslut: str, uppskov: str, tid: str = "2016-12-06T21:10:43.567+01:00") -> dict[str, Any]:
    return {
        **v_json(oid, tid),
        "inskrivningsdag": "2016-12-06",
        "dagboksnummer": ["99/2535", "99/2536"],
        "aktnummer": "D-2016-00011356:7",
        "beslut": beslut,
        "nyttBeslut": {
            "beslutetsInskrivningsdag": "2016-01-11",
            "beslutetsDagboksnummer": "92/41132",
            "beslutetsAktnummer": "D-2016-00011356:7",
        },
        "uppskovsdatum": uppskov,
        "overklagande": "Bengt har överklagat",
    }


def fr_json() -> dict[str, Any]:
    return {"objektidentitet": "12345678-1234-cafe-1234-123456789abc", "beteckning": "Gävle Berga S:10"}


def fr2_json() -> list[dict[str, Any]]:
    return [fr_json(), fr_json()]


def belopp_json() -> dict[str, Any]:
    return {"valuta": "SEK", "summa": 2831}


def brak_json() -> dict[str, Any]:
    return {"taljare": 780881059000, "namnare": 8721130410483}


def adress_json() -> dict[str, Any]:
    return {
        "coAdress": "VON PLATEN",
        "utdelningsadress1": "pl4523",
        "utdelningsadress2": "Kungsgatan 12",
        "postnummer": "99500",
        "postort": "SÖDERBO",
    }


def utlandsadress_json() -> dict[str, Any]:
    # The example repeats "utdelningsadress1" four times (§7.4.8).
    return {
        "utdelningsadress1": "Lillgate 37",
        "utdelningsadress2": "Lille Moen",
        "utdelningsadress3": "B671241",
        "utdelningsadress4": "Stavanger",
        "land": "Norge",
    }


def agare_json(vem: dict[str, Any], reklamsparr: bool | None = None, person_id: str | None = None) -> dict[str, Any]:
    """InskrivenPerson ending with ``vem``: a ``person``, ``organisation`` or ``utlandskAgare`` member."""
    agare: dict[str, Any] = {
        **v_json("76527cba-b796-405d-a01e-dffce4677809", "2016-12-06T21:10:43.567+01:00"),
        "efternamn": "ÖSTER",
        "fornamn": "HAMN",
        "organisationsnamn": "ÖSTERHAMNS KOMMUN",
    }
    if reklamsparr is not None:
        agare["reklamsparr"] = reklamsparr
    agare["idnummer"] = "212000-2353"
    if person_id is not None:
        agare["personId"] = person_id
    return {**agare, **vem}


def person_json() -> dict[str, Any]:
    return {
        "personnummer": "19101010-1010",
        "fornamn": "Per Son",
        "mellannamn": "Pär",
        "efternamn": "Person",
        "tilltalsnamn": "Per Son",
        "adress": adress_json(),
        "sarskildAdress": adress_json(),
        "utlandsadress": utlandsadress_json(),
    }


def organisation_json() -> dict[str, Any]:
    return {
        "id": "f16aa5ba-5785-407b-a049-0ccd1aaae86d",  # not in the example; id and organisationsnummer may coexist
        "organisationsnummer": "202100-1975",
        "organisationsnamn": "AB SÖDERVÄGG",
        "juridiskForm": "80",
        "adress": adress_json(),
        "utlandsadress": utlandsadress_json(),
    }


def utlandsk_agare_json() -> dict[str, Any]:
    return {
        **v_json("897376ba-57e2-40a2-a061-4628b7f08cd6", "2016-11-30T23:32:05.789+01:00"),
        "annatID": "12345AB-0000",
        "utdelningsadress": "Artilleriyskaya str., 123",
        "postkod": "ch-1234",
        "postort": "Chelyabinsk Region Chelyabinsk",
        "land": "Ryssland",
        "landskod": "RU",
    }


def anmarkning_json(kod_key: str) -> dict[str, Any]:
    """Lagfartsanmarkning (``kod_key="lagfartsanmarkning"``) or Tomtrattsinnehavsanmarkning."""
    return {
        **r_json("13d8aeb9-96ed-40c7-a045-fdebd31c4713", "Vilande", "2016-04-15"),
        kod_key: "Förbehåll",  # the Tomtrattsinnehavsanmarkning example says "lagfartsanmarkning" (decision 7)
        "ovrigAnmarkning": "ANSÖKAN FÖRFALLEN",
        "gemensamBostadSambo": "J I PERSON",
        "tvistAvgjordTillFormanFor": "PERSON,PER",
    }


def lagfart_json(agare: dict[str, Any]) -> dict[str, Any]:
    return {
        "typ": "Lagfart",
        **r_json("26f9a8b9-3639-400c-a088-6417a6a55be0", "Uppskov", "2016-12-06"),
        "beviljadAndel": brak_json(),
        "agare": agare,
        "lagfartsanmarkning": [anmarkning_json("lagfartsanmarkning")],
    }


def tomtrattsinnehav_json(agare: dict[str, Any]) -> dict[str, Any]:
    return {
        "typ": "Tomträttsinnehav",
        **r_json("26f9a8b9-3639-400c-a088-6417a6a55be0", "Uppskov", "2016-12-06"),
        "beviljadAndel": brak_json(),
        "agare": agare,
        "tomtrattsinnehavsanmarkning": [anmarkning_json("tomtrattsinnehavsanmarkning")],
    }


def inskrivningshandelse_json() -> dict[str, Any]:
    # uppskovsdatum: the example writes "2016-04-15T00:00:00.000+0200" (§7.4.9)
    return {
        **r_json("c3d664ba-37c5-4070-a02a-7caa328bca3d", "Vilande", "2016-04-15"),
        "inskrivningshandelsetyp": "Inlösen",
        "akthanvisning": "68/6611",
        "paverkar": [
            {"avtalsrattighet": "0f5b4dba-b7f3-4084-a035-195881ae1c72", "fastighetsreferens": fr2_json()},
            {"inteckning": "d6f75eba-d710-40b5-a06d-e3d50614df0a", "fastighetsreferens": [fr_json()]},
        ],
    }


def rattighet_json(typ: str) -> dict[str, Any]:
    """typ + R-block + likaratt + inskrivningshandelse + avtalsrattighetsanmarkning (the four avtalsrättigheter)."""
    return {
        "typ": typ,
        # uppskovsdatum: the Avtalsnyttjanderatt example writes "2016-03-03T00:00:00.000+0100" (§7.4.9)
        **r_json("41c478bb-d9e2-40cb-a0df-86b2586c0597", "Okänd", "2016-03-03"),
        "likaratt": ["ac3809bb-b87f-40e8-a0d7-30eb0d948bcf", "bf5903bb-58cb-402d-a01a-9816e01ca09c"],
        "inskrivningshandelse": [inskrivningshandelse_json()],
        "avtalsrattighetsanmarkning": [
            {
                **r_json("b48a55bb-99a8-4068-a070-f2b64da18065", "Uppskov", "2016-12-06"),
                "anmarkning": "FÖRETRÄDESORDNINGEN OKLAR MELLAN INSKRIVNA RÄTTIGHETER",
            }
        ],
    }


def inteckning_json() -> dict[str, Any]:
    return {
        "typ": "Inteckning",
        **r_json("000f3ebb-18d7-407c-a07c-8f649cc4d299", "Uppskov", "2016-12-06"),
        "likaratt": ["bf5903bb-58cb-402d-a01a-9816e01ca09c", "86f614bb-78e8-405e-a051-629465826235"],
        "inskrivningshandelse": [inskrivningshandelse_json()],
        "belopp": belopp_json(),
        "pantbrevstyp": "Datapantbrev",
        "oklarInteckning": True,
        "interregionalInteckning": True,
        "inteckningsanmarkning": [
            {
                **r_json("6f0030ba-d76d-40dc-a084-1d31a35a8373", "Vilande", "2016-04-15"),
                "inteckningsanmarkning": "Delexpropriation",
                "ovrigAnmarkning": "LMV",
            }
        ],
        "innehavsanteckning": {
            **r_json("48be3bba-97d6-4052-a0fe-4edafc485ad9", "Vilande", "2016-04-15"),
            "organisationsnamn": "BANKEN AB",
            "efternamn": "Jansson",
            "fornamn": "Jan",
            "utdelningsadress": "Postgatan 1",
            "postnummer": 23456,
            "postkod": "LZ-265",
            "postort": "Allholm",
            "land": "Sverige",
            "landskod": "SE",
        },
        "belastar": fr2_json(),
        "avsagUrsprungligen": fr2_json(),
        "utstrackningSoktI": fr2_json(),
    }


def belastningar_json() -> list[dict[str, Any]]:
    """The five InskrivenBelastning variants."""
    avtalsservitut = rattighet_json("Avtalsservitut")
    avtalsservitut["avtalsservitutsandamal"] = ["Brygga", "Båtplats"]
    avtalsservitut["ovrigtAndamal"] = ["SKOGSEFFEKTER", "MULBETE MM"]
    avtalsnyttjanderatt = rattighet_json("Avtalsnyttjanderätt")
    # The example has ["Brygga", "Båtplats"], copied from Avtalsservitut; Båtplats is not in this code list.
    avtalsnyttjanderatt["avtalsnyttjanderattsandamal"] = ["Jakt", "Fiske"]
    avtalsnyttjanderatt["ovrigtAndamal"] = ["SKOGSEFFEKTER", "MULBETE MM"]
    avkomstratt = {**rattighet_json("Avkomsträtt"), "belastar": fr2_json()}
    return [inteckning_json(), avtalsservitut, avtalsnyttjanderatt, rattighet_json("Elkrafträtt"), avkomstratt]


def fang_json(**mitt: Any) -> dict[str, Any]:
    return {
        **r_json("5f5c97b9-151c-40db-a051-9a9921409947", "Okänd", "2016-03-03"),
        **mitt,
        "inskrivetAgande": "ac3809bb-b87f-40e8-a0d7-30eb0d948bcf",
    }


def inskrivningsinformation_json() -> dict[str, Any]:
    """The properties of the complete feature (every optional member present)."""
    return {
        "objektidentitet": FEATURE_ID,
        "fastighetsreferens": fr_json(),
        "irfastighet": {
            **v_json("ac3809bb-b87f-40e8-a0d7-30eb0d948bcf"),
            "aldreForhallande": "T68/201,T80/14155,I80/14164,I80/14165,I81/2616,I80/14166",
            "allvarligtFelIR": True,
            "oklaraInskrivningsforhallanden": True,
            "senasteAndringInskrivningsdelen": "1999-05-21T11:00:01.224+02:00",
            "beraknatAktualitetsdatum": "2012-08-16",
        },
        "omrade": {
            **v_json("bf5903bb-58cb-402d-a01a-9816e01ca09c"),
            "inskrivningskontor": "Hässleholm",
            "omradesaktualitet": "2012-08-16",
        },
        "pagaendeArende": [
            {
                **v_json("86f614bb-78e8-405e-a051-629465826235"),
                "aktualitetsdatum": "2016-10-20",
                "pagaendeArendetyp": ["Inteckning", "Lagfart"],
                "fastighetsreferens": fr2_json(),
            }
        ],
        "gruppinformation": [
            {
                **v_json("e59bf7ba-9862-40b6-a0a0-666d872ec936"),
                "gruppinformationstyp": "Lagfartsgruppinformation",
                "gruppinformation": "LAGFART 1:A GGN SÖKT 1946-05-02",
            }
        ],
        "tomtrattsupplatelse": {
            **r_json("5862d4ba-5828-4054-a031-d2717d634405", "Beviljad", "2015-05-15", "2016-10-22T23:58:21.345+02:00"),
            "andamal": "BOSTAD",
            "inskrankning": "Annan rättighet än panträtt eller nyttjanderätt får ej upplåtas",
            "ursprungligtStartdatum": "1981-01-01",
            "avgald": {"startdatum": "1981-01-01", "avgift": belopp_json(), "periodlangdar": 10},
            "framtidaAvgald": {"startdatum": "1981-01-01", "avgift": belopp_json(), "periodlangdar": 10},
            "aldreTomtratt": True,
            "uppsagningsperiodar": 3,
            "uppsagningsdatum": "2015-10-22",
            "upplatelsedatum": "1980-11-01",
            "tomtrattsupplatelseanmarkning": [
                {
                    **r_json(
                        "1fffe5ba-7845-4085-a069-9cef02c9069e",
                        "Beviljad",
                        "2016-03-03",
                        "2016-03-03T16:09:32.456+01:00",
                    ),
                    "anmarkning": "NY AVGÄLD",
                }
            ],
        },
        "belastar": [
            {
                **v_json("2ea37ebb-3997-4086-a09c-1f8784e3f0c9"),
                "foretradesordning": ordning,
                "inskrivenBelastning": belastning,
            }
            for ordning, belastning in enumerate(belastningar_json(), start=1)
        ],
        "utstrackningSoktI": [
            {
                **v_json("bb8418ba-569c-40f0-a090-badef17dd5a7"),
                "foretradesordning": 3,
                "inteckningsreferens": {
                    "inteckning": "82212aba-76b9-4021-a0c7-845c76e39740",
                    "fastighetsreferens": fr2_json(),
                },
            }
        ],
        "anteckning": [
            {
                **r_json("6b83ceba-f873-4099-a074-399d51ec58d2", "Beviljad", "2016-10-22"),
                "anteckningstyp": "Beslut om tagande i förvar",
                "anteckningstext": "FÖRKLARING ENLIGT 2 KAP 3 § JORDABALKEN",
                "anteckningsanmarkning": [
                    {
                        **r_json("6b83ceba-f873-4099-a074-399d51ec58d2", "Beviljad", "2016-10-22"),
                        "anmarkning": "FRIST TILL 2008-08-01",
                    }
                ],
                "belastar": fr2_json(),
                "avser": [
                    {"inteckning": "b707b7ba-77a2-40ac-a080-d64a9f0fab06", "fastighetsreferens": fr2_json()},
                    {"inskrivetAgande": "f16aa5ba-5785-407b-a049-0ccd1aaae86d", "fastighetsreferens": [fr_json()]},
                    {"avtalsrattighet": "0f5b4dba-b7f3-4084-a035-195881ae1c72"},
                ],
            }
        ],
        "agande": [
            lagfart_json(agare_json({"person": person_json()})),
            tomtrattsinnehav_json(agare_json({"organisation": organisation_json()})),
        ],
        "tidigareAgande": [
            lagfart_json(agare_json({"utlandskAgare": utlandsk_agare_json()}, reklamsparr=True)),
            tomtrattsinnehav_json(
                agare_json(
                    {"person": {"id": "76527cba-b796-405d-a01e-dffce4677809", "fornamn": "Per Son"}},
                    person_id="76527cba-b796-405d-a01e-dffce4677809",
                )
            ),
        ],
        "fastighetsagandeforandring": [
            {
                **v_json("41c478bb-d9e2-40cb-a0df-86b2586c0597", "2016-03-03T16:09:32.456+01:00"),
                "kopeskilling": {
                    **v_json("4c3b9db9-75d0-4096-a00e-336e4eb7847a", "2016-03-03T16:09:32.456+01:00"),
                    "preliminarKopeskillingFastEgendom": belopp_json(),
                    "omraknadPreliminarKopeskilling": belopp_json(),
                    "kopeskillingFastEgendom": belopp_json(),
                    "omraknadKopeskilling": belopp_json(),
                    "mellangift": belopp_json(),
                    "kopeskillingLosEgendom": belopp_json(),
                    "kopeskillingstyp": "Ingen köpeskilling redovisas",
                    "omfattar": fr2_json(),
                },
                "fang": [
                    fang_json(
                        andelFang=brak_json(),
                        fangesmanad="1994-02",
                        fangesart="Bodelning",
                        fangeskod="21",
                        forvarvstyp="Utrymme",
                        omradesbeskrivning="OMRÅDE CA 1,9 HA",
                        tomtrattsinnehavsanmarkning=[anmarkning_json("tomtrattsinnehavsanmarkning")],
                    ),
                    fang_json(
                        fangesdag="1994-02-15",
                        fangesart="Köp",
                        fangeskod="11",
                        lagfartsanmarkning=[anmarkning_json("lagfartsanmarkning")],
                    ),
                    fang_json(fangesar=1994),
                ],
                "overlatelse": [
                    {
                        **v_json("1ea75cb9-5510-408c-a0ef-a24b6598664a", "2016-03-03T16:09:32.456+01:00"),
                        "andelOverlatelse": brak_json(),
                        "inskrivetAgande": "ac3809bb-b87f-40e8-a0d7-30eb0d948bcf",
                    }
                ],
            }
        ],
    }


def inskrivning_response_json() -> dict[str, Any]:
    """The full ``InskrivningResponse``: the complete registration and a minimal one (no includeData)."""
    return {
        "type": "FeatureCollection",
        "crs": None,
        "features": [
            {"type": "Feature", "id": FEATURE_ID, "geometry": None, "properties": inskrivningsinformation_json()},
            {
                "type": "Feature",
                "id": MINIMAL_FEATURE_ID,
                "geometry": None,
                "properties": {"objektidentitet": MINIMAL_FEATURE_ID, "fastighetsreferens": fr_json()},
            },
        ],
    }


def fastighetsreferens_response_json() -> list[dict[str, Any]]:
    """§3.3, verbatim."""
    return [{"objektidentitet": "39722cbb-f8b9-404b-a045-c5e6175f1001", "beteckning": "KOPPARSAND TÄLLBERG 13:77"}]


def id_request_json() -> list[str]:
    """§1.7.2, verbatim."""
    return list(ID_REQUEST_IDS)


def fault_json() -> dict[str, Any]:
    """§4.46 (the capture lacks the closing brace)."""
    return {"code": 400, "reason": "Bad Request", "errors": ["Area is too large! Max is 1000000 - area is 1048076"]}
