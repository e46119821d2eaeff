"""Many-party frontiers at scale: the whole analysis, one fresh process per scenario.

The shapes of issue 10 §3 (4 voters x 15 issues x 5 options; 4 x 27 x 4, the seed's plan;
6 x 10 x 5; 201 parties x 1 issue x 1,001 options, a GENIUS "pie" domain) and a grid of
2-6 voters x 10-27 issues x 4 options, all from
``accord.scenario.generate.random_additive_scenario(voters, issues, options, seed=issues)``.

Each row is one child process that builds the scenario in memory and runs what
``accord analyze --json`` runs (``accord.analysis.report.analyze`` and its JSON), so the
figures include starting Python and importing Accord but not parsing a scenario file (the
loader is benchmarked by ``bench_analyze.py``). ``wall s`` is the child's wall time, ``cpu
s`` its user + system CPU time (less sensitive to a loaded machine), ``MB`` its peak
resident set. The frontier's size, or its certified epsilon when it was thinned, is printed
beside them.

NegMAS 0.16 (the field's reference library) runs beside it wherever it can: up to
``NEGMAS_LIMIT`` packages, where ``negmas.preferences.ops.pareto_frontier`` evaluates every
outcome of the scenario converted by ``accord.formats.negmas_bridge.to_negmas``. Its time
is the Pareto frontier alone, in its own fresh process; ``ratio`` is NegMAS's wall time
over Accord's whole analysis, both measured in this run, and ``same`` checks that the two
frontiers have the same points.

``--baseline SRC`` runs every Accord row a second time, right after, with another
checkout's ``src`` first on ``PYTHONPATH`` (for instance ``git worktree add /tmp/before
main``), and prints its frontier, wall and CPU seconds and the ratio of CPU times: a
before/after comparison under the same load.

    python benchmarks/bench_scaling.py            # the issue's table and the grid
    python benchmarks/bench_scaling.py --quick    # the issue's table only
    python benchmarks/bench_scaling.py --quick --baseline /tmp/before/src
    python benchmarks/bench_scaling.py --shapes 5x20x4,6x15x4 --baseline /tmp/before/src
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from importlib.metadata import version
from typing import Any

import numpy as np

TABLE = [(4, 15, 5), (4, 27, 4), (6, 10, 5), (201, 1, 1001)]
TARGETS = {(4, 15, 5): 1.0, (4, 27, 4): 10.0, (6, 10, 5): 5.0, (201, 1, 1001): 10.0}
GRID = [(v, i, 4) for v in range(2, 7) for i in (10, 15, 20, 27) if (v, i, 4) not in TABLE]
NEGMAS_LIMIT = 4**10  # about 1 million outcomes: NegMAS lists and evaluates every one
TIMEOUT = 300.0  # per process: a row that takes longer is printed as "> 300 s"
DECIMALS = 9


def scenario(voters: int, issues: int, options: int) -> Any:
    from accord.scenario.generate import random_additive_scenario

    return random_additive_scenario(voters, issues, options, seed=issues)


def accord_child(voters: int, issues: int, options: int) -> dict[str, Any]:
    from accord.analysis.report import analyze

    result = analyze(scenario(voters, issues, options))
    json.dumps(result.to_dict())  # what --json prints
    frontier = result.frontier
    voter_columns = result.compiled.voter_indices
    points = np.unique(np.round(frontier.utilities[:, voter_columns], DECIMALS), axis=0)
    return {
        "size": frontier.size,
        "points": frontier.point_count,
        "exact": frontier.exact,
        "epsilon": frontier.epsilon,
        "vectors": points.tolist() if voters * issues * options <= 2_000_000 else None,
    }


def negmas_child(voters: int, issues: int, options: int) -> dict[str, Any]:
    from negmas.preferences.ops import pareto_frontier

    from accord.formats.negmas_bridge import to_negmas

    converted = to_negmas(scenario(voters, issues, options))
    points, _ = pareto_frontier(list(converted.ufuns), issues=converted.outcome_space.issues)
    vectors = np.unique(np.round(np.array(points, dtype=float), DECIMALS), axis=0)
    return {"points": len(vectors), "vectors": vectors.tolist()}


def run(side: str, shape: tuple[int, int, int], source: str | None = None) -> dict[str, Any] | None:
    """One side on one shape in a fresh process: its answer, wall and CPU seconds, MB.

    ``source``, when given, is put first on the child's ``PYTHONPATH`` (another checkout's
    ``src``)."""
    command = [sys.executable, __file__, "--child", side, *map(str, shape)]
    environment = dict(os.environ)
    if source is not None:
        environment["PYTHONPATH"] = os.pathsep.join(
            [source, *filter(None, [environment.get("PYTHONPATH")])]
        )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        completed = subprocess.run(
            command,
            check=True,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=environment,
        )
    except subprocess.TimeoutExpired:
        return None
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    answer: dict[str, Any] = json.loads(completed.stdout.splitlines()[-1])
    answer["wall"] = wall
    answer["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return answer


def described(answer: dict[str, Any]) -> str:
    """The frontier's size, or the points listed and the certified epsilon."""
    if answer["exact"]:
        return f"{answer['size'] if answer['size'] is not None else answer['points']:,}"
    return f"{answer['points']:,} (eps {answer['epsilon']:.4f})"


