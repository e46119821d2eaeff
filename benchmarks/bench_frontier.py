"""Exact Pareto frontier of generated additive scenarios: time and peak memory per size.

Accord's frontier (factor-by-factor Minkowski sums with pruning) is measured beside the
baseline of enumerating every package (in chunks, vectorised with numpy, which is how the
field's reference library finds frontiers) wherever enumeration is affordable, and the two
frontiers are checked to be the same set of utility vectors.

    python benchmarks/bench_frontier.py            # the full table
    python benchmarks/bench_frontier.py --quick    # a smaller one
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from accord.analysis.compiled import CompiledScenario, compile_scenario
from accord.analysis.frontier import RESOLUTION, pareto_frontier
from accord.analysis.pareto import nondominated_mask
from accord.scenario.generate import random_additive_scenario

T = TypeVar("T")
ENUMERATION_LIMIT = 5**10


def measure(function: Callable[[], T]) -> tuple[T, float, float]:
    """Result, wall seconds and peak traced memory (MB) of one call."""
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return result, seconds, peak


def enumerated_frontier(compiled: CompiledScenario, chunk: int = 1_000_000) -> np.ndarray:
    """The frontier's utility vectors by evaluating every package (the baseline)."""
    counts = compiled.space.option_counts
    total = compiled.space.outcome_count
    voters = compiled.voter_indices
    kept = np.zeros((0, len(voters)))
    for start in range(0, total, chunk):
        index = np.arange(start, min(start + chunk, total))
        packages = np.stack(np.unravel_index(index, tuple(counts)), axis=1).astype(np.int64)
        vectors = np.round(compiled.utilities(packages)[voters].T, RESOLUTION)
        vectors = np.unique(np.concatenate((kept, vectors)), axis=0)
        kept = vectors[nondominated_mask(vectors)]
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes only")
    arguments = parser.parse_args()
    sizes = [(2, n) for n in (6, 8, 10, 15, 20, 30)] + [(3, n) for n in (6, 8, 10, 15)]
    sizes += [(4, n) for n in (6, 8, 10)]
    if arguments.quick:
        sizes = [(2, 6), (2, 8), (2, 10), (3, 6), (4, 6)]
    header = (
        f"{'parties':>7} {'issues':>6} {'packages':>12} {'frontier':>9} "
        f"{'accord s':>9} {'accord MB':>9} {'enum s':>9} {'enum MB':>9} {'speed-up':>9} {'same':>5}"
    )
    print(header)
    print("-" * len(header))
    for parties, issues in sizes:
        compiled = compile_scenario(random_additive_scenario(parties, issues, 5, seed=issues))
        frontier, seconds, peak = measure(lambda c=compiled: pareto_frontier(c))
        packages = compiled.space.outcome_count
        enum_s = enum_mb = ratio = same = "—"
        if packages <= ENUMERATION_LIMIT and (parties == 2 or packages <= 5**8):
            baseline, base_seconds, base_peak = measure(lambda c=compiled: enumerated_frontier(c))
            ours = np.unique(
                np.round(frontier.utilities[:, compiled.voter_indices], RESOLUTION), axis=0
            )
            same = "yes" if np.array_equal(ours, np.unique(baseline, axis=0)) else "NO"
            enum_s, enum_mb = f"{base_seconds:.3f}", f"{base_peak:.1f}"
            ratio = f"{base_seconds / seconds:.0f}x"
        size = "—" if frontier.size is None else f"{frontier.size:,}"
        print(
            f"{parties:>7} {issues:>6} {packages:>12.3g} {size:>9} {seconds:>9.3f} "
            f"{peak:>9.1f} {enum_s:>9} {enum_mb:>9} {ratio:>9} {same:>5}"
        )


if __name__ == "__main__":
    main()
