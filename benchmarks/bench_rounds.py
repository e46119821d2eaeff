"""Rounds per second of Accord's alternating offers against NegMAS's SAO mechanism.

Both sides negotiate the shared GENIUS scenario CameraB (two parties, 3,600 packages) with
equivalent time-based strategies, to the same deadline in rounds, in one run:

- Boulware against Aspiration: NegMAS's ``BoulwareTBNegotiator`` against its
  ``AspirationNegotiator`` (both the polynomial curve ``1 - t ** 4``), and Accord's
  ``boulware`` against ``time-based``, both with ``e = 0.25`` (the same curve:
  Faratin et al.'s ``1 - t ** (1 / e)``);
- Boulware against Conceder: ``BoulwareTBNegotiator`` against ``ConcederTBNegotiator``
  (``1 - t ** 0.25``), and Accord's ``boulware`` (``e = 0.25``) against ``conceder``
  (``e = 4``).

Accord reads the folder with ``load_genius_folder``; NegMAS gets the same scenario through
``to_negmas``, so both use the same utilities, and both sides' agreements are valued with
those NegMAS utility functions. CameraB's profiles carry a discount factor of 0.5, which
Accord's strategies do not use (a protocol seats them undiscounted); NegMAS is given the
undiscounted linear additive functions inside ``to_negmas``'s ``ExpDiscountedUFun`` so that
both negotiate the same preferences (with the wrapper NegMAS would also run about 40 times
slower here: ``--discounted`` measures that). A round is one turn of each party on both
sides (NegMAS's SAO step with ``one_offer_per_step=False``). A session is timed whole:
strategies built, mechanism set up and run; the scenario is loaded and compiled once,
outside the timing. Rounds per second are the rounds of every repetition over their total
time, after one untimed warm-up session per side. Both libraries are imported and the
scenario built before the first measurement, then ``gc.freeze()`` moves everything alive
to the collector's permanent generation: otherwise a full collection (it walks NegMAS's,
pandas' and SciPy's module graphs, tens of milliseconds) lands in whichever row happens to
trigger it.

    python benchmarks/bench_rounds.py              # deadlines 100 and 1,000, 5 repetitions
    python benchmarks/bench_rounds.py --repeat 2   # quicker
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

CAMERA_B = Path(__file__).resolve().parents[2] / "shared" / "external" / "genius" / "negmas-CameraB"
DEADLINES = (100, 1000)
TARGET = 30
BOULWARE_E = 0.25  # NegMAS's "boulware" PolyAspiration exponent is 4
CONCEDER_E = 4.0  # its "conceder" exponent is 0.25


@dataclass(frozen=True)
class Pairing:
    label: str
    accord: tuple[tuple[str, dict[str, float]], tuple[str, dict[str, float]]]
    negmas: tuple[str, str]


PAIRINGS = (
    Pairing(
        "Boulware vs Aspiration",
        (("boulware", {"e": BOULWARE_E}), ("time-based", {"e": BOULWARE_E})),
        ("BoulwareTBNegotiator", "AspirationNegotiator"),
    ),
    Pairing(
        "Boulware vs Conceder",
        (("boulware", {"e": BOULWARE_E}), ("conceder", {"e": CONCEDER_E})),
        ("BoulwareTBNegotiator", "ConcederTBNegotiator"),
    ),
)


@dataclass(frozen=True)
class Outcome:
    rounds: int
    agreement: tuple[Any, ...] | None  # as a NegMAS outcome (option ids)


@dataclass(frozen=True)
class Measure:
    rounds_per_second: float
    rounds: float  # mean rounds a session
    agreement_rate: float
    utilities: tuple[float, float]  # mean over the runs, no agreement counting as 0


def accord_session(scenario: Any, pairing: Pairing, deadline: int) -> Callable[[int], Outcome]:
    from accord.analysis.compiled import compile_scenario
    from accord.negotiation.protocols import protocol
    from accord.negotiation.registry import make_strategy

    compiled = compile_scenario(scenario)
    parties = [p.id for p in scenario.parties if p.preferences is not None]
    options = compiled.space.option_ids
    alternating = protocol("alternating")

    def session(seed: int) -> Outcome:
        strategies = {
            party: make_strategy(name, **params)
            for party, (name, params) in zip(parties, pairing.accord, strict=True)
        }
        trace = alternating.run(compiled, strategies, seed, deadline)
        agreement = trace.agreement
        named = None if agreement is None else tuple(options[i][o] for i, o in enumerate(agreement))
        return Outcome(trace.rounds, named)

    return session


def negmas_session(
    outcome_space: Any, ufuns: list[Any], pairing: Pairing, deadline: int
) -> Callable[[int], Outcome]:
    import negmas.sao as sao

    classes = [getattr(sao, name) for name in pairing.negmas]

    def session(seed: int) -> Outcome:
        mechanism = sao.SAOMechanism(outcome_space=outcome_space, n_steps=deadline)
        for cls, ufun in zip(classes, ufuns, strict=True):
            mechanism.add(cls(), preferences=ufun)
        state = mechanism.run()
        agreement = None if state.agreement is None else tuple(state.agreement)
        return Outcome(int(state.step), agreement)

    return session


def measure(session: Callable[[int], Outcome], ufuns: Any, repeat: int) -> Measure:
    session(0)  # warm-up: lazy imports, first calls, caches of the first session
    gc.collect()  # each side starts from the same clean heap
    outcomes: list[Outcome] = []
    start = time.perf_counter()
    for seed in range(repeat):
        outcomes.append(session(seed))
    seconds = time.perf_counter() - start
    values = [
        tuple(0.0 if o.agreement is None else float(u(o.agreement)) for u in ufuns)
        for o in outcomes
    ]
    return Measure(
        sum(o.rounds for o in outcomes) / seconds,
        statistics.fmean(o.rounds for o in outcomes),
        sum(o.agreement is not None for o in outcomes) / len(outcomes),
        (statistics.fmean(v[0] for v in values), statistics.fmean(v[1] for v in values)),
    )


def rounds(negmas: Measure, accord: Measure) -> str:
    return f"{negmas.rounds:.0f}/{accord.rounds:.0f}"


def pair(utilities: tuple[float, float]) -> str:
    return f"{utilities[0]:.3f}/{utilities[1]:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="sessions per row (default 5)")
    parser.add_argument("--deadline", type=int, action="append", help="rounds (repeatable)")
    parser.add_argument(
        "--discounted", action="store_true", help="give NegMAS the discounted ufuns"
    )
    args = parser.parse_args()
    deadlines = tuple(args.deadline) if args.deadline else DEADLINES

    from accord.formats.genius import load_genius_folder
    from accord.formats.negmas_bridge import to_negmas

    scenario = load_genius_folder(CAMERA_B)
    from negmas.preferences import ExpDiscountedUFun

    theirs = to_negmas(scenario)
    ufuns = [u.ufun if isinstance(u, ExpDiscountedUFun) else u for u in theirs.ufuns]
    played = list(theirs.ufuns) if args.discounted else ufuns
    print(
        f"NegMAS {version('negmas')}, Accord {version('accord')}, Python "
        f"{sys.version.split()[0]}; {CAMERA_B.name}, {args.repeat} sessions a row; "
        "utilities: mean over sessions (no agreement = 0), undiscounted, the same "
        f"functions for both{'; NegMAS plays the discounted ufuns' if args.discounted else ''}"
    )
    gc.collect()
    gc.freeze()
    header = (
        f"{'pairing':<24} {'deadline':>8} {'rounds n/a':>11} {'negmas r/s':>10} {'accord r/s':>10} "
        f"{'ratio':>7} {'negmas agr':>10} {'accord agr':>10} "
        f"{'negmas u1/u2':>13} {'accord u1/u2':>13}"
    )
    print(header)
    print("-" * len(header))
    ratios: list[float] = []
    for pairing in PAIRINGS:
        for deadline in deadlines:
            negmas = measure(
                negmas_session(theirs.outcome_space, played, pairing, deadline), ufuns, args.repeat
            )
            accord = measure(accord_session(scenario, pairing, deadline), ufuns, args.repeat)
            ratio = accord.rounds_per_second / negmas.rounds_per_second
            ratios.append(ratio)
            print(
                f"{pairing.label:<24} {deadline:>8,} {rounds(negmas, accord):>11} "
                f"{negmas.rounds_per_second:>10,.0f} "
                f"{accord.rounds_per_second:>10,.0f} {ratio:>6.1f}x "
                f"{negmas.agreement_rate:>10.0%} {accord.agreement_rate:>10.0%} "
                f"{pair(negmas.utilities):>13} {pair(accord.utilities):>13}"
            )
    met = min(ratios) >= TARGET
    print(
        f"Target: Accord at least {TARGET}x NegMAS's rounds per second: "
        f"{'met' if met else 'NOT MET'} (least {min(ratios):.1f}x)."
    )


if __name__ == "__main__":
    main()
