"""YAML reading for inventory files: duplicate keys are errors, and every value keeps its line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[str | int, ...]


class YamlProblem(Exception):
    def __init__(self, message: str, line: int | None, hint: str, loc: Loc = ()) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint
        self.loc = loc


@dataclass
class YamlDoc:
    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """Line of the value at ``loc``, or of its nearest ancestor that exists."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def _index(node: yaml.Node, loc: Loc, out: dict[Loc, int]) -> None:
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _index(value_node, (*loc, key), out)
            out[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), out)


def _check_duplicates(node: yaml.Node, loc: Loc) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise YamlProblem(
                    f"duplicate key {key!r} (first defined on line {seen[key]})",
                    line,
                    "YAML keeps only the last one silently; merge the two entries into one",
                    (*loc, key),
                )
            seen[key] = line
            _check_duplicates(value_node, (*loc, key))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _check_duplicates(item, (*loc, i))


def read(path: Path) -> YamlDoc:
    """Read one YAML document; raise YamlProblem on syntax errors and duplicate keys."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(
            f"file is not valid UTF-8 (byte {exc.start})",
            None,
            "save the file as UTF-8; Turkish letters need it",
        ) from exc
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(
            f"YAML syntax error: {exc.problem or exc.context}",
            line,
            "check indentation and quoting near this line",
        ) from exc
    lines: dict[Loc, int] = {}
    if node is not None:
        _check_duplicates(node, ())
        _index(node, (), lines)
    return YamlDoc(path=path, data=data, lines=lines)
