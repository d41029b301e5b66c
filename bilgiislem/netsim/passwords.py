"""Secrets as the devices store them: one-way hashes and reversible ciphers, never plain text.

- IOS ``secret 9``: real type 9, scrypt (N=16384, r=1, p=1) over a 14-character salt, both in
  Cisco's base64 alphabet: ``$9$<salt>$<hash>``.
- VRP ``irreversible-cipher``: ``$1c$<salt>$<hash>$``, PBKDF2-SHA256 (the layout of the real
  one, not its algorithm).
- VRP ``cipher`` (reversible: local-user passwords, SNMPv3 keys): ``%^%#<text>%^%#``, the text
  XOR-ed with a fixed key and base64-encoded, as opaque as the real one and as easy to undo.

:func:`verify` checks a typed password against any of these (or a plain-text value).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import itertools
import secrets

CISCO_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_TO_CISCO = str.maketrans(_B64, CISCO_ALPHABET)
_CIPHER_KEY = b"bilgiislem.netsim"
_CIPHER_MARK = "%^%#"


def _salt(length: int) -> str:
    return "".join(secrets.choice(CISCO_ALPHABET) for _ in range(length))


def _encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=").translate(_TO_CISCO)


@functools.lru_cache(maxsize=256)
def _scrypt(password: str, salt: str) -> str:
    raw = hashlib.scrypt(password.encode(), salt=salt.encode(), n=16384, r=1, p=1, dklen=32)
    return _encode(raw)


@functools.lru_cache(maxsize=256)
def _pbkdf2(password: str, salt: str) -> str:
    return _encode(hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 5000))


def ios_type9(password: str, salt: str | None = None) -> str:
    salt = salt or _salt(14)
    return f"$9${salt}${_scrypt(password, salt)}"


def vrp_irreversible(password: str, salt: str | None = None) -> str:
    salt = salt or _salt(12)
    return f"$1c${salt}${_pbkdf2(password, salt)}$"


def _xor(data: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, itertools.cycle(_CIPHER_KEY), strict=False))


def vrp_cipher(text: str) -> str:
    return _CIPHER_MARK + base64.b64encode(_xor(text.encode())).decode() + _CIPHER_MARK


def is_hashed(value: str) -> bool:
    """Whether ``value`` is already in a stored form (the device keeps it as it is)."""
    return value.startswith(("$9$", "$8$", "$1$", "$1a$", "$1b$", "$1c$", "$1d$", _CIPHER_MARK))


def verify(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` (a hash, a cipher or plain text) holds."""
    if stored.startswith("$9$") and stored.count("$") == 3:
        salt = stored.split("$")[2]
        return hmac.compare_digest(stored, ios_type9(password, salt))
    if stored.startswith("$1c$") and stored.count("$") == 4:
        salt = stored.split("$")[2]
        return hmac.compare_digest(stored, vrp_irreversible(password, salt))
    if stored.startswith(_CIPHER_MARK) and stored.endswith(_CIPHER_MARK) and len(stored) > 8:
        try:
            plain = _xor(base64.b64decode(stored[4:-4], validate=True))
        except ValueError:
            return False
        return hmac.compare_digest(plain, password.encode())
    if is_hashed(stored):  # a form the simulator cannot check (MD5 crypt, other ciphers)
        return False
    return hmac.compare_digest(stored.encode(), password.encode())


def derived_salt(text: str, length: int) -> str:
    """A salt that ``text`` determines: devices alike get the same factory hash (computed once)."""
    digest = hashlib.sha256(text.encode()).digest()
    return "".join(CISCO_ALPHABET[b % len(CISCO_ALPHABET)] for b in digest[:length])
