"""The site-to-site VPN derived from the inventory: who peers with whom, which prefixes go
through which tunnel, and what each remote unit may reach at the centre.

Everything here is computed from the validated inventory (``vpn.yml``, ``networks.yml``,
``hosts.yml``); the role ``vpn``, the MikroTik and FortiGate renderers, ``vpn.status`` and the
lab all read this one plan, so a prefix changed in ``networks.yml`` reaches the hub's routes,
every spoke's AllowedIPs, the firewall and the appliance configurations in the same deploy.

The policy:

- A remote unit sends everything internal through the tunnel (every non-WAN network of the
  other sites and of the centre, and the tunnel subnet): private traffic never leaks to the
  internet line, and the hub decides.
- The hub forwards from a remote unit only to what ``access`` allows (and to the remote units
  of its ``site_links``); everything else from it is dropped and logged. Traffic from the centre
  to a remote unit is not restricted (the centre manages the sites).
- A WireGuard spoke lets in, from the tunnel, only the centre and its linked sites.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from bilgiislem.cameras import plan as camplan
from bilgiislem.inventory import Inventory, firewall, models
from bilgiislem.pbx import plan as pbxplan

# The vault's variables (bilgiislem/secrets.py generates them): a WireGuard key pair
# {private, public} per site code (the hub's under the central site's code), and a pre-shared
# key per IPsec appliance site.
WIREGUARD_KEYS = "vault_vpn_wireguard_keys"
IPSEC_PSKS = "vault_vpn_ipsec_psks"
# Access keywords -> the host role whose hosts (and services) they name.
KEYWORD_ROLES = {"dns": "directory", "ntp": "ntp_server", "syslog": "log_collector",
                 "pbx": "pbx"}
# Which of the role's services a keyword opens (firewall.ROLE_SERVICES names); None: all.
KEYWORD_SERVICES: dict[str, tuple[str, ...] | None] = {
    "dns": ("dns", "dns-tcp"), "ntp": None, "syslog": None, "pbx": None,
}


@dataclass(frozen=True)
class Allow:
    """One destination a remote unit may reach: a prefix, and a protocol and ports or all."""
    to: str
    comment: str
    proto: str = ""  # "", "tcp", "udp" or "icmp"
    ports: str = ""  # "53", "10000-20000"; "" with tcp/udp: every port

    def as_dict(self) -> dict[str, str]:
        out = {"to": self.to, "comment": self.comment}
        if self.proto:
            out["proto"] = self.proto
        if self.ports:
            out["ports"] = self.ports
        return out


@dataclass(frozen=True)
class SitePlan:
    code: str
    name: str
    type: str
    lans: tuple[str, ...]  # CIDRs
    lan_networks: tuple[str, ...]  # their names in networks.yml
    access: tuple[Allow, ...]
    links: tuple[str, ...]  # codes of the remote units it may reach
    gateway: str | None = None  # linux-wireguard: host name
    tunnel_ip: str | None = None
    endpoint: str | None = None
    listen_port: int = 51820
    management: str | None = None
    public_key: str | None = None  # given in vpn.yml (key made on the router)
    wan_interface: str | None = None
    lan_interface: str | None = None
    vendor: str | None = None

    @property
    def wireguard(self) -> bool:
        return self.type in ("linux-wireguard", "mikrotik-wireguard")

    @property
    def sources(self) -> tuple[str, ...]:
        """Addresses traffic from this unit comes from: its tunnel address and its LANs."""
        return ((f"{self.tunnel_ip}/32",) if self.tunnel_ip else ()) + self.lans


@dataclass(frozen=True)
class VpnPlan:
    hub: str  # host name
    hub_site: str  # site code (the hub's key in the vault)
    public_address: str
    tunnel_subnet: str
    hub_tunnel_ip: str
    listen_port: int
    mtu: int
    keepalive: int
    down_after_minutes: int
    userspace_esp: bool
    central: tuple[str, ...]  # the centre's prefixes the tunnels carry
    internal: tuple[tuple[str, str], ...]  # (site code, prefix) of every non-WAN network
    sites: tuple[SitePlan, ...] = field(default_factory=tuple)
    # The camera networks' isolation, enforced on the hub (the centre's router).
    cameras: camplan.Isolation | None = None

    def site(self, code: str) -> SitePlan:
        return next(s for s in self.sites if s.code == code)

    @property
    def prefix_len(self) -> int:
        return ipaddress.IPv4Network(self.tunnel_subnet).prefixlen

    def through_tunnel(self, site: SitePlan) -> list[str]:
        """What a remote unit routes into its tunnel: the tunnel subnet and every internal
        prefix that is not its own."""
        return [self.tunnel_subnet] + [p for code, p in self.internal if code != site.code]

    def reach(self, site: SitePlan) -> list[str]:
        """Prefixes a remote unit lets in from the tunnel: the centre, the tunnel subnet and
        its linked units."""
        out = [self.tunnel_subnet, *self.central]
        for code in site.links:
            out += self.site(code).sources
        return out


def _central_hosts(inv: Inventory) -> list[models.Host]:
    central = {s.code for s in inv.sites if s.type == "central"}
    return [h for h in inv.hosts if h.site in central]


def _host_ips(inv: Inventory, host: models.Host) -> list[str]:
    return [x.ip for x in host.interfaces if inv.network(x.network).purpose != "wan"]


def key_holders(plan: VpnPlan) -> list[str]:
    """Site codes whose WireGuard key pair the vault holds: the hub's, every Linux spoke's,
    and every MikroTik site that did not give the public key of a key made on the router."""
    return [plan.hub_site] + [s.code for s in plan.sites
                              if s.type == "linux-wireguard"
                              or (s.type == "mikrotik-wireguard" and not s.public_key)]


def public_keys(vault: dict[str, object]) -> dict[str, str]:
    """Site code -> WireGuard public key, from the vault's key pairs."""
    pairs = vault.get(WIREGUARD_KEYS) or {}
    assert isinstance(pairs, dict)
    return {code: str(pair.get("public", "")) for code, pair in pairs.items()
            if isinstance(pair, dict)}


