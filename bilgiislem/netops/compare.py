"""Intended against running configuration, per vendor, with hier_config.

Both sides are compared in their *masked* form (:func:`bilgiislem.netops.normalize.normalize`)
with the encryption type of a secret left out (``secret 0 <gizli>`` is ``secret 9 <gizli>``
once the device has hashed it). So a secret is compared by presence, never by value: rotating
a password is a change the comparison does not see (docs/network.md).

:func:`remediation` gives the commands that turn one into the other; its lines hold the real
secrets (taken back from the raw text of the side they come from), so they can be sent to a
device but must never be written to a report: :func:`masked` is what reports show.

Lines a device takes but never prints (Cisco IOS keeps ``snmp-server user`` out of the running
configuration) are write-only: they are left out of the comparison and sent with every push
that changes the device.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hier_config import Platform, WorkflowRemediation, get_hconfig
from hier_config.platforms.driver_base import HConfigDriverBase, HConfigDriverRules
from hier_config.platforms.huawei_vrp.driver import HConfigDriverHuaweiVrp
from hier_config.root import HConfig

from bilgiislem.netops.normalize import MASK, mask_line, normalize
from bilgiislem.netops.targets import inventory_vendor

PLATFORMS: dict[str, Platform] = {
    "cisco_ios": Platform.CISCO_IOS,
    "huawei_vrp": Platform.HUAWEI_VRP,
    "hp_procurve": Platform.HP_PROCURVE,
}
# lines the device accepts and never shows in its running configuration
WRITE_ONLY: dict[str, re.Pattern[str]] = {
    "cisco_ios": re.compile(r"^snmp-server user "),
}
# a secret's type or encoding before the mask: `secret 9 <gizli>`, `cipher <gizli>`,
# `plaintext "<gizli>"` all compare as the bare mask
_SECRET_FORM = re.compile(rf'(?<!\S)(?:\d{{1,2}}|cipher|simple|plaintext|sha1|sha256) (?="?{MASK})')
# What the project does not manage, per vendor: top-level lines (with their sections) and
# lines inside sections that a device prints by default or that belong to its platform; they
# are left out of every comparison, so net.push never negates them.
UNMANAGED: dict[str, tuple[re.Pattern[str] | None, re.Pattern[str] | None]] = {
    "cisco_ios": (
        re.compile(r"^(?:!|end$|version |boot-(?:start|end)-marker|(?:no )?service pad"
                   r"|service timestamps debug |system mtu |spanning-tree extend "
                   r"|vlan internal |ip forward-protocol |line (?:con|aux) )"),
        re.compile(r"^\s+login local$"),
    ),
    "huawei_vrp": (
        re.compile(r"^(?:#|return$|user-interface con )"),
        re.compile(r"^\s+(?:(?:authentication|authorization|accounting)-scheme default$"
                   r"|domain default(?:_admin)?$)"),
    ),
    "hp_procurve": (re.compile(r"^(?:;|exit$)"), None),
}
# negations a device wants short: `no username NAME`, not the whole line (words kept)
SHORT_NEGATIONS: dict[str, tuple[tuple[re.Pattern[str], int], ...]] = {
    "cisco_ios": ((re.compile(r"^no username "), 3), (re.compile(r"^no snmp-server user "), 4)),
    "huawei_vrp": ((re.compile(r"^undo local-user "), 3), (re.compile(r"^undo ssh user "), 4),
                   (re.compile(r"^undo snmp-agent usm-user v3 "), 5)),
}
# multi-line banners: sent alone (Netmiko cannot check the echo of their lines)
BANNER = re.compile(r"^(?:banner|header) ")


def _blocks(lines: list[str]) -> list[list[str]]:
    """Top-level lines, each with the indented lines under it."""
    out: list[list[str]] = []
    for line in lines:
        if line[:1].isspace() and out:
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _interfaces(lines: list[str]) -> set[str]:
    return {line for line in lines if line.startswith("interface ")}


def comparable(text: str, vendor: str, interfaces: set[str] | None = None) -> str:
    """``text`` as it is compared: normalised, masked, secret types dropped, write-only and
    unmanaged lines left out (:data:`UNMANAGED`), and, given ``interfaces``, the interfaces
    not in it (ports the inventory does not name are left as they are)."""
    vendor = inventory_vendor(vendor)
    write_only = WRITE_ONLY.get(vendor)
    top, child = UNMANAGED.get(vendor, (None, None))
    lines: list[str] = []
    for block in _blocks(normalize(text, vendor).splitlines()):
        head = block[0]
        if (top and top.match(head)) or (write_only and write_only.match(head)) or (
                interfaces is not None and head.startswith("interface ")
                and head not in interfaces):
            continue
        lines += [_SECRET_FORM.sub("", line) for line in block
                  if not (child and line[:1].isspace() and child.match(line))]
    return "\n".join(lines) + "\n"


def write_only_lines(text: str, vendor: str) -> list[str]:
    pattern = WRITE_ONLY.get(inventory_vendor(vendor))
    return [line for line in text.splitlines() if pattern and pattern.match(line)]


_VRP_HEADER = re.compile(r"^header \S+ information (\S).*?\1", re.M | re.S)


def _header_line_breaks(config: HConfig) -> None:
    for child in config.children:
        child.text = child.text.replace("\0", "\n")


class _VrpDriver(HConfigDriverHuaweiVrp):
    """hier_config's VRP driver, with a multi-line ``header`` kept as one line (as hier_config
    does for IOS banners; else each line of its text would be a command)."""

    @staticmethod
    def config_preprocessor(config_text: str) -> str:
        return _VRP_HEADER.sub(lambda m: m[0].replace("\n", "\0"), config_text)

    @staticmethod
    def _instantiate_rules() -> HConfigDriverRules:
        rules = HConfigDriverHuaweiVrp._instantiate_rules()
        rules.post_load_callbacks.append(_header_line_breaks)
        return rules


def _driver(vendor: str) -> Platform | HConfigDriverBase:
    return _VrpDriver() if vendor == "huawei_vrp" else PLATFORMS[vendor]


def _remediation_lines(running: str, intended: str, vendor: str) -> list[str]:
    driver = _driver(vendor)
    workflow = WorkflowRemediation(get_hconfig(driver, running), get_hconfig(driver, intended))
    return list(workflow.remediation_config.dump_simple(sectional_exiting=True))


# a setting a new value replaces: the old one's negation is not sent (for the host name, the
# prompt would be the factory one for a while)
_REPLACED = re.compile(r"^(?:hostname|sysname) ")


def _replaced_negations(lines: list[str]) -> list[str]:
    """A banner's negation holds the old text over several lines, which the device would take
    for commands: dropped when a new banner replaces it, else cut to ``no banner login``. The
    old host name's negation is dropped when a new one is set."""
    replaced = {" ".join(line.split()[:2]) for line in lines if BANNER.match(line)}
    renamed = {line.split()[0] for line in lines if _REPLACED.match(line)}
    out = []
    for line in lines:
        words = line.split()
        negation = len(words) > 2 and words[0] in ("no", "undo")
        if negation and words[1] in renamed:
            continue
        if negation and words[1] in ("banner", "header"):
            if " ".join(words[1:3]) not in replaced:
                out.append(" ".join(words[:3]))
        else:
            out.append(line)
    return out


