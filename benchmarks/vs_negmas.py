"""Accord against NegMAS, the field's reference library: Pareto frontier and Nash point.

Both answer the same question on the same scenarios in one run: two-party generated
additive scenarios of 5^6 to 5^10 packages (``random_additive_scenario(2, issues, 5,
seed=issues)``, given to NegMAS by ``to_negmas``), and the bilateral GENIUS domains as
NegMAS's own loader reads them (raw evaluations, ``shared/external/genius/FORMAT.md`` §6;
given to Accord by ``from_negmas``). The answers are checked to be the same: the set of
frontier points, and the Nash point, gains measured from the reservation values.

NegMAS: ``negmas.preferences.ops.pareto_frontier`` (it evaluates every outcome) and
``nash_points`` on that frontier. Accord: ``compile_scenario``, ``pareto_frontier`` and
``nash``. Each side runs in a fresh process per scenario, after a warm-up on a tiny
scenario; time is the median of several runs (one NegMAS run from 5^9 packages on) and
memory the growth of the process's peak resident set over its size before the first timed
run (``ru_maxrss``), which keeps NegMAS's outcome lists out of Accord's figures.

Then the whole process, as a user meets it, on a two-party 5^9-package scenario in GENIUS
XML (``random_additive_scenario(2, 9, 5, seed=9)`` written by ``dump_genius``; once as
written, once with each profile's weights summing to 1 + 1e-9, which GENIUS caps at 1):
``accord analyze FOLDER --json --frontier-points`` in a subprocess against a NegMAS script
in a subprocess that loads the same folder with NegMAS's GENIUS reader and finds the
frontier, the Nash, Kalai-Smorodinsky and utilitarian points (less than Accord does: no
counts, no egalitarian point, no opposition). Wall time from start to exit (median of
runs) and the child's peak resident set (``wait4``), imports included.

    python benchmarks/vs_negmas.py            # the full table: about 2 minutes, 3.6 GB
    python benchmarks/vs_negmas.py --quick    # up to 5^8 packages: about 40 s
    python benchmarks/vs_negmas.py --whole    # the whole-process comparison only: ~1 minute
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GENIUS = ROOT.parent / "shared" / "external" / "genius"
GENIUS_BILATERAL = [
    "anac2010-EnglandZimbabwe",
    "anac2010-ItexvsCypress",
    "anac2010-Travel",
    "anac2011-Laptop",
    "anac2011-NiceOrDie",
    "anac2012-EnergyA",
    "anac2012-FiftyFiftyA",
    "anac2013-DefensiveCharms",
    "anac2013-Ultimatum",
    "genius-IntegerDomain",
    "negmas-CameraB",
]
QUICK_LIMIT = 5**8
NEGMAS_LIMIT = 5**10  # 63 s and 3.6 GB here; 5^11 would take about 6 minutes and 18 GB
TARGET_SPEED_UP = 100
TARGET_FROM = 5**8
TOLERANCE = 1e-9
DECIMALS = 12
WHOLE_CASES = [("as written", 0.0), ("weights 1 + 1e-9", 1e-9)]
WHOLE_RUNS = 3
WHOLE_SPEED_UP = 20
WHOLE_MEMORY_SHARE = 4
# NegMAS does not cap at 1: where GENIUS (and Accord) cut 1 + 1e-9 to 1 it keeps 1 + 1e-9.
WHOLE_TOLERANCE = 1e-8


# -- one side, in its own process --------------------------------------------------------------


def negmas_scenario(case: str) -> Any:
    """The case as a NegMAS scenario: generated (``random:<issues>``) or a GENIUS folder."""
    from negmas.inout import Scenario

    from accord.formats.negmas_bridge import to_negmas
    from accord.scenario.generate import random_additive_scenario

    kind, _, name = case.partition(":")
    if kind == "random":
        return to_negmas(random_additive_scenario(2, int(name), 5, seed=int(name)))
    # A discount changes nothing at time 0; NegMAS reads GENIUS's per round, not per time.
    return Scenario.load(GENIUS / name, ignore_discount=True)


def accord_scenario(case: str) -> Any:
    from accord.formats.negmas_bridge import from_negmas
    from accord.scenario.generate import random_additive_scenario

    kind, _, name = case.partition(":")
    if kind == "random":
        return random_additive_scenario(2, int(name), 5, seed=int(name))
    return from_negmas(negmas_scenario(case))


def negmas_answer(scenario: Any) -> dict[str, Any]:
    from negmas.preferences.ops import nash_points, pareto_frontier

    ufuns = list(scenario.ufuns)
    points, _ = pareto_frontier(ufuns, issues=scenario.outcome_space.issues)
    # nash_points measures gains from max(reserved value, worst utility) unless told the
    # ranges; these make it measure them from the reserved value, as Accord does.
    tops = np.max(points, axis=0) if points else [0.0] * len(ufuns)
    ranges = [(float(u.reserved_value), float(top)) for u, top in zip(ufuns, tops, strict=True)]
    best = nash_points(ufuns, points, ranges=ranges)
    return {"points": [list(p) for p in points], "nash": [list(p) for p, _ in best]}


def accord_answer(scenario: Any) -> dict[str, Any]:
    from accord.analysis.compiled import compile_scenario
    from accord.analysis.frontier import pareto_frontier
    from accord.analysis.nash import nash

    compiled = compile_scenario(scenario)
    frontier = pareto_frontier(compiled)
    start = time.perf_counter()
    result = nash(compiled)
    nash_seconds = time.perf_counter() - start
    voters = compiled.voter_indices
    points = np.unique(np.round(frontier.utilities[:, voters], DECIMALS), axis=0)
    chosen = [] if result.outcome is None else [result.outcome.utilities[voters].tolist()]
    return {
        "points": points.tolist(),
        "nash": chosen,
        "size": frontier.size,
        "nash_s": nash_seconds,
    }


def child(side: str, case: str, repeat: int) -> None:
    """Measure one side on one case; print the figures and the answer as JSON."""
    if side == "negmas":
        scenario, answer = negmas_scenario(case), negmas_answer
        answer(negmas_scenario("random:2"))  # warm-up: lazy imports, first calls
    else:
        scenario, answer = accord_scenario(case), accord_answer
        answer(accord_scenario("random:2"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, nash_times = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        result = answer(scenario)
        times.append(time.perf_counter() - start)
        nash_times.append(result.get("nash_s", 0.0))
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.update(
        seconds=statistics.median(times),
        nash_s=statistics.median(nash_times),
        peak_mb=(after - before) / 1024,
    )
    print(json.dumps(result))


# -- the table ---------------------------------------------------------------------------------


def run(side: str, case: str, repeat: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", side, "--case", case, "--repeat", str(repeat)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(output.splitlines()[-1])
    return result


def same_answers(accord: dict[str, Any], negmas: dict[str, Any]) -> bool:
    ours, theirs = np.array(accord["points"]), np.array(negmas["points"])
    if ours.shape != theirs.shape:
        return False
    in_order = ours[np.lexsort(ours.T)], theirs[np.lexsort(theirs.T)]
    if not np.allclose(*in_order, atol=TOLERANCE, rtol=0):
        return False
    if not accord["nash"]:  # no package gives both a positive gain: NegMAS's points then
        return True  # all have a product of 0 (or there are none)
    return any(np.allclose(accord["nash"][0], p, atol=TOLERANCE) for p in negmas["nash"])


# -- the whole process, from a GENIUS folder --------------------------------------------------


def write_genius_case(folder: Path, excess: float) -> Path:
    """The two-party 5^9 scenario as GENIUS XML, each profile's weights summing to 1 + excess."""
    from accord.formats.genius_export import dump_genius
    from accord.scenario.generate import random_additive_scenario

    folder.mkdir(parents=True, exist_ok=True)
    paths = dump_genius(random_additive_scenario(2, 9, 5, seed=9), folder)
    for profile in paths[1:]:
        text = profile.read_text(encoding="utf-8")
        first = re.search(r'<weight index="1" value="([^"]+)"', text)
        assert first is not None
        weight = float(first.group(1)) + excess
        profile.write_text(
            text.replace(first.group(0), f'<weight index="1" value="{weight!r}"'), encoding="utf-8"
        )
    return folder


