"""The datatypes of Inskrivning v3 (inskrivning.md §4) as typed dataclasses, and the plans the codecs walk.

Each class is one datatype of the specification; its attributes are the JSON keys (lowerCamel, §3.4.6) in table
order, and :func:`one`/:func:`opt`/:func:`many` record the XML element name where it differs from the key and how
lists of references are wrapped in XML (§3.4.3-4). The seven union members carry their JSON ``typ`` value in
``TYP``. The client returns these classes; the server and the importer work on plain JSON dicts and use
:func:`plan` to know each member's name, kind and multiplicity, so one declaration drives every format.
"""

from __future__ import annotations

import types
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, ClassVar, Literal, Union, get_args, get_origin, get_type_hints
from uuid import UUID

# --- Code lists (§6) --------------------------------------------------------------------------------

IncludeData = Literal[
    "inskrivningsfastighet",
    "agareAktuella",
    "agareAlla",
    "forvarv",
    "avtalsrattighet",
    "inteckning",
    "anteckning",
    "tomtrattsupplatelse",
    "total",
]
Inskrivningskontor = Literal["Eksjö", "Härnösand", "Hässleholm", "Mora", "Norrtälje", "Skellefteå", "Uddevalla"]
PagaendeArendetyp = Literal[
    "Anteckning", "Aviseringar", "Avtalsrättighet", "Inteckning", "Lagfart", "Tomträtt", "Övrigt"
]
Gruppinformationstyp = Literal["Avtalsrättighetsgruppinformation", "Lagfartsgruppinformation"]
Beslut = Literal["Avslag", "Avvisad", "Beviljad", "Okänd", "Uppskov", "Vilande"]
Pantbrevstyp = Literal["Datapantbrev", "Skriftligt pantbrev"]
Inskrivningshandelsetyp = Literal[
    "Dödning",
    "Exekutiv försäljning",
    "Expropriation",
    "Fastighetsreglering",
    "Förordnande enligt fastighetsbildningslagen",
    "Inlösen",
    "Kommunrelax",
    "Nedsättning",
    "Relax",
    "Sammanföring",
    "Sammanläggning",
    "Utbyte",
    "Utsträckning",
]
Inteckningsanmarkningstyp = Literal[
    "Anmärkning",
    "Ansökan att handlingen dödas avslagen",
    "Ansökan att handlingen dödas",
    "Ansökan att ursprunglig handling dödas",
    "Ansökan om dödning av inteckningen utan handlingens företeende",
    "Delexpropriation",
    "Delinlösen",
    "Ensittarinlösen",
    "Expropriationsstämning",
    "Fråga om rättelse",
    "Handlingen dödad",
    "Homogenitetsprincipen ej beaktad",
    "Inteckningen får dödas utan handlingens företeende",
    "Minskat kapitalbelopp",
    "Ny handling utfärdad",
    "Ogulden köpeskilling",
    "Omprövat beslut",
    "Omräknat från äldre mynt",
    "Ränta",
    "Rättat",
    "Skatt beslutad",
    "Skatt ej beslutad",
    "Skatt omprövad",
    "Skatt ändrad",
    "Skatt överklagad",
    "Tvist",
    "Tvist avgjord",
    "Uppdelning",
    "Ursprunglig handling dödad",
    "Utbrytning",
]
Avtalsservitutsandamal = Literal[
    "Altan",
    "Avloppsledning",
    "Badplats",
    "Bergvärme",
    "Bete",
    "Brandmur",
    "Brunn",
    "Brygga",
    "Byggnad",
    "Båtplats",
    "Dike",
    "Elledning",
    "Fiske",
    "Fjärrvärmeledning",
    "Grundvattenskydd",
    "Grundvattentäkt",
    "Grustäkt",
    "Grönområde",
    "Jakt",
    "Jordvärme",
    "Kraftledning",
    "Lertäkt",
    "Linbana",
    "Område",
    "Optokabel",
    "Parkering",
    "Sandtäkt",
    "Skog",
    "Slåtter",
    "Soptipp",
    "Stentäkt",
    "Strand",
    "Tele",
    "Torvtäkt",
    "Transformatorstation",
    "Tvättstuga",
    "Tångtäkt",
    "Uppdämning",
    "Upplagsplats",
    "Utsikt",
    "VA-ledningar",
    "Vatten",
    "Vattenkraft",
    "Vattenledning",
    "Villa",
    "Väg",
    "Värmecentral",
    "Värmeledning",
    "Ytvattenskydd",
    "Ytvattentäkt",
]
Avtalsnyttjanderattsandamal = Literal[
    "Avverkningsrätt", "Bostad", "Brygga", "Fiske", "Hela fastigheten", "Jakt", "Område", "Tele", "Vindkraftanläggning"
]
Anteckningstyp = Literal[
    "Ansökan om sammanläggning",
    "Beslut om sammanläggning",
    "Beslut om tagande i förvar",
    "Betalningssäkring verkställd",
    "Ersättningsbeslut",
    "Exekutiv försäljning",
    "Exekutiv försäljning begärd",
    "Exploateringssamverkan",
    "Expropriation",
    "Expropriationsrätten förverkad",
    "Expropriationsstämning",
    "Fråga om inlösen enligt anläggningslagen",
    "Fråga om inlösen enligt fastighetsbildningslagen",
    "Fråga om inlösen enligt ledningsrättslagen",
    "Förbud",
    "Föreläggande",
    "Företagsinteckning",
    "Förköpsrätt",
    "Förköpsrätt bestridd",
    "Förmånsrätt för fordran",
    "Förnyelse",
    "Förordnande att hela fastigheten skall säljas",
    "Hembud",
    "Industritillbehör",
    "Intresseanmälan för arrendatorers rätt att förvärva arrendeställe",
    "Intresseanmälan för ombildning till bostadsrätt",
    "Intresseanmälan för ombildning till kooperativ hyresrätt",
    "Konkurs",
    "Konkurs avslutad utan att fastigheten sålts",
    "Kvarstad",
    "Orubbad avtalsrättighet vid inlösen",
    "Ställföreträdare",
    "Stämning i mål om inlösen",
    "Talan om bulvanförhållande",
    "Talan om inlösen",
    "Tvångsförvaltning",
    "Utländskt beslut för likvidationsförfarande",
    "Utländskt beslut för insolvensförfarande",
    "Utländskt beslut för rekonstruktionsåtgärd/likvidationsförfarande",
    "Utländskt beslut för rekonstruktionsåtgärd",
    "Utmätning",
    "Yttrande om sammanläggning",
    "Åläggande",
    "Överlåtelseförbud",
    "Övrigt",
]
Agandeanmarkningstyp = Literal[
    "Andel osäker",
    "Anmärkning",
    "Avyttringsskyldighet",
    "Enskild egendom",
    "Fråga om rättelse",
    "Förbehåll",
    "Förbehåll om inteckning",
    "Förbehåll om inteckning, pantsättning",
    "Förbehåll om inteckning, pantsättning, upplåta rättighet",
    "Förbehåll om inteckning, upplåta rättighet",
    "Förbehåll om pantsättning",
    "Förbehåll om pantsättning, upplåta rättighet",
    "Förbehåll om upplåta rättighet",
    "Förbehåll om överlåtelse",
    "Förbehåll om överlåtelse, inteckning",
    "Förbehåll om överlåtelse, inteckning, pantsättning",
    "Förbehåll om överlåtelse, inteckning, pantsättning, upplåta rättighet",
    "Förbehåll om överlåtelse, inteckning, upplåta rättighet",
    "Förbehåll om överlåtelse, pantsättning",
    "Förbehåll om överlåtelse, pantsättning, upplåta rättighet",
    "Förbehåll om överlåtelse, upplåta rättighet",
    "Hembud",
    "ID-nummer kompletterat",
    "Järnvägslagfart",
    "Kommunens lagfartsförhållanden ej utredda",
    "Lagfarten avser stamfastigheten",
    "Namn",
    "Rättat",
    "Sammanläggningsavtal",
    "Tvist",
    "Tvist avgjord",
    "Ytterligare fång förekommer",
]
Kopeskillingstyp = Literal["Ingen köpeskilling redovisas", "Avser hela fastigheten", "Avser även annan fastighet"]
Fangesart = Literal[
    "Arv",
    "Avhandling",
    "Avtal",
    "Bodelning",
    "Bodelning pga. dödsfall",
    "Bodelning pga. samboförhållandets upphörande",
    "Bodelning pga. äktenskapsskillnad",
    "Bodelning under bestående äktenskap",
    "Bouppteckning",
    "Byte",
    "Delning",
    "Domstols utslag eller dom",
    "Ensittarinlösen",
    "Exekutiv försäljning",
    "Expropriation",
    "Fideikommiss",
    "Fusion",
    "Förköp",
    "Förvärv av kyrklig jord prästlöneboställe",
    "Gåva",
    "Inlösen",
    "Järnvägslagfart",
    "Konkursförsäljning",
    "Köp",
    "Laga skifte",
    "Lagfart på grundval av protokoll från lagfartssammanträde",
    "Skifte",
    "Storskifte",
    "Testamente",
    "Tillskott",
    "Upplåtelse av tomträtt",
    "Utdelning",
    "Äganderättsförteckning",
    "Äktenskapsförord",
    "Övriga fångeshandlingar",
]
Fangeskod = Literal["11", "12", "21", "22", "23", "31", "32", "40", "50", "60", "61", "70", "80", "90"]
Forvarvstyp = Literal["Område", "Undantag av område", "Undantag av utrymme", "Utrymme"]