@dataclass(frozen=True)
class Remediation:
    """What turns the running configuration into the intended one."""

    vendor: str
    lines: tuple[str, ...]  # as sent: secrets in clear; indented under their sections

    def __bool__(self) -> bool:
        return bool(self.lines)

    def masked(self) -> list[str]:
        """The lines with their secrets masked, for people and reports."""
        vendor = inventory_vendor(self.vendor)
        return [mask_line(line, vendor) if MASK not in line else line
                for line in "\n".join(self.lines).splitlines()]

    def banners(self) -> list[str]:
        return [line for line in self.lines if BANNER.match(line)]

    def commands(self) -> list[str]:
        return [line for line in self.lines if not BANNER.match(line)]


def _unmask_map(raw: str, vendor: str) -> dict[str, str]:
    """{compared form of a line: the line as written}, for the lines that hold a secret."""
    out: dict[str, str] = {}
    for line in raw.splitlines():
        shown = comparable(line, vendor).strip("\n")
        if MASK in shown:
            out[shown.strip()] = line.strip()
    return out


def _negation(line: str) -> tuple[str, str] | None:
    for prefix in ("no ", "undo "):
        if line.startswith(prefix):
            return prefix, line[len(prefix):]
    return None


def remediation(running: str, intended: str, vendor: str, *,
                include_write_only: bool = True) -> Remediation:
    """The commands that turn ``running`` (as read, raw) into ``intended`` (as rendered, raw).

    Empty when they compare equal. Write-only lines of ``intended`` are added at the end of a
    non-empty remediation (``include_write_only``).
    """
    vendor = inventory_vendor(vendor)
    scope = _interfaces(normalize(intended, vendor).splitlines())
    lines = _remediation_lines(comparable(running, vendor, scope),
                               comparable(intended, vendor, scope), vendor)
    if not lines:
        return Remediation(vendor, ())
    added, removed = _unmask_map(intended, vendor), _unmask_map(running, vendor)
    out = [_unmasked(line, added, removed) if MASK in line else line for line in lines]
    out = _shorten(_replaced_negations(out), vendor)
    if vendor == "huawei_vrp":
        out = _vlan_batch_delta(out)
    if include_write_only:
        out += write_only_lines(intended, vendor)
    return Remediation(vendor, tuple(out))


