"""Provisioning files of the IP phones: what a phone fetches from the PBX's web server by its
MAC address at boot, with its SIP account, NTP servers, time zone, voice VLAN and language.

- Yealink (T4x/T5x, firmware V8x): ``<mac>.cfg``, ``key = value`` lines under the header
  ``#!version:1.0.0.1``.
- Grandstream (GXP21xx/GXP17xx/GRP): ``cfg<mac>.xml``, P-values inside ``<gs_provision>``.

The templates are the role pbx's (roles/pbx/templates/provisioning), which writes the files on
the exchange; their variables are ``phone`` (:func:`template_vars`, which the inventory plugin
passes to the role) and ``secret``. Here they render the same way for the golden tests and for
printing. :func:`render` writes one phone's file; ``show_secrets=False`` masks the SIP password
with :data:`MASK` (for printing, as Oxidized masks a device's secrets). :func:`render_all` gives
every file by name. The time zone is derived from the phone's IANA name with zoneinfo: both
vendors get a fixed UTC offset with daylight saving off, which is right for Turkey (UTC+3 all
year since 2016). A zone whose offset changes during the year is refused (ValueError): the
vendors' DST rules would have to be written too.

Parameter names were checked against public provisioning templates (search tool, code corpus):
Yealink in wazo-platform/wazo-provd-plugins (plugins/xivo-yealink) and fusionpbx/fusionpbx
(resources/templates/provision/yealink/t46u/{$mac}.cfg); Grandstream in fusionpbx
(resources/templates/provision/grandstream/gxp2170/{$mac}.xml), Grandstream's GXP17xx config
template (the P64 time zone table, P246) and wazo-provd-plugins (plugins/xivo-grandstream).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2

from bilgiislem import REPO_ROOT

TEMPLATES = REPO_ROOT / "roles" / "pbx" / "templates" / "provisioning"
TEMPLATE_FILES = {"yealink": "yealink.cfg.j2", "grandstream": "grandstream.xml.j2"}
MASK = "********"
Vendor = Literal["yealink", "grandstream"]
Transport = Literal["udp", "tcp", "tls"]
VENDORS: tuple[Vendor, ...] = ("yealink", "grandstream")
# Both vendors number the transports alike: Yealink account.X.sip_server.Y.transport_type,
# Grandstream P130 (0 UDP, 1 TCP, 2 TLS).
TRANSPORTS: dict[Transport, int] = {"udp": 0, "tcp": 1, "tls": 2}
# Yealink lang.gui / lang.wui take the language's English name; Grandstream P1362 the code.
YEALINK_LANGUAGES = {"tr": "Turkish", "en": "English"}
GRANDSTREAM_LANGUAGES = ("tr", "en")
# local_time.time_zone_name: a name from Yealink's own list. Its one Turkish entry is
# "Turkey(Ankara)" (listed at +2 in the lists we found, from before 2016). The name only picks
# the phone's AutoDST rule (used when local_time.summer_time = 2); with DST off the clock
# follows local_time.time_zone alone, so another fixed-offset zone simply gets no name.
YEALINK_ZONE_NAMES = {"Europe/Istanbul": "Turkey(Ankara)", "Asia/Istanbul": "Turkey(Ankara)",
                      "Turkey": "Turkey(Ankara)"}
# Grandstream P212, config upgrade via: 0 TFTP, 1 HTTP, 2 HTTPS (P237 takes the path without
# the scheme).
GRANDSTREAM_UPGRADE_VIA = {"tftp": 0, "http": 1, "https": 2}
MAC = re.compile(r"[0-9a-f]{12}")
# T46U, GXP2170: it goes into a comment of the file, so no "--" (ends an XML comment).
MODEL = re.compile(r"[A-Za-z0-9]+(?:[ ._+-][A-Za-z0-9]+)*")
# A line break would start a setting of its own in a Yealink file; XML 1.0 cannot carry most
# control characters at all.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, kw_only=True)
class Phone:
    """One desk phone and the SIP account it registers (account 1)."""

    mac: str  # 12 lowercase hex digits, no separators (805ec0112233)
    vendor: Vendor
    model: str  # T46U, GXP2170: only named in a comment of the file
    extension: int
    display_name: str  # may hold Turkish letters: the files are UTF-8
    secret: str  # the SIP password
    server: str  # the PBX's address
    port: int  # 5060, or 5061 for TLS
    transport: Transport
    ntp_servers: tuple[str, ...]  # one or two
    timezone: str  # IANA, e.g. Europe/Istanbul
    voice_vlan: int | None  # the VLAN the phone tags its traffic with; None: untagged
    language: str = "tr"
    provisioning_url: str  # where the phone fetches its file, e.g. http://10.10.30.10/prov

    def __post_init__(self) -> None:
        if not MAC.fullmatch(self.mac):
            raise ValueError(f"phone MAC {self.mac!r}: 12 lowercase hex digits, no separators")
        if not MODEL.fullmatch(self.model):
            raise ValueError(f"phone {self.mac}: model {self.model!r} is not a model name")
        if self.vendor not in VENDORS:
            raise ValueError(f"phone {self.mac}: vendor {self.vendor!r} is not one of {VENDORS}")
        if self.transport not in TRANSPORTS:
            raise ValueError(f"phone {self.mac}: transport {self.transport!r} is not one of "
                             f"{tuple(TRANSPORTS)}")
        if not 1 <= len(self.ntp_servers) <= 2:
            raise ValueError(f"phone {self.mac}: one or two NTP servers, not "
                             f"{len(self.ntp_servers)}")
        if not 1 <= self.port <= 65535 or self.extension < 0:
            raise ValueError(f"phone {self.mac}: port {self.port} or extension "
                             f"{self.extension} out of range")
        if self.voice_vlan is not None and not 1 <= self.voice_vlan <= 4094:
            raise ValueError(f"phone {self.mac}: voice VLAN {self.voice_vlan} is not 1-4094")
        if urlsplit(self.provisioning_url).scheme not in GRANDSTREAM_UPGRADE_VIA:
            raise ValueError(f"phone {self.mac}: provisioning URL {self.provisioning_url!r} "
                             f"needs one of the schemes {tuple(GRANDSTREAM_UPGRADE_VIA)}")
        for f in fields(self):
            values = getattr(self, f.name)
            for value in values if isinstance(values, tuple) else (values,):
                if isinstance(value, str) and CONTROL.search(value):
                    raise ValueError(f"phone {self.mac}: {f.name} holds a line break or another "
                                     f"control character")


def filename(phone: Phone) -> str:
    """The name the phone asks for: Yealink ``<mac>.cfg``, Grandstream ``cfg<mac>.xml``."""
    return f"{phone.mac}.cfg" if phone.vendor == "yealink" else f"cfg{phone.mac}.xml"


def zone_offset(timezone: str, year: int | None = None) -> tuple[timedelta, str]:
    """The UTC offset and abbreviation of an IANA zone that keeps one offset all year
    (``year``, by default this one): ('Europe/Istanbul' -> 3:00, '+03'). ValueError for an
    unknown zone or one with daylight saving time."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise ValueError(f"unknown time zone {timezone!r} (an IANA name such as "
                         f"Europe/Istanbul)") from e
    year = year or datetime.now(UTC).year
    # The 1st and the 15th of each month: a DST period is months long, whichever hemisphere.
    samples = [datetime(year, month, day, 12, tzinfo=zone)
               for month in range(1, 13) for day in (1, 15)]
    offsets = {s.utcoffset() for s in samples}
    if len(offsets) != 1:
        found = ", ".join(sorted({_hours(o) for o in offsets if o is not None}))
        raise ValueError(f"time zone {timezone} changes its UTC offset during {year} "
                         f"({found}: daylight saving time); the phone files carry one fixed "
                         f"offset with DST off (Turkey: UTC+3 all year since 2016)")
    first = samples[0]
    offset, name = first.utcoffset(), first.tzname()
    assert offset is not None and name is not None  # a ZoneInfo always gives both
    return offset, name


