"""Wall and CPU time of ``accord robustness``, against the old per-profile path, same run.

For each file, and for each of two source trees (this one, and the tree before the
per-profile work was cut: commit ``BASELINE`` by default, extracted with ``git archive``),
in interleaved rounds:

* ``accord robustness FILE --samples N --seed 0 --json`` on the default backend
  (``processes``, ``--workers`` of them) in a fresh process: the wall time a user waits;
* the same with ``--backend serial``: its CPU time (user + system of the process, which
  does every profile itself), the honest figure on a machine shared with other work;
* whether the two trees' reports are the same (every figure but the timings).

It prints each figure, the ratio old / new of the same run, and what the CPU time projects
for ``--workers`` idle cores (start-up, then the profiles shared evenly); issue 10's target
is 10 s of wall time for 1,000 samples of the uncertain plan on the default backend.

    python benchmarks/bench_robustness.py                      # the uncertain plan, 1,000
    python benchmarks/bench_robustness.py --samples 200 --rounds 1
    python benchmarks/bench_robustness.py --baseline-src /tmp/before/src
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FILES = ["examples/peace-plan-27-uncertain.yaml"]
BASELINE = "e434019"  # main before the per-profile work of issue 10 §4 (robustness)
TARGET_SECONDS_PER_1000 = 10.0


def run(source: Path, arguments: list[str]) -> tuple[float, float, dict[str, Any]]:
    """Wall seconds, CPU seconds (the process and the children it waited for), JSON."""
    environment = os.environ | {"PYTHONPATH": str(source)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "accord", *arguments],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, json.loads(result.stdout)


def startup_cpu(source: Path) -> float:
    """CPU seconds of starting Python and importing the command (median of 3)."""
    environment = os.environ | {"PYTHONPATH": str(source)}
    times = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(
            [sys.executable, "-c", "import accord.cli, accord.robustness.run"],
            env=environment,
            check=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(times)


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in report.items() if k not in ("seconds", "backend")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (medians)")
    parser.add_argument("--baseline", default=BASELINE, help="git commit of the old path")
    parser.add_argument("--baseline-src", type=Path, help="an old tree's src/ instead")
    parser.add_argument("files", nargs="*", default=FILES)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        old = arguments.baseline_src
        if old is None:
            archive = subprocess.run(
                ["git", "archive", arguments.baseline, "src"],
                cwd=ROOT,
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", scratch], input=archive, check=True)
            old = Path(scratch) / "src"
        trees = {"new": ROOT / "src", "old": old}
        print(f"old path: {arguments.baseline_src or 'commit ' + arguments.baseline}")
        started = {name: startup_cpu(source) for name, source in trees.items()}
        for file in arguments.files:
            measure(file, trees, started, arguments)


def measure(file: str, trees: dict[str, Path], started: dict[str, float], arguments: Any) -> None:
    samples, workers = arguments.samples, arguments.workers
    common = ["robustness", file, "--samples", str(samples), "--seed", "0", "--json"]
    walls: dict[str, list[float]] = {name: [] for name in trees}
    cpus: dict[str, list[float]] = {name: [] for name in trees}
    reports: dict[str, dict[str, Any]] = {}
    for _ in range(arguments.rounds):
        for name, source in trees.items():
            wall, _, report = run(source, [*common, "--workers", str(workers)])
            walls[name].append(wall)
            reports[name] = report
            _, cpu, _ = run(source, [*common, "--backend", "serial"])
            cpus[name].append(cpu)
    target = TARGET_SECONDS_PER_1000 * samples / 1000
    print(f"\naccord robustness {file} --samples {samples} (medians of {arguments.rounds})")
    figures = {}
    for name in trees:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        per_sample = (cpu - started[name]) / samples
        projected = started[name] + per_sample * samples / workers
        figures[name] = (wall, cpu, per_sample, projected)
        deal = reports[name]["deal_probability"]
        print(
            f"  {name}: {wall:6.1f} s wall on the default backend ({workers} workers); "
            f"serial {cpu:6.1f} s CPU = {1000 * per_sample:5.1f} ms per sample after "
            f"{started[name]:.2f} s of start-up; on {workers} idle cores {projected:5.1f} s "
            f"(target {target:g} s); deal in {deal['count']} of {samples}"
        )
    new, old = figures["new"], figures["old"]
    same = comparable(reports["new"]) == comparable(reports["old"])
    print(
        f"  old / new: wall {old[0] / new[0]:.2f}x, CPU per sample {old[2] / new[2]:.2f}x; "
        f"same report: {'yes' if same else 'NO'}"
    )


if __name__ == "__main__":
    main()
