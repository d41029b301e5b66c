"""Rules that need more than one record: references, duplicates, overlaps, ranges."""

from __future__ import annotations

import ipaddress
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilgiislem import naming
from bilgiislem.inventory import blocklists, ports, yamlio
from bilgiislem.inventory import models as m_
from bilgiislem.inventory.issues import Issue, Loc, loc_to_path

if TYPE_CHECKING:
    from bilgiislem.inventory import models
    from bilgiislem.inventory.loader import Inventory


class _Collector:
    def __init__(self, docs: dict[str, yamlio.YamlDoc]) -> None:
        self.docs = docs
        self.issues: list[Issue] = []

    def add(self, file: str, loc: Loc, value: Any, message: str, hint: str = "") -> None:
        doc = self.docs.get(file)
        line = doc.line_of(loc) if doc else None
        self.issues.append(Issue(file, line, loc_to_path(loc), value, message, hint))

    def unknown(self, file: str, loc: Loc, what: str, value: str, known: Iterable[str]) -> None:
        known = sorted(known)
        guess = naming.suggest(value, known)
        hint = f"did you mean {guess!r}? " if guess else ""
        hint += f"known {what}s: {', '.join(known)}" if known else f"no {what}s are defined"
        self.add(file, loc, value, f"unknown {what} {value!r}", hint)

    def duplicates(self, file: str, items: Iterable[tuple[Loc, Any]], what: str) -> None:
        first: dict[Any, Loc] = {}
        for loc, value in items:
            if value is None:
                continue
            if value in first:
                self.add(file, loc, value, f"duplicate {what} {value!r}",
                         f"already used at {loc_to_path(first[value])}")
            else:
                first[value] = loc


def _in_network(c: _Collector, file: str, loc: Loc, ip: str, *, cidr: str, net_name: str) -> None:
    net = ipaddress.IPv4Network(cidr)
    addr = ipaddress.IPv4Address(ip)
    if addr not in net:
        c.add(file, loc, ip, f"{ip} is outside network {net_name!r} ({cidr})",
              f"use an address between {net.network_address + 1} and "
              f"{net.broadcast_address - 1}")
    elif addr in (net.network_address, net.broadcast_address):
        kind = "network" if addr == net.network_address else "broadcast"
        c.add(file, loc, ip, f"{ip} is the {kind} address of {cidr}",
              "hosts need an address strictly inside the network")


def check(inv: Inventory, docs: dict[str, yamlio.YamlDoc]) -> list[Issue]:
    c = _Collector(docs)
    _municipality(c, inv)
    _sites(c, inv)
    _networks(c, inv)
    _hosts_and_devices(c, inv)
    _port_profiles(c, inv)
    _device_ports(c, inv)
    _personel(c, inv)
    _host_databases(c, inv)
    _backups(c, inv)
    _vpn(c, inv)
    _pbx(c, inv)
    _cameras(c, inv)
    _legal_logging(c, inv)
    _content_filter(c, inv)
    _holiday_power(c, inv)
    _varliklar(c, inv)
    _ups(c, inv)
    return c.issues


def _municipality(c: _Collector, inv: Inventory) -> None:
    f = "municipality.yml"
    m = inv.municipality
    c.duplicates(f, ((("municipality", "departments", i, "code"), d.code)
                     for i, d in enumerate(m.departments)), "department code")
    if m.extension_range.first > m.extension_range.last:
        c.add(f, ("municipality", "extension_range"), m.extension_range.model_dump(),
              f"extension range starts at {m.extension_range.first} but ends at "
              f"{m.extension_range.last}", "'first' must not be larger than 'last'")
    policy = m.directory.password_policy
    if policy.max_age_days and policy.min_age_days >= policy.max_age_days:
        c.add(f, ("municipality", "directory", "password_policy", "min_age_days"),
              policy.min_age_days,
              f"minimum password age {policy.min_age_days} days is not below the maximum "
              f"{policy.max_age_days}", "people could never change an expiring password; "
              "lower min_age_days (or set max_age_days: 0 for passwords that never expire)")
    dcs = [(i, h) for i, h in enumerate(inv.hosts) if "directory" in h.roles]
    if not dcs:
        for i, h in enumerate(inv.hosts):
            if "mail_server" in h.roles:
                c.add("hosts.yml", ("hosts", i, "roles"), list(h.roles),
                      f"host {h.name!r} is a mail server but no host is the domain controller",
                      "the mail server finds mailboxes and checks passwords in the directory: "
                      "give one server the role 'directory'")
    for i, h in dcs[1:]:
        c.add("hosts.yml", ("hosts", i, "roles"), list(h.roles),
              f"host {h.name!r} is a second domain controller (role 'directory')",
              f"{dcs[0][1].name!r} already is; this version provisions one DC per "
              "municipality: remove 'directory' from one of them")


def _sites(c: _Collector, inv: Inventory) -> None:
    f = "sites.yml"
    c.duplicates(f, ((("sites", i, "code"), s.code) for i, s in enumerate(inv.sites)),
                 "site code")
    central = [i for i, s in enumerate(inv.sites) if s.type == "central"]
    if not central:
        c.add(f, ("sites",), None, "no site has type 'central'",
              "mark the main building (where the servers are) as type: central")
    for i in central[1:]:
        c.add(f, ("sites", i, "type"), "central", "more than one site has type 'central'",
              f"{inv.sites[central[0]].code!r} is already the central site; use 'remote'")


def _networks(c: _Collector, inv: Inventory) -> None:
    f = "networks.yml"
    sites = {s.code for s in inv.sites}
    c.duplicates(f, ((("networks", i, "name"), n.name) for i, n in enumerate(inv.networks)),
                 "network name")
    vlans: dict[tuple[str, int], int] = {}
    for i, n in enumerate(inv.networks):
        if n.site is None and n.purpose != "wan":
            c.add(f, ("networks", i), n.name, f"network {n.name!r} has no site",
                  "only purpose: wan networks may omit 'site'")
        elif n.site is not None and n.site not in sites:
            c.unknown(f, ("networks", i, "site"), "site", n.site, sites)
        if n.vlan is not None and n.site is not None:
            key = (n.site, n.vlan)
            if key in vlans:
                c.add(f, ("networks", i, "vlan"), n.vlan,
                      f"VLAN {n.vlan} is used twice at site {n.site!r}",
                      f"already used by network {inv.networks[vlans[key]].name!r}")
            else:
                vlans[key] = i
        if n.gateway is not None:
            _in_network(c, f, ("networks", i, "gateway"), n.gateway, cidr=n.cidr,
                        net_name=n.name)
    _dhcp(c, inv)
    nets = [ipaddress.IPv4Network(n.cidr) for n in inv.networks]
    for i in range(len(nets)):
        for j in range(i):
            if nets[i].overlaps(nets[j]):
                c.add(f, ("networks", i, "cidr"), inv.networks[i].cidr,
                      f"{inv.networks[i].cidr} overlaps {inv.networks[j].cidr} "
                      f"(network {inv.networks[j].name!r})",
                      "every network needs its own address range")


