"""A party's confidential preferences as a form, with a live preview of what they mean.

The form (:mod:`accord.web.pages.preferences_form`) is checked by the scenario validator
against the agenda alone and saved through the ledger
(:func:`accord.ledger.negotiations.set_preferences`). The preview
(:mod:`accord.web.preferences_preview`: the best package, the current draft accepted or
not and why, the worst acceptable package) is an optimisation once there are interaction
terms or red lines, so it runs in a child process with a time limit
(:mod:`accord.web.analysis_cache`); a request waits for it a little, holding no thread,
and otherwise says it is still computing (the page's script asks again) or too large.
It sees this party's preferences and the current draft this party has received, nothing
else. The preview routes write nothing, so they pass the SQLite write gate
(:data:`PREVIEW_PATHS`).

Only the party's delegates and the mediator may open any of these routes; anyone else
gets the answer a page that does not exist gets.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

import yaml
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response
from markupsafe import Markup, escape
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from accord.errors import AccordError, ScenarioError
from accord.ledger import negotiations as ledger
from accord.ledger.drafts import latest_received_version
from accord.ledger.errors import Forbidden, InvalidInput, NotFound
from accord.ledger.models import Party, User
from accord.scenario.model import Issue, Preferences
from accord.scenario.positions import parse_text
from accord.web.analysis_cache import AnalysisState, Computing, Failed, Ready, runner
from accord.web.deps import DbSession
from accord.web.pages.common import (
    LoginRequired,
    Viewer,
    error_page,
    html_page,
    issue_titles,
    option_labels,
    see_other,
    viewer_for,
)
from accord.web.pages.elicitation import STATE_LIMIT, agenda_issues, covered, state_from_form
from accord.web.pages.preferences_form import (
    Checked,
    Kind,
    PreferencesForm,
    budget_problem,
    check,
    ensure_blank_rows,
    form_from_fields,
    form_of,
    form_too_large,
    preferences_data,
    slider_top,
)
from accord.web.pages.render import environment, render
from accord.web.preferences_preview import preview_task

router = APIRouter(include_in_schema=False)
PATH = "/negotiations/{negotiation_id}/parties/{party_key}/preferences"
PREVIEW_PATHS = re.compile(r"^/negotiations/[^/]+/parties/[^/]+/preferences/preview(?:/live)?$")
"""The routes that only compute a preview: they write nothing and may wait for it."""
PAGE_WAIT = 2.0  # seconds the page and the live preview wait before saying "computing"
SUBMIT_WAIT = 10.0  # the no-script Preview button: one answer per press
MAX_TEXT = 200_000  # characters of preferences written as JSON or YAML
ADD_ROW: dict[str, Kind] = {"add-interaction": "interaction", "add-red_line": "red_line"}


async def posted_fields(request: Request) -> list[tuple[str, str]]:
    """The posted form's text fields in order (a file field is refused)."""
    fields = []
    for name, value in (await request.form()).multi_items():
        if not isinstance(value, str):
            raise InvalidInput(f"{name}: expected text, got a file")
        fields.append((name, value))
    return fields


Fields = Annotated[list[tuple[str, str]], Depends(posted_fields)]


def preferences_party(session: Session, viewer: Viewer, party_key: str) -> Party:
    """The party, if the viewer may read and write its preferences; else "no such page"."""
    try:
        return viewer.access.require_party(session, party_key)
    except (Forbidden, NotFound):
        raise NotFound(
            f"negotiation {viewer.access.negotiation.id} has no page "
            f"'parties/{party_key}/preferences'"
        ) from None


@dataclass(frozen=True)
class Preview:
    """What the preview shows: ``status`` is ready, computing, too_large, failed or invalid."""

    status: str
    message: str = ""
    result: dict[str, Any] | None = None
    draft_name: str | None = None


@dataclass
class Editing:
    """One request's view of the form: the party, its agenda, the form and its check."""

    user: User
    viewer: Viewer
    party: Party
    agenda: list[Issue]
    form: PreferencesForm
    checked: Checked | None
    draft: dict[str, str] | None
    draft_name: str | None
    saved: Preferences | None  # the party's saved preferences, parsed once per request
    notice: str | None = None


