"""The repository holds no plain-text secrets; the scanner itself catches what it should."""

import pytest

from bilgiislem.secretscan import scan, scan_text


def test_repository_has_no_plain_text_secrets():
    findings = scan()
    assert findings == [], "\n".join(map(str, findings))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("admin_password: Belediye2024!\n", "plain-text value for 'admin_password'"),
        ("  - vpn_psk: s3cr3t\n", "plain-text value for 'vpn_psk'"),
        ("-----BEGIN OPENSSH " + "PRIVATE KEY-----\n", "private key"),  # split: not itself a hit
        ("hash: $6$saltsalt$" + "a" * 86 + "\n", "token or password hash"),
    ],
)
def test_scanner_flags(text, reason):
    assert [f.reason for f in scan_text("x.yml", text)] == [reason]


@pytest.mark.parametrize(
    "text",
    [
        "admin_password: \"{{ vault_admin_password }}\"\n",
        "admin_password: !vault |\n",
        "private_key_file: ../../.lab/ssh/id_ed25519\n",
        "password_min_length: 12\n",
        "secret: null\n",
    ],
)
def test_scanner_accepts_references(text):
    assert scan_text("x.yml", text) == []


def test_unencrypted_vault_file_is_flagged():
    assert [f.reason for f in scan_text("group_vars/all/vault.yml", "x: 1\n")] == [
        "vault file is not encrypted (ansible-vault encrypt)"
    ]
