"""MikroTik sites of the VPN (``mikrotik-wireguard``): their RouterOS 7 script, and its push.

:func:`render` writes the script that makes a MikroTik router the spoke that a Linux gateway
is made by role vpn from :func:`bilgiislem.vpn.plan.spoke_vars`: the interface ``wg-merkez``
with its tunnel address, the hub as its one peer (AllowedIPs: everything internal that is not
the site's own, the keepalive, the MTU), a route through the tunnel for each of those prefixes,
and a forwarding policy: from the tunnel only the centre, the tunnel subnet and the linked units
reach the site's LANs, everything else from it is dropped. Two input rules go with it, for
what a Linux gateway's own firewall opens: SSH from the centre through the tunnel (so that
:func:`push` reaches the router at its LAN address once the tunnel is up) and, for a site with a
public address, the WireGuard port the hub dials.

The script is idempotent the RouterOS way: in each menu, an item is added when missing
(``:if ([:len [find ...]] = 0) do={ add ... }``) and ``set`` to what it should be, and the items
that carry the comment ``bilgiislem-vpn`` but are no longer wanted (a route of a network that
moved, a rule of an older version) are removed. Pasting it twice, or pushing it twice, changes
nothing the second time. Every statement fits on one line and uses no variables, because
:func:`push` types it line by line into the router's terminal.

:func:`push` logs in with Netmiko as ``bilgiislem``, reads ``/export`` before, sends the script,
reads it after, checks that the router's WireGuard public key is the one the hub has, and
reports per site (with the export's diff, private keys masked).
"""

from __future__ import annotations

import difflib
import ipaddress
import re
import time
import unicodedata
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import paramiko
from netmiko import BaseConnection, ConnectHandler
from netmiko.exceptions import (
    ConfigInvalidException,
    NetmikoAuthenticationException,
    NetmikoTimeoutException,
    ReadException,
)

from bilgiislem import secrets
from bilgiislem.inventory import Inventory
from bilgiislem.netops.backup import describe, disconnect
from bilgiislem.netsim.ros_script import quote
from bilgiislem.vpn.plan import WIREGUARD_KEYS, SitePlan, VpnPlan, build
from bilgiislem.vpn.render import environment

# One template per part of the script, in the order it runs: the firewall is in place before
# the peer and the routes let any traffic through.
FEATURES = ("header", "interface", "firewall", "tunnel", "routes", "check")
INTERFACE = "wg-merkez"
MARK = "bilgiislem-vpn"  # the comment of every item the script manages
MASK = "<gizli>"
# Firewall address lists: what may come out of the tunnel to the LANs, the LANs, and who may
# log in over SSH through the tunnel.
ALLOWED_LIST = "bilgiislem-vpn-izinli"
LAN_LIST = "bilgiislem-vpn-lan"
MANAGEMENT_LIST = "bilgiislem-vpn-yonetim"
USERNAME = "bilgiislem"  # the automation account, as on the switches (docs/network.md)
# Netmiko logs in as "bilgiislem+ct511w4098h": a 511-column terminal. A longer line (prompt
# included) would be folded by RouterOS's line editor, and Netmiko would never see its echo.
TERMINAL_WIDTH = 511
# What RouterOS prints when it refuses a line.
ERROR_PATTERN = (r"^(?:bad command name|syntax error|expected (?:end of command|command name)"
                 r"|invalid value|input does not match|no such item|failure:|ambiguous value).*")
_PROMPT = r"\] [^\r\n]*> ?$"
_PUBLIC_KEY = f":put [/interface wireguard get [find name={INTERFACE}] public-key]"
_SENSITIVE = re.compile(r'\b((?:private|preshared)-key=)(?:"[^"]*"|\S+)')
_EXPORT_DATE = re.compile(r"^# .* by RouterOS ")
_MENU = re.compile(r"/[a-z-]+(?: [a-z-]+)*")  # a line that only enters a menu

STATUSES = ("ok", "unchanged", "planned", "failed", "unreachable", "auth-failed")
FAILED = ("failed", "unreachable", "auth-failed")


class MikrotikError(Exception):
    """What cannot be asked: no vpn.yml, a site that is not a MikroTik site, a missing key."""


# --- the script -------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    """Turkish letters without their marks, case kept ('Kent Müzesi' -> 'Kent Muzesi'):
    RouterOS keeps text as bytes and prints what is not ASCII as escapes (``\\C3\\BC``)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(ch for ch in decomposed if ord(ch) < 128)


