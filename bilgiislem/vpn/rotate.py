"""``invoke vpn.rotate <site|all>``: new VPN keys, rolled out so a site's tunnel is down for at
most one WireGuard handshake retry (REKEY_TIMEOUT, 5 s).

1. The vault gets new secrets for the named sites (``secrets.rotate_vpn_keys``): a new
   WireGuard key pair for the hub (its site code) and for each WireGuard site, a new
   pre-shared key for each IPsec site.
2. ``playbooks/vpn.yml`` runs on the hub and on the gateways whose configuration changes: the
   rotated sites' gateways, or every gateway when the hub's own key is new. The role applies
   the hub's new peers first and the spokes' new keys right after, in the same run; a spoke
   whose key changes starts a handshake at its next packet, which the hub already accepts.
   MikroTik sites get the new script through Netmiko (``vpn.push``).
3. It waits until every rotated site is up again (``vpn.status``), and writes dated evidence:
   which keys were replaced (old and new public keys; never a private key or a pre-shared
   key), by whom, the deploy's result and the state of each site afterwards.

An IPsec appliance keeps its IKE SA across the change (a pre-shared key is only checked when
an IKE SA is made); its administrator enters the new key (``vpn.render <site>
--show-secrets``) before the next re-authentication. The record says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ansible_run, htmlreport, ui
from bilgiislem import secrets as secretsmod
from bilgiislem.inventory import Inventory
from bilgiislem.vpn import mikrotik
from bilgiislem.vpn import plan as vpnplan
from bilgiislem.vpn import status as vpnstatus

PLAYBOOK = REPO_ROOT / "playbooks" / "vpn.yml"
WAIT_UP = 90  # seconds to wait for the rotated sites to come back


class RotateError(ValueError):
    pass


def resolve(plan: vpnplan.VpnPlan, arg: str) -> list[str]:
    """Site codes of ``arg``: 'all' (the hub and every site) or codes separated by commas;
    an unknown code is an error with the known ones."""
    known = [plan.hub_site] + [s.code for s in plan.sites]
    if arg.strip() == "all":
        return known
    codes = [c.strip() for c in arg.split(",") if c.strip()]
    unknown = [c for c in codes if c not in known]
    if unknown or not codes:
        raise RotateError(f"unknown VPN site {', '.join(unknown) or repr(arg)}; known: "
                          f"{', '.join(known)} (the hub is {plan.hub_site!r}), or 'all'")
    return list(dict.fromkeys(codes))


def hosts_to_deploy(plan: vpnplan.VpnPlan, codes: list[str]) -> list[str]:
    """The hub, and the Linux gateways whose configuration the new keys change."""
    hub_rotated = plan.hub_site in codes
    return [plan.hub] + [s.gateway for s in plan.sites
                         if s.type == "linux-wireguard" and s.gateway
                         and (hub_rotated or s.code in codes)]


def _kind(plan: vpnplan.VpnPlan, code: str) -> str:
    if code == plan.hub_site:
        return "hub"
    site = plan.site(code)
    if site.type == "mikrotik-wireguard" and site.public_key:
        return "router-key"  # the router's own key: rotated on the router, not here
    return site.type


def run(inv: Inventory, inventory: str, arg: str, *, dry_run: bool = False) -> int:
    plan = vpnplan.build(inv)
    if plan is None:
        raise RotateError(f"{inventory} has no vpn.yml: there is no VPN to rotate")
    codes = resolve(plan, arg)
    kinds = {c: _kind(plan, c) for c in codes}
    skipped = [c for c, k in kinds.items() if k == "router-key"]
    codes = [c for c in codes if c not in skipped]
    hosts = hosts_to_deploy(plan, codes)
    for code in skipped:
        ui.warn(f"{code}: its router made its own key (public_key in vpn.yml); rotate it on the "
                "router and put the new public key into vpn.yml")
    if dry_run:
        for code in codes:
            what = "pre-shared key" if kinds[code] == "ipsec-appliance" else "WireGuard key pair"
            ui.info(f"would replace the {what} of {code}")
        ui.info(f"would apply playbooks/vpn.yml to {', '.join(hosts)}; nothing was changed")
        return 0
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.monotonic()
    ui.step(f"replacing the keys of {', '.join(codes)} in the vault")
    changes = secretsmod.rotate_vpn_keys(inv, codes)
    ui.step(f"applying the new keys to {', '.join(hosts)}")
    deploy = ansible_run.playbook(PLAYBOOK, inv.root, limit=",".join(hosts))
    # a new hub key reaches every router; a router's own new key only its own
    routers = [s.code for s in plan.sites if s.type == "mikrotik-wireguard"
               and (plan.hub_site in codes or s.code in codes)]
    pushed: list[dict[str, Any]] = []
    if routers:
        ui.step(f"pushing the new keys to the MikroTik routers of {', '.join(routers)}")
        pushed = mikrotik.push(inv, routers, dry_run=False)
    ui.step("waiting for the rotated sites' tunnels")
    watched = ([s.code for s in plan.sites] if plan.hub_site in codes
               else [c for c in codes if c != plan.hub_site])
    after = _wait_up(inv, watched)
    down = [r["site"] for r in after["sites"] if r["site"] in watched and r["status"] != "up"]
    result = {
        "sites": [{**changes.get(c, {}), "site": c, "kind": kinds[c]} for c in codes],
        "skipped": skipped,
        "deployed_to": hosts,
        "deploy_ok": deploy.ok,
        "deploy_recap": [dataclasses.asdict(r) for r in deploy.recap],
        "mikrotik_push": pushed,
        "seconds": round(time.monotonic() - started, 1),
        "status_after": after["sites"],
        "down_after": down,
        "appliance_note": [c for c in codes if kinds[c] == "ipsec-appliance"],
    }
    path = write(result, ansible_run.provenance("vpn-rotate", inventory, now), now)
    for r in result["sites"]:
        if r["kind"] == "ipsec-appliance":
            ui.info(f"{r['site']}: new pre-shared key on the hub; enter it on the appliance "
                    f"(./scripts/invoke vpn.render {r['site']} --show-secrets)")
        else:
            ui.info(f"{r['site']}: new public key {r['new_public_key']}")
    print(vpnstatus.summary(after))
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    failed_push = [p for p in pushed if p["status"] in mikrotik.FAILED]
    return 0 if deploy.ok and not down and not failed_push else 1


def _wait_up(inv: Inventory, sites: list[str]) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_UP
    while True:
        result = vpnstatus.check(inv)
        pending = [r["site"] for r in result["sites"]
                   if r["site"] in sites and r["status"] != "up"]
        if not pending or time.monotonic() > deadline:
            return result
        time.sleep(3)


def write(result: dict[str, Any], meta: dict[str, Any], now: dt.datetime,
          folder: Path = vpnstatus.EVIDENCE) -> Path:
    return htmlreport.write_record(folder / f"{ansible_run.stamp(now)}-anahtar-yenileme",
                                   {**meta, **result}, "anahtar-yenileme.html.j2",
                                   vpnstatus.TEMPLATES, vpnstatus.STYLE)
