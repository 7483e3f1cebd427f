"""The XML structures of HuslejeregisterV3, declared once: the XSD is generated from them and the SOAP codec reads
and writes by them (huslejeregister.md §2 and §4; element order and cardinality are bodata's, the figures being
lost, see docs/decisions.md).

A structure is an ordered tuple of :class:`El` (its child elements). Scalar types are XSD built-ins or the
few simple types below; any other type name is another structure. The operations and their input and output
structures are listed in :data:`OPERATIONS`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class El:
    """A child element: its name, its type (a scalar or a structure name), cardinality and length limit."""

    name: str
    type: str
    required: bool = False
    many: bool = False
    max_length: int | None = None


SCALARS = {
    "string": "xs:string",
    "int": "xs:int",
    "decimal": "xs:decimal",
    "boolean": "xs:boolean",
    "date": "xs:date",
    "dateTime": "xs:dateTime",
    "uuid": "hr:UUIDType",
    "base64": "xs:base64Binary",
}
"""Scalar type names used below and the XSD types they map to (UUIDType is a pattern-restricted string)."""


def text(name: str, max_length: int | None = None) -> El:
    return El(name, "string", max_length=max_length)


def flag(name: str) -> El:
    return El(name, "boolean")


def code(name: str) -> El:
    """A code list value: an int in the schema, checked against its list by the numbered rules."""
    return El(name, "int")


def amount(name: str) -> El:
    return El(name, "decimal")


# --- Common structures (§2) -----------------------------------------------------------------------------

_RESULT = (
    El("ResultatIdentifikator", "uuid", required=True),
    El("ResultatTypeKode", "int", required=True),
    El("ResultatKode", "int", required=True),
    El("ResultatTekst", "string", required=True),
)
_FINDING = (
    El("ResultatStruktur", "ResultatStruktur", required=True),
    El("EntitetNavnTekst", "string"),
    El("EntitetReference", "string"),
    El("EntitetVirkningFraDatoTid", "dateTime"),
)

COMMON: dict[str, tuple[El, ...]] = {
    "ResultatStruktur": _RESULT,
    "ValideringsfejlStruktur": (*_FINDING, text("ValideringsfejlFunktionTekst"), text("FeltNavnTekst")),
    "ValideringsinfoStruktur": (*_FINDING, text("ValideringsInfoFunktionTekst"), text("FeltNavnTekst")),
    "MetodeResultatStruktur": (
        El("ResultatStruktur", "ResultatStruktur", required=True),
        El("ValideringsfejlStruktur", "ValideringsfejlStruktur", many=True),
        El("ValideringsinfoStruktur", "ValideringsinfoStruktur", many=True),
    ),
    "MetodeOpretResultatStruktur": (
        El("ResultatStruktur", "ResultatStruktur", required=True),
        El("EntitetReference", "uuid"),
        El("ValideringsfejlStruktur", "ValideringsfejlStruktur", many=True),
        El("ValideringsinfoStruktur", "ValideringsinfoStruktur", many=True),
    ),
    "VirkningsperiodeStruktur": (
        El("VirkningFraDatoTid", "dateTime", required=True),
        El("VirkningTilDatoTid", "dateTime"),
        El("RegistreringFraDatoTid", "dateTime", required=True),
        El("RegistreringTilDatoTid", "dateTime"),
        El("KladdeIndikator", "boolean", required=True),
    ),
    "BoligorganisationIdentifikationStruktur": (
        El("BoligorganisationUnikIdentifikator", "uuid"),
        El("BoligorganisationIdentifikator", "int"),
    ),
    "AfdelingIdentifikationStruktur": (
        El("AfdelingUnikIdentifikator", "uuid"),
        El("BoligorganisationIdentifikationStruktur", "BoligorganisationIdentifikationStruktur", required=True),
        El("AfdelingIdentifikator", "int", required=True),
    ),
    "ByggeafsnitIdentifikationStruktur": (
        El("ByggeafsnitUnikIdentifikator", "uuid"),
        El("AfdelingIdentifikationStruktur", "AfdelingIdentifikationStruktur", required=True),
        El("ByggeafsnitIdentifikator", "int", required=True),
    ),
    "BoligIdentifikationStruktur": (
        El("BoligUnikIdentifikator", "uuid"),
        El("BuildingUnitUniversalIdentifier", "uuid", required=True),
    ),
}

# --- The bitemporal entities (§4.1-4.4) -------------------------------------------------------------------

TIME_ELEMENTS = ("VirkningFraDatoTid", "VirkningTilDatoTid", "RegistreringFraDatoTid", "RegistreringTilDatoTid")
_VERSION_TIMES = (
    El("VirkningFraDatoTid", "dateTime"),  # optional in the schema so that a missing one is error 5004
    El("VirkningTilDatoTid", "dateTime"),
    El("RegistreringFraDatoTid", "dateTime"),
    El("RegistreringTilDatoTid", "dateTime"),
)

BOLIG_READ_ONLY = (
    El("ByggeafsnitIdentifikationStruktur", "ByggeafsnitIdentifikationStruktur"),
    El("StreetCode", "int"),
    text("StreetName"),
    text("StreetBuildingIdentifier"),
    text("SuiteIdentifier"),
    text("FloorIdentifier"),
    El("PostalCodeIdentifier", "int"),
    El("MunicipalityCode", "int"),
)
"""Bolig fields that come from BBR and Stamdata: answered by the register, ignored when sent (decisions.md)."""

VERSION_FIELDS: dict[str, tuple[El, ...]] = {
    "Boligorganisation": (text("BoligorganisationBeskrivelseTekst"),),
    "Afdeling": (
        text("AfdelingBeskrivelseTekst"),
        amount("AfdelingBalancelejeBeloeb"),
        amount("AfdelingM2lejeBeloeb"),
        amount("AfdelingTotalArealKvantitet"),
        El("AfdelingMinAlderAeldreboligKvantitet", "int"),
        El("AfdelingMaxAlderUngdomsboligKvantitet", "int"),
        flag("AfdelingFortrinsretEfterUdlejningsbekendtgoerelseIndikator"),
        text("AfdelingFortrinsretEfterUdlejningsbekendtgoerelseBeskrivelseTekst"),
    ),
    "Byggeafsnit": (
        text("ByggeafsnitBeskrivelseTekst"),
        flag("ByggeafsnitInternetforbindelseIndikator"),
        flag("ByggeafsnitAntenneforeningIndikator"),
        flag("ByggeafsnitPortTelefonIndikator"),
        flag("ByggeafsnitVaskeriIndikator"),
        El("HusdyrStruktur", "HusdyrStruktur", many=True),
    ),
    "Bolig": (
        *BOLIG_READ_ONLY,
        code("BoligLejerTypeKode"),
        amount("BoligStoetteBerettigetArealKvantitet"),
        code("BoligStoetteBerettigetArealAarsagKode"),
        text("BoligStoetteBerettigetArealAarsagTekst", 100),
        El("BoligAntalBeboelsesrumKvantitet", "int"),
        code("BoligOpvarmningsformKode"),
        flag("BoligKoekkenKunForLejerIndikator"),
        code("BoligGarageKode"),
        code("BoligCarportKode"),
        code("BoligIndvendigVedligeholdelseLejerKode"),
        code("BoligUdvendigVedligeholdelseLejerKode"),
        text("BoligURLTekst", 256),
        flag("BoligBevaegelseshaemmetEgnetIndikator"),
        flag("BoligHandicappedeHarFortrinsretIndikator"),
        El("BoligIkkeAktivStartDato", "date"),
        El("BoligIkkeAktivSlutDato", "date"),
        flag("BoligIkkeAktivUdloebNotifikationIndikator"),
        flag("BoligKollegievaerelseIndikator"),
        flag("BoligUndertrykVideregivelseIndikator"),
        amount("BoligArealFoer1998Kvantitet"),
        code("BoligTypeKode"),
        flag("BoligLukketForOpskrivningIndikator"),
        amount("BoligAktueltIndskudBeloeb"),
        amount("BoligAktueltDepositumBeloeb"),
        amount("BoligNyLejeVedGenudlejningBeloeb"),
        El("HandicapBoligTypeReference", "uuid"),
    ),
}

_OWNER = (
    El("BoligorganisationIdentifikationStruktur", "BoligorganisationIdentifikationStruktur"),
    El("AfdelingIdentifikationStruktur", "AfdelingIdentifikationStruktur"),
)
VERSION_FIELDS.update(
    {
        "Anvisningsaftale": (
            text("AnvisningsaftaleNavnTekst", 256),
            text("AnvisningsaftaleURLTekst", 256),
            text("AnvisningsaftaleBeskrivelseTekst"),
            El("AnvisningstypeKode", "int", many=True),
            El("FleksibelUdlejningUnderTypeKode", "int", many=True),
        ),
        "Boligopskrivning": (
            El("UdlejningssamarbejdeReference", "uuid"),
            text("BoligopskrivningBeskrivelseTekst"),
            text("BoligopskrivningEmailTekst", 256),
            text("BoligopskrivningHjemmesideTekst", 256),
            text("BoligopskrivningTelefonTekst", 20),
            amount("BoligopskrivningGebyrUdefraKommendeBeloeb"),
            amount("BoligopskrivningGebyrBoendeBeloeb"),
            amount("BoligopskrivningGebyrAjourfoeringBeloeb"),
            amount("BoligopskrivningGebyrFleksibelUdlejningBeloeb"),
            text("BoligopskrivningGebyrAndreTekst"),
        ),
    }
)
ENTITY_FIELDS: dict[str, tuple[El, ...]] = {
    "Anvisningsaftale": _OWNER,
    "Boligopskrivning": (*_OWNER, code("BoligTypeKode")),
}
"""Elements of ``<E>Struktur`` between its identification and KladdeIndikator: the owner (an organisation or a
department, given on Opret, ignored on Ret) and Boligopskrivning's housing type (one sign-up per type and owner)."""