def _hosts_and_devices(c: _Collector, inv: Inventory) -> None:
    sites = {s.code for s in inv.sites}
    networks: dict[str, Any] = {}
    for n in inv.networks:  # a duplicate name is reported in networks.yml; the first counts
        networks.setdefault(n.name, n)
    fh, fd = "hosts.yml", "devices.yml"
    c.duplicates(fh, ((("hosts", i, "name"), h.name) for i, h in enumerate(inv.hosts)),
                 "host name")
    host_names = {h.name for h in inv.hosts}
    for i, d in enumerate(inv.devices):
        if d.name in host_names:
            c.add(fd, ("devices", i, "name"), d.name,
                  f"device name {d.name!r} is also a host name in hosts.yml",
                  "names must be unique across hosts and devices")
    c.duplicates(fd, ((("devices", i, "name"), d.name) for i, d in enumerate(inv.devices)),
                 "device name")

    # Every address in use, in file order, to find duplicates across both files.
    used: dict[str, tuple[str, Loc]] = {}

    def claim(file: str, loc: Loc, ip: str) -> None:
        if ip in used:
            other_file, other_loc = used[ip]
            c.add(file, loc, ip, f"duplicate IP address {ip}",
                  f"already used at {other_file} {loc_to_path(other_loc)}")
        else:
            used[ip] = (file, loc)

    def attach(file: str, loc: Loc, site: str, net_name: str, ip: str) -> None:
        net = networks.get(net_name)
        if net is None:
            c.unknown(file, (*loc, "network"), "network", net_name, networks)
            return
        # An unknown site is reported on its own; a mismatch with it would only repeat that.
        if net.site in sites and site in sites and net.site != site:
            c.add(file, (*loc, "network"), net_name,
                  f"network {net_name!r} belongs to site {net.site!r}, not {site!r}",
                  "attach to a network of the same site, or a wan network")
        _in_network(c, file, (*loc, "ip"), ip, cidr=net.cidr, net_name=net_name)
        claim(file, (*loc, "ip"), ip)

    for i, h in enumerate(inv.hosts):
        if h.site not in sites:
            c.unknown(fh, ("hosts", i, "site"), "site", h.site, sites)
        c.duplicates(fh, ((("hosts", i, "roles", j), r) for j, r in enumerate(h.roles)),
                     "role")
        c.duplicates(fh, ((("hosts", i, "interfaces", j, "network"), x.network)
                          for j, x in enumerate(h.interfaces)), "interface network")
        for j, x in enumerate(h.interfaces):
            attach(fh, ("hosts", i, "interfaces", j), h.site, x.network, x.ip)
        if h.init_system == "sysvinit" and set(h.roles) - {"pbx"}:
            c.add(fh, ("hosts", i, "init_system"), h.init_system,
                  f"host {h.name!r} has no systemd but roles that need it: "
                  f"{', '.join(r for r in h.roles if r != 'pbx')}",
                  "only role 'pbx' runs on a sysvinit host; give the other roles to a host "
                  "with systemd")
        if h.management_network and h.management_network not in {x.network for x in
                                                                  h.interfaces}:
            c.add(fh, ("hosts", i, "management_network"), h.management_network,
                  f"host {h.name!r} has no interface on {h.management_network!r}",
                  "name one of the host's own interface networks")
    for i, d in enumerate(inv.devices):
        if d.site not in sites:
            c.unknown(fd, ("devices", i, "site"), "site", d.site, sites)
        attach(fd, ("devices", i), d.site, d.network, d.ip)


def _port_profiles(c: _Collector, inv: Inventory) -> None:
    """A profile says what it needs for its mode, and nothing that belongs to another."""
    f = "devices.yml"
    for name, p in inv.port_profiles.items():
        loc: Loc = ("port_profiles", name)
        if p.mode == "access" and p.vlan is None:
            c.add(f, (*loc, "mode"), p.mode, f"access profile {name!r} has no 'vlan'",
                  "name the purpose of the port's network, e.g. 'vlan: data'")
        if p.mode == "trunk" and not p.vlans:
            c.add(f, (*loc, "mode"), p.mode, f"trunk profile {name!r} has no 'vlans'",
                  "list the purposes of the networks it carries, e.g. 'vlans: [data, voice]'")
        only = {"vlan": "access", "voice_vlan": "access", "edge": "access",
                "port_security": "access", "vlans": "trunk", "native": "trunk"}
        for key, mode in only.items():
            if getattr(p, key) not in (None, False, []) and p.mode != mode:
                c.add(f, (*loc, key), getattr(p, key),
                      f"'{key}' is for {mode} ports, and profile {name!r} is {p.mode}",
                      f"remove '{key}', or make the profile 'mode: {mode}'")
        if p.native and p.native not in p.vlans:
            c.add(f, (*loc, "native"), p.native,
                  f"native VLAN {p.native!r} is not among the trunk's vlans",
                  f"add {p.native!r} to 'vlans'")
        c.duplicates(f, (((*loc, "vlans", i), v) for i, v in enumerate(p.vlans)), "VLAN")


def _profile_features(p: models.PortProfile) -> list[str]:
    return [feat for feat, used in (("voice_vlan", p.voice_vlan), ("edge", p.edge),
                                    ("port_security", p.port_security is not None)) if used]


def _device_ports(c: _Collector, inv: Inventory) -> None:
    """Ports and LAGs: a rendered vendor, each port once, known profiles whose VLANs exist at
    the device's site, and only features the vendor's templates have."""
    for i, d in enumerate(inv.devices):
        if d.ports or d.lags:
            _one_device_ports(c, inv, i, d)


def _one_device_ports(c: _Collector, inv: Inventory, i: int, d: models.Device) -> None:
    f = "devices.yml"
    if d.kind not in m_.RENDERED_KINDS:
        c.add(f, ("devices", i, "kind"), d.kind, f"a {d.kind} has no switch ports to configure",
              "ports and lags are for switches, routers and firewalls; remove them here")
        return
    features = m_.NETWORK_VENDORS.get(d.vendor)
    if features is None:
        c.add(f, ("devices", i, "vendor"), d.vendor,
              f"device {d.name!r} has ports, but there are no configuration templates "
              f"for vendor {d.vendor!r}",
              f"configurations are made for {', '.join(sorted(m_.NETWORK_VENDORS))}; "
              "list the device without ports to only inventory it")
        return
    site_vlans = {n.purpose: n.vlan for n in inv.networks
                  if n.site == d.site and n.vlan is not None}
    seen: dict[str, Loc] = {}

    def claim(loc: Loc, name: str) -> None:
        for one in ports.expand(name):
            if one in seen:
                c.add(f, loc, name, f"port {one} of {d.name!r} is listed twice",
                      f"already at {loc_to_path(seen[one])}; a port has one profile")
            else:
                seen[one] = loc

    uses: list[tuple[Loc, str]] = []
    for j, port in enumerate(d.ports):
        claim(("devices", i, "ports", j, "name"), port.name)
        uses.append((("devices", i, "ports", j, "profile"), port.profile))
    for j, lag in enumerate(d.lags):
        for k, member in enumerate(lag.members):
            claim(("devices", i, "lags", j, "members", k), member)
        uses.append((("devices", i, "lags", j, "profile"), lag.profile))
        if "lag" not in features:
            c.add(f, ("devices", i, "lags", j), lag.id,
                  f"vendor {d.vendor!r} has no template for link aggregation",
                  "connect through a single port")
    c.duplicates(f, ((("devices", i, "lags", j, "id"), lag.id)
                     for j, lag in enumerate(d.lags)), "LAG id")
    for loc, name in uses:
        profile = inv.port_profiles.get(name)
        if profile is None:
            c.unknown(f, loc, "port profile", name, inv.port_profiles)
            continue
        wanted = [profile.vlan, *profile.vlans] + (["voice"] if profile.voice_vlan else [])
        for purpose in dict.fromkeys(v for v in wanted if v):
            if purpose not in site_vlans:
                c.add(f, loc, name,
                      f"profile {name!r} uses the {purpose} VLAN, but site {d.site!r} has "
                      f"no network with purpose {purpose!r} and a vlan",
                      "add that network to networks.yml, or use another profile here")
        for feat in _profile_features(profile):
            if feat not in features:
                c.add(f, loc, name,
                      f"profile {name!r} uses {feat!r}, which the {d.vendor} templates "
                      "do not have",
                      f"{d.vendor} supports {', '.join(sorted(features))}; use a profile "
                      "without it on this device")


