"""likesim: an agent-based simulation of the like economy of short-video platforms."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("likesim")
except PackageNotFoundError:  # a source tree used without installing it
    __version__ = "0+unknown"

from sim.experiments import experiment, run  # noqa: E402 (the version is known before anything imports it)
from sim.loading import ScenarioError, load_scenario  # noqa: E402
from sim.model import LikeEconomy  # noqa: E402
from sim.outputs import RunResult  # noqa: E402
from sim.scenario import Scenario  # noqa: E402
from sim.validation import validate  # noqa: E402

__all__ = [
    "LikeEconomy", "RunResult", "Scenario", "ScenarioError", "__version__", "experiment", "load_scenario",
    "run", "validate",
]  # fmt: skip
