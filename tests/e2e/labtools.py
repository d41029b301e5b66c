"""Helpers of the lab end-to-end tests: the `invoke` CLI as a user runs it, and SSH to a lab host
as the automation account. The fixtures are in conftest.py."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import Inventory
from bilgiislem.lab.manage import ssh_cmd

INVENTORY = "inventory/lab"
INVOKE = str(Path(sys.executable).parent / "invoke")
STARTED = dt.datetime.now(dt.UTC).replace(microsecond=0)
"""When this test run started: evidence older than this is not the run's."""


def invoke(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    return subprocess.run([INVOKE, *args], cwd=REPO_ROOT, env=env, text=True,
                          capture_output=True, check=False, timeout=1800)


def ssh_argv(inv: Inventory, host: str) -> list[str]:
    h = next(x for x in inv.hosts if x.name == host)
    key = inv.resolve(inv.connection.private_key_file)
    known = inv.resolve(inv.connection.known_hosts_file)
    return ssh_cmd(key, known, inv.connection.user, inv.management_ip(h))


def ssh(inv: Inventory, host: str, *cmd: str) -> str:
    res = subprocess.run([*ssh_argv(inv, host), *cmd],
                         capture_output=True, text=True, check=True, timeout=60)
    return res.stdout.strip()


def inventory_copy(tmp_path: Path) -> Path:
    """A copy of the lab inventory (vault included) that still finds the lab's SSH key,
    known_hosts, vault password and time-stamp authority's certificate."""
    copy = tmp_path / "inventory"
    shutil.copytree(REPO_ROOT / INVENTORY, copy)
    for name in ("hosts.yml", "legal_logging.yml"):
        path = copy / name
        path.write_text(path.read_text().replace("../../.lab/", f"{REPO_ROOT}/.lab/"))
    return copy
