"""The inventory schema: one pydantic model per data file.

Field-level rules live here; rules that need more than one record (references, duplicates,
overlaps) live in ``crosscheck.py``. Keys are English, except in ``personel.yml`` and
``varliklar.yml``, which mirror what the personnel (İnsan Kaynakları) office exports and what the
Taşınır register holds, and so keep their Turkish field names.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import zoneinfo
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)

from bilgiislem import naming
from bilgiislem.inventory.issues import fail

# ---------------------------------------------------------------------------------------------
# Reusable field types


def _slug(value: str) -> str:
    if not naming.SLUG_RE.match(value):
        suggestion = naming.slugify(value)
        hint = "lowercase ASCII letters, digits and single hyphens, starting with a letter"
        if suggestion and suggestion != value:
            hint += f"; for example {suggestion!r}"
        raise fail(f"{value!r} is not a valid code", hint)
    return value


def _platform(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*", value):
        suggestion = re.sub(r"[^a-z0-9]+", "_", naming.ascii_fold(value)).strip("_")
        hint = "lowercase ASCII words joined by '_', as in cisco_ios, huawei_vrp, hp_procurve"
        if suggestion and suggestion != value and suggestion[0].isalpha():
            hint += f"; for example {suggestion!r}"
        raise fail(f"{value!r} is not a valid vendor", hint)
    return value


def _ipv4(value: str) -> str:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise fail(
            f"{value!r} is not a valid IPv4 address",
            "write four numbers from 0 to 255 separated by dots, e.g. 10.10.20.15",
        ) from None
    return value


def _cidr(value: str) -> str:
    if "/" not in value:
        raise fail(f"{value!r} has no prefix length", f"write it as a network, e.g. {value}/24")
    try:
        net = ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise fail(
            f"{value!r} is not a valid IPv4 network",
            "write the network address and prefix length, e.g. 10.10.20.0/24",
        ) from None
    if str(net) != value:
        raise fail(
            f"{value!r} has host bits set",
            f"the network address of that prefix is {net}",
        )
    if net.prefixlen > 30:
        raise fail(f"{value!r} is too small for hosts", "use a prefix length of /30 or shorter")
    return value


def _address_block(value: str) -> str:
    """A source of traffic: an address (as /32) or a network of any size."""
    try:
        net = ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise fail(f"{value!r} is not an IPv4 address or network",
                   "e.g. 203.0.113.5/32 for one address, 203.0.113.0/28 for a range") from None
    if "/" in value and str(net) != value:
        raise fail(f"{value!r} has host bits set", f"the network address of that prefix is {net}")
    return str(net)


def _hostname(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", value):
        raise fail(
            f"{value!r} is not a valid host name",
            "lowercase ASCII letters, digits and hyphens, at most 63 characters, "
            f"e.g. {naming.slugify(value) or 'srv-log'!r}",
        )
    return value


def _fqdn_or_ip(value: str) -> str:
    labels = value.split(".")
    if value and all(re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", x) for x in labels):
        return value
    raise fail(
        f"{value!r} is not a valid DNS name or IP address",
        "use lowercase ASCII labels separated by dots, e.g. time.ume.tubitak.gov.tr",
    )


def _domain(value: str) -> str:
    _fqdn_or_ip(value)
    if "." not in value:
        raise fail(f"{value!r} is not a fully qualified domain", "e.g. ornekkoy.bel.tr")
    return value


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise fail(f"{value!r} is not a known time zone", "Turkey uses 'Europe/Istanbul'") from None
    return value


def _locale(value: str) -> str:
    if not re.fullmatch(r"[a-z]{2,3}_[A-Z]{2}\.UTF-8", value):
        raise fail(f"{value!r} is not a UTF-8 locale name", "e.g. 'tr_TR.UTF-8'")
    return value


def _person_name(value: str) -> str:
    value = naming.nfc(value)
    if not naming.PERSON_NAME_RE.match(value):
        raise fail(
            f"{value!r} is not a valid person name",
            "letters only (Turkish letters are fine), single spaces, hyphens or apostrophes "
            "between words",
        )
    return value


def _username(value: str) -> str:
    if len(value) > naming.USERNAME_MAX or not naming.USERNAME_RE.match(value):
        hint = (
            f"lowercase ASCII, at most {naming.USERNAME_MAX} characters, "
            "letters and digits with '.' or '-' between them"
        )
        folded = naming.ascii_fold(value)
        if folded != value and naming.USERNAME_RE.match(folded):
            hint += f"; for example {folded!r}"
        raise fail(f"{value!r} is not a valid username", hint)
    return value


EMAIL_LOCAL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._+\-]{0,62}[a-z0-9])?$")


def _email(value: str) -> str:
    local, at, domain = value.partition("@")
    if not at or not local or "@" in domain:
        raise fail(f"{value!r} is not an e-mail address", "e.g. 'sukru.ozturk@ornekkoy.bel.tr'")
    if not EMAIL_LOCAL_RE.match(local) or ".." in local:
        hint = "lowercase ASCII letters, digits and . _ + - (not first or last)"
        folded = naming.ascii_fold(local)
        if folded != local and EMAIL_LOCAL_RE.match(folded):
            hint += f"; for example {folded + '@' + domain!r}"
        raise fail(f"{value!r} is not a valid e-mail address", hint)
    _domain(domain)
    return value


def _sicil(value: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z\-]{0,19}", value):
        raise fail(f"{value!r} is not a valid sicil no", "ASCII letters, digits and hyphens")
    return value


# OpenSSH public key types sshd accepts by default (no DSA: OpenSSH dropped it).
SSH_KEY_TYPES = ("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                 "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
                 "sk-ecdsa-sha2-nistp256@openssh.com")
SSH_RSA_MIN_BITS = 3072
SSH_KEY_HINT = ("paste one line of the person's .pub file, e.g. 'ssh-ed25519 AAAAC3Nz... "
                "ad.soyad@bilgisayar' (ssh-keygen -t ed25519 creates one)")


def _ssh_string(blob: bytes, pos: int) -> tuple[bytes, int]:
    if pos + 4 > len(blob):
        raise ValueError("truncated")
    size = int.from_bytes(blob[pos:pos + 4], "big")
    if pos + 4 + size > len(blob):
        raise ValueError("truncated")
    return blob[pos + 4:pos + 4 + size], pos + 4 + size


def _ssh_public_key(value: str) -> str:
    shown = value if len(value) <= 40 else value[:37] + "..."
    if "PRIVATE KEY" in value:
        raise fail("this is a private key, not a public key",
                   "never put private keys in the inventory; use the matching .pub file")
    parts = value.strip().split(None, 2)
    if len(parts) < 2 or parts[0] not in SSH_KEY_TYPES:
        kind = parts[0] if parts else ""
        if kind == "ssh-dss":
            raise fail("DSA keys are no longer accepted by OpenSSH",
                       "create an ed25519 key: ssh-keygen -t ed25519")
        raise fail(f"{shown!r} is not an OpenSSH public key", SSH_KEY_HINT)
    kind, body = parts[0], parts[1]
    try:
        blob = base64.b64decode(body, validate=True)
        embedded, pos = _ssh_string(blob, 0)
        if embedded.decode("ascii", "replace") != kind:
            raise ValueError("type mismatch")
        bits = 0
        if kind == "ssh-rsa":
            _exponent, pos = _ssh_string(blob, pos)
            modulus, pos = _ssh_string(blob, pos)
            bits = int.from_bytes(modulus, "big").bit_length()
        elif kind == "ssh-ed25519":
            key, pos = _ssh_string(blob, pos)
            if len(key) != 32:
                raise ValueError("bad length")
    except (ValueError, binascii.Error):
        raise fail(
            f"{shown!r} is a damaged {kind} key (the base64 part does not decode to one)",
            "copy the whole line again from the .pub file; it may be cut or wrapped",
        ) from None
    if kind == "ssh-rsa" and bits < SSH_RSA_MIN_BITS:
        raise fail(f"RSA key of {bits} bits is too short",
                   f"use an ed25519 key, or RSA with at least {SSH_RSA_MIN_BITS} bits")
    return value.strip()


Slug = Annotated[StrictStr, AfterValidator(_slug)]
# Vendor/platform names follow the network automation tools (netmiko device types).
Platform = Annotated[StrictStr, AfterValidator(_platform)]
IPv4 = Annotated[StrictStr, AfterValidator(_ipv4)]


def _clock(value: str) -> str:
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise fail(f"{value!r} is not a time of day", "write HH:MM in 24 hours, e.g. '08:30'")
    return value


def _mac(value: str) -> str:
    bare = re.sub(r"[:.-]", "", value).lower()
    if not re.fullmatch(r"[0-9a-f]{12}", bare):
        raise fail(f"{value!r} is not a MAC address",
                   "six pairs of hex digits, as on the phone's label, e.g. '80:5E:C0:11:22:33'")
    return ":".join(bare[i:i + 2] for i in range(0, 12, 2))


Clock = Annotated[StrictStr, AfterValidator(_clock)]
MacAddress = Annotated[StrictStr, AfterValidator(_mac)]
Cidr = Annotated[StrictStr, AfterValidator(_cidr)]
AddressBlock = Annotated[StrictStr, AfterValidator(_address_block)]
HostName = Annotated[StrictStr, AfterValidator(_hostname)]
Target = Annotated[StrictStr, AfterValidator(_fqdn_or_ip)]
Domain = Annotated[StrictStr, AfterValidator(_domain)]
TimeZone = Annotated[StrictStr, AfterValidator(_timezone)]
Locale = Annotated[StrictStr, AfterValidator(_locale)]
PersonName = Annotated[StrictStr, AfterValidator(_person_name)]
Username = Annotated[StrictStr, AfterValidator(_username)]
Sicil = Annotated[StrictStr, AfterValidator(_sicil)]
Email = Annotated[StrictStr, AfterValidator(_email)]
Text = Annotated[StrictStr, Field(min_length=1, max_length=200)]
VlanId = Annotated[StrictInt, Field(ge=1, le=4094)]
Port = Annotated[StrictInt, Field(ge=1, le=65535)]
SshPublicKey = Annotated[StrictStr, AfterValidator(_ssh_public_key)]

# Roles a host can carry. Each is an Ansible group; playbooks/<role>.yml targets it.
HOST_ROLES = (
    "ntp_server",
    "log_collector",
    "directory",
    "dhcp_server",
    "backup_server",
    "pbx",
    "vpn_hub",
    "vpn_gateway",
    "nvr",
    "database",
    "file_server",
    "mail_server",
    "dns_resolver",
)
HostRole = Literal[HOST_ROLES]  # type: ignore[valid-type]

NETWORK_PURPOSES = ("data", "voice", "camera", "management", "guest", "server", "wan")
DEVICE_KINDS = ("switch", "router", "firewall", "access_point", "camera", "phone", "ups",
                "printer", "nvr")
# The kinds whose configuration is rendered and pushed (net.*), when their vendor has templates.
RENDERED_KINDS = ("switch", "router", "firewall")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------------
# municipality.yml


class Department(Strict):
    code: Slug
    name: Text


class ExtensionRange(Strict):
    first: Annotated[StrictInt, Field(ge=100, le=99999)]
    last: Annotated[StrictInt, Field(ge=100, le=99999)]


def _netbios(value: str) -> str:
    if not re.fullmatch(r"[A-Z][A-Z0-9-]{0,14}", value):
        raise fail(f"{value!r} is not a NetBIOS domain name",
                   "1 to 15 uppercase ASCII letters, digits or hyphens, starting with a letter, "
                   "e.g. 'ORNEKKOY'")
    return value


def _realm(value: str) -> str:
    try:
        _domain(value.lower())
    except ValueError:
        raise fail(f"{value!r} is not a Kerberos realm",
                   "the AD DNS domain in capitals, e.g. 'AD.ORNEKKOY.BEL.TR'") from None
    return value.upper()


NetbiosName = Annotated[StrictStr, AfterValidator(_netbios)]
Realm = Annotated[StrictStr, AfterValidator(_realm)]


class PasswordPolicy(Strict):
    """The domain's password policy (samba-tool domain passwordsettings)."""
    min_length: Annotated[StrictInt, Field(ge=8, le=64)] = 12
    complexity: StrictBool = True
    history: Annotated[StrictInt, Field(ge=0, le=24)] = 24
    max_age_days: Annotated[StrictInt, Field(ge=0, le=999)] = 90  # 0: never expires
    min_age_days: Annotated[StrictInt, Field(ge=0, le=998)] = 1
    lockout_threshold: Annotated[StrictInt, Field(ge=0, le=999)] = 5  # 0: never locks
    lockout_minutes: Annotated[StrictInt, Field(ge=1, le=99999)] = 30


