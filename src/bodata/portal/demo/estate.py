"""The demo's catalogue (node classes, time points, fault and key-handling types, file types) and estate: three
properties with buildings, flats, rooms, components, meters, planned maintenance and laundry rooms."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from random import Random
from typing import Any

from sqlalchemy.orm import Session

from bodata.portal.demo.base import (
    DEMO_FLAT,
    HISTORY_MONTHS,
    HOT_WATER,
    KRONA,
    LITRE,
    Catalogue,
    Context,
    Flat,
    Place,
    Property,
    PropertyPlan,
    _BuildingPlan,
    add_months,
    insert_rows,
    meter_reading,
    month_start,
)
from bodata.portal.models import (
    FaultDescriptionType,
    FileType,
    KeyHandlingType,
    MaintenanceItem,
    Meter,
    MeterInstallation,
    MeterReading,
    Node,
    NodeClass,
    TimePointType,
)

NODE_CLASSES = {
    "Objekt": (
        ("Fastighet", "Fastighet", "F", "Fast"),
        ("Byggnad", "Byggnad", "B", "Bygg"),
        ("Lagenhet", "Lägenhet", "L", "Lgh"),
        ("Studentbostad", "Studentbostad", "SB", "Stud"),
        ("Tvattstuga", "Tvättstuga", "TS", "Tvätt"),
    ),
    "Rum": (
        ("Kok", "Kök", "KO", "Kök"),
        ("Badrum", "Badrum", "BR", "Bad"),
        ("Vardagsrum", "Vardagsrum", "VR", "Vard"),
        ("Sovrum", "Sovrum", "SR", "Sov"),
        ("Hall", "Hall", "HA", "Hall"),
        ("Balkong", "Balkong", "BA", "Balk"),
    ),
    "Komponent": (
        ("KylFrys", "Kyl/Frys", "KF", "Kyl"),
        ("FrysStandard", "Frys - Standard", "FS", "Frys"),
        ("Spis", "Spis", "SP", "Spis"),
        ("Diskmaskin", "Diskmaskin", "DM", "Disk"),
        ("Tvattmaskin", "Tvättmaskin", "TM", "Tvätt"),
        ("Torktumlare", "Torktumlare", "TT", "Tork"),
        ("Torkskap", "Torkskåp", "TK", "Torksk"),
        ("Handdukstork", "Handdukstork", "HT", "Hand"),
        ("Blandare", "Blandare", "BL", "Bland"),
        ("Golvbrunn", "Golvbrunn", "GB", "Golvb"),
        ("Toalett", "Toalett", "WC", "WC"),
        ("Fonster", "Fönster", "FO", "Fönst"),
        ("Dorr", "Dörr", "DO", "Dörr"),
        ("Element", "Element", "EL", "Elem"),
        ("Ventilation", "Ventilation", "VE", "Vent"),
    ),
}
"""Node classes per group: system name, name, code, short name."""


COMPONENT_PARTS = {"KylFrys": ("FrysStandard",)}
"""Components with parts of their own: the fridge/freezer's freezer compartment."""


TIME_POINT_TYPES = (
    ("Intraffat", "Inträffat", False),
    ("Upptackt", "Upptäckt", False),
    ("OnskatDatum", "Önskat datum", False),
    ("Anmalt", "Anmält", True),
)
"""Time point types (system name, name, deleted)."""


GENERAL_CASE_CLASSES = (
    ("Storning", "Störning", "S", "Stör", "ExternWebbArende", ("Intraffat",), False),
    ("Onskemal", "Önskemål", "Ö", "Önsk", "ExternWebbArende", ("OnskatDatum",), False),
    ("Skadegorelse", "Skadegörelse", "SG", "Skad", "ExternWebbArende", ("Intraffat", "Upptackt", "Anmalt"), False),
    ("Grannmedling", "Grannmedling", "GM", "Granne", "InterntArende", (), False),
    ("Klagomal", "Klagomål", "K", "Klag", "ExternWebbArende", ("Intraffat",), True),
)
"""General-case classes (AllmantArende): system name, name, code, short name, usage, time points, deleted."""


GLOBAL_FAULTS = ("Droppar", "Rinner", "Läcker", "Trasig", "Fungerar inte", "Luktar")


