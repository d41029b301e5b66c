"""The validated inventory as Ansible sees it: hosts, groups and variables."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any

from bilgiislem import naming
from bilgiislem.inventory import firewall, models
from bilgiislem.inventory.loader import Inventory, load


def host_vars(inv: Inventory, name: str) -> dict[str, Any]:
    host = next(h for h in inv.hosts if h.name == name)
    conn = inv.connection
    interfaces = []
    for x in host.interfaces:
        net = inv.network(x.network)
        prefix = ipaddress.IPv4Network(net.cidr).prefixlen
        interfaces.append({"network": x.network, "ip": x.ip, "prefix": prefix,
                           "cidr": net.cidr, "purpose": net.purpose})
    ssh_args = []
    if conn.known_hosts_file:
        ssh_args += [f"-o UserKnownHostsFile={inv.resolve(conn.known_hosts_file)}",
                     "-o StrictHostKeyChecking=yes"]
    internal = internal_networks(inv)
    mgmt_net = inv.network(host.management_network or host.interfaces[0].network)
    result: dict[str, Any] = {
        "ansible_host": inv.management_ip(host),
        "ansible_user": conn.user,
        "ansible_port": conn.port,
        "site": host.site,
        "host_roles": list(host.roles),
        "interfaces": interfaces,
        # nftables: services of the host's roles, and where SSH may come from (the internal
        # networks plus the network Ansible reaches the host through).
        "firewall_allow": firewall.allow_rules(list(host.roles), internal),
        "firewall_ssh_sources": sorted({*internal, mgmt_net.cidr}),
    }
    if conn.private_key_file:
        result["ansible_ssh_private_key_file"] = str(inv.resolve(conn.private_key_file))
    if ssh_args:
        result["ansible_ssh_common_args"] = " ".join(ssh_args)
    return result


def internal_networks(inv: Inventory) -> list[str]:
    return [n.cidr for n in inv.networks if n.purpose != "wan"]


def server_admins(inv: Inventory) -> list[dict[str, Any]]:
    """Accounts of the role common: administrators who have not left are present, the others
    are locked (kept, never deleted) and their keys revoked."""
    out = []
    for k in inv.personel:
        if not k.sunucu_yoneticisi:
            continue
        out.append({
            "name": inv.usernames[k.sicil_no],
            "comment": f"{k.ad} {k.soyad}",
            "keys": list(k.ssh_anahtarlari),
            "state": "locked" if k.durum == "ayrildi" else "present",
        })
    return out


def host_groups(inv: Inventory, host: models.Host) -> list[str]:
    """Ansible groups of a host: its roles, its site, and central/remote."""
    return [*host.roles, f"site_{host.site.replace('-', '_')}", inv.site(host.site).type]


def to_ansible(root: Path) -> dict[str, Any]:
    inv = load(root)
    m = inv.municipality
    groups: set[str] = {"central", "remote"}
    hosts: dict[str, Any] = {}
    for h in inv.hosts:
        member_of = host_groups(inv, h)
        groups.update(member_of)
        hosts[h.name] = {"groups": member_of, "vars": host_vars(inv, h.name)}
    internal = internal_networks(inv)
    all_vars = {
        # Derived data the playbooks map onto role variables.
        "etc_hosts": [{"ip": inv.management_ip(h), "names": [f"{h.name}.{m.domain}", h.name]}
                      for h in inv.hosts],
        "ntp_internal_servers": [inv.management_ip(h) for h in inv.hosts_with_role("ntp_server")],
        "internal_networks": internal,
        "log_collectors": [inv.management_ip(h) for h in inv.hosts_with_role("log_collector")],
        "server_admins": server_admins(inv),
        "municipality": m.model_dump(mode="json"),
        "sites": [s.model_dump(mode="json") for s in inv.sites],
        "networks": [n.model_dump(mode="json") for n in inv.networks],
    }
    return {"groups": sorted(groups), "hosts": hosts, "all_vars": all_vars}


def unknown_limit_names(inv: Inventory, limit: str) -> list[tuple[str, str | None]]:
    """Plain names in an Ansible --limit that match no host or group: (name, suggestion).

    Patterns with wildcards, regexes or ranges are left to Ansible.
    """
    known = {h.name for h in inv.hosts} | {g for h in inv.hosts for g in host_groups(inv, h)}
    known |= {"all", "ungrouped"}
    out = []
    for part in re.split(r"[,:]", limit):
        name = part.strip().lstrip("!&")
        if not name or any(ch in name for ch in "*?[~@"):
            continue
        if name not in known:
            out.append((name, naming.suggest(name, known)))
    return out