class Directory(Strict):
    """The Active Directory domain (role directory). Both names default from municipality:
    realm AD.<DOMAIN>, NetBIOS domain <CODE> without hyphens, at most 15 characters."""
    realm: Realm | None = None
    netbios: NetbiosName | None = None
    password_policy: PasswordPolicy = PasswordPolicy()


class Municipality(Strict):
    name: Text
    code: Slug
    domain: Domain
    timezone: TimeZone = "Europe/Istanbul"
    locale: Locale = "tr_TR.UTF-8"
    ntp_servers: Annotated[list[Target], Field(min_length=1)] = ["time.ume.tubitak.gov.tr"]
    extension_range: ExtensionRange = ExtensionRange(first=2000, last=2999)
    departments: Annotated[list[Department], Field(min_length=1)]
    directory: Directory = Directory()

    @property
    def realm(self) -> str:
        return (self.directory.realm or f"ad.{self.domain}").upper()

    @property
    def netbios(self) -> str:
        return self.directory.netbios or self.code.replace("-", "").upper()[:15]


class MunicipalityFile(Strict):
    municipality: Municipality


# ---------------------------------------------------------------------------------------------
# sites.yml


class Site(Strict):
    code: Slug
    name: Text
    type: Literal["central", "remote"]
    address: Text | None = None


