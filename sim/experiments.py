"""Running scenarios: one run from Python (DataFrames back), and experiments of many runs.

An experiment is arms (or sweep points) x replicates, run by one executor (serial, local
processes or Dask) and written run by run into ``<experiment>/runs/<arm>/rep-NNN/``.

>>> import sim
>>> result = sim.run("scenarios/tiny.yaml", overrides=["clock.days=2"])
>>> result.summary["likes"] > 0
True
"""

from __future__ import annotations

import itertools
import shutil
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from sim import resources
from sim.comparison import Comparison, RunFrames
from sim.executors import executor_for
from sim.loading import ScenarioError, load_scenario, with_overrides
from sim.metric_names import HEADLINE_METRICS
from sim.model import LikeEconomy
from sim.outputs import PlannedRun, RunResult, tables
from sim.scenario import Scenario


def run(
    scenario: Scenario | str | Path | None = None,
    *,
    overrides: list[str] | tuple[str, ...] = (),
    seed: int | None = None,
    progress=None,
    size_check: bool = True,
) -> RunResult:
    """Run one scenario for its full length.

    Args:
        scenario: a :class:`Scenario`, a YAML path, or ``None`` for the defaults.
        overrides: ``dotted.path=value`` overrides (only with a path or ``None``).
        seed: replaces the scenario's seed.
        progress: optional callable ``progress(days_done, days_total)`` called after each day.
        size_check: refuse (:class:`~sim.loading.ScenarioError`) a run that would need more
            memory than the machine has or more than a day (:func:`sim.resources.check`).
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, overrides)
    elif overrides:
        raise ValueError("overrides apply to scenario files; pass a modified Scenario instead")
    if seed is not None:
        scenario = scenario.model_copy(update={"seed": seed})
    if size_check:
        resources.check(scenario)
    started = time.perf_counter()
    model = LikeEconomy(scenario)
    clock = scenario.clock
    for day in range(clock.days):
        for _ in range(clock.ticks_per_day):
            model.step()
        if progress is not None:
            progress(day + 1, clock.days)
    result = RunResult(scenario=scenario, **tables(model))
    result.summary["wall_seconds"] = round(time.perf_counter() - started, 3)
    return result


# --- experiments: replicates, arms, sweeps, executors -------------------------------------------------

#: Parts of a scenario that describe an experiment, not one run (cleared in each run's scenario).
EXPERIMENT_FIELDS = {"replicates": 1, "arms": {}, "sweep": {}}


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """One seed per replicate, derived with ``SeedSequence(seed).spawn`` (stable and independent)."""
    return [int(child.generate_state(1)[0]) for child in np.random.SeedSequence(seed).spawn(replicates)]


def arms_of(scenario: Scenario) -> dict[str, Scenario]:
    """The scenario's arms as whole scenarios (just the scenario itself when it declares none)."""
    if not scenario.arms:
        return {scenario.name: scenario}
    return {
        name: with_overrides(scenario, overrides, f"arms.{name}") for name, overrides in scenario.arms.items()
    }


def grid_arms(scenario: Scenario, grid: dict[str, list]) -> dict[str, tuple[Scenario, tuple]]:
    """One arm per point of the grid (every combination of values), named ``path=value,...``."""
    arms = {}
    for values in itertools.product(*grid.values()):
        point = tuple(zip(grid, values, strict=True))
        name = ",".join(f"{path}={value}" for path, value in point)
        arms[name] = (with_overrides(scenario, dict(point), f"--grid {name}"), point)
    return arms


def plan(arms: dict[str, Scenario | tuple[Scenario, tuple]], replicates: int, seed: int) -> list[PlannedRun]:
    """Every arm x replicate; replicate i of every arm gets the same seed (common random numbers)."""
    runs = []
    for name, arm in arms.items():
        scenario, point = arm if isinstance(arm, tuple) else (arm, ())
        for replicate, run_seed in enumerate(replicate_seeds(seed, replicates)):
            single = scenario.model_copy(update={**EXPERIMENT_FIELDS, "seed": run_seed})
            runs.append(PlannedRun(name, replicate, single, point))
    return runs


def run_to_folder(scenario: Scenario, folder: str, argv: list[str] | None) -> str:
    """Run one scenario and write its run folder atomically (a ``.partial`` folder, then a rename).

    A folder without the suffix is therefore always complete; this is what ``--resume`` trusts.
    """
    from sim.results import write_run  # results imports what this module imports, not this module

    target = Path(folder)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    write_run(run(scenario, size_check=False), partial, argv, plots=False)  # checked when planned
    partial.rename(target)
    return folder


def execute(runs: list[PlannedRun], root: Path, executor: Executor, argv=None, progress: bool = False) -> int:
    """Run every planned run whose folder is not finished yet; each is written as soon as it ends.

    Returns:
        the number of runs executed (finished ones are skipped: that is ``--resume``).
    """
    pending = [r for r in runs if not (root / r.folder).is_dir()]
    for r in pending:
        (root / r.folder).parent.mkdir(parents=True, exist_ok=True)
    futures = [executor.submit(run_to_folder, r.scenario, str(root / r.folder), argv) for r in pending]
    with tqdm(total=len(runs), initial=len(runs) - len(pending), unit="run", disable=not progress) as bar:
        try:
            for future in futures:  # in order: workers run ahead, the bar follows
                future.result()
                bar.update(1)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return len(pending)


