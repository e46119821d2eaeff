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

    python benchmarks/vs_negmas.py            # the full table: about 2 minutes, 3.6 GB
    python benchmarks/vs_negmas.py --quick    # up to 5^8 packages: about 40 s
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
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
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.case, arguments.repeat)
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
