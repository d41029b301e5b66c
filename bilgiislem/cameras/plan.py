"""The cameras and their recorders derived from the inventory (``cameras.yml``).

One plan feeds ``cameras.apply`` and ``cameras.audit`` (a :class:`CameraTarget` per camera),
the role ``nvr`` (through the inventory plugin) and the central gateway's firewall. The rules:

- Every camera gets the same accounts (Rehber 3.4.1.8, 3.4.3.4: no factory credentials):
  ``bilgiislem`` (Administrator; the project logs in with it; its password differs per camera,
  ``vault_camera_admin_passwords.<camera>``), ``kayit`` (User; the recorder pulls the stream
  with it, ``vault_camera_recorder_passwords.<camera>``) and one Operator account per camera
  operator: everyone in ``personel.yml`` with ``hizmetler: [kamera]`` who has not left, under
  their directory user name, with one password for all cameras and the recorder's viewer page
  (``vault_camera_operator_passwords.<sicil no>``). Any other account is removed.
- A camera's class gives its retention and video encoder settings (built-in, overridable per
  class in cameras.yml, never above ``max_retention_days``).
- Time: the NTP servers (cameras.yml, else the hosts with role ntp_server) and the
  municipality's time zone as the POSIX TZ string cameras take ("<+03>-3").
- Isolation: a camera network reaches only its recorders, the NTP servers and the listed DNS
  servers; only the recorders and the management networks reach the cameras
  (:func:`isolation`, enforced by the central gateway's forwarding firewall).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilgiislem.cameras.target import Account, CameraTarget, Encoder
from bilgiislem.inventory import Inventory, models

# The vault's variables (bilgiislem/secrets.py generates them).
ADMIN_PASSWORDS = "vault_camera_admin_passwords"  # by camera name
RECORDER_PASSWORDS = "vault_camera_recorder_passwords"  # by camera name
OPERATOR_PASSWORDS = "vault_camera_operator_passwords"  # by sicil no
ADMIN_USER = "bilgiislem"
RECORDER_USER = "kayit"
# Cameras refuse long or exotic passwords (many stop at 16 characters): letters and digits
# only, with at least one of each kind.
PASSWORD_LENGTH = 16
PASSWORD_ALPHABET = string.ascii_letters + string.digits
# The usual stream address per vendor, when cameras.yml gives none.
STREAM_URLS = {
    "hikvision": "rtsp://{ip}:554/Streaming/Channels/101",
    "dahua": "rtsp://{ip}:554/cam/realmonitor?channel=1&subtype=0",
    "axis": "rtsp://{ip}:554/axis-media/media.amp",
    "uniview": "rtsp://{ip}:554/unicast/c1/s0/live",
    "hanwha": "rtsp://{ip}:554/profile2/media.smp",
    "generic": "rtsp://{ip}:554/",
}
ZONEINFO = Path("/usr/share/zoneinfo")


@dataclass(frozen=True)
class ClassSettings:
    retention_days: int
    encoder: Encoder


def class_settings(cams: models.CamerasFile, cls: str) -> ClassSettings:
    """The class's built-in settings with cameras.yml's overrides."""
    days, resolution, fps, bitrate, gop = models.CAMERA_CLASSES[cls]
    o = getattr(cams.classes, cls) or models.CameraClassOverride()
    width, height = (int(x) for x in (o.resolution or resolution).split("x"))
    return ClassSettings(
        retention_days=o.retention_days or days,
        encoder=Encoder(width=width, height=height, fps=o.fps or fps,
                        bitrate_kbps=o.bitrate_kbps or bitrate, gop=o.gop or gop))


def posix_tz(name: str) -> str:
    """The POSIX TZ string of an IANA zone, as cameras take it: the footer of the zone's TZif
    file (Europe/Istanbul: "<+03>-3")."""
    try:
        data = (ZONEINFO / name).read_bytes()
        footer = data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii")
        if footer and data.startswith(b"TZif"):
            return footer
    except (OSError, UnicodeDecodeError):
        pass
    if name == "Europe/Istanbul":
        return "<+03>-3"
    raise ValueError(f"no POSIX TZ string for {name!r}: is tzdata installed?")


def operators(inv: Inventory) -> list[models.Kisi]:
    """The camera operators: ``hizmetler: [kamera]`` and not left (on leave too)."""
    return [k for k in inv.personel if "kamera" in k.hizmetler and k.durum != "ayrildi"]


def ntp_servers(inv: Inventory) -> list[str]:
    cams = inv.cameras
    if cams is not None and cams.ntp_servers is not None:
        return list(cams.ntp_servers)
    return [inv.management_ip(h) for h in inv.hosts_with_role("ntp_server")]


def stream_url(c: models.Camera) -> str:
    return c.stream_url or STREAM_URLS[c.vendor].format(ip=c.ip)


def cameras(inv: Inventory, names: list[str] | None = None) -> list[models.Camera]:
    """The cameras of cameras.yml, or those named (unknown names: ValueError)."""
    all_cams = list(inv.cameras.cameras) if inv.cameras is not None else []
    if names is None:
        return all_cams
    known = {c.name: c for c in all_cams}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown camera(s): {', '.join(unknown)}; cameras.yml lists "
                         f"{len(known)}")
    return [known[n] for n in names]


def targets(inv: Inventory, vault: dict[str, Any],
            names: list[str] | None = None) -> list[CameraTarget]:
    """What every (or every named) camera must be. ``vault``: the decrypted vault with the
    generated camera passwords (secrets.ensure() first)."""
    cams = inv.cameras
    if cams is None:
        return []
    admin_pw = vault.get(ADMIN_PASSWORDS) or {}
    rec_pw = vault.get(RECORDER_PASSWORDS) or {}
    op_pw = vault.get(OPERATOR_PASSWORDS) or {}
    ops = tuple(Account(inv.usernames[k.sicil_no], op_pw[k.sicil_no], "Operator")
                for k in operators(inv))
    ntp = tuple(ntp_servers(inv))
    tz = posix_tz(inv.municipality.timezone)
    minimum = {m.model: m.version for m in cams.min_firmware}
    out = []
    for c in cameras(inv, names):
        out.append(CameraTarget(
            name=c.name, address=c.ip, port=c.onvif_port, vendor=c.vendor, model=c.model,
            admin=Account(ADMIN_USER, admin_pw[c.name], "Administrator"),
            accounts=(Account(RECORDER_USER, rec_pw[c.name], "User"), *ops),
            ntp_servers=ntp, dns_servers=tuple(cams.dns_servers), timezone=tz,
            encoder=class_settings(cams, c.class_).encoder,
            min_firmware=minimum.get(c.model)))
    return out


def nvr_vars(inv: Inventory, host: str) -> dict[str, Any]:
    """What the role nvr's variables are made of, for a recorder. No secrets: playbooks/nvr.yml
    adds to each camera its recorder password (by camera name) and to each viewer their
    operator password (by the sicil no in ``nvr_viewer_sicil``, in the same order)."""
    cams = inv.cameras
    assert cams is not None
    recorded = [c for c in cams.cameras if c.nvr == host]
    viewers = operators(inv)
    return {
        "nvr_camera_plan": [{"name": c.name, "url": stream_url(c), "user": RECORDER_USER,
                             "class": c.class_,
                             "retention_days": class_settings(cams, c.class_).retention_days}
                            for c in recorded],
        "nvr_viewer_plan": [{"username": inv.usernames[k.sicil_no]} for k in viewers],
        "nvr_viewer_sicil": [k.sicil_no for k in viewers],
        "nvr_retention_max_days": cams.max_retention_days,
        "nvr_server_name": f"{host}.{inv.municipality.domain}",
        # The recordings' web page: from the internal networks but never the camera VLANs.
        "nvr_viewer_networks": [n.cidr for n in inv.networks
                                if n.purpose not in ("wan", "camera", "guest")],
    }


@dataclass(frozen=True)
class Isolation:
    """The camera networks' rules on the central gateway."""
    camera_networks: tuple[str, ...]  # every camera network (CIDRs)
    # who may open connections to a camera: the recorders and the management networks
    allowed_sources: tuple[str, ...]
    # what the cameras may reach: (destination /32, protocol or "", ports or "", comment)
    allowed_destinations: tuple[tuple[str, str, str, str], ...]


def isolation(inv: Inventory) -> Isolation | None:
    """None when the inventory has no camera network."""
    nets = [n for n in inv.networks if n.purpose == "camera"]
    if not nets:
        return None
    nvrs = inv.hosts_with_role("nvr")
    nvr_ips = [f"{x.ip}/32" for h in nvrs for x in h.interfaces]
    mgmt = [n.cidr for n in inv.networks if n.purpose == "management"]
    dests: list[tuple[str, str, str, str]] = []
    for h in nvrs:
        for x in h.interfaces:
            dests.append((f"{x.ip}/32", "", "", f"recorder: {h.name}"))
    for ip in ntp_servers(inv):
        dests.append((f"{ip}/32", "udp", "123", "ntp"))
    for ip in (inv.cameras.dns_servers if inv.cameras is not None else []):
        dests += [(f"{ip}/32", "udp", "53", "dns"), (f"{ip}/32", "tcp", "53", "dns")]
    return Isolation(tuple(n.cidr for n in nets), tuple(dict.fromkeys(nvr_ips + mgmt)),
                     tuple(dict.fromkeys(dests)))