CREATABLE = ("Anvisningsaftale", "Boligopskrivning")
"""Bitemporal entities the organisations create and delete themselves (Opret, Slet), keyed by a technical id."""

READ_ONLY_FIELDS = frozenset({element.name for element in BOLIG_READ_ONLY} | {"BoligUndertrykVideregivelseIndikator"})
"""Version fields a client cannot set: BBR and Stamdata copies, and LBF's own suppression flag."""

BITEMPORAL = tuple(VERSION_FIELDS)
"""The bitemporal entities of this part, in the spec's order."""

_EXTERNAL_KEY = (El("EksternReference", "string", max_length=256),)
LIST_INPUT = {
    "Anvisningsaftale": _OWNER,
    "Boligopskrivning": _OWNER,
    "Boligorganisation": (),
    "Afdeling": (El("BoligorganisationIdentifikationStruktur", "BoligorganisationIdentifikationStruktur", True),),
    "Byggeafsnit": (El("AfdelingIdentifikationStruktur", "AfdelingIdentifikationStruktur", True),),
    "Bolig": (El("ByggeafsnitIdentifikationStruktur", "ByggeafsnitIdentifikationStruktur", True),),
}
"""What each bitemporal List takes: the parent's identification (BoligorganisationList: nothing, the user's)."""

