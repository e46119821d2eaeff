"""The words of a draft: the article text of each point a version covers.

A version's text for a point starts from the agenda's wording — the point's text common to
every option, then the chosen option's text — and its author may amend it. Versions written
before drafts carried words have no texts (``None``).
"""

from __future__ import annotations

from typing import Any

from accord.ledger.errors import InvalidInput
from accord.ledger.models import DraftVersion, Negotiation

MAX_POINT_TEXT = 20_000
"""Characters in one point's text: an article runs to a few paragraphs, not a book."""


def _issue(negotiation: Negotiation, issue_id: str) -> dict[str, Any]:
    for issue in negotiation.agenda["issues"]:
        if issue["id"] == issue_id:
            return dict(issue)
    raise InvalidInput(f"unknown point '{issue_id}'")


def point_name(negotiation: Negotiation, issue_id: str) -> str:
    """``'troops' (point 6)``: the id a form or file uses, and the number a reader knows."""
    number = _issue(negotiation, issue_id).get("number")
    return f"'{issue_id}'" if number is None else f"'{issue_id}' (point {number})"


def agenda_wording(negotiation: Negotiation, issue_id: str, option_id: str) -> str:
    """What the agenda says on the point when ``option_id`` is chosen.

    The point's text, then the option's; an agenda that words neither gives the option's
    label (its id without one), so that the article still says what was chosen.
    """
    issue = _issue(negotiation, issue_id)
    option = next((o for o in issue["options"] if o["id"] == option_id), None)
    if option is None:
        raise InvalidInput(f"point '{issue_id}' has no option {option_id!r}")
    parts = [str(issue.get("text") or "").strip(), str(option.get("text") or "").strip()]
    wording = " ".join(part for part in parts if part)
    return wording or str(option.get("label") or option_id)


def agenda_wordings(negotiation: Negotiation) -> dict[tuple[str, str], str]:
    """``(issue id, option id)`` → :func:`agenda_wording`, for every option of the agenda."""
    return {
        (issue["id"], option["id"]): agenda_wording(negotiation, issue["id"], option["id"])
        for issue in negotiation.agenda["issues"]
        for option in issue["options"]
    }


def normalised(text: str) -> str:
    """The text as stored: line ends as ``\\n`` (a browser sends ``\\r\\n``), no outer spaces."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def check_texts(
    negotiation: Negotiation, package: dict[str, str], texts: dict[str, Any] | None
) -> dict[str, str]:
    """Every point of the (checked) ``package`` with its text, in the package's order.

    A point given no text, or a blank one, gets the agenda's wording. A text for a point
    the package does not cover, a text that is not a string, or one over
    :data:`MAX_POINT_TEXT` characters is refused, naming the point.
    """
    given = texts or {}
    for issue, text in given.items():
        if issue not in package:
            raise InvalidInput(
                f"texts: point {issue!r} has a text but no option in this version "
                "(give it an option, or leave its text out)"
            )
        if not isinstance(text, str):
            raise InvalidInput(
                f"texts: the text of point {point_name(negotiation, issue)} must be a string, "
                f"got {type(text).__name__}"
            )
        if len(text) > MAX_POINT_TEXT:
            raise InvalidInput(
                f"texts: the text of point {point_name(negotiation, issue)} has {len(text):,} "
                f"characters; at most {MAX_POINT_TEXT:,}"
            )
    result = {}
    for issue, option in package.items():
        text = normalised(given.get(issue) or "")
        result[issue] = text or agenda_wording(negotiation, issue, option)
    return result


def text_of(version: DraftVersion, issue_id: str) -> str | None:
    """The version's text for the point (None: not covered, or written before words)."""
    if version.texts is None:
        return None
    text = version.texts.get(issue_id)
    return None if text is None else str(text)
