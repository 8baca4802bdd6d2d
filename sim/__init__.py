"""likesim: an agent-based simulation of the like economy of short-video platforms."""

from sim.experiment import run
from sim.loading import ScenarioError, load_scenario
from sim.model import LikeEconomy
from sim.outputs import RunResult
from sim.scenario import Scenario
from sim.validation import validate

__all__ = ["LikeEconomy", "RunResult", "Scenario", "ScenarioError", "load_scenario", "run", "validate"]