def _editing(
    request: Request, session: Session, negotiation_id: int, party_key: str
) -> tuple[User, Viewer, Party, list[Issue]]:
    user, viewer = viewer_for(request, session, negotiation_id)
    party = preferences_party(session, viewer, party_key)
    return user, viewer, party, agenda_issues(party)


def _current_draft(session: Session, party: Party) -> tuple[dict[str, str] | None, str | None]:
    """The newest version of the mediator's text sent to the party (what it may see)."""
    version = latest_received_version(session, party)
    if version is None:
        return None, None
    return dict(version.package), f"{version.draft.title}, version {version.number}"


_CHECKED: OrderedDict[str, Checked] = OrderedDict()  # the newest checks, by what they read
_CHECKED_KEPT = 64
_CHECKED_LOCK = threading.Lock()


def _check(
    party: Party, agenda: list[Issue], form: PreferencesForm, kept: Preferences | None
) -> Checked:
    """The form checked by the scenario validator, as :func:`check` does; a check is kept
    by what it reads (agenda, party, the form's preferences) since each page and live
    preview re-checks the same preferences: the validator is most of a page's time.
    A kept check is only read, never changed, by the pages. ``kept``: the party's saved
    preferences (what the form does not show is kept from them)."""
    negotiation = party.negotiation
    data, numbers = preferences_data(agenda, form, kept)
    read = [
        negotiation.scenario_key,
        negotiation.agenda,
        party.key,
        [issue.id for issue in agenda],
        data,
        sorted(numbers.items()),
        budget_problem(form),
    ]
    key = hashlib.sha256(json.dumps(read, sort_keys=True, default=str).encode()).hexdigest()
    with _CHECKED_LOCK:
        found = _CHECKED.get(key)
        if found is not None:
            _CHECKED.move_to_end(key)
            return found
    checked = check(
        agenda,
        negotiation.scenario_key,
        negotiation.agenda["blocks"],
        negotiation.agenda["issues"],
        party.key,
        form,
        kept,
    )
    with _CHECKED_LOCK:
        _CHECKED[key] = checked
        while len(_CHECKED) > _CHECKED_KEPT:
            _CHECKED.popitem(last=False)
    return checked


def editing_from_fields(
    request: Request,
    session: Session,
    negotiation_id: int,
    party_key: str,
    fields: list[tuple[str, str]],
) -> Editing:
    user, viewer, party, agenda = _editing(request, session, negotiation_id, party_key)
    too_large = form_too_large(agenda)
    if too_large is not None:
        raise InvalidInput(too_large)
    form = form_from_fields(agenda, fields)
    added = ADD_ROW.get(dict(fields).get("action", ""))
    if added is not None:
        form.add_row(added)
    draft, draft_name = _current_draft(session, party)
    saved = ledger.preferences_of(party)
    checked = _check(party, agenda, form, saved)
    return Editing(user, viewer, party, agenda, form, checked, draft, draft_name, saved)


def editing_from_saved(
    request: Request,
    session: Session,
    negotiation_id: int,
    party_key: str,
    preferences: Preferences | None = None,
    notice: str | None = None,
) -> Editing:
    """The form filled in with ``preferences`` (default: the saved ones)."""
    user, viewer, party, agenda = _editing(request, session, negotiation_id, party_key)
    saved = ledger.preferences_of(party)
    if preferences is None:
        preferences = saved
    form = form_of(agenda, preferences)
    checked = None if preferences is None else _check(party, agenda, form, saved)
    draft, draft_name = _current_draft(session, party)
    return Editing(user, viewer, party, agenda, form, checked, draft, draft_name, saved, notice)


