import json
import re

import pytest

from sim.loading import ScenarioError, dump_scenario, load_scenario
from sim.scenario import Scenario

from .conftest import SCENARIOS, TINY, likesim


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


BAD_FILES = {
    "unknown key": ("viewers:\n  cout: 5\n", "viewers.cout: unknown key (did you mean 'count'?)"),
    "unknown top key": ("clok:\n  days: 3\n", "clok: unknown key (did you mean 'clock'?)"),
    "wrong type": ("clock:\n  days: many\n", "clock.days: Input should be a valid integer"),
    "negative count": (
        "viewers:\n  count: -5\n",
        "viewers.count: Input should be greater than or equal to 1",
    ),
    "shares": (
        "creators:\n  groups:\n    - {name: a, share: 0.5}\n    - {name: b, share: 0.4}\n",
        "creators: group shares must sum to 1, got 0.9",
    ),
    "viewer shares": (
        "viewers:\n  regions: {eu: 0.7, us: 0.7}\n",
        "viewers: regions must sum to 1",
    ),
    "empty": ("", "empty file (expected a mapping of scenario keys)"),
    "comment only": ("# nothing\n", "empty file"),
    "not a mapping": ("- 1\n- 2\n", "expected a mapping of scenario keys, got list"),
    "python tag": ("seed: !!python/object/apply:os.system ['true']\n", "is not allowed"),
    "duplicate key": ("seed: 1\nseed: 2\n", "line 2: duplicate key 'seed'"),
    "bad yaml": ("clock: [1,\n", "line"),
    "nested unknown": (
        "engagement:\n  like:\n    qualty: 1\n",
        "engagement.like.qualty: unknown key (did you mean 'quality'?)",
    ),
    "list item": (
        "creators:\n  groups:\n    - {name: a, share: 1.0, buy_likes: {when: never}}\n",
        "creators.groups.0.buy_likes.when: Input should be 'at_posting' or 'when_stalled'",
    ),
    "unknown farm": (
        "creators:\n  groups:\n    - {name: a, share: 1.0, buy_likes: {farm: cheap}}\n",
        "creators.groups.0.buy_likes.farm: expected one of ['standard'], got 'cheap'",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_is_one_line_naming_file_and_path(tmp_path, case):
    text, expected = BAD_FILES[case]
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    message = str(error.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


def test_missing_file():
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario("nowhere/missing.yaml")


def test_extends_inherits_and_overrides(tmp_path):
    write(tmp_path, "name: base\nviewers:\n  count: 500\n  sessions_per_day: 3\n", "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nname: child\nviewers:\n  count: 700\n")
    scenario = load_scenario(child)
    assert (scenario.name, scenario.viewers.count, scenario.viewers.sessions_per_day) == (
        "child",
        700,
        3,
    )


def test_circular_extends(tmp_path):
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\n", "b.yaml")
    with pytest.raises(ScenarioError, match="circular"):
        load_scenario(tmp_path / "a.yaml")


def test_overrides_reach_stable_paths():
    scenario = load_scenario(
        TINY,
        [
            "viewers.count=1234",
            "creators.count=7",
            "clock.days=2",
            "seed=9",
            "creators.groups.0.skill_mean=0.5",
            "ranking.pools.reach=[0.1, 1.0]",
            "ranking.pools.thresholds=[0.01, 0.02]",
        ],
    )
    assert (
        scenario.viewers.count,
        scenario.creators.count,
        scenario.clock.days,
        scenario.seed,
    ) == (1234, 7, 2, 9)
    assert scenario.creators.groups[0].skill_mean == 0.5
    assert scenario.ranking.pools.reach == [0.1, 1.0]


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("viewers.count", "expected PATH=VALUE"),
        ("viewers.count=-1", "viewers.count: Input should be greater than or equal to 1"),
        ("viewers.cont=5", "viewers.cont: unknown key (did you mean 'count'?)"),
        ("creators.groups.3.share=1", "expected a list index from 0 to 0"),
        ("ranking.pools.reach=[0.1]", "reach and thresholds need one entry per stage"),
    ],
)
def test_bad_override(override, expected):
    with pytest.raises(ScenarioError, match=re.escape(expected)):
        load_scenario(TINY, [override])


def test_resolved_scenario_round_trips(tmp_path):
    scenario = load_scenario(TINY, ["seed=5"])
    path = write(tmp_path, dump_scenario(scenario))
    assert load_scenario(path) == scenario


def test_every_shipped_scenario_loads():
    for path in SCENARIOS.glob("*.yaml"):
        assert isinstance(load_scenario(path), Scenario)


def test_every_field_documents_its_unit():
    schema = json.loads(json.dumps(Scenario.model_json_schema()))
    definitions = [schema, *schema["$defs"].values()]
    for definition in definitions:
        for name, field in definition.get("properties", {}).items():
            refs = [field, *field.get("anyOf", []), field.get("items", {})]
            if any("$ref" in ref for ref in refs):  # a section: its own fields carry the units
                continue
            assert "[" in field.get("description", ""), f"{definition.get('title')}.{name} has no unit"


@pytest.mark.parametrize("case", ["unknown key", "python tag", "duplicate key", "not a mapping", "empty"])
def test_cli_bad_scenario_exits_2_with_one_line(tmp_path, case):
    path = write(tmp_path, BAD_FILES[case][0])
    result = likesim("run", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert BAD_FILES[case][1] in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_missing_file_and_bad_set(tmp_path):
    for args in (
        ["run", str(tmp_path / "nope.yaml")],
        ["check", str(TINY), "--set", "clock.days=0"],
    ):
        result = likesim(*args)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("likesim: error: ") and "Traceback" not in result.stderr


def test_cli_schema_is_json_schema():
    result = likesim("schema")
    schema = json.loads(result.stdout)
    assert result.returncode == 0
    assert {"viewers", "creators", "clock", "seed", "extends"} <= set(schema["properties"])
