"""``accord simulate`` as a user runs it: protocols, defaults, traces, plots, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
CAMP_DAVID = str(ROOT / "examples" / "camp-david-1978.yaml")
PLAN = str(ROOT / "examples" / "peace-plan-27.yaml")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord", "simulate", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.mark.parametrize("protocol", ["alternating", "single-text", "parallel-blocks", "shuttle"])
def test_every_protocol_runs_with_defaults(protocol: str) -> None:
    result = run(CAMP_DAVID, "--protocol", protocol, "--seed", "1", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data["agreement"], bool)
    assert set(data["utilities"]) == {"eg", "il", "us"}
    assert 1 <= data["rounds"] <= 100
    assert (data["package"] is None) == (not data["agreement"])


def test_alternating_offers_on_camp_david_reach_the_nash_package() -> None:
    data = json.loads(run(CAMP_DAVID, "--seed", "1", "--json").stdout)
    assert data["agreement"] is True
    assert data["strategies"] == {"eg": "linear", "il": "linear", "us": "linear"}
    assert data["distance_to_frontier"] == pytest.approx(0.0, abs=1e-9)


def test_single_text_and_parallel_blocks_on_the_peace_plan() -> None:
    # Nothing is feasible in the plan as written: no protocol can end in agreement.
    for protocol in ("single-text", "parallel-blocks"):
        result = run(PLAN, "--protocol", protocol, "--seed", "2", "--deadline", "30", "--json")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["agreement"] is False
        assert data["package"] is None
        assert data["utilities"]["ru"] == pytest.approx(0.55)


def test_same_seed_same_trace_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for path in (first, second):
        result = run(CAMP_DAVID, "--protocol", "shuttle", "--seed", "7", "--trace", str(path))
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    lines = first.read_text().splitlines()
    assert json.loads(lines[0])["protocol"] == "shuttle"
    assert any(json.loads(line).get("kind") == "show" for line in lines[1:-1])


def test_plot_is_self_contained_html(tmp_path: Path) -> None:
    path = tmp_path / "run.html"
    result = run(CAMP_DAVID, "--seed", "1", "--plot", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == f"Chart: {path}"  # stdout stays the report
    html = path.read_text()
    assert "Plotly.newPlot" in html
    # plotly.js is inside the file: no script is fetched from the network.
    assert '<script src="http' not in html and "<script src='http" not in html
    assert "Pareto frontier" in html or "Concession" in html


def test_plot_as_png(tmp_path: Path) -> None:
    path = tmp_path / "run.png"
    result = run(CAMP_DAVID, "--seed", "1", "--plot", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["seed"] == 1  # the JSON alone on stdout
    assert result.stderr.splitlines()[-1] == f"Chart: {path}"
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    # Two panels side by side at 100 dpi: 1200 x 450 pixels (the IHDR chunk's width, height).
    assert int.from_bytes(data[16:20], "big") == 1200
    assert int.from_bytes(data[20:24], "big") == 450


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--strategy", "eg=nope"], "unknown strategy 'nope' for protocol 'alternating'"),
        (["--strategy", "zz=linear"], "unknown party 'zz'"),
        (["--strategy", "eg"], "expected PARTY=NAME"),
        (["--protocol", "foo"], "unknown protocol 'foo'"),
        (["--plot", "x.svg"], "expected a .html or .png file"),
    ],
)
def test_bad_choices_are_refused_before_running(arguments: list[str], message: str) -> None:
    result = run(CAMP_DAVID, *arguments)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external" / "genius"


@pytest.mark.parametrize("domain", ["anac2010-ItexvsCypress", "anac2015-group3-bank_robbery"])
@pytest.mark.parametrize("protocol", ["alternating", "single-text", "parallel-blocks", "shuttle"])
def test_protocols_run_on_shared_genius_domains(domain: str, protocol: str) -> None:
    from accord.formats.genius import load_genius_folder
    from accord.negotiation.runner import simulate

    if not EXTERNAL.is_dir():
        pytest.fail(f"shared GENIUS data not found at {EXTERNAL}")
    scenario = load_genius_folder(EXTERNAL / domain)
    first = simulate(scenario, protocol, {}, seed=4, deadline=60)
    again = simulate(scenario, protocol, {}, seed=4, deadline=60)
    space = first.compiled.space
    assert first.trace.to_jsonl(space) == again.trace.to_jsonl(space)
    assert first.trace.rounds <= 60
    if first.trace.agreement is not None:
        package = np.array(first.trace.agreement, dtype=np.int64)
        assert first.compiled.feasible(package)[0]


@pytest.mark.parametrize("name", ["alternating", "single-text", "parallel-blocks", "shuttle"])
def test_each_protocol_reports_every_round_as_it_starts(name: str) -> None:
    from accord.negotiation.runner import simulate
    from accord.scenario.loader import load_scenario

    started: list[int] = []
    result = simulate(load_scenario(CAMP_DAVID), name, {}, 3, 40, progress=started.append)
    assert started == list(range(result.trace.rounds))
    assert started  # at least one round ran
