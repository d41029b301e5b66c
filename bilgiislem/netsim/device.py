"""What a simulated device is: its definition and its faults, as JSON/YAML-able dataclasses.

A devices file is a list of device mappings (or ``{"devices": [...]}``), in JSON, or in YAML
when the file name ends in ``.yml``/``.yaml``::

    [{"name": "sw1", "vendor": "cisco_ios", "port": 2201, "enable_secret": "s3cret",
      "ports": ["GigabitEthernet1/0/1-24"], "faults": {"drop_after_config_lines": 3}}]

Empty fields take the vendor's defaults (model, ports, software version); ``hostname`` defaults
to ``name``; ``username``/``password`` is the local account of the initial configuration (logins
check the running configuration's accounts, so changing it there changes the next login);
``config`` is extra configuration in the vendor's own syntax, indented like ``show
running-config``, applied when the device starts for the first time.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

VENDORS = ("cisco_ios", "huawei", "mikrotik_routeros")  # Netmiko device types


@dataclass
class Faults:
    """Misbehaviour to inject; see the package docstring for what each one does."""

    auth_fail: bool = False
    timeout: bool = False
    slow: float = 0.0
    drop_after_config_lines: int | None = None
    reject: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.slow < 0:
            raise ValueError("faults.slow must be >= 0")
        if self.drop_after_config_lines is not None and self.drop_after_config_lines < 1:
            raise ValueError("faults.drop_after_config_lines must be >= 1")
        for pattern in self.reject:
            re.compile(pattern)

    def rejects(self, *texts: str) -> bool:
        return any(re.search(p, t) for p in self.reject for t in texts)


@dataclass
class DeviceSpec:
    """One simulated device as the devices file defines it (see the module docstring)."""

    name: str
    vendor: str
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port
    username: str = "admin"
    password: str = "admin"
    enable_secret: str | None = None  # set: logins land in user mode and need `enable`
    model: str = ""
    ports: list[str] = field(default_factory=list)
    hostname: str = ""
    serial: str = ""
    software: str = ""
    config: str = ""
    faults: Faults = field(default_factory=Faults)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", self.name):
            raise ValueError(f"device name {self.name!r}: use letters, digits, '.', '_', '-'")
        if self.vendor not in VENDORS:
            raise ValueError(f"device {self.name}: vendor must be one of {', '.join(VENDORS)}")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeviceSpec:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"device {data.get('name')}: unknown keys {sorted(unknown)}")
        values = dict(data)
        faults = values.pop("faults", None) or {}
        unknown = set(faults) - {f.name for f in dataclasses.fields(Faults)}
        if unknown:
            raise ValueError(f"device {data.get('name')}: unknown faults {sorted(unknown)}")
        return cls(**values, faults=Faults(**faults))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def load_devices(path: Path) -> list[DeviceSpec]:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) if path.suffix in (".yml", ".yaml") else json.loads(text)
    if isinstance(data, dict):
        data = data.get("devices")
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of devices")
    specs = [DeviceSpec.from_dict(d) for d in data]
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: device names must be unique")
    return specs
