"""Request and response bodies of the JSON API (they make the OpenAPI spec).

Requests forbid unknown fields, so a misspelt field is a 422 naming it rather than being
silently ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.scenario.model import Role

Text = Annotated[str, Field(max_length=10_000)]
ShortText = Annotated[str, Field(max_length=200)]
Key = Annotated[str, Field(min_length=1, max_length=80)]
MemberRole = Literal["mediator", "delegate", "observer"]
StanceKind = Literal["accepts", "rejects", "conditional", "unknown"]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(Request):
    username: ShortText
    password: Annotated[str, Field(max_length=1000)]


class TokenRequest(Request):
    label: ShortText = ""


class UserCreate(Request):
    username: ShortText
    password: Annotated[str, Field(max_length=1000)]
    is_admin: bool = False


class NegotiationCreate(Request):
    scenario: dict[str, Any] = Field(description="A scenario in its JSON form (as in examples/).")


class MemberCreate(Request):
    username: ShortText
    role: MemberRole
    party: Key | None = Field(default=None, description="The party a delegate represents.")


class PartyCreate(Request):
    key: Key
    name: ShortText = ""
    role: Role = "negotiator"
    required: bool | None = None
    preferences: dict[str, Any] | None = None
    note: Text = ""


class PartyChange(Request):
    role: Role
    required: bool | None = None
    note: Text = ""


class PartyLeave(Request):
    note: Text = ""


class AgreementChangeIn(Request):
    agreement: dict[str, Any] = Field(description="An agreement rule, as in a scenario file.")
    note: Text = ""


class MeetingCreate(Request):
    number: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    held_at: datetime = Field(description="With a time zone, e.g. 2025-11-30T10:00:00Z.")
    duration_minutes: Annotated[int, Field(ge=0, le=100_000)]
    place: ShortText = ""
    attendees: Annotated[list[Key], Field(max_length=200)] = []
    blocks: Annotated[list[Key], Field(max_length=200)] = []
    notes: Text = ""


class VersionRef(Request):
    draft: Annotated[int, Field(ge=1, le=2**31 - 1)]
    version: Annotated[int, Field(ge=1, le=2**31 - 1)]


Package = Annotated[dict[Key, Key], Field(min_length=1, max_length=1000)]
# The ledger bounds each text (accord.ledger.draft_texts.MAX_POINT_TEXT) and names the point.
Texts = Annotated[dict[Key, str], Field(max_length=1000)]
TEXTS_HELP = "Issue id -> the article's text; a point without one gets the agenda's wording."


class DraftCreate(Request):
    title: ShortText
    package: Package
    note: Text = ""
    party: Key | None = Field(default=None, description="Set for a party's counter-draft.")
    responds_to: VersionRef | None = Field(
        default=None, description="The mediator's version a counter-draft answers."
    )
    texts: Texts | None = Field(default=None, description=TEXTS_HELP)


class VersionCreate(Request):
    package: Package
    note: Text = ""
    expected_previous_hash: Annotated[str, Field(max_length=64)] | None = Field(
        default=None, description="Refuse (409) if the draft's last version has another hash."
    )
    texts: Texts | None = Field(default=None, description=TEXTS_HELP)


class DistributionCreate(Request):
    parties: Annotated[list[Key], Field(min_length=1, max_length=200)]


class StanceCreate(Request):
    party: Key
    issue: Key
    stance: StanceKind
    condition: Text = ""
    responds_to: VersionRef | None = None


class UserOut(BaseModel):
    id: int
    username: str
    is_admin: bool


class TokenOut(BaseModel):
    id: int
    label: str
    token: str = Field(description="Shown once: send it as 'Authorization: Bearer <token>'.")


class PartyOut(BaseModel):
    key: str
    name: str
    role: str
    required: bool | None
    active: bool


class PartyEventOut(BaseModel):
    party: str
    kind: str
    role: str
    required: bool | None
    note: str
    at: datetime


class AgreementChangeOut(BaseModel):
    agreement: dict[str, Any]
    note: str
    at: datetime


class MemberOut(BaseModel):
    username: str
    role: str
    party: str | None


class NegotiationSummary(BaseModel):
    id: int
    title: str
    scenario: str
    role: str
    party: str | None


class NegotiationOut(BaseModel):
    id: int
    title: str
    description: str
    scenario: str
    blocks: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    agreement: dict[str, Any]
    parties: list[PartyOut]
    role: str
    party: str | None


class PreferencesOut(BaseModel):
    party: str
    preferences: dict[str, Any] | None


class MeetingOut(BaseModel):
    number: int
    held_at: datetime
    place: str
    duration_minutes: int
    attendees: list[str]
    blocks: list[str]
    notes: str


class VersionOut(BaseModel):
    draft: int
    number: int
    package: dict[str, str]
    texts: dict[str, str] | None = Field(
        description="Issue id -> the article's text; null for a version written before words."
    )
    note: str
    created_at: datetime
    hash: str
    previous_hash: str


class DraftOut(BaseModel):
    id: int
    title: str
    party: str | None
    responds_to: dict[str, int] | None
    versions: list[VersionOut]


class PointOut(BaseModel):
    issue: str
    before: str | None
    after: str | None
    changed: bool
    before_text: str | None = None
    after_text: str | None = None
    text_changed: bool = False


class DiffOut(BaseModel):
    draft: int
    before: int
    after: int
    points: list[PointOut]


class ComparisonOut(BaseModel):
    draft: int
    version: int
    party: str
    responds_to: dict[str, int]
    points: list[PointOut] = Field(
        description="before: the mediator's option; after: the party's (amended or kept)."
    )


class DistributionOut(BaseModel):
    draft: int
    version: int
    party: str
    sent_at: datetime
    hash: str = Field(description="The version's chain hash: the receipt a party can keep.")


class StanceOut(BaseModel):
    party: str
    issue: str
    stance: str
    condition: str
    responds_to: dict[str, int] | None
    recorded_at: datetime


class ChainBreakOut(BaseModel):
    draft: int
    version: int
    reason: str


class ChainHeadOut(BaseModel):
    draft: int
    version: int
    hash: str


class ChainOut(BaseModel):
    ok: bool
    drafts_checked: int
    versions_checked: int
    breaks: list[ChainBreakOut]
    heads: list[ChainHeadOut] = Field(
        description="Each draft's newest version and hash: compare with the hashes you hold."
    )
