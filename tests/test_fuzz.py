"""Property test: any mutation of a shipped scenario gives a run or the project's one-line error.

Hypothesis takes a shipped scenario (shrunk to a few hundred viewers and two days so a run is
quick), changes one value at any depth (a type, a sign, NaN or infinity, a huge or tiny number,
an unknown key, a list of the wrong length, unicode, deep nesting) and runs ``likesim check``
and a short ``likesim run`` in process. Each must exit 0, or exit 2 with one line on stderr,
within the deadline; anything else (a traceback, a warning, a hang) fails the test. Runs estimated
to take more than a few seconds are refused by the size check, as a run of more than two hours is.
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim import resources

from .conftest import SCENARIOS, likesim

SHRINK = [
    "replicates=1",
    "viewers.count=300",
    "creators.count=12",
    "clock.days=2",
    "events=[]",  # shipped events fall after day 2
    "brands.count=2",
    "farms.0.accounts=500",
]
BASES = {
    path.name: sim.load_scenario(path, [] if path.name == "musiclab.yaml" else SHRINK).model_dump(mode="json")
    for path in sorted(SCENARIOS.glob("*.yaml"))
    if path.name != "musiclab.yaml"
}


def paths_of(node, prefix=()):
    """Every dotted path into a document, internal nodes included."""
    yield prefix
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        yield from paths_of(child, (*prefix, key))


NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1e-300, 1e-9, 1e9, 1e300, 10**12, 2**63, -(2**63)]),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=20))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(BASES)))
    document = yaml.safe_load(yaml.safe_dump(BASES[name]))
    path = draw(st.sampled_from(list(paths_of(document))[1:]))
    *parents, last = path
    parent = document
    for key in parents:
        parent = parent[key]
    old = parent[last]
    kind = draw(st.sampled_from(["value", "scale", "negate", "drop", "unknown", "length", "nest"]))
    if kind == "value":
        parent[last] = draw(VALUES)
    elif kind == "scale" and isinstance(old, int | float) and not isinstance(old, bool):
        parent[last] = old * 10.0 ** draw(st.integers(-300, 300))
    elif kind == "negate" and isinstance(old, int | float) and not isinstance(old, bool):
        parent[last] = -old
    elif kind == "drop" and isinstance(parent, dict):
        del parent[last]
    elif kind == "unknown" and isinstance(old, dict):
        old[draw(st.text(min_size=1, max_size=12))] = draw(SCALARS)
    elif kind == "length" and isinstance(old, list):
        parent[last] = old[: draw(st.integers(0, len(old)))] + old * draw(st.integers(0, 3))
    elif kind == "nest":
        nested = old
        for _ in range(draw(st.integers(1, 60))):
            nested = [nested]
        parent[last] = nested
    return name, document


@pytest.mark.slow
@settings(
    max_examples=int(os.environ.get("LIKESIM_FUZZ_EXAMPLES", 30)),  # more when hunting bugs
    deadline=timedelta(seconds=60),  # a hang fails; a busy shared machine must not
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=not os.environ.get("LIKESIM_FUZZ_EXAMPLES"),
)
@given(case=mutated())
def test_any_mutation_runs_or_gives_one_line(case, tmp_path_factory, monkeypatch):
    monkeypatch.setattr(resources, "MAX_HOURS", 2 / 3600)  # a bigger run is refused, as the CLI would
    name, document = case
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "mutated.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for command in (
            ["check", str(path)],
            ["run", str(path), "--out", str(folder / "run"), "--no-progress"],
        ):
            done = likesim(*command)
            code, stderr = done.returncode, done.stderr
            assert code in (0, 2), (name, command, stderr)
            if code == 2:
                assert stderr.count("\n") == 1 and stderr.startswith("likesim: error: "), stderr
                break


def test_shipped_scenarios_shrink_for_the_fuzzer():
    assert set(BASES) >= {"organic_growth.yaml", "bought_likes.yaml", "strategies.yaml"}
    assert all(Path(SCENARIOS / name).is_file() for name in BASES)
