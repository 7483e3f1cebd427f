"""Configuration from environment variables, with safe defaults.

Every setting has an environment variable ``BODATA_<NAME>``. ``Settings.from_env()`` reads them once;
``bodata config`` prints the effective values with secrets masked. The ``bodata`` command first reads a ``.env``
file (``load_env_file``); variables already in the environment win.

Files live in one data directory, whatever the current directory: ``BODATA_DATA_DIR``, by default
``$XDG_DATA_HOME/bodata`` (``~/.local/share/bodata``). The SQLite database (``bodata.db``) and the generated secret
key (``bodata.secret``) are kept there unless ``BODATA_DATABASE_URL`` or ``BODATA_SECRET_KEY_FILE`` say otherwise.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

DATABASE_FILE = "bodata.db"
SECRET_KEY_FILE = "bodata.secret"  # noqa: S105  (a file name, not a secret)
ENV_FILE = ".env"


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/bodata``, else ``~/.local/share/bodata`` (the XDG base directory rule)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "bodata"


def load_env_file(path: str | None = None) -> Path | None:
    """Put the variables of a ``.env`` file (``BODATA_ENV_FILE``, else ``./.env``) into the environment.

    Variables already set win, so the environment and the systemd unit's settings override the file. Returns the
    file read, or None when there is none.
    """
    from dotenv import dotenv_values

    chosen = Path(path or os.environ.get("BODATA_ENV_FILE") or ENV_FILE)
    if not chosen.is_file():
        if path or os.environ.get("BODATA_ENV_FILE"):
            raise ConfigError(f"BODATA_ENV_FILE names {chosen}, which is not a file")
        return None
    for name, value in dotenv_values(chosen).items():
        if value is not None:
            os.environ.setdefault(name, value)
    return chosen.resolve()


class ConfigError(ValueError):
    """A setting has a value bodata cannot use."""


@dataclass(frozen=True)
class Settings:
    """The effective configuration of one bodata process."""

    data_dir: str = ""  # empty: default_data_dir()
    database_url: str = ""  # empty: SQLite in the data directory
    secret_key: str = ""
    secret_key_file: str = ""  # empty: bodata.secret in the data directory
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    max_body_bytes: int = 10 * 1024 * 1024
    max_xml_bytes: int = 5 * 1024 * 1024
    log_level: str = "INFO"
    log_format: str = "auto"  # text on a terminal, json otherwise
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
    proxy_headers: bool = False
    forwarded_allow_ips: str = "127.0.0.1"
    cors_origins: str = ""  # "portal=https://app.example.org https://b.example; inskrivning=*"
    metrics: bool = True
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

    def __post_init__(self) -> None:
        data_dir = Path(self.data_dir).expanduser().absolute() if self.data_dir else default_data_dir()
        object.__setattr__(self, "data_dir", str(data_dir))
        if not self.database_url:
            object.__setattr__(self, "database_url", f"sqlite:///{data_dir / DATABASE_FILE}")
        for plain in ("postgresql://", "postgres://"):  # the driver bodata ships, whatever SQLAlchemy's default
            if self.database_url.startswith(plain):
                object.__setattr__(self, "database_url", "postgresql+psycopg://" + self.database_url[len(plain) :])
        if not self.secret_key_file:
            object.__setattr__(self, "secret_key_file", str(data_dir / SECRET_KEY_FILE))

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
        if url.get_backend_name() == "postgresql" and url.drivername != "postgresql+psycopg":
            raise ConfigError(
                f"BODATA_DATABASE_URL names the driver {url.drivername}; bodata talks to PostgreSQL through "
                "psycopg 3: write postgresql+psycopg://USER:PASSWORD@HOST/DB (or postgresql://...)"
            )
        if self.log_format not in ("auto", "json", "text"):
            raise ConfigError("BODATA_LOG_FORMAT must be 'auto', 'json' or 'text'")
        if not 1 <= self.port <= 65535:
            raise ConfigError(f"BODATA_PORT must be a TCP port (1-65535), got {self.port}")
        self.cors()  # raises on a malformed value
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

    def cors(self) -> dict[str, tuple[str, ...]]:
        """``BODATA_CORS_ORIGINS`` as {service: origins}: ``service=origin origin; service=*`` (default: none)."""
        allowed: dict[str, tuple[str, ...]] = {}
        for part in filter(None, (item.strip() for item in self.cors_origins.split(";"))):
            service, _, origins = part.partition("=")
            service, listed = service.strip(), tuple(origins.replace(",", " ").split())
            if not re.fullmatch(r"[a-z][a-z0-9-]*", service):
                raise ConfigError(f"BODATA_CORS_ORIGINS: write service=origin ...; {part!r} names no service")
            for origin in listed:
                if origin != "*" and not re.fullmatch(r"https?://[^/?#\s]+", origin):
                    raise ConfigError(f"BODATA_CORS_ORIGINS: {origin!r} is not an origin (https://host[:port] or *)")
            if not listed:
                raise ConfigError(f"BODATA_CORS_ORIGINS: no origin given for {service}")
            allowed[service] = listed
        return allowed

    def resolved_log_format(self) -> str:
        """``json`` or ``text``: ``auto`` is text when standard error is a terminal and JSON otherwise."""
        if self.log_format != "auto":
            return self.log_format
        return "text" if sys.stderr.isatty() else "json"

    def prepare_data_dir(self) -> None:
        """Create the data directory (private to the user) when a file bodata keeps there is in use."""
        from sqlalchemy.engine import make_url

        url = make_url(self.database_url)
        paths = [Path(self.secret_key_file)]
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            paths.append(Path(url.database))
        for path in paths:
            if path.parent == Path(self.data_dir):
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)

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
        self.prepare_data_dir()
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
