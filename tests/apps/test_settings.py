"""Settings come from LONGCAT_* variables and refuse unsafe production values."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from apps.settings import Settings


def test_default_store_is_a_sqlite_file_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a URL the store is longcat.db inside LONGCAT_DATA_DIR."""
    monkeypatch.delenv("LONGCAT_DATABASE_URL", raising=False)
    monkeypatch.setenv("LONGCAT_DATA_DIR", str(tmp_path))
    assert Settings().store_url == f"sqlite:///{tmp_path / 'longcat.db'}"


def test_production_refuses_the_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """In production the secret key must be set, and long."""
    monkeypatch.setenv("LONGCAT_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="secret_key"):
        Settings()
    monkeypatch.setenv("LONGCAT_SECRET_KEY", "short")
    with pytest.raises(ValidationError, match="secret_key"):
        Settings()
    monkeypatch.setenv("LONGCAT_SECRET_KEY", "x" * 40)
    monkeypatch.setenv(
        "LONGCAT_OPERATORS", '{"wang.fang": {"role": "admin", "key": "%s"}}' % ("k" * 20)
    )
    assert Settings().environment == "production"


def test_production_refuses_a_dashboard_without_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """In production the operators who may sign in must be configured; a key too short to
    be a secret is refused naming the field."""
    monkeypatch.setenv("LONGCAT_ENVIRONMENT", "production")
    monkeypatch.setenv("LONGCAT_SECRET_KEY", "x" * 40)
    with pytest.raises(ValidationError, match="operators: in production"):
        Settings()
    monkeypatch.setenv("LONGCAT_OPERATORS", '{"wang.fang": {"role": "admin", "key": "short"}}')
    with pytest.raises(
        ValidationError, match=r"(?s)operators.*wang.fang.*key.*at least 12 characters"
    ):
        Settings()


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .env file in the working directory configures the suite."""
    monkeypatch.delenv("LONGCAT_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("LONGCAT_DATABASE_URL=postgresql://app@db/longcat\n")
    assert Settings().store_url == "postgresql://app@db/longcat"


def test_unsupported_database_is_refused() -> None:
    """A URL for a backend the store does not support fails at configuration time."""
    with pytest.raises(ValidationError, match="not supported"):
        Settings(database_url="mysql://x@y/z")


def test_forecast_holidays_are_a_known_country_or_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """LONGCAT_FORECAST_HOLIDAYS defaults to CN, takes any holidays-package code in any case
    or "none", and an unknown code is refused by name."""
    monkeypatch.delenv("LONGCAT_FORECAST_HOLIDAYS", raising=False)
    assert Settings().forecast_holidays == "CN"
    monkeypatch.setenv("LONGCAT_FORECAST_HOLIDAYS", "gb")
    assert Settings().forecast_holidays == "GB"
    monkeypatch.setenv("LONGCAT_FORECAST_HOLIDAYS", "none")
    assert Settings().forecast_holidays is None
    monkeypatch.setenv("LONGCAT_FORECAST_HOLIDAYS", "XX")
    with pytest.raises(ValidationError, match=r"forecast_holidays: .*unknown country code 'XX'"):
        Settings()