CLASS_FAULTS = {
    "KylFrys": ("Kyler inte", "Låter mycket"),
    "FrysStandard": ("Fryser inte", "Is i frysfacket"),
    "Spis": ("Plattan blir inte varm", "Ugnen blir inte varm"),
    "Diskmaskin": ("Tömmer inte ut vattnet", "Diskar inte rent"),
    "Tvattmaskin": ("Startar inte", "Centrifugerar inte"),
    "Element": ("Blir inte varmt", "Porlar"),
    "Fonster": ("Drar kallt", "Går inte att stänga"),
    "Dorr": ("Låset kärvar", "Går inte att låsa"),
    "Golvbrunn": ("Stopp i avloppet",),
    "Ventilation": ("Drar dåligt", "Låter"),
}


KEY_HANDLING = ("Är hemma", "Lämnas på kontoret", "Huvudnyckel får användas")


FILE_TYPES = (
    ("Hyresavtal", 10),
    ("Trivselregler", 20),
    ("Tvättstuga", 30),
    ("Bruksanvisning", 40),
    ("Planlösning", 50),
)


PROPERTIES = (
    PropertyPlan(
        "Västerås Skäret 4",
        "142",
        "72341",
        False,
        (_BuildingPlan("043", "Skärgatan 12", 18, 3), _BuildingPlan("044", "Skärgatan 14", 18, 3)),
    ),
    PropertyPlan("Västerås Blåklockan 7", "302", "72466", False, (_BuildingPlan("074", "Blåklocksvägen 3", 30, 6),)),
    PropertyPlan(
        "Västerås Rektorn 2",
        "705",
        "72218",
        True,
        (_BuildingPlan("079", "Kandidatgatan 5", 17, 5), _BuildingPlan("080", "Kandidatgatan 7", 17, 5)),
    ),
)


LAUNDRY_EQUIPMENT = (
    ("Tvattmaskin", "Tvättmaskin 1"),
    ("Tvattmaskin", "Tvättmaskin 2"),
    ("Torktumlare", "Torktumlare"),
    ("Torkskap", "Torkskåp"),
)


LAUNDRY_HOURS = ((7, 10), (10, 13), (13, 16), (16, 19), (19, 22))


LAUNDRY_DAYS = range(-7, 22)
"""Laundry times from a week ago to three weeks ahead."""


def build_catalogue(context: Context) -> Catalogue:
    """Node classes, time point types, fault descriptions, key handling and document types."""
    deleted_at = context.now - timedelta(days=400)
    time_points = {
        system: TimePointType(system_name=system, beteckning=name, deleted_at=deleted_at if deleted else None)
        for system, name, deleted in TIME_POINT_TYPES
    }
    classes = {
        system: NodeClass(group_system_name=group, system_name=system, beteckning=name, kod=code, kortbeteckning=short)
        for group, rows in NODE_CLASSES.items()
        for system, name, code, short in rows
    }
    for system, name, code, short, usage, points, deleted in GENERAL_CASE_CLASSES:
        classes[system] = NodeClass(
            group_system_name="AllmantArende",
            system_name=system,
            beteckning=name,
            kod=code,
            kortbeteckning=short,
            usage_system_name=usage,
            deleted=deleted,
            time_point_types=[time_points[point] for point in points],
        )
    key_handling = {name: KeyHandlingType(beteckning=name) for name in KEY_HANDLING}
    file_types = {name: FileType(beteckning=name, ordning=order) for name, order in FILE_TYPES}
    context.session.add_all([*time_points.values(), *classes.values(), *key_handling.values(), *file_types.values()])
    context.session.flush()
    faults: dict[tuple[str | None, str], FaultDescriptionType] = {
        (None, name): FaultDescriptionType(beteckning=name) for name in GLOBAL_FAULTS
    }
    for kind, names in CLASS_FAULTS.items():
        faults |= {
            (kind, name): FaultDescriptionType(node_class_id=classes[kind].id, beteckning=name) for name in names
        }
    context.session.add_all(faults.values())
    return Catalogue(classes, time_points, faults, key_handling, file_types)