def negmas_whole(folder: str) -> None:
    """What the NegMAS side runs in its own process: load, frontier, three solutions."""
    from negmas.inout import Scenario
    from negmas.preferences.ops import (
        kalai_points,
        max_welfare_points,
        nash_points,
        pareto_frontier,
    )

    scenario = Scenario.load(folder, ignore_discount=True)
    assert scenario is not None
    ufuns = list(scenario.ufuns)
    points, _ = pareto_frontier(ufuns, issues=scenario.outcome_space.issues)
    tops = np.max(points, axis=0)
    ranges = [(float(u.reserved_value), float(t)) for u, t in zip(ufuns, tops, strict=True)]
    found = {
        "nash": nash_points(ufuns, points, ranges=ranges),
        "kalai": kalai_points(ufuns, points, ranges=ranges),
        "utilitarian": max_welfare_points(ufuns, points, ranges=ranges),
    }
    print(
        json.dumps(
            {
                "points": [list(p) for p in points],
                **{k: [list(p) for p, _ in v] for k, v in found.items()},
            }
        )
    )


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, the child's peak RSS in MB, and what it printed."""
    with tempfile.TemporaryFile(mode="w+") as output:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=output, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited with {child.returncode}")
        output.seek(0)
        return seconds, usage.ru_maxrss / 1024, output.read()


