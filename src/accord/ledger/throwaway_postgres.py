"""A throwaway PostgreSQL server for tests and benchmarks: a temp cluster on loopback.

``initdb`` refuses to run as root, so as root the cluster is created and run by the
``postgres`` OS user (which the Debian package creates). The server listens on 127.0.0.1
on a free port with trust authentication and ``fsync=off`` (its data is thrown away), and
:meth:`ThrowawayPostgres.stop` removes everything.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "PostgreSQL is not installed: run scripts/install-postgresql.sh"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries, or the server would not start."""


def postgres_bin_dir() -> Path:
    """The directory of ``initdb`` and ``pg_ctl`` (the newest installed version)."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    for directory in reversed(candidates):
        if (Path(directory) / "initdb").exists():
            return Path(directory)
    initdb = shutil.which("initdb")
    if initdb is not None:
        return Path(initdb).resolve().parent
    raise PostgresUnavailable(INSTALL_HINT)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ThrowawayPostgres:
    """A running server; ``url(name)`` gives the URL of a database on it."""

    directory: Path
    port: int
    bin_dir: Path
    as_postgres_user: bool

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        _run(
            [
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.directory / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            self.as_postgres_user,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def start_postgres() -> ThrowawayPostgres:
    """initdb into a temp directory and start a server on a free loopback port."""
    bin_dir = postgres_bin_dir()
    as_postgres_user = os.geteuid() == 0
    directory = Path(tempfile.mkdtemp(prefix="accord-pg-"))
    if as_postgres_user:
        shutil.chown(directory, user="postgres", group="postgres")
    data = directory / "data"
    port = free_port()
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            as_postgres_user,
        )
        options = (
            f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        _run(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(directory / "log"),
                "-w",
                "start",
            ],
            as_postgres_user,
        )
    except subprocess.CalledProcessError as error:
        log = directory / "log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(directory, ignore_errors=True)
        raise PostgresUnavailable(
            f"PostgreSQL did not start: {error}\n{error.stderr}\n{detail}"
        ) from error
    return ThrowawayPostgres(directory, port, bin_dir, as_postgres_user)


def _run(command: list[str], as_postgres_user: bool, check: bool = True) -> None:
    if as_postgres_user:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=check, capture_output=True, text=True, cwd="/")
