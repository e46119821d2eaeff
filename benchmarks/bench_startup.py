"""Whole-process time of the commands issue 10 §4 times, beside baselines of the same run.

Each command runs in a fresh process, ``--runs`` times, interleaved with the baselines
(one round runs every command once), so that a machine shared with other work slows
them all alike; the medians of wall time and of CPU time (user + system, the fairer
figure under load) are printed with the ratio to ``python -c pass`` and to
``python -c "import numpy"``; a third baseline imports every library the plan's analysis
needs (numpy, pydantic, Typer, PyYAML, HiGHS, Rich's tables): the floor under its 0.4 s.
Python caches bytecode as an installed package does
(``PYTHONPYCACHEPREFIX`` in a temporary folder, one warm-up run first), even where the
environment says not to write it.

* ``accord --help`` (target 0.25 s);
* ``accord analyze examples/peace-plan-27.yaml`` (target 0.4 s);
  (and the analysis alone, timed inside a process that has loaded the plan);
* ``accord validate examples/peace-plan-27.yaml``: reading and validating alone (no numpy);
* ``accord analyze examples/camp-david-1978.yaml --json``: a game answered off its exact
  frontier (no program solved, neither HiGHS nor Rich imported);
* ``accord simulate`` on GENIUS's EnergyA (2 parties, 5^8 packages; ``--json``): each
  party's tables of every package, the ranking a concession strategy bisects, the run,
  and the exact frontier for the metrics (target: compile once, rank lazily);
* ``accord analyze pie.json``: the 201-party, 1-issue, 1,001-option "pie" written as JSON
  by :func:`accord.scenario.writer.dump_scenario` (the loader's part is printed apart);
* ``accord robustness examples/peace-plan-27-uncertain.yaml --samples 1000``, run once on
  the default backend (wall time) and once on the serial one (CPU time per sample, and
  what that makes on 2 idle cores; target 10 s).

``--compare SRC`` runs every command a second time with ``PYTHONPATH=SRC`` (another
checkout's ``src``) in the same rounds: before and after a change, on the same load.

    python benchmarks/bench_startup.py
    python benchmarks/bench_startup.py --compare /tmp/before/src --samples 200
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src"
# What `accord analyze examples/peace-plan-27.yaml` cannot do without: its floor.
LIBRARIES = "numpy, pydantic, typer, yaml, highspy, rich.table"
ENERGY = ROOT.parent / "shared" / "external" / "genius" / "anac2012-EnergyA"
TARGETS = {"help": 0.25, "plan": 0.4, "robustness": 10.0}
ANALYZE_PLAN = """
import time
from accord import analyze, load_scenario
scenario = load_scenario("examples/peace-plan-27.yaml")
analyze(scenario)  # the first call pays for what the analysis imports on first use
start, cpu = time.perf_counter(), time.process_time()
analyze(scenario)
print(time.perf_counter() - start, time.process_time() - cpu)
"""
LOAD_PIE = """
import time
from accord.formats.detect import load_any
start, cpu = time.perf_counter(), time.process_time()
load_any({path!r})
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def write_pie(folder: Path) -> Path:
    from accord.scenario.generate import random_additive_scenario
    from accord.scenario.writer import dump_scenario

    path = folder / "pie.json"
    dump_scenario(random_additive_scenario(201, 1, 1001, seed=1), path)
    return path


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall time, CPU time (user + system) and standard output of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, result.stdout


