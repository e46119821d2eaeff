"""Folders in the field's formats are recognised by content; import and export round-trip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.compiled import compile_scenario
from accord.errors import ScenarioError
from accord.formats.detect import detect_format, load_any
from accord.scenario.generate import random_additive_scenario
from accord.scenario.loader import load_scenario
from accord.scenario.writer import dump_scenario

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def external() -> Path:
    if not EXTERNAL.is_dir():
        pytest.fail(f"shared data not found at {EXTERNAL} (see shared/external/README.md)")
    return EXTERNAL


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_formats_are_detected_by_content(external: Path, tmp_path: Path) -> None:
    assert detect_format(external / "genius" / "anac2010-ItexvsCypress") == "genius"
    assert detect_format(external / "genius" / "anl2023-geniusweb" / "domain00") == "geniusweb"
    game = external / "llm-deliberation" / "games_descriptions" / "base"
    assert detect_format(game) == "llm-game"
    assert detect_format(ROOT / "examples" / "peace-plan-27.yaml") == "accord"
    # Names do not matter: a GENIUS folder copied under other names is still GENIUS.
    copy = tmp_path / "renamed"
    copy.mkdir()
    for index, source in enumerate(sorted((external / "genius" / "anac2010-Travel").glob("*.xml"))):
        (copy / f"file{index}.xml").write_bytes(source.read_bytes())
    assert detect_format(copy) == "genius"


def test_unrecognised_paths_say_what_was_expected(external: Path, tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no scenario found: expected an LLM-negotiation"):
        load_any(tmp_path)
    with pytest.raises(ScenarioError, match="give the folder holding the domain and profiles"):
        load_any(external / "genius" / "anac2010-Travel" / "travel_domain.xml")
    with pytest.raises(ScenarioError, match="no such file or folder"):
        load_any(tmp_path / "missing")


def test_analyze_reads_each_format_from_the_command_line(external: Path) -> None:
    for folder, parties in (
        (external / "genius" / "anac2010-ItexvsCypress", 2),
        (external / "genius" / "anl2023-geniusweb" / "domain00", 2),
        (external / "llm-deliberation" / "games_descriptions" / "base", 6),
    ):
        result = run("analyze", str(folder), "--json")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert len(data["parties"]) == parties
    game = json.loads(
        run(
            "analyze", str(external / "llm-deliberation" / "games_descriptions" / "base"), "--json"
        ).stdout
    )
    assert (game["feasible_count"], game["unanimous_count"]) == (55, 12)


def test_import_writes_a_scenario_that_loads_the_same(external: Path, tmp_path: Path) -> None:
    source = external / "genius" / "anac2013-DefensiveCharms"
    output = tmp_path / "charms.yaml"
    result = run("import", str(source), "-o", str(output))
    assert result.returncode == 0, result.stderr
    original = compile_scenario(load_any(source))
    imported = compile_scenario(load_scenario(output))
    packages = original.space.all_packages()
    np.testing.assert_allclose(imported.utilities(packages), original.utilities(packages))


def test_export_to_genius_round_trips(tmp_path: Path) -> None:
    scenario = random_additive_scenario(2, 4, 3, seed=5)
    dump_scenario(scenario, tmp_path / "random.json")
    result = run(
        "export", str(tmp_path / "random.json"), "--format", "genius", "-o", str(tmp_path / "g")
    )
    assert result.returncode == 0, result.stderr
    back = compile_scenario(load_any(tmp_path / "g"))
    original = compile_scenario(scenario)
    packages = original.space.all_packages()
    np.testing.assert_allclose(back.utilities(packages), original.utilities(packages), atol=1e-12)
    unknown = run("export", str(tmp_path / "random.json"), "--format", "negmas", "-o", "x")
    assert unknown.returncode == 2
    assert "unknown format 'negmas'" in unknown.stderr


def test_anl_2023_numbers_in_the_report(external: Path) -> None:
    """domain00 of _specials_summary.csv: Nash and the organisers' "Kalai" and opposition."""
    folder = external / "genius" / "anl2023-geniusweb" / "domain00"
    data = json.loads(run("analyze", str(folder), "--json", "--ignore-reservation").stdout)
    assert data["outcome_count"] == 6480
    assert data["frontier"]["size"] == 22
    nash = data["solutions"]["nash"]["utilities"]
    assert [nash["profileA"], nash["profileB"]] == pytest.approx([0.936910694, 0.5282021763])
    kalai = data["anl2023"]["kalai"]["utilities"]
    assert [kalai["profileA"], kalai["profileB"]] == pytest.approx([0.6039192214, 0.6023645304])
    assert data["anl2023"]["opposition"] == pytest.approx(0.5612432180974615)