class SitesFile(Strict):
    sites: Annotated[list[Site], Field(min_length=1)]


# ---------------------------------------------------------------------------------------------
# networks.yml


class NetworkDhcp(Strict):
    # The host (role dhcp_server) that hands out addresses on this network.
    server: HostName
    # The first and last address handed out.
    pool: Annotated[list[IPv4], Field(min_length=2, max_length=2)]
    lease_minutes: Annotated[StrictInt, Field(ge=2, le=10080)] = 60
    # DNS servers given to clients; default: the content filter's resolver, else the DCs.
    dns_servers: list[IPv4] | None = None


class Network(Strict):
    name: Slug
    site: Slug | None = None
    purpose: Literal[NETWORK_PURPOSES]  # type: ignore[valid-type]
    vlan: VlanId | None = None
    cidr: Cidr
    gateway: IPv4 | None = None
    # Addresses handed out by DHCP (Kea); each lease is in the Law 5651 İç IP Dağıtım Logu.
    dhcp: NetworkDhcp | None = None


class NetworksFile(Strict):
    networks: Annotated[list[Network], Field(min_length=1)]


# ---------------------------------------------------------------------------------------------
# hosts.yml


class Connection(Strict):
    user: Username = "ansible"
    port: Port = 22
    # Relative paths are relative to the inventory directory.
    private_key_file: Text | None = None
    known_hosts_file: Text | None = None
    # The password of the vault (group_vars/all/vault.yml); ansible-playbook gets
    # --vault-password-file with it.
    vault_password_file: Text | None = None


class Interface(Strict):
    network: Slug
    ip: IPv4


DatabaseEngine = Literal["postgresql", "mariadb"]

# How a machine shut down for a holiday comes back (holiday_power.yml, `invoke holiday.*`):
# wol: a Wake-on-LAN packet to its MAC; ipmi: its BMC (IPMI) powers it on; rtc: before shutting
# down the host sets its own hardware clock alarm (rtcwake) for the power-on time (hosts only);
# timer_socket: a programmable socket or PDU outlet switches it (set by hand, listed in the plan).
POWER_ON_METHODS = ("wol", "ipmi", "rtc", "timer_socket")


class PowerOn(Strict):
    method: Literal[POWER_ON_METHODS]  # type: ignore[valid-type]
    mac: MacAddress | None = None  # wol
    bmc: IPv4 | None = None  # ipmi: the BMC's address
    # shutdown order: lower first, power-on in the reverse order (e.g. applications 10,
    # databases 20, storage 30)
    order: Annotated[StrictInt, Field(ge=0, le=999)] = 10


class Host(Strict):
    name: HostName
    site: Slug
    roles: list[HostRole] = []
    interfaces: Annotated[list[Interface], Field(min_length=1)]
    # Which interface Ansible connects to; default: the first one.
    management_network: Slug | None = None
    # Databases the host serves (role database only); backups.yml refers to them.
    databases: list[Slug] = []
    # The database server of a host with role database: PostgreSQL or MariaDB (one per host).
    database_engine: DatabaseEngine = "postgresql"
    # How the host runs its services. sysvinit: a host without systemd, such as the lab's PBX
    # (Debian sid's Asterisk; sid's systemd does not start in a container here). The roles
    # common and hardening need systemd and skip such a host; it may carry role pbx only.
    init_system: Literal["systemd", "sysvinit"] = "systemd"
    # Shut down for public holidays and administrative leave (holiday_power.yml); needs
    # power_on, the way it comes back.
    tatilde_kapat: StrictBool = False
    power_on: PowerOn | None = None


class HostsFile(Strict):
    connection: Connection = Connection()
    hosts: Annotated[list[Host], Field(min_length=1)]


# ---------------------------------------------------------------------------------------------
# devices.yml


# Vendors whose switch configuration the project renders (bilgiislem/netconfig), and the
# features each one's templates support. A device of another vendor may be listed (UPSes,
# cameras) but may not have ports or LAGs.
NETWORK_VENDORS: dict[str, frozenset[str]] = {
    "cisco_ios": frozenset({"voice_vlan", "edge", "port_security", "lag"}),
    "huawei_vrp": frozenset({"voice_vlan", "edge", "port_security", "lag"}),
    "hp_procurve": frozenset({"voice_vlan", "edge", "lag"}),
}
# VLANs are named by the purpose of a network of the device's site (networks.yml).
VlanPurpose = Literal[NETWORK_PURPOSES]  # type: ignore[valid-type]


