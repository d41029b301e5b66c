"""Lab end-to-end of the switches as code (docs/network.md), on the lab's simulated switches
(two Cisco IOS, one Huawei VRP, started by lab.up): plan → push → backup → zero drift; then a
change made by hand on one switch shows in `net.drift` and in the next backup's git diff, and
the next push puts it back. Needs only lab.up, not a deploy of the servers.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from labtools import INVENTORY, invoke
from netmiko import ConnectHandler

from bilgiislem import REPO_ROOT, secrets
from bilgiislem.inventory import Inventory

pytestmark = pytest.mark.lab

SWITCHES = ["sw-merkez-cekirdek", "sw-merkez-kat1", "sw-merkez-sunucu"]
BY_HAND = "sw-merkez-kat1"


def _ok(res: subprocess.CompletedProcess[str], code: int = 0) -> str:
    assert res.returncode == code, f"rc {res.returncode}\n{res.stdout}\n{res.stderr}"
    return res.stdout


def _evidence(stdout: str) -> dict:
    """The JSON record the task says it wrote."""
    path = re.search(r"kayıt / evidence: (\S+\.json)", stdout)
    assert path, stdout
    record = json.loads((REPO_ROOT / path.group(1)).read_text(encoding="utf-8"))
    assert (REPO_ROOT / path.group(1)).with_suffix(".html").is_file()
    return record


def _statuses(record: dict) -> dict[str, str]:
    return {d["name"]: d["status"] for d in record["devices"]}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def repo(fresh_lab: Inventory, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("net") / "ag-yedekleri"


def test_push_converges_and_leaves_no_drift(fresh_lab: Inventory, repo: Path) -> None:
    plan = json.loads(_ok(invoke("net.plan", "-i", INVENTORY, "--repo", str(repo), "--json")))
    assert {d["status"] for d in plan["devices"]} == {"no-backup"}

    first = _evidence(_ok(invoke("net.backup", "-i", INVENTORY, "--repo", str(repo))))
    assert _statuses(first) == dict.fromkeys(SWITCHES, "ok")
    plan = json.loads(_ok(invoke("net.plan", "-i", INVENTORY, "--repo", str(repo), "--json")))
    assert _statuses(plan) == dict.fromkeys(SWITCHES, "drift")
    change = next(d["change"] for d in plan["devices"] if d["name"] == BY_HAND)
    assert "interface GigabitEthernet1/0/5" in change
    assert not any("bilgiislem" in line and "<gizli>" not in line and "secret" in line
                   for line in change), "a secret in the plan"

    pushed = _evidence(_ok(invoke("net.push", "-i", INVENTORY)))
    assert _statuses(pushed) == dict.fromkeys(SWITCHES, "ok"), pushed
    again = _evidence(_ok(invoke("net.push", "-i", INVENTORY)))
    assert _statuses(again) == dict.fromkeys(SWITCHES, "unchanged")

    second = _evidence(_ok(invoke("net.backup", "-i", INVENTORY, "--repo", str(repo))))
    assert _statuses(second) == dict.fromkeys(SWITCHES, "ok")
    assert _git(repo, "log", "-1", "--format=%B").split("\n\n", 1)[1].split() == sorted(SWITCHES)
    drift = _evidence(_ok(invoke("net.drift", "-i", INVENTORY)))
    assert drift["clean"] and _statuses(drift) == dict.fromkeys(SWITCHES, "in-sync")
    plan = json.loads(_ok(invoke("net.plan", "-i", INVENTORY, "--repo", str(repo), "--json")))
    assert _statuses(plan) == dict.fromkeys(SWITCHES, "in-sync")
    saved = (repo / f"{BY_HAND}.cfg").read_text()
    assert "username bilgiislem privilege 15 secret 9 <gizli>" in saved


def test_a_change_by_hand_shows_and_is_put_back(fresh_lab: Inventory, repo: Path) -> None:
    device = next(d for d in fresh_lab.devices if d.name == BY_HAND)
    password = secrets.read(fresh_lab)[secrets.NETWORK_PASSWORDS][BY_HAND]
    conn = ConnectHandler(device_type="cisco_ios", host=device.ip, username="bilgiislem",
                          password=password)
    conn.send_config_set(["interface GigabitEthernet1/0/5", "switchport access vlan 20"])
    conn.save_config()
    conn.disconnect()

    drift = _evidence(_ok(invoke("net.drift", "-i", INVENTORY), code=1))
    assert not drift["clean"]
    assert _statuses(drift) == {**dict.fromkeys(SWITCHES, "in-sync"), BY_HAND: "drift"}
    change = next(d["change"] for d in drift["devices"] if d["name"] == BY_HAND)
    assert "interface GigabitEthernet1/0/5" in change
    assert any(line.strip() == "switchport access vlan 10" for line in change), change

    backup = _evidence(_ok(invoke("net.backup", "-i", INVENTORY, "--repo", str(repo))))
    assert _statuses(backup)[BY_HAND] == "ok"
    assert _git(repo, "show", "--stat", "--format=", "HEAD").split()[0] == f"{BY_HAND}.cfg"
    diff = _git(repo, "show", "HEAD")
    assert "+ switchport access vlan 20" in diff and "- switchport access vlan 10" in diff

    pushed = _evidence(_ok(invoke("net.push", "-i", INVENTORY, "--devices", BY_HAND)))
    assert _statuses(pushed) == {BY_HAND: "ok"}
    drift = _evidence(_ok(invoke("net.drift", "-i", INVENTORY)))
    assert drift["clean"]