def access_rules(inv: Inventory, entries: list[str]) -> list[Allow]:
    """The destinations of ``access`` entries (keywords, central hosts or networks)."""
    central_hosts = _central_hosts(inv)
    central_sites = {s.code for s in inv.sites if s.type == "central"}
    out: list[Allow] = []
    for entry in entries:
        if entry == "servers":
            out += [Allow(n.cidr, f"servers: {n.name}") for n in inv.networks
                    if n.site in central_sites and n.purpose == "server"]
        elif entry in KEYWORD_ROLES:
            role = KEYWORD_ROLES[entry]
            wanted = KEYWORD_SERVICES[entry]
            for h in central_hosts:
                if role not in h.roles:
                    continue
                # the exchange's ports come from pbx.yml (SIP transport), not the role table
                base = (pbxplan.firewall_services(inv, h.name) if role == "pbx"
                        else firewall.ROLE_SERVICES[role])
                services = [s for s in base if wanted is None or s.name in wanted]
                for ip in _host_ips(inv, h):
                    out += [Allow(f"{ip}/32", f"{entry}: {h.name}", s.proto, str(s.port))
                            for s in services]
                    out.append(Allow(f"{ip}/32", f"{entry}: {h.name} (ping)", "icmp"))
        elif any(h.name == entry for h in central_hosts):
            host = inv.host(entry)
            out += [Allow(f"{ip}/32", f"host: {entry}") for ip in _host_ips(inv, host)]
        else:
            net = inv.network(entry)
            out.append(Allow(net.cidr, f"network: {entry}"))
    seen: set[Allow] = set()
    return [a for a in out if not (a in seen or seen.add(a))]  # type: ignore[func-returns-value]


def default_lans(inv: Inventory, code: str) -> list[str]:
    """A site's networks that go through the tunnel unless vpn.yml lists them: every network
    of the site but the WAN and guest ones (guests never reach the centre)."""
    return [n.name for n in inv.networks if n.site == code and n.purpose not in ("wan", "guest")]