# --- Declaring members -----------------------------------------------------------------------------


class Wrap(Enum):
    """How a member is written in XML."""

    NONE = "none"  # one element per value, named after the property (a union: the concrete type's element)
    LIST = "list"  # one element named after the property around all items (Fastighetsreferens lists, §3.4.3, and
    # Agande / TidigareAgande, §3.4.4: one wrapper holding every Lagfart and Tomtrattsinnehav, as the example shows)


def one(xml: str | None = None) -> Any:
    """A required member (multiplicity 1); ``xml`` is its element name when it differs from the JSON key."""
    return field(metadata={"xml": xml})


def opt(xml: str | None = None) -> Any:
    """An optional member (multiplicity 0..1)."""
    return field(default=None, metadata={"xml": xml})


def many(xml: str | None = None, *, wrap: Wrap = Wrap.NONE, at_least_one: bool = False) -> Any:
    """A repeated member (0..*, or 1..* with ``at_least_one``)."""
    return field(default_factory=list, metadata={"xml": xml, "wrap": wrap, "min": 1 if at_least_one else 0})


datatype = dataclass(kw_only=True, slots=True)


# --- The datatypes (§4, in document order after the shared blocks) ------------------------------------


@datatype
class Versioned:
    """The first three members of every versioned object (digest §4.0.1)."""

    objektidentitet: UUID
    objektversion: int
    versionGiltigFran: datetime | None = None


