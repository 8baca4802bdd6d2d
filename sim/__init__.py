"""likesim: an agent-based simulation of the like economy of short-video platforms.

The public names below are imported when first used, so that ``likesim --help`` and
``likesim check`` start without loading the model, Mesa, SciPy or matplotlib.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("likesim")
except PackageNotFoundError:  # a source tree used without installing it
    __version__ = "0+unknown"

#: Public name -> the module that defines it.
_PUBLIC = {
    "LikeEconomy": "sim.model",
    "RunResult": "sim.outputs",
    "Scenario": "sim.scenario",
    "ScenarioError": "sim.loading",
    "experiment": "sim.experiments",
    "load_scenario": "sim.loading",
    "run": "sim.experiments",
    "validate": "sim.validation",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
