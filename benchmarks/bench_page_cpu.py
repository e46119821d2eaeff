"""The server's CPU per request for the pages that read the history, against a baseline.

A ledger like the one ``bench_web.py``'s last rows meet (the peace plan, 500 meetings, 500
versions of the mediator's text, 4,000 stances, written through the API) is built once;
then, for this checkout and for a baseline checkout (``--baseline``: the ``src`` folder of
another worktree), in alternating rounds, a real server (uvicorn in its own process, as
``bench_web.py`` runs it) on a copy of the ledger answers the pages one request at a
time. Printed per page and code: the server's CPU time per request (from ``/proc``: it
does not grow when other programs share the cores, which is what a queue of 50 clients is
made of) and the median latency, the median over the rounds, and the baseline's CPU over
this checkout's.

    python benchmarks/bench_page_cpu.py
    python benchmarks/bench_page_cpu.py --only preferences
    git worktree add /tmp/baseline 3f57cb5 && \\
        python benchmarks/bench_page_cpu.py --baseline /tmp/baseline/src
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the seeded world the web tests use
sys.path.insert(0, str(ROOT / "benchmarks"))

PAGES = (
    ("timeline (mediator)", "mediator", "/negotiations/1/timeline"),
    ("timeline (delegate)", "ua-delegate", "/negotiations/1/timeline"),
    ("timeline, one block", "mediator", "/negotiations/1/timeline?block=territory"),
    ("dashboard (mediator)", "mediator", "/negotiations/1"),
    ("stances page (mediator)", "mediator", "/negotiations/1/stances"),
    ("preferences (delegate)", "ua-delegate", "/negotiations/1/parties/ua/preferences"),
)
MEETINGS = VERSIONS = 500
STANCES = 4000


def build(target: Path) -> None:
    """The ledger, written through the API of the code on ``sys.path``."""
    from fastapi.testclient import TestClient

    import bench_web
    from accord.web.app import create_app
    from web_world import log_in, seed

    url = f"sqlite:///{target}"
    seed(url)
    app = create_app(url)
    with TestClient(app) as client:
        assert log_in(client, "mediator").status_code == 303
        token = bench_web._token(client.get("/negotiations/1").content)
        headers = {"X-CSRF-Token": token, "Content-Type": "application/json"}
        draft = b'{"title": "Benchmark text", "package": {"donetsk": "buffer-ua"}}'
        assert client.post("/api/negotiations/1/drafts", content=draft, headers=headers).is_success
        rng = random.Random(bench_web.SEED)
        calls = [bench_web.meeting(rng, number % 50) for number in range(MEETINGS)]
        calls += [bench_web.draft_version(rng, 0) for _ in range(VERSIONS)]
        calls += [bench_web.stance(rng, 0) for _ in range(STANCES)]
        for call in calls:
            response = client.post(call.path, content=call.body, headers=headers)
            assert response.status_code == call.expected, response.text
    app.state.database.dispose()
    with __import__("sqlite3").connect(target) as connection:  # one file: the WAL folded in
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def measure(ledger: Path, source: str, requests: int) -> dict[str, tuple[float, float]]:
    """Per page: the server's CPU ms per request and the median latency in ms."""
    import bench_web

    folder = Path(tempfile.mkdtemp())
    try:
        shutil.copyfile(ledger, folder / "ledger.db")
        os.environ["PYTHONPATH"] = source
        server = bench_web.Server(f"sqlite:///{folder / 'ledger.db'}", 1)
        try:
            cookies = {role: server.login(role)[0] for role in ("mediator", "ua-delegate")}
            figures = {}
            for name, role, path in PAGES:
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)

                def get(
                    path: str = path,
                    role: str = role,
                    connection: http.client.HTTPConnection = connection,
                ) -> float:
                    began = time.perf_counter()
                    connection.request("GET", path, headers={"Cookie": cookies[role]})
                    response = connection.getresponse()
                    response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{path}: {response.status}")
                    return (time.perf_counter() - began) * 1000

                for _ in range(30):  # warm-up: first queries, compiled statements, templates
                    get()
                cpu = bench_web.process_cpu_seconds(server.process.pid)
                latencies = [get() for _ in range(requests)]
                cpu = bench_web.process_cpu_seconds(server.process.pid) - cpu
                figures[name] = (cpu / requests * 1000, statistics.median(latencies))
                connection.close()
            return figures
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="the src folder of the checkout to compare with")
    parser.add_argument("--requests", type=int, default=300, help="per page and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # the child's job
    arguments = parser.parse_args()
    if arguments.build is not None:
        build(arguments.build)
        return
    global PAGES
    PAGES = tuple(page for page in PAGES if arguments.only in page[0]) or PAGES
    sources = {"this checkout": str(ROOT / "src")}
    if arguments.baseline:
        sources = {"baseline": str(Path(arguments.baseline).resolve())} | sources
    with tempfile.TemporaryDirectory() as folder:
        ledger = Path(folder) / "ledger.db"
        # Built by the oldest code compared: a newer server migrates its copy on start.
        environment = os.environ | {"PYTHONPATH": next(iter(sources.values()))}
        began = time.perf_counter()
        script = str(Path(__file__).resolve())
        subprocess.run(
            [sys.executable, script, "--build", str(ledger)], env=environment, check=True
        )
        print(
            f"ledger: {MEETINGS} meetings, {VERSIONS} versions, {STANCES} stances "
            f"(built in {time.perf_counter() - began:.0f} s); {arguments.requests} requests "
            f"per page, one at a time, {arguments.rounds} rounds; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        runs: dict[str, list[dict[str, tuple[float, float]]]] = {name: [] for name in sources}
        for _ in range(arguments.rounds):
            for name, source in sources.items():
                runs[name].append(measure(ledger, source, arguments.requests))
    print(f"{'page':<26} {'code':<14} {'cpu ms':>7} {'p50 ms':>7}  cpu ms per round")
    for page, _, _ in PAGES:
        cpu_of = {}
        for name in sources:
            cpus = [run[page][0] for run in runs[name]]
            cpu_of[name] = statistics.median(cpus)
            latency = statistics.median(run[page][1] for run in runs[name])
            rounds = " ".join(f"{cpu:.1f}" for cpu in cpus)
            print(f"{page:<26} {name:<14} {cpu_of[name]:>7.1f} {latency:>7.1f}  {rounds}")
        if "baseline" in cpu_of:
            ratio = cpu_of["baseline"] / cpu_of["this checkout"]
            print(f"{page:<26} {'ratio':<14} {ratio:>6.2f}x  (baseline cpu / this checkout's)")


if __name__ == "__main__":
    main()
