"""Generated secrets in the vault: added when missing, never changed, always encrypted."""

from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pytest
import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_ssh_private_key, load_ssh_public_key

from bilgiislem import REPO_ROOT, ansible_run, secrets
from bilgiislem.inventory import load
from bilgiislem.secretscan import scan_text

LAB = REPO_ROOT / "inventory" / "lab"


@pytest.fixture
def inv_root(tmp_path: Path) -> Path:
    root = tmp_path / "inventory" / "lab"
    shutil.copytree(LAB, root, ignore=shutil.ignore_patterns("group_vars"))
    lab_dir = tmp_path / ".lab"  # ../../.lab/vault-password from the inventory
    lab_dir.mkdir()
    (lab_dir / "vault-password").write_text("test-vault-password\n", encoding="utf-8")
    return root


EXPECTED = ["vault_backup_passwords.srv-log", "vault_backup_passwords.srv-db",
            "vault_backup_ssh_keys.srv-log", "vault_backup_ssh_keys.srv-db",
            "vault_backup_ssh_keys.srv-yedek",
            # srv-dc: the domain's Administrator, and everybody who has not left (0998 has).
            "vault_directory_admin_password.AD.ORNEKKOY.BEL.TR",
            *(f"vault_directory_initial_passwords.{s}" for s in ("1001", "1002", "1003", "1004",
                                                                  "1005")),
            # the switches: automation account and SNMPv3 keys each, and a device account for
            # each server administrator (1001, 1002)
            *(f"vault_network_{kind}.{sw}" for kind in ("passwords", "snmp_auth", "snmp_priv")
              for sw in ("sw-merkez-cekirdek", "sw-merkez-kat1", "sw-merkez-sunucu")),
            "vault_network_admin_passwords.1001", "vault_network_admin_passwords.1002",
            # the VPN: a WireGuard key pair for the hub (its site's code) and each Linux
            # spoke, a pre-shared key for the IPsec appliance
            "vault_vpn_wireguard_keys.merkez", "vault_vpn_wireguard_keys.kutuphane",
            "vault_vpn_wireguard_keys.itfaiye", "vault_vpn_ipsec_psks.aritma",
            # the exchange: a SIP password per extension of someone who has not left
            *(f"vault_pbx_sip_secrets.{s}" for s in ("1001", "1002", "1003", "1004", "1005")),
            # the cameras: the project's and the recorder's accounts per camera, and each
            # camera operator's password (1004)
            "vault_camera_admin_passwords.kam-giris", "vault_camera_admin_passwords.kam-otopark",
            "vault_camera_recorder_passwords.kam-giris",
            "vault_camera_recorder_passwords.kam-otopark",
            "vault_camera_operator_passwords.1004"]


def test_ensure_adds_what_is_missing_encrypted(inv_root: Path) -> None:
    inv = load(inv_root)
    assert secrets.ensure(inv, dry_run=True) == EXPECTED
    assert not secrets.vault_path(inv).exists()  # a dry run writes nothing
    assert secrets.ensure(inv) == EXPECTED
    path = secrets.vault_path(inv)
    raw = path.read_text(encoding="utf-8")
    assert raw.startswith("$ANSIBLE_VAULT;1.1;AES256")
    assert "srv-log" not in raw and "PRIVATE" not in raw
    assert path.stat().st_mode & 0o777 == 0o600
    assert scan_text("inventory/lab/group_vars/all/vault.yml", raw) == []
    load(inv_root)  # the loader accepts the encrypted vault
    data = secrets.read(inv)
    assert set(data[secrets.PASSWORDS]) == {"srv-log", "srv-db"}
    assert all(len(p) >= 32 for p in data[secrets.PASSWORDS].values())
    assert len(set(data[secrets.PASSWORDS].values())) == 2
    assert set(data[secrets.SSH_KEYS]) == {"srv-log", "srv-db", "srv-yedek"}
    for host, pair in data[secrets.SSH_KEYS].items():
        private = load_ssh_private_key(pair["private"].encode(), password=None)
        assert isinstance(private, Ed25519PrivateKey)
        assert pair["private"].startswith("-----BEGIN OPENSSH " + "PRIVATE KEY-----")
        kind, body, comment = pair["public"].split(" ")
        assert (kind, comment) == ("ssh-ed25519", f"bilgiislem-yedek@{host}")
        assert body.startswith("AAAA")
    # Initial directory passwords pass AD's complexity rule, and differ.
    initial = data[secrets.INITIAL_PASSWORDS]
    assert len(set(initial.values())) == 5
    for value in [*initial.values(), *data[secrets.DIRECTORY_ADMIN].values()]:
        assert len(value) >= 24
        assert all(re.search(p, value) for p in ("[A-Z]", "[a-z]", "[0-9]", "[^A-Za-z0-9]"))
        public = load_ssh_public_key(f"{kind} {body}".encode())
        assert public.public_bytes_raw() == private.public_key().public_bytes_raw()


