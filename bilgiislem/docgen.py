"""Generated documentation: the inventory schema reference and the role variable tables.

Two kinds of text are derived from code, so they cannot drift from it:

* ``docs/inventory-schema.md`` from the pydantic models in ``bilgiislem/inventory/models.py``
  (types, required/default, allowed values and ranges come from the annotations; the one-line
  descriptions live in ``FIELD_DOCS`` below, because the models carry none);
* the "Variables" table of every ``roles/<role>/README.md``, between the markers
  ``<!-- BEGIN argument_specs -->`` and ``<!-- END argument_specs -->``, from the role's
  ``meta/argument_specs.yml``.

``write_all()`` rewrites whatever is out of date; ``write_all(check=True)`` only lists it (the
unit tests assert that list is empty). A new field or type in the models makes rendering fail
with a message naming what to describe here.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import AfterValidator, BaseModel
from pydantic.fields import FieldInfo

from bilgiislem import REPO_ROOT, naming
from bilgiislem.inventory import models

SCHEMA_DOC = Path("docs") / "inventory-schema.md"
ROLES_DIR = Path("roles")
BEGIN = "<!-- BEGIN argument_specs -->"
END = "<!-- END argument_specs -->"
REGENERATE = "./scripts/invoke docs"


class DocgenError(RuntimeError):
    pass


# ---------------------------------------------------------------------------------------------
# What the models do not say: one English line per field, per file, and per reusable type.

FILE_DOCS: dict[str, str] = {
    "municipality.yml": "The municipality itself: names, domain, time and locale settings, "
    "the telephone extension range and the departments (müdürlükler).",
    "sites.yml": "Buildings: the central building (where the servers are) and the remote "
    "units (libraries, fire stations, water plants, ...).",
    "networks.yml": "Every IP network: the LANs and VLANs of each site and the WAN networks "
    "that connect the sites.",
    "hosts.yml": "Servers Ansible manages over SSH, the roles they carry, their interfaces, "
    "and how Ansible connects to them.",
    "devices.yml": "Network equipment and other devices with an IP address: switches, "
    "routers, firewalls, access points, phones, UPSes, printers. Cameras are in "
    "`cameras.yml`.",
    "backups.yml": "Backups by data class: the repository host, the off-site copy, the "
    "backup sets (what is backed up on which hosts) and the classes each set is kept in. "
    "See [inventory.md](inventory.md#yedekleme--backups).",
    "vpn.yml": "The site-to-site VPN: the hub, the tunnel subnet, each remote unit's gateway "
    "(Linux WireGuard, MikroTik WireGuard or an IPsec appliance), what it may reach at the "
    "centre and which units may reach each other. See [vpn.md](vpn.md).",
    "pbx.yml": "The telephone exchange: its host, the main number's menu, business hours "
    "and holidays, ring groups per müdürlük, the operator's trunks and the phones to "
    "provision. Extensions come from `personel.yml` (`dahili`). See [pbx.md](pbx.md).",
    "cameras.yml": "IP cameras: where each one is, its class (retention and video settings), "
    "the recorder (host with role `nvr`) that records it, and the municipality's retention "
    "policy. Camera operators come from `personel.yml` (`hizmetler: [kamera]`). See "
    "[cameras.md](cameras.md).",
    "legal_logging.yml": "Law 5651 legal logging on the log collector: the RFC 3161 "
    "time-stamp authority, how long sealed days are kept and when a silent source raises an "
    "alert. See [legal-logging.md](legal-logging.md).",
    "holiday_power.yml": "The holiday power schedule: when the machines marked "
    "`tatilde_kapat` go down before a public holiday (the official calendar, half days "
    "included) and come back after it, and the administrative leave days (idari izin) per "
    "year. See [holiday-power.md](holiday-power.md).",
    "ups.yml": "UPS shutdown with Network UPS Tools: each UPS (a device of `devices.yml` with "
    "`kind: ups`), the host its cable or network card is read from (the NUT server), the hosts "
    "it powers (NUT clients) and the stage each one shuts down in when the battery runs low "
    "(applications, then databases, then storage; the server last). See [ups.md](ups.md).",
    "content_filter.yml": "Law 5651 content filtering on the user networks: block lists (text "
    "files of domains under `icerik-filtresi/`), policies that block some of them, and the "
    "resolver (host with role `dns_resolver`) and policy of each network. Every query is "
    "logged for the legal record. See [legal-logging.md](legal-logging.md#içerik-filtresi).",
    "varliklar.yml": "The asset register (Taşınır) data the asset inventory joins with what "
    "it reads from the equipment: each asset's registration number (sicil no), Taşınır code, "
    "purchase date, warranty end and location, and the software licences with their counts "
    "and the Debian packages that count as an installation. The keys are Turkish, like the "
    "register. See [assets.md](assets.md).",
    "personel.yml": "Staff, as the personnel (İnsan Kaynakları) office exports them. The keys "
    "are Turkish, like the export. Usernames are derived by the rule in "
    "[inventory.md](inventory.md#kullanıcı-adı-kuralı--username-rule) unless "
    "`kullanici_adi` is given.",
}

# Rules that need more than one record (bilgiislem/inventory/crosscheck.py). They run once
# every file matches the schema.
FILE_CHECKS: dict[str, list[str]] = {
    "municipality.yml": [
        "department codes are unique",
        "`extension_range.first` is not larger than `extension_range.last`",
    ],
    "sites.yml": [
        "site codes are unique",
        "exactly one site has `type: central`",
    ],
    "networks.yml": [
        "network names are unique",
        "`site` names a site in sites.yml; only `purpose: wan` networks may omit it",
        "a VLAN ID is used at most once per site",
        "`gateway` lies inside `cidr` and is neither its network nor its broadcast address",
        "no two networks overlap",
        "`dhcp` only on user, guest, voice and camera networks; `dhcp.server` is a host with "
        "role `dhcp_server` and an interface on the network; the pool lies inside the network, "
        "starts before it ends and holds no fixed address (hosts, devices, cameras, the "
        "gateway); a host with role `dhcp_server` serves some network",
    ],
    "hosts.yml": [
        "host names are unique",
        "`site` names a site in sites.yml",
        "a host lists each role and each interface network at most once",
        "every interface network exists in networks.yml and belongs to the host's site "
        "(or has no site, as WAN networks do)",
        "every address lies inside its network, is neither its network nor its broadcast "
        "address, and is used once across hosts.yml and devices.yml",
        "`management_network` is one of the host's own interface networks",
        "`databases` only on a host with role `database`, each name once",
    ],
    "backups.yml": [
        "`repository` and `offsite` name hosts of hosts.yml with role `backup_server`, and "
        "not the same one",
        "set names are unique; a set lists each host, path, database and class once",
        "every host of a set exists in hosts.yml",
        "a `files` set has `paths` and no `databases`",
        "a `postgresql` or `mariadb` set has `databases` and no `paths`; its hosts have role "
        "`database` and serve every listed database (their `databases` in hosts.yml)",
    ],
    "devices.yml": [
        "device names are unique, and no device has the name of a host",
        "`site`, `network` and `ip` follow the same rules as a host interface",
        "a port profile has what its `mode` needs (`vlan` for access, `vlans` for trunk) and "
        "nothing of another mode; `native` is one of `vlans`",
        "only switches, routers and firewalls of a vendor with templates have `ports` or "
        "`lags`; each port (ranges expanded, LAG members included) is listed once",
        "every VLAN a port's profile uses is a network of that purpose, with a `vlan`, at the "
        "device's site",
        "a profile uses only features the vendor's templates have (`hp_procurve`: no "
        "`port_security`)",
    ],
    "vpn.yml": [
        "`hub` is the one host with role `vpn_hub`, at the central site, with an interface on "
        "a WAN network or a `public_address`",
        "every host with role `vpn_gateway` is the `gateway` of exactly one site here, at that "
        "site; with such roles in hosts.yml, vpn.yml must exist",
        "`tunnel_subnet` overlaps no network of networks.yml; every tunnel address (the hub's "
        "and the sites') is a usable address of it and unique",
        "each site is a remote site, listed once; its `lans` are networks of that site",
        "`linux-wireguard` sites need `gateway` and `tunnel_ip`; `mikrotik-wireguard` sites "
        "`tunnel_ip` and `management`; `ipsec-appliance` sites `endpoint`; a field of another "
        "type is an error",
        "`public_key`s are unique; `access` entries are keywords or central hosts or "
        "networks; `site_links` name two different sites of this file, each pair once",
        "with IPsec sites, `listen_port` is not 500 or 4500 (IKE)",
    ],
    "cameras.yml": [
        "with a host of role `nvr` in hosts.yml, cameras.yml must exist; no camera is listed "
        "in devices.yml",
        "camera names are unique and differ from host and device names; camera addresses "
        "are unique across hosts, devices and cameras",
        "each camera is on a network of purpose `camera` of its own site, inside its range, "
        "and names a host with role `nvr` as `nvr`",
        "no class keeps recordings longer than `max_retention_days` (built-in classes keep 30 "
        "days)",
    ],
    "legal_logging.yml": [
        "a host has the role `log_collector`",
        "`retention_days` is 730 (two years) or more, unless `allow_short_retention: true`",
        "the TSA is not the log collector itself (by name or address); `deploy` also checks "
        "that `tsa.ca_file` holds a PEM certificate before it contacts any host",
        "with `backups.yml`, a `files` set of each log collector covers the sealed archive "
        "`/var/log/5651-arsiv`",
        "without `ntp_servers`, some host has role `ntp_server`",
    ],
    "holiday_power.yml": [
        "every host or device with `tatilde_kapat: true` has `power_on`; `wol` has `mac`, "
        "`ipmi` has `bmc`, `rtc` only on a host with systemd",
        "a leave day is listed under its own year, and only once",
    ],
    "ups.yml": [
        "UPS names are unique; each is a device of devices.yml with `kind: ups`",
        "the server and every client is a host of hosts.yml with systemd, at the UPS's site",
        "a host is shut down by one UPS: it is the server or a client of one UPS, once",
        "`server_stage` is not before any client's stage (the NUT server goes last)",
    ],
    "content_filter.yml": [
        "list, policy and network names are unique; a policy blocks only lists defined here",
        "each list file is under `icerik-filtresi/`, exists, and holds one domain per line "
        "(a web address, an IP address or an invalid name is reported with the list file's "
        "name and line; Turkish letters become punycode)",
        "each network exists and is a `data` or `guest` network; its policy exists; its "
        "resolver has role `dns_resolver` and an interface on the network, or the network has a "
        "gateway to route to it",
        "a filtered network's `dhcp.dns_servers`, when given, includes the resolver (DHCP "
        "hands it out by default); a host with role `dns_resolver` resolves some network",
    ],
    "varliklar.yml": [
        "an asset has `cihaz` (a host, device or camera name, or the MAC of a phone of "
        "pbx.yml), or `seri_no` alone for equipment the project does not manage",
        "`cihaz`, `sicil_no` and `seri_no` are unique across the assets; licence names "
        "(`urun`) are unique",
        "`garanti_bitis` is not before `alim_tarihi`",
    ],
    "pbx.yml": [
        "`host` is the one host with role `pbx`; with that role in hosts.yml, pbx.yml must "
        "exist",
        "`main_number` and the ring groups' numbers are inside `extension_range`, and no two "
        "of them or a `dahili` of someone still working here are the same (nor, with "
        "`departed: ring_group`, the number of someone who left)",
        "each ring group's müdürlük is a department, listed once, with at least one person "
        "who has a `dahili` and has not left",
        "`operator` and every menu target is a `dahili` of someone still working here or a "
        "ring group's number; menu digits are unique",
        "the recordings exist under `sesler/`; `close` is after `open`, and "
        "`half_day_close` between them; holiday dates are unique",
        "a trunk with `auth: register` has a `username`; trunk names and numbers are unique",
        "a phone's person exists, has a `dahili` and has not left; its network is a voice "
        "network; MAC addresses are unique",
        "there is a voice network (`purpose: voice`) or `voice_networks` is given",
    ],
    "personel.yml": [
        "`sicil_no`, `dahili` and `kullanici_adi` are unique",
        "`mudurluk` is a department code from municipality.yml",
        "`dahili` lies inside `municipality.extension_range`",
        "`durum: ayrildi` needs `ayrilis`; any other `durum` must not have it",
        "`ayrilis` is not before `baslama`",
        "a `sunucu_yoneticisi` who has not left has at least one key in `ssh_anahtarlari`",
        "no SSH key is listed for two people",
        "without `kullanici_adi`, `ad` and `soyad` must each contain a letter that folds to "
        "ASCII, so a username can be derived",
    ],
}

# Reusable constrained types of models.py, by their name there: (type, allowed values).
TYPE_DOCS: dict[str, tuple[str, str]] = {
    "Realm": ("Kerberos realm", "a DNS domain, written in capitals (`AD.ORNEKKOY.BEL.TR`)"),
    "NetbiosName": ("NetBIOS name", "1 to 15 uppercase ASCII letters, digits or hyphens, "
                    "starting with a letter (`ORNEKKOY`)"),
    "Slug": ("code", "lowercase ASCII letters and digits, words joined by single hyphens, "
             "starting with a letter (`bilgi-islem`)"),
    "InterfaceName": ("interface name", "the vendor's interface name, or a range of its last "
                      "number (`GigabitEthernet1/0/1-24`, `1-24` on HP ProCurve)"),
    "Platform": ("platform name", "lowercase ASCII words joined by `_` or `-`, as netmiko "
                 "device types (`cisco_ios`, `huawei_vrp`, `hp_procurve`)"),
    "SoundFile": ("recording", "a file under the inventory's `sesler/` directory: `.wav` (8 kHz "
                  "mono PCM), `.gsm`, `.ulaw`, `.alaw` or `.sln` (`sesler/karsilama.wav`)"),
    "Clock": ("time of day", "HH:MM in 24 hours (`08:30`)"),
    "MacAddress": ("MAC address", "six pairs of hex digits separated by `:`, `-` or `.`, or "
                   "none (`80:5E:C0:11:22:33`)"),
    "AddressBlock": ("IPv4 address or network", "an address (`203.0.113.5`, taken as /32) or "
                     "a network without host bits (`203.0.113.0/28`)"),
    "Number": ("telephone number", "an internal number from 100 to 99999 (`2050`)"),
    "IPv4": ("IPv4 address", "four numbers from 0 to 255 separated by dots (`10.10.20.15`)"),
    "Cidr": ("IPv4 network", "network address and prefix length, no host bits set, /30 or "
             "shorter (`10.10.20.0/24`)"),
    "HostName": ("host name", "1–63 lowercase ASCII letters, digits and hyphens, not "
                 "starting or ending with a hyphen (`srv-log`)"),
    "Target": ("DNS name or IPv4 address", "lowercase ASCII labels separated by dots "
               "(`time.ume.tubitak.gov.tr`)"),
    "Domain": ("domain name", "lowercase ASCII labels with at least one dot "
               "(`ornekkoy.bel.tr`)"),
    "TimeZone": ("time zone", "a name from the IANA time zone database (`Europe/Istanbul`)"),
    "Locale": ("locale", "`xx_YY.UTF-8` (`tr_TR.UTF-8`)"),
    "PersonName": ("person name", "letters of any script (Turkish letters are fine), words "
                   "separated by one space, hyphen or apostrophe; stored in Unicode NFC"),
    "Username": ("username", f"at most {naming.USERNAME_MAX} characters: lowercase ASCII "
                 "letters and digits, starting with a letter, with single `.` or `-` between "
                 "them (`ayse.celik`)"),
    "Email": ("e-mail address", "`local@domain`, the local part in lowercase ASCII letters, "
              "digits and `. _ + -` (`sukru.ozturk@ornekkoy.bel.tr`)"),
    "SshPublicKey": ("SSH public key", "one line of a `.pub` file: type, base64 key, optional "
                     "comment; ed25519, ECDSA or RSA of at least "
                     f"{models.SSH_RSA_MIN_BITS} bits (DSA is refused)"),
    "Schedule": ("calendar expression", "a systemd `OnCalendar` expression on one line "
                 "(`*-*-* 01:30`, `Sun *-*-* 02:30`; see `man systemd.time`)"),
    "Retention": ("count", "a whole number, 1 or more"),
    "RetentionDays": ("days", "a whole number of days, 1 or more"),
    "Resolution": ("video resolution", "width`x`height in pixels (`1920x1080`)"),
    "CameraClass": ("camera class", "one of " + ", ".join(
        f"`{c}`" for c in models.CAMERA_CLASSES)),
    "AbsolutePath": ("absolute path", "starts with `/`, no `..` (`/var/log/uzak`)"),
    "WgPublicKey": ("WireGuard public key", "44 characters of base64 (32 bytes), as "
                    "`wg pubkey` or RouterOS prints it"),
    "Sicil": ("sicil no", "1–20 ASCII letters, digits and hyphens, not starting with a hyphen; "
              "quote numbers (`\"1001\"`)"),
    "AssetRef": ("asset", "a host, device or camera name (`srv-db`), or a phone's MAC address "
                 "with `:` or `-` (`80:5E:C0:11:22:33`)"),
    "Registration": ("registration number", "1–50 ASCII letters, digits, `.`, `/` and `-`, "
                     "starting and ending with a letter or digit (`BIM-SNC-2023-0001`)"),
    "TasinirCode": ("Taşınır code", "three digits, then up to five groups of two digits, "
                    "separated by dots; quote it (`\"253.02.01\"`)"),
    "PackagePattern": ("package pattern", "a Debian package name in lowercase; `*` and `?` are "
                       "wildcards (`postgresql-1*`)"),
}

# Plural forms for "list of ..." type labels.
_PLURALS = {"DNS name or IPv4 address": "DNS names or IPv4 addresses"}

FIELD_DOCS: dict[str, str] = {
    # municipality.yml
    "MunicipalityFile.municipality": "The municipality.",
    "Municipality.name": "Official name, e.g. `Örnekköy Belediyesi`.",
    "Municipality.code": "Short code; the lab labels its podman objects with it.",
    "Municipality.domain": "DNS domain; hosts are `<name>.<domain>`.",
    "Municipality.timezone": "Time zone of every server.",
    "Municipality.locale": "Default locale of every server.",
    "Municipality.ntp_servers": "Upstream time sources of the internal NTP servers "
    "(hosts with role `ntp_server`); other hosts follow those servers, or these sources "
    "when no host has that role.",
    "Municipality.extension_range": "Telephone extensions (dahili) the PBX may hand out.",
    "ExtensionRange.first": "First extension number.",
    "ExtensionRange.last": "Last extension number.",
    "Municipality.departments": "Departments (müdürlükler); personel.yml refers to them.",
    "Department.code": "Department code, e.g. `bilgi-islem`.",
    "Department.name": "Department name, e.g. `Bilgi İşlem Müdürlüğü`.",
    "Municipality.directory": "The Active Directory domain of the host with role `directory`.",
    "Directory.realm": "Kerberos realm and AD DNS domain; default `AD.<domain>` in capitals.",
    "Directory.netbios": "NetBIOS (pre-Windows 2000) domain name; default the `code` in "
                         "capitals without hyphens, at most 15 characters.",
    "Directory.password_policy": "The domain's password policy.",
    "PasswordPolicy.min_length": "Shortest password accepted.",
    "PasswordPolicy.complexity": "Require three of: upper case, lower case, digits, symbols; "
                                 "and not the user name.",
    "PasswordPolicy.history": "How many earlier passwords cannot be reused.",
    "PasswordPolicy.max_age_days": "Days after which a password must be changed; 0: never.",
    "PasswordPolicy.min_age_days": "Days before a new password may be changed again; below "
                                   "`max_age_days`.",
    "PasswordPolicy.lockout_threshold": "Failed logons that lock the account; 0: never locks.",
    "PasswordPolicy.lockout_minutes": "How long a locked account stays locked (and the "
                                      "window the failures are counted in).",
    # sites.yml
    "SitesFile.sites": "Every building of the municipality.",
    "Site.code": "Site code; networks, hosts and devices refer to it.",
    "Site.name": "Site name as people say it.",
    "Site.type": "`central` for the main building (exactly one), `remote` for the others.",
    "Site.address": "Postal address.",
    # networks.yml
    "NetworksFile.networks": "Every IP network.",
    "Network.name": "Network name; host interfaces and devices refer to it.",
    "Network.site": "Site the network belongs to; only WAN networks may omit it.",
    "Network.purpose": "What the network carries.",
    "Network.vlan": "VLAN ID (802.1Q) at its site.",
    "Network.cidr": "Address range.",
    "Network.gateway": "Default gateway address inside the range.",
    # hosts.yml
    "HostsFile.connection": "How Ansible reaches every host over SSH.",
    "Connection.user": "Account Ansible logs in with; it becomes root with sudo.",
    "Connection.port": "SSH port.",
    "Connection.private_key_file": "SSH private key, relative to the inventory directory. "
    "Leave it out to use ssh-agent (production).",
    "Connection.known_hosts_file": "known_hosts file, relative to the inventory directory; "
    "with it, host keys are checked strictly against that file only.",
    "Connection.vault_password_file": "File with the password of the vault "
    "(`group_vars/all/vault.yml`), relative to the inventory directory; ansible-playbook "
    "gets `--vault-password-file` with it. Leave it out to be asked, or to use "
    "`ANSIBLE_VAULT_PASSWORD_FILE`.",
    "HostsFile.hosts": "Every managed server.",
    "Host.name": "Host name; also the Ansible inventory name.",
    "Host.site": "Site the host stands at.",
    "Host.roles": "What the host does; each role is an Ansible group that playbooks target.",
    "Host.init_system": "`sysvinit`: a host without systemd (the lab's PBX on Debian sid); "
    "roles common and hardening skip it, and it may carry role `pbx` only.",
    "Host.interfaces": "Network interfaces, one per network.",
    "Interface.network": "Network name from networks.yml.",
    "Interface.ip": "Address on that network.",
    "Host.management_network": "Interface network Ansible connects to; default: the first "
    "interface.",
    "Host.databases": "Databases the host serves (only with role `database`); backup sets "
    "of type `postgresql`/`mariadb` name them.",
    "Host.database_engine": "The database server of a host with role `database`: "
    "`postgresql` (default) or `mariadb`, one per host; its backup sets have the same type.",
    # backups.yml
    "BackupsFile.repository": "Host with role `backup_server` that keeps the backup "
    "repositories. Clients may only append to it; it prunes by class.",
    "BackupsFile.offsite": "A second `backup_server` host (the other building, standing in "
    "for a cloud bucket) that the repository copies every repository to.",
    "BackupsFile.classes": "Changes to the built-in classes; only `schedule` and `keep` can "
    "change, the six names are fixed.",
    "BackupClassOverrides.hourly": "Built in: `hourly`, keep 24.",
    "BackupClassOverrides.daily": "Built in: `*-*-* 01:30`, keep 14.",
    "BackupClassOverrides.weekly": "Built in: `Sun *-*-* 02:30`, keep 8.",
    "BackupClassOverrides.monthly": "Built in: `*-*-01 03:30`, keep 12.",
    "BackupClassOverrides.quarterly": "Built in: `*-01,04,07,10-01 04:30`, keep 8.",
    "BackupClassOverrides.semiannual": "Built in: `*-01,07-01 05:30`, keep 4.",
    "BackupClassOverride.schedule": "When the class's backups run (systemd timer).",
    "BackupClassOverride.keep": "How many snapshots of the class the repository keeps "
    "(the newest of each of the most recent periods).",
    "BackupsFile.sets": "The backup sets.",
    "BackupSet.name": "Set name; one repository per set and host.",
    "BackupSet.hosts": "Hosts (from hosts.yml) whose data the set backs up.",
    "BackupSet.type": "`files`: directories; `postgresql`/`mariadb`: a consistent dump of "
    "each database, made right before the backup.",
    "BackupSet.paths": "Directories or files to back up (`files` sets only).",
    "BackupSet.excludes": "Glob patterns left out of `paths`.",
    "BackupSet.databases": "Databases to dump (database sets only); each must be in the "
    "host's `databases`.",
    "BackupSet.classes": "Classes the set is backed up in; each is its own series with its "
    "own schedule and retention.",
    # vpn.yml
    "VpnFile.hub": "The central gateway: the host with role `vpn_hub`.",
    "VpnFile.public_address": "The address remote units dial; default: the hub's address on "
    "a WAN network.",
    "VpnFile.tunnel_subnet": "Range of the tunnel addresses (WireGuard); overlaps no network.",
    "VpnFile.tunnel_ip": "The hub's tunnel address; default: the first of `tunnel_subnet`.",
    "VpnFile.listen_port": "UDP port of WireGuard on the hub.",
    "VpnFile.mtu": "MTU of the tunnels.",
    "VpnFile.keepalive": "Seconds between keepalives the remote units send (keeps NAT "
    "mappings open); 0: none.",
    "VpnFile.down_after_minutes": "`vpn.status` marks a site down whose last handshake is "
    "older.",
    "VpnFile.ipsec_userspace_esp": "strongSwan encrypts ESP in userspace on the hub: only "
    "for kernels without ESP (containers, the lab).",
    "VpnFile.access": "What a remote unit may reach at the centre unless its entry says "
    "otherwise: `servers` (every central server network), `dns`, `ntp`, `syslog`, `pbx` "
    "(those hosts and ports), or the name of a central host or network.",
    "VpnFile.site_links": "Pairs of remote units that may reach each other through the hub; "
    "no other pair may.",
    "VpnFile.sites": "The remote units connected to the centre.",
    "VpnSite.site": "Site code (a remote site of sites.yml).",
    "VpnSite.type": "`linux-wireguard`: a Linux gateway of hosts.yml (role `vpn`); "
    "`mikrotik-wireguard`: a MikroTik router (script pushed with `vpn.push`); "
    "`ipsec-appliance`: an IPsec appliance such as a FortiGate (`vpn.render`).",
    "VpnSite.gateway": "`linux-wireguard`: the site's gateway host (role `vpn_gateway`).",
    "VpnSite.tunnel_ip": "WireGuard sites: the site's address in `tunnel_subnet`.",
    "VpnSite.endpoint": "The site's public address; none when it is behind the provider's "
    "NAT (it then keeps the tunnel open). Required for `ipsec-appliance`.",
    "VpnSite.listen_port": "UDP port WireGuard listens on at the site.",
    "VpnSite.lans": "The site's networks that go through the tunnel; default: every network "
    "of the site but the WAN and guest ones.",
    "VpnSite.access": "What this site may reach at the centre; default: `access` above.",
    "VpnSite.management": "`mikrotik-wireguard`: the address the controller reaches the "
    "router's SSH at.",
    "VpnSite.public_key": "`mikrotik-wireguard`: the public key of a key the router made "
    "itself; without it a key pair is generated into the vault.",
    "VpnSite.wan_interface": "MikroTik or appliance: the name of its internet interface.",
    "VpnSite.lan_interface": "`ipsec-appliance`: the name of its LAN interface (firewall "
    "policies); default `internal`.",
    "VpnSite.vendor": "`ipsec-appliance`: whose configuration `vpn.render` prints "
    "(`fortigate`).",
    # devices.yml
    "DevicesFile.devices": "Network equipment and other IP devices.",
    "Device.name": "Device name; unique across hosts and devices.",
    "Device.site": "Site the device stands at.",
    "Device.kind": "What kind of device it is.",
    "Device.vendor": "Platform, as the network automation tools name it.",
    "Device.model": "Vendor's model name, e.g. `Catalyst 9200L-24P`.",
    "Device.network": "Network of its management address.",
    "Device.ip": "Management address.",
    "Device.ports": "Switch ports and their profile (switches, routers and firewalls of a "
    "vendor with templates: `cisco_ios`, `huawei_vrp`, `hp_procurve`).",
    "Device.lags": "Link aggregations (LACP) and their profile.",
    "SwitchPort.name": "A port or a range of ports; each port once per device.",
    "SwitchPort.profile": "Port profile (`port_profiles`).",
    "SwitchPort.description": "Description on the port; default: the profile's.",
    "Lag.id": "Number of the aggregation (Port-channel, Eth-Trunk, Trk).",
    "Lag.members": "Its member ports; each port once per device.",
    "Lag.profile": "Port profile of the aggregation.",
    "Lag.description": "Description on the aggregation and its members.",
    "DevicesFile.port_profiles": "What kinds of ports there are, by name: "
    "`<name>: {mode: ..., ...}`.",
    "PortProfile.mode": "`access`: one VLAN; `trunk`: several, tagged; `disabled`: shut.",
    "PortProfile.description": "Description put on the ports.",
    "PortProfile.vlan": "Access: the purpose of the port's network at the switch's site.",
    "PortProfile.voice_vlan": "Access: also the site's `voice` VLAN, tagged, for IP phones.",
    "PortProfile.vlans": "Trunk: the purposes of the networks it carries.",
    "PortProfile.native": "Trunk: the untagged one (one of `vlans`); none: all tagged.",
    "PortProfile.edge": "Access: an end device - forwarding at once, BPDUs shut the port.",
    "PortProfile.port_security": "Access: most MAC addresses the port learns.",
    # pbx.yml
    "PbxFile.host": "The exchange: the host with role `pbx`.",
    "PbxFile.main_number": "The main number: the menu in business hours, the after-hours "
    "announcement otherwise. Calls to the trunks' numbers arrive here.",
    "PbxFile.operator": "Where the menu sends 0, a wrong key and silence: an extension or a "
    "ring group's number.",
    "PbxFile.voice_networks": "Networks the phones are on: the only ones (with the trunks' "
    "addresses) allowed to send SIP and fetch provisioning files; default: every network of "
    "purpose `voice`.",
    "PbxFile.departed": "The number of someone who left: `ring_group` forwards it to their "
    "müdürlük's ring group, `release` frees it. Their phone can no longer register either way.",
    "PbxFile.transport": "SIP transport: `udp` (5060) or `tls` (5061, with SRTP).",
    "PbxFile.ring_groups": "Ring groups (çağrı grupları), one per müdürlük.",
    "PbxFile.ivr": "The main number's voice menu.",
    "PbxFile.business_hours": "When the menu answers.",
    "PbxFile.after_hours": "Recording played out of hours, on weekends and holidays.",
    "PbxFile.holidays": "Holidays beyond Turkey's public ones (which come from the calendar).",
    "PbxFile.trunks": "The SIP operator's lines.",
    "PbxFile.phones": "IP phones provisioned over HTTP from the exchange.",
    "RingGroup.mudurluk": "The müdürlük (a department code); every extension of its staff "
    "rings at once.",
    "RingGroup.number": "The group's number.",
    "RingGroup.ring_seconds": "How long the phones ring.",
    "RingGroup.record": "Record the group's calls; off by default (calls are confidential). "
    "Recorded calls are logged and marked `kayit` in the call records.",
    "Ivr.greeting": "Recording of the menu (\"... için 1'e basın\").",
    "Ivr.options": "The menu's keys.",
    "Ivr.timeout_seconds": "How long to wait for a key before going to `operator`.",
    "IvrOption.digit": "A key of the phone: 0-9, `*` or `#`.",
    "IvrOption.target": "Where the key goes: an extension or a ring group's number.",
    "BusinessHours.days": "Working days.",
    "BusinessHours.open": "Opening time, HH:MM.",
    "BusinessHours.close": "Closing time, HH:MM.",
    "BusinessHours.half_day_close": "Closing time on half days (the eves of the bayrams, "
    "28 October).",
    "Holidays.extra": "Extra closed days: administrative leave bridge days, local holidays.",
    "HolidayOverride.date": "The day, YYYY-MM-DD.",
    "HolidayOverride.name": "What the day is (a comment in the dialplan).",
    "HolidayOverride.half_day": "Closed only from `half_day_close`.",
    "Trunk.name": "Trunk name; its password in the vault is `vault_pbx_trunk_passwords.<name>`.",
    "Trunk.host": "The operator's SIP server.",
    "Trunk.port": "Its SIP port.",
    "Trunk.auth": "`ip`: the operator recognises the exchange by its address; `register`: "
    "the exchange registers with `username` and the vault's password.",
    "Trunk.username": "User name of a registering trunk.",
    "Trunk.addresses": "The operator's signalling and media addresses: the only outside "
    "sources allowed to send SIP and RTP.",
    "Trunk.numbers": "The municipality's numbers on the trunk (DIDs); they reach "
    "`main_number`.",
    "Trunk.outbound_prefix": "The digit dialled before an outside number.",
    "PhoneDevice.mac": "The phone's MAC address (the file it fetches is named by it).",
    "PhoneDevice.vendor": "Whose provisioning file to write.",
    "PhoneDevice.model": "The phone's model (written in the file's header).",
    "PhoneDevice.sicil_no": "Whose extension the phone carries.",
    "PhoneDevice.network": "The voice network (VLAN) the phone is on.",
    # cameras.yml
    "CamerasFile.max_retention_days": "The municipality's KVKK retention policy: no class "
    "keeps recordings longer (days).",
    "CamerasFile.classes": "Overrides of the built-in camera classes' settings.",
    "CamerasFile.min_firmware": "Oldest acceptable firmware per camera model; "
    "`cameras.audit` reports older ones.",
    "FirmwareMinimum.model": "A camera model, as in `cameras[].model`.",
    "FirmwareMinimum.version": "The oldest acceptable firmware version (compared number by "
    "number: `V5.7.3` < `V5.7.10`).",
    "CamerasFile.ntp_servers": "NTP servers the cameras use, by address; default: the hosts "
    "with role `ntp_server`.",
    "CamerasFile.dns_servers": "DNS servers the cameras get; empty: their DNS is left as it "
    "is. Listed ones are also opened to the camera networks.",
    "CamerasFile.cameras": "Every camera the municipality manages.",
    "Network.dhcp": "Addresses handed out by DHCP (ISC Kea, role `dhcp_server`); every "
    "lease is in the Law 5651 İç IP Dağıtım Logu.",
    "NetworkDhcp.server": "The host (role `dhcp_server`, with an interface on this network) "
    "that hands out the addresses.",
    "NetworkDhcp.pool": "The first and last address handed out, `[first, last]`; no fixed "
    "address of a host, device, camera or the gateway may be inside.",
    "NetworkDhcp.lease_minutes": "Lease time; clients renew at half of it.",
    "NetworkDhcp.dns_servers": "DNS servers given to clients; default: the network's "
    "content-filtering resolver (content_filter.yml), else the hosts with role `directory`.",
    # legal_logging.yml
    "LegalLoggingFile.tsa": "The RFC 3161 time-stamp authority that seals each day.",
    "TimeStampAuthority.url": "Where the collector posts its time-stamp requests "
    "(`application/timestamp-query`).",
    "TimeStampAuthority.ca_file": "The authority's CA certificate (PEM), relative to the "
    "inventory directory; what the seals are verified against.",
    "LegalLoggingFile.retention_days": "Days a sealed day is kept before it is destroyed "
    "with a record (legal minimum 730).",
    "LegalLoggingFile.allow_short_retention": "Allow less than 730 days (only on a lawyer's "
    "advice).",
    "LegalLoggingFile.silent_after_minutes": "Minutes without a line from a server after "
    "which the collector raises the silent-source alert.",
    # holiday power (hosts.yml, devices.yml, holiday_power.yml)
    "Host.tatilde_kapat": "Shut down for public holidays and administrative leave "
    "(`invoke holiday.plan`, playbooks/holiday-power.yml); needs `power_on`.",
    "Host.power_on": "How the host comes back after a holiday.",
    "Device.tatilde_kapat": "Powered off for public holidays; needs `power_on`.",
    "Device.power_on": "How the device comes back after a holiday.",
    "PowerOn.method": "`wol` (Wake-on-LAN to `mac`), `ipmi` (its BMC at `bmc`), `rtc` (a "
    "server sets its own wake-up alarm with rtcwake before it shuts down) or `timer_socket` "
    "(a programmable socket or PDU outlet, set by hand).",
    "PowerOn.mac": "MAC address for Wake-on-LAN.",
    "PowerOn.bmc": "Address of the BMC (iDRAC, iLO, IPMI) for `ipmi`.",
    "PowerOn.order": "Shutdown order, lower first (applications before databases before "
    "storage); power-on goes the other way.",
    "HolidayPowerFile.shutdown_time": "Time of day (HH:MM) the machines go down on the last "
    "working day before a holiday period.",
    "HolidayPowerFile.half_day_shutdown_time": "Time they go down when that day is a half day "
    "(arife: work ends at 13:00).",
    "HolidayPowerFile.power_on_time": "Time they come back on the first working day after it.",
    "HolidayPowerFile.min_days": "Holiday periods shorter than this many days off (weekend "
    "included) are skipped.",
    "HolidayPowerFile.idari_izin": "Administrative leave days declared by circular, per year: "
    "`2027: [{date: 2027-03-12, reason: ...}]`.",
    "LeaveDay.date": "The day of leave.",
    "LeaveDay.reason": "Why (the circular), shown in the plan.",
    # ups.yml
    "UpsFile.upses": "The UPSes whose low battery shuts hosts down.",
    "UpsFile.stage_delay_seconds": "Seconds between two shutdown stages: applications go at "
    "once, databases this long after, storage twice as long after. At least 10: the hosts "
    "notice the low battery up to one upsmon poll (5 s) apart.",
    "Ups.name": "A device of devices.yml with `kind: ups`; also its name in NUT "
    "(`upsc <name>@<server>`).",
    "Ups.server": "The host the UPS's USB or serial cable is on, or that polls its network "
    "card (`snmp-ups`): it runs the NUT server (upsd, the driver, upsmon as primary) and is "
    "powered by the UPS.",
    "Ups.driver": "The NUT driver: `usbhid-ups` (USB), `snmp-ups` (network management card), "
    "`blazer_usb` or `nutdrv_qx` (Megatec/Q1 USB UPSes), `dummy-ups` (a simulated UPS read "
    "from a file, for the lab and tests).",
    "Ups.port": "The driver's port (letters, digits and `_ . / : -`, at most 100); default "
    "`auto` for USB drivers, the device's `ip` for `snmp-ups`, `<name>.dev` (in /etc/nut) "
    "for `dummy-ups`.",
    "Ups.server_stage": "The stage the NUT server itself shuts down in; not before any of "
    "its clients'.",
    "Ups.clients": "The hosts the UPS powers (NUT clients, upsmon secondary).",
    "UpsClient.host": "A host of hosts.yml at the UPS's site.",
    "UpsClient.stage": "When it shuts down: `applications` at once, `databases` after one "
    "`stage_delay_seconds`, `storage` after two.",
    # content_filter.yml
    "ContentFilterFile.lists": "Block lists: each a text file of domains.",
    "FilterList.name": "The list's name; policies refer to it and block log lines name it.",
    "FilterList.file": "Path relative to the inventory directory, under `icerik-filtresi/`: "
    "one domain per line, `#` comments; a domain blocks every name under it.",
    "FilterList.description": "What the list holds (for the reports).",
    "ContentFilterFile.policies": "Policies a network can have (for example personel, "
    "misafir, kiosk).",
    "FilterPolicy.name": "The policy's name.",
    "FilterPolicy.block": "The lists whose domains this policy blocks (NXDOMAIN).",
    "FilterPolicy.description": "Who the policy is for.",
    "ContentFilterFile.networks": "The filtered networks, each with its resolver and policy.",
    "FilteredNetwork.network": "A network of networks.yml (purpose `data` or `guest`).",
    "FilteredNetwork.resolver": "The host (role `dns_resolver`) its clients ask; DHCP hands "
    "out its address unless `dhcp.dns_servers` says otherwise.",
    "FilteredNetwork.policy": "The policy of the network's clients.",
    "ContentFilterFile.upstream": "Resolvers other queries are forwarded to; empty: Unbound "
    "resolves from the root servers.",
    "ContentFilterFile.log_queries": "Log every query with the client's address (the Law 5651 "
    "record).",
    "CameraClassOverrides.entrance": "Entrances (giriş). Built in: 30 days, 1920x1080, 15 fps, "
    "4096 kbit/s, GOP 30.",
    "CameraClassOverrides.indoor": "Indoors (iç mekân). Built in: 30 days, 1920x1080, 12 fps, "
    "3072 kbit/s, GOP 24.",
    "CameraClassOverrides.outdoor": "Outdoors, car parks (dış mekân). Built in: 30 days, "
    "2560x1440, 15 fps, 6144 kbit/s, GOP 30.",
    "CameraClassOverrides.ptz": "Pan-tilt-zoom. Built in: 30 days, 1920x1080, 25 fps, "
    "6144 kbit/s, GOP 50.",
    "CameraClassOverrides.live": "Live broadcast (meclis). Built in: 30 days, 1920x1080, "
    "25 fps, 4096 kbit/s, GOP 50.",
    "CameraClassOverride.retention_days": "Days the recorder keeps the class's recordings; "
    "older ones are purged daily, and the purge is logged.",
    "CameraClassOverride.resolution": "Main stream resolution.",
    "CameraClassOverride.fps": "Frames per second.",
    "CameraClassOverride.bitrate_kbps": "Bitrate limit in kbit/s.",
    "CameraClassOverride.gop": "GOP length (frames between key frames).",
    "Camera.name": "Camera name; also set as the camera's host name.",
    "Camera.site": "Site code from sites.yml.",
    "Camera.location": "Where the camera is and what it sees, as the staff say it.",
    "Camera.vendor": "Manufacturer: decides the factory accounts tried and removed, and the "
    "default stream address.",
    "Camera.model": "Model, as on the label (`min_firmware` is by model).",
    "Camera.network": "The camera network (purpose `camera`) of the camera's site.",
    "Camera.ip": "The camera's address.",
    "Camera.class_": "Camera class: retention and video settings (YAML key `class`).",
    "Camera.nvr": "The recorder: a host with role `nvr`.",
    "Camera.onvif_port": "The camera's ONVIF (HTTP) port.",
    "Camera.stream_url": "The stream the recorder pulls; default: the vendor's usual RTSP "
    "address.",
    # personel.yml
    "PersonelFile.personel": "Every member of staff, including those who left.",
    "Kisi.sicil_no": "Personnel registry number.",
    "Kisi.ad": "Given name(s); the first one goes into the username.",
    "Kisi.soyad": "Surname.",
    "Kisi.mudurluk": "Department code from municipality.yml.",
    "Kisi.unvan": "Job title.",
    "Kisi.durum": "Status: `aktif` (working), `izinli` (on leave), `ayrildi` (left).",
    "Kisi.baslama": "Start date; orders people who share a username base.",
    "Kisi.ayrilis": "Leaving date; required when `durum` is `ayrildi`.",
    "Kisi.dahili": "Telephone extension.",
    "Kisi.kullanici_adi": "Explicit username; overrides the derived one.",
    "Kisi.sunucu_yoneticisi": "Server administrator: an account with sudo on every server, "
    "reachable only with `ssh_anahtarlari`. When the person leaves (`durum: ayrildi`) the "
    "account is locked and kept, and the keys are revoked.",
    "Kisi.ssh_anahtarlari": "OpenSSH public keys, one line each. A key removed here is "
    "removed from every server at the next deploy.",
    "Kisi.devir_alan": "Successor (sicil no of an active colleague) who receives the share "
    "folder and the mailbox when the person leaves.",
    "Kisi.eposta": "The person's mailbox, in the municipality's `domain`; unique.",
    "Kisi.hizmetler": "Services beyond the directory account: `vpn` (remote access), "
    "`kamera` (camera operator).",
    # varliklar.yml
    "VarliklarFile.garanti_uyari_gun": "Warranties and licences ending within this many days "
    "are flagged in the report.",
    "VarliklarFile.varliklar": "Assets of the register.",
    "Varlik.cihaz": "The host, device or camera of this inventory, or a phone's MAC address "
    "(pbx.yml); the model and serial are read from it.",
    "Varlik.seri_no": "Serial number on the register. Alone: equipment the project does not "
    "read (a UPS, a printer), matched with what was read by serial. With `cihaz`: the report "
    "flags a device whose serial differs.",
    "Varlik.sicil_no": "Registration number (Taşınır sicil no).",
    "Varlik.tasinir_kodu": "Code of the Taşınır Kod Listesi.",
    "Varlik.marka": "Make, for equipment that does not report one.",
    "Varlik.model": "Model, for equipment that does not report one.",
    "Varlik.alim_tarihi": "Purchase date.",
    "Varlik.garanti_bitis": "Last day of the warranty.",
    "Varlik.konum": "Where it is (room, cabinet); default: the name of its site.",
    "VarliklarFile.lisanslar": "Software licences.",
    "Lisans.urun": "Product (as on the licence).",
    "Lisans.adet": "Installations the licence allows.",
    "Lisans.bitis": "Last day of the licence or support contract.",
    "Lisans.paketler": "Debian packages; a server with one of them installed counts as one "
    "installation. Empty: installations are not counted.",
}


# ---------------------------------------------------------------------------------------------
# Schema -> rows


@dataclass
class _Type:
    label: str  # "code", "list of mappings"
    allowed: list[str]  # field-specific rules: ranges, lengths, choices
    nested: type[BaseModel] | None = None
    is_list: bool = False
    is_map: bool = False  # a mapping of names to ``nested``
    alias: str | None = None  # a named type of models.py, explained under "Value types"

    @property
    def shown(self) -> str:
        """The label, linked to the "Value types" section for a named type."""
        if self.alias is None:
            return self.label
        if self.is_list:
            return f"list of [{self.label.removeprefix('list of ')}](#value-types)"
        return f"[{self.label}](#value-types)"


def _aliases() -> dict[Any, str]:
    """The constrained types models.py defines by name (``Slug``, ``IPv4``, ...)."""
    out = {}
    for name, value in vars(models).items():
        if typing.get_origin(value) is typing.Annotated and any(
            isinstance(m, AfterValidator) for m in typing.get_args(value)[1:]
        ):
            out[value] = name
    return out


def _constraints(metadata: list[Any], noun: str) -> list[str]:
    lo = hi = min_len = max_len = None
    flat: list[Any] = []
    for meta in metadata:
        flat += meta.metadata if isinstance(meta, FieldInfo) else [meta]
    for meta in flat:
        lo = v if (v := getattr(meta, "ge", None)) is not None else lo
        hi = v if (v := getattr(meta, "le", None)) is not None else hi
        min_len = v if (v := getattr(meta, "min_length", None)) is not None else min_len
        max_len = v if (v := getattr(meta, "max_length", None)) is not None else max_len
    out = []
    if lo is not None and hi is not None:
        out.append(f"{lo}–{hi}")
    elif lo is not None:
        out.append(f"at least {lo}")
    elif hi is not None:
        out.append(f"at most {hi}")
    if noun == "entries":
        if min_len:
            out.append(f"at least {min_len} entr{'y' if min_len == 1 else 'ies'}")
    elif min_len is not None and max_len is not None:
        out.append(f"{min_len}–{max_len} {noun}")
    elif max_len is not None:
        out.append(f"at most {max_len} {noun}")
    return out


def _describe_type(annotation: Any, where: str) -> _Type:  # noqa: PLR0911 (one per kind)
    """Type label and allowed values of an annotation (without the None of an Optional)."""
    aliases = _aliases()
    if annotation in aliases:
        name = aliases[annotation]
        if name not in TYPE_DOCS:
            raise DocgenError(f"{where}: describe the type {name!r} of models.py in "
                              "docgen.TYPE_DOCS")
        return _Type(TYPE_DOCS[name][0], [], alias=name)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        inner = _describe_type(args[0], where)
        noun = "entries" if inner.is_list else "characters"
        inner.allowed = _constraints(list(args[1:]), noun) + inner.allowed
        return inner
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise DocgenError(f"{where}: cannot document the union {annotation!r}")
        return _describe_type(rest[0], where)
    if origin is dict:
        value = _describe_type(args[1], where)
        if value.nested is None:
            raise DocgenError(f"{where}: cannot document a mapping to {args[1]!r}")
        return _Type("mapping of names", [], value.nested, is_map=True)
    if origin is list:
        item = _describe_type(args[0], where)
        label = _PLURALS.get(item.label, f"{item.label}s")
        if item.nested is not None:
            return _Type("list of mappings", [], item.nested, is_list=True)
        allowed = [f"each: {'; '.join(item.allowed)}"] if item.allowed else []
        return _Type(f"list of {label}", allowed, is_list=True, alias=item.alias)
    if origin is typing.Literal:
        return _Type("choice", ["one of " + ", ".join(f"`{a}`" for a in args)])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _Type("mapping", [], annotation)
    if annotation is str:
        return _Type("text", [])
    if annotation is int:
        return _Type("integer", [])
    if annotation is bool:
        return _Type("true/false", [])
    if annotation is dt.date:
        return _Type("date", ["`YYYY-MM-DD`"])
    raise DocgenError(f"{where}: cannot document the type {annotation!r}; extend docgen")


def _flow(value: Any) -> str:
    """A default as it would be written in YAML flow style."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    if value == "":
        return '""'
    return str(value)


