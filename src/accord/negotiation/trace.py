"""The immutable record of one run of a protocol.

Every protocol emits events in the order they happen; a trace is the tuple of them plus
what the run ended with. Packages are tuples of option indices (one per issue); the JSON
Lines form names issues and options by id, so a trace reads without the scenario.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple, overload

from accord.analysis.space import OutcomeSpace

Package = tuple[int, ...]
EventKind = Literal[
    "offer",  # a party proposes a package (alternating offers)
    "accept",  # a party accepts the package on the table
    "reject",  # a party rejects it (with objections in the single text)
    "walk_away",  # a party leaves the table
    "draft",  # the mediator tables a version of the single text
    "show",  # the mediator shows a draft to one party (shuttle)
    "block_agreement",  # a block's participants agree on a partial package
    "agreement",  # the rule is met: the run ends with a package
    "end",  # the run ends without agreement (deadline, walk-away)
]


class Event(NamedTuple):
    """One thing that happened at one round (a named tuple: a long run makes thousands)."""

    round: int
    party: str
    kind: EventKind
    package: Package | None = None
    block: str | None = None
    version: int | None = None
    objections: tuple[str, ...] = ()  # issue ids the party needs changed
    note: str = ""

    def to_dict(self, space: OutcomeSpace) -> dict[str, object]:
        data: dict[str, object] = {"round": self.round, "party": self.party, "kind": self.kind}
        if self.package is not None:
            data["package"] = _named(space, self.package)
        for name in ("block", "version", "note"):
            value = getattr(self, name)
            if value not in (None, ""):
                data[name] = value
        if self.objections:
            data["objections"] = list(self.objections)
        return data


class History(Sequence[Event]):
    """The first ``length`` events of a protocol's growing event list, read-only.

    A protocol only ever appends to its list, so the prefix a view was given never changes:
    handing a strategy this window costs O(1) a turn, where copying the list into a tuple
    cost O(events) and made a long run quadratic.
    """

    __slots__ = ("_events", "_length")

    def __init__(self, events: list[Event], length: int | None = None) -> None:
        self._events = events
        self._length = len(events) if length is None else length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Event]: ...

    def __getitem__(self, index: int | slice) -> Event | Sequence[Event]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            return tuple(self._events[start:stop:step])
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("history index out of range")
        return self._events[index]

    def __iter__(self) -> Iterator[Event]:
        events = self._events
        for index in range(self._length):
            yield events[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, History):
            return tuple(self) == tuple(other)
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"History({list(self)!r})"


@dataclass(frozen=True)
class Trace:
    """What one run did: its events, the package agreed (or ``None``) and the rounds used."""

    scenario: str
    protocol: str
    seed: int
    strategies: tuple[tuple[str, str], ...]  # (party id, strategy name)
    events: tuple[Event, ...]
    agreement: Package | None
    rounds: int
    deadline: int
    reason: str = ""
    metadata: tuple[tuple[str, str], ...] = field(default=())

    def to_jsonl(self, space: OutcomeSpace) -> str:
        """One JSON object per line: a header, then each event. Byte-identical per seed."""
        header = {
            "scenario": self.scenario,
            "protocol": self.protocol,
            "seed": self.seed,
            "deadline": self.deadline,
            "strategies": dict(self.strategies),
        }
        lines = [json.dumps(header, sort_keys=True)]
        lines += [json.dumps(event.to_dict(space), sort_keys=True) for event in self.events]
        footer = {
            "agreement": None if self.agreement is None else _named(space, self.agreement),
            "rounds": self.rounds,
            "reason": self.reason,
        }
        lines.append(json.dumps(footer, sort_keys=True))
        return "\n".join(lines) + "\n"


def _named(space: OutcomeSpace, package: Package) -> dict[str, str]:
    return {space.issue_ids[i]: space.option_ids[i][o] for i, o in enumerate(package)}
