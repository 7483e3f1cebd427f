"""A synthetic Swedish land register: Inskrivning v3 documents (``includeData=total``) with their history.

:func:`generate_register` streams :class:`GeneratedProperty` items block by block (one kommun, trakt and block,
consecutive enhet numbers), so the links between properties (a mortgage on two properties, a purchase covering two,
an extension applied for) stay inside a block and memory does not grow with the count. Everything is drawn from one
seeded :class:`random.Random`: the same seed, count and ``now`` give the same register.

A property's history holds one snapshot per recorded ownership change (the register as it stood right after it);
every object in a snapshot was registered at or before the snapshot's ``registered_at``. Documents follow the JSON
decisions (table key order, ``typ`` first on the union members, absent members and empty lists omitted). Objects
that do not change between snapshots are the same dicts in each (as is a mortgage shared by two properties), so
treat the documents as read-only.
"""

from __future__ import annotations

import random
from bisect import bisect, bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from functools import cache
from itertools import accumulate
from typing import Any
from uuid import UUID

from faker import Faker

from bodata.core.timezones import SWEDISH_TIME as _STOCKHOLM


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One state of a registration."""

    registered_at: datetime
    """Aware UTC: when this state entered the register."""
    document: dict[str, Any]
    """The GeoJSON feature ``properties`` for ``includeData=total``, JSON-native values."""


@dataclass(frozen=True, slots=True)
class GeneratedProperty:
    """A generated registration with its history."""

    inskrivning_id: UUID
    """``Inskrivningsinformation.objektidentitet``."""
    fastighet_id: UUID
    """The property's id (``Fastighetsreferens.objektidentitet``)."""
    beteckning: str
    history: tuple[Snapshot, ...]
    """Chronological, 1 to 4 snapshots; the last is the current state."""


