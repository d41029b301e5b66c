"""Intended against running configuration (bilgiislem.netops.compare), on the golden files."""

from __future__ import annotations

import re

import pytest

from bilgiislem import REPO_ROOT
from bilgiislem.netops import compare

GOLDEN = REPO_ROOT / "tests" / "golden" / "netconfig"
IOS = (GOLDEN / "sw-merkez-kat3.cfg").read_text(encoding="utf-8")
VRP = (GOLDEN / "sw-merkez-sunucu.cfg").read_text(encoding="utf-8")
PROCURVE = (GOLDEN / "sw-merkez-zemin.cfg").read_text(encoding="utf-8")
# what a Cisco switch prints once it has taken IOS: hashed secrets, no SNMPv3 users, its own
# platform lines, ports the inventory does not name, `no shutdown` left out
IOS_RUNNING = (
    "Building configuration...\n\nCurrent configuration : 9999 bytes\n!\nversion 15.2\n"
    "boot-start-marker\nboot-end-marker\nspanning-tree extend system-id\n"
    + re.sub(r"secret 0 \S+", "secret 9 $9$x0XaBcDeFgHiJk$0123456789abcdefABCDEF", IOS)
    .replace(" no shutdown\n", "")
    .replace("snmp-server user izleme bilgiislem v3 auth sha Golden-Snmp-Auth-1 priv aes 128 "
             "Golden-Snmp-Priv-1\n", "")
    + "interface GigabitEthernet1/0/52\n!\nline con 0\n!\nend\n")


@pytest.mark.parametrize(("text", "vendor"), [(IOS, "cisco_ios"), (VRP, "huawei_vrp"),
                                              (PROCURVE, "hp_procurve")])
def test_a_rendered_config_is_in_sync_with_itself(text: str, vendor: str) -> None:
    assert compare.in_sync(text, text, vendor)
    assert not compare.remediation(text, text, vendor)


def test_hashed_secrets_hidden_lines_and_platform_lines_are_in_sync() -> None:
    assert compare.in_sync(IOS_RUNNING, IOS, "cisco_ios")


def test_a_change_is_sent_with_its_secret_and_shown_masked() -> None:
    running = IOS_RUNNING.replace("username sukru.ozturk privilege 15 secret 9 ", "x ")
    change = compare.remediation(running, IOS, "cisco_ios")
    assert "username sukru.ozturk privilege 15 secret 0 Golden-Yonetici-1" in change.lines
    # the SNMPv3 user the device does not print goes with every change
    assert change.lines[-1].startswith("snmp-server user izleme bilgiislem v3 auth sha Golden")
    shown = "\n".join(change.masked())
    assert "Golden" not in shown
    assert "username sukru.ozturk privilege 15 secret 0 <gizli>" in shown


def test_a_removed_user_is_negated_by_name() -> None:
    intended = IOS.replace("username sukru.ozturk privilege 15 secret 0 Golden-Yonetici-1\n", "")
    change = compare.remediation(IOS_RUNNING, intended, "cisco_ios")
    assert change.lines[0] == "no username sukru.ozturk"
    vrp = re.sub(r" local-user sukru\.ozturk .*\n", "", VRP)
    vrp = re.sub(r"ssh user sukru\.ozturk .*\n", "", vrp)
    assert compare.remediation(VRP, vrp, "huawei_vrp").lines == (
        "undo ssh user sukru.ozturk", "aaa", "  undo local-user sukru.ozturk", "  quit")


def test_vrp_vlans_are_added_and_removed_one_by_one() -> None:
    fewer = VRP.replace("vlan batch 10 20 30 99 to 100 200", "vlan batch 10 20 30 99 to 100 300")
    assert compare.remediation(VRP, fewer, "huawei_vrp").lines[:2] == (
        "undo vlan batch 200", "vlan batch 300")


def test_ports_the_inventory_does_not_name_are_left_alone() -> None:
    change = compare.remediation(IOS_RUNNING, IOS, "cisco_ios")
    assert not change
    port = IOS_RUNNING.replace("interface GigabitEthernet1/0/52\n",
                               "interface GigabitEthernet1/0/52\n shutdown\n")
    assert compare.in_sync(port, IOS, "cisco_ios")


def test_a_port_changed_by_hand_is_put_back() -> None:
    by_hand = IOS_RUNNING.replace(
        "interface GigabitEthernet1/0/5\n description Masaustu ve IP telefon\n"
        " switchport mode access\n switchport access vlan 10\n",
        "interface GigabitEthernet1/0/5\n description Masaustu ve IP telefon\n"
        " switchport mode access\n switchport access vlan 30\n shutdown\n", 1)
    assert by_hand != IOS_RUNNING
    change = compare.remediation(by_hand, IOS, "cisco_ios")
    body = [line.strip() for line in change.lines]
    assert body[0] == "interface GigabitEthernet1/0/5"
    assert set(body[1:body.index("exit")]) == {
        "no switchport access vlan 30", "switchport access vlan 10", "no shutdown"}
