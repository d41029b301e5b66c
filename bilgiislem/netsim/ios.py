"""The Cisco IOS personality (Netmiko ``cisco_ios``): modes, grammars, configuration format.

Exec mode is ``host>`` (only when the device has an enable secret) or ``host#``;
``configure terminal`` enters ``host(config)#`` and section commands enter their modes
(``host(config-if)#`` ...). The show commands are in ``ios_show.py``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from typing import Any, ClassVar

from bilgiislem.netsim import ios_show
from bilgiislem.netsim.cli import (
    Call,
    CliSession,
    CommandError,
    End,
    Entry,
    Exec,
    Exit,
    Line,
    Negate,
    Section,
    free,
    keyed,
)
from bilgiislem.netsim.config import Node, blocks, rank, render
from bilgiislem.netsim.grammar import Custom, Grammar, Match, MatchError, Token
from bilgiislem.netsim.interfaces import IOS as INTERFACES
from bilgiislem.netsim.vlans import MAX_VLAN, format_ios, parse_ios


def _allowed(how: str) -> Call:
    return Call(lambda s, m: s.allowed(m, how), key=4)


_COMMON: list[Entry] = [
    ("no LINE", Negate()),
    ("do LINE", Exec()),
    ("exit", Exit()),
    ("end", End()),
]

_GLOBAL: list[Entry] = [
    ("hostname WORD", Line(1)),
    ("version WORD", Line(1)),
    ("interface IFACE", Section("config-if")),
    ("vlan <1-4094>", Section("config-vlan")),
    ("vlan internal LINE", Line()),
    ("line con=console <0-0>", Section("config-line")),
    ("line aux <0-0>", Section("config-line")),
    ("line vty <0-1869>", Section("config-line")),
    ("line vty <0-1869> <0-1869>", Section("config-line")),
    ("router ospf <1-65535>", Section("config-router")),
    ("router bgp <1-4294967295>", Section("config-router")),
    ("router eigrp WORD", Section("config-router")),
    ("router rip", Section("config-router")),
    ("ip access-list standard WORD", Section("config-std-nacl")),
    ("ip access-list extended WORD", Section("config-ext-nacl")),
    ("ip dhcp pool WORD", Section("dhcp-config")),
    ("class-map LINE", Section("config-cmap")),
    ("policy-map WORD", Section("config-pmap")),
    ("vrf definition WORD", Section("config-vrf")),
    ("key chain WORD", Section("config-keychain")),
    ("archive", Section("config-archive")),
    ("boot-start-marker", Line()),
    ("boot-end-marker", Line()),
    *keyed(2, "ip domain-name WORD", "ip default-gateway A.B.C.D", "spanning-tree mode WORD"),
    *keyed(2, "enable secret LINE", "enable password LINE", "username WORD LINE", "banner LINE"),
    *keyed(2, "snmp-server location LINE", "snmp-server contact LINE", "clock timezone LINE"),
    *keyed(2, "vtp mode WORD", "vtp domain WORD"),
    *keyed(3, "ip domain name WORD", "snmp-server community WORD"),
    *keyed(3, "snmp-server community WORD LINE"),
    *free("ip", "ip dhcp", "ip domain", "ip access-list", "ipv6", "service", "logging", "ntp"),
    *free("aaa", "clock", "spanning-tree", "snmp-server", "vtp", "crypto", "errdisable"),
    *free("access-list", "cdp", "lldp", "boot", "udld", "mac", "monitor", "port-channel"),
    *free("power", "system", "login", "radius-server", "tacacs-server", "alias", "license"),
    *free("diagnostic", "dot1x", "privilege", "track", "enable"),
    *_COMMON,
]

_INTERFACE: list[Entry] = [
    ("description LINE", Line(1)),
    ("switchport", Line()),
    *keyed(2, "switchport mode access", "switchport mode trunk", "switchport mode dot1q-tunnel"),
    *keyed(2, "switchport mode dynamic auto", "switchport mode dynamic desirable"),
    ("switchport access vlan <1-4094>", Call(lambda s, m: s.access_vlan(m), key=3)),
    ("switchport trunk native vlan <1-4094>", Line(4)),
    ("switchport trunk allowed vlan VLANS", Line(4)),
    ("switchport trunk allowed vlan none", Line(4)),
    ("switchport trunk allowed vlan all", _allowed("all")),
    ("switchport trunk allowed vlan add VLANS", _allowed("add")),
    ("switchport trunk allowed vlan remove VLANS", _allowed("remove")),
    ("switchport trunk allowed vlan except VLANS", _allowed("except")),
    *keyed(3, "switchport trunk encapsulation dot1q", "switchport trunk encapsulation isl"),
    ("switchport trunk encapsulation negotiate", Line(3)),
    ("switchport voice vlan <1-4094>", Line(3)),
    ("switchport nonegotiate", Line()),
    ("switchport port-security", Line()),
    ("shutdown", Line()),
    ("ip address A.B.C.D A.B.C.D", Line(2)),
    ("ip address A.B.C.D A.B.C.D secondary", Line()),
    ("ip address dhcp", Line(2)),
    *keyed(1, "speed WORD", "duplex WORD", "mtu <64-9216>", "load-interval <30-600>"),
    *keyed(1, "bandwidth <1-100000000>", "media-type WORD", "encapsulation LINE"),
    ("channel-group <1-128> mode WORD", Line(1)),
    ("mab", Line()),
    ("negotiation auto", Line()),
    ("keepalive", Line(1)),
    *free("switchport port-security", "ip", "ipv6", "spanning-tree", "power", "storm-control"),
    *free("cdp", "lldp", "service-policy", "dot1x", "authentication", "udld", "logging"),
    *free("standby", "vrrp", "keepalive"),
    *_COMMON,
]

_MODES: dict[str, list[Entry]] = {
    "config": _GLOBAL,
    "config-if": _INTERFACE,
    "config-vlan": [
        *keyed(1, "name WORD", "state WORD", "mtu <1500-18190>", "private-vlan LINE"),
        ("shutdown", Line()),
        ("remote-span", Line()),
        *_COMMON,
    ],
    "config-line": [
        *keyed(1, "login", "login local", "login authentication WORD", "password LINE"),
        *keyed(1, "exec-timeout <0-35791>", "exec-timeout <0-35791> <0-2147483>"),
        *keyed(1, "length <0-512>", "width <0-512>", "session-timeout LINE", "stopbits WORD"),
        *keyed(1, "speed <0-4294967295>", "escape-character LINE", "autocommand LINE"),
        *keyed(1, "absolute-timeout <0-10000>"),
        *keyed(2, "transport input LINE", "transport output LINE", "transport preferred LINE"),
        *keyed(2, "privilege level <0-15>"),
        ("access-class WORD in", Line()),
        ("access-class WORD in vrf-also", Line()),
        ("access-class WORD out", Line()),
        ("exec", Line()),
        ("logging synchronous", Line()),
        *free("logging", "history", "ipv6", "authorization", "accounting"),
        *_COMMON,
    ],
    "config-router": [
        ("address-family LINE", Section("config-router-af")),
        ("log-adjacency-changes", Line()),
        ("auto-summary", Line()),
        *keyed(1, "router-id A.B.C.D", "maximum-paths <1-32>", "version <1-2>"),
        *keyed(1, "default-metric LINE"),
        *free("network", "passive-interface", "neighbor", "redistribute", "area", "bgp"),
        *free("default-information", "log-adjacency-changes", "timers", "distance"),
        *free("distribute-list", "eigrp", "metric", "summary-address"),
        *_COMMON,
    ],
    "config-router-af": [
        ("exit-address-family", Exit()),
        *free("network", "neighbor", "redistribute", "maximum-paths", "aggregate-address"),
        *_COMMON,
    ],
    "config-std-nacl": [*free("permit", "deny", "remark", "<1-2147483647>"), *_COMMON],
    "config-ext-nacl": [*free("permit", "deny", "remark", "<1-2147483647>"), *_COMMON],
    "dhcp-config": [
        *keyed(1, "network LINE", "default-router LINE", "dns-server LINE"),
        *keyed(1, "domain-name WORD", "lease LINE", "netbios-name-server LINE"),
        *free("option"),
        *_COMMON,
    ],
    "config-cmap": [("description LINE", Line(1)), *free("match"), *_COMMON],
    "config-pmap": [
        ("class WORD", Section("config-pmap-c")),
        ("description LINE", Line(1)),
        *_COMMON,
    ],
    "config-pmap-c": [
        *keyed(1, "police LINE", "bandwidth LINE", "priority LINE", "shape LINE"),
        *keyed(1, "service-policy LINE", "queue-limit LINE"),
        *free("set"),
        *_COMMON,
    ],
    "config-vrf": [
        ("address-family ipv4", Section("config-vrf-af")),
        ("address-family ipv6", Section("config-vrf-af")),
        *keyed(1, "rd WORD", "description LINE"),
        *free("route-target"),
        *_COMMON,
    ],
    "config-vrf-af": [("exit-address-family", Exit()), *free("route-target"), *_COMMON],
    "config-keychain": [("key <0-2147483647>", Section("config-keychain-key")), *_COMMON],
    "config-keychain-key": [
        *keyed(1, "key-string LINE", "accept-lifetime LINE", "send-lifetime LINE"),
        *keyed(1, "cryptographic-algorithm WORD"),
        *_COMMON,
    ],
    "config-archive": [
        ("log config", Section("config-archive-log-cfg")),
        ("write-memory", Line()),
        *keyed(1, "path LINE", "maximum <1-14>", "time-period <1-525600>"),
        *_COMMON,
    ],
    "config-archive-log-cfg": [
        ("logging enable", Line()),
        ("hidekeys", Line()),
        *keyed(2, "logging size <1-1000>"),
        *free("notify"),
        *_COMMON,
    ],
}

_USER_EXEC: list[Entry] = [
    ("enable", lambda s, m: s.enable()),
    ("disable", lambda s, m: s.disable()),
    ("terminal length <0-512>", lambda s, m: ""),
    ("terminal width <0-512>", lambda s, m: ""),
    ("terminal monitor", lambda s, m: ""),
    ("terminal no monitor", lambda s, m: ""),
    ("show version", ios_show.version),
    ("show clock", ios_show.clock),
    ("show vlan", ios_show.vlan),
    ("show vlan brief", ios_show.vlan_brief),
    ("show interfaces status", ios_show.interfaces_status),
    ("show ip interface brief", ios_show.ip_interface_brief),
    ("exit", lambda s, m: s.close()),
    ("logout", lambda s, m: s.close()),
]

_PRIVILEGED_EXEC: list[Entry] = [
    *_USER_EXEC,
    ("configure terminal", lambda s, m: s.configure()),
    ("show running-config", ios_show.running_config),
    ("show running-config interface IFACE", ios_show.running_config),
    ("show startup-config", ios_show.startup_config),
    ("write", lambda s, m: s.write_memory()),
    ("write memory", lambda s, m: s.write_memory()),
    ("copy running-config startup-config", lambda s, m: s.copy_run_start()),
]

_TOP_ORDER = [  # print order of the top-level lines; each tuple prints as one block
    ("version", "service"), ("hostname",), ("boot-start-marker", "boot", "boot-end-marker"),
    ("vrf",), ("logging",), ("enable",), ("username", "aaa", "clock", "system"),
    ("ip routing", "ip dhcp", "ip domain", "ip domain-name", "ip name-server", "ipv6"),
    ("vtp",), ("crypto",), ("license",), ("archive",), ("key",), ("spanning-tree",),
    ("errdisable", "port-channel", "lldp", "cdp", "udld"), ("vlan internal",), ("vlan",),
    ("class-map",), ("policy-map",), ("interface",), ("router",),
    ("ip default-gateway", "ip forward-protocol", "ip http", "ip route", "ip"),
    ("ip ssh", "ip access-list"), ("access-list", "snmp-server", "radius-server", "tacacs-server"),
    ("banner",), ("line",), ("ntp", "mac", "monitor"),
]
_INTERFACE_ORDER = [(
    "description", "no switchport", "switchport access", "switchport trunk encapsulation",
    "switchport trunk native", "switchport trunk allowed", "switchport mode",
    "switchport nonegotiate", "switchport voice", "switchport port-security", "switchport",
    "ip address", "no ip address", "ip", "ipv6", "shutdown", "speed", "duplex",
    "channel-group", "spanning-tree",
)]  # fmt: skip
_VIRTUAL_ORDER = ["Loopback", "Tunnel", "Port-channel"]  # before the ports; Vlan after them


class IosSession(CliSession):
    NEGATION = "no"
    ROOT_MODE = "config"
    FILTERS = ("begin", "exclude", "include", "section")
    STORED_NEGATIONS: ClassVar[dict[str, frozenset[str]]] = {
        "config": frozenset({
            "service pad", "service password-encryption", "service config", "service dhcp",
            "aaa new-model", "ip http server", "ip http secure-server", "ip domain lookup",
            "ip domain-lookup", "ip source-route", "ip routing", "ip bootp server",
            "ip gratuitous-arps", "cdp run", "lldp run", "logging console",
        }),
        "config-if": frozenset({
            "ip address", "switchport", "cdp enable", "ip redirects", "ip proxy-arp",
            "ip unreachables", "keepalive", "negotiation auto", "lldp transmit", "lldp receive",
        }),
        "config-line": frozenset({"exec", "login"}),
    }  # fmt: skip
    DEFAULT_MODEL = "WS-C2960X-24TS-L"
    DEFAULT_PORTS = ("GigabitEthernet1/0/1-28",)
    DEFAULT_SOFTWARE = "15.2(7)E8"
    SSH_VERSION = "SSH-2.0-Cisco-1.25"

    @classmethod
    def build_grammars(cls, ports: Sequence[str]) -> dict[str, Grammar]:
        params = {
            "IFACE": Custom("IFACE", INTERFACES.parser(ports)),
            "VLANS": Custom("VLANS", _vlan_list),
        }
        grammars = {mode: Grammar(entries, params) for mode, entries in _MODES.items()}
        grammars["exec"] = Grammar(_PRIVILEGED_EXEC, params)
        grammars["exec-user"] = Grammar(_USER_EXEC, params)
        return grammars

    @classmethod
    def serial_for(cls, name: str) -> str:
        digest = hashlib.sha256(name.encode()).hexdigest().upper()
        return f"FOC{int(digest[:6], 16) % 10000:04d}X{digest[6:9]}"

    # --- prompts, errors ---------------------------------------------------------------------

    def hostname(self) -> str:
        return self.state.running.root.value("hostname") or "Switch"

    def banner(self) -> str:
        return "\n"

    def mode_prompt(self) -> str:
        if self.configuring:
            return f"{self.hostname()}({self.path[-1].label if self.path else 'config'})#"
        return self.hostname() + ("#" if self.privileged else ">")

    def exec_grammar(self) -> Grammar:
        return self.state.grammars["exec" if self.privileged else "exec-user"]

    def error(self, err: MatchError, line: str) -> str:
        if err.kind == "ambiguous":
            return f'% Ambiguous command:  "{line.strip()}"\n'
        if err.kind == "incomplete":
            return "% Incomplete command.\n\n"
        caret = " " * (len(self.prompt()) + err.offset) + "^"
        return f"{caret}\n% Invalid input detected at '^' marker.\n\n"

    def refuse_removal(self, words: tuple[str, ...], line: str) -> None:
        if words[0] == "interface" and len(words) > 1 and not INTERFACES.is_virtual(words[1]):
            raise CommandError("% Removal of physical interfaces is not permitted\n")

    # --- exec commands -----------------------------------------------------------------------

    def enable(self) -> str:
        secret = self.state.spec.enable_secret
        if self.privileged:
            return ""
        if not secret:
            return "% No password set\n\n"
        self._ask_secret(secret, 1)
        return ""

    def _ask_secret(self, secret: str, attempt: int) -> None:
        def answer(typed: str) -> str:
            if hmac.compare_digest(typed.encode(), secret.encode()):
                self.privileged = True
                return ""
            if attempt == 3:
                return "% Bad secrets\n\n"
            self._ask_secret(secret, attempt + 1)
            return ""

        self.ask("Password: ", answer, echo=False)

    def disable(self) -> str:
        self.privileged = False
        return ""

    def configure(self) -> str:
        self.enter_config()
        return "Enter configuration commands, one per line.  End with CNTL/Z.\n"

    def write_memory(self) -> str:
        self.state.save()
        return "Building configuration...\n[OK]\n"

    def copy_run_start(self) -> str:
        def answer(typed: str) -> str:
            if typed.strip() not in ("", "startup-config"):
                return f"%Error opening flash:{typed.strip()} (Permission denied)\n"
            return self.write_memory()

        self.ask("Destination filename [startup-config]? ", answer)
        return ""

    # --- configuration handlers --------------------------------------------------------------

    def access_vlan(self, m: Match) -> str:
        vlan = m.args[0]
        root = self.state.running.root
        output = ""
        if root.child(f"vlan {vlan}") is None:
            root.open_section(f"vlan {vlan}")
            output = f"% Access VLAN does not exist. Creating vlan {vlan}\n"
        self.set_line(self.node(), m.text, 3)
        return output

    def allowed(self, m: Match, how: str) -> str:
        """``switchport trunk allowed vlan all|add|remove|except``: edit the stored list."""
        node = self.node()
        every = set(range(1, MAX_VLAN + 1))
        current = node.value("switchport", "trunk", "allowed", "vlan")
        vlans = every if current is None else parse_ios(current) or set()
        given = parse_ios(m.args[0]) if m.args else set()
        assert given is not None
        vlans = {
            "all": every,
            "add": vlans | given,
            "remove": vlans - given,
            "except": every - given,
        }[how]
        if vlans == every:
            node.remove(["switchport", "trunk", "allowed", "vlan"])
        else:
            text = format_ios(vlans) if vlans else "none"
            self.set_line(node, f"switchport trunk allowed vlan {text}", 4)
        return ""

    # --- configuration text ------------------------------------------------------------------

    def order(self, parent: Node, child: Node) -> tuple[int, Any]:
        words = child.words
        if parent is self.state.running.root:
            position = rank(_TOP_ORDER, words, "no")[1]
            if words[0] == "interface":
                return position, self._interface_order(words[1])
            if words[0] == "vlan" and words[1].isdigit():
                return position, (int(words[1]),)
            return position, ()
        if parent.words[:1] == ["interface"]:
            return rank(_INTERFACE_ORDER, words, "no")[1], ()
        return 0, ()

    def _interface_order(self, name: str) -> tuple[int, int]:
        parts = INTERFACES.split(name)
        kind = parts[0] if parts else ""
        if kind in _VIRTUAL_ORDER:
            return _VIRTUAL_ORDER.index(kind), int(parts[1]) if parts else 0
        if name in self.state.ports:
            return len(_VIRTUAL_ORDER), self.state.ports.index(name)
        return len(_VIRTUAL_ORDER) + 1, int(parts[1]) if parts and parts[1].isdigit() else 0

    def render_config(self) -> str:
        """``!``-separated blocks: each section on its own (the ``line`` ones together), runs
        of single lines of the same kind together; ``end`` at the end."""
        root = self.state.running.root
        nodes = sorted(root.children, key=lambda c: self.order(root, c))
        lines = blocks(nodes, self.order, separator="!", together="line",
                       top_order=_TOP_ORDER, negation="no")
        return "\n".join([*lines, "!", "end"]) + "\n"

    def section_lines(self, node: Node) -> list[str]:
        """One top-level section as IOS prints it (``show running-config interface X``)."""
        return [node.text, *render(node, self.order, 1)]

    def baseline(self) -> str:
        major = self.state.software.split("(")[0]
        ports = "".join(f"interface {p}\n!\n" for p in self.state.ports)
        hostname = self.state.spec.hostname or self.state.spec.name
        return (
            f"!\nversion {major}\nno service pad\nservice timestamps debug datetime msec\n"
            "service timestamps log datetime msec\nno service password-encryption\n!\n"
            f"hostname {hostname}\n!\nboot-start-marker\nboot-end-marker\n!\n"
            "no aaa new-model\nsystem mtu routing 1500\n!\n"
            "spanning-tree mode rapid-pvst\nspanning-tree extend system-id\n!\n"
            f"vlan internal allocation policy ascending\n!\n{ports}"
            "interface Vlan1\n no ip address\n!\nip forward-protocol nd\n"
            "no ip http server\nno ip http secure-server\n!\n"
            "line con 0\nline vty 0 4\n login local\n transport input ssh\n"
            "line vty 5 15\n login local\n transport input ssh\n!\nend\n"
        )

    def skip_when_loading(self, line: str) -> bool:
        return line.startswith("!") or line.strip() == "end"


def _vlan_list(tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
    vlans = parse_ios(tokens[i].text)
    return (format_ios(vlans), i + 1) if vlans else None