def _interface(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z-]*\d+(?:/\d+)*(?:-\d+)?", value):
        raise fail(f"{value!r} is not an interface name or range",
                   "the vendor's name with its numbers, e.g. 'GigabitEthernet1/0/5' or "
                   "'GigabitEthernet0/0/5' (Huawei) or '5' (HP ProCurve); a range of the last "
                   "number: 'GigabitEthernet1/0/1-24', '1-24'")
    first, _, last = value.rpartition("/")[2].partition("-")
    if last and int(last) <= int(re.sub(r"\D", "", first) or 0):
        raise fail(f"range {value!r} does not go up",
                   "write the lower number first, e.g. 'GigabitEthernet1/0/1-24'")
    return value


InterfaceName = Annotated[StrictStr, AfterValidator(_interface)]


class PortProfile(Strict):
    """What a kind of port is: an access port in one VLAN (with a voice VLAN), a trunk that
    carries VLANs, or a disabled port. VLANs are network purposes of the device's site."""
    mode: Literal["access", "trunk", "disabled"]
    description: Text | None = None
    vlan: VlanPurpose | None = None  # access: the port's VLAN
    voice_vlan: bool = False  # access: also the site's voice VLAN, tagged (IP phones)
    vlans: list[VlanPurpose] = []  # trunk: the allowed VLANs
    native: VlanPurpose | None = None  # trunk: the untagged VLAN (none: all tagged)
    edge: bool = False  # an end device: no STP wait (portfast), BPDUs shut the port
    port_security: Annotated[StrictInt, Field(ge=1, le=64)] | None = None  # max MAC addresses


class SwitchPort(Strict):
    name: InterfaceName
    profile: Slug
    description: Text | None = None


class Lag(Strict):
    id: Annotated[StrictInt, Field(ge=1, le=64)]
    members: Annotated[list[InterfaceName], Field(min_length=1)]
    profile: Slug
    description: Text | None = None


class Device(Strict):
    name: HostName
    site: Slug
    kind: Literal[DEVICE_KINDS]  # type: ignore[valid-type]
    vendor: Platform
    model: Text
    network: Slug
    ip: IPv4
    # Switches and routers of a rendered vendor: their ports and link aggregations.
    ports: list[SwitchPort] = []
    lags: list[Lag] = []
    # Powered off for public holidays (holiday_power.yml); needs power_on.
    tatilde_kapat: StrictBool = False
    power_on: PowerOn | None = None


class DevicesFile(Strict):
    port_profiles: dict[Slug, PortProfile] = {}
    devices: list[Device] = []


# ---------------------------------------------------------------------------------------------
# personel.yml (Turkish keys: mirrors the personnel office's export)


PERSON_SERVICES = ("vpn", "kamera")


class Kisi(Strict):
    sicil_no: Sicil
    ad: PersonName
    soyad: PersonName
    mudurluk: Slug
    unvan: Text
    durum: Literal["aktif", "izinli", "ayrildi"]
    baslama: date
    ayrilis: date | None = None
    dahili: Annotated[StrictInt, Field(ge=100, le=99999)] | None = None
    kullanici_adi: Username | None = None
    # Server administrators get an account with sudo on every server, reachable only with
    # these keys. Removing a key here removes it from the servers at the next deploy.
    sunucu_yoneticisi: StrictBool = False
    ssh_anahtarlari: list[SshPublicKey] = []
    # Successor (devir alan, by sicil no): receives the share folder and the mailbox when the
    # person leaves (Amasya 18ç, Efeler 14.3).
    devir_alan: Sicil | None = None
    # The person's mailbox, in the municipality's domain.
    eposta: Email | None = None
    # Services beyond the directory account: VPN from outside, camera operator (NVR).
    hizmetler: list[Literal[PERSON_SERVICES]] = []  # type: ignore[valid-type]


class PersonelFile(Strict):
    personel: list[Kisi] = []


# ---------------------------------------------------------------------------------------------
# backups.yml

# Backup classes (Efeler 6.20: hourly, daily, weekly, monthly, 3-monthly, 6-monthly), in this
# order, with their built-in schedule (systemd OnCalendar) and retention count. backups.yml may
# override schedule and keep per class; the names are fixed.
BACKUP_CLASSES: dict[str, tuple[str, int]] = {
    "hourly": ("hourly", 24),
    "daily": ("*-*-* 01:30", 14),
    "weekly": ("Sun *-*-* 02:30", 8),
    "monthly": ("*-*-01 03:30", 12),
    "quarterly": ("*-01,04,07,10-01 04:30", 8),
    "semiannual": ("*-01,07-01 05:30", 4),
}
BackupClass = Literal[tuple(BACKUP_CLASSES)]  # type: ignore[valid-type]
BACKUP_TYPES = ("files", "postgresql", "mariadb")
DATABASE_BACKUP_TYPES = ("postgresql", "mariadb")


def _schedule(value: str) -> str:
    # Pure Python on purpose: systemd-analyze may be missing where the inventory is checked.
    if not value.strip() or any(ch in value for ch in "\n\r\t\0"):
        raise fail(f"{value!r} is not a systemd calendar expression",
                   "write one OnCalendar expression on one line, e.g. '*-*-* 01:30' "
                   "(see man systemd.time)")
    return value.strip()


def _retention(value: int) -> int:
    if value < 1:
        raise fail(f"keep {value} is not a positive number of snapshots",
                   "keep is how many snapshots of the class are retained: 1 or more; "
                   "to stop using a class, remove it from the sets' 'classes'")
    return value


def _absolute_path(value: str) -> str:
    if not value.startswith("/"):
        raise fail(f"{value!r} is not an absolute path",
                   f"start it at the root directory, e.g. '/{value.lstrip('./')}'")
    if any(ch in value for ch in "\n\r\0") or "/../" in value + "/":
        raise fail(f"{value!r} is not a plain absolute path",
                   "one path per entry, without '..' or line breaks")
    return value


Schedule = Annotated[StrictStr, AfterValidator(_schedule)]
Retention = Annotated[StrictInt, AfterValidator(_retention)]
AbsolutePath = Annotated[StrictStr, AfterValidator(_absolute_path)]


class BackupClassOverride(Strict):
    schedule: Schedule | None = None
    keep: Retention | None = None


class BackupClassOverrides(Strict):
    """One optional entry per built-in class; an unknown class name is an unknown key."""

    hourly: BackupClassOverride | None = None
    daily: BackupClassOverride | None = None
    weekly: BackupClassOverride | None = None
    monthly: BackupClassOverride | None = None
    quarterly: BackupClassOverride | None = None
    semiannual: BackupClassOverride | None = None


