"""The command line, run as a user runs it: a subprocess, its exit code, stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

SMALL = """\
id: small
issues:
  - id: a
    options: [{id: a1}, {id: a2}, {id: a3}]
  - id: b
    options: [{id: b1}, {id: b2}]
parties:
  - id: p
    preferences:
      weights: {a: 3, b: 1}
      values: {a: {a1: 1, a2: 0.5, a3: 0}, b: {b1: 0, b2: 1}}
      reservation: 0.3
  - id: q
    preferences:
      weights: {a: 1, b: 1}
      values: {a: {a1: 0, a2: 0.5, a3: 1}, b: {b1: 1, b2: 0}}
      reservation: 0.3
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    # A wide terminal, so that table cells are not wrapped.
    environment = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    return path


def test_analyze_json_has_the_documented_keys(small: Path) -> None:
    result = run("analyze", str(small), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["outcome_count"] == 6
    assert data["parties"] == ["p", "q"]
    assert data["feasible"] is True
    assert set(data["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    # p: a1 = 0.75, b2 = 0.25; q: a3 = 0.5, b1 = 0.5. Utilitarian: a1+b1 (0.75 + 0.5) or
    # a3+b2 (0.25 + 0.5)... the sum is largest at a1, b1: 0.75 + 0.5 = 1.25.
    utilitarian = data["solutions"]["utilitarian"]
    assert utilitarian["package"] == {"a": "a1", "b": "b1"}
    assert utilitarian["utilities"] == pytest.approx({"p": 0.75, "q": 0.5})
    assert data["frontier"]["exact"] is True
    assert isinstance(data["frontier"]["size"], int)
    assert data["blockers"] == []
    assert data["blocks"] == []
    assert "gains" in data["linkage"]


def test_ignore_reservation_puts_disagreement_at_zero(small: Path) -> None:
    data = json.loads(run("analyze", str(small), "--json", "--ignore-reservation").stdout)
    assert data["disagreement"].startswith("zero")
    assert data["feasible"] is True


def test_invalid_file_gives_one_line_and_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(SMALL.replace("weights: {a: 1, b: 1}", "weights: {a: 1, b: 1, b9: 2}"))
    result = run("analyze", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"{path}:15:29: parties.q.preferences.weights: unknown issue 'b9'"
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "self.yaml",
            "title: &t [*t]\n",
            "1:8: an alias refers to a list or mapping that contains it",
        ),
        (
            "deep.json",
            '{"id": ' + "[" * 5000 + "]" * 5000 + "}",
            "1:39: nested deeper than 32 levels",
        ),
        (
            "laughs.yaml",
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
                for p, n in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "5:4: aliases expand to more than 10,000 values",
        ),
    ],
)
def test_hostile_input_gives_one_located_line(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    result = run("validate", str(path))
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"{path}:{expected}")


def test_missing_file_and_unknown_block(small: Path, tmp_path: Path) -> None:
    missing = run("validate", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"{tmp_path / 'nope.yaml'}: no such file or folder"
    block = run("analyze", str(small), "--block", "b9")
    assert block.returncode == 2
    assert block.stderr.strip() == "error: unknown block 'b9' (blocks: none)"


def test_require_unknown_party(small: Path) -> None:
    result = run("analyze", str(small), "--require", "zz")
    assert result.returncode == 2
    assert "unknown party 'zz'" in result.stderr


def test_validate_and_schema(small: Path) -> None:
    result = run("validate", str(small))
    assert result.returncode == 0
    assert "valid" in result.stdout
    schema = json.loads(run("schema").stdout)
    import yaml

    jsonschema.validate(yaml.safe_load(SMALL), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x"}, schema)


PLAN = str(Path(__file__).resolve().parent.parent / "examples" / "peace-plan-27.yaml")


def test_peace_plan_names_the_blocker_and_the_relaxations() -> None:
    result = run("analyze", PLAN, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["outcome_count"] == 7_140_934_453_248
    assert data["parties"] == ["ru", "ua", "us", "eu"]
    assert data["feasible"] is False
    assert all(solution is None for solution in data["solutions"].values())
    assert {(b["party"], b["label"]) for b in data["blockers"]} == {
        ("ru", "Ukraine must withdraw from Donetsk"),
        ("ua", "no withdrawal from Donetsk"),
    }
    assert len(data["relaxations"]) == 2
    for relaxation in data["relaxations"]:
        assert len(relaxation["relax"]) == 1
        opened = relaxation["opens"]
        assert len(opened["package"]) == 27
        assert opened["utilities"]["ru"] >= 0.55 - 1e-9
        assert opened["utilities"]["ua"] >= 0.55 - 1e-9
    assert [b["block"] for b in data["blocks"]] == [
        "sovereignty-security",
        "territory",
        "economy",
        "european-security",
    ]
    assert data["linkage"]["basis"] == (
        "no package is feasible as given; computed with Russia: Ukraine must withdraw from "
        "Donetsk relaxed"
    )
    assert set(data["linkage"]["gains"]) == {"ru", "ua", "us", "eu"}


def test_peace_plan_human_report_reads_in_plain_words() -> None:
    result = run("analyze", PLAN)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "No package is feasible." in text
    assert (
        "Blocked: these conditions cannot all hold together: Russia: Ukraine must withdraw "
        "from Donetsk; Ukraine: no withdrawal from Donetsk." in text
    )
    assert "Smallest change that unblocks it: relax 1 condition. Either:" in text
    for name in ("Sovereignty and security", "Territory", "Economic cooperation"):
        assert name in text


def test_peace_plan_block_and_outside_bloc_seat() -> None:
    block = json.loads(run("analyze", PLAN, "--json", "--block", "economy").stdout)
    assert block["block"] == "economy"
    assert block["feasible"] is True
    assert block["held"].startswith("other issues held at their status quo")
    seat = json.loads(run("analyze", PLAN, "--json", "--require", "eu").stdout)
    assert seat["voters"] == ["ru", "ua", "eu"]
    assert seat["feasible"] is False


def test_version_prints_the_installed_version() -> None:
    from importlib.metadata import version

    result = run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"accord {version('accord')}"


@pytest.mark.parametrize("command", ["analyze", "simulate", "tournament", "robustness", "serve"])
def test_help_lists_flags_as_flags(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "<bool>" not in result.stdout
    options = {
        line.split()[0]: line.split()[1]
        for line in result.stdout.splitlines()
        if line[:4] == "  --"
    }
    # A flag is followed by its help text, an option by the kind of value it takes.
    assert options["--help"] == "Show"
    if "--json" in options:
        assert options["--json"] == "Print"
    if "--seed" in options:
        assert options["--seed"] == "<int>"


GENIUS_FIXTURES = Path(__file__).resolve().parent / "data" / "genius"


def test_validate_prints_each_repair_with_file_and_line() -> None:
    here = GENIUS_FIXTURES / "lenient"
    result = run("validate", str(here))
    assert result.returncode == 0, result.stderr
    assert "valid: 2 issues, 2 parties, 0 blocks, 8 warnings" in result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 8 and all(line.startswith("warning: ") for line in lines)
    assert lines[0].startswith(f"warning: {here / 'phone_domain.xml'}:4:54: repaired: no space")


def test_analyze_prints_warnings_and_each_domain_of_a_folder() -> None:
    here = GENIUS_FIXTURES / "side-by-side"
    result = run("analyze", str(here), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [entry["scenario"] for entry in data] == [
        f"side-by-side_Fruit-{variant}-domain" for variant in "ABC"
    ]
    result = run("analyze", str(GENIUS_FIXTURES / "unread"))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("warning: ") == 3 and "<stateissue>" in result.stderr


def test_domain_and_real_points_flags() -> None:
    here = GENIUS_FIXTURES / "side-by-side"
    result = run("import", str(here), "-o", "unused.yaml")
    assert result.returncode == 2 and "give --domain FILE" in result.stderr
    result = run("validate", str(here), "--domain", str(here / "Fruit-B-domain.xml"))
    assert result.returncode == 0, result.stderr
    assert "valid: 2 issues, 2 parties" in result.stdout
    result = run("analyze", str(GENIUS_FIXTURES / "bounds"), "--real-points", "5", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outcome_count"] == 5 * 5
    assert "a grid of 5 steps (GENIUS's default: 21)" in result.stderr
    result = run("validate", str(GENIUS_FIXTURES / "bounds"), "--real-points", "1")
    assert result.returncode == 2 and "--real-points: expected at least 2" in result.stderr


# Start-up: what each command imports (issue 10 §4). Measured in a fresh interpreter, so
# that a module-level import added anywhere on the way cannot slow `accord --help` unseen.

IMPORTED = """
import contextlib, io, sys
sys.argv = ["accord", *sys.argv[1:]]
from accord.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main()
print(" ".join(sorted(sys.modules)))
"""
HEAVY = {"numpy", "pydantic", "highspy", "yaml"}
NOT_FOR_ANALYSIS = {
    "alembic", "dask", "distributed", "fastapi", "jinja2", "matplotlib", "negmas", "pandas",
    "plotly", "psycopg", "scipy", "sqlalchemy", "starlette", "uvicorn",
}  # fmt: skip


def modules_imported_by(*arguments: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", IMPORTED, *arguments],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return set(result.stdout.split())


def imported_by(*arguments: str) -> set[str]:
    """The top-level packages imported."""
    return {name.split(".")[0] for name in modules_imported_by(*arguments)}


def test_help_imports_no_analysis_library_nor_rich_nor_other_commands() -> None:
    modules = modules_imported_by("--help")
    assert "accord.cli" in modules  # the test would pass vacuously if nothing ran
    assert {name.split(".")[0] for name in modules} & (HEAVY | {"rich"}) == set()
    # Each command's module loads when that command runs, not for the list of commands.
    assert {m for m in modules if m.startswith("accord.")} == {
        "accord.cli", "accord.commands", "accord.commands.common",
        "accord.commands.deferred", "accord.commands.process", "accord.errors", "accord.lazy",
    }  # fmt: skip
    # A command's own help: Typer itself validates its parameters with pydantic.
    assert imported_by("analyze", "--help") & HEAVY == {"pydantic"}
    assert "accord.robustness.command" in modules_imported_by("robustness", "--help")


def test_analyze_imports_nothing_of_the_web_cluster_or_plots() -> None:
    modules = imported_by("analyze", "examples/peace-plan-27.yaml", "--json")
    assert modules >= HEAVY  # the test would pass vacuously if the command did not run
    assert modules & NOT_FOR_ANALYSIS == set()


def test_simulate_on_an_enumerable_space_never_loads_the_solver() -> None:
    # Strategies look packages up in tables and the Nash point is read off the exact
    # frontier: HiGHS is imported by a program's first solve, and none is solved.
    modules = imported_by("simulate", "examples/camp-david-1978.yaml", "--json")
    assert {"numpy", "pydantic"} <= modules  # the run happened
    assert "highspy" not in modules


def test_analyze_answered_off_the_exact_frontier_loads_neither_the_solver_nor_rich() -> None:
    # Camp David's frontier is exact: every answer, and the feasible package shown, is
    # read off it; --json prints no table.
    modules = imported_by("analyze", "examples/camp-david-1978.yaml", "--json")
    assert {"numpy", "pydantic", "yaml"} <= modules  # the analysis ran
    assert modules & {"highspy", "rich"} == set()


def test_validate_reads_a_scenario_file_without_numpy() -> None:
    # numpy is used by robustness's draws alone; the models and their checks do without.
    modules = imported_by("validate", "examples/peace-plan-27.yaml")
    assert {"pydantic", "yaml"} <= modules  # the file was read and validated
    assert modules & {"numpy", "highspy"} == set()
