"""Sending e-mail through an SMTP server (``BODATA_SMTP_*``), with the standard library's SMTP client.

Blocking: call it from a worker thread (the scheduler's), never from the event loop.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from bodata.core.config import Settings


class MailError(Exception):
    """The message could not be handed to the SMTP server."""


def mail_configured(settings: Settings) -> bool:
    """True when an SMTP server is set (``BODATA_SMTP_HOST``)."""
    return bool(settings.smtp_host)


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (a notice's PDF)."""

    filename: str
    data: bytes
    mime_type: str = "application/pdf"


def send_mail(
    settings: Settings, *, to: Iterable[str], subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> None:
    """Send one plain-text message (with attachments) to ``to``; raises MailError when the server cannot take it."""
    recipients = sorted(set(to))
    if not recipients or not mail_configured(settings):
        return
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.smtp_from, ", ".join(recipients), subject
    message.set_content(body)
    for attachment in attachments:
        maintype, _, subtype = attachment.mime_type.partition("/")
        message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"e-mail to {', '.join(recipients)} could not be sent: {exc}") from exc