ENTITIES: dict[str, tuple[El, ...]] = {
    "HusdyrStruktur": (
        code("BoligTypeKode"),
        flag("HusdyrTilladtIndikator"),
        flag("HusdyrMindreDyrTilladtIndikator"),
        flag("HusdyrKatTilladtIndikator"),
        flag("HusdyrHundTilladtIndikator"),
        text("HusdyrBeskrivelseTekst"),
    ),
    **{f"{entity}VersionStruktur": (*_VERSION_TIMES, *fields) for entity, fields in VERSION_FIELDS.items()},
    **{
        f"{entity}IdentifikationStruktur": (El(f"{entity}UnikIdentifikator", "uuid"), *_EXTERNAL_KEY)
        for entity in ("Boligudgift", "Lejekontrakt", *CREATABLE)
    },
    **{
        f"{entity}Struktur": (
            El(f"{entity}IdentifikationStruktur", f"{entity}IdentifikationStruktur", required=entity not in CREATABLE),
            *ENTITY_FIELDS.get(entity, ()),
            El("KladdeIndikator", "boolean"),
            El("ObjektStatusKode", "int"),
            El(f"{entity}VersionStruktur", f"{entity}VersionStruktur", many=True),
        )
        for entity in VERSION_FIELDS
    },
    # §4.5, §4.6
    "BoligudgiftStruktur": (
        El("BoligudgiftIdentifikationStruktur", "BoligudgiftIdentifikationStruktur"),
        El("BoligIdentifikationStruktur", "BoligIdentifikationStruktur"),
        El("KladdeIndikator", "boolean"),
        El("ObjektStatusKode", "int"),
        El("BoligudgiftStartDato", "date"),
        El("BoligudgiftSlutDato", "date"),
        amount("BoligudgiftBeloeb"),
        code("BoligudgiftModtagerTypeKode"),
        flag("BoligudgiftIndeholdtIHuslejeIndikator"),
        code("BoligudgiftstypeKode"),
        text("BoligudgiftBeskrivelseTekst", 256),
        *(El(name, "dateTime") for name in ("OprettetDatoTid", "AendretDatoTid", "OpdateretDatoTid", "OphoertDatoTid")),
    ),
    "LejerStruktur": (text("PersonCivilRegistrationIdentifier", 10), text("LejerNavnTekst")),
    "LejekontraktStruktur": (
        El("LejekontraktIdentifikationStruktur", "LejekontraktIdentifikationStruktur"),
        text("LejekontraktIdentifikator", 50),
        El("BoligIdentifikationStruktur", "BoligIdentifikationStruktur"),
        El("KladdeIndikator", "boolean"),
        El("ObjektStatusKode", "int"),
        El("LejekontraktStartDato", "date"),
        El("LejekontraktSlutDato", "date"),
        amount("LejekontraktIndskudBeloeb"),
        flag("LejekontraktAnvistKommunaltEllerEfterTidligereAeldreboliglovIndikator"),
        code("AnvisningstypeKode"),
        flag("LejekontraktTomgangsledigIndikator"),
        flag("LejekontraktTomgangsledigVisesIkkeIndikator"),
        amount("LejekontraktDepositumBeloeb"),
        flag("LejekontraktLedigIndikator"),
        flag("LejekontraktAfdelingsinternFraflytning"),
        El("LejerStruktur", "LejerStruktur", many=True),
        *(El(name, "dateTime") for name in ("OprettetDatoTid", "AendretDatoTid", "OpdateretDatoTid", "OphoertDatoTid")),
    ),
    # §4.9
    "BilagIdentifikationStruktur": (
        El("BilagUnikIdentifikator", "uuid"),
        El("AfdelingIdentifikationStruktur", "AfdelingIdentifikationStruktur"),
        El("ByggeafsnitIdentifikationStruktur", "ByggeafsnitIdentifikationStruktur"),
        El("BoligIdentifikationStruktur", "BoligIdentifikationStruktur"),
        El("AnvisningsaftaleIdentifikationStruktur", "AnvisningsaftaleIdentifikationStruktur"),
        El("BilagIdentifikator", "int"),
    ),
    "BilagStruktur": (
        El("BilagIdentifikationStruktur", "BilagIdentifikationStruktur", required=True),
        El("ObjektStatusKode", "int"),
        code("BilagTypeKode"),
        text("BilagNavnTekst", 256),
        El("BilagIndholdData", "base64"),
        text("BilagBeskrivelseTekst"),
        text("BilagMimetypeTekst", 256),
    ),
    # §4.12
    "EnhedIdentifikationStruktur": (El("BuildingUnitUniversalIdentifier", "uuid", required=True),),
    "EnhedVersionStruktur": (
        *_VERSION_TIMES,
        El("ByggeafsnitIdentifikationStruktur", "ByggeafsnitIdentifikationStruktur"),
        El("Streetcode", "int"),
        text("Streetname"),
        text("StreetBuildingIdentifier"),
        text("SuiteIdentifier"),
        text("FloorIdentifier"),
        El("PostCodeIdentifier", "int"),
        code("EnhedStatusKode"),
        El("OprettetDatoTid", "dateTime"),
        El("EnhedSlettetIBBRDatoTid", "dateTime"),
        El("OphoertDatoTid", "dateTime"),
        text("LejekontraktIdentifikator", 50),
        flag("LejekontraktTomgangsledigIdentifikator"),
        El("MunicipalityCode", "int"),
        text("MunicipalRealPropertyIdentifier"),
        flag("EnhedEjendomsnummerDifferenceIndikator"),
        code("EnhedAnvendelseKode"),
        flag("EnhedHarVersionerIndikator"),
        code("EnhedElimineringAarsagKode"),
    ),
    "EnhedStruktur": (
        El("EnhedIdentifikationStruktur", "EnhedIdentifikationStruktur", required=True),
        El("EnhedVersionStruktur", "EnhedVersionStruktur", many=True),
    ),
    "EnhedHaendelseStruktur": (
        El("EnhedHaendelseDatoTid", "dateTime", required=True),
        code("EnhedHaendelseTypeKode"),
        El("EnhedHaendelseNummer", "int", required=True),
        El("EnhedIdentifikationStruktur", "EnhedIdentifikationStruktur", required=True),
        El("EnhedTilIdentifikationStruktur", "EnhedIdentifikationStruktur"),
    ),
    # §4.13
    "IndstillingIdentifikationStruktur": (
        El("BoligorganisationIdentifikationStruktur", "BoligorganisationIdentifikationStruktur", required=True),
    ),
    "IndstillingStruktur": (
        El("IndstillingIdentifikationStruktur", "IndstillingIdentifikationStruktur", required=True),
        El("ObjektStatusKode", "int"),
        flag("IndstillingEnhedsadministrationAktivIndikator"),
        text("IndstillingNotifikationNyeEnhederEmailsTekst"),
        text("IndstillingNotifikationsEmailsTekst"),
        flag("IndstillingNyeEnhederEmailsAktivIndikator"),
        El("OprettetDatoTid", "dateTime"),
        El("AendretDatoTid", "dateTime"),
    ),
    # §4.11
    "UdlejningssamarbejdeStruktur": (
        El("UdlejningssamarbejdeUnikIdentifikator", "uuid", required=True),
        text("UdlejningssamarbejdeNavnTekst"),
        text("UdlejningssamarbejdeBeskrivelseTekst"),
    ),
    # §4.10 and §8
    "HandicapSvarStruktur": (text("HandicapSvarIdentifikator"), text("HandicapSvarTekst")),
    "HandicapRegistreringStruktur": (
        El("HandicapRegistreringNumeriskVaerdiKvantitet", "int"),
        text("HandicapRegistreringTekstVaerdiTekst"),
        text("HandicapSvarIdentifikator"),
        flag("HandicapRegistreringIkkeRelevantIndikator"),
        El("ObjektStatusKode", "int"),
    ),
    "HandicapSpoergsmaalStruktur": (
        text("HandicapSektionIdentifikator"),
        El("HandicapSpoergsmaalIdentifikator", "string", required=True),
        text("HandicapSpoergsmaalTekst"),
        code("HandicapSpoergsmaalTypeKode"),
        text("HandicapMaaleenhedEnhedSymbolTekst"),
        El("HandicapSvarStruktur", "HandicapSvarStruktur", many=True),
        El("HandicapRegistreringStruktur", "HandicapRegistreringStruktur"),
    ),
    "HandicapSpoergsmaalListe": (El("HandicapSpoergsmaalStruktur", "HandicapSpoergsmaalStruktur", many=True),),
    "HandicapBoligTypeStruktur": (
        El("HandicapBoligTypeUnikIdentifikator", "uuid"),
        El("ByggeafsnitIdentifikationStruktur", "ByggeafsnitIdentifikationStruktur"),
        text("HandicapBoligTypeTitelTekst", 256),
        text("HandicapBoligTypeBeskrivelseTekst"),
        El("ObjektStatusKode", "int"),
        El("HandicapSpoergsmaalListe", "HandicapSpoergsmaalListe"),
    ),
}

