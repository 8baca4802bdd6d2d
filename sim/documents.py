"""Scenario documents as plain data: safe YAML within limits, and edits by dotted path.

A scenario is a few hundred plain values. Whatever a file or a ``--set`` value holds, reading it
either gives such a document or one :class:`ScenarioError` line: text that is not UTF-8, keys that
are not plain values, duplicate keys, tags, nesting deeper than :data:`MAX_DEPTH`, more than
:data:`MAX_VALUES` values (YAML aliases can multiply a small file a billion times over) and
aliases that refer to themselves are all refused before anything else looks at the document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message is one line meant for the user."""


#: Deepest nesting a scenario document may have (the schema itself is five levels deep).
MAX_DEPTH = 32
#: Most values (mappings, lists and scalars, aliases counted each time they are used).
MAX_VALUES = 100_000


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML that refuses duplicate and non-scalar keys and reads ``1e6`` as a number."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if not isinstance(key, Hashable) or isinstance(key, tuple):
                raise ScenarioError(f"line {line}: a key must be a plain name, got a {type(key).__name__}")
            if key in seen:
                raise ScenarioError(f"line {line}: duplicate key '{key}'")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_float(self, node):
        """A float, except that a whole number written without a point (``1e6``) is an integer."""
        value = super().construct_yaml_float(node)
        if math.isfinite(value) and value.is_integer() and "." not in node.value:
            return int(value)
        return value


# YAML 1.1 reads 1e6 as text; scenario files mean the number (as YAML 1.2 does).
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"), list("-+0123456789")
)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _StrictLoader.construct_yaml_float)


def parse_yaml(text: str, origin: str) -> Any:
    """Read YAML text into plain data within the limits; ``origin`` starts every error message."""
    try:
        document = _load(text, origin)
    except yaml.constructor.ConstructorError as error:
        where = f"line {error.problem_mark.line + 1}: " if error.problem_mark else ""
        tag = error.problem.split()[-1] if error.problem else ""
        raise ScenarioError(
            f"{origin}: {where}tag {tag} is not allowed (scenario files hold plain values only)"
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise ScenarioError(f"{origin}: {where}{problem}") from None
    return document


def value_of(text: str, origin: str) -> Any:
    """A ``--set`` value read as YAML (5, 0.5, true, [1, 2]); text that is not YAML stays text."""
    try:
        return _load(text, origin)
    except yaml.YAMLError:
        return text


def _load(text: str, origin: str) -> Any:
    """YAML to plain data, held to the limits; YAML's own errors pass through."""
    try:
        document = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except ScenarioError as error:
        raise ScenarioError(f"{origin}: {error}") from None
    except RecursionError:
        raise ScenarioError(f"{origin}: nested too deeply (at most {MAX_DEPTH} levels)") from None
    check_shape(document, origin)
    return document


def check_shape(document: Any, origin: str) -> None:
    """Refuse documents nested too deeply, too large, or holding themselves (recursive aliases).

    The walk is iterative and stops at the first excess, so a billion-laughs file costs
    :data:`MAX_VALUES` steps at most.
    """
    stack: list[tuple[Any, int, frozenset]] = [(document, 0, frozenset())]
    seen = 0
    while stack:
        node, depth, ancestors = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise ScenarioError(
                f"{origin}: too large (more than {MAX_VALUES:,} values; aliases can multiply a small file)"
            )
        if depth > MAX_DEPTH:
            raise ScenarioError(f"{origin}: nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(node, dict | list):
            if id(node) in ancestors:
                raise ScenarioError(f"{origin}: a value contains itself (a recursive YAML alias)")
            inside = ancestors | {id(node)}
            stack.extend(
                (child, depth + 1, inside) for child in (node.values() if isinstance(node, dict) else node)
            )


def read_yaml(path: Path) -> dict[str, Any]:
    """A scenario file as a plain mapping (one-line errors for anything else)."""
    if not path.is_file():
        raise ScenarioError(f"{path}: no such scenario file")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text (scenario files are UTF-8 YAML)") from None
    except OSError as error:
        raise ScenarioError(f"{path}: cannot be read ({error.strerror})") from None
    document = parse_yaml(text, str(path))
    if document is None:
        raise ScenarioError(f"{path}: empty file (expected a mapping of scenario keys)")
    if not isinstance(document, dict):
        raise ScenarioError(f"{path}: expected a mapping of scenario keys, got {type(document).__name__}")
    return document


def set_value(document: dict[str, Any], dotted: str, value: Any, origin: str) -> None:
    """Set ``dotted.path`` (list items by index) in a scenario document; ``origin`` prefixes errors."""
    keys = dotted.split(".")
    node: Any = document
    for depth, key in enumerate(keys[:-1]):
        node = node[_list_index(node, key, keys[: depth + 1], origin)] if isinstance(node, list) else (
            node.setdefault(key, {})
        )  # fmt: skip
        if not isinstance(node, dict | list):
            raise ScenarioError(f"{origin} {dotted}: {'.'.join(keys[: depth + 1])} is not a section")
    last = keys[-1]
    if isinstance(node, list):
        node[_list_index(node, last, keys, origin)] = value
    else:
        node[last] = value


def _list_index(items: list, key: str, path: list[str], origin: str) -> int:
    if not (key.isascii() and key.isdigit()) or int(key) >= len(items):
        raise ScenarioError(f"{origin} {'.'.join(path)}: expected a list index from 0 to {len(items) - 1}")
    return int(key)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Nested mappings merge key by key; any other value (lists included) replaces the base."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged
