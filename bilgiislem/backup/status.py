"""``invoke backup.status``: when did each set and class last back up, and is that recent?

Every backup client keeps one JSON status file per set and class (last success, last attempt,
last error, snapshot, sizes, duration). ``playbooks/backup-status.yml`` fetches them into
``backup_status_dest/<client>/``. A set/class is OK when its last success is at most twice the
class's period plus an hour old, STALE when older or never successful, and MISSING when the
client has no status file for it at all.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from bilgiislem import REPO_ROOT, ansible_run, ui
from bilgiislem.backup import common
from bilgiislem.inventory import Inventory

PLAYBOOK = REPO_ROOT / "playbooks" / "backup-status.yml"
PERIODS = {
    "hourly": dt.timedelta(hours=1),
    "daily": dt.timedelta(days=1),
    "weekly": dt.timedelta(days=7),
    "monthly": dt.timedelta(days=31),
    "quarterly": dt.timedelta(days=92),
    "semiannual": dt.timedelta(days=183),
}
GRACE = dt.timedelta(hours=1)
OK, STALE, MISSING = "OK", "STALE", "MISSING"


def max_age(cls: str) -> dt.timedelta:
    return 2 * PERIODS[cls] + GRACE


def expected(inv: Inventory) -> list[tuple[str, str, str]]:
    """(set, class, host) for every class of every set on every host, in inventory order."""
    if inv.backups is None:
        return []
    return [(s.name, c, h) for s in inv.backups.sets for h in s.hosts for c in s.classes]


def state(status: dict[str, Any] | None, cls: str, now: dt.datetime) -> tuple[str, float | None]:
    """(OK/STALE/MISSING, age of the last success in seconds)."""
    if status is None:
        return MISSING, None
    last = common.parse_time(status.get("last_success"))
    if last is None:
        return STALE, None
    age = (now - last).total_seconds()
    return (OK if age <= max_age(cls).total_seconds() else STALE), age


def evaluate(inv: Inventory, dest: Path, meta: dict[str, Any],
             now: dt.datetime) -> dict[str, Any]:
    files, problems = common.read_json_files(list(dest.glob("*/*.json")))
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for path, data in files:
        key = (str(data.get("set")), str(data.get("class")),
               str(data.get("host") or path.parent.name))
        found[key] = data
    rows = []
    for key in expected(inv):
        data = found.pop(key, None)
        st, age = state(data, key[1], now)
        rows.append({"set": key[0], "class": key[1], "host": key[2], "state": st,
                     "age_seconds": age, "max_age_seconds": max_age(key[1]).total_seconds(),
                     "status_file": data})
    unexpected = [f"{s}/{c}@{h}" for s, c, h in found]
    ok = all(r["state"] == OK for r in rows) and not problems
    return {**meta, "kind": "backup-status", "now": now.isoformat(), "rows": rows,
            "unexpected": unexpected, "problems": problems,
            "status": OK if ok else "NOT OK", "exit_code": 0 if ok else 1}


def table(record: dict[str, Any]) -> str:
    rows = []
    for r in record["rows"]:
        data = r["status_file"] or {}
        error = data.get("last_error")
        rows.append([r["set"], r["class"], r["host"], common.tr_time(data.get("last_success")),
                     common.duration(r["age_seconds"]), common.size(data.get("total_bytes")),
                     r["state"] + (f" ({error})" if error and r["state"] != OK else "")])
    return ui.table(["set", "class", "host", "last success", "age", "size", "state"], rows)


def run(inv: Inventory, inventory: str, *, dry_run: bool = False) -> int:
    want = expected(inv)
    ui.step(f"backup status of {inventory}: {len(want)} set/class/host entries")
    if not want:
        ui.error(f"{inventory} declares no backup set (backups.yml)")
        return 1
    if dry_run:
        for s, c, h in want:
            ui.info(f"would read the status of set {s}, class {c} on {h} "
                    f"(stale after {common.duration(max_age(c).total_seconds())})")
        return 0
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory(prefix="bilgiislem-status-") as tmp:
        result = ansible_run.playbook(PLAYBOOK, REPO_ROOT / inventory, quiet=True,
                                      extra_vars={"backup_status_dest": str(Path(tmp))})
        record = evaluate(inv, Path(tmp), ansible_run.provenance("backup-status", inventory,
                                                                now), now)
    record["ansible_returncode"] = result.returncode
    if result.returncode != 0:
        print(result.output[-3000:])
        record["problems"].append(f"ansible-playbook ended with code {result.returncode}")
        record["status"], record["exit_code"] = "NOT OK", 1
    path = common.write_json(common.EVIDENCE_DIR / f"{ansible_run.stamp(now)}-status.json",
                             record)
    print(table(record))
    for p in record["problems"]:
        ui.warn(p)
    for u in record["unexpected"]:
        ui.warn(f"status file for {u}, which the inventory does not declare")
    bad = sum(r["state"] != OK for r in record["rows"])
    print(f"{len(record['rows']) - bad} OK, {bad} not OK")
    print(f"kayıt / evidence: {path.relative_to(REPO_ROOT)}")
    return int(record["exit_code"])
