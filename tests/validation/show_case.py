"""Print what the validator says for cases in cases.yml, in the form ``expect`` pins it.

    .venv/bin/python tests/validation/show_case.py              # cases whose output differs
    .venv/bin/python tests/validation/show_case.py ID [ID ...]  # these cases

Use it when writing a case, or when inventory/lab changed and line numbers moved: read the
new output before pasting it, since the point of the suite is that every message is right.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from casekit import build, load_cases

from bilgiislem.inventory import InventoryError, load


def actual(case: dict) -> list[str] | None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build(case, Path(tmp) / "inventory")
        try:
            load(root, display="")
        except InventoryError as exc:
            return [issue.format() for issue in exc.issues]
    return None


def main(argv: list[str]) -> int:
    wanted = set(argv[1:])
    for case in load_cases():
        if wanted and case["id"] not in wanted:
            continue
        got = actual(case)
        if not wanted and got == case.get("expect"):
            continue
        print(f"- id: {case['id']}")
        if got is None:
            print("  # the inventory loads: this case does not fail")
            continue
        print("  expect:")
        for text in got:
            print("    - |-")
            print("\n".join(f"      {line}" for line in text.splitlines()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
