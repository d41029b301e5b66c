"""Build a malformed inventory from inventory/lab and a list of edits (see cases.yml).

An edit is a mapping with ``file`` (relative to the inventory directory) and one operation:

``set: PATH`` + ``value``
    Set the value at PATH (``hosts[1].interfaces[0].ip``); a missing last key is added.
``delete: PATH``
    Remove the key or list item at PATH.
``append: PATH`` + ``value``
    Append ``value`` to the list at PATH.
``replace: OLD`` + ``with: NEW``
    Replace the text OLD, which must occur exactly once, by NEW. For what YAML values cannot
    express: unquoted scalars (``sicil_no: 0777``), duplicate keys, syntax errors.
``text: TEXT`` (+ optional ``encoding``)
    Write the whole file (creating it and its directories if needed).
``remove: true``
    Delete the file.

Path edits go through ruamel.yaml's round trip, which keeps comments, quoting and layout, so
the line numbers of untouched lines stay those of inventory/lab.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "inventory" / "lab"
CASES_FILE = Path(__file__).with_name("cases.yml")
OPERATIONS = ("set", "delete", "append", "replace", "text", "remove")


def load_cases() -> list[dict[str, Any]]:
    return yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def _round_trip() -> YAML:
    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.explicit_start = True
    return rt


def _parse_path(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    if not parts:
        raise ValueError(f"empty path {path!r}")
    return parts


def _container(data: Any, parts: list[str | int]) -> Any:
    for part in parts:
        data = data[part]
    return data


def apply_edit(root: Path, edit: dict[str, Any]) -> None:
    ops = [op for op in OPERATIONS if op in edit]
    if len(ops) != 1:
        raise ValueError(f"an edit needs exactly one of {OPERATIONS}: {edit}")
    op = ops[0]
    path = root / edit["file"]
    if op == "remove":
        path.unlink()
        return
    if op == "text":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(edit["text"].encode(edit.get("encoding", "utf-8")))
        return
    text = path.read_text(encoding="utf-8")
    if op == "replace":
        count = text.count(edit["replace"])
        if count != 1:
            raise ValueError(f"{edit['file']}: {edit['replace']!r} occurs {count} times, not once")
        path.write_text(text.replace(edit["replace"], edit["with"]), encoding="utf-8")
        return
    rt = _round_trip()
    data = rt.load(text)
    parts = _parse_path(edit[op])
    parent = _container(data, parts[:-1])
    if op == "set":
        parent[parts[-1]] = edit["value"]
    elif op == "delete":
        del parent[parts[-1]]
    else:
        parent[parts[-1]].append(edit["value"])
    out = io.StringIO()
    rt.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def build(case: dict[str, Any], target: Path) -> Path:
    """Copy inventory/lab to ``target`` and apply the case's edits; return ``target``."""
    shutil.copytree(LAB, target)
    for edit in case["edits"]:
        apply_edit(target, edit)
    return target