def generate_register(count: int, *, seed: int = 0, now: datetime) -> Iterator[GeneratedProperty]:
    """Generate ``count`` properties, all registered before ``now`` (timezone-aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    register = _Register(seed, now)
    remaining = count
    while remaining > 0:
        block = register.block(remaining)
        remaining -= len(block.lots)
        yield from register.properties(block)


# --- Reference data ------------------------------------------------------------------------------------


class _Weighted:
    """Values with relative weights, drawn with one ``random()`` call."""

    __slots__ = ("cumulative", "total", "values")

    def __init__(self, pairs: Iterable[tuple[Any, float]]) -> None:
        values, weights = zip(*pairs, strict=True)
        self.values = values
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, draw: Callable[[], float]) -> Any:
        """A value for ``draw`` (``Random.random``)."""
        return self.values[bisect(self.cumulative, draw() * self.total)]


# name, inskrivningskontor, first three digits of its postnummer, postort, weight (≈ population), tomträtt in use
_KOMMUNER: tuple[tuple[str, str, str, str, int, bool], ...] = (
    ("Stockholm", "Norrtälje", "114", "STOCKHOLM", 98, True),
    ("Göteborg", "Uddevalla", "414", "GÖTEBORG", 59, True),
    ("Malmö", "Hässleholm", "214", "MALMÖ", 36, True),
    ("Uppsala", "Norrtälje", "753", "UPPSALA", 24, True),
    ("Linköping", "Eksjö", "582", "LINKÖPING", 17, True),
    ("Örebro", "Mora", "702", "ÖREBRO", 16, True),
    ("Västerås", "Mora", "722", "VÄSTERÅS", 16, True),
    ("Helsingborg", "Hässleholm", "252", "HELSINGBORG", 15, True),
    ("Norrköping", "Eksjö", "602", "NORRKÖPING", 14, True),
    ("Jönköping", "Eksjö", "553", "JÖNKÖPING", 14, False),
    ("Umeå", "Skellefteå", "903", "UMEÅ", 13, False),
    ("Lund", "Hässleholm", "223", "LUND", 13, True),
    ("Huddinge", "Norrtälje", "141", "HUDDINGE", 11, True),
    ("Borås", "Uddevalla", "503", "BORÅS", 11, False),
    ("Nacka", "Norrtälje", "131", "NACKA", 11, True),
    ("Eskilstuna", "Eksjö", "632", "ESKILSTUNA", 11, True),
    ("Gävle", "Härnösand", "802", "GÄVLE", 10, True),
    ("Halmstad", "Uddevalla", "302", "HALMSTAD", 10, False),
    ("Södertälje", "Norrtälje", "151", "SÖDERTÄLJE", 10, True),
    ("Sundsvall", "Härnösand", "852", "SUNDSVALL", 10, False),
    ("Växjö", "Hässleholm", "352", "VÄXJÖ", 10, False),
    ("Karlstad", "Mora", "652", "KARLSTAD", 10, True),
    ("Botkyrka", "Norrtälje", "147", "TUMBA", 9, False),
    ("Haninge", "Norrtälje", "136", "HANDEN", 9, False),
    ("Kristianstad", "Hässleholm", "291", "KRISTIANSTAD", 9, False),
    ("Luleå", "Skellefteå", "972", "LULEÅ", 8, False),
    ("Kungsbacka", "Uddevalla", "434", "KUNGSBACKA", 8, False),
    ("Järfälla", "Norrtälje", "177", "JÄRFÄLLA", 8, False),
    ("Solna", "Norrtälje", "171", "SOLNA", 8, True),
    ("Täby", "Norrtälje", "183", "TÄBY", 7, False),
    ("Sollentuna", "Norrtälje", "191", "SOLLENTUNA", 7, False),
    ("Mölndal", "Uddevalla", "431", "MÖLNDAL", 7, False),
    ("Varberg", "Uddevalla", "432", "VARBERG", 7, False),
    ("Kalmar", "Eksjö", "392", "KALMAR", 7, False),
    ("Karlskrona", "Hässleholm", "371", "KARLSKRONA", 7, False),
    ("Skellefteå", "Skellefteå", "931", "SKELLEFTEÅ", 7, False),
    ("Östersund", "Härnösand", "831", "ÖSTERSUND", 6, False),
    ("Trollhättan", "Uddevalla", "461", "TROLLHÄTTAN", 6, False),
    ("Norrtälje", "Norrtälje", "761", "NORRTÄLJE", 6, False),
    ("Falun", "Mora", "791", "FALUN", 6, False),
    ("Skövde", "Uddevalla", "541", "SKÖVDE", 6, False),
    ("Uddevalla", "Uddevalla", "451", "UDDEVALLA", 6, False),
    ("Nyköping", "Eksjö", "611", "NYKÖPING", 6, False),
    ("Gotland", "Eksjö", "621", "VISBY", 6, False),
    ("Örnsköldsvik", "Härnösand", "891", "ÖRNSKÖLDSVIK", 6, False),
    ("Borlänge", "Mora", "784", "BORLÄNGE", 5, False),
    ("Lidingö", "Norrtälje", "181", "LIDINGÖ", 5, False),
    ("Enköping", "Norrtälje", "745", "ENKÖPING", 5, False),
    ("Kungälv", "Uddevalla", "442", "KUNGÄLV", 5, False),
    ("Hässleholm", "Hässleholm", "281", "HÄSSLEHOLM", 5, False),
    ("Trelleborg", "Hässleholm", "231", "TRELLEBORG", 5, False),
    ("Landskrona", "Hässleholm", "261", "LANDSKRONA", 5, False),
    ("Falkenberg", "Uddevalla", "311", "FALKENBERG", 5, False),
    ("Österåker", "Norrtälje", "184", "ÅKERSBERGA", 5, False),
    ("Värmdö", "Norrtälje", "139", "GUSTAVSBERG", 5, False),
    ("Sigtuna", "Norrtälje", "195", "MÄRSTA", 5, False),
    ("Tyresö", "Norrtälje", "135", "TYRESÖ", 5, False),
    ("Sundbyberg", "Norrtälje", "172", "SUNDBYBERG", 5, True),
    ("Upplands Väsby", "Norrtälje", "194", "UPPLANDS VÄSBY", 5, False),
    ("Motala", "Eksjö", "591", "MOTALA", 4, False),
    ("Piteå", "Skellefteå", "941", "PITEÅ", 4, False),
    ("Ängelholm", "Hässleholm", "262", "ÄNGELHOLM", 4, False),
    ("Lerum", "Uddevalla", "443", "LERUM", 4, False),
    ("Alingsås", "Uddevalla", "441", "ALINGSÅS", 4, False),
    ("Sandviken", "Härnösand", "811", "SANDVIKEN", 4, False),
    ("Vellinge", "Hässleholm", "235", "VELLINGE", 4, False),
    ("Västervik", "Eksjö", "593", "VÄSTERVIK", 4, False),
    ("Strängnäs", "Eksjö", "645", "STRÄNGNÄS", 4, False),
    ("Hudiksvall", "Härnösand", "824", "HUDIKSVALL", 4, False),
    ("Lidköping", "Uddevalla", "531", "LIDKÖPING", 4, False),
    ("Vänersborg", "Uddevalla", "462", "VÄNERSBORG", 4, False),
    ("Partille", "Uddevalla", "433", "PARTILLE", 4, False),
    ("Eslöv", "Hässleholm", "241", "ESLÖV", 3, False),
    ("Ystad", "Hässleholm", "271", "YSTAD", 3, False),
    ("Höganäs", "Hässleholm", "263", "HÖGANÄS", 3, False),
    ("Värnamo", "Eksjö", "331", "VÄRNAMO", 3, False),
    ("Vetlanda", "Eksjö", "574", "VETLANDA", 3, False),
    ("Nässjö", "Eksjö", "571", "NÄSSJÖ", 3, False),
    ("Oskarshamn", "Eksjö", "572", "OSKARSHAMN", 3, False),
    ("Ljungby", "Hässleholm", "341", "LJUNGBY", 3, False),
    ("Katrineholm", "Eksjö", "641", "KATRINEHOLM", 3, False),
    ("Köping", "Mora", "731", "KÖPING", 3, False),
    ("Ludvika", "Mora", "771", "LUDVIKA", 3, False),
    ("Arvika", "Mora", "671", "ARVIKA", 3, False),
    ("Bollnäs", "Härnösand", "821", "BOLLNÄS", 3, False),
    ("Söderhamn", "Härnösand", "826", "SÖDERHAMN", 3, False),
    ("Härnösand", "Härnösand", "871", "HÄRNÖSAND", 3, False),
    ("Boden", "Skellefteå", "961", "BODEN", 3, False),
    ("Falköping", "Uddevalla", "521", "FALKÖPING", 3, False),
    ("Mjölby", "Eksjö", "595", "MJÖLBY", 3, False),
    ("Vallentuna", "Norrtälje", "186", "VALLENTUNA", 3, False),
    ("Ekerö", "Norrtälje", "178", "EKERÖ", 3, False),
    ("Danderyd", "Norrtälje", "182", "DANDERYD", 3, False),
    ("Stenungsund", "Uddevalla", "444", "STENUNGSUND", 3, False),
    ("Kävlinge", "Hässleholm", "244", "KÄVLINGE", 3, False),
    ("Staffanstorp", "Hässleholm", "245", "STAFFANSTORP", 3, False),
    ("Ronneby", "Hässleholm", "372", "RONNEBY", 3, False),
    ("Karlshamn", "Hässleholm", "374", "KARLSHAMN", 3, False),
    ("Simrishamn", "Hässleholm", "272", "SIMRISHAMN", 2, False),
    ("Båstad", "Hässleholm", "269", "BÅSTAD", 2, False),
    ("Eksjö", "Eksjö", "575", "EKSJÖ", 2, False),
    ("Sala", "Mora", "733", "SALA", 2, False),
    ("Mora", "Mora", "792", "MORA", 2, False),
    ("Leksand", "Mora", "793", "LEKSAND", 2, False),
    ("Kristinehamn", "Mora", "681", "KRISTINEHAMN", 2, False),
    ("Kramfors", "Härnösand", "872", "KRAMFORS", 2, False),
    ("Sollefteå", "Härnösand", "881", "SOLLEFTEÅ", 2, False),
    ("Kiruna", "Skellefteå", "981", "KIRUNA", 2, False),
    ("Gällivare", "Skellefteå", "982", "GÄLLIVARE", 2, False),
    ("Orust", "Uddevalla", "473", "HENÅN", 2, False),
    ("Tjörn", "Uddevalla", "471", "SKÄRHAMN", 2, False),
    ("Mariestad", "Uddevalla", "542", "MARIESTAD", 2, False),
    ("Ulricehamn", "Uddevalla", "523", "ULRICEHAMN", 2, False),
    ("Tranås", "Eksjö", "573", "TRANÅS", 2, False),
    ("Finspång", "Eksjö", "612", "FINSPÅNG", 2, False),
    ("Lomma", "Hässleholm", "234", "LOMMA", 2, False),
    ("Timrå", "Härnösand", "861", "TIMRÅ", 2, False),
    ("Avesta", "Mora", "774", "AVESTA", 2, False),
    ("Nybro", "Eksjö", "382", "NYBRO", 2, False),
    ("Älmhult", "Hässleholm", "343", "ÄLMHULT", 2, False),
    ("Ljusdal", "Härnösand", "827", "LJUSDAL", 2, False),
    ("Kalix", "Skellefteå", "952", "KALIX", 2, False),
    ("Rättvik", "Mora", "795", "RÄTTVIK", 1, False),
    ("Malung-Sälen", "Mora", "782", "MALUNG", 1, False),
    ("Torsby", "Mora", "685", "TORSBY", 1, False),
    ("Åre", "Härnösand", "837", "ÅRE", 1, False),
    ("Lycksele", "Skellefteå", "921", "LYCKSELE", 1, False),
    ("Haparanda", "Skellefteå", "953", "HAPARANDA", 1, False),
    ("Strömstad", "Uddevalla", "452", "STRÖMSTAD", 1, False),
    ("Lysekil", "Uddevalla", "453", "LYSEKIL", 1, False),
    ("Vaxholm", "Norrtälje", "185", "VAXHOLM", 1, False),
    ("Borgholm", "Eksjö", "387", "BORGHOLM", 1, False),
    ("Fagersta", "Mora", "737", "FAGERSTA", 1, False),
    ("Arboga", "Mora", "732", "ARBOGA", 1, False),
)
_KOMMUN_PICK = _Weighted((index, row[4]) for index, row in enumerate(_KOMMUNER))
_KOMMUN_NAMES = {
    "Falun": "FALU KOMMUN",
    "Gotland": "REGION GOTLAND",
    "Orust": "ORUST KOMMUN",
    "Kalmar": "KALMAR KOMMUN",
}

_TRAKTER = (
    "Berga", "Kåbo", "Eriksberg", "Norrby", "Söderby", "Västerby", "Österby", "Sörby", "Tällberg", "Tallen",
    "Granen", "Björken", "Eken", "Linden", "Aspen", "Lönnen", "Almen", "Lärkan", "Svalan", "Trasten", "Domherren",
    "Hägern", "Orren", "Tjädern", "Räven", "Haren", "Lodjuret", "Älgen", "Rådjuret", "Vitsippan", "Blåsippan",
    "Liljan", "Rosen", "Nejlikan", "Tulpanen", "Kvarnen", "Smedjan", "Mjölnaren", "Skeppet", "Ankaret", "Fyren",
    "Kronan", "Spiran", "Riddaren", "Väpnaren", "Hovslagaren", "Krukmakaren", "Sandvik", "Ekudden", "Solberga",
    "Rosendal", "Tallbacken", "Björkhagen", "Ängby", "Hagby", "Lunda", "Skogsby", "Strandby", "Fågelsång",
    "Hammarby", "Vallby", "Kvarnbo", "Backa", "Bäckby", "Sjöberg", "Stensätter", "Lillgården", "Storgården",
    "Nyby", "Gamla staden", "Kungsängen", "Malmen", "Ekeby", "Forsby", "Holmen", "Mossen", "Myran", "Hjorten",
    "Bävern", "Uttern", "Falken", "Örnen", "Ugglan", "Göken", "Staren", "Mesen", "Kastanjen", "Rönnen", "Hasseln",
    "Enen", "Videt", "Vallmon", "Klövern", "Prästgården", "Kyrkbyn", "Sätra", "Bredäng", "Åby", "Viby", "Skälby",
)  # fmt: skip

_OFFICE_BLOCK_KINDS = {
    True: _Weighted(
        (("villa", 48), ("flerbostad", 20), ("industri", 8), ("rural", 12), ("fritidshus", 4), ("kommunal", 3))
    ),
    False: _Weighted(
        (("villa", 45), ("rural", 27), ("fritidshus", 12), ("flerbostad", 7), ("industri", 5), ("kommunal", 3))
    ),
}
_BLOCK_SIZE = {
    "villa": (4, 14),
    "rural": (2, 8),
    "fritidshus": (3, 10),
    "flerbostad": (2, 6),
    "industri": (2, 6),
    "kommunal": (1, 4),
}
_TOMTRATT_BLOCK = {"villa": 0.09, "flerbostad": 0.18, "industri": 0.18}
_PERSON_COUNT = {
    "villa": _Weighted(((1, 35), (2, 57), (3, 5), (4, 3))),
    "rural": _Weighted(((1, 40), (2, 42), (3, 12), (4, 6))),
    "fritidshus": _Weighted(((1, 35), (2, 50), (3, 10), (4, 5))),
}
_FOREIGN_SHARE = {"villa": 0.01, "rural": 0.02, "fritidshus": 0.12}
_F = Fraction
_SHARES = {
    1: _Weighted((((_F(1),), 1),)),
    2: _Weighted((((_F(1, 2), _F(1, 2)), 85), ((_F(1, 3), _F(2, 3)), 10), ((_F(1, 4), _F(3, 4)), 5))),
    3: _Weighted((((_F(1, 3),) * 3, 60), ((_F(1, 4), _F(1, 4), _F(1, 2)), 40))),
    4: _Weighted((((_F(1, 4),) * 4, 1),)),
}
_EARLIER_CHANGES = _Weighted(((0, 30), (1, 35), (2, 22), (3, 13)))
_MORTGAGE_COUNT = {
    "villa": _Weighted(((0, 10), (1, 22), (2, 25), (3, 20), (4, 13), (5, 10))),
    "rural": _Weighted(((0, 25), (1, 30), (2, 22), (3, 12), (4, 7), (5, 4))),
    "fritidshus": _Weighted(((0, 35), (1, 35), (2, 18), (3, 8), (4, 3), (5, 1))),
    "flerbostad": _Weighted(((0, 10), (1, 20), (2, 25), (3, 20), (4, 15), (5, 10))),
    "industri": _Weighted(((0, 15), (1, 25), (2, 25), (3, 15), (4, 12), (5, 8))),
    "kommunal": _Weighted(((0, 80), (1, 15), (2, 5))),
}
_MORTGAGE_BASE = {
    "villa": 1_000_000,
    "rural": 700_000,
    "fritidshus": 500_000,
    "flerbostad": 4_000_000,
    "industri": 3_000_000,
    "kommunal": 2_000_000,
}
_MORTGAGE_AMOUNTS = (
    50_000, 100_000, 150_000, 200_000, 250_000, 300_000, 400_000, 500_000, 600_000, 750_000, 800_000, 1_000_000,
    1_200_000, 1_500_000, 1_800_000, 2_000_000, 2_500_000, 3_000_000, 3_500_000, 4_000_000, 5_000_000,
)  # fmt: skip
_PRICE_BASE = {
    "villa": 3_200_000,
    "rural": 2_000_000,
    "fritidshus": 1_600_000,
    "flerbostad": 45_000_000,
    "industri": 18_000_000,
    "kommunal": 5_000_000,
}
_SERVITUT_COUNT = {
    "villa": _Weighted(((0, 62), (1, 30), (2, 8))),
    "rural": _Weighted(((0, 45), (1, 35), (2, 15), (3, 5))),
    "fritidshus": _Weighted(((0, 35), (1, 40), (2, 18), (3, 7))),
    "flerbostad": _Weighted(((0, 55), (1, 35), (2, 10))),
    "industri": _Weighted(((0, 50), (1, 35), (2, 15))),
    "kommunal": _Weighted(((0, 60), (1, 30), (2, 10))),
}
# probabilities of an avtalsnyttjanderätt, an elkrafträtt and an avkomsträtt
_OTHER_RIGHTS = {
    "villa": (0.01, 0.03, 0.002),
    "rural": (0.12, 0.18, 0.03),
    "fritidshus": (0.04, 0.08, 0.005),
    "flerbostad": (0.03, 0.02, 0.0),
    "industri": (0.06, 0.12, 0.0),
    "kommunal": (0.05, 0.1, 0.0),
}
_SERVITUT_URBAN = _Weighted(
    (
        ("Väg", 25), ("VA-ledningar", 14), ("Avloppsledning", 8), ("Vattenledning", 8), ("Parkering", 7),
        ("Elledning", 6), ("Tele", 4), ("Optokabel", 4), ("Fjärrvärmeledning", 4), ("Utsikt", 2), ("Byggnad", 2),
        ("Brandmur", 1), ("Altan", 1), ("Grönområde", 1), ("Värmecentral", 1), ("Transformatorstation", 2),
        ("Tvättstuga", 1), ("Upplagsplats", 1), ("Villa", 1), ("Värmeledning", 1), ("Bergvärme", 1),
    )
)  # fmt: skip
_SERVITUT_RURAL = _Weighted(
    (
        ("Väg", 30), ("Brunn", 8), ("Vattenledning", 6), ("Avloppsledning", 5), ("Elledning", 6), ("Brygga", 6),
        ("Båtplats", 6), ("Badplats", 3), ("Strand", 2), ("Bete", 2), ("Skog", 1), ("Dike", 3), ("Kraftledning", 3),
        ("Grustäkt", 1), ("Grundvattentäkt", 1), ("Jordvärme", 1), ("Uppdämning", 1), ("Vattenkraft", 1),
        ("Optokabel", 3), ("Tele", 2), ("Slåtter", 1), ("Område", 1),
    )
)  # fmt: skip
_OVRIGT_ANDAMAL = ("UTFART", "GARAGE", "SOPKÄRL", "GÅNGVÄG", "LEDNINGAR", "STAKET", "MULBETE MM", "SKOGSEFFEKTER")
_NYTTJANDE_ANDAMAL = _Weighted(
    (
        ("Jakt", 30), ("Fiske", 15), ("Avverkningsrätt", 12), ("Vindkraftanläggning", 8), ("Tele", 12),
        ("Bostad", 5), ("Område", 8), ("Hela fastigheten", 4), ("Brygga", 6),
    )
)  # fmt: skip
_RATTIGHET_ANMARKNINGAR = (
    "GÄLLER I DEL AV FASTIGHET",
    "FÖRETRÄDESORDNINGEN OKLAR MELLAN INSKRIVNA RÄTTIGHETER",
    "AVSER OMRÅDE ENLIGT KARTA",
    "RÄTTIGHETEN ÄR INSKRIVEN ÄVEN I ANNAN FASTIGHET",
)
_INTECKNINGSANMARKNINGAR = _Weighted(
    (
        (("Omräknat från äldre mynt", None), 25),
        (("Minskat kapitalbelopp", "BELOPP"), 20),
        (("Ny handling utfärdad", None), 15),
        (("Rättat", "LMV"), 10),
        (("Anmärkning", "INTECKNINGEN AVSER ÄVEN ANNAN FASTIGHET"), 10),
        (("Homogenitetsprincipen ej beaktad", None), 5),
        (("Inteckningen får dödas utan handlingens företeende", None), 5),
    )
)
_HANDELSER = _Weighted((("Utsträckning", 60), ("Sammanläggning", 15), ("Fastighetsreglering", 15), ("Relax", 10)))

# organisationsnamn, utdelningsadress, postnummer, postort: holders of mortgage deeds (Innehavsanteckning)
_BANKS = (
    ("SWEDBANK AB (PUBL)", "Landsvägen 40", 17263, "SUNDBYBERG"),
    ("SWEDBANK HYPOTEK AB (PUBL)", "Box 1001", 10578, "STOCKHOLM"),
    ("SKANDINAVISKA ENSKILDA BANKEN AB (PUBL)", "Kungsträdgårdsgatan 8", 10640, "STOCKHOLM"),
    ("SVENSKA HANDELSBANKEN AB (PUBL)", "Kungsträdgårdsgatan 2", 10670, "STOCKHOLM"),
    ("STADSHYPOTEK AB (PUBL)", "Box 1007", 10670, "STOCKHOLM"),
    ("NORDEA HYPOTEK AB (PUBL)", "Smålandsgatan 17", 10571, "STOCKHOLM"),
    ("LÄNSFÖRSÄKRINGAR BANK AB (PUBL)", "Tegeluddsvägen 11", 10650, "STOCKHOLM"),
    ("SBAB BANK AB (PUBL)", "Box 4209", 17104, "SOLNA"),
    ("DANSKE BANK A/S, DANMARK, SVERIGE FILIAL", "Box 7523", 10392, "STOCKHOLM"),
    ("SPARBANKEN SKÅNE AB (PUBL)", "Box 1", 29121, "KRISTIANSTAD"),
    ("LANDSHYPOTEK BANK AB (PUBL)", "Box 14092", 10441, "STOCKHOLM"),
)

# land, landskod, postorter, postkod and annatID patterns (# digit, ? letter), first names, last names, streets
_FOREIGN = (
    ("Norge", "NO", ("OSLO", "BERGEN", "TRONDHEIM", "STAVANGER"), "####", "###########",
     ("Ole", "Lars", "Kari", "Ingrid", "Nils", "Marit", "Bjørn", "Astrid"),
     ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg"),
     ("Storgata", "Kirkeveien", "Thereses gate", "Ullevålsveien")),
    ("Danmark", "DK", ("KØBENHAVN K", "AARHUS C", "ODENSE C", "AALBORG"), "####", "######-####",
     ("Jens", "Mette", "Søren", "Hanne", "Anders", "Lone"),
     ("Jensen", "Nielsen", "Hansen", "Pedersen", "Christensen", "Rasmussen"),
     ("Vesterbrogade", "Nørregade", "Strandvejen", "Algade")),
    ("Tyskland", "DE", ("HAMBURG", "BERLIN", "MÜNCHEN", "KÖLN", "HANNOVER"), "#####", "L?#?##???",
     ("Thomas", "Andrea", "Michael", "Sabine", "Stefan", "Petra"),
     ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer"),
     ("Hauptstraße", "Lindenallee", "Bahnhofstraße", "Gartenweg")),
    ("Finland", "FI", ("HELSINKI", "ESPOO", "TURKU", "VAASA"), "#####", "######-###?",
     ("Mikko", "Anna", "Juha", "Sari", "Timo", "Päivi"),
     ("Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Lindholm", "Sundström"),
     ("Mannerheimintie", "Aleksanterinkatu", "Hämeenkatu", "Rantakatu")),
    ("Nederländerna", "NL", ("AMSTERDAM", "UTRECHT", "ROTTERDAM"), "#### ??", "NW#######",
     ("Jan", "Anne", "Pieter", "Sanne", "Willem"),
     ("de Jong", "Jansen", "de Vries", "van Dijk", "Bakker"),
     ("Keizersgracht", "Prinsengracht", "Dorpsstraat")),
    ("Schweiz", "CH", ("ZÜRICH", "BASEL", "BERN"), "####", "S#######",
     ("Daniel", "Nicole", "Martin", "Claudia"),
     ("Meier", "Keller", "Brunner", "Frei"),
     ("Bahnhofstrasse", "Seestrasse", "Dorfstrasse")),
    ("Storbritannien", "GB", ("LONDON", "MANCHESTER", "EDINBURGH"), "?#? #??", "#########",
     ("James", "Emma", "Oliver", "Sarah"),
     ("Smith", "Jones", "Taylor", "Wilson"),
     ("High Street", "Church Road", "Victoria Road")),
    ("USA", "US", ("MINNEAPOLIS MN", "SEATTLE WA", "CHICAGO IL", "NEW YORK NY"), "#####", "#########",
     ("Michael", "Jennifer", "John", "Linda"),
     ("Johnson", "Anderson", "Peterson", "Nelson"),
     ("Main Street", "Oak Avenue", "Lake Street")),
)  # fmt: skip
_FOREIGN_PICK = _Weighted(zip(range(len(_FOREIGN)), (30, 20, 25, 8, 7, 4, 3, 3), strict=True))

# fångesart of a change by what the owners were; the partial ones move one co-owner's share to another
_ARTS_FIRST = _Weighted(
    (
        ("Köp", 75), ("Arv", 8), ("Gåva", 5), ("Bodelning", 3), ("Övriga fångeshandlingar", 2),
        ("Äganderättsförteckning", 1), ("Laga skifte", 1), ("Avhandling", 1), ("Testamente", 2), ("Skifte", 1),
    )
)  # fmt: skip
_ARTS_PERSONS = _Weighted(
    (
        ("Köp", 82), ("Arv", 6), ("Gåva", 5), ("Testamente", 1), ("Exekutiv försäljning", 1), ("Byte", 1),
        ("Bodelning pga. dödsfall", 2), ("Bouppteckning", 1), ("Domstols utslag eller dom", 1),
    )
)  # fmt: skip
_ARTS_ORGANISATION = _Weighted(
    (("Köp", 85), ("Fusion", 7), ("Byte", 3), ("Utdelning", 2), ("Konkursförsäljning", 2), ("Tillskott", 1))
)
_ARTS_PARTIAL = _Weighted(
    (
        ("Bodelning pga. äktenskapsskillnad", 40), ("Bodelning pga. samboförhållandets upphörande", 15),
        ("Köp", 30), ("Gåva", 10), ("Bodelning under bestående äktenskap", 5),
    )
)  # fmt: skip
_HEIR_ARTS = frozenset({"Arv", "Testamente", "Gåva", "Bodelning pga. dödsfall", "Bouppteckning"})
_PRICED_ARTS = frozenset({"Köp", "Exekutiv försäljning", "Konkursförsäljning", "Byte", "Förköp"})
_FANGESKOD = {
    "Köp": "11", "Byte": "12", "Förköp": "11", "Arv": "21", "Testamente": "22", "Bouppteckning": "21",
    "Bodelning": "23", "Bodelning pga. dödsfall": "23", "Bodelning pga. äktenskapsskillnad": "23",
    "Bodelning pga. samboförhållandets upphörande": "23", "Bodelning under bestående äktenskap": "23",
    "Gåva": "31", "Tillskott": "32", "Exekutiv försäljning": "40", "Konkursförsäljning": "40", "Expropriation": "50",
    "Fusion": "60", "Utdelning": "61", "Avhandling": "70", "Domstols utslag eller dom": "70", "Laga skifte": "70",
    "Skifte": "70", "Äganderättsförteckning": "70", "Upplåtelse av tomträtt": "80", "Övriga fångeshandlingar": "90",
}  # fmt: skip
_GIFT_REMARKS = _Weighted(
    (
        ("Enskild egendom", 50), ("Förbehåll om överlåtelse", 15), ("Förbehåll om överlåtelse, inteckning", 15),
        ("Förbehåll om överlåtelse, inteckning, pantsättning", 10), ("Förbehåll", 10),
    )
)  # fmt: skip
_OTHER_REMARKS = _Weighted(
    (
        (("Ytterligare fång förekommer", None), 40), (("Namn", "NAMNÄNDRING"), 20),
        (("ID-nummer kompletterat", None), 20), (("Andel osäker", "ANSÖKAN FÖRFALLEN"), 10),
        (("Tvist", "TVIST OM ÄGANDERÄTTEN"), 10),
    )
)  # fmt: skip

# anteckningstyp, text ({kommun}, {mal} and {year} filled in), what it concerns (inteckning, agande or nothing)
_ANTECKNINGAR = {
    "any": _Weighted(
        (
            (("Utmätning", "UTMÄTNING AV PANTBREV, KRONOFOGDEMYNDIGHETEN MÅL NR {mal}", "inteckning"), 20),
            (("Förköpsrätt", "FÖRKÖPSRÄTT FÖR {kommun} ENLIGT FÖRKÖPSLAGEN", "agande"), 10),
            (("Kvarstad", "KVARSTAD ENLIGT BESLUT AV TINGSRÄTTEN MÅL NR T {mal}", "agande"), 6),
            (("Betalningssäkring verkställd", "BETALNINGSSÄKRING, KRONOFOGDEMYNDIGHETEN MÅL NR {mal}", "agande"), 5),
            (("Beslut om sammanläggning", "SAMMANLÄGGNING ENLIGT FASTIGHETSBILDNINGSLAGEN, AKT {year}", None), 6),
            (("Ansökan om sammanläggning", "ANSÖKAN OM SAMMANLÄGGNING INKOMMEN {year}", None), 4),
            (("Förbud", "FÖRBUD ATT ÖVERLÅTA ELLER UPPLÅTA FASTIGHETEN", "agande"), 4),
            (("Överlåtelseförbud", "ÖVERLÅTELSEFÖRBUD ENLIGT GÅVOBREV", "agande"), 3),
            (("Ställföreträdare", "GOD MAN FÖRORDNAD ENLIGT FÖRÄLDRABALKEN", "agande"), 4),
            (("Fråga om inlösen enligt ledningsrättslagen", "ANSÖKAN OM LEDNINGSRÄTT {year}", None), 3),
            (("Exploateringssamverkan", "EXPLOATERINGSSAMVERKAN, {kommun}", None), 2),
            (("Övrigt", "ANTECKNING ENLIGT BESLUT {year}", None), 3),
        )
    ),
    "industri": _Weighted(
        (
            (("Industritillbehör", "FÖRKLARING ENLIGT 2 KAP 3 § JORDABALKEN", None), 50),
            (("Företagsinteckning", "FÖRETAGSINTECKNING I RÖRELSEN", None), 15),
            (("Konkurs", "KONKURSBESLUT AV TINGSRÄTTEN MÅL NR K {mal}", "agande"), 20),
            (("Utmätning", "UTMÄTNING AV PANTBREV, KRONOFOGDEMYNDIGHETEN MÅL NR {mal}", "inteckning"), 15),
        )
    ),
    "flerbostad": _Weighted(
        (
            (
                ("Intresseanmälan för ombildning till bostadsrätt", "INTRESSEANMÄLAN FRÅN BOSTADSRÄTTSFÖRENING", None),
                50,
            ),
            (("Utmätning", "UTMÄTNING AV PANTBREV, KRONOFOGDEMYNDIGHETEN MÅL NR {mal}", "inteckning"), 25),
            (("Tvångsförvaltning", "TVÅNGSFÖRVALTNING ENLIGT BOSTADSFÖRVALTNINGSLAGEN", None), 25),
        )
    ),
}
_ANTECKNING_ANMARKNINGAR = ("VITE 25.000 SEK", "FRIST TILL {frist}", "BESLUTET HAR ÖVERKLAGATS")
_PENDING_OTHER = _Weighted((("Övrigt", 40), ("Aviseringar", 25), ("Anteckning", 20), ("Avtalsrättighet", 15)))
_GROUP_INFO = (
    ("Lagfartsgruppinformation", "LAGFART 1:A GGN SÖKT {date}"),
    (
        "Avtalsrättighetsgruppinformation",
        "BESVÄRAS AV EVENTUELLA FÖRE FASTIGHETENS BILDANDE INSKRIVNA RÄTTIGHETER.INSKRIVNINGARNA BESVÄRAR I SÅ FALL "
        "ENDAST DEL AV FASTIGHETEN OCH FÖRETRÄDESORDNINGEN ÄR OKLAR DEM EMELLAN",
    ),
)
_TOMTRATT_ANDAMAL = {"villa": "BOSTAD", "flerbostad": "BOSTÄDER", "industri": "INDUSTRI"}
_TOMTRATT_AVGALD = {"villa": 24_000, "flerbostad": 450_000, "industri": 160_000}
_TOMTRATT_INSKRANKNING = "Annan rättighet än panträtt eller nyttjanderätt får ej upplåtas"

_EARLIEST = date(1900, 1, 1).toordinal()
_FIRST_CHANGE = date(1940, 1, 1).toordinal()
_YEAR = 365.25
_WORKDAY = (6 * 3_600_000, 16 * 3_600_000)  # registrations are stamped from 06:00, within 16 hours (milliseconds)
_ONE = Fraction(1)
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)
# Luhn sums of three digits with the first and last doubled (outer) or the middle one doubled (inner)
_LUHN_OUTER = {f"{n:03d}": _DOUBLED[n // 100] + n // 10 % 10 + _DOUBLED[n % 10] for n in range(1000)}
_LUHN_INNER = {f"{n:03d}": n // 100 + _DOUBLED[n // 10 % 10] + n % 10 for n in range(1000)}
_UUID_BATCH = 512
_UUID_CLEAR = sum(((1 << 128) - 1 - (0xF000 << 64) - (0xC000 << 48)) << (128 * i) for i in range(_UUID_BATCH))
_UUID_SET = sum(((0x4000 << 64) | (0x8000 << 48)) << (128 * i) for i in range(_UUID_BATCH))
_UUID_LAYOUT = tuple(j + (j >= 8) + (j >= 12) + (j >= 16) + (j >= 20) for j in range(32))


@cache
def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


@cache
def _offset(ordinal: int) -> tuple[str, int]:
    """Europe/Stockholm's UTC offset on a day (in daytime, clear of the 02:00-03:00 switch): text and minutes."""
    offset = datetime.fromordinal(ordinal).replace(hour=12, tzinfo=_STOCKHOLM).utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset else 0
    return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}", minutes


