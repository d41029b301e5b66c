"""What a camera should be: the input of ``apply`` and ``audit`` (built by ``plan``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["Administrator", "Operator", "User"]


@dataclass(frozen=True)
class Account:
    username: str
    password: str = field(repr=False)  # never printed or written to reports
    level: Level


@dataclass(frozen=True)
class Encoder:
    encoding: str = "H264"
    width: int = 1920
    height: int = 1080
    fps: int = 15
    bitrate_kbps: int = 4096
    gop: int = 30


@dataclass(frozen=True)
class CameraTarget:
    name: str  # inventory name; also the hostname to set on the camera
    address: str  # IPv4
    port: int  # ONVIF HTTP port (80 on real cameras)
    vendor: str  # hikvision, dahua, axis, uniview, hanwha, generic
    model: str
    admin: Account  # the project's own Administrator account: how apply/audit log in
    accounts: tuple[Account, ...]  # every other account that must exist
    ntp_servers: tuple[str, ...]
    dns_servers: tuple[str, ...]
    timezone: str  # POSIX TZ string as devices accept it; Europe/Istanbul: "<+03>-3"
    encoder: Encoder
    min_firmware: str | None = None  # audit: older firmware is a finding


def firmware_key(version: str) -> tuple[int, ...]:
    """The numbers of a firmware version, for comparing: "V5.7.3 build 210315" ->
    (5, 7, 3, 210315); "V5.7.3" < "V5.7.10"."""
    return tuple(int(n) for n in re.findall(r"\d+", version))


def firmware_older(current: str, minimum: str) -> bool:
    return firmware_key(current) < firmware_key(minimum)