async def preview_of(editing: Editing, wait: float) -> Preview:
    """Ask the runner for the preview of the form's preferences, waiting up to ``wait``."""
    if editing.checked is None:
        return Preview("invalid", f"{editing.party.display_name} has no preferences yet.")
    scenario = editing.checked.scenario
    if scenario is None:
        return Preview("invalid", "Correct the problems marked in the form to see the preview.")
    # One job per viewer and party: a new edit cancels the viewer's previous preview, and
    # a delegate and the mediator editing at once do not cancel each other's.
    owner = ("preferences", editing.party.negotiation_id, editing.party.key, editing.user.id)
    state = await runner().wait(scenario, owner, wait, preview_task(editing.draft))
    return preview_from_state(state, editing.draft_name)


def preview_from_state(state: AnalysisState, draft_name: str | None) -> Preview:
    if isinstance(state, Ready):
        return Preview("ready", result=state.value, draft_name=draft_name)
    if isinstance(state, Computing):
        return Preview("computing", f"Still computing ({max(state.seconds, 0.0):.0f} s).")
    assert isinstance(state, Failed)
    if state.too_large:
        return Preview(
            "too_large",
            f"Too large to preview: the best package was not found within "
            f"{runner().time_limit:g} s (too many options, interaction terms or red lines). "
            "The preferences can still be saved.",
        )
    return Preview("failed", f"No preview: {state.message}")


@dataclass(frozen=True)
class TermChoices:
    """The options a row of red lines or interactions may name, listed once per page.

    A row shows only the options it names (a ticked box each) and an entry to add one:
    a text box on the page's one ``<datalist>`` of every option (no script needed); the
    page's script turns it into a choice of point, then of that point's option, from the
    same list. Every option in every row was 1,066 ``<option>``s on the 27-point plan.
    """

    options: tuple[tuple[str, str, str], ...]  # per option: (issue:option, point, label)

    @classmethod
    def of(
        cls,
        agenda: list[Issue],
        titles: dict[str, str],
        labels: dict[tuple[str, str], str],
    ) -> TermChoices:
        return cls(
            tuple(
                (f"{issue.id}:{option.id}", titles[issue.id], labels[(issue.id, option.id)])
                for issue in agenda
                for option in issue.options
            )
        )

    def datalist(self) -> Markup:
        """The ``<option>``s of the page's datalist (its point's title on each)."""
        return Markup(
            "".join(
                f'<option value="{escape(value)}" data-point="{escape(title)}"'
                f' data-label="{escape(label)}">{escape(title)}: {escape(label)}</option>'
                for value, title, label in self.options
            )
        )

    def chosen(self, chosen: set[str]) -> list[tuple[str, str, str]]:
        """The options a row names, in the agenda's order; a value naming no option (the
        agenda changed, or a typing slip) last, as typed, for the validator's message."""
        known = [option for option in self.options if option[0] in chosen]
        named = {value for value, _, _ in known}
        return known + [(value, "", value) for value in sorted(chosen - named)]

    def meaning(self, chosen: set[str]) -> str:
        """The row in words: "Point: option or option; Other point: option;"."""
        said: dict[str, list[str]] = {}
        for value, title, label in self.options:
            if value in chosen:
                said.setdefault(title, []).append(label)
        return " ".join(f"{title}: {' or '.join(picked)};" for title, picked in said.items())


def number(value: float | None) -> str:
    """A utility as the preview shows it."""
    if value is None:
        return "—"
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def preview_context(editing: Editing, preview: Preview) -> dict[str, Any]:
    negotiation = editing.party.negotiation
    return {
        "party": editing.party,
        "agenda": editing.agenda,
        "preview": preview,
        "labels": option_labels(negotiation),
        "titles": issue_titles(negotiation),
        "number": number,
        "scale": editing.form.scale,
    }


