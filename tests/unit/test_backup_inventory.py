"""What Ansible sees of backups.yml: the backup_clients group, backup_sets per client,
databases per database host, and the repository, off-site copy, classes and clients for all.
These names are the contract with the roles backup_server and backup_client."""

from __future__ import annotations

import shutil
from pathlib import Path

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import load
from bilgiislem.inventory.ansible import to_ansible

LAB = REPO_ROOT / "inventory" / "lab"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "inventory"
    shutil.copytree(LAB, root, ignore=shutil.ignore_patterns("group_vars"))
    return root


def test_backup_clients_group() -> None:
    data = to_ansible(LAB)
    assert "backup_clients" in data["groups"]
    members = [h for h, v in data["hosts"].items() if "backup_clients" in v["groups"]]
    assert members == ["srv-log", "srv-db"]  # hosts.yml order
    assert "backup_clients" not in data["hosts"]["srv-yedek"]["groups"]
    assert data["hosts"]["srv-yedek"]["groups"][0] == "backup_server"


def test_backup_sets_of_a_client_have_resolved_classes() -> None:
    hv = to_ansible(LAB)["hosts"]["srv-db"]["vars"]
    assert hv["databases"] == ["otomasyon"]
    sets = {s["name"]: s for s in hv["backup_sets"]}
    assert list(sets) == ["etc", "otomasyon-db"]
    assert sets["etc"] == {
        "name": "etc", "type": "files", "paths": ["/etc"], "excludes": [], "databases": [],
        "classes": [{"name": "daily", "schedule": "*-*-* 01:30", "keep": 30},  # override
                    {"name": "weekly", "schedule": "Sun *-*-* 02:30", "keep": 8},
                    {"name": "monthly", "schedule": "*-*-01 03:30", "keep": 12}]}
    db = sets["otomasyon-db"]
    assert db["type"] == "postgresql" and db["databases"] == ["otomasyon"]
    assert [c["name"] for c in db["classes"]] == [
        "hourly", "daily", "weekly", "monthly", "quarterly", "semiannual"]
    assert db["classes"][4] == {"name": "quarterly", "schedule": "*-01,04,07,10-01 04:30",
                                "keep": 8}
    # Hosts outside every set get neither variable.
    hosts = to_ansible(LAB)["hosts"]
    assert "backup_sets" not in hosts["srv-yedek"]["vars"]
    assert "databases" not in hosts["srv-log"]["vars"]
    assert [s["name"] for s in hosts["srv-log"]["vars"]["backup_sets"]] == ["etc", "log-arsivi"]


def test_backup_all_vars() -> None:
    av = to_ansible(LAB)["all_vars"]
    assert av["backup_repository"] == {"host": "srv-yedek", "address": "10.10.20.30"}
    assert av["backup_offsite"] == {"host": "srv-yedek-dis", "address": "10.10.20.31"}
    assert list(av["backup_classes"]) == [
        "hourly", "daily", "weekly", "monthly", "quarterly", "semiannual"]
    assert av["backup_classes"]["daily"] == {"schedule": "*-*-* 01:30", "keep": 30}
    assert av["backup_classes"]["semiannual"] == {"schedule": "*-01,07-01 05:30", "keep": 4}
    clients = {c["host"]: c for c in av["backup_clients"]}
    assert list(clients) == ["srv-log", "srv-db"]
    assert clients["srv-log"]["sets"][1] == {
        "name": "log-arsivi", "type": "files",
        "classes": [{"name": "daily", "keep": 30}, {"name": "weekly", "keep": 8},
                    {"name": "monthly", "keep": 12}, {"name": "quarterly", "keep": 8},
                    {"name": "semiannual", "keep": 4}]}


def test_schedule_override_and_no_offsite(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    text = (root / "backups.yml").read_text(encoding="utf-8")
    text = text.replace("offsite: srv-yedek-dis\n", "").replace(
        "  daily: {keep: 30}", "  weekly: {schedule: 'Sat *-*-* 22:00'}")
    (root / "backups.yml").write_text(text, encoding="utf-8")
    av = to_ansible(root)["all_vars"]
    assert av["backup_offsite"] is None
    assert av["backup_classes"]["weekly"] == {"schedule": "Sat *-*-* 22:00", "keep": 8}
    assert av["backup_classes"]["daily"] == {"schedule": "*-*-* 01:30", "keep": 14}


def test_without_backups_yml(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "backups.yml").unlink()
    inv = load(root)
    assert inv.backups is None and inv.backup_clients() == []
    data = to_ansible(root)
    av = data["all_vars"]
    assert av["backup_repository"] is None and av["backup_offsite"] is None
    assert av["backup_clients"] == []
    assert len(av["backup_classes"]) == 6  # the built-in classes, for the roles' defaults
    assert all("backup_clients" not in h["groups"] for h in data["hosts"].values())
    assert data["hosts"]["srv-db"]["vars"]["databases"] == ["otomasyon"]