class BackupSet(Strict):
    name: Slug
    hosts: Annotated[list[HostName], Field(min_length=1)]
    type: Literal[BACKUP_TYPES]  # type: ignore[valid-type]
    paths: list[AbsolutePath] = []
    excludes: list[Text] = []
    databases: list[Slug] = []
    classes: Annotated[list[BackupClass], Field(min_length=1)]


class BackupsFile(Strict):
    repository: HostName
    offsite: HostName | None = None
    classes: BackupClassOverrides = BackupClassOverrides()
    sets: list[BackupSet] = []


# ---------------------------------------------------------------------------------------------
# vpn.yml

# How a remote unit connects to the hub: a Linux gateway of hosts.yml running WireGuard (role
# vpn), a MikroTik router running WireGuard (a RouterOS script, net push over Netmiko), or an
# IPsec appliance such as a FortiGate (IKEv2 against strongSwan on the hub; its configuration
# is rendered for the appliance's administrator).
VPN_SITE_TYPES = ("linux-wireguard", "mikrotik-wireguard", "ipsec-appliance")
# What a remote unit may reach at the centre: a keyword, or the name of a central host or
# network. The keywords: every central server network, and the hosts of a role with that
# role's ports (bilgiislem/inventory/firewall.py).
VPN_ACCESS_KEYWORDS: dict[str, str] = {
    "servers": "every central network of purpose server (all ports)",
    "dns": "the DNS servers (hosts with role directory), port 53",
    "ntp": "the NTP servers (role ntp_server), port 123/udp",
    "syslog": "the log collectors (role log_collector), their syslog ports",
    "pbx": "the telephone exchange (role pbx): SIP, RTP and the phones' provisioning files",
}
VPN_DEFAULT_ACCESS = ["servers", "dns", "ntp", "syslog", "pbx"]
# Appliances whose configuration the project renders for an ipsec-appliance site.
IPSEC_VENDORS = ("fortigate",)


def _wg_public_key(value: str) -> str:
    try:
        raw = base64.b64decode(value, validate=True)
    except binascii.Error:
        raw = b""
    if len(raw) != 32:
        raise fail(f"{value!r} is not a WireGuard public key",
                   "44 characters of base64 ending in '=', as 'wg pubkey' or RouterOS "
                   "'/interface/wireguard/print' shows it")
    return value


WgPublicKey = Annotated[StrictStr, AfterValidator(_wg_public_key)]


class VpnSite(Strict):
    site: Slug
    type: Literal[VPN_SITE_TYPES]  # type: ignore[valid-type]
    # linux-wireguard: the site's gateway host (role vpn_gateway in hosts.yml).
    gateway: HostName | None = None
    # WireGuard sites: the site's address in the tunnel subnet.
    tunnel_ip: IPv4 | None = None
    # The site's public address; none when it is behind the provider's NAT (WireGuard sites
    # then keep the tunnel open from their side). Required for ipsec-appliance.
    endpoint: IPv4 | None = None
    listen_port: Port = 51820
    # The site's networks (networks.yml) reached through the tunnel; default: every non-WAN
    # network of the site.
    lans: list[Slug] | None = None
    # What the site may reach at the centre; default: vpn.access.
    access: list[Slug] | None = None
    # mikrotik-wireguard: where the controller reaches the router (SSH), and the router's
    # interface names for the script.
    management: IPv4 | None = None
    # mikrotik-wireguard: the public key of a key pair the router made itself (its private
    # key never leaves it); without it, the key pair is generated into the vault.
    public_key: WgPublicKey | None = None
    wan_interface: Text | None = None
    # ipsec-appliance: the appliance's LAN interface, for its firewall policies.
    lan_interface: Text | None = None
    # ipsec-appliance: which appliance's configuration to render.
    vendor: Literal[IPSEC_VENDORS] | None = None  # type: ignore[valid-type]


class VpnFile(Strict):
    # The central gateway: a host with role vpn_hub.
    hub: HostName
    # The address remote units dial; default: the hub's address on a WAN network.
    public_address: IPv4 | None = None
    tunnel_subnet: Cidr = "10.255.0.0/24"
    tunnel_ip: IPv4 | None = None  # the hub's address in the tunnel subnet; default: the first
    listen_port: Port = 51820
    mtu: Annotated[StrictInt, Field(ge=1280, le=1500)] = 1420
    keepalive: Annotated[StrictInt, Field(ge=0, le=600)] = 25  # seconds; 0: off
    # vpn.status marks a site down when its last handshake is older than this.
    down_after_minutes: Annotated[StrictInt, Field(ge=3, le=1440)] = 5
    # strongSwan's userspace ESP (kernel-libipsec) on the hub: only for hosts whose kernel has
    # no ESP (containers, the lab).
    ipsec_userspace_esp: StrictBool = False
    access: list[Slug] = VPN_DEFAULT_ACCESS
    # Pairs of remote units that may reach each other through the hub; others may not.
    site_links: list[Annotated[list[Slug], Field(min_length=2, max_length=2)]] = []
    sites: list[VpnSite] = []


# ---------------------------------------------------------------------------------------------
# pbx.yml

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PHONE_VENDORS = ("yealink", "grandstream")


def _sound(value: str) -> str:
    if not re.fullmatch(r"sesler/[\w-][\w.-]*\.(wav|gsm|ulaw|alaw|sln)", value):
        raise fail(f"{value!r} is not a sound file of the inventory",
                   "a file in the inventory's directory 'sesler', ending in .wav (8 kHz mono "
                   "PCM), .gsm, .ulaw, .alaw or .sln, e.g. 'sesler/karsilama.wav'")
    return value


SoundFile = Annotated[StrictStr, AfterValidator(_sound)]
Number = Annotated[StrictInt, Field(ge=100, le=99999)]


class RingGroup(Strict):
    """A müdürlük's ring group (çağrı grubu): every phone of its active staff rings at once."""
    mudurluk: Slug
    number: Number
    ring_seconds: Annotated[StrictInt, Field(ge=5, le=300)] = 20
    # Call recording: off by default (Efeler 10.8.4, calls are confidential). Turning it on is
    # an explicit, logged decision: every recorded call is marked in its call record.
    record: StrictBool = False


