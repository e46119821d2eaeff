"""Users, passwords and credentials: login sessions (a cookie) and API tokens (bearer).

Passwords are hashed with scrypt (RFC 7914, in the standard library) with a random salt;
tokens are 256-bit random strings of which only a SHA-256 digest is stored, so a copy of
the database gives away neither. Every credential expires: a login session after
``SESSION_LIFETIME``, an API token after the lifetime chosen when it was made (at most
``MAX_TOKEN_LIFETIME``). A disabled user's credentials stop working at once.

User names are unique without regard to case (``Mediator`` is ``mediator``); they are
looked up by ``username_key``, the name in lower case.

Hashing is slow on purpose (about 50 ms): the functions that hash (:func:`hash_password`,
:func:`verify_password`) never run inside a database transaction, so that no write waits
behind them (see :mod:`accord.web.sign_in`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from fastapi import Request
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session, joinedload
from starlette.responses import Response

from accord.ledger.audit import Actor, set_actor
from accord.ledger.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger.models import Credential, User, utc_now
from accord.web.password_policy import check_password

SESSION_COOKIE = "accord_session"
SESSION_LIFETIME = timedelta(hours=12)
TOKEN_LIFETIME = timedelta(days=90)
MAX_TOKEN_LIFETIME = timedelta(days=365)
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@\-]{0,79}$")
_NEGOTIATION_PATH = re.compile(r"^(?:/api)?/negotiations/(\d{1,10})(?:/|$)")

# scrypt cost: 2**14 iterations, 16 MiB of memory, about 50 ms per check (OWASP's minimum).
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$digest`` with base64 salt and digest."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return "$".join(
        ["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches the stored hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(computed, base64.b64decode(digest))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8", "surrogatepass"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=64 * 1024 * 1024,
        dklen=32,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def username_key(username: str) -> str:
    """The name as it is compared: in lower case (names are ASCII, see USERNAME_PATTERN)."""
    return username.lower()


def check_new_account(username: str, password: str) -> None:
    """Refuse a malformed user name or a weak password (no database needed)."""
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidInput(
            "username must be 1-80 letters, digits, '_', '.', '@' or '-', "
            "starting with a letter or digit"
        )
    check_password(password, username)


def create_user(
    session: Session,
    username: str,
    password: str,
    is_admin: bool = False,
    can_create_negotiations: bool = False,
    password_hash: str | None = None,
) -> User:
    """A new user; the name must be free (in any case) and the password strong enough.

    ``password_hash`` is the password already hashed outside the transaction (the web
    layer does so, so that the write lock is not held while hashing).
    """
    check_new_account(username, password)
    if get_user_by_name(session, username) is not None:
        raise Conflict(f"username '{username}' is taken")
    user = User(
        username=username,
        password_hash=password_hash or hash_password(password),
        is_admin=is_admin,
        can_create_negotiations=can_create_negotiations,
    )
    session.add(user)
    session.flush()
    return user


def get_user_by_name(session: Session, username: str) -> User | None:
    """The user of that name in any case; None for a name no account can have (which is
    never sent to the database: NUL or a lone surrogate would fail there)."""
    if not USERNAME_PATTERN.fullmatch(username):
        return None
    return session.scalar(select(User).where(User.username_key == username_key(username)))


def require_user(session: Session, username: str) -> User:
    user = get_user_by_name(session, username)
    if user is None:
        raise NotFound(f"no user '{username}'")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username_key)))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user if the password is right and the account enabled, else None (the same
    answer, after the same work, for an unknown name)."""
    user = get_user_by_name(session, username)
    if user is None:
        # Spend the same time as a real check so that timing does not reveal usernames.
        verify_password(password, DUMMY_HASH)
        return None
    if not verify_password(password, user.password_hash) or user.is_disabled:
        return None
    return user


def may_create_negotiations(user: User) -> bool:
    return user.is_admin or user.can_create_negotiations


def require_negotiation_creator(user: User) -> None:
    if not may_create_negotiations(user):
        raise Forbidden("creating negotiations needs permission: ask an administrator to grant it")


def issue_token(
    session: Session,
    user: User,
    kind: str = "api",
    label: str = "",
    lifetime: timedelta | None = None,
) -> tuple[Credential, str]:
    """A new credential and its secret (returned once, never stored in clear).

    Every credential expires: by default a session after SESSION_LIFETIME, a token after
    TOKEN_LIFETIME; no token lives longer than MAX_TOKEN_LIFETIME.
    """
    if kind not in ("api", "session"):
        raise InvalidInput(f"unknown credential kind '{kind}' (kinds: api, session)")
    if lifetime is None:
        lifetime = SESSION_LIFETIME if kind == "session" else TOKEN_LIFETIME
    if not timedelta(0) < lifetime <= MAX_TOKEN_LIFETIME:
        raise InvalidInput(f"a token lives at most {MAX_TOKEN_LIFETIME.days} days")
    if user.is_disabled:
        raise Forbidden(f"user '{user.username}' is disabled")
    secret = secrets.token_urlsafe(32)
    credential = Credential(
        user_id=user.id,
        kind=kind,
        token_hash=_digest(secret),
        label=label,
        expires_at=utc_now() + lifetime,
    )
    session.add(credential)
    session.flush()
    return credential, secret


def open_session(session: Session, user: User) -> tuple[Credential, str]:
    """A login session for ``user`` (the password was checked); expired ones are swept."""
    session.execute(
        delete(Credential).where(
            Credential.user_id == user.id,
            Credential.kind == "session",
            Credential.expires_at <= utc_now(),
        )
    )
    return issue_token(session, user, "session", "login", SESSION_LIFETIME)


