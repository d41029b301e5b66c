"""UPS shutdown (ups.yml): what Ansible sees of it, the firewall, the vault's NUT passwords.

The example inventory has two UPSes: the server room's (network card, polled by srv-log, eight
servers on it in three stages) and a fire station's (USB on its gateway, no clients). What the
validator refuses is in tests/validation/cases.yml (ids ups-*).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bilgiislem import REPO_ROOT, secrets
from bilgiislem.inventory import load
from bilgiislem.inventory.ansible import to_ansible

EXAMPLE = REPO_ROOT / "inventory" / "example"
LAB = REPO_ROOT / "inventory" / "lab"


def test_the_server_and_the_clients_get_their_part_and_stage():
    data = to_ansible(EXAMPLE)
    hosts = data["hosts"]
    assert {"ups", "ups_server", "ups_client"} <= set(data["groups"])
    log = hosts["srv-log"]
    assert log["groups"][-2:] == ["ups", "ups_server"]
    assert {k: v for k, v in log["vars"].items() if k.startswith("ups_")} == {
        "ups_name": "ups-merkez-sistem", "ups_mode": "server", "ups_stage": "storage",
        "ups_stage_delay_seconds": 60, "ups_driver": "snmp-ups",
        # snmp-ups reads the UPS's network card: its address in devices.yml
        "ups_port": "10.10.99.50",
        "ups_description": "apc Smart-UPS SRT 10000VA, merkez",
        # where the clients reach it (all on the server network); 127.0.0.1 is the role's
        "ups_listen": ["10.10.100.20"]}
    db = hosts["srv-db"]
    assert db["groups"][-2:] == ["ups", "ups_client"]
    assert {k: v for k, v in db["vars"].items() if k.startswith("ups_")} == {
        "ups_name": "ups-merkez-sistem", "ups_mode": "client", "ups_stage": "databases",
        "ups_stage_delay_seconds": 60, "ups_server_address": "10.10.100.20"}
    stages = {h: x["vars"]["ups_stage"] for h, x in hosts.items() if "ups_client" in x["groups"]}
    assert stages == {"srv-posta": "applications", "srv-nvr": "applications",
                      "srv-santral": "applications", "srv-dc1": "databases",
                      "srv-dc2": "databases", "srv-db": "databases", "srv-dosya": "storage",
                      "srv-yedek": "storage"}
    # A host no UPS of ups.yml powers is in no UPS group and gets no UPS variable.
    assert "ups" not in hosts["gw-merkez"]["groups"]
    assert not [k for k in hosts["gw-merkez"]["vars"] if k.startswith("ups_")]


def test_a_ups_without_clients_listens_on_localhost_only():
    gw = to_ansible(EXAMPLE)["hosts"]["gw-itfaiye-merkez"]["vars"]
    # Its management address is on the internet: upsd must not listen there.
    assert gw["ups_listen"] == []
    assert (gw["ups_driver"], gw["ups_port"]) == ("usbhid-ups", "auto")
    assert not [r for r in gw["firewall_allow"] if r["port"] == 3493]


def test_upsd_is_open_to_the_clients_addresses_only():
    hosts = to_ansible(EXAMPLE)["hosts"]
    rule = next(r for r in hosts["srv-log"]["vars"]["firewall_allow"] if r["name"] == "nut")
    assert (rule["proto"], rule["port"]) == ("tcp", 3493)
    clients = [h for h, x in hosts.items() if "ups_client" in x["groups"]]
    # Every address of every client, as /32, and nothing else (no whole network).
    wanted = {f"{i['ip']}/32" for h in clients for i in hosts[h]["vars"]["interfaces"]}
    assert set(rule["sources"]) == wanted
    assert "10.10.20.10/32" in rule["sources"]  # srv-santral's voice address
    for h in clients:
        assert not [r for r in hosts[h]["vars"]["firewall_allow"] if r["port"] == 3493]


def test_dummy_ups_reads_a_file_named_after_the_ups(tmp_path: Path):
    root = tmp_path / "inventory" / "lab"
    shutil.copytree(LAB, root, ignore=shutil.ignore_patterns("group_vars"))
    (tmp_path / ".lab").mkdir()  # ../../.lab/vault-password from the inventory
    (tmp_path / ".lab" / "vault-password").write_text("test-vault-password\n", encoding="utf-8")
    devices = root / "devices.yml"
    devices.write_text(devices.read_text(encoding="utf-8") + (
        "  - {name: ups-lab, site: merkez, kind: ups, vendor: nut, model: dummy-ups, "
        "network: merkez-yonetim, ip: 10.10.99.50}\n"), encoding="utf-8")
    (root / "ups.yml").write_text(
        "---\nstage_delay_seconds: 10\nupses:\n  - name: ups-lab\n    server: srv-log\n"
        "    driver: dummy-ups\n    clients: [{host: srv-db, stage: databases}]\n",
        encoding="utf-8")
    hosts = to_ansible(root)["hosts"]
    assert hosts["srv-log"]["vars"]["ups_port"] == "ups-lab.dev"
    assert hosts["srv-log"]["vars"]["ups_stage"] == "storage"  # the default: last
    assert hosts["srv-db"]["vars"]["ups_server_address"] == "10.10.20.10"
    assert hosts["srv-db"]["vars"]["ups_stage_delay_seconds"] == 10
    # Two generated NUT passwords per UPS in the vault, different, and kept once there.
    inv = load(root)
    added = secrets.ensure(inv)
    assert [n for n in added if n.startswith("vault_ups_")] == [
        "vault_ups_primary_passwords.ups-lab", "vault_ups_secondary_passwords.ups-lab"]
    vault = secrets.read(inv)
    primary = vault[secrets.UPS_PRIMARY_PASSWORDS]["ups-lab"]
    secondary = vault[secrets.UPS_SECONDARY_PASSWORDS]["ups-lab"]
    assert len(primary) >= 32 and len(secondary) >= 32 and primary != secondary
    assert secrets.ensure(inv) == []


def test_no_ups_yml_no_ups_secret():
    assert not [n for n in secrets.wanted(load(LAB)) if n.startswith("vault_ups_")]
