import contextlib
import io
import os
import subprocess
from pathlib import Path

import numba
import pytest

import sim
import sim.kernels  # noqa: F401 (chooses numba's threading layer before anything starts its threads)
from sim.cli import main

if "PYTEST_XDIST_WORKER" in os.environ:  # the test workers already fill the cores
    numba.set_num_threads(1)

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
TINY = SCENARIOS / "tiny.yaml"


@pytest.fixture(scope="session")
def tiny_result():
    """One tiny run shared by the tests that only read its outputs."""
    return sim.run(TINY)


def likesim(*args, cwd=None) -> subprocess.CompletedProcess:
    """Run the ``likesim`` CLI in this process (as a user would, minus the start-up cost)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd or "."), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return subprocess.CompletedProcess(["likesim", *map(str, args)], code, out.getvalue(), err.getvalue())