class _Tree:
    """Nodes planned level by level, so each level goes in with one flush once its parents have ids."""

    def __init__(self, classes: dict[str, NodeClass]) -> None:
        self.classes = classes
        self.levels: list[list[tuple[Node, Node | None]]] = []
        self._depth: dict[int, int] = {}

    def add(self, parent: Node | None, kind: str, text: str, order: int = 0, **fields: Any) -> Node:
        node = Node(node_class_id=self.classes[kind].id, visningstext=text, ordning=order, **fields)
        depth = 0 if parent is None else self._depth[id(parent)] + 1
        self._depth[id(node)] = depth
        if depth == len(self.levels):
            self.levels.append([])
        self.levels[depth].append((node, parent))
        return node

    def save(self, session: Session) -> None:
        for level in self.levels:
            for node, parent in level:
                node.parent_id = None if parent is None else parent.id
            session.add_all(node for node, _ in level)
            session.flush()


def _address(street: str, line2: str | None, postcode: str) -> dict[str, Any]:
    return {"gatuadress1": street, "gatuadress2": line2, "postnummer": postcode, "postort": "Västerås", "land": "SE"}


def build_estate(context: Context, catalogue: Catalogue) -> list[Property]:
    """Properties with buildings, flats (rooms and components) and a laundry room each."""
    tree = _Tree(catalogue.classes)
    properties = []
    for plan in PROPERTIES:
        first = plan.buildings[0]
        estate = tree.add(
            None, "Fastighet", plan.designation, nummer=plan.number, **_address(first.street, None, plan.postcode)
        )
        flats = []
        for order, building_plan in enumerate(plan.buildings):
            building = tree.add(
                estate,
                "Byggnad",
                building_plan.street,
                order,
                nummer=f"{plan.number}-{building_plan.number}",
                **_address(building_plan.street, None, plan.postcode),
            )
            flats += [
                _flat(context.rng, tree, plan, building_plan, building, index) for index in range(building_plan.flats)
            ]
        laundry = tree.add(
            estate,
            "Tvattstuga",
            "Tvättstuga",
            len(plan.buildings),
            nummer=f"{plan.number}-{first.number}-90",
            object_type="Tvattstuga",
            usages="Felanmälan",
            **_address(first.street, "Källarplan", plan.postcode),
        )
        for order, (kind, name) in enumerate(LAUNDRY_EQUIPMENT):
            tree.add(laundry, kind, name, order)
        properties.append(Property(plan, estate, flats, laundry))
    tree.save(context.session)
    return properties


def _flat(
    rng: Random, tree: _Tree, plan: PropertyPlan, building_plan: _BuildingPlan, building: Node, index: int
) -> Flat:
    number = f"{plan.number}-{building_plan.number}-{index + 1:02d}"
    floor, position = divmod(index, building_plan.per_floor)
    demo = number == DEMO_FLAT
    bedrooms = 1 if plan.student else 2 if demo else rng.choice((1, 1, 2, 2, 2, 3))
    low, high = (22, 32) if plan.student else {1: (38, 48), 2: (56, 68), 3: (72, 86)}[bedrooms]
    area = rng.randint(low, high)
    yearly_per_m2 = rng.randint(1850, 1990) if plan.student else rng.randint(1290, 1420)
    node = tree.add(
        building,
        "Studentbostad" if plan.student else "Lagenhet",
        number,
        index,
        nummer=number,
        object_type="Bostad",
        usages="Felanmälan",
        **_address(building_plan.street, f"Lgh {1000 + 100 * floor + position + 1}", plan.postcode),
    )
    flat = Flat(
        node=node,
        student=plan.student,
        bedrooms=bedrooms,
        area=area,
        rent=(Decimal(area * yearly_per_m2) / 12).quantize(KRONA),
        washer=demo or (not plan.student and rng.random() < 0.35),
        hot_water_meter=demo or (not plan.student and rng.random() < 0.8),
    )
    balcony = demo or (not plan.student and rng.random() < 0.6)
    for order, (kind, name, components) in enumerate(_rooms(flat, balcony)):
        room = tree.add(node, kind, name, order)
        flat.places[name] = Place((room,), kind)
        for part_order, component in enumerate(components):
            _component(tree, flat, (room,), name, component, part_order)
    return flat


def _rooms(flat: Flat, balcony: bool) -> list[tuple[str, str, tuple[str, ...]]]:
    """A flat's rooms (class, name, components), hall first."""
    kitchen = ("KylFrys", "Spis", *(() if flat.student else ("Diskmaskin",)), "Blandare", "Ventilation", "Fonster")
    bathroom = ("Handdukstork", "Golvbrunn", "Blandare", "Toalett", *(("Tvattmaskin",) if flat.washer else ()))
    rooms = [
        ("Hall", "Hall", ("Dorr",)),
        ("Kok", "Kök", kitchen),
        ("Badrum", "Badrum", bathroom),
        ("Vardagsrum", "Vardagsrum", ("Fonster", "Element")),
    ]
    rooms += [("Sovrum", f"Sovrum {number}", ("Fonster", "Element")) for number in range(1, flat.bedrooms + 1)]
    if balcony:
        rooms.append(("Balkong", "Balkong", ("Dorr",)))
    return rooms


