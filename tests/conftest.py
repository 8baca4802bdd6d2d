from pathlib import Path

import pytest

import sim

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
TINY = SCENARIOS / "tiny.yaml"


@pytest.fixture(scope="session")
def tiny_result():
    """One tiny run shared by the tests that only read its outputs."""
    return sim.run(TINY)
