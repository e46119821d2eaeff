"""Take the screenshots of the mediator's guide (docs/web.md) from a real server.

Seeds a throwaway SQLite ledger with the illustrative peace plan, a few meetings, a draft
with two versions sent to the parties and some stances, serves it with uvicorn on a free
loopback port and photographs each page of the guide in Debian's Chromium (driven by
Playwright, as the browser tests do), logged in as the user the guide shows it to.

    python scripts/screenshots.py                  # writes docs/images/web-*.png
    python scripts/screenshots.py --out /tmp/shots --only dashboard

Needs the test extra (Playwright) and Chromium (scripts/install-chromium.sh).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEACE_PLAN = ROOT / "examples" / "peace-plan-27.yaml"
CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"
# user name -> (role, party)
USERS = {
    "mediator": ("mediator", None),
    "ua-delegate": ("delegate", "ua"),
    "ru-delegate": ("delegate", "ru"),
    "observer": ("observer", None),
}


@dataclass(frozen=True)
class Shot:
    """One screenshot: its file name, the page (``{n}`` is the negotiation) and its viewer."""

    name: str
    path: str
    user: str
    full_page: bool = False


SHOTS = [
    Shot("setup", "/negotiations/new", "mediator", full_page=True),
    Shot("agenda", "/negotiations/{n}/agenda", "mediator"),
    Shot("agenda-history", "/negotiations/{n}/agenda/history", "mediator"),
    Shot("people", "/negotiations/{n}/people", "mediator", full_page=True),
    Shot("preferences", "/negotiations/{n}/parties/ua/preferences", "ua-delegate"),
    Shot("meetings", "/negotiations/{n}/meetings", "mediator"),
    Shot("version", "/negotiations/{n}/drafts/{draft}/versions/2", "mediator"),
    Shot("diff", "/negotiations/{n}/drafts/{draft}/diff?before=1&after=2", "mediator"),
    Shot("print", "/negotiations/{n}/drafts/{draft}/versions/2/print", "mediator"),
    Shot("dashboard", "/negotiations/{n}", "mediator", full_page=True),
    Shot("analysis", "/negotiations/{n}/analysis", "mediator", full_page=True),
    Shot("more-analyses", "/negotiations/{n}/analysis/more", "mediator"),
    Shot("timeline", "/negotiations/{n}/timeline", "mediator"),
    Shot("audit", "/negotiations/{n}/audit", "mediator"),
]


@dataclass(frozen=True)
class Demo:
    database_url: str
    negotiation_id: int
    draft_id: int


def seed(database_url: str) -> Demo:
    """The peace plan with its users, three meetings, a draft in two versions, stances."""
    from accord.ledger import Database
    from accord.ledger.drafts import add_version, create_draft, distribute
    from accord.ledger.meetings import record_meeting
    from accord.ledger.negotiations import add_member, create_negotiation, get_party
    from accord.ledger.stances import record_stance
    from accord.scenario.loader import load_scenario
    from accord.web.auth import create_user

    scenario = load_scenario(PEACE_PLAN)
    first = {issue.id: issue.options[0].id for issue in scenario.issues}
    second = dict(first)
    for issue in scenario.issues[:4]:
        second[issue.id] = issue.options[-1].id
    database = Database(database_url)
    try:
        database.migrate()
        with database.transaction() as session:
            users = {
                name: create_user(session, name, PASSWORD, can_create_negotiations=True)
                for name in USERS
            }
            negotiation = create_negotiation(session, scenario, users["mediator"])
            for name, (role, party_key) in USERS.items():
                if name != "mediator":
                    add_member(session, negotiation, users[name], role, party_key)  # type: ignore[arg-type]
            start = datetime(2025, 11, 23, 9, 0, tzinfo=UTC)
            blocks = [block.id for block in scenario.blocks]
            for number, (place, hours) in enumerate(
                [("Geneva", 5), ("Abu Dhabi", 3), ("Miami", 6)], start=1
            ):
                record_meeting(
                    session,
                    negotiation,
                    start + timedelta(days=4 * number),
                    60 * hours,
                    ["ua", "us"] if number != 2 else ["ru", "us"],
                    blocks[: 1 + number % len(blocks)],
                    place=place,
                    notes=f"Round {number} of shuttle talks.",
                )
            draft = create_draft(
                session, negotiation, "Single negotiating text", first, user=users["mediator"]
            )
            version = add_version(
                session, draft, second, note="After Geneva", user=users["mediator"]
            )
            seated = [get_party(session, negotiation, key) for key in ("ua", "ru", "us")]
            distribute(session, version, seated, user=users["mediator"])
            for index, issue in enumerate(scenario.issues[:9]):
                for party in seated[:2]:
                    stance = ("accepts", "conditional", "rejects")[(index + len(party.key)) % 3]
                    condition = "if the guarantee holds" if stance == "conditional" else ""
                    record_stance(session, negotiation, party, issue.id, stance, condition, version)
            return Demo(database_url, negotiation.id, draft.id)
    finally:
        database.dispose()


def take(shots: list[Shot], out: Path) -> list[Path]:
    """Photograph ``shots`` into ``out``; returns the files written."""
    from playwright.sync_api import sync_playwright

    from accord.web.in_thread import serving

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        demo = seed(f"sqlite:///{Path(folder) / 'guide.db'}")
        with serving(demo.database_url) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            pages = {}
            for shot in shots:
                if shot.user not in pages:
                    context = browser.new_context(viewport={"width": 1200, "height": 800})
                    page = context.new_page()
                    page.goto(f"{base}/login")
                    page.fill("input[name=username]", shot.user)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                    page.wait_for_url(f"{base}/negotiations**")
                    pages[shot.user] = page
                page = pages[shot.user]
                path = shot.path.format(n=demo.negotiation_id, draft=demo.draft_id)
                response = page.goto(base + path)
                if response is None or response.status != 200:
                    status = "no answer" if response is None else response.status
                    raise RuntimeError(f"{path} as {shot.user}: {status}")
                page.wait_for_load_state("networkidle")
                deadline = time.monotonic() + 120
                while "Still computing" in page.content() and time.monotonic() < deadline:
                    time.sleep(1)
                    page.reload()
                    page.wait_for_load_state("networkidle")
                target = out / f"web-{shot.name}.png"
                page.screenshot(path=str(target), full_page=shot.full_page)
                written.append(target)
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--only", nargs="*", help="names of the screenshots to take")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: run scripts/install-chromium.sh", file=sys.stderr)
        return 1
    chosen = [shot for shot in SHOTS if not args.only or shot.name in args.only]
    unknown = set(args.only or ()) - {shot.name for shot in SHOTS}
    if unknown:
        print(f"unknown screenshot(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    for path in take(chosen, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