def _personel(c: _Collector, inv: Inventory) -> None:
    f = "personel.yml"
    departments = {d.code for d in inv.municipality.departments}
    rng = inv.municipality.extension_range
    c.duplicates(f, ((("personel", i, "sicil_no"), k.sicil_no)
                     for i, k in enumerate(inv.personel)), "sicil no")
    c.duplicates(f, ((("personel", i, "dahili"), k.dahili)
                     for i, k in enumerate(inv.personel)), "extension (dahili)")
    c.duplicates(f, ((("personel", i, "kullanici_adi"), k.kullanici_adi)
                     for i, k in enumerate(inv.personel)), "username")
    # One key, one person: a shared key would make the audit trail meaningless.
    seen: dict[str, Loc] = {}
    for i, k in enumerate(inv.personel):
        for j, key in enumerate(k.ssh_anahtarlari):
            kloc: Loc = ("personel", i, "ssh_anahtarlari", j)
            body = key.split()[1]
            if body in seen:
                c.add(f, kloc, key.split()[0] + " " + body[-12:], "duplicate SSH key",
                      f"the same key is already listed at {loc_to_path(seen[body])}; "
                      "every person needs their own key")
            else:
                seen[body] = kloc
    c.duplicates(f, ((("personel", i, "eposta"), k.eposta)
                     for i, k in enumerate(inv.personel) if k.eposta is not None), "e-mail address")
    by_sicil = {k.sicil_no: k for k in inv.personel}
    _explicit_takes_derived(c, f, inv)
    for i, k in enumerate(inv.personel):
        loc: Loc = ("personel", i)
        if k.mudurluk not in departments:
            c.unknown(f, (*loc, "mudurluk"), "department", k.mudurluk, departments)
        # An inverted range is reported once in municipality.yml, not for every person.
        if (k.dahili is not None and rng.first <= rng.last
                and not rng.first <= k.dahili <= rng.last):
            c.add(f, (*loc, "dahili"), k.dahili,
                  f"extension {k.dahili} is outside the range {rng.first}-{rng.last}",
                  "see municipality.extension_range in municipality.yml")
        if k.ayrilis is not None and k.ayrilis < k.baslama:
            c.add(f, (*loc, "ayrilis"), k.ayrilis.isoformat(),
                  f"leaving date {k.ayrilis} is before start date {k.baslama}",
                  "check the dates; ayrilis must be on or after baslama")
        if k.durum == "ayrildi" and k.ayrilis is None:
            c.add(f, (*loc, "durum"), k.durum, "a person who left needs a leaving date",
                  "add 'ayrilis: YYYY-MM-DD'")
        if k.durum != "ayrildi" and k.ayrilis is not None:
            c.add(f, (*loc, "ayrilis"), k.ayrilis.isoformat(),
                  f"person is {k.durum!r} but has a leaving date",
                  "set 'durum: ayrildi', or remove 'ayrilis'")
        if k.sunucu_yoneticisi and inv.usernames.get(k.sicil_no) == inv.connection.user:
            c.add(f, (*loc, "sunucu_yoneticisi"), True,
                  f"username {inv.connection.user!r} is the automation account of hosts.yml",
                  "give the person another 'kullanici_adi'; the automation account is "
                  "managed separately")
        if k.sunucu_yoneticisi and k.durum != "ayrildi" and not k.ssh_anahtarlari:
            c.add(f, (*loc, "sunucu_yoneticisi"), True,
                  "server administrator without SSH keys",
                  "add the person's public key under 'ssh_anahtarlari', "
                  "or set 'sunucu_yoneticisi: false'")
        _successor(c, f, loc, k, by_sicil)
        if k.eposta is not None:
            domain = k.eposta.partition("@")[2]
            if domain != inv.municipality.domain:
                c.add(f, (*loc, "eposta"), k.eposta,
                      f"e-mail domain {domain!r} is not the municipality's domain",
                      f"mailboxes are in {inv.municipality.domain!r} (municipality.yml), e.g. "
                      f"'{k.eposta.partition('@')[0]}@{inv.municipality.domain}'")
        c.duplicates(f, (((*loc, "hizmetler", j), s) for j, s in enumerate(k.hizmetler)),
                     "service")
        # Both parts of <given name>.<surname> need a letter that folds to ASCII.
        for part in ("ad", "soyad"):
            name = getattr(k, part)
            if not k.kullanici_adi and not any(ch.isalpha() for ch in naming.ascii_fold(name)):
                c.add(f, (*loc, part), name, "cannot derive a username from this name",
                      "add an explicit 'kullanici_adi'")


def _explicit_takes_derived(c: _Collector, f: str, inv: Inventory) -> None:
    """An explicit kullanici_adi must not be the name another person derives: that person
    would silently get a numbered name, and their directory account would be renamed."""
    derived: dict[str, models.Kisi] = {}
    for k in sorted(inv.personel, key=lambda p: (p.baslama, p.sicil_no)):  # who gets the base
        if not k.kullanici_adi:
            derived.setdefault(naming.base_username(k.ad, k.soyad), k)
    for i, k in enumerate(inv.personel):
        other = derived.get(k.kullanici_adi or "")
        if other is not None and other is not k:
            c.add(f, ("personel", i, "kullanici_adi"), k.kullanici_adi,
                  f"username {k.kullanici_adi!r} is the name derived for {other.ad} "
                  f"{other.soyad} ({other.sicil_no}), who would be renamed to "
                  f"{inv.usernames[other.sicil_no]!r}",
                  "choose another kullanici_adi, or give both people an explicit one")


def _successor(c: _Collector, f: str, loc: Loc, k: models.Kisi,
               by_sicil: dict[str, models.Kisi]) -> None:
    """devir_alan names an active person other than k."""
    if k.devir_alan is None:
        return
    where = (*loc, "devir_alan")
    other = by_sicil.get(k.devir_alan)
    if other is None:
        guess = naming.suggest(k.devir_alan, sorted(by_sicil))
        c.add(f, where, k.devir_alan, f"no person with sicil no {k.devir_alan!r}",
              (f"did you mean {guess!r}? " if guess else "")
              + "devir_alan is the sicil_no of a colleague in personel.yml")
    elif other is k:
        c.add(f, where, k.devir_alan, "a person cannot hand over to themselves",
              "name the colleague who takes over the files and the mailbox")
    elif other.durum != "aktif":
        state = "has also left" if other.durum == "ayrildi" else "is on leave (izinli)"
        c.add(f, where, k.devir_alan,
              f"successor {other.ad} {other.soyad} ({other.sicil_no}) {state}",
              "name an active colleague (durum: aktif) as devir_alan")


def _host_databases(c: _Collector, inv: Inventory) -> None:
    f = "hosts.yml"
    for i, h in enumerate(inv.hosts):
        c.duplicates(f, ((("hosts", i, "databases", j), d) for j, d in enumerate(h.databases)),
                     "database")
        if h.databases and "database" not in h.roles:
            c.add(f, ("hosts", i, "databases"), list(h.databases),
                  f"host {h.name!r} lists databases but has no role 'database'",
                  "add 'database' to its roles, or remove 'databases'")
        if "database_engine" in h.model_fields_set and "database" not in h.roles:
            c.add(f, ("hosts", i, "database_engine"), h.database_engine,
                  f"host {h.name!r} sets database_engine but has no role 'database'",
                  "add 'database' to its roles, or remove 'database_engine'")


def _backup_server(c: _Collector, inv: Inventory, key: str, name: str) -> None:
    f = "backups.yml"
    hosts = {h.name: h for h in inv.hosts}
    if name not in hosts:
        c.unknown(f, (key,), "host", name, hosts)
        return
    if "backup_server" not in hosts[name].roles:
        servers = [h.name for h in inv.hosts_with_role("backup_server")]
        c.add(f, (key,), name, f"host {name!r} has no role 'backup_server'",
              "add 'backup_server' to its roles in hosts.yml"
              + (f", or name a host that has it: {', '.join(servers)}" if servers else ""))


def _backups(c: _Collector, inv: Inventory) -> None:
    b = inv.backups
    if b is None:
        return
    f = "backups.yml"
    _backup_server(c, inv, "repository", b.repository)
    if b.offsite is not None:
        if b.offsite == b.repository:
            c.add(f, ("offsite",), b.offsite, "the off-site copy goes to the repository itself",
                  "name a second host with role 'backup_server', in another building, "
                  "or remove 'offsite'")
        else:
            _backup_server(c, inv, "offsite", b.offsite)
    c.duplicates(f, ((("sets", i, "name"), s.name) for i, s in enumerate(b.sets)),
                 "backup set name")
    hosts = {h.name: h for h in inv.hosts}
    for i, s in enumerate(b.sets):
        loc: Loc = ("sets", i)
        c.duplicates(f, (((*loc, "hosts", j), h) for j, h in enumerate(s.hosts)), "host")
        c.duplicates(f, (((*loc, "classes", j), k) for j, k in enumerate(s.classes)), "class")
        c.duplicates(f, (((*loc, "paths", j), p) for j, p in enumerate(s.paths)), "path")
        c.duplicates(f, (((*loc, "databases", j), d) for j, d in enumerate(s.databases)),
                     "database")
        for j, h in enumerate(s.hosts):
            if h not in hosts:
                c.unknown(f, (*loc, "hosts", j), "host", h, hosts)
        if s.type == "files":
            if not s.paths:
                c.add(f, (*loc, "paths"), s.name, f"files set {s.name!r} has no paths",
                      "list the directories to back up, e.g. 'paths: [/etc]'")
            if s.databases:
                c.add(f, (*loc, "databases"), list(s.databases),
                      f"files set {s.name!r} lists databases",
                      "databases are dumped by a set of type postgresql or mariadb; "
                      "move them to such a set")
            continue
        if s.paths:
            c.add(f, (*loc, "paths"), list(s.paths), f"{s.type} set {s.name!r} lists paths",
                  "a database set backs up its dumps only; put the paths in a files set")
        if not s.databases:
            c.add(f, (*loc, "databases"), s.name, f"{s.type} set {s.name!r} has no databases",
                  "list the databases to dump, e.g. 'databases: [otomasyon]'; they must be "
                  "in the host's 'databases' in hosts.yml")
        for j, name in enumerate(s.hosts):
            host = hosts.get(name)
            if host is None:
                continue
            if "database" not in host.roles:
                c.add(f, (*loc, "hosts", j), name, f"host {name!r} has no role 'database'",
                      f"a {s.type} set backs up a database host: add role 'database' and "
                      "its 'databases' in hosts.yml, or use a files set")
                continue
            if host.database_engine != s.type:
                c.add(f, (*loc, "type"), s.type,
                      f"{s.type} set {s.name!r} backs up host {name!r}, which runs "
                      f"{host.database_engine}",
                      f"use 'type: {host.database_engine}', or set "
                      f"'database_engine: {s.type}' on {name} in hosts.yml")
                continue
            for k, db in enumerate(s.databases):
                if db not in host.databases:
                    served = sorted(host.databases)
                    guess = naming.suggest(db, served)
                    hint = f"did you mean {guess!r}? " if guess else ""
                    hint += (f"databases of {name}: {', '.join(served)}" if served
                             else f"add it to the 'databases' of {name} in hosts.yml")
                    c.add(f, (*loc, "databases", k), db,
                          f"host {name!r} does not serve database {db!r}", hint)


