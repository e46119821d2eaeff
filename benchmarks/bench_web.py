"""Latency of the dashboard and the write endpoints under 50 concurrent clients, on loopback.

A real server (uvicorn in its own process, as ``accord serve`` runs it) holds the peace plan
with one user per role. For each endpoint, 50 clients (threads, each with its own keep-alive
connection and a logged-in session cookie) send a bounded number of requests. By default
each client pauses about a second between requests (uniformly 0.5 to 1.5 s: people
clicking); ``--pause 0`` makes a closed loop with no pause at all, 50 requests always in
flight, which measures the server's saturation rather than what 50 users see. Printed per
database and endpoint: requests, errors (anything but the expected status), p50, p99 and
the largest latency, the throughput, and the server's CPU time per request (``cpu ms``,
which unlike latency does not grow when other programs share the cores). Target: p99
under 200 ms, no errors.

The timeline (as the mediator and as a delegate), the people page, the agenda editor, a
draft version's page, its PDF (rendered ahead when the version was written, and kept: the
row measures the lookup), the stances export and the diff of two versions are read like the
dashboard. Two rows measure writes while something else loads the server: ``during large
uploads`` records stances while another client uploads, back to back, scenarios with an
issue of 10,000 options, the most a scenario may have (their validation must hold no lock
and no queue that writes wait for); the last rows read the dashboard, the stances page and
the timeline again once the ledger holds 4,000 stances (the pages must not grow with the
history: compare with the first rows).

The last row repeats the stance writes while 20 more clients post wrong passwords as fast
as the server answers: the writes must not queue behind the password checks. With the
login throttle as deployed, the flood soon gets cheap 429s; ``--no-throttle`` sets it out
of the way so that every flood login costs a real scrypt check. The row's ``cpu ms``
includes the server's work on the flood.

    python benchmarks/bench_web.py                      # SQLite and PostgreSQL
    python benchmarks/bench_web.py --database sqlite    # one of them
    python benchmarks/bench_web.py --pause 0            # saturation: no pause
    python benchmarks/bench_web.py --only "POST stance (API)" --database sqlite
    python benchmarks/bench_web.py --database sqlite --only POST --disk-load 16

``--disk-load MB`` runs another writer of the ledger's disk beside the server, writing and
syncing MB megabytes at a time, again and again (``benchmarks/disk_load.py``): a
shared machine, where the ledger's own syncs take longer. SQLite rows only: the throwaway
PostgreSQL does not sync.

PostgreSQL is a throwaway server (:mod:`accord.ledger.throwaway_postgres`; install it
with scripts/install-postgresql.sh). It runs with ``fsync=off``, as for the tests, so its
commits cost less than on a durable server; SQLite's are durable, each synced to disk before
its answer (:mod:`accord.ledger.wal_sync`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the seeded world the web tests use

from accord.ledger.throwaway_postgres import free_port, start_postgres  # noqa: E402
from accord.scenario.limits import MAX_OPTIONS_PER_ISSUE  # noqa: E402
from accord.scenario.loader import load_scenario  # noqa: E402
from disk_load import DiskLoad  # noqa: E402
from web_world import PASSWORD, seed  # noqa: E402

CLIENTS = 50
REQUESTS_PER_CLIENT = 10
TARGET_P99_MS = 200.0
SEED = 20251125
SCENARIO = load_scenario(ROOT / "examples" / "peace-plan-27.yaml")
ISSUES = [(issue.id, [option.id for option in issue.options]) for issue in SCENARIO.issues]
STANCES = ("accepts", "rejects", "conditional", "unknown")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: bytes | None
    content_type: str | None
    expected: int


@dataclass(frozen=True)
class Endpoint:
    name: str
    role: str  # whose session cookie the clients send
    make: Callable[[random.Random, int], Call]  # (client's generator, client number) -> call
    # Runs in a thread while the clients send (until the event is set): another load.
    during: Callable[[Server, str, threading.Event], None] | None = None
    login_flood: bool = False  # FLOOD_CLIENTS post wrong passwords all the while


def dashboard(_: random.Random, __: int) -> Call:
    return Call("GET", "/negotiations/1", None, None, 200)


def stance(rng: random.Random, _: int) -> Call:
    issue, _options = rng.choice(ISSUES)
    kind = rng.choice(STANCES)
    body = {
        "party": "ua",
        "issue": issue,
        "stance": kind,
        "condition": "a ceasefire first" if kind == "conditional" else "",
    }
    return _json("/api/negotiations/1/stances", body)


def stance_form(rng: random.Random, _: int) -> Call:
    issue, _options = rng.choice(ISSUES)
    form = {"party": "ua", "issue": issue, "stance": rng.choice(("accepts", "rejects"))}
    return Call(
        "POST",
        "/negotiations/1/stances",
        urlencode(form).encode(),
        "application/x-www-form-urlencoded",
        303,
    )


def meeting(rng: random.Random, client: int) -> Call:
    body = {
        "held_at": f"2025-12-{1 + client % 28:02d}T{rng.randrange(8, 20):02d}:00:00Z",
        "duration_minutes": rng.randrange(30, 600),
        "place": "Geneva",
        "attendees": rng.sample(["ru", "ua", "us", "eu"], 2),
        "blocks": ["territory"],
        "notes": "benchmark",
    }
    return _json("/api/negotiations/1/meetings", body)


def draft_version(rng: random.Random, _: int) -> Call:
    package = {issue: rng.choice(options) for issue, options in ISSUES[:8]}
    return _json("/api/negotiations/1/drafts/1/versions", {"package": package, "note": "bench"})


def _json(path: str, body: dict[str, object]) -> Call:
    return Call("POST", path, json.dumps(body).encode(), "application/json", 201)


def agenda_page(_: random.Random, __: int) -> Call:
    return Call("GET", "/negotiations/1/agenda", None, None, 200)


def version_page(_: random.Random, __: int) -> Call:
    return Call("GET", "/negotiations/1/drafts/1/versions/1", None, None, 200)


def version_pdf(_: random.Random, __: int) -> Call:
    """Rendered ahead when the version was written, then kept (a version never changes):
    the row measures the lookup, the first request included."""
    return Call("GET", "/negotiations/1/drafts/1/versions/1/pdf", None, None, 200)


def diff_page(_: random.Random, __: int) -> Call:
    return Call("GET", "/negotiations/1/drafts/1/diff?before=1&after=2", None, None, 200)


def stances_export(_: random.Random, __: int) -> Call:
    return Call("GET", "/negotiations/1/exports/stances.csv", None, None, 200)


def stances_page(_: random.Random, __: int) -> Call:
    return Call("GET", "/negotiations/1/stances", None, None, 200)


def preferences_page(_: random.Random, __: int) -> Call:
    return Call("GET", "/negotiations/1/parties/ua/preferences", None, None, 200)


def preferences_form() -> bytes:
    """Ukraine's preferences as its form posts them (the live preview's request body)."""
    from accord.web.pages.preferences_form import form_of

    form = form_of(list(SCENARIO.issues), SCENARIO.party("ua").preferences)
    fields = [("scale", form.scale), ("weight_mode", form.weight_mode)]
    fields += [("weight_total", form.weight_total), ("reservation", form.reservation)]
    fields += [(f"weight:{issue}", text) for issue, text in form.weights.items()]
    fields += [(f"value:{issue}:{option}", text) for (issue, option), text in form.values.items()]
    for kind, rows in form.rows.items():
        for row in rows:
            fields += [(f"{kind}-{row.number}-options", value) for value in sorted(row.options)]
            fields += [(f"{kind}-{row.number}-label", row.label)]
            if kind == "interaction":
                fields += [(f"{kind}-{row.number}-value", row.value)]
    return urlencode(fields).encode()


def live_preview(_: random.Random, __: int) -> Call:
    return Call(
        "POST",
        "/negotiations/1/parties/ua/preferences/preview/live",
        PREFERENCES_FORM,
        "application/x-www-form-urlencoded",
        200,
    )


PREFERENCES_FORM = preferences_form()


def timeline_page(_: random.Random, __: int) -> Call:
    return Call("GET", "/negotiations/1/timeline", None, None, 200)


def people_page(_: random.Random, __: int) -> Call:
    return Call("GET", "/negotiations/1/people", None, None, 200)


LARGE_ISSUE_OPTIONS = MAX_OPTIONS_PER_ISSUE  # the largest issue a scenario may have


def large_scenario() -> bytes:
    """A scenario with one issue of the most options allowed, two parties valuing it."""

    def preferences(step: int) -> dict[str, object]:
        values = {f"o{i}": (i * step % 7) / 7 for i in range(LARGE_ISSUE_OPTIONS)}
        return {
            "weights": {"big": 1, "small": 1},
            "values": {"big": values, "small": {"s1": 1, "s2": 0}},
        }

    scenario = {
        "id": "large-upload",
        "issues": [
            {"id": "big", "options": [{"id": f"o{i}"} for i in range(LARGE_ISSUE_OPTIONS)]},
            {"id": "small", "options": [{"id": "s1"}, {"id": "s2"}]},
        ],
        "parties": [
            {"id": "p", "preferences": preferences(1)},
            {"id": "q", "preferences": preferences(3)},
        ],
    }
    return json.dumps({"scenario": scenario}).encode()


def upload_large_scenarios(server: Server, cookie: str, stop: threading.Event) -> None:
    """Upload large scenarios one after another until ``stop`` is set."""
    body = large_scenario()
    headers = {"Content-Type": "application/json", "Cookie": cookie}
    seconds = []
    pid = server.process.pid
    server_before, all_before = process_cpu_seconds(pid, False), process_cpu_seconds(pid)
    while not stop.is_set():
        began = time.perf_counter()
        status, _, text = server.request("POST", "/api/negotiations", body, headers, timeout=600)
        seconds.append(time.perf_counter() - began)
        if status != 201:
            raise RuntimeError(f"the large upload failed: {status} {text[:200]!r}")
    own = (process_cpu_seconds(pid, False) - server_before) / len(seconds) * 1000
    worker = (process_cpu_seconds(pid) - all_before) / len(seconds) * 1000 - own
    print(
        f"  (large uploads: {len(seconds)} of {len(body) / 1e6:.1f} MB while it ran, "
        f"median {statistics.median(seconds) * 1000:.0f} ms each; with the stances, "
        f"per upload {own:.0f} ms of the server process's CPU, {worker:.0f} ms of its "
        "children's)",
        flush=True,
    )


ENDPOINTS = (
    Endpoint("GET dashboard page (mediator)", "mediator", dashboard),
    Endpoint("GET dashboard page (delegate)", "ua-delegate", dashboard),
    Endpoint("GET stances page (mediator)", "mediator", stances_page),
    Endpoint("GET preferences page (delegate)", "ua-delegate", preferences_page),
    Endpoint("POST preferences preview (delegate)", "ua-delegate", live_preview),
    Endpoint("GET timeline page (mediator)", "mediator", timeline_page),
    Endpoint("GET timeline page (delegate)", "ua-delegate", timeline_page),
    Endpoint("GET people page (mediator)", "mediator", people_page),
    Endpoint("GET agenda editor (mediator)", "mediator", agenda_page),
    Endpoint("GET draft version page (mediator)", "mediator", version_page),
    Endpoint("GET draft version PDF (mediator)", "mediator", version_pdf),
    Endpoint("GET stances export CSV (mediator)", "mediator", stances_export),
    Endpoint("POST stance (API)", "ua-delegate", stance),
    Endpoint("POST stance (page form)", "ua-delegate", stance_form),
    Endpoint("POST meeting (API)", "mediator", meeting),
    Endpoint("POST draft version (API)", "mediator", draft_version),
    Endpoint("GET diff of two versions (mediator)", "mediator", diff_page),
    Endpoint("POST stance during large uploads", "ua-delegate", stance, upload_large_scenarios),
    Endpoint("POST stance (API), login flood", "ua-delegate", stance, login_flood=True),
)
HISTORY = 4000  # stances in the ledger for the last rows
AT_HISTORY = (
    Endpoint("GET dashboard page, 4,000 stances", "mediator", dashboard),
    Endpoint("GET stances page, 4,000 stances", "mediator", stances_page),
    Endpoint("GET timeline page, 4,000 stances", "mediator", timeline_page),
)
FLOOD_CLIENTS = 20
NO_THROTTLE = {
    # --no-throttle: the login throttle (which answers a flood from one address with cheap
    # 429s after 50 failures) is set out of the way, so that every login costs a real
    # password check: what hashing alone costs the writes.
    "ACCORD_LOGIN_FAILURES_PER_ACCOUNT": "1000000000",
    "ACCORD_LOGIN_FAILURES_PER_ADDRESS": "1000000000",
}
SERVER_ENVIRONMENT: dict[str, str] = {}


class Server:
    """``uvicorn`` on the app factory in a child process, like ``accord serve``."""

    def __init__(self, database_url: str, workers: int) -> None:
        self.port = free_port()
        environment = os.environ | {"ACCORD_DATABASE_URL": database_url} | SERVER_ENVIRONMENT
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "accord.web.app:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--workers",
                str(workers),
            ],
            env=environment,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = self.request("GET", "/api/health")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not start")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body, headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def login(self, username: str) -> tuple[str, str]:
        """Log in with the login form: the session cookie and its forms' CSRF token."""
        _, headers, page = self.request("GET", "/login")
        pre_session = _cookie(headers)
        form = {"username": username, "password": PASSWORD, "csrf_token": _token(page)}
        status, headers, _ = self.request(
            "POST",
            "/login",
            urlencode(form).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": pre_session},
        )
        cookie = _cookie(headers)
        if status != 303 or not cookie:
            raise RuntimeError(f"login as {username} failed with {status}")
        _, _, page = self.request("GET", "/login", headers={"Cookie": cookie})
        return cookie, _token(page)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def _cookie(headers: dict[str, str]) -> str:
    return headers.get("set-cookie", headers.get("Set-Cookie", "")).split(";", 1)[0]


