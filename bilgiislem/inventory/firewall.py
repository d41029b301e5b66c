"""Which ports a host opens, derived from the roles it carries in hosts.yml.

One table is the single source: the hardening role turns each entry into an nftables allow
rule, and the docs list it. ``internal`` means every non-WAN network of the inventory;
``any`` means anywhere (services that remote sites or the public reach over the internet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from bilgiislem.inventory import models


@dataclass(frozen=True)
class Service:
    name: str
    proto: Literal["tcp", "udp"]
    port: int | str  # a number, or "first-last"
    scope: Literal["internal", "any"] = "internal"
    # Who may connect, when narrower than the scope (the exchange's SIP: the voice networks
    # and the trunks' addresses).
    sources: tuple[str, ...] | None = None


ROLE_SERVICES: dict[str, tuple[Service, ...]] = {
    "ntp_server": (Service("ntp", "udp", 123),),
    "log_collector": (Service("syslog", "tcp", 514), Service("syslog-relp", "tcp", 2514),
                      Service("syslog-tls", "tcp", 6514)),
    "directory": (Service("dns", "udp", 53), Service("dns-tcp", "tcp", 53),
                  Service("kerberos", "udp", 88), Service("kerberos-tcp", "tcp", 88),
                  Service("ldap", "tcp", 389), Service("ldaps", "tcp", 636),
                  Service("smb", "tcp", 445), Service("kpasswd", "tcp", 464),
                  Service("global-catalog", "tcp", "3268-3269")),
    "dhcp_server": (Service("dhcp", "udp", 67),),
    # DNS from the networks content_filter.yml has it serve: ansible.dns_resolver_services()
    "dns_resolver": (),
    "backup_server": (),  # clients reach the repository over SSH
    "pbx": (),  # SIP, RTP and provisioning from pbx.yml: bilgiislem/pbx/plan.py
    "vpn_hub": (),  # the ports of vpn.yml: bilgiislem/vpn/plan.py firewall_services()
    "vpn_gateway": (),
    # the recordings' viewer page (HTTPS); the recorder pulls the cameras' streams itself
    "nvr": (Service("nvr-web", "tcp", 443),),
    "database": (),  # by the host's database_engine: DATABASE_SERVICES
    "file_server": (Service("smb", "tcp", 445),),
    "mail_server": (Service("smtp", "tcp", 25, "any"), Service("submission", "tcp", 587),
                    Service("imaps", "tcp", 993)),
}
DATABASE_SERVICES: dict[str, Service] = {
    "postgresql": Service("postgresql", "tcp", 5432),
    "mariadb": Service("mariadb", "tcp", 3306),
}
assert set(DATABASE_SERVICES) == set(get_args(models.DatabaseEngine))
assert set(ROLE_SERVICES) == set(models.HOST_ROLES), "every host role needs an entry"


def services(host: models.Host) -> list[Service]:
    """The services of the host's roles, in order (a database host: its engine's port)."""
    out: list[Service] = []
    for role in host.roles:
        out += ROLE_SERVICES[role]
        if role == "database":
            out.append(DATABASE_SERVICES[host.database_engine])
    return out


def allow_rules(host: models.Host, internal: list[str],
                extra: tuple[Service, ...] = ()) -> list[dict[str, object]]:
    """hardening_nftables_allow entries for the host (deduplicated, in order); ``extra``:
    services that come from other data than the host's roles (the VPN's and the exchange's
    ports)."""
    out: list[dict[str, object]] = []
    seen: set[tuple[str, object]] = set()
    for svc in [*services(host), *extra]:
        if (svc.proto, svc.port) in seen:
            continue
        seen.add((svc.proto, svc.port))
        if svc.sources is not None:
            sources = list(svc.sources)
        else:
            sources = list(internal) if svc.scope == "internal" else []
        out.append({"name": svc.name, "proto": svc.proto, "port": svc.port,
                    "sources": sources})
    return out
