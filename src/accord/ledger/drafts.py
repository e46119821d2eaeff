"""Drafts: the mediator's single text and parties' counter-drafts, versioned and hash-chained.

A version's package maps points (issue ids) to options; it may cover the whole plan or a
part of it. Its texts give each point's article as the version words it (see
:mod:`accord.ledger.draft_texts`). A counter-draft answers one version of the mediator's
text and lists the points the party amends (their option, their words or both); the points
it does not list stand as the mediator wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.ledger.chain import GENESIS, version_hash
from accord.ledger.draft_texts import agenda_wording, check_texts, text_of
from accord.ledger.errors import Conflict, InvalidInput, NotFound
from accord.ledger.models import (
    Distribution,
    Draft,
    DraftVersion,
    Negotiation,
    Party,
    User,
    utc_now,
)
from accord.ledger.negotiations import issue_ids, options_of
from accord.ledger.word_diff import WordRun, word_diff


def check_package(negotiation: Negotiation, package: dict[str, Any]) -> dict[str, str]:
    """The package in agenda order, or an error naming the first unknown point or option."""
    if not package:
        raise InvalidInput("a draft version needs at least one point (issue id -> option id)")
    for issue, option in package.items():
        options = options_of(negotiation, issue)
        if not isinstance(option, str) or option not in options:
            raise InvalidInput(
                f"point '{issue}' has no option {option!r} (options: {', '.join(options)})"
            )
    return {issue: package[issue] for issue in issue_ids(negotiation) if issue in package}


def create_draft(
    session: Session,
    negotiation: Negotiation,
    title: str,
    package: dict[str, Any],
    note: str = "",
    party: Party | None = None,
    responds_to: DraftVersion | None = None,
    user: User | None = None,
    texts: dict[str, Any] | None = None,
) -> Draft:
    """A new draft with its first version; with ``party``, a counter-draft to ``responds_to``.

    ``texts`` words the points (issue id → article text); a point without one gets the
    agenda's wording of its option.
    """
    if not title.strip():
        raise InvalidInput("a draft needs a title")
    if party is not None:
        if responds_to is None:
            raise InvalidInput("a counter-draft must name the mediator's version it answers")
        if responds_to.draft.party_id is not None:
            raise InvalidInput("a counter-draft answers a version of the mediator's text")
        if not party.active:
            raise InvalidInput(f"party '{party.key}' has left the negotiation")
        if not was_sent(session, responds_to, party):
            # Else the counter-draft's comparison would show the party a text it never had.
            raise InvalidInput(
                f"party '{party.key}' has not received version {responds_to.number} of draft "
                f"{responds_to.draft_id}: a counter-draft answers a version sent to its party"
            )
    elif responds_to is not None:
        raise InvalidInput("only a counter-draft (with a party) answers another version")
    if responds_to is not None and responds_to.draft.negotiation_id != negotiation.id:
        raise InvalidInput(f"draft version {responds_to.id} belongs to another negotiation")
    checked = check_package(negotiation, package)
    worded = check_texts(negotiation, checked, texts)
    draft = Draft(
        negotiation_id=negotiation.id,
        title=title,
        party_id=None if party is None else party.id,
        responds_to_id=None if responds_to is None else responds_to.id,
        created_by=None if user is None else user.id,
    )
    session.add(draft)
    session.flush()
    _append(session, draft, checked, worded, note, user, None, _agenda_number(session, draft))
    return draft


def add_version(
    session: Session,
    draft: Draft,
    package: dict[str, Any],
    note: str = "",
    user: User | None = None,
    expected_previous_hash: str | None = None,
    texts: dict[str, Any] | None = None,
) -> DraftVersion:
    """The next version of ``draft``, chained to the current last one (``texts`` as in
    :func:`create_draft`).

    With ``expected_previous_hash``, refuse (:class:`Conflict`) unless the last version
    still has that hash: an edit made against an older head is not applied.
    """
    negotiation = _negotiation(session, draft)
    checked = check_package(negotiation, package)
    worded = check_texts(negotiation, checked, texts)
    agenda_number = _agenda_number(session, draft)
    # Lock the draft row (PostgreSQL; SQLite's write transaction already excludes other
    # writers) before reading the head: two writers can then neither take number n + 1
    # both, nor both pass the check of the head they expect. Under READ COMMITTED the
    # read below sees the version the previous lock holder committed. The checks above
    # read no head, so they are done before: the other writers of the draft wait for what
    # follows only (at 40 writes a second to one draft on PostgreSQL, the queue for the
    # lock was most of a write's time).
    session.execute(select(Draft.id).where(Draft.id == draft.id).with_for_update())
    previous = last_version(session, draft)
    if previous is not None:
        require_unchanged(previous, expected_previous_hash)
    return _append(session, draft, checked, worded, note, user, previous, agenda_number)


def _append(
    session: Session,
    draft: Draft,
    package: dict[str, str],
    texts: dict[str, str],
    note: str,
    user: User | None,
    previous: DraftVersion | None,
    agenda_number: int | None,
) -> DraftVersion:
    previous_hash = GENESIS if previous is None else previous.hash
    version = DraftVersion(
        draft_id=draft.id,
        number=1 if previous is None else previous.number + 1,
        package=package,
        texts=texts,
        note=note,
        created_at=utc_now(),
        created_by=None if user is None else user.id,
        previous_hash=previous_hash,
        hash="",
        agenda_version=agenda_number,
    )
    version.hash = version_hash(draft, version, previous_hash)
    session.add(version)
    session.flush()
    return version


def _agenda_number(session: Session, draft: Draft) -> int | None:
    """The number of the agenda version a version written now is written under."""
    from accord.ledger.agenda import current_agenda_number  # agenda imports this module's peers

    return current_agenda_number(session, draft.negotiation_id)


def _negotiation(session: Session, draft: Draft) -> Negotiation:
    negotiation = session.get(Negotiation, draft.negotiation_id)
    assert negotiation is not None  # a foreign key guarantees it
    return negotiation


def get_draft(session: Session, negotiation: Negotiation, draft_id: int) -> Draft:
    draft = session.get(Draft, draft_id)
    if draft is None or draft.negotiation_id != negotiation.id:
        raise NotFound(f"negotiation {negotiation.id} has no draft {draft_id}")
    return draft


def list_drafts(session: Session, negotiation: Negotiation) -> list[Draft]:
    return list(
        session.scalars(
            select(Draft).where(Draft.negotiation_id == negotiation.id).order_by(Draft.id)
        )
    )


def get_version(draft: Draft, number: int) -> DraftVersion:
    for version in draft.versions:
        if version.number == number:
            return version
    raise NotFound(f"draft {draft.id} has no version {number} (it has {len(draft.versions)})")


def get_version_by_id(session: Session, negotiation: Negotiation, version_id: int) -> DraftVersion:
    version = session.get(DraftVersion, version_id)
    if version is None or version.draft.negotiation_id != negotiation.id:
        raise NotFound(f"negotiation {negotiation.id} has no draft version {version_id}")
    return version


@dataclass(frozen=True)
class PointChange:
    """One point of a comparison: the option and the text on each side.

    An option is None where that side does not cover the point; a text is None there too,
    and for a version written before drafts had words.
    """

    issue: str
    before: str | None
    after: str | None
    before_text: str | None = None
    after_text: str | None = None

    @property
    def option_changed(self) -> bool:
        return self.before != self.after

    @property
    def text_changed(self) -> bool:
        """Whether both sides word the point, differently."""
        return (
            self.before_text is not None
            and self.after_text is not None
            and self.before_text != self.after_text
        )

    @property
    def changed(self) -> bool:
        return self.option_changed or self.text_changed

    @property
    def words(self) -> list[WordRun]:
        """The text word by word: kept, removed and added runs (see :func:`word_diff`)."""
        return word_diff(self.before_text or "", self.after_text or "")


def diff(
    negotiation: Negotiation,
    before: dict[str, str],
    after: dict[str, str],
    before_texts: dict[str, Any] | None = None,
    after_texts: dict[str, Any] | None = None,
) -> list[PointChange]:
    """Every point covered by either package, in agenda order, with both options and, where
    given, both texts (``None`` texts: a version written before drafts had words)."""
    return [
        PointChange(
            issue,
            before.get(issue),
            after.get(issue),
            None if before_texts is None else before_texts.get(issue),
            None if after_texts is None else after_texts.get(issue),
        )
        for issue in issue_ids(negotiation)
        if issue in before or issue in after
    ]


def version_diff(
    negotiation: Negotiation, before: DraftVersion, after: DraftVersion
) -> list[PointChange]:
    """:func:`diff` of two versions, options and words."""
    return diff(negotiation, before.package, after.package, before.texts, after.texts)


def counter_comparison(negotiation: Negotiation, counter: DraftVersion) -> list[PointChange]:
    """The counter-draft beside the mediator's text it answers, point by point.

    ``before`` is the mediator's option and text, ``after`` the party's: an amended point
    where the party named another option or other words, the mediator's where it did not
    touch the point.
    """
    base = counter.draft.responds_to
    if base is None:
        raise InvalidInput(f"draft {counter.draft_id} is not a counter-draft")
    after_texts = None
    if counter.texts is not None:
        after_texts = (base.texts or {}) | counter.texts
    return diff(negotiation, base.package, base.package | counter.package, base.texts, after_texts)


def amendments(
    negotiation: Negotiation,
    base: DraftVersion,
    package: dict[str, str],
    texts: dict[str, str] | None,
) -> tuple[dict[str, str], dict[str, str]]:
    """The points of a counter-draft written from the whole of ``base`` that amend it.

    A delegate who starts from the version received submits every point; only those whose
    option or words differ from ``base`` are the party's amendments (a blank text is the
    agenda's wording, as in :func:`create_draft`). Refused if nothing differs.
    """
    checked = check_package(negotiation, package)
    worded = check_texts(negotiation, checked, texts)
    amended = {}
    for issue, option in checked.items():
        base_option = base.package.get(issue)
        base_text = text_of(base, issue)
        if base_text is None and base_option is not None:
            base_text = agenda_wording(negotiation, issue, str(base_option))
        if option != base_option or worded[issue] != base_text:
            amended[issue] = option
    if not amended:
        raise InvalidInput(
            f"the counter-draft amends nothing: every point stands as in version "
            f"{base.number} of draft {base.draft_id} (change an option or its words)"
        )
    return amended, {issue: worded[issue] for issue in amended}


def distribute(
    session: Session, version: DraftVersion, parties: list[Party], user: User | None = None
) -> list[Distribution]:
    """Record that each party received ``version`` now."""
    if version.draft.party_id is not None:
        raise InvalidInput("only versions of the mediator's text are distributed")
    if not parties:
        raise InvalidInput("name at least one party to distribute the version to")
    rows = []
    for party in dict.fromkeys(parties):
        if not party.active:
            raise InvalidInput(f"party '{party.key}' has left the negotiation")
        already = session.scalar(
            select(Distribution).where(
                Distribution.version_id == version.id, Distribution.party_id == party.id
            )
        )
        if already is not None:
            raise Conflict(
                f"party '{party.key}' already received version {version.number} "
                f"of draft {version.draft_id}"
            )
        row = Distribution(
            version_id=version.id, party_id=party.id, recorded_by=None if user is None else user.id
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def distributions(
    session: Session, negotiation: Negotiation, party: Party | None = None
) -> list[Distribution]:
    """Who received which version when (to ``party`` only, if given), oldest first."""
    query = (
        select(Distribution)
        .join(DraftVersion, Distribution.version_id == DraftVersion.id)
        .join(Draft, DraftVersion.draft_id == Draft.id)
        .where(Draft.negotiation_id == negotiation.id)
    )
    if party is not None:
        query = query.where(Distribution.party_id == party.id)
    return list(session.scalars(query.order_by(Distribution.id)))


def last_version(session: Session, draft: Draft) -> DraftVersion | None:
    """The newest version of ``draft`` (one row read, however many versions it has)."""
    return session.scalar(
        select(DraftVersion)
        .where(DraftVersion.draft_id == draft.id)
        .order_by(DraftVersion.number.desc())
        .limit(1)
    )


def has_received(session: Session, party: Party, draft: Draft) -> bool:
    """Whether ``party`` has received any version of ``draft``."""
    found = session.scalar(
        select(Distribution.id)
        .join(DraftVersion, Distribution.version_id == DraftVersion.id)
        .where(Distribution.party_id == party.id, DraftVersion.draft_id == draft.id)
        .limit(1)
    )
    return found is not None


def was_sent(session: Session, version: DraftVersion, party: Party) -> bool:
    """Whether ``party`` has received ``version``."""
    found = session.scalar(
        select(Distribution.id)
        .where(Distribution.version_id == version.id, Distribution.party_id == party.id)
        .limit(1)
    )
    return found is not None


def received_version_ids(session: Session, party: Party) -> set[int]:
    """Ids of the mediator's versions this party has received."""
    return set(
        session.scalars(select(Distribution.version_id).where(Distribution.party_id == party.id))
    )


