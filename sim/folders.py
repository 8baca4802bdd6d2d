"""Output folders: created before anything runs, locked while written, never mixed between runs.

A folder is chosen and created before the simulation starts, so a path that cannot be written
fails at once. A lock file marks it as being written: a second command on the same folder is
refused, not allowed to interleave. ``--force`` clears what an earlier likesim run wrote there
(and only that: files likesim does not write are left alone), so no plot of an earlier run sits
next to the tables of a new one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path


class OutputFolderError(ValueError):
    """The folder asked for cannot be used; the message is one line meant for the user."""


#: Everything likesim writes into a run, experiment, validation or MusicLab folder.
RESULT_NAMES = {
    "scenario.yaml", "manifest.json", "summary.json", "report.md", "plots", "runs", "experiment.json",
    "runs.csv", "comparison.csv", "sweep.csv", "validation.csv", "measures.csv", "worlds.csv",
    "timeseries.csv", "creators.csv", "videos.csv", "creators_daily.csv", "survival.csv", "audit.csv",
    "ledger.csv", "gifters.csv", "brands.csv", "deals.csv",
}  # fmt: skip
LOCK = ".likesim.lock"


def default_folder(name: str) -> Path:
    """``results/<name>-<timestamp>``, with a suffix if that exists already."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path("results") / f"{name}-{stamp}"
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = Path("results") / f"{name}-{stamp}-{suffix}"
    return folder


@contextlib.contextmanager
def output_folder(
    out: str | Path | None, name: str, force: bool = False, resume: bool = False
) -> Iterator[Path]:
    """Create, lock and (with ``force``) clear the folder a command writes; unlock when done.

    Args:
        out: the folder asked for, or ``None`` for :func:`default_folder`.
        name: the scenario name (for the default folder).
        force: write into a non-empty folder after clearing an earlier run's results.
        resume: write into a non-empty folder keeping what is there (``--resume``).

    Raises:
        OutputFolderError: the path is a file, cannot be created or written, holds files and
            neither ``force`` nor ``resume`` is given, or another likesim command is writing it.
    """
    if resume and out is None:
        raise OutputFolderError("--resume: give the experiment folder with --out DIR")
    folder = default_folder(name) if out is None else Path(out)
    try:
        if folder.exists() and not folder.is_dir():
            raise OutputFolderError(f"--out {folder}: exists and is not a folder")
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputFolderError(f"--out {folder}: cannot be created ({error.strerror})") from None
    with _locked(folder):
        held = [path for path in folder.iterdir() if path.name != LOCK]
        if held and not (force or resume):
            raise OutputFolderError(
                f"--out {folder}: folder is not empty (use --force to replace its results)"
            )
        if force and not resume:
            for path in held:
                if path.name in RESULT_NAMES or path.name.endswith(".partial"):
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
        yield folder


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock file (its holder's pid inside) while the block runs."""
    lock = folder / LOCK
    for _ in range(2):
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            holder = _holder(lock)
            if holder is not None and _alive(holder):
                raise OutputFolderError(
                    f"--out {folder}: another likesim command (pid {holder}) is writing it"
                ) from None
            lock.unlink(missing_ok=True)  # left by a command that died
        except OSError as error:
            raise OutputFolderError(f"--out {folder}: cannot be written ({error.strerror})") from None
    else:
        raise OutputFolderError(f"--out {folder}: cannot take its lock")
    with os.fdopen(descriptor, "w") as handle:
        handle.write(str(os.getpid()))
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_plan(folder: Path, plan: dict, resume: bool) -> None:
    """Record an experiment's plan in ``experiment.json``, or (``resume``) check it is the same plan.

    Raises:
        OutputFolderError: ``resume`` without a plan there, or with a different one (another
            scenario, seed, replicate count or ``--set`` gives different runs).
    """
    path = folder / "experiment.json"
    if not resume:
        path.write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
        return
    if not path.is_file():
        raise OutputFolderError(f"--resume {folder}: no experiment.json there, nothing to resume")
    if json.loads(path.read_text()) != plan:
        raise OutputFolderError(
            f"--resume {folder}: this command plans different runs than that experiment "
            "(scenario, --set, seed or replicates differ)"
        )
