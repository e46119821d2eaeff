"""The record of a real negotiation: meetings, drafts, distribution, stances, parties.

Persistence with SQLAlchemy 2 (SQLite by default, PostgreSQL by URL) and Alembic
migrations shipped in the package. Service functions take a session and never commit; one
action is one transaction (:meth:`Database.transaction`). The core never imports this.
"""

from accord.ledger.chain import ChainBreak, ChainHead, ChainReport, verify_chain
from accord.ledger.database import Database, resolve_url
from accord.ledger.errors import Conflict, Forbidden, InvalidInput, LedgerError, NotFound

__all__ = [
    "ChainBreak",
    "ChainHead",
    "ChainReport",
    "Conflict",
    "Database",
    "Forbidden",
    "InvalidInput",
    "LedgerError",
    "NotFound",
    "resolve_url",
    "verify_chain",
]
