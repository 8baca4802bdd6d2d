"""Reading scenario files: safe YAML, ``extends:`` inheritance, ``--set`` overrides, clear errors.

Every problem with a scenario becomes a :class:`ScenarioError` whose message is one line naming the
file, the dotted path and what was expected, e.g.::

    scenarios/x.yaml: viewers.cout: unknown key (did you mean 'count'?)
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.scenario import Scenario


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message is one line meant for the user."""


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that also refuses duplicate keys (a silent overwrite is a bug in the file)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ScenarioError(f"line {key_node.start_mark.line + 1}: duplicate key '{key}'")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ScenarioError(f"{path}: no such scenario file")
    text = path.read_text(encoding="utf-8")
    try:
        document = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except ScenarioError as error:
        raise ScenarioError(f"{path}: {error}") from None
    except yaml.constructor.ConstructorError as error:
        where = f"line {error.problem_mark.line + 1}: " if error.problem_mark else ""
        raise ScenarioError(
            f"{path}: {where}tag {error.problem.split()[-1] if error.problem else ''} is not allowed "
            "(scenario files hold plain values only)"
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ScenarioError(f"{path}: {where}{problem}") from None
    if document is None:
        raise ScenarioError(f"{path}: empty file (expected a mapping of scenario keys)")
    if not isinstance(document, dict):
        raise ScenarioError(f"{path}: expected a mapping of scenario keys, got {type(document).__name__}")
    return document


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Nested mappings merge key by key; any other value (lists included) replaces the base."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _resolve_extends(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    path = path.resolve()
    if path in chain:
        raise ScenarioError(f"{chain[-1]}: extends: circular ({' -> '.join(p.name for p in chain)})")
    document = _read_yaml(path)
    parent = document.pop("extends", None)
    if parent is None:
        return document
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: expected a file path, got {parent!r}")
    return _merge(_resolve_extends(path.parent / parent, (*chain, path)), document)


def apply_override(document: dict[str, Any], assignment: str) -> None:
    """Apply one ``dotted.path=value`` (the value is read as YAML: 5, 0.5, true, [1, 2], text)."""
    dotted, sep, raw = assignment.partition("=")
    if not sep or not dotted.strip():
        raise ScenarioError(f"--set {assignment}: expected PATH=VALUE, e.g. viewers.count=50000")
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError:
        value = raw
    set_value(document, dotted.strip(), value, "--set")


def set_value(document: dict[str, Any], dotted: str, value: Any, origin: str) -> None:
    """Set ``dotted.path`` (list items by index) in a scenario document; ``origin`` prefixes errors."""
    keys = dotted.split(".")
    node: Any = document
    for depth, key in enumerate(keys[:-1]):
        if isinstance(node, list):
            node = node[_list_index(node, key, keys[: depth + 1], origin)]
            continue
        node = node.setdefault(key, {})
        if not isinstance(node, dict | list):
            raise ScenarioError(f"{origin} {dotted}: {'.'.join(keys[: depth + 1])} is not a section")
    last = keys[-1]
    if isinstance(node, list):
        node[_list_index(node, last, keys, origin)] = value
    else:
        node[last] = value


def _list_index(items: list, key: str, path: list[str], origin: str) -> int:
    if not key.isdigit() or int(key) >= len(items):
        raise ScenarioError(f"{origin} {'.'.join(path)}: expected a list index from 0 to {len(items) - 1}")
    return int(key)


def _field_names_at(loc: tuple, model: type[BaseModel] = Scenario) -> list[str]:
    """Names of the fields valid at ``loc`` (to suggest the closest one for a misspelt key)."""
    for key in loc:
        if isinstance(key, int):
            continue
        field = model.model_fields.get(key)
        if field is None:
            break
        annotation = field.annotation
        inner = getattr(annotation, "__args__", (annotation,))
        models = [t for t in inner if isinstance(t, type) and issubclass(t, BaseModel)]
        if not models:
            break
        model = models[0]
    return list(model.model_fields)


def _describe(error: dict[str, Any]) -> str:
    loc = tuple(error["loc"])
    path = ".".join(str(part) for part in loc) or "(top level)"
    if error["type"] == "extra_forbidden":
        known = _field_names_at(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"valid keys: {', '.join(known)}"
        return f"{path}: unknown key ({hint})"
    message = error["msg"].removeprefix("Value error, ")
    if not loc:
        return message  # whole-scenario checks name their own path
    given = error.get("input")
    shown = "" if isinstance(given, dict | list) or given is None else f", got {given!r}"
    return f"{path}: {message}{shown}"


def build_scenario(document: dict[str, Any], source: str = "scenario") -> Scenario:
    """Validate a plain mapping into a :class:`Scenario`; the first problem becomes the error."""
    try:
        return Scenario.model_validate(document)
    except ValidationError as error:
        raise ScenarioError(f"{source}: {_describe(error.errors()[0])}") from None


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
        document = _merge(document, _resolve_extends(Path(path)))
    for assignment in overrides:
        apply_override(document, assignment)
    source = str(path) if path is not None else "defaults"
    if overrides:
        source += " (with --set)"
    return build_scenario(document, source)


def dump_scenario(scenario: Scenario) -> str:
    """The fully resolved scenario as YAML that :func:`load_scenario` reads back unchanged."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
