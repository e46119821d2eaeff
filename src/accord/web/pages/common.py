"""What every page shares: login redirects, the viewer's role, errors as HTML pages.

Pages call the same ledger service functions and the same access rules
(:class:`accord.web.deps.NegotiationAccess`) as the JSON API, so a page can show or do
nothing the API would refuse.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.ledger.errors import Conflict, Forbidden, InvalidInput, LedgerError, NotFound
from accord.ledger.models import Negotiation, Party, User
from accord.web.auth import PasswordChangeRequired
from accord.web.charts import Agenda
from accord.web.deps import NegotiationAccess, current_user_or_none, negotiation_access
from accord.web.pages.render import render

Params = ParamSpec("Params")


class LoginRequired(Exception):
    """The page needs a logged-in user; the user is sent to the login page and back."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def html_page(handler: Callable[Params, Response]) -> Callable[Params, Response]:
    """Turn the errors a page can meet into a redirect to the login page or an error page.

    The messages of ledger errors name only ids and public fields (see
    :mod:`accord.ledger.errors`), so they are safe to show to anyone.
    """

    @functools.wraps(handler)
    def wrapper(*args: Params.args, **kwargs: Params.kwargs) -> Response:
        try:
            return handler(*args, **kwargs)
        except LoginRequired as needed:
            return RedirectResponse(f"/login?next={quote(needed.path)}", status_code=303)
        except PasswordChangeRequired:
            return RedirectResponse("/account#password", status_code=303)
        except AccordError as error:
            return error_page(error)
        finally:
            # Give the connection back now, in this worker thread: the session dependency's
            # own cleanup waits for a free thread, and under load every thread may be
            # waiting for a connection (the pages render eagerly, so nothing is read later).
            session = kwargs.get("session")
            if isinstance(session, Session):
                session.close()

    return wrapper


_STATUS: tuple[tuple[type[LedgerError], int], ...] = (
    (NotFound, 404),
    (Forbidden, 403),
    (Conflict, 409),
    (InvalidInput, 422),
)


def error_page(error: AccordError) -> Response:
    status = next((code for kind, code in _STATUS if isinstance(error, kind)), 400)
    titles = {404: "Not found", 403: "Not allowed", 409: "Conflict", 422: "Invalid input"}
    return render(
        "error.html", status_code=status, title=titles.get(status, "Error"), message=str(error)
    )


def require_login(request: Request, session: Session) -> User:
    user = current_user_or_none(request, session)
    if user is None:
        raise LoginRequired(request.url.path)
    return user


@dataclass(frozen=True)
class Viewer:
    """The viewer's standing in one negotiation, as the templates need it."""

    access: NegotiationAccess

    @property
    def is_mediator(self) -> bool:
        return self.access.is_mediator

    @property
    def party(self) -> Party | None:
        return self.access.party

    @property
    def role_text(self) -> str:
        if self.access.role == "delegate" and self.access.party is not None:
            return f"delegate of {self.access.party.display_name}"
        return self.access.role

    def writable_parties(self) -> list[Party]:
        """Active parties whose stances and counter-drafts this viewer may record."""
        return [party for party in self.access.private_parties() if party.active]


def viewer_for(request: Request, session: Session, negotiation_id: int) -> tuple[User, Viewer]:
    """The logged-in user and their role in the negotiation (403/404 as the API answers)."""
    user = require_login(request, session)
    return user, Viewer(negotiation_access(negotiation_id, user, session))


def public_agenda(negotiation: Negotiation) -> Agenda:
    """The negotiation's blocks and points: public, and free of any party's preferences."""
    return Agenda.from_data(negotiation.agenda)


def option_labels(negotiation: Negotiation) -> dict[tuple[str, str], str]:
    """``(issue id, option id)`` → the option's label (its id when it has none)."""
    return {
        (issue["id"], option["id"]): option.get("label") or option["id"]
        for issue in negotiation.agenda["issues"]
        for option in issue["options"]
    }


def issue_titles(negotiation: Negotiation) -> dict[str, str]:
    """Issue id → its title (its id when it has none)."""
    return {
        issue["id"]: issue.get("title") or issue["id"] for issue in negotiation.agenda["issues"]
    }


def see_other(url: str) -> RedirectResponse:
    """After a successful form post: back to a page (post/redirect/get)."""
    return RedirectResponse(url, status_code=303)