def build(inv: Inventory) -> VpnPlan | None:
    """The plan of a validated inventory; None without vpn.yml."""
    v = inv.vpn
    if v is None:
        return None
    hub = inv.host(v.hub)
    public = v.public_address or next(
        x.ip for x in hub.interfaces if inv.network(x.network).purpose == "wan")
    subnet = ipaddress.IPv4Network(v.tunnel_subnet)
    links: dict[str, list[str]] = {}
    for a, b in v.site_links:
        links.setdefault(a, []).append(b)
        links.setdefault(b, []).append(a)
    sites = []
    for s in v.sites:
        lan_names = s.lans if s.lans is not None else default_lans(inv, s.site)
        sites.append(SitePlan(
            code=s.site, name=inv.site(s.site).name, type=s.type,
            lans=tuple(inv.network(n).cidr for n in lan_names), lan_networks=tuple(lan_names),
            access=tuple(access_rules(inv, s.access if s.access is not None else v.access)),
            links=tuple(links.get(s.site, [])), gateway=s.gateway, tunnel_ip=s.tunnel_ip,
            endpoint=s.endpoint, listen_port=s.listen_port, management=s.management,
            public_key=s.public_key, wan_interface=s.wan_interface,
            lan_interface=s.lan_interface,
            vendor=s.vendor or ("fortigate" if s.type == "ipsec-appliance" else None)))
    central_sites = {s.code for s in inv.sites if s.type == "central"}
    # What the tunnels carry: every internal network, but not the centre's camera networks,
    # which no remote unit may reach (a unit's own cameras are carried: the central recorder
    # records them), nor guest networks (public Wi-Fi goes to the internet where it is).
    carried = [n for n in inv.networks if n.purpose not in ("wan", "guest")
               and not (n.purpose == "camera" and n.site in central_sites)]
    return VpnPlan(
        hub=hub.name, hub_site=hub.site, public_address=public, tunnel_subnet=v.tunnel_subnet,
        hub_tunnel_ip=v.tunnel_ip or str(subnet.network_address + 1),
        listen_port=v.listen_port, mtu=v.mtu, keepalive=v.keepalive,
        down_after_minutes=v.down_after_minutes, userspace_esp=v.ipsec_userspace_esp,
        central=tuple(n.cidr for n in carried if n.site in central_sites),
        internal=tuple((n.site or "", n.cidr) for n in carried),
        sites=tuple(sites), cameras=camplan.isolation(inv))


# --- what each Linux gateway gets (role vpn) ---------------------------------------------------


def firewall_services(plan: VpnPlan, host: str) -> tuple[firewall.Service, ...]:
    """The ports a gateway opens to the internet: WireGuard's on the hub and on spokes that
    have an endpoint (the hub dials them too), and IKE with NAT-T on a hub with IPsec sites
    (ESP always goes in UDP, so no other protocol is needed)."""
    if host == plan.hub:
        out = [firewall.Service("wireguard", "udp", plan.listen_port, "any")]
        if any(s.type == "ipsec-appliance" for s in plan.sites):
            out += [firewall.Service("ike", "udp", 500, "any"),
                    firewall.Service("ipsec-nat-t", "udp", 4500, "any")]
        return tuple(out)
    return tuple(firewall.Service("wireguard", "udp", s.listen_port, "any")
                 for s in plan.sites if s.gateway == host and s.endpoint)


def _zone(name: str, sources: list[str], allow: list[Allow]) -> dict[str, object]:
    """A forwarding zone; its sources merged (a linked unit's tunnel address inside the tunnel
    subnet would be an overlapping element of nftables' interval set)."""
    merged = ipaddress.collapse_addresses(ipaddress.IPv4Network(p) for p in sources)
    return {"name": name, "sources": [str(n) for n in merged],
            "allow": [a.as_dict() for a in allow]}


