"""``accord robustness`` as a user runs it: a subprocess, its exit code, stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"
UNCERTAIN = str(DATA / "small-uncertain.yaml")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "accord", "robustness", *args],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )


def test_json_has_the_documented_keys() -> None:
    result = run(UNCERTAIN, "--samples", "12", "--seed", "4", "--backend", "serial", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar off a terminal
    data = json.loads(result.stdout)
    assert data["samples"] == 12 and data["seed"] == 4
    probability = data["deal_probability"]
    assert set(probability) == {"count", "frequency", "interval"}
    assert probability["interval"][0] <= probability["frequency"] <= probability["interval"][1]
    for entry in data["nash_packages"]:
        assert set(entry) == {"package", "count", "frequency", "interval", "given_deal"}
    for entry in data["blockers"]:
        assert {"party", "kind", "label", "count", "frequency", "interval"} <= set(entry)
    assert data["backend"] == "serial (1 worker)"


def test_processes_backend_gives_the_serial_answer() -> None:
    serial = run(UNCERTAIN, "--samples", "10", "--seed", "2", "--backend", "serial", "--json")
    pooled = run(UNCERTAIN, "--samples", "10", "--seed", "2", "--workers", "2", "--json")
    assert pooled.returncode == 0, pooled.stderr
    forget = {"backend": None, "seconds": None}
    assert json.loads(pooled.stdout) | forget == json.loads(serial.stdout) | forget
    assert json.loads(pooled.stdout)["backend"] == "processes (2 workers)"


def test_the_summary_reads_in_plain_words() -> None:
    result = run(UNCERTAIN, "--samples", "30", "--seed", "1", "--backend", "serial", "--top", "2")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Uncertain numbers: p 4, q 3." in text
    assert "A deal exists in" in text and "of profiles" in text
    assert "Nash packages (top 2 of" in text
    assert "What blocks a deal" in text
    assert "Smallest changes that open a deal" in text


def test_a_certain_scenario_says_the_input_was_certain() -> None:
    result = run(str(DATA / "small.yaml"), "--samples", "3", "--backend", "serial")
    assert result.returncode == 0, result.stderr
    assert "The input is certain" in result.stdout
    assert "A deal exists in 100.0% of profiles" in result.stdout


def test_bad_input_gives_one_line_and_exit_code_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (DATA / "small-uncertain.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("reservation: [0.3, 0.8]", "reservation: [0.8, 0.3]"))
    result = run(str(bad), "--samples", "3", "--backend", "serial")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"{bad}:17:20: parties.p.preferences.reservation: expected a range [low, high] with "
        "low <= high (got [0.8, 0.3])"
    )
    for args, message in [
        (("--samples", "0"), "error: --samples: expected at least 1 sample, got 0"),
        (("--seed", "-3"), "error: --seed: expected a seed >= 0, got -3"),
        (("--backend", "gpu"), "error: --backend: unknown backend 'gpu'"),
        (("--top", "0"), "error: --top: expected at least 1, got 0"),
    ]:
        result = run(UNCERTAIN, *args)
        assert result.returncode == 2
        assert result.stderr.startswith(message), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
