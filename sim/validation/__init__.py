"""Validation: how far the model reproduces the published facts of docs/validation.md.

:func:`validate` runs every validation experiment and returns the table of checks (one row per
check: ``fact``, ``source``, ``metric``, ``value``, ``low``, ``high``, ``ok``);
:func:`run_validation` keeps what the report and plots need as well, and :func:`run_checks` holds
a single run against the checks its mechanisms can answer. The facts and their accepted ranges are
in :mod:`sim.validation.facts`, the measures in :mod:`sim.validation.measures`, the experiments in
:mod:`sim.validation.runs`, and the folder ``likesim validate`` writes in
:mod:`sim.validation.report`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from tqdm import tqdm

from sim.executors import executor_for
from sim.validation.facts import CHECKS, COLUMNS, Check, evaluate
from sim.validation.measures import run_checks
from sim.validation.runs import REPLICATES, SEED, Measured, Task, aggregate, measure, measures_table, plan

__all__ = ["CHECKS", "COLUMNS", "Check", "Validation", "evaluate", "run_checks", "run_validation", "validate"]


@dataclass
class Validation:
    """A finished validation: the checks, every replicate's measures, and what the plots draw."""

    table: pd.DataFrame  #: one row per check (:data:`COLUMNS` plus ``section`` and ``gap``)
    measures: pd.DataFrame  #: one row per replicate and measure
    measured: list[Measured]  #: every task's result, with its plot tables
    description: str  #: what ran, in words, for the report

    @property
    def passed(self) -> bool:
        """Whether every check passes."""
        return bool(self.table["ok"].all())


def run_validation(
    quick: bool = False,
    *,
    workers: int = 1,
    dask: str | None = None,
    progress: bool = False,
    tasks: list[Task] | None = None,
) -> Validation:
    """Run every validation experiment (see :mod:`sim.validation.runs`) and evaluate the checks.

    Args:
        quick: fewer replicates (the same checks), for a look in a few minutes.
        workers: local worker processes (or the size of a ``dask="local"`` cluster).
        dask: ``"local"`` or a scheduler address, as for experiments.
        progress: show a progress bar on stderr.
        tasks: run these instead of the whole plan; only the checks they measure are evaluated
            (``likesim musiclab`` runs the MusicLab tasks of one scenario this way).
    """
    planned = plan(quick) if tasks is None else tasks
    size = "quick" if quick else "full"
    description = (
        f"A {size} validation (replicates per experiment: "
        f"{', '.join(f'{name} {n}' for name, n in REPLICATES[size].items())}; root seed {SEED})"
        if tasks is None
        else f"{len(planned)} runs of {', '.join(sorted({t.experiment for t in planned}))}"
    )
    with executor_for(workers, dask) as executor:
        futures = [executor.submit(measure, task) for task in planned]
        measured = [future.result() for future in tqdm(futures, unit="run", disable=not progress)]
    table = measures_table(measured)
    measures = aggregate(table)
    measured_here = {name for name, value in measures.items() if value == value}  # NaN: one side missing
    checks = CHECKS if tasks is None else tuple(c for c in CHECKS if c.metric in measured_here)
    return Validation(evaluate(measures, checks), table, measured, description)


def validate(quick: bool = False, *, workers: int = 1, dask: str | None = None) -> pd.DataFrame:
    """The validation table: one row per check with exactly the columns of ``validation.csv``."""
    return run_validation(quick, workers=workers, dask=dask).table[list(COLUMNS)]
