"""Deferred commands: listed from their summary, the same as if they were loaded."""

from __future__ import annotations

import pytest
import typer
from typer.core import TyperGroup

from accord.cli import app, deferred
from accord.commands.deferred import DeferredCommands


@pytest.mark.parametrize("name", sorted(deferred.commands))
def test_each_summary_is_its_functions_own(name: str) -> None:
    command = deferred.commands[name]
    stand_in, loaded = command.summary_command(), command.load()
    # `--help` shortens a summary to the terminal's width: the same at every width.
    for limit in range(20, 200):
        assert stand_in.get_short_help_str(limit) == loaded.get_short_help_str(limit)


def test_deferred_commands_keep_their_place_and_load_only_when_resolved() -> None:
    here = DeferredCommands()
    toy = typer.Typer(cls=here.group, add_completion=False, rich_markup_mode=None)

    @toy.callback()
    def options() -> None:
        """A group even with one command of its own."""

    here.add(toy, "first", "accord.cli:schema", "Print the JSON Schema of scenario files.")

    @toy.command("middle")
    def middle() -> None:
        """In between."""

    here.add(toy, "last", "accord.cli:schema", "Print the JSON Schema of scenario files.")
    group = typer.main.get_command(toy)
    assert isinstance(group, TyperGroup)
    with typer.Context(group) as context:
        assert group.list_commands(context) == ["first", "middle", "last"]
        assert group.get_command(context, "first").callback is not None  # type: ignore[union-attr]
        assert group.loaded == {"first"}  # type: ignore[attr-defined]
        assert group.list_commands(context) == ["first", "middle", "last"]


def test_cli_defers_every_command_in_the_order_it_registers_them() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    with typer.Context(group) as context:
        names = group.list_commands(context)
    # Every command: building one's parameters costs about 2 ms, and one runs at a time.
    assert names == list(deferred.commands)
    assert names.index("simulate") < names.index("robustness") < names.index("backup")
