"""Well-known factory credentials of camera vendors (public knowledge: vendor manuals).

``apply`` logs in with the vendor's entries when the project's admin account is refused (a
factory-fresh or reset camera); ``audit`` tries every entry on every camera and reports any
that is accepted. ``BUILTIN`` names the accounts a vendor's firmware refuses to delete: apply
does not try to delete them but makes sure their factory password no longer works.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Credential:
    vendor: str
    username: str
    password: str

    def __str__(self) -> str:
        return f"{self.username}/{self.password or '(boş)'} ({self.vendor})"


DEFAULTS: tuple[Credential, ...] = (
    Credential("hikvision", "admin", "12345"),
    Credential("dahua", "admin", "admin"),
    Credential("dahua", "888888", "888888"),
    Credential("axis", "root", "pass"),
    Credential("uniview", "admin", "123456"),
    Credential("hanwha", "admin", "4321"),
    Credential("generic", "admin", "admin"),
    Credential("generic", "admin", ""),
    Credential("generic", "admin", "1234"),
)

BUILTIN: dict[str, tuple[str, ...]] = {
    "hikvision": ("admin",),
    "axis": ("root",),
}


def for_vendor(vendor: str) -> list[Credential]:
    """The vendor's own defaults first, then the generic ones (deduplicated)."""
    own = [c for c in DEFAULTS if c.vendor == vendor]
    generic = [c for c in DEFAULTS if c.vendor == "generic"]
    seen: set[tuple[str, str]] = set()
    out = []
    for c in own + generic:
        if (c.username, c.password) not in seen:
            seen.add((c.username, c.password))
            out.append(c)
    return out


def unique() -> list[Credential]:
    """Every distinct username/password pair once (for the audit)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for c in DEFAULTS:
        if (c.username, c.password) not in seen:
            seen.add((c.username, c.password))
            out.append(c)
    return out
