"""An interrupted robustness run resumes from its checkpoint: the same report as a run that
was never stopped, only the missing samples drawn again, and a foreign file refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.errors import AccordError
from accord.robustness import assess_robustness
from accord.robustness.checkpoint import answer_from_json, answer_to_json
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from accord.tournament.backends import make_backend

DATA = Path(__file__).parent / "data"
SAMPLES = 20
SEED = 3


class Stop(Exception):
    """Stands for an interrupt (Ctrl-C, a killed worker pool) in the middle of a run."""


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(DATA / "small-uncertain.yaml")


@pytest.fixture(scope="module")
def uninterrupted(scenario: Scenario) -> dict:
    return assess_robustness(scenario, SAMPLES, SEED).to_dict(top=10)


def stop_after(count: int) -> object:
    seen: list[int] = []

    def on_answer(answer: object) -> None:
        seen.append(1)
        if len(seen) == count:
            raise Stop

    return on_answer


@pytest.mark.parametrize("kind", ["serial", "processes"])
def test_a_resumed_run_gives_the_uninterrupted_report(
    scenario: Scenario, uninterrupted: dict, tmp_path: Path, kind: str
) -> None:
    checkpoint = tmp_path / "answers.jsonl"
    with make_backend(kind, workers=2) as runner, pytest.raises(Stop):
        assess_robustness(scenario, SAMPLES, SEED, runner, stop_after(7), checkpoint=checkpoint)
    written = checkpoint.read_text().splitlines()
    assert len(written) == 1 + 7  # the header, then each answer as it arrived
    drawn: list[int] = []
    with make_backend(kind, workers=2) as runner:
        resumed = assess_robustness(
            scenario,
            SAMPLES,
            SEED,
            runner,
            on_answer=lambda answer: drawn.append(answer.index),
            checkpoint=checkpoint,
        )
    assert len(drawn) == SAMPLES - 7  # only the missing samples were drawn again
    done = {json.loads(line)["index"] for line in written[1:]}
    assert done.isdisjoint(drawn)
    assert resumed.to_dict(top=10) == uninterrupted


def test_a_partial_last_line_is_dropped(
    scenario: Scenario, uninterrupted: dict, tmp_path: Path
) -> None:
    checkpoint = tmp_path / "answers.jsonl"
    with pytest.raises(Stop):
        assess_robustness(scenario, SAMPLES, SEED, None, stop_after(5), checkpoint=checkpoint)
    with checkpoint.open("a") as file:
        file.write('{"index": 9, "feasi')  # killed in the middle of a write
    resumed = assess_robustness(scenario, SAMPLES, SEED, checkpoint=checkpoint)
    assert resumed.to_dict(top=10) == uninterrupted
    assert all(json.loads(line) for line in checkpoint.read_text().splitlines())


def test_a_checkpoint_of_another_run_is_refused(scenario: Scenario, tmp_path: Path) -> None:
    checkpoint = tmp_path / "answers.jsonl"
    assess_robustness(scenario, 3, SEED, checkpoint=checkpoint)
    with pytest.raises(AccordError, match=r"answers.jsonl:1: this checkpoint belongs to another"):
        assess_robustness(scenario, 3, SEED + 1, checkpoint=checkpoint)
    lines = checkpoint.read_text().splitlines()
    checkpoint.write_text("\n".join([lines[0], "[1, 2]", *lines[1:]]) + "\n")
    with pytest.raises(AccordError, match=r"answers.jsonl:2: expected a JSON object"):
        assess_robustness(scenario, 3, SEED, checkpoint=checkpoint)


def test_answers_round_trip_through_json(scenario: Scenario) -> None:
    report = assess_robustness(scenario, 6, SEED)
    for answer in report.answers:
        assert answer_from_json(json.loads(json.dumps(answer_to_json(answer)))) == answer
    assert any(a.feasible for a in report.answers) and any(a.conflict for a in report.answers)


def test_the_command_resumes_from_its_checkpoint(tmp_path: Path) -> None:
    checkpoint = tmp_path / "answers.jsonl"
    command = [
        sys.executable, "-m", "accord", "robustness", str(DATA / "small-uncertain.yaml"),
        "--samples", "8", "--seed", str(SEED), "--backend", "serial", "--json",
        "--checkpoint", str(checkpoint),
    ]  # fmt: skip
    first = subprocess.run(command, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    drop = {"seconds", "backend"}
    report = {k: v for k, v in json.loads(first.stdout).items() if k not in drop}
    assert {k: v for k, v in json.loads(again.stdout).items() if k not in drop} == report
    assert len(checkpoint.read_text().splitlines()) == 1 + 8  # nothing drawn twice
