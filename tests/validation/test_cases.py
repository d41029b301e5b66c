"""Malformed inventories (cases.yml) fail with exactly the pinned messages, in order."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from casekit import OPERATIONS, REPO, build, load_cases

from bilgiislem.inventory import InventoryError, load

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict, tmp_path: Path) -> None:
    root = build(case, tmp_path / "inventory")
    with pytest.raises(InventoryError) as caught:
        load(root, display="")
    got = [issue.format() for issue in caught.value.issues]
    assert got == case["expect"]
    count = len(case["expect"])
    assert caught.value.report().endswith(
        f"{count} problem{'s' if count != 1 else ''} found in the inventory; "
        "nothing was contacted or changed."
    )


def test_table_is_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len(CASES) >= 45
    for case in CASES:
        assert set(case) == {"id", "edits", "expect"}, case["id"]
        assert case["edits"], case["id"]
        assert case["expect"], case["id"]
        for edit in case["edits"]:
            assert "file" in edit, case["id"]
            assert sum(op in edit for op in OPERATIONS) == 1, case["id"]


def test_decomposed_input_gives_composed_message() -> None:
    """A name typed in NFD is validated, and reported, in NFC."""
    case = next(c for c in CASES if c["id"] == "decomposed-name-is-normalised-in-the-message")
    value = case["edits"][0]["value"]
    assert not unicodedata.is_normalized("NFC", value)
    assert all(unicodedata.is_normalized("NFC", text) for text in case["expect"])
    assert "'Şükrü2'" in case["expect"][0]


def test_ansible_stops_on_a_broken_inventory(tmp_path: Path) -> None:
    """The real CLI path: the plugin refuses the inventory, so no host is ever contacted."""
    case = next(c for c in CASES if c["id"] == "ip-outside-its-network")
    root = build(case, tmp_path / "inventory")
    env = {**os.environ, "ANSIBLE_CONFIG": str(REPO / "ansible.cfg"), "NO_COLOR": "1"}
    bindir = Path(sys.executable).parent
    for command in (
        [bindir / "ansible-inventory", "-i", root / "inventory.yml", "--list"],
        [bindir / "ansible", "-i", root / "inventory.yml", "all", "-m", "ansible.builtin.ping"],
    ):
        result = subprocess.run(
            [str(part) for part in command], cwd=REPO, env=env, capture_output=True,
            text=True, timeout=120, check=False,
        )
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert f"{root}/{case['expect'][0]}" in output, output
        assert "nothing was contacted or changed" in output
        assert "SUCCESS" not in output and "UNREACHABLE" not in output