def test_wireguard_keys_are_x25519_pairs_and_rotation_replaces_only_the_named(
        inv_root: Path) -> None:
    inv = load(inv_root)
    secrets.ensure(inv)
    before = secrets.read(inv)
    for pair in before[secrets.VPN_WIREGUARD_KEYS].values():
        private = X25519PrivateKey.from_private_bytes(base64.b64decode(pair["private"]))
        assert base64.b64encode(private.public_key().public_bytes_raw()).decode() == \
            pair["public"]
    changed = secrets.rotate_vpn_keys(inv, ["kutuphane", "aritma"])
    after = secrets.read(inv)
    keys = before[secrets.VPN_WIREGUARD_KEYS]
    assert changed == {
        "kutuphane": {"kind": "wireguard", "old_public_key": keys["kutuphane"]["public"],
                      "new_public_key": after[secrets.VPN_WIREGUARD_KEYS]["kutuphane"]["public"]},
        "aritma": {"kind": "ipsec-psk"}}
    assert after[secrets.VPN_WIREGUARD_KEYS]["kutuphane"] != keys["kutuphane"]
    assert after[secrets.VPN_IPSEC_PSKS]["aritma"] != before[secrets.VPN_IPSEC_PSKS]["aritma"]
    for code in ("merkez", "itfaiye"):
        assert after[secrets.VPN_WIREGUARD_KEYS][code] == keys[code]
    assert secrets.ensure(inv) == []


def test_ensure_is_idempotent_and_keeps_existing_values(inv_root: Path) -> None:
    inv = load(inv_root)
    secrets.ensure(inv)
    first = secrets.read(inv)
    before = secrets.vault_path(inv).read_bytes()
    assert secrets.ensure(inv) == []
    assert secrets.vault_path(inv).read_bytes() == before  # nothing to add: not rewritten
    # A value set by hand, and a variable this module does not manage, survive a new client.
    first[secrets.PASSWORDS]["srv-log"] = "chosen-by-the-municipality-long-enough"
    first["vault_other"] = "kept"
    del first[secrets.SSH_KEYS]["srv-db"]
    secrets.write(inv, first)
    assert secrets.ensure(inv) == ["vault_backup_ssh_keys.srv-db"]
    after = secrets.read(inv)
    assert after[secrets.PASSWORDS]["srv-log"] == "chosen-by-the-municipality-long-enough"
    assert after["vault_other"] == "kept"
    assert after[secrets.SSH_KEYS]["srv-yedek"] == first[secrets.SSH_KEYS]["srv-yedek"]
    assert after[secrets.SSH_KEYS]["srv-db"]["public"].endswith("bilgiislem-yedek@srv-db")


