"""VLAN lists in the two vendors' spellings: IOS ``10,20-22`` and VRP ``10 20 to 22``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bilgiislem.netsim.grammar import Token

MAX_VLAN = 4094


def _ranges(vlans: Iterable[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for v in sorted(set(vlans)):
        if out and v == out[-1][1] + 1:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def parse_ios(text: str) -> set[int] | None:
    """``10,20-22`` → {10, 20, 21, 22}; None if it is not a valid list."""
    vlans: set[int] = set()
    for part in text.split(","):
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            return None
        low, high = int(m[1]), int(m[2] or m[1])
        if not 1 <= low <= high <= MAX_VLAN:
            return None
        vlans.update(range(low, high + 1))
    return vlans


def format_ios(vlans: Iterable[int]) -> str:
    return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in _ranges(vlans))


def parse_vrp(tokens: Sequence[Token], i: int) -> tuple[set[int], int] | None:
    """``10 20 to 22`` from token ``i`` on → ({10, 20, 21, 22}, index after the list)."""
    vlans: set[int] = set()
    while i < len(tokens) and tokens[i].text.isdigit():
        low = high = int(tokens[i].text)
        i += 1
        if i + 1 < len(tokens) and tokens[i].text.lower() == "to" and tokens[i + 1].text.isdigit():
            high = int(tokens[i + 1].text)
            i += 2
        if not 1 <= low <= high <= MAX_VLAN:
            return None
        vlans.update(range(low, high + 1))
    return (vlans, i) if vlans else None


def format_vrp(vlans: Iterable[int]) -> str:
    return " ".join(f"{a}" if a == b else f"{a} to {b}" for a, b in _ranges(vlans))