def whole_process() -> list[tuple[str, float, float, bool]]:
    """Both sides on each case, in the same run; the verdicts."""
    accord = [sys.executable, "-m", "accord", "analyze"]
    print(
        f"\nWhole process, two parties, 5^9 packages from GENIUS XML: wall time (median of "
        f"{WHOLE_RUNS}) and peak RSS of the child process, imports included"
    )
    header = (
        f"{'case':<18} {'negmas s':>9} {'negmas MB':>10} {'accord s':>9} {'accord MB':>10} "
        f"{'frontier':>8} {'speed-up':>9} {'memory':>7} {'same':>5}"
    )
    print(header)
    print("-" * len(header))
    verdicts = []
    with tempfile.TemporaryDirectory() as scratch:
        for label, excess in WHOLE_CASES:
            folder = str(write_genius_case(Path(scratch) / label.replace(" ", "_"), excess))
            negmas_runs = [
                timed([sys.executable, __file__, "--negmas-whole", folder])
                for _ in range(WHOLE_RUNS)
            ]
            accord_runs = [
                timed([*accord, folder, "--json", "--frontier-points"]) for _ in range(WHOLE_RUNS)
            ]
            negmas_s = statistics.median(r[0] for r in negmas_runs)
            accord_s = statistics.median(r[0] for r in accord_runs)
            negmas_mb = max(r[1] for r in negmas_runs)
            accord_mb = max(r[1] for r in accord_runs)
            theirs = json.loads(negmas_runs[-1][2].splitlines()[-1])
            ours = json.loads(accord_runs[-1][2])
            same = same_whole_answers(ours, theirs)
            speed_up, share = negmas_s / accord_s, negmas_mb / accord_mb
            verdicts.append((label, speed_up, share, same))
            size = ours["frontier"]["size"]
            print(
                f"{label:<18} {negmas_s:>9.2f} {negmas_mb:>10.0f} {accord_s:>9.2f} "
                f"{accord_mb:>10.0f} {size if size is not None else 'unknown':>8} "
                f"{shown(speed_up):>9} {shown(share):>7} {'yes' if same else 'NO':>5}"
            )
    fast = all(s >= WHOLE_SPEED_UP for _, s, _, _ in verdicts)
    small = all(m >= WHOLE_MEMORY_SHARE for _, _, m, _ in verdicts)
    least = min(s for _, s, _, _ in verdicts)
    least_share = min(m for _, _, m, _ in verdicts)
    print(
        f"Target: Accord's whole process at least {WHOLE_SPEED_UP}x faster than NegMAS's and "
        f"at most 1/{WHOLE_MEMORY_SHARE} of its memory: "
        f"{'met' if fast and small else 'NOT MET'} (least {shown(least)} faster, "
        f"{shown(least_share)} less memory); identical answers: "
        f"{'met' if all(v[3] for v in verdicts) else 'NOT MET'}."
    )
    return verdicts


