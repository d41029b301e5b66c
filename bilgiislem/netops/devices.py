"""The inventory's network devices as the net.* tasks see them: how to log in, what to render.

Every device is managed with the automation account :data:`AUTOMATION_USER`, whose password
is generated per device into the vault (``vault_network_passwords.<device>``); the server
administrators (personel.yml ``sunucu_yoneticisi``) get a local account each, and SNMPv3 user
:data:`SNMP_USER` has its keys per device. The first time, the automation account must be made
on the device by hand with the password from the vault (docs/network.md); every later change
goes through ``net.push``.
"""

from __future__ import annotations

from typing import Any

from bilgiislem import secrets as secretsmod
from bilgiislem.inventory import Inventory, models
from bilgiislem.netconfig import intent, render
from bilgiislem.netops.targets import Target

AUTOMATION_USER = "bilgiislem"
SNMP_USER = "izleme"


class DeviceSelectionError(ValueError):
    """A device name the inventory does not manage."""


def select(inv: Inventory, names: str | None) -> list[models.Device]:
    """The managed devices, or those of ``names`` (comma-separated device or site names)."""
    devices = inv.network_devices()
    if not names:
        return devices
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = {d.name for d in devices} | {d.site for d in devices}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise DeviceSelectionError(
            f"not a managed network device or a site with one: {', '.join(unknown)}; "
            f"the devices are {', '.join(d.name for d in devices) or 'none'}")
    return [d for d in devices if d.name in wanted or d.site in wanted]


def _secret(vault: dict[str, Any], var: str, key: str) -> str:
    try:
        value = vault[var][key]
    except (KeyError, TypeError):
        raise secretsmod.SecretsError(
            f"the vault has no {var}.{key}; run ./scripts/invoke secrets") from None
    return str(value)


def device_secrets(inv: Inventory, vault: dict[str, Any], device: models.Device) -> intent.Secrets:
    admins = tuple(
        intent.Account(inv.usernames[k.sicil_no],
                       _secret(vault, secretsmod.NETWORK_ADMIN_PASSWORDS, k.sicil_no))
        for k in secretsmod.network_admins(inv))
    return intent.Secrets(
        automation=intent.Account(
            AUTOMATION_USER, _secret(vault, secretsmod.NETWORK_PASSWORDS, device.name)),
        snmp=intent.Snmp(SNMP_USER,
                         _secret(vault, secretsmod.NETWORK_SNMP_AUTH, device.name),
                         _secret(vault, secretsmod.NETWORK_SNMP_PRIV, device.name)),
        admins=admins)


def intended(inv: Inventory, vault: dict[str, Any], device: models.Device) -> str:
    """The device's configuration as rendered from the inventory (secrets in clear)."""
    return render.render(intent.device_intent(inv, device.name,
                                              device_secrets(inv, vault, device)))


def target(vault: dict[str, Any], device: models.Device) -> Target:
    return Target.from_device(device, username=AUTOMATION_USER,
                              password=_secret(vault, secretsmod.NETWORK_PASSWORDS, device.name))