def environment(source: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(source)
    env["PYTHONPYCACHEPREFIX"] = str(cache / source.as_posix().strip("/").replace("/", "_"))
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each quick command")
    parser.add_argument("--samples", type=int, default=1000, help="robustness samples (0: skip)")
    parser.add_argument("--compare", type=Path, help="another checkout's src, run alongside")
    arguments = parser.parse_args()
    if not ENERGY.is_dir():
        sys.exit(f"GENIUS data not found at {ENERGY} (shared/external/genius/ beside the repo)")
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        pie = write_pie(here)
        trees = [("", SOURCE)] + ([(" [compare]", arguments.compare)] if arguments.compare else [])
        baselines = [
            ("python -c pass (baseline)", [python, "-c", "pass"]),
            ("python -c 'import numpy' (baseline)", [python, "-c", "import numpy"]),
            (
                "python -c 'import <the plan's libraries>' (baseline)",
                [python, "-c", f"import {LIBRARIES}"],
            ),
        ]
        commands = [
            ("accord --help", [python, "-m", "accord", "--help"], "help"),
            (
                "accord analyze examples/peace-plan-27.yaml",
                [python, "-m", "accord", "analyze", "examples/peace-plan-27.yaml"],
                "plan",
            ),
            ("  of which the analysis", [python, "-c", ANALYZE_PLAN], ""),
            (
                "accord validate examples/peace-plan-27.yaml",
                [python, "-m", "accord", "validate", "examples/peace-plan-27.yaml"],
                "",
            ),
            (
                "accord analyze examples/camp-david-1978.yaml --json",
                [python, "-m", "accord", "analyze", "examples/camp-david-1978.yaml", "--json"],
                "",
            ),
            (
                "accord simulate EnergyA --json",
                [python, "-m", "accord", "simulate", str(ENERGY), "--json"],
                "",
            ),
            ("accord analyze pie.json", [python, "-m", "accord", "analyze", str(pie)], ""),
            ("  of which loading pie.json", [python, "-c", LOAD_PIE.format(path=str(pie))], ""),
        ]
        rows: list[tuple[str, list[str], dict[str, str], str]] = [
            (name, command, environment(SOURCE, here), "") for name, command in baselines
        ]
        for suffix, source in trees:
            env = environment(source, here)
            rows += [(name + suffix, command, env, target) for name, command, target in commands]
        for _, command, env, _ in rows:  # warm-up: bytecode written, files in the page cache
            run(command, env)
        walls: dict[str, list[float]] = {name: [] for name, *_ in rows}
        cpus: dict[str, list[float]] = {name: [] for name, *_ in rows}
        loads: dict[str, list[tuple[float, float]]] = {name: [] for name, *_ in rows}
        for _ in range(arguments.runs):
            for name, command, env, _ in rows:
                wall, cpu, output = run(command, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
                if name.strip().startswith("of which"):
                    inside_wall, inside_cpu = output.split()[-2:]
                    loads[name].append((float(inside_wall), float(inside_cpu)))
        pass_cpu = statistics.median(cpus[baselines[0][0]])
        numpy_cpu = statistics.median(cpus[baselines[1][0]])
        print(f"medians of {arguments.runs} interleaved runs; ratios are of CPU time")
        header = f"{'command':<62} {'wall s':>7} {'CPU s':>7} {'/ pass':>7} {'/ numpy':>8}"
        print(header + f" {'target':>7}")
        for name, _, _, target in rows:
            wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
            if loads[name]:  # the loading alone, timed inside the process
                wall = statistics.median(w for w, _ in loads[name])
                cpu = statistics.median(c for _, c in loads[name])
            goal = f"{TARGETS[target]:>6} s" if target else ""
            line = (
                f"{name:<62} {wall:>7.3f} {cpu:>7.3f} {cpu / pass_cpu:>6.1f}x "
                f"{cpu / numpy_cpu:>7.1f}x {goal:>8}"
            )
            print(line.rstrip())
        if arguments.samples:
            print()
            robustness(python, trees, here, arguments.samples, pass_cpu)


def robustness(
    python: str, trees: list[tuple[str, Path]], here: Path, samples: int, pass_cpu: float
) -> None:
    """Wall time on the default backend (its workers' CPU time is not the parent's to
    count), and CPU time on the serial backend: the work per sample, which on 2 idle cores
    gives the wall time the target is about."""
    for suffix, source in trees:
        command = [
            python,
            "-m",
            "accord",
            "robustness",
            "examples/peace-plan-27-uncertain.yaml",
            "--samples",
            str(samples),
            "--seed",
            "0",
        ]
        env = environment(source, here)
        wall, _, _ = run(command, env)
        _, cpu, _ = run([*command, "--backend", "serial"], env)
        per_sample = cpu / samples
        print(
            f"accord robustness examples/peace-plan-27-uncertain.yaml --samples {samples}"
            f"{suffix}: {wall:.1f} s wall on the default backend; serial {cpu:.1f} s CPU, "
            f"{per_sample * 1000:.1f} ms per sample = {per_sample / pass_cpu:.2f}x python -c "
            f"pass, so 1,000 samples on 2 idle cores: {per_sample * 1000 / 2:.1f} s "
            f"(target {TARGETS['robustness']:g} s)"
        )


if __name__ == "__main__":
    main()
