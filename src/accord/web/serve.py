"""``accord serve``: the dashboard and API on an embedded SQLite file (or PostgreSQL by URL).

On the first start the schema is created, the illustrative peace-plan example is loaded as
a negotiation and a first mediator account is created; its generated password is printed
once, on the console, and stored only as a hash.
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

# Heavy imports (SQLAlchemy, FastAPI, uvicorn) happen inside the functions, so that
# registering this command keeps `accord --help` fast and works without the web extra.
if TYPE_CHECKING:
    from fastapi import FastAPI

    from accord.ledger import Database

DATABASE_URL_VARIABLE = "ACCORD_DATABASE_URL"  # as in accord.ledger.database (not imported: heavy)
ACCESS_LOG_VARIABLE = "ACCORD_ACCESS_LOG"  # "0" in the environment of --workers processes: off

FIRST_USERNAME = "mediator"
GRACEFUL_SHUTDOWN_SECONDS = 5
"""On SIGTERM, requests still running after this long are cancelled and the server exits
(the mediator's analyses run in processes of their own, killed on the way out)."""
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "peace-plan-27.yaml"


@dataclass(frozen=True)
class FirstStart:
    """What the first start created: the account (password shown once) and the example."""

    username: str
    password: str
    negotiation_id: int | None


def first_start(database: Database, example: Path | None = EXAMPLE) -> FirstStart | None:
    """On an empty ledger, create the first mediator and load the example; else None.

    One transaction: two servers starting at once cannot both create an account.
    """
    from sqlalchemy import func, select

    from accord.ledger.models import User
    from accord.ledger.negotiations import create_negotiation
    from accord.scenario.loader import load_scenario
    from accord.web.auth import create_user

    with database.transaction() as session:
        if session.scalar(select(func.count()).select_from(User)):
            return None
        password = secrets.token_urlsafe(12)
        user = create_user(session, FIRST_USERNAME, password, is_admin=True)
        negotiation_id = None
        if example is not None and example.is_file():
            negotiation_id = create_negotiation(session, load_scenario(example), user).id
        return FirstStart(FIRST_USERNAME, password, negotiation_id)


def serve(
    host: str,
    port: int,
    db_path: Path,
    database_url: str | None = None,
    echo: Callable[[str], None] = print,
    workers: int = 1,
    access_log: bool = True,
) -> None:
    """Migrate, bootstrap on first start, then run uvicorn until interrupted."""
    from accord.web.operations import add_operations, ensure_port_free

    ensure_port_free(host, port)  # before the database exists or a password is printed
    import uvicorn

    from accord.web.app import create_app

    app = create_app(database_url=database_url, db_path=db_path)
    add_operations(app, access_log)
    database = app.state.database
    created = first_start(database)
    from sqlalchemy.engine import make_url

    # Never print a database password on the console.
    where = str(db_path) if database.is_sqlite else make_url(database.url).render_as_string()
    echo(f"Accord ledger: {where}")
    if created is not None:
        echo("First start: created the first mediator account (the password is shown once):")
        echo(f"  username: {created.username}")
        echo(f"  password: {created.password}")
        if created.negotiation_id is not None:
            echo(f"Loaded the example negotiation {created.negotiation_id}: {EXAMPLE.name}")
        else:
            echo(f"No example loaded ({EXAMPLE} is not there: run from a clone of the repo).")
    echo(f"Dashboard: http://{host}:{port}/   API docs: http://{host}:{port}/docs")
    # uvicorn handles SIGTERM itself (graceful shutdown), then restores this handler and
    # raises the signal again: exiting through SystemExit runs the cleanup below.
    if threading.current_thread() is threading.main_thread():  # signals go to the main one
        signal.signal(signal.SIGTERM, _exit_on_signal)
    if workers == 1:
        try:
            uvicorn.run(
                app,
                host=host,
                port=port,
                log_level="warning",
                timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
            )
        finally:
            _stop_analyses()
        return
    # Each worker process builds its own app on the same database (already migrated).
    database.dispose()
    os.environ[DATABASE_URL_VARIABLE] = database.url
    os.environ[ACCESS_LOG_VARIABLE] = "1" if access_log else "0"
    uvicorn.run(
        "accord.web.serve:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _stop_analyses() -> None:
    from accord.web.analysis_cache import shutdown

    shutdown()


def app_from_environment() -> FastAPI:
    """The app of one ``--workers`` process: the database named by ACCORD_DATABASE_URL."""
    from accord.web.app import create_app
    from accord.web.operations import add_operations

    app = create_app(migrate=False)
    add_operations(app, access_log=os.environ.get(ACCESS_LOG_VARIABLE) != "0")
    return app


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    db: Annotated[
        Path,
        typer.Option(
            "--db", help="SQLite file of the ledger (ignored if ACCORD_DATABASE_URL is set)."
        ),
    ] = Path("accord.db"),
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Server processes (SQLite allows one writer).")
    ] = 1,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log", help="Log each request: method, path, status."
        ),
    ] = True,
) -> None:
    """Start the dashboard and API; on first start load the example, print a mediator login."""
    try:
        import fastapi  # noqa: F401
        import sqlalchemy  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as error:
        from accord.errors import AccordError

        raise AccordError(
            f"accord serve needs the web extra ({error.name} is missing): pip install 'accord[web]'"
        ) from error
    serve(host, port, db, echo=typer.echo, workers=workers, access_log=access_log)
