"""The Cisco IOS personality (Netmiko ``cisco_ios``): modes, grammars, configuration format.

Exec mode is ``host#`` for an account with ``privilege 15``, else ``host>`` (then ``enable``
asks for the ``enable secret``); ``configure terminal`` enters ``host(config)#`` and section
commands enter their modes (``host(config-if)#`` ...). The show commands are in ``ios_show.py``.

As on IOS: ``username X secret 0 PLAIN`` (or ``secret PLAIN``) is kept and shown as ``secret 9
$9$...`` (a type 9 hash; settings of one user merge into one line), ``enable secret`` likewise;
``snmp-server user`` lines are kept (and saved) but never shown in the configuration, only by
``show snmp user``; ``banner login ^`` takes the lines up to the one with the delimiter
(``Enter TEXT message...``) and is shown with the delimiter as it was typed (``^``, ``^C``, ``#``),
which keeps the comparison of a template with the running configuration exact.

The initial configuration is that of a device made ready for SSH management (AAA with the local
account, SSH only on the VTYs), without the lines real IOS shows that a configuration tool
can neither match nor remove (``boot-start-marker``, ``line con 0``, ``interface Vlan1``...).
"""

from __future__ import annotations

import hashlib
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
from bilgiislem.netsim.passwords import derived_salt, ios_type9, verify
from bilgiislem.netsim.vlans import MAX_VLAN, format_ios, parse_ios