# --- Operations ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Operation:
    """A web-service method with the contents of its ``…InputStruktur`` and ``…OutputStruktur``."""

    name: str
    input: tuple[El, ...]
    output: tuple[El, ...]

    @property
    def input_element(self) -> str:
        return f"{self.name}InputStruktur"

    @property
    def output_element(self) -> str:
        return f"{self.name}OutputStruktur"


def _one(name: str) -> El:
    return El(name, name, required=True)


_RESULT_OUTPUT = (_one("MetodeResultatStruktur"),)
_CREATED_OUTPUT = (_one("MetodeOpretResultatStruktur"),)
_REGISTRATION_TIME = El("RegistreringstidDatoTid", "dateTime", required=True)
_EFFECT_TIME = El("VirkningsdatoDatoTid", "dateTime", required=True)


def _bitemporal_operations(entity: str) -> list[Operation]:
    """The nine methods of a bitemporal entity without Opret/Slet (§3.4-3.6)."""
    ident, struct = _one(f"{entity}IdentifikationStruktur"), f"{entity}Struktur"
    editions = (El(struct, struct, many=True),)
    periods = (El("VirkningsperiodeStruktur", "VirkningsperiodeStruktur", many=True),)
    return [
        Operation(f"{entity}Hent", (ident,), editions),
        Operation(f"{entity}HentSpecifik", (ident, _EFFECT_TIME), editions),
        Operation(f"{entity}HentHistorisk", (ident, _REGISTRATION_TIME), editions),
        Operation(f"{entity}HentHistoriskSpecifik", (ident, _REGISTRATION_TIME, _EFFECT_TIME), editions),
        Operation(f"{entity}HentVirkningsperioder", (ident,), periods),
        Operation(f"{entity}HentVirkningsperioderHistorisk", (ident, _REGISTRATION_TIME), periods),
        Operation(f"{entity}List", LIST_INPUT[entity], editions),
        *(
            (
                Operation(f"{entity}Opret", (_one(struct),), _CREATED_OUTPUT),
                Operation(f"{entity}Slet", (ident, El("VirkningTilDatoTid", "dateTime")), _RESULT_OUTPUT),
            )
            if entity in CREATABLE
            else ()
        ),
        Operation(f"{entity}Ret", (_one(struct),), _RESULT_OUTPUT),
        Operation(f"{entity}Valider", (_one(struct),), _RESULT_OUTPUT),
    ]