def _key(value: str) -> str:
    if not re.fullmatch(r"[0-9*#]", value):
        raise fail(f"{value!r} is not a key of the phone", "one of 0-9, * or #, in quotes: '1'")
    return value


class IvrOption(Strict):
    digit: Annotated[StrictStr, AfterValidator(_key)]
    # An extension (dahili) or a ring group number.
    target: Number


class Ivr(Strict):
    """The main number's voice menu ("Fen İşleri için 1'e basın...")."""
    greeting: SoundFile
    options: list[IvrOption] = []
    timeout_seconds: Annotated[StrictInt, Field(ge=1, le=60)] = 8


class BusinessHours(Strict):
    days: Annotated[list[Literal[WEEKDAYS]], Field(min_length=1)] = [  # type: ignore[valid-type]
        "mon", "tue", "wed", "thu", "fri"]
    open: Clock = "08:30"
    close: Clock = "17:30"
    # Half days (arife, 28 October): the office closes at this time (holidays' half_day).
    half_day_close: Clock = "13:00"


class HolidayOverride(Strict):
    date: date
    name: Text
    half_day: StrictBool = False


class Holidays(Strict):
    # Turkey's public holidays come from the holidays package (national days, Ramazan and
    # Kurban Bayramı, their eves as half days); these are added: administrative leave (idari
    # izin) bridge days, local holidays.
    extra: list[HolidayOverride] = []


class Trunk(Strict):
    """The line to the SIP operator."""
    name: Slug
    host: Target
    port: Port = 5060
    # ip: the operator recognises the PBX by its address; register: the PBX registers with a
    # user name and the password in the vault (vault_pbx_trunk_passwords.<name>).
    auth: Literal["ip", "register"] = "ip"
    username: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_.+-]{1,64}$")] | None = None
    # The operator's signalling and media addresses: the only outside sources allowed to
    # send SIP and RTP to the PBX.
    addresses: Annotated[list[AddressBlock], Field(min_length=1)]
    # The municipality's numbers on this trunk (DIDs): calls to them reach the main number.
    numbers: list[Annotated[StrictStr, Field(pattern=r"^\+?[0-9]{4,15}$")]] = []
    # Dial this digit first to call out through the trunk.
    outbound_prefix: Annotated[StrictStr, Field(pattern=r"^[0-9]$")] = "0"


class PhoneDevice(Strict):
    """An IP phone provisioned from the PBX host (its configuration by MAC address)."""
    mac: MacAddress
    vendor: Literal[PHONE_VENDORS]  # type: ignore[valid-type]
    model: Text
    sicil_no: Sicil  # the person whose extension the phone carries
    network: Slug  # a voice network: the phone's VLAN


class PbxFile(Strict):
    # The host with role pbx.
    host: HostName
    # The IVR's number; calls from the trunks' numbers arrive here.
    main_number: Number
    # Where the IVR sends 0, a wrong digit and silence: an extension or a ring group number.
    operator: Number
    # Networks allowed to send SIP and RTP (besides the trunks); default: every network of
    # purpose voice.
    voice_networks: list[Slug] | None = None
    # A departed person's extension: "ring_group" forwards it to their müdürlük's ring group;
    # "release" frees the number (callers hear that it is not in use).
    departed: Literal["ring_group", "release"] = "ring_group"
    transport: Literal["udp", "tls"] = "udp"
    ring_groups: list[RingGroup] = []
    ivr: Ivr
    business_hours: BusinessHours = BusinessHours()
    # Played out of hours and on holidays, then the call ends (or goes to the operator's
    # voicemail).
    after_hours: SoundFile
    holidays: Holidays = Holidays()
    trunks: list[Trunk] = []
    phones: list[PhoneDevice] = []


# ---------------------------------------------------------------------------------------------
# cameras.yml

# Camera classes, with their built-in recording retention (days) and video encoder settings
# (resolution, fps, bitrate in kbit/s, GOP length in frames). cameras.yml may override them per
# class; the names are fixed. 30 days: KVKK's "no longer than the purpose needs" and the
# shopping-centre rule's minimum (Rehber 3.6.1.9).
CAMERA_CLASSES: dict[str, tuple[int, str, int, int, int]] = {
    "entrance": (30, "1920x1080", 15, 4096, 30),   # giriş: faces at the door
    "indoor": (30, "1920x1080", 12, 3072, 24),     # iç mekân
    "outdoor": (30, "2560x1440", 15, 6144, 30),    # dış mekân, otopark
    "ptz": (30, "1920x1080", 25, 6144, 50),        # hareketli (pan-tilt-zoom)
    "live": (30, "1920x1080", 25, 4096, 50),       # canlı yayın (meclis toplantısı)
}
CameraClass = Literal[tuple(CAMERA_CLASSES)]  # type: ignore[valid-type]
# Vendors whose factory accounts the project knows (bilgiislem/cameras/defaults.py); any other
# ONVIF camera is 'generic'.
CAMERA_VENDORS = ("hikvision", "dahua", "axis", "uniview", "hanwha", "generic")


def _resolution(value: str) -> str:
    m = re.fullmatch(r"(\d{3,4})x(\d{3,4})", value)
    if not m or not (160 <= int(m[1]) <= 7680 and 120 <= int(m[2]) <= 4320):
        raise fail(f"{value!r} is not a video resolution",
                   "width x height in pixels, as the camera lists it, e.g. '1920x1080'")
    return value


def _retention_days(value: int) -> int:
    if value < 1:
        raise fail(f"retention of {value} days keeps no recording",
                   "recordings are kept 1 day or more (KVKK default: 30); a camera that must "
                   "not record does not belong in cameras.yml")
    return value


Resolution = Annotated[StrictStr, AfterValidator(_resolution)]
RetentionDays = Annotated[StrictInt, AfterValidator(_retention_days)]


class CameraClassOverride(Strict):
    retention_days: RetentionDays | None = None
    resolution: Resolution | None = None
    fps: Annotated[StrictInt, Field(ge=1, le=60)] | None = None
    bitrate_kbps: Annotated[StrictInt, Field(ge=64, le=32768)] | None = None
    gop: Annotated[StrictInt, Field(ge=1, le=300)] | None = None


