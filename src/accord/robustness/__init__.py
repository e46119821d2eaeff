"""How robust the analysis's answers are when the parties' preferences are uncertain."""

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
    from accord.robustness.profile import BlockingCondition, ProfileAnswer, ProfileJob
    from accord.robustness.report import RobustnessReport
    from accord.robustness.run import Runner, assess_robustness

__all__ = [
    "BlockingCondition",
    "ProfileAnswer",
    "ProfileJob",
    "RobustnessReport",
    "Runner",
    "assess_robustness",
]

# Imported on first use: the CLI registers `accord robustness` from robustness.command,
# and `accord --help` must not pay for the analysis behind it.
_HOMES = {
    "BlockingCondition": "accord.robustness.profile",
    "ProfileAnswer": "accord.robustness.profile",
    "ProfileJob": "accord.robustness.profile",
    "RobustnessReport": "accord.robustness.report",
    "Runner": "accord.robustness.run",
    "assess_robustness": "accord.robustness.run",
}


def __getattr__(name: str) -> _typing.Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'accord.robustness' has no attribute '{name}'")
    value = getattr(_importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