@datatype
class Registration(Versioned):
    """The ten registration-decision members shared by 18 datatypes (digest §4.0.2)."""

    inskrivningsdag: date | None = None
    dagboksnummer: list[str] = many()
    aktnummer: str | None = None
    beslut: Beslut
    nyttBeslut: NyttBeslut | None = opt("NyttBeslut")
    uppskovsdatum: date | None = None
    overklagande: str | None = None


@datatype
class Fastighetsreferens:
    objektidentitet: UUID
    beteckning: str | None = None


@datatype
class IRFastighet(Versioned):
    aldreForhallande: str | None = None
    allvarligtFelIR: bool
    oklaraInskrivningsforhallanden: bool
    senasteAndringInskrivningsdelen: datetime | None = None
    beraknatAktualitetsdatum: date


@datatype
class Omrade(Versioned):
    inskrivningskontor: Inskrivningskontor
    omradesaktualitet: date


@datatype
class PagaendeArende(Versioned):
    aktualitetsdatum: date
    pagaendeArendetyp: list[PagaendeArendetyp] = many(at_least_one=True)
    fastighetsreferens: list[Fastighetsreferens] = many("Fastighetsreferens")


@datatype
class Gruppinformation(Versioned):
    gruppinformationstyp: Gruppinformationstyp | None = None
    gruppinformation: str