def _token(page: bytes) -> str:
    found = re.search(rb'name="csrf_token" value="([^"]+)"', page)
    if found is None:
        raise RuntimeError("the login page has no CSRF token")
    return found.group(1).decode()


def add_history(server: Server, cookie: str, count: int) -> None:
    """Stances recorded through the API until the ledger holds ``count``."""
    have = 0
    while True:  # the history comes 1,000 stances per request at most
        path = f"/api/negotiations/1/stances/history?limit=1000&offset={have}"
        status, _, text = server.request("GET", path, headers={"Cookie": cookie})
        if status != 200:
            raise RuntimeError(f"could not read the history: {status}")
        page = len(json.loads(text))
        have += page
        if page < 1000:
            break
    rng = random.Random(SEED)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    for _ in range(max(0, count - have)):
        call = stance(rng, 0)
        assert call.body is not None
        connection.request(
            "POST", call.path, call.body, {"Content-Type": "application/json", "Cookie": cookie}
        )
        response = connection.getresponse()
        response.read()
    connection.close()


def prepare(server: Server, cookie: str) -> None:
    """The mediator's draft 1, so that the draft-version endpoint has a draft to extend."""
    body = json.dumps({"title": "Benchmark text", "package": {"donetsk": "buffer-ua"}})
    status, _, text = server.request(
        "POST",
        "/api/negotiations/1/drafts",
        body.encode(),
        {"Content-Type": "application/json", "Cookie": cookie},
    )
    if status != 201:
        raise RuntimeError(f"could not create the benchmark draft: {status} {text[:200]!r}")


