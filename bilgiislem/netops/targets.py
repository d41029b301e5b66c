"""Which devices to read and how: inventory vendors, Netmiko device types, show commands."""

from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bilgiislem.inventory.models import Device


@dataclass(frozen=True)
class Vendor:
    """What the backup needs to know about one vendor (an inventory ``vendor`` value)."""

    netmiko: str  # Netmiko device type
    show_config: str  # prints the running configuration
    last_line: str | None  # the last line of a complete configuration, when there is one


VENDORS: dict[str, Vendor] = {
    "cisco_ios": Vendor("cisco_ios", "show running-config", "end"),
    "huawei_vrp": Vendor("huawei", "display current-configuration", "return"),
    "hp_procurve": Vendor("hp_procurve", "show running-config", None),
}

# a device's configuration is saved as <name>.cfg: no paths, no hidden files
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def vendor(name: str) -> Vendor:
    """The vendor ``name``: an inventory vendor or its Netmiko device type (``huawei``)."""
    if name in VENDORS:
        return VENDORS[name]
    for known in VENDORS.values():
        if known.netmiko == name:
            return known
    raise ValueError(f"unknown vendor {name!r}: known are {', '.join(VENDORS)}")


def inventory_vendor(name: str) -> str:
    """The inventory's name of vendor ``name``, which may be its Netmiko device type
    (``huawei`` → ``huawei_vrp``)."""
    info = vendor(name)
    return next(key for key, known in VENDORS.items() if known == info)


def netmiko_type(vendor_name: str) -> str:
    """The Netmiko device type of an inventory vendor (``huawei_vrp`` → ``huawei``)."""
    return vendor(vendor_name).netmiko


def show_config_command(vendor_name: str) -> str:
    """The command that prints the running configuration on ``vendor_name``."""
    return vendor(vendor_name).show_config


@dataclass(frozen=True)
class Target:
    """One device to back up. ``secret`` is the enable secret, for devices that need one."""

    name: str
    vendor: str  # as in the inventory: cisco_ios, huawei_vrp, hp_procurve
    host: str
    _: KW_ONLY
    port: int = 22
    username: str
    password: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"device name {self.name!r}: use letters, digits, '.', '_', '-'")
        if self.vendor not in VENDORS:
            raise ValueError(
                f"device {self.name}: vendor {self.vendor!r} is not one of {', '.join(VENDORS)}"
            )

    @property
    def file_name(self) -> str:
        return f"{self.name}.cfg"

    def netmiko_args(self, timeout: float) -> dict[str, Any]:
        """Keyword arguments for Netmiko's ``ConnectHandler``; no wait lasts over ``timeout``."""
        args: dict[str, Any] = {
            "device_type": netmiko_type(self.vendor),
            "host": self.host,
            "port": self.port,
            "username": self.username,
            "password": self.password,
            "conn_timeout": timeout,
            "banner_timeout": timeout,
            "auth_timeout": timeout,
            "timeout": timeout,
            "read_timeout_override": timeout,  # every wait for the device's output
            "use_keys": False,
            "allow_agent": False,
        }
        if self.secret:
            args["secret"] = self.secret
        return args

    @classmethod
    def from_device(
        cls, device: Device, *, username: str, password: str, secret: str | None = None
    ) -> Target:
        """The target for an inventory device (its ``ip``, port 22)."""
        return cls(
            device.name,
            device.vendor,
            device.ip,
            username=username,
            password=password,
            secret=secret,
        )
