"""The lab's network around the servers: what a municipality's real network provides and
podman's bridges do not.

- **Routes.** Every lab container's default route is the podman bridge (the lab host), so
  apt works. A server must still reach the other networks through its network's gateway, as
  a real server's default route would take it: each host gets a route to every internal
  prefix it is not on (and the VPN's tunnel subnet) through the inventory gateway of its
  network, when a lab host or appliance holds that gateway.
- **No NAT inside a network.** With bridge netfilter on (``bridge-nf-call-iptables``), the
  host's iptables see traffic that one lab bridge merely switches between two containers,
  and podman's masquerade rule rewrites its source when the destination is off the bridge's
  subnet: a workstation's packet to the centre would reach its gateway from the lab host's
  address. Each lab bridge gets a rule that exempts bridged traffic from NAT (comment
  ``bilgiislem-lab``); traffic the host routes between bridges is still masqueraded, which
  is the NAT a remote unit behind a provider's modem sits behind.
- **IPsec appliances.** A remote unit of type ``ipsec-appliance`` (a FortiGate in
  production) is a strongSwan container configured with the appliance side of the same
  connection (``bilgiislem.vpn.render.strongswan``), with blackhole routes for every internal
  prefix, as the FortiGate configuration has, so nothing internal leaves by the internet line.
- **Workstations.** One small container on each data network whose gateway is a lab machine,
  routed through that gateway: what the VPN tests ping and connect from.
- **Phones.** One container of the PBX image (SIPp) on each voice network a host is on: the
  IP phones the PBX tests register and call with.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import shlex
import subprocess
from dataclasses import dataclass

from bilgiislem import secrets as secretsmod
from bilgiislem import ui
from bilgiislem.inventory import Inventory, models
from bilgiislem.lab import podman
from bilgiislem.vpn import plan as vpnplan
from bilgiislem.vpn import render

CONTAINER_PREFIX = NETWORK_PREFIX = "lab-"
# Gateways (VPN hub, spokes, appliances) route and open tunnels: a TUN device for wireguard-go
# and strongSwan's userspace ESP, and forwarding on (/proc/sys is read-only inside).
ROUTER_ARGS = ("--device", "/dev/net/tun", "--sysctl", "net.ipv4.ip_forward=1")
APPLIANCE_PACKAGES = ("strongswan-swanctl", "charon-systemd", "libcharon-extra-plugins")
APPLIANCE_CONF = "/etc/swanctl/conf.d/bilgiislem.conf"


def _hash(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]


class NetworkError(RuntimeError):
    pass


@dataclass(frozen=True)
class ApplianceSpec:
    site: str
    container: str
    image: str
    attachments: tuple[tuple[str, str], ...]  # (podman network, ip)
    spec: str

    @property
    def addresses(self) -> list[str]:
        return [ip for _, ip in self.attachments]


@dataclass(frozen=True)
class WorkstationSpec:
    container: str
    image: str
    attachments: tuple[tuple[str, str], ...]  # one: (podman network, ip)
    gateway: str
    spec: str

    @property
    def addresses(self) -> list[str]:
        return [ip for _, ip in self.attachments]


def appliances(inv: Inventory, image_tag: str) -> list[ApplianceSpec]:
    """A strongSwan container per ipsec-appliance site: on the WAN network that holds its
    endpoint, and the gateway of each of its LANs."""
    plan = vpnplan.build(inv)
    if plan is None:
        return []
    out = []
    for site in plan.sites:
        if site.type != "ipsec-appliance" or site.endpoint is None:
            continue
        wan = next((n for n in inv.networks if n.purpose == "wan" and ipaddress.IPv4Address(
            site.endpoint) in ipaddress.IPv4Network(n.cidr)), None)
        if wan is None:
            raise NetworkError(f"{inv.root}/vpn.yml: the endpoint {site.endpoint} of site "
                               f"{site.code!r} is on no WAN network of networks.yml; the lab "
                               "cannot attach its appliance")
        attachments = [(NETWORK_PREFIX + wan.name, site.endpoint)]
        for name in site.lan_networks:
            net = inv.network(name)
            if net.gateway is None:
                raise NetworkError(f"{inv.root}/networks.yml: network {name!r} has no "
                                   "gateway; the lab's appliance takes that address")
            attachments.append((NETWORK_PREFIX + name, net.gateway))
        container = f"{CONTAINER_PREFIX}ipsec-{site.code}"
        out.append(ApplianceSpec(site.code, container, image_tag, tuple(attachments),
                                 _hash([image_tag, container, attachments, ROUTER_ARGS])))
    return out


def workstation_ip(inv: Inventory, network: str, nth: int = 0) -> str:
    """The highest address of the network below the lab host's (broadcast - 1) that no host
    or device uses; ``nth`` skips that many more free addresses (a second client)."""
    net = ipaddress.IPv4Network(inv.network(network).cidr)
    used = {x.ip for h in inv.hosts for x in h.interfaces} | {d.ip for d in inv.devices}
    used |= {n.gateway for n in inv.networks if n.gateway}
    candidate = net.broadcast_address - 2
    while str(candidate) in used or nth:
        if str(candidate) not in used:
            nth -= 1
        candidate -= 1
    return str(candidate)


def _client(inv: Inventory, n: models.Network, image_tag: str, kind: str,
            nth: int = 0) -> WorkstationSpec:
    """A client container (``lab-<kind>-<network>``) at the network's workstation address."""
    attachments = ((NETWORK_PREFIX + n.name, workstation_ip(inv, n.name, nth)),)
    container = f"{CONTAINER_PREFIX}{kind}-{n.name}"
    return WorkstationSpec(container, image_tag, attachments, n.gateway or "",
                           _hash([image_tag, container, attachments, n.gateway]))


