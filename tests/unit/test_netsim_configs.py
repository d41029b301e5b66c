"""The simulator against the project's rendered configurations (tests/golden/netconfig), pushed
with net.push's own code (bilgiislem.netops.compare and push.send): the remediation from the
running configuration, multi-line banners sent alone, the other lines with Netmiko's echo
check and an error pattern, then the masked running configuration compared with the intent
again. The tests check that the simulated devices take every line, end up where the intent
says, keep it over a save and a restart, follow changes pushed one by one, and that a push cut
short can be rolled back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from netmiko import BaseConnection, ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException, ReadTimeout
from ntc_templates.parse import parse_output

from bilgiislem.netops import compare
from bilgiislem.netops.normalize import MASK, normalize
from bilgiislem.netops.push import send
from bilgiislem.netsim import DeviceSpec, Faults, Simulator

pytestmark = pytest.mark.filterwarnings("ignore:path is deprecated:DeprecationWarning")

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "netconfig"
DEVICES = {  # golden file: (vendor, the ports it configures)
    "sw-merkez-cekirdek": ("cisco_ios", ["GigabitEthernet1/0/1-48", "TenGigabitEthernet1/1/1-2"]),
    "sw-merkez-kat3": ("cisco_ios", ["GigabitEthernet1/0/1-50"]),
    "sw-merkez-sunucu": ("huawei", ["GigabitEthernet0/0/1-48", "XGigabitEthernet0/0/1-2"]),
}
USER, PASSWORD = "bilgiislem", "Golden-Otomasyon-1"  # the automation account of the goldens
PLAIN_SECRETS = ("Golden-Otomasyon-1", "Golden-Yonetici-1", "Golden-Snmp-Auth-1",
                 "Golden-Snmp-Priv-1")  # fmt: skip
SHOW = {"cisco_ios": "show running-config", "huawei": "display current-configuration"}


def golden(name: str) -> str:
    return (GOLDEN / f"{name}.cfg").read_text(encoding="utf-8")


def spec(name: str, **kwargs: Any) -> DeviceSpec:
    vendor, ports = DEVICES[name]
    return DeviceSpec(name, vendor, ports=ports, username=USER, password=PASSWORD, **kwargs)


@contextlib.contextmanager
def connect(sim: Simulator, name: str, password: str = PASSWORD) -> Iterator[BaseConnection]:
    """A Netmiko session. Its SSH connection is closed directly at the end: Netmiko's Huawei
    ``disconnect`` first checks the mode by waiting two seconds for the channel to go quiet."""
    args = {**sim.netmiko_args(name), "password": password}
    conn = ConnectHandler(**args, conn_timeout=5, banner_timeout=5, auth_timeout=5)
    try:
        yield conn
    finally:
        conn.remote_conn_pre.close()


# --- the push code of net.push (bilgiislem.netops) ----------------------------------------------


def left(conn: BaseConnection, vendor: str, intended: str) -> list[str]:
    """What still differs between the device and ``intended``, compared masked."""
    change = compare.remediation(conn.send_command(SHOW[vendor]), intended, vendor,
                                 include_write_only=False)
    return list(change.lines)


def converge(conn: BaseConnection, vendor: str, intended: str, timeout: float = 15) -> list[str]:
    """Push what turns the device into ``intended``; check nothing is left. The lines sent."""
    change = compare.remediation(conn.send_command(SHOW[vendor]), intended, vendor)
    send(conn, change, timeout)
    assert left(conn, vendor, intended) == []
    return list(change.lines)


# --- a full configuration on a fresh device ------------------------------------------------


@pytest.mark.parametrize("name", list(DEVICES))
def test_golden_config_pushed_to_a_fresh_device(tmp_path: Path, name: str) -> None:
    vendor, intended = DEVICES[name][0], golden(name)
    device = spec(name, hostname={"cisco_ios": "Switch", "huawei": "HUAWEI"}[vendor])
    with Simulator([device], tmp_path) as sim, connect(sim, name) as conn:
        sent = converge(conn, vendor, intended)
        assert len(sent) > 250
        running = conn.send_command(SHOW[vendor])
        assert left(conn, vendor, intended) == []  # read again: still nothing
        # normalize masks the secrets on both sides; what it leaves different is the secret's
        # type or encoding, which compare.comparable() drops
        for on_device, in_intent in MASKED[vendor]:
            assert on_device in normalize(running, vendor).splitlines()
            assert in_intent in normalize(intended, vendor).splitlines()
        hashed = {"cisco_ios": [f"username {USER} privilege 15 secret 9 $9$"],
                  "huawei": [f" local-user {USER} password irreversible-cipher $1c$",
                             " izleme authentication-mode sha cipher %^%#",
                             " izleme privacy-mode aes128 cipher %^%#"]}[vendor]  # fmt: skip
        for line in hashed:
            assert line in running
        for secret in PLAIN_SECRETS:
            assert secret not in running
        check_tables(conn, name)
        assert conn.find_prompt().strip("<>[]#") == name  # renamed from Switch / HUAWEI
        conn.save_config()
    with Simulator([device], tmp_path) as sim, connect(sim, name) as conn:
        assert left(conn, vendor, intended) == []
        if vendor == "cisco_ios":  # SNMPv3 users are saved too, though never shown
            assert "User name: izleme" in conn.send_command("show snmp user")


MASKED = {  # (the device's line, the intent's line), both through normalize()
    "cisco_ios": [(f"username {USER} privilege 15 secret 9 {MASK}",
                   f"username {USER} privilege 15 secret 0 {MASK}")],
    "huawei": [(f" local-user {USER} password irreversible-cipher {MASK}",) * 2,
               (f"snmp-agent usm-user v3 izleme authentication-mode sha cipher {MASK}",
                f"snmp-agent usm-user v3 izleme authentication-mode sha {MASK}"),
               (f"snmp-agent usm-user v3 izleme privacy-mode aes128 cipher {MASK}",
                f"snmp-agent usm-user v3 izleme privacy-mode aes128 {MASK}")],
}  # fmt: skip


def check_tables(conn: BaseConnection, name: str) -> None:
    """The show/display tables follow the configuration (parsed by ntc-templates)."""
    if name == "sw-merkez-cekirdek":
        vlans = {v["vlan_id"]: v for v in conn.send_command("show vlan brief", use_textfsm=True)}
        assert vlans["200"]["vlan_name"] == "merkez-misafir"
        ports = {p["port"]: p for p in conn.send_command("show interfaces status",
                                                         use_textfsm=True)}  # fmt: skip
        assert (ports["Gi1/0/1"]["status"], ports["Gi1/0/1"]["vlan_id"]) == ("connected", "trunk")
        assert ports["Gi1/0/9"]["status"] == "disabled"
        assert ports["Te1/1/2"]["name"] == "sw-merkez-sunucu"
        assert (ports["Po1"]["status"], ports["Po1"]["vlan_id"]) == ("connected", "trunk")
        assert len(ports) == 51
    elif name == "sw-merkez-kat3":
        vlans = {v["vlan_id"]: v for v in conn.send_command("show vlan brief", use_textfsm=True)}
        assert vlans["10"]["interfaces"] == [f"Gi1/0/{n}" for n in range(1, 45)]
        assert vlans["30"]["interfaces"] == [f"Gi1/0/{n}" for n in range(45, 49)]
        users = conn.send_command("show snmp user")
        assert "User name: izleme" in users
        assert "Group-name: bilgiislem" in users
        assert "Privacy Protocol: AES128" in users
    else:
        table = conn.send_command("display vlan")
        vlans = {v["vlan_id"]: v for v in parse_output("huawei_vrp", "display vlan", table)}
        assert vlans["100"]["vlan_description"] == "merkez-sunucu"
        assert (vlans["100"]["mode"], vlans["100"]["interface"][0]) == ("UT", "GE0/0/1")
        assert vlans["99"]["interface"] == ["Eth-Trunk1"]  # its PVID; the members are not shown
        assert "GE0/0/40(U)" in table  # (the parser takes two ports of each continuation row)
        assert "XGE0/0/1" not in table
        ports = {p["interface"]: p for p in parse_output(
            "huawei_vrp", "display interface brief",
            conn.send_command("display interface brief"))}  # fmt: skip
        assert ports["GigabitEthernet0/0/48"]["phy"] == "*down"
        assert ports["Eth-Trunk1"]["phy"] == "up"


# --- changes to a configured device ------------------------------------------------------------


def _edit(text: str, edits: list[tuple[str, str, int]]) -> str:
    for old, new, count in edits:
        assert text.count(old) >= count, old
        text = text.replace(old, new, count)
    return text


IOS_PORT = "interface GigabitEthernet1/0/1\n description Masaustu ve IP telefon\n"
IOS_CAMERA = ("IP kamera\n switchport mode access\n switchport access vlan 30\n"
              " spanning-tree portfast\n spanning-tree bpduguard enable\n")
# what changes in the intent, one push each from the previous state:
# [(old, new, count)]
IOS_CHANGES = {
    "access VLAN": [(IOS_PORT + " switchport mode access\n switchport access vlan 10\n",
                     IOS_PORT + " switchport mode access\n switchport access vlan 30\n", 1)],
    "no voice VLAN": [(" switchport access vlan 10\n switchport voice vlan 20\n",
                       " switchport access vlan 10\n", 1)],
    "no VLAN 200": [("vlan 200\n name merkez-misafir\n!\n", "", 1),
                    ("99-100,200\n", "99-100\n", 2)],
    "trunk VLANs": [("allowed vlan 10,20,30,99-100\n!\ninterface Vlan99",
                     "allowed vlan 10,99\n!\ninterface Vlan99", 1)],
    "shutdown": [(IOS_CAMERA + "!", IOS_CAMERA + " shutdown\n!", 1)],
    "no shutdown": [(IOS_CAMERA + " shutdown\n", IOS_CAMERA, 1)],
    "no user": [("username sukru.ozturk privilege 15 secret 0 Golden-Yonetici-1\n", "", 1)],
    "NTP and syslog": [("10.10.100.20\n", "10.10.100.21\n", 2)],
    "banner text": [("access is a criminal offence", "access is a CRIMINAL offence", 1)],
}  # fmt: skip
VRP_PORT = "interface GigabitEthernet0/0/1\n description Sunucu\n port link-type access\n"
VRP_CHANGES = {
    "access VLAN": [(VRP_PORT + " port default vlan 100\n", VRP_PORT + " port default vlan 10\n",
                     1)],
    "no voice VLAN": [(" voice-vlan 20 enable\n", "", 1)],
    "no VLAN 200": [("vlan 200\n description merkez-misafir\n#\n", "", 1),
                    (" 100 200\n", " 100\n", 2)],
    "trunk VLANs": [("allow-pass vlan 10 20 30 99 to 100\n", "allow-pass vlan 10 99\n", 1)],
    "shutdown": [(" port default vlan 10\n stp edged-port enable\n",
                  " port default vlan 10\n stp edged-port enable\n shutdown\n", 1)],
    "undo shutdown": [(" stp edged-port enable\n shutdown\n", " stp edged-port enable\n", 1)],
    "no user": [(" local-user sukru.ozturk password irreversible-cipher Golden-Yonetici-1\n"
                 " local-user sukru.ozturk privilege level 15\n"
                 " local-user sukru.ozturk service-type ssh\n", "", 1),
                ("ssh user sukru.ozturk authentication-type password\n"
                 "ssh user sukru.ozturk service-type stelnet\n", "", 1)],
    "NTP and syslog": [("10.10.100.20\n", "10.10.100.21\n", 2)],
    "header text": [("access is a criminal offence", "access is a CRIMINAL offence", 1)],
}  # fmt: skip


@pytest.mark.parametrize(("name", "changes"), [("sw-merkez-kat3", IOS_CHANGES),
                                               ("sw-merkez-sunucu", VRP_CHANGES)])
def test_changes_pushed_one_by_one(
    tmp_path: Path, name: str, changes: dict[str, list[tuple[str, str, int]]]
) -> None:
    vendor = DEVICES[name][0]
    device = spec(name, config=golden(name))  # starts with the golden configuration
    intended = golden(name)
    with Simulator([device], tmp_path) as sim:
        with connect(sim, name) as conn:
            converge(conn, vendor, intended)  # the initial lines the golden does not have
            for what, edits in changes.items():
                intended = _edit(intended, edits)
                assert converge(conn, vendor, intended), what
            running = conn.send_command(SHOW[vendor])
        assert "sukru.ozturk" not in running
        assert "CRIMINAL" in running
        assert "10.10.100.21" in running and "10.10.100.20" not in running

        # a new password for the automation account, set by hand (net.push compares secrets
        # by presence and does not rotate them): the next login needs it, and nothing differs
        account = {"cisco_ios": [f"username {USER} privilege 15 secret 0 Yeni-Parola-2"],
                   "huawei": ["aaa", f"local-user {USER} password irreversible-cipher "
                              "Yeni-Parola-2", "quit"]}[vendor]  # fmt: skip
        with connect(sim, name) as conn:
            conn.send_config_set(account)
        with pytest.raises(NetmikoAuthenticationException), connect(sim, name):
            pass
        with connect(sim, name, "Yeni-Parola-2") as conn:
            assert left(conn, vendor, intended) == []


# --- a push cut short, and the rollback ------------------------------------------------------


@pytest.mark.parametrize("name", ["sw-merkez-cekirdek", "sw-merkez-sunucu"])
def test_rollback_after_a_dropped_push(tmp_path: Path, name: str) -> None:
    vendor, intended = DEVICES[name][0], golden(name)
    device = spec(name, faults=Faults(drop_after_config_lines=60))
    with Simulator([device], tmp_path) as sim:
        with connect(sim, name) as conn:
            before = conn.send_command(SHOW[vendor])
            change = compare.remediation(before, intended, vendor)
            # the connection is reset: Netmiko sees no more output, its read times out
            with pytest.raises(ReadTimeout):
                send(conn, change, timeout=5)
        with connect(sim, name) as conn:  # the session's own count starts again
            partial = conn.send_command(SHOW[vendor])
            assert partial != before
            assert left(conn, vendor, intended) != []  # half-way
            saved = {"cisco_ios": "show startup-config", "huawei": "display saved-configuration"}
            assert "vlan 10" not in conn.send_command(saved[vendor])  # not saved
            back = converge(conn, vendor, before)  # the rollback: back to the snapshot
            assert back
            assert left(conn, vendor, before) == []
