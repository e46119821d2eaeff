"""``accord tournament``, run as a user runs it: a subprocess, its exit code and its output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.tournament.results import ResultSet

EXAMPLES = Path(__file__).parent.parent / "examples"


def accord(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        cwd=cwd,
    )


@pytest.fixture
def config(tmp_path: Path) -> Path:
    for name in ("logrolling-two-issues.yaml", "camp-david-1978.yaml"):
        (tmp_path / name).write_text((EXAMPLES / name).read_text(encoding="utf-8"), "utf-8")
    path = tmp_path / "cup.yaml"
    path.write_text(
        "name: cup\nscenarios: [logrolling-two-issues.yaml, camp-david-1978.yaml]\n"
        "strategies: [boulware, linear, hardliner]\nseed: 3\ndeadline: 40\n",
        encoding="utf-8",
    )
    return path


def test_json_summary_then_a_resumed_run(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    first = accord("tournament", str(config), "--workers", "2", "--out", str(out), "--json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert (data["name"], data["jobs"], data["ran"], data["already_done"]) == ("cup", 36, 36, 0)
    assert data["backend"] == "processes (2 workers)"
    summary = data["summary"]
    assert summary["jobs"] == 36
    assert {s["strategy"] for s in summary["standings"]} == {"boulware", "linear", "hardliner"}
    assert set(summary["rankings"]) >= {"utility", "social_welfare", "distance_to_nash"}
    assert 0.0 <= summary["agreement_rate"] <= 1.0
    assert "36/36" in first.stderr  # the progress bar
    again = accord("tournament", str(config), "--backend", "serial", "--out", str(out), "--json")
    assert json.loads(again.stdout)["already_done"] == 36
    assert json.loads(again.stdout)["summary"] == summary


def test_readable_summary_and_charts(config: Path, tmp_path: Path) -> None:
    chart = tmp_path / "cup.html"
    here = tmp_path / "elsewhere"
    here.mkdir()
    result = accord(
        "tournament", str(config), "--backend", "serial", "--plot", str(chart), cwd=here
    )
    assert result.returncode == 0, result.stderr
    assert "Tournament cup: 36 negotiations" in result.stdout
    assert "Ran 36 job(s) on serial (1 worker)" in result.stdout
    assert "boulware" in result.stdout and "camp-david-1978.yaml" in result.stdout
    assert "Mean utility per strategy and role" in result.stdout
    # The default folder is in the current folder, not beside the configuration.
    assert (here / "cup-results" / "tournament.json").is_file()
    assert not (tmp_path / "cup-results").exists()
    assert "results in cup-results" in result.stdout
    assert "Agreement rate per strategy" in chart.read_text(encoding="utf-8")


def test_a_bad_configuration_fails_before_any_job_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "scenarios: [nowhere.yaml]\nstrategies: [linear, nobody]\nprotocol: auction\n", "utf-8"
    )
    result = accord("tournament", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{path}:3:11",
        f"{path}:2:22",
        f"{path}:1:13",
    ]
    assert "unknown protocol 'auction'" in lines[0]
    assert "unknown strategy 'nobody'" in lines[1]
    assert "no such scenario file or folder" in lines[2]
    assert not (tmp_path / "out").exists()


def test_an_unknown_backend_and_an_unreachable_scheduler(config: Path) -> None:
    result = accord("tournament", str(config), "--backend", "threads")
    assert result.returncode == 2
    assert "error: unknown backend 'threads'" in result.stderr
    started = time.monotonic()
    result = accord(
        "tournament", str(config), "--backend", "dask", "--scheduler", "tcp://127.0.0.1:9"
    )
    assert result.returncode == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr
    assert time.monotonic() - started < 30


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_keeps_the_finished_jobs_and_the_next_run_resumes(tmp_path: Path) -> None:
    (tmp_path / "camp-david-1978.yaml").write_text(
        (EXAMPLES / "camp-david-1978.yaml").read_text(encoding="utf-8"), "utf-8"
    )
    path = tmp_path / "long.yaml"
    path.write_text(
        "scenarios: [camp-david-1978.yaml]\nstrategies: [boulware, linear, conceder, "
        "hardliner, tit-for-tat]\nrepetitions: 40\n",  # 5,000 jobs: far more than a second
        encoding="utf-8",
    )
    out = tmp_path / "results"
    command = [sys.executable, "-m", "accord", "tournament", str(path), "--backend", "serial"]
    running = subprocess.Popen(
        [*command, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A suite run as a background job ignores SIGINT, and a child inherits that: give the
        # command the default Ctrl-C a user's terminal gives it.
        preexec_fn=_default_sigint,
    )
    # Interrupt once some jobs are written (the first part: 500 jobs or 5 s), not after a fixed
    # time: on a loaded machine no job may have finished a second after the start.
    while not list((out / "parts").glob("part-*.parquet")):
        assert running.poll() is None, running.communicate()[1]
        time.sleep(0.05)
    running.send_signal(signal.SIGINT)
    _, stderr = running.communicate(timeout=60)
    assert running.returncode == 2, stderr
    assert "interrupted:" in stderr and "run the same command again to resume" in stderr
    saved = ResultSet.load(out).jobs
    assert 0 < saved < 5000
    assert f"interrupted: {saved} finished job(s) are saved" in stderr


def test_a_local_dask_cluster_gives_the_same_summary(config: Path, tmp_path: Path) -> None:
    dask_run = accord(
        "tournament", str(config), "--backend", "dask", "--dask-local", "2",
        "--out", str(tmp_path / "dask"), "--json",
    )  # fmt: skip
    assert dask_run.returncode == 0, dask_run.stderr
    serial = accord(
        "tournament", str(config), "--backend", "serial",
        "--out", str(tmp_path / "serial"), "--json",
    )  # fmt: skip
    dask_data, serial_data = json.loads(dask_run.stdout), json.loads(serial.stdout)
    assert dask_data["backend"] == "dask (2 worker threads, local cluster)"
    assert dask_data["summary"] == serial_data["summary"]
