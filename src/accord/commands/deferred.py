"""Commands built, and their modules imported, only when they run (or show their help).

`accord --help` lists every command with the first sentence of its help, and Typer finds
a command's parameters and help in its function: registered as usual, every command's
module and what it imports at its top (Rich, the web server's and the tournament's
modules) would load before any command runs, and every command's parameters would be
built (about 2 ms each) to run one. A deferred command is registered by name, where its
function is and its summary. :meth:`DeferredCommands.add` names a function in another
module, ``module:function``, with its summary (the first paragraph of the function's
docstring, which `accord --help` shortens as for any command; a test checks it is the
function's own); :meth:`DeferredCommands.command` decorates a function at hand and reads
the summary from it. The group lists a deferred command from its summary alone and
builds it (importing its module) when the command is resolved, so that `accord --help`
and every command pay only for what they use.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class DeferredCommand:
    """A command known by name, where its function is, and the summary `--help` lists."""

    name: str
    home: str | Callable[..., Any]  # ``module:function``, or the function itself
    summary: str
    position: int  # how many commands were registered before it: its place in the list

    def function(self) -> Callable[..., Any]:
        if callable(self.home):
            return self.home
        module, _, attribute = self.home.partition(":")
        function: Callable[..., Any] = getattr(importlib.import_module(module), attribute)
        return function

    def summary_command(self) -> TyperCommand:
        """A stand-in that `--help` lists: the summary, no parameters."""
        return TyperCommand(self.name, help=self.summary)

    def load(self) -> TyperCommand | TyperGroup:
        """The command as Typer makes it from its function, with the app's settings."""
        single = typer.Typer(add_completion=False, rich_markup_mode=None)
        single.command(self.name)(self.function())
        command = typer.main.get_command(single)
        assert isinstance(command, TyperCommand | TyperGroup)
        return command


class DeferredCommands:
    """The deferred commands of one app, and the group class (``Typer(cls=...)``) that
    lists and resolves them."""

    def __init__(self) -> None:
        self.commands: dict[str, DeferredCommand] = {}
        deferred = self.commands

        class DeferredGroup(TyperGroup):
            """Lists a deferred command by its summary; loads it when it is resolved."""

            listing = False

            def __init__(self, **settings: Any) -> None:
                super().__init__(**settings)
                eager = list(self.commands.items())
                self.commands.clear()
                for place in range(len(eager) + 1):
                    for command in deferred.values():
                        if command.position == place:
                            self.commands[command.name] = command.summary_command()
                    self.commands.update(eager[place : place + 1])
                self.loaded: set[str] = set()

            def get_command(self, ctx: Any, cmd_name: str) -> Any:
                if cmd_name in deferred and cmd_name not in self.loaded and not self.listing:
                    self.commands[cmd_name] = deferred[cmd_name].load()
                    self.loaded.add(cmd_name)
                return super().get_command(ctx, cmd_name)

            def format_commands(self, ctx: Any, formatter: Any) -> None:
                self.listing = True
                try:
                    super().format_commands(ctx, formatter)
                finally:
                    self.listing = False

        self.group = DeferredGroup

    def add(self, app: typer.Typer, name: str, home: str, summary: str) -> None:
        """Register ``name``, defined by ``home`` (``module:function``), at this point of
        ``app``'s list of commands."""
        self.commands[name] = DeferredCommand(name, home, summary, len(app.registered_commands))

    def command(
        self, app: typer.Typer, name: str | None = None
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """``@app.command(name)``, deferred: the summary is the function's docstring."""

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            called = name or function.__name__.replace("_", "-")
            summary = inspect.getdoc(function) or ""
            position = len(app.registered_commands)
            self.commands[called] = DeferredCommand(called, function, summary, position)
            return function

        return register