class CameraClassOverrides(Strict):
    """One optional entry per built-in class; an unknown class name is an unknown key."""

    entrance: CameraClassOverride | None = None
    indoor: CameraClassOverride | None = None
    outdoor: CameraClassOverride | None = None
    ptz: CameraClassOverride | None = None
    live: CameraClassOverride | None = None


class Camera(Strict):
    name: HostName  # also the host name set on the camera
    site: Slug
    location: Text  # where it looks, as the staff say it: "Hizmet binası ana giriş"
    vendor: Literal[CAMERA_VENDORS]  # type: ignore[valid-type]
    model: Text
    network: Slug  # a network of purpose camera of the camera's site
    ip: IPv4
    class_: CameraClass = Field(alias="class")
    nvr: HostName  # the host with role nvr that records it
    onvif_port: Port = 80
    # What the recorder pulls; default: the vendor's usual RTSP address (cameras/plan.py).
    stream_url: Annotated[StrictStr, Field(pattern=r"^(rtsp|http)://\S+$")] | None = None


class FirmwareMinimum(Strict):
    model: Text
    version: Annotated[StrictStr, Field(min_length=1, max_length=100)]


class CamerasFile(Strict):
    # The municipality's retention policy (KVKK): no class may keep recordings longer.
    max_retention_days: Annotated[StrictInt, Field(ge=1, le=365)] = 90
    classes: CameraClassOverrides = CameraClassOverrides()
    # cameras.audit: firmware older than this, per model, is a finding.
    min_firmware: list[FirmwareMinimum] = []
    # NTP servers the cameras use; default: the hosts with role ntp_server. By address: the
    # camera network reaches only the recorders and the NTP servers.
    ntp_servers: list[IPv4] | None = None
    # DNS servers the cameras get; empty (default): their DNS is left as it is (NTP is by
    # address, they need none). Listed servers are also opened to the camera networks on the
    # central gateway.
    dns_servers: list[IPv4] = []
    cameras: list[Camera] = []


# ---------------------------------------------------------------------------------------------
# legal_logging.yml (Law 5651)

# The 2017 regulation: a collective-use provider keeps access logs for two years.
LEGAL_LOG_MIN_DAYS = 730
# Where the collector keeps the sealed bundles (role log_collector's default archive).
LEGAL_LOG_ARCHIVE = "/var/log/5651-arsiv"


def _tsa_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
        raise fail(f"{value!r} is not an http:// or https:// address",
                   "the time-stamp authority's address as its provider gives it, e.g. "
                   "'http://tsa.example.gov.tr/' (RFC 3161 over HTTP)")
    return value


class TimeStampAuthority(Strict):
    # Where the collector asks for RFC 3161 time stamps (HTTP POST application/timestamp-query).
    url: Annotated[StrictStr, AfterValidator(_tsa_url)]
    # The TSA's CA certificate (PEM), relative to the inventory directory: what verifiers trust.
    ca_file: Annotated[StrictStr, Field(min_length=1, max_length=255)]


class LegalLoggingFile(Strict):
    tsa: TimeStampAuthority
    retention_days: Annotated[StrictInt, Field(ge=1, le=3650)] = LEGAL_LOG_MIN_DAYS
    # Only on a lawyer's advice: retention under the legal two years.
    allow_short_retention: bool = False
    # A source (host) that sent nothing for this long raises the silent-source alert.
    silent_after_minutes: Annotated[StrictInt, Field(ge=1, le=1440)] = 15


# ---------------------------------------------------------------------------------------------
# content_filter.yml (Law 5651: prevent access to criminal content on the user networks)

FILTER_LISTS_DIR = "icerik-filtresi"


class FilterList(Strict):
    name: Slug
    # A text file of domains, one per line ('#' starts a comment), relative to the inventory
    # directory, under icerik-filtresi/. A domain blocks every name under it.
    file: Annotated[StrictStr, Field(min_length=1, max_length=255)]
    description: Text | None = None


class FilterPolicy(Strict):
    name: Slug
    # The lists whose domains this policy blocks.
    block: list[Slug] = []
    description: Text | None = None


class FilteredNetwork(Strict):
    network: Slug
    # The host (role dns_resolver) the network's clients ask; DHCP hands it out.
    resolver: HostName
    policy: Slug


class ContentFilterFile(Strict):
    lists: list[FilterList] = []
    policies: Annotated[list[FilterPolicy], Field(min_length=1)]
    networks: Annotated[list[FilteredNetwork], Field(min_length=1)]
    # Resolvers every other query goes to (the provider's); empty: from the root servers.
    upstream: list[IPv4] = []
    # Every query with the client's address, for the Law 5651 record.
    log_queries: bool = True


# ---------------------------------------------------------------------------------------------
# holiday_power.yml (Defne 11/3, 11/17: equipment powered down for religious and national
# holidays, checked, and brought back). Public holidays come from the `holidays` package;
# administrative leave (idari izin, bridge days declared by circular) is listed here per year.

class LeaveDay(Strict):
    date: date
    reason: Text


class HolidayPowerFile(Strict):
    # The evening of the last working day before a holiday period.
    shutdown_time: Clock = "18:30"
    # On a half day (arife: work ends at 13:00) right before the period.
    half_day_shutdown_time: Clock = "13:30"
    # The morning of the first working day after the period.
    power_on_time: Clock = "07:00"
    # Periods shorter than this many days off (weekend days included) are skipped.
    min_days: Annotated[StrictInt, Field(ge=1, le=30)] = 1
    # Administrative leave per year: {2027: [{date: 2027-03-12, reason: ...}]}
    idari_izin: dict[Annotated[StrictInt, Field(ge=2000, le=2100)], list[LeaveDay]] = {}


# ---------------------------------------------------------------------------------------------
# varliklar.yml (the asset inventory's register data: Turkish keys, as the Taşınır register)

# Warranties ending within this many days are flagged (varliklar.yml may change it).
WARRANTY_WARN_DAYS = 90


def _asset_ref(value: str) -> str:
    """A host, device or camera name, or a phone's MAC address (normalised like pbx.yml's)."""
    if re.fullmatch(r"(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}", value):
        return _mac(value)
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", value):
        raise fail(f"{value!r} is not a host, device or camera name or a phone's MAC address",
                   "the name as in hosts.yml, devices.yml or cameras.yml (e.g. 'srv-db'), or "
                   "the MAC of a phone of pbx.yml (e.g. '80:5E:C0:11:22:33')")
    return value