@datatype
class NyttBeslut:
    beslutetsInskrivningsdag: date | None = None
    beslutetsDagboksnummer: str | None = None
    beslutetsAktnummer: str | None = None


@datatype
class Belopp:
    valuta: str
    summa: int


@datatype
class Avgald:
    startdatum: date
    avgift: Belopp | None = opt("Avgift")
    periodlangdar: int | None = None


@datatype
class Tomtrattsupplatelseanmarkning(Registration):
    anmarkning: str


@datatype
class Tomtrattsupplatelse(Registration):
    andamal: str
    inskrankning: str | None = None
    ursprungligtStartdatum: date
    avgald: Avgald = one("Avgald")
    framtidaAvgald: Avgald | None = opt("FramtidaAvgald")
    aldreTomtratt: bool
    uppsagningsperiodar: int | None = None
    uppsagningsdatum: date | None = None
    upplatelsedatum: date
    tomtrattsupplatelseanmarkning: list[Tomtrattsupplatelseanmarkning] = many("Tomtrattsupplatelseanmarkning")


@datatype
class InskrivenBelastningsreferens:
    """Exactly one of ``inteckning`` and ``avtalsrattighet`` is set (XML element ``<Paverkar>``)."""

    inteckning: UUID | None = None
    avtalsrattighet: UUID | None = None
    fastighetsreferens: list[Fastighetsreferens] = many("Fastighetsreferens")


@datatype
class Inskrivningshandelse(Registration):
    inskrivningshandelsetyp: Inskrivningshandelsetyp
    akthanvisning: str | None = None
    paverkar: list[InskrivenBelastningsreferens] = many("Paverkar")


@datatype
class Inteckningsanmarkning(Registration):
    inteckningsanmarkning: Inteckningsanmarkningstyp | None = None
    ovrigAnmarkning: str | None = None


@datatype
class Innehavsanteckning(Registration):
    organisationsnamn: str | None = None
    efternamn: str | None = None
    fornamn: str | None = None
    utdelningsadress: str | None = None
    postnummer: int | None = None
    postkod: str | None = None
    postort: str | None = None
    land: str | None = None
    landskod: str | None = None


@datatype
class Inteckning(Registration):
    TYP: ClassVar[str] = "Inteckning"

    likaratt: list[UUID] = many()
    inskrivningshandelse: list[Inskrivningshandelse] = many("Inskrivningshandelse")
    belopp: Belopp = one("Belopp")
    pantbrevstyp: Pantbrevstyp | None = None
    oklarInteckning: bool
    interregionalInteckning: bool
    inteckningsanmarkning: list[Inteckningsanmarkning] = many("Inteckningsanmarkning")
    innehavsanteckning: Innehavsanteckning | None = opt("Innehavsanteckning")
    belastar: list[Fastighetsreferens] = many("Belastar", wrap=Wrap.LIST)
    avsagUrsprungligen: list[Fastighetsreferens] = many("AvsagUrsprungligen", wrap=Wrap.LIST)
    utstrackningSoktI: list[Fastighetsreferens] = many("UtstrackningSoktI", wrap=Wrap.LIST)


@datatype
class Avtalsrattighetsanmarkning(Registration):
    anmarkning: str


@datatype
class Avtalsrattighet(Registration):
    """The members the four kinds of avtalsrättighet share (not a datatype of its own in the document)."""

    likaratt: list[UUID] = many()
    inskrivningshandelse: list[Inskrivningshandelse] = many("Inskrivningshandelse")
    avtalsrattighetsanmarkning: list[Avtalsrattighetsanmarkning] = many("Avtalsrattighetsanmarkning")


