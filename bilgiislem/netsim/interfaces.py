"""Interface names: abbreviations (``gi0/1``, ``Vlan 20``), short forms, port-list ranges."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bilgiislem.netsim.grammar import Token
from bilgiislem.netsim.vlans import MAX_VLAN

_NAME = re.compile(r"([A-Za-z][A-Za-z-]*?)\s*(\d+(?:/\d+)*)")


@dataclass(frozen=True)
class InterfaceTypes:
    """The interface types of one vendor.

    ``short`` maps each type to the short form ``show`` tables use (``Gi``, ``GE``);
    ``virtual`` maps the types that configuration creates (``Vlan``) to their number range.
    """

    short: dict[str, str]
    virtual: dict[str, tuple[int, int]]

    def split(self, text: str) -> tuple[str, str] | None:
        """``gi1/0/1`` → (``GigabitEthernet``, ``1/0/1``), the type spelled out."""
        m = _NAME.fullmatch(text)
        if not m:
            return None
        typed = m[1].lower()
        exact = [t for t in self.short if t.lower() == typed]
        found = exact or [t for t in self.short if t.lower().startswith(typed)]
        return (found[0], m[2]) if len(found) == 1 else None

    def canonical(self, text: str, physical: Collection[str]) -> str | None:
        """The full name of an existing port or of a valid virtual interface, else None."""
        parts = self.split(text)
        if parts is None:
            return None
        kind, number = parts
        if kind in self.virtual:
            low, high = self.virtual[kind]
            ok = number.isdigit() and low <= int(number) <= high
            return f"{kind}{int(number)}" if ok else None
        name = kind + number
        return name if name in physical else None

    def short_name(self, name: str) -> str:
        parts = self.split(name)
        return self.short[parts[0]] + parts[1] if parts else name

    def is_virtual(self, name: str) -> bool:
        parts = self.split(name)
        return parts is not None and parts[0] in self.virtual

    def parser(self, physical: Collection[str]) -> _Parser:
        return _Parser(self, physical)


@dataclass(frozen=True)
class _Parser:
    """Grammar parameter for an interface name typed as one token or two (``Vlan 20``)."""

    types: InterfaceTypes
    physical: Collection[str]

    def __call__(self, tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
        name = self.types.canonical(tokens[i].text, self.physical)
        if name is not None:
            return name, i + 1
        if i + 1 < len(tokens):
            name = self.types.canonical(tokens[i].text + tokens[i + 1].text, self.physical)
            if name is not None:
                return name, i + 2
        return None


IOS = InterfaceTypes(
    short={
        "GigabitEthernet": "Gi",
        "FastEthernet": "Fa",
        "TenGigabitEthernet": "Te",
        "TwentyFiveGigE": "Twe",
        "FortyGigabitEthernet": "Fo",
        "HundredGigE": "Hu",
        "Ethernet": "Et",
        "Port-channel": "Po",
        "Loopback": "Lo",
        "Tunnel": "Tu",
        "Vlan": "Vl",
    },
    virtual={
        "Port-channel": (1, 128),
        "Loopback": (0, 2147483647),
        "Tunnel": (0, 2147483647),
        "Vlan": (1, MAX_VLAN),
    },
)

VRP = InterfaceTypes(
    short={
        "GigabitEthernet": "GE",
        "XGigabitEthernet": "XGE",
        "MultiGE": "MultiGE",
        "Ethernet": "Eth",
        "Eth-Trunk": "Eth-Trunk",
        "LoopBack": "LoopBack",
        "Tunnel": "Tunnel",
        "Vlanif": "Vlanif",
    },
    virtual={
        "Eth-Trunk": (0, 127),
        "LoopBack": (0, 1023),
        "Tunnel": (0, 511),
        "Vlanif": (1, MAX_VLAN),
    },
)


def expand_ports(specs: Sequence[str]) -> list[str]:
    """``GigabitEthernet1/0/1-4`` → the four ports; names without a range stay as they are."""
    ports: list[str] = []
    for spec in specs:
        m = re.fullmatch(r"(.*?)(\d+)-(\d+)", spec)
        if m:
            ports.extend(f"{m[1]}{n}" for n in range(int(m[2]), int(m[3]) + 1))
        else:
            ports.append(spec)
    return ports
