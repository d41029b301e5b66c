"""Generated secrets in the inventory's vault (``group_vars/all/vault.yml``).

Some secrets are not chosen by people but generated: the passphrase of each backup client's
repository and the SSH keys the backup clients (and the repository host, which pushes the
off-site copy) log in with, the domain's Administrator password and each person's initial
directory password, and the network devices' automation account, SNMPv3 keys and the
administrators' device passwords, and the site-to-site VPN's WireGuard key pairs (per site
code; the hub's under the central site's code) and IPsec pre-shared keys (per appliance
site), and the NUT passwords of each UPS. ``ensure()`` adds whatever is missing to the vault,
encrypted with Ansible Vault (through Ansible's own Python API), and never changes or removes a
value that is already there: a repository passphrase that changed would lock the municipality
out of its own backups.

The vault password comes from ``connection.vault_password_file`` in hosts.yml (relative to the
inventory directory), or else from ``ANSIBLE_VAULT_PASSWORD_FILE``.
"""

from __future__ import annotations

import base64
import os
import re
import secrets as pysecrets
from pathlib import Path
from typing import Any

import yaml
from ansible.errors import AnsibleError
from ansible.parsing.vault import VaultLib, VaultSecret
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from bilgiislem.cameras import plan as camplan
from bilgiislem.inventory import Inventory, models
from bilgiislem.inventory.ansible import service_accounts
from bilgiislem.pbx import plan as pbxplan
from bilgiislem.vpn import plan as vpnplan

PASSWORDS = "vault_backup_passwords"
SSH_KEYS = "vault_backup_ssh_keys"
# The domain's Administrator password (key: the realm) and each person's initial password
# (key: the sicil no). The role directory sets an initial password only when it creates the
# account, and the person must change it at first logon.
DIRECTORY_ADMIN = "vault_directory_admin_password"
INITIAL_PASSWORDS = "vault_directory_initial_passwords"
# Passwords of the accounts servers bind to the directory with (key: the account name).
SERVICE_PASSWORDS = "vault_directory_service_passwords"
# Network devices (net.*): the automation account's password and the SNMPv3 keys of each
# device (key: the device), and each server administrator's local account password on the
# devices (key: the sicil no).
NETWORK_PASSWORDS = "vault_network_passwords"
NETWORK_SNMP_AUTH = "vault_network_snmp_auth"
NETWORK_SNMP_PRIV = "vault_network_snmp_priv"
NETWORK_ADMIN_PASSWORDS = "vault_network_admin_passwords"
# The site-to-site VPN (vpn.yml): a WireGuard key pair {private, public} per site code that
# needs one (the hub's under its site's code), and a pre-shared key per IPsec appliance site.
# vpn.rotate replaces them; nothing else does.
VPN_WIREGUARD_KEYS = vpnplan.WIREGUARD_KEYS
VPN_IPSEC_PSKS = vpnplan.IPSEC_PSKS
# The telephone exchange (pbx.yml): each extension's SIP password, by the person's sicil no
# (kept when the person leaves: their extension is disabled, not their record).
PBX_SIP_SECRETS = pbxplan.SIP_SECRETS
# A registering trunk's password (by trunk name): the operator gives it; never generated.
PBX_TRUNK_PASSWORDS = pbxplan.TRUNK_PASSWORDS
# The cameras (cameras.yml): the project's administrator account and the recorder's account,
# a password per camera each, and each camera operator's password (by sicil no), which also
# opens the recorder's viewer page.
CAMERA_ADMIN_PASSWORDS = camplan.ADMIN_PASSWORDS
CAMERA_RECORDER_PASSWORDS = camplan.RECORDER_PASSWORDS
CAMERA_OPERATOR_PASSWORDS = camplan.OPERATOR_PASSWORDS
CAMERA_SECRETS = (CAMERA_ADMIN_PASSWORDS, CAMERA_RECORDER_PASSWORDS, CAMERA_OPERATOR_PASSWORDS)
# The UPSes (ups.yml): per UPS, the password of its NUT server's own upsmon (primary) and the
# one its clients log in to upsd with (secondary).
UPS_PRIMARY_PASSWORDS = "vault_ups_primary_passwords"
UPS_SECONDARY_PASSWORDS = "vault_ups_secondary_passwords"
UPS_SECRETS = (UPS_PRIMARY_PASSWORDS, UPS_SECONDARY_PASSWORDS)
MANAGED = (PASSWORDS, SSH_KEYS, DIRECTORY_ADMIN, INITIAL_PASSWORDS, SERVICE_PASSWORDS,
           NETWORK_PASSWORDS, NETWORK_SNMP_AUTH, NETWORK_SNMP_PRIV, NETWORK_ADMIN_PASSWORDS,
           VPN_WIREGUARD_KEYS, VPN_IPSEC_PSKS, PBX_SIP_SECRETS, *CAMERA_SECRETS, *UPS_SECRETS)
KEY_COMMENT = "bilgiislem-yedek@{host}"
PASSWORD_BYTES = 32  # token_urlsafe: 43 characters


