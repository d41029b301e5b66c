"""Lab end-to-end of the asset inventory (docs/assets.md): `inventory.collect` lists every lab
server, simulated switch and simulated camera, with the serials and models the simulators
give, and joins them with inventory/lab/varliklar.yml; `inventory.report` rebuilds the report
without contacting anything.

The cameras answer the project's account only after `cameras.apply`: the module applies them
first. It runs after test_lab_cameras.py (file order), whose first apply must meet the cameras
in their factory state; there, this apply changes nothing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from labtools import INVENTORY, invoke

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import Inventory

pytestmark = pytest.mark.lab

EVIDENCE = REPO_ROOT / "evidence" / "inventory"


def newest() -> dict:
    path = sorted(EVIDENCE.glob("*-varlik-envanteri.json"))[-1]
    for suffix in (".csv", ".html"):
        assert path.with_suffix(suffix).is_file(), suffix
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def collected(deployed: Inventory) -> dict:
    res = invoke("cameras.apply", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout + res.stderr
    res = invoke("inventory.collect", "--inventory", INVENTORY)
    assert res.returncode == 0, res.stdout + res.stderr
    for host in deployed.hosts:
        assert f"Sunucu {host.name}: okundu" in res.stdout, res.stdout
    return newest()


def test_collect_lists_every_server_switch_and_camera(deployed: Inventory,
                                                       collected: dict) -> None:
    by = {r["name"]: r for r in collected["records"]}
    assert collected["ok"] and collected["failed"] == []
    for host in deployed.hosts:
        r = by[host.name]
        assert (r["kind"], r["status"], r["source"]) == ("server", "ok", "ansible"), r
        assert r["software"] and r["packages"], host.name
    switches = deployed.network_devices()
    assert switches
    for d in switches:
        r = by[d.name]
        assert (r["status"], r["source"], r["model"]) == ("ok", "netmiko", d.model), r
        assert r["serial"] and r["software"], r
    assert by["sw-merkez-cekirdek"]["serial"].startswith("FOC")
    assert by["sw-merkez-sunucu"]["serial"].startswith("2102351931P0")
    assert deployed.cameras is not None
    for c in deployed.cameras.cameras:
        r = by[c.name]
        assert (r["status"], r["source"], r["model"]) == ("ok", "onvif", c.model), r
        assert r["serial"].startswith("LAB") and r["software"], r
    phones = [r for r in collected["records"] if r["kind"] == "phone"]
    assert len(phones) == 2


def test_the_report_joins_the_register(collected: dict) -> None:
    rows = {r["ad"]: r for r in collected["rows"]}
    db = rows["srv-db"]
    assert db["sicil_no"] == "BIM-SNC-2023-0001"
    assert "postgresql-1" in db["lisansli"]
    assert rows["sw-merkez-kat1"]["seri_no"].startswith("FOC")
    licences = {x["product"]: x for x in collected["licences"]}
    backup = licences["Yedekleme yazılımı destek sözleşmesi"]
    # restic on the backup clients and both repository hosts: more than the 2 bought
    assert backup["over"] and backup["used"] >= 3, backup
    path = sorted(EVIDENCE.glob("*-varlik-envanteri.csv"))[-1]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert header[:4] == ["Sıra No", "Sicil No", "Taşınır Kodu", "Tür"]


def test_report_rebuilds_without_contacting_anything(collected: dict) -> None:
    res = invoke("inventory.report", "--inventory", INVENTORY, "--today", "2026-12-07")
    # the lab's register has warranties ending and a licence over its count: flagged
    assert res.returncode == 1, res.stdout + res.stderr
    again = newest()
    assert again["records"] == collected["records"]
    assert again["source"].endswith("-varlik-envanteri.json")
    assert {r["ad"] for r in again["warranty_flags"]} >= {"srv-db", "srv-yedek"}
