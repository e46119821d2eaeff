"""A tournament's YAML configuration, checked in full before any job starts.

```yaml
name: anac-bilateral          # optional; default: the file's name
scenarios:                    # Accord files, or folders in any format Accord reads
  - ../shared/external/genius/anac2010-ItexvsCypress
strategies: [boulware, conceder, linear, hardliner, tit-for-tat]
protocol: alternating         # alternating, single-text, parallel-blocks or shuttle
mediator: annealing-mediator  # single-text and shuttle only (default: simulate's default)
repetitions: 2
seed: 42                      # the master seed every job's seed is derived from
deadline: 100                 # rounds per negotiation
self_play: true               # may a strategy meet itself (default true)
```

Paths are relative to the configuration file. Every problem (an unknown field, strategy,
protocol or scenario path, a scenario that does not load, a strategy that cannot play the
protocol, more seats than strategies without self-play) is reported at once, each with the
file and line where it was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.errors import AccordError, Problem, ScenarioError
from accord.formats.detect import load_any
from accord.negotiation.registry import PROTOCOLS, STRATEGIES, strategies_for
from accord.negotiation.runner import DEFAULT_MEDIATOR, MEDIATED, assignments_for, mediator_of
from accord.scenario.model import Scenario
from accord.scenario.positions import Located, parse_text

FIELDS = (
    "name",
    "scenarios",
    "strategies",
    "protocol",
    "mediator",
    "repetitions",
    "seed",
    "deadline",
    "self_play",
)
# Records one problem: (path into the configuration, message, at the key rather than value).
Report = Callable[..., None]
# A tournament whose grid is larger than this is almost certainly a mistake (a multilateral
# scenario with self-play grows as strategies ** seats); the check says how large it is.
MAX_JOBS = 5_000_000


class ConfigError(ScenarioError):
    """A tournament configuration that cannot run, with every problem found in it.

    A kind of :class:`ScenarioError` (an input file with located problems), so that the CLI
    prints one line per problem, like for a scenario file."""


@dataclass(frozen=True, eq=False)
class TournamentConfig:
    """A checked configuration; ``scenarios`` maps each label (the path as written) to it."""

    name: str
    source: Path
    scenarios: dict[str, Scenario]
    strategies: tuple[str, ...]
    protocol: str
    mediator: str | None
    repetitions: int
    seed: int
    deadline: int
    self_play: bool

    def seats(self, label: str) -> tuple[str, ...]:
        """The parties that strategies are assigned to (every party with preferences but the
        protocol's mediator, whose strategy is ``mediator``)."""
        scenario = self.scenarios[label]
        mediator = mediator_of(scenario, self.protocol)
        return tuple(
            p.id for p in scenario.parties if p.preferences is not None and p.id != mediator
        )


def load_config(path: str | Path) -> TournamentConfig:
    """Read and check a tournament configuration; :class:`ConfigError` lists every problem."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ConfigError([Problem(f"cannot read: {error.strerror}", source=str(file))]) from None
    located = parse_text(text, str(file), as_json=False)
    return check_config(located, file)


def check_config(located: Located, file: Path) -> TournamentConfig:
    data = located.data
    if not isinstance(data, dict):
        raise ConfigError([located.problem((), "expected a mapping of tournament fields")])
    problems: list[Problem] = []

    def problem(path: tuple[str | int, ...], message: str, at_key: bool = False) -> None:
        problems.append(located.problem(path, message, at_key))

    for key in data:
        if key not in FIELDS:
            problem((key,), f"unknown field '{key}': expected one of {', '.join(FIELDS)}", True)
    protocol = _text(data, "protocol", "alternating", problem)
    if protocol not in PROTOCOLS:
        problem(("protocol",), f"unknown protocol {protocol!r}: choose one of {_list(PROTOCOLS)}")
    strategies = _strategies(data, protocol, problem)
    mediator = _mediator(data, protocol, problem)
    repetitions = _integer(data, "repetitions", 1, 1, problem)
    seed = _integer(data, "seed", 0, 0, problem)
    deadline = _integer(data, "deadline", 100, 1, problem)
    self_play = data.get("self_play", True)
    if not isinstance(self_play, bool):
        problem(("self_play",), f"expected true or false, got {self_play!r}")
        self_play = True
    scenarios = _scenarios(data, file, problem, problems)
    name = _text(data, "name", file.stem, problem)
    if problems:
        raise ConfigError(problems)
    config = TournamentConfig(
        name=name,
        source=file,
        scenarios=scenarios,
        strategies=strategies,
        protocol=protocol,
        mediator=mediator,
        repetitions=repetitions,
        seed=seed,
        deadline=deadline,
        self_play=self_play,
    )
    _check_grid(config, problem)
    if problems:
        raise ConfigError(problems)
    return config


def _strategies(data: dict[str, Any], protocol: str, problem: Report) -> tuple[str, ...]:
    names = data.get("strategies")
    if not isinstance(names, list) or not names:
        problem(("strategies",), "expected a list of strategy names (at least one)")
        return ()
    playable = strategies_for(protocol) if protocol in PROTOCOLS else tuple(STRATEGIES)
    seen: set[str] = set()
    for index, name in enumerate(names):
        if not isinstance(name, str) or name not in STRATEGIES:
            problem(
                ("strategies", index),
                f"unknown strategy {name!r}: choose one of {_list(strategies_for(protocol))}"
                if protocol in PROTOCOLS
                else f"unknown strategy {name!r}: choose one of {_list(STRATEGIES)}",
            )
        elif name not in playable:
            problem(
                ("strategies", index),
                f"strategy {name!r} cannot negotiate under protocol {protocol!r}: "
                f"choose one of {_list(playable)}",
            )
        elif name in seen:
            problem(("strategies", index), f"strategy {name!r} is listed twice")
        seen.add(str(name))
    return tuple(str(name) for name in names)


def _mediator(data: dict[str, Any], protocol: str, problem: Report) -> str | None:
    if protocol not in MEDIATED:
        if "mediator" in data:
            problem(("mediator",), f"protocol {protocol!r} has no mediator", True)
        return None
    name = data.get("mediator", DEFAULT_MEDIATOR)
    valid = strategies_for(protocol, mediator=True)
    if name not in valid:
        problem(("mediator",), f"unknown mediator strategy {name!r}: choose one of {_list(valid)}")
    return str(name)


def _scenarios(
    data: dict[str, Any], file: Path, problem: Report, problems: list[Problem]
) -> dict[str, Scenario]:
    paths = data.get("scenarios")
    if not isinstance(paths, list) or not paths:
        problem(("scenarios",), "expected a list of scenario files or folders (at least one)")
        return {}
    scenarios: dict[str, Scenario] = {}
    for index, written in enumerate(paths):
        if not isinstance(written, str):
            problem(("scenarios", index), f"expected a path, got {written!r}")
            continue
        if written in scenarios:
            problem(("scenarios", index), f"scenario {written!r} is listed twice")
            continue
        location = (file.parent / written).resolve()
        if not location.exists():
            problem(("scenarios", index), f"no such scenario file or folder: {location}")
            continue
        try:
            scenarios[written] = load_any(location)
        except ScenarioError as error:
            problem(("scenarios", index), f"scenario {written!r} does not load:")
            problems.extend(error.problems)
    return scenarios


def _check_grid(config: TournamentConfig, problem: Report) -> None:
    jobs = 0
    for index, label in enumerate(config.scenarios):
        seats = config.seats(label)
        _check_seating(config, label, seats, ("scenarios", index), problem)
        if not seats:
            problem(("scenarios", index), f"scenario {label!r} has no party with preferences")
        elif not config.self_play and len(seats) > len(config.strategies):
            problem(
                ("scenarios", index),
                f"scenario {label!r} has {len(seats)} negotiating parties but only "
                f"{len(config.strategies)} strategies: add strategies or set self_play: true",
            )
        jobs += assignment_count(len(config.strategies), len(seats), config.self_play)
    jobs *= config.repetitions
    if jobs > MAX_JOBS:
        problem(
            ("strategies",),
            f"the grid has {jobs:,} jobs (more than {MAX_JOBS:,}): use fewer strategies, "
            "fewer multilateral scenarios or self_play: false",
        )


def _check_seating(
    config: TournamentConfig,
    label: str,
    seats: tuple[str, ...],
    where: tuple[str | int, ...],
    problem: Report,
) -> None:
    """What ``simulate`` would refuse on this scenario: e.g. a mediator strategy that needs
    the parties' preferences where the scenario does not grant them."""
    scenario = config.scenarios[label]
    mediator = mediator_of(scenario, config.protocol)
    for name in config.strategies:
        chosen = dict.fromkeys(seats, name)
        if mediator is not None and config.mediator is not None:
            chosen[mediator] = config.mediator
        try:
            assignments_for(scenario, config.protocol, chosen)
        except AccordError as error:
            problem(where, f"scenario {label!r}: {error}")
            return


def assignment_count(strategies: int, seats: int, self_play: bool) -> int:
    """How many ways to give ``seats`` parties a strategy each (all role permutations)."""
    if self_play:
        return int(strategies**seats)
    count = 1
    for taken in range(seats):
        count *= max(0, strategies - taken)
    return count


def _text(data: dict[str, Any], key: str, default: str, problem: Report) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value:
        problem((key,), f"expected a name, got {value!r}")
        return default
    return value


def _integer(data: dict[str, Any], key: str, default: int, minimum: int, problem: Report) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        problem((key,), f"expected a whole number of at least {minimum}, got {value!r}")
        return default
    return value


def _list(names: Any) -> str:
    return ", ".join(sorted(names))