def ipsec_children(plan: VpnPlan, site: SitePlan) -> list[tuple[str, str]]:
    """(hub side, site side) prefix pairs of an IPsec site: one child SA each, as FortiGate
    negotiates one selector pair per phase 2. The hub side: the centre and the LANs of the
    units the site is linked to."""
    local = list(plan.central)
    for code in site.links:
        local += plan.site(code).lans
    return [(a, b) for a in local for b in site.lans]


def hub_vars(plan: VpnPlan, public_keys: dict[str, str]) -> dict[str, object]:
    """Role vpn variables of the hub. ``public_keys``: WireGuard public key per site code
    (from the vault), for the sites that did not give their own."""
    peers = []
    zones = []
    for s in plan.sites:
        allow = list(s.access)
        for code in s.links:
            other = plan.site(code)
            allow += [Allow(p, f"site link: {code}") for p in other.sources]
        zones.append(_zone(s.code, list(s.sources), allow))
        if not s.wireguard:
            continue
        peer: dict[str, object] = {
            "name": s.code, "description": s.name,
            "public_key": s.public_key or public_keys.get(s.code, ""),
            "allowed_ips": list(s.sources),
        }
        if s.endpoint:
            peer["endpoint"] = f"{s.endpoint}:{s.listen_port}"
        peers.append(peer)
    ipsec = []
    for s in plan.sites:
        if s.type != "ipsec-appliance":
            continue
        ipsec.append({
            "name": s.code, "description": s.name, "local_address": plan.public_address,
            "remote_address": s.endpoint,
            "children": [{"local_ts": a, "remote_ts": b}
                         for a, b in ipsec_children(plan, s)],
        })
    guards = []
    if plan.cameras is not None:
        # Cameras reach only the recorders, NTP (and DNS if cameras.yml lists it); only the
        # recorders and the management networks reach them (Rehber 3.6.1.9).
        c = plan.cameras
        zones.insert(0, _zone("kameralar", list(c.camera_networks),
                              [Allow(to, comment, proto, ports)
                               for to, proto, ports, comment in c.allowed_destinations]))
        guards.append({"name": "kameralar", "destinations": list(c.camera_networks),
                       "sources": list(c.allowed_sources)})
    return {
        "vpn_role": "hub",
        "vpn_site": plan.hub_site,
        "vpn_wireguard_address": f"{plan.hub_tunnel_ip}/{plan.prefix_len}",
        "vpn_wireguard_listen_port": plan.listen_port,
        "vpn_wireguard_mtu": plan.mtu,
        "vpn_wireguard_peers": peers,
        "vpn_ipsec_connections": ipsec,
        "vpn_ipsec_userspace_esp": plan.userspace_esp,
        "vpn_firewall_zones": zones,
        "vpn_firewall_guards": guards,
    }


def spoke_vars(plan: VpnPlan, site: SitePlan, public_keys: dict[str, str]) -> dict[str, object]:
    """Role vpn variables of a linux-wireguard site's gateway."""
    assert site.tunnel_ip is not None
    hub_peer: dict[str, object] = {
        "name": plan.hub_site, "description": "Merkez (hub)",
        "public_key": public_keys.get(plan.hub_site, ""),
        "allowed_ips": plan.through_tunnel(site),
        "endpoint": f"{plan.public_address}:{plan.listen_port}",
        "keepalive": plan.keepalive,
    }
    lans = [Allow(p, f"LAN: {n}") for p, n in zip(site.lans, site.lan_networks, strict=True)]
    return {
        "vpn_role": "spoke",
        "vpn_site": site.code,
        "vpn_wireguard_address": f"{site.tunnel_ip}/{plan.prefix_len}",
        "vpn_wireguard_listen_port": site.listen_port,
        "vpn_wireguard_mtu": plan.mtu,
        "vpn_wireguard_peers": [hub_peer],
        "vpn_ipsec_connections": [],
        "vpn_ipsec_userspace_esp": False,
        # From the tunnel, the centre and the linked units reach the LANs; the zones are
        # checked in order, so every other internal prefix falls into the second, which
        # allows nothing.
        "vpn_firewall_zones": [
            _zone("merkez", plan.reach(site), lans),
            _zone("diger-birimler", plan.through_tunnel(site), []),
        ],
    }
