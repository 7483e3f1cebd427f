"""The operations table of HuslejeregisterV3: each of the 93 methods (structures.OPERATIONS) by name to its
handler, a function from :class:`~bodata.huslejeregister.calls.Call` to the output structure. The SOAP layer
(api.py) and the demo call the methods through it.
"""

from __future__ import annotations

from typing import Any

from bodata.huslejeregister import (
    allocation,
    attachments,
    bitemporal,
    expenses,
    handicap,
    leases,
    organisations,
    rules,
    units,
)
from bodata.huslejeregister.bitemporal import KINDS, EntityKind
from bodata.huslejeregister.calls import Call, Handler, method_output


def _result(call: Call, findings: list[rules.Finding]) -> dict[str, Any]:
    return method_output(findings, call.operation)


_PARENTS = {
    "BoligorganisationIdentifikationStruktur": organisations.find_organisation,
    "AfdelingIdentifikationStruktur": organisations.find_afdeling,
    "ByggeafsnitIdentifikationStruktur": organisations.find_byggeafsnit,
}


def _bitemporal_handlers(kind: EntityKind) -> dict[str, Handler]:
    name, editions = kind.name, f"{kind.name}Struktur"

    def entity(call: Call, structure: dict[str, Any] | None = None) -> Any:
        source = structure if structure is not None else call.input
        return kind.find(call.session, call.caller, source[f"{name}IdentifikationStruktur"])

    def list_entities(call: Call) -> dict[str, Any]:
        parent = None
        for element, find in _PARENTS.items():
            if element in call.input:
                parent = find(call.session, call.caller, call.input[element])
        found = bitemporal.children(call.session, kind, call.caller, parent)
        return {editions: bitemporal.list_in_effect(call.session, kind, found, call.now)}

    def ret(save: bool) -> Handler:
        def handle(call: Call) -> dict[str, Any]:
            structure = call.input[editions]
            findings = bitemporal.ret(
                call.session, kind, entity(call, structure), structure, now=call.now, register=call.register, save=save
            )
            return _result(call, findings)

        return handle

    return {
        f"{name}Hent": lambda call: {editions: bitemporal.hent(call.session, kind, entity(call))},
        f"{name}HentSpecifik": lambda call: {
            editions: bitemporal.hent_specifik(call.session, kind, entity(call), call.input["VirkningsdatoDatoTid"])
        },
        f"{name}HentHistorisk": lambda call: {
            editions: bitemporal.hent_historisk(call.session, kind, entity(call), call.input["RegistreringstidDatoTid"])
        },
        f"{name}HentHistoriskSpecifik": lambda call: {
            editions: bitemporal.hent_historisk_specifik(
                call.session,
                kind,
                entity(call),
                call.input["RegistreringstidDatoTid"],
                call.input["VirkningsdatoDatoTid"],
            )
        },
        f"{name}HentVirkningsperioder": lambda call: {
            "VirkningsperiodeStruktur": bitemporal.hent_virkningsperioder(call.session, kind, entity(call))
        },
        f"{name}HentVirkningsperioderHistorisk": lambda call: {
            "VirkningsperiodeStruktur": bitemporal.hent_virkningsperioder(
                call.session, kind, entity(call), call.input["RegistreringstidDatoTid"]
            )
        },
        f"{name}List": list_entities,
        f"{name}Ret": ret(save=True),
        f"{name}Valider": ret(save=False),
    }


def _settings_organisation(call: Call, structure: dict[str, Any]) -> Any:
    ident = structure["IndstillingIdentifikationStruktur"]["BoligorganisationIdentifikationStruktur"]
    return organisations.find_organisation(call.session, call.caller, ident)


def _indstilling_hent(call: Call) -> dict[str, Any]:
    organisation = _settings_organisation(call, call.input)
    settings = organisations.indstilling(call.session, organisation, call.now)
    return {"IndstillingStruktur": organisations.indstilling_output(organisation, settings)}


def _indstilling_ret(save: bool) -> Handler:
    def handle(call: Call) -> dict[str, Any]:
        structure = call.input["IndstillingStruktur"]
        organisation = _settings_organisation(call, structure)
        return _result(
            call, organisations.ret_indstilling(call.session, organisation, structure, now=call.now, save=save)
        )

    return handle


def _handicap_list(call: Call) -> dict[str, Any]:
    ident = call.input["BoligorganisationIdentifikationStruktur"]
    organisation = organisations.find_organisation(call.session, call.caller, ident, by_unique=True)
    return {"HandicapBoligTypeStruktur": handicap.list_types(call.session, organisation.id)}


def _handicap_ret(save: bool) -> Handler:
    def handle(call: Call) -> dict[str, Any]:
        structures = call.input["HandicapBoligTypeStruktur"]
        return _result(call, handicap.ret_types(call.session, call.caller, structures, save=save))

    return handle


HANDLERS: dict[str, Handler] = {
    **{name: handler for kind in KINDS.values() for name, handler in _bitemporal_handlers(kind).items()},
    **allocation.HANDLERS,
    **attachments.HANDLERS,
    **expenses.HANDLERS,
    **leases.HANDLERS,
    **units.HANDLERS,
    "IndstillingHent": _indstilling_hent,
    "IndstillingRet": _indstilling_ret(save=True),
    "IndstillingValider": _indstilling_ret(save=False),
    "UdlejningssamarbejdeList": lambda call: {
        "UdlejningssamarbejdeStruktur": organisations.list_udlejningssamarbejder(call.session)
    },
    "HandicapBoligTypeList": _handicap_list,
    "HandicapBoligTypeRet": _handicap_ret(save=True),
    "HandicapBoligTypeValider": _handicap_ret(save=False),
}