def _entries(cidrs: Iterable[str]) -> list[str]:
    """Address-list entries of the addresses of ``cidrs``, merged as the Linux zones merge
    them (a linked unit's tunnel address is inside the tunnel subnet), each as RouterOS keeps
    it: a /32 as the bare address."""
    nets = ipaddress.collapse_addresses(ipaddress.IPv4Network(c) for c in cidrs)
    return [str(n.network_address) if n.prefixlen == 32 else str(n) for n in nets]


def _rules(site: SitePlan) -> list[dict[str, Any]]:
    """The filter rules, each named by its comment. The forward rules are disjoint (the
    accept needs an allowed source and a LAN destination, each drop the lack of one), so they
    work in any order and with any rule an administrator adds after them."""
    tunnel = ("in-interface", INTERFACE)
    rules = [
        (f"{MARK}: izin", "forward", [("action", "accept"), tunnel,
                                      ("src-address-list", ALLOWED_LIST),
                                      ("dst-address-list", LAN_LIST)]),
        (f"{MARK}: izinsiz kaynak", "forward", [("action", "drop"), tunnel,
                                                ("src-address-list", f"!{ALLOWED_LIST}")]),
        (f"{MARK}: LAN disi", "forward", [("action", "drop"), tunnel,
                                          ("dst-address-list", f"!{LAN_LIST}")]),
        (f"{MARK}: SSH", "input", [("action", "accept"), tunnel, ("protocol", "tcp"),
                                   ("dst-port", "22"), ("src-address-list", MANAGEMENT_LIST)]),
    ]
    if site.endpoint:  # the hub dials it: its port is open on the WAN side
        wan = [("in-interface", site.wan_interface)] if site.wan_interface else []
        # the interface is in the name, so that a changed one replaces the rule (set cannot
        # take a property away)
        name = f"{MARK}: WireGuard" + (f" {_ascii(site.wan_interface)}" if site.wan_interface
                                       else "")
        rules.append((name, "input", [("action", "accept"), *wan, ("protocol", "udp"),
                                      ("dst-port", str(site.listen_port))]))
    return [{"comment": c, "chain": chain, "props": props} for c, chain, props in rules]


def render(plan: VpnPlan, site: SitePlan, private_key: str | None, hub_public_key: str, *,
           mask: bool = False) -> str:
    """The RouterOS 7 script of a ``mikrotik-wireguard`` site.

    ``private_key``: the site's WireGuard private key (from the vault), or None when the router
    made its own key pair (vpn.yml's ``public_key``); then the script never sets one.
    ``hub_public_key``: the hub's public key. ``mask`` writes ``<gizli>`` in place of the
    private key, for reports and evidence (a masked script fails on the router, harmlessly).
    """
    if site.type != "mikrotik-wireguard" or site.tunnel_ip is None:
        raise MikrotikError(f"site {site.code} is {site.type}, not a MikroTik WireGuard site")
    context = {
        "plan": plan, "site": site, "name": _ascii(site.name), "iface": INTERFACE, "mark": MARK,
        "private_key": MASK if mask and private_key is not None else private_key,
        "hub_public_key": hub_public_key,
        "address": f"{site.tunnel_ip}/{plan.prefix_len}",
        "allowed": plan.through_tunnel(site),
        "routes": [p for p in plan.through_tunnel(site) if p != plan.tunnel_subnet],
        "lists": {"allowed": ALLOWED_LIST, "lans": LAN_LIST, "management": MANAGEMENT_LIST},
        "address_lists": [(ALLOWED_LIST, _entries(plan.reach(site))),
                          (LAN_LIST, _entries(site.lans)),
                          (MANAGEMENT_LIST, _entries(plan.central))],
        "rules": _rules(site),
        # the filter rules that are not the script's (dynamic ones cannot be placed before)
        "others": f'!dynamic and !(comment~"^{MARK}")',
    }
    env = environment(ros=quote)
    return "".join(env.get_template(f"mikrotik/{feature}.rsc.j2").render(context)
                   for feature in FEATURES)


def _pair(vault: Mapping[str, Any], code: str) -> dict[str, Any]:
    pair = (vault.get(WIREGUARD_KEYS) or {}).get(code)
    return pair if isinstance(pair, dict) else {}


