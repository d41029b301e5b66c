"""Fixtures of the lab end-to-end tests, shared by every test module so that the lab is
recreated and deployed once per run: `fresh_lab` (new containers), `first_deploy` (the result of
the first `invoke deploy` on them) and `deployed` (the lab once that deploy succeeded).

While working on one test, BILGIISLEM_E2E_REUSE_LAB=1 keeps the running containers (lab.up only
adds what is missing), so e.g. `pytest -m lab tests/e2e/test_lab_backup.py` takes minutes; the
tests that need a first converge from scratch then fail, which is why CI never sets it."""

from __future__ import annotations

import os
import subprocess

import pytest
from labtools import INVENTORY, invoke

from bilgiislem import REPO_ROOT, lab
from bilgiislem.inventory import Inventory, load

LAST = "test_lab_audit_report.py"
"""Reads the evidence every other module leaves, so it runs after them (the rest: file order)."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.name == LAST)  # stable: keeps the order otherwise


@pytest.fixture(scope="session")
def inv() -> Inventory:
    return load(REPO_ROOT / INVENTORY)


@pytest.fixture(scope="session")
def fresh_lab(inv: Inventory) -> Inventory:
    """Recreate the containers so the first deploy converges from scratch (image is cached)."""
    if os.environ.get("BILGIISLEM_E2E_REUSE_LAB") != "1":
        lab.down(inv.municipality.code)
    lab.up(inv)
    return inv


@pytest.fixture(scope="session")
def first_deploy(fresh_lab: Inventory) -> subprocess.CompletedProcess[str]:
    return invoke("deploy", "--inventory", INVENTORY)


@pytest.fixture(scope="session")
def deployed(fresh_lab: Inventory, first_deploy: subprocess.CompletedProcess[str]) -> Inventory:
    if first_deploy.returncode != 0:
        pytest.fail("the first deploy of the lab failed (see test_first_deploy_converges)")
    return fresh_lab