def _record_operations(entity: str, list_input: tuple[El, ...]) -> list[Operation]:
    """Hent, List, Opret, Ret, Slet and Valider of a non-bitemporal entity (§4.5, §4.6, §4.9)."""
    ident, struct = _one(f"{entity}IdentifikationStruktur"), f"{entity}Struktur"
    return [
        Operation(f"{entity}Hent", (ident,), (_one(struct),)),
        Operation(f"{entity}List", list_input, (El(struct, struct, many=True),)),
        Operation(f"{entity}Opret", (_one(struct),), _CREATED_OUTPUT),
        Operation(f"{entity}Ret", (_one(struct),), _RESULT_OUTPUT),
        Operation(f"{entity}Slet", (ident,), _RESULT_OUTPUT),
        Operation(f"{entity}Valider", (_one(struct),), _RESULT_OUTPUT),
    ]


_BOLIG = _one("BoligIdentifikationStruktur")
_BILAG_PARENTS = tuple(
    El(name, name)
    for name in (
        "AfdelingIdentifikationStruktur",
        "ByggeafsnitIdentifikationStruktur",
        "BoligIdentifikationStruktur",
        "AnvisningsaftaleIdentifikationStruktur",
    )
)
_UNIT, _TO_UNIT = (
    _one("EnhedIdentifikationStruktur"),
    El("EnhedTilIdentifikationStruktur", "EnhedIdentifikationStruktur", True),
)
_ENHED_OPERATIONS = [
    Operation("EnhedAktiver", (_UNIT, El("VirkningFraDatoTid", "dateTime")), _RESULT_OUTPUT),
    Operation("EnhedBytBolig", (_UNIT, _TO_UNIT), _RESULT_OUTPUT),
    Operation(
        "EnhedEliminer",
        (_UNIT, El("VirkningFraDatoTid", "dateTime"), code("EnhedElimineringAarsagKode")),
        _RESULT_OUTPUT,
    ),
    Operation("EnhedFlytBolig", (_UNIT, _TO_UNIT), _RESULT_OUTPUT),
    Operation("EnhedFlytByggeafsnit", (_UNIT, _one("ByggeafsnitIdentifikationStruktur")), _RESULT_OUTPUT),
    Operation("EnhedGenaktiver", (_UNIT,), _RESULT_OUTPUT),
    Operation(
        "EnhedHaendelser",
        (_one("BoligorganisationIdentifikationStruktur"), El("EnhedHaendelseNummer", "int", required=True)),
        (El("EnhedHaendelseStruktur", "EnhedHaendelseStruktur", many=True),),
    ),
    Operation("EnhedHent", (_UNIT,), (_one("EnhedStruktur"),)),
    Operation(
        "EnhedList",
        (_one("BoligorganisationIdentifikationStruktur"), code("EnhedStatusKode")),
        (El("EnhedStruktur", "EnhedStruktur", many=True),),
    ),
    Operation("EnhedSlet", (_UNIT,), _RESULT_OUTPUT),
]


