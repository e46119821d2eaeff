"""How robust the analysis's answers are when the parties' preferences are uncertain."""

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