@datatype
class Avtalsservitut(Avtalsrattighet):
    TYP: ClassVar[str] = "Avtalsservitut"

    avtalsservitutsandamal: list[Avtalsservitutsandamal] = many()
    ovrigtAndamal: list[str] = many()


@datatype
class Avtalsnyttjanderatt(Avtalsrattighet):
    TYP: ClassVar[str] = "Avtalsnyttjanderätt"

    avtalsnyttjanderattsandamal: list[Avtalsnyttjanderattsandamal] = many()
    ovrigtAndamal: list[str] = many()


@datatype
class Elkraftratt(Avtalsrattighet):
    TYP: ClassVar[str] = "Elkrafträtt"


@datatype
class Avkomstratt(Avtalsrattighet):
    TYP: ClassVar[str] = "Avkomsträtt"

    belastar: list[Fastighetsreferens] = many("Belastar", wrap=Wrap.LIST)


InskrivenBelastning = Inteckning | Avtalsservitut | Avtalsnyttjanderatt | Elkraftratt | Avkomstratt


@datatype
class Belastar(Versioned):
    """One encumbrance of the property with its priority (top-level ``Belastar``, §4.14)."""

    foretradesordning: int
    inskrivenBelastning: InskrivenBelastning = one()


@datatype
class Inteckningsreferens:
    inteckning: UUID
    fastighetsreferens: list[Fastighetsreferens] = many("Fastighetsreferens", at_least_one=True)


@datatype
class UtstrackningSoktI(Versioned):
    foretradesordning: int
    inteckningsreferens: Inteckningsreferens = one("Inteckningsreferens")


@datatype
class Anteckningsanmarkning(Registration):
    anmarkning: str | None = None


@datatype
class Avserreferens:
    """Exactly one of the three uuids is set (XML element ``<Avser>``)."""

    inskrivetAgande: UUID | None = None
    inteckning: UUID | None = None
    avtalsrattighet: UUID | None = None
    fastighetsreferens: list[Fastighetsreferens] = many("Fastighetsreferens")


@datatype
class Anteckning(Registration):
    anteckningstyp: Anteckningstyp
    anteckningstext: str
    anteckningsanmarkning: list[Anteckningsanmarkning] = many("Anteckningsanmarkning")
    belastar: list[Fastighetsreferens] = many("Belastar", wrap=Wrap.LIST)
    avser: list[Avserreferens] = many("Avser")


@datatype
class Brak:
    taljare: int
    namnare: int


@datatype
class Adress:
    coAdress: str | None = None
    utdelningsadress1: str | None = None
    utdelningsadress2: str | None = None
    postnummer: str | None = None
    postort: str | None = None


@datatype
class Utlandsadress:
    utdelningsadress1: str | None = None
    utdelningsadress2: str | None = None
    utdelningsadress3: str | None = None
    utdelningsadress4: str | None = None
    land: str | None = None


@datatype
class Person:
    """``id`` (extracts without personnummer) and ``personnummer`` exclude each other."""

    id: UUID | None = None
    personnummer: str | None = None
    fornamn: str | None = None
    mellannamn: str | None = None
    efternamn: str | None = None
    tilltalsnamn: str | None = None
    adress: Adress | None = opt("Adress")
    sarskildAdress: Adress | None = opt("SarskildAdress")
    utlandsadress: Utlandsadress | None = opt("Utlandsadress")


@datatype
class Organisation:
    id: UUID | None = None
    organisationsnummer: str | None = None
    organisationsnamn: str | None = None
    juridiskForm: str | None = None
    adress: Adress | None = opt("Adress")
    utlandsadress: Utlandsadress | None = opt("Utlandsadress")


@datatype
class UtlandskAgare(Versioned):
    annatID: str | None = None
    utdelningsadress: str | None = None
    postkod: str | None = None
    postort: str | None = None
    land: str
    landskod: str | None = None