OPERATIONS: dict[str, Operation] = {
    operation.name: operation
    for operation in [
        *(operation for entity in BITEMPORAL for operation in _bitemporal_operations(entity)),
        *_record_operations(
            "Boligudgift", (_BOLIG, El("BoligudgiftStartDato", "date"), El("BoligudgiftSlutDato", "date"))
        ),
        *_record_operations(
            "Lejekontrakt", (_BOLIG, El("LejekontraktStartDato", "date"), El("LejekontraktSlutDato", "date"))
        ),
        *_record_operations("Bilag", _BILAG_PARENTS),
        Operation("IndstillingHent", (_one("IndstillingIdentifikationStruktur"),), (_one("IndstillingStruktur"),)),
        Operation("IndstillingRet", (_one("IndstillingStruktur"),), _RESULT_OUTPUT),
        Operation("IndstillingValider", (_one("IndstillingStruktur"),), _RESULT_OUTPUT),
        Operation(
            "UdlejningssamarbejdeList",
            (),
            (El("UdlejningssamarbejdeStruktur", "UdlejningssamarbejdeStruktur", many=True),),
        ),
        Operation(
            "HandicapBoligTypeList",
            (_one("BoligorganisationIdentifikationStruktur"),),
            (El("HandicapBoligTypeStruktur", "HandicapBoligTypeStruktur", many=True),),
        ),
        Operation(
            "HandicapBoligTypeRet",
            (El("HandicapBoligTypeStruktur", "HandicapBoligTypeStruktur", required=True, many=True),),
            _RESULT_OUTPUT,
        ),
        Operation(
            "HandicapBoligTypeValider",
            (El("HandicapBoligTypeStruktur", "HandicapBoligTypeStruktur", required=True, many=True),),
            _RESULT_OUTPUT,
        ),
        *_ENHED_OPERATIONS,
    ]
}