def _workday(ordinal: int) -> int:
    """The day, or the Friday before it when it falls on a weekend: the register works on weekdays."""
    return ordinal - max(0, (ordinal - 1) % 7 - 4)


@cache
def _new_year(year: int) -> int:
    return date(year, 1, 1).toordinal()


def _luhn(payload: str) -> str:
    """The Luhn check digit of the 9-digit payload of a personnummer or organisationsnummer."""
    return "0987654321"[(_LUHN_OUTER[payload[:3]] + _LUHN_INNER[payload[3:6]] + _LUHN_OUTER[payload[6:]]) % 10]


def _orgnr(prefix: str, serial: int) -> str:
    """The organisationsnummer ``prefix`` + 6 digits (a bijection of ``serial`` below a million) + check digit."""
    payload = f"{prefix}{(serial * 7919 + 104729) % 1_000_000:06d}"
    return f"{payload[:6]}-{payload[6:]}{_luhn(payload)}"


def _brak(share: Fraction) -> dict[str, int]:
    return {"taljare": share.numerator, "namnare": share.denominator}


def _price_index(year: int) -> float:
    """Property prices relative to 2024 (roughly 6 % a year)."""
    return max(1.06 ** (year - 2024), 0.03)


@dataclass(frozen=True, slots=True)
class _Pools:
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    streets: tuple[str, ...]