_BANNERS = ("login", "motd", "exec", "incoming")
_SECRET_TYPES = {"secret": ("0", "5", "8", "9"), "password": ("0", "7")}
_USER_WORDS = ("privilege", "secret", "password", "algorithm-type")


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
    ("enable secret LINE", Call(lambda s, m: s.enable_secret(m), key=2)),
    ("enable password LINE", Line(2)),
    ("username WORD LINE", Call(lambda s, m: s.username(m), key=2)),
    *[(f"banner {kind} LINE", Call(lambda s, m: s.set_banner(m), key=2)) for kind in _BANNERS],
    ("snmp-server user WORD WORD LINE", Line(4)),
    *keyed(2, "snmp-server location LINE", "snmp-server contact LINE", "clock timezone LINE"),
    *keyed(2, "vtp mode WORD", "vtp domain WORD", "logging trap WORD"),
    *keyed(3, "service timestamps debug LINE", "service timestamps log LINE"),
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
    ("channel-group <1-128> mode WORD", Call(lambda s, m: s.channel_group(m), key=1)),
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
    ("show snmp user", ios_show.snmp_user),
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
    DEFAULTS: ClassVar[dict[str, frozenset[str]]] = {
        "config": frozenset({
            "service pad", "service dhcp", "ip domain lookup", "ip domain-lookup",
            "ip source-route", "ip bootp server", "ip gratuitous-arps", "cdp run",
            "logging trap informational",
        }),
        "config-if": frozenset({
            "switchport", "cdp enable", "ip redirects", "ip proxy-arp", "ip unreachables",
            "keepalive",
        }),
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

    def account(self, username: str) -> tuple[str, bool] | None:
        line = self.state.running.root.value("username", username)
        settings = _user_settings(line.split()) if line is not None else {}
        auth = settings.get("auth", "").split(" ", 2)
        if len(auth) < 3:
            return None
        return auth[2], settings.get("privilege") == "15"

    def enable(self) -> str:
        root = self.state.running.root
        secret = root.value("enable", "secret") or root.value("enable", "password")
        if self.privileged:
            return ""
        if not secret:
            return "% No password set\n\n"
        words = secret.split(" ", 1)
        self._ask_secret(words[1] if len(words) == 2 and words[0].isdigit() else secret, 1)
        return ""

    def _ask_secret(self, secret: str, attempt: int) -> None:
        def answer(typed: str) -> str:
            if verify(secret, typed):
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

    def username(self, m: Match) -> str:
        """``username X [privilege N] [secret|password [type] VALUE]``: merged into the user's
        line; a secret typed in clear (type 0) is kept as its type 9 hash."""
        name, root = m.args[0], self.state.running.root
        try:
            typed = _user_settings(m.args[1].split())
        except ValueError:
            raise CommandError("% Invalid input detected at '^' marker.\n\n") from None
        if typed.get("auth", "").startswith("secret 0 "):
            typed["auth"] = f"secret 9 {ios_type9(typed['auth'].split(' ', 2)[2])}"
        current = root.value("username", name)
        settings = {**(_user_settings(current.split()) if current else {}), **typed}
        privilege = settings.get("privilege", "1")
        text = f"username {name}" + (f" privilege {privilege}" if privilege != "1" else "")
        self.set_line(root, " ".join([text, settings.get("auth", "")]).rstrip(), 2)
        return ""

    def enable_secret(self, m: Match) -> str:
        words = m.args[0].split()
        typ, value = _typed_secret("secret", words)
        if not value:
            return "% Incomplete command.\n\n"
        stored = f"9 {ios_type9(value)}" if typ == "0" else f"{typ} {value}"
        self.set_line(self.state.running.root, f"enable secret {stored}", 2)
        return ""

    def set_banner(self, m: Match) -> str:
        """``banner login ^`` + lines + ``^`` (or ``banner login ^text^``); ``^C`` typed as two
        characters is one delimiter, as in what ``show running-config`` prints."""
        given = m.args[0]
        delimiter = "^C" if given.startswith("^C") else given[0]
        if self.take_text(f"banner {m.words[1]}", delimiter, given[len(delimiter) :], 2):
            return f"Enter TEXT message.  End with the character '{delimiter[0]}'.\n"
        return ""

    def channel_group(self, m: Match) -> str:
        """A port joins a channel: the ``Port-channel`` interface is created if needed."""
        self.set_line(self.node(), m.text, 1)
        channel = f"interface Port-channel{m.args[0]}"
        if self.state.running.root.child(channel) is not None:
            return ""
        self.state.running.root.open_section(channel)
        return f"Creating a port-channel interface Port-channel {m.args[0]}\n"

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

    def render_config(self, *, private: bool = False) -> str:
        """``!``-separated blocks: each section on its own (the ``line`` ones together), runs
        of single lines of the same kind together; ``end`` at the end."""
        root = self.state.running.root
        shown = [c for c in root.children if private or not ios_show.is_private(c.text)]
        nodes = sorted(shown, key=lambda c: self.order(root, c))
        lines = blocks(nodes, self.order, separator="!", together="line",
                       top_order=_TOP_ORDER, negation="no")
        return "\n".join([*lines, "!", "end"]) + "\n"

    def section_lines(self, node: Node) -> list[str]:
        """One top-level section as IOS prints it (``show running-config interface X``)."""
        return [node.text, *render(node, self.order, 1)]

    def baseline(self) -> str:
        spec, major = self.state.spec, self.state.software.split("(")[0]
        ports = "".join(f"interface {p}\n!\n" for p in self.state.ports)
        hostname = spec.hostname or spec.name
        secret = ios_type9(spec.password, derived_salt(f"{spec.username}\n{spec.password}", 14))
        enable = ""
        if spec.enable_secret:  # the account lands in user mode; `enable` asks for this
            salt = derived_salt(spec.enable_secret, 14)
            enable = f"enable secret 9 {ios_type9(spec.enable_secret, salt)}\n!\n"
        privilege = "" if spec.enable_secret else " privilege 15"
        return (
            f"!\nversion {major}\nno service pad\nservice timestamps debug datetime msec\n"
            "service timestamps log datetime msec\nno service password-encryption\n!\n"
            f"hostname {hostname}\n!\n{enable}aaa new-model\n"
            "aaa authentication login default local\naaa authorization exec default local\n!\n"
            f"username {spec.username}{privilege} secret 9 {secret}\n!\n"
            f"spanning-tree mode rapid-pvst\n!\n{ports}"
            "no ip http server\nno ip http secure-server\nip ssh version 2\n!\n"
            "line vty 0 4\n transport input ssh\nline vty 5 15\n transport input ssh\n!\nend\n"
        )

    def skip_when_loading(self, line: str) -> bool:
        return line.startswith("!") or line.strip() == "end"


def _vlan_list(tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
    vlans = parse_ios(tokens[i].text)
    return (format_ios(vlans), i + 1) if vlans else None


def _typed_secret(word: str, words: Sequence[str]) -> tuple[str, str]:
    """``[type] VALUE`` after ``secret``/``password`` → (type, value); type 0 if not given."""
    if len(words) > 1 and words[0] in _SECRET_TYPES[word]:
        return words[0], " ".join(words[1:])
    return "0", " ".join(words)


def _user_settings(words: Sequence[str]) -> dict[str, str]:
    """The settings of a ``username`` line after the name (``privilege 15 secret 9 $9$...``,
    keywords abbreviated or not) → {"privilege": "15", "auth": "secret 9 $9$..."}."""
    settings: dict[str, str] = {}
    i = 0
    while i < len(words):
        found = [w for w in _USER_WORDS if w.startswith(words[i].lower())]
        if len(found) != 1 or i + 1 == len(words):
            raise ValueError(words[i])
        if found[0] == "privilege":
            if not words[i + 1].isdigit() or int(words[i + 1]) > 15:
                raise ValueError(words[i + 1])
            settings["privilege"] = str(int(words[i + 1]))
        elif found[0] in _SECRET_TYPES:
            typ, value = _typed_secret(found[0], words[i + 1 :])
            settings["auth"] = f"{found[0]} {typ} {value}"
            break
        i += 2  # algorithm-type scrypt|sha256|md5: the hash is type 9 anyway
    return settings
