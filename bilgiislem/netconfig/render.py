"""Render a device's intent with its vendor's templates (templates/<vendor>/<feature>.j2)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import jinja2

from bilgiislem.netconfig.intent import DeviceIntent

TEMPLATES = Path(__file__).parent / "templates"
# The features, one template each, in the order a vendor prints them.
FEATURES = ("base", "banner", "aaa", "vlans", "interfaces", "lags", "management", "ntp",
            "logging", "snmp")
ORDER = {
    # AOS-S defines a LAG (trunk ... trkN) before the VLANs that list it.
    "hp_procurve": ("base", "banner", "aaa", "lags", "interfaces", "vlans", "management",
                    "ntp", "logging", "snmp"),
}


def _vlan_list(ids: tuple[int, ...] | list[int]) -> str:
    """[10, 11, 12, 20] -> '10-12,20' (ranges, as switches print them)."""
    out: list[str] = []
    nums = sorted(ids)
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ",".join(out)


def _vrp_vlan_list(ids: Iterable[int]) -> str:
    """[10, 20, 99, 100] -> '10 20 99 to 100' (VRP prints runs of VLANs as ranges)."""
    return " ".join(x.replace("-", " to ") for x in _vlan_list(list(ids)).split(","))


def _port_list(names: list[str] | tuple[str, ...]) -> str:
    """['1', '2', '3', '7', 'Trk1'] -> '1-3,7,Trk1' (AOS-S port lists)."""
    numbers = sorted(int(n) for n in names if n.isdigit())
    return ",".join([x for x in _vlan_list(numbers).split(",") if x]
                    + [n for n in names if not n.isdigit()])


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["vlan_list"] = _vlan_list
    env.filters["port_list"] = _port_list
    env.filters["vrp_vlan_list"] = _vrp_vlan_list
    return env


def render(intent: DeviceIntent) -> str:
    env = environment()
    parts = [env.get_template(f"{intent.vendor}/{feature}.j2").render(d=intent)
             for feature in ORDER.get(intent.vendor, FEATURES)]
    return "".join(p for p in parts if p.strip())