_CREDENTIAL = (
    select(Credential)
    .where(Credential.token_hash == bindparam("token_hash"), Credential.kind == bindparam("kind"))
    .options(joinedload(Credential.user))
)
"""Every request's first query, built once: the credential and its user, in one go."""


def credential_for_secret(
    session: Session, secret: str, kind: str, now: datetime | None = None
) -> Credential | None:
    """The live credential of ``kind`` with this secret, of an enabled user, or None."""
    credential = session.scalar(_CREDENTIAL, {"token_hash": _digest(secret), "kind": kind})
    if credential is None or credential.user.is_disabled:
        return None
    if credential.expires_at is not None and credential.expires_at <= (now or utc_now()):
        return None
    return credential


def user_for_secret(
    session: Session, secret: str, kind: str, now: datetime | None = None
) -> User | None:
    """The user a live credential of ``kind`` belongs to, or None."""
    credential = credential_for_secret(session, secret, kind, now)
    return None if credential is None else credential.user


def identify(request: Request, session: Session) -> User | None:
    """The user of the request's bearer token or, failing that, of its session cookie.

    Also names the user, the credential and the request as the author of whatever the
    request writes through ``session`` (the audit log). A user who must choose a new
    password is refused anything else (:func:`require_own_password`).
    """
    credential = request_credential(request, session)
    user = None if credential is None else credential.user
    set_actor(session, request_actor(request, user, credential))
    require_own_password(request, user)
    return user


# What a user who must choose a new password may still reach: the pages and endpoints
# that change it, say who one is, or end the session ("/" sends on to the account page).
PASSWORD_CHANGE_PATHS = frozenset(
    {"/", "/account", "/account/password", "/logout", "/api/me", "/api/me/password"}
    | {"/api/auth/logout"}
)


SAME_PASSWORD = "new_password: expected a password of your own, not the one handed over to you"


class PasswordChangeRequired(Forbidden):
    """The account's password was handed over by someone else (an invitation, a reset):
    until its user chooses their own, nothing else is allowed."""


def require_own_password(request: Request, user: User | None) -> None:
    if user is None or not user.must_change_password:
        return
    if request.url.path in PASSWORD_CHANGE_PATHS:
        return
    raise PasswordChangeRequired(
        f"'{user.username}' must choose a new password first: the one handed over is for "
        "the first login only (the account page, /account, or PUT /api/me/password)"
    )


def request_credential(request: Request, session: Session) -> Credential | None:
    secret = bearer_secret(request)
    if secret is not None:
        return credential_for_secret(session, secret, "api")
    cookie = request.cookies.get(SESSION_COOKIE)
    return credential_for_secret(session, cookie, "session") if cookie else None


def request_actor(request: Request, user: User | None, credential: Credential | None) -> Actor:
    """The audit log's view of who sends ``request`` (its address, method and path)."""
    path = request.url.path
    named = _NEGOTIATION_PATH.match(path)
    return Actor(
        user_id=None if user is None else user.id,
        username="" if user is None else user.username,
        credential_id=None if credential is None else credential.id,
        credential_kind="" if credential is None else credential.kind,
        address="" if request.client is None else request.client.host,
        method=request.method,
        path=path[:2000],
        negotiation_id=int(named.group(1)) if named else None,
    )


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def live_credentials(session: Session, user: User) -> list[Credential]:
    """The user's unexpired tokens and login sessions, newest first."""
    return list(
        session.scalars(
            select(Credential)
            .where(Credential.user_id == user.id, Credential.expires_at > utc_now())
            .order_by(Credential.id.desc())
        )
    )


def revoke_credential(session: Session, user: User, credential_id: int) -> None:
    """Delete one of the user's own credentials; another user's looks like a missing one."""
    credential = session.get(Credential, credential_id)
    if credential is None or credential.user_id != user.id:
        raise NotFound(f"you have no token {credential_id}")
    session.delete(credential)
    session.flush()


def revoke_secret(session: Session, secret: str) -> bool:
    """Delete the credential with this secret (logout); False if there was none."""
    credential = session.scalar(select(Credential).where(Credential.token_hash == _digest(secret)))
    if credential is None:
        return False
    session.delete(credential)
    session.flush()
    return True


def revoke_all(session: Session, user: User, keep: int | None = None) -> None:
    """Delete every credential of ``user`` but ``keep`` (a password changed, a reset)."""
    query = delete(Credential).where(Credential.user_id == user.id)
    if keep is not None:
        query = query.where(Credential.id != keep)
    session.execute(query)


def set_password_hash(
    session: Session, user: User, password_hash: str, handed_over: bool = False
) -> None:
    """Set the password; ``handed_over``: someone else chose it and tells the user (a
    mediator's invitation or reset), so the user must choose their own at their next
    login. A password the user sets themselves clears that."""
    user.password_hash = password_hash
    user.must_change_password = handed_over
    session.flush()


def set_disabled(session: Session, user: User, disabled: bool, by: User) -> None:
    """Disable (every credential revoked) or enable an account; not one's own."""
    if user.id == by.id and disabled:
        raise InvalidInput("an administrator cannot disable their own account")
    if disabled and user.disabled_at is None:
        user.disabled_at = utc_now()
        revoke_all(session, user)
    elif not disabled:
        user.disabled_at = None
    session.flush()


def set_session_cookie(response: Response, secret: str, secure: bool = False) -> None:
    """HttpOnly, SameSite=Lax: scripts cannot read it, other sites cannot post with it."""
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
"""Checked against when a login names no account, so that it takes as long as a real one."""