def test_no_backups_directory_or_switches_need_no_vault(inv_root: Path) -> None:
    (inv_root / "backups.yml").unlink()
    hosts = inv_root / "hosts.yml"
    hosts.write_text(hosts.read_text(encoding="utf-8").replace("roles: [directory]", "roles: []"),
                     encoding="utf-8")
    (inv_root / "devices.yml").write_text("---\ndevices: []\n", encoding="utf-8")
    (inv_root / "vpn.yml").unlink()
    (inv_root / "pbx.yml").unlink()
    (inv_root / "cameras.yml").unlink()
    (inv_root / "varliklar.yml").unlink()  # its assets name the devices removed above
    text = hosts.read_text(encoding="utf-8").replace("roles: [vpn_hub, dhcp_server, dns_resolver]",
                                                     "roles: [dhcp_server, dns_resolver]")
    hosts.write_text(re.sub(r"roles: \[(vpn_hub|vpn_gateway|pbx|nvr)\]", "roles: []", text),
                     encoding="utf-8")
    (inv_root.parent.parent / ".lab" / "vault-password").unlink()
    inv = load(inv_root)
    assert secrets.ensure(inv) == []
    assert not secrets.vault_path(inv).exists()


def test_missing_or_wrong_password_is_reported(inv_root: Path) -> None:
    inv = load(inv_root)
    secrets.ensure(inv)
    pw = inv_root.parent.parent / ".lab" / "vault-password"
    pw.write_text("another-password\n", encoding="utf-8")
    with pytest.raises(secrets.SecretsError, match="cannot decrypt"):
        secrets.ensure(inv)
    pw.unlink()
    with pytest.raises(secrets.SecretsError, match=r"lab\.up creates it"):
        secrets.ensure(inv)


def test_a_damaged_section_is_not_overwritten(inv_root: Path) -> None:
    inv = load(inv_root)
    secrets.write(inv, {secrets.PASSWORDS: "oops"})
    with pytest.raises(secrets.SecretsError, match="not a mapping"):
        secrets.ensure(inv)
    assert secrets.read(inv) == {secrets.PASSWORDS: "oops"}


def test_vault_text_is_yaml_with_literal_keys(inv_root: Path) -> None:
    inv = load(inv_root)
    secrets.ensure(inv)
    text = secrets._vault(inv).decrypt(secrets.vault_path(inv).read_bytes()).decode()
    assert "private: |" in text
    assert yaml.safe_load(text) == secrets.read(inv)


def test_ansible_playbook_gets_the_vault_password_file(
        inv_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    class FakeProc:
        def __init__(self, cmd: list[str], **_: object) -> None:
            seen.append(cmd)
            self.stdout = iter(())
            self.returncode = 0

        def wait(self) -> int:
            return 0

    monkeypatch.setattr(ansible_run.subprocess, "Popen", FakeProc)
    ansible_run.playbook("site.yml", inv_root, quiet=True, extra_vars={"x": "/tmp/y"})
    pw = str(inv_root.parent.parent / ".lab" / "vault-password")
    assert seen[-1][seen[-1].index("--vault-password-file") + 1] == pw
    assert seen[-1][-2:] == ["-e", "x=/tmp/y"]
    (inv_root.parent.parent / ".lab" / "vault-password").unlink()  # not there yet: left out
    ansible_run.playbook("site.yml", inv_root, quiet=True)
    assert "--vault-password-file" not in seen[-1]


def test_a_registering_trunks_password_is_given_not_generated(inv_root: Path) -> None:
    pbx = inv_root / "pbx.yml"
    pbx.write_text(pbx.read_text(encoding="utf-8").replace(
        "    auth: ip\n", "    auth: register\n    username: \"3125550100\"\n"), encoding="utf-8")
    inv = load(inv_root)
    secrets.ensure(inv)
    assert "vault_pbx_trunk_passwords.operator" not in secrets.read(inv).get(
        "vault_pbx_trunk_passwords", {})
    assert secrets.missing_given(inv) == ["vault_pbx_trunk_passwords.operator"]
    data = secrets.read(inv)
    data["vault_pbx_trunk_passwords"] = {"operator": "operatorun-verdigi-parola"}
    secrets.write(inv, data)
    assert secrets.missing_given(inv) == []