def _hours(offset: timedelta) -> str:
    """+3, -3:30, +5:45, 0: hours (and minutes) east of UTC."""
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "0"
    sign = "+" if minutes > 0 else "-"
    h, m = divmod(abs(minutes), 60)
    return f"{sign}{h}:{m:02d}" if m else f"{sign}{h}"


def yealink_time_zone(offset: timedelta) -> str:
    """local_time.time_zone: the offset as Yealink lists it ('+3', '+5:30', '-3:30', '0')."""
    return _hours(offset)


def posix_tz(offset: timedelta, abbreviation: str) -> str:
    """A POSIX TZ string without DST: the name (quoted in <> unless it is three or more
    letters), then the offset west of UTC ('<+03>-3', 'IST-5:30', 'UTC0')."""
    name = abbreviation if abbreviation.isalpha() and len(abbreviation) >= 3 \
        else f"<{abbreviation}>"
    west = _hours(-offset)
    return name + (west[1:] if west.startswith("+") else west)


def environment() -> jinja2.Environment:
    """A Jinja environment that renders like Ansible's template module (trim_blocks, trailing
    newline kept, no autoescaping: the XML template escapes its values itself)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
        trim_blocks=True, keep_trailing_newline=True, autoescape=False)


def template_vars(phone: Phone) -> dict[str, object]:
    """What the templates read as ``phone``: the fields except the secret, and the values
    derived for the vendor (transport code, time zone, language, configuration server)."""
    offset, abbreviation = zone_offset(phone.timezone)
    url = urlsplit(phone.provisioning_url)
    out: dict[str, object] = {f.name: getattr(phone, f.name) for f in fields(phone)
                              if f.name != "secret"}
    out["ntp_servers"] = list(phone.ntp_servers)
    out["transport_code"] = TRANSPORTS[phone.transport]
    if phone.vendor == "yealink":
        if phone.language not in YEALINK_LANGUAGES:
            raise ValueError(f"phone {phone.mac}: language {phone.language!r} is not one of "
                             f"{tuple(YEALINK_LANGUAGES)}")
        out |= {"time_zone": yealink_time_zone(offset),
                "time_zone_name": YEALINK_ZONE_NAMES.get(phone.timezone, ""),
                "language_name": YEALINK_LANGUAGES[phone.language]}
    else:
        if phone.language not in GRANDSTREAM_LANGUAGES:
            raise ValueError(f"phone {phone.mac}: language {phone.language!r} is not one of "
                             f"{GRANDSTREAM_LANGUAGES}")
        out |= {"posix_tz": posix_tz(offset, abbreviation), "language_name": phone.language,
                "upgrade_via": GRANDSTREAM_UPGRADE_VIA[url.scheme],
                "config_path": phone.provisioning_url.split("://", 1)[1].rstrip("/")}
    return out


def from_vars(values: dict[str, object], secret: str) -> Phone:
    """The phone back from what the role got (:func:`template_vars` plus ``file`` and
    ``sicil_no``) and its SIP password: to render it here exactly as the exchange does."""
    known = {f.name for f in fields(Phone)}
    kept = {k: v for k, v in values.items() if k in known}
    return Phone(**{**kept, "ntp_servers": tuple(kept["ntp_servers"]),  # type: ignore[arg-type]
                    "secret": secret})


def render(phone: Phone, show_secrets: bool = True) -> str:
    """The phone's provisioning file; ``show_secrets=False`` masks the SIP password."""
    template = environment().get_template(TEMPLATE_FILES[phone.vendor])
    return template.render(phone=template_vars(phone),
                           secret=phone.secret if show_secrets else MASK)


def render_all(phones: Iterable[Phone], show_secrets: bool = True) -> dict[str, str]:
    """Every phone's file by file name, sorted by name; ValueError when two phones share a
    MAC address."""
    files: dict[str, str] = {}
    macs: set[str] = set()
    for phone in phones:
        if phone.mac in macs:
            raise ValueError(f"two phones with the MAC address {phone.mac}")
        macs.add(phone.mac)
        files[filename(phone)] = render(phone, show_secrets)
    return dict(sorted(files.items()))
