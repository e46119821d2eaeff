"""The requests that hash a password (log in, change or reset a password, create a user),
done so that no other request waits behind the hashing, and with a limit on guesses.

On SQLite the app lets one writing request in at a time (``app.state.write_gate``, see
:class:`accord.web.app.SQLiteWriteGate`). A password check takes about 50 ms of CPU on
purpose; done under that gate, 20 clients posting wrong passwords made every write wait
over a second. The paths in :data:`SELF_GATED_PATHS` therefore pass the gate, and their
handlers take it themselves only for their short write: they read in one transaction,
hash outside any transaction (at most ``PASSWORD_SLOTS`` at once, so that hashing leaves
cores to the rest of the server), then write in another transaction under the gate.

:class:`LoginThrottle` counts failed password checks per account and per client address
over a sliding window; past a limit the login answers 429 with ``Retry-After`` before
doing any hashing, after a pause of ``REFUSAL_DELAY`` (so that a flood of refused logins
costs the server almost nothing: at most one answer a second per connection). Limits
come from ``ACCORD_LOGIN_FAILURES_PER_ACCOUNT`` (default 10) and
``ACCORD_LOGIN_FAILURES_PER_ADDRESS`` (default 50) per ``WINDOW``. The counts are kept in
the server process: with ``--workers N`` each worker counts on its own.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi import FastAPI, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from accord.ledger import Database
from accord.ledger.audit import set_actor
from accord.ledger.models import User
from accord.web import auth
from accord.web.password_policy import check_password

T = TypeVar("T")

SELF_GATED_PATHS = re.compile(
    r"^(?:/api/auth/login|/login|/api/users|/api/users/[^/]+/password|/api/me/password"
    r"|/account/password|/account/users|/account/users/[^/]+/password"
    r"|/negotiations/\d+/people/accounts|/negotiations/\d+/people/members/[^/]+/password)$"
)
"""Write paths whose handlers take the SQLite write gate themselves, around the write only."""

WINDOW = 15 * 60.0
REFUSAL_DELAY = 1.0
PASSWORD_SLOTS = max(1, (os.cpu_count() or 2) // 2)


def takes_gate_itself(path: str) -> bool:
    return SELF_GATED_PATHS.match(path) is not None


class LoginThrottle:
    """Failed password checks per account and per address in the last ``window`` seconds."""

    def __init__(
        self,
        per_account: int,
        per_address: int,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_account = per_account
        self.per_address = per_address
        self.window = window
        self.clock = clock
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, account: str, address: str) -> int:
        """Seconds until a new attempt may be made (0: now)."""
        now = self.clock()
        waits = [
            self._wait(("account", account), self.per_account, now),
            self._wait(("address", address), self.per_address, now),
        ]
        return max(waits)

    def failed(self, account: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in (("account", account), ("address", address)):
                self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > 100_000:  # forget the oldest keys, bounded memory
                for key in list(self._failures)[:50_000]:
                    del self._failures[key]

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(("account", account), None)

    def _wait(self, key: tuple[str, str], limit: int, now: float) -> int:
        with self._lock:
            times = self._failures.get(key)
            if times is None:
                return 0
            while times and times[0] <= now - self.window:
                times.popleft()
            if not times:
                del self._failures[key]
                return 0
            if len(times) < limit:
                return 0
            return max(1, math.ceil(times[-limit] + self.window - now))


def _limit(variable: str, default: int) -> int:
    value = os.environ.get(variable, "")
    return int(value) if value.isdigit() and int(value) > 0 else default


def throttle_of(app: FastAPI) -> LoginThrottle:
    throttle: LoginThrottle | None = getattr(app.state, "login_throttle", None)
    if throttle is None:
        throttle = LoginThrottle(
            _limit("ACCORD_LOGIN_FAILURES_PER_ACCOUNT", 10),
            _limit("ACCORD_LOGIN_FAILURES_PER_ADDRESS", 50),
        )
        app.state.login_throttle = throttle
    return throttle


def _password_slots(app: FastAPI) -> asyncio.Semaphore:
    slots: asyncio.Semaphore | None = getattr(app.state, "password_slots", None)
    if slots is None:
        slots = asyncio.Semaphore(PASSWORD_SLOTS)
        app.state.password_slots = slots
    return slots


async def run_write(request: Request, work: Callable[[], T]) -> T:
    """Run ``work`` (one whole transaction) on a worker thread, under the write gate."""
    gate: asyncio.Lock | None = getattr(request.app.state, "write_gate", None)
    if gate is None:
        return await run_in_threadpool(work)
    async with gate:
        return await run_in_threadpool(work)


async def run_hashing(request: Request, work: Callable[[], T]) -> T:
    """Run slow password work on a worker thread, outside any transaction and the gate."""
    async with _password_slots(request.app):
        return await run_in_threadpool(work)


def database_of(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def client_address(request: Request) -> str:
    return "" if request.client is None else request.client.host


class LoginRefused(Exception):
    """A login or password check refused: 401 (wrong) or 429 (too many failures)."""

    def __init__(self, status: int, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after

    def as_http(self) -> HTTPException:
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after else None
        return HTTPException(status_code=self.status, detail=self.message, headers=headers)


@dataclass(frozen=True)
class Caller:
    """Who sends a request, read in a transaction of its own (for the hashing handlers)."""

    user_id: int
    username: str
    is_admin: bool
    password_hash: str
    credential_id: int


async def caller(request: Request) -> Caller:
    """The request's user (bearer token or session cookie); 401 without a live one."""

    def read() -> Caller | None:
        with database_of(request).session() as session:
            credential = auth.request_credential(request, session)
            if credential is None:
                return None
            user = credential.user
            auth.require_own_password(request, user)
            return Caller(user.id, user.username, user.is_admin, user.password_hash, credential.id)

    found = await run_in_threadpool(read)
    if found is None:
        raise HTTPException(
            status_code=401,
            detail="not logged in: send 'Authorization: Bearer <token>' or log in first",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return found


async def check_password_of(request: Request, username: str, password: str) -> User | None:
    """The enabled user ``username`` if ``password`` is theirs, counting failures.

    Raises :class:`LoginRefused` (429) when the account or the address has failed too
    often lately, before any hashing.
    """
    throttle = throttle_of(request.app)
    account, address = auth.username_key(username)[:200], client_address(request)
    wait = throttle.retry_after(account, address)
    if wait:
        # Answered after a pause that holds no thread: a client that keeps asking gets one
        # answer a second per connection instead of the whole server's time.
        await asyncio.sleep(REFUSAL_DELAY)
        message = f"too many failed logins for this account or address; retry in {wait} s"
        raise LoginRefused(429, message, wait)

    def read() -> User | None:
        with database_of(request).session() as session:
            return auth.get_user_by_name(session, username)

    found = await run_in_threadpool(read)
    stored = auth.DUMMY_HASH if found is None else found.password_hash
    right = await run_hashing(request, lambda: auth.verify_password(password, stored))
    if not right or found is None or found.is_disabled:
        throttle.failed(account, address)
        return None
    throttle.succeeded(account)
    return found


async def sign_in(request: Request, username: str, password: str) -> tuple[User, str]:
    """Check the password and open a login session: the user and the cookie's secret."""
    found = await check_password_of(request, username, password)
    if found is None:
        raise LoginRefused(401, "wrong username or password")
    user_id = found.id

    def write() -> tuple[User, str] | None:
        with database_of(request).transaction() as session:
            user = session.get(User, user_id)
            if user is None or user.is_disabled:  # disabled meanwhile
                return None
            credential, secret = auth.open_session(session, user)
            set_actor(session, auth.request_actor(request, user, credential))
            return user, secret

    opened = await run_write(request, write)
    if opened is None:
        raise LoginRefused(401, "wrong username or password")
    return opened


async def hash_new_password(request: Request, password: str, username: str) -> str:
    """The policy checked (422 if weak), then the hash, computed outside the gate."""
    await run_in_threadpool(check_password, password, username)
    return await run_hashing(request, lambda: auth.hash_password(password))
