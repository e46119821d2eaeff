"""What every protocol shares: seating the parties, the agreement rule, who can sign what.

A protocol seats each party with preferences (and a mediator, where it has one): it checks
the strategies it was given, spawns one random generator per party from the seed, and
resets each strategy with that party's own preferences only. The rule and the signatures
are the protocol's, not the strategies': an acceptance counts only when the party can sign
the package (at or above its reservation value, none of its red lines crossed), so an
agreement is always a package the compiled rule accepts, whatever the strategies do.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from accord.analysis.compiled import CompiledScenario
from accord.analysis.space import OutcomeSpace
from accord.errors import AccordError
from accord.negotiation.own import REMEMBERED, OwnPreferences, Package
from accord.negotiation.strategy import MediatorStrategy, Strategy
from accord.negotiation.trace import Event, Trace

Progress = Callable[[int], None]
PROTOCOL_EVENT = ""  # the party of events the protocol itself records (agreement, end)


class ProtocolError(AccordError):
    """A protocol cannot run as asked: a missing or unknown party, a bad strategy or move."""


@dataclass(frozen=True)
class Rule:
    """The agreement rule by party index: every required party and ``min_accept`` voters."""

    required: frozenset[int]
    voters: frozenset[int]
    min_accept: int

    @classmethod
    def of(cls, compiled: CompiledScenario) -> Rule:
        return cls(
            frozenset(np.flatnonzero(compiled.required).tolist()),
            frozenset(np.flatnonzero(compiled.voters).tolist()),
            compiled.min_accept,
        )

    def met(self, accepted: Collection[int]) -> bool:
        """Whether the parties in ``accepted`` (all able to sign) make an agreement."""
        return self.required.issubset(accepted) and (
            len(self.voters.intersection(accepted)) >= self.min_accept
        )

    def among(self, members: Iterable[int]) -> Rule:
        """The rule at a table of ``members``: their required parties, and the quorum
        capped at the number of their voters (unanimity of them under unanimity)."""
        seated = frozenset(members)
        voters = self.voters & seated
        return Rule(self.required & seated, voters, min(self.min_accept, len(voters)))


class Signatures:
    """Whether a party can sign a package: its utility at or above its reservation value,
    none of its red lines crossed (``OwnPreferences.acceptable``), remembered per package."""

    def __init__(self, owns: Sequence[OwnPreferences], every_package: bool = False) -> None:
        self._owns = owns
        self._every_package = every_package
        self._known: list[dict[Package, bool]] = [{} for _ in owns]

    def can_sign(self, party: int, package: Package) -> bool:
        known = self._known[party]
        answer = known.get(package)
        if answer is None:
            answer = known[package] = self._every_package or self._owns[party].acceptable(package)
        return answer


class Packages:
    """Checks the packages strategies return: one option index per issue, in range."""

    @classmethod
    def shared(cls, compiled: CompiledScenario) -> Packages:
        """One checker per compiled scenario, so runs on it share the packages checked."""
        packages = _PACKAGES.get(compiled)
        if packages is None:
            packages = _PACKAGES[compiled] = cls(compiled.space)
        return packages

    def __init__(self, space: OutcomeSpace) -> None:
        self._counts = [len(options) for options in space.option_ids]
        self._issue_ids = frozenset(space.issue_ids)
        self._checked: dict[Package, Package] = {}

    def check(self, package: Sequence[int], who: str) -> Package:
        """``package`` as a tuple of Python ints; a :class:`ProtocolError` if it is not one."""
        if type(package) is tuple:
            checked = self._checked.get(package)
            if checked is not None:
                return checked
        try:
            canonical = tuple(int(option) for option in package)
        except (TypeError, ValueError) as error:
            raise ProtocolError(f"{who} returned {package!r}, not a package") from error
        counts = self._counts
        if len(canonical) != len(counts) or not all(
            0 <= option < count for option, count in zip(canonical, counts, strict=False)
        ):
            raise ProtocolError(
                f"{who} returned {canonical}: a package needs one option index per issue, "
                f"within the option counts {tuple(counts)}"
            )
        if len(self._checked) < REMEMBERED:
            self._checked[canonical] = canonical
        return canonical

    def objections(self, objections: Sequence[str], who: str) -> tuple[str, ...]:
        unknown = [issue for issue in objections if issue not in self._issue_ids]
        if unknown:
            raise ProtocolError(
                f"{who} objected to unknown issues {unknown}; issues: {sorted(self._issue_ids)}"
            )
        return tuple(objections)


_PACKAGES: weakref.WeakKeyDictionary[CompiledScenario, Packages] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, eq=False)
class Seating:
    """The parties of one run, by compiled index, each with its strategy and preferences;
    and the mediator, if the protocol has one (``mediator_index`` when it has preferences)."""

    ids: tuple[str, ...]
    strategies: tuple[Strategy, ...]
    owns: tuple[OwnPreferences, ...]
    mediator: str | None = None
    mediator_strategy: MediatorStrategy | None = None
    mediator_own: OwnPreferences | None = None
    mediator_index: int | None = None
    progress: Progress | None = None  # told the number of each round as it starts

    def tick(self, round_: int) -> None:
        """A round starts: tell whoever follows the run (a progress bar)."""
        if self.progress is not None:
            self.progress(round_)

    def names(self) -> tuple[tuple[str, str], ...]:
        """(party id, strategy name) in seating order, the mediator last."""
        names = [(party, s.name) for party, s in zip(self.ids, self.strategies, strict=True)]
        if self.mediator is not None and self.mediator_index is None:
            assert self.mediator_strategy is not None
            names.append((self.mediator, self.mediator_strategy.name))
        return tuple(names)


def seat(
    compiled: CompiledScenario,
    strategies: Mapping[str, Strategy],
    seed: int,
    deadline: int,
    protocol: str,
    *,
    mediated: bool = False,
    mediator: str | None = None,
    progress: Progress | None = None,
) -> Seating:
    """Check the strategies, then reset each with its party's own preferences and generator.

    Generators come from ``SeedSequence(seed).spawn(P + 1)``: child ``p`` for the party of
    compiled index ``p``, the last child for a mediator without preferences; so a party
    draws the same numbers under every protocol.
    """
    if deadline < 1:
        raise ProtocolError(f"{protocol}: the deadline must be at least one round, got {deadline}")
    ids = compiled.party_ids
    if mediated:
        mediator = _mediator(strategies, mediator, protocol)
    elif mediator is not None:
        raise ProtocolError(f"{protocol} has no mediator")
    seated = set(ids) | ({mediator} if mediator is not None else set())
    missing = [party for party in ids if party not in strategies and party != mediator]
    unknown = sorted(set(strategies) - seated)
    if missing or unknown:
        problems = [f"no strategy for {', '.join(missing)}"] if missing else []
        if unknown:
            problems.append(f"not at this table: {', '.join(unknown)}")
        raise ProtocolError(
            f"{protocol}: {'; '.join(problems)} (the parties with preferences negotiate: "
            f"{', '.join(ids)}{'; mediator: ' + mediator if mediator else ''})"
        )
    _check_distinct_and_supported(strategies, protocol)
    generators = [
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(ids) + 1)
    ]
    owns = tuple(OwnPreferences.shared(compiled, index) for index in range(len(ids)))
    for index, party in enumerate(ids):
        if party != mediator:
            strategies[party].reset(owns[index], generators[index])
    if mediator is None:
        return Seating(ids, tuple(strategies[p] for p in ids), owns, progress=progress)
    mediator_strategy = strategies[mediator]
    assert isinstance(mediator_strategy, MediatorStrategy)
    mediator_index = ids.index(mediator) if mediator in ids else None
    if mediator_index is None:
        mediator_own = no_preferences(mediator, compiled.space)
        generator = generators[-1]
    else:
        mediator_own, generator = owns[mediator_index], generators[mediator_index]
    mediator_strategy.reset(mediator_own, generator)
    return Seating(
        ids,
        tuple(strategies[p] for p in ids),
        owns,
        mediator,
        mediator_strategy,
        mediator_own,
        mediator_index,
        progress,
    )


def _mediator(strategies: Mapping[str, Strategy], mediator: str | None, protocol: str) -> str:
    candidates = [p for p, s in strategies.items() if isinstance(s, MediatorStrategy)]
    if mediator is None:
        if len(candidates) == 1:
            return candidates[0]
        found = f"found {', '.join(candidates)}" if candidates else "found none"
        raise ProtocolError(
            f"{protocol} needs exactly one mediator strategy (a MediatorStrategy), {found}; "
            "name the mediator to choose"
        )
    if mediator not in strategies:
        raise ProtocolError(f"{protocol}: no strategy for the mediator {mediator}")
    if mediator not in candidates:
        raise ProtocolError(
            f"{protocol}: the mediator {mediator} needs a mediator strategy, "
            f"not {strategies[mediator].name or type(strategies[mediator]).__name__}"
        )
    return mediator


def _check_distinct_and_supported(strategies: Mapping[str, Strategy], protocol: str) -> None:
    seen: dict[int, str] = {}
    for party, strategy in strategies.items():
        if id(strategy) in seen:
            raise ProtocolError(
                f"{protocol}: {seen[id(strategy)]} and {party} share one strategy object; "
                "give each party its own"
            )
        seen[id(strategy)] = party
        supported = strategy.meta.get("protocols")
        if supported is not None and protocol not in supported:
            raise ProtocolError(
                f"{protocol}: strategy {strategy.name} (for {party}) supports only "
                f"{', '.join(supported)}"
            )


def no_preferences(party: str, space: OutcomeSpace) -> OwnPreferences:
    """A mediator without preferences: every package worth 0, no red line, reservation 0."""
    return OwnPreferences(
        party=party,
        space=space,
        linear=np.zeros(space.flat_size),
        constant=0.0,
        terms=(),
        term_values=np.zeros(0),
        red_lines=(),
        reservation=0.0,
    )


Talk = Callable[[CompiledScenario, Seating, int, list[Event]], tuple[Package | None, str, int]]


def run_talk(
    compiled: CompiledScenario,
    protocol: str,
    seed: int,
    seating: Seating,
    deadline: int,
    talk: Talk,
    metadata: tuple[tuple[str, str], ...] = (),
) -> Trace:
    """Run ``talk`` (which records events and returns the agreement or ``None``, why the
    talks ended and in which round), close the record and make the trace."""
    events: list[Event] = []
    outcome, reason, last_round = talk(compiled, seating, deadline, events)
    if outcome is None:
        events.append(Event(last_round, PROTOCOL_EVENT, "end", note=reason))
    return make_trace(
        compiled, protocol, seed, seating, events, outcome, deadline, reason, metadata
    )


def make_trace(
    compiled: CompiledScenario,
    protocol: str,
    seed: int,
    seating: Seating,
    events: Sequence[Event],
    agreement: Package | None,
    deadline: int,
    reason: str,
    metadata: tuple[tuple[str, str], ...] = (),
) -> Trace:
    """The trace of a finished run; ``rounds`` is the number of rounds used."""
    rounds = events[-1].round + 1 if events else 0
    return Trace(
        scenario=compiled.scenario_id,
        protocol=protocol,
        seed=seed,
        strategies=seating.names(),
        events=tuple(events),
        agreement=agreement,
        rounds=rounds,
        deadline=deadline,
        reason=reason,
        metadata=metadata,
    )
