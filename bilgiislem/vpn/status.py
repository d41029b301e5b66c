"""``invoke vpn.status``: every remote unit's tunnel as the hub sees it.

``playbooks/vpn-status.yml`` reads, on the hub, the WireGuard peers (``wg show dump``: last
handshake, bytes received and sent), the IPsec SAs (``swanctl --list-sas --pretty``) and a
ping to each unit through its tunnel (its tunnel address; for an IPsec appliance, its LAN
gateway from a central address of the hub). ``evaluate`` turns that into one row per site:

- WireGuard sites are **up** when the last handshake is younger than ``down_after_minutes``
  of vpn.yml and the ping answers; **down** otherwise (never, or too long ago);
- IPsec sites are up when the IKE SA is ESTABLISHED, every child SA of the plan is INSTALLED
  and the ping answers.

The record is ``evidence/vpn/<time>-durum.json`` plus a Turkish HTML page; exit 1 when a site
is down or the hub could not be read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ansible_run, htmlreport, ui
from bilgiislem import secrets as secretsmod
from bilgiislem.inventory import Inventory
from bilgiislem.vpn import plan as vpnplan

PLAYBOOK = REPO_ROOT / "playbooks" / "vpn-status.yml"
TEMPLATES = Path(__file__).parent / "templates" / "reports"
STYLE = REPO_ROOT / "bilgiislem" / "audit" / "templates"  # _style.html.j2, shared
EVIDENCE = ansible_run.EVIDENCE_DIR / "vpn"


def targets(inv: Inventory, plan: vpnplan.VpnPlan) -> list[dict[str, str]]:
    """What the hub pings, per site: a WireGuard site's tunnel address from the hub's, an
    IPsec site's LAN gateway from the hub's address on a central network."""
    hub = inv.host(plan.hub)
    central = [x.ip for x in hub.interfaces if inv.network(x.network).cidr in plan.central]
    out = []
    for s in plan.sites:
        if s.wireguard and s.tunnel_ip:
            out.append({"site": s.code, "address": s.tunnel_ip, "source": plan.hub_tunnel_ip})
        elif central:
            gateways = [inv.network(n).gateway for n in s.lan_networks]
            address = next((g for g in gateways if g), None)
            if address:
                out.append({"site": s.code, "address": address, "source": central[0]})
    return out


def parse_pretty(text: str) -> list[dict[str, Any]]:
    """``swanctl --list-sas --pretty`` (one ``list-sa event {...}`` per IKE SA) as dicts."""
    events: list[dict[str, Any]] = []
    stack: list[Any] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("plugin ", "no files found")):
            continue
        if line.endswith("{"):
            node: dict[str, Any] = {}
            name = line[:-1].strip()
            if not stack:
                events.append(node)
            elif isinstance(stack[-1], dict):
                stack[-1][name] = node
            stack.append(node)
        elif line.endswith("["):
            items: list[str] = []
            if stack and isinstance(stack[-1], dict):
                stack[-1][line[:-1].strip()] = items
            stack.append(items)
        elif line in ("}", "]"):
            if stack:
                stack.pop()
        elif stack and isinstance(stack[-1], list):
            stack[-1].append(line)
        elif stack and " = " in line:
            key, value = line.split(" = ", 1)
            stack[-1][key.strip()] = value.strip()
    return events


def _wireguard(dump: str) -> tuple[int | None, dict[str, dict[str, Any]]]:
    """(the hub's clock, {public key: peer}) from ``date +%s`` + ``wg show dump``."""
    lines = dump.splitlines()
    if not lines or not lines[0].strip().isdigit():
        return None, {}
    now = int(lines[0])
    peers = {}
    for line in lines[2:]:
        fields = line.split("\t")
        if len(fields) != 8:
            continue
        key, _psk, endpoint, allowed, handshake, rx, tx, _ka = fields
        peers[key] = {"endpoint": "" if endpoint == "(none)" else endpoint,
                      "allowed_ips": allowed, "handshake": int(handshake),
                      "rx": int(rx), "tx": int(tx)}
    return now, peers


def _ping(rc: int, stdout: str) -> tuple[bool, float | None]:
    m = re.search(r"= [\d.]+/([\d.]+)/", stdout)
    return rc == 0, float(m.group(1)) if m else None


def evaluate(inv: Inventory, plan: vpnplan.VpnPlan, hub: dict[str, Any] | None,
             keys: dict[str, str]) -> dict[str, Any]:
    """One row per site from what the hub said (None: it could not be read)."""
    now, peers = _wireguard(hub["wireguard"]) if hub else (None, {})
    sas = {name: sa for event in parse_pretty(hub["ipsec"] if hub else "")
           for name, sa in event.items() if isinstance(sa, dict)}
    pings = {item["site"]: _ping(rc, out) for item, rc, out in (hub or {}).get("ping", [])}
    limit = plan.down_after_minutes * 60
    rows = []
    for s in plan.sites:
        row: dict[str, Any] = {"site": s.code, "name": s.name, "type": s.type,
                               "endpoint": s.endpoint or "NAT arkasında"}
        ping_ok, rtt = pings.get(s.code, (False, None))
        row["ping"] = "yanıt veriyor" if ping_ok else "yanıt yok"
        row["rtt_ms"] = rtt
        problems = []
        if s.wireguard:
            peer = peers.get(s.public_key or keys.get(s.code, ""), {})
            last = peer.get("handshake", 0)
            age = (now - last) if (now is not None and last) else None
            row.update(handshake_age_s=age, rx=peer.get("rx", 0), tx=peer.get("tx", 0),
                       seen_at=peer.get("endpoint", ""))
            if not peer:
                problems.append("hub'da eş (peer) yok")
            elif age is None:
                problems.append("hiç el sıkışma olmadı")
            elif age > limit:
                problems.append(f"son el sıkışma {age // 60} dk önce "
                                f"(sınır {plan.down_after_minutes} dk)")
        else:
            sa = sas.get(s.code, {})
            children = [c for c in (sa.get("child-sas") or {}).values() if isinstance(c, dict)]
            installed = sum(1 for c in children if c.get("state") == "INSTALLED")
            wanted = len(vpnplan.ipsec_children(plan, s))
            row.update(ike_state=sa.get("state", "YOK"),
                       established_s=int(sa["established"]) if "established" in sa else None,
                       children=f"{installed}/{wanted}",
                       rx=sum(int(c.get("bytes-in", 0)) for c in children),
                       tx=sum(int(c.get("bytes-out", 0)) for c in children))
            if sa.get("state") != "ESTABLISHED":
                problems.append(f"IKE SA {sa.get('state', 'yok')}")
            elif installed < wanted:
                problems.append(f"çocuk SA {installed}/{wanted} kurulu")
        if not ping_ok:
            problems.append("ping yanıtsız")
        row["status"] = "down" if problems else "up"
        row["problems"] = problems
        rows.append(row)
    return {"hub": plan.hub, "hub_read": hub is not None,
            "down_after_minutes": plan.down_after_minutes, "sites": rows,
            "down": [r["site"] for r in rows if r["status"] == "down"]}


def read_hub(inv: Inventory, plan: vpnplan.VpnPlan) -> dict[str, Any] | None:
    with tempfile.TemporaryDirectory(prefix="bilgiislem-vpn-") as tmp:
        res = ansible_run.playbook(
            PLAYBOOK, inv.root, quiet=True,
            extra_vars={"vpn_status_dir": tmp,
                        "vpn_status_targets": targets(inv, plan)})
        path = Path(tmp) / "hub.json"
        if not res.ok or not path.is_file():
            ui.error(f"the hub {plan.hub} could not be read:\n{res.output[-2000:]}")
            return None
        return json.loads(path.read_text(encoding="utf-8"))


def write(result: dict[str, Any], meta: dict[str, Any], now: dt.datetime,
          folder: Path = EVIDENCE) -> Path:
    return htmlreport.write_record(folder / f"{ansible_run.stamp(now)}-durum",
                                   {**meta, **result}, "durum.html.j2", TEMPLATES, STYLE)


def check(inv: Inventory) -> dict[str, Any]:
    """Read the hub and evaluate (no evidence written): what vpn.rotate waits on."""
    plan = vpnplan.build(inv)
    assert plan is not None
    keys = vpnplan.public_keys(secretsmod.read(inv))
    return evaluate(inv, plan, read_hub(inv, plan), keys)


def run(inv: Inventory, inventory: str) -> int:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = check(inv)
    path = write(result, ansible_run.provenance("vpn-status", inventory, now), now)
    print(summary(result))
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    return 0 if result["hub_read"] and not result["down"] else 1


def _age(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds} sn" if seconds < 120 else f"{seconds // 60} dk"


def summary(result: dict[str, Any]) -> str:
    rows = []
    for r in result["sites"]:
        if r["type"] == "ipsec-appliance":
            state = f"IKE {r['ike_state']}, çocuk SA {r['children']}"
        else:
            state = f"el sıkışma {_age(r['handshake_age_s'])} önce"
        rows.append([r["site"], r["type"], state, f"{r['rx']}/{r['tx']}",
                     r["ping"] + (f" ({r['rtt_ms']} ms)" if r["rtt_ms"] is not None else ""),
                     "AÇIK" if r["status"] == "up" else "KAPALI: " + "; ".join(r["problems"])])
    head = (f"VPN durumu / status (hub {result['hub']}): {len(result['sites'])} birim, "
            f"{len(result['down'])} kapalı")
    return head + "\n" + ui.table(["birim", "tür", "tünel", "alınan/gönderilen bayt", "ping",
                                   "durum"], rows)


def write_push(results: list[dict[str, Any]], inventory: str,
               folder: Path = EVIDENCE) -> Path:
    """Evidence of a vpn.push: per MikroTik site the result, the masked lines and diff."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    data = {**ansible_run.provenance("vpn-push", inventory, now), "sites": results}
    return htmlreport.write_record(folder / f"{ansible_run.stamp(now)}-mikrotik", data,
                                   "mikrotik.html.j2", TEMPLATES, STYLE)