@dataclass(frozen=True)
class Result:
    latencies_ms: list[float]
    errors: int
    seconds: float
    server_cpu_seconds: float


def speed_probe_ms() -> float:
    """The best of five timings of a fixed pure-Python loop, in CPU milliseconds.

    On a shared machine the same code runs at different speeds from one run to the next
    (the same page from 11 to 21 ms of CPU): a slower probe says the rows were measured
    on a slower machine, not on slower code."""
    timings = []
    for _ in range(5):
        started = time.process_time()
        total = 0
        for number in range(1_000_000):
            total += number * number
        timings.append((time.process_time() - started) * 1000)
    return min(timings)


def process_cpu_seconds(pid: int, children: bool = True) -> float:
    """CPU time (user + system) of a process and (unless ``children`` is false) its direct
    children, from ``/proc``.

    Unlike latency, this does not grow when other programs compete for the cores, so it
    tells what a request costs the server on a busy machine.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        own_pid = int(stat.parent.name)
        parent = int(fields[1])
        if own_pid == pid or (children and parent == pid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def run_endpoint(
    server: Server, endpoint: Endpoint, login: tuple[str, str], requests: int, pause: float
) -> Result:
    cookie, token = login
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS + 1)

    def client(number: int) -> None:
        nonlocal errors
        rng = random.Random(SEED + number)
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        mine: list[float] = []
        failed = 0
        start.wait()
        for index in range(requests):
            if pause:
                # Users do not click in step: the first request comes at a random moment
                # of the first interval, the next ones after a pause around the mean.
                time.sleep(pause * (rng.uniform(0.5, 1.5) if index else rng.uniform(0, 1)))
            call = endpoint.make(rng, number)
            headers = {"Cookie": cookie, "X-CSRF-Token": token}
            if call.content_type:
                headers["Content-Type"] = call.content_type
            began = time.perf_counter()
            try:
                connection.request(call.method, call.path, call.body, headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == call.expected
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            mine.append((time.perf_counter() - began) * 1000)
            failed += not ok
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += failed

    stop_flood = threading.Event()
    flood_answers: list[int] = []

    def flood(number: int) -> None:
        # Wrong passwords as fast as the server answers them, on one connection each.
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        body = json.dumps({"username": f"guess{number}", "password": "wrong password"})
        while not stop_flood.is_set():
            try:
                connection.request(
                    "POST", "/api/auth/login", body, {"Content-Type": "application/json"}
                )
                response = connection.getresponse()
                response.read()
                flood_answers.append(response.status)
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.close()

    flooders = [
        threading.Thread(target=flood, args=(i,))
        for i in range(FLOOD_CLIENTS if endpoint.login_flood else 0)
    ]
    for thread in flooders:
        thread.start()
    if flooders:
        time.sleep(1.0)  # the flood is under way before the first measured request
    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    stop = threading.Event()
    load = None
    if endpoint.during is not None:
        load = threading.Thread(target=endpoint.during, args=(server, login[0], stop))
        load.start()
        time.sleep(1.0)  # the first upload is under way when the clients start
    cpu_before = process_cpu_seconds(server.process.pid)
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu = process_cpu_seconds(server.process.pid) - cpu_before  # with the uploads' worker
    stop.set()
    if load is not None:
        load.join()
    stop_flood.set()
    for thread in flooders:
        thread.join()
    if flooders:
        checked = sum(1 for status in flood_answers if status == 401)
        throttled = sum(1 for status in flood_answers if status == 429)
        print(
            f"  (login flood: {len(flood_answers)} wrong-password logins answered while it ran: "
            f"{checked} checked (401), {throttled} throttled (429), "
            f"{len(flood_answers) - checked - throttled} other)",
            flush=True,
        )
    return Result(latencies, errors, elapsed, cpu)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def allow_uploads(database_url: str, username: str) -> None:
    """Give ``username`` the permission to create negotiations: the large uploads come from
    a user who may create them (without it they are refused before any validation)."""
    from sqlalchemy import update

    from accord.ledger import Database
    from accord.ledger.models import User

    database = Database(database_url)
    try:
        with database.transaction() as session:
            session.execute(
                update(User).where(User.username == username).values(can_create_negotiations=True)
            )
    finally:
        database.dispose()


def bench_database(
    label: str, database_url: str, requests: int, pause: float, workers: int
) -> list[str]:
    seed(database_url)
    allow_uploads(database_url, "ua-delegate")
    server = Server(database_url, workers)
    try:
        cookies = {role: server.login(role) for role in ("mediator", "ua-delegate")}
        # The preview of the saved preferences, computed once (as after the first visit):
        # the rows measure the page and the preview endpoint, not one analysis process.
        warm = {"Cookie": cookies["ua-delegate"][0], "X-CSRF-Token": cookies["ua-delegate"][1]}
        for _attempt in range(30):
            status, _, text = server.request(
                "POST",
                "/negotiations/1/parties/ua/preferences/preview/live",
                PREFERENCES_FORM,
                {**warm, "Content-Type": "application/x-www-form-urlencoded"},
            )
            if status == 200 and b'"status":"ready"' in text:
                break
        prepare(server, cookies["mediator"][0])
        load, cores = os.getloadavg()[0], os.cpu_count()
        print(
            f"{label}: load average before the run {load:.1f} on {cores} cores; "
            f"machine speed: {speed_probe_ms():.0f} ms for a fixed loop"
        )
        for endpoint in ENDPOINTS[:1]:  # warm-up: imports, first queries, caches
            run_endpoint(server, endpoint, cookies[endpoint.role], 2, 0.0)
        rows = []
        for endpoint in (*ENDPOINTS, *AT_HISTORY):
            if endpoint is AT_HISTORY[0]:
                add_history(server, cookies["mediator"][0], HISTORY)
            result = run_endpoint(server, endpoint, cookies[endpoint.role], requests, pause)
            p99 = percentile(result.latencies_ms, 0.99)
            rows.append(
                f"{label:<10} {endpoint.name:<34} {len(result.latencies_ms):>6} "
                f"{result.errors:>6} {statistics.median(result.latencies_ms):>8.1f} "
                f"{p99:>8.1f} {max(result.latencies_ms):>8.1f} "
                f"{len(result.latencies_ms) / result.seconds:>7.0f} "
                f"{result.server_cpu_seconds / len(result.latencies_ms) * 1000:>7.1f} "
                f"{'yes' if p99 < TARGET_P99_MS and not result.errors else 'NO':>6}"
            )
            print(rows[-1], flush=True)
        print(f"{label}: machine speed after the run: {speed_probe_ms():.0f} ms for the loop")
        return rows
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--requests", type=int, default=REQUESTS_PER_CLIENT, help="per client")
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (accord serve --workers)"
    )
    parser.add_argument(
        "--pause", type=float, default=1.0, help="mean seconds between a client's requests"
    )
    parser.add_argument(
        "--only", default="", help="only the endpoints whose name contains this text"
    )
    parser.add_argument(
        "--no-throttle", action="store_true", help="every flood login costs a password check"
    )
    parser.add_argument(
        "--disk-load",
        type=int,
        default=0,
        metavar="MB",
        help="meanwhile another writer syncs MB megabytes at a time to the disk (SQLite)",
    )
    arguments = parser.parse_args()
    if arguments.no_throttle:
        SERVER_ENVIRONMENT.update(NO_THROTTLE)
    global ENDPOINTS
    ENDPOINTS = tuple(e for e in ENDPOINTS if arguments.only in e.name) or ENDPOINTS
    print(
        f"{CLIENTS} concurrent clients x {arguments.requests} requests per endpoint, "
        f"loopback, {arguments.workers} server process(es), "
        + (f"~{arguments.pause:g} s between a client's requests" if arguments.pause else "no pause")
        + f"; target p99 < {TARGET_P99_MS:.0f} ms, no errors"
        + (
            f"; another writer syncing {arguments.disk_load} MB at a time"
            if arguments.disk_load
            else ""
        )
    )
    print(
        f"{'database':<10} {'endpoint':<34} {'reqs':>6} {'errors':>6} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'req/s':>7} {'cpu ms':>7} {'target':>6}"
    )
    if arguments.database in ("sqlite", "both"):
        with (
            tempfile.TemporaryDirectory() as folder,
            DiskLoad(Path(folder), arguments.disk_load),
        ):
            url = f"sqlite:///{Path(folder) / 'ledger.db'}"
            bench_database("SQLite", url, arguments.requests, arguments.pause, arguments.workers)
    if arguments.database in ("postgresql", "both"):
        postgres = start_postgres()
        try:
            url = postgres.create_database("accord_bench")
            bench_database(
                "PostgreSQL", url, arguments.requests, arguments.pause, arguments.workers
            )
        finally:
            postgres.stop()


if __name__ == "__main__":
    main()