# --- vpn.yml ---------------------------------------------------------------------------------

# Fields of a vpn.yml site that only one type uses.
_VPN_TYPE_FIELDS = {
    "gateway": ("linux-wireguard",),
    "tunnel_ip": ("linux-wireguard", "mikrotik-wireguard"),
    "management": ("mikrotik-wireguard",),
    "public_key": ("mikrotik-wireguard",),
    "wan_interface": ("mikrotik-wireguard", "ipsec-appliance"),
    "lan_interface": ("ipsec-appliance",),
    "vendor": ("ipsec-appliance",),
}
IKE_PORTS = (500, 4500)


def _vpn(c: _Collector, inv: Inventory) -> None:
    f = "vpn.yml"
    v = inv.vpn
    role_hosts = [(i, h, r) for i, h in enumerate(inv.hosts) for r in h.roles
                  if r in ("vpn_hub", "vpn_gateway")]
    if v is None:
        for i, h, r in role_hosts:
            c.add("hosts.yml", ("hosts", i, "roles"), list(h.roles),
                  f"host {h.name!r} has role {r!r} but there is no vpn.yml",
                  "describe the hub and the remote units in vpn.yml (see inventory/lab/vpn.yml), "
                  f"or remove {r!r} from the host's roles")
        return
    hosts: dict[str, models.Host] = {}
    for h in inv.hosts:  # a duplicate name is reported in hosts.yml; the first counts
        hosts.setdefault(h.name, h)
    sites = {s.code: s for s in inv.sites}
    hubs = [(i, h) for i, h, r in role_hosts if r == "vpn_hub"]
    for i, h in hubs[1:]:
        c.add("hosts.yml", ("hosts", i, "roles"), list(h.roles),
              f"host {h.name!r} is a second VPN hub (role 'vpn_hub')",
              f"{hubs[0][1].name!r} already is; this version has one hub per municipality")
    hub = hosts.get(v.hub)
    if hub is None:
        c.unknown(f, ("hub",), "host", v.hub, hosts)
    else:
        if "vpn_hub" not in hub.roles:
            c.add(f, ("hub",), v.hub, f"host {v.hub!r} has no role 'vpn_hub'",
                  "add 'vpn_hub' to its roles in hosts.yml")
        # with no or two central sites, sites.yml's own error says it
        if hub.site in sites and sites[hub.site].type != "central" and len(
                [x for x in inv.sites if x.type == "central"]) == 1:
            c.add(f, ("hub",), v.hub, f"hub {v.hub!r} is at site {hub.site!r}, not the central "
                  "site", "the hub is the gateway of the central building")
        if v.public_address is None and not any(
                inv.network(x.network).purpose == "wan" for x in hub.interfaces):
            c.add(f, ("hub",), v.hub, f"hub {v.hub!r} has no interface on a WAN network",
                  "give it one in hosts.yml, or set 'public_address:' to the address remote "
                  "units reach it at (e.g. the firewall that forwards the VPN ports to it)")

    subnet = ipaddress.IPv4Network(v.tunnel_subnet)
    for n in inv.networks:
        if subnet.overlaps(ipaddress.IPv4Network(n.cidr)):
            c.add(f, ("tunnel_subnet",), v.tunnel_subnet,
                  f"tunnel subnet {v.tunnel_subnet} overlaps {n.cidr} (network {n.name!r})",
                  "the tunnel subnet carries only the gateways' tunnel addresses: pick a range "
                  "no network of networks.yml uses, e.g. 10.255.0.0/24")

    # Tunnel addresses: inside the subnet, once each (the hub's first).
    tunnel_ips: list[tuple[Loc, str]] = [(("tunnel_ip",), v.tunnel_ip)] if v.tunnel_ip else []
    tunnel_ips += [(("sites", i, "tunnel_ip"), s.tunnel_ip) for i, s in enumerate(v.sites)
                   if s.tunnel_ip]
    for loc, ip in tunnel_ips:
        addr = ipaddress.IPv4Address(ip)
        if addr not in subnet or addr in (subnet.network_address, subnet.broadcast_address):
            c.add(f, loc, ip, f"{ip} is not a usable address of the tunnel subnet "
                  f"{v.tunnel_subnet}", f"use an address between {subnet.network_address + 1} "
                  f"and {subnet.broadcast_address - 1}")
    if v.tunnel_ip is None and tunnel_ips:
        first = str(subnet.network_address + 1)
        tunnel_ips.insert(0, (("tunnel_ip",), first))
    c.duplicates(f, tunnel_ips, "tunnel address")

    _vpn_access(c, inv, ("access",), v.access)
    c.duplicates(f, ((("sites", i, "site"), s.site) for i, s in enumerate(v.sites)), "VPN site")
    c.duplicates(f, ((("sites", i, "gateway"), s.gateway) for i, s in enumerate(v.sites)),
                 "gateway")
    c.duplicates(f, ((("sites", i, "public_key"), s.public_key) for i, s in enumerate(v.sites)),
                 "public key")
    if any(s.type == "ipsec-appliance" for s in v.sites) and v.listen_port in IKE_PORTS:
        c.add(f, ("listen_port",), v.listen_port,
              f"WireGuard port {v.listen_port} is IKE's, which the hub needs for the IPsec "
              "sites", "use another UDP port, e.g. 51820")
    for i, s in enumerate(v.sites):
        _vpn_site(c, inv, i, s)
    named = {s.site for s in v.sites}
    for i, pair in enumerate(v.site_links):
        for j, code in enumerate(pair):
            if code not in named:
                c.unknown(f, ("site_links", i, j), "VPN site", code, named)
        if pair[0] == pair[1]:
            c.add(f, ("site_links", i), list(pair), f"site {pair[0]!r} is linked to itself",
                  "a link names two different remote units")
    c.duplicates(f, ((("site_links", i), frozenset(p)) for i, p in enumerate(v.site_links)
                     if p[0] != p[1]), "site link")
    gateways = {s.gateway for s in v.sites if s.gateway}
    for i, h, r in role_hosts:
        if r == "vpn_gateway" and h.name not in gateways:
            c.add("hosts.yml", ("hosts", i, "roles"), list(h.roles),
                  f"host {h.name!r} has role 'vpn_gateway' but no site of vpn.yml names it",
                  f"add its site to vpn.yml with 'type: linux-wireguard' and 'gateway: {h.name}'"
                  ", or remove the role")


