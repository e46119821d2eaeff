"""The garbage collector's pauses in the web server, with and without the frozen heap.

CPython's full (generation 2) collection walks every tracked object; the server holds a few
hundred thousand that live as long as it does, and while a collection runs no request
advances. :mod:`accord.web.heap` freezes them at start-up. This script serves the
mediator's dashboard of the peace plan in-process, ``--requests`` times one after another,
without the freeze and with it (the app's lifespan), ``--rounds`` pairs of runs in
alternating order, and prints per run the
objects tracked, the collections of each generation with their longest and total pause,
the requests' p50, p99 and largest latency, and the process's CPU time per request
(client and server: they share the process). The two runs share the process and the
machine, so their ratio is what to read (the absolute figures grow with the machine's
load).

    python benchmarks/bench_gc_pauses.py
    python benchmarks/bench_gc_pauses.py --requests 1000 --path /negotiations/1/timeline
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the seeded world the web tests use

from fastapi.testclient import TestClient  # noqa: E402

from accord.web.app import create_app  # noqa: E402
from web_world import log_in, seed  # noqa: E402


def run(url: str, path: str, requests: int, frozen: bool) -> str:
    app = create_app(url)
    client = TestClient(app)
    if frozen:
        client.__enter__()  # runs the lifespan: collect, then freeze
    assert log_in(client, "mediator").status_code == 303
    for _ in range(20):  # warm-up: first queries, template compilation
        client.get(path)
    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started: dict[int, float] = {}

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[info["generation"]] = time.perf_counter()
        else:
            generation = info["generation"]
            pauses[generation].append((time.perf_counter() - started[generation]) * 1000)

    latencies = []
    cpu_before = time.process_time()
    gc.callbacks.append(watch)
    try:
        for _ in range(requests):
            began = time.perf_counter()
            response = client.get(path)
            latencies.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, response.status_code
    finally:
        gc.callbacks.remove(watch)
    cpu_ms = (time.process_time() - cpu_before) * 1000 / requests
    tracked = len(gc.get_objects())
    if frozen:
        client.__exit__(None, None, None)  # unfreezes
    client.close()
    app.state.database.dispose()
    ordered = sorted(latencies)
    collections = "  ".join(
        f"gen{g} {len(p):>4} x, max {max(p, default=0):6.1f} ms, sum {sum(p):7.1f} ms"
        for g, p in pauses.items()
    )
    return (
        f"{'frozen' if frozen else 'not frozen':<11} tracked {tracked:>7}  {collections}  "
        f"p50 {statistics.median(ordered):6.1f}  "
        f"p99 {ordered[round(0.99 * (len(ordered) - 1))]:6.1f}  max {ordered[-1]:6.1f} ms  "
        f"cpu {cpu_ms:5.1f} ms/request"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--path", default="/negotiations/1")
    parser.add_argument(
        "--rounds", type=int, default=2, help="pairs of runs, in alternating order (ABBA...)"
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'ledger.db'}"
        seed(url)
        print(f"{arguments.requests} requests of {arguments.path} as the mediator, one at a time")
        for round_number in range(arguments.rounds):
            # Alternating the order keeps a drift of the machine's load or of the ledger
            # (its sessions grow with each login) from favouring one side.
            for frozen in (False, True) if round_number % 2 == 0 else (True, False):
                print(run(url, arguments.path, arguments.requests, frozen), flush=True)


if __name__ == "__main__":
    main()
