"""Request and response bodies of the account endpoints: tokens, passwords, users, audit."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from accord.web.api.schemas import Request

Password = Annotated[str, Field(max_length=1000)]


class AccountOut(BaseModel):
    id: int
    username: str
    is_admin: bool
    can_create_negotiations: bool = Field(description="Administrators always may.")
    disabled: bool
    must_change_password: bool = Field(
        default=False,
        description="The password was handed over (an invitation, a reset): until it is "
        "changed (PUT /api/me/password) every other request is refused (403).",
    )


class TokenCreate(Request):
    label: Annotated[str, Field(max_length=200)] = ""
    expires_in_days: Annotated[int, Field(ge=1, le=365)] = 90


class TokenCreated(BaseModel):
    id: int
    label: str
    token: str = Field(description="Shown once: send it as 'Authorization: Bearer <token>'.")
    expires_at: datetime


class CredentialOut(BaseModel):
    id: int
    kind: str = Field(description="'api' (a bearer token) or 'session' (a browser's login).")
    label: str
    created_at: datetime
    expires_at: datetime | None
    current: bool = Field(description="The credential this request was sent with.")


class PasswordChange(Request):
    current_password: Password
    new_password: Password


class PasswordReset(Request):
    password: Password


class AccountChange(Request):
    disabled: bool | None = None
    can_create_negotiations: bool | None = None
    is_admin: bool | None = None


class AuditEventOut(BaseModel):
    number: int
    at: datetime
    username: str = Field(description="Empty for writes made outside the web (the CLI).")
    credential: str = Field(description="'session 12' or 'api 7': which credential wrote.")
    address: str
    method: str
    path: str
    changes: list[str] = Field(description="Rows added, changed (which columns) or deleted.")
    previous_hash: str
    hash: str


class AuditVerifyOut(BaseModel):
    chain: int = Field(description="The negotiation's id; 0 for accounts and the rest.")
    ok: bool
    events_checked: int
    broken_at: int | None
    reason: str
    head_hash: str
