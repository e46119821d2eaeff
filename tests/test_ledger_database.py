"""Which database the ledger uses: SQLite by default, PostgreSQL by URL or environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.ledger import InvalidInput, resolve_url


def test_a_path_gives_sqlite(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    assert resolve_url(None, tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"


def test_the_environment_switches_to_postgresql(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql://accord@db:5432/talks")
    assert resolve_url(None, tmp_path / "a.db") == "postgresql+psycopg://accord@db:5432/talks"


def test_an_explicit_url_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_DATABASE_URL", "postgresql://accord@db/talks")
    assert resolve_url("sqlite:///x.db") == "sqlite:///x.db"


def test_an_unknown_scheme_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    with pytest.raises(InvalidInput, match="unsupported database URL scheme in 'mysql'"):
        resolve_url("mysql://root@localhost/talks")
    with pytest.raises(InvalidInput, match="no database"):
        resolve_url(None)