def _vpn_site(c: _Collector, inv: Inventory, i: int, s: models.VpnSite) -> None:
    f = "vpn.yml"
    loc: Loc = ("sites", i)
    sites = {x.code: x for x in inv.sites}
    site = sites.get(s.site)
    if site is None:
        c.unknown(f, (*loc, "site"), "site", s.site, sites)
    elif site.type != "remote" and len([x for x in inv.sites if x.type == "central"]) == 1:
        c.add(f, (*loc, "site"), s.site, f"site {s.site!r} is the central site",
              "list the remote units here; the centre is reached through the hub")
    for name, types in _VPN_TYPE_FIELDS.items():
        if getattr(s, name) is not None and s.type not in types:
            c.add(f, (*loc, name), getattr(s, name),
                  f"'{name}' does not apply to a {s.type} site",
                  f"it is for {' and '.join(types)} sites; remove it")
    if s.type == "linux-wireguard":
        if s.gateway is None:
            c.add(f, loc, s.site, f"linux-wireguard site {s.site!r} has no gateway",
                  "add 'gateway:' with the name of its gateway host (role vpn_gateway)")
        else:
            hosts: dict[str, models.Host] = {}
            for h in inv.hosts:
                hosts.setdefault(h.name, h)
            host = hosts.get(s.gateway)
            if host is None:
                c.unknown(f, (*loc, "gateway"), "host", s.gateway, hosts)
            elif "vpn_gateway" not in host.roles:
                c.add(f, (*loc, "gateway"), s.gateway,
                      f"host {s.gateway!r} has no role 'vpn_gateway'",
                      "add 'vpn_gateway' to its roles in hosts.yml")
            elif host.site != s.site and host.site in sites:
                c.add(f, (*loc, "gateway"), s.gateway,
                      f"gateway {s.gateway!r} is at site {host.site!r}, not {s.site!r}",
                      "name the gateway host of this site")
    if s.type in ("linux-wireguard", "mikrotik-wireguard") and s.tunnel_ip is None:
        c.add(f, loc, s.site, f"{s.type} site {s.site!r} has no tunnel address",
              "add 'tunnel_ip:' with a free address of the tunnel subnet")
    if s.type == "mikrotik-wireguard" and s.management is None:
        c.add(f, loc, s.site, f"MikroTik site {s.site!r} has no management address",
              "add 'management:' with the address the controller reaches the router's SSH at "
              "(its LAN address, reached through the tunnel once it is up)")
    if s.type == "ipsec-appliance" and s.endpoint is None:
        c.add(f, loc, s.site, f"IPsec site {s.site!r} has no endpoint",
              "add 'endpoint:' with the appliance's public address; IKE needs a fixed peer")
    site_nets = [n for n in inv.networks if n.site == s.site]
    lans = [n.name for n in site_nets if n.purpose != "wan"]
    if s.lans is None:
        # a network without a known site is reported in networks.yml; this would repeat it
        orphaned = any(n.site not in sites and n.purpose != "wan" for n in inv.networks)
        if site is not None and not lans and not orphaned:
            c.add(f, loc, s.site, f"site {s.site!r} has no network to connect",
                  f"add its LAN to networks.yml with 'site: {s.site}'")
    else:
        c.duplicates(f, (((*loc, "lans", j), n) for j, n in enumerate(s.lans)), "network")
        for j, name in enumerate(s.lans):
            if name not in lans:
                c.unknown(f, (*loc, "lans", j), f"network of site {s.site!r}", name, lans)
    if s.access is not None:
        _vpn_access(c, inv, (*loc, "access"), s.access)


def _vpn_access(c: _Collector, inv: Inventory, loc: Loc, values: list[str]) -> None:
    central = {x.code for x in inv.sites if x.type == "central"}
    known = set(m_.VPN_ACCESS_KEYWORDS) | {h.name for h in inv.hosts if h.site in central} \
        | {n.name for n in inv.networks if n.site in central and n.purpose != "wan"}
    c.duplicates("vpn.yml", (((*loc, j), x) for j, x in enumerate(values)), "access entry")
    for j, x in enumerate(values):
        if x not in known:
            guess = naming.suggest(x, known)
            c.add("vpn.yml", (*loc, j), x, f"unknown access entry {x!r}",
                  (f"did you mean {guess!r}? " if guess else "")
                  + f"use {', '.join(m_.VPN_ACCESS_KEYWORDS)}, or the name of a central host "
                  "or network")


def _pbx(c: _Collector, inv: Inventory) -> None:
    f = "pbx.yml"
    p = inv.pbx
    role_hosts = [(i, h) for i, h in enumerate(inv.hosts) if "pbx" in h.roles]
    if p is None:
        for i, h in role_hosts:
            c.add("hosts.yml", ("hosts", i, "roles"), list(h.roles),
                  f"host {h.name!r} has role 'pbx' but there is no pbx.yml",
                  "describe the exchange in pbx.yml (see inventory/lab/pbx.yml), or remove "
                  "'pbx' from the host's roles")
        return
    hosts = {h.name: h for h in reversed(inv.hosts)}  # a duplicate: the first counts
    host = hosts.get(p.host)
    if host is None:
        c.unknown(f, ("host",), "host", p.host, hosts)
    elif "pbx" not in host.roles:
        c.add(f, ("host",), p.host, f"host {p.host!r} has no role 'pbx'",
              "add 'pbx' to its roles in hosts.yml")
    for i, h in role_hosts:
        if h.name != p.host:
            c.add("hosts.yml", ("hosts", i, "roles"), list(h.roles),
                  f"host {h.name!r} has role 'pbx' but pbx.yml describes {p.host!r}",
                  "this version has one exchange per municipality")

    networks = {n.name: n for n in reversed(inv.networks)}
    voice = [n.name for n in inv.networks if n.purpose == "voice"]
    if p.voice_networks is None and not voice:
        c.add(f, ("host",), p.host, "no network of purpose 'voice' for the phones",
              "add the phones' VLAN to networks.yml with 'purpose: voice', or list the "
              "networks phones are on under 'voice_networks:'")
    for j, name in enumerate(p.voice_networks or []):
        if name not in networks:
            c.unknown(f, ("voice_networks", j), "network", name, networks)
    c.duplicates(f, ((("voice_networks", j), n) for j, n in enumerate(p.voice_networks or [])),
                 "voice network")
    allowed_voice = set(p.voice_networks if p.voice_networks is not None else voice)

    # One numbering plan: the people's extensions, the ring groups and the main number.
    rng = inv.municipality.extension_range
    numbers: dict[int, str] = {}
    for i, k in enumerate(inv.personel):
        if k.dahili is not None and k.durum != "ayrildi":
            numbers.setdefault(k.dahili, f"personel.yml personel[{i}].dahili")
    departed = {k.dahili for k in inv.personel if k.dahili is not None and k.durum == "ayrildi"}
    own: list[tuple[Loc, int]] = [(("main_number",), p.main_number)]
    own += [(("ring_groups", i, "number"), g.number) for i, g in enumerate(p.ring_groups)]
    for loc, number in own:
        if rng.first <= rng.last and not rng.first <= number <= rng.last:
            c.add(f, loc, number, f"number {number} is outside the range "
                  f"{rng.first}-{rng.last}", "see municipality.extension_range in "
                  "municipality.yml")
        elif number in numbers:
            c.add(f, loc, number, f"number {number} is already used",
                  f"{numbers[number]} has it; every extension, ring group and the main number "
                  "need their own")
        elif number in departed and p.departed == "ring_group":
            c.add(f, loc, number, f"number {number} still belongs to a person who left",
                  "with 'departed: ring_group' it forwards to their müdürlük; pick another "
                  "number, or set 'departed: release'")
        else:
            numbers[number] = f"pbx.yml {loc_to_path(loc)}"

    departments = {d.code for d in inv.municipality.departments}
    with_phones = {k.mudurluk for k in inv.personel if k.dahili is not None
                   and k.durum != "ayrildi"}
    for i, g in enumerate(p.ring_groups):
        if g.mudurluk not in departments:
            c.unknown(f, ("ring_groups", i, "mudurluk"), "department", g.mudurluk, departments)
        elif g.mudurluk not in with_phones:
            c.add(f, ("ring_groups", i, "mudurluk"), g.mudurluk,
                  f"ring group of müdürlük {g.mudurluk!r} has no phones",
                  "nobody of that müdürlük in personel.yml has an extension (dahili) and is "
                  "still working here; give someone a 'dahili:' or remove the group")
    c.duplicates(f, ((("ring_groups", i, "mudurluk"), g.mudurluk)
                     for i, g in enumerate(p.ring_groups)), "ring group müdürlük")

    # A ring group whose number collides is reported once, above; it is still a target.
    reachable = {n for n in numbers if n != p.main_number} | {g.number for g in p.ring_groups}
    targets = [(("operator",), p.operator)]
    targets += [(("ivr", "options", j, "target"), o.target) for j, o in enumerate(p.ivr.options)]
    for loc, number in targets:
        if number not in reachable:
            c.add(f, loc, number, f"{number} is neither an extension nor a ring group",
                  "use the 'dahili' of a person still working here, or a ring group's number")
    c.duplicates(f, ((("ivr", "options", j, "digit"), o.digit)
                     for j, o in enumerate(p.ivr.options)), "menu digit")

    sounds = [(("ivr", "greeting"), p.ivr.greeting), (("after_hours",), p.after_hours)]
    for loc, rel in sounds:
        if not inv.resolve(rel).is_file():
            c.add(f, loc, rel, f"sound file {rel!r} does not exist",
                  f"put the recording at {rel} next to pbx.yml (8 kHz mono WAV), or fix the path")

    bh = p.business_hours
    if bh.open >= bh.close:
        c.add(f, ("business_hours", "close"), bh.close,
              f"closing time {bh.close} is not after opening time {bh.open}",
              "business hours are within one day, e.g. open '08:30', close '17:30'")
    elif not bh.open < bh.half_day_close <= bh.close:
        c.add(f, ("business_hours", "half_day_close"), bh.half_day_close,
              f"half-day closing time {bh.half_day_close} is not within {bh.open}-{bh.close}",
              "a half day closes after opening and no later than a full day, e.g. '13:00'")
    c.duplicates(f, ((("business_hours", "days", j), d) for j, d in enumerate(bh.days)), "day")
    c.duplicates(f, ((("holidays", "extra", j, "date"), h.date.isoformat())
                     for j, h in enumerate(p.holidays.extra)), "holiday date")

    c.duplicates(f, ((("trunks", i, "name"), t.name) for i, t in enumerate(p.trunks)),
                 "trunk name")
    c.duplicates(f, ((("trunks", i, "numbers", j), n) for i, t in enumerate(p.trunks)
                     for j, n in enumerate(t.numbers)), "trunk number")
    for i, t in enumerate(p.trunks):
        if t.auth == "register" and t.username is None:
            c.add(f, ("trunks", i, "auth"), t.auth,
                  f"trunk {t.name!r} registers but has no user name",
                  "add 'username:' as the operator gave it (its password goes to the vault: "
                  f"vault_pbx_trunk_passwords.{t.name})")

    by_sicil = {k.sicil_no: k for k in reversed(inv.personel)}
    c.duplicates(f, ((("phones", i, "mac"), ph.mac) for i, ph in enumerate(p.phones)),
                 "MAC address")
    for i, ph in enumerate(p.phones):
        person = by_sicil.get(ph.sicil_no)
        if person is None:
            c.unknown(f, ("phones", i, "sicil_no"), "sicil no", ph.sicil_no, by_sicil)
        elif person.dahili is None:
            c.add(f, ("phones", i, "sicil_no"), ph.sicil_no,
                  f"{person.ad} {person.soyad} has no extension (dahili)",
                  "give the person a 'dahili:' in personel.yml, or assign the phone to "
                  "someone who has one")
        elif person.durum == "ayrildi":
            c.add(f, ("phones", i, "sicil_no"), ph.sicil_no,
                  f"{person.ad} {person.soyad} has left (durum: ayrildi)",
                  "give the phone to someone else, or take it out of the list")
        if ph.network not in networks:
            c.unknown(f, ("phones", i, "network"), "network", ph.network, networks)
        elif allowed_voice and ph.network not in allowed_voice:
            c.add(f, ("phones", i, "network"), ph.network,
                  f"network {ph.network!r} is not a voice network",
                  f"phones are on the voice networks: {', '.join(sorted(allowed_voice))}")