def same_whole_answers(ours: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """The same frontier points and the same Nash point, to NegMAS's missing cap."""
    voters = ours["voters"]
    mine = np.array([[p["utilities"][v] for v in voters] for p in ours["frontier"]["points"]])
    other = np.array(theirs["points"])
    if mine.shape != other.shape:
        return False
    in_order = mine[np.lexsort(mine.T)], other[np.lexsort(other.T)]
    if not np.allclose(*in_order, atol=WHOLE_TOLERANCE, rtol=0):
        return False
    nash = ours["solutions"]["nash"]
    point = [nash["utilities"][v] for v in voters]
    return any(np.allclose(point, p, atol=WHOLE_TOLERANCE) for p in theirs["nash"])


def package_count(case: str) -> int:
    kind, _, name = case.partition(":")
    if kind == "random":
        return 5 ** int(name)
    return int(negmas_scenario(case).outcome_space.cardinality)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="up to 5^8 packages")
    parser.add_argument("--child", choices=["accord", "negmas"], help=argparse.SUPPRESS)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--whole", action="store_true", help="the whole-process part only")
    parser.add_argument("--negmas-whole", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.case, arguments.repeat)
        return
    if arguments.negmas_whole:
        negmas_whole(arguments.negmas_whole)
        return
    if arguments.whole:
        whole_process()
        return
    if not GENIUS.is_dir():
        sys.exit(f"GENIUS data not found at {GENIUS} (shared/external/genius/ beside the repo)")
    limit = QUICK_LIMIT if arguments.quick else NEGMAS_LIMIT
    cases = [f"random:{n}" for n in range(6, 11)]
    cases += [f"genius:{name}" for name in GENIUS_BILATERAL]
    print(
        f"NegMAS {version('negmas')}, Accord {version('accord')}, Python "
        f"{sys.version.split()[0]}; time: median of runs in a fresh process after a warm-up; "
        "MB: growth of peak RSS"
    )
    header = (
        f"{'scenario':<28} {'packages':>9} {'frontier':>8} {'negmas s':>9} {'negmas MB':>9} "
        f"{'accord s':>9} {'(Nash s)':>9} {'accord MB':>9} {'speed-up':>9} {'same':>5}"
    )
    print(header)
    print("-" * len(header))
    verdicts: list[tuple[str, int, float, bool]] = []
    for case in cases:
        packages = package_count(case)
        label = f"random 2 x {case[7:]} issues x 5" if case.startswith("random") else case[7:]
        if packages > limit:
            print(f"{label:<28} {packages:>9.3g}  not run (over {limit:.3g} packages)")
            continue
        negmas = run("negmas", case, 3 if packages < 5**9 else 1)
        accord = run("accord", case, 5)
        same = same_answers(accord, negmas)
        ratio = negmas["seconds"] / accord["seconds"]
        verdicts.append((label, packages, ratio, same))
        print(
            f"{label:<28} {packages:>9.3g} {accord['size']:>8,} {negmas['seconds']:>9.3f} "
            f"{negmas['peak_mb']:>9.1f} {accord['seconds']:>9.3f} {accord['nash_s']:>9.3f} "
            f"{accord['peak_mb']:>9.1f} "
            f"{shown(ratio):>9} {'yes' if same else 'NO':>5}"
        )
    report(verdicts, limit)
    whole_process()


def shown(ratio: float) -> str:
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2g}x"


def report(verdicts: list[tuple[str, int, float, bool]], limit: int) -> None:
    identical = all(same for *_, same in verdicts)
    print(f"Target: identical answers: {'met' if identical else 'NOT MET'}.")
    generated = [
        r for label, n, r, _ in verdicts if label.startswith("random") and n >= TARGET_FROM
    ]
    verdict = "not run"
    if generated:
        met = min(generated) >= TARGET_SPEED_UP
        verdict = f"{'met' if met else 'NOT MET'} (least {shown(min(generated))})"
    print(
        f"Target: Accord at least {TARGET_SPEED_UP}x faster on generated scenarios from "
        f"{TARGET_FROM:.3g} packages on: {verdict}."
    )
    large = [
        f"{label} {shown(r)}"
        for label, n, r, _ in verdicts
        if not label.startswith("random") and n >= TARGET_FROM
    ]
    if large:
        print(f"GENIUS domains of {TARGET_FROM:.3g} packages or more: {', '.join(large)}.")
    if limit < NEGMAS_LIMIT:
        print(f"--quick: run up to {limit:.3g} packages only.")


if __name__ == "__main__":
    main()
