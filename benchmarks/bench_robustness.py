"""Wall time of ``accord robustness`` and its cost per sample against one ``accord analyze``.

Everything runs in the same run of this script:

* ``accord analyze FILE --json`` in a fresh process (median of 3): what a user waits for;
* the analysis alone, ``accord.analyze(scenario)`` in this process (median of 3): what one
  analysis costs once Python and the imports are loaded;
* ``accord robustness FILE --samples N --seed 0 --json`` on each backend asked for, in a
  fresh process: its wall time, and its own ``seconds`` (the run, without start-up).

The cost per sample is ``seconds * workers / N`` (for ``serial``, ``seconds / N``): the
worker time one profile takes, comparable with the analysis alone. On a machine shared
with other work the process pool's figure includes time its workers waited for a core.
The baseline of the same run is a process that only imports ``accord.cli``; issue 10's
target is 10 s of wall time for 1,000 samples of the uncertain plan on the default
backend (processes).

    python benchmarks/bench_robustness.py                        # the plans, 1,000 samples
    python benchmarks/bench_robustness.py --samples 200 --backend serial
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from accord import Scenario, analyze, load_scenario

ROOT = Path(__file__).resolve().parent.parent
FILES = ["examples/peace-plan-27.yaml", "examples/peace-plan-27-uncertain.yaml"]
TARGET_SECONDS_PER_1000 = 10.0


def wall_seconds(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, result.stdout


def timed_analysis(scenario: Scenario) -> float:
    start = time.perf_counter()
    analyze(scenario)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--backend", action="append", choices=["serial", "processes"], help="repeatable"
    )
    parser.add_argument("files", nargs="*", default=FILES)
    arguments = parser.parse_args()
    backends = arguments.backend or ["serial", "processes"]
    accord = [sys.executable, "-m", "accord"]
    imports = statistics.median(
        wall_seconds([sys.executable, "-c", "import accord.cli"])[0] for _ in range(3)
    )
    print(f"python + import accord.cli (baseline): {imports:.3f} s (median of 3)")
    for file in arguments.files:
        command_wall = statistics.median(
            wall_seconds([*accord, "analyze", file, "--json"])[0] for _ in range(3)
        )
        scenario = load_scenario(ROOT / file)
        alone = statistics.median(timed_analysis(scenario) for _ in range(3))
        print(f"\n{file}")
        print(
            f"  accord analyze: {command_wall:.3f} s wall; the analysis alone {alone:.3f} s "
            "(median of 3)"
        )
        for backend in backends:
            workers = 1 if backend == "serial" else arguments.workers
            command = [
                *accord,
                "robustness",
                file,
                "--samples",
                str(arguments.samples),
                "--seed",
                "0",
                "--backend",
                backend,
                "--json",
            ]
            if backend != "serial":
                command += ["--workers", str(workers)]
            wall, output = wall_seconds(command)
            report = json.loads(output)
            per_sample = report["seconds"] * workers / arguments.samples
            deal = report["deal_probability"]
            target = TARGET_SECONDS_PER_1000 * arguments.samples / 1000
            print(
                f"  accord robustness --samples {arguments.samples} --backend {backend} "
                f"({report['backend']}): {wall:.1f} s wall ({wall / target:.0%} of the "
                f"{target:g} s target, {wall / imports:.0f}x the baseline), "
                f"{report['seconds']:.1f} s run; "
                f"per sample {per_sample:.3f} s of worker time = {per_sample / alone:.2f}x "
                f"the analysis alone; deal in {deal['count']} of {report['samples']} "
                f"(interval {deal['interval'][0]:.3f}-{deal['interval'][1]:.3f})"
            )


if __name__ == "__main__":
    main()
