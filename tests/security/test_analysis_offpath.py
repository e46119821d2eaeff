"""A delegate cannot freeze the mediator's analyses or the server with heavy preferences
(random interaction terms: see ``offpath_preferences``).

The analysis and the workbench page's analyses run in separate processes with a time
limit: a request never computes them and holds no worker thread while it waits, writes
go on while they run, a computation past its limit is killed and reported "too large",
an abandoned or superseded one is killed, and `accord serve` stops promptly on SIGTERM,
its analysis processes with it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio.to_thread
import httpx
import pytest
from fastapi.testclient import TestClient

from accord.analysis.report import analyze
from accord.ledger.throwaway_postgres import free_port
from accord.scenario.loader import load_scenario
from accord.scenario.model import Scenario
from accord.web import analysis_cache
from accord.web.analysis_cache import (
    ANALYSIS,
    AnalysisRunner,
    AnalysisState,
    Computing,
    Failed,
    Ready,
    Task,
)
from accord.web.workbench_tasks import workbench_results, workbench_task
from security.accounts_forms import log_in
from security.offpath_preferences import (
    WORKBENCH_INTERACTIONS,
    heavy_preferences,
    heavy_scenario,
)
from web_fixtures import ACCORD, PASSWORD, PEACE_PLAN, World, bearer_headers, drain_console

BOUND = 120.0  # seconds: only a bound on a loop that must end long before


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    try:
        return status.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _until(condition: object, what: str) -> None:
    assert callable(condition)
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.1)


def _settle(
    runner: AnalysisRunner, scenario: Scenario, owner: object, task: Task = ANALYSIS
) -> AnalysisState:
    state = asyncio.run(runner.wait(scenario, owner, BOUND, task))
    assert not isinstance(state, Computing)
    return state


def test_the_analysis_is_the_core_analysis_computed_elsewhere() -> None:
    runner = AnalysisRunner(time_limit=BOUND)
    scenario = load_scenario(PEACE_PLAN)
    state = _settle(runner, scenario, 1)
    assert isinstance(state, Ready)
    assert state.analysis.to_dict() == analyze(scenario).to_dict()
    assert runner.request(scenario, 1) is state  # kept: asked again, not computed again
    assert runner.process_ids() == []


def test_past_its_time_limit_the_analysis_is_killed_and_reported_too_large() -> None:
    runner = AnalysisRunner(time_limit=3)
    heavy = heavy_scenario()
    first = runner.request(heavy, 1)
    assert isinstance(first, Computing) and first.time_limit == 3
    (pid,) = runner.process_ids()
    state = _settle(runner, heavy, 1)
    assert isinstance(state, Failed) and state.too_large
    assert "did not finish within 3 s" in state.message
    assert not _alive(pid)
    assert runner.request(heavy, 1) is state  # not started again on every refresh


def test_an_abandoned_analysis_is_cancelled() -> None:
    runner = AnalysisRunner(time_limit=BOUND, abandon_after=1)
    heavy = heavy_scenario()
    assert isinstance(runner.request(heavy, 1), Computing)
    (pid,) = runner.process_ids()
    _until(lambda: not _alive(pid), "the abandoned analysis process ends")
    assert runner.process_ids() == []
    assert isinstance(runner.request(heavy, 1), Computing)  # asked again: computed again
    runner.shutdown()
    assert runner.process_ids() == []


def test_new_preferences_cancel_the_analysis_of_the_old_ones() -> None:
    runner = AnalysisRunner(time_limit=BOUND)
    assert isinstance(runner.request(heavy_scenario(), 7), Computing)
    (pid,) = runner.process_ids()
    lighter = load_scenario(PEACE_PLAN)
    runner.request(lighter, 7)
    assert not _alive(pid)
    assert isinstance(_settle(runner, lighter, 7), Ready)


DRAFT = {"donetsk": "buffer-ua", "force-cap": "600k"}


def test_a_workbench_job_is_the_core_results_computed_elsewhere() -> None:
    runner = AnalysisRunner(time_limit=BOUND)
    scenario = load_scenario(PEACE_PLAN)
    task = workbench_task(DRAFT)
    state = _settle(runner, scenario, 1, task)
    assert isinstance(state, Ready)
    assert state.value == workbench_results(scenario, DRAFT)
    assert runner.request(scenario, 1, task) is state  # kept, keyed by its arguments too
    assert isinstance(runner.request(scenario, 1, workbench_task(None)), Computing)
    assert isinstance(runner.request(scenario, 1), Computing)  # the analysis is another job
    runner.shutdown()


def test_a_workbench_job_beside_the_analysis_is_superseded_by_a_new_draft_only() -> None:
    runner = AnalysisRunner(time_limit=BOUND)
    heavy = heavy_scenario(WORKBENCH_INTERACTIONS)
    assert isinstance(runner.request(heavy, 3), Computing)
    (analysis_pid,) = runner.process_ids()
    assert isinstance(runner.request(heavy, 3, workbench_task(None)), Computing)
    (first_pid,) = set(runner.process_ids()) - {analysis_pid}  # both run, neither cancelled
    runner.request(heavy, 3, workbench_task(DRAFT))  # the mediator issued a draft
    assert not _alive(first_pid) and _alive(analysis_pid)
    assert len(runner.process_ids()) == 2
    runner.request(load_scenario(PEACE_PLAN), 3, workbench_task(DRAFT))  # new preferences
    assert not _alive(analysis_pid)  # the old scenario's analysis is superseded too
    runner.shutdown()
    assert runner.process_ids() == []


def test_a_workbench_job_past_its_time_limit_is_killed_and_reported_too_large() -> None:
    runner = AnalysisRunner(time_limit=3)
    heavy = heavy_scenario(WORKBENCH_INTERACTIONS)
    task = workbench_task(None)
    assert isinstance(runner.request(heavy, 1, task), Computing)
    (pid,) = runner.process_ids()
    state = _settle(runner, heavy, 1, task)
    assert isinstance(state, Failed) and state.too_large
    assert "did not finish within 3 s" in state.message
    assert not _alive(pid)
    assert runner.request(heavy, 1, task) is state


@pytest.fixture
def short_runner(monkeypatch: pytest.MonkeyPatch) -> Iterator[AnalysisRunner]:
    runner = AnalysisRunner(time_limit=3)
    monkeypatch.setattr(analysis_cache, "_runner", runner)
    yield runner
    runner.shutdown()


def test_the_page_says_still_computing_then_too_large(
    world: World, short_runner: AnalysisRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.web.pages import analysis as page

    monkeypatch.setattr(page, "WAIT_SECONDS", 0.0)
    put = world.client.put(
        world.path("/parties/ua/preferences"),
        json=heavy_preferences(),
        headers=world.headers("ua_delegate"),
    )
    assert put.status_code == 200, put.text
    assert log_in(world.client, "mediator", PASSWORD).status_code == 303
    pending = world.client.get(f"/negotiations/{world.negotiation_id}/analysis")
    assert pending.status_code == 202
    assert "Still computing" in pending.text and 'http-equiv="refresh"' in pending.text
    api = world.client.get(world.path("/analysis?wait=0"), headers=world.headers("mediator"))
    assert api.status_code == 202 and api.headers["retry-after"] == "2"
    assert api.json()["status"] == "computing"
    # Writes go on while it computes.
    stance = {"party": "ua", "issue": "donetsk", "stance": "rejects"}
    written = world.client.post(
        world.path("/stances"), json=stance, headers=world.headers("ua_delegate")
    )
    assert written.status_code == 201
    _until(
        lambda: (
            world.client.get(
                world.path("/analysis?wait=1"), headers=world.headers("mediator")
            ).status_code
            == 422
        ),
        "the analysis is reported too large",
    )
    api = world.client.get(world.path("/analysis?wait=0"), headers=world.headers("mediator"))
    assert api.json()["detail"].startswith("too large: the analysis did not finish within 3 s")
    final = world.client.get(f"/negotiations/{world.negotiation_id}/analysis")
    assert final.status_code == 422 and "Too large" in final.text
    assert 'http-equiv="refresh"' not in final.text


async def _one_worker_thread() -> None:
    # Every blocking part of a request (ledger reads, writes, rendering) then queues for
    # this one thread: a page that held it while waiting would hold up every write.
    anyio.to_thread.current_default_thread_limiter().total_tokens = 1


def test_the_workbench_page_waits_holding_no_worker_then_says_too_large(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.web.pages import analysis as page

    runner = AnalysisRunner(time_limit=10)
    monkeypatch.setattr(analysis_cache, "_runner", runner)
    monkeypatch.setattr(page, "WAIT_SECONDS", 0.5)
    put = world.client.put(
        world.path("/parties/ua/preferences"),
        json=heavy_preferences(interactions=WORKBENCH_INTERACTIONS),
        headers=world.headers("ua_delegate"),
    )
    assert put.status_code == 200, put.text
    more = f"/negotiations/{world.negotiation_id}/analysis/more"
    try:
        with TestClient(world.client.app) as client:  # one event loop for every request
            client.portal.call(_one_worker_thread)  # type: ignore[union-attr]
            assert log_in(client, "mediator", PASSWORD).status_code == 303
            pending = client.get(more)
            assert pending.status_code == 202
            assert "More analyses" in pending.text and "Still computing" in pending.text
            assert 'http-equiv="refresh"' in pending.text
            (pid,) = runner.process_ids()
            # Now a page that waits until the job ends, and a write meanwhile.
            monkeypatch.setattr(page, "WAIT_SECONDS", BOUND)
            waiting = threading.Event()
            answers: list[httpx.Response] = []
            original_wait = runner.wait

            async def noted_wait(*args: object, **kwargs: object) -> AnalysisState:
                waiting.set()
                return await original_wait(*args, **kwargs)  # type: ignore[arg-type]

            monkeypatch.setattr(runner, "wait", noted_wait)
            reader = threading.Thread(target=lambda: answers.append(client.get(more)))
            reader.start()
            assert waiting.wait(BOUND)
            written = client.post(
                world.path("/stances"),
                json={"party": "ua", "issue": "donetsk", "stance": "rejects"},
                headers=world.headers("ua_delegate"),
            )
            assert written.status_code == 201, written.text
            assert reader.is_alive(), "the write waited for the page"
            reader.join(BOUND)
            (final,) = answers
            assert final.status_code == 422 and "Too large" in final.text
            assert "did not finish within 10 s" in final.text
            assert 'http-equiv="refresh"' not in final.text
            assert not _alive(pid) and runner.process_ids() == []
    finally:
        runner.shutdown()


# --- the real server: SIGTERM while an analysis runs ---------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _descendants(pid: int) -> list[int]:
    result = []
    for child in _children(pid):
        result += [child, *_descendants(child)]
    return result


def test_accord_serve_stops_promptly_on_sigterm_while_an_analysis_runs(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            ACCORD,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            str(tmp_path / "l.db"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1", "ACCORD_ANALYSIS_SECONDS": "600"},
    )
    try:
        assert server.stdout is not None
        lines = []
        while not (lines and lines[-1].startswith("Dashboard:")):
            line = server.stdout.readline()
            assert line, "accord serve exited early:\n" + "".join(lines)
            lines.append(line)
        threading.Thread(target=drain_console, args=(server,), daemon=True).start()
        _until(lambda: _answers(f"{base}/api/health"), "the server answers")
        password = next(line.split(":", 1)[1].strip() for line in lines if "password:" in line)
        headers = bearer_headers(base, password)
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            put = http.put("/api/negotiations/1/parties/ua/preferences", json=heavy_preferences())
            assert put.status_code == 200, put.text
            assert http.get("/api/negotiations/1/analysis?wait=0").status_code == 202
            written = http.post(
                "/api/negotiations/1/stances",
                json={"party": "ua", "issue": "donetsk", "stance": "rejects"},
            )
            assert written.status_code == 201  # not held up by the analysis
        analyses = _descendants(server.pid)
        assert analyses, "the analysis runs in processes of the server's own"
        # A request is still waiting for the analysis when the signal comes.
        waiting = threading.Thread(
            target=_answers, args=(f"{base}/api/negotiations/1/analysis?wait=30", headers)
        )
        waiting.start()
        time.sleep(0.5)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)  # raises if the server ignores SIGTERM
        waiting.join(timeout=30)
        _until(lambda: not any(_alive(pid) for pid in analyses), "the analyses end with it")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _answers(url: str, headers: dict[str, str] | None = None) -> bool:
    try:
        return httpx.get(url, headers=headers, timeout=40).status_code < 500
    except httpx.HTTPError:
        return False
