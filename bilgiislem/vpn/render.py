"""Configurations of the IPsec appliances of remote units, rendered from the same plan as the
hub's strongSwan (role vpn), so both ends agree on peers, proposals and subnet pairs.

- ``fortigate``: FortiOS CLI for a FortiGate (route-based IPsec: phase 1 and one phase 2 per
  subnet pair, static routes through the tunnel with blackhole routes behind them so internal
  traffic never leaves by the internet line, and firewall policies between the tunnel and the
  LAN). The appliance's administrator pastes it; ``vpn.render`` prints it with the pre-shared
  key masked unless asked.
- ``strongswan``: the same connection as swanctl configuration, for a Linux appliance and for
  the lab, where a strongSwan container stands in for the FortiGate.

The proposals are the role vpn's defaults (roles/vpn/defaults/main.yml; a unit test keeps the
two in step): IKEv2, AES-256, SHA-256, DH group 14 with PFS, UDP encapsulation forced.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path

import jinja2

from bilgiislem.vpn.plan import SitePlan, VpnPlan, ipsec_children

TEMPLATES = Path(__file__).parent / "templates"
IKE_PROPOSAL = "aes256-sha256-modp2048"
ESP_PROPOSAL = "aes256-sha256-modp2048"
IKE_LIFETIME = 28800
ESP_LIFETIME = 3600
DPD_DELAY = 30
MASK = "<gizli>"
# FortiOS names when vpn.yml gives none: the first WAN port and the LAN switch of small models.
FORTIGATE_WAN = "wan1"
FORTIGATE_LAN = "internal"


def _netmask(cidr: str) -> str:
    """'10.10.20.0/24' -> '10.10.20.0 255.255.255.0' (FortiOS subnets)."""
    net = ipaddress.IPv4Network(cidr)
    return f"{net.network_address} {net.netmask}"


def environment(**filters: Callable[..., str]) -> jinja2.Environment:
    """The Jinja environment of the device configurations (templates/<vendor>/): plain text,
    strict about undefined values."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters.update(filters)
    return env


def blackholes(plan: VpnPlan, site: SitePlan) -> list[str]:
    """Every internal prefix that is not the site's own: the appliance drops traffic to them
    when no tunnel carries it, instead of sending it to the internet line."""
    return [p for p in plan.through_tunnel(site) if p != plan.tunnel_subnet]


def _context(plan: VpnPlan, site: SitePlan, psk: str | None) -> dict[str, object]:
    if site.type != "ipsec-appliance":
        raise ValueError(f"site {site.code} is {site.type}, not an IPsec appliance")
    pairs = ipsec_children(plan, site)
    return {
        "plan": plan, "site": site, "psk": MASK if psk is None else psk,
        # (appliance side, hub side): the appliance's view of each child SA
        "children": [(remote, local) for local, remote in pairs],
        "remote_prefixes": list(dict.fromkeys(local for local, _ in pairs)),
        "blackholes": blackholes(plan, site),
        "ike_proposal": IKE_PROPOSAL, "esp_proposal": ESP_PROPOSAL,
        "ike_lifetime": IKE_LIFETIME, "esp_lifetime": ESP_LIFETIME, "dpd_delay": DPD_DELAY,
        "wan": site.wan_interface or FORTIGATE_WAN, "lan": site.lan_interface or FORTIGATE_LAN,
    }


def fortigate(plan: VpnPlan, site: SitePlan, psk: str | None = None) -> str:
    """FortiOS CLI for the site's FortiGate; ``psk`` None masks the pre-shared key."""
    return environment(netmask=_netmask).get_template("fortigate/ipsec.conf.j2").render(
        _context(plan, site, psk))


def strongswan(plan: VpnPlan, site: SitePlan, psk: str | None = None) -> str:
    """swanctl configuration of the appliance's side; ``psk`` None masks the key."""
    return environment(netmask=_netmask).get_template("strongswan/appliance.conf.j2").render(
        _context(plan, site, psk))


def appliance(plan: VpnPlan, site: SitePlan, psk: str | None = None) -> str:
    """The configuration of the site's appliance, by its vendor."""
    return {"fortigate": fortigate}.get(site.vendor or "fortigate", fortigate)(plan, site, psk)