def row(shape: tuple[int, int, int], baseline: str | None = None) -> str:
    voters, issues, options = shape
    packages = float(options) ** issues
    accord = run("accord", shape)
    before = run("accord", shape, baseline) if baseline else None
    negmas = run("negmas", shape) if packages <= NEGMAS_LIMIT else None
    name = f"{voters} x {issues} x {options}"
    if accord is None:
        return f"{name:<16} {packages:>9.2e}  > {TIMEOUT:.0f} s"
    frontier = described(accord)
    target = TARGETS.get(shape)
    text = (
        f"{name:<16} {packages:>9.2e} {frontier:>22} {accord['wall']:>8.2f} "
        f"{accord['cpu']:>8.2f} {accord['mb']:>7.0f} "
        f"{'< ' + format(target, 'g') + ' s' if target else '':>8}"
    )
    if baseline:
        if before is None:
            text += f" {'> ' + format(TIMEOUT, '.0f') + ' s':>22}"
        else:
            text += (
                f" {described(before):>22} {before['wall']:>8.2f} {before['cpu']:>8.2f} "
                f"{before['cpu'] / accord['cpu']:>6.2f}x"
            )
    if negmas is not None:
        same = accord["vectors"] is not None and sorted(map(tuple, accord["vectors"])) == sorted(
            map(tuple, negmas["vectors"])
        )
        text += (
            f" {negmas['wall']:>9.2f} {negmas['wall'] / accord['wall']:>6.1f}x "
            f"{'yes' if same else 'NO':>4}"
        )
    return text


def parse_shape(text: str) -> tuple[int, int, int]:
    voters, issues, options = (int(part) for part in text.lower().split("x"))
    return voters, issues, options


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the issue's table only")
    parser.add_argument(
        "--baseline", metavar="SRC", help="also run each Accord row with this src first"
    )
    parser.add_argument(
        "--shapes",
        metavar="VxIxO,...",
        help="only these shapes, e.g. 5x20x4,6x15x4 (voters x issues x options)",
    )
    parser.add_argument("--child", choices=["accord", "negmas"], help=argparse.SUPPRESS)
    parser.add_argument("shape", nargs="*", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child = accord_child if arguments.child == "accord" else negmas_child
        answer = child(*arguments.shape)
        answer["mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(answer))
        return
    print(
        f"Accord {version('accord')}, NegMAS {version('negmas')}, Python "
        f"{sys.version.split()[0]}; one fresh process per row (start-up and imports included)"
    )
    header = (
        f"{'voters x issues x options':<16} {'packages':>9} {'frontier':>22} {'wall s':>8} "
        f"{'cpu s':>8} {'MB':>7} {'target':>8}"
    )
    if arguments.baseline:
        header += f" {'baseline frontier':>22} {'wall s':>8} {'cpu s':>8} {'faster':>7}"
    header += f" {'negmas s':>9} {'ratio':>7} {'same':>4}"
    print(header)
    print("-" * len(header))
    shapes = TABLE if arguments.quick else [*TABLE, *GRID]
    if arguments.shapes:
        shapes = [parse_shape(text) for text in arguments.shapes.split(",")]
    for shape in shapes:
        print(row(shape, arguments.baseline), flush=True)


if __name__ == "__main__":
    main()