STRUCTURES: dict[str, tuple[El, ...]] = {**COMMON, **ENTITIES}
"""Every named structure (complexType) of the schema."""


# --- The stored form: reported elements as JSON (decimals, dates and ids as their XML text) ---------------------


def to_json(fields: Iterable[El], values: Mapping[str, Any]) -> dict[str, Any]:
    stored: dict[str, Any] = {}
    for spec in fields:
        value = values.get(spec.name)
        if value is None or spec.name in READ_ONLY_FIELDS:
            continue
        if spec.type in STRUCTURES:
            convert = STRUCTURES[spec.type]
            stored[spec.name] = [to_json(convert, item) for item in value] if spec.many else to_json(convert, value)
        elif spec.many:
            stored[spec.name] = [_to_text(item) for item in value]
        else:
            stored[spec.name] = _to_text(value)
    return stored


def _to_text(value: Any) -> Any:
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def from_json(fields: Iterable[El], stored: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in fields:
        value = stored.get(spec.name)
        if value is None:
            continue
        if spec.type in STRUCTURES:
            convert = STRUCTURES[spec.type]
            values[spec.name] = [from_json(convert, item) for item in value] if spec.many else from_json(convert, value)
        elif spec.many:
            values[spec.name] = [_from_text(spec.type, item) for item in value]
        else:
            values[spec.name] = _from_text(spec.type, value)
    return values


def _from_text(kind: str, value: Any) -> Any:
    if kind == "decimal":
        return Decimal(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "uuid":
        return uuid.UUID(value)
    return value
