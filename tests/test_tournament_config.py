"""A tournament configuration is checked in full, with file and line, before any job runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.tournament.config import ConfigError, assignment_count, load_config

EXAMPLES = Path(__file__).parent.parent / "examples"


def write(folder: Path, text: str) -> Path:
    (folder / "small.yaml").write_text(
        (EXAMPLES / "logrolling-two-issues.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    path = folder / "tournament.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_configuration_with_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "scenarios: [small.yaml]\nstrategies: [boulware]\n"))
    assert config.name == "tournament"
    assert (config.protocol, config.repetitions, config.seed, config.deadline) == (
        "alternating",
        1,
        0,
        100,
    )
    assert config.self_play is True
    assert config.mediator is None
    assert config.seats("small.yaml") == ("candidate", "employer")


def test_every_problem_is_listed_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "scenarios:\n"
        "  - small.yaml\n"
        "  - missing.yaml\n"
        "strategies: [boulware, best-ever, hill-climbing-mediator]\n"
        "protocol: alternating\n"
        "repetitions: 0\n"
        "colour: blue\n"
        "mediator: hill-climbing-mediator\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    rendered = [problem.render() for problem in raised.value.problems]
    source = str(path)
    assert rendered == [
        f"{source}:7:1: unknown field 'colour': expected one of name, scenarios, strategies, "
        "protocol, mediator, repetitions, seed, deadline, self_play",
        f"{source}:4:24: strategies.1: unknown strategy 'best-ever': choose one of boulware, "
        "conceder, hardliner, linear, random-acceptable, time-based, tit-for-tat",
        f"{source}:4:35: strategies.2: strategy 'hill-climbing-mediator' cannot negotiate under "
        "protocol 'alternating': choose one of boulware, conceder, hardliner, linear, "
        "random-acceptable, time-based, tit-for-tat",
        f"{source}:8:1: protocol 'alternating' has no mediator",
        f"{source}:6:14: repetitions: expected a whole number of at least 1, got 0",
        f"{source}:3:5: scenarios.1: no such scenario file or folder: {tmp_path / 'missing.yaml'}",
    ]


def test_an_unknown_protocol_and_a_bad_mediator(tmp_path: Path) -> None:
    path = write(tmp_path, "scenarios: [small.yaml]\nstrategies: [linear]\nprotocol: auction\n")
    with pytest.raises(ConfigError, match=r"tournament.yaml:3:11: protocol: unknown protocol"):
        load_config(path)
    path = write(
        tmp_path,
        "scenarios: [small.yaml]\nstrategies: [linear]\nprotocol: shuttle\nmediator: linear\n",
    )
    with pytest.raises(ConfigError, match=r"unknown mediator strategy 'linear'"):
        load_config(path)


def test_a_scenario_that_does_not_load_shows_its_own_problems(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: x\nissues: []\n", encoding="utf-8")
    path = write(tmp_path, "scenarios: [broken.yaml]\nstrategies: [linear]\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    messages = [problem.render() for problem in raised.value.problems]
    assert messages[0].endswith("scenarios.0: scenario 'broken.yaml' does not load:")
    assert any(message.startswith(str(tmp_path / "broken.yaml")) for message in messages[1:])


def test_more_seats_than_strategies_needs_self_play(tmp_path: Path) -> None:
    path = write(tmp_path, "scenarios: [small.yaml]\nstrategies: [linear]\nself_play: false\n")
    with pytest.raises(ConfigError, match="2 negotiating parties but only 1 strategies"):
        load_config(path)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "scenarios: [small.yaml\nstrategies: [linear]\n")
    with pytest.raises(Exception, match=r"tournament.yaml:\d+:\d+: invalid YAML"):
        load_config(path)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nothing\.yaml: cannot read"):
        load_config(tmp_path / "nothing.yaml")


def test_assignment_counts() -> None:
    assert assignment_count(5, 2, self_play=True) == 25
    assert assignment_count(5, 2, self_play=False) == 20
    assert assignment_count(2, 3, self_play=False) == 0


def test_the_example_configurations_load() -> None:
    assert len(load_config(EXAMPLES / "tournament-examples.yaml").scenarios) == 2
    genius = load_config(EXAMPLES / "tournament-genius.yaml")
    assert len(genius.scenarios) == 15


def test_a_mediator_that_needs_preferences_the_scenario_does_not_grant(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "scenarios: [small.yaml]\nstrategies: [linear]\nprotocol: single-text\n"
        "mediator: nash-mediator\n",
    )
    with pytest.raises(
        ConfigError,
        match=r"tournament.yaml:1:\d+: scenarios.0: scenario "
        r"'small.yaml': strategy 'nash-mediator' needs the parties' preferences",
    ):
        load_config(path)
