"""Safe YAML loading that remembers where every value stood, so errors can name a line.

Only PyYAML's safe loader is used: nothing in a file is ever evaluated as code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Union

import yaml

from negotrack.errors import InputError, InputErrors

try:  # libyaml is about three times faster when it is there; the result is the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[Union[str, int], ...]
_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}
# YAML anchors let a short file stand for an exponentially large document ("billion laughs"):
# walking it is capped, so no file can make a command hang or eat the memory.
MAX_NODES = 200_000


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


def load_yaml(path: Path, display: str | None = None, max_bytes: int | None = None) -> Located:
    """Read one YAML document; malformed YAML becomes an InputError naming file and line, and
    so does a file that is a folder, unreadable, or longer than `max_bytes`."""
    shown = display or str(path)
    try:
        if path.is_dir():
            raise InputError(shown, "is a folder, not a YAML file; rename or remove it")
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise InputError(shown, f"file is {path.stat().st_size:,} bytes; at most {max_bytes:,} are allowed for a definition")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(shown, "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        from negotrack.fsio import describe

        raise describe(exc, shown) from None
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
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2024-02-30
        raise InputError(shown, f"malformed YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    bools: list[tuple[Loc, str, int]] = []
    duplicates: list[InputError] = []
    if node is not None:
        try:
            _walk(node, (), lines, bools, duplicates, [MAX_NODES])
        except RecursionError:
            raise InputError(shown, "YAML nested too deeply") from None
        except InputError as exc:
            raise InputError(shown, exc.problem, exc.line) from None
    if duplicates:
        raise InputErrors([InputError(shown, e.problem, e.line) for e in duplicates])
    return Located(shown, data, lines, bools)


def _walk(
    node: yaml.Node, loc: Loc, lines: dict[Loc, int], bools: list[tuple[Loc, str, int]], duplicates: list[InputError], budget: list[int]
) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError("", f"more than {MAX_NODES:,} YAML values (anchors and aliases count each time they are used)", node.start_mark.line + 1)
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if isinstance(key, str):
                if key in seen:
                    duplicates.append(InputError("", f"key {key!r} appears twice (first at line {seen[key]}); YAML would keep only the last", line))
                else:
                    seen[key] = line
            if key_node.tag.endswith(":bool") and str(key).lower() in _BOOL_WORDS:
                bools.append((loc + (key,), key, line))
            lines[loc + (key,)] = line
            _walk(value_node, loc + (key,), lines, bools, duplicates, budget)
            lines[loc + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, loc + (index,), lines, bools, duplicates, budget)
    elif isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":bool") and node.value.lower() in _BOOL_WORDS and node.value.lower() not in ("true", "false"):
            bools.append((loc, node.value, node.start_mark.line + 1))
