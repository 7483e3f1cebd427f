"""Settings from the environment."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bodata.core.config import ConfigError, Settings, load_env_file


def test_defaults_are_safe_and_local_in_one_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files live in the XDG data directory whatever the current directory is, or in BODATA_DATA_DIR."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    assert settings.data_dir == str(tmp_path / "xdg" / "bodata")
    assert settings.database_url == f"sqlite:///{tmp_path}/xdg/bodata/bodata.db"
    assert settings.secret_key_file == str(tmp_path / "xdg" / "bodata" / "bodata.secret")
    assert settings.host == "127.0.0.1"
    assert settings.max_body_bytes == 10 * 1024 * 1024
    chosen = Settings.from_env({"BODATA_DATA_DIR": "srv"})
    assert chosen.database_url == f"sqlite:///{tmp_path}/srv/bodata.db"
    assert not (tmp_path / "srv").exists()  # made only when a file is kept there
    chosen.resolved_secret_key()
    assert stat.S_IMODE((tmp_path / "srv").stat().st_mode) == 0o700


def test_postgresql_urls_use_psycopg_and_other_drivers_are_refused() -> None:
    for plain in ("postgresql://bo@db/bodata", "postgres://bo@db/bodata"):
        assert Settings.from_env({"BODATA_DATABASE_URL": plain}).database_url == "postgresql+psycopg://bo@db/bodata"
    with pytest.raises(ConfigError, match=r"psycopg 3: write postgresql\+psycopg://"):
        Settings.from_env({"BODATA_DATABASE_URL": "postgresql+psycopg2://bo@db/bodata"})


def test_cors_origins_per_service() -> None:
    settings = Settings.from_env(
        {"BODATA_CORS_ORIGINS": "portal=https://app.example.org https://b.example:8443; inskrivning=*"}
    )
    assert settings.cors() == {"portal": ("https://app.example.org", "https://b.example:8443"), "inskrivning": ("*",)}
    assert Settings().cors() == {}
    for bad, message in [
        ("https://x.example", "names no service"),
        ("portal=app.example.org", "is not an origin"),
        ("portal=https://x.example/path", "is not an origin"),
        ("portal=", "no origin given"),
    ]:
        with pytest.raises(ConfigError, match=message):
            Settings.from_env({"BODATA_CORS_ORIGINS": bad})


def test_env_file_fills_what_the_environment_leaves_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("BODATA_PORT=9100\nBODATA_HOST=0.0.0.0\n# a comment\nBODATA_LOG_LEVEL='DEBUG'\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BODATA_HOST", "127.0.0.2")
    for name in ("BODATA_PORT", "BODATA_LOG_LEVEL", "BODATA_ENV_FILE"):
        monkeypatch.delenv(name, raising=False)
    assert load_env_file() == env_file
    settings = Settings.from_env()
    assert (settings.port, settings.host, settings.log_level) == (9100, "127.0.0.2", "DEBUG")
    monkeypatch.setenv("BODATA_ENV_FILE", str(tmp_path / "missing.env"))
    with pytest.raises(ConfigError, match="BODATA_ENV_FILE names"):
        load_env_file()


def test_log_format_auto_is_text_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    assert Settings().resolved_log_format() == "text"
    monkeypatch.setattr("sys.stderr.isatty", lambda: False)
    assert Settings().resolved_log_format() == "json"
    assert Settings(log_format="text").resolved_log_format() == "text"


def test_variables_override_defaults_with_types() -> None:
    settings = Settings.from_env({"BODATA_PORT": "9001", "BODATA_LOG_FORMAT": "text", "BODATA_HOST": ""})
    assert settings.port == 9001
    assert settings.log_format == "text"
    assert settings.host == "127.0.0.1"  # empty means unset


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("BODATA_PORT", "eighty", "BODATA_PORT must be an integer"),
        ("BODATA_PORT", "99999", r"BODATA_PORT must be a TCP port \(1-65535\)"),
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
