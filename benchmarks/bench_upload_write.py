"""How long storing a large upload holds SQLite's one write lock, and what it costs.

The scenario of bench_web's large uploads (one issue of 10,000 options, two parties) is
stored on a SQLite ledger (``synchronous=FULL``, as ``accord serve`` runs it) in two ways,
each in one write transaction timed from its ``BEGIN IMMEDIATE`` to the end of its commit:

- ``from the model``: :func:`accord.ledger.negotiations.create_negotiation`, which turns
  the validated scenario into JSON while the transaction holds the lock (what uploads did);
- ``from the text``: :func:`accord.ledger.stored_scenario.create_stored_negotiation`, which
  writes the text the validation worker serialised (what uploads do now).

Printed per way: the median over the repeats of the lock's hold and of the CPU the
writing thread spent, and the ratio of the medians; then what the worker's serialising
(:func:`~accord.ledger.stored_scenario.stored_form`) costs, off the lock and off the
server's process.

    python benchmarks/bench_upload_write.py [--repeats 9]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accord.ledger import Database
from accord.ledger.negotiations import create_negotiation
from accord.ledger.stored_scenario import create_stored_negotiation, stored_form
from accord.scenario.loader import validate_data
from bench_web import large_scenario


def timed(database: Database, write: Callable[[Session], object]) -> tuple[float, float]:
    """Milliseconds of the write transaction's lock hold and of this thread's CPU."""
    with database.session(write=True) as session:
        session.connection()  # BEGIN IMMEDIATE: the lock is held from here
        began, cpu = time.perf_counter(), time.thread_time()
        write(session)
        session.commit()
        return (time.perf_counter() - began) * 1000, (time.thread_time() - cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    repeats = parser.parse_args().repeats
    scenario = validate_data(json.loads(large_scenario())["scenario"], "scenario")
    stored = stored_form(scenario)
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite:///{Path(folder) / 'ledger.db'}")
        database.migrate()
        ways = {
            "from the model": lambda session: create_negotiation(session, scenario),
            "from the text": lambda session: create_stored_negotiation(session, stored),
        }
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
        for _ in range(repeats):  # interleaved: both ways see the same machine
            for name, write in ways.items():
                results[name].append(timed(database, write))
        database.dispose()
    print(f"storing a scenario of one 10,000-option issue on SQLite, median of {repeats}:")
    medians = {}
    for name, runs in results.items():
        held = statistics.median(run[0] for run in runs)
        cpu = statistics.median(run[1] for run in runs)
        medians[name] = (held, cpu)
        print(f"  {name:<15} write lock held {held:7.1f} ms, CPU {cpu:7.1f} ms")
    (old_held, old_cpu), (new_held, new_cpu) = medians.values()
    print(
        f"  ratio (model / text): lock held {old_held / new_held:.1f}x, "
        f"CPU {old_cpu / new_cpu:.1f}x"
    )
    began = time.thread_time()
    for _ in range(repeats):
        stored_form(scenario)
    serialising = (time.thread_time() - began) / repeats * 1000
    print(f"  serialising for the text, in the validation worker: {serialising:.1f} ms of CPU")


if __name__ == "__main__":
    main()
