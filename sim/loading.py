"""Reading scenario files: safe YAML, ``extends:`` inheritance, ``--set`` overrides, clear errors.

Every problem with a scenario becomes a :class:`ScenarioError` whose message is one line naming the
file, the dotted path and what was expected, e.g.::

    scenarios/x.yaml: viewers.cout: unknown key (did you mean 'count'?)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sim.documents import ScenarioError, merge, read_yaml, set_value, value_of
from sim.scenario import Scenario
from sim.scenario.base import unknown_key_hint

__all__ = [
    "ScenarioError",
    "apply_override",
    "build_scenario",
    "dump_scenario",
    "load_scenario",
    "with_overrides",
]


#: Keys that describe an experiment's design: a file that gives one replaces what it extends.
DESIGN_KEYS = {"arms", "sweep"}


def _resolve_extends(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    path = path.resolve()
    if path in chain:
        raise ScenarioError(f"{chain[-1]}: extends: circular ({' -> '.join(p.name for p in chain)})")
    document = read_yaml(path)
    parent = document.pop("extends", None)
    if parent is None:
        return document
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: expected a file path, got {parent!r}")
    merged = merge(_resolve_extends(path.parent / parent, (*chain, path)), document)
    for key in DESIGN_KEYS & document.keys():
        merged[key] = document[key]  # a file that names arms (or a sweep) names all of them
    return merged


def apply_override(document: dict[str, Any], assignment: str) -> None:
    """Apply one ``dotted.path=value`` (the value is read as YAML: 5, 0.5, true, [1, 2], text)."""
    dotted, sep, raw = assignment.partition("=")
    if not sep or not dotted.strip():
        raise ScenarioError(f"--set {assignment}: expected PATH=VALUE, e.g. viewers.count=50000")
    set_value(document, dotted.strip(), value_of(raw, f"--set {dotted.strip()}"), "--set")


def _describe(error: dict[str, Any]) -> str:
    loc = tuple(error["loc"])
    path = ".".join(str(part) for part in loc) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{path}: unknown key ({unknown_key_hint(loc, Scenario)})"
    message = error["msg"].removeprefix("Value error, ")
    if not loc:
        return message  # whole-scenario checks name their own path
    given = error.get("input")
    if isinstance(given, int | float) and not isinstance(given, bool) and abs(given) >= 1e12:
        given = float(given)  # a 300-digit integer says less than 1e+300
    shown = "" if isinstance(given, dict | list) or given is None else f", got {given!r}"
    return f"{path}: {message}{shown}"


def build_scenario(document: dict[str, Any], source: str = "scenario") -> Scenario:
    """Validate a plain mapping into a :class:`Scenario`; the first problem becomes the error."""
    try:
        return Scenario.model_validate(document)
    except ValidationError as error:
        raise ScenarioError(f"{source}: {_describe(error.errors()[0])}") from None


def with_overrides(scenario: Scenario, overrides: dict[str, Any], origin: str) -> Scenario:
    """``scenario`` with dotted-path values set, validated again (``origin`` starts any error)."""
    document = scenario.model_dump(mode="json")
    for path, value in overrides.items():
        set_value(document, path, value, f"{origin}:")
    return build_scenario(document, origin)


def check_experiment(scenario: Scenario, source: str) -> None:
    """Every arm, and every value of every swept path, must give a valid scenario.

    Checked when the scenario loads, so ``likesim check`` refuses what ``likesim run`` would.
    """
    for name, overrides in scenario.arms.items():
        with_overrides(scenario, overrides, f"{source}: arms.{name}")
    for path, values in scenario.sweep.items():
        for value in values:
            with_overrides(scenario, {path: value}, f"{source}: sweep.{path}={value!r}")


def check_events(scenario: Scenario, source: str) -> None:
    """Every event, applied in time order on top of the ones before it, must give a valid scenario."""
    current = scenario
    for i, event in sorted(enumerate(scenario.events), key=lambda pair: pair[1].at_hour):
        current = with_overrides(current, event.set, f"{source}: events.{i}.set")


def load_scenario(path: str | Path | None = None, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Load a scenario file (or the built-in defaults), resolve ``extends:`` and apply overrides.

    Args:
        path: YAML scenario file; ``None`` starts from the defaults of :class:`Scenario`.
        overrides: ``dotted.path=value`` strings, applied in order after the file.

    Raises:
        ScenarioError: with a one-line message naming file, dotted path and expectation.
    """
    document = Scenario().model_dump(mode="json")
    if path is not None:
        document = merge(document, _resolve_extends(Path(path)))
    for assignment in overrides:
        apply_override(document, assignment)
    source = str(path) if path is not None else "defaults"
    if overrides:
        source += " (with --set)"
    scenario = build_scenario(document, source)
    check_experiment(scenario, source)
    check_events(scenario, source)
    return scenario


def dump_scenario(scenario: Scenario) -> str:
    """The fully resolved scenario as YAML that :func:`load_scenario` reads back unchanged."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