def page(
    editing: Editing,
    preview: Preview,
    status_code: int = 200,
    expert: tuple[str, str] | None = None,
) -> Response:
    """The form page; ``expert`` is JSON or YAML text refused, with why."""
    party = editing.party
    negotiation = party.negotiation
    ensure_blank_rows(editing.form)
    saved = editing.saved
    checked = editing.checked
    context = preview_context(editing, preview)
    return render(
        "preferences.html",
        status_code=status_code,
        user=editing.user,
        viewer=editing.viewer,
        negotiation=negotiation,
        form=editing.form,
        problem=ProblemPlaces({} if checked is None else checked.problems),
        listed=[] if checked is None else checked.listed,
        budget=budget_problem(editing.form),
        weight_sum=_weight_sum(editing.form),
        slider_max=slider_top(editing.form),
        choices=TermChoices.of(
            editing.agenda, issue_titles(negotiation), option_labels(negotiation)
        ),
        too_large=form_too_large(
            editing.agenda, sum(len(rows) for rows in editing.form.rows.values())
        ),
        saved=saved,
        expert_text=_expert_text(saved) if expert is None else expert[0],
        expert_error=None if expert is None else expert[1],
        notice=editing.notice,
        blocks={
            block["id"]: block.get("title") or block["id"] for block in negotiation.agenda["blocks"]
        },
        **context,
    )


@dataclass(frozen=True)
class ProblemPlaces:
    """The place of a field's problems on the page, ``problem(name)`` in the template.

    A function, not a Jinja macro: the page has one per weight and option value (157 on
    the 27-point plan), and each macro call cost as much as the rest of its row."""

    problems: dict[str, list[str]]

    def __call__(self, name: str) -> Markup:
        # escape() and an f-string: Markup.format's escaping formatter cost as much as the
        # macro it replaces.
        said = escape("; ".join(self.problems.get(name, ())))
        return Markup(f'<span class="field-error" data-problem-for="{escape(name)}">{said}</span>')


def _weight_sum(form: PreferencesForm) -> str:
    total = 0.0
    for text in form.weights.values():
        try:
            total += float(text)
        except ValueError:
            continue
    return number(total)


def _expert_text(saved: Preferences | None) -> str:
    if saved is None:
        return ""
    return json.dumps(saved.model_dump(mode="json"), indent=2, ensure_ascii=False)


# --- routes ----------------------------------------------------------------------------


async def _with_session(
    request: Request, work: Callable[[Request, Session], Awaitable[Response]]
) -> Response:
    """``work(request, session)`` on a read session (closed after), with the errors a page
    can meet turned into the login redirect or the error page."""
    session: Session = request.app.state.database.session()
    try:
        return await work(request, session)
    except LoginRequired as needed:
        return see_other(f"/login?next={quote(needed.path)}")
    except AccordError as error:
        return error_page(error)
    finally:
        await run_in_threadpool(session.close)


@router.get(PATH)
async def preferences_page(request: Request, negotiation_id: int, party_key: str) -> Response:
    """The form with the saved preferences, and their preview."""

    async def work(request: Request, session: Session) -> Response:
        editing = await run_in_threadpool(
            editing_from_saved, request, session, negotiation_id, party_key
        )
        if request.query_params.get("saved") == "1":
            editing.notice = f"Saved {editing.party.display_name}'s preferences."
        preview = await preview_of(editing, PAGE_WAIT)
        return await run_in_threadpool(page, editing, preview)

    return await _with_session(request, work)


@router.post(PATH + "/preview")
async def preview_submit(
    request: Request, negotiation_id: int, party_key: str, fields: Fields
) -> Response:
    """The no-script Preview (and add-a-row) buttons: the form as typed, and its preview."""

    async def work(request: Request, session: Session) -> Response:
        editing = await run_in_threadpool(
            editing_from_fields, request, session, negotiation_id, party_key, fields
        )
        preview = await preview_of(editing, SUBMIT_WAIT)
        return await run_in_threadpool(page, editing, preview)

    return await _with_session(request, work)


