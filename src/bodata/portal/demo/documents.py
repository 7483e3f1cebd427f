"""The demo's files, documents and messages: contracts, house rules, laundry rules, notifications with
attachments."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from itertools import count

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from bodata.portal.demo.base import (
    COMPANY,
    RENT_INCREASES,
    Catalogue,
    Context,
    Flat,
    People,
    Tenancy,
    latest_period,
    printed_postcode,
)
from bodata.portal.demo.estate import PROPERTIES
from bodata.portal.models import (
    ContactDetail,
    Customer,
    Document,
    Notification,
    NotificationAttachment,
    NotificationChannel,
    StoredFile,
)

PDF, JPEG = ("application/pdf", ".pdf"), ("image/jpeg", ".jpeg")


HOUSE_RULES = (
    "Visa hänsyn mot dina grannar: det ska vara tyst i huset mellan kl. 22.00 och 07.00.",
    "Rökning är inte tillåten i trapphus, tvättstuga, förråd eller på balkonger.",
    "Sortera ditt avfall i miljöhuset. Grovsopor lämnas på återvinningscentralen.",
    "Cyklar ställs i cykelrummet eller i cykelställen, inte i trapphuset.",
    "Grilla inte med kol på balkongen; elgrill går bra.",
    "Anmäl fel i lägenheten på Mina sidor eller till kundservice, 021-39 40 00.",
)


LAUNDRY_RULES = (
    "Tvättstugan är öppen varje dag kl. 07.00-22.00. Boka tid på Mina sidor.",
    "Bokade pass: 07-10, 10-13, 13-16, 16-19 och 19-22. Du kan ha två bokade pass i taget.",
    "Passet är ditt om du börjar inom en halvtimme, annars får någon annan ta det.",
    "Städa efter dig: torka av maskinerna, rensa luddfilter och torka golvet.",
    "Färgade textilier tvättas inte i 90 grader. Mattor tvättas inte i maskinerna.",
)


class Files:
    """The stored files of the demo: PDFs written with reportlab, small JPEGs drawn with Pillow."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.tap = self.jpeg(_dripping_tap)
        self.drain = self.jpeg(_blocked_drain)
        self.building = self.jpeg(_apartment_block)
        context.session.flush()

    def add(self, data: bytes, kind: tuple[str, str]) -> StoredFile:
        """A stored file (saved with the next flush: its id is known after it)."""
        stored = StoredFile(
            mime_type=kind[0],
            extension=kind[1],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            created_at=self.context.now,
        )
        self.context.session.add(stored)
        return stored

    def pdf(self, title: str, lines: Sequence[str]) -> StoredFile:
        return self.add(_pdf(title, lines), PDF)

    def jpeg(self, draw: Callable[[ImageDraw.ImageDraw], None]) -> StoredFile:
        image = Image.new("RGB", (64, 48), (232, 236, 240))
        draw(ImageDraw.Draw(image))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=85)
        return self.add(buffer.getvalue(), JPEG)