def site_script(plan: VpnPlan, site: SitePlan, vault: Mapping[str, Any], *,
                mask: bool = False) -> str:
    """:func:`render` with the keys from the vault (``bilgiislem.secrets.read``)."""
    hub = _pair(vault, plan.hub_site).get("public")
    if not hub:
        raise MikrotikError(f"the vault has no WireGuard key pair of the hub ({WIREGUARD_KEYS}."
                            f"{plan.hub_site}): run ./scripts/invoke secrets")
    private = None
    if not site.public_key:
        private = _pair(vault, site.code).get("private")
        if not private:
            raise MikrotikError(f"the vault has no WireGuard key of {site.code} "
                                f"({WIREGUARD_KEYS}.{site.code}): run ./scripts/invoke secrets, "
                                "or give vpn.yml the public key of a key the router made")
    return render(plan, site, private, str(hub), mask=mask)


def commands(script: str) -> list[str]:
    """The lines the router runs: the script without its comments and blank lines."""
    return [line for line in script.splitlines() if line.strip() and not line.startswith("#")]


# --- the push ---------------------------------------------------------------------------------


def masked(text: str) -> str:
    """An export or a script with its WireGuard private and pre-shared keys as ``<gizli>``."""
    return _SENSITIVE.sub(rf'\1"{MASK}"', text)


class _Failed(Exception):
    """A site's push stops: its status, and the message says why."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


def _export(conn: BaseConnection, timeout: float) -> list[str]:
    """``/export terse`` with the keys (masked later), without the line that only dates it."""
    try:
        text: str = conn.send_command("/export terse show-sensitive", expect_string=_PROMPT,
                                      read_timeout=timeout)
    except Exception as e:
        raise _Failed("failed", f"could not read the configuration: {masked(describe(e))}"
                      ) from None
    return [line for line in text.splitlines() if not _EXPORT_DATE.match(line)]


def _longest_menu(lines: list[str]) -> int:
    """How much the prompt grows in the script's deepest menu: " /interface/wireguard/peers> "
    after "[user@identity]"."""
    menus = [line for line in lines if _MENU.fullmatch(line)]
    return max((len(f" {m.replace(' ', '/')}> ") for m in menus), default=len(" > "))


def _login(host: str, port: int, password: str, timeout: float) -> BaseConnection:
    try:
        return ConnectHandler(
            device_type="mikrotik_routeros", host=host, port=port, username=USERNAME,
            password=password, conn_timeout=timeout, banner_timeout=timeout,
            auth_timeout=timeout, timeout=timeout, read_timeout_override=timeout,
            use_keys=False, allow_agent=False)
    except (NetmikoAuthenticationException, paramiko.AuthenticationException) as e:
        raise _Failed("auth-failed", describe(e)) from None
    except (NetmikoTimeoutException, paramiko.SSHException, OSError, EOFError,
            ReadException) as e:
        raise _Failed("unreachable", describe(e)) from None


def _check_width(conn: BaseConnection, lines: list[str]) -> None:
    """Refuse, before sending anything, a line the router's terminal would fold."""
    width = TERMINAL_WIDTH - len(conn.base_prompt) - _longest_menu(lines)
    too_long = [n for n, line in enumerate(lines, 1) if len(line) > width]
    if too_long:
        raise _Failed("failed", f"line {too_long[0]} of the script has "
                      f"{len(lines[too_long[0] - 1])} characters, over the {width} the router's "
                      "terminal shows on one line: nothing was sent; import the script on the "
                      "router (/import) instead")


def _send(conn: BaseConnection, lines: list[str], timeout: float) -> None:
    """Type the script; the first line the router refuses stops it. Netmiko's messages quote
    the line, so they are masked."""
    try:
        conn.send_config_set(lines, enter_config_mode=False, exit_config_mode=False,
                             error_pattern=ERROR_PATTERN, terminator=_PROMPT,
                             read_timeout=timeout)
    except ConfigInvalidException as e:
        raise _Failed("failed", f"the router refused a line, the lines before it stay applied: "
                      f"{masked(describe(e))}") from None
    except Exception as e:
        raise _Failed("failed", "the session was lost while the script was sent; what was sent "
                      "stays on the router, and pushing again finishes the job: "
                      f"{masked(describe(e))}") from None


def _push_site(plan: VpnPlan, site: SitePlan, vault: Mapping[str, Any], host: str, port: int,
               *, dry_run: bool, timeout: float) -> dict[str, Any]:
    start = time.monotonic()
    result: dict[str, Any] = {
        "site": site.code, "name": site.name, "host": host, "port": port, "dry_run": dry_run,
        "status": "failed", "error": None, "script": [], "diff": "", "export": [],
        "public_key": None,
    }
    try:
        result["status"] = _converge(result, plan, site, vault, host=host, port=port,
                                     dry_run=dry_run, timeout=timeout)
    except _Failed as e:
        result.update(status=e.status, error=str(e))
    result["duration"] = round(time.monotonic() - start, 2)
    return result


