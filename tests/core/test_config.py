"""Settings from the environment."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bodata.core.config import DEFAULT_DATABASE_URL, ConfigError, Settings


def test_defaults_are_safe_and_local() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.host == "127.0.0.1"
    assert settings.max_body_bytes == 10 * 1024 * 1024


def test_variables_override_defaults_with_types() -> None:
    settings = Settings.from_env({"BODATA_PORT": "9001", "BODATA_LOG_FORMAT": "text", "BODATA_HOST": ""})
    assert settings.port == 9001
    assert settings.log_format == "text"
    assert settings.host == "127.0.0.1"  # empty means unset


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("BODATA_PORT", "eighty", "BODATA_PORT must be an integer"),
        ("BODATA_WORKERS", "0", "BODATA_WORKERS must be positive"),
        ("BODATA_DATABASE_URL", "mysql://x/y", "sqlite:// or postgresql"),
        ("BODATA_DATABASE_URL", "not a url", "not a database URL"),
        ("BODATA_LOG_FORMAT", "xml", "BODATA_LOG_FORMAT"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env({variable: value})


def test_masked_hides_secret_key_and_database_password() -> None:
    settings = Settings.from_env(
        {"BODATA_SECRET_KEY": "hunter2", "BODATA_DATABASE_URL": "postgresql+psycopg://bo:pw123@db/bodata"}
    )
    shown = settings.masked()
    assert shown["BODATA_SECRET_KEY"] == "****"
    assert "pw123" not in shown["BODATA_DATABASE_URL"]
    assert "hunter2" not in "".join(shown.values())


def test_secret_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    key_file = tmp_path / "bodata.secret"
    settings = Settings(secret_key_file=str(key_file))
    first = settings.resolved_secret_key()
    assert len(first) >= 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings.resolved_secret_key() == first


def test_explicit_secret_key_wins_over_the_file(tmp_path: Path) -> None:
    settings = Settings(secret_key="from-env", secret_key_file=str(tmp_path / "never-created"))
    assert settings.resolved_secret_key() == "from-env"
    assert not (tmp_path / "never-created").exists()


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("1", True), ("Yes", True), ("false", False), ("0", False)])
def test_switches_read_common_spellings(raw: str, value: bool) -> None:
    assert Settings.from_env({"BODATA_SCHEDULER": raw}).scheduler is value


def test_a_switch_with_another_value_is_an_error() -> None:
    with pytest.raises(ConfigError, match="BODATA_DEMO must be true or false"):
        Settings.from_env({"BODATA_DEMO": "maybe"})
