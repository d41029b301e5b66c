"""The validated inventory as Ansible sees it: hosts, groups and variables."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Any

from bilgiislem import naming
from bilgiislem.cameras import plan as camplan
from bilgiislem.inventory import blocklists, firewall, models
from bilgiislem.inventory.loader import Inventory, load
from bilgiislem.pbx import plan as pbxplan
from bilgiislem.vpn import plan as vpnplan


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
    vpn = vpnplan.build(inv)
    vpn_ports = vpnplan.firewall_services(vpn, host.name) if vpn else ()
    pbx_ports = pbxplan.firewall_services(inv, host.name)
    dns_ports = dns_resolver_services(inv, host.name)
    ups_ports = ups_services(inv, host.name)
    result: dict[str, Any] = {
        **({"holiday_power_on": host.power_on.model_dump()} if host.power_on else {}),
        "ansible_host": inv.management_ip(host),
        "ansible_user": conn.user,
        "ansible_port": conn.port,
        "site": host.site,
        "host_roles": list(host.roles),
        "interfaces": interfaces,
        # nftables: services of the host's roles, and where SSH may come from (the internal
        # networks plus the network Ansible reaches the host through).
        "firewall_allow": firewall.allow_rules(host, internal,
                                               (*vpn_ports, *pbx_ports, *dns_ports,
                                                *ups_ports)),
        "firewall_ssh_sources": sorted({*internal, mgmt_net.cidr}),
    }
    if "database" in host.roles:
        result["database_engine"] = host.database_engine
    if host.databases:
        result["databases"] = list(host.databases)
    if name in inv.backup_clients():
        result["backup_sets"] = backup_sets(inv, name)
    if "directory" in host.roles:
        result.update(directory_state(inv))
    if "pbx" in host.roles and inv.pbx is not None:
        result.update(pbxplan.host_vars(inv))
    if "nvr" in host.roles and inv.cameras is not None:
        result.update(camplan.nvr_vars(inv, name))
    if "dhcp_server" in host.roles:
        plan = dhcp_plan(inv, name)
        # The role's subnets, and the host's addresses on them (the playbook finds the
        # interfaces Kea listens on by them).
        result["dhcp_server_subnets"] = [{k: v for k, v in p.items() if k != "server_ip"}
                                         for p in plan]
        result["dhcp_server_addresses"] = sorted({p["server_ip"] for p in plan})
    if "log_collector" in host.roles and inv.legal_logging is not None:
        result["log_collector_legal"] = legal_logging_vars(inv)
    if "dns_resolver" in host.roles and inv.content_filter is not None:
        result.update(dns_resolver_vars(inv, name))
    result.update(ups_vars(inv).get(name, {}))
    if "mail_server" in host.roles:
        result.update(mail_state(inv))
        result["common_clamav_enabled"] = True  # clamd scans every message (clamav-milter)
    if conn.private_key_file:
        result["ansible_ssh_private_key_file"] = str(inv.resolve(conn.private_key_file))
    if ssh_args:
        result["ansible_ssh_common_args"] = " ".join(ssh_args)
    return result


def dhcp_plan(inv: Inventory, server: str) -> list[dict[str, Any]]:
    """The networks ``server`` hands out addresses on (networks.yml ``dhcp``), as the role
    dhcp_server's subnets plus the server's own address there (``server_ip``: the playbook
    finds the interface by it). Kea's subnet id is the network's position in networks.yml."""
    host = inv.host(server)
    dns_default = [inv.management_ip(h) for h in inv.hosts_with_role("directory")]
    filtered = ({fn.network: fn.resolver for fn in inv.content_filter.networks}
                if inv.content_filter is not None else {})
    out = []
    for i, n in enumerate(inv.networks, 1):
        if n.dhcp is None or n.dhcp.server != server:
            continue
        if n.dhcp.dns_servers is not None:
            dns = list(n.dhcp.dns_servers)
        elif n.name in filtered:  # the content filter's resolver, which no client bypasses
            dns = [resolver_address(inv, inv.host(filtered[n.name]), n)]
        else:
            dns = dns_default
        out.append({
            "id": i, "subnet": n.cidr, "pools": [" - ".join(n.dhcp.pool)],
            "router": n.gateway or "",
            "dns_servers": dns,
            "domain": inv.municipality.domain, "lease_seconds": n.dhcp.lease_minutes * 60,
            # On the network, or (relayed by its gateway) the server's management address.
            "server_ip": next((x.ip for x in host.interfaces if x.network == n.name),
                              inv.management_ip(host)),
        })
    return out


def resolver_address(inv: Inventory, host: models.Host, net: models.Network) -> str:
    """The address a network's clients ask the resolver at: its own on the network, else its
    management address (routed through the network's gateway)."""
    return next((x.ip for x in host.interfaces if x.network == net.name),
                inv.management_ip(host))


def dns_resolver_vars(inv: Inventory, name: str) -> dict[str, Any]:
    """The role dns_resolver's networks, policies and block lists (content_filter.yml) for
    resolver ``name``: only the policies its networks use and the lists those block. The
    directory's realm is forwarded to the domain controllers."""
    cf = inv.content_filter
    assert cf is not None
    host = inv.host(name)
    networks = []
    for fn in cf.networks:
        if fn.resolver == name:
            net = inv.network(fn.network)
            networks.append({"name": net.name, "cidr": net.cidr, "policy": fn.policy,
                             "listen": resolver_address(inv, host, net)})
    used = {n["policy"] for n in networks}
    policies = [{"name": p.name, "block": list(p.block)} for p in cf.policies if p.name in used]
    blocked = {x for p in policies for x in p["block"]}
    dcs = inv.hosts_with_role("directory")
    return {
        "dns_resolver_networks": networks,
        "dns_resolver_policies": policies,
        "dns_resolver_lists": [{"name": x.name, "domains": blocklists.read(inv.resolve(x.file))[0]}
                               for x in cf.lists if x.name in blocked],
        "dns_resolver_forward_zones": ([{"name": inv.municipality.realm.lower(),
                                         "addresses": [inv.management_ip(h) for h in dcs]}]
                                       if dcs else []),
        "dns_resolver_upstream": list(cf.upstream),
        "dns_resolver_log_queries": cf.log_queries,
    }


def dns_resolver_services(inv: Inventory, name: str) -> tuple[firewall.Service, ...]:
    """DNS open to the networks resolver ``name`` serves (guest networks included), and only
    to them."""
    if inv.content_filter is None:
        return ()
    served = tuple(inv.network(fn.network).cidr for fn in inv.content_filter.networks
                   if fn.resolver == name)
    if not served:
        return ()
    return (firewall.Service("dns", "udp", 53, sources=served),
            firewall.Service("dns-tcp", "tcp", 53, sources=served))


# upsd's port: the NUT clients (upsmon secondary) connect to their UPS's server on it.
NUT_PORT = 3493


def ups_port(u: models.Ups, device: models.Device) -> str:
    """The driver's port: as written, else auto (USB), the UPS's address (its network card,
    snmp-ups) or the data file <name>.dev in /etc/nut (dummy-ups)."""
    if u.port is not None:
        return u.port
    if u.driver == "snmp-ups":
        return device.ip
    if u.driver == "dummy-ups":
        return f"{u.name}.dev"
    return "auto"


def ups_server_address(inv: Inventory, server: models.Host, client: models.Host) -> str:
    """Where a NUT client reaches its server: the server's address on a network they share,
    else its management address."""
    shared = {x.network for x in client.interfaces}
    return next((x.ip for x in server.interfaces if x.network in shared),
                inv.management_ip(server))


def ups_vars(inv: Inventory) -> dict[str, dict[str, Any]]:
    """The role ups's variables of every host in ups.yml, by host name: the NUT server of each
    UPS (ups_mode server: driver, port, and the addresses upsd listens on besides 127.0.0.1:
    those its clients reach it at) and the hosts it powers (ups_mode client: the server's
    address), each with its shutdown stage. Passwords come from the vault (playbooks/ups.yml).
    """
    if inv.ups is None:
        return {}
    devices = {d.name: d for d in inv.devices}
    out: dict[str, dict[str, Any]] = {}
    for u in inv.ups.upses:
        device = devices[u.name]  # crosscheck: a device of kind ups
        server = inv.host(u.server)
        common = {"ups_name": u.name, "ups_stage_delay_seconds": inv.ups.stage_delay_seconds}
        listen = set()
        for x in u.clients:
            address = ups_server_address(inv, server, inv.host(x.host))
            listen.add(address)
            out[x.host] = {**common, "ups_mode": "client", "ups_stage": x.stage,
                           "ups_server_address": address}
        description = f"{device.vendor} {device.model}, {device.site}"
        out[u.server] = {**common, "ups_mode": "server", "ups_stage": u.server_stage,
                         "ups_driver": u.driver, "ups_port": ups_port(u, device),
                         "ups_description": description.replace('"', "'").replace("\\", "/"),
                         "ups_listen": sorted(listen, key=ipaddress.IPv4Address)}
    return out


def ups_services(inv: Inventory, name: str) -> tuple[firewall.Service, ...]:
    """upsd open to the hosts the UPS of server ``name`` powers (their addresses), and only
    to them."""
    if inv.ups is None:
        return ()
    sources = sorted({f"{x.ip}/32" for u in inv.ups.upses if u.server == name
                      for c in u.clients for x in inv.host(c.host).interfaces},
                     key=ipaddress.IPv4Network)
    return (firewall.Service("nut", "tcp", NUT_PORT, sources=tuple(sources)),) if sources else ()


def routes_user_networks(inv: Inventory, host: models.Host) -> bool:
    """Whether the host is the gateway of a network people browse from (purpose data or
    guest): its connections are in the Law 5651 record (role connection_log)."""
    return any(x.ip == inv.network(x.network).gateway
               and inv.network(x.network).purpose in ("data", "guest") for x in host.interfaces)


def legal_logging_vars(inv: Inventory) -> dict[str, Any]:
    """The role log_collector's Law 5651 settings (legal_logging.yml): the TSA, retention, the
    sources whose silence raises an alert (every host that forwards its logs here) and the
    static addresses the İç IP Dağıtım Logu lists for every day."""
    ll = inv.legal_logging
    assert ll is not None
    collectors = {h.name for h in inv.hosts_with_role("log_collector")}
    ca = (inv.root / ll.tsa.ca_file).resolve()
    static = [{"ip": i.ip, "hostname": h.name, "mac": "-", "user": "-"}
              for h in inv.hosts for i in h.interfaces]
    static += [{"ip": d.ip, "hostname": d.name, "mac": "-", "user": "-"} for d in inv.devices]
    if inv.cameras is not None:
        static += [{"ip": c.ip, "hostname": c.name, "mac": "-", "user": "-"}
                   for c in inv.cameras.cameras]
    return {
        "tsa_url": ll.tsa.url,
        # Missing: deploy stops before Ansible (legallog.tsa_ca_problem); the role refuses "".
        "tsa_ca_pem": ca.read_text(encoding="utf-8") if ca.is_file() else "",
        "retention_days": ll.retention_days,
        "allow_short_retention": ll.allow_short_retention,
        "silent_after_minutes": ll.silent_after_minutes,
        "municipality": inv.municipality.name,
        "timezone": inv.municipality.timezone,
        "sources": sorted(h.name for h in inv.servers() if h.name not in collectors),
        "static": sorted(static, key=lambda e: tuple(int(x) for x in e["ip"].split("."))),
    }


def internal_networks(inv: Inventory) -> list[str]:
    """Every network but WAN and guest ones (public Wi-Fi clients reach no server's services),
    and the VPN's tunnel subnet (the gateways' own traffic to the centre comes from their
    tunnel addresses)."""
    out = [n.cidr for n in inv.networks if n.purpose not in ("wan", "guest")]
    return out + ([inv.vpn.tunnel_subnet] if inv.vpn is not None else [])


def vpn_host_vars(inv: Inventory, vault: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The role vpn's variables of the hub and of each linux-wireguard site's gateway, by
    host name. Public keys come from the vault (None: not readable here, left empty: the role
    stops with a hint); private keys are mapped from the vault by playbooks/vpn.yml."""
    plan = vpnplan.build(inv)
    if plan is None:
        return {}
    keys = vpnplan.public_keys(vault or {})
    out = {plan.hub: vpnplan.hub_vars(plan, keys)}
    for site in plan.sites:
        if site.type == "linux-wireguard" and site.gateway:
            out[site.gateway] = vpnplan.spoke_vars(plan, site, keys)
    return out


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


# Directory groups for the services of personel.yml, besides one group per müdürlük.
SERVICE_GROUPS: dict[str, str] = {
    "eposta": "E-posta kutusu olanlar",
    "vpn": "Dışarıdan VPN ile bağlananlar",
    "kamera": "Kamera (NVR) operatörleri",
    "sunucu-yonetimi": "Sunucu yöneticileri (SSH ve sudo)",
}
DEPARTMENT_GROUP = "mud-{code}"
SERVICE_GROUP = "hizmet-{service}"


def person_services(k: models.Kisi) -> list[str]:
    """The service groups a person belongs to while not ayrıldı (SERVICE_GROUPS keys)."""
    out = ["eposta"] if k.eposta else []
    out += [s for s in k.hizmetler if s in SERVICE_GROUPS]
    if k.sunucu_yoneticisi:
        out.append("sunucu-yonetimi")
    return out


def directory_state(inv: Inventory) -> dict[str, Any]:
    """What the role directory reconciles the domain to (passwords come from the vault).

    Every person of personel.yml has an account, keyed by sicil no: enabled unless ayrıldı
    (izinli people keep theirs). Group membership is exact: the müdürlük's group and the
    service groups for people who have not left, nothing for those who left.
    """
    m = inv.municipality
    departments = {d.code: d.name for d in m.departments}
    users, members = [], {}
    for d in m.departments:
        members[DEPARTMENT_GROUP.format(code=d.code)] = []
    for s in SERVICE_GROUPS:
        members[SERVICE_GROUP.format(service=s)] = []
    by_sicil = {k.sicil_no: k for k in inv.personel}
    for k in inv.personel:
        sam = inv.usernames[k.sicil_no]
        enabled = k.durum != "ayrildi"
        users.append({
            "sicil": k.sicil_no, "sam": sam, "ou": k.mudurluk, "enabled": enabled,
            "given": k.ad, "sn": k.soyad, "display": f"{k.ad} {k.soyad}", "title": k.unvan,
            "department": departments.get(k.mudurluk, k.mudurluk), "mail": k.eposta or "",
            "upn": f"{sam}@{m.realm.lower()}",
            "successor": inv.usernames[k.devir_alan] if k.devir_alan in by_sicil else "",
        })
        if enabled:
            members[DEPARTMENT_GROUP.format(code=k.mudurluk)].append(sam)
            for s in person_services(k):
                members[SERVICE_GROUP.format(service=s)].append(sam)
    descriptions = {DEPARTMENT_GROUP.format(code=c): n for c, n in departments.items()}
    descriptions |= {SERVICE_GROUP.format(service=s): d for s, d in SERVICE_GROUPS.items()}
    return {
        "directory_realm": m.realm,
        "directory_base_ou": DIRECTORY_BASE_OU,
        "directory_service_accounts": service_accounts(inv),
        "directory_netbios": m.netbios,
        "directory_password_policy": m.directory.password_policy.model_dump(),
        "directory_departments": [{"code": c, "name": n, "group": DEPARTMENT_GROUP.format(code=c)}
                                  for c, n in departments.items()],
        "directory_users": users,
        "directory_groups": [{"name": g, "description": descriptions[g], "members": sorted(v)}
                             for g, v in members.items()],
    }


# The OU under which the role directory keeps the municipality's OUs, groups and accounts.
DIRECTORY_BASE_OU = "Belediye"
# The account the mail server binds to the directory with (password: the vault's
# vault_directory_service_passwords.<name>), in <base>/Hizmet Hesaplari.
MAIL_SERVICE_ACCOUNT = "svc-eposta"


def _realm_dn(realm: str) -> str:
    return ",".join(f"DC={part}" for part in realm.lower().split("."))


def service_accounts(inv: Inventory) -> list[dict[str, str]]:
    """Accounts servers bind to the directory with, for the services the inventory has."""
    if not inv.hosts_with_role("mail_server"):
        return []
    return [{"sam": MAIL_SERVICE_ACCOUNT,
             "description": "Posta sunucusunun dizin okuma hesabı (Postfix, Dovecot)"}]


def mail_state(inv: Inventory) -> dict[str, Any]:
    """What the role mail needs: the domain, where the directory is and who binds to it, and
    the mailboxes of people who left with the colleague who takes them over."""
    m = inv.municipality
    dc = inv.hosts_with_role("directory")[0]  # crosscheck: a mail server needs the DC
    base = f"OU={DIRECTORY_BASE_OU},{_realm_dn(m.realm)}"
    by_sicil = {k.sicil_no: k for k in inv.personel}
    handover = []
    for k in inv.personel:
        if k.durum != "ayrildi" or not k.eposta:
            continue
        succ = by_sicil.get(k.devir_alan or "")
        handover.append({
            "mail": k.eposta, "user": inv.usernames[k.sicil_no],
            "successor_mail": succ.eposta if succ and succ.eposta else "",
            "successor": inv.usernames[succ.sicil_no] if succ else "",
        })
    return {
        "mail_domain": m.domain,
        "mail_directory_host": dc.name,
        "mail_directory_server": f"{dc.name}.{m.realm.lower()}",
        "mail_directory_base": base,
        "mail_group_dn": f"CN={SERVICE_GROUP.format(service='eposta')},OU=Gruplar,{base}",
        "mail_bind_account": MAIL_SERVICE_ACCOUNT,
        "mail_bind_dn": f"CN={MAIL_SERVICE_ACCOUNT},OU=Hizmet Hesaplari,{base}",
        "mail_handover": handover,
    }


def host_groups(inv: Inventory, host: models.Host) -> list[str]:
    """Ansible groups of a host: its roles, its site, central/remote, init_systemd or
    init_sysvinit, backup_clients when some backup set names it, and connection_log when
    legal logging is on and the host is the gateway of a user network, holiday_shutdown when
    it is shut down for holidays (tatilde_kapat), ups with ups_server or ups_client when a UPS
    of ups.yml shuts it down."""
    groups = [*host.roles, f"site_{host.site.replace('-', '_')}", inv.site(host.site).type,
              f"init_{host.init_system}"]
    if host.name in inv.backup_clients():
        groups.append("backup_clients")
    if (inv.legal_logging is not None and host.init_system == "systemd"
            and routes_user_networks(inv, host)):
        groups.append("connection_log")
    if host.tatilde_kapat:
        groups.append("holiday_shutdown")
    ups = ups_vars(inv).get(host.name)
    if ups is not None:
        groups += ["ups", f"ups_{ups['ups_mode']}"]
    return groups


def backup_classes(inv: Inventory) -> dict[str, dict[str, Any]]:
    """All six classes with their schedule and keep, backups.yml's overrides applied."""
    return {name: {"schedule": schedule, "keep": keep}
            for name, (schedule, keep) in inv.backup_classes().items()}


def backup_sets(inv: Inventory, host: str) -> list[dict[str, Any]]:
    """The backup sets that name ``host``, classes resolved, for the role backup_client."""
    if inv.backups is None:
        return []
    classes = inv.backup_classes()
    return [{"name": s.name, "type": s.type, "paths": list(s.paths),
             "excludes": list(s.excludes), "databases": list(s.databases),
             "classes": [{"name": c, "schedule": classes[c][0], "keep": classes[c][1]}
                         for c in s.classes]}
            for s in inv.backups.sets if host in s.hosts]


def _backup_host(inv: Inventory, name: str | None) -> dict[str, str] | None:
    return None if name is None else {"host": name, "address": inv.management_ip(inv.host(name))}


def backup_vars(inv: Inventory) -> dict[str, Any]:
    """Variables for all hosts: where the repository and the off-site copy are, the classes,
    and which client backs up which sets (the repository prepares one repository each)."""
    b = inv.backups
    classes = inv.backup_classes()
    return {
        "backup_repository": _backup_host(inv, b.repository if b else None),
        "backup_offsite": _backup_host(inv, b.offsite if b else None),
        "backup_classes": backup_classes(inv),
        "backup_clients": [
            {"host": h, "sets": [{"name": s["name"], "type": s["type"],
                                  "classes": [{"name": c["name"], "keep": classes[c["name"]][1]}
                                              for c in s["classes"]]}
                                 for s in backup_sets(inv, h)]}
            for h in inv.backup_clients()],
    }


def to_ansible(root: Path, vault: dict[str, Any] | None = None) -> dict[str, Any]:
    """Hosts, groups and variables of the inventory at ``root``; ``vault``: the decrypted
    vault when the caller could read it (the VPN's public keys come from it)."""
    inv = load(root)
    m = inv.municipality
    groups: set[str] = {"central", "remote", "backup_clients", "connection_log", "init_systemd",
                        "init_sysvinit", "holiday_shutdown", "ups", "ups_server", "ups_client"}
    hosts: dict[str, Any] = {}
    vpn = vpn_host_vars(inv, vault)
    for h in inv.hosts:
        member_of = host_groups(inv, h)
        groups.update(member_of)
        hosts[h.name] = {"groups": member_of, "vars": {**host_vars(inv, h.name),
                                                        **vpn.get(h.name, {})}}
    internal = internal_networks(inv)
    all_vars = {
        # Derived data the playbooks map onto role variables.
        # A domain controller is also known by its name in the AD domain (Kerberos, LDAPS).
        "etc_hosts": [{"ip": inv.management_ip(h),
                       "names": [f"{h.name}.{m.domain}", h.name]
                       + ([f"{h.name}.{m.realm.lower()}"] if "directory" in h.roles else [])}
                      for h in inv.hosts],
        "ntp_internal_servers": [inv.management_ip(h) for h in inv.hosts_with_role("ntp_server")],
        "internal_networks": internal,
        "log_collectors": [inv.management_ip(h) for h in inv.hosts_with_role("log_collector")],
        "server_admins": server_admins(inv),
        **backup_vars(inv),
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
    known |= {"all", "ungrouped", "backup_clients", "init_systemd", "init_sysvinit"}
    out = []
    for part in re.split(r"[,:]", limit):
        name = part.strip().lstrip("!&")
        if not name or any(ch in name for ch in "*?[~@"):
            continue
        if name not in known:
            out.append((name, naming.suggest(name, known)))
    return out