def _component(tree: _Tree, flat: Flat, above: tuple[Node, ...], label: str, kind: str, order: int) -> None:
    """A component (and its own parts) under a room, registered as ``Kök / Kyl/Frys / Frys - Standard``."""
    name = tree.classes[kind].beteckning
    node = tree.add(above[-1], kind, name, order)
    label = f"{label} / {name}"
    flat.places[label] = Place((*above, node), kind)
    for part_order, part in enumerate(COMPONENT_PARTS.get(kind, ())):
        _component(tree, flat, (*above, node), label, part, part_order)


def add_meters(context: Context, properties: list[Property]) -> None:
    """Water and electricity meters on every flat, cold water and electricity read monthly for three years.

    Hot water is read when it is billed (``add_invoice_history``), so its readings match the notices.
    """
    rng, session = context.rng, context.session
    installations, monthly = [], []
    for flat in (flat for estate in properties for flat in estate.flats):
        number = flat.node.nummer
        water = [Meter(anvandning="Kallvatten", beteckning=str(rng.randint(100000, 999999)), enhet="m³")]
        if flat.hot_water_meter:
            water.append(Meter(anvandning=HOT_WATER, beteckning=str(rng.randint(100000, 999999)), enhet="m³"))
        electricity = Meter(anvandning="Hushållsel", beteckning=str(rng.randint(100000, 999999)), enhet="kWh")
        monthly += [(water[0], (2_500, 7_500), LITRE), (electricity, (60, 160) if flat.student else (120, 380), KRONA)]
        installations += [
            MeterInstallation(node_id=flat.node.id, anvandning="Vatten", beteckning=f"{number} Vatten", meters=water),
            MeterInstallation(node_id=flat.node.id, anvandning="El", beteckning=f"{number} El", meters=[electricity]),
        ]
    session.add_all(installations)
    session.flush()
    months = [add_months(month_start(context.today), -offset) for offset in range(HISTORY_MONTHS, 0, -1)]
    readings = []
    for meter, usage, scale in monthly:
        value = rng.randint(200, 900) * 1000 * scale
        for month in months:
            used = rng.randint(*usage) * scale
            value += used
            readings.append(meter_reading(meter.id, month, used, value))
    insert_rows(session, MeterReading, readings)


MAINTENANCE = (
    ("Bytes", "Badrum / Handdukstork"),
    ("Målas", "Vardagsrum"),
    ("Bytes", "Kök / Spis"),
    ("Bytes", "Kök / Blandare"),
    ("Tapetseras", "Sovrum 1"),
    ("Bytes", "Kök / Diskmaskin"),
    ("Slipas", "Vardagsrum"),
    ("Bytes", "Hall / Dörr"),
)


def add_maintenance(context: Context, properties: list[Property]) -> None:
    """Planned, ordered and performed maintenance on every flat (SessionUnderhåll)."""
    rng, today = context.rng, context.today
    items = []
    for flat in (flat for estate in properties for flat in estate.flats):
        choices = [item for item in MAINTENANCE if item[1] in flat.places]
        for action, place in rng.sample(choices, rng.randint(1, 3)):
            state = rng.choice(("planned", "ordered", "done", "done"))
            if state == "done":
                planned = today - timedelta(days=rng.randint(40, 1200))
                ordered, performed = (
                    planned - timedelta(days=rng.randint(14, 60)),
                    planned + timedelta(rng.randint(0, 5)),
                )
            elif state == "ordered":
                planned = today + timedelta(days=rng.randint(5, 60))
                ordered, performed = today - timedelta(days=rng.randint(1, 30)), None
            else:
                planned, ordered, performed = today + timedelta(days=rng.randint(60, 540)), None, None
            items.append(
                MaintenanceItem(
                    node_id=flat.node.id,
                    atgard=action,
                    avser=place,
                    planerat=planned,
                    bestalld=ordered,
                    utford=performed,
                )
            )
    context.session.add_all(items)
