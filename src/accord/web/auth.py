"""Users, passwords and credentials: login sessions (a cookie) and API tokens (bearer).

Passwords are hashed with scrypt (RFC 7914, in the standard library) with a random salt;
tokens are 256-bit random strings of which only a SHA-256 digest is stored, so a copy of
the database gives away neither.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from accord.ledger.errors import Conflict, InvalidInput
from accord.ledger.models import Credential, User, utc_now

SESSION_COOKIE = "accord_session"
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 8
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@\-]{0,79}$")

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
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def create_user(session: Session, username: str, password: str, is_admin: bool = False) -> User:
    """A new user; the username must be free and the password long enough."""
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(
            "username must be 1-80 letters, digits, '_', '.', '@' or '-', "
            "starting with a letter or digit"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if get_user_by_name(session, username) is not None:
        raise Conflict(f"username '{username}' is taken")
    user = User(username=username, password_hash=hash_password(password), is_admin=is_admin)
    session.add(user)
    session.flush()
    return user


def get_user_by_name(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user if the password is right, else None (the same answer for an unknown name)."""
    user = get_user_by_name(session, username)
    if user is None:
        # Spend the same time as a real check so that timing does not reveal usernames.
        verify_password(password, _DUMMY_HASH)
        return None
    return user if verify_password(password, user.password_hash) else None


def issue_token(
    session: Session,
    user: User,
    kind: str = "api",
    label: str = "",
    lifetime: timedelta | None = None,
) -> tuple[Credential, str]:
    """A new credential and its secret (returned once, never stored in clear)."""
    if kind not in ("api", "session"):
        raise InvalidInput(f"unknown credential kind '{kind}' (kinds: api, session)")
    secret = secrets.token_urlsafe(32)
    credential = Credential(
        user_id=user.id,
        kind=kind,
        token_hash=_digest(secret),
        label=label,
        expires_at=None if lifetime is None else utc_now() + lifetime,
    )
    session.add(credential)
    session.flush()
    return credential, secret


def login(session: Session, username: str, password: str) -> tuple[User, str] | None:
    """Check the password and open a login session: the user and the cookie's secret."""
    found = get_user_by_name(session, username)
    user_id, stored = (None, _DUMMY_HASH) if found is None else (found.id, found.password_hash)
    # End the transaction before the deliberately slow hash check: on SQLite a write
    # transaction holds the database's write lock, and logins should not queue behind it.
    session.rollback()
    if not verify_password(password, stored) or user_id is None:
        return None
    user = session.get(User, user_id)
    if user is None:  # deleted meanwhile
        return None
    # Sweep this user's expired login sessions while we are here.
    session.execute(
        delete(Credential).where(
            Credential.user_id == user.id,
            Credential.kind == "session",
            Credential.expires_at <= utc_now(),
        )
    )
    _, secret = issue_token(session, user, "session", "login", SESSION_LIFETIME)
    return user, secret


def user_for_secret(
    session: Session, secret: str, kind: str, now: datetime | None = None
) -> User | None:
    """The user a live credential of ``kind`` belongs to, or None."""
    credential = session.scalar(
        select(Credential).where(Credential.token_hash == _digest(secret), Credential.kind == kind)
    )
    if credential is None:
        return None
    if credential.expires_at is not None and credential.expires_at <= (now or utc_now()):
        return None
    return credential.user


def revoke_secret(session: Session, secret: str) -> bool:
    """Delete the credential with this secret (logout); False if there was none."""
    credential = session.scalar(select(Credential).where(Credential.token_hash == _digest(secret)))
    if credential is None:
        return False
    session.delete(credential)
    session.flush()
    return True


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
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