def workstations(inv: Inventory, image_tag: str,
                 gateways: set[str]) -> list[WorkstationSpec]:
    """A workstation on each data network whose gateway is one of ``gateways`` (addresses
    of lab hosts and appliances)."""
    return [_client(inv, n, image_tag, "ws") for n in inv.networks
            if n.purpose == "data" and n.gateway in gateways]


def dhcp_clients(inv: Inventory, image_tag: str) -> list[WorkstationSpec]:
    """A PC (``lab-pc-<network>``) on each network a lab host serves by DHCP. It starts with
    a fixed address below the workstation's; the lab e2e drops it and asks for a lease with
    dhclient, as a PC on that network does."""
    hosts = {h.name for h in inv.hosts}
    return [_client(inv, n, image_tag, "pc", nth=1) for n in inv.networks
            if n.dhcp is not None and n.dhcp.server in hosts]


def phones(inv: Inventory, image_tag: str) -> list[WorkstationSpec]:
    """A phone (SIPp, from the PBX image) on each voice network some host is on: the lab's
    IP phones, registering with the exchange (``lab-tel-<network>``)."""
    if not image_tag:
        return []
    on = {x.network for h in inv.hosts for x in h.interfaces}
    return [_client(inv, n, image_tag, "tel") for n in inv.networks
            if n.purpose == "voice" and n.name in on]


def gateway_routes(inv: Inventory, routers: set[str]) -> dict[str, list[tuple[str, str]]]:
    """Per host container that routes nothing itself, (prefix, via) for every internal prefix
    it is not on, through its network's gateway when a lab machine holds it (``routers``:
    the addresses of the gateways)."""
    extra = [inv.vpn.tunnel_subnet] if inv.vpn is not None else []
    out: dict[str, list[tuple[str, str]]] = {}
    for h in inv.hosts:
        if {"vpn_hub", "vpn_gateway"} & set(h.roles):
            continue
        via = next((inv.network(x.network).gateway for x in h.interfaces
                    if inv.network(x.network).gateway in routers), None)
        if via is None:
            continue
        own = {x.network for x in h.interfaces}
        out[CONTAINER_PREFIX + h.name] = [
            (n.cidr, via) for n in inv.networks
            if n.purpose != "wan" and n.name not in own] + [(p, via) for p in extra]
    return out


def install_routes(routes: dict[str, list[tuple[str, str]]]) -> None:
    for container, pairs in routes.items():
        script = " && ".join(f"ip route replace {prefix} via {via}" for prefix, via in pairs)
        if script:
            podman.exec_(container, "sh", "-c", script)


NAT_EXEMPT = ["-m", "physdev", "--physdev-is-bridged", "-m", "comment", "--comment",
              "bilgiislem-lab", "-j", "RETURN"]


def _iptables(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["iptables", "-t", "nat", *args], capture_output=True, text=True,
                          check=False)