@datatype
class InskrivenPerson(Versioned):
    """A registered owner; at most one of ``person``, ``organisation`` and ``utlandskAgare`` (``<Agare>``)."""

    efternamn: str | None = None
    fornamn: str | None = None
    organisationsnamn: str | None = None
    reklamsparr: bool | None = None
    idnummer: str | None = opt("IDnummer")
    personId: UUID | None = None
    person: Person | None = opt("Person")
    organisation: Organisation | None = opt("Organisation")
    utlandskAgare: UtlandskAgare | None = opt("UtlandskAgare")


@datatype
class Lagfartsanmarkning(Registration):
    lagfartsanmarkning: Agandeanmarkningstyp | None = None
    ovrigAnmarkning: str | None = None
    gemensamBostadSambo: str | None = None
    tvistAvgjordTillFormanFor: str | None = None


@datatype
class Tomtrattsinnehavsanmarkning(Registration):
    tomtrattsinnehavsanmarkning: Agandeanmarkningstyp | None = None
    ovrigAnmarkning: str | None = None
    gemensamBostadSambo: str | None = None
    tvistAvgjordTillFormanFor: str | None = None


@datatype
class Lagfart(Registration):
    TYP: ClassVar[str] = "Lagfart"

    beviljadAndel: Brak | None = opt("BeviljadAndel")
    agare: InskrivenPerson | None = opt("Agare")
    lagfartsanmarkning: list[Lagfartsanmarkning] = many("Lagfartsanmarkning")


@datatype
class Tomtrattsinnehav(Registration):
    TYP: ClassVar[str] = "Tomträttsinnehav"

    beviljadAndel: Brak | None = opt("BeviljadAndel")
    agare: InskrivenPerson | None = opt("Agare")
    tomtrattsinnehavsanmarkning: list[Tomtrattsinnehavsanmarkning] = many("Tomtrattsinnehavsanmarkning")


InskrivetAgande = Lagfart | Tomtrattsinnehav


@datatype
class Kopeskilling(Versioned):
    preliminarKopeskillingFastEgendom: Belopp | None = opt("PreliminarKopeskillingFastEgendom")
    omraknadPreliminarKopeskilling: Belopp | None = opt("OmraknadPreliminarKopeskilling")
    kopeskillingFastEgendom: Belopp | None = opt("KopeskillingFastEgendom")
    omraknadKopeskilling: Belopp | None = opt("OmraknadKopeskilling")
    mellangift: Belopp | None = opt("Mellangift")
    kopeskillingLosEgendom: Belopp | None = opt("KopeskillingLosEgendom")
    kopeskillingstyp: Kopeskillingstyp | None = None
    omfattar: list[Fastighetsreferens] = many("Omfattar", wrap=Wrap.LIST)


@datatype
class Fang(Registration):
    """An acquisition; ``fangesar``/``fangesmanad``/``fangesdag`` exclude each other, as do the two remark lists."""

    andelFang: Brak | None = opt("AndelFang")
    fangesar: int | None = None
    fangesmanad: str | None = None
    fangesdag: date | None = None
    fangesart: Fangesart | None = None
    fangeskod: Fangeskod | None = None
    forvarvstyp: Forvarvstyp | None = None
    omradesbeskrivning: str | None = None
    lagfartsanmarkning: list[Lagfartsanmarkning] = many("Lagfartsanmarkning")
    tomtrattsinnehavsanmarkning: list[Tomtrattsinnehavsanmarkning] = many("Tomtrattsinnehavsanmarkning")
    inskrivetAgande: UUID


@datatype
class Overlatelse(Versioned):
    andelOverlatelse: Brak | None = opt("AndelOverlatelse")
    inskrivetAgande: UUID


@datatype
class Fastighetsagandeforandring(Versioned):
    kopeskilling: Kopeskilling | None = opt("Kopeskilling")
    fang: list[Fang] = many("Fang", at_least_one=True)
    overlatelse: list[Overlatelse] = many("Overlatelse")


