"""Safe YAML loading that remembers where every value stood, so errors can name a line.

Only PyYAML's safe loader is used: nothing in a file is ever evaluated as code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Union

import yaml

from negotrack.errors import InputError

try:  # libyaml is about three times faster when it is there; the result is the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[Union[str, int], ...]
_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}


class Located:
    """A loaded document plus the line of each value, addressed by its path of keys/indexes."""

    def __init__(self, path: str, data: Any, lines: dict[Loc, int], bool_keys: list[tuple[Loc, str, int]]):
        self.path = path
        self.data = data
        self.lines = lines
        self.bool_words = bool_keys

    def line(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)

    def error(self, loc: Loc, problem: str) -> InputError:
        return InputError(self.path, problem, self.line(loc))


def load_yaml(path: Path, display: str | None = None) -> Located:
    """Read one YAML document; malformed YAML becomes an InputError naming file and line."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(shown, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"not UTF-8 text (byte {exc.start})") from None
    return load_yaml_text(text, shown)


def load_yaml_text(text: str, shown: str) -> Located:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(shown, f"malformed YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise InputError(shown, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    bools: list[tuple[Loc, str, int]] = []
    if node is not None:
        _walk(node, (), lines, bools)
    return Located(shown, data, lines, bools)


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], bools: list[tuple[Loc, str, int]]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            if key_node.tag.endswith(":bool") and str(key).lower() in _BOOL_WORDS:
                bools.append((loc + (key,), key, key_node.start_mark.line + 1))
            lines[loc + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, loc + (key,), lines, bools)
            lines[loc + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, loc + (index,), lines, bools)
    elif isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":bool") and node.value.lower() in _BOOL_WORDS and node.value.lower() not in ("true", "false"):
            bools.append((loc, node.value, node.start_mark.line + 1))
