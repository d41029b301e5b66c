"""The Huawei VRP personality (Netmiko ``huawei``): views, grammars, configuration format.

The user view is ``<host>``; ``system-view`` enters ``[host]`` and section commands enter their
views (``[host-GigabitEthernet0/0/1]``, ``[host-vlan10]``). ``quit`` goes up one view,
``return`` (or Ctrl+Z) back to the user view. VLANs are kept as ``vlan N`` sections and printed
the VRP way: one ``vlan batch`` line (consecutive VLANs as ``10 to 12``), plus a ``vlan N``
section for those with settings; ``undo vlan batch`` deletes the VLANs it lists, settings and
all. The display commands are in ``vrp_display.py``.

As on VRP: ``local-user X password irreversible-cipher PLAIN`` is kept and shown as
``$1c$...$`` (``cipher``: ``%^%#...%^%#``); SNMPv3 keys (``snmp-agent usm-user v3 X
authentication-mode sha KEY``) are shown as ``... sha cipher %^%#...%^%#``; ``header login
information "text`` takes the lines up to the one with the closing ``"`` and is shown as typed.
SSH logins need a ``local-user`` with a password and ``service-type ssh``.

The initial configuration is that of a device made ready for SSH management (the local account,
STelnet, AAA on the VTYs), without the lines real VRP shows that a configuration tool can
neither match nor remove (the ``aaa`` default schemes and domains, ``user-interface con 0``...).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any, ClassVar

from bilgiislem.netsim import vrp_display
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
from bilgiislem.netsim.grammar import Custom, Grammar, Match, MatchError, Token, tokenize
from bilgiislem.netsim.interfaces import VRP as INTERFACES
from bilgiislem.netsim.passwords import (
    derived_salt,
    is_hashed,
    vrp_cipher,
    vrp_irreversible,
)
from bilgiislem.netsim.vlans import format_vrp, parse_vrp

_COMMON: list[Entry] = [
    ("undo LINE", Negate()),
    ("display LINE", Exec(skip=0)),
    ("save", Exec(skip=0)),
    ("quit", Exit()),
    ("return", End()),
]

_SYSTEM: list[Entry] = [
    ("sysname WORD", Line(1)),
    ("vlan <1-4094>", Section("vlan", "vlan{1}")),
    ("vlan batch VLANS", Call(lambda s, m: s.vlan_batch(m, create=True),
                              undo=lambda s, m: s.vlan_batch(m, create=False))),
    ("interface IFACE", Section("interface", "{1}")),
    ("user-interface con=console <0-0>", Section("user-interface", "ui-console{2}")),
    ("user-interface vty <0-4>", Section("user-interface", "ui-vty{2}")),
    ("user-interface vty <0-4> <0-4>", Section("user-interface", "ui-vty{2}-{3}")),
    ("aaa", Section("aaa")),
    ("acl number <2000-2999>", Section("acl", "acl-basic-{2}")),
    ("acl number <3000-3999>", Section("acl", "acl-adv-{2}")),
    ("ospf <1-65535>", Section("ospf", "ospf-{1}")),
    ("ospf <1-65535> router-id A.B.C.D", Section("ospf", "ospf-{1}")),
    ("bgp <1-4294967295>", Section("bgp")),
    *keyed(2, "stp mode WORD", "clock timezone LINE"),
    ("header login information LINE", Call(lambda s, m: s.set_header(m), key=2)),
    ("header shell information LINE", Call(lambda s, m: s.set_header(m), key=2)),
    ("snmp-agent", Line()),
    ("snmp-agent usm-user v3 WORD", Line()),
    ("snmp-agent usm-user v3 WORD LINE", Call(lambda s, m: s.usm_user(m), key=5)),
    *free("ip", "ipv6", "stp", "ntp-service", "snmp-agent", "info-center", "dhcp", "telnet"),
    *free("stelnet", "ssh", "sftp", "scp", "http", "lldp", "clock", "header", "dns", "arp"),
    *free("loopback-detect", "port-isolate", "mac-address", "cpu-defend", "rsa", "set"),
    *free("radius-server", "hwtacacs-server", "authentication-profile", "dot1x", "ntp"),
    *_COMMON,
]

_INTERFACE: list[Entry] = [
    ("description LINE", Line(1)),
    *keyed(2, "port link-type access", "port link-type trunk", "port link-type hybrid"),
    ("port link-type dot1q-tunnel", Line(2)),
    ("port default vlan <1-4094>", Call(lambda s, m: s.default_vlan(m), key=3)),
    ("port trunk allow-pass vlan VLANS", Call(lambda s, m: s.allow_pass(m, add=True),
                                              undo=lambda s, m: s.allow_pass(m, add=False))),
    ("port trunk allow-pass vlan all", Line(4)),
    ("port trunk pvid vlan <1-4094>", Line(4)),
    ("shutdown", Line()),
    ("ip address A.B.C.D A.B.C.D", Line(2)),
    ("ip address A.B.C.D <0-32>", Line(2)),
    ("ip address A.B.C.D A.B.C.D sub", Line()),
    ("negotiation auto", Line()),
    *keyed(1, "speed WORD", "duplex WORD", "eth-trunk <0-127>", "mode LINE"),
    *free("port hybrid", "port", "stp", "ip", "ipv6", "lldp", "loopback-detect", "trust"),
    *free("qos", "traffic-filter", "traffic-policy", "storm-control", "poe", "jumboframe"),
    *free("port-security", "mac-limit", "dhcp", "arp", "voice-vlan", "port-isolate", "dot1x"),
    *free("mac-address", "authentication", "ntdp", "ndp"),
    ("portswitch", Line()),
    *_COMMON,
]

_VIEWS: dict[str, list[Entry]] = {
    "system": _SYSTEM,
    "interface": _INTERFACE,
    "vlan": [*keyed(1, "description LINE", "name WORD"), *_COMMON],
    "user-interface": [
        *keyed(1, "authentication-mode WORD", "idle-timeout LINE", "screen-length <0-512>"),
        *keyed(2, "protocol inbound WORD", "history-command max-size <0-256>"),
        *keyed(3, "user privilege level <0-15>", "set authentication password LINE"),
        ("shell", Line()),
        *free("acl"),
        *_COMMON,
    ],
    "aaa": [
        ("local-user WORD LINE", Call(lambda s, m: s.local_user(m), key=3)),
        *free("authentication-scheme", "authorization-scheme", "accounting-scheme", "domain"),
        *_COMMON,
    ],
    "acl": [("description LINE", Line(1)), ("step <1-20>", Line(1)), *free("rule"), *_COMMON],
    "ospf": [
        ("area AREA", Section("ospf-area", "{parent}-area-{1}")),
        *free("import-route", "silent-interface", "default-route-advertise", "preference"),
        *free("bandwidth-reference", "spf-schedule-interval"),
        *_COMMON,
    ],
    "ospf-area": [*free("network", "authentication-mode", "stub", "nssa"), *_COMMON],
    "bgp": [
        ("router-id A.B.C.D", Line(1)),
        ("ipv4-family LINE", Section("bgp-af", "bgp-af-ipv4")),
        *free("peer", "network", "import-route"),
        *_COMMON,
    ],
    "bgp-af": [*free("peer", "network", "import-route", "preference"), *_COMMON],
}

_EXEC: list[Entry] = [
    ("system-view", lambda s, m: s.system_view()),
    ("display current-configuration", vrp_display.current_configuration),
    ("display current-configuration interface IFACE", vrp_display.current_configuration),
    ("display saved-configuration", vrp_display.saved_configuration),
    ("display version", vrp_display.version),
    ("display esn", vrp_display.esn),
    ("display vlan", vrp_display.vlan),
    ("display interface brief", vrp_display.interface_brief),
    ("display clock", vrp_display.clock),
    ("screen-length <0-512> temporary", lambda s, m: s.screen_length()),
    ("save", lambda s, m: s.save()),
    ("quit", lambda s, m: s.close()),
]

_TOP_ORDER = [  # print order of the top-level lines; each tuple prints as one block
    ("sysname",), ("info-center",), ("vlan batch",), ("stp",), ("lldp",),
    ("authentication-profile",), ("dhcp",), ("http",), ("clock",), ("telnet",),
    ("radius-server",), ("hwtacacs-server",), ("vlan",), ("acl",), ("aaa",), ("ntp-service",),
    ("interface",), ("ospf",), ("bgp",), ("ip route-static",), ("ip",), ("snmp-agent",),
    ("stelnet", "ssh", "sftp"), ("header",), ("user-interface",),
]
_INTERFACE_ORDER = [(
    "description", "port link-type", "port trunk pvid", "port trunk allow-pass",
    "port default vlan", "port hybrid", "port", "ip address", "ip", "stp",
)]
_FIRST_INTERFACES = ["Vlanif", "Eth-Trunk"]  # before the ports; the others after them


class VrpSession(CliSession):
    NEGATION = "undo"
    ROOT_MODE = "system"
    FILTERS = ("begin", "exclude", "include")
    STORED_NEGATIONS: ClassVar[dict[str, frozenset[str]]] = {
        "system": frozenset({
            "info-center enable", "http server enable", "http secure-server enable",
            "telnet server enable", "ntp-service enable", "stp enable", "lldp enable",
        }),
        "interface": frozenset({
            "negotiation auto", "portswitch", "stp enable", "lldp enable", "ntdp enable",
            "ndp enable",
        }),
    }  # fmt: skip
    DEFAULTS: ClassVar[dict[str, frozenset[str]]] = {
        "system": frozenset({"http server enable", "http secure-server enable", "stp enable",
                             "info-center enable"}),
        "interface": frozenset({"stp enable", "portswitch"}),
    }
    DEFAULT_MODEL = "S5720-28X-LI-AC"
    DEFAULT_PORTS = ("GigabitEthernet0/0/1-24", "XGigabitEthernet0/0/1-4")
    DEFAULT_SOFTWARE = "V200R019C10SPC500"
    SSH_VERSION = "SSH-2.0-HUAWEI-1.5"

    @classmethod
    def build_grammars(cls, ports: Sequence[str]) -> dict[str, Grammar]:
        params = {
            "IFACE": Custom("IFACE", INTERFACES.parser(ports)),
            "VLANS": Custom("VLANS", _vlan_list),
            "AREA": Custom("AREA", _area),
        }
        grammars = {view: Grammar(entries, params) for view, entries in _VIEWS.items()}
        grammars["exec"] = Grammar(_EXEC, params)
        return grammars

    @classmethod
    def serial_for(cls, name: str) -> str:
        digest = hashlib.sha256(name.encode()).hexdigest().upper()
        return f"2102351931P0{digest[:8]}"

    # --- prompts, errors ---------------------------------------------------------------------

    def hostname(self) -> str:
        return self.state.running.root.value("sysname") or "HUAWEI"

    def banner(self) -> str:
        now = dt.datetime.now(dt.UTC)
        return (
            "\nInfo: The max number of VTY users is 5, and the number\n"
            "      of current VTY users on line is 1.\n"
            f"      The current login time is {now:%Y-%m-%d %H:%M:%S}.\n"
        )

    def mode_prompt(self) -> str:
        if not self.configuring:
            return f"<{self.hostname()}>"
        return f"[{self.hostname()}{'-' + self.path[-1].label if self.path else ''}]"

    def exec_grammar(self) -> Grammar:
        return self.state.grammars["exec"]

    def error(self, err: MatchError, line: str) -> str:
        caret = " " * (len(self.prompt()) + err.offset) + "^"
        what = {
            "ambiguous": "Ambiguous command",
            "incomplete": "Incomplete command",
            "invalid": "Wrong parameter" if err.expects_value else "Unrecognized command",
        }[err.kind]
        return f"{caret}\nError: {what} found at '^' position.\n"

    def refuse_removal(self, words: tuple[str, ...], line: str) -> None:
        if words[0] == "interface" and len(words) > 1 and not INTERFACES.is_virtual(words[1]):
            name = tokenize(line)[2]
            raise MatchError("invalid", name.start, 2, expects_value=True)

    # --- exec commands -----------------------------------------------------------------------

    def system_view(self) -> str:
        self.enter_config()
        return "Enter system view, return user view with Ctrl+Z.\n"

    def screen_length(self) -> str:
        return "Info: The configuration takes effect on the current user terminal interface only.\n"

    def save(self) -> str:
        def answer(typed: str) -> str:
            if typed.strip().lower() not in ("y", "yes"):
                return ""
            self.state.save()
            return (
                "Now saving the current configuration to the slot 0.\n"
                "Info: Save the configuration successfully.\n"
            )

        self.ask("Are you sure to continue?[Y/N]:", answer)
        return "The current configuration will be written to the device.\n"

    def account(self, username: str) -> tuple[str, bool] | None:
        aaa = self.state.running.root.child("aaa")
        password = aaa.value("local-user", username, "password") if aaa else None
        services = (aaa.value("local-user", username, "service-type") or "") if aaa else ""
        if not password or "ssh" not in services.split():
            return None
        return password.split()[-1], True

    # --- configuration handlers --------------------------------------------------------------

    def set_header(self, m: Match) -> str:
        """``header login information "text"``, the text over several lines if the closing
        delimiter (the text's first character) is not on the first."""
        given = m.args[0]
        if self.take_text(f"header {m.words[1]} information", given[0], given[1:], 2):
            return f"Info: Input banner content, and quit with the character '{given[0]}'.\n"
        return ""

    def local_user(self, m: Match) -> str:
        """``local-user X password irreversible-cipher|cipher PLAIN`` is kept hashed/ciphered;
        the other settings of the user as typed."""
        name, words = m.args[0], m.args[1].split()
        if len(words) == 3 and words[:2] in (["password", "irreversible-cipher"],
                                              ["password", "cipher"]):  # fmt: skip
            value = words[2]
            if not is_hashed(value):
                value = vrp_cipher(value) if words[1] == "cipher" else vrp_irreversible(value)
            self.set_line(self.node(), f"local-user {name} password {words[1]} {value}", 3)
        else:
            self.set_line(self.node(), m.text, 3)
        return ""

    def usm_user(self, m: Match) -> str:
        """``snmp-agent usm-user v3 X authentication-mode|privacy-mode ALG [cipher] KEY``: the
        key is kept ciphered; the user's other settings as typed."""
        name, words = m.args[0], m.args[1].split()
        modes = ("authentication-mode", "privacy-mode")
        if words[0] in modes and len(words) in (3, 4) and (len(words) == 3 or words[2] == "cipher"):
            key = words[-1] if is_hashed(words[-1]) else vrp_cipher(words[-1])
            text = f"snmp-agent usm-user v3 {name} {words[0]} {words[1]} cipher {key}"
            self.set_line(self.state.running.root, text, 5)
        else:
            self.set_line(self.state.running.root, m.text, 5)
        return ""

    def vlan_batch(self, m: Match, *, create: bool) -> str:
        """``vlan batch 10 20 to 30`` creates the VLANs; ``undo vlan batch ...`` removes them."""
        found = parse_vrp(tokenize(m.args[0]), 0)
        assert found is not None
        root = self.state.running.root
        for vid in found[0]:
            if create:
                root.open_section(f"vlan {vid}")
            else:
                root.remove(["vlan", str(vid)])
        return ""

    def default_vlan(self, m: Match) -> str:
        if self.state.running.root.child(f"vlan {m.args[0]}") is None and m.args[0] != "1":
            raise CommandError("Error: The VLAN does not exist.\n")
        self.set_line(self.node(), m.text, 3)
        return ""

    def allow_pass(self, m: Match, *, add: bool) -> str:
        """``port trunk allow-pass vlan`` adds to the list; its ``undo`` takes VLANs out."""
        node = self.node()
        current = node.value("port", "trunk", "allow-pass", "vlan")
        found = parse_vrp(tokenize(current), 0) if current and current != "all" else None
        vlans = found[0] if found else set()
        given = parse_vrp(tokenize(m.args[0]), 0)
        assert given is not None
        vlans = vlans | given[0] if add else vlans - given[0]
        node.remove(["port", "trunk", "allow-pass", "vlan"])
        if vlans:
            self.set_line(node, f"port trunk allow-pass vlan {format_vrp(vlans)}", 4)
        return ""

    # --- configuration text ------------------------------------------------------------------

    def order(self, parent: Node, child: Node) -> tuple[int, Any]:
        words = child.words
        if parent is self.state.running.root:
            position = rank(_TOP_ORDER, words, "undo")[1]
            if words[0] == "interface":
                return position, self._interface_order(words[1])
            if words[0] == "vlan" and words[1].isdigit():
                return position, (int(words[1]),)
            return position, ()
        if parent.words[:1] == ["interface"]:
            if words == ["shutdown"]:  # printed after the port settings
                return len(_INTERFACE_ORDER[0]) + 1, ()
            return rank(_INTERFACE_ORDER, words, "undo")[1], ()
        return 0, ()

    def _interface_order(self, name: str) -> tuple[int, int]:
        parts = INTERFACES.split(name)
        kind = parts[0] if parts else ""
        number = int(parts[1]) if parts and parts[1].isdigit() else 0
        if kind in _FIRST_INTERFACES:
            return _FIRST_INTERFACES.index(kind), number
        if name in self.state.ports:
            return len(_FIRST_INTERFACES), self.state.ports.index(name)
        return len(_FIRST_INTERFACES) + 1, number

    def top_level(self) -> list[Node]:
        """The top-level nodes in print order, with the VLANs as one ``vlan batch`` line and
        only the VLAN sections that hold settings."""
        root = self.state.running.root
        vids = [int(n.words[1]) for n in self.state.running.sections("vlan") if n.words[1] != "1"]
        nodes = [n for n in root.children if not (n.words[0] == "vlan" and not n.children)]
        if vids:
            nodes.append(Node(f"vlan batch {format_vrp(vids)}"))
        return sorted(nodes, key=lambda c: self.order(root, c))

    def render_config(self, *, private: bool = False) -> str:
        """``#``-separated blocks (the ``user-interface`` sections together), ``return`` last."""
        lines = [f"!Software Version {self.state.software}",
                 *blocks(self.top_level(), self.order, separator="#", together="user-interface",
                         top_order=_TOP_ORDER, negation="undo")]
        return "\n".join([*lines, "#", "return"]) + "\n"

    def section_lines(self, node: Node) -> list[str]:
        return [node.text, *render(node, self.order, 1)]

    def baseline(self) -> str:
        spec = self.state.spec
        hostname, user = spec.hostname or spec.name, spec.username
        password = vrp_irreversible(spec.password, derived_salt(f"{user}\n{spec.password}", 12))
        ports = "".join(f"interface {p}\n#\n" for p in self.state.ports)
        return (
            f"#\nsysname {hostname}\n#\naaa\n"
            f" local-user {user} password irreversible-cipher {password}\n"
            f" local-user {user} privilege level 15\n local-user {user} service-type ssh\n"
            f"#\n{ports}stelnet server enable\nssh user {user} authentication-type password\n"
            f"ssh user {user} service-type stelnet\n#\nuser-interface vty 0 4\n"
            " authentication-mode aaa\n protocol inbound ssh\n#\nreturn\n"
        )

    def skip_when_loading(self, line: str) -> bool:
        return line.startswith(("!", "#")) or line.strip() == "return"


def _vlan_list(tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
    found = parse_vrp(tokens, i)
    return (format_vrp(found[0]), found[1]) if found else None


def _area(tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
    """An OSPF area as a number or dotted; VRP prints it dotted (``area 0.0.0.0``)."""
    text = tokens[i].text
    if text.isdigit() and int(text) < 2**32:
        n = int(text)
        return ".".join(str(n >> s & 255) for s in (24, 16, 8, 0)), i + 1
    parts = text.split(".")
    if len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts):
        return text, i + 1
    return None