def _unmasked(line: str, added: dict[str, str], removed: dict[str, str]) -> str:
    """A remediation line with its secret back: from the intended line it adds, or from the
    running line it negates."""
    indent = line[: len(line) - len(line.lstrip())]
    body = line.strip()
    neg = _negation(body)
    if body in added:
        return indent + added[body]
    if neg and neg[1] in removed:
        return indent + neg[0] + removed[neg[1]]
    raise ValueError(f"cannot find the secret of {body!r} in either configuration")


def _shorten(lines: list[str], vendor: str) -> list[str]:
    """Negations cut to what the device wants, each once (``undo local-user X`` removes the
    user with all its lines)."""
    rules = SHORT_NEGATIONS.get(vendor, ())
    out: list[str] = []
    for line in lines:
        indent = line[: len(line) - len(line.lstrip())]
        body = line.strip()
        rule = next((words for pattern, words in rules if pattern.match(body)), None)
        short = indent + " ".join(body.split()[:rule]) if rule else line
        if rule is None or short not in out:
            out.append(short)
    return out


def _vlan_ids(words: list[str]) -> set[int]:
    """``10 20 to 22 30`` -> {10, 20, 21, 22, 30} (VRP's ``vlan batch`` list)."""
    ids: set[int] = set()
    i = 0
    while i < len(words):
        if i + 2 < len(words) and words[i + 1] == "to":
            ids |= set(range(int(words[i]), int(words[i + 2]) + 1))
            i += 3
        else:
            ids.add(int(words[i]))
            i += 1
    return ids


def _vlan_batch_delta(lines: list[str]) -> list[str]:
    """hier_config replaces a whole ``vlan batch`` line (undo all, then add all), which would
    take every port out of its VLANs for a moment; VRP adds and removes VLANs one by one."""
    old = next((x for x in lines if x.startswith("undo vlan batch ")), None)
    new = next((x for x in lines if x.startswith("vlan batch ")), None)
    if old is None or new is None:
        return lines
    was, now = _vlan_ids(old.split()[3:]), _vlan_ids(new.split()[2:])
    out = []
    for line in lines:
        if line == old:
            if was - now:
                out.append("undo vlan batch " + " ".join(map(str, sorted(was - now))))
        elif line == new:
            if now - was:
                out.append("vlan batch " + " ".join(map(str, sorted(now - was))))
        else:
            out.append(line)
    return out


def in_sync(running: str, intended: str, vendor: str) -> bool:
    return not remediation(running, intended, vendor, include_write_only=False)