@cache
def _pools() -> _Pools:
    """Names and streets drawn once from Faker sv_SE (fixed seed); the generator picks from these."""
    fake = Faker("sv_SE")
    fake.seed_instance(2026)
    return _Pools(
        female=tuple(fake.first_name_female() for _ in range(2000)),
        male=tuple(fake.first_name_male() for _ in range(2000)),
        surnames=tuple(fake.last_name() for _ in range(3000)),
        streets=tuple(fake.street_name() for _ in range(1500)),
    )


# --- Working objects ----------------------------------------------------------------------------------


class _Event:
    """One application on one day: its date, its moment in the register, dagboksnummer and aktnummer."""

    __slots__ = ("akt", "dagbok", "day", "millis", "ordinal", "stamp", "year")

    def __init__(self, ordinal: int, stamp: str, millis: int, dagbok: list[str], akt: str | None) -> None:
        self.ordinal = ordinal
        self.day = stamp[:10]
        self.year = int(stamp[:4])
        self.stamp = stamp
        self.millis = millis
        self.dagbok = dagbok
        self.akt = akt

    def moment(self) -> datetime:
        """The stamp as an aware UTC datetime."""
        shift = self.millis - _offset(self.ordinal)[1] * 60_000
        return datetime.fromordinal(self.ordinal).replace(tzinfo=UTC) + timedelta(milliseconds=shift)


class _Party:
    """A person or organisation that owns: the owner members of every InskrivenPerson naming it."""

    __slots__ = ("born", "kind", "surname", "template")

    def __init__(self, kind: str, template: dict[str, Any], surname: str = "", born: int = 0) -> None:
        self.kind = kind  # person, organisation, kommun or foreign
        self.template = template
        self.surname = surname
        self.born = born


class _Holding:
    """A Lagfart or Tomtrattsinnehav and whom it names for which share."""

    __slots__ = ("doc", "party", "share")

    def __init__(self, doc: dict[str, Any], party: _Party, share: Fraction) -> None:
        self.doc = doc
        self.party = party
        self.share = share


class _Encumbrance:
    """An InskrivenBelastning of a property: its Belastar entries, each shown from a snapshot index on."""

    __slots__ = ("doc", "ordinal", "stamp", "versions")

    def __init__(self, ordinal: int, stamp: str, doc: dict[str, Any]) -> None:
        self.ordinal = ordinal
        self.stamp = stamp
        self.doc = doc
        self.versions: list[tuple[int, dict[str, Any]]] = []

    def at(self, index: int) -> dict[str, Any] | None:
        """The Belastar entry snapshot ``index`` shows, if any."""
        shown = None
        for since, entry in self.versions:
            if since <= index:
                shown = entry
        return shown


class _Deal:
    """One purchase of two neighbouring properties by the same owners, often with mortgages on both."""

    __slots__ = ("event", "extension", "owners", "price", "references", "shared")

    def __init__(
        self, event: _Event, owners: list[tuple[_Party, Fraction]], price: int, references: list[dict[str, str]]
    ) -> None:
        self.event = event
        self.owners = owners
        self.price = price
        self.references = references
        self.shared: list[dict[str, Any]] = []
        self.extension: dict[str, Any] | None = None  # a mortgage on the first, applied to extend to the second


class _Lot:
    """A property of a block before it is generated."""

    __slots__ = ("beteckning", "deal", "fastighet_id", "inskrivning_id", "reference")

    def __init__(self, inskrivning_id: str, fastighet_id: str, beteckning: str) -> None:
        self.inskrivning_id = inskrivning_id
        self.fastighet_id = fastighet_id
        self.beteckning = beteckning
        self.reference = {"objektidentitet": fastighet_id, "beteckning": beteckning}
        self.deal: _Deal | None = None


class _Block:
    """Neighbouring properties: one kommun, trakt and block, of one kind."""

    __slots__ = ("kind", "kommun", "kommun_index", "lots", "tomtratt")

    def __init__(self, kommun_index: int, kind: str, tomtratt: bool) -> None:
        self.kommun_index = kommun_index
        self.kommun = _KOMMUNER[kommun_index]
        self.kind = kind
        self.tomtratt = tomtratt
        self.lots: list[_Lot] = []


class _Ownership:
    """A property's ownership history: what each snapshot lists as Agande, TidigareAgande and changes."""

    __slots__ = ("changes", "current", "kommun", "previous", "sales", "snapshots")

    def __init__(self) -> None:
        self.kommun: tuple[dict[str, Any], dict[str, Any]] | None = None  # its Lagfart and change, under a tomträtt
        self.current: list[_Holding] = []
        self.previous: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []
        self.snapshots: list[tuple[list[dict[str, Any]], int, int]] = []  # agande, len(previous), len(changes)
        self.sales: list[int] = []  # indices of the changes that replaced every owner


# --- The generator ------------------------------------------------------------------------------------


