"""Configuration from environment variables, with safe defaults.

Every setting has an environment variable ``BODATA_<NAME>``. ``Settings.from_env()`` reads them once;
``bodata config`` prints the effective values with secrets masked.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///./bodata.db"
DEFAULT_SECRET_KEY_FILE = "./bodata.secret"  # noqa: S105  (a path, not a secret)


class ConfigError(ValueError):
    """A setting has a value bodata cannot use."""


@dataclass(frozen=True)
class Settings:
    """The effective configuration of one bodata process."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    secret_key_file: str = DEFAULT_SECRET_KEY_FILE
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    max_body_bytes: int = 10 * 1024 * 1024
    max_xml_bytes: int = 5 * 1024 * 1024
    log_level: str = "INFO"
    log_format: str = "json"
    sqlite_busy_timeout_ms: int = 5000
    db_pool_size: int = 5
    demo: bool = False
    scheduler: bool = True
    huslejeregister_earliest_effect: str = "1900-01-01"
    huslejeregister_lease_cutoff: str = "2021-01-01"
    huslejeregister_attachment_max_bytes: int = 3 * 1024 * 1024
    portal_require_api_key: bool = True
    portal_session_minutes: int = 30
    portal_media_max_bytes: int = 5 * 1024 * 1024
    portal_example_aliases: bool = True
    portal_laundry_max_bookings: int = 2
    portal_session_cache_entries: int = 256
    portal_login_max_failures: int = 5
    portal_login_lockout_minutes: int = 15
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    public_url: str = ""
    smtp_host: str = ""  # empty: no e-mail is sent
    smtp_port: int = 25
    smtp_from: str = "bodata@localhost"
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout_seconds: int = 30
    standin: bool = False  # stand-in controls under /_bodata/ (docs/stand-in.md); --demo turns them on
    standin_token: str = ""
    standin_seed_files: str = ""  # seed files applied at start-up, separated by the OS path separator
    standin_journal_entries: int = 200

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from ``BODATA_*`` variables; unset variables keep their defaults."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = env.get(f"BODATA_{field.name.upper()}")
            if raw is None or raw == "":
                continue
            values[field.name] = _coerce(field.name, raw, field.type)
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Reject values that cannot work, with a message naming the variable."""
        from sqlalchemy.engine import make_url  # imported here: `bodata --help` stays fast

        try:
            url = make_url(self.database_url)
        except Exception as exc:
            raise ConfigError(f"BODATA_DATABASE_URL is not a database URL: {exc}") from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ConfigError("BODATA_DATABASE_URL must be a sqlite:// or postgresql+psycopg:// URL")
        if self.log_format not in ("json", "text"):
            raise ConfigError("BODATA_LOG_FORMAT must be 'json' or 'text'")
        if self.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError("BODATA_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
        for name in ("huslejeregister_earliest_effect", "huslejeregister_lease_cutoff"):
            try:
                date.fromisoformat(getattr(self, name))
            except ValueError:
                raise ConfigError(f"BODATA_{name.upper()} must be a date (YYYY-MM-DD)") from None
        if self.public_url and not re.fullmatch(r"https?://[^/?#\s]+(/[^?#\s]*)?", self.public_url):
            raise ConfigError("BODATA_PUBLIC_URL must be an http:// or https:// URL without query or fragment")
        for name in ("portal_session_cache_entries", "portal_login_max_failures", "login_max_failures"):
            if getattr(self, name) < 0:
                raise ConfigError(f"BODATA_{name.upper()} must be 0 (off) or more")
        for name in (
            "port",
            "workers",
            "max_body_bytes",
            "max_xml_bytes",
            "db_pool_size",
            "huslejeregister_attachment_max_bytes",
            "portal_session_minutes",
            "portal_media_max_bytes",
            "portal_laundry_max_bookings",
            "portal_login_lockout_minutes",
            "login_lockout_minutes",
            "smtp_port",
            "smtp_timeout_seconds",
            "standin_journal_entries",
        ):
            if getattr(self, name) <= 0:
                raise ConfigError(f"BODATA_{name.upper()} must be positive")

    def resolved_secret_key(self) -> str:
        """The secret key: ``BODATA_SECRET_KEY``, else the key file, created with a random key when missing.

        Several keys may be given separated by commas; the first encrypts, all decrypt (key rotation).
        """
        if self.secret_key:
            return self.secret_key
        path = Path(self.secret_key_file)
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        return key

    def masked(self) -> dict[str, str]:
        """Every setting as text, with secrets and database passwords masked."""
        from sqlalchemy.engine import make_url

        shown: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "secret_key":
                value = "****" if value else f"(from {self.secret_key_file})"
            elif field.name in ("smtp_password", "standin_token"):
                value = "****" if value else ""
            elif field.name == "database_url":
                value = make_url(value).render_as_string(hide_password=True)
            shown[f"BODATA_{field.name.upper()}"] = str(value)
        return shown


def _coerce(name: str, raw: str, annotation: object) -> object:
    if annotation in (bool, "bool"):
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"BODATA_{name.upper()} must be true or false, got {raw!r}")
    if annotation in (int, "int"):
        try:
            return int(raw)
        except ValueError as exc:
            raise ConfigError(f"BODATA_{name.upper()} must be an integer, got {raw!r}") from exc
    return raw