def _cameras(c: _Collector, inv: Inventory) -> None:
    f = "cameras.yml"
    cams = inv.cameras
    role_hosts = [(i, h) for i, h in enumerate(inv.hosts) if "nvr" in h.roles]
    for i, d in enumerate(inv.devices):
        if d.kind == "camera":
            c.add("devices.yml", ("devices", i, "kind"), d.kind,
                  f"camera {d.name!r} is listed as a device",
                  "cameras are described in cameras.yml (class, recorder, location); move "
                  "the entry there")
    if cams is None:
        for i, h in role_hosts:
            c.add("hosts.yml", ("hosts", i, "roles"), list(h.roles),
                  f"host {h.name!r} has role 'nvr' but there is no cameras.yml",
                  "describe the cameras it records in cameras.yml (see inventory/lab/"
                  "cameras.yml), or remove 'nvr' from the host's roles")
        return

    builtin_over = []
    for cls, (days, *_) in m_.CAMERA_CLASSES.items():
        override = getattr(cams.classes, cls)
        if override is not None and override.retention_days is not None:
            if override.retention_days > cams.max_retention_days:
                c.add(f, ("classes", cls, "retention_days"), override.retention_days,
                      f"class {cls!r} keeps recordings {override.retention_days} days, more "
                      f"than the policy maximum of {cams.max_retention_days}",
                      "KVKK: keep recordings no longer than the purpose needs; lower "
                      "retention_days, or raise max_retention_days if the municipality's "
                      "policy allows it")
        elif days > cams.max_retention_days:
            builtin_over.append(cls)
    if builtin_over:
        c.add(f, ("max_retention_days",), cams.max_retention_days,
              f"classes {', '.join(builtin_over)} keep recordings "
              f"{m_.CAMERA_CLASSES[builtin_over[0]][0]} days by default, more than the policy "
              f"maximum of {cams.max_retention_days}",
              "give those classes a retention_days under 'classes:', or raise "
              "max_retention_days")
    if cams.ntp_servers is None and not inv.hosts_with_role("ntp_server") and cams.cameras:
        c.add(f, ("cameras",), None, "the cameras have no NTP server",
              "give a host the role 'ntp_server' in hosts.yml, or list addresses under "
              "'ntp_servers:' in cameras.yml")

    sites = {s.code for s in inv.sites}
    networks = {n.name: n for n in reversed(inv.networks)}
    hosts = {h.name: h for h in reversed(inv.hosts)}
    taken = set(hosts) | {d.name for d in inv.devices}
    used: dict[str, str] = {}
    for i, h in enumerate(inv.hosts):
        for j, x in enumerate(h.interfaces):
            used.setdefault(x.ip, f"hosts.yml hosts[{i}].interfaces[{j}].ip")
    for i, d in enumerate(inv.devices):
        used.setdefault(d.ip, f"devices.yml devices[{i}].ip")
    c.duplicates(f, ((("cameras", i, "name"), k.name) for i, k in enumerate(cams.cameras)),
                 "camera name")
    c.duplicates(f, ((("min_firmware", i, "model"), m.model)
                     for i, m in enumerate(cams.min_firmware)), "model")
    for i, k in enumerate(cams.cameras):
        loc: Loc = ("cameras", i)
        if k.name in taken:
            c.add(f, (*loc, "name"), k.name,
                  f"camera name {k.name!r} is also a host or device name",
                  "names must be unique across hosts, devices and cameras")
        if k.ip in used:
            c.add(f, (*loc, "ip"), k.ip, f"duplicate IP address {k.ip}",
                  f"already used at {used[k.ip]}")
        else:
            used[k.ip] = f"cameras.yml cameras[{i}].ip"
        if k.site not in sites:
            c.unknown(f, (*loc, "site"), "site", k.site, sites)
        net = networks.get(k.network)
        if net is None:
            c.unknown(f, (*loc, "network"), "network", k.network,
                      [n for n, x in networks.items() if x.purpose == "camera"])
        elif net.purpose != "camera":
            c.add(f, (*loc, "network"), k.network,
                  f"network {k.network!r} is a {net.purpose} network, not a camera network",
                  "cameras sit on their site's camera VLAN (purpose: camera), which reaches "
                  "only the recorder and NTP")
        else:
            if net.site in sites and k.site in sites and net.site != k.site:
                c.add(f, (*loc, "network"), k.network,
                      f"network {k.network!r} belongs to site {net.site!r}, not {k.site!r}",
                      "use the camera network of the camera's own site")
            _in_network(c, f, (*loc, "ip"), k.ip, cidr=net.cidr, net_name=k.network)
        nvr = hosts.get(k.nvr)
        if nvr is None:
            c.unknown(f, (*loc, "nvr"), "recorder", k.nvr, [h for h, x in hosts.items()
                                                              if "nvr" in x.roles])
        elif "nvr" not in nvr.roles:
            c.add(f, (*loc, "nvr"), k.nvr, f"host {k.nvr!r} has no role 'nvr'",
                  "name a recorder (a host with role 'nvr' in hosts.yml), or add the role")