class _Register:
    """The generator's state: the random source, the counters that keep numbers unique and recent parties."""

    def __init__(self, seed: int, now: datetime) -> None:
        self.rng = random.Random(seed)  # noqa: S311  (synthetic data)
        self.random = self.rng.random
        self.today = now.astimezone(_STOCKHOLM).date().toordinal()
        self.pools = _pools()
        self.spare_uuids: list[str] = []
        self.blocks_per_trakt: dict[tuple[int, int], int] = {}
        self.serials: dict[int, int] = {}  # personnummer given per birthday, sex and kind
        self.organisations = {"49": 0, "53": 0, "31": 0}
        self.persons: deque[_Party] = deque(maxlen=3000)
        self.companies: deque[_Party] = deque(maxlen=1500)
        self.kommuner: dict[int, _Party] = {}

    def uuid(self) -> str:
        """A new lowercase version-4 uuid: ``UUID(int=<128 random bits>, version=4)``, made in batches."""
        if not self.spare_uuids:
            bits = self.rng.getrandbits(128 * _UUID_BATCH) & _UUID_CLEAR | _UUID_SET
            hexadecimal = f"{bits:0{32 * _UUID_BATCH}x}".encode()
            text = bytearray(b"-" * (36 * _UUID_BATCH))
            for source, target in enumerate(_UUID_LAYOUT):
                text[target::36] = hexadecimal[source::32]
            decoded = text.decode()
            self.spare_uuids = [decoded[start : start + 36] for start in range(0, 36 * _UUID_BATCH, 36)]
        return self.spare_uuids.pop()

    def below(self, bound: int) -> int:
        """A random integer in [0, bound)."""
        return int(self.random() * bound)

    def pick(self, values: tuple[Any, ...] | list[Any]) -> Any:
        return values[int(self.random() * len(values))]

    # --- blocks ----------------------------------------------------------------------------------------

    def block(self, remaining: int) -> _Block:
        """The next block of at most ``remaining`` properties, with its lots and deals decided."""
        draw = self.random
        kommun_index = _KOMMUN_PICK.pick(draw)
        kommun = _KOMMUNER[kommun_index]
        kind = _OFFICE_BLOCK_KINDS[kommun[4] >= 15].pick(draw)
        block = _Block(kommun_index, kind, kommun[5] and draw() < _TOMTRATT_BLOCK.get(kind, 0.0))
        trakt_index = self.below(len(_TRAKTER))
        key = (kommun_index, trakt_index)
        number = self.blocks_per_trakt[key] = self.blocks_per_trakt.get(key, 0) + 1
        low, high = _BLOCK_SIZE[kind]
        size = min(low + self.below(high - low + 1), remaining)
        first = 1 + self.below(90 if kind in ("rural", "fritidshus") else 8)
        prefix = f"{kommun[0]} {_TRAKTER[trakt_index]} {number}:"
        block.lots = [_Lot(self.uuid(), self.uuid(), f"{prefix}{first + offset}") for offset in range(size)]
        position = 0
        while position < size - 1:
            if draw() < 0.08:
                self._deal(block, block.lots[position], block.lots[position + 1])
                position += 2
            else:
                position += 1
        return block

    def properties(self, block: _Block) -> Iterator[GeneratedProperty]:
        for lot in block.lots:
            yield self._property(block, lot)

    def _deal(self, block: _Block, first: _Lot, second: _Lot) -> None:
        """One owner set buys both lots in one application, often with a mortgage on both."""
        draw = self.random
        stamps: dict[int, tuple[str, int]] = {}
        event = self._event(self._acquired(), stamps)
        owners = self._owners(block, event)
        price = self._round_price(self._price(block, event.year) * (1.6 + 0.4 * draw()))
        deal = _Deal(event, owners, price, [first.reference, second.reference])
        if draw() < 0.75:
            deal.shared = [
                self._inteckning(block, self._event(event.ordinal, stamps), deal.references)
                for _ in range(1 if draw() < 0.8 else 2)
            ]
        if draw() < 0.25:
            deal.extension = self._inteckning(
                block, self._event(event.ordinal, stamps), [first.reference], extension=[second.reference]
            )
        first.deal = second.deal = deal

    # --- one property ----------------------------------------------------------------------------------

    def _property(self, block: _Block, lot: _Lot) -> GeneratedProperty:
        draw = self.random
        deal = lot.deal
        stamps: dict[int, tuple[str, int]] = {}
        if deal is not None:
            stamps[deal.event.ordinal] = (deal.event.stamp, deal.event.millis)
        ordinals = [deal.event.ordinal if deal else self._acquired()]
        for _ in range(_EARLIER_CHANGES.pick(draw)):
            earlier = _workday(ordinals[-1] - int((1.5 + 16.5 * draw()) * _YEAR))
            if earlier < _FIRST_CHANGE:
                break
            ordinals.append(earlier)
        ordinals.reverse()
        events = [self._event(ordinal, stamps) for ordinal in ordinals[:-1]]
        events.append(deal.event if deal else self._event(ordinals[-1], stamps))
        pending: list[str] = []
        ownership, granted = self._ownership(block, lot, events, stamps, pending)
        encumbrances = self._encumbrances(block, lot, ordinals, stamps, ownership.sales, pending)
        anteckning = self._anteckning(block, lot, ordinals, stamps, encumbrances, ownership) if draw() < 0.03 else None
        extension = self._extension_applied_for(lot, events[-1], pending)
        leasehold = self._tomtrattsupplatelse(block, events, stamps, granted) if granted else None
        if draw() < 0.015:
            pending.append(_PENDING_OTHER.pick(draw))
        grupp = self._gruppinformation(ordinals[0], stamps) if draw() < 0.02 else None
        irfastighet, omrade = self._property_records(block, ordinals[0], events)

        history = []
        last = len(events) - 1
        for index, event in enumerate(events):
            doc: dict[str, Any] = {
                "objektidentitet": lot.inskrivning_id,
                "fastighetsreferens": lot.reference,
                "irfastighet": irfastighet[index],
                "omrade": omrade[index],
            }
            if index == last and pending:
                doc["pagaendeArende"] = [self._pagaende(lot, event, pending, extension is not None)]
            if grupp:
                doc["gruppinformation"] = grupp
            if leasehold:
                doc["tomtrattsupplatelse"] = leasehold[index]
            belastar = [entry for entry in (item.at(index) for item in encumbrances) if entry]
            if belastar:
                doc["belastar"] = belastar
            if index == last and extension:
                extension["foretradesordning"] = len(belastar) + 1
                doc["utstrackningSoktI"] = [extension]
            if anteckning and anteckning[0] <= index:
                doc["anteckning"] = [anteckning[1]]
            agande, previous_count, change_count = ownership.snapshots[index]
            doc["agande"] = agande
            if previous_count:
                doc["tidigareAgande"] = ownership.previous[:previous_count]
            changes = ownership.changes[:change_count]
            doc["fastighetsagandeforandring"] = [ownership.kommun[1], *changes] if ownership.kommun else changes
            history.append(Snapshot(event.moment(), doc))
        return GeneratedProperty(UUID(lot.inskrivning_id), UUID(lot.fastighet_id), lot.beteckning, tuple(history))

    def _acquired(self) -> int:
        """When the current owners' title was registered: mostly within ten years, sometimes decades ago."""
        draw = self.random
        roll = draw()
        years = 0.02 + 9.98 * draw() if roll < 0.55 else 10 + 15 * draw() if roll < 0.85 else 25 + 25 * draw()
        return _workday(max(self.today - 1 - int(years * _YEAR), _FIRST_CHANGE + 3650))

    def _event(self, ordinal: int, stamps: dict[int, tuple[str, int]]) -> _Event:
        """A new application on day ``ordinal`` (or the weekday before); a property's registrations on one day
        share one moment."""
        draw = self.random
        ordinal = _workday(ordinal)
        known = stamps.get(ordinal)
        if known is None:
            millis = _WORKDAY[0] + int(draw() * _WORKDAY[1])
            seconds = millis // 1000
            stamp = (
                f"{_iso(ordinal)}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
                f".{millis % 1000:03d}{_offset(ordinal)[0]}"
            )
            known = stamps[ordinal] = (stamp, millis)
        stamp = known[0]
        dagbok = [f"{stamp[2:4]}/{1 + int(draw() * 45000)}"]
        if draw() < 0.03:
            dagbok.append(f"{stamp[2:4]}/{1 + int(draw() * 45000)}")
        akt = f"D-{stamp[:4]}-{1 + int(draw() * 2_400_000):08d}:{1 + int(draw() * 9)}" if stamp >= "2000" else None
        return _Event(ordinal, stamp, known[1], dagbok, akt)

    def _registration(
        self,
        event: _Event,
        typ: str | None = None,
        beslut: str = "Beviljad",
        *,
        ident: str | None = None,
        uppskov: str | None = None,
    ) -> dict[str, Any]:
        """The ten registration-decision members (digest §4.0.2), after ``typ`` on a union member."""
        doc: dict[str, Any] = {"typ": typ} if typ else {}
        doc["objektidentitet"] = ident or self.uuid()
        doc["objektversion"] = 1
        doc["versionGiltigFran"] = event.stamp
        doc["inskrivningsdag"] = event.day
        doc["dagboksnummer"] = event.dagbok
        if event.akt:
            doc["aktnummer"] = event.akt
        doc["beslut"] = beslut
        if uppskov:
            doc["uppskovsdatum"] = uppskov
        return doc

    def _versioned(self, event: _Event) -> dict[str, Any]:
        """The three members of a versioned object that is not a registration (digest §4.0.1)."""
        return {"objektidentitet": self.uuid(), "objektversion": 1, "versionGiltigFran": event.stamp}

    # --- ownership -------------------------------------------------------------------------------------

    def _ownership(
        self, block: _Block, lot: _Lot, events: list[_Event], stamps: dict[int, tuple[str, int]], pending: list[str]
    ) -> tuple[_Ownership, _Event | None]:
        """Owners before the first recorded change (half the time), then each change; under a tomträtt also the
        kommun's title and the event that granted the tomträtt."""
        draw = self.random
        ownership = _Ownership()
        typ = "Tomträttsinnehav" if block.tomtratt else "Lagfart"
        granted = events[0] if block.tomtratt else None
        if draw() < 0.5 and events[0].ordinal > _EARLIEST + 32 * 365:
            event = self._event(events[0].ordinal - int((2 + 23 * draw()) * _YEAR), stamps)
            owners = self._owners(block, event)
            ownership.current = [self._holding(typ, event, party, share, "Köp", None) for party, share in owners]
            granted = event if block.tomtratt else None
        if granted:
            ownership.kommun = self._kommun_title(block, granted.ordinal, stamps)
        kommun = [ownership.kommun[0]] if ownership.kommun else []
        last = len(events) - 1
        for index, event in enumerate(events):
            forced = lot.deal.owners if lot.deal and index == last else None
            self._change(block, lot, event, ownership, forced, granted is event, pending if index == last else None)
            agande = kommun + [holding.doc for holding in ownership.current]
            ownership.snapshots.append((agande, len(ownership.previous), index + 1))
        return ownership, granted

    def _change(
        self,
        block: _Block,
        lot: _Lot,
        event: _Event,
        ownership: _Ownership,
        forced: list[tuple[_Party, Fraction]] | None,
        granted: bool,
        pending: list[str] | None,
    ) -> None:
        """One Fastighetsagandeforandring: whose ownership ends, who acquires, for which price."""
        draw = self.random
        typ = "Tomträttsinnehav" if block.tomtratt else "Lagfart"
        current = ownership.current
        parties = list({id(holding.party): holding.party for holding in current}.values())
        if forced is None and len(parties) >= 2 and all(party.kind == "person" for party in parties) and draw() < 0.12:
            giver = parties[self.below(len(parties))]
            taker = self.pick([party for party in parties if party is not giver])
            art = _ARTS_PARTIAL.pick(draw)
            ending = [holding for holding in current if holding.party is giver]
            share = sum((holding.share for holding in ending), Fraction(0))
            acquired = [self._holding(typ, event, taker, share, art, pending)]
            ownership.current = [holding for holding in current if holding.party is not giver] + acquired
        else:
            if forced is not None:
                art = "Köp"
            elif granted:
                art = "Upplåtelse av tomträtt"
            elif not current:
                art = _ARTS_FIRST.pick(draw)
            elif parties[0].kind in ("organisation", "kommun"):
                art = _ARTS_ORGANISATION.pick(draw)
            else:
                art = _ARTS_PERSONS.pick(draw)
            if forced is not None:
                owners = forced
            elif art in _HEIR_ARTS and parties and parties[0].kind == "person":
                owners = self._heirs(parties[0], event)
            else:
                owners = self._owners(block, event)
            ending, share = current, _ONE
            acquired = [self._holding(typ, event, party, part, art, pending) for party, part in owners]
            ownership.current = acquired
            ownership.sales.append(len(ownership.changes))
        ownership.previous.extend(holding.doc for holding in ending)
        change = self._versioned(event)
        kopeskilling = self._kopeskilling(block, lot, event, art, share, forced is not None, acquired[0].doc)
        if kopeskilling:
            change["kopeskilling"] = kopeskilling
        delay = 60 + self.below(440) if art in _HEIR_ARTS else 5 + self.below(115)
        when = _iso(event.ordinal - delay)  # the contract, deed of gift or death: one date for every acquirer
        roll = draw()
        precision = "fangesar" if when < "1970" or roll < 0.02 else "fangesmanad" if roll < 0.07 else "fangesdag"
        dated = (precision, int(when[:4]) if precision == "fangesar" else when[:7] if roll < 0.07 else when)
        change["fang"] = [self._fang(event, holding, art, dated, block.tomtratt) for holding in acquired]
        if ending:
            transfers = []
            for holding in ending:
                transfer = self._versioned(event)
                transfer["andelOverlatelse"] = holding.doc["beviljadAndel"]
                transfer["inskrivetAgande"] = holding.doc["objektidentitet"]
                transfers.append(transfer)
            change["overlatelse"] = transfers
        ownership.changes.append(change)

    def _holding(
        self, typ: str, event: _Event, party: _Party, share: Fraction, art: str, pending: list[str] | None
    ) -> _Holding:
        """A Lagfart/Tomtrattsinnehav; ``pending`` (the current change only) lets it still await a decision."""
        draw = self.random
        beslut, uppskov = "Beviljad", None
        if pending is not None:
            roll = draw()
            if roll < 0.012:
                beslut, uppskov = "Uppskov", _iso(event.ordinal + 90)
            elif roll < 0.017:
                beslut = "Vilande"
            kind = "Lagfart" if typ == "Lagfart" else "Tomträtt"
            if beslut != "Beviljad" and kind not in pending:
                pending.append(kind)
        doc = self._registration(event, typ, beslut, uppskov=uppskov)
        doc["beviljadAndel"] = _brak(share)
        agare = self._versioned(event)
        agare.update(party.template)
        doc["agare"] = agare
        remark = None
        if art in _HEIR_ARTS and draw() < 0.25:
            remark = (_GIFT_REMARKS.pick(draw), None)
        elif draw() < 0.01:
            remark = _OTHER_REMARKS.pick(draw)
        if remark:
            key = "lagfartsanmarkning" if typ == "Lagfart" else "tomtrattsinnehavsanmarkning"
            doc[key] = [self._agande_remark(event, key, *remark)]
        return _Holding(doc, party, share)

    def _agande_remark(self, event: _Event, key: str, kind: str, text: str | None) -> dict[str, Any]:
        """A Lagfartsanmarkning or Tomtrattsinnehavsanmarkning (``key`` names its code member)."""
        remark = self._registration(event)
        remark[key] = kind
        if text:
            remark["ovrigAnmarkning"] = text
        return remark

    def _fang(
        self, event: _Event, holding: _Holding, art: str, dated: tuple[str, int | str], tomtratt: bool
    ) -> dict[str, Any]:
        """The acquisition of ``holding``; ``dated`` is its date as year, month or day (member name, value)."""
        fang = self._registration(event, beslut=holding.doc["beslut"], uppskov=holding.doc.get("uppskovsdatum"))
        fang["andelFang"] = holding.doc["beviljadAndel"]
        fang[dated[0]] = dated[1]
        fang["fangesart"] = art
        fang["fangeskod"] = _FANGESKOD[art]
        if self.random() < 0.004:
            key = "tomtrattsinnehavsanmarkning" if tomtratt else "lagfartsanmarkning"
            fang[key] = [self._agande_remark(event, key, "Förbehåll om överlåtelse", None)]
        fang["inskrivetAgande"] = holding.doc["objektidentitet"]
        return fang

    def _kopeskilling(
        self,
        block: _Block,
        lot: _Lot,
        event: _Event,
        art: str,
        share: Fraction,
        joint: bool,
        first_title: dict[str, Any],
    ) -> dict[str, Any] | None:
        """The price of a change; a ``joint`` purchase also covers the other property of the deal."""
        draw = self.random
        priced = art in _PRICED_ARTS and draw() >= 0.03
        if not priced and draw() < 0.5:
            return None
        price = self._versioned(event)
        if not priced:
            price["kopeskillingstyp"] = "Ingen köpeskilling redovisas"
            return price
        deal = lot.deal if joint else None
        amount = deal.price if deal else self._round_price(self._price(block, event.year) * share)
        key = "preliminarKopeskillingFastEgendom" if first_title["beslut"] == "Uppskov" else "kopeskillingFastEgendom"
        price[key] = {"valuta": "SEK", "summa": amount}
        if art == "Byte" and draw() < 0.6:
            price["mellangift"] = {"valuta": "SEK", "summa": self._round_price(amount * (0.05 + 0.25 * draw()))}
        if block.kind in ("villa", "fritidshus", "rural") and draw() < 0.08:
            price["kopeskillingLosEgendom"] = {"valuta": "SEK", "summa": 10_000 + 5_000 * self.below(38)}
        if deal:
            price["kopeskillingstyp"] = "Avser även annan fastighet"
            price["omfattar"] = deal.references
        else:
            price["kopeskillingstyp"] = "Avser hela fastigheten"
        return price

    def _price(self, block: _Block, year: int) -> float:
        tier = 0.55 + 0.2 * block.kommun[4] ** 0.5
        return _PRICE_BASE[block.kind] * tier * _price_index(year) * self.rng.lognormvariate(0, 0.35)

    @staticmethod
    def _round_price(amount: float) -> int:
        step = 1_000 if amount < 1_000_000 else 5_000 if amount < 10_000_000 else 100_000
        return max(step, round(amount / step) * step)

    def _kommun_title(
        self, block: _Block, granted: int, stamps: dict[int, tuple[str, int]]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The kommun's old Lagfart under a tomträtt and the change that gave it."""
        draw = self.random
        event = self._event(max(granted - int((1 + 39 * draw()) * _YEAR), _EARLIEST), stamps)
        title = self._registration(event, "Lagfart")
        title["beviljadAndel"] = _brak(_ONE)
        agare = self._versioned(event)
        agare.update(self._kommun(block.kommun_index).template)
        title["agare"] = agare
        fang = self._registration(event)
        fang["andelFang"] = title["beviljadAndel"]
        fang["fangesar"] = event.year - (1 if draw() < 0.3 else 0)
        art = self.pick(("Köp", "Köp", "Expropriation", "Övriga fångeshandlingar"))
        fang["fangesart"] = art
        fang["fangeskod"] = _FANGESKOD[art]
        fang["inskrivetAgande"] = title["objektidentitet"]
        change = self._versioned(event)
        change["fang"] = [fang]
        return title, change

    # --- parties ---------------------------------------------------------------------------------------

    def _owners(self, block: _Block, event: _Event) -> list[tuple[_Party, Fraction]]:
        """A new owner set suiting the block: persons, a BRF, companies, the kommun or owners abroad."""
        draw = self.random
        kind = block.kind
        if kind == "kommunal":
            return [(self._kommun(block.kommun_index), _ONE)]
        if kind == "flerbostad":
            return [(self._organisation(block, "53") if draw() < 0.6 else self._company(block), _ONE)]
        if kind == "industri":
            if draw() < 0.1:
                return [(self._organisation(block, "49"), _F(1, 2)), (self._organisation(block, "31"), _F(1, 2))]
            return [(self._company(block), _ONE)]
        if draw() < _FOREIGN_SHARE[kind]:
            country = _FOREIGN[_FOREIGN_PICK.pick(draw)]
            surname = self.pick(country[6])
            parties = [self._foreign(country, event, surname) for _ in range(1 if draw() < 0.5 else 2)]
        else:
            count = _PERSON_COUNT[kind].pick(draw)
            parties = [self._person(event.year)]
            while len(parties) < count:
                surname = parties[0].surname if count == 2 and draw() < 0.55 else None
                candidate = self._person(event.year, surname)
                if all(candidate is not party for party in parties):
                    parties.append(candidate)
        return list(zip(parties, _SHARES[len(parties)].pick(draw), strict=True))

    def _heirs(self, parent: _Party, event: _Event) -> list[tuple[_Party, Fraction]]:
        """Children of ``parent`` (same surname) taking equal shares."""
        count = self.pick((1, 1, 2, 2, 2, 3, 3))
        heirs = [self._new_person(event.year, parent.surname, parent.born) for _ in range(count)]
        return [(heir, _F(1, count)) for heir in heirs]

    def _person(self, year: int, surname: str | None = None) -> _Party:
        """A natural person of owning age in ``year``: now and then one who already owns elsewhere."""
        if surname is None and self.persons and self.random() < 0.1:
            known = self.pick(self.persons)
            if year - 80 <= known.born <= year - 20:
                return known
        return self._new_person(year, surname, None)

    def _new_person(self, year: int, surname: str | None, parent_born: int | None) -> _Party:
        draw = self.random
        pools = self.pools
        male = draw() < 0.5
        names = pools.male if male else pools.female
        count = len(names)
        first = names[int(draw() * count)]
        roll = draw()
        if roll < 0.45:
            second = names[int(draw() * count)]
            given = f"{first} {second} {names[int(draw() * count)]}" if roll < 0.06 else f"{first} {second}"
            called = first if draw() < 0.85 else second
        else:
            given = called = first
        surnames = pools.surnames
        surname = surname or surnames[int(draw() * len(surnames))]
        born = min(parent_born + 22 + int(draw() * 17), year - 18) if parent_born else year - 22 - int(draw() * 54)
        number = self._personnummer(born, male, draw() < 0.02)
        reference = self.uuid()
        person: dict[str, Any] = {"id": reference, "personnummer": number, "fornamn": given}
        if draw() < 0.04:
            person["mellannamn"] = surnames[int(draw() * len(surnames))]
        person["efternamn"] = surname
        person["tilltalsnamn"] = called
        roll = draw()
        if roll < 0.006:
            country = _FOREIGN[_FOREIGN_PICK.pick(draw)]
            person["utlandsadress"] = {
                "utdelningsadress1": f"{self.pick(country[7])} {1 + self.below(90)}",
                "utdelningsadress2": f"{self._fill(country[3])} {self.pick(country[2])}",
                "land": country[0],
            }
        else:
            person["adress"] = self._address(None)
            if roll > 0.99:
                person["sarskildAdress"] = self._address(None)
        template: dict[str, Any] = {"efternamn": surname.upper(), "fornamn": given.upper()}
        if draw() < 0.08:
            template["reklamsparr"] = True
        template["idnummer"] = number
        template["personId"] = reference
        template["person"] = person
        party = _Party("person", template, surname, born)
        self.persons.append(party)
        return party

    def _personnummer(self, born: int, male: bool, samordning: bool) -> str:
        """A valid personnummer (samordningsnummer: day + 60) "YYYYMMDD-NNNC", unique in the register."""
        serials = self.serials
        birthday = _new_year(born) + int(self.random() * 365)
        while True:
            key = birthday * 4 + male * 2 + samordning
            serial = serials.get(key, 0)
            if serial < 500:
                break
            birthday += 1
        serials[key] = serial + 1
        day = _iso(birthday)
        region = (serial * 37 + 13) % 100  # a bijection of the serial below 100
        sex = (1, 3, 5, 7, 9)[serial // 100] if male else (0, 2, 4, 6, 8)[serial // 100]
        payload = f"{day[2:4]}{day[5:7]}{int(day[8:]) + (60 if samordning else 0):02d}{region:02d}{sex}"
        return f"{day[:4]}{payload[2:6]}-{payload[6:]}{_luhn(payload)}"

    def _address(self, kommun: tuple[str, str, str, str, int, bool] | None) -> dict[str, str]:
        """A Swedish postal address in ``kommun``, or in one drawn by population."""
        draw = self.random
        kommun = kommun or _KOMMUNER[_KOMMUN_PICK.pick(draw)]
        streets = self.pools.streets
        street = f"{streets[int(draw() * len(streets))]} {1 + int(draw() * 120)}"
        address: dict[str, str] = {}
        roll = draw()
        if roll < 0.02:
            address["coAdress"] = f"C/O {self.pick(self.pools.surnames).upper()}"
        if roll > 0.92:
            address["utdelningsadress1"] = f"LGH {1001 + self.below(504)}"  # the extra line, like the spec's "pl4523"
        address["utdelningsadress2"] = street  # the street line, as in the spec's example and origo's reading
        address["postnummer"] = f"{kommun[2]}{10 + int(draw() * 90)}"
        address["postort"] = kommun[3]
        return address

    def _company(self, block: _Block) -> _Party:
        """A property company: an AB that often already owns elsewhere."""
        if self.companies and self.random() < 0.4:
            return self.pick(self.companies)
        party = self._organisation(block, "49")
        self.companies.append(party)
        return party

    def _organisation(self, block: _Block, form: str) -> _Party:
        """A new AB (juridisk form 49), BRF (53) or HB (31) with a unique organisationsnummer."""
        serial = self.organisations[form] = self.organisations[form] + 1
        surname = self.pick(self.pools.surnames).upper()
        trakt = self.pick(_TRAKTER).upper()
        if form == "53":
            number, name = _orgnr("769", serial), f"BOSTADSRÄTTSFÖRENINGEN {trakt} {1 + self.below(40)}"
        elif form == "31":
            number, name = _orgnr("969", serial), f"{surname} & {self.pick(self.pools.surnames).upper()} HB"
        else:
            number = _orgnr("556", serial)
            name = self.pick(
                (
                    f"{surname} FASTIGHETER AB",
                    f"FASTIGHETS AB {trakt}",
                    f"{surname} BYGG & FASTIGHET AB",
                    f"{block.kommun[0].upper()} {trakt} FASTIGHETS AB",
                )
            )
        address = self._address(block.kommun)
        if form != "53" and self.random() < 0.4:
            box = f"Box {1 + self.below(9999)}"
            address = {"utdelningsadress2": box, "postnummer": address["postnummer"], "postort": address["postort"]}
        reference = self.uuid()
        organisation = {
            "id": reference,
            "organisationsnummer": number,
            "organisationsnamn": name,
            "juridiskForm": form,
            "adress": address,
        }
        template = {"organisationsnamn": name, "idnummer": number, "personId": reference, "organisation": organisation}
        return _Party("organisation", template)

    def _kommun(self, index: int) -> _Party:
        """The kommun as an owner (juridisk form 82, kommuner); one party per kommun in the register."""
        party = self.kommuner.get(index)
        if party is None:
            name, _, prefix, postort, _, _ = _KOMMUNER[index]
            full = _KOMMUN_NAMES.get(name) or f"{name.upper()}{'' if name[-1] in 'aeiouyåäösx' else 'S'} KOMMUN"
            payload = f"212000{100 + 7 * index % 900:03d}"  # a bijection of the index below 900
            number = f"{payload[:6]}-{payload[6:]}{_luhn(payload)}"
            reference = self.uuid()
            organisation = {
                "id": reference,
                "organisationsnummer": number,
                "organisationsnamn": full,
                "juridiskForm": "82",
                "adress": {
                    "utdelningsadress1": "KOMMUNSTYRELSEN",
                    "utdelningsadress2": f"Box {100 + index}",
                    "postnummer": f"{prefix}80",
                    "postort": postort,
                },
            }
            template = {
                "organisationsnamn": full,
                "idnummer": number,
                "personId": reference,
                "organisation": organisation,
            }
            party = self.kommuner[index] = _Party("kommun", template)
        return party

    def _foreign(self, country: tuple[Any, ...], event: _Event, surname: str) -> _Party:
        """An owner living abroad, registered with a samordningsnummer."""
        draw = self.random
        land, code, cities, postkod, other_id, first_names, _, streets = country
        born = event.year - 30 - self.below(46)
        number = self._personnummer(born, draw() < 0.5, True)
        abroad = self._versioned(event)
        if draw() < 0.6:
            abroad["annatID"] = self._fill(other_id)
        abroad["utdelningsadress"] = f"{self.pick(streets)} {1 + self.below(140)}"
        abroad["postkod"] = self._fill(postkod)
        abroad["postort"] = self.pick(cities)
        abroad["land"] = land
        abroad["landskod"] = code
        template = {
            "efternamn": surname.upper(),
            "fornamn": self.pick(first_names).upper(),
            "idnummer": number,
            "personId": self.uuid(),
            "utlandskAgare": abroad,
        }
        return _Party("foreign", template, surname, born)

    def _fill(self, pattern: str) -> str:
        """``pattern`` with each # a digit and each ? an upper-case letter."""
        return "".join(
            str(self.below(10)) if c == "#" else chr(65 + self.below(26)) if c == "?" else c for c in pattern
        )

    # --- encumbrances ----------------------------------------------------------------------------------

    def _encumbrances(
        self,
        block: _Block,
        lot: _Lot,
        ordinals: list[int],
        stamps: dict[int, tuple[str, int]],
        sales: list[int],
        pending: list[str],
    ) -> list[_Encumbrance]:
        """Mortgages and rights in priority order; each first shows in the snapshot that follows its date."""
        draw = self.random
        found: list[_Encumbrance] = []
        start = max(ordinals[0] - int(20 * _YEAR), _EARLIEST)
        neighbours = [other.reference for other in block.lots if other is not lot]
        reference = [lot.reference]
        count = _MORTGAGE_COUNT[block.kind].pick(draw)
        while count > 0:
            period = self.below(len(ordinals))
            low = ordinals[period - 1] + 1 if period else start
            ordinal = ordinals[period]
            if draw() >= 0.6 and low < ordinal:
                ordinal = low + self.below(ordinal - low)
            event = self._event(ordinal, stamps)
            if count >= 2 and draw() < 0.05:  # two deeds in one application, with equal priority
                twins = [self.uuid(), self.uuid()]
                for ident, other in (twins, twins[::-1]):
                    doc = self._inteckning(block, event, reference, neighbours, ident=ident, likaratt=[other])
                    found.append(_Encumbrance(event.ordinal, event.stamp, doc))
                count -= 2
            else:
                waiting = pending if event.ordinal == ordinals[-1] and not lot.deal else None
                doc = self._inteckning(block, event, reference, neighbours, pending=waiting)
                found.append(_Encumbrance(event.ordinal, event.stamp, doc))
                count -= 1
        deal = lot.deal
        if deal:
            found.extend(_Encumbrance(deal.event.ordinal, deal.event.stamp, doc) for doc in deal.shared)
            if deal.extension and lot.reference is deal.references[0]:
                found.append(_Encumbrance(deal.event.ordinal, deal.event.stamp, deal.extension))
        self._rights(block, lot, start, ordinals, stamps, found)
        found.sort(key=lambda item: item.ordinal)
        for rank, item in enumerate(found, start=1):
            since = bisect_left(ordinals, item.ordinal)
            if item.ordinal < ordinals[since] and draw() < 0.005:
                item.doc = self._with_new_decision(item.doc, item.ordinal, ordinals[since], stamps)
            docs = [(since, item.doc)]
            if "innehavsanteckning" in item.doc:
                for index in sales:
                    if index > since and draw() < 0.35:  # the buyer's bank takes over the mortgage deed
                        latest = docs[-1][1]
                        event = self._event(ordinals[index], stamps)
                        docs.append(
                            (
                                index,
                                {
                                    **latest,
                                    "objektversion": latest["objektversion"] + 1,
                                    "versionGiltigFran": event.stamp,
                                    "innehavsanteckning": self._innehav(event),
                                },
                            )
                        )
            wrapper = self.uuid()
            item.versions = [
                (
                    index,
                    {
                        "objektidentitet": wrapper,
                        "objektversion": version,
                        "versionGiltigFran": doc["versionGiltigFran"] if version > 1 else item.stamp,
                        "foretradesordning": rank,
                        "inskrivenBelastning": doc,
                    },
                )
                for version, (index, doc) in enumerate(docs, start=1)
            ]
        return found

    def _with_new_decision(
        self, doc: dict[str, Any], registered: int, until: int, stamps: dict[int, tuple[str, int]]
    ) -> dict[str, Any]:
        """``doc`` with a later decision (NyttBeslut), taken before the snapshot that first shows it."""
        event = self._event(registered + 1 + self.below(until - registered), stamps)
        decision = {"beslutetsInskrivningsdag": event.day, "beslutetsDagboksnummer": event.dagbok[0]}
        if event.akt:
            decision["beslutetsAktnummer"] = event.akt
        rebuilt: dict[str, Any] = {}
        for key, value in doc.items():
            rebuilt[key] = value
            if key == "beslut":
                rebuilt["nyttBeslut"] = decision
        return rebuilt

    def _inteckning(
        self,
        block: _Block,
        event: _Event,
        belastar: list[dict[str, str]],
        neighbours: list[dict[str, str]] | None = None,
        *,
        ident: str | None = None,
        likaratt: list[str] | None = None,
        extension: list[dict[str, str]] | None = None,
        pending: list[str] | None = None,
    ) -> dict[str, Any]:
        """A mortgage on the ``belastar`` properties."""
        draw = self.random
        beslut, uppskov = "Beviljad", None
        if pending is not None and draw() < 0.02:
            beslut = "Uppskov" if draw() < 0.6 else "Vilande"
            uppskov = _iso(event.ordinal + 60) if beslut == "Uppskov" else None
            if "Inteckning" not in pending:
                pending.append("Inteckning")
        doc = self._registration(event, "Inteckning", beslut, ident=ident, uppskov=uppskov)
        if likaratt:
            doc["likaratt"] = likaratt
        moved_from = self.pick(neighbours) if neighbours and draw() < 0.02 else None
        if moved_from:
            handelse = self._registration(event)
            handelse["inskrivningshandelsetyp"] = _HANDELSER.pick(draw)
            handelse["akthanvisning"] = f"{event.year % 100:02d}/{1 + self.below(45000)}"
            doc["inskrivningshandelse"] = [handelse]
        target = _MORTGAGE_BASE[block.kind] * _price_index(event.year) * self.rng.lognormvariate(0, 0.5)
        amount = _MORTGAGE_AMOUNTS[min(bisect(_MORTGAGE_AMOUNTS, target), len(_MORTGAGE_AMOUNTS) - 1)]
        doc["belopp"] = {"valuta": "SEK", "summa": amount}
        roll = draw()
        digital, written = (0.92, 0.99) if event.year >= 1994 else (0.55, 0.95)
        if roll < digital:
            doc["pantbrevstyp"] = "Datapantbrev"
        elif roll < written:
            doc["pantbrevstyp"] = "Skriftligt pantbrev"
        doc["oklarInteckning"] = draw() < 0.01
        doc["interregionalInteckning"] = draw() < 0.005
        if draw() < 0.03:
            kind, text = _INTECKNINGSANMARKNINGAR.pick(draw)
            remark = self._registration(event)
            remark["inteckningsanmarkning"] = kind
            if text:
                remark["ovrigAnmarkning"] = text
            doc["inteckningsanmarkning"] = [remark]
        if draw() < 0.3:
            doc["innehavsanteckning"] = self._innehav(event)
        doc["belastar"] = belastar
        if moved_from:
            doc["avsagUrsprungligen"] = [moved_from]
        if extension:
            doc["utstrackningSoktI"] = extension
        return doc

    def _innehav(self, event: _Event) -> dict[str, Any]:
        """Who holds the mortgage deed: a bank, now and then a private lender."""
        holder = self._registration(event)
        if self.random() < 0.95:
            name, street, postnummer, postort = self.pick(_BANKS)
            holder["organisationsnamn"] = name
        else:
            holder["efternamn"] = self.pick(self.pools.surnames).upper()
            holder["fornamn"] = self.pick(self.pools.male).upper()
            address = self._address(None)
            street, postnummer, postort = address["utdelningsadress2"], int(address["postnummer"]), address["postort"]
        holder["utdelningsadress"] = street
        holder["postnummer"] = postnummer
        holder["postort"] = postort
        return holder

    def _rights(
        self,
        block: _Block,
        lot: _Lot,
        start: int,
        ordinals: list[int],
        stamps: dict[int, tuple[str, int]],
        found: list[_Encumbrance],
    ) -> None:
        """Easements, rights of use, power-line rights and the rare avkomsträtt, mostly decades old."""
        draw = self.random
        kinds = ["Avtalsservitut"] * _SERVITUT_COUNT[block.kind].pick(draw)
        use, power, produce = _OTHER_RIGHTS[block.kind]
        if draw() < use:
            kinds.append("Avtalsnyttjanderätt")
        if draw() < power:
            kinds.append("Elkrafträtt")
        if draw() < produce:
            kinds.append("Avkomsträtt")
        if not kinds:
            return
        purposes = _SERVITUT_RURAL if block.kind in ("rural", "fritidshus") else _SERVITUT_URBAN
        low, high = max(start, _new_year(1948)), ordinals[-1]
        # the first two easements are now and then granted together, with equal priority
        twins = [self.uuid(), self.uuid()] if kinds.count("Avtalsservitut") >= 2 and draw() < 0.1 else []
        for position, typ in enumerate(kinds):
            ordinal = low + int((high - low) * draw() ** 1.4) if high > low else high
            if typ == "Avkomsträtt":
                ordinal = min(ordinal, max(low, _new_year(1985)))
            ident = None
            if twins and position < 2:
                ident = twins[position]
                if position == 1:
                    ordinal = found[-1].ordinal
            event = self._event(ordinal, stamps)
            doc = self._registration(event, typ, ident=ident)
            if ident:
                doc["likaratt"] = [twins[1 - position]]
            if draw() < 0.08:
                remark = self._registration(event)
                remark["anmarkning"] = self.pick(_RATTIGHET_ANMARKNINGAR)
                doc["avtalsrattighetsanmarkning"] = [remark]
            if typ == "Avtalsservitut":
                first = purposes.pick(draw)
                second = purposes.pick(draw) if draw() < 0.15 else first
                doc["avtalsservitutsandamal"] = [first] if second == first else [first, second]
                if draw() < 0.1:
                    doc["ovrigtAndamal"] = [self.pick(_OVRIGT_ANDAMAL)]
            elif typ == "Avtalsnyttjanderätt":
                doc["avtalsnyttjanderattsandamal"] = [_NYTTJANDE_ANDAMAL.pick(draw)]
            elif typ == "Avkomsträtt":
                doc["belastar"] = [lot.reference]
            found.append(_Encumbrance(event.ordinal, event.stamp, doc))

    # --- the rest of the registration ------------------------------------------------------------------

    def _anteckning(
        self,
        block: _Block,
        lot: _Lot,
        ordinals: list[int],
        stamps: dict[int, tuple[str, int]],
        encumbrances: list[_Encumbrance],
        ownership: _Ownership,
    ) -> tuple[int, dict[str, Any]]:
        """An annotation from the last owner period: the first snapshot showing it and the document."""
        draw = self.random
        table = _ANTECKNINGAR.get(block.kind) if draw() < 0.6 else None
        anteckningstyp, text, concerns = (table or _ANTECKNINGAR["any"]).pick(draw)
        last = len(ordinals) - 1
        ordinal = ordinals[last]
        if concerns != "agande":  # one concerning the owner is registered with the current owners' title
            low = ordinals[last - 1] + 1 if last else ordinal - 3 * 365
            ordinal = low + self.below(ordinal - low + 1)
        if anteckningstyp == "Förköpsrätt" and _iso(ordinal) >= "2010":  # the förköpslag was repealed in 2010
            anteckningstyp, text, concerns = "Övrigt", "ANTECKNING ENLIGT BESLUT {year}", None
        event = self._event(ordinal, stamps)
        note = self._registration(event)
        note["anteckningstyp"] = anteckningstyp
        note["anteckningstext"] = text.format(
            kommun=self._kommun(block.kommun_index).template["organisationsnamn"],
            mal=f"{10 + self.below(90)}-{100000 + self.below(900000)}-{event.year % 100:02d}",
            year=event.year,
        )
        if draw() < 0.15:
            remark = self._registration(event)
            frist = _iso(ordinal + 30 + self.below(370))
            remark["anmarkning"] = self.pick(_ANTECKNING_ANMARKNINGAR).format(frist=frist)
            note["anteckningsanmarkning"] = [remark]
        note["belastar"] = [lot.reference]
        mortgages = [
            item.doc["objektidentitet"]
            for item in encumbrances
            if item.ordinal <= event.ordinal and item.doc["typ"] == "Inteckning"
        ]
        if concerns == "inteckning" and mortgages:
            note["avser"] = [{"inteckning": self.pick(mortgages)}]
        elif concerns == "agande":
            note["avser"] = [{"inskrivetAgande": self.pick(ownership.current).doc["objektidentitet"]}]
        return bisect_left(ordinals, event.ordinal), note

    def _extension_applied_for(self, lot: _Lot, event: _Event, pending: list[str]) -> dict[str, Any] | None:
        """On the second property of a deal: the application to extend the first one's mortgage to it."""
        deal = lot.deal
        if deal is None or deal.extension is None or lot.reference is not deal.references[1]:
            return None
        if "Inteckning" not in pending:
            pending.append("Inteckning")
        applied = self._versioned(event)
        applied["foretradesordning"] = 0  # set once the property's encumbrances are counted
        applied["inteckningsreferens"] = {
            "inteckning": deal.extension["objektidentitet"],
            "fastighetsreferens": [deal.references[0]],
        }
        return applied

    def _pagaende(self, lot: _Lot, event: _Event, kinds: list[str], extension: bool) -> dict[str, Any]:
        case = self._versioned(event)
        case["aktualitetsdatum"] = event.day
        case["pagaendeArendetyp"] = list(dict.fromkeys(kinds))
        if extension and lot.deal:
            case["fastighetsreferens"] = list(lot.deal.references)
        elif self.random() < 0.5:
            case["fastighetsreferens"] = [lot.reference]
        return case

    def _gruppinformation(self, first: int, stamps: dict[int, tuple[str, int]]) -> list[dict[str, Any]]:
        event = self._event(max(first - 30 - self.below(9000), _EARLIEST), stamps)
        kind, text = self.pick(_GROUP_INFO)
        information = self._versioned(event)
        information["gruppinformationstyp"] = kind
        information["gruppinformation"] = text.format(date=_iso(max(event.ordinal - 3000 - self.below(17000), 1)))
        return [information]

    def _property_records(
        self, block: _Block, first: int, events: list[_Event]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """IRFastighet and Omrade for each snapshot: a new version with each snapshot's actuality."""
        draw = self.random
        record_id, area_id = self.uuid(), self.uuid()
        older = None
        if draw() < 0.08:
            year = min(int(_iso(first)[:4]), 1995) % 100
            older = ",".join(
                f"{self.pick('ITA')}{max(year - self.below(30), 0):02d}/{100 + self.below(19900)}"
                for _ in range(1 + self.below(4))
            )
        serious, unclear = draw() < 0.002, draw() < 0.01
        records, areas = [], []
        for index, event in enumerate(events):
            record: dict[str, Any] = {
                "objektidentitet": record_id,
                "objektversion": index + 1,
                "versionGiltigFran": event.stamp,
            }
            if older:
                record["aldreForhallande"] = older
            record["allvarligtFelIR"] = serious
            record["oklaraInskrivningsforhallanden"] = unclear
            record["senasteAndringInskrivningsdelen"] = event.stamp
            record["beraknatAktualitetsdatum"] = event.day
            records.append(record)
            areas.append(
                {
                    "objektidentitet": area_id,
                    "objektversion": index + 1,
                    "versionGiltigFran": event.stamp,
                    "inskrivningskontor": block.kommun[1],
                    "omradesaktualitet": event.day,
                }
            )
        return records, areas

    def _tomtrattsupplatelse(
        self, block: _Block, events: list[_Event], stamps: dict[int, tuple[str, int]], granted: _Event
    ) -> list[dict[str, Any]]:
        """The grant of the tomträtt as each snapshot shows it: a new version with each new ground rent."""
        draw = self.random
        upplatelse = _iso(granted.ordinal - 20 - self.below(70))
        start_year = int(upplatelse[:4]) + 1
        period = 10 if draw() < 0.6 else 20
        base = _TOMTRATT_AVGALD[block.kind] * (0.7 + 0.7 * draw())
        first = self._registration(granted)
        first["andamal"] = _TOMTRATT_ANDAMAL[block.kind]
        if draw() < 0.2:
            first["inskrankning"] = _TOMTRATT_INSKRANKNING
        first["ursprungligtStartdatum"] = f"{start_year}-01-01"
        versions: dict[tuple[int, bool], dict[str, Any]] = {}
        shown = []
        for event in events:
            periods = max(0, (event.year - start_year) // period)
            period_start = _new_year(start_year + periods * period)
            next_start = _new_year(start_year + (periods + 1) * period)
            announced = next_start - event.ordinal <= 365
            key = (periods, announced)
            if key not in versions:
                doc = dict(first)
                doc["objektversion"] = 1 + 2 * periods + announced  # one version per new and per announced rent
                if announced:
                    doc["versionGiltigFran"] = self._event(next_start - 365, stamps).stamp
                elif periods:
                    doc["versionGiltigFran"] = self._event(period_start, stamps).stamp
                doc["avgald"] = self._avgald(period_start, base, period)
                if announced:
                    doc["framtidaAvgald"] = self._avgald(next_start, base, period)
                doc["aldreTomtratt"] = upplatelse < "1954"
                doc["uppsagningsperiodar"] = 20 if block.kind == "industri" else 60
                doc["upplatelsedatum"] = upplatelse
                if periods:
                    remark = self._registration(self._event(period_start, stamps))
                    remark["anmarkning"] = "NY AVGÄLD"
                    doc["tomtrattsupplatelseanmarkning"] = [remark]
                versions[key] = doc
            shown.append(versions[key])
        return shown

    @staticmethod
    def _avgald(start: int, base: float, period: int) -> dict[str, Any]:
        day = _iso(start)
        amount = max(100, round(base * _price_index(int(day[:4])) / 100) * 100)
        return {"startdatum": day, "avgift": {"valuta": "SEK", "summa": amount}, "periodlangdar": period}