# --- the Python experiment API --------------------------------------------------------------------------


def run_in_memory(scenario: Scenario) -> RunResult:
    """One planned run, kept in memory (module-level, so any executor can ship it)."""
    return run(scenario, size_check=False)  # checked when planned


@dataclass
class ExperimentResult:
    """An experiment run in memory: every run's results and their comparison.

    Attributes:
        name: the experiment's name.
        planned: the runs, in plan order; ``results``: their results, in the same order.
        grid: the swept paths (empty unless a sweep).
        tables: the comparison: ``tables.runs``, ``.comparison``, ``.sweep``, ``.by_platform`` and
            ``.bands`` are the tables of the experiment folder (``runs.csv``, ``comparison.csv``,
            ``sweep.csv``, ``platforms.csv``; bands: mean followers per creator by day).
    """

    name: str
    planned: list[PlannedRun]
    results: list[RunResult]
    grid: list[str]
    tables: Comparison

    def write(
        self,
        folder: str | Path,
        sweep_metrics: list[str] | None = None,
        argv=None,
        plots: bool = True,
        force: bool = False,
    ) -> Path:
        """Write the experiment folder the CLI writes: the plan, every run's folder, tables, plots, report.

        Args:
            sweep_metrics: metrics plotted across a sweep's grid (default: the report's headline ones).
            plots: draw the plots (as the CLI's ``--plots``/``--no-plots``).
            force: write into a folder that holds results already (their files are cleared first),
                as the CLI's ``--force``; without it such a folder is refused.

        Raises:
            OutputFolderError: ``folder`` holds results and ``force`` is not given.
        """
        from sim.folders import check_plan, output_folder
        from sim.results import plan_of, write_experiment, write_run  # results' imports reach this module

        metrics = list(HEADLINE_METRICS) if sweep_metrics is None else list(sweep_metrics)
        with output_folder(folder, self.name, force) as root:
            check_plan(root, plan_of(self.planned), resume=False)
            for planned, result in zip(self.planned, self.results, strict=True):
                write_run(result, root / planned.folder, argv, plots=False)
            write_experiment(root, self.planned, self.grid, metrics, self.results, self.tables, plots)
        return root


def experiment(
    scenario: Scenario | str | Path | None = None,
    *,
    overrides: list[str] | tuple[str, ...] = (),
    replicates: int | None = None,
    arms: dict[str, dict] | None = None,
    grid: dict[str, list] | None = None,
    seed: int | None = None,
    workers: int = 1,
    dask: str | None = None,
    progress: bool = False,
) -> ExperimentResult:
    """Run an experiment in memory: arms (or a grid) x replicates, compared with 95% intervals.

    >>> import sim
    >>> done = sim.experiment("scenarios/tiny.yaml", overrides=["clock.days=2"], replicates=2,
    ...                       arms={"lenient": {"integrity.strength": 0.5}, "strict": {}})
    >>> sorted(done.tables.comparison["arm"].unique())
    ['lenient', 'strict']

    Args:
        scenario: a :class:`Scenario`, a YAML path, or ``None`` for the defaults.
        overrides: ``dotted.path=value`` overrides of the file.
        replicates: runs per arm (default: the scenario's).
        arms: name -> {dotted.path: value} (default: the scenario's arms, or the scenario alone).
        grid: dotted.path -> values to sweep (every combination is an arm); not with ``arms``.
        seed: replaces the scenario's seed (replicate seeds derive from it).
        workers, dask: where the runs go (see :func:`~sim.executors.executor_for`). Worker
            processes start by importing the calling script again, so a script that asks for
            workers runs its experiment under ``if __name__ == "__main__":`` (notebooks need nothing).
        progress: show a progress bar.

    Raises:
        ScenarioError: a bad scenario, override, arm or grid value (one line naming it).
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, overrides)
    if seed is not None:
        scenario = scenario.model_copy(update={"seed": seed})
    if arms and grid:
        raise ScenarioError("experiment: give arms or a grid, not both")
    if grid:
        chosen = grid_arms(scenario, grid)
    elif arms:
        chosen = {name: with_overrides(scenario, values, f"arms.{name}") for name, values in arms.items()}
    else:
        chosen = arms_of(scenario)
    planned = plan(chosen, replicates or scenario.replicates, scenario.seed)
    for arm in {r.arm: r.scenario for r in planned}.values():
        resources.check(arm, parallel=min(workers, len(planned)))
    with executor_for(workers, dask) as executor:
        futures = [executor.submit(run_in_memory, r.scenario) for r in planned]
        results = [f.result() for f in tqdm(futures, unit="run", disable=not progress)]
    from sim.results import runs_table  # results' imports reach this module

    paths = list(grid or ())
    tables = Comparison.of(runs_table(planned), [RunFrames.of_result(r) for r in results], paths)
    return ExperimentResult(scenario.name, planned, results, paths, tables)