def _legal_logging(c: _Collector, inv: Inventory) -> None:
    f = "legal_logging.yml"
    ll = inv.legal_logging
    if ll is None:
        return
    if not inv.hosts_with_role("log_collector"):
        c.add(f, ("tsa",), None, "legal logging is described but no host collects the logs",
              "give a host the role 'log_collector' in hosts.yml: it seals the logs")
    if ll.retention_days < m_.LEGAL_LOG_MIN_DAYS and not ll.allow_short_retention:
        c.add(f, ("retention_days",), ll.retention_days,
              f"retention of {ll.retention_days} days is below the legal minimum of "
              f"{m_.LEGAL_LOG_MIN_DAYS} days (Law 5651, 2017 regulation)",
              f"keep {m_.LEGAL_LOG_MIN_DAYS} days or more; only on a lawyer's advice set "
              "'allow_short_retention: true'")
    collectors = {h.name for h in inv.hosts_with_role("log_collector")}
    host = urllib.parse.urlsplit(ll.tsa.url).hostname
    by_ip = {i.ip: h.name for h in inv.hosts for i in h.interfaces}
    if host in collectors or by_ip.get(host or "") in collectors:
        c.add(f, ("tsa", "url"), ll.tsa.url,
              "the time stamps would come from the log collector itself",
              "a seal is only worth something from a TSA the collector's administrators do "
              "not control: use a licensed provider or a separate host")
    # The sealed bundles go into the backups (a lost disk must not lose two years of logs).
    if inv.backups is not None:
        archive = m_.LEGAL_LOG_ARCHIVE
        for name in sorted(collectors):
            covered = any(s.type == "files" and name in s.hosts
                          and any(archive == p or archive.startswith(p.rstrip("/") + "/")
                                  for p in s.paths) for s in inv.backups.sets)
            if not covered:
                c.add("backups.yml", ("sets",), None,
                      f"the sealed Law 5651 archive of {name!r} ({archive}) is in no backup set",
                      f"add a files set with hosts: [{name}] and paths: [{archive}] "
                      "(legal_logging.yml is on: the sealed days are backed up like any data)")


def _dhcp(c: _Collector, inv: Inventory) -> None:
    f = "networks.yml"
    static: dict[str, str] = {}
    for h in inv.hosts:
        for x in h.interfaces:
            static[x.ip] = f"host {h.name!r}"
    for d in inv.devices:
        static[d.ip] = f"device {d.name!r}"
    if inv.cameras is not None:
        for cam in inv.cameras.cameras:
            static[cam.ip] = f"camera {cam.name!r}"
    served: set[str] = set()
    for i, n in enumerate(inv.networks):
        if n.dhcp is None:
            continue
        loc = ("networks", i, "dhcp")
        if n.purpose in ("wan", "server", "management"):
            c.add(f, (*loc,), n.name, f"network {n.name!r} ({n.purpose}) hands out addresses "
                  "by DHCP", "DHCP is for user, guest, voice and camera networks; servers, "
                  "management and WAN addresses are fixed in the inventory")
        host = next((h for h in inv.hosts if h.name == n.dhcp.server), None)
        if host is None:
            c.unknown(f, (*loc, "server"), "host", n.dhcp.server, [h.name for h in inv.hosts])
        else:
            served.add(host.name)
            if "dhcp_server" not in host.roles:
                c.add(f, (*loc, "server"), n.dhcp.server,
                      f"host {host.name!r} does not have the role 'dhcp_server'",
                      "add 'dhcp_server' to its roles in hosts.yml")
            if not any(x.network == n.name for x in host.interfaces) and n.gateway is None:
                c.add(f, (*loc, "server"), n.dhcp.server,
                      f"host {host.name!r} has no interface on network {n.name!r}, which "
                      "has no gateway to relay to it",
                      "give the network its gateway (the router relays DHCP to the server: "
                      "'ip helper-address'), or serve it from a host on the network")
        net = ipaddress.IPv4Network(n.cidr)
        first, last = (ipaddress.IPv4Address(a) for a in n.dhcp.pool)
        for j, a in enumerate(n.dhcp.pool):
            _in_network(c, f, (*loc, "pool", j), a, cidr=n.cidr, net_name=n.name)
        if first > last:
            c.add(f, (*loc, "pool"), n.dhcp.pool,
                  f"the pool starts at {first}, after its end {last}",
                  "write the pool as [first, last]")
            continue
        if first not in net or last not in net:
            continue
        taken = sorted((ipaddress.IPv4Address(ip), who) for ip, who in static.items()
                       if first <= ipaddress.IPv4Address(ip) <= last)
        if n.gateway and first <= ipaddress.IPv4Address(n.gateway) <= last:
            taken.insert(0, (ipaddress.IPv4Address(n.gateway), "the gateway"))
        if taken:
            ip, who = taken[0]
            c.add(f, (*loc, "pool"), n.dhcp.pool,
                  f"the pool {first} - {last} contains {ip}, the fixed address of {who}",
                  "leave the fixed addresses out of the pool; DHCP would hand them out "
                  "twice")
    for i, h in enumerate(inv.hosts):
        if "dhcp_server" in h.roles and h.name not in served:
            c.add("hosts.yml", ("hosts", i, "roles"), list(h.roles),
                  f"host {h.name!r} has role 'dhcp_server' but no network names it",
                  "give a network in networks.yml 'dhcp: {server: "
                  f"{h.name}, pool: [first, last]}}', or remove the role")


def _content_filter(c: _Collector, inv: Inventory) -> None:
    f = "content_filter.yml"
    cf = inv.content_filter
    resolvers_used: set[str] = set()
    if cf is not None:
        c.duplicates(f, [(("lists", i, "name"), x.name) for i, x in enumerate(cf.lists)], "list")
        c.duplicates(f, [(("policies", i, "name"), p.name) for i, p in enumerate(cf.policies)],
                     "policy")
        c.duplicates(f, [(("networks", i, "network"), n.network)
                         for i, n in enumerate(cf.networks)], "network")
        for i, x in enumerate(cf.lists):
            _block_list(c, inv, ("lists", i, "file"), x.file)
        list_names = [x.name for x in cf.lists]
        for i, p in enumerate(cf.policies):
            for j, name in enumerate(p.block):
                if name not in list_names:
                    c.unknown(f, ("policies", i, "block", j), "list", name, list_names)
        networks = {n.name: n for n in inv.networks}
        hosts = {h.name: h for h in inv.hosts}
        policy_names = [p.name for p in cf.policies]
        for i, fn in enumerate(cf.networks):
            loc = ("networks", i)
            net = networks.get(fn.network)
            if net is None:
                c.unknown(f, (*loc, "network"), "network", fn.network, networks)
            elif net.purpose not in ("data", "guest"):
                c.add(f, (*loc, "network"), fn.network,
                      f"network {fn.network!r} is a {net.purpose} network",
                      "filter the networks people browse from: purpose 'data' (staff, "
                      "kiosks) or 'guest' (public Wi-Fi)")
            if fn.policy not in policy_names:
                c.unknown(f, (*loc, "policy"), "policy", fn.policy, policy_names)
            host = hosts.get(fn.resolver)
            if host is None:
                c.unknown(f, (*loc, "resolver"), "host", fn.resolver, hosts)
                continue
            resolvers_used.add(host.name)
            if "dns_resolver" not in host.roles:
                c.add(f, (*loc, "resolver"), fn.resolver,
                      f"host {host.name!r} does not have the role 'dns_resolver'",
                      "add 'dns_resolver' to its roles in hosts.yml")
            if (net is not None and net.gateway is None
                    and not any(x.network == net.name for x in host.interfaces)):
                c.add(f, (*loc, "resolver"), fn.resolver,
                      f"host {host.name!r} has no interface on network {net.name!r}, which "
                      "has no gateway to route to it",
                      "give the network its gateway, or choose a resolver on the network")
    filtered = {fn.network: fn for fn in cf.networks} if cf is not None else {}
    for i, n in enumerate(inv.networks):
        fn = filtered.get(n.name)
        if fn is None or n.dhcp is None or n.dhcp.dns_servers is None:
            continue
        host = next((h for h in inv.hosts if h.name == fn.resolver), None)
        if host is None:
            continue
        addresses = {x.ip for x in host.interfaces}
        if not addresses & set(n.dhcp.dns_servers):
            c.add("networks.yml", ("networks", i, "dhcp", "dns_servers"), n.dhcp.dns_servers,
                  f"the clients of {n.name!r} would ask {', '.join(n.dhcp.dns_servers)} and "
                  f"bypass the content filter on {host.name!r} (content_filter.yml)",
                  f"leave dns_servers out (DHCP then hands out {host.name}'s address) or "
                  f"list one of {host.name}'s addresses")
    for i, h in enumerate(inv.hosts):
        if "dns_resolver" in h.roles and h.name not in resolvers_used:
            c.add("hosts.yml", ("hosts", i, "roles"), list(h.roles),
                  f"host {h.name!r} has role 'dns_resolver' but no network uses it",
                  "name it as the 'resolver' of a network in content_filter.yml, or remove "
                  "the role")