@datatype
class Inskrivningsinformation:
    """The registration record of one property: one feature of an InskrivningResponse (§4.3)."""

    objektidentitet: UUID
    fastighetsreferens: Fastighetsreferens = one("Fastighetsreferens")
    irfastighet: IRFastighet | None = opt("IRFastighet")
    omrade: Omrade | None = opt("Omrade")
    pagaendeArende: list[PagaendeArende] = many("PagaendeArende")
    gruppinformation: list[Gruppinformation] = many("Gruppinformation")
    tomtrattsupplatelse: Tomtrattsupplatelse | None = opt("Tomtrattsupplatelse")
    belastar: list[Belastar] = many("Belastar")
    utstrackningSoktI: list[UtstrackningSoktI] = many("UtstrackningSoktI")
    anteckning: list[Anteckning] = many("Anteckning")
    agande: list[InskrivetAgande] = many("Agande", wrap=Wrap.LIST)
    tidigareAgande: list[InskrivetAgande] = many("TidigareAgande", wrap=Wrap.LIST)
    fastighetsagandeforandring: list[Fastighetsagandeforandring] = many("Fastighetsagandeforandring")


@datatype
class Fault:
    """Lantmäteriet's error message (§4.46): HTTP status, its reason phrase, and the details."""

    code: int
    reason: str
    errors: list[str] = many()


# --- Plans ------------------------------------------------------------------------------------------


class Kind(Enum):
    """What a member holds."""

    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    UUID = "uuid"
    OBJECT = "object"
    UNION = "union"


_SCALARS = {str: Kind.TEXT, int: Kind.INT, bool: Kind.BOOL, date: Kind.DATE, datetime: Kind.DATETIME, UUID: Kind.UUID}


@dataclass(frozen=True, slots=True)
class Member:
    """One member of a datatype as the codecs see it."""

    key: str
    xml: str
    kind: Kind
    many: bool
    required: bool
    wrap: Wrap
    codes: frozenset[str] | None = None
    target: type | None = None  # Kind.OBJECT
    choices: tuple[type, ...] = ()  # Kind.UNION


@cache
def plan(cls: type) -> tuple[Member, ...]:
    """The members of datatype ``cls`` in table order."""
    hints = get_type_hints(cls)
    members = []
    for declared in fields(cls):
        annotation = hints[declared.name]
        is_list = get_origin(annotation) is list
        if is_list:
            (annotation,) = get_args(annotation)
        optional = _is_optional(annotation)
        if optional:
            annotation = next(arg for arg in get_args(annotation) if arg is not type(None))
        kind, codes, target, choices = _classify(annotation)
        required = declared.metadata.get("min", 0) > 0 if is_list else (not optional and declared.default is MISSING)
        members.append(
            Member(
                key=declared.name,
                xml=declared.metadata.get("xml") or declared.name,
                kind=kind,
                many=is_list,
                required=required,
                wrap=declared.metadata.get("wrap", Wrap.NONE),
                codes=codes,
                target=target,
                choices=choices,
            )
        )
    return tuple(members)


def _is_optional(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def _classify(annotation: Any) -> tuple[Kind, frozenset[str] | None, type | None, tuple[type, ...]]:
    if get_origin(annotation) is Literal:
        return Kind.TEXT, frozenset(get_args(annotation)), None, ()
    if get_origin(annotation) in (Union, types.UnionType):
        return Kind.UNION, None, None, get_args(annotation)
    if annotation in _SCALARS:
        return _SCALARS[annotation], None, None, ()
    return Kind.OBJECT, None, annotation, ()


UNION_MEMBERS: dict[str, type] = {
    cls.TYP: cls
    for cls in (Inteckning, Avtalsservitut, Avtalsnyttjanderatt, Elkraftratt, Avkomstratt, Lagfart, Tomtrattsinnehav)
}
"""The seven union member types by their JSON ``typ`` value (§6.9)."""

ALIASES: dict[type, dict[str, str]] = {
    Tomtrattsinnehavsanmarkning: {"lagfartsanmarkning": "tomtrattsinnehavsanmarkning"}
}
"""Member names the specification's own examples use in place of the table's (digest §7.4.7), by datatype: both
Tomtrattsinnehavsanmarkning examples say ``lagfartsanmarkning``. Readers of either format and both schemas accept
them; bodata never writes them."""
