"""How robust the analysis's answers are when the parties' preferences are uncertain."""

import typing as _typing

from accord.lazy import lazy_exports as _lazy_exports

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


__getattr__, __dir__ = _lazy_exports(__name__, _HOMES, globals())
