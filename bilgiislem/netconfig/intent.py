"""What one switch should be, from the inventory: the data every vendor's templates read."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from functools import cache

import yaml

from bilgiislem import REPO_ROOT
from bilgiislem.inventory import Inventory, models, ports

# The login banner of the servers (role hardening) is the banner of the devices too.
_HARDENING_DEFAULTS = REPO_ROOT / "roles" / "hardening" / "defaults" / "main.yml"
_TURKISH = str.maketrans("şŞğĞıİöÖüÜçÇ", "sSgGiIoOuUcC")


@cache
def banner() -> list[str]:
    """The hardening role's SSH banner, in ASCII (device banners do not take UTF-8)."""
    text = yaml.safe_load(_HARDENING_DEFAULTS.read_text(encoding="utf-8"))["hardening_ssh_banner"]
    return [line.translate(_TURKISH) for line in text.strip().splitlines()]


@dataclass(frozen=True)
class Vlan:
    id: int
    name: str  # the network's name in networks.yml
    purpose: str


@dataclass(frozen=True)
class Interface:
    name: str
    mode: str  # access, trunk, disabled
    description: str = ""
    vlan: int | None = None
    voice_vlan: int | None = None
    vlans: tuple[int, ...] = ()
    native: int | None = None
    edge: bool = False
    port_security: int | None = None
    lag: int | None = None  # member of this LAG (its settings are the LAG's)


@dataclass(frozen=True)
class LagIntent:
    id: int
    members: tuple[str, ...]
    port: Interface  # the LAG's own settings, named by the vendor's template


@dataclass(frozen=True)
class Account:
    name: str
    password: str


@dataclass(frozen=True)
class Snmp:
    user: str
    auth: str
    priv: str


@dataclass(frozen=True)
class Secrets:
    """The device secrets a rendering needs (from the vault; fixed ones in golden tests)."""
    automation: Account
    snmp: Snmp
    admins: tuple[Account, ...] = ()


@dataclass(frozen=True)
class DeviceIntent:
    hostname: str
    vendor: str
    model: str
    domain: str
    vlans: tuple[Vlan, ...]
    interfaces: tuple[Interface, ...]
    lags: tuple[LagIntent, ...]
    mgmt_vlan: int
    mgmt_ip: str
    mgmt_mask: str
    mgmt_prefix: int
    gateway: str | None
    ntp: tuple[str, ...]
    syslog: tuple[str, ...]
    secrets: Secrets
    banner: tuple[str, ...] = field(default_factory=lambda: tuple(banner()))


def _interface(name: str, profile: models.PortProfile, vlans: dict[str, int],
               description: str | None, lag: int | None = None) -> Interface:
    return Interface(
        name=name, mode=profile.mode,
        description=(description or profile.description or "").translate(_TURKISH),
        vlan=vlans[profile.vlan] if profile.vlan else None,
        voice_vlan=vlans["voice"] if profile.voice_vlan else None,
        vlans=tuple(sorted(vlans[v] for v in profile.vlans)),
        native=vlans[profile.native] if profile.native else None,
        edge=profile.edge, port_security=profile.port_security, lag=lag)


def device_intent(inv: Inventory, name: str, secrets: Secrets) -> DeviceIntent:
    d = next(x for x in inv.devices if x.name == name)
    site_nets = [n for n in inv.networks if n.site == d.site and n.vlan is not None]
    by_purpose = {n.purpose: n.vlan for n in site_nets if n.vlan is not None}
    mgmt = inv.network(d.network)
    net = ipaddress.IPv4Network(mgmt.cidr)
    interfaces: list[Interface] = []
    for p in d.ports:
        profile = inv.port_profiles[p.profile]
        interfaces += [_interface(one, profile, by_purpose, p.description)
                       for one in ports.expand(p.name)]
    lags = []
    for lag in d.lags:
        profile = inv.port_profiles[lag.profile]
        members = tuple(m for member in lag.members for m in ports.expand(member))
        interfaces += [_interface(m, profile, by_purpose, lag.description, lag.id)
                       for m in members]
        lags.append(LagIntent(lag.id, members,
                              _interface("", profile, by_purpose, lag.description)))
    return DeviceIntent(
        hostname=d.name, vendor=d.vendor, model=d.model, domain=inv.municipality.domain,
        vlans=tuple(sorted((Vlan(n.vlan, n.name, n.purpose) for n in site_nets
                            if n.vlan is not None), key=lambda v: v.id)),
        interfaces=tuple(interfaces), lags=tuple(lags),
        mgmt_vlan=mgmt.vlan or 1, mgmt_ip=d.ip, mgmt_mask=str(net.netmask),
        mgmt_prefix=net.prefixlen, gateway=mgmt.gateway,
        ntp=tuple(inv.management_ip(h) for h in inv.hosts_with_role("ntp_server")),
        syslog=tuple(inv.management_ip(h) for h in inv.hosts_with_role("log_collector")),
        secrets=secrets)
