"""Wall time of ``accord analyze`` on the bundled examples, as a user runs it.

Each command is run several times in a fresh process; the median is printed beside the
baseline measured in the same run: a process that only starts Python and imports
``accord`` (the floor no analysis can go below), and the target of 2 s for the plan.

    python benchmarks/bench_analyze.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
TARGET_SECONDS = 2.0
CASES = [
    ("peace plan (2 voters, 7.1e12 packages)", ["examples/peace-plan-27.yaml"]),
    ("peace plan, EU seated (3 voters)", ["examples/peace-plan-27.yaml", "--require", "eu"]),
    (
        "peace plan, EU and US seated (4 voters)",
        ["examples/peace-plan-27.yaml", "--require", "eu", "--require", "us"],
    ),
    ("peace plan, block economy", ["examples/peace-plan-27.yaml", "--block", "economy"]),
    ("Camp David 1978", ["examples/camp-david-1978.yaml"]),
]
# The plan with Russia's withdrawal red line dropped: a deal exists, so the solutions and
# a non-empty frontier are computed too.
RELAXED_CASES = [
    ("relaxed plan (2 voters)", []),
    ("relaxed plan, EU seated (3 voters)", ["--require", "eu"]),
    ("relaxed plan, EU and US seated (4 voters)", ["--require", "eu", "--require", "us"]),
]


def write_relaxed_plan(folder: Path) -> Path:
    data = yaml.safe_load((ROOT / "examples" / "peace-plan-27.yaml").read_text())
    russia = next(p for p in data["parties"] if p["id"] == "ru")
    russia["preferences"]["red_lines"] = [
        r
        for r in russia["preferences"]["red_lines"]
        if r.get("label") != "Ukraine must withdraw from Donetsk"
    ]
    path = folder / "peace-plan-relaxed.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def median_seconds(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    floor = median_seconds([sys.executable, "-c", "import accord.cli"])
    print(f"python + import accord.cli (baseline): {floor:.3f} s (median of {RUNS})")
    print(f"{'case':<42} {'median s':>9} {'over baseline':>14} {'of 2 s target':>14}")
    with tempfile.TemporaryDirectory() as folder:
        relaxed = str(write_relaxed_plan(Path(folder)))
        cases = CASES + [(name, [relaxed, *extra]) for name, extra in RELAXED_CASES]
        for name, arguments in cases:
            command = [sys.executable, "-m", "accord", "analyze", *arguments, "--json"]
            seconds = median_seconds(command)
            print(
                f"{name:<42} {seconds:>9.3f} {seconds / floor:>13.1f}x "
                f"{seconds / TARGET_SECONDS:>13.0%}"
            )


if __name__ == "__main__":
    main()