def _converge(result: dict[str, Any], plan: VpnPlan, site: SitePlan, vault: Mapping[str, Any], *,
              host: str, port: int, dry_run: bool, timeout: float) -> str:
    """One site's push, filling in ``result``; its status, or :class:`_Failed`."""
    password = (vault.get(secrets.NETWORK_PASSWORDS) or {}).get(site.code)
    if not password:
        raise _Failed("failed", f"the vault has no password of the router's account {USERNAME} "
                      f"({secrets.NETWORK_PASSWORDS}.{site.code}); add it with ansible-vault "
                      "edit (and make the account on the router with the same password)")
    try:
        script = site_script(plan, site, vault)
    except MikrotikError as e:
        raise _Failed("failed", str(e)) from None
    lines = commands(script)
    result["script"] = commands(masked(script))
    conn = _login(host, port, str(password), timeout)
    try:
        before = _export(conn, timeout)
        result["export"] = masked("\n".join(before)).splitlines()
        _check_width(conn, lines)
        if dry_run:
            return "planned"
        _send(conn, lines, timeout)
        after = _export(conn, timeout)
        try:
            key = conn.send_command(_PUBLIC_KEY, expect_string=_PROMPT,
                                    read_timeout=timeout).strip()
        except Exception as e:
            raise _Failed("failed", f"could not read the public key: {describe(e)}") from None
    finally:
        disconnect(conn)
    result.update(export=masked("\n".join(after)).splitlines(), public_key=key)
    result["diff"] = "\n".join(difflib.unified_diff(
        masked("\n".join(before)).splitlines(), result["export"], "önce", "sonra", lineterm=""))
    if before != after and not result["diff"]:
        result["diff"] = "(a private key changed; masked)"
    wanted = site.public_key or _pair(vault, site.code).get("public")
    if key != wanted:
        raise _Failed("failed", f"the router's WireGuard public key is {key!r}, but the hub has "
                      f"{wanted!r} for {site.code}: the tunnel cannot come up (put the router's "
                      "key in vpn.yml as public_key, or remove public_key to use the vault's)")
    return "unchanged" if before == after else "ok"


def push(inv: Inventory, site_codes: list[str] | None, *, dry_run: bool,
         targets: Mapping[str, tuple[str, int]] | None = None, timeout: float = 30.0,
         workers: int = 10) -> list[dict[str, Any]]:
    """Push the script of every MikroTik site (or of ``site_codes``), at the same time for up
    to ``workers`` sites; one result per site, in vpn.yml's order.

    A result holds ``site``, ``name``, ``host``, ``port``, ``dry_run``, ``status`` (one of
    :data:`STATUSES`: ``ok``, ``unchanged`` when the export is the same after the push,
    ``planned`` for a dry run's read that went well, or one of :data:`FAILED`), ``error``
    (None, or why), ``script`` (the lines sent or to be sent, masked), ``export`` (``/export
    terse`` after the push, or as read by a dry run, masked), ``diff`` (unified, of the export
    before and after, masked; empty when unchanged), ``public_key`` (the router's, after a
    push) and ``duration`` (seconds). Nothing in it is secret.

    The router is reached at its ``management`` address, port 22, unless ``targets`` maps its
    site code to another (host, port). ``dry_run`` logs in and reads, and returns the script
    it would send. Raises :class:`MikrotikError` for a request that cannot be met (no vpn.yml,
    a code that is not a MikroTik site) and ``bilgiislem.secrets.SecretsError`` for a vault
    that cannot be read; a site's own problem (no password in the vault, unreachable, refused
    line) is its result.
    """
    plan = build(inv)
    if plan is None:
        raise MikrotikError("the inventory has no vpn.yml")
    sites = [s for s in plan.sites if s.type == "mikrotik-wireguard"]
    if site_codes is not None:
        unknown = [c for c in site_codes if c not in {s.code for s in sites}]
        if unknown:
            raise MikrotikError(f"not a mikrotik-wireguard site of vpn.yml: {', '.join(unknown)}"
                                f" (they are: {', '.join(s.code for s in sites) or 'none'})")
        sites = [s for s in sites if s.code in site_codes]
    if not sites:
        return []
    vault = secrets.read(inv)
    targets = targets or {}

    def one(site: SitePlan) -> dict[str, Any]:
        host, port = targets.get(site.code, (str(site.management), 22))
        return _push_site(plan, site, vault, host, port, dry_run=dry_run, timeout=timeout)

    with ThreadPoolExecutor(max_workers=min(workers, len(sites))) as pool:
        return list(pool.map(one, sites))
