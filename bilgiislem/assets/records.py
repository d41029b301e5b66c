"""One collected asset (:class:`Record`), as ``inventory.collect`` reads it and
``inventory.report`` reads it back from the evidence JSON. No client code here: the report
imports this without Netmiko or ONVIF."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["ok", "data", "failed", "unreachable", "auth-failed"]
# data: from the inventory (phones' provisioning data, devices the project does not read)
FAILED: tuple[Status, ...] = ("failed", "unreachable", "auth-failed")

# What servers, devices and cameras report when the maker left the field empty.
_JUNK = re.compile(r"^(?:|na|n/a|none|null|unknown|default string|not specified|"
                   r"not applicable|to be filled by o\.e\.m\.|system (?:product name|"
                   r"serial number|manufacturer)|0+|x+)$", re.IGNORECASE)


@dataclass
class Record:
    """One asset as collected. ``name``: the inventory's name (a phone: its MAC address)."""

    kind: str  # server, camera, phone, or the kind of devices.yml (switch, router, ups, ...)
    name: str
    site: str
    address: str
    source: str  # ansible, netmiko, onvif, pbx.yml, devices.yml
    status: Status
    error: str | None = None
    vendor: str | None = None
    model: str | None = None
    serial: str | None = None
    software: str | None = None  # operating system or firmware
    details: dict[str, Any] = field(default_factory=dict)
    packages: dict[str, str] = field(default_factory=dict)  # servers: name -> version

    @property
    def failed(self) -> bool:
        return self.status in FAILED

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def clean(value: Any) -> str | None:
    """A reported text, or None when it is empty or a maker's placeholder."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return None if _JUNK.match(text) else text