def _requirement(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default is None:
        return "optional"
    return f"default `{_flow(info.default)}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _model_rows(model: type[BaseModel], prefix: str) -> list[list[str]]:
    rows = []
    hints = typing.get_type_hints(model, include_extras=True)
    for name, info in model.model_fields.items():
        key = f"{model.__name__}.{name}"
        if key not in FIELD_DOCS:
            raise DocgenError(f"field {key} has no description: add it to docgen.FIELD_DOCS")
        path = f"{prefix}{name}"
        t = _describe_type(hints[name], key)
        rows.append([f"`{path}`", t.shown, _requirement(info), _cell("; ".join(t.allowed)),
                     _cell(FIELD_DOCS[key])])
        if t.nested is not None:
            suffix = "[]." if t.is_list else ".<name>." if t.is_map else "."
            rows += _model_rows(t.nested, f"{path}{suffix}")
    return rows


def _walk() -> tuple[set[str], set[str]]:
    """Names of every model reachable from models.FILES, and of the named types they use."""
    seen: set[str] = set()
    used: set[str] = set()

    def walk(model: type[BaseModel]) -> None:
        seen.add(model.__name__)
        hints = typing.get_type_hints(model, include_extras=True)
        for name in model.model_fields:
            t = _describe_type(hints[name], f"{model.__name__}.{name}")
            if t.alias is not None:
                used.add(t.alias)
            if t.nested is not None:
                walk(t.nested)

    for model in models.FILES.values():
        walk(model)
    return seen, used


def _table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def render_schema_doc() -> str:
    """docs/inventory-schema.md: one section per data file of models.FILES."""
    seen, used = _walk()
    stale = sorted(k for k in FIELD_DOCS if k.split(".")[0] not in seen)
    if stale:
        raise DocgenError(f"docgen.FIELD_DOCS describes fields the models lack: {stale}")
    optional = [f for f in models.FILES if f not in models.REQUIRED_FILES]
    out = [
        "<!-- Generated from bilgiislem/inventory/models.py by bilgiislem/docgen.py. "
        f"Do not edit; run `{REGENERATE}`. -->",
        "",
        "# Inventory schema reference",
        "",
        "An inventory is a directory (`inventory/<name>/`) of YAML files, one per concern. "
        "This page lists every field the validator accepts; "
        "[inventory.md](inventory.md) explains how the files fit together.",
        "",
        "- Required files: " + ", ".join(f"`{f}`" for f in models.REQUIRED_FILES) + ".",
        "- Optional files: " + ", ".join(f"`{f}`" for f in optional)
        + " (a missing one counts as an empty list; without `backups.yml` nothing is backed "
        "up, without `vpn.yml` there is no site-to-site VPN, without `pbx.yml` no telephone "
        "exchange, without `cameras.yml` no cameras are managed, without "
        "`legal_logging.yml` no 5651 sealing, without `content_filter.yml` no filtering "
        "resolver, without `holiday_power.yml` the default times and no leave days, "
        "without `varliklar.yml` the asset inventory has no register data, without "
        "`ups.yml` no UPS shutdown). "
        "Recordings the exchange plays go in the directory `sesler/`, the content "
        "filter's block lists in `icerik-filtresi/`.",
        "- Also in the directory: " + ", ".join(f"`{f}`" for f in models.ANSIBLE_FILES)
        + " (`plugin: belediye`, read by Ansible) and, if there are secrets, "
        f"`{models.SECRETS_FILE}`, which must be encrypted with `ansible-vault`. "
        "No other YAML file or directory is allowed.",
        "- Unknown keys are errors. Fields not marked **required** may be left out; "
        "**required** inside a nested mapping means required whenever that mapping is "
        "written. A path such as `hosts[].interfaces[].ip` is a key inside each list item.",
        "- Texts are quoted when YAML would read them otherwise: `sicil_no: \"0777\"`, "
        "`name: \"yes\"`.",
        "",
    ]
    headers = ["Field", "Type", "Required / default", "Allowed values", "Description"]
    types_rows = [[label, _cell(rule)] for name, (label, rule) in TYPE_DOCS.items()
                  if name in used]
    out += ["## Value types", "",
            "Named types the fields below use; the validator applies these rules.", "",
            _table(["Type", "Rule (example)"], types_rows), ""]
    for file, model in models.FILES.items():
        out += [f"## `{file}`", "", FILE_DOCS[file], "", _table(headers, _model_rows(model, "")),
                ""]
        if file == "hosts.yml":
            out += ["Host roles (each one is an Ansible group; `playbooks/<role>.yml` targets "
                    "it): " + ", ".join(f"`{r}`" for r in models.HOST_ROLES) + ".", ""]
        checks = FILE_CHECKS.get(file)
        if checks:
            out += ["Checked across records:", ""] + [f"- {c}" for c in checks] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# argument_specs -> role README

_MARKUP = re.compile(r"\b([OCVIBEM])\(([^()]*)\)")


def _markup(text: str) -> str:
    """Ansible documentation markup (O(), C(), I() ...) as Markdown."""

    def repl(m: re.Match[str]) -> str:
        kind, body = m.groups()
        if kind == "I":
            return f"*{body}*"
        if kind == "B":
            return f"**{body}**"
        return f"`{body}`"

    return _MARKUP.sub(repl, text)


def _spec_text(value: Any) -> str:
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return _cell(_markup(str(value or "")))


def _spec_rows(options: dict[str, Any], prefix: str) -> list[list[str]]:
    rows = []
    for name, given in options.items():
        spec = given or {}
        kind = spec.get("type", "str")
        if spec.get("elements"):
            kind = f"list of {spec['elements']}"
        if spec.get("choices"):
            kind += " (" + ", ".join(f"`{c}`" for c in spec["choices"]) + ")"
        if spec.get("required"):
            default = "**required**"
        elif "default" in spec:
            default = f"`{_flow(spec['default'])}`"
        else:
            default = "—"
        path = f"{prefix}{name}"
        rows.append([f"`{path}`", _cell(kind), _cell(default),
                     _spec_text(spec.get("description"))])
        if spec.get("options"):
            sub = f"{path}[]." if spec.get("type") == "list" else f"{path}."
            rows += _spec_rows(spec["options"], sub)
    return rows


def _argument_specs(role_dir: Path) -> dict[str, Any]:
    path = role_dir / "meta" / "argument_specs.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    specs = data.get("argument_specs")
    if not isinstance(specs, dict) or not specs:
        raise DocgenError(f"{path}: no argument_specs entry points")
    return specs


def render_role_variables(role_dir: Path) -> str:
    """The variables table of a role, from its meta/argument_specs.yml."""
    specs = _argument_specs(role_dir)
    out = [f"<!-- Generated from meta/argument_specs.yml; run `{REGENERATE}`. -->", ""]
    for entry, spec in specs.items():
        if len(specs) > 1:
            out += [f"### Entry point `{entry}`", ""]
        options = (spec or {}).get("options") or {}
        if not options:
            out += ["This entry point takes no variables.", ""]
            continue
        out += [_table(["Name", "Type", "Default", "Description"], _spec_rows(options, "")), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _role_readme(role_dir: Path, current: str | None) -> str:
    """The README with its generated section replaced (or added)."""
    block = f"{BEGIN}\n{render_role_variables(role_dir)}{END}"
    if current is None:
        main = _argument_specs(role_dir).get("main") or {}
        summary = _spec_text(main.get("short_description", ""))
        return (f"# Role `{role_dir.name}`\n\n{summary}\n\n## Variables\n\n{block}\n")
    start, end = current.find(BEGIN), current.find(END)
    if start == -1 or end == -1 or end < start:
        return current.rstrip("\n") + f"\n\n## Variables\n\n{block}\n"
    return current[:start] + block + current[end + len(END):]


# ---------------------------------------------------------------------------------------------


def _targets(root: Path) -> list[tuple[Path, str]]:
    out = [(root / SCHEMA_DOC, render_schema_doc())]
    for spec in sorted((root / ROLES_DIR).glob("*/meta/argument_specs.yml")):
        role_dir = spec.parent.parent
        readme = role_dir / "README.md"
        current = readme.read_text(encoding="utf-8") if readme.is_file() else None
        out.append((readme, _role_readme(role_dir, current)))
    return out


def write_all(check: bool = False, *, root: Path = REPO_ROOT) -> list[Path]:
    """Regenerate every generated document under ``root``.

    Returns the files written, or with ``check=True`` the files that are out of date (and
    writes nothing).
    """
    changed = []
    for path, text in _targets(root):
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        changed.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return changed