def latest_received_version(session: Session, party: Party) -> DraftVersion | None:
    """The newest version of the mediator's text that ``party`` has received."""
    newest = session.scalar(  # the id first, as in latest_mediator_version
        select(DraftVersion.id)
        .join(Distribution, Distribution.version_id == DraftVersion.id)
        .where(Distribution.party_id == party.id)
        .order_by(DraftVersion.created_at.desc(), DraftVersion.id.desc())
        .limit(1)
    )
    return None if newest is None else session.get(DraftVersion, newest)


def readable_among(session: Session, version_ids: set[int], party: Party) -> set[int]:
    """Those of ``version_ids`` that ``party``'s delegates may read: versions sent to it
    and versions of its own counter-drafts (two queries, however many ids)."""
    if not version_ids:
        return set()
    own = (
        select(DraftVersion.id)
        .join(Draft, DraftVersion.draft_id == Draft.id)
        .where(DraftVersion.id.in_(version_ids), Draft.party_id == party.id)
    )
    sent = select(Distribution.version_id).where(
        Distribution.version_id.in_(version_ids), Distribution.party_id == party.id
    )
    return set(session.scalars(own)) | set(session.scalars(sent))


def latest_mediator_version(session: Session, negotiation: Negotiation) -> DraftVersion | None:
    """The newest version of the mediator's text (any draft): the current single text."""
    # The id first: sorting ids and times only, not every version's package and words.
    newest = session.scalar(
        select(DraftVersion.id)
        .join(Draft, DraftVersion.draft_id == Draft.id)
        .where(Draft.negotiation_id == negotiation.id, Draft.party_id.is_(None))
        .order_by(DraftVersion.created_at.desc(), DraftVersion.id.desc())
        .limit(1)
    )
    return None if newest is None else session.get(DraftVersion, newest)


def require_unchanged(version: DraftVersion, expected_hash: str | None) -> None:
    """Refuse an edit made against an older head (optimistic concurrency), if asked to."""
    if expected_hash is not None and version.hash != expected_hash:
        raise Conflict(
            f"draft {version.draft_id} has moved on: its last version is now {version.number}"
        )
