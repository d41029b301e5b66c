"""`invoke holiday.plan` and `invoke holiday.power`: the schedule as a table, and the
shutdown/startup run through playbooks/holiday-power.yml with its evidence.

The run goes through the machines by ``power_on.order``: shutdown lower first (applications,
then databases, then storage), startup the other way. After a startup each host's result
(answered over SSH, systemd's state) is read back; the record lists what did not come back and
the command exits 1 when anything did not.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import zoneinfo
from itertools import groupby
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ansible_run, htmlreport, ui
from bilgiislem.inventory import Inventory
from bilgiislem.power import holiday

EVIDENCE = ansible_run.EVIDENCE_DIR / "power"
TEMPLATES = Path(__file__).parent / "templates"
STYLE = REPO_ROOT / "bilgiislem" / "audit" / "templates"  # _style.html.j2, shared
PLAYBOOK = REPO_ROOT / "playbooks" / "holiday-power.yml"
WEEKDAYS = ("Pzt", "Sal", "Çar", "Per", "Cum", "Cmt", "Paz")


def _when(t: dt.datetime) -> str:
    return f"{t:%Y-%m-%d} {WEEKDAYS[t.weekday()]} {t:%H:%M}"


def plan_text(p: holiday.Plan) -> str:
    rows = [[_when(x.shutdown) + (" (arife)" if x.half_day else ""), _when(x.power_on),
             str(x.days), "; ".join(x.names)] for x in p.periods]
    out = [ui.table(["kapanış", "açılış", "gün", "tatil"], rows), ""]
    if p.machines:
        out.append(ui.table(
            ["sıra", "makine", "tür", "açılış yolu", "adres"],
            [[str(m.order), m.name, m.kind, holiday.METHOD_TR[m.method], m.address or "—"]
             for m in p.machines]))
    else:
        out.append("tatilde kapatılacak makine yok (hosts.yml/devices.yml: tatilde_kapat)")
    return "\n".join(out) + "\n"


def next_power_on(p: holiday.Plan, now: dt.datetime) -> dt.datetime | None:
    """The power-on time of the period that starts next (or is running) at ``now``."""
    for x in p.periods:
        if x.power_on > now:
            return x.power_on
    return None


def power(inv: Inventory, inventory: str, action: str, check: bool = False,
          now: dt.datetime | None = None) -> int:
    tz = zoneinfo.ZoneInfo(inv.municipality.timezone)
    now = now or dt.datetime.now(tz).replace(microsecond=0)
    machines = holiday.machines(inv)
    hosts = [m for m in machines if m.kind == "sunucu"]
    devices = [m for m in machines if m.kind != "sunucu"]
    if not hosts:
        ui.info("no host is marked tatilde_kapat: nothing to do")
        return 0
    p = holiday.plan(inv, now.year)
    wake = next_power_on(p, now.replace(tzinfo=None)) or next_power_on(
        holiday.plan(inv, now.year + 1), now.replace(tzinfo=None))
    if wake is None and action == "shutdown" and any(m.method == "rtc" for m in hosts):
        # An rtc host would set its wake-up alarm to nothing and stay off.
        ui.error("no planned power-on in this year or the next: the rtc hosts would not come "
                 "back; nothing is shut down")
        return 1
    wake_epoch = int(wake.replace(tzinfo=tz).timestamp()) if wake else 0
    groups = [(order, [m.name for m in ms])
              for order, ms in groupby(hosts, key=lambda m: m.order)]
    if action == "startup":
        groups.reverse()
    results: dict[str, Any] = {}
    failed_groups = []
    with tempfile.TemporaryDirectory(prefix="bilgiislem-holiday-") as tmp:
        for i, (order, names) in enumerate(groups, 1):
            ui.step(f"[{i}/{len(groups)}] {action} order {order}: {', '.join(names)}"
                    f"{' [preview]' if check else ''}")
            res = ansible_run.playbook(
                PLAYBOOK, REPO_ROOT / inventory, check=check, limit=",".join(names),
                extra_vars={"holiday_action": action, "holiday_power_on_at": str(wake_epoch),
                            "holiday_results_dir": tmp})
            if not res.ok:
                failed_groups.append(order)
                if action == "shutdown":
                    ui.error(f"order {order} failed; the later orders are not shut down")
                    break
        for f in sorted(Path(tmp).glob("*.json")):
            results[f.stem] = json.loads(f.read_text(encoding="utf-8"))
    not_back = sorted(h for h, r in results.items()
                      if not r.get("came_back") or r.get("system_state") not in
                      ("running", "degraded"))
    record = {
        **ansible_run.provenance(f"holiday-{action}", inventory),
        "action": action, "check": check,
        "power_on_planned": wake.isoformat(timespec="minutes") if wake else None,
        "hosts": [{"name": m.name, "order": m.order, "method": m.method,
                   **({"came_back": results.get(m.name, {}).get("came_back"),
                       "system_state": results.get(m.name, {}).get("system_state")}
                      if action == "startup" else {})} for m in hosts],
        "devices_by_hand": [{"name": m.name, "kind": m.kind, "method": m.method}
                            for m in devices],
        "failed_orders": failed_groups,
        "not_back": not_back if action == "startup" and not check else [],
    }
    stamp = ansible_run.stamp(dt.datetime.now(dt.UTC))
    path = htmlreport.write_record(EVIDENCE / f"{stamp}-tatil-{action}", record,
                                   "tatil.html.j2", TEMPLATES, STYLE)
    if devices:
        ui.info("devices are switched by their own power-on way (listed in the record): "
                + ", ".join(m.name for m in devices))
    if record["not_back"]:
        ui.error("did not come back: " + ", ".join(record["not_back"]))
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)} (+ .html)")
    return 1 if failed_groups or record["not_back"] else 0
