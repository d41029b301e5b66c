"""VRP ``display`` commands, computed from the running configuration.

Every port is taken as cabled: up unless ``shutdown``. VLAN membership follows the link type of
the port or Eth-Trunk (whose members are not listed): an access port is untagged in its ``port
default vlan`` (1 by default), a trunk untagged in its PVID and tagged in its ``allow-pass``
VLANs; other ports are untagged in VLAN 1. The tables follow real VRP closely enough for the
ntc-templates TextFSM parsers.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bilgiislem.netsim.config import Node
from bilgiislem.netsim.grammar import Match, tokenize
from bilgiislem.netsim.interfaces import VRP
from bilgiislem.netsim.vlans import parse_vrp

if TYPE_CHECKING:
    from bilgiislem.netsim.vrp import VrpSession

_RULE = "-" * 80


@dataclass
class _Members:
    untagged: list[str] = field(default_factory=list)
    tagged: list[str] = field(default_factory=list)


def _uptime(seconds: float) -> str:
    minutes = int(seconds // 60)
    weeks, minutes = divmod(minutes, 10080)
    days, minutes = divmod(minutes, 1440)
    hours, minutes = divmod(minutes, 60)
    parts = [(weeks, "week"), (days, "day"), (hours, "hour"), (minutes, "minute")]
    return ", ".join(f"{n} {unit}{'s' if n > 1 else ''}" for n, unit in parts)


def version(s: VrpSession, m: Match) -> str:
    state = s.state
    family = state.model.split("-")[0]
    uptime = _uptime(time.time() - state.booted)
    return (
        "Huawei Versatile Routing Platform Software\n"
        f"VRP (R) software, Version 5.170 ({family} {state.software})\n"
        "Copyright (C) 2000-2020 HUAWEI TECH CO., LTD\n"
        f"HUAWEI {state.model} Routing Switch uptime is {uptime}\n\n"
        f"ES5D2V28S000 0(Master) : uptime is {uptime}\n"
        "DDR             Memory Size : 512   M bytes\n"
        "FLASH Total Memory Size : 512   M bytes\n"
        "FLASH Available Memory Size : 380   M bytes\n"
        "Pcb           Version   : VER.B\n"
        "BootROM       Version   : 020b.0001\n"
        "BootLoad      Version   : 020b.0001\n"
        "CPLD          Version   : 0105\n"
        f"Software      Version   : VRP (R) Software, Version 5.170 ({state.software})\n"
        "FLASH         Version   : 0000.0000\n"
    )


def esn(s: VrpSession, m: Match) -> str:
    return f"ESN of slot 0: {s.state.serial}\n"


def clock(s: VrpSession, m: Match) -> str:
    now = dt.datetime.now(dt.UTC)
    return f"{now:%Y-%m-%d %H:%M:%S}\n{now:%A}\nTime Zone(DefaultZoneName) : UTC\n"


def current_configuration(s: VrpSession, m: Match) -> str:
    if not m.args:
        return s.render_config()
    node = s.state.running.root.child(f"interface {m.args[0]}")
    body = "".join(f"{line}\n" for line in s.section_lines(node)) if node else ""
    return f"#\n{body}#\nreturn\n"


def saved_configuration(s: VrpSession, m: Match) -> str:
    return s.state.startup


def _interface(s: VrpSession, name: str) -> Node:
    return s.state.running.root.child(f"interface {name}") or Node("")


def _vlan_list(text: str | None) -> set[int]:
    found = parse_vrp(tokenize(text), 0) if text else None
    return found[0] if found else set()


def _members(s: VrpSession, existing: set[int]) -> dict[int, _Members]:
    """The ports and Eth-Trunks in each VLAN (a trunk's members are not: the trunk is)."""
    members = {vid: _Members() for vid in existing}
    trunks = [n.words[1] for n in s.state.running.sections("interface")
              if n.words[1].startswith("Eth-Trunk")]
    for name in [*s.state.ports, *trunks]:
        node = _interface(s, name)
        if node.value("eth-trunk") is not None:
            continue
        entry = f"{VRP.short_name(name)}({'D' if node.child('shutdown') else 'U'})"
        link_type = node.value("port", "link-type")
        if link_type == "trunk":
            pvid = int(node.value("port", "trunk", "pvid", "vlan") or 1)
            tagged = _vlan_list(node.value("port", "trunk", "allow-pass", "vlan")) - {pvid}
        else:
            pvid = int(node.value("port", "default", "vlan") or 1) if link_type else 1
            tagged = set()
        if pvid in members:
            members[pvid].untagged.append(entry)
        for vid in sorted(tagged & existing):
            members[vid].tagged.append(entry)
    return members


def _port_rows(prefix: str, ports: list[str]) -> list[str]:
    chunks = [ports[i : i + 4] for i in range(0, len(ports), 4)]
    rows = [" " * 13 + prefix + "".join(f"{p:<16}" for p in chunks[0])]
    rows.extend(" " * 16 + "".join(f"{p:<16}" for p in chunk) for chunk in chunks[1:])
    return [row.rstrip() for row in rows]


def vlan(s: VrpSession, m: Match) -> str:
    sections = {int(n.words[1]): n for n in s.state.running.sections("vlan")}
    vids = sorted({1, *sections})
    members = _members(s, set(vids))
    rows = [
        f"The total number of vlans is : {len(vids)}",
        _RULE,
        "U: Up;         D: Down;         TG: Tagged;         UT: Untagged;",
        "MP: Vlan-mapping;               ST: Vlan-stacking;",
        "#: ProtocolTransparent-vlan;    *: Management-vlan;",
        _RULE,
        "",
        "VID  Type    Ports",
        _RULE,
    ]
    for vid in vids:
        ports = _port_rows("UT:", members[vid].untagged) if members[vid].untagged else []
        ports += _port_rows("TG:", members[vid].tagged) if members[vid].tagged else []
        first = ports[0][13:] if ports else ""
        rows.append(f"{vid:<5}{'common':<8}{first}".rstrip())
        rows.extend(ports[1:])
    rows += ["", "VID  Status  Property      MAC-LRN Statistics Description", _RULE]
    for vid in vids:
        node = sections.get(vid, Node(""))
        description = node.value("description") or f"VLAN {vid:04d}"
        rows.append(f"{vid:<5}{'enable':<8}{'default':<14}{'enable':<8}{'disable':<11}{description}")
    return "".join(f"{row}\n" for row in rows)


def interface_brief(s: VrpSession, m: Match) -> str:
    rows = [
        "PHY: Physical",
        "*down: administratively down",
        "^down: standby",
        "(l): loopback",
        "(s): spoofing",
        "(E): E-Trunk down",
        "(b): BFD down",
        "(B): Bit-error-detection down",
        "(e): ETHOAM down",
        "(d): Dampening Suppressed",
        "InUti/OutUti: input utility/output utility",
        f"{'Interface':<28}{'PHY':<6}{'Protocol':<10}{'InUti':>5}{'OutUti':>7}"
        f"{'inErrors':>11}{'outErrors':>11}",
    ]
    root = s.state.running.root
    interfaces = sorted(s.state.running.sections("interface"), key=lambda n: s.order(root, n))
    for node in [*interfaces, Node("interface NULL0")]:
        name = node.words[1]
        if node.child("shutdown"):
            phy, protocol = "*down", "down"
        else:
            spoofing = name.startswith(("LoopBack", "NULL"))
            phy, protocol = "up", "up(s)" if spoofing else "up"
        rows.append(f"{name:<28}{phy:<6}{protocol:<10}{'0%':>5}{'0%':>7}{0:>11}{0:>11}")
    return "".join(f"{row}\n" for row in rows)
