"""The draft hash chain: each version's hash covers its content and the previous hash.

Changing, inserting or deleting a version in the middle of a draft's history changes a hash
that a later version (or the stored hash itself) no longer matches; :func:`verify_chain`
recomputes every hash from the rows and reports the first place each draft breaks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.ledger.models import Draft, DraftVersion

GENESIS = "0" * 64
"""The ``previous_hash`` of every draft's first version."""


def version_hash(draft: Draft, version: DraftVersion, previous_hash: str) -> str:
    """SHA-256 over the canonical JSON of the version (its points' texts included, where it
    has them), its draft's header and ``previous_hash``."""
    content: dict[str, Any] = {
        "negotiation": draft.negotiation_id,
        "draft": draft.id,
        "title": draft.title,
        "party": draft.party_id,
        "responds_to": draft.responds_to_id,
        "number": version.number,
        "package": version.package,
        "note": version.note,
        "created_at": version.created_at.isoformat(timespec="microseconds"),
        "created_by": version.created_by,
        "previous": previous_hash,
    }
    if version.texts is not None:
        # Only versions with words hash them: a version written before drafts carried
        # texts (``texts`` NULL) keeps the hash it was given.
        content["texts"] = version.texts
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """Where a draft's chain stops verifying, and why."""

    draft_id: int
    version_number: int
    reason: str


@dataclass(frozen=True)
class ChainHead:
    """A draft's newest version and its hash.

    A chain kept in the database cannot by itself reveal that its newest versions were cut
    off; a party that kept the hash of a version it received can, by finding it here or
    behind a later head.
    """

    draft_id: int
    version_number: int
    hash: str


@dataclass(frozen=True)
class ChainReport:
    drafts_checked: int
    versions_checked: int
    breaks: tuple[ChainBreak, ...]
    heads: tuple[ChainHead, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify_draft(draft: Draft, versions: list[DraftVersion]) -> ChainBreak | None:
    """The first break in one draft's chain, or None if every version verifies."""
    previous = GENESIS
    for expected_number, version in enumerate(versions, start=1):
        if version.number != expected_number:
            return ChainBreak(draft.id, version.number, f"version {expected_number} is missing")
        if version.previous_hash != previous:
            return ChainBreak(
                draft.id, version.number, "previous hash does not match the version before"
            )
        if version_hash(draft, version, previous) != version.hash:
            return ChainBreak(draft.id, version.number, "content does not match its hash (altered)")
        previous = version.hash
    return None


def verify_chain(session: Session, negotiation_id: int | None = None) -> ChainReport:
    """Verify every draft (of one negotiation, or of the whole ledger)."""
    drafts_query = select(Draft).order_by(Draft.id)
    if negotiation_id is not None:
        drafts_query = drafts_query.where(Draft.negotiation_id == negotiation_id)
    drafts = list(session.scalars(drafts_query))
    breaks: list[ChainBreak] = []
    heads: list[ChainHead] = []
    versions_checked = 0
    for draft in drafts:
        versions = list(
            session.scalars(
                select(DraftVersion)
                .where(DraftVersion.draft_id == draft.id)
                .order_by(DraftVersion.number)
            )
        )
        versions_checked += len(versions)
        found = verify_draft(draft, versions)
        if found is not None:
            breaks.append(found)
        if versions:
            heads.append(ChainHead(draft.id, versions[-1].number, versions[-1].hash))
    return ChainReport(len(drafts), versions_checked, tuple(breaks), tuple(heads))