def _pdf(title: str, lines: Sequence[str]) -> bytes:
    """A one-page A4 PDF with a title, lines of text and the company's footer (deterministic bytes)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(title)
    canvas.setAuthor(COMPANY["namn"])
    _, height = A4
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawString(56, height - 72, title)
    canvas.setFont("Helvetica", 10)
    for number, line in enumerate(lines):
        canvas.drawString(56, height - 104 - 16 * number, line)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(
        56, 40, f"{COMPANY['namn']} · {COMPANY['gatuadress']} · {COMPANY['postort']} · {COMPANY['telefon']}"
    )
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _dripping_tap(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 36, 63, 47), fill=(250, 250, 250))  # the sink
    draw.rectangle((14, 8, 44, 14), fill=(150, 155, 160))  # the spout
    draw.rectangle((38, 14, 44, 22), fill=(150, 155, 160))
    draw.rectangle((24, 2, 30, 8), fill=(120, 125, 130))  # the handle
    for y in (26, 32):
        draw.ellipse((39, y, 43, y + 4), fill=(60, 120, 220))


def _blocked_drain(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, 63, 47), fill=(205, 210, 205))  # the tiles
    for x in range(0, 64, 16):
        draw.line((x, 0, x, 47), fill=(180, 185, 180))
    draw.ellipse((20, 12, 44, 36), fill=(90, 95, 100))
    draw.ellipse((12, 6, 52, 42), outline=(70, 110, 200), width=2)  # standing water


def _apartment_block(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, 63, 47), fill=(170, 205, 240))  # the sky
    draw.rectangle((10, 8, 54, 47), fill=(190, 120, 90))
    for x in range(14, 52, 10):
        for y in range(12, 40, 9):
            draw.rectangle((x, y, x + 5, y + 5), fill=(250, 240, 200))


def _designation(flat: Flat) -> str:
    return next(plan.designation for plan in PROPERTIES if flat.node.nummer.startswith(plan.number + "-"))


def add_documents(context: Context, people: People, catalogue: Catalogue, files: Files) -> None:
    """Every tenant's contract, house rules, laundry rules and manuals (some only as links); a floor plan for the
    demo tenant."""
    site = COMPANY["webbadress"]
    tenancies = [t for t in people.tenancies if t.contract.tom is None]
    rules = {plan.designation: files.pdf(f"Trivselregler {plan.designation}", HOUSE_RULES) for plan in PROPERTIES}
    laundry_rules = files.pdf("Tvättstugeregler", LAUNDRY_RULES)
    contracts = {
        id(tenancy): files.pdf("Hyresavtal för bostadslägenhet", _contract_lines(tenancy)) for tenancy in tenancies
    }
    demo_flat = people.demo.flat
    floor_plan = files.pdf(
        f"Planlösning {demo_flat.bedrooms + 1} rum och kök",
        [
            f"Lägenhet {demo_flat.node.nummer}, {demo_flat.area} m²",
            *(f"- {place}" for place in demo_flat.places if " / " not in place),
        ],
    )
    context.session.flush()
    documents = []
    for tenancy in tenancies:
        flat, contract = tenancy.flat, tenancy.contract
        entries: list[tuple[str, StoredFile | None, str, str | None, str | None]] = [
            (
                "Hyresavtal",
                contracts[id(tenancy)],
                f"Hyresavtal {contract.avtalsnummer}",
                None,
                f"Ditt hyresavtal för {flat.node.nummer}.",
            ),
            ("Trivselregler", rules[_designation(flat)], f"Trivselregler {_designation(flat)}", None, None),
            ("Tvättstuga", laundry_rules, "Tvättstugeregler", f"{site}/tvattstuga", "Boka tvättid här på Mina sidor."),
        ]
        for place, name in (("Kök / Diskmaskin", "diskmaskin"), ("Badrum / Tvättmaskin", "tvattmaskin")):
            if place in flat.places:
                label = place.split(" / ")[1]
                entries.append(
                    (
                        "Bruksanvisning",
                        None,
                        f"Bruksanvisning {label.lower()}",
                        f"{site}/bruksanvisningar/{name}.html",
                        f"Bruksanvisning för {label.lower()}en.",
                    )
                )
        if tenancy is people.demo:
            entries.append(("Planlösning", floor_plan, f"Planlösning {flat.node.nummer}", None, None))
        documents += [
            Document(
                customer_id=tenancy.customer.id,
                contract_id=contract.id,
                node_id=flat.node.id,
                file_type_id=catalogue.file_types[kind].id,
                file_id=None if stored is None else stored.id,
                ordning=10 * (order + 1),
                beteckning=name,
                webbadress=url,
                meddelande=message,
            )
            for order, (kind, stored, name, url, message) in enumerate(entries)
        ]
    context.session.add_all(documents)


def _contract_lines(tenancy: Tenancy) -> list[str]:
    customer, contract, flat = tenancy.customer, tenancy.contract, tenancy.flat
    node = flat.node
    identity = customer.personnummer or f"{customer.fodelsedatum:%Y%m%d}"
    if customer.personnummer:
        identity = f"{identity[:8]}-{identity[8:]}"
    return [
        f"Avtalsnummer: {contract.avtalsnummer}",
        f"Hyresvärd: {COMPANY['namn']}, organisationsnummer {COMPANY['organisationsnummer']}",
        f"Hyresgäst: {customer.fornamn} {customer.efternamn}, {identity}",
        f"Lägenhet: {node.nummer}, {node.gatuadress1}, {node.gatuadress2}",
        f"Postadress: {printed_postcode(node.postnummer)} {node.postort}",
        f"Storlek: {flat.bedrooms + 1} rum och kök, {flat.area} m²",
        f"Hyrestid: från och med {contract.fom:%Y-%m-%d} och tills vidare. Uppsägningstid tre månader.",
        f"Hyra: {contract.monthly_rent} kr per månad, betalas i förskott senast sista dagen före månaden.",
        "Hyran omfattar värme. Varmvatten debiteras efter förbrukning där mätare finns.",
        "Hyresgästen ska vårda lägenheten och följa husets trivselregler.",
    ]


CHANNELS = {
    "Nyhet": ("Utsida nyhet", "Meddelandet visas som en nyhet på Mina sidor."),
    "Epost": ("E-post", "Meddelandet skickas till din e-postadress."),
    "Sms": ("SMS", "Meddelandet skickas som sms till ditt mobilnummer."),
}


PIPE_NEWS = "Stambyte i Skäret 4 under våren"


PIPE_LETTER = (
    "Under våren byter vi vatten- och avloppsrör i Skäret 4.",
    "Arbetet tar cirka fyra veckor per trappuppgång.",
    "Under arbetet finns duschvagn och toalett på gården.",
)


WATER_SMS = "Vattnet i Skärgatan 12 stängs av på tisdag kl. 10-12 för reparation."


SIGNATURE = f"Med vänliga hälsningar\n{COMPANY['namn']}, telefon {COMPANY['telefon']}"


def add_notifications(context: Context, people: People, files: Files) -> None:
    """News about the pipe renovation in Skäret 4 (with a picture and a letter), an SMS about the water being shut
    off in Skärgatan 12, the new rent by e-mail to everyone, and for the demo tenant a reminder that could not be
    sent."""
    session, now, today = context.session, context.now, context.today
    contacts = {
        (row.customer_id, row.kind) for row in session.execute(select(ContactDetail.customer_id, ContactDetail.kind))
    }
    year = latest_period(today).year
    increase = RENT_INCREASES.get(year, "2.0").replace(".", ",")
    letter = files.pdf("Information om stambyte", PIPE_LETTER)
    rent_letter = files.pdf(
        f"Hyresförhandling {year}",
        [
            f"Hyrorna höjs med {increase} % från 1 januari {year}.",
            "Överenskommelsen är träffad med Hyresgästföreningen.",
        ],
    )
    session.flush()
    numbers = count(12345)
    messages = []
    for tenancy in people.current(today):
        customer, number = tenancy.customer, tenancy.flat.node.nummer
        email = (customer.id, "E-postadress") in contacts
        if number.startswith("142-"):
            attached = [(next(numbers), "Skäret 4.jpeg", files.building), (next(numbers), "Stambyte.pdf", letter)]
            channels = ("Nyhet", "Epost") if email else ("Nyhet",)
            messages.append(_message(customer, now - timedelta(days=21), channels, PIPE_NEWS, PIPE_LETTER[0], attached))
        if number.startswith("142-043-") and (customer.id, "Mobilnummer") in contacts:
            messages.append(_message(customer, now - timedelta(days=5), ("Sms",), "Vattenavstängning", WATER_SMS, []))
        if email:
            text = f"Din hyra blir {tenancy.contract.monthly_rent} kr per månad från 1 januari {year}."
            attached = [(next(numbers), f"Hyresförhandling {year}.pdf", rent_letter)]
            subject = f"Ny hyra från 1 januari {year}"
            messages.append(_message(customer, now - timedelta(days=30), ("Epost",), subject, text, attached))
    reminder = "Vi kontrollerar brandvarnarna på torsdag mellan kl. 8 och 16."
    sms = _message(
        people.demo.customer, now - timedelta(days=2), ("Sms",), "Brandvarnare", reminder, [], abandoned=True
    )
    messages.append(sms)
    session.add_all(messages)


def _message(
    customer: Customer,
    sent: datetime,
    channels: Sequence[str],
    subject: str,
    text: str,
    attachments: Sequence[tuple[int, str, StoredFile]],
    *,
    abandoned: bool = False,
) -> Notification:
    """A message to a customer sent on some channels (abandoned: given up before it went out), with attachments."""
    body = f"Hej {customer.fornamn},\n\n{text}\n\n{SIGNATURE}"
    return Notification(
        customer_id=customer.id,
        created_at=sent,
        channels=[
            NotificationChannel(
                kanal_system_name=channel,
                kanal_beteckning=CHANNELS[channel][0],
                kanal_hjalptext=CHANNELS[channel][1],
                notifierad=not abandoned,
                klar_utc=None if abandoned else sent + timedelta(minutes=2),
                overgiven_utc=sent + timedelta(minutes=30) if abandoned else None,
                amne=subject,
                brodtext=body,
            )
            for channel in channels
        ],
        attachments=[
            NotificationAttachment(externt_id=number, externt_namn=name, file_id=stored.id)
            for number, name, stored in attachments
        ],
    )
