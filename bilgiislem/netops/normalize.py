"""Make a configuration as read from a device fit for a diff: secrets masked, noise dropped.

What a backup keeps must only change when the configuration does, and must never hold a
password, even hashed (Oxidized does the same). Per vendor:

- lines that change on every read (banners of the show command, timestamps, byte counts,
  drifting NTP values) are dropped;
- the secret part of a line (a password, hash, key or SNMP community) becomes ``<gizli>``
  (``"<gizli>"`` when it was quoted) and the rest of the line stays, so a diff still shows
  that a user, key or community was added, removed or renamed.

Everything here is a pure function of the text; :func:`normalize` is the entry point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bilgiislem.netops.targets import inventory_vendor

MASK = "<gizli>"


@dataclass(frozen=True)
class Mask:
    """A secret in a line: group ``s`` of ``pattern`` (every match) becomes :data:`MASK`.

    ``section``: only in the lines of a top-level section whose header matches it.
    ``skip``: not in lines that match it.
    """

    pattern: re.Pattern[str]
    section: re.Pattern[str] | None = None
    skip: re.Pattern[str] | None = None


def _mask(pattern: str, section: str | None = None, skip: str | None = None) -> Mask:
    return Mask(
        re.compile(pattern),
        re.compile(section) if section else None,
        re.compile(skip) if skip else None,
    )


# an optional encryption type before the value (`secret 9 $9$...`, `key 7 0822...`): a number
# that another word follows, so that a bare number is taken for the value itself
_TYPE = r"(?: \d{1,2}(?= \S))?"
_REST = r"(?P<s>\S.*)"  # the value runs to the end of the line (IOS takes LINE there)
_WORD = r'(?P<s>"[^"]*"|\S+)'  # one word, or a quoted string

_IOS_MASKS = (
    _mask(rf"^username \S+ (?:.*? )?(?:secret|password){_TYPE} {_REST}"),
    _mask(rf"^enable (?:secret|password)(?: level \d+)?{_TYPE} {_REST}"),
    _mask(r"^snmp-server community (?P<s>\S+)"),
    _mask(
        r"^snmp-server host \S+(?: vrf \S+)?(?: informs| traps)?(?: version (?:1|2c))?"
        r" (?P<s>(?!(?:version|informs|traps|vrf)\b)\S+)"
    ),
    _mask(r"^snmp-server user .*?(?<!\S)auth (?:md5|sha\S*) (?P<s>\S+)"),
    _mask(r"^snmp-server user .*?(?<!\S)priv (?:aes \d+|3des|des) (?P<s>\S+)"),
    _mask(rf"^\s*key-string{_TYPE} {_REST}"),
    _mask(rf"^(?:tacacs|radius)-server (?:.*? )?key{_TYPE} {_REST}"),
    _mask(rf"^\s+(?:pac )?key{_TYPE} {_REST}", section=r"(?:tacacs|radius) server "),
    _mask(rf"^\s+password{_TYPE} {_REST}"),  # line con/vty
    _mask(r"^crypto isakmp key (?:[06] )?(?P<s>\S+)"),
    _mask(rf"^\s+ip ospf authentication-key{_TYPE} {_REST}"),
    _mask(rf"^\s+ip ospf message-digest-key \d+ md5{_TYPE} {_REST}"),
    _mask(rf"^\s+neighbor \S+ password{_TYPE} {_REST}"),
)

_VRP_MASKS = (
    # `password irreversible-cipher X`, `shared-key cipher X`, `authentication-mode md5 1
    # cipher X`...; `ssh server cipher aes256_ctr` names algorithms, not a secret
    _mask(r"(?<!\S)(?:irreversible-cipher|cipher) (?P<s>\S+)", skip=r"^\s*(?:ssh|ssl)\b"),
    _mask(r"^\s*local-user \S+ password (?:irreversible-cipher |cipher |simple )?(?P<s>\S.*)"),
    _mask(r"^\s*snmp-agent community (?:read|write|notify) (?:cipher |simple )?(?P<s>\S+)"),
    _mask(r"^\s*snmp-agent usm-user .*?(?<!\S)authentication-mode \S+ (?:cipher )?(?P<s>\S+)"),
    _mask(r"^\s*snmp-agent usm-user .*?(?<!\S)privacy-mode \S+ (?:cipher )?(?P<s>\S+)"),
    _mask(r"(?<!\S)(?:password|shared-key) simple (?P<s>\S+)"),
    _mask(r"(?<!\S)plain (?P<s>\S+)"),
)

_PROCURVE_MASKS = (
    _mask(rf"(?<!\S)password (?:plaintext|sha1|sha256|sha512) {_WORD}"),
    _mask(rf"^password (?:manager|operator|port-access)\b.*?(?<!\S)(?:plaintext|sha\d+) {_WORD}"),
    _mask(rf"^snmpv3 user .*?(?<!\S)auth (?:md5|sha) {_WORD}"),
    _mask(rf"^snmpv3 user .*?(?<!\S)priv (?:des|aes) {_WORD}"),
    _mask(rf"^snmp-server community {_WORD}"),
    _mask(r'^snmp-server host \S+ (?:community )?(?P<s>"[^"]*")'),
    _mask(rf"^(?:tacacs|radius)-server (?:.*? )?key {_WORD}"),
)

_IOS_NOISE = (
    r"Building configuration\.\.\.",
    r"Current configuration ?: ?\d+ bytes",
    r"! Last configuration change at .*",
    r"! NVRAM config last updated at .*",
    r"! No configuration change since last restart",
    r"ntp clock-period \d+",
)

_VRP_NOISE = (
    r"!Software Version .*",
    r"!Last configuration was (?:updated|saved) at .*",
    r"!Time: .*",
    # the time stamp some VRP versions print before the output of a display command
    r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?(?: ?[+-]\d{2}:?\d{2})?(?: \S+)?",
)

_PROCURVE_NOISE = (
    r"; \S+ Configuration Editor; Created on release .*",
    r"; Ver #.*",
    r"Running configuration:",
)

MASKS: dict[str, tuple[Mask, ...]] = {
    "cisco_ios": _IOS_MASKS,
    "huawei_vrp": _VRP_MASKS,
    "hp_procurve": _PROCURVE_MASKS,
}
NOISE: dict[str, re.Pattern[str]] = {
    name: re.compile("|".join(f"(?:{p})" for p in patterns))
    for name, patterns in (
        ("cisco_ios", _IOS_NOISE),
        ("huawei_vrp", _VRP_NOISE),
        ("hp_procurve", _PROCURVE_NOISE),
    )
}


def _hide(match: re.Match[str]) -> str:
    value = match.group("s")
    hidden = f'"{MASK}"' if value.startswith('"') else MASK
    start, end = match.start("s") - match.start(), match.end("s") - match.start()
    text = match.group(0)
    return text[:start] + hidden + text[end:]


def mask_line(line: str, vendor: str, section: str | None = None) -> str:
    """``line`` with its secrets masked; ``section`` is the header of the section it is in."""
    return _mask_line(line, MASKS[inventory_vendor(vendor)], section)


def _mask_line(line: str, rules: tuple[Mask, ...], section: str | None) -> str:
    for rule in rules:
        if rule.section and not (section and rule.section.match(section)):
            continue
        if rule.skip and rule.skip.search(line):
            continue
        line = rule.pattern.sub(_hide, line)
    return line


def mask_secrets(text: str, vendor: str) -> str:
    """Every line of ``text`` with its secrets masked."""
    rules = MASKS[inventory_vendor(vendor)]
    section: str | None = None
    out = []
    for line in text.split("\n"):
        if line and not line[0].isspace():
            section = line
        out.append(_mask_line(line, rules, section))
    return "\n".join(out)


def is_noise(line: str, vendor: str) -> bool:
    """Whether ``line`` changes on every read (a time, a byte count) and is left out."""
    return NOISE[inventory_vendor(vendor)].fullmatch(line) is not None


def clean_lines(text: str) -> list[str]:
    """Lines without line-ending variants (CRLF, CR) and trailing whitespace."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in text.split("\n")]


def drop_noise(text: str, vendor: str) -> str:
    """``text`` without noise lines and leading/trailing blank lines, ending in one newline."""
    noise = NOISE[inventory_vendor(vendor)]
    lines = [line for line in clean_lines(text) if not noise.fullmatch(line)]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""


def normalize(text: str, vendor: str) -> str:
    """A configuration as ``vendor`` prints it, as it is saved: clean, quiet and masked."""
    return mask_secrets(drop_noise(text, vendor), vendor)
