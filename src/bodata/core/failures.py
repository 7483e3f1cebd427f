"""Start-up and command failures as one line that says what went wrong and what to do (``--debug``: traceback).

``bodata`` (``cli.main``) hands every exception a command raises to ``describe``; a failure it knows (settings,
database unreachable or without schema, secrets the key cannot decrypt, a port it cannot listen on) becomes one
line with the remedy, anything else keeps its traceback (that is a bug to report).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bodata.core.config import ConfigError, Settings

if TYPE_CHECKING:
    from bodata.core.db import Database

debug = False
"""Set by ``bodata --debug`` (or ``BODATA_DEBUG=true``): show tracebacks instead of one-line failures."""


class ListenError(OSError):
    """``bodata serve`` cannot listen on the address it was given."""

    def __init__(self, host: str, port: int, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror)
        self.host, self.port, self.cause = host, port, cause


class MissingSchema(RuntimeError):
    """The database has no bodata tables (or older ones) where a command needs them."""


def describe(exc: BaseException) -> str | None:
    """One line for a failure bodata knows, naming the remedy; None for anything else."""
    from sqlalchemy.exc import DBAPIError

    from bodata.core.security import SecretError

    if isinstance(exc, ConfigError):
        return f"configuration error: {exc}"
    if isinstance(exc, ListenError):
        return _listen_failure(exc)
    if isinstance(exc, SecretError):
        return (
            f"{exc}: the stored secrets were encrypted with another key. Set BODATA_SECRET_KEY (or "
            f"BODATA_SECRET_KEY_FILE, now {_settings_or_default().secret_key_file}) to the key they were made with"
        )
    if isinstance(exc, MissingSchema):
        return str(exc)
    if isinstance(exc, DBAPIError):
        return _database_failure(exc)
    return None


def _listen_failure(exc: ListenError) -> str:
    where = f"{exc.host}:{exc.port}"
    if exc.cause.errno == 98:  # EADDRINUSE
        return (
            f"cannot listen on {where}: the port is already in use (another bodata?). Stop that server or choose "
            "another port with --port or BODATA_PORT"
        )
    if exc.cause.errno == 13:  # EACCES
        return f"cannot listen on {where}: permission denied. Ports below 1024 need privileges: use --port 8000"
    return f"cannot listen on {where}: {exc.cause.strerror or exc.cause}. Check --host/BODATA_HOST and --port"


def _database_failure(exc: BaseException) -> str:
    settings = _settings_or_default()
    url = settings.masked()["BODATA_DATABASE_URL"]
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0].removeprefix("connection failed: ")
    if "no such table" in reason or (reason.startswith("relation") and "does not exist" in reason):
        return missing_schema_message(url)
    kind = type(exc).__name__
    if kind in ("OperationalError", "InterfaceError"):
        return (
            f"cannot use the database {url}: {reason}. Check BODATA_DATABASE_URL and that the database server is "
            "running and reachable"
        )
    return f"database error on {url}: {reason}"


def missing_schema_message(url: str) -> str:
    return (
        f"the database {url} has no bodata schema (or an older one): run `bodata db upgrade` (`bodata serve` "
        "migrates by itself), or point BODATA_DATABASE_URL at your database"
    )


def _settings_or_default() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError:
        return Settings()


def check_secrets(database: Database, settings: Settings) -> None:
    """Raise ``SecretError`` when a stored secret cannot be decrypted with the configured key.

    Looks at one value of every column named ``*_encrypted`` (the convention for ``SecretBox`` ciphertexts), so a
    server started with the wrong key says so at once instead of failing in its first nightly run.
    """
    from sqlalchemy import select

    import bodata.models  # noqa: F401  (every table in Base.metadata)
    from bodata.core.db import Base
    from bodata.core.security import SecretBox

    box = SecretBox(settings.resolved_secret_key())
    tables = Base.metadata.sorted_tables
    columns = [column for table in tables for column in table.columns if column.name.endswith("_encrypted")]
    with database.transaction(write=False) as session:
        for column in columns:
            sample = session.scalar(select(column).where(column.is_not(None)).limit(1))
            if sample:
                box.decrypt(sample)