def exempt_bridged_traffic(networks: list[str]) -> None:
    """No NAT for traffic a lab bridge switches (see the module docstring); idempotent."""
    for name in networks:
        bridge = podman.run("network", "inspect", name, "--format",
                            "{{.NetworkInterface}}").stdout.strip()
        rule = ["POSTROUTING", "-o", bridge, *NAT_EXEMPT]
        if _iptables("-C", *rule).returncode != 0:
            res = _iptables("-I", *rule[:1], "1", *rule[1:])
            if res.returncode != 0:
                raise NetworkError(f"iptables could not exempt bridge {bridge} ({name}) from "
                                   f"NAT: {res.stderr.strip()}")


def remove_nat_exemptions() -> None:
    """lab.down: the rules exempt_bridged_traffic added (by their comment)."""
    listed = _iptables("-S", "POSTROUTING").stdout.splitlines()
    for line in listed:
        if "bilgiislem-lab" in line and line.startswith("-A POSTROUTING "):
            _iptables("-D", *shlex.split(line)[1:])


# --- containers ---------------------------------------------------------------------------------


def create_appliance(a: ApplianceSpec, code: str) -> None:
    args = ["run", "-d", "--name", a.container, "--hostname", a.container.removeprefix(
        CONTAINER_PREFIX), "--systemd=always", "--no-hosts", "--stop-timeout", "5",
        "--cap-add", "NET_ADMIN,NET_RAW", *ROUTER_ARGS,
        "--label", f"{podman.LABEL}={code}", "--label", f"{podman.SPEC_LABEL}={a.spec}"]
    for net, ip in a.attachments:
        args += ["--network", f"{net}:ip={ip}"]
    podman.run(*args, a.image, "/sbin/init")


def create_workstation(w: WorkstationSpec, code: str) -> None:
    (net, ip), = w.attachments
    route = f"ip route replace default via {w.gateway} && " if w.gateway else ""
    script = f"{route}exec sleep infinity"
    podman.run("run", "-d", "--name", w.container, "--hostname",
               w.container.removeprefix(CONTAINER_PREFIX), "--no-hosts", "--init",
               "--stop-timeout", "2", "--cap-add", "NET_ADMIN,NET_RAW",
               "--label", f"{podman.LABEL}={code}", "--label", f"{podman.SPEC_LABEL}={w.spec}",
               "--network", f"{net}:ip={ip}", w.image, "/bin/sh", "-c", script)


def configure_appliance(a: ApplianceSpec, inv: Inventory) -> bool:
    """Install strongSwan once, and write the appliance side of the connection from the plan
    and the vault's pre-shared key; load it when it changed. True when something changed."""
    plan = vpnplan.build(inv)
    assert plan is not None
    site = plan.site(a.site)
    secretsmod.ensure(inv)  # the first lab.up runs before any deploy made the secrets
    psk = (secretsmod.read(inv).get(secretsmod.VPN_IPSEC_PSKS) or {}).get(site.code)
    if not psk:
        raise NetworkError(f"the vault has no IPsec pre-shared key for site {site.code!r}: "
                           "run ./scripts/invoke secrets")
    changed = False
    if podman.exec_(a.container, "test", "-x", "/usr/sbin/swanctl", check=False).returncode:
        ui.info(f"{a.container}: installing strongSwan (the appliance's stand-in)")
        podman.exec_(a.container, "sh", "-c", (
            "apt-get -q update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get -q -y "
            f"-o DPkg::Lock::Timeout=300 install {' '.join(APPLIANCE_PACKAGES)} >/dev/null"),
            timeout=600)
        podman.exec_(a.container, "sh", "-c",
                     "printf 'kernel-libipsec {\\n    load = yes\\n}\\n' > "
                     "/etc/strongswan.d/charon/kernel-libipsec.conf")
        changed = True
    wanted = render.strongswan(plan, site, psk)
    current = podman.exec_(a.container, "cat", APPLIANCE_CONF, check=False).stdout
    if current != wanted:
        podman.exec_(a.container, "sh", "-c", f"umask 077; cat > {APPLIANCE_CONF}",
                     input_data=wanted.encode())
        changed = True
    if changed:
        podman.exec_(a.container, "systemctl", "restart", "strongswan")
    # Internal prefixes never leave by the internet line (the FortiGate's blackhole routes);
    # the tunnel's routes (table 220) come first.
    script = " && ".join(f"ip route replace blackhole {p}"
                         for p in render.blackholes(plan, site))
    podman.exec_(a.container, "sh", "-c", script)
    return changed