def _registration(value: str) -> str:
    if not re.fullmatch(r"[0-9A-Za-z](?:[0-9A-Za-z./-]{0,48}[0-9A-Za-z])?", value):
        raise fail(f"{value!r} is not a registration number (sicil no)",
                   "as the Taşınır register writes it: ASCII letters, digits, '.', '/' and "
                   "'-', e.g. '2023/0147' or 'BIM-SNC-0004'")
    return value


def _tasinir_code(value: str) -> str:
    if not re.fullmatch(r"\d{3}(?:\.\d{2}){0,5}", value):
        raise fail(f"{value!r} is not a Taşınır code",
                   "the code of the Taşınır Kod Listesi: three digits, then groups of two "
                   "digits, separated by dots, e.g. '253.02.01'")
    return value


def _package_pattern(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9*?\[][a-z0-9+.*?\[\]-]{0,99}", value):
        raise fail(f"{value!r} is not a package name pattern",
                   "a Debian package name in lowercase, with * and ? as wildcards, e.g. "
                   "'postgresql-1*' or 'asterisk'")
    return value


AssetRef = Annotated[StrictStr, AfterValidator(_asset_ref)]
Registration = Annotated[StrictStr, AfterValidator(_registration)]
TasinirCode = Annotated[StrictStr, AfterValidator(_tasinir_code)]
PackagePattern = Annotated[StrictStr, AfterValidator(_package_pattern)]


class Varlik(Strict):
    """One asset of the Taşınır register: a host, device, camera or phone of this inventory
    (``cihaz``), or equipment the project does not manage, by its serial (``seri_no``)."""
    cihaz: AssetRef | None = None
    # The serial on the register; with cihaz, the report checks it against the one read.
    seri_no: Text | None = None
    sicil_no: Registration
    tasinir_kodu: TasinirCode | None = None
    # Used when the device does not say (equipment the project does not read).
    marka: Text | None = None
    model: Text | None = None
    alim_tarihi: date | None = None
    garanti_bitis: date | None = None
    # Default: the site's name.
    konum: Text | None = None


class Lisans(Strict):
    """A software licence: how many installations it allows and how to find them."""
    urun: Text
    adet: Annotated[StrictInt, Field(ge=1, le=1000000)]
    bitis: date | None = None
    # Debian packages whose installation on a server counts as one use of the licence.
    paketler: list[PackagePattern] = []


class VarliklarFile(Strict):
    garanti_uyari_gun: Annotated[StrictInt, Field(ge=1, le=730)] = WARRANTY_WARN_DAYS
    varliklar: list[Varlik] = []
    lisanslar: list[Lisans] = []


# ---------------------------------------------------------------------------------------------
# ups.yml (Defne 11/3: UPSes kept usable; role ups, Network UPS Tools). The host a UPS's data
# cable (or SNMP poller) is on runs the NUT server; the hosts the UPS powers are its clients.
# On low battery every host runs a staged shutdown: applications first, then databases, then
# storage, each stage `stage_delay_seconds` after the one before; the NUT server goes last.

# In shutdown order; the index times stage_delay_seconds is the wait before the shutdown.
UPS_STAGES = ("applications", "databases", "storage")
# NUT drivers: usbhid-ups (USB HID, most current UPSes), snmp-ups (a network management card),
# blazer_usb and nutdrv_qx (Megatec/Q1 protocol USB UPSes, common among local brands),
# dummy-ups (a simulated UPS read from a file: the lab and the tests).
UPS_DRIVERS = ("usbhid-ups", "snmp-ups", "blazer_usb", "nutdrv_qx", "dummy-ups")
UpsStage = Literal[UPS_STAGES]  # type: ignore[valid-type]


class UpsClient(Strict):
    # A host the UPS powers (upsmon secondary).
    host: HostName
    stage: UpsStage = "applications"


class Ups(Strict):
    # A device of devices.yml with kind ups; also the UPS's name in NUT (upsc <name>@<server>).
    name: HostName
    # The host its USB/serial cable is on, or that polls its network card (snmp-ups): upsd,
    # the driver, and upsmon as primary. The UPS powers it too.
    server: HostName
    driver: Literal[UPS_DRIVERS] = "usbhid-ups"  # type: ignore[valid-type]
    # The driver's port; default: auto (USB), the device's ip (snmp-ups), <name>.dev in
    # /etc/nut (dummy-ups).
    port: Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_./:-]{1,100}$")] | None = None
    # The server's own stage; not before any of its clients'.
    server_stage: UpsStage = "storage"
    clients: list[UpsClient] = []


class UpsFile(Strict):
    upses: Annotated[list[Ups], Field(min_length=1)]
    # Seconds between two stages: databases wait this long, storage twice as long. At least
    # twice upsmon's poll (5 s): the hosts notice the low battery up to one poll apart.
    stage_delay_seconds: Annotated[StrictInt, Field(ge=10, le=600)] = 60


FILES: dict[str, type[Strict]] = {
    "municipality.yml": MunicipalityFile,
    "sites.yml": SitesFile,
    "networks.yml": NetworksFile,
    "hosts.yml": HostsFile,
    "devices.yml": DevicesFile,
    "personel.yml": PersonelFile,
    "backups.yml": BackupsFile,
    "vpn.yml": VpnFile,
    "pbx.yml": PbxFile,
    "cameras.yml": CamerasFile,
    "legal_logging.yml": LegalLoggingFile,
    "content_filter.yml": ContentFilterFile,
    "holiday_power.yml": HolidayPowerFile,
    "varliklar.yml": VarliklarFile,
    "ups.yml": UpsFile,
}
REQUIRED_FILES = ("municipality.yml", "sites.yml", "networks.yml", "hosts.yml")
# Optional files whose absence turns a feature off (the Inventory holds None), rather than
# counting as an empty list.
FEATURE_FILES = ("backups.yml", "vpn.yml", "pbx.yml", "cameras.yml", "legal_logging.yml",
                 "content_filter.yml", "holiday_power.yml", "varliklar.yml", "ups.yml")
# Files Ansible itself reads from the inventory directory.
ANSIBLE_FILES = ("inventory.yml",)
SECRETS_FILE = "group_vars/all/vault.yml"
# Recordings the exchange plays (pbx.yml names them), next to the data files.
SOUNDS_DIR = "sesler"