class SecretsError(RuntimeError):
    pass


def vault_path(inv: Inventory) -> Path:
    return inv.root / models.SECRETS_FILE


def password_file(inv: Inventory) -> Path | None:
    """The vault password file the connection names (or ANSIBLE_VAULT_PASSWORD_FILE)."""
    if inv.connection.vault_password_file:
        return inv.resolve(inv.connection.vault_password_file)
    env = os.environ.get("ANSIBLE_VAULT_PASSWORD_FILE")
    return Path(env) if env else None


def _vault(inv: Inventory) -> VaultLib:
    path = password_file(inv)
    if path is None:
        raise SecretsError(
            f"no vault password for {models.SECRETS_FILE}: set connection.vault_password_file "
            "in hosts.yml, or ANSIBLE_VAULT_PASSWORD_FILE")
    if not path.is_file():
        raise SecretsError(
            f"vault password file {path} does not exist; in the lab, ./scripts/invoke lab.up "
            "creates it; in production, write the password your team keeps into it (mode 0600)")
    password = path.read_text(encoding="utf-8").strip()
    if not password:
        raise SecretsError(f"vault password file {path} is empty")
    return VaultLib([("default", VaultSecret(password.encode()))])


def read(inv: Inventory) -> dict[str, Any]:
    """The decrypted vault, or {} when there is none yet."""
    path = vault_path(inv)
    if not path.is_file():
        return {}
    try:
        text = _vault(inv).decrypt(path.read_bytes())
    except AnsibleError as exc:
        raise SecretsError(f"cannot decrypt {path}: {exc}") from None
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise SecretsError(f"{path} does not hold a mapping of variables")
    return data


def ssh_key_holders(inv: Inventory) -> list[str]:
    """Hosts that need a backup SSH key: every client, and the repository (off-site push)."""
    holders = inv.backup_clients()
    if inv.backups is not None and inv.backups.repository not in holders:
        holders.append(inv.backups.repository)
    return holders


def wanted(inv: Inventory) -> list[str]:
    """Names of the generated secrets this inventory needs, as ``<variable>.<host>``."""
    out = ([f"{PASSWORDS}.{h}" for h in inv.backup_clients()]
           + [f"{SSH_KEYS}.{h}" for h in ssh_key_holders(inv)])
    if inv.hosts_with_role("directory"):
        out.append(f"{DIRECTORY_ADMIN}.{inv.municipality.realm}")
        # Nobody who has left gets a new account, so nobody who has left needs a password.
        out += [f"{INITIAL_PASSWORDS}.{k.sicil_no}" for k in inv.personel
                if k.durum != "ayrildi"]
        out += [f"{SERVICE_PASSWORDS}.{a['sam']}" for a in service_accounts(inv)]
    devices = inv.network_devices()
    for var in (NETWORK_PASSWORDS, NETWORK_SNMP_AUTH, NETWORK_SNMP_PRIV):
        out += [f"{var}.{d.name}" for d in devices]
    if devices:
        out += [f"{NETWORK_ADMIN_PASSWORDS}.{k.sicil_no}" for k in network_admins(inv)]
    vpn = vpnplan.build(inv)
    if vpn is not None:
        out += [f"{VPN_WIREGUARD_KEYS}.{code}" for code in vpnplan.key_holders(vpn)]
        out += [f"{VPN_IPSEC_PSKS}.{s.code}" for s in vpn.sites if s.type == "ipsec-appliance"]
        # a MikroTik site's router: the automation account vpn.push logs in with (by site)
        out += [f"{NETWORK_PASSWORDS}.{s.code}" for s in vpn.sites
                if s.type == "mikrotik-wireguard"]
    if inv.pbx is not None:
        out += [f"{PBX_SIP_SECRETS}.{k.sicil_no}" for k in pbxplan.extension_holders(inv)]
    if inv.cameras is not None and inv.cameras.cameras:
        names = [c.name for c in inv.cameras.cameras]
        out += [f"{CAMERA_ADMIN_PASSWORDS}.{n}" for n in names]
        out += [f"{CAMERA_RECORDER_PASSWORDS}.{n}" for n in names]
        out += [f"{CAMERA_OPERATOR_PASSWORDS}.{k.sicil_no}" for k in camplan.operators(inv)]
    if inv.ups is not None:
        out += [f"{var}.{u.name}" for var in UPS_SECRETS for u in inv.ups.upses]
    return out


def given(inv: Inventory) -> list[str]:
    """Secrets somebody else gives the municipality, which must be put into the vault by hand
    (``ansible-vault edit``): the SIP operator's password of each registering trunk."""
    if inv.pbx is None:
        return []
    return [f"{PBX_TRUNK_PASSWORDS}.{t.name}" for t in inv.pbx.trunks if t.auth == "register"]


def missing_given(inv: Inventory, current: dict[str, Any] | None = None) -> list[str]:
    """The names of :func:`given` that the vault lacks."""
    names = given(inv)
    if not names:
        return []
    data = read(inv) if current is None else current
    return [n for n in names
            if n.split(".", 1)[1] not in (data.get(n.split(".", 1)[0]) or {})]


