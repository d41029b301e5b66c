"""IOS ``show`` commands, computed from the running configuration.

Every port (and port-channel) is taken as cabled: ``connected`` unless ``shutdown``
(``disabled``), ``inactive`` when its access VLAN does not exist. The tables follow the column
layout of real IOS closely enough for the ntc-templates TextFSM parsers that Netmiko's
``use_textfsm`` uses.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bilgiislem.netsim.config import Node
from bilgiislem.netsim.grammar import Match
from bilgiislem.netsim.interfaces import IOS

if TYPE_CHECKING:
    from bilgiislem.netsim.ios import IosSession

_TYPES = {  # short type → (show interfaces status Type, auto speed, show version wording)
    "Gi": ("10/100/1000BaseTX", "a-1000", "Gigabit Ethernet"),
    "Fa": ("10/100BaseTX", "a-100", "FastEthernet"),
    "Te": ("SFP-10GBase-SR", "10G", "Ten Gigabit Ethernet"),
    "Twe": ("SFP-25GBase-SR", "25G", "Twenty Five Gigabit Ethernet"),
    "Fo": ("QSFP-40G-SR4", "40G", "Forty Gigabit Ethernet"),
    "Hu": ("QSFP-100G-SR4", "100G", "Hundred Gigabit Ethernet"),
    "Et": ("10/100BaseTX", "a-100", "Ethernet"),
    "Po": ("", "a-10G", "Port-channel"),
}
_DEFAULT_VLANS = {
    1002: ("fddi-default", "fddi"),
    1003: ("token-ring-default", "tr"),
    1004: ("fddinet-default", "fdnet"),
    1005: ("trnet-default", "trnet"),
}


@dataclass
class Port:
    name: str
    short: str
    description: str
    shutdown: bool
    mode: str  # access, trunk or routed
    vlan: int
    speed: str | None
    duplex: str | None


def ports(s: IosSession, *, channels: bool = False) -> list[Port]:
    """The physical ports, and with ``channels`` the configured port-channels after them."""
    names = list(s.state.ports)
    if channels:
        names += [n.words[1] for n in s.state.running.sections("interface")
                  if n.words[1].startswith("Port-channel") and n.words[1] not in names]
    out = []
    for name in names:
        node = s.state.running.root.child(f"interface {name}") or Node("")
        if node.child("no switchport"):
            mode = "routed"
        else:
            mode = "trunk" if node.value("switchport", "mode") == "trunk" else "access"
        out.append(Port(
            name=name,
            short=IOS.short_name(name),
            description=node.value("description") or "",
            shutdown=node.child("shutdown") is not None,
            mode=mode,
            vlan=int(node.value("switchport", "access", "vlan") or 1),
            speed=node.value("speed"),
            duplex=node.value("duplex"),
        ))  # fmt: skip
    return out


def vlans(s: IosSession) -> dict[int, Node]:
    """The VLANs that exist (1 always), by number."""
    found = {int(n.words[1]): n for n in s.state.running.sections("vlan") if n.words[1].isdigit()}
    return dict(sorted({1: found.get(1, Node("vlan 1")), **found}.items()))


def _vlan_name(vid: int, node: Node) -> str:
    return node.value("name") or ("default" if vid == 1 else f"VLAN{vid:04d}")


def _uptime(seconds: float) -> str:
    minutes = int(seconds // 60)
    parts = []
    for unit, size in (("year", 525600), ("week", 10080), ("day", 1440), ("hour", 60)):
        count, minutes = divmod(minutes, size)
        if count or parts:
            parts.append(f"{count} {unit}{'s' if count != 1 else ''}")
    parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return ", ".join(parts)


def _clock(when: dt.datetime) -> str:
    """``14:32:10 UTC Tue Jun 11 2024``"""
    return f"{when:%H:%M:%S} UTC {when:%a %b} {when.day} {when.year}"


def version(s: IosSession, m: Match) -> str:
    state = s.state
    model = state.model
    family = model.split("-")[1] if model.startswith("WS-") else model.split("-")[0]
    software = state.software
    image = re.sub(r"^(\d+)\.(\d+)\((\w+)\)", r"\1\2-\3.", software)
    booted = dt.datetime.fromtimestamp(state.booted, dt.UTC)
    counts: dict[str, int] = {}
    for port in ports(s):
        wording = _TYPES.get(re.sub(r"[\d/]", "", port.short), ("", "", "Ethernet"))[2]
        counts[wording] = counts.get(wording, 0) + 1
    interfaces = "".join(f"{n} {w} interfaces\n" for w, n in counts.items())
    return (
        f"Cisco IOS Software, {family} Software ({family}-UNIVERSALK9-M), Version {software}, "
        "RELEASE SOFTWARE (fc3)\n"
        "Technical Support: http://www.cisco.com/techsupport\n"
        "Copyright (c) 1986-2023 by Cisco Systems, Inc.\n"
        "Compiled Tue 25-Jul-23 14:04 by mcpre\n\n"
        f"ROM: Bootstrap program is {family} boot loader\n"
        f"BOOTLDR: {family} Boot Loader ({family}-HBOOT-M) Version 15.2(7r)E, "
        "RELEASE SOFTWARE (fc1)\n\n"
        f"{s.hostname()} uptime is {_uptime(time.time() - state.booted)}\n"
        "System returned to ROM by power-on\n"
        f"System restarted at {_clock(booted)}\n"
        f'System image file is "flash:/{family.lower()}-universalk9-mz.{image}.bin"\n'
        "Last reload reason: power-on\n\n\n\n"
        f"cisco {model} (APM86XXX) processor (revision D0) with 524288K bytes of memory.\n"
        f"Processor board ID {state.serial}\n"
        "Last reset from power-on\n"
        "1 Virtual Ethernet interface\n"
        f"{interfaces}"
        "The password-recovery mechanism is enabled.\n\n"
        "512K bytes of flash-simulated non-volatile configuration memory.\n"
        f"Base ethernet MAC Address       : {state.mac.upper()}\n"
        "Motherboard assembly number     : 73-15800-08\n"
        "Model revision number           : D0\n"
        f"Model number                    : {model}\n"
        f"System serial number            : {state.serial}\n\n\n"
        "Switch Ports Model                     SW Version            SW Image\n"
        "------ ----- -----                     ----------            ----------\n"
        f"*    1 {len(state.ports):<5} {model:<25} {software:<21} {family}-UNIVERSALK9-M\n\n\n"
        "Configuration register is 0xF\n\n"
    )


def clock(s: IosSession, m: Match) -> str:
    now = dt.datetime.now(dt.UTC)
    time_of_day, rest = _clock(now).split(" ", 1)
    return f"*{time_of_day}.{now.microsecond // 1000:03d} {rest}\n"


def _vlan_rows(s: IosSession) -> list[str]:
    members: dict[int, list[str]] = {}
    for port in ports(s):
        if port.mode == "access":
            members.setdefault(port.vlan, []).append(port.short)
    rows = []
    for vid, node in vlans(s).items():
        status = "act/lshut" if node.child("shutdown") else "active"
        names = members.get(vid, [])
        chunks = [", ".join(names[i : i + 4]) for i in range(0, len(names), 4)] or [""]
        rows.append(f"{vid:<4} {_vlan_name(vid, node)[:32]:<32} {status:<9} {chunks[0]}")
        rows.extend(" " * 48 + chunk for chunk in chunks[1:])
    rows.extend(f"{vid:<4} {name:<32} act/unsup " for vid, (name, _) in _DEFAULT_VLANS.items())
    return rows


def vlan_brief(s: IosSession, m: Match) -> str:
    head = [
        "",
        "VLAN Name                             Status    Ports",
        "---- -------------------------------- --------- -------------------------------",
    ]
    return _lines([*head, *_vlan_rows(s)])


def vlan(s: IosSession, m: Match) -> str:
    types = [(vid, "enet") for vid in vlans(s)] + [(v, t) for v, (_, t) in _DEFAULT_VLANS.items()]
    return vlan_brief(s, m) + _lines([
        "",
        "VLAN Type  SAID       MTU   Parent RingNo BridgeNo Stp  BrdgMode Trans1 Trans2",
        "---- ----- ---------- ----- ------ ------ -------- ---- -------- ------ ------",
        *(
            f"{vid:<4} {kind:<5} {100000 + vid:<10} 1500  -      -      -        -    -"
            "        0      0   "
            for vid, kind in types
        ),
        "",
        "Remote SPAN VLANs",
        "-" * 78,
        "",
        "",
        "Primary Secondary Type              Ports",
        "------- --------- ----------------- ------------------------------------------",
    ])  # fmt: skip


def interfaces_status(s: IosSession, m: Match) -> str:
    existing = vlans(s)
    rows = ["", f"{'Port':<9} {'Name':<18} {'Status':<12} {'Vlan':<10} {'Duplex':>6} "
            f"{'Speed':>6} Type"]  # fmt: skip
    for port in ports(s, channels=True):
        kind, auto_speed, _ = _TYPES.get(re.sub(r"[\d/]", "", port.short), ("unknown", "auto", ""))
        if port.shutdown:
            status, duplex, speed = "disabled", "auto", "auto"
        else:
            inactive = port.mode == "access" and port.vlan not in existing
            status = "inactive" if inactive else "connected"
            speed = port.speed or auto_speed
            duplex = port.duplex or ("a-full" if speed.startswith("a-") else "full")
        vlan_col = str(port.vlan) if port.mode == "access" else port.mode
        rows.append(
            f"{port.short:<9} {port.description[:18]:<18} {status:<12} {vlan_col:<10} "
            f"{duplex:>6} {speed:>6} {kind}"
        )
    return _lines(rows)


def ip_interface_brief(s: IosSession, m: Match) -> str:
    root = s.state.running.root
    rows = [f"{'Interface':<22} {'IP-Address':<15} OK? Method Status                Protocol"]
    for node in sorted(s.state.running.sections("interface"), key=lambda n: s.order(root, n)):
        address = node.value("ip", "address")
        ip = address.split()[0] if address and address != "dhcp" else "unassigned"
        method = "DHCP" if address == "dhcp" else "manual" if address else "unset"
        down = node.child("shutdown") is not None
        status, proto = ("administratively down", "down") if down else ("up", "up")
        rows.append(f"{node.words[1]:<22} {ip:<15} YES {method:<6} {status:<21} {proto:<8}")
    return _lines(rows)


def running_config(s: IosSession, m: Match) -> str:
    if m.args:
        node = s.state.running.root.child(f"interface {m.args[0]}")
        body = "!\n" + "".join(f"{line}\n" for line in s.section_lines(node)) if node else ""
        body += "end\n"
    else:
        body = s.render_config()
    return f"Building configuration...\n\nCurrent configuration : {len(body)} bytes\n{body}\n"


def is_private(line: str) -> bool:
    """A line IOS keeps (and saves) but never shows in its configuration: SNMPv3 users."""
    return line.startswith("snmp-server user ")


def startup_config(s: IosSession, m: Match) -> str:
    shown = "".join(f"{line}\n" for line in s.state.startup.splitlines() if not is_private(line))
    return f"Using {len(s.state.startup)} out of 524288 bytes\n{shown}\n"


_SNMP_AUTH = {"md5": "MD5", "sha": "SHA"}
_SNMP_PRIV = {"des": "DES", "3des": "3DES", "aes": "AES"}


def snmp_user(s: IosSession, m: Match) -> str:
    """The SNMPv3 users, which the configuration keeps but does not show."""
    engine = "80000009030000" + s.state.mac.replace(":", "").upper()[:10]
    blocks = []
    for node in s.state.running.root.starting_with(["snmp-server", "user"]):
        words = node.words
        auth = _after(words, "auth")
        authentication = _SNMP_AUTH.get(auth[0].lower(), "None") if auth else "None"
        priv = _after(words, "priv")
        privacy = _SNMP_PRIV.get(priv[0].lower(), "None") if priv else "None"
        if privacy == "AES" and len(priv) > 1:
            privacy += priv[1]
        blocks.append(_lines([
            f"User name: {words[2]}",
            f"Engine ID: {engine}",
            "storage-type: nonvolatile\t active",
            f"Authentication Protocol: {authentication}",
            f"Privacy Protocol: {privacy}",
            f"Group-name: {words[3]}",
        ]))  # fmt: skip
    return "\n".join(blocks)


def _after(words: list[str], keyword: str) -> list[str]:
    return words[words.index(keyword) + 1 :] if keyword in words else []


def _lines(rows: Iterable[str]) -> str:
    return "".join(f"{row}\n" for row in rows)
