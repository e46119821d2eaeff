"""Errors of the ledger: each says which record or field was wrong and what was expected.

The web layer maps them to HTTP statuses (404, 409, 422, 403); the messages name only ids
and public fields, never a party's preferences, so they are safe to show to any caller.
"""

from __future__ import annotations

from accord.errors import AccordError


class LedgerError(AccordError):
    """Base class of every error the ledger raises on purpose."""


class NotFound(LedgerError):
    """A record that does not exist (or that the caller may not know exists)."""


class Conflict(LedgerError):
    """An action that contradicts the record (a duplicate meeting number, a left party)."""


class InvalidInput(LedgerError):
    """Input that names an unknown issue, option, block or party, or breaks a rule."""


class Forbidden(LedgerError):
    """An action the caller's role in the negotiation does not allow."""
