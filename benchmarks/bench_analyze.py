"""Wall time of ``accord analyze`` (and ``accord --help``), as a user runs them.

Each command is run several times in a fresh process; the median is printed beside the
baselines measured in the same run: a process that only starts Python, one that imports
the libraries ``accord analyze`` needs (numpy, pydantic, HiGHS, PyYAML, Typer, Rich: the
floor no analysis can go below) and one that imports ``accord.cli``. The whole-process
targets of issue 10 are 0.25 s for ``accord --help`` and 0.4 s for the plan (wall time on
a quiet machine; the CPU time is printed too, the fairer figure when others share it); the
plan's time is then split in one process into imports, loading and analysis.

    python benchmarks/bench_analyze.py
"""

from __future__ import annotations

import resource
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
PLAN_TARGET_SECONDS = 0.4
HELP_TARGET_SECONDS = 0.25
LIBRARIES = "import numpy, pydantic, highspy, yaml, typer, rich.console"
SPLIT = """
import time
start = time.perf_counter()
import accord.cli
from accord.analysis.report import analyze
from accord.formats.detect import load_any
imported = time.perf_counter()
scenario = load_any("examples/peace-plan-27.yaml")
loaded = time.perf_counter()
analyze(scenario)
done = time.perf_counter()
print(imported - start, loaded - imported, done - loaded)
"""
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
    return measure(command)[0]


def measure(command: list[str]) -> tuple[float, float]:
    """Medians of the wall time and of the CPU time (user + system) of ``command``.

    On a machine shared with other work the wall time includes waiting for a core; the
    CPU time does not, so it is the fairer figure to compare under load.
    """
    walls, cpus = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def whole_process() -> None:
    """Issue 10's whole-process figures, with the baselines of this run (wall and CPU)."""
    rows = [
        ("python start-up only (baseline)", ["-c", "pass"], None),
        ("python + the libraries analyze needs (baseline)", ["-c", LIBRARIES], None),
        ("python + import accord.cli", ["-c", "import accord.cli"], None),
        ("accord --help", ["-m", "accord", "--help"], HELP_TARGET_SECONDS),
        (
            "accord analyze examples/peace-plan-27.yaml",
            ["-m", "accord", "analyze", "examples/peace-plan-27.yaml"],
            PLAN_TARGET_SECONDS,
        ),
    ]
    print(f"{'command (median of ' + str(RUNS) + ')':<50} {'wall s':>7} {'CPU s':>7} {'target':>7}")
    for name, arguments, target in rows:
        wall, cpu = measure([sys.executable, *arguments])
        goal = "" if target is None else f"{target:>6} s"
        print(f"{name:<50} {wall:>7.3f} {cpu:>7.3f} {goal:>8}")
    splits = []
    for _ in range(RUNS):
        result = subprocess.run(
            [sys.executable, "-c", SPLIT], cwd=ROOT, check=True, capture_output=True, text=True
        )
        splits.append([float(x) for x in result.stdout.split()])
    imported, loaded, analysed = (statistics.median(column) for column in zip(*splits, strict=True))
    print(
        f"the plan in one process: imports {imported:.3f} s, loading {loaded:.3f} s, "
        f"analysis {analysed:.3f} s (wall, medians of {RUNS})"
    )


def main() -> None:
    whole_process()
    print()
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