def network_admins(inv: Inventory) -> list[models.Kisi]:
    """The people with a local account on the network devices: the server administrators
    who have not left."""
    return [k for k in inv.personel if k.sunucu_yoneticisi and k.durum != "ayrildi"]


def missing(inv: Inventory, current: dict[str, Any] | None = None) -> list[str]:
    data = read(inv) if current is None else current
    out = []
    for name in wanted(inv):
        var, host = name.split(".", 1)
        section = data.get(var)
        if not isinstance(section, dict) or host not in section:
            out.append(name)
    return out


def new_password() -> str:
    return pysecrets.token_urlsafe(PASSWORD_BYTES)


def new_wireguard_key() -> dict[str, str]:
    """A WireGuard (X25519) key pair, both halves base64 as `wg genkey | wg pubkey` prints
    them."""
    key = X25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    return {"private": base64.b64encode(private).decode(),
            "public": base64.b64encode(public).decode()}


def new_directory_password() -> str:
    """A password Active Directory's complexity rule accepts: upper and lower case letters,
    digits and a symbol, 24 characters."""
    while True:
        value = pysecrets.token_urlsafe(18)
        if (re.search(r"[A-Z]", value) and re.search(r"[a-z]", value)
                and re.search(r"[0-9]", value)):
            return f"{value}-"


def new_camera_password() -> str:
    """A password cameras accept: 16 letters and digits, with upper and lower case letters
    and digits (many refuse longer ones, or symbols)."""
    while True:
        value = "".join(pysecrets.choice(camplan.PASSWORD_ALPHABET)
                        for _ in range(camplan.PASSWORD_LENGTH))
        if (re.search(r"[A-Z]", value) and re.search(r"[a-z]", value)
                and re.search(r"[0-9]", value)):
            return value


def new_ssh_key(host: str) -> dict[str, str]:
    """An ed25519 key pair: the private key in OpenSSH format, the public key as one line."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode()
    return {"private": private, "public": f"{public} {KEY_COMMENT.format(host=host)}"}


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def write(inv: Inventory, data: dict[str, Any]) -> None:
    """Encrypt ``data`` into the vault file (0600, replaced atomically)."""
    text = "---\n# Generated by bilgiislem (bilgiislem/secrets.py); values are never changed " \
           "once written.\n" + yaml.dump(data, Dumper=_Dumper, sort_keys=False,
                                           allow_unicode=True, default_flow_style=False)
    encrypted = _vault(inv).encrypt(text)
    path = vault_path(inv)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(encrypted)
    os.replace(tmp, path)


def ensure(inv: Inventory, *, dry_run: bool = False) -> list[str]:
    """Add the generated secrets that are missing; return their names (never the values).

    Nothing is read or written when the inventory needs no generated secret. Existing values
    are kept as they are; so are variables this module does not manage.
    """
    if not wanted(inv):
        return []
    data = read(inv)
    for var in MANAGED:
        if var in data and not isinstance(data[var], dict):
            raise SecretsError(f"{vault_path(inv)}: {var} is not a mapping; "
                               "fix it by hand (nothing was changed)")
    added = missing(inv, data)
    if dry_run or not added:
        return added
    for name in added:
        var, host = name.split(".", 1)
        section = data.setdefault(var, {})
        if var == SSH_KEYS:
            section[host] = new_ssh_key(host)
        elif var == VPN_WIREGUARD_KEYS:
            section[host] = new_wireguard_key()
        elif var in (PASSWORDS, VPN_IPSEC_PSKS, PBX_SIP_SECRETS, *UPS_SECRETS):
            section[host] = new_password()
        elif var in CAMERA_SECRETS:
            section[host] = new_camera_password()
        else:
            section[host] = new_directory_password()
    write(inv, data)
    return added


def rotate_vpn_keys(inv: Inventory, codes: list[str]) -> dict[str, dict[str, str]]:
    """Replace the VPN secrets of the sites ``codes`` (WireGuard key pairs, IPsec pre-shared
    keys) in the vault; the only change this module makes to an existing value. Returns, per
    site, what changed: the old and new public keys (never a private key or a pre-shared key).
    """
    vpn = vpnplan.build(inv)
    if vpn is None:
        raise SecretsError(f"{inv.root}: there is no vpn.yml, so there are no VPN keys")
    data = read(inv)
    keys = data.setdefault(VPN_WIREGUARD_KEYS, {})
    psks = data.setdefault(VPN_IPSEC_PSKS, {})
    holders = vpnplan.key_holders(vpn)
    out: dict[str, dict[str, str]] = {}
    for code in codes:
        if code in holders:
            old = (keys.get(code) or {}).get("public", "")
            keys[code] = new_wireguard_key()
            out[code] = {"kind": "wireguard", "old_public_key": old,
                         "new_public_key": keys[code]["public"]}
        elif any(s.code == code and s.type == "ipsec-appliance" for s in vpn.sites):
            psks[code] = new_password()
            out[code] = {"kind": "ipsec-psk"}
    write(inv, data)
    return out