def _block_list(c: _Collector, inv: Inventory, loc: Loc, relative: str) -> None:
    """A list file must be under icerik-filtresi/, exist, and hold only domains; each bad line
    is reported in the list file itself."""
    f = "content_filter.yml"
    folder = (inv.root / m_.FILTER_LISTS_DIR).resolve()
    path = (inv.root / relative).resolve()
    if not path.is_relative_to(folder):
        c.add(f, loc, relative, f"{relative!r} is not under {m_.FILTER_LISTS_DIR}/",
              f"keep the block lists in the inventory's {m_.FILTER_LISTS_DIR}/ directory, "
              f"e.g. {m_.FILTER_LISTS_DIR}/{Path(relative).name}")
        return
    if not path.is_file():
        c.add(f, loc, relative, f"block list {relative!r} does not exist",
              f"create it (one domain per line) or correct the name; files in "
              f"{m_.FILTER_LISTS_DIR}/: "
              + (", ".join(sorted(p.name for p in folder.glob("*") if p.is_file()))
                 if folder.is_dir() else "none"))
        return
    shown = path.relative_to(inv.root.resolve()).as_posix()
    _, problems, count = blocklists.read(path)
    for p in problems:
        c.issues.append(Issue(shown, p.line, "domain", p.value, p.message, p.hint))
    if count > len(problems):
        c.issues.append(Issue(shown, None, "(file)", count,
                              f"{count - len(problems)} more lines are not domains",
                              "fix the lines above and validate again to see the rest"))


def _holiday_power(c: _Collector, inv: Inventory) -> None:
    """Every machine shut down for a holiday has a way back; leave days sit in their year."""
    machines = [("hosts.yml", ("hosts", i), h, True) for i, h in enumerate(inv.hosts)] + [
        ("devices.yml", ("devices", i), d, False) for i, d in enumerate(inv.devices)]
    for f, loc, m, is_host in machines:
        p = m.power_on
        if m.tatilde_kapat and p is None:
            c.add(f, (*loc, "tatilde_kapat"), True,
                  f"{m.name!r} is shut down for holidays but has no way to power it back on",
                  "add power_on: {method: wol, mac: ...} (or ipmi with bmc:, rtc for a "
                  "server, timer_socket), or remove tatilde_kapat")
        if p is None:
            continue
        if p.method == "wol" and p.mac is None:
            c.add(f, (*loc, "power_on"), p.model_dump(exclude_defaults=True),
                  f"Wake-on-LAN for {m.name!r} needs its MAC address",
                  "add mac: (the network card's address, e.g. '52:54:00:12:34:56')")
        if p.method == "ipmi" and p.bmc is None:
            c.add(f, (*loc, "power_on"), p.model_dump(exclude_defaults=True),
                  f"IPMI power-on for {m.name!r} needs the address of its BMC",
                  "add bmc: (the iDRAC/iLO/IPMI address)")
        if p.method == "rtc" and not is_host:
            c.add(f, (*loc, "power_on", "method"), p.method,
                  f"device {m.name!r} cannot set its own wake-up alarm (rtc is for servers)",
                  "use wol, ipmi or timer_socket")
        if is_host and m.tatilde_kapat and p.method == "rtc" and m.init_system != "systemd":
            c.add(f, (*loc, "power_on", "method"), p.method,
                  f"host {m.name!r} has no systemd to set the alarm with (rtcwake)",
                  "use wol, ipmi or timer_socket")
    hp = inv.holiday_power
    if hp is None:
        return
    for year, days in hp.idari_izin.items():
        for j, d in enumerate(days):
            if d.date.year != year:
                c.add("holiday_power.yml", ("idari_izin", str(year), j, "date"), d.date.isoformat(),
                      f"leave day {d.date.isoformat()} is not in {year}",
                      f"list it under {d.date.year}:, or correct the date")
        c.duplicates("holiday_power.yml",
                     ((("idari_izin", str(year), j, "date"), d.date.isoformat())
                      for j, d in enumerate(days)), "leave day")


def _varliklar(c: _Collector, inv: Inventory) -> None:
    """Every asset names something of this inventory (or is known by its serial alone), once;
    registration numbers, serials and licence names are unique; dates are in order."""
    f = "varliklar.yml"
    data = inv.varliklar
    if data is None:
        return
    known = ({h.name for h in inv.hosts} | {d.name for d in inv.devices}
             | {k.name for k in (inv.cameras.cameras if inv.cameras else [])}
             | {p.mac for p in (inv.pbx.phones if inv.pbx else [])})
    for i, v in enumerate(data.varliklar):
        loc: Loc = ("varliklar", i)
        if v.cihaz is None and v.seri_no is None:
            c.add(f, loc, None, "the asset names no device and no serial number",
                  "write 'cihaz:' with the name of a host, device or camera (or a phone's "
                  "MAC), or 'seri_no:' for equipment the project does not manage")
        elif v.cihaz is not None and v.cihaz not in known:
            c.unknown(f, (*loc, "cihaz"), "asset", v.cihaz, known)
        if v.alim_tarihi and v.garanti_bitis and v.garanti_bitis < v.alim_tarihi:
            c.add(f, (*loc, "garanti_bitis"), v.garanti_bitis.isoformat(),
                  f"the warranty ends ({v.garanti_bitis.isoformat()}) before the purchase "
                  f"date ({v.alim_tarihi.isoformat()})",
                  "check both dates on the invoice; write them as YYYY-MM-DD")
    c.duplicates(f, ((("varliklar", i, "cihaz"), v.cihaz)
                     for i, v in enumerate(data.varliklar)), "asset")
    c.duplicates(f, ((("varliklar", i, "sicil_no"), v.sicil_no)
                     for i, v in enumerate(data.varliklar)), "registration number")
    c.duplicates(f, ((("varliklar", i, "seri_no"), v.seri_no)
                     for i, v in enumerate(data.varliklar)), "serial number")
    c.duplicates(f, ((("lisanslar", i, "urun"), x.urun)
                     for i, x in enumerate(data.lisanslar)), "licence")


def _ups(c: _Collector, inv: Inventory) -> None:
    """Each UPS is a device of kind ups; its server and clients are hosts with systemd in its
    building, each powered by one UPS; the NUT server goes down last."""
    f = "ups.yml"
    u_file = inv.ups
    if u_file is None:
        return
    c.duplicates(f, ((("upses", i, "name"), u.name) for i, u in enumerate(u_file.upses)), "UPS")
    devices = {d.name: d for d in inv.devices}
    hosts = {h.name: h for h in inv.hosts}
    ups_devices = [d.name for d in inv.devices if d.kind == "ups"]
    powered: dict[str, tuple[str, Loc]] = {}  # host -> the UPS that shuts it down, where
    for i, u in enumerate(u_file.upses):
        loc: Loc = ("upses", i)
        device = devices.get(u.name)
        if device is None:
            c.unknown(f, (*loc, "name"), "UPS device", u.name, ups_devices)
        elif device.kind != "ups":
            c.add(f, (*loc, "name"), u.name, f"device {u.name!r} is a {device.kind}, not a UPS",
                  "name a device of devices.yml with kind: ups")
            device = None
        members = [((*loc, "server"), u.server, "server")]
        members += [((*loc, "clients", j, "host"), x.host, "client")
                    for j, x in enumerate(u.clients)]
        for mloc, name, part in members:
            host = hosts.get(name)
            if host is None:
                c.unknown(f, mloc, "host", name, hosts)
                continue
            if host.init_system != "systemd":
                c.add(f, mloc, name, f"host {name!r} has no systemd (init_system: "
                      f"{host.init_system}); the NUT {part} needs it",
                      "leave it out of ups.yml and shut it down by hand, or choose a host "
                      "with systemd")
            if device is not None and host.site != device.site:
                c.add(f, mloc, name, f"host {name!r} is at site {host.site!r}, UPS "
                      f"{u.name!r} at {device.site!r}",
                      "a UPS powers the machines of its own building; list the host under a "
                      f"UPS of site {host.site!r}")
            if name in powered:
                other, other_loc = powered[name]
                if other == u.name:
                    c.add(f, mloc, name, f"host {name!r} is listed twice for UPS {u.name!r}",
                          f"already at {loc_to_path(other_loc)}; a host has one stage")
                else:
                    c.add(f, mloc, name, f"host {name!r} is already shut down by UPS "
                          f"{other!r}", f"at {loc_to_path(other_loc)}; a host is powered by "
                          "one UPS here (power supplies on two UPSes are not supported): list "
                          "it under one")
            else:
                powered[name] = (u.name, mloc)
        order = m_.UPS_STAGES.index
        later = [x for x in u.clients if order(x.stage) > order(u.server_stage)]
        if later:
            last = max(later, key=lambda x: order(x.stage))
            c.add(f, (*loc, "server_stage"), u.server_stage,
                  f"the NUT server {u.server!r} would shut down before its client "
                  f"{last.host!r} (stage {last.stage})",
                  "the server goes last: give it the latest stage of its clients "
                  f"(server_stage: {last.stage})")