@router.post(PATH + "/preview/live")
async def live_preview(
    request: Request, negotiation_id: int, party_key: str, fields: Fields
) -> Response:
    """The preview as JSON, for the page's script: the problems by field and the preview's
    HTML (the same fragment the page shows)."""
    session: Session = request.app.state.database.session()
    try:
        editing = await run_in_threadpool(
            editing_from_fields, request, session, negotiation_id, party_key, fields
        )
        preview = await preview_of(editing, PAGE_WAIT)
        fragment = await run_in_threadpool(
            lambda: (
                environment()
                .get_template("_preferences_preview.html")
                .render(**preview_context(editing, preview))
            )
        )
    except LoginRequired:
        return JSONResponse({"detail": "not logged in"}, status_code=401)
    except AccordError as error:
        status = (
            404 if isinstance(error, NotFound) else 403 if isinstance(error, Forbidden) else 422
        )
        return JSONResponse({"detail": str(error)}, status_code=status)
    finally:
        await run_in_threadpool(session.close)
    checked = editing.checked
    assert checked is not None
    return JSONResponse(
        {
            "status": preview.status,
            "problems": checked.problems,
            "listed": checked.listed,
            "weight_sum": _weight_sum(editing.form),
            "preview": preview.result,
            "html": fragment,
        }
    )


@router.post(PATH + "/form")
@html_page
def save_form(
    request: Request, session: DbSession, negotiation_id: int, party_key: str, fields: Fields
) -> Response:
    """Save the form: checked first; with problems, the form comes back with them marked."""
    editing = editing_from_fields(request, session, negotiation_id, party_key, fields)
    checked = editing.checked
    assert checked is not None
    if checked.preferences is None:
        return page(editing, Preview("invalid", "Not saved: correct the problems marked."), 422)
    # A copy: the check may be kept for later pages (the ledger's row must not share it).
    ledger.set_preferences(session, editing.party, copy.deepcopy(checked.data))
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/parties/{party_key}/preferences?saved=1")


@router.post(PATH + "/text")
@html_page
def save_text(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    party_key: str,
    preferences: Annotated[str, Form(max_length=MAX_TEXT)],
) -> Response:
    """Save preferences written as JSON or YAML (for experts); problems name the line,
    and the text comes back in its box with them."""
    try:
        _, viewer = viewer_for(request, session, negotiation_id)
        party = preferences_party(session, viewer, party_key)
        data = _parsed_text(preferences) if preferences.strip() else None
        ledger.set_preferences(session, party, data)
    except InvalidInput as error:
        session.rollback()
        editing = editing_from_saved(request, session, negotiation_id, party_key)
        preview = Preview("invalid", "Not saved: see the problem under the JSON or YAML box.")
        return page(editing, preview, 422, expert=(preferences, str(error)))
    session.commit()
    return see_other(f"/negotiations/{negotiation_id}/parties/{party_key}/preferences?saved=1")


def _parsed_text(text: str) -> Any:
    """JSON or YAML text (the scenario files' reader: depth and aliases bounded)."""
    try:
        located = parse_text(text, "preferences", as_json=text.lstrip().startswith("{"))
    except ScenarioError as error:
        raise InvalidInput(str(error)) from None
    except yaml.YAMLError as error:  # pragma: no cover - parse_text reports these itself
        raise InvalidInput(f"preferences: {error}") from None
    return located.data


@router.post(PATH + "/elicited")
@html_page
def elicited(
    request: Request,
    session: DbSession,
    negotiation_id: int,
    party_key: str,
    state: Annotated[str, Form(max_length=STATE_LIMIT)],
) -> Response:
    """The form filled in with what the answers to the elicitation's questions derived
    (not saved: the delegate adjusts, then saves)."""
    from accord.analysis.elicitation import derive_preferences

    _, viewer = viewer_for(request, session, negotiation_id)
    party = preferences_party(session, viewer, party_key)
    agenda = agenda_issues(party)
    current = state_from_form(agenda, state)
    if not current.answers:
        raise InvalidInput("answers: answer at least one question first")
    derived = derive_preferences(
        covered(agenda, current.points),
        current.answers,
        ledger.preferences_of(party),
        agenda=agenda,
    )
    editing = editing_from_saved(
        request,
        session,
        negotiation_id,
        party_key,
        derived.preferences,
        f"Filled in from your {len(current.answers)} answers: not saved yet. "
        "Adjust what you like, then save.",
    )
    return page(editing, Preview("computing", "Press Preview to see what these mean."))


def is_preview_path(path: str) -> bool:
    """Whether ``path`` is a preview route (they pass the SQLite write gate)."""
    return PREVIEW_PATHS.match(path) is not None
