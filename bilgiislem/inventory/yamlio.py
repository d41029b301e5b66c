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
    # Scalars as written in the file, e.g. "0777" where YAML read the number 511.
    raw: dict[Loc, str] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """Line of the value at ``loc``, or of its nearest ancestor that exists."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def _index(node: yaml.Node, loc: Loc, out: dict[Loc, int], raw: dict[Loc, str]) -> None:
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        raw[loc] = node.value
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _index(value_node, (*loc, key), out, raw)
            out[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*loc, i), out, raw)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date such as 2024-02-30 as text.

    PyYAML raises a bare ValueError (no line) for those; as text, the schema reports it at its
    field with the usual date hint.
    """

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _syntax_hint(problem: str) -> str:
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "another document" in problem:
        return "an inventory file holds one YAML document; remove the extra '---' line"
    return "check indentation and quoting near this line"


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
    data_bytes = path.read_bytes()
    try:
        text = data_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(
            f"file is not valid UTF-8 (byte {exc.start})",
            data_bytes[: exc.start].count(b"\n") + 1,
            "save the file as UTF-8; Turkish letters need it",
        ) from exc
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "unreadable YAML"
        if exc.context and problem.startswith("but "):  # "expected a single document ..."
            problem = f"{exc.context}, {problem}"
        raise YamlProblem(f"YAML syntax error: {problem}", line, _syntax_hint(problem)) from exc
    lines: dict[Loc, int] = {}
    raw: dict[Loc, str] = {}
    if node is not None and data is not None:  # a file of only comments has no lines to show
        _check_duplicates(node, ())
        _index(node, (), lines, raw)
    return YamlDoc(path=path, data=data, lines=lines, raw=raw)
