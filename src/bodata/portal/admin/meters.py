"""Planned maintenance on objects, and meter installations, meters and readings (SessionMätdata)."""

from datetime import date

from fastapi import APIRouter
from pydantic import ConfigDict, model_validator

from bodata.portal.admin.crud import Input, check_order, output_schema
from bodata.portal.admin.resources import Resource, add_resources
from bodata.portal.admin.schemas import Amount, Id, LocalDateTime, Quantity, text
from bodata.portal.models import MaintenanceItem, Meter, MeterInstallation, MeterReading

router = APIRouter()


class MaintenanceItemFields(Input):
    """Planned maintenance on an object (SessionUnderhåll)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"node_id": 3, "atgard": "Bytes", "avser": "Badrum 1 / Handukstork", "planerat": "2027-03-01"}]
        }
    )

    node_id: Id
    atgard: text(200, required=True)
    avser: text(200, required=True)
    planerat: date | None = None
    bestalld: date | None = None
    utford: date | None = None


class MeterInstallationFields(Input):
    """A metering installation on an object (SessionMätdataAnläggning)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"node_id": 3, "anvandning": "Vatten", "beteckning": "705-079-01 Vatten"}]}
    )

    node_id: Id
    anvandning: text(100, required=True)
    beteckning: text(200, required=True)


class MeterFields(Input):
    """A meter of an installation (SessionMätare)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"installation_id": 1, "anvandning": "Varmvatten", "beteckning": "Kök", "enhet": "m3"}]
        }
    )

    installation_id: Id
    anvandning: text(100, required=True)
    beteckning: text(200, required=True)
    enhet: text(20, required=True)


class MeterReadingFields(Input):
    """One reading period of a meter (SessionMätdata): from ``datum`` to ``tom``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "meter_id": 1,
                    "datum": "2026-09-01",
                    "tom": "2026-09-30",
                    "forbrukning": 1.1,
                    "matarstallning": 14.532,
                    "kostnad": 53,
                    "debiterad": True,
                    "avlast_tid": "2026-10-01T06:00:00",
                    "pris": 53,
                    "apris": 48,
                }
            ]
        }
    )

    meter_id: Id
    datum: date
    tom: date
    forbrukning: Quantity
    matarstallning: Quantity
    kostnad: Amount
    debiterad: bool = False
    avlast_tid: LocalDateTime
    pris: Amount | None = None
    apris: Quantity | None = None
    debiteras_tidigast: date | None = None

    @model_validator(mode="after")
    def _period(self) -> "MeterReadingFields":
        check_order(self.datum, self.tom, "tom")
        return self


MaintenanceItemOut = output_schema(MaintenanceItemFields, "MaintenanceItem", "Planned maintenance.")


MeterInstallationOut = output_schema(MeterInstallationFields, "MeterInstallation", "A meter installation.")


MeterOut = output_schema(MeterFields, "Meter", "A meter.")


MeterReadingOut = output_schema(MeterReadingFields, "MeterReading", "A meter reading.")


add_resources(
    router,
    (
        Resource(
            path="/maintenance-items",
            model=MaintenanceItem,
            tag="Maintenance and meters",
            out=MaintenanceItemOut,
            create_schema=MaintenanceItemFields,
            edit_schema=MaintenanceItemFields,
            filters=("node_id",),
        ),
        Resource(
            path="/meter-installations",
            model=MeterInstallation,
            tag="Maintenance and meters",
            out=MeterInstallationOut,
            create_schema=MeterInstallationFields,
            edit_schema=MeterInstallationFields,
            filters=("node_id",),
        ),
        Resource(
            path="/meters",
            model=Meter,
            tag="Maintenance and meters",
            out=MeterOut,
            create_schema=MeterFields,
            edit_schema=MeterFields,
            filters=("installation_id",),
        ),
        Resource(
            path="/meter-readings",
            model=MeterReading,
            tag="Maintenance and meters",
            out=MeterReadingOut,
            create_schema=MeterReadingFields,
            edit_schema=MeterReadingFields,
            filters=("meter_id", "datum"),
        ),
    ),
)
